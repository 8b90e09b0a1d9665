//! `normalize`: rewrites an OpenAPI 3.1 document into the 3.0 shape `openapiv3` reads, without losing meaning.
//!
//! `openapiv3` models 3.0: it silently drops `const`, turns `{type: "null"}` branches into "any", and cannot
//! read `type: [X, "null"]`. This pass rewrites, on the raw JSON and only at schema positions:
//!
//! - `anyOf`/`oneOf` with `{type: "null"}` branches → the remaining branch (or branches) plus `nullable: true`;
//!   a lone remaining `$ref` becomes `allOf: [$ref]` so the siblings (`nullable`, `description`) survive;
//! - a `$ref` with a `description`, `title` or `default` beside it, as a property, item or additional
//!   properties, becomes `allOf: [$ref]` with those, so they reach the field;
//! - `const: v` → `enum: [v]` plus the extension `x-const: true` (so a tag stays a tag, not a one-value enum);
//! - `type: [X, "null"]` → `type: X` + `nullable`; several non-null types → `anyOf` of each;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + the 3.0 boolean form;
//! - `examples` arrays inside schemas are dropped (documentation only);
//! - a string with a non-text `contentMediaType` (3.1's way to mark file contents, e.g.
//!   `application/octet-stream`) and no `format` → `format: binary`, as 3.0 writes it;
//! - boolean schemas (3.1) → `{}` for `true`, `{not: {}}` for `false` (except `additionalProperties`, where
//!   3.0 has the boolean form).
//!
//! Every rewrite is counted in [`Stats`], so tests can prove nothing was lost.

use serde_json::{Map, Value};

use crate::error::push_pointer;

/// The extension key that marks an `enum` that came from a `const`.
pub const CONST_MARK: &str = "x-const";

/// What the pass rewrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// `anyOf` schemas that had a null branch.
    pub any_of_null: usize,
    /// `oneOf` schemas that had a null branch.
    pub one_of_null: usize,
    /// `const` keywords rewritten to one-value enums.
    pub consts: usize,
    /// `type` arrays rewritten.
    pub type_arrays: usize,
    /// Numeric exclusive bounds rewritten.
    pub exclusive_bounds: usize,
    /// `contentMediaType` strings rewritten to `format: binary`.
    pub binary_strings: usize,
    /// Boolean schemas (`true`/`false`, 3.1) rewritten to `{}` / `{not: {}}`.
    pub boolean_schemas: usize,
    /// `$ref`s with a `description`, `title` or `default` beside them (3.1), wrapped as `allOf: [$ref]`
    /// so those reach the field or item that uses them.
    pub ref_siblings: usize,
    /// Schema positions visited.
    pub schemas: usize,
}

/// Normalizes `doc` in place and returns what was rewritten.
pub fn normalize(doc: &mut Value) -> Stats {
    let mut stats = Stats::default();
    let Some(root) = doc.as_object_mut() else {
        return stats;
    };
    if let Some(Value::String(v)) = root.get("openapi")
        && v.starts_with("3.1")
    {
        root.insert("openapi".into(), Value::String("3.0.3".into()));
    }
    root.remove("webhooks");
    root.remove("jsonSchemaDialect");
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));

    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        for (section, kind) in [
            ("schemas", Slot::Schema),
            ("parameters", Slot::Parameter),
            ("requestBodies", Slot::Content),
            ("responses", Slot::Content),
            ("headers", Slot::Parameter),
        ] {
            if let Some(Value::Object(map)) = components.get_mut(section) {
                for (_, v) in map.iter_mut() {
                    visit_slot(v, kind, &mut stats);
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (_, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (key, value) in item.iter_mut() {
                if key == "parameters" {
                    visit_params(value, &mut stats);
                } else if is_method(key) {
                    visit_operation(value, &mut stats);
                }
            }
        }
    }
    stats
}

/// HTTP methods a path item may hold.
pub fn is_method(key: &str) -> bool {
    HTTP_METHODS.contains(&key)
}

/// The operation keys of a path item, in the order `openapiv3::PathItem` has them.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[derive(Clone, Copy)]
enum Slot {
    Schema,
    Parameter,
    Content,
}

fn visit_slot(v: &mut Value, slot: Slot, stats: &mut Stats) {
    match slot {
        Slot::Schema => visit_schema(v, stats),
        Slot::Parameter => {
            if let Some(obj) = v.as_object_mut() {
                if let Some(s) = obj.get_mut("schema") {
                    visit_schema(s, stats);
                }
                visit_content(obj, stats);
            }
        }
        Slot::Content => {
            if let Some(obj) = v.as_object_mut() {
                visit_content(obj, stats);
                if let Some(Value::Object(headers)) = obj.get_mut("headers") {
                    for (_, h) in headers.iter_mut() {
                        visit_slot(h, Slot::Parameter, stats);
                    }
                }
            }
        }
    }
}

fn visit_content(obj: &mut Map<String, Value>, stats: &mut Stats) {
    if let Some(Value::Object(content)) = obj.get_mut("content") {
        for (_, media) in content.iter_mut() {
            if let Some(s) = media.as_object_mut().and_then(|m| m.get_mut("schema")) {
                visit_schema(s, stats);
            }
        }
    }
}

fn visit_params(v: &mut Value, stats: &mut Stats) {
    if let Value::Array(params) = v {
        for p in params {
            visit_slot(p, Slot::Parameter, stats);
        }
    }
}

fn visit_operation(op: &mut Value, stats: &mut Stats) {
    let Some(op) = op.as_object_mut() else { return };
    if let Some(p) = op.get_mut("parameters") {
        visit_params(p, stats);
    }
    if let Some(b) = op.get_mut("requestBody") {
        visit_slot(b, Slot::Content, stats);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for (_, r) in responses.iter_mut() {
            visit_slot(r, Slot::Content, stats);
        }
    }
}

/// True for a branch that only admits `null`.
fn is_null_branch(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    match obj.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => {
            matches!(obj.get("const"), Some(Value::Null))
                || matches!(obj.get("enum"), Some(Value::Array(vs)) if vs.len() == 1 && vs[0].is_null())
        }
    }
}

