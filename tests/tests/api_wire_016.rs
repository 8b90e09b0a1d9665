//! Wire tests of the Letta 0.16.8 SDK (`letta-api`) through its generated operations, against a scripted
//! mock server on 127.0.0.1: dual-mode operations (`.send()` JSON, `.stream()` events) and what each sends
//! to choose, the compatibility header, every stream event kind, and paging that follows `order`.

use std::time::Duration;

use futures_util::StreamExt;
use letta_api::apis::StreamEvent;
use letta_api::error::StreamError;
use letta_api::models::{
    LettaMessageUnion, LettaStreamingRequest, LettaStreamingRequestInput, ListMessagesOrder,
};
use letta_api::{Client, Error};
use tests::mock::{MockServer, Reply};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .initial_retry_delay(Duration::from_millis(5))
        .build()
        .expect("client")
}

fn assistant(id: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "message_type": "assistant_message",
        "id": id,
        "date": "2026-11-30T03:25:50Z",
        "content": text,
    })
}

fn letta_response() -> String {
    serde_json::json!({
        "messages": [assistant("message-1", "Hello!")],
        "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"},
        "usage": {"message_type": "usage_statistics", "total_tokens": 12, "step_count": 1},
    })
    .to_string()
}

fn body_of(req: &tests::mock::Recorded) -> serde_json::Value {
    serde_json::from_slice(&req.body).expect("JSON body")
}

fn hello(streaming: bool) -> LettaStreamingRequest {
    LettaStreamingRequest::default()
        .with_input(LettaStreamingRequestInput::String("Hi".into()))
        .with_streaming(streaming)
}

#[tokio::test]
async fn send_asks_for_json_and_stream_asks_for_events_whatever_the_body_says() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, &letta_response()));
    s.push(Reply::sse(&[
        &format!("data: {}\n\n", assistant("message-2", "Hi again")),
        "data: [DONE]\n\n",
    ]));
    let c = client(&s);

    // The body says `streaming: true`, but `.send()` is the JSON path: it sends `false`.
    let reply = c
        .agents()
        .send_message("agent-1", hello(true))
        .send()
        .await
        .expect("JSON answer");
    assert!(
        matches!(&reply.messages[0], LettaMessageUnion::AssistantMessage(m) if m.id == "message-1")
    );
    assert_eq!(reply.usage.total_tokens, 12);

    // And `.stream()` sends `true` even when the body says `false`.
    let events: Vec<_> = c
        .agents()
        .send_message("agent-1", hello(false))
        .stream()
        .await
        .expect("event stream")
        .collect()
        .await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(matches!(
        &events[0],
        Ok(StreamEvent::Message(LettaMessageUnion::AssistantMessage(m))) if m.id == "message-2"
    ));

    let reqs = s.requests();
    assert_eq!(reqs[0].target, "/v1/agents/agent-1/messages");
    assert_eq!(reqs[0].header("accept"), Some("application/json"));
    assert_eq!(body_of(&reqs[0])["streaming"], false);
    assert_eq!(body_of(&reqs[0])["input"], "Hi");
    assert_eq!(reqs[1].header("accept"), Some("text/event-stream"));
    assert_eq!(body_of(&reqs[1])["streaming"], true);
}

