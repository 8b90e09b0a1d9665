//! `generator explain NAME`: where a schema, Rust type, operation or method comes from in the spec, what
//! Rust it became, and why (naming rule, collision suffix, union strategy, boxing, representation of each
//! field, which operations and features reach it). The output is stable text: it depends only on the
//! spec, its overlays and its profile.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::ir::{Api, Operation, Response, Ty, TypeId, TypeKind};
use crate::naming::{feature_name, snake_name, type_name};
use crate::profile::{CursorOrder, Profile};
use crate::render::apis::location;
use crate::shape::tokens::needs_box;
use crate::shape::{FieldKind, ModelKind, Shape, reach};

/// Everything [`explain`] found for a name: one text block per match (an empty list when nothing has
/// that name), and the names that look alike (for "did you mean").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explanation {
    /// One block per match: schemas and types first, then operations.
    pub blocks: Vec<String>,
    /// Up to five names of the API that contain `name` or that `name` contains (ignoring case and `_`),
    /// when nothing matched exactly.
    pub similar: Vec<String>,
}

/// Explains `name` in `api`: a component schema name (`AgentState`), a Rust type name (`AgentState`,
/// `HttpValidationErrorDetail`), an operation id (`list_agents`), or a method or builder name
/// (`list_agents`, `ListAgentsBuilder`). `lib` is the crate's library name, for paths.
pub fn explain(api: &Api, profile: &Profile, lib: &str, name: &str) -> Explanation {
    let shape = Shape::of(api, profile);
    let users = type_users(api);
    let mut blocks = Vec::new();
    for (i, t) in api.types.iter().enumerate() {
        let schema = component_name(api, TypeId(i)).is_some_and(|s| s == name);
        if t.name == name || schema {
            blocks.push(explain_type(api, &shape, &users, lib, TypeId(i)));
        }
    }
    for op in &api.operations {
        if op.id == name || op.method_name == name || op.builder_name == name {
            blocks.push(explain_operation(api, &shape, profile, lib, op));
        }
    }
    let similar = if blocks.is_empty() {
        similar_names(api, name)
    } else {
        Vec::new()
    };
    Explanation { blocks, similar }
}

/// The component schema name of type `id`, when it is a component schema (not an inline type).
fn component_name(api: &Api, id: TypeId) -> Option<&str> {
    api.is_component(id)
        .then(|| api.get(id).map(|t| t.source.as_str()))
        .flatten()
}

fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn similar_names(api: &Api, name: &str) -> Vec<String> {
    let want = fold(name);
    if want.is_empty() {
        return Vec::new();
    }
    let mut names = BTreeSet::new();
    let candidates = api
        .types
        .iter()
        .map(|t| t.name.as_str())
        .chain(api.operations.iter().map(|o| o.id.as_str()));
    for c in candidates {
        let f = fold(c);
        if f.contains(&want) || want.contains(&f) {
            names.insert(c.to_string());
        }
    }
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|n| (n.len().abs_diff(name.len()), n.clone()));
    names.truncate(5);
    names
}

/// For each type: the operations that reach it, and how (`body`, `parameter`, `response`, `error`).
fn type_users(api: &Api) -> BTreeMap<TypeId, BTreeSet<(String, &'static str)>> {
    let mut users: BTreeMap<TypeId, BTreeSet<(String, &'static str)>> = BTreeMap::new();
    for op in &api.operations {
        let mut mark = |t: &Ty, how: &'static str| {
            let mut seen = BTreeSet::new();
            reach(api, t, &mut seen);
            for id in seen {
                users.entry(id).or_default().insert((op.id.clone(), how));
            }
        };
        if let Some(b) = &op.body {
            mark(&b.ty, "request body");
        }
        for p in &op.params {
            mark(&p.ty, "parameter");
        }
        if let Response::Json(t) | Response::Dual(t) = &op.response {
            mark(t, "response");
        }
        for (_, t) in &op.errors {
            mark(t, "error body");
        }
    }
    users
}

