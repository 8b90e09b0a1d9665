//! Comparing two [`Shape`]s: the Rust API of the SDK generated from each document.
//!
//! A change is breaking exactly when code written against the old SDK can stop compiling against the new
//! one: an item, field, variant, method or setter that disappears; a type that changes (a field's, an
//! argument's, an output's); a constructor whose arguments change; a cargo feature that goes away.
//! Everything the representation absorbs is additive: fields added to a `#[non_exhaustive]` struct,
//! variants added to a `#[non_exhaustive]` enum, new types, methods, setters and features.

use std::collections::{BTreeMap, BTreeSet};

use super::report::{Change, Severity};
use crate::ir::{Api, Operation};
use crate::shape::{FieldShape, Model, ModelKind, OpShape, Shape, StructShape, UnionVariant};

/// The comparison in progress.
pub(crate) struct Differ<'a> {
    pub old: (&'a Api, &'a Shape),
    pub new: (&'a Api, &'a Shape),
    pub changes: Vec<(Severity, Change)>,
}

/// A type as the report shows it: `Option<String>`, not `:: std :: option :: Option < :: std :: …`.
pub(crate) fn pretty(t: &str) -> String {
    // Token text (`impl :: std :: convert :: Into < X >`) with the spaces dropped, except between two
    // words (`impl Into`).
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut compact = String::new();
    for tok in t.split_whitespace() {
        let keyword = ["impl", "dyn", "mut"]
            .iter()
            .any(|k| compact.ends_with(k) && !compact[..compact.len() - k.len()].ends_with(word));
        if (compact.ends_with(word) && tok.starts_with(word)) || keyword {
            compact.push(' ');
        }
        compact.push_str(tok);
    }
    let mut out = compact;
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::boxed::",
        "::std::convert::",
        "crate::models::",
        "crate::types::",
        "crate::request::",
        "crate::stream::",
        "crate::apis::",
        "::serde_json::",
        "::bytes::",
    ] {
        out = out.replace(prefix, "");
    }
    out
}

fn kind_word(m: &Model) -> &'static str {
    match &m.kind {
        ModelKind::Struct(_) => "struct",
        ModelKind::Enum(_) => "enum",
        ModelKind::IntEnum(_) => "integer enum",
        ModelKind::Const(_) => "const type",
        ModelKind::Union(u) if u.tag.is_some() => "tagged union",
        ModelKind::Union(_) => "union",
        ModelKind::Alias(_) => "type alias",
    }
}

/// `struct models::AgentState (schema AgentState)`, or `(inline in …)` for an inline type.
fn model_location(m: &Model) -> String {
    let origin = if m.component {
        format!("schema {}", m.source)
    } else {
        format!("inline {}", m.source)
    };
    format!("{} models::{} ({origin})", kind_word(m), m.name)
}

/// A structural fingerprint of a component, for spotting renames: its kind and members, not its name.
fn fingerprint(m: &Model) -> Option<String> {
    match &m.kind {
        ModelKind::Struct(s) if s.fields.len() >= 2 => Some(
            s.fields
                .iter()
                .map(|f| format!("{}:{}", f.wire, f.ty))
                .collect::<Vec<_>>()
                .join(","),
        ),
        ModelKind::Enum(vs) if vs.len() >= 2 => Some(format!(
            "enum:{}",
            vs.iter()
                .map(|(_, w)| w.as_str())
                .collect::<Vec<_>>()
                .join(",")
        )),
        _ => None,
    }
}

