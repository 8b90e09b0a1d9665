//! The Letta 0.16.8 SDK decodes what the real server sends: responses captured from it by
//! `tests/live/capture_016.py` into `tests/data/letta-0.16.8/`, decoded strictly into their models, and the
//! captured event streams replayed byte for byte through `send_message(..).stream()`.

use futures_util::StreamExt;
use letta_api::apis::StreamEvent;
use letta_api::error::StreamError;
use letta_api::models as m;
use letta_api::{Client, Error};
use serde::de::DeserializeOwned;
use tests::mock::{MockServer, Reply};

/// Decodes strictly: a decode error fails with the JSON path.
fn decode<T: DeserializeOwned>(file: &str) -> T {
    let text = tests::data(&format!("letta-0.16.8/{file}"));
    let de = &mut serde_json::Deserializer::from_str(&text);
    match serde_path_to_error::deserialize(de) {
        Ok(v) => v,
        Err(e) => panic!("{file}: cannot decode at `{}`: {}", e.path(), e.inner()),
    }
}

#[test]
fn captured_responses_decode_into_their_models() {
    let agent: m::AgentState = decode("agent_state.json");
    assert!(agent.id.starts_with("agent-"));
    let agents: Vec<m::AgentState> = decode("agents_list.json");
    assert!(!agents.is_empty());
    let reply: m::LettaResponse = decode("letta_response.json");
    assert!(
        reply
            .messages
            .iter()
            .any(|msg| matches!(msg, m::LettaMessageUnion::AssistantMessage(_)))
    );
    let with_tool: m::LettaResponse = decode("letta_response_tool.json");
    assert!(!with_tool.messages.is_empty());
    let messages: Vec<m::LettaMessageUnion> = decode("messages_list.json");
    assert!(
        messages
            .iter()
            .all(|msg| !matches!(msg, m::LettaMessageUnion::Unknown(_))),
        "every message kind is known"
    );
    let _: m::LettaMessageUnion = decode("message.json");
    let _: m::Block = decode("block.json");
    let _: Vec<m::Block> = decode("blocks_list.json");
    let _: m::Tool = decode("tool.json");
    let _: Vec<m::Tool> = decode("tools_list.json");
    let _: m::Archive = decode("archive.json");
    let _: m::Folder = decode("folder.json");
    let _: m::FileMetadata = decode("file_upload.json");
    let _: m::FileMetadata = decode("file_metadata.json");
    let health: m::Health = decode("health.json");
    assert_eq!(health.version, "0.16.8");
    // The export operation is declared a string but answers an agent file; the overlay
    // spec/letta-0.16.8/overlays/export-agent-file.yaml makes it return `AgentFileSchema`.
    let _: m::AgentFileSchema = decode("agent_export.json");
    // A 422's `detail` is one string in 0.16.8 (overlays/validation-error-detail.yaml).
    let v: m::HttpValidationError = decode("validation_error_422.json");
    assert!(
        matches!(&v.detail, Some(m::HttpValidationErrorDetail::String(s)) if s.contains("'loc': ('body', 'label')")),
        "{v:?}"
    );
    assert_eq!(v.trace_id.as_deref(), Some(""));
    // The list FastAPI's default handler sends still decodes.
    let list: m::HttpValidationError = serde_json::from_str(
        r#"{"detail": [{"loc": ["body", "label"], "msg": "Input should be a valid string", "type": "string_type"}]}"#,
    )
    .expect("the declared shape decodes");
    assert!(
        matches!(&list.detail, Some(m::HttpValidationErrorDetail::ValidationErrorList(l)) if l.len() == 1),
        "{list:?}"
    );
}

fn client(s: &MockServer) -> Client {
    Client::builder()
        .base_url(s.url())
        .max_retries(0)
        .build()
        .expect("client")
}

async fn replay(file: &str) -> Vec<Result<StreamEvent, Error>> {
    let body = tests::data(&format!("letta-0.16.8/{file}"));
    let s = MockServer::start().await;
    // In small chunks, as a server flushes them.
    let chunks: Vec<String> = body
        .as_bytes()
        .chunks(97)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let refs: Vec<&str> = chunks.iter().map(String::as_str).collect();
    // Chunks split on byte boundaries must stay valid UTF-8 for the mock: the captures are ASCII.
    assert!(body.is_ascii(), "{file} is ASCII");
    s.push(Reply::sse(&refs));
    client(&s)
        .agents()
        .send_message("agent-1", m::LettaStreamingRequest::default())
        .stream()
        .await
        .expect("stream")
        .collect()
        .await
}

#[tokio::test]
async fn captured_streams_decode_every_event_kind_typed() {
    for file in [
        "stream.txt",
        "stream_tokens.txt",
        "stream_tool.txt",
        "stream_no_pings.txt",
    ] {
        let events = replay(file).await;
        let ok: Vec<&StreamEvent> = events
            .iter()
            .map(|e| e.as_ref().unwrap_or_else(|err| panic!("{file}: {err:?}")))
            .collect();
        assert!(
            !ok.iter().any(|e| matches!(e, StreamEvent::Unknown(_))),
            "{file}: every event is typed: {ok:?}"
        );
        assert!(
            ok.iter().any(|e| matches!(e, StreamEvent::Message(_))),
            "{file}"
        );
        assert!(
            ok.iter().any(|e| matches!(e, StreamEvent::StopReason(_))),
            "{file}"
        );
        assert!(
            ok.iter().any(|e| matches!(e, StreamEvent::Usage(_))),
            "{file}"
        );
    }
    let pings = replay("stream.txt").await;
    assert!(
        pings.iter().any(|e| matches!(e, Ok(StreamEvent::Ping(_)))),
        "pings are typed"
    );
}

#[tokio::test]
async fn a_captured_error_stream_ends_in_the_error_event() {
    let events = replay("stream_error.txt").await;
    let last = events.last().expect("events");
    match last {
        Err(Error::Stream(se @ StreamError::ErrorEvent { .. })) => {
            let json = se.error_json().expect("JSON");
            assert_eq!(json["message_type"], "error_message");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Ok(StreamEvent::StopReason(r)) if r.stop_reason == m::StopReasonType::LlmApiError))
    );
}
