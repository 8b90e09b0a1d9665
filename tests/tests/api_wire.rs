//! Wire tests through the generated operations (not the raw runtime): what each call puts on the wire
//! and how responses come back, against a scripted mock server on 127.0.0.1.

use std::time::Duration;

use futures_util::StreamExt;
use letta_api_0_7::apis::StreamEvent;
use letta_api_0_7::models::{
    BodyUploadFileToSource, CreateBlock, LettaMessageUnion, LettaStreamingRequest, MessageCreate,
    MessageCreateRole,
};
use letta_api_0_7::request::FilePart;
use letta_api_0_7::{Client, Error};
use tests::mock::{MockServer, Reply};

const TOKEN: &str = "sk-let-wire-secret-0042";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .token(TOKEN)
        .header("X-Project", "wire-tests")
        .initial_retry_delay(Duration::from_millis(5))
        .max_retry_delay(Duration::from_millis(20))
        .build()
        .expect("client")
}

fn agent_json(id: &str) -> String {
    let template = tests::data("letta-0.7.10/agent_state.json");
    let mut v: serde_json::Value = serde_json::from_str(&template).expect("json");
    v["id"] = serde_json::Value::String(id.into());
    v.to_string()
}

#[tokio::test]
async fn path_parameters_are_one_encoded_segment_and_keep_the_trailing_slash() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, &agent_json("agent-1")));
    let c = client(&s);
    let agent = c
        .agents()
        .retrieve_agent("a b/c?d#e%f")
        .send()
        .await
        .expect("retrieve");
    assert_eq!(agent.id, "agent-1");
    let reqs = s.requests();
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].target, "/v1/agents/a%20b%2Fc%3Fd%23e%25f");
    // A spec path with a trailing slash keeps it exactly.
    s.push(Reply::json(200, "[]"));
    c.agents().list_agents().send().await.expect("list");
    assert_eq!(s.requests()[1].path(), "/v1/agents/");
}

#[tokio::test]
async fn dot_segments_and_empty_values_are_rejected_before_any_io() {
    let s = MockServer::start().await;
    let c = client(&s);
    for bad in [".", "..", ""] {
        let err = c
            .agents()
            .retrieve_agent(bad)
            .send()
            .await
            .expect_err("rejected");
        assert!(matches!(err, Error::InvalidRequest(_)), "{bad:?}: {err:?}");
        assert!(
            err.to_string().contains("agent_id"),
            "names the parameter: {err}"
        );
    }
    assert!(s.requests().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn query_arrays_repeat_keys_and_headers_are_sent() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, "[]"));
    let c = client(&s);
    c.agents()
        .list_agents()
        .tags(vec!["red".into(), "blue green".into()])
        .match_all_tags(true)
        .limit(5)
        .user_id("user-9")
        .send()
        .await
        .expect("list");
    let r = &s.requests()[0];
    let query = r.target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let pairs: Vec<&str> = query.split('&').collect();
    assert!(pairs.contains(&"tags=red"), "{query}");
    assert!(
        pairs.contains(&"tags=blue+green") || pairs.contains(&"tags=blue%20green"),
        "{query}"
    );
    assert!(
        pairs.contains(&"match_all_tags=true") && pairs.contains(&"limit=5"),
        "{query}"
    );
    assert_eq!(r.header("user_id"), Some("user-9"));
    assert_eq!(r.header("x-project"), Some("wire-tests"));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn json_bodies_are_sent_as_typed_and_omit_absent_fields() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, &tests::data("letta-0.7.10/block.json")));
    // An explicit null.
    let body = CreateBlock::new("I like tea", "human").with_description_null();
    client(&s)
        .blocks()
        .create_block(body)
        .send()
        .await
        .expect("create");
    let r = &s.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.header("content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&r.body).expect("json body");
    assert_eq!(sent["value"], "I like tea");
    assert_eq!(sent["label"], "human");
    assert!(
        sent.get("description")
            .is_some_and(serde_json::Value::is_null),
        "explicit null is sent: {sent}"
    );
    assert!(sent.get("name").is_none(), "absent stays absent: {sent}");
    assert_eq!(sent["limit"], 5000, "spec defaults are honoured: {sent}");
}

