//! Name fuzzing: specs whose names are drawn from Rust keywords, the prelude, the standard types, the
//! associated items of every trait the generated code implements (`Err`, `Error`, `Item`, `Output`,
//! `Target`, `Value`, `Ok`, …), the runtime's own module and method names, and the generated code's own
//! helpers, put in every position a name can take: schema (type), property (field), enum value
//! (variant), tag (module and feature), operationId (method and builder), and path, query and header
//! parameters. Every generated crate must compile without warnings under clippy.
//!
//! `NAME_FUZZ_CASES` random crates are generated (default 4) and compiled together in one workspace; each case
//! also compiles fixed crates that, together, put every name in every position. A longer run:
//! `NAME_FUZZ_CASES=200 cargo test --release -p tests --test name_fuzz` (see tests/README.md).

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};
use tests::gen_support::{self, CheckWorkspace, Outcome, generate_guarded};

/// Names that have tripped, or could trip, generated code.
const NAMES: &[&str] = &[
    // keywords (strict, reserved, weak, edition-dependent)
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "await",
    "dyn",
    "gen",
    "try",
    "union",
    "macro_rules",
    "r#raw",
    "abstract",
    "yield",
    "static",
    "mod",
    "use",
    "impl",
    "where",
    // prelude items and std types
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Into",
    "From",
    "TryFrom",
    "ToString",
    "ToOwned",
    "PartialEq",
    "Eq",
    "Ord",
    "Hash",
    "Debug",
    "Display",
    "FromStr",
    "AsRef",
    "Deref",
    "HashMap",
    "BTreeMap",
    "Cow",
    "Rc",
    "Arc",
    "Future",
    "Pin",
    "Unpin",
    // associated items of the traits the generated code implements or uses
    "Error",
    "Item",
    "Output",
    "Target",
    "Value",
    "IntoIter",
    "Owned",
    "Ok_",
    "Self_",
    "TAG",
    "TEXT",
    "deserialize",
    "serialize",
    "from_str",
    "as_str",
    "fmt",
    "default",
    "from",
    "into",
    "clone",
    "eq",
    "member",
    "unknown",
    "id",
    "poll_next",
    // the generated crate's own items and modules
    "Unknown",
    "models",
    "apis",
    "client",
    "request",
    "error",
    "types",
    "stream",
    "paging",
    "spec",
    "tagged",
    "lib",
    "core",
    "std",
    "alloc",
    "serde",
    "serde_json",
    "reqwest",
    "tokio",
    "bytes",
    "Client",
    "Request",
    "Response",
    "Builder",
    "StreamEvent",
    "FilePart",
    "Timestamp",
    "Nullable",
    "new",
    "send",
    "body",
    "settings",
    "options",
    "header",
    "timeout",
    "into_stream",
    "execute",
    "builder",
    "base_url",
    "D",
    "S",
    "T",
    "de",
    "serializer",
    "deserializer",
    "value",
    "req",
    "resp",
];

