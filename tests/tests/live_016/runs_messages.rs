//! Messages across agents: listed by conversation, retrieved by id; the cloud-only search and
//! cache warm-up; and message batches (only the listing works offline).

use letta_api::models as m;

use crate::runs_common::{assistant_turn, error_text, is_status, message_id, user_text};
use crate::support::live;

#[tokio::test]
async fn messages_are_listed_across_agents_and_retrieved_by_id() {
    let live = live!();
    let c = &live.client;
    let agent = live.new_agent("all-messages").await;
    let conv = live.track(
        "create_conversation",
        c.conversations()
            .create_conversation(&agent.id)
            .send()
            .await,
    );
    let text = format!("Find me later, {}.", live.run_id());
    let reply = live.track(
        "send_conversation_message",
        c.conversations()
            .send_conversation_message(
                &conv.id,
                m::ConversationMessageRequest::default()
                    .with_input(m::ConversationMessageRequestInput::String(text.clone())),
            )
            .send()
            .await,
    );
    let turn = assistant_turn(&reply);

    // list_all_messages, narrowed to the conversation: newest first by default.
    let all = live.track(
        "list_all_messages",
        c.messages()
            .list_all_messages()
            .conversation_id(&conv.id)
            .send()
            .await,
    );
    // (The user message and the reply are stored in one transaction with the same `created_at`, so
    // their relative order is the id tie-break; only membership is asserted.)
    let user_pos = all
        .iter()
        .position(|msg| user_text(msg) == Some(text.as_str()))
        .unwrap_or_else(|| panic!("the user's message is listed: {all:?}"));
    assert!(
        all.iter()
            .any(|msg| message_id(msg) == Some(turn.message_id.as_str())),
        "the reply is listed: {all:?}"
    );
    let oldest_first = live
        .track_stream(
            "list_all_messages",
            c.messages()
                .list_all_messages()
                .conversation_id(&conv.id)
                .order(m::ListAllMessagesOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(oldest_first.len(), all.len(), "{oldest_first:?}");
    let users_only = live.track(
        "list_all_messages",
        c.messages()
            .list_all_messages()
            .conversation_id(&conv.id)
            .include_return_message_types(vec![m::MessageType::UserMessage])
            .send()
            .await,
    );
    assert!(
        users_only
            .iter()
            .all(|msg| matches!(msg, m::LettaMessageUnion::UserMessage(_))),
        "{users_only:?}"
    );
    assert!(
        users_only
            .iter()
            .any(|msg| user_text(msg) == Some(text.as_str()))
    );
    let recent = live.track(
        "list_all_messages",
        c.messages().list_all_messages().limit(5).send().await,
    );
    assert!(recent.len() <= 5);

    // retrieve_message: one stored message may read as several Letta messages, all with its id.
    let got = live.track(
        "retrieve_message",
        c.messages().retrieve_message(&turn.message_id).send().await,
    );
    assert!(!got.is_empty());
    assert!(
        got.iter()
            .all(|msg| message_id(msg) == Some(turn.message_id.as_str())),
        "{got:?}"
    );
    let user_id = message_id(&all[user_pos]).expect("id").to_string();
    let got = live.track(
        "retrieve_message",
        c.messages().retrieve_message(&user_id).send().await,
    );
    assert_eq!(
        got.iter().filter_map(user_text).collect::<Vec<_>>(),
        vec![text.as_str()]
    );
    let err = live.expect_err(
        "retrieve_message",
        c.messages()
            .retrieve_message("message-00000000-0000-4000-8000-000000000000")
            .send()
            .await,
    );
    assert!(is_status(&err, 404), "{err:?}");

    // search_all_messages is "a cloud-only feature" (routers/v1/messages.py): the message manager
    // needs Turbopuffer and OpenAI embeddings and answers 400 without them.
    let search = m::SearchAllMessagesRequest::new("Find me later")
        .with_agent_id(agent.id.clone())
        .with_search_mode(m::SearchAllMessagesRequestSearchMode::Fts);
    let err = live.expect_err(
        "search_all_messages",
        c.messages().search_all_messages(search).send().await,
    );
    assert!(is_status(&err, 400), "{err:?}");
    assert!(error_text(&err).contains("Turbopuffer"), "{err}");

    // warm_internal_search_cache: likewise needs Turbopuffer (routers/v1/internal_search.py
    // `warm_search_cache` checks `should_use_tpuf_for_messages`), 400 offline.
    let err = live.expect_err(
        "warm_internal_search_cache",
        c.internal_search()
            .warm_internal_search_cache(m::SearchCacheWarmRequest::new(serde_json::Map::new()))
            .send()
            .await,
    );
    assert!(is_status(&err, 400), "{err:?}");
    assert!(error_text(&err).contains("Turbopuffer"), "{err}");

    live.track(
        "delete_conversation",
        c.conversations().delete_conversation(&conv.id).send().await,
    );
    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn message_batches_are_listed_but_cannot_run_offline() {
    let live = live!();
    let c = &live.client;
    let agent = live.new_agent("batch").await;

    let before = live.track("list_batches", c.messages().list_batches().send().await);
    assert!(
        before.iter().all(|b| b.job_type == m::JobType::Batch),
        "{before:?}"
    );
    let paged = live
        .track_stream(
            "list_batches",
            c.messages()
                .list_batches()
                .order(m::ListBatchesOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert!(paged.iter().all(|b| b.job_type == m::JobType::Batch));

    // create_batch: the batch runner (agents/letta_agent_batch.py `step_until_request`) sends the
    // agents' requests through `LLMClient.send_llm_batch_request_async`, implemented only for
    // Anthropic's batch API (llm_api/llm_client_base.py raises NotImplementedError for the OpenAI
    // endpoint of the fake LLM): 500, and the batch job is marked failed.
    let request = m::LettaBatchRequest::new(agent.id.clone()).with_input(
        m::LettaBatchRequestInput::String("Hello from a batch.".to_string()),
    );
    let err = live.expect_err(
        "create_batch",
        c.messages()
            .create_batch(m::CreateBatch::new(vec![request]))
            .send()
            .await,
    );
    assert!(is_status(&err, 500), "{err:?}");
    // The failed job is not listed (list_batches lists created and running batches only), so the
    // batch routes below have no batch to address offline: they answer 404 for an unknown id.
    let after = live.track("list_batches", c.messages().list_batches().send().await);
    assert_eq!(after.len(), before.len(), "{after:?}");

    let unknown = "job-00000000-0000-4000-8000-000000000000";
    let err = live.expect_err(
        "retrieve_batch",
        c.messages().retrieve_batch(unknown).send().await,
    );
    assert!(is_status(&err, 404), "{err:?}");
    let err = live.expect_err(
        "list_messages_for_batch",
        c.messages().list_messages_for_batch(unknown).send().await,
    );
    assert!(is_status(&err, 404), "{err:?}");
    let err = live.expect_err(
        "cancel_batch",
        c.messages().cancel_batch(unknown).send().await,
    );
    assert!(is_status(&err, 404), "{err:?}");

    live.delete_agent(&agent.id).await;
}
