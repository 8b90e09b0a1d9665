//! Property test: one schema reached from parameters (path, query, header), request bodies (the root or
//! a field), responses (the root or a field) and error bodies, as a `$ref` or as an inline copy, in every
//! order. Resolving dedupes inline discriminated unions shared by several owners and drops the types a
//! structured parameter made; neither may leave an index pointing past the type arena (it did: a union
//! used by a query parameter and then by a body field panicked). Every case must generate (or fail with a
//! located error) without a panic, and a generated crate's every use must refer to a type that exists.
//!
//! Runs 64 cases by default; `PROPTEST_CASES=20000 cargo test --release -p tests --test reach_orders`
//! runs longer (see tests/README.md).

use proptest::prelude::*;
use serde_json::{Value, json};
use tests::gen_support::{self, Outcome, generate_guarded};

/// The shared schema, in one of several shapes.
fn shared(kind: u8) -> Value {
    match kind % 5 {
        // an inline discriminated union (deduplicated across owners)
        0 => json!({
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind"}
        }),
        // an untagged union
        1 => json!({"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/A"}]}),
        // a string enum
        2 => json!({"type": "string", "enum": ["x", "y"]}),
        // an object
        3 => json!({"type": "object", "properties": {"u": {"$ref": "#/components/schemas/B"}}}),
        // an array of the union
        _ => json!({"type": "array", "items": {
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind"}
        }}),
    }
}

/// Where the schema is used.
#[derive(Debug, Clone, Copy)]
enum Use {
    PathParam,
    QueryParam,
    HeaderParam,
    BodyRoot,
    BodyField,
    Response,
    ResponseField,
    ErrorBody,
}

fn a_use() -> impl Strategy<Value = (Use, bool)> {
    (
        prop::sample::select(vec![
            Use::PathParam,
            Use::QueryParam,
            Use::HeaderParam,
            Use::BodyRoot,
            Use::BodyField,
            Use::Response,
            Use::ResponseField,
            Use::ErrorBody,
        ]),
        any::<bool>(),
    )
}

/// A spec with one operation per use, in order (operations resolve in path order, so the order of uses is
/// the order of resolution).
fn spec(kind: u8, uses: &[(Use, bool)]) -> Value {
    let schema = |by_ref: bool| {
        if by_ref {
            json!({"$ref": "#/components/schemas/S"})
        } else {
            shared(kind)
        }
    };
    let mut paths = serde_json::Map::new();
    for (i, (u, by_ref)) in uses.iter().enumerate() {
        let s = schema(*by_ref);
        let ok = json!({"description": "ok"});
        let mut op =
            json!({"operationId": format!("op{i}"), "tags": ["t"], "responses": {"200": ok}});
        let mut path = format!("/p{i:02}");
        match u {
            Use::PathParam => {
                path.push_str("/{v}");
                op["parameters"] =
                    json!([{"name": "v", "in": "path", "required": true, "schema": s}]);
            }
            Use::QueryParam => {
                op["parameters"] = json!([{"name": "v", "in": "query", "schema": s}])
            }
            Use::HeaderParam => {
                op["parameters"] = json!([{"name": "v", "in": "header", "schema": s}])
            }
            Use::BodyRoot => {
                op["requestBody"] = json!({"content": {"application/json": {"schema": s}}});
            }
            Use::BodyField => {
                op["requestBody"] = json!({"content": {"application/json": {"schema":
                    {"type": "object", "properties": {"f": s}}}}});
            }
            Use::Response => {
                op["responses"]["200"] =
                    json!({"description": "ok", "content": {"application/json": {"schema": s}}});
            }
            Use::ResponseField => {
                op["responses"]["200"] = json!({"description": "ok", "content": {"application/json": {"schema":
                    {"type": "object", "properties": {"f": s}}}}});
            }
            Use::ErrorBody => {
                op["responses"]["400"] =
                    json!({"description": "bad", "content": {"application/json": {"schema": s}}});
            }
        }
        paths.insert(path, json!({"post": op}));
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Reach orders", "version": "1"},
        "paths": paths,
        "components": {"schemas": {
            "S": shared(kind),
            "A": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "a"}, "x": {"type": "string"}}},
            "B": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "b"}, "y": {"type": "integer"}}}
        }}
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// Every `crate::models::X` the emitted code names is a model the crate defines.
fn refs_resolve(files: &std::collections::BTreeMap<String, String>) -> Result<(), String> {
    let defined: std::collections::BTreeSet<String> = files
        .values()
        .flat_map(|text| {
            text.lines()
                .filter_map(|l| {
                    let l = l.trim_start();
                    ["pub struct ", "pub enum ", "pub type "]
                        .iter()
                        .find_map(|k| l.strip_prefix(k))
                        .map(|rest| {
                            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                                .next()
                                .unwrap_or_default()
                                .to_string()
                        })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for (path, text) in files {
        let mut rest = text.as_str();
        while let Some(at) = rest.find("crate::models::") {
            rest = &rest[at + "crate::models::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !defined.contains(&name) {
                return Err(format!(
                    "{path} names crate::models::{name}, which is not defined"
                ));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 100, ..ProptestConfig::default() })]

    #[test]
    fn a_schema_reached_from_everywhere_in_any_order_never_panics(
        kind in 0u8..5,
        uses in prop::collection::vec(a_use(), 1..7),
    ) {
        let text = serde_json::to_string_pretty(&spec(kind, &uses)).expect("JSON");
        match generate_guarded(text.clone(), gen_support::options("reach-orders", "reach.json")) {
            Outcome::Ok(out) => {
                if let Err(e) = refs_resolve(&out.files) {
                    prop_assert!(false, "{e}\nuses {uses:?}, kind {kind}\n{text}");
                }
            }
            Outcome::Err(_) => {}
            Outcome::Panic(p) => prop_assert!(false, "PANIC {p}\nuses {uses:?}, kind {kind}\n{text}"),
        }
    }
}

#[test]
fn the_reported_order_generates() {
    // A query parameter first, then a body field, both the same inline union: it panicked.
    let uses = [
        (Use::QueryParam, false),
        (Use::BodyField, false),
        (Use::Response, false),
    ];
    let text = serde_json::to_string_pretty(&spec(0, &uses)).expect("JSON");
    match generate_guarded(text, gen_support::options("reach-orders", "reach.json")) {
        Outcome::Ok(out) => refs_resolve(&out.files).expect("every model named exists"),
        other => panic!("expected an SDK, got {other:?}"),
    }
}
