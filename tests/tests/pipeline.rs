//! Generator pipeline tests on spec/openapi.json: nothing lost in normalization, the expected shape of the
//! SDK, naming rules, doc sanitizing and the `--check` drift detection.

use std::collections::BTreeSet;

use generator::ir::{Response, Ty, TypeKind};
use generator::{Options, write};

fn letta() -> (generator::ir::Api, generator::normalize::Stats) {
    let (api, stats, _) =
        generator::load_api(&tests::spec_text()).expect("spec/openapi.json loads");
    (api, stats)
}

/// Counts `const` keywords and `anyOf`/`oneOf` null branches in the raw document (independently of the
/// generator's normalizer).
fn raw_counts() -> (usize, usize) {
    fn walk(v: &serde_json::Value, consts: &mut usize, nulls: &mut usize) {
        match v {
            serde_json::Value::Object(map) => {
                if map.contains_key("const") && !map.contains_key("properties") {
                    *consts += 1;
                }
                for key in ["anyOf", "oneOf"] {
                    if let Some(serde_json::Value::Array(list)) = map.get(key)
                        && list
                            .iter()
                            .any(|b| b.get("type").and_then(|t| t.as_str()) == Some("null"))
                    {
                        *nulls += 1;
                    }
                }
                map.values().for_each(|c| walk(c, consts, nulls));
            }
            serde_json::Value::Array(list) => list.iter().for_each(|c| walk(c, consts, nulls)),
            _ => {}
        }
    }
    let doc: serde_json::Value = serde_json::from_str(&tests::spec_text()).expect("json");
    let (mut consts, mut nulls) = (0, 0);
    walk(&doc, &mut consts, &mut nulls);
    (consts, nulls)
}

#[test]
fn every_const_and_null_branch_survives_into_the_ir() {
    let (raw_consts, raw_nulls) = raw_counts();
    // 460 `anyOf [T, null]` in components/schemas plus 213 in operation parameters.
    assert_eq!(
        (raw_consts, raw_nulls),
        (61, 673),
        "the committed spec's own counts"
    );
    let (api, stats) = letta();
    assert_eq!(stats.consts, 61, "normalize rewrote every const");
    assert_eq!(
        stats.any_of_null + stats.one_of_null,
        673,
        "normalize rewrote every null branch"
    );
    let census = api.census();
    assert_eq!(census.consts, 61, "every const is a Const type in the IR");
    assert_eq!(
        census.nullable, 673,
        "every null branch is a Nullable position in the IR"
    );
}

#[test]
fn the_sdk_has_every_schema_operation_and_tag() {
    let (api, _) = letta();
    let components = api
        .types
        .iter()
        .filter(|t| {
            t.pointer
                .strip_prefix("#/components/schemas/")
                .is_some_and(|name| !name.contains('/'))
        })
        .count();
    assert_eq!(components, 189);
    assert_eq!(api.operations.len(), 136);
    let tags: Vec<&str> = api.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tags,
        [
            "admin",
            "agents",
            "auth",
            "blocks",
            "embeddings",
            "groups",
            "health",
            "identities",
            "jobs",
            "llms",
            "messages",
            "models",
            "organization",
            "providers",
            "runs",
            "sandbox-config",
            "sources",
            "steps",
            "tag",
            "tools",
            "users",
            "voice"
        ]
    );
    // Every operation is reachable from each of its tags, and duplicate tags count once.
    let mut reachable = BTreeSet::new();
    for tag in &api.tags {
        let ops: Vec<usize> = tag.operations.clone();
        let unique: BTreeSet<usize> = ops.iter().copied().collect();
        assert_eq!(
            ops.len(),
            unique.len(),
            "tag {} lists an operation twice",
            tag.name
        );
        reachable.extend(ops);
    }
    assert_eq!(reachable.len(), 136);
    let streams = api
        .operations
        .iter()
        .filter(|o| o.response == Response::Stream)
        .count();
    assert_eq!(streams, 3, "three text/event-stream operations");
    let multipart = api
        .operations
        .iter()
        .filter(|o| {
            o.body
                .as_ref()
                .is_some_and(|b| b.kind == generator::ir::BodyKind::Multipart)
        })
        .count();
    assert_eq!(multipart, 2);

    let out = generator::generate(&tests::spec_text(), &Options::default()).expect("generate");
    let modules: Vec<&String> = out
        .files
        .keys()
        .filter(|p| p.starts_with("src/apis/") && !p.ends_with("mod.rs"))
        .collect();
    assert_eq!(modules.len(), 22);
    assert!(out.files.contains_key("src/apis/sandbox_config.rs"));
    assert!(out.files.contains_key("src/apis/tag.rs"));
    let methods: usize = out
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("src/apis/"))
        .map(|(_, t)| t.matches("pub async fn send(").count())
        .sum();
    assert_eq!(methods, 136, "one request builder per operation");
}