/// `{$ref: X, description: D, default: V}` (3.1 allows keywords beside a `$ref`; `openapiv3` keeps only the
/// `$ref`) → `{allOf: [{$ref: X}], description: D, default: V}`, for the positions whose text and default
/// belong to a field or an item (properties, items, additional properties). `description`, `title` and
/// `default` move (a field with a default is a plain field filled with it, and the default tells apart
/// union members such as Letta's MCP server configs, which differ only in `type`'s default); other
/// siblings are dropped as before. Union branches are left alone: a branch must stay a plain `$ref` to be
/// a tagged member.
fn keep_ref_text(v: &mut Value, stats: &mut Stats) {
    let Some(obj) = v.as_object_mut() else { return };
    if !obj.contains_key("$ref")
        || !["description", "title", "default"]
            .iter()
            .any(|k| obj.contains_key(*k))
    {
        return;
    }
    let mut wrapped = Map::new();
    for key in ["description", "title", "default"] {
        if let Some(text) = obj.remove(key) {
            wrapped.insert(key.into(), text);
        }
    }
    if let Some(reference) = obj.remove("$ref") {
        let mut inner = Map::new();
        inner.insert("$ref".into(), reference);
        wrapped.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
    }
    // A sibling `nullable` (written by the null-branch rewrite) still applies to the wrapper.
    if let Some(nullable) = obj.remove("nullable") {
        wrapped.insert("nullable".into(), nullable);
    }
    *v = Value::Object(wrapped);
    stats.ref_siblings += 1;
}

/// Schema-valued keywords to recurse into.
fn visit_children(obj: &mut Map<String, Value>, stats: &mut Stats) {
    // `additionalProperties: false/true` is valid 3.0; everywhere else a boolean schema is rewritten.
    if let Some(child) = obj.get_mut("additionalProperties")
        && child.is_object()
    {
        keep_ref_text(child, stats);
        visit_schema(child, stats);
    }
    for key in ["items", "not", "contains", "propertyNames"] {
        if let Some(child) = obj.get_mut(key) {
            if key == "items" {
                keep_ref_text(child, stats);
            }
            visit_schema(child, stats);
        }
    }
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(map)) = obj.get_mut(key) {
            for (_, child) in map.iter_mut() {
                if key == "properties" {
                    keep_ref_text(child, stats);
                }
                visit_schema(child, stats);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(list)) = obj.get_mut(key) {
            for child in list.iter_mut() {
                visit_schema(child, stats);
            }
        }
    }
}

