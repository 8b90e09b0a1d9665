//! The generated models decode what the real Letta 0.7.10 server sends (responses captured by
//! `tests/live/capture.py` into `tests/data/letta-0.7.10/`) and round-trip it.

use letta_api_0_7::apis::StreamEvent;
use letta_api_0_7::models::{
    AgentState, Block, HttpValidationError, Job, LettaMessageUnion, LettaResponse, Passage, Source,
    Tool,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes strictly: a decode error fails with the JSON path.
fn decode<T: DeserializeOwned>(file: &str) -> T {
    let text = tests::data(&format!("letta-0.7.10/{file}"));
    let de = &mut serde_json::Deserializer::from_str(&text);
    match serde_path_to_error::deserialize(de) {
        Ok(v) => v,
        Err(e) => panic!("{file}: cannot decode at `{}`: {}", e.path(), e.inner()),
    }
}

/// JSON without `null` members (absent and null mean the same for response fields).
fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// Decode → encode gives the same JSON (modulo nulls), and decoding the encoding gives an equal value.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(file: &str) -> T {
    let value: T = decode(file);
    let original: Value =
        serde_json::from_str(&tests::data(&format!("letta-0.7.10/{file}"))).expect("json");
    let encoded = serde_json::to_value(&value).expect("encode");
    assert_eq!(
        strip_nulls(encoded.clone()),
        strip_nulls(original),
        "{file}: re-encoding changes the JSON"
    );
    let again: T = serde_json::from_value(encoded).expect("decode the encoding");
    assert_eq!(again, value, "{file}: decode(encode(x)) != x");
    value
}

#[test]
fn agent_state() {
    let agent: AgentState = round_trip("agent_state.json");
    assert!(agent.id.starts_with("agent-"));
    assert!(!agent.tools.is_empty());
    assert!(!agent.memory.blocks.is_empty());
    let agents: Vec<AgentState> = round_trip("agents_list.json");
    assert!(!agents.is_empty());
}

#[test]
fn blocks_tools_sources_jobs_passages() {
    let block: Block = round_trip("block.json");
    assert!(!block.value.is_empty());
    let _: Vec<Block> = round_trip("blocks_list.json");
    let tool: Tool = round_trip("tool.json");
    assert!(
        tool.source_code
            .as_deref()
            .is_some_and(|s| s.contains("def "))
    );
    let _: Vec<Tool> = round_trip("tools_list.json");
    let _: Source = round_trip("source.json");
    let job: Job = round_trip("job.json");
    assert_eq!(job.status.as_str(), "completed", "{:?}", job.status);
    let passages: Vec<Passage> = round_trip("passages_list.json");
    assert!(!passages.is_empty());
}

#[test]
fn messages_decode_into_known_variants() {
    let message: LettaMessageUnion = round_trip("message.json");
    assert!(
        matches!(message, LettaMessageUnion::AssistantMessage(_)),
        "{message:?}"
    );
    let list: Vec<LettaMessageUnion> = round_trip("messages_list.json");
    assert!(!list.is_empty());
    for m in &list {
        assert!(
            !matches!(m, LettaMessageUnion::Unknown(_)),
            "a known message type decoded as Unknown: {m:?}"
        );
    }
    // Every member of the message union has an `id`, so the union has an accessor (also used for paging).
    let original: Vec<Value> =
        serde_json::from_str(&tests::data("letta-0.7.10/messages_list.json")).unwrap();
    for (m, raw) in list.iter().zip(&original) {
        assert_eq!(m.id(), raw["id"].as_str());
    }
    let response: LettaResponse = round_trip("letta_response.json");
    assert!(
        response
            .messages
            .iter()
            .any(|m| matches!(m, LettaMessageUnion::AssistantMessage(_)))
    );
    assert!(
        response
            .messages
            .iter()
            .any(|m| matches!(m, LettaMessageUnion::ReasoningMessage(_)))
    );
    assert!(response.usage.total_tokens > 0);
}

#[test]
fn naive_and_offset_timestamps_both_decode_and_keep_their_form() {
    let agent: AgentState = decode("agent_state.json");
    let created = agent.created_at.expect("created_at");
    let text = serde_json::to_value(created).expect("encode");
    let original: Value =
        serde_json::from_str(&tests::data("letta-0.7.10/agent_state.json")).expect("json");
    assert_eq!(text, original["created_at"], "the server's form is kept");
    let message: LettaMessageUnion = decode("message.json");
    let LettaMessageUnion::AssistantMessage(m) = message else {
        panic!()
    };
    assert!(m.date.to_utc().timestamp() > 1_700_000_000);
}

#[test]
fn validation_error_body_is_typed() {
    // FastAPI adds an `input` member the spec does not declare: it is ignored, the rest is typed.
    let v: HttpValidationError = decode("validation_error_422.json");
    let detail = v.detail.expect("detail");
    assert_eq!(detail.len(), 2);
    assert_eq!(detail[0].type_, "missing");
    assert_eq!(detail[0].msg, "Field required");
}