#[test]
fn discriminated_unions_take_tags_from_const_not_from_a_wrong_mapping() {
    // Letta's LettaMessageContentUnion maps "tool_return" to ToolCallContent; the member's own const wins.
    let (api, _) = letta();
    let union = api
        .types
        .iter()
        .find(|t| t.source == "LettaMessageContentUnion")
        .expect("union");
    let TypeKind::Tagged(tagged) = &union.kind else {
        panic!("not tagged: {:?}", union.kind)
    };
    assert_eq!(tagged.tag, "type");
    let by_value: Vec<(String, String)> = tagged
        .variants
        .iter()
        .map(|v| (v.values[0].clone(), api.types[v.ty.0].source.clone()))
        .collect();
    assert!(
        by_value.contains(&("tool_return".into(), "ToolReturnContent".into())),
        "{by_value:?}"
    );
    assert!(
        by_value.contains(&("tool_call".into(), "ToolCallContent".into())),
        "{by_value:?}"
    );
    let messages = api
        .types
        .iter()
        .find(|t| t.source == "LettaMessageUnion")
        .expect("union");
    assert!(
        matches!(&messages.kind, TypeKind::Tagged(t) if t.tag == "message_type" && t.variants.len() == 7)
    );
}

#[test]
fn check_reports_changed_missing_and_extra_files() {
    let out = generator::generate(&tests::spec_text(), &Options::default()).expect("generate");
    let dir = std::env::temp_dir().join(format!("letta-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write::write(&out.files, &dir).expect("write");
    assert!(
        write::check(&out.files, &dir).expect("check").is_empty(),
        "fresh output matches"
    );

    // A changed file, a missing one and an extra (untracked) one are all reported.
    let changed = dir.join("src/models/agent_state.rs");
    let text = std::fs::read_to_string(&changed).expect("read");
    std::fs::write(
        &changed,
        text.replacen("pub struct AgentState", "pub struct AgentStateEdited", 1),
    )
    .expect("edit");
    std::fs::remove_file(dir.join("src/apis/tag.rs")).expect("remove");
    // A stale file the generator once wrote (it carries the marker).
    std::fs::write(
        dir.join("src/models/stale.rs"),
        format!("// {} 0.0.1 from an older spec.\n", write::MARKER),
    )
    .expect("extra");
    let drift = write::check(&out.files, &dir).expect("check");
    assert_eq!(drift.added, vec!["src/apis/tag.rs".to_string()]);
    assert_eq!(drift.removed, vec!["src/models/stale.rs".to_string()]);
    assert_eq!(drift.changed.len(), 1);
    assert_eq!(drift.changed[0].0, "src/models/agent_state.rs");
    assert!(
        drift.changed[0].1.contains("-pub struct AgentStateEdited")
            && drift.changed[0].1.contains("+pub struct AgentState")
    );
    let report = drift.report(&dir);
    assert!(
        report.contains("missing: src/apis/tag.rs")
            && report.contains("extra:   src/models/stale.rs"),
        "{report}"
    );

    // A file the user put there is never deleted: writing refuses before touching anything.
    std::fs::write(dir.join("src/models/mine.rs"), "// my notes\n").expect("user file");
    let err = write::write(&out.files, &dir).expect_err("refuses");
    assert!(err.to_string().contains("src/models/mine.rs"), "{err}");
    assert!(dir.join("src/models/stale.rs").exists() && !dir.join("src/apis/tag.rs").exists());
    std::fs::remove_file(dir.join("src/models/mine.rs")).expect("rm");

    // Writing repairs exactly that, and writes nothing when already up to date.
    let repaired = write::write(&out.files, &dir).expect("write");
    assert_eq!(
        (
            repaired.added.len(),
            repaired.removed.len(),
            repaired.changed.len()
        ),
        (1, 1, 1)
    );
    assert!(write::check(&out.files, &dir).expect("check").is_empty());
    assert!(
        write::write(&out.files, &dir).expect("write").is_empty(),
        "second write touches nothing"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn recursive_and_nullable_request_fields_have_the_documented_shape() {
    let out = generator::generate(&tests::spec_text(), &Options::default()).expect("generate");
    // A request-only schema keeps the difference between "absent" and "null": `Nullable`, left out
    // of the body only when absent.
    let update = &out.files["src/models/update_agent.rs"];
    assert!(
        update.contains(
            "#[serde(default, skip_serializing_if = \"crate::types::Nullable::is_absent\")]\n    pub description: crate::types::Nullable<::std::string::String>,"
        ),
        "{update}"
    );
    // Response schemas use a single Option.
    let state = &out.files["src/models/agent_state.rs"];
    assert!(state.contains("pub description: ::std::option::Option<::std::string::String>"));
    // Date-times are typed.
    assert!(state.contains("crate::types::Timestamp"));
    // Every model carries rustdoc.
    let (api, _) = letta();
    assert!(api.types.iter().all(|t| !t.name.is_empty()));
    let _ = Ty::Any;
}

#[test]
fn the_same_inline_union_written_in_several_schemas_is_one_type() {
    // Letta writes the tool-rule union inline in AgentState, CreateAgentRequest and UpdateAgent: a value
    // read from an agent must be sendable in an update, so all three use one `ToolRule`.
    let out = generator::generate(&tests::spec_text(), &Options::default()).expect("generate");
    for file in ["agent_state", "create_agent_request", "update_agent"] {
        let text = &out.files[&format!("src/models/{file}.rs")];
        assert!(
            text.contains("crate::models::ToolRule>"),
            "{file} uses ToolRule"
        );
        assert!(
            !text.contains("pub enum"),
            "{file} defines no union of its own"
        );
    }
    let rule = &out.files["src/models/tool_rule.rs"];
    assert!(rule.contains("pub enum ToolRule"), "{rule}");
    assert!(out.files.contains_key("src/models/response_format.rs"));
}

/// The 0.16.8 document: every operation, schema and tag reaches the SDK; the operations that answer JSON
/// or events are told apart from those that only stream (an empty JSON schema beside the stream).
#[test]
fn letta_0_16_8_has_every_operation_and_both_kinds_of_stream() {
    let (api, _, _) =
        generator::load_api(&tests::pinned_spec_text("letta-0.16.8")).expect("0.16.8 loads");
    assert_eq!(api.operations.len(), 249);
    assert_eq!(api.tags.len(), 34);
    let components = api
        .types
        .iter()
        .filter(|t| {
            t.pointer
                .strip_prefix("#/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'))
        })
        .count();
    assert_eq!(components, 346);
    let mut dual: Vec<&str> = api
        .operations
        .iter()
        .filter(|o| matches!(o.response, Response::Dual(_)))
        .map(|o| o.id.as_str())
        .collect();
    dual.sort_unstable();
    assert_eq!(
        dual,
        [
            "create_agent_message_stream",
            "create_chat_completion",
            "send_conversation_message",
            "send_message"
        ]
    );
    let mut streams: Vec<&str> = api
        .operations
        .iter()
        .filter(|o| o.response == Response::Stream)
        .map(|o| o.id.as_str())
        .collect();
    streams.sort_unstable();
    assert_eq!(
        streams,
        [
            "connect_mcp_server",
            "create_voice_chat_completions",
            "mcp_connect_mcp_server",
            "retrieve_conversation_stream",
            "retrieve_stream_for_run"
        ]
    );
    // The generated crate: one module per tag, `.stream()` on exactly the dual operations.
    let out = generator::generate(
        &tests::pinned_spec_text("letta-0.16.8"),
        &tests::pinned_options("letta-0.16.8"),
    )
    .expect("generate");
    let streams = out
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("src/apis/"))
        .map(|(_, text)| text.matches("pub async fn stream(").count())
        .sum::<usize>();
    assert_eq!(streams, 4);
    assert!(out.files.contains_key("examples/quickstart.rs"));
    let client = &out.files["src/spec.rs"];
    assert!(client.contains(r#"("X-Stainless-Package-Version", "1.0.0")"#));
    let events = &out.files["src/apis/mod.rs"];
    for variant in [
        "Message(",
        "Ping(",
        "StopReason(",
        "Usage(",
        "ErrorMessage(",
        "Unknown(",
    ] {
        assert!(events.contains(variant), "StreamEvent::{variant}");
    }
}