impl Differ<'_> {
    fn push(&mut self, severity: Severity, kind: &str, location: &str, message: String) {
        self.changes.push((
            severity,
            Change {
                kind: kind.into(),
                location: location.into(),
                message,
            },
        ));
    }

    /// Compares every model, by Rust name.
    pub(crate) fn compare_models(&mut self) {
        let by_name = |s: &'_ Shape| -> BTreeMap<String, Model> {
            s.models
                .iter()
                .map(|m| (m.name.clone(), m.clone()))
                .collect()
        };
        let (old, new) = (by_name(self.old.1), by_name(self.new.1));
        // A removed component whose exact shape reappears under one new name was renamed.
        let mut added_prints: BTreeMap<String, Vec<&Model>> = BTreeMap::new();
        for (name, m) in &new {
            if !old.contains_key(name)
                && m.component
                && let Some(fp) = fingerprint(m)
            {
                added_prints.entry(fp).or_default().push(m);
            }
        }
        let mut renamed_to = BTreeSet::new();
        // An inline type goes and comes with the type it is found in: its owner's removal or addition
        // already says so.
        let gone_with_owner = |m: &Model, other: &BTreeMap<String, Model>| {
            m.owner.as_ref().is_some_and(|o| !other.contains_key(o))
        };
        for (name, o) in &old {
            match new.get(name) {
                Some(n) => self.compare_model(o, n),
                None if gone_with_owner(o, &new) => {}
                None => {
                    let target = fingerprint(o)
                        .filter(|_| o.component)
                        .and_then(|fp| added_prints.get(&fp))
                        .filter(|ms| ms.len() == 1)
                        .and_then(|ms| ms.first());
                    let loc = model_location(o);
                    match target {
                        Some(n) => {
                            renamed_to.insert(n.name.clone());
                            let msg = format!(
                                "renamed to `models::{}` (schema {}): code naming `{}` stops compiling",
                                n.name, n.source, o.name
                            );
                            self.push(Severity::Breaking, "type_renamed", &loc, msg);
                        }
                        None => {
                            let was = if o.deprecated {
                                " (was deprecated)"
                            } else {
                                ""
                            };
                            self.push(
                                Severity::Breaking,
                                "type_removed",
                                &loc,
                                format!("removed{was}"),
                            );
                        }
                    }
                }
            }
        }
        for (name, n) in &new {
            if !old.contains_key(name) && !renamed_to.contains(name) && !gone_with_owner(n, &old) {
                self.push(
                    Severity::Additive,
                    "type_added",
                    &model_location(n),
                    "added".into(),
                );
            }
        }
    }

    fn compare_model(&mut self, o: &Model, n: &Model) {
        let loc = model_location(n);
        if o.deprecated != n.deprecated {
            let what = if n.deprecated {
                "now #[deprecated]"
            } else {
                "no longer deprecated"
            };
            self.push(Severity::Note, "deprecation", &loc, what.into());
        }
        match (&o.kind, &n.kind) {
            (ModelKind::Struct(a), ModelKind::Struct(b)) => self.compare_struct(&loc, a, b),
            (ModelKind::Enum(a), ModelKind::Enum(b)) => {
                let (a, b): (BTreeMap<_, _>, BTreeMap<_, _>) = (
                    a.iter().map(|(v, w)| (v, w)).collect(),
                    b.iter().map(|(v, w)| (v, w)).collect(),
                );
                for (v, w) in &a {
                    if !b.contains_key(v) {
                        let msg = format!("variant `{v}` (`{w}`) removed");
                        self.push(Severity::Breaking, "enum_variant_removed", &loc, msg);
                    }
                }
                for (v, w) in &b {
                    if !a.contains_key(v) {
                        let msg = format!(
                            "variant `{v}` (`{w}`) added (the enum is #[non_exhaustive]; the value decoded as `Unknown` before)"
                        );
                        self.push(Severity::Additive, "enum_variant_added", &loc, msg);
                    }
                }
            }
            (ModelKind::IntEnum(a), ModelKind::IntEnum(b)) => {
                for (c, v) in a.iter().filter(|x| !b.contains(x)) {
                    let msg = format!("constant `{c}` ({v}) removed");
                    self.push(Severity::Breaking, "constant_removed", &loc, msg);
                }
                for (c, v) in b.iter().filter(|x| !a.contains(x)) {
                    let msg = format!("constant `{c}` ({v}) added");
                    self.push(Severity::Additive, "constant_added", &loc, msg);
                }
            }
            (ModelKind::Const(a), ModelKind::Const(b)) => {
                if a != b {
                    let msg = format!(
                        "fixed value {a} → {b} (code still compiles; the SDK now sends and expects the new value)"
                    );
                    self.push(Severity::Note, "const_value_changed", &loc, msg);
                }
            }
            (ModelKind::Union(a), ModelKind::Union(b)) => {
                self.compare_union_variants(&loc, &a.variants, &b.variants);
                if a.id_accessor && !b.id_accessor {
                    let msg = "method `id()` removed (a member no longer has a string `id`)".into();
                    self.push(Severity::Breaking, "method_removed", &loc, msg);
                } else if !a.id_accessor && b.id_accessor {
                    self.push(
                        Severity::Additive,
                        "method_added",
                        &loc,
                        "method `id()` added".into(),
                    );
                }
                if a.tag != b.tag {
                    let show = |t: &Option<String>| {
                        t.as_ref()
                            .map_or_else(|| "none (untagged)".to_string(), |t| format!("`{t}`"))
                    };
                    let msg = format!("tag {} → {}", show(&a.tag), show(&b.tag));
                    self.push(Severity::Note, "union_tag_changed", &loc, msg);
                }
            }
            (ModelKind::Alias(a), ModelKind::Alias(b)) => {
                if a != b {
                    let msg = format!("now an alias of `{}` (was `{}`)", pretty(b), pretty(a));
                    self.push(Severity::Breaking, "type_changed", &loc, msg);
                }
            }
            _ => {
                let msg = format!("now a {} (was a {})", kind_word(n), kind_word(o));
                self.push(Severity::Breaking, "type_kind_changed", &loc, msg);
            }
        }
    }

    fn compare_union_variants(&mut self, loc: &str, a: &[UnionVariant], b: &[UnionVariant]) {
        let find = |vs: &'_ [UnionVariant], name: &str| vs.iter().find(|v| v.name == name).cloned();
        for v in a {
            match find(b, &v.name) {
                None => {
                    let msg = format!("variant `{}({})` removed", v.name, pretty(&v.ty));
                    self.push(Severity::Breaking, "enum_variant_removed", loc, msg);
                }
                Some(w) if w.ty != v.ty => {
                    let msg = format!(
                        "variant `{}`: payload `{}` → `{}`",
                        v.name,
                        pretty(&v.ty),
                        pretty(&w.ty)
                    );
                    self.push(Severity::Breaking, "enum_variant_changed", loc, msg);
                }
                Some(_) => {}
            }
        }
        for w in b {
            if find(a, &w.name).is_none() {
                let msg = format!(
                    "variant `{}({})` added (the union is #[non_exhaustive])",
                    w.name,
                    pretty(&w.ty)
                );
                self.push(Severity::Additive, "enum_variant_added", loc, msg);
            }
        }
        let froms = |vs: &[UnionVariant]| -> BTreeSet<String> {
            vs.iter().filter(|v| v.from).map(|v| v.ty.clone()).collect()
        };
        let (fa, fb) = (froms(a), froms(b));
        for t in fa.difference(&fb) {
            // A removed variant already says so; a `From` lost to a member of the same Rust type does not.
            if b.iter().any(|v| v.ty == *t) {
                let msg = format!("`impl From<{}>` removed", pretty(t));
                self.push(Severity::Breaking, "trait_impl_removed", loc, msg);
            }
        }
    }

    fn compare_struct(&mut self, loc: &str, a: &StructShape, b: &StructShape) {
        let field = |fs: &'_ [FieldShape], name: &str| fs.iter().find(|f| f.name == name).cloned();
        let label = |f: &FieldShape| {
            if f.name == f.wire {
                format!("field `{}`", f.name)
            } else {
                format!("field `{}` (`{}`)", f.name, f.wire)
            }
        };
        for f in &a.fields {
            match field(&b.fields, &f.name) {
                None => {
                    let msg = format!("{} removed", label(f));
                    self.push(Severity::Breaking, "field_removed", loc, msg);
                }
                Some(g) => {
                    if f.ty != g.ty {
                        let msg = format!(
                            "{}: type `{}` → `{}`",
                            label(f),
                            pretty(&f.ty),
                            pretty(&g.ty)
                        );
                        self.push(Severity::Breaking, "field_type_changed", loc, msg);
                    } else if let (Some(s), Some(t)) = (&f.setter, &g.setter)
                        && (s.name != t.name || s.arg != t.arg)
                    {
                        let msg = format!(
                            "setter `{}({})` is now `{}({})`",
                            s.name,
                            pretty(&s.arg),
                            t.name,
                            pretty(&t.arg)
                        );
                        self.push(Severity::Breaking, "setter_changed", loc, msg);
                    }
                    match (&f.setter, &g.setter) {
                        (Some(s), None) => {
                            let msg = format!("setter `{}` removed", s.name);
                            self.push(Severity::Breaking, "setter_removed", loc, msg);
                        }
                        (None, Some(t)) if a.constructible => {
                            let msg = format!("setter `{}` added", t.name);
                            self.push(Severity::Additive, "setter_added", loc, msg);
                        }
                        _ => {}
                    }
                    if !f.deprecated && g.deprecated {
                        let msg = format!("{} now #[deprecated]", label(f));
                        self.push(Severity::Note, "deprecation", loc, msg);
                    }
                }
            }
        }
        for g in &b.fields {
            if field(&a.fields, &g.name).is_none() {
                let how = match (&g.setter, b.constructible) {
                    (Some(s), true) if g.init.is_some() => format!(", set with `{}`", s.name),
                    (_, true) if g.init.is_none() => ", a new argument of `new`".into(),
                    _ => String::new(),
                };
                let msg = format!(
                    "{} added: `{}` (the struct is #[non_exhaustive]{how})",
                    label(g),
                    pretty(&g.ty)
                );
                self.push(Severity::Additive, "field_added", loc, msg);
            }
        }
        match (&a.additional, &b.additional) {
            (Some(x), None) => {
                let msg = format!("field `additional_properties` (`{}`) removed", pretty(x));
                self.push(Severity::Breaking, "field_removed", loc, msg);
            }
            (None, Some(y)) => {
                let msg = format!("field `additional_properties` (`{}`) added", pretty(y));
                self.push(Severity::Additive, "field_added", loc, msg);
            }
            (Some(x), Some(y)) if x != y => {
                let msg = format!(
                    "field `additional_properties`: values `{}` → `{}`",
                    pretty(x),
                    pretty(y)
                );
                self.push(Severity::Breaking, "field_type_changed", loc, msg);
            }
            _ => {}
        }
        let sig = |s: &StructShape| {
            s.new_args
                .iter()
                .map(|(n, t)| format!("{n}: {}", pretty(t)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (a.constructible, b.constructible) {
            (true, false) => {
                let msg = format!(
                    "no longer built by users (only received now): `new({})`, `Default` and the setters removed",
                    sig(a)
                );
                self.push(Severity::Breaking, "constructor_removed", loc, msg);
            }
            (false, true) => {
                let msg = format!("now sent too: `new({})` and setters added", sig(b));
                self.push(Severity::Additive, "constructor_added", loc, msg);
            }
            (true, true) => {
                if a.new_args != b.new_args {
                    let msg = format!("constructor `new({})` is now `new({})`", sig(a), sig(b));
                    self.push(Severity::Breaking, "constructor_changed", loc, msg);
                }
                if a.default && !b.default {
                    let msg = "`impl Default` removed (a field is now required)".into();
                    self.push(Severity::Breaking, "trait_impl_removed", loc, msg);
                } else if !a.default && b.default {
                    self.push(
                        Severity::Additive,
                        "trait_impl_added",
                        loc,
                        "`impl Default` added".into(),
                    );
                }
            }
            (false, false) => {}
        }
    }

    /// Compares the tag modules, their features and methods, and every operation's builder.
    pub(crate) fn compare_operations(&mut self) {
        let (oa, os) = self.old;
        let (na, ns) = self.new;
        let modules = |s: &Shape| -> BTreeMap<String, (String, String)> {
            s.apis
                .iter()
                .map(|a| (a.module.clone(), (a.feature.clone(), a.api_type.clone())))
                .collect()
        };
        let (om, nm) = (modules(os), modules(ns));
        for (m, (feature, api_type)) in &om {
            if !nm.contains_key(m) {
                let loc = format!("module apis::{m} (feature `{feature}`)");
                let msg = format!(
                    "removed: `client.{m}()`, `{api_type}` and the cargo feature `{feature}`"
                );
                self.push(Severity::Breaking, "module_removed", &loc, msg);
            }
        }
        for (m, (feature, _)) in &nm {
            if !om.contains_key(m) {
                let loc = format!("module apis::{m} (feature `{feature}`)");
                let msg = format!("added: `client.{m}()` and the cargo feature `{feature}`");
                self.push(Severity::Additive, "module_added", &loc, msg);
            }
        }
        // Methods: (module, method) → operation index, for every tag the operation is in.
        let methods = |s: &Shape| -> BTreeMap<(String, String), usize> {
            let mut out = BTreeMap::new();
            for a in &s.apis {
                for &i in &a.ops {
                    if let Some(op) = s.ops.get(i) {
                        out.insert((a.module.clone(), op.method.clone()), i);
                    }
                }
            }
            out
        };
        let (old_methods, new_methods) = (methods(os), methods(ns));
        let route = |op: &Operation| (op.method.clone(), op.path.clone());
        let new_by_route: BTreeMap<(String, String), usize> = na
            .operations
            .iter()
            .enumerate()
            .map(|(i, o)| (route(o), i))
            .collect();
        let old_ids: BTreeSet<&str> = oa.operations.iter().map(|o| o.id.as_str()).collect();
        let mut renamed = BTreeSet::new();
        for ((module, method), &i) in &old_methods {
            let (Some(o), Some(oshape)) = (oa.operations.get(i), os.ops.get(i)) else {
                continue;
            };
            let loc = method_location(module, oshape);
            match new_methods.get(&(module.clone(), method.clone())) {
                Some(&j) => {
                    if let (Some(n), Some(nshape)) = (na.operations.get(j), ns.ops.get(j)) {
                        self.compare_operation(&loc, o, oshape, n, nshape);
                    }
                }
                None if !nm.contains_key(module) => {} // the module's removal says it
                None => {
                    let target = new_by_route.get(&route(o)).copied().filter(|&j| {
                        na.operations
                            .get(j)
                            .is_some_and(|n| !old_ids.contains(n.id.as_str()))
                    });
                    match target.and_then(|j| ns.ops.get(j).map(|s| (j, s))) {
                        Some((j, nshape)) => {
                            renamed.insert(j);
                            let msg = format!(
                                "renamed: operation `{}` is now `{}`, the method `{}()` is now `{}()`",
                                oshape.id, nshape.id, oshape.method, nshape.method
                            );
                            self.push(Severity::Breaking, "method_renamed", &loc, msg);
                        }
                        None => {
                            let was = if o.deprecated {
                                " (was deprecated)"
                            } else {
                                ""
                            };
                            self.push(
                                Severity::Breaking,
                                "method_removed",
                                &loc,
                                format!("removed{was}"),
                            );
                        }
                    }
                }
            }
        }
        for ((module, method), &j) in &new_methods {
            if old_methods.contains_key(&(module.clone(), method.clone()))
                || renamed.contains(&j)
                || !om.contains_key(module)
            {
                continue;
            }
            if let Some(nshape) = ns.ops.get(j) {
                let loc = method_location(module, nshape);
                self.push(Severity::Additive, "method_added", &loc, "added".into());
            }
        }
    }

    fn compare_operation(
        &mut self,
        loc: &str,
        o: &Operation,
        os: &OpShape,
        n: &Operation,
        ns: &OpShape,
    ) {
        if (o.method.as_str(), o.path.as_str()) != (n.method.as_str(), n.path.as_str()) {
            let msg = format!("now {} {} (was {} {})", n.method, n.path, o.method, o.path);
            self.push(Severity::Note, "operation_moved", loc, msg);
        }
        if o.deprecated != n.deprecated {
            let what = if n.deprecated {
                "now #[deprecated]"
            } else {
                "no longer deprecated"
            };
            self.push(Severity::Note, "deprecation", loc, what.into());
        }
        let sig = |s: &OpShape| {
            s.args
                .iter()
                .map(|a| format!("{}: {}", a.name, pretty(&a.decl)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let decls = |s: &OpShape| {
            s.args
                .iter()
                .map(|a| (a.name.clone(), a.decl.clone()))
                .collect::<Vec<_>>()
        };
        if decls(os) != decls(ns) {
            let msg = format!("arguments `({})` are now `({})`", sig(os), sig(ns));
            self.push(Severity::Breaking, "method_arguments_changed", loc, msg);
        }
        if os.builder_path() != ns.builder_path() {
            let msg = format!(
                "returns `{}` (was `{}`)",
                pretty(&ns.builder_path()),
                pretty(&os.builder_path())
            );
            self.push(Severity::Breaking, "builder_renamed", loc, msg);
        }
        for s in &os.setters {
            match ns.setters.iter().find(|t| t.name == s.name) {
                None => {
                    let msg = format!("setter `.{}()` removed", s.name);
                    self.push(Severity::Breaking, "setter_removed", loc, msg);
                }
                Some(t) if t.arg != s.arg => {
                    let msg = format!(
                        "setter `.{}()` takes `{}` (was `{}`)",
                        s.name,
                        pretty(&t.arg),
                        pretty(&s.arg)
                    );
                    self.push(Severity::Breaking, "setter_changed", loc, msg);
                }
                Some(_) => {}
            }
        }
        for t in &ns.setters {
            if !os.setters.iter().any(|s| s.name == t.name) {
                let msg = format!("setter `.{}({})` added", t.name, pretty(&t.arg));
                self.push(Severity::Additive, "setter_added", loc, msg);
            }
        }
        if os.output != ns.output {
            let msg = format!(
                "`.send()` returns `{}` (was `{}`)",
                pretty(&ns.output),
                pretty(&os.output)
            );
            self.push(Severity::Breaking, "output_changed", loc, msg);
        }
        for (what, was, now) in [
            (".stream()", os.stream, ns.stream),
            (".into_stream()", os.paging.is_some(), ns.paging.is_some()),
        ] {
            match (was, now) {
                (true, false) => {
                    let msg = format!("builder method `{what}` removed");
                    self.push(Severity::Breaking, "method_removed", loc, msg);
                }
                (false, true) => {
                    let msg = format!("builder method `{what}` added");
                    self.push(Severity::Additive, "method_added", loc, msg);
                }
                _ => {}
            }
        }
    }
}

/// `client.agents().list_agents() (operation list_agents, GET /v1/agents/)`.
fn method_location(module: &str, op: &OpShape) -> String {
    format!(
        "method client.{module}().{}() (operation {}, {})",
        op.method, op.id, op.http
    )
}