fn visit_schema(v: &mut Value, stats: &mut Stats) {
    // 3.1 boolean schemas: `true` admits anything, `false` nothing. 3.0 (and `openapiv3`) only has objects.
    if let Value::Bool(b) = v {
        *v = if *b {
            Value::Object(Map::new())
        } else {
            serde_json::json!({ "not": {} })
        };
        stats.boolean_schemas += 1;
    }
    let Some(obj) = v.as_object_mut() else { return };
    stats.schemas += 1;
    obj.remove("examples");
    obj.remove("$schema");
    obj.remove("$id");

    for key in ["anyOf", "oneOf"] {
        let has_null =
            matches!(obj.get(key), Some(Value::Array(list)) if list.iter().any(is_null_branch));
        if !has_null {
            continue;
        }
        if key == "anyOf" {
            stats.any_of_null += 1
        } else {
            stats.one_of_null += 1
        }
        let Some(Value::Array(list)) = obj.remove(key) else {
            continue;
        };
        let mut rest: Vec<Value> = list.into_iter().filter(|b| !is_null_branch(b)).collect();
        obj.insert("nullable".into(), Value::Bool(true));
        match rest.len() {
            0 => {}
            1 => {
                let branch = rest.remove(0);
                match branch {
                    Value::Object(b) if b.contains_key("$ref") => {
                        obj.insert("allOf".into(), Value::Array(vec![Value::Object(b)]));
                    }
                    Value::Object(b) => {
                        for (k, bv) in b {
                            if k == "title" || k == "description" || k == "default" {
                                obj.entry(k).or_insert(bv);
                            } else {
                                obj.insert(k, bv);
                            }
                        }
                    }
                    other => {
                        obj.insert("allOf".into(), Value::Array(vec![other]));
                    }
                }
            }
            _ => {
                obj.insert(key.into(), Value::Array(rest));
            }
        }
    }

    if let Some(Value::Array(types)) = obj.get("type").cloned() {
        stats.type_arrays += 1;
        let nullable = types.iter().any(|t| t == "null");
        let non_null: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        if nullable {
            obj.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.len() {
            0 => {
                obj.remove("type");
            }
            1 => {
                obj.insert("type".into(), non_null[0].clone());
            }
            _ => {
                obj.remove("type");
                let branches = non_null
                    .into_iter()
                    .map(|t| serde_json::json!({ "type": t }))
                    .collect();
                obj.insert("anyOf".into(), Value::Array(branches));
            }
        }
    } else if matches!(obj.get("type"), Some(Value::String(t)) if t == "null") {
        obj.remove("type");
        obj.insert("nullable".into(), Value::Bool(true));
    }

    if let Some(c) = obj.remove("const") {
        stats.consts += 1;
        if !obj.contains_key("type") {
            let t = match &c {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(t) = t {
                obj.insert("type".into(), Value::String(t.into()));
            }
        }
        obj.insert("enum".into(), Value::Array(vec![c]));
        obj.insert(CONST_MARK.into(), Value::Bool(true));
    }

    if let Some(Value::String(media)) = obj.get("contentMediaType")
        && !is_text_media(media)
        && matches!(obj.get("type"), Some(Value::String(t)) if t == "string")
        && !obj.contains_key("format")
    {
        stats.binary_strings += 1;
        obj.insert("format".into(), Value::String("binary".into()));
    }

    for (num, flag) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = obj.get(num).cloned() {
            stats.exclusive_bounds += 1;
            obj.insert(flag.into(), Value::Number(n));
            obj.insert(num.into(), Value::Bool(true));
        }
    }

    visit_children(obj, stats);
}

/// A media type whose content is text (a string field can hold it as it is).
fn is_text_media(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m.starts_with("text/")
        || m == "application/json"
        || m.ends_with("+json")
        || m == "application/xml"
        || m.ends_with("+xml")
        || m == "application/x-www-form-urlencoded"
}

/// Builds a JSON pointer for a component schema name.
pub fn schema_pointer(name: &str) -> String {
    push_pointer("#/components/schemas", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_after(schema: Value) -> (Value, Stats) {
        let mut doc = serde_json::json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"S": schema}},
        });
        let stats = normalize(&mut doc);
        (doc["components"]["schemas"]["S"].clone(), stats)
    }

    #[test]
    fn a_string_of_binary_content_becomes_format_binary() {
        let (s, stats) = schema_after(serde_json::json!({
            "type": "object",
            "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                "image": {"type": "string", "contentMediaType": "image/png"},
                "note": {"type": "string", "contentMediaType": "text/plain"},
                "doc": {"type": "string", "contentMediaType": "application/json"},
                "dated": {"type": "string", "format": "date-time", "contentMediaType": "application/octet-stream"},
            }
        }));
        let p = &s["properties"];
        assert_eq!(p["file"]["format"], "binary");
        assert_eq!(p["image"]["format"], "binary");
        assert!(p["note"].get("format").is_none());
        assert!(p["doc"].get("format").is_none());
        assert_eq!(p["dated"]["format"], "date-time", "an explicit format wins");
        assert_eq!(stats.binary_strings, 2);
    }
}
