//! How tagged unions (and `StreamEvent`) decode: the tag picks the member; a known tag whose member fails
//! is an error naming the path; an unknown or missing tag (or JSON that is not an object) is `Unknown` with
//! the raw JSON. The same from text, from a `serde_json::Value`, and inside `#[serde(untagged)]` enums.

use letta_api_0_7::apis::StreamEvent;
use letta_api_0_7::models::{AgentState, LettaMessageUnion};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes as the SDK does: with `serde_path_to_error`; the error as `path: message`.
fn tracked<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| format!("{}: {}", e.path(), e.inner()))
}

/// Decodes the text, the same text through a `Value`, and tracked; all three agree.
fn all_ways<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
    text: &str,
) -> Result<T, Vec<String>> {
    let plain = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
    let value: Value = serde_json::from_str(text).expect("json");
    let from_value = serde_json::from_value::<T>(value).map_err(|e| e.to_string());
    let with_path = tracked::<T>(text);
    match (plain, from_value, with_path) {
        (Ok(a), Ok(b), Ok(c)) => {
            assert_eq!(a, b);
            assert_eq!(a, c);
            Ok(a)
        }
        (a, b, c) => {
            assert!(
                a.is_err() && b.is_err() && c.is_err(),
                "ways disagree: {a:?} / {b:?} / {c:?}"
            );
            Err(vec![a.unwrap_err(), b.unwrap_err(), c.unwrap_err()])
        }
    }
}

const ASSISTANT: &str = r#"{"id":"m1","date":"2026-11-30T03:25:50","name":null,"message_type":"assistant_message","otid":null,"content":"hi"}"#;

#[test]
fn the_tag_picks_the_member_wherever_it_stands() {
    let m: LettaMessageUnion = all_ways(ASSISTANT).expect("decodes");
    let LettaMessageUnion::AssistantMessage(a) = &m else {
        panic!("{m:?}")
    };
    assert_eq!(a.id, "m1");
    // Tag first, tag last, tag alone in the middle: the same value.
    for text in [
        r#"{"message_type":"assistant_message","id":"m1","date":"2026-11-30T03:25:50","content":"hi"}"#,
        r#"{"id":"m1","date":"2026-11-30T03:25:50","content":"hi","message_type":"assistant_message"}"#,
    ] {
        assert_eq!(all_ways::<LettaMessageUnion>(text).expect("decodes"), m);
    }
    // Re-encoding gives the original JSON (modulo the null members the SDK leaves out).
    let back = serde_json::to_value(&m).expect("encode");
    assert_eq!(back["message_type"], "assistant_message");
    assert_eq!(back["content"], "hi");
}

#[test]
fn unknown_missing_or_non_string_tags_keep_the_raw_json_in_order() {
    for text in [
        r#"{"id":"m1","message_type":"approval_request_message","z":1,"a":{"b":[1,2]}}"#,
        r#"{"id":"m1","z":1,"a":{"b":[1,2]}}"#,
        r#"{"id":"m1","message_type":7,"a":null}"#,
        r#"{}"#,
        r#"[1,{"message_type":"assistant_message"}]"#,
        r#""text""#,
        "12",
        "-3.5",
        "true",
        "null",
    ] {
        let m: LettaMessageUnion = all_ways(text).expect("decodes");
        let LettaMessageUnion::Unknown(raw) = &m else {
            panic!("{text}: {m:?}")
        };
        let original: Value = serde_json::from_str(text).expect("json");
        assert_eq!(raw, &original, "{text}");
        // Same order of members as in the input.
        assert_eq!(
            serde_json::to_string(raw).expect("encode"),
            serde_json::to_string(&original).expect("encode")
        );
    }
}

