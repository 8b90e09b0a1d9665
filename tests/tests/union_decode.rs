//! Untagged unions decode by best match (issue 14): every untagged union of both pinned Letta documents,
//! member by member. For each member a sample is built from the IR (required properties filled
//! recursively: strings `"x"`, enums their first value, consts their value, tagged unions their first
//! member with its tag); it must decode, with the generated crate's real type, into that very member. When
//! the minimal sample decodes as another member, a sample with every property of the member is tried.
//! Members no JSON can tell apart (the same Rust type as an earlier member, or a struct with the very
//! same properties) are reported and skipped with the reason, never silently; any other member that
//! decodes as another fails the test. The tables name the unions statically; the test asserts they are
//! exactly the IR's, so they cannot go stale.

// The tables name every union, the deprecated ones too.
#![allow(deprecated)]

use std::collections::BTreeSet;
use std::fmt::Debug;

use generator::ir::{Api, Ty, TypeKind};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// Decodes JSON text as one union type; the value's `Debug` text (which starts with the variant name).
type Decode = fn(&str) -> Result<String, String>;

fn decode<T: DeserializeOwned + Debug>(text: &str) -> Result<String, String> {
    serde_json::from_str::<T>(text)
        .map(|v| format!("{v:?}"))
        .map_err(|e| e.to_string())
}

/// `(Rust name, its decoder)` for each union type of a crate's `models`.
macro_rules! unions {
    ($krate:ident: $($name:ident),* $(,)?) => {
        &[$((stringify!($name), decode::<$krate::models::$name> as Decode)),*]
    };
}

/// The untagged unions of `letta-api-0-7` (Letta 0.7.10).
const UNIONS_0_7: &[(&str, Decode)] = unions!(letta_api_0_7:
    AddMcpServerBody,
    AgentSchemaToolRulesItem,
    AssistantMessageContent,
    ChatCompletionAssistantMessageParamContent,
    ChatCompletionDeveloperMessageParamContent,
    ChatCompletionPredictionContentParamContent,
    ChatCompletionSystemMessageParamContent,
    ChatCompletionToolMessageParamContent,
    ChatCompletionUserMessageParamContent,
    CompletionCreateParamsNonStreamingFunctionCall,
    CompletionCreateParamsNonStreamingStop,
    CompletionCreateParamsNonStreamingToolChoice,
    CompletionCreateParamsStreamingFunctionCall,
    CompletionCreateParamsStreamingStop,
    CompletionCreateParamsStreamingToolChoice,
    CreateVoiceChatCompletionsBody,
    IdentityPropertyValue,
    MessageCreateContent,
    SandboxConfigCreateConfig,
    ServerConfig,
    ToolCallMessageToolCall,
    UpdateAssistantMessageContent,
    UpdateUserMessageContent,
    UserMessageContent,
    ValidationErrorLocItem,
);

/// The untagged unions of `letta-api` (Letta 0.16.8).
const UNIONS_0_16: &[(&str, Decode)] = unions!(letta_api:
    AddMcpServerBody,
    ApprovalRequestMessageToolCall,
    ApprovalRequestMessageToolCalls,
    AssistantMessageContent,
    AssistantMessageListResultContent,
    ChatCompletionAssistantMessageParamContent,
    ChatCompletionDeveloperMessageParamContent,
    ChatCompletionRequestStop,
    ChatCompletionSystemMessageParamContent,
    ChatCompletionToolMessageParamContent,
    ChatCompletionUserMessageParamContent,
    ConversationMessageRequestInput,
    HttpValidationErrorDetail,
    IdentityPropertyValue,
    LettaAsyncRequestInput,
    LettaBatchRequestInput,
    LettaRequestInput,
    LettaSchemasAgentFileMessageSchemaContent,
    LettaSchemasLettaMessageToolReturnToolReturn,
    LettaSchemasMessageToolReturnFuncResponse,
    LettaSerializeSchemasPydanticAgentSchemaAgentSchemaToolRulesItem,
    LettaStreamingRequestInput,
    MessageApprovalsItem,
    MessageCreateContent,
    PreviewModelRequestBody,
    SandboxConfigCreateConfig,
    ServerConfig,
    ToolCallMessageToolCalls,
    UpdateAssistantMessageContent,
    UpdateMcpServerBody,
    UpdateUserMessageContent,
    UserMessageContent,
    UserMessageListResultContent,
    ValidationErrorLocItem,
);

