//! Naming, in one place: every Rust identifier the generator emits is decided here.
//!
//! Rules (applied in this order):
//! 1. Case with `heck` (types and variants `UpperCamelCase`, everything else `snake_case`), after folding
//!    the spec name to ASCII: accents are stripped (`über` → `uber`), other non-ASCII characters become
//!    `uXXXX`, punctuation separates words.
//! 2. Sanitize: an empty name becomes `Empty` / `value`; a leading digit gets an `N` / `n` prefix; a Rust
//!    keyword gets a trailing underscore (`type` → `type_`, `Self` → `Self_`), and the wire name is kept with
//!    `#[serde(rename)]` by the emitter. Names longer than [`MAX_NAME_LEN`] are cut (they become file
//!    names). Derived names drop that underscore before a suffix (`self_` → `SelfApi`, not `Self_Api`).
//! 3. Uniqueness, per scope (crate types, a struct's fields, an enum's variants, the operations, an
//!    operation's parameters, the tag modules): when two spec names map to the same Rust name, the one met
//!    first keeps it and later ones get the suffix `2`, `3`, … Tag modules also avoid `mod`, `super` and
//!    `default` (the emitted Cargo.toml's feature list). Scopes are visited in sorted order (component
//!    names, then paths and methods), so the rule is deterministic. Each such rename is reported as a
//!    warning naming both sources.

// No panic on any input: these passes read every document a user gives them, so a missing key or
// an index out of range is an error (or a fallback), never an `unwrap` or `[i]`.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::ir::{Api, Ty, TypeKind};

/// Rust keywords (all editions, strict and reserved) that cannot be plain identifiers.
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the builder of every operation uses itself; parameters cannot take them.
pub const BUILDER_RESERVED: &[&str] = &[
    "client",
    "options",
    "extra_headers",
    "settings",
    "stream",
    "send",
    "header",
    "timeout",
    "max_retries",
    "retry_non_idempotent",
    "into_stream",
    "new",
];

/// Methods of `Client` itself; tag accessors cannot take them.
pub const CLIENT_RESERVED: &[&str] = &[
    "builder", "new", "from_env", "base_url", "execute", "clone", "fmt",
];

/// Folds a spec name to ASCII words separated by spaces.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// Longest name (in ASCII characters) the casing step keeps. Type and module names become file names
/// (`src/models/<snake_case>.rs`, at most twice as long as the type name), and file systems stop at 255
/// bytes; longer names are cut here, and the uniqueness rule tells cut names apart.
pub const MAX_NAME_LEN: usize = 120;

fn cap_len(mut name: String) -> String {
    if name.len() > MAX_NAME_LEN {
        // The name is ASCII here (`ascii_words` folded everything else), so any index is a char boundary.
        name.truncate(MAX_NAME_LEN);
        while name.ends_with('_') {
            name.pop();
        }
    }
    name
}

fn fix_keyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `UpperCamelCase` name for a type or variant.
pub fn type_name(raw: &str) -> String {
    let mut name = cap_len(ascii_words(raw).to_upper_camel_case());
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    fix_keyword(name)
}

/// `snake_case` name for a field, parameter, method or module.
pub fn snake_name(raw: &str) -> String {
    let mut name = cap_len(ascii_words(raw).to_snake_case());
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    fix_keyword(name)
}

/// One uniqueness scope.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeMap<String, String>,
}

impl Scope {
    /// A scope whose names start out taken (by the generator itself).
    pub fn reserved(names: &[&str]) -> Self {
        Scope {
            taken: names
                .iter()
                .map(|n| ((*n).to_string(), "the generated code".to_string()))
                .collect(),
        }
    }

    /// True when `name` is already claimed in this scope.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// Claims `name` for `source`; on a collision, returns the first free `name2`, `name3`, … and records a
    /// warning naming both sources.
    pub fn claim(
        &mut self,
        name: String,
        source: &str,
        what: &str,
        warnings: &mut Vec<String>,
    ) -> String {
        if !self.taken.contains_key(&name) {
            self.taken.insert(name.clone(), source.to_string());
            return name;
        }
        let base = name.trim_end_matches('_').to_string();
        let mut n = 2;
        let unique = loop {
            let candidate = format!("{base}{n}");
            if !self.taken.contains_key(&candidate) {
                break candidate;
            }
            n += 1;
        };
        warnings.push(format!(
            "{what} `{source}` maps to `{name}`, already used by `{}`; it is named `{unique}`",
            self.taken.get(&name).map_or("", String::as_str)
        ));
        self.taken.insert(unique.clone(), source.to_string());
        unique
    }
}

