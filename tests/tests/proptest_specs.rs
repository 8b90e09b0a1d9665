//! Property test: mutated specs never make the generator panic (or overflow its stack). Each case starts
//! from a small golden fixture (as `serde_json::Value`), applies a few random mutations — delete a key,
//! replace a value with another JSON type, insert OpenAPI keywords, duplicate or rename a schema, graft a
//! subtree elsewhere, inject hostile strings — and runs `generator::generate`. `Ok` and `Err` are both
//! fine; every `.rs` file of an `Ok` output must parse with syn.
//!
//! Runs 48 cases by default (a few seconds); `PROPTEST_CASES=5000 cargo test -p tests --test
//! proptest_specs --release` runs longer (see tests/README.md). A second property mutates real documents
//! (Nexus's description and Letta 0.7.10's): 12 cases by default, `PROPTEST_REAL_CASES=N` for more.

use tests::gen_support;

use proptest::prelude::*;
use serde_json::{Value, json};

use gen_support::{Outcome, generate_guarded, golden_fixtures, read_text};

/// The seed documents: every golden fixture, loaded (YAML or JSON) into JSON values (once).
fn seeds() -> &'static [(String, Value)] {
    static SEEDS: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(load_seeds)
}

fn load_seeds() -> Vec<(String, Value)> {
    golden_fixtures()
        .into_iter()
        .filter(|(name, _)| name != "doc_injection") // large; its strings are covered by `HOSTILE_STRINGS`
        .map(|(name, path)| {
            let value =
                generator::load::load(&read_text(&path)).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, value)
        })
        .collect()
}

const HOSTILE_STRINGS: &[&str] = &[
    "",
    " ",
    "type",
    "self",
    "Self",
    "crate",
    "$ref",
    "#/components/schemas/",
    "#/components/schemas/Missing",
    "#/components/schemas/Node/properties/name",
    "other.yaml#/X",
    "{id}",
    "/a/{b}/{b}",
    "a-b",
    "1x",
    "über",
    "e\u{301}",
    "\u{202e}evil",
    "```rust\nfn main() {}\n```",
    "*/ /* \" \\ '",
    "#[doc = \"x\"]",
    "{{ x }} {% if %}",
    "\r\n\0",
    "text/event-stream",
    "multipart/form-data",
    "application/octet-stream",
    "null",
    "3.0.3",
    "2.0",
];

const KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "nullable",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "discriminator",
    "format",
    "default",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "operationId",
    "tags",
    "in",
    "name",
];

/// A random replacement value.
fn value_from(kind: u8, n: i64, s: &str) -> Value {
    match kind % 14 {
        0 => Value::Null,
        1 => Value::Bool(n % 2 == 0),
        2 => json!(n),
        3 => json!(n as f64 / 7.0),
        4 => json!(s),
        5 => json!([]),
        6 => json!({}),
        7 => json!({"$ref": format!("#/components/schemas/{s}")}),
        8 => json!({"type": ["string", "null"]}),
        9 => json!({"anyOf": [{"type": "integer"}, {"type": "null"}]}),
        10 => json!({"const": s}),
        11 => json!({"enum": [s, n, null, true]}),
        12 => json!({"type": "object", "properties": {s: {"type": "string"}}, "required": [s]}),
        _ => json!([s, n, {"type": "array", "items": {}}]),
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete {
        at: usize,
        key: usize,
    },
    Replace {
        at: usize,
        kind: u8,
        n: i64,
        s: String,
    },
    Insert {
        at: usize,
        key: usize,
        kind: u8,
        n: i64,
        s: String,
    },
    DuplicateSchema {
        which: usize,
        name: String,
    },
    RenameSchema {
        which: usize,
        name: String,
    },
    Graft {
        from: usize,
        to: usize,
    },
    InjectString {
        at: usize,
        s: String,
    },
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0..HOSTILE_STRINGS.len()).prop_map(|i| HOSTILE_STRINGS[i].to_string()),
        1 => proptest::collection::vec(any::<char>(), 0..12).prop_map(|cs| cs.into_iter().collect()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, any::<usize>()).prop_map(|(at, key)| Mutation::Delete { at, key }),
        (at, any::<u8>(), any::<i64>(), text()).prop_map(|(at, kind, n, s)| Mutation::Replace {
            at,
            kind,
            n,
            s
        }),
        (at, any::<usize>(), any::<u8>(), any::<i64>(), text()).prop_map(
            |(at, key, kind, n, s)| Mutation::Insert {
                at,
                key,
                kind,
                n,
                s
            }
        ),
        (any::<usize>(), text())
            .prop_map(|(which, name)| Mutation::DuplicateSchema { which, name }),
        (any::<usize>(), text()).prop_map(|(which, name)| Mutation::RenameSchema { which, name }),
        (at, any::<usize>()).prop_map(|(from, to)| Mutation::Graft { from, to }),
        (at, text()).prop_map(|(at, s)| Mutation::InjectString { at, s }),
    ]
}