/// The named IR of a pinned document, as `cargo run -p generator` builds it.
fn pinned_api(name: &str) -> Api {
    let options = tests::pinned_options(name);
    generator::load_api_with(&tests::pinned_spec_text(name), &options.overlays)
        .unwrap_or_else(|e| panic!("spec/{name}: {e}"))
        .0
}

/// The Rust names of the IR's untagged unions, sorted.
fn untagged_names(api: &Api) -> BTreeSet<String> {
    api.types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Untagged(_)))
        .map(|t| t.name.clone())
        .collect()
}

/// `ty` with aliases followed (and the outer null dropped), to compare two members' Rust types.
fn resolved(api: &Api, ty: &Ty) -> Ty {
    match ty {
        Ty::Nullable(inner) => resolved(api, inner),
        Ty::Ref(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => resolved(api, inner),
            _ => ty.clone(),
        },
        Ty::Array(inner) => Ty::Array(Box::new(resolved(api, inner))),
        Ty::Map(inner) => Ty::Map(Box::new(resolved(api, inner))),
        other => other.clone(),
    }
}

/// A struct member's shape as decoding sees it (each property's wire name, Rust type, whether it is
/// required, its default; the additional properties), or `None` for a member that is not a struct.
fn struct_shape(api: &Api, ty: &Ty) -> Option<String> {
    let Ty::Ref(id) = resolved(api, ty) else {
        return None;
    };
    let TypeKind::Struct(s) = &api.types[id.0].kind else {
        return None;
    };
    let fields: Vec<String> = s
        .fields
        .iter()
        .map(|f| {
            format!(
                "{} {:?} {} {:?}",
                f.wire,
                resolved(api, &f.ty),
                f.required,
                f.default
            )
        })
        .collect();
    Some(format!(
        "{fields:?} {:?}",
        s.additional.as_ref().map(|a| resolved(api, a))
    ))
}

/// Which properties of a struct a sample gets.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fill {
    /// The required ones.
    Required,
    /// Every property of the member itself, enum ones at their default (nested values stay minimal).
    Every,
}

/// A JSON value of type `ty`, or why none can be built.
fn sample(api: &Api, ty: &Ty, fill: Fill, depth: usize) -> Result<Value, String> {
    if depth > 16 {
        return Err("its required properties lead back to it".into());
    }
    let nested = |t: &Ty| sample(api, t, Fill::Required, depth + 1);
    Ok(match ty {
        Ty::String => json!("x"),
        Ty::DateTime => json!("2026-11-30T03:25:50"),
        Ty::Binary => return Err("file contents are not JSON".into()),
        Ty::Integer { .. } => json!(1),
        Ty::Number => json!(1.5),
        Ty::Boolean => json!(true),
        Ty::Any => json!({}),
        Ty::Array(item) => json!([nested(item)?]),
        Ty::Map(value) => json!({ "k": nested(value)? }),
        Ty::Nullable(inner) => sample(api, inner, fill, depth)?,
        Ty::Ref(id) => {
            let t = &api.types[id.0];
            match &t.kind {
                TypeKind::Struct(s) => {
                    let mut object = Map::new();
                    for f in &s.fields {
                        let is_enum = matches!(resolved(api, &f.ty),
                            Ty::Ref(e) if matches!(api.types[e.0].kind, TypeKind::Enum(_)));
                        match (&f.default, fill) {
                            // An enum property's default says most about its member (`type: sse`).
                            // (Not any default: Letta declares some that are not of their type.)
                            (Some(d @ Value::String(_)), Fill::Every) if is_enum => {
                                object.insert(f.wire.clone(), d.clone());
                            }
                            _ if f.required || fill == Fill::Every => {
                                object.insert(f.wire.clone(), nested(&f.ty)?);
                            }
                            _ => {}
                        }
                    }
                    Value::Object(object)
                }
                TypeKind::Enum(values) => json!(values.first().map(|v| v.wire.clone())),
                TypeKind::IntEnum(values) => json!(values.first().map_or(0, |v| v.value)),
                TypeKind::Const(value) => value.clone(),
                TypeKind::Tagged(tagged) => {
                    let first = tagged
                        .variants
                        .first()
                        .ok_or("a tagged union without members")?;
                    let mut member = nested(&Ty::Ref(first.ty))?;
                    if let Value::Object(object) = &mut member {
                        object.insert(tagged.tag.clone(), json!(first.values[0]));
                    }
                    member
                }
                TypeKind::Untagged(variants) => {
                    nested(&variants.first().ok_or("a union without members")?.ty)?
                }
                TypeKind::Alias(inner) => sample(api, inner, fill, depth + 1)?,
            }
        }
    })
}