#[tokio::test]
async fn multipart_upload_sends_the_file_and_its_name() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, &tests::data("letta-0.7.10/job.json")));
    let file = FilePart::new(b"Rust is a language.".to_vec())
        .file_name("notes.txt")
        .mime("text/plain");
    let job = client(&s)
        .sources()
        .upload_file_to_source("source-1", BodyUploadFileToSource::new(file))
        .send()
        .await
        .expect("upload");
    assert!(job.id.as_deref().is_some_and(|id| id.starts_with("job-")));
    let r = &s.requests()[0];
    assert_eq!(r.target, "/v1/sources/source-1/upload");
    assert!(
        r.header("content-type")
            .expect("content-type")
            .starts_with("multipart/form-data; boundary=")
    );
    let body = String::from_utf8_lossy(&r.body);
    assert!(
        body.contains(r#"name="file"; filename="notes.txt""#),
        "{body}"
    );
    assert!(body.contains("Rust is a language."), "{body}");
}

#[tokio::test]
async fn a_422_is_a_typed_validation_error() {
    let s = MockServer::start().await;
    s.push(Reply::json(
        422,
        &tests::data("letta-0.7.10/validation_error_422.json"),
    ));
    let err = client(&s)
        .blocks()
        .create_block(CreateBlock::new("v", "l"))
        .send()
        .await
        .expect_err("422");
    let api = err.api_error().expect("api error");
    assert_eq!(api.status().as_u16(), 422);
    let typed = api.validation_error().expect("typed body");
    assert_eq!(typed.detail.expect("detail")[0].msg, "Field required");
    assert!(err.detail().expect("detail").contains("Field required"));
}

#[tokio::test]
async fn a_404_keeps_status_and_detail() {
    let s = MockServer::start().await;
    s.push(Reply::json(
        404,
        &tests::data("letta-0.7.10/not_found_404.json"),
    ));
    let err = client(&s)
        .agents()
        .retrieve_agent("agent-missing")
        .send()
        .await
        .expect_err("404");
    assert!(err.is_not_found());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(
        err.detail().is_some_and(|d| d.contains("not found")),
        "{err}"
    );
}

#[tokio::test]
async fn a_proxy_html_502_is_a_readable_error() {
    let s = MockServer::start().await;
    for _ in 0..3 {
        s.push(
            Reply::new(502)
                .header("content-type", "text/html")
                .body("<html><body>Bad Gateway</body></html>"),
        );
    }
    let err = client(&s)
        .health()
        .health_check()
        .send()
        .await
        .expect_err("502");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.to_string().contains("502"), "{err}");
    assert_eq!(s.requests().len(), 3, "a GET is retried twice by default");
}

#[tokio::test]
async fn post_is_not_retried_by_default_but_can_opt_in() {
    let s = MockServer::start().await;
    s.push(Reply::new(503));
    let c = client(&s);
    let body = || CreateBlock::new("v", "l");
    assert!(c.blocks().create_block(body()).send().await.is_err());
    assert_eq!(s.requests().len(), 1, "POST sent once");
    s.push(Reply::new(503))
        .push(Reply::json(200, &tests::data("letta-0.7.10/block.json")));
    c.blocks()
        .create_block(body())
        .retry_non_idempotent(true)
        .send()
        .await
        .expect("retried");
    assert_eq!(s.requests().len(), 3);
}

#[tokio::test]
async fn auto_paging_walks_three_pages_of_a_list_operation() {
    let s = MockServer::start().await;
    let page = |ids: &[&str]| {
        format!(
            "[{}]",
            ids.iter()
                .map(|id| agent_json(id))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    s.push(Reply::json(200, &page(&["agent-a", "agent-b"])))
        .push(Reply::json(200, &page(&["agent-c", "agent-d"])))
        .push(Reply::json(200, &page(&["agent-e"])));
    let c = client(&s);
    let ids: Vec<String> = c
        .agents()
        .list_agents()
        .limit(2)
        .into_stream()
        .map(|a| a.expect("item").id)
        .collect()
        .await;
    assert_eq!(ids, ["agent-a", "agent-b", "agent-c", "agent-d", "agent-e"]);
    let targets: Vec<String> = s.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/agents/?limit=2",
            "/v1/agents/?after=agent-b&limit=2",
            "/v1/agents/?after=agent-d&limit=2"
        ]
    );
}

