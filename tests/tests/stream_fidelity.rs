//! What a user of the generated API gets from a server-sent event stream in each case the WHATWG rules
//! decide (issue: streams and errors that lose nothing), through `letta-api`'s `send_message(..).stream()`
//! against a scripted server on 127.0.0.1.

use std::time::Duration;

use futures_util::StreamExt;
use letta_api::apis::StreamEvent;
use letta_api::error::StreamError;
use letta_api::models::LettaStreamingRequest;
use letta_api::{Client, Error};
use tests::mock::{MockServer, Reply};

const EVENT: &str = r#"{"message_type":"assistant_message","id":"message-1","date":"2026-11-30T03:25:50Z","content":"hi"}"#;

fn client(s: &MockServer) -> Client {
    Client::builder()
        .base_url(s.url())
        .stream_idle_timeout(Duration::from_millis(1500))
        .max_retries(0)
        .build()
        .expect("client")
}

async fn events(s: &MockServer) -> Vec<Result<StreamEvent, Error>> {
    client(s)
        .agents()
        .send_message("agent-1", LettaStreamingRequest::default())
        .stream()
        .await
        .expect("stream opens")
        .collect()
        .await
}

fn is_message(item: &Result<StreamEvent, Error>) -> bool {
    matches!(item, Ok(StreamEvent::Message(_)))
}

#[tokio::test]
async fn a_leading_bom_loses_no_event() {
    let s = MockServer::start().await;
    s.push(Reply::sse(&[
        &format!("\u{FEFF}data: {EVENT}\n\n"),
        "data: [DONE]\n\n",
    ]));
    let got = events(&s).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(is_message(&got[0]), "{got:?}");
}

#[tokio::test]
async fn a_cr_only_stream_yields_each_event_as_soon_as_it_is_complete() {
    // The event's last CR is the last byte before the server goes quiet. A decoder that waited for a
    // possible LF would hold the event back until the idle timeout and then lose it.
    let s = MockServer::start().await;
    s.push(
        Reply::sse(&[&format!("data: {EVENT}\r\r")])
            .chunk(Duration::from_secs(5), "data: [DONE]\r\r"),
    );
    let got = events(&s).await;
    assert!(is_message(&got[0]), "the event arrives first: {got:?}");
    assert!(
        matches!(&got[1], Err(Error::Stream(StreamError::IdleTimeout(_)))),
        "{got:?}"
    );
    assert_eq!(got.len(), 2);
}

#[tokio::test]
async fn an_incomplete_last_event_is_one_clear_truncation_error() {
    let s = MockServer::start().await;
    s.push(Reply::sse(&[
        &format!("data: {EVENT}\n\n"),
        "data: {\"message_type\"",
    ]));
    let got = events(&s).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(is_message(&got[0]));
    assert!(
        matches!(&got[1], Err(Error::Stream(StreamError::Truncated))),
        "no decode error for the discarded partial event: {got:?}"
    );
}

#[tokio::test]
async fn a_body_cut_off_mid_transfer_says_so_and_keeps_the_cause() {
    let s = MockServer::start().await;
    let first = format!("data: {EVENT}\n\n");
    s.push(Reply::sse(&[&first, "data: {\"mess"]).cut());
    let got = events(&s).await;
    assert!(is_message(&got[0]), "{got:?}");
    let Err(err) = &got[1] else { panic!("{got:?}") };
    let Error::BodyCutOff { received, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(*received as usize, first.len() + "data: {\"mess".len());
    assert!(
        err.to_string().starts_with(&format!(
            "the response body was cut off after {received} bytes"
        )),
        "{err}"
    );
    assert!(
        std::error::Error::source(err).is_some(),
        "the transport error is the source"
    );
    assert_eq!(got.len(), 2);
}

#[tokio::test]
async fn a_json_body_cut_off_mid_transfer_says_so_too() {
    let s = MockServer::start().await;
    s.push(
        Reply::new(200)
            .header("content-type", "application/json")
            .chunk(Duration::ZERO, "{\"messages\": [")
            .cut(),
    );
    let err = client(&s)
        .agents()
        .send_message("agent-1", LettaStreamingRequest::default())
        .send()
        .await
        .expect_err("cut off");
    assert!(
        matches!(err, Error::BodyCutOff { received: 14, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_endless_line_is_refused_with_a_size_error() {
    // 17 MB without a line end: the decoder scans each byte once and stops at its 16 MiB limit.
    let s = MockServer::start().await;
    let chunk = "x".repeat(64 * 1024);
    let mut reply = Reply::sse(&["data: "]);
    for _ in 0..(17 * 16) {
        reply = reply.chunk(Duration::ZERO, &chunk);
    }
    s.push(reply);
    let got = events(&s).await;
    assert_eq!(got.len(), 1);
    assert!(
        matches!(&got[0], Err(Error::Stream(StreamError::TooLarge { .. }))),
        "{:?}",
        got[0].as_ref().err()
    );
}

/// One decoder serves every stream operation of both SDKs: the runtime file is the same in each.
#[test]
fn both_sdks_carry_the_same_stream_decoder() {
    let read = |name: &str| {
        let path = tests::repo_root()
            .join("generated")
            .join(name)
            .join("src/stream.rs");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Without the header lines, which name the spec and its overlays (up to "Do not edit").
        let lines: Vec<&str> = text.lines().collect();
        let body = lines
            .iter()
            .position(|l| l.starts_with("// Do not edit"))
            .map_or(0, |i| i + 1);
        lines[body..].join("\n")
    };
    let source = std::fs::read_to_string(tests::repo_root().join("generator/runtime/stream.rs"))
        .expect("runtime source");
    assert_eq!(read("letta-0.7.10"), read("letta-0.16.8"));
    assert_eq!(
        read("letta-0.16.8").trim(),
        source.trim(),
        "emitted verbatim, comments kept"
    );
}