/// The variant name a `Debug` text starts with.
fn variant_of(debug: &str) -> &str {
    debug.split('(').next().unwrap_or(debug)
}

#[derive(Debug, Default)]
struct Tally {
    unions: usize,
    members: usize,
    told_apart: usize,
    /// Told apart by the sample with every property (the minimal one went to another member).
    with_every_property: usize,
    skipped: Vec<String>,
    failures: Vec<String>,
}

fn check_document(doc: &str, table: &[(&str, Decode)], tally: &mut Tally) {
    let api = pinned_api(doc);
    let listed: BTreeSet<String> = table.iter().map(|(n, _)| (*n).to_string()).collect();
    assert_eq!(
        listed,
        untagged_names(&api),
        "spec/{doc}: the table of unions in this test is not the IR's untagged unions"
    );
    for t in &api.types {
        let TypeKind::Untagged(variants) = &t.kind else {
            continue;
        };
        let Some((_, decode)) = table.iter().find(|(n, _)| *n == t.name) else {
            continue;
        };
        tally.unions += 1;
        for (i, v) in variants.iter().enumerate() {
            tally.members += 1;
            let at = format!("{doc} {}::{}", t.name, v.name);
            let mine = resolved(&api, &v.ty);
            if let Some(earlier) = variants[..i].iter().find(|e| resolved(&api, &e.ty) == mine) {
                tally.skipped.push(format!(
                    "{at}: the same Rust type as `{}`, so no JSON tells them apart",
                    earlier.name
                ));
                continue;
            }
            let mut went = Vec::new();
            for fill in [Fill::Required, Fill::Every] {
                let value = match sample(&api, &v.ty, fill, 0) {
                    Ok(value) => value,
                    // No JSON value at all (a file part): nothing to decode.
                    Err(why) if went.is_empty() => {
                        tally.skipped.push(format!("{at}: no sample: {why}"));
                        break;
                    }
                    Err(why) => {
                        went.push(format!("no sample with every property ({why})"));
                        break;
                    }
                };
                match decode(&value.to_string()) {
                    Ok(debug) if variant_of(&debug) == v.name => {
                        tally.told_apart += 1;
                        if fill == Fill::Every {
                            tally.with_every_property += 1;
                        }
                        went.clear();
                        break;
                    }
                    Ok(debug) => went.push(format!("{value} as `{}`", variant_of(&debug))),
                    Err(e) => {
                        went.push(format!("{value} fails: {e}"));
                    }
                }
            }
            if went.is_empty() {
                continue;
            }
            let twin = struct_shape(&api, &v.ty).and_then(|mine| {
                variants[..i]
                    .iter()
                    .find(|e| struct_shape(&api, &e.ty).as_ref() == Some(&mine))
            });
            match twin {
                Some(twin) => tally.skipped.push(format!(
                    "{at}: the same properties (names, types, required, defaults) as `{}` in the IR, so no JSON tells them apart",
                    twin.name
                )),
                None => tally
                    .failures
                    .push(format!("{at}: decoded {}", went.join("; "))),
            }
        }
    }
}

#[test]
fn every_member_of_every_untagged_union_decodes_as_itself() {
    let mut tally = Tally::default();
    check_document("letta-0.7.10", UNIONS_0_7, &mut tally);
    check_document("letta-0.16.8", UNIONS_0_16, &mut tally);
    for s in &tally.skipped {
        eprintln!("skipped: {s}");
    }
    eprintln!(
        "untagged unions: {} unions, {} members, {} told apart ({} by a sample with every property), {} skipped",
        tally.unions,
        tally.members,
        tally.told_apart,
        tally.with_every_property,
        tally.skipped.len()
    );
    assert!(
        tally.failures.is_empty(),
        "{} member(s) decode as another member:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    assert_eq!(
        tally.told_apart + tally.skipped.len(),
        tally.members,
        "every member is told apart or reported"
    );
}