#[tokio::test]
async fn paging_over_a_message_union_reads_each_members_id() {
    let s = MockServer::start().await;
    let list = tests::data("letta-0.7.10/messages_list.json");
    let all: Vec<serde_json::Value> = serde_json::from_str(&list).expect("json");
    assert!(all.len() >= 3);
    let last_id = all[1]["id"].as_str().expect("id").to_string();
    s.push(Reply::json(
        200,
        &serde_json::to_string(&all[..2]).expect("json"),
    ))
    .push(Reply::json(200, "[]"));
    let got: Vec<LettaMessageUnion> = client(&s)
        .agents()
        .list_messages("agent-1")
        .limit(2)
        .into_stream()
        .map(|m| m.expect("message"))
        .collect()
        .await;
    assert_eq!(got.len(), 2);
    assert!(
        s.requests()[1].target.contains(&format!("after={last_id}")),
        "{:?}",
        s.requests()[1].target
    );
}

fn stream_request() -> LettaStreamingRequest {
    LettaStreamingRequest::new(vec![MessageCreate::new(
        MessageCreateRole::User,
        String::from("hi"),
    )])
}

#[tokio::test]
async fn streaming_yields_typed_events_in_order_and_ends_at_done() {
    let s = MockServer::start().await;
    let captured = tests::data("letta-0.7.10/stream.txt");
    let mut chunks: Vec<String> = vec![": ping\n\n".into(), "event: ping\ndata: {}\n\n".into()];
    chunks.extend(captured.split_inclusive("\n\n").map(String::from));
    chunks.insert(
        3,
        "data: {\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}\n\n".into(),
    );
    let refs: Vec<&str> = chunks.iter().map(String::as_str).collect();
    s.push(Reply::sse(&refs));
    let mut events = client(&s)
        .agents()
        .create_agent_message_stream("agent-1", stream_request())
        .send()
        .await
        .expect("stream");
    let mut kinds = Vec::new();
    while let Some(event) = events.next().await {
        kinds.push(match event.expect("event") {
            StreamEvent::Message(LettaMessageUnion::ReasoningMessage(_)) => "reasoning",
            StreamEvent::Message(LettaMessageUnion::AssistantMessage(_)) => "assistant",
            StreamEvent::Message(_) => "other message",
            StreamEvent::Usage(_) => "usage",
            StreamEvent::Unknown(_) => "unknown",
            _ => "other event",
        });
    }
    assert_eq!(kinds, ["reasoning", "unknown", "assistant", "usage"]);
    let r = &s.requests()[0];
    assert_eq!(r.target, "/v1/agents/agent-1/messages/stream");
    assert_eq!(r.header("accept"), Some("text/event-stream"));
}

#[tokio::test]
async fn a_stream_cut_before_done_is_an_error_and_error_events_surface() {
    let s = MockServer::start().await;
    let first = "data: {\"message_type\":\"reasoning_message\",\"id\":\"m1\",\"date\":\"2026-11-30T03:25:50\",\"reasoning\":\"hm\"}\n\n";
    s.push(Reply::sse(&[first]).body(first));
    let c = client(&s);
    let results: Vec<Result<StreamEvent, Error>> = c
        .agents()
        .create_agent_message_stream("agent-1", stream_request())
        .send()
        .await
        .expect("stream")
        .collect()
        .await;
    assert!(results[0].is_ok(), "{results:?}");
    assert!(
        matches!(results.last(), Some(Err(Error::Stream(_)))),
        "truncation is an error: {results:?}"
    );

    s.push(Reply::sse(&[
        "data: {\"error\":\"Stream failed (internal error occurred)\"}\n\n",
        "data: [DONE]\n\n",
    ]));
    let results: Vec<Result<StreamEvent, Error>> = c
        .agents()
        .create_agent_message_stream("agent-1", stream_request())
        .send()
        .await
        .expect("stream")
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    let err = results[0].as_ref().expect_err("error event");
    assert!(err.to_string().contains("Stream failed"), "{err}");
}

#[tokio::test]
async fn the_token_never_shows_in_debug_or_errors() {
    let s = MockServer::start().await;
    s.push(Reply::json(401, r#"{"detail":"bad token"}"#));
    let c = client(&s);
    assert!(!format!("{c:?}").contains(TOKEN));
    let builder = c.agents().retrieve_agent("agent-1");
    assert!(!format!("{builder:?}").contains(TOKEN));
    let err = builder.send().await.expect_err("401");
    assert!(!format!("{err:?}").contains(TOKEN) && !err.to_string().contains(TOKEN));
}