#[tokio::test]
async fn every_request_carries_the_compat_header_and_a_truthful_user_agent() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, r#"{"version":"0.16.8","status":"ok"}"#));
    s.push(Reply::json(200, r#"{"version":"0.16.8","status":"ok"}"#));
    client(&s)
        .health()
        .check_health()
        .send()
        .await
        .expect("health");
    let plain = Client::builder()
        .base_url(s.url())
        .compat_headers(false)
        .build()
        .expect("client");
    plain.health().check_health().send().await.expect("health");
    let reqs = s.requests();
    assert_eq!(
        letta_api::COMPAT_HEADERS,
        [("X-Stainless-Package-Version", "1.0.0")]
    );
    assert_eq!(reqs[0].header("x-stainless-package-version"), Some("1.0.0"));
    assert_eq!(
        reqs[0].header("user-agent"),
        Some(format!("letta-api-rust/{}", letta_api::VERSION).as_str())
    );
    assert_eq!(reqs[1].header("x-stainless-package-version"), None);
    assert!(reqs[1].header("user-agent").is_some());
}

#[tokio::test]
async fn every_event_kind_decodes_typed_and_error_messages_arrive_as_errors() {
    let s = MockServer::start().await;
    let error_event = serde_json::json!({
        "message_type": "error_message",
        "run_id": "run-1",
        "error_type": "llm_error",
        "message": "the model failed",
    });
    s.push(Reply::sse(&[
        &format!(
            "data: {}\n\n",
            serde_json::json!({"message_type": "ping", "id": "ping-1", "date": "2026-11-30T03:25:50Z"})
        ),
        &format!("data: {}\n\n", assistant("message-1", "partial")),
        &format!("data: {error_event}\n\n"),
        "data: {\"message_type\":\"stop_reason\",\"stop_reason\":\"llm_api_error\"}\n\n",
        "data: {\"message_type\":\"usage_statistics\",\"total_tokens\":7}\n\n",
        "data: {\"message_type\":\"brand_new_kind\",\"x\":1}\n\n",
        "data: [DONE]\n\n",
    ]));
    let events: Vec<_> = client(&s)
        .agents()
        .send_message("agent-1", hello(false))
        .stream()
        .await
        .expect("stream")
        .collect()
        .await;
    assert_eq!(events.len(), 6, "{events:?}");
    assert!(matches!(&events[0], Ok(StreamEvent::Ping(p)) if p.id == "ping-1"));
    assert!(matches!(&events[1], Ok(StreamEvent::Message(_))));
    match &events[2] {
        Err(Error::Stream(StreamError::ErrorEvent { data })) => {
            let typed: letta_api::models::LettaErrorMessage =
                serde_json::from_str(data).expect("the event's JSON is kept");
            assert_eq!(typed.message, "the model failed");
        }
        other => panic!("error_message must arrive as an error: {other:?}"),
    }
    assert!(matches!(
        &events[3],
        Ok(StreamEvent::StopReason(r)) if r.stop_reason == letta_api::models::StopReasonType::LlmApiError
    ));
    assert!(matches!(&events[4], Ok(StreamEvent::Usage(u)) if u.total_tokens == 7));
    assert!(
        matches!(&events[5], Ok(StreamEvent::Unknown(v)) if v["message_type"] == "brand_new_kind")
    );
}

#[tokio::test]
async fn a_stream_only_operation_streams_from_send() {
    let s = MockServer::start().await;
    s.push(Reply::sse(&[
        &format!("data: {}\n\n", assistant("message-9", "replayed")),
        "data: [DONE]\n\n",
    ]));
    let events: Vec<_> = client(&s)
        .runs()
        .retrieve_stream_for_run("run-1")
        .send()
        .await
        .expect("stream")
        .collect()
        .await;
    assert!(
        matches!(&events[..], [Ok(StreamEvent::Message(_))]),
        "{events:?}"
    );
    assert_eq!(s.requests()[0].header("accept"), Some("text/event-stream"));
}

fn page(ids: &[&str]) -> String {
    serde_json::Value::Array(ids.iter().map(|id| assistant(id, "m")).collect()).to_string()
}

fn query(target: &str) -> Vec<(String, String)> {
    let q = target.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

#[tokio::test]
async fn paging_newest_first_walks_back_over_pages_the_server_presents_oldest_first() {
    // Letta 0.16.8 answers `list_messages` (newest first by default) with the newest messages of each
    // page, but presents the page oldest first; the next page is `before=<oldest id of the page>`.
    let s = MockServer::start().await;
    s.push(Reply::json(200, &page(&["m4", "m5"])));
    s.push(Reply::json(200, &page(&["m2", "m3"])));
    s.push(Reply::json(200, &page(&["m1"])));
    let c = client(&s);
    let ids: Vec<String> = c
        .agents()
        .list_messages("agent-1")
        .limit(2)
        .into_stream()
        .map(|m| match m.expect("item") {
            LettaMessageUnion::AssistantMessage(m) => m.id,
            other => panic!("{other:?}"),
        })
        .collect()
        .await;
    assert_eq!(
        ids,
        ["m5", "m4", "m3", "m2", "m1"],
        "each item once, newest first"
    );
    let reqs = s.requests();
    assert_eq!(reqs.len(), 3, "a short page ends the walk");
    assert_eq!(query(&reqs[0].target), [("limit".into(), "2".into())]);
    let second = query(&reqs[1].target);
    assert!(
        second.contains(&("before".into(), "m4".into())),
        "{second:?}"
    );
    assert!(!second.iter().any(|(k, _)| k == "after"), "{second:?}");
    assert!(query(&reqs[2].target).contains(&("before".into(), "m2".into())));
}

#[tokio::test]
async fn paging_oldest_first_continues_with_after_the_last_id() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, &page(&["m1", "m2"])));
    s.push(Reply::json(200, &page(&[])));
    let c = client(&s);
    let items: Vec<_> = c
        .agents()
        .list_messages("agent-1")
        .order(ListMessagesOrder::Asc)
        .limit(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    let reqs = s.requests();
    assert_eq!(reqs.len(), 2, "an empty page ends the walk");
    let second = query(&reqs[1].target);
    assert!(
        second.contains(&("order".into(), "asc".into())),
        "{second:?}"
    );
    assert!(
        second.contains(&("after".into(), "m2".into())),
        "{second:?}"
    );
    assert!(!second.iter().any(|(k, _)| k == "before"), "{second:?}");
}

