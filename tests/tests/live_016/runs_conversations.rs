//! Conversations: create → retrieve → list → update → message (JSON and streamed) → inspect the
//! model request → recompile → fork → compact → delete, plus the agent-direct `default` mode.

use letta_api::apis::StreamEvent;
use letta_api::models as m;

use crate::runs_common::{assistant_text, assistant_turn, error_text, is_status, user_text};
use crate::support::live;

/// A conversation message request with one user message as `input`.
fn ask(text: &str) -> m::ConversationMessageRequest {
    m::ConversationMessageRequest::default()
        .with_input(m::ConversationMessageRequestInput::String(text.to_string()))
}

/// A create body with a summary.
fn with_summary(summary: &str) -> m::CreateConversation {
    m::CreateConversation::default().with_summary(summary.to_string())
}

#[tokio::test]
async fn a_conversation_is_created_messaged_forked_compacted_and_deleted() {
    let live = live!();
    let c = &live.client;
    let convs = c.conversations();
    let agent = live.new_agent("conv").await;
    let summary = live.name("conv-summary");

    let conv = live.track(
        "create_conversation",
        convs
            .create_conversation(&agent.id)
            .body(with_summary(&summary))
            .send()
            .await,
    );
    assert_eq!(conv.agent_id, agent.id);
    assert_eq!(conv.summary.as_deref(), Some(summary.as_str()));
    assert!(conv.id.starts_with("conv-"), "{}", conv.id);
    let other = live.track(
        "create_conversation",
        convs.create_conversation(&agent.id).send().await,
    );
    assert_ne!(other.id, conv.id);

    let got = live.track(
        "retrieve_conversation",
        convs.retrieve_conversation(&conv.id).send().await,
    );
    assert_eq!(got.id, conv.id);
    assert_eq!(got.summary.as_deref(), Some(summary.as_str()));

    // list_conversations: by agent (newest first), by summary text, and page by page.
    let listed = live.track(
        "list_conversations",
        convs.list_conversations().agent_id(&agent.id).send().await,
    );
    assert_eq!(
        listed.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec![other.id.as_str(), conv.id.as_str()]
    );
    let found = live.track(
        "list_conversations",
        convs
            .list_conversations()
            .summary_search(&summary)
            .send()
            .await,
    );
    assert_eq!(
        found.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec![conv.id.as_str()]
    );
    let paged = live
        .track_stream(
            "list_conversations",
            convs
                .list_conversations()
                .agent_id(&agent.id)
                .order(m::ListConversationsOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(
        paged.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
        vec![conv.id.as_str(), other.id.as_str()]
    );

    let renamed = format!("{summary}-renamed");
    let updated = live.track(
        "update_conversation",
        convs
            .update_conversation(
                &conv.id,
                m::UpdateConversation::default().with_summary(renamed.clone()),
            )
            .send()
            .await,
    );
    assert_eq!(updated.id, conv.id);
    assert_eq!(updated.summary.as_deref(), Some(renamed.as_str()));

    // send_conversation_message: JSON, then streamed.
    let reply = live.track(
        "send_conversation_message",
        convs
            .send_conversation_message(&conv.id, ask("Hello conversation."))
            .send()
            .await,
    );
    let turn = assistant_turn(&reply);
    assert_eq!(turn.text, "You said: Hello conversation.");
    assert_eq!(reply.stop_reason.stop_reason, m::StopReasonType::EndTurn);
    // Server bug: the JSON path of routers/v1/conversations.py `send_conversation_message` creates
    // its run without `conversation_id` and never finishes it (unlike agents.py `send_message`,
    // which updates the run after the step): the run stays `created`, outside the conversation.
    let run = live.track(
        "retrieve_run",
        c.runs().retrieve_run(&turn.run_id).send().await,
    );
    assert_eq!(run.agent_id, agent.id);
    assert_eq!(run.status, m::RunStatus::Created, "{run:?}");
    assert_eq!(run.conversation_id, None, "{run:?}");
    let after_message = live.track(
        "retrieve_conversation",
        convs.retrieve_conversation(&conv.id).send().await,
    );
    assert!(after_message.last_message_at.is_some(), "{after_message:?}");

    let stream = convs
        .send_conversation_message(&conv.id, ask("Stream it, please."))
        .stream()
        .await;
    let events = live
        .track_stream(
            "send_conversation_message",
            live.track("send_conversation_message", stream),
        )
        .await;
    assert!(
        events.iter().any(|e| matches!(
            e,
            StreamEvent::Message(msg) if assistant_text(msg) == Some("You said: Stream it, please.")
        )),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::StopReason(_))),
        "{events:?}"
    );
    assert!(
        !events.iter().any(|e| matches!(e, StreamEvent::Unknown(_))),
        "{events:?}"
    );
    // The streamed run belongs to the conversation and finishes.
    let runs = live.track(
        "list_runs",
        c.runs().list_runs().conversation_id(&conv.id).send().await,
    );
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].conversation_id.as_deref(), Some(conv.id.as_str()));
    assert_eq!(runs[0].status, m::RunStatus::Completed, "{runs:?}");
    assert_ne!(runs[0].id.as_deref(), Some(turn.run_id.as_str()));

    // list_conversation_messages: both user turns, newest first; paged one by one.
    let history = live.track(
        "list_conversation_messages",
        convs.list_conversation_messages(&conv.id).send().await,
    );
    let said: Vec<_> = history.iter().filter_map(user_text).collect();
    assert_eq!(said, vec!["Stream it, please.", "Hello conversation."]);
    let paged = live
        .track_stream(
            "list_conversation_messages",
            convs
                .list_conversation_messages(&conv.id)
                .order(m::ListConversationMessagesOrder::Asc)
                .limit(2)
                .into_stream(),
        )
        .await;
    let said: Vec<_> = paged.iter().filter_map(user_text).collect();
    assert_eq!(said, vec!["Hello conversation.", "Stream it, please."]);
    let only_users = live.track(
        "list_conversation_messages",
        convs
            .list_conversation_messages(&conv.id)
            .include_return_message_types(vec![m::MessageType::UserMessage])
            .send()
            .await,
    );
    assert_eq!(only_users.len(), 2, "{only_users:?}");
    assert!(
        only_users
            .iter()
            .all(|msg| matches!(msg, m::LettaMessageUnion::UserMessage(_)))
    );
    // The other conversation of the agent has none of these messages.
    let elsewhere = live.track(
        "list_conversation_messages",
        convs.list_conversation_messages(&other.id).send().await,
    );
    assert!(
        elsewhere.iter().filter_map(user_text).next().is_none(),
        "{elsewhere:?}"
    );

    // preview_conversation_model_request: the raw LLM request, built but not sent.
    let preview = live.track(
        "preview_conversation_model_request",
        convs
            .preview_conversation_model_request(&conv.id, ask("Only a preview."))
            .send()
            .await,
    );
    assert_eq!(
        preview.get("model").and_then(|v| v.as_str()),
        Some("fake-model"),
        "{preview:?}"
    );
    let wire = serde_json::to_string(&preview["messages"]).expect("messages");
    assert!(wire.contains("Only a preview."), "{wire}");
    assert!(
        wire.contains("Hello conversation."),
        "the history is included"
    );
    let history_len = live
        .track(
            "list_conversation_messages",
            convs.list_conversation_messages(&conv.id).send().await,
        )
        .len();
    assert_eq!(history_len, history.len(), "a preview adds no message");

    // recompile_conversation: the compiled system prompt, with the agent's memory in it.
    let system = live.track(
        "recompile_conversation",
        convs
            .recompile_conversation(&conv.id)
            .dry_run(true)
            .send()
            .await,
    );
    assert!(system.contains("Rust developer testing an SDK"), "{system}");
    let persisted = live.track(
        "recompile_conversation",
        convs.recompile_conversation(&conv.id).send().await,
    );
    assert!(persisted.contains("helpful live-test agent"), "{persisted}");

    // fork_conversation: a new conversation of the same agent.
    let fork = live.track(
        "fork_conversation",
        convs.fork_conversation(&conv.id).send().await,
    );
    assert_ne!(fork.id, conv.id);
    assert_eq!(fork.agent_id, agent.id);
    let listed = live.track(
        "list_conversations",
        convs.list_conversations().agent_id(&agent.id).send().await,
    );
    assert!(listed.iter().any(|x| x.id == fork.id), "{listed:?}");

    // compact_conversation: the history is summarized into fewer in-context messages (`all` mode:
    // the default sliding window keeps a history this short as it is, answering 400).
    let compacted = live.track(
        "compact_conversation",
        convs
            .compact_conversation(&conv.id)
            .body(
                m::LettaServerRestApiRoutersV1ConversationsCompactionRequest::default()
                    .with_compaction_settings(
                        m::CompactionSettings::default().with_mode(m::CompactionSettingsMode::All),
                    ),
            )
            .send()
            .await,
    );
    assert!(
        compacted.num_messages_after < compacted.num_messages_before,
        "{compacted:?}"
    );
    assert!(
        compacted.summary.contains("Hello conversation."),
        "{compacted:?}"
    );

    // cancel_conversation: no run of this conversation is active (the streamed one finished, the
    // JSON one is not linked to the conversation, see above): 409 NoActiveRunsToCancelError.
    let err = live.expect_err(
        "cancel_conversation",
        convs.cancel_conversation(&conv.id).send().await,
    );
    assert!(is_status(&err, 409), "{err:?}");
    assert!(error_text(&err).contains("No active runs"), "{err}");

    // retrieve_conversation_stream resumes background streams from Redis; without Redis
    // (routers/v1/conversations.py retrieve_conversation_stream) the answer is 503.
    let err = live.expect_err(
        "retrieve_conversation_stream",
        convs.retrieve_conversation_stream(&conv.id).send().await,
    );
    assert!(is_status(&err, 503), "{err:?}");
    assert!(error_text(&err).contains("Redis"), "{err}");

    // delete_conversation: a soft delete; the conversation is no longer listed or found.
    for id in [&conv.id, &other.id, &fork.id] {
        live.track(
            "delete_conversation",
            convs.delete_conversation(id).send().await,
        );
    }
    let listed = live.track(
        "list_conversations",
        convs.list_conversations().agent_id(&agent.id).send().await,
    );
    assert!(listed.is_empty(), "{listed:?}");
    let err = live.expect_err(
        "retrieve_conversation",
        convs.retrieve_conversation(&conv.id).send().await,
    );
    assert!(is_status(&err, 404), "{err:?}");

    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn the_default_conversation_is_addressed_through_its_agent() {
    let live = live!();
    let c = &live.client;
    let convs = c.conversations();
    let agent = live.new_agent("conv-default").await;

    let body = ask("Hello default conversation.").with_agent_id(agent.id.clone());
    let reply = live.track(
        "send_conversation_message",
        convs
            .send_conversation_message("default", body)
            .send()
            .await,
    );
    let turn = assistant_turn(&reply);
    assert_eq!(turn.text, "You said: Hello default conversation.");

    let history = live.track(
        "list_conversation_messages",
        convs
            .list_conversation_messages("default")
            .agent_id(&agent.id)
            .send()
            .await,
    );
    assert!(
        history
            .iter()
            .any(|msg| user_text(msg) == Some("Hello default conversation.")),
        "{history:?}"
    );
    // The agent's own message list holds the same turn.
    let agent_history = live.track(
        "list_messages",
        c.agents().list_messages(&agent.id).send().await,
    );
    assert!(
        agent_history
            .iter()
            .any(|msg| user_text(msg) == Some("Hello default conversation.")),
        "{agent_history:?}"
    );

    let body = ask("Preview in default.").with_agent_id(agent.id.clone());
    let preview = live.track(
        "preview_conversation_model_request",
        convs
            .preview_conversation_model_request("default", body)
            .send()
            .await,
    );
    assert!(
        serde_json::to_string(&preview)
            .unwrap()
            .contains("Preview in default."),
        "{preview:?}"
    );

    let system = live.track(
        "recompile_conversation",
        convs
            .recompile_conversation("default")
            .dry_run(true)
            .body(
                m::LettaServerRestApiRoutersV1ConversationsCompactionRequest::default()
                    .with_agent_id(agent.id.clone()),
            )
            .send()
            .await,
    );
    assert!(system.contains("Rust developer testing an SDK"), "{system}");

    // Forking the default conversation starts a real conversation of the agent.
    let fork = live.track(
        "fork_conversation",
        convs
            .fork_conversation("default")
            .agent_id(&agent.id)
            .send()
            .await,
    );
    assert_eq!(fork.agent_id, agent.id);
    let forked = live.track(
        "list_conversation_messages",
        convs.list_conversation_messages(&fork.id).send().await,
    );
    assert!(
        forked
            .iter()
            .any(|msg| user_text(msg) == Some("Hello default conversation.")),
        "the fork shares the history: {forked:?}"
    );

    // cancel_conversation in agent-direct mode finds the agent's unfinished runs: the JSON
    // agent-direct path (routers/v1/conversations.py `_send_agent_direct_message`) leaves its run
    // `created` (see the other test), so there is always one to cancel here.
    let run = live.track(
        "retrieve_run",
        c.runs().retrieve_run(&turn.run_id).send().await,
    );
    assert_eq!(run.status, m::RunStatus::Created, "{run:?}");
    let cancelled = live.track(
        "cancel_conversation",
        convs
            .cancel_conversation("default")
            .agent_id(&agent.id)
            .send()
            .await,
    );
    assert_eq!(
        cancelled.get(&turn.run_id).and_then(|v| v.as_str()),
        Some("cancelled"),
        "{cancelled:?}"
    );
    let run = live.track(
        "retrieve_run",
        c.runs().retrieve_run(&turn.run_id).send().await,
    );
    assert_eq!(run.status, m::RunStatus::Cancelled, "{run:?}");
    let err = live.expect_err(
        "cancel_conversation",
        convs
            .cancel_conversation("default")
            .agent_id(&agent.id)
            .send()
            .await,
    );
    assert!(is_status(&err, 409), "nothing left to cancel: {err:?}");

    live.track(
        "delete_conversation",
        convs.delete_conversation(&fork.id).send().await,
    );
    live.delete_agent(&agent.id).await;
}