/// JSON pointers of every node, in document order.
fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn pick(doc: &Value, at: usize) -> String {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    all.swap_remove(at % all.len())
}

fn apply(doc: &mut Value, m: &Mutation) {
    match m {
        Mutation::Delete { at, key } => {
            let p = pick(doc, *at);
            if let Some(Value::Object(obj)) = doc.pointer_mut(&p) {
                if !obj.is_empty() {
                    let k = obj.keys().nth(key % obj.len()).cloned().unwrap_or_default();
                    obj.shift_remove(&k);
                }
            } else if let Some(Value::Array(arr)) = doc.pointer_mut(&p)
                && !arr.is_empty()
            {
                arr.remove(key % arr.len());
            }
        }
        Mutation::Replace { at, kind, n, s } => {
            let p = pick(doc, *at);
            if let Some(v) = doc.pointer_mut(&p) {
                *v = value_from(*kind, *n, s);
            }
        }
        Mutation::Insert {
            at,
            key,
            kind,
            n,
            s,
        } => {
            let p = pick(doc, *at);
            if let Some(Value::Object(obj)) = doc.pointer_mut(&p) {
                obj.insert(
                    KEYWORDS[key % KEYWORDS.len()].to_string(),
                    value_from(*kind, *n, s),
                );
            }
        }
        Mutation::DuplicateSchema { which, name } | Mutation::RenameSchema { which, name } => {
            let rename = matches!(m, Mutation::RenameSchema { .. });
            if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
                if schemas.is_empty() {
                    return;
                }
                let key = schemas
                    .keys()
                    .nth(which % schemas.len())
                    .cloned()
                    .unwrap_or_default();
                let value = if rename {
                    schemas.shift_remove(&key)
                } else {
                    schemas.get(&key).cloned()
                };
                if let Some(value) = value {
                    schemas.insert(name.clone(), value);
                }
            }
        }
        Mutation::Graft { from, to } => {
            let src = pick(doc, *from);
            let dst = pick(doc, *to);
            if let Some(v) = doc.pointer(&src).cloned()
                && let Some(slot) = doc.pointer_mut(&dst)
            {
                *slot = v;
            }
        }
        Mutation::InjectString { at, s } => {
            let p = pick(doc, *at);
            match doc.pointer_mut(&p) {
                Some(Value::String(old)) => *old = s.clone(),
                Some(Value::Object(obj)) => {
                    obj.insert("description".into(), json!(s));
                }
                _ => {}
            }
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

/// Real documents nobody here wrote, as seeds: Oxide's Nexus description (from `../shared`, when present)
/// and the pinned Letta 0.7.10 document. (GitHub's, 3.7 MB, is generated whole by `real_world.rs`; as a
/// seed it would make each case take seconds.)
fn real_seeds() -> &'static [(String, Value)] {
    static SEEDS: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = vec![(
            "letta-0.7.10".to_string(),
            generator::load::load(&tests::pinned_spec_text("letta-0.7.10")).expect("the pinned spec"),
        )];
        match tests::shared_dir().map(|d| d.join("specs/real-world/nexus.json")) {
            Some(path) if path.is_file() => out.push((
                "nexus".to_string(),
                generator::load::load(&read_text(&path)).expect("nexus.json loads"),
            )),
            _ => eprintln!("note: ../shared/specs/real-world/nexus.json is absent; mutating only the Letta document"),
        }
        out
    })
}

fn real_cases() -> u32 {
    std::env::var("PROPTEST_REAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: real_cases(), max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn mutated_real_documents_never_panic(
        seed in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..12),
    ) {
        let seeds = real_seeds();
        let (name, mut doc) = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let text = serde_json::to_string(&doc).expect("serialize");
        if let Outcome::Panic(p) = generate_guarded(text, gen_support::options("prop-real", &name)) {
            prop_assert!(false, "{name} + {mutations:?}: generator panicked: {p}");
        }
        prop_assert_eq!(generator::printer::fallbacks(), 0, "{} + {:?}: a fragment did not print faithfully", name, mutations);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(
        seed in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..8),
    ) {
        let seeds = seeds();
        let (name, mut doc) = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let text = serde_json::to_string(&doc).expect("serialize");
        match generate_guarded(text, gen_support::options("prop", &name)) {
            Outcome::Panic(p) => prop_assert!(false, "{name} + {mutations:?}: generator panicked: {p}"),
            Outcome::Err(_) => {}
            Outcome::Ok(out) => {
                for (path, file) in out.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
                    prop_assert!(
                        syn::parse_file(file).is_ok(),
                        "{name} + {mutations:?}: {path} is not valid Rust"
                    );
                }
                prop_assert_eq!(generator::printer::fallbacks(), 0, "{} + {:?}: a fragment did not print faithfully", name, mutations);
            }
        }
    }
}