/// A Rust type as a reader writes it (`Vec<models::Block>`, `Option<String>`).
fn rust_ty(api: &Api, t: &Ty) -> String {
    match t {
        Ty::String => "String".into(),
        Ty::DateTime => "types::Timestamp".into(),
        Ty::Binary => "request::FilePart".into(),
        Ty::Integer { int32: true } => "i32".into(),
        Ty::Integer { int32: false } => "i64".into(),
        Ty::Number => "f64".into(),
        Ty::Boolean => "bool".into(),
        Ty::Any => "serde_json::Value".into(),
        Ty::Array(inner) => format!("Vec<{}>", rust_ty(api, inner)),
        Ty::Map(inner) if **inner == Ty::Any => "serde_json::Map<String, serde_json::Value>".into(),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", rust_ty(api, inner)),
        Ty::Ref(id) => format!(
            "models::{}",
            api.types.get(id.0).map_or("?", |t| t.name.as_str())
        ),
        Ty::Nullable(inner) => format!("Option<{}>", rust_ty(api, inner)),
    }
}

fn kind_label(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum of strings",
        TypeKind::IntEnum(_) => "a newtype over an integer with named constants",
        TypeKind::Const(_) => "a unit struct for a constant",
        TypeKind::Tagged(_) => "an enum (internally tagged union)",
        TypeKind::Untagged(_) => "an enum (untagged union)",
        TypeKind::Alias(_) => "a type alias",
    }
}

/// Why a type has its name.
fn naming_reason(api: &Api, id: TypeId) -> String {
    let Some(t) = api.get(id) else {
        return String::new();
    };
    let cased = type_name(&t.source);
    let what = if component_name(api, id).is_some() {
        format!("the schema name {:?}", t.source)
    } else {
        format!(
            "{:?}, its place in {}",
            t.source,
            t.parent
                .and_then(|p| api.types.get(p.0))
                .map_or("the spec", |p| p.name.as_str())
        )
    };
    if t.name == cased {
        let keyword = if cased.ends_with('_') {
            " (a Rust keyword, so with a trailing `_`)"
        } else {
            ""
        };
        return format!("UpperCamelCase of {what}{keyword}");
    }
    let base = cased.trim_end_matches('_');
    if let Some(n) = t.name.strip_prefix(base)
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        let holder = api
            .types
            .iter()
            .find(|o| o.name == cased)
            .map_or_else(|| "the generator".to_string(), |o| o.pointer.clone());
        return format!(
            "UpperCamelCase of {what} is `{cased}`, already taken by {holder}; collision suffix `{n}` (types are named in spec order)"
        );
    }
    if let TypeKind::Tagged(tagged) = &t.kind {
        let members: Vec<&str> = tagged
            .variants
            .iter()
            .filter_map(|v| api.types.get(v.ty.0).map(|m| m.name.as_str()))
            .collect();
        return format!(
            "the name its members end with ({}); an inline union shared by several owners is named from them",
            members.join(", ")
        );
    }
    format!("from {what}")
}