#[test]
fn captured_stream_events_are_typed() {
    let text = tests::data("letta-0.7.10/stream.txt");
    let events: Vec<StreamEvent> = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap_or_else(|e| panic!("{d}: {e}")))
        .collect();
    assert!(
        matches!(
            events.first(),
            Some(StreamEvent::Message(LettaMessageUnion::ReasoningMessage(_)))
        ),
        "{events:?}"
    );
    assert!(events.iter().any(|e| matches!(
        e,
        StreamEvent::Message(LettaMessageUnion::AssistantMessage(_))
    )));
    assert!(
        matches!(events.last(), Some(StreamEvent::Usage(u)) if u.total_tokens > 0),
        "{events:?}"
    );
}

#[test]
fn unknown_values_from_a_newer_server_are_kept() {
    let json =
        r#"{"message_type":"approval_request_message","id":"m1","date":"2026-01-01T00:00:00Z"}"#;
    let m: LettaMessageUnion = serde_json::from_str(json).expect("unknown member decodes");
    let LettaMessageUnion::Unknown(raw) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(raw["message_type"], "approval_request_message");
    assert_eq!(
        serde_json::to_string(&m).expect("encode"),
        serde_json::to_string(raw).expect("encode")
    );
    let status: letta_api_0_7::models::JobStatus =
        serde_json::from_str("\"paused_for_review\"").expect("unknown enum value");
    assert_eq!(
        status,
        letta_api_0_7::models::JobStatus::Unknown("paused_for_review".into())
    );
    assert_eq!(
        serde_json::to_string(&status).expect("encode"),
        "\"paused_for_review\""
    );
    let event: StreamEvent =
        serde_json::from_str(r#"{"message_type":"stop_reason","stop_reason":"end_turn"}"#)
            .expect("event");
    assert!(matches!(event, StreamEvent::Unknown(_)));
    // Extra fields are ignored.
    let block: Block =
        serde_json::from_str(r#"{"value":"v","label":"human","brand_new_field":[1,2]}"#)
            .expect("extra field");
    assert_eq!(block.value, "v");
}

#[test]
fn const_tags_are_fixed_values() {
    use letta_api_0_7::models::SystemMessageMessageType;
    assert_eq!(
        serde_json::to_string(&SystemMessageMessageType).expect("encode"),
        "\"system_message\""
    );
    assert!(serde_json::from_str::<SystemMessageMessageType>("\"user_message\"").is_err());
}

/// String enums compare, hash and order by their wire value, so the order of the variants (which a new
/// value may change) is invisible, and a value spelled as `Unknown` is the variant it names.
#[test]
fn string_enums_compare_and_order_by_wire_value() {
    use letta_api_0_7::models::MessageRole;
    use std::collections::BTreeSet;
    assert_eq!(MessageRole::Unknown("user".into()), MessageRole::User);
    assert_ne!(MessageRole::Unknown("robot".into()), MessageRole::User);
    let sorted: Vec<String> = [
        MessageRole::User,
        MessageRole::Assistant,
        MessageRole::Unknown("developer".into()),
        MessageRole::Tool,
        MessageRole::System,
    ]
    .into_iter()
    .collect::<BTreeSet<_>>()
    .iter()
    .map(|r| r.as_str().to_string())
    .collect();
    assert_eq!(sorted, ["assistant", "developer", "system", "tool", "user"]);
    let mut hashed = std::collections::HashSet::new();
    hashed.insert(MessageRole::User);
    assert!(hashed.contains(&MessageRole::Unknown("user".into())));
}

/// Sent types are built with `new`/`default` and `with_*` setters; a nullable optional request field
/// tells "not sent" from "sent as null" from a value, on the wire.
#[test]
fn request_types_are_built_with_setters_and_nullable_fields() {
    use letta_api_0_7::Nullable;
    use letta_api_0_7::models::{CreateBlock, UpdateAgent};
    let block = CreateBlock::new("I like tea", "human")
        .with_limit(100)
        .with_description("likes");
    let v = serde_json::to_value(&block).expect("encode");
    assert_eq!(v["value"], "I like tea");
    assert_eq!(v["label"], "human");
    assert_eq!(v["limit"], 100);
    assert_eq!(v["description"], "likes");
    assert!(
        v.get("name").is_none(),
        "an unset nullable field is not sent: {v}"
    );
    let cleared =
        serde_json::to_value(UpdateAgent::default().with_description_null()).expect("encode");
    assert_eq!(cleared, serde_json::json!({"description": null}));
    let kept = serde_json::to_value(UpdateAgent::new()).expect("encode");
    assert_eq!(kept, serde_json::json!({}));
    assert_eq!(UpdateAgent::new(), UpdateAgent::default());
    let round: UpdateAgent =
        serde_json::from_value(serde_json::json!({"name": null})).expect("decode");
    assert_eq!(round.name, Nullable::Null);
    assert!(round.description.is_absent());
}