#[tokio::test]
async fn chronological_cursors_page_backwards_with_before_the_last_id() {
    // Run messages compare sequence ids too, but keep the order asked for within a page.
    let s = MockServer::start().await;
    s.push(Reply::json(200, &page(&["b2", "b1"])));
    s.push(Reply::json(200, &page(&[])));
    let items: Vec<_> = client(&s)
        .runs()
        .list_messages_for_run("run-1")
        .order(letta_api::models::ListMessagesForRunOrder::Desc)
        .limit(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(query(&s.requests()[1].target).contains(&("before".into(), "b1".into())));
}

#[tokio::test]
async fn lists_whose_cursor_follows_the_order_page_with_after_even_newest_first() {
    // Blocks (like most 0.16.8 lists) continue in the order asked for: `after=<last id>` either way.
    let block =
        |id: &str| serde_json::json!({"id": id, "value": "v", "label": "human", "limit": 100});
    let s = MockServer::start().await;
    s.push(Reply::json(
        200,
        &serde_json::json!([block("block-2"), block("block-1")]).to_string(),
    ));
    s.push(Reply::json(200, "[]"));
    let items: Vec<_> = client(&s)
        .blocks()
        .list_blocks()
        .order(letta_api::models::ListBlocksOrder::Desc)
        .limit(2)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    let second = query(&s.requests()[1].target);
    assert!(
        second.contains(&("after".into(), "block-1".into())),
        "{second:?}"
    );
    assert!(
        second.contains(&("order".into(), "desc".into())),
        "{second:?}"
    );
    assert!(!second.iter().any(|(k, _)| k == "before"), "{second:?}");
}

#[tokio::test]
async fn lists_with_swapped_cursors_page_with_before_in_either_order() {
    // Letta 0.16.8's run lists swap the cursor names (the profile says so): `before` continues.
    let run = |id: &str| serde_json::json!({"id": id, "agent_id": "agent-1"});
    for order in [
        None,
        Some(letta_api::models::ListRunsOrder::Asc),
        Some(letta_api::models::ListRunsOrder::Desc),
    ] {
        let s = MockServer::start().await;
        s.push(Reply::json(
            200,
            &serde_json::json!([run("run-2"), run("run-1")]).to_string(),
        ));
        s.push(Reply::json(200, "[]"));
        let c = client(&s);
        let mut b = c.runs().list_runs().limit(2);
        if let Some(o) = order.clone() {
            b = b.order(o);
        }
        let items: Vec<_> = b.into_stream().collect().await;
        assert_eq!(items.len(), 2, "{order:?}: {items:?}");
        let second = query(&s.requests()[1].target);
        assert!(
            second.contains(&("before".into(), "run-1".into())),
            "{order:?}: {second:?}"
        );
        assert!(
            !second.iter().any(|(k, _)| k == "after"),
            "{order:?}: {second:?}"
        );
    }
}