fn explain_type(
    api: &Api,
    shape: &Shape,
    users: &BTreeMap<TypeId, BTreeSet<(String, &'static str)>>,
    lib: &str,
    id: TypeId,
) -> String {
    let Some(t) = api.get(id) else {
        return String::new();
    };
    let mut out = String::new();
    let schema = component_name(api, id).map_or_else(
        || {
            let owner = t
                .parent
                .and_then(|p| api.types.get(p.0))
                .map_or_else(String::new, |p| format!(", owned by {}", p.name));
            format!("inline schema{owner}")
        },
        |n| format!("component schema {n:?}"),
    );
    let _ = writeln!(out, "type {}", t.name);
    let _ = writeln!(out, "  spec:      {} ({schema})", t.pointer);
    let _ = writeln!(
        out,
        "  rust:      {lib}::models::{}, {} in {}",
        t.name,
        kind_label(&t.kind),
        if t.file.is_empty() {
            "src/models/".to_string()
        } else {
            format!("src/models/{}.rs", t.file)
        }
    );
    let _ = writeln!(out, "  named:     {}", naming_reason(api, id));
    if t.deprecated {
        let _ = writeln!(out, "  deprecated in the spec: #[deprecated]");
    }
    match &t.kind {
        TypeKind::Struct(s) => {
            let required = s.fields.iter().filter(|f| f.required).count();
            let _ = writeln!(
                out,
                "  shape:     {} fields ({required} required){}",
                s.fields.len(),
                match &s.additional {
                    Some(a) => format!(
                        "; other keys kept in `additional_properties: BTreeMap<String, {}>`",
                        rust_ty(api, a)
                    ),
                    None => String::new(),
                }
            );
            let Some(model) = shape.model(id) else {
                return out;
            };
            let ModelKind::Struct(st) = &model.kind else {
                return out;
            };
            let direction = match (model.direction.request, model.direction.response) {
                (true, true) => {
                    "sent and received (request and response bodies): built by users; a nullable optional field is Nullable<T>, so an explicit null can be sent"
                }
                (true, false) => {
                    "sent (request bodies or parameters): built by users; a nullable optional field is Nullable<T>, so an explicit null can be sent"
                }
                (false, false) => {
                    "used by no operation: built like a sent type; a nullable optional field is Nullable<T>"
                }
                (false, true) => {
                    "only received (responses or error bodies): no constructor or setters, so new fields break nobody; a nullable optional field is Option<T>, absent and null both None"
                }
            };
            let _ = writeln!(out, "  travels:   {direction}");
            let building = if !st.constructible {
                "not built by users (#[non_exhaustive], fields public to read)".to_string()
            } else if !st.new_args.is_empty() {
                let args: Vec<&str> = st.new_args.iter().map(|(n, _)| n.as_str()).collect();
                format!("{}::new({}) and with_* setters", t.name, args.join(", "))
            } else {
                format!("{0}::new() (or {0}::default()) and with_* setters", t.name)
            };
            let _ = writeln!(out, "  built:     {building}");
            for (f, fs) in s.fields.iter().zip(&st.fields) {
                let boxed = fs.boxed;
                let nullable = matches!(f.ty, Ty::Nullable(_));
                let inner = rust_ty(api, f.ty.non_null());
                let inner = if boxed {
                    format!("Box<{inner}>")
                } else {
                    inner
                };
                let (ty, why) = match &fs.kind {
                    FieldKind::RequiredNullable => {
                        (format!("Option<{inner}>"), "required, nullable")
                    }
                    FieldKind::Required | FieldKind::Const { required: true } => {
                        (inner, "required")
                    }
                    FieldKind::Const { required: false } => (inner, "optional with a default"),
                    FieldKind::Defaulted { .. } if nullable => {
                        (format!("Option<{inner}>"), "optional with a default")
                    }
                    FieldKind::Defaulted { .. } => (inner, "optional with a default"),
                    FieldKind::Optional => (format!("Option<{inner}>"), "optional"),
                    FieldKind::OptionalNullable => {
                        (format!("Option<{inner}>"), "optional, nullable")
                    }
                    FieldKind::Nullable => (
                        format!("Nullable<{inner}>"),
                        "optional, nullable: Absent, Null or Value",
                    ),
                };
                let mut notes = vec![why.to_string()];
                if f.name != f.wire {
                    notes.push(format!("wire name {:?}", f.wire));
                }
                if boxed {
                    notes.push("boxed: it leads back to this type".into());
                }
                if f.deprecated {
                    notes.push("deprecated".into());
                }
                let _ = writeln!(out, "    {}: {ty}  ({})", f.name, notes.join("; "));
            }
        }
        TypeKind::Enum(values) => {
            let _ = writeln!(
                out,
                "  shape:     {} values; any other string decodes as Unknown(String) and is sent back as it came",
                values.len()
            );
            for v in values {
                let _ = writeln!(out, "    {} = {:?}", v.name, v.wire);
            }
        }
        TypeKind::IntEnum(values) => {
            let _ = writeln!(
                out,
                "  shape:     {} named values; any other integer is kept",
                values.len()
            );
            for v in values {
                let _ = writeln!(out, "    {} = {}", v.name, v.value);
            }
        }
        TypeKind::Const(v) => {
            let _ = writeln!(
                out,
                "  shape:     always {v}; decoding any other value is an error"
            );
        }
        TypeKind::Tagged(tagged) => {
            let _ = writeln!(
                out,
                "  union:     internally tagged on {:?}: the tag picks the variant; an unknown tag decodes as Unknown(serde_json::Value)",
                tagged.tag
            );
            for v in &tagged.variants {
                let values: Vec<String> = v.values.iter().map(|s| format!("{s:?}")).collect();
                let boxed = if needs_box(api, id, &Ty::Ref(v.ty)) {
                    " (boxed: it leads back to this type)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "    {} => {}({}){boxed}",
                    values.join(" | "),
                    v.name,
                    rust_ty(api, &Ty::Ref(v.ty))
                );
            }
        }
        TypeKind::Untagged(variants) => {
            let _ = writeln!(
                out,
                "  union:     untagged, decoded by best match: an object goes first to the structs that find all their required keys in it (most known keys, fewest unknown), a string first to the enums that know it; ties in this order"
            );
            for v in variants {
                let boxed = if needs_box(api, id, &v.ty) {
                    " (boxed: it leads back to this type)"
                } else {
                    ""
                };
                let _ = writeln!(out, "    {}({}){boxed}", v.name, rust_ty(api, &v.ty));
            }
        }
        TypeKind::Alias(ty) => {
            let _ = writeln!(out, "  shape:     = {}", rust_ty(api, ty));
        }
    }
    match users.get(&id) {
        None => {
            let _ = writeln!(
                out,
                "  used by:   no operation (a public type of the spec all the same)"
            );
        }
        Some(ops) => {
            let list: Vec<String> = ops
                .iter()
                .map(|(op, how)| format!("{op} ({how})"))
                .collect();
            let shown = list.iter().take(12).cloned().collect::<Vec<_>>().join(", ");
            let more = if list.len() > 12 {
                format!(", and {} more", list.len() - 12)
            } else {
                String::new()
            };
            let noun = if list.len() == 1 {
                "operation"
            } else {
                "operations"
            };
            let _ = writeln!(out, "  used by:   {} {noun}: {shown}{more}", list.len());
        }
    }
    let gate = match shape.model(id).map(|m| &m.gate) {
        Some(crate::shape::Gate::Features(set)) => format!(
            "compiled with any of the features {} (the tags of the operations that reach it)",
            set.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
        Some(crate::shape::Gate::Unused) => format!(
            "compiled with the feature {} (on by default: no operation reaches it)",
            crate::shape::UNUSED_MODELS_FEATURE
        ),
        Some(crate::shape::Gate::Always) | None => {
            "always compiled (the runtime names it: a stream event or the typed 422, or a type they reach)".into()
        }
    };
    let _ = writeln!(out, "  features:  {gate}");
    out
}

/// The API module an operation's builder lives in: its first tag's module (`default` when untagged).
fn host_module(api: &Api, op: &Operation) -> Option<String> {
    match op.tags.first() {
        None => Some("default".into()),
        Some(tag) => api
            .tags
            .iter()
            .find(|t| &t.name == tag)
            .map(|t| t.module.clone()),
    }
}

fn explain_operation(
    api: &Api,
    shape: &Shape,
    profile: &Profile,
    lib: &str,
    op: &Operation,
) -> String {
    let mut out = String::new();
    let module = host_module(api, op).unwrap_or_else(|| "default".into());
    let _ = writeln!(out, "operation {}", op.id);
    let _ = writeln!(
        out,
        "  spec:      {} ({} {})",
        op.pointer,
        op.method.to_uppercase(),
        op.path
    );
    let required: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.clone())
        .chain(op.body.iter().filter(|b| b.required).map(|_| "body".into()))
        .collect();
    let _ = writeln!(
        out,
        "  rust:      client.{module}().{}({}) -> {lib}::apis::{module}::{} (src/apis/{module}.rs, feature `{}`)",
        op.method_name,
        required.join(", "),
        op.builder_name,
        feature_name(&module)
    );
    let method_reason = if op.method_name == snake_name(&op.id) {
        format!("snake_case of the operationId {:?}", op.id)
    } else {
        format!(
            "snake_case of the operationId {:?} is `{}`, already taken; collision suffix",
            op.id,
            snake_name(&op.id)
        )
    };
    let _ = writeln!(
        out,
        "  named:     {method_reason}; the builder is its UpperCamelCase + `Builder`"
    );
    if op.tags.len() > 1 {
        let _ = writeln!(
            out,
            "  also in:   the APIs of the tags {} (the builder lives in the first tag's module)",
            op.tags[1..].join(", ")
        );
    }
    if op.deprecated {
        let _ = writeln!(out, "  deprecated in the spec: #[deprecated]");
    }
    for p in &op.params {
        let how = if p.required {
            "argument"
        } else {
            "builder setter"
        };
        let rename = if p.name != p.wire {
            format!(", wire name {:?}", p.wire)
        } else {
            String::new()
        };
        let ty = if p.required && p.ty == Ty::String {
            "impl Into<String>".to_string()
        } else {
            rust_ty(api, &p.ty)
        };
        let _ = writeln!(
            out,
            "    {}: {ty}  ({} parameter, {how}{rename})",
            p.name,
            location(p.location)
        );
    }
    if let Some(b) = &op.body {
        let how = if b.required {
            "argument"
        } else {
            "builder setter `.body(..)`"
        };
        let _ = writeln!(
            out,
            "    body: {}  ({} request body, {how})",
            rust_ty(api, &b.ty),
            b.media_type
        );
    }
    let returns = match &op.response {
        Response::Empty => ".send() -> () (no body)".to_string(),
        Response::Json(t) => format!(".send() -> {} (JSON)", rust_ty(api, t)),
        Response::Stream => {
            ".send() -> an event stream of apis::StreamEvent (text/event-stream)".to_string()
        }
        Response::Dual(t) => format!(
            ".send() -> {} (JSON), or .stream() -> an event stream of apis::StreamEvent: the spec offers both",
            rust_ty(api, t)
        ),
        Response::Text => ".send() -> String (text)".to_string(),
        Response::Bytes => ".send() -> bytes::Bytes (binary)".to_string(),
    };
    let _ = writeln!(out, "  returns:   {returns}");
    if !op.errors.is_empty() {
        let errors: Vec<String> = op
            .errors
            .iter()
            .map(|(status, t)| format!("{status} -> {}", rust_ty(api, t)))
            .collect();
        let _ = writeln!(
            out,
            "  errors:    Error::Api with a typed body for {}",
            errors.join(", ")
        );
    }
    if shape
        .ops
        .iter()
        .any(|o| o.id == op.id && o.paging.is_some())
    {
        let cursors = profile
            .paging
            .cursors_by_operation
            .get(&op.id)
            .copied()
            .unwrap_or(profile.paging.cursors);
        let (rule, source) = match cursors {
            CursorOrder::FollowOrder => (
                "`after=<last id>` continues in the order asked for",
                "paging.cursors",
            ),
            CursorOrder::Chronological => (
                "cursors are chronological: a descending walk continues with `before=<last id>`",
                "paging.cursors_by_operation",
            ),
            CursorOrder::Swapped => (
                "the cursor names are swapped: `before=<last id>` continues",
                "paging.cursors_by_operation",
            ),
            CursorOrder::ChronologicalAscendingPages => (
                "pages come oldest first: a descending walk continues with `before=<first id>` and yields each page reversed",
                "paging.cursors_by_operation",
            ),
        };
        let source = if profile.paging.cursors_by_operation.contains_key(&op.id) {
            source
        } else {
            "paging.cursors"
        };
        let _ = writeln!(
            out,
            "  paging:    .into_stream() walks every page: {rule} (the profile's {source})"
        );
    }
    out
}