/// A `string | enum` union is the enum itself: an enum value decodes as that value, not as a string.
#[test]
fn a_string_or_enum_union_decodes_enum_values_as_the_enum() {
    // `Voice` names the enum (its inline member), so the enum's variants are reached through it.
    use letta_api_0_7::models::ChatCompletionAudioParamVoice as Voice;
    let v: Voice = serde_json::from_str(r#""alloy""#).unwrap();
    assert_eq!(v, Voice::Alloy);
    let v: Voice = serde_json::from_str(r#""a-new-voice""#).unwrap();
    assert_eq!(v, Voice::Unknown("a-new-voice".into()));
    assert_eq!(serde_json::to_string(&v).unwrap(), r#""a-new-voice""#);

    use letta_api::models::{AgentType, Memory, MemoryAgentType};
    let v: MemoryAgentType = serde_json::from_str(r#""memgpt_agent""#).unwrap();
    assert_eq!(v, AgentType::MemgptAgent);
    let m: Memory =
        serde_json::from_value(json!({"agent_type": "react_agent", "blocks": []})).unwrap();
    assert_eq!(m.agent_type, Some(AgentType::ReactAgent));

    // No union of one plain string and one string enum is left in either document.
    for doc in tests::PINNED {
        let api = pinned_api(doc);
        for t in &api.types {
            let TypeKind::Untagged(variants) = &t.kind else {
                continue;
            };
            let strings = variants.iter().filter(|v| v.ty == Ty::String).count();
            let enums = variants
                .iter()
                .filter(|v| matches!(resolved(&api, &v.ty), Ty::Ref(id) if matches!(api.types[id.0].kind, TypeKind::Enum(_))))
                .count();
            assert!(
                !(strings == 1 && enums == 1 && variants.len() == 2),
                "{doc} {}: still a string | enum union",
                t.name
            );
        }
    }
}

/// Letta 0.7.10's sandbox config: `LocalSandboxConfig` (every property optional) comes first in the spec,
/// and used to take every object; an E2B config decodes as E2B.
#[test]
fn an_e2b_sandbox_config_decodes_as_e2b() {
    use letta_api_0_7::Nullable;
    use letta_api_0_7::models::{SandboxConfigCreate, SandboxConfigCreateConfig};
    let e2b = json!({"timeout": 300, "template": "my-template", "pip_requirements": ["numpy"]});
    let c: SandboxConfigCreateConfig = serde_json::from_value(e2b.clone()).unwrap();
    let SandboxConfigCreateConfig::E2bSandboxConfig(config) = &c else {
        panic!("{c:?}")
    };
    assert_eq!(config.template, Nullable::Value("my-template".into()));
    // The update body shares the create body's union (one type, not two identical ones).
    let update: letta_api_0_7::models::SandboxConfigUpdate =
        serde_json::from_value(json!({"config": e2b.clone()})).unwrap();
    assert!(
        matches!(
            update.config,
            Some(SandboxConfigCreateConfig::E2bSandboxConfig(_))
        ),
        "{update:?}"
    );
    // As a field of the request body, from text.
    let body = json!({"config": e2b}).to_string();
    let create: SandboxConfigCreate = serde_json::from_str(&body).unwrap();
    assert!(matches!(
        create.config,
        SandboxConfigCreateConfig::E2bSandboxConfig(_)
    ));
    // Told apart by the types of a shared key alone: E2B's pip requirements are strings.
    let c: SandboxConfigCreateConfig =
        serde_json::from_value(json!({"pip_requirements": ["numpy"]})).unwrap();
    assert!(
        matches!(c, SandboxConfigCreateConfig::E2bSandboxConfig(_)),
        "{c:?}"
    );
    // A local config, and the empty object (both fit; the spec's order decides), stay local.
    for local in [
        json!({"sandbox_dir": "/tmp/s", "use_venv": true}),
        json!({}),
    ] {
        let c: SandboxConfigCreateConfig = serde_json::from_value(local).unwrap();
        assert!(
            matches!(c, SandboxConfigCreateConfig::LocalSandboxConfig(_)),
            "{c:?}"
        );
    }
    // Nothing fits: the error names every member tried.
    let err = serde_json::from_str::<SandboxConfigCreateConfig>(r#""e2b""#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("matches no member of `SandboxConfigCreateConfig`")
            && err.contains("LocalSandboxConfig (")
            && err.contains("E2bSandboxConfig ("),
        "{err}"
    );
}