/// A variant name describing an untagged union member's type.
fn ty_label(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Binary => "Binary".into(),
        Ty::Integer { .. } => "Integer".into(),
        Ty::Number => "Number".into(),
        Ty::Boolean => "Boolean".into(),
        Ty::Any => "Value".into(),
        // A keyword's underscore goes before the suffix: `Self_` → `SelfList`, not `Self_List`.
        Ty::Array(inner) => format!("{}List", ty_label(api, inner).trim_end_matches('_')),
        Ty::Map(inner) => format!("{}Map", ty_label(api, inner).trim_end_matches('_')),
        Ty::Ref(id) => api.name_of(*id).to_string(),
        Ty::Nullable(inner) => ty_label(api, inner),
    }
}

/// `UpperCamelCase` words of a type name.
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// The name of an inline union (discriminated, or untagged over component schemas) shared by several
/// owners (see `resolve`): the words its
/// members' names end with (`ChildToolRule`, `InitToolRule`, … → `ToolRule`), when they have such a
/// common ending that is not itself one of the members. Members are component schemas, named before any
/// inline type.
fn shared_union_name(api: &Api, i: usize) -> Option<String> {
    let t = api.types.get(i)?;
    let members: Vec<crate::ir::TypeId> = match &t.kind {
        TypeKind::Tagged(tagged) => tagged.variants.iter().map(|v| v.ty).collect(),
        TypeKind::Untagged(vs) => vs
            .iter()
            .map(|v| match v.ty.non_null() {
                Ty::Ref(id) => Some(*id),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    if t.parent.is_some()
        || t.pointer
            .strip_prefix("#/components/schemas/")
            .is_some_and(|rest| !rest.contains('/'))
    {
        return None;
    }
    let names: Vec<&str> = members.iter().map(|id| api.name_of(*id)).collect();
    if names.len() < 2 || names.iter().any(|n| n.is_empty()) {
        return None;
    }
    let words: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    let mut suffix: Vec<&str> = Vec::new();
    // Grow the common ending word by word while every name is still longer than it.
    while let Some(next) = words
        .iter()
        .map(|w| {
            w.len()
                .checked_sub(suffix.len() + 1)
                .filter(|&at| at > 0)
                .and_then(|at| w.get(at).copied())
        })
        .collect::<Option<Vec<_>>>()
    {
        let Some(&first) = next.first() else { break };
        if next.iter().any(|w| *w != first) {
            break;
        }
        suffix.insert(0, first);
    }
    // An untagged union's members share less by construction: one common word (`Request`) names nothing.
    let min_words = if matches!(t.kind, TypeKind::Untagged(_)) {
        2
    } else {
        1
    };
    let name = suffix.concat();
    (suffix.len() >= min_words && !names.contains(&name.as_str())).then_some(name)
}

/// Assigns every Rust name in the IR. Returns the collision warnings.
pub fn assign(api: &mut Api) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut types = Scope::default();
    for i in 0..api.types.len() {
        let shared = shared_union_name(api, i).filter(|n| !types.is_taken(n));
        let Some(t) = api.types.get_mut(i) else {
            continue;
        };
        let source = t.source.clone();
        t.name = types.claim(
            shared.unwrap_or_else(|| type_name(&source)),
            &format!("{} ({})", source, t.pointer),
            "schema",
            &mut warnings,
        );
    }
    for i in 0..api.types.len() {
        let Some(t) = api.types.get_mut(i) else {
            continue;
        };
        let pointer = t.pointer.clone();
        let mut kind = std::mem::replace(&mut t.kind, TypeKind::Alias(Ty::Any));
        match &mut kind {
            TypeKind::Struct(s) => {
                let mut scope = Scope::default();
                if s.additional.is_some() {
                    scope = Scope::reserved(&["additional_properties"]);
                }
                for f in &mut s.fields {
                    f.name = scope.claim(
                        snake_name(&f.wire),
                        &format!("{pointer}/properties/{}", f.wire),
                        "property",
                        &mut warnings,
                    );
                }
            }
            TypeKind::Enum(values) => {
                let mut scope = Scope::reserved(&["Unknown"]);
                for v in values {
                    v.name = scope.claim(
                        type_name(&v.wire),
                        &format!("{pointer} value {:?}", v.wire),
                        "enum value",
                        &mut warnings,
                    );
                }
            }
            TypeKind::Tagged(tagged) => {
                let mut scope = Scope::reserved(&["Unknown"]);
                let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
                for v in &tagged.variants {
                    *counts.entry(v.ty.0).or_default() += 1;
                }
                for v in &mut tagged.variants {
                    let first = v.values.first().map_or("", String::as_str);
                    let label = if counts.get(&v.ty.0) == Some(&1) {
                        api.name_of(v.ty).to_string()
                    } else {
                        type_name(first)
                    };
                    v.name = scope.claim(
                        label,
                        &format!("{pointer} tag {first:?}"),
                        "union member",
                        &mut warnings,
                    );
                }
            }
            TypeKind::IntEnum(values) => {
                let mut scope = Scope::default();
                for v in values {
                    let name = if v.value < 0 {
                        format!("VALUE_MINUS_{}", v.value.unsigned_abs())
                    } else {
                        format!("VALUE_{}", v.value)
                    };
                    v.name = scope.claim(
                        name,
                        &format!("{pointer} value {}", v.value),
                        "integer enum value",
                        &mut warnings,
                    );
                }
            }
            TypeKind::Untagged(variants) => {
                let mut scope = Scope::default();
                for (i, v) in variants.iter_mut().enumerate() {
                    v.name = scope.claim(
                        ty_label(api, &v.ty),
                        &format!("{pointer} member {i}"),
                        "union member",
                        &mut warnings,
                    );
                }
            }
            _ => {}
        }
        if let Some(t) = api.types.get_mut(i) {
            t.kind = kind;
        }
    }
    assign_files(api, &mut warnings);

    let mut methods = Scope::default();
    let mut builders = Scope::default();
    for op in api.operations.iter_mut() {
        op.method_name = methods.claim(snake_name(&op.id), &op.pointer, "operation", &mut warnings);
        op.builder_name = builders.claim(
            format!("{}Builder", type_name(&op.id).trim_end_matches('_')),
            &op.pointer,
            "operation",
            &mut warnings,
        );
        let mut scope = Scope::reserved(BUILDER_RESERVED);
        if op.body.is_some() {
            scope.claim(
                "body".into(),
                &format!("{}/requestBody", op.pointer),
                "request body",
                &mut warnings,
            );
        }
        for p in op.params.iter_mut() {
            p.name = scope.claim(
                snake_name(&p.wire),
                &format!("{} parameter {:?}", op.pointer, p.wire),
                "parameter",
                &mut warnings,
            );
        }
    }
    // A module named `default` is fine; its Cargo feature is renamed (see [`feature_name`]).
    let mut modules = Scope::reserved(&["mod", "super"]);
    let mut accessors = Scope::reserved(CLIENT_RESERVED);
    let mut api_types = Scope::default();
    for tag in api.tags.iter_mut() {
        let module = modules.claim(
            snake_name(&tag.name),
            &format!("tag {:?}", tag.name),
            "tag",
            &mut warnings,
        );
        // A keyword module (`self_`) must not give `Self_Api`: the underscore goes before `Api` is added.
        tag.api_type = api_types.claim(
            format!("{}Api", type_name(&module).trim_end_matches('_')),
            &format!("tag {:?}", tag.name),
            "tag",
            &mut warnings,
        );
        let accessor = accessors.claim(
            module.clone(),
            &format!("tag {:?}", tag.name),
            "tag",
            &mut warnings,
        );
        tag.module = if accessor == module { module } else { accessor };
    }
    warnings
}

/// Model files: each component's file (its snake-case name, unique among files) holds the inline types it
/// owns; in each file, the default-value functions of fields with a spec `default` get unique names
/// (`default_<type>_<field>`).
fn assign_files(api: &mut Api, warnings: &mut Vec<String>) {
    let mut files = Scope::default();
    let mut fns: BTreeMap<usize, Scope> = BTreeMap::new();
    let roots: Vec<usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| t.parent.map_or(i, |p| p.0))
        .collect();
    let mut file_of: BTreeMap<usize, String> = BTreeMap::new();
    let unique: std::collections::BTreeSet<usize> = roots.iter().copied().collect();
    for root in unique {
        let root_name = api
            .types
            .get(root)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let file = files.claim(snake_name(&root_name), &root_name, "model file", warnings);
        file_of.insert(root, file);
    }
    for (i, root) in roots.iter().enumerate() {
        let file = file_of.get(root).cloned().unwrap_or_default();
        let Some(t) = api.types.get_mut(i) else {
            continue;
        };
        let type_snake = snake_name(&t.name);
        let pointer = t.pointer.clone();
        let scope = fns.entry(*root).or_default();
        if let TypeKind::Struct(s) = &mut t.kind {
            for f in &mut s.fields {
                if f.default.as_ref().is_some_and(|d| !d.is_null()) {
                    f.default_fn = scope.claim(
                        format!("default_{}_{}", type_snake, f.name.trim_end_matches('_')),
                        &format!("{pointer}/properties/{}", f.wire),
                        "default function",
                        warnings,
                    );
                }
            }
        }
        t.file = file;
    }
}

/// Cargo features of every emitted crate that are not API modules.
pub const CRATE_FEATURES: &[&str] = &["default", "tracing", "unused-models"];

/// The Cargo feature that gates an API module: the module's name, except that `default` (the module of
/// untagged operations) is Cargo's own feature list, so its feature is `untagged`, and a module whose name
/// is one of [`CRATE_FEATURES`] or `untagged` gets `<name>-tag` (a module name never has a `-`, so this
/// cannot collide).
pub fn feature_name(module: &str) -> String {
    if module == "default" {
        "untagged".into()
    } else if module == "untagged" || CRATE_FEATURES.contains(&module) {
        format!("{module}-tag")
    } else {
        module.to_string()
    }
}

/// The `with_<field>` setter names of a struct's fields, in field order: `with_` and the field name
/// without the keyword underscore (`type_` → `with_type`), unless that repeats an earlier setter's name,
/// in which case the field name is kept whole (`with_type_`). Field names are unique, so these are too.
pub fn setter_names(fields: &[String]) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    fields
        .iter()
        .map(|f| {
            let short = format!("with_{}", f.strip_suffix('_').unwrap_or(f));
            let name = if fields
                .iter()
                .any(|g| g != f && format!("with_{g}") == short)
                || taken.contains(&short)
            {
                format!("with_{f}")
            } else {
                short
            };
            taken.insert(name.clone());
            name
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)] // in tests a failure is an assertion
mod tests {
    use super::*;

    #[test]
    fn setter_names_drop_the_keyword_underscore_unless_it_would_collide() {
        let names = |v: &[&str]| setter_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(names(&["type_", "name"]), ["with_type", "with_name"]);
        assert_eq!(names(&["type", "type_"]), ["with_type", "with_type_"]);
        assert_eq!(names(&["type_", "type"]), ["with_type_", "with_type"]);
    }

    #[test]
    fn features_never_collide_with_the_crates_own() {
        assert_eq!(feature_name("agents"), "agents");
        assert_eq!(feature_name("default"), "untagged");
        assert_eq!(feature_name("untagged"), "untagged-tag");
        assert_eq!(feature_name("tracing"), "tracing-tag");
        let all: std::collections::BTreeSet<String> = ["default", "untagged", "tracing", "agents"]
            .iter()
            .map(|m| feature_name(m))
            .collect();
        assert_eq!(all.len(), 4, "{all:?}");
        assert!(
            all.iter().all(|f| !CRATE_FEATURES.contains(&f.as_str())),
            "{all:?}"
        );
    }

    #[test]
    fn naming_tables() {
        let cases = [
            ("type", "type_", "Type"),
            ("self", "self_", "Self_"),
            ("crate", "crate_", "Crate"),
            ("async", "async_", "Async"),
            ("gen", "gen_", "Gen"),
            ("$ref", "ref_", "Ref"),
            ("1x", "n1x", "N1x"),
            ("", "value", "Empty"),
            ("über", "uber", "Uber"),
            ("a-b", "a_b", "AB"),
            ("A B", "a_b", "AB"),
            ("HTTPServerError", "http_server_error", "HttpServerError"),
            ("X-Project", "x_project", "XProject"),
            ("user-id", "user_id", "UserId"),
            ("Option", "option", "Option"),
            ("日本", "u65e5_u672c", "U65e5U672c"),
        ];
        for (raw, snake, camel) in cases {
            assert_eq!(snake_name(raw), snake, "snake of {raw:?}");
            assert_eq!(type_name(raw), camel, "camel of {raw:?}");
        }
        // `Self` as a type name is a keyword; `Option`/`Result`/`String` are fine because emitted code spells
        // `::std::option::Option` in full.
        assert_eq!(type_name("Self"), "Self_");

        // Collisions after case conversion: first come keeps the name, later ones get a suffix and a warning.
        let mut scope = Scope::default();
        let mut warnings = Vec::new();
        assert_eq!(
            scope.claim(snake_name("getUser"), "#/a", "operation", &mut warnings),
            "get_user"
        );
        assert_eq!(
            scope.claim(snake_name("get_user"), "#/b", "operation", &mut warnings),
            "get_user2"
        );
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("#/a") && warnings[0].contains("#/b"),
            "names both sources: {}",
            warnings[0]
        );
        let mut scope = Scope::default();
        assert_eq!(
            scope.claim(type_name("foo_bar"), "foo_bar", "schema", &mut warnings),
            "FooBar"
        );
        assert_eq!(
            scope.claim(type_name("FooBar"), "FooBar", "schema", &mut warnings),
            "FooBar2"
        );
        // Reserved names: builder internals cannot be taken by parameters.
        let mut scope = Scope::reserved(BUILDER_RESERVED);
        assert_eq!(
            scope.claim("client".into(), "param client", "parameter", &mut warnings),
            "client2"
        );
    }

    #[test]
    fn model_files_integer_constants_and_default_functions_are_named_here() {
        let text = r#"{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{},
            "components":{"schemas":{
              "Level":{"type":"integer","enum":[-1,0,2]},
              "Item":{"type":"object","properties":{"size":{"type":"integer","default":3},
                      "Size":{"type":"integer","default":4}}},
              "item":{"type":"object","properties":{"x":{"type":"string"}}}}}}"#;
        let (api, _, warnings) = crate::frontend::load_api(text).unwrap();
        let find = |source: &str| api.types.iter().find(|t| t.source == source).unwrap();
        let TypeKind::IntEnum(values) = &find("Level").kind else {
            panic!("an int enum")
        };
        let names: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["VALUE_MINUS_1", "VALUE_0", "VALUE_2"]);
        // Two schemas whose names meet: the second is `Item2`, in its own file.
        let mut files: Vec<&str> = ["Item", "item"]
            .iter()
            .map(|s| find(s).file.as_str())
            .collect();
        files.sort_unstable();
        assert_eq!(files, ["item", "item2"]);
        assert!(
            warnings.iter().any(|w| w.contains("`Item2`")),
            "{warnings:?}"
        );
        // A file name taken twice gets a suffix too (the scope is the same kind as every other).
        let mut scope = Scope::default();
        let mut w = Vec::new();
        assert_eq!(
            scope.claim("item".into(), "A", "model file", &mut w),
            "item"
        );
        assert_eq!(
            scope.claim("item".into(), "B", "model file", &mut w),
            "item2"
        );
        assert!(w[0].contains("model file"), "{w:?}");
        // Fields `size` and `Size` are `size` and `size2`; their default functions are unique too.
        let TypeKind::Struct(s) = &find("Item").kind else {
            panic!("a struct")
        };
        let fns: Vec<&str> = s.fields.iter().map(|f| f.default_fn.as_str()).collect();
        assert_eq!(fns, ["default_item_size", "default_item_size2"]);
    }
}