#[test]
fn a_known_tag_whose_member_fails_is_an_error_naming_the_path() {
    // The failing value comes after the tag: the decoder's path names it.
    let text = r#"{"id":"m1","date":"2026-11-30T03:25:50","message_type":"assistant_message","content":5}"#;
    let errs = all_ways::<LettaMessageUnion>(text).expect_err("content 5 is no content");
    assert!(errs[2].starts_with("content: "), "{errs:?}");
    // Before the tag: the message names the path.
    let text = r#"{"id":"m1","date":false,"message_type":"assistant_message","content":"x"}"#;
    let errs = all_ways::<LettaMessageUnion>(text).expect_err("date false is no date");
    assert!(errs.iter().all(|e| e.contains("date: ")), "{errs:?}");
    let text = r#"{"id":"m1","date":"2026-11-30T03:25:50","content":[{"type":"text","text":5}],"message_type":"assistant_message"}"#;
    let errs = all_ways::<LettaMessageUnion>(text).expect_err("text 5 is no text");
    assert!(errs.iter().all(|e| e.contains("content")), "{errs:?}");
    // A missing required field.
    let text = r#"{"id":"m1","message_type":"assistant_message","content":"x"}"#;
    let errs = all_ways::<LettaMessageUnion>(text).expect_err("no date");
    assert!(errs.iter().all(|e| e.contains("date")), "{errs:?}");
    // In a list, the tracked path leads to the item and the value.
    let list = format!(
        "[{ASSISTANT},{}]",
        r#"{"id":"m2","date":"2026-11-30T03:25:50","message_type":"assistant_message","content":5}"#
    );
    let err = tracked::<Vec<LettaMessageUnion>>(&list).expect_err("second item");
    assert!(err.starts_with("[1].content: "), "{err}");
}

#[test]
fn inside_untagged_enums() {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(untagged)]
    enum Either {
        Message(LettaMessageUnion),
        Other(Value),
    }
    let e: Either = all_ways(ASSISTANT).expect("decodes");
    assert!(
        matches!(e, Either::Message(LettaMessageUnion::AssistantMessage(_))),
        "{e:?}"
    );
    let e: Either = all_ways(r#"{"message_type":"new_kind","x":1}"#).expect("decodes");
    assert!(
        matches!(e, Either::Message(LettaMessageUnion::Unknown(_))),
        "{e:?}"
    );
    // A known tag whose member fails is an error, so the untagged enum goes on to its next form.
    let broken = r#"{"message_type":"assistant_message","content":"no id"}"#;
    let e: Either = all_ways(broken).expect("decodes");
    assert_eq!(
        e,
        Either::Other(serde_json::from_str(broken).expect("json"))
    );
}

#[test]
fn stream_events() {
    let e: StreamEvent = all_ways(ASSISTANT).expect("decodes");
    assert!(
        matches!(
            e,
            StreamEvent::Message(LettaMessageUnion::AssistantMessage(_))
        ),
        "{e:?}"
    );
    let e: StreamEvent = all_ways(
        r#"{"message_type":"usage_statistics","completion_tokens":1,"prompt_tokens":2,"total_tokens":3,"step_count":1}"#,
    )
    .expect("decodes");
    assert!(
        matches!(&e, StreamEvent::Usage(u) if u.total_tokens == 3),
        "{e:?}"
    );
    let e: StreamEvent =
        all_ways(r#"{"message_type":"stop_reason","stop_reason":"end_turn"}"#).expect("decodes");
    assert_eq!(
        e,
        StreamEvent::Unknown(json!({"message_type":"stop_reason","stop_reason":"end_turn"}))
    );
    let errs =
        all_ways::<StreamEvent>(r#"{"message_type":"usage_statistics","total_tokens":"many"}"#)
            .expect_err("tokens are numbers");
    assert!(errs[2].starts_with("total_tokens: "), "{errs:?}");
}

#[test]
fn unions_inside_a_real_agent_state_decode_the_same_every_way() {
    let text = tests::data("letta-0.7.10/agent_state.json");
    let agent: AgentState = all_ways(&text).expect("decodes");
    let rules = agent.tool_rules.as_deref().unwrap_or_default();
    assert_eq!(rules.len(), 8);
    assert!(
        rules
            .iter()
            .all(|r| !matches!(r, letta_api_0_7::models::ToolRule::Unknown(_))),
        "{rules:?}"
    );
}
