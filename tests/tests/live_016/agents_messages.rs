//! Messages beyond `send_message`: the deprecated stream route, background (async) runs and their
//! cancellation, request previews, direct generation, summarization, reset, and the routes the
//! server refuses (message editing, organization-wide search).

use std::time::Duration;

use letta_api::Error;
use letta_api::apis::StreamEvent;
use letta_api::models as m;

use crate::support::{live, say};

/// Whether a message list mentions `text` (in any message's content).
fn mentions(messages: &[m::LettaMessageUnion], text: &str) -> bool {
    messages.iter().any(|msg| format!("{msg:?}").contains(text))
}

#[tokio::test]
#[allow(deprecated)]
async fn messages_stream_preview_generate_summarize_and_reset() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("messages").await;

    // the raw LLM payload of a request, without sending it
    let preview = live.track(
        "preview_model_request",
        agents
            .preview_model_request(
                &agent.id,
                m::LettaRequest::default()
                    .with_input(m::LettaRequestInput::String("Preview this, please.".into()))
                    .into(),
            )
            .send()
            .await,
    );
    let messages = preview
        .get("messages")
        .and_then(|v| v.as_array())
        .unwrap_or_else(|| panic!("an OpenAI payload with messages: {preview:?}"));
    assert!(
        messages
            .iter()
            .any(|msg| msg.to_string().contains("Preview this, please.")),
        "{messages:?}"
    );
    assert_eq!(
        preview.get("model").and_then(|v| v.as_str()),
        Some("fake-model")
    );

    // the deprecated dedicated stream route
    let stream = agents
        .create_agent_message_stream(&agent.id, say("Streamed hello one."))
        .stream()
        .await;
    let events = live
        .track_stream(
            "create_agent_message_stream",
            live.track("create_agent_message_stream", stream),
        )
        .await;
    assert!(
        events.iter().any(|e| matches!(
            e,
            StreamEvent::Message(m::LettaMessageUnion::AssistantMessage(_))
        )),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::StopReason(_))),
        "{events:?}"
    );
    let body = say("Streamed hello two.").with_stream_tokens(true);
    let stream = agents
        .create_agent_message_stream(&agent.id, body)
        .stream()
        .await;
    let events = live
        .track_stream(
            "create_agent_message_stream",
            live.track("create_agent_message_stream", stream),
        )
        .await;
    assert!(
        !events.iter().any(|e| matches!(e, StreamEvent::Unknown(_))),
        "{events:?}"
    );

    let history = live.track(
        "list_messages",
        agents
            .list_messages(&agent.id)
            .order(m::ListMessagesOrder::Asc)
            .send()
            .await,
    );
    assert!(mentions(&history, "Streamed hello one."), "{history:?}");
    assert!(mentions(&history, "Streamed hello two."), "{history:?}");
    let assistant_id = history
        .iter()
        .find_map(|msg| match msg {
            m::LettaMessageUnion::AssistantMessage(a) => Some(a.id.clone()),
            _ => None,
        })
        .expect("an assistant message");

    // Message editing was removed: `modify_message` in letta/server/rest_api/routers/v1/agents.py
    // always raises 405 ("Messages are immutable ..."), though the spec still documents a 200.
    let err = live.expect_err(
        "modify_message",
        agents
            .modify_message(
                &agent.id,
                &assistant_id,
                m::ModifyMessageBody::UpdateAssistantMessage(m::UpdateAssistantMessage::new(
                    m::UpdateAssistantMessageContent::String("edited".into()),
                )),
            )
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 405),
        "{err:?}"
    );

    // direct generation with the agent's LLM config: the fake LLM echoes the prompt
    let generated = live.track(
        "generate_completion",
        agents
            .generate_completion(
                &agent.id,
                m::GenerateRequest::new("Echo the word pineapple.").with_system_prompt("Be brief."),
            )
            .send()
            .await,
    );
    assert!(
        generated.content.contains("pineapple"),
        "{}",
        generated.content
    );
    assert_eq!(generated.model, "fake-model");
    assert!(generated.usage.total_tokens > 0, "{:?}", generated.usage);

    // summarize everything into one summary message
    let compaction = live.track(
        "summarize_messages",
        agents
            .summarize_messages(&agent.id)
            .body(
                m::LettaServerRestApiRoutersV1AgentsCompactionRequest::default()
                    .with_compaction_settings(
                        m::CompactionSettings::default().with_mode(m::CompactionSettingsMode::All),
                    ),
            )
            .send()
            .await,
    );
    assert!(
        compaction.num_messages_after < compaction.num_messages_before,
        "{compaction:?}"
    );
    assert!(!compaction.summary.is_empty());

    // reset: only the system message is left in context. (The router asks for no agent state from
    // a 1.0 client, but `reset_messages_async` in letta/services/agent_manager.py also builds it for
    // `rebuild_system_prompt=True`, which the router always passes, so the state comes back.)
    let reset = live.track(
        "reset_messages",
        agents
            .reset_messages(&agent.id, m::ResetMessagesRequest::default())
            .send()
            .await,
    );
    let state = reset.expect("the agent state after the reset");
    assert_eq!(state.id, agent.id);
    assert_eq!(
        state.message_ids.as_ref().map(Vec::len),
        Some(1),
        "{:?}",
        state.message_ids
    );
    let state = live.track(
        "retrieve_agent",
        agents.retrieve_agent(&agent.id).send().await,
    );
    assert_eq!(state.message_ids.as_ref().map(Vec::len), Some(1));
    let context = live.track(
        "retrieve_agent_context_window",
        agents.retrieve_agent_context_window(&agent.id).send().await,
    );
    assert_eq!(context.num_messages, 1, "{context:?}");

    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn a_background_run_completes_and_can_be_cancelled() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("async").await;

    // nothing to cancel yet: a typed 409 (NoActiveRunsToCancelError, agents.py `cancel_message`)
    let err = live.expect_err(
        "cancel_message",
        agents.cancel_message(&agent.id).send().await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 409),
        "{err:?}"
    );

    let run = live.track(
        "create_agent_message_async",
        agents
            .create_agent_message_async(
                &agent.id,
                m::LettaAsyncRequest::default().with_input(m::LettaAsyncRequestInput::String(
                    "Hello in the background.".into(),
                )),
            )
            .send()
            .await,
    );
    assert_eq!(run.agent_id, agent.id);
    assert_eq!(run.background, Some(true));
    let run_id = run.id.clone().expect("a run id");

    // Some agent steps on this server stall about 60 s before their LLM call (seen on JSON, streamed
    // and background steps alike, intermittently; cause not found), so the poll allows 75 s.
    let mut status = run.status.clone();
    for _ in 0..150 {
        let current = live.track(
            "retrieve_run",
            live.client.runs().retrieve_run(&run_id).send().await,
        );
        status = current.status.clone();
        if matches!(
            status,
            m::RunStatus::Completed | m::RunStatus::Failed | m::RunStatus::Cancelled
        ) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(status, m::RunStatus::Completed);
    let history = live.track(
        "list_messages",
        agents.list_messages(&agent.id).limit(10).send().await,
    );
    assert!(
        mentions(&history, "Hello in the background."),
        "{history:?}"
    );

    // cancelling a named run answers a map of run id -> outcome
    let outcome = live.track(
        "cancel_message",
        agents
            .cancel_message(&agent.id)
            .body(m::CancelAgentRunRequest::default().with_run_ids(vec![run_id.clone()]))
            .send()
            .await,
    );
    assert!(
        matches!(
            outcome.get(&run_id).and_then(|v| v.as_str()),
            Some("cancelled" | "failed")
        ),
        "{outcome:?}"
    );

    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn organization_wide_message_search_needs_the_cloud() {
    let live = live!();
    let agent = live.new_agent("search").await;
    // Cloud-only: `search_messages` (agents.py) -> `search_messages_org_async` needs message
    // embeddings, OpenAI and Turbopuffer; the server answers a typed 400 offline.
    let err = live.expect_err(
        "search_messages",
        live.client
            .agents()
            .search_messages(m::MessageSearchRequest::default().with_query("hello"))
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 400),
        "{err:?}"
    );
    assert!(
        err.detail().is_some_and(|d| d.contains("Turbopuffer")),
        "{err}"
    );
    live.delete_agent(&agent.id).await;
}