/// One case: which name goes where.
#[derive(Debug, Clone)]
struct Case {
    enum_name: String,
    enum_values: Vec<String>,
    struct_name: String,
    fields: Vec<String>,
    union_name: String,
    tag: String,
    operation: String,
    path_param: String,
    query_param: String,
    header_param: String,
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

fn case() -> impl Strategy<Value = Case> {
    (
        (name(), prop::collection::vec(name(), 1..6), name()),
        (prop::collection::vec(name(), 1..6), name(), name()),
        (name(), name(), name(), name()),
    )
        .prop_map(
            |(
                (enum_name, enum_values, struct_name),
                (fields, union_name, tag),
                (operation, path_param, query_param, header_param),
            )| Case {
                enum_name,
                enum_values,
                struct_name,
                fields,
                union_name,
                tag,
                operation,
                path_param,
                query_param,
                header_param,
            },
        )
}

/// Keeps the first of equal names (a spec cannot have two equal keys in one object).
fn dedup(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// The spec of a case. Schema names must differ from each other (they are map keys), so colliding
/// picks get a distinguishing suffix, as a real spec would need.
fn spec(c: &Case) -> Value {
    let enum_name = c.enum_name.clone();
    let struct_name = if c.struct_name == enum_name {
        format!("{}_obj", c.struct_name)
    } else {
        c.struct_name.clone()
    };
    let union_name = if c.union_name == enum_name || c.union_name == struct_name {
        format!("{}_union", c.union_name)
    } else {
        c.union_name.clone()
    };
    let reference = |n: &str| json!({"$ref": format!("#/components/schemas/{}", n.replace('~', "~0").replace('/', "~1"))});
    let mut props = Map::new();
    for (i, f) in dedup(&c.fields).iter().enumerate() {
        let schema = match i % 4 {
            0 => reference(&enum_name),
            1 => json!({"type": ["string", "null"]}),
            2 => json!({"type": "array", "items": reference(&enum_name)}),
            _ => json!({"type": "integer", "format": "int32"}),
        };
        props.insert(f.clone(), schema);
    }
    let required: Vec<String> = dedup(&c.fields).into_iter().take(1).collect();
    let mut params = vec![json!({
        "name": c.path_param, "in": "path", "required": true, "schema": {"type": "string"}
    })];
    if c.query_param != c.path_param {
        params.push(json!({"name": c.query_param, "in": "query", "schema": reference(&enum_name)}));
    }
    if c.header_param != c.path_param && c.header_param != c.query_param {
        params.push(json!({"name": c.header_param, "in": "header", "schema": {"type": "string"}}));
    }
    let mut schemas = Map::new();
    schemas.insert(
        enum_name.clone(),
        json!({"type": "string", "enum": dedup(&c.enum_values)}),
    );
    schemas.insert(
        struct_name.clone(),
        json!({"type": "object", "required": required, "properties": props}),
    );
    schemas.insert(
        union_name.clone(),
        json!({"oneOf": [reference(&struct_name), {"type": "integer"}, {"type": "array", "items": reference(&enum_name)}]}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Name fuzz", "version": "1"},
        "paths": {
            format!("/things/{{{}}}", c.path_param): {
                "post": {
                    "operationId": c.operation,
                    "tags": [c.tag],
                    "parameters": params,
                    "requestBody": {"required": true, "content": {"application/json": {"schema": reference(&struct_name)}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": reference(&union_name)}}}}
                }
            }
        },
        "components": {"schemas": schemas}
    })
}

/// A case with every name in every position (a rotation of the list per position).
fn everything() -> Vec<Case> {
    let n = |i: usize| NAMES[i % NAMES.len()].to_string();
    (0..NAMES.len())
        .step_by(10)
        .map(|i| Case {
            enum_name: n(i),
            enum_values: (0..10).map(|k| n(i + k + 1)).collect(),
            struct_name: n(i + 7),
            fields: (0..10).map(|k| n(i + k + 2)).collect(),
            union_name: n(i + 11),
            tag: n(i + 3),
            operation: n(i + 4),
            path_param: n(i + 5),
            query_param: n(i + 6),
            header_param: n(i + 8),
        })
        .collect()
}

fn cases() -> u32 {
    std::env::var("NAME_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

#[test]
fn names_from_rust_itself_compile_in_every_position() {
    let mut picked = everything();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        ..Config::default()
    });
    let strategy = prop::collection::vec(case(), cases() as usize);
    let tree = strategy
        .new_tree(&mut runner)
        .expect("a strategy for cases");
    picked.extend(tree.current());
    let mut ws = CheckWorkspace::new("name-fuzz");
    let mut failures = Vec::new();
    for (i, c) in picked.iter().enumerate() {
        let text = serde_json::to_string_pretty(&spec(c)).expect("JSON");
        let package = format!("name-fuzz-{i}");
        match generate_guarded(text.clone(), gen_support::options(&package, "fuzz.json")) {
            Outcome::Ok(out) => ws.add(&package, &format!("case {i}: {c:?}"), &out.files),
            Outcome::Err(e) => failures.push(format!("case {i} ({c:?}): {e}")),
            Outcome::Panic(p) => failures.push(format!("case {i} ({c:?}): PANIC {p}\n{text}")),
        }
    }
    assert!(
        failures.is_empty(),
        "name fuzz cases fail to generate:\n{}",
        failures.join("\n")
    );
    let summary = ws.assert_compiles(true);
    eprintln!(
        "{} name-fuzz crates ({} fixed, {} random): {summary}",
        picked.len(),
        everything().len(),
        cases()
    );
}
