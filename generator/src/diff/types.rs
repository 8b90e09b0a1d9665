//! Comparing type expressions and type definitions: fields, nullability, enum values, union variants.
//!
//! Component schemas are compared once, by name, at the top level ([`Differ::compare_def`] from
//! `schemas.rs`); a reference to a component inside another type is compared by name only. Inline types
//! (inline objects, enums, unions) are compared in place, with a field path such as `config.kind`.

use std::collections::BTreeMap;

use super::report::{Change, Severity};
use super::usage::{Sides, is_component};
use crate::ir::{Api, Field, Struct, Tagged, Ty, TypeDef, TypeKind, Variant};

/// The comparison in progress: both APIs and the changes found so far.
pub(crate) struct Differ<'a> {
    pub old: &'a Api,
    pub new: &'a Api,
    pub changes: Vec<(Severity, Change)>,
}

/// Where a comparison happens.
#[derive(Clone, Copy)]
pub(crate) struct At<'s> {
    /// `schema AgentState` or `operation create_agent (POST /v1/agents/)`.
    pub location: &'s str,
    /// What the compared value is inside the location: empty for a schema, or `request body`, `response`,
    /// `query parameter `limit``.
    pub base: &'s str,
    /// The sides the value is used on.
    pub sides: Sides,
}

impl At<'_> {
    /// `field `a.b``, `request body field `a``, `response`, or `type` for a schema's own shape.
    fn noun(&self, path: &str) -> String {
        match (self.base.is_empty(), path.is_empty()) {
            (true, true) => "type".into(),
            (false, true) => self.base.into(),
            (true, false) => format!("field `{path}`"),
            (false, false) => format!("{} field `{path}`", self.base),
        }
    }

    /// The message prefix for changes to the value's own contents (`field `kind`: `` or nothing).
    fn lead(&self, path: &str) -> String {
        if self.base.is_empty() && path.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.noun(path))
        }
    }

    /// ` (response)` after a schema-level message; nothing for operations, whose base names the side.
    fn suffix(&self) -> String {
        self.side_suffix(self.sides.label())
    }

    /// ` (request)` for a schema; ` (unreferenced)` when no operation uses it; nothing for operations.
    fn side_suffix(&self, label: &str) -> String {
        self.side_note(label, "")
    }

    /// Like [`At::side_suffix`], with a remark: ` (response: T becomes Option<T>)`.
    fn side_note(&self, label: &str, note: &str) -> String {
        let label = if self.sides == Sides::default() {
            "unreferenced"
        } else {
            label
        };
        match (self.base.is_empty(), note.is_empty()) {
            (true, true) => format!(" ({label})"),
            (true, false) => format!(" ({label}: {note})"),
            (false, true) => String::new(),
            (false, false) => format!(" ({note})"),
        }
    }
}

/// How a type expression reads in the report.
pub(crate) fn show(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::DateTime => "date-time".into(),
        Ty::Binary => "binary".into(),
        Ty::Integer { int32: true } => "integer (int32)".into(),
        Ty::Integer { int32: false } => "integer".into(),
        Ty::Number => "number".into(),
        Ty::Boolean => "boolean".into(),
        Ty::Any => "any".into(),
        Ty::Array(t) => format!("array<{}>", show(api, t)),
        Ty::Map(t) => format!("map<{}>", show(api, t)),
        Ty::Nullable(t) => format!("{} | null", show(api, t)),
        Ty::Ref(id) => match api.types.get(id.0) {
            Some(def) if is_component(api, *id) => def.source.clone(),
            Some(def) => kind_label(api, &def.kind),
            None => "?".into(),
        },
    }
}

/// A short description of an inline type's shape.
pub(crate) fn kind_label(api: &Api, kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(_) => "object".into(),
        TypeKind::Enum(_) => "string enum".into(),
        TypeKind::IntEnum(_) => "integer enum".into(),
        TypeKind::Const(v) => format!("const {v}"),
        TypeKind::Tagged(t) => {
            let names: Vec<String> = t
                .variants
                .iter()
                .map(|v| {
                    api.types
                        .get(v.ty.0)
                        .map_or_else(String::new, |d| d.source.clone())
                })
                .collect();
            format!("one of {} (by {})", names.join(" | "), t.tag)
        }
        TypeKind::Untagged(vs) => {
            let names: Vec<String> = vs.iter().map(|v| show(api, &v.ty)).collect();
            format!("one of {}", names.join(" | "))
        }
        TypeKind::Alias(ty) => show(api, ty),
    }
}

/// The members of a union, as (how the report names the variant, how its type reads); `None` when the
/// kind is not a union.
fn members_of_kind(api: &Api, kind: &TypeKind) -> Option<Vec<(String, String)>> {
    match kind {
        TypeKind::Tagged(t) => Some(
            t.variants
                .iter()
                .map(|v| {
                    let ty = api
                        .types
                        .get(v.ty.0)
                        .map_or_else(String::new, |d| d.source.clone());
                    let tag = v.values.first().cloned().unwrap_or_default();
                    (format!("`{tag}` (`{ty}`)"), ty)
                })
                .collect(),
        ),
        TypeKind::Untagged(vs) => Some(
            vs.iter()
                .map(|v| {
                    let ty = show(api, &v.ty);
                    (format!("`{ty}`"), ty)
                })
                .collect(),
        ),
        _ => None,
    }
}

/// [`members_of_kind`] for a type expression (a reference to a union type).
fn members(api: &Api, ty: &Ty) -> Option<Vec<(String, String)>> {
    match ty {
        Ty::Ref(id) => members_of_kind(api, &api.types.get(id.0)?.kind),
        _ => None,
    }
}

impl Differ<'_> {
    /// A union that shrank to one of its members: every other member is a removed variant. False (and
    /// nothing reported) when `now` is none of the old members.
    fn collapse(&mut self, at: At<'_>, path: &str, old: &[(String, String)], now: &str) -> bool {
        if !old.iter().any(|(_, ty)| ty == now) {
            return false;
        }
        let (lead, suffix) = (at.lead(path), at.suffix());
        for (label, _) in old.iter().filter(|(_, ty)| ty != now) {
            let msg = format!(
                "{lead}union variant {label} removed (the union is now just `{now}`){suffix}"
            );
            self.push(Severity::Breaking, "variant_removed", at.location, msg);
        }
        true
    }

    pub(crate) fn push(&mut self, severity: Severity, kind: &str, location: &str, message: String) {
        self.changes.push((
            severity,
            Change {
                kind: kind.into(),
                location: location.into(),
                message,
            },
        ));
    }

    /// Compares two type expressions found at the same place.
    pub(crate) fn compare_ty(&mut self, at: At<'_>, path: &str, old: &Ty, new: &Ty) {
        let was = matches!(old, Ty::Nullable(_));
        let now = matches!(new, Ty::Nullable(_));
        if was != now {
            self.nullability(at, path, was, now);
        }
        self.compare_inner(at, path, old.non_null(), new.non_null());
    }

    /// Null became allowed (`now`) or disallowed at a position that is not a field's own optionality.
    fn nullability(&mut self, at: At<'_>, path: &str, was: bool, now: bool) {
        let rules = at.sides.for_rules();
        let noun = at.noun(path);
        if now && rules.response {
            let msg = format!("{noun} turned nullable{}", at.side_suffix("response"));
            self.push(Severity::Breaking, "turned_nullable", at.location, msg);
        } else if now {
            let msg = format!("{noun} now accepts null{}", at.side_suffix("request"));
            self.push(Severity::Additive, "accepts_null", at.location, msg);
        } else if was && rules.request {
            let msg = format!("{noun} no longer accepts null{}", at.side_suffix("request"));
            self.push(Severity::Breaking, "no_longer_nullable", at.location, msg);
        } else {
            let msg = format!(
                "{noun} is no longer nullable{}",
                at.side_note("response", "`Option<T>` becomes `T`")
            );
            self.push(Severity::Breaking, "no_longer_nullable", at.location, msg);
        }
    }

    fn type_changed(&mut self, at: At<'_>, path: &str, old: String, new: String) {
        let msg = format!(
            "{} type changed from `{old}` to `{new}`{}",
            at.noun(path),
            at.suffix()
        );
        self.push(Severity::Breaking, "type_changed", at.location, msg);
    }

    fn compare_inner(&mut self, at: At<'_>, path: &str, old: &Ty, new: &Ty) {
        match (old, new) {
            (Ty::Array(a), Ty::Array(b)) => {
                self.compare_ty(at, &format!("{path}[]"), a, b);
                return;
            }
            (Ty::Map(a), Ty::Map(b)) => {
                let child = if path.is_empty() {
                    "*".to_string()
                } else {
                    format!("{path}.*")
                };
                self.compare_ty(at, &child, a, b);
                return;
            }
            (Ty::Ref(a), Ty::Ref(b)) => {
                let (ca, cb) = (is_component(self.old, *a), is_component(self.new, *b));
                let (Some(da), Some(db)) = (self.old.types.get(a.0), self.new.types.get(b.0))
                else {
                    return;
                };
                if ca && cb {
                    if da.source != db.source {
                        self.type_changed(at, path, da.source.clone(), db.source.clone());
                    }
                    return;
                }
                if !ca && !cb {
                    self.compare_def(at, path, da, db);
                    return;
                }
            }
            _ => {}
        }
        let (o, n) = (show(self.old, old), show(self.new, new));
        if let (Some(om), None) = (members(self.old, old), members(self.new, new))
            && self.collapse(at, path, &om, &n)
        {
            return;
        }
        if o != n {
            self.type_changed(at, path, o, n);
        }
    }

    /// Compares two type definitions (a component with itself, or two inline types at the same place).
    pub(crate) fn compare_def(&mut self, at: At<'_>, path: &str, old: &TypeDef, new: &TypeDef) {
        if old.deprecated != new.deprecated && !path.is_empty() {
            let what = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            let msg = format!("{}{what}", at.lead(path));
            self.push(Severity::Note, "deprecation", at.location, msg);
        }
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.compare_struct(at, path, a, b),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let a: Vec<String> = a.iter().map(|v| v.wire.clone()).collect();
                let b: Vec<String> = b.iter().map(|v| v.wire.clone()).collect();
                self.compare_values(at, path, &a, &b);
            }
            (TypeKind::IntEnum(a), TypeKind::IntEnum(b)) => {
                let a: Vec<String> = a.iter().map(|v| v.value.to_string()).collect();
                let b: Vec<String> = b.iter().map(|v| v.value.to_string()).collect();
                self.compare_values(at, path, &a, &b);
            }
            (TypeKind::Const(a), TypeKind::Const(b)) => {
                if a != b {
                    let msg = format!(
                        "{}const value changed from {a} to {b}{}",
                        at.lead(path),
                        at.suffix()
                    );
                    self.push(Severity::Breaking, "const_changed", at.location, msg);
                }
            }
            (TypeKind::Tagged(a), TypeKind::Tagged(b)) => self.compare_tagged(at, path, a, b),
            (TypeKind::Untagged(a), TypeKind::Untagged(b)) => self.compare_untagged(at, path, a, b),
            (TypeKind::Alias(a), TypeKind::Alias(b)) => self.compare_ty(at, path, a, b),
            (a, b) => {
                let (o, n) = (kind_label(self.old, a), kind_label(self.new, b));
                if let (Some(om), None) =
                    (members_of_kind(self.old, a), members_of_kind(self.new, b))
                    && self.collapse(at, path, &om, &n)
                {
                    return;
                }
                let msg = format!(
                    "{} changed from `{o}` to `{n}`{}",
                    at.noun(path),
                    at.suffix()
                );
                self.push(Severity::Breaking, "kind_changed", at.location, msg);
            }
        }
    }

    fn compare_values(&mut self, at: At<'_>, path: &str, old: &[String], new: &[String]) {
        let lead = at.lead(path);
        let suffix = at.suffix();
        for v in old.iter().filter(|v| !new.contains(v)) {
            let msg = format!("{lead}enum value `{v}` removed{suffix}");
            self.push(Severity::Breaking, "enum_value_removed", at.location, msg);
        }
        for v in new.iter().filter(|v| !old.contains(v)) {
            let msg = format!("{lead}enum value `{v}` added{suffix}");
            self.push(Severity::Additive, "enum_value_added", at.location, msg);
        }
    }

    fn compare_tagged(&mut self, at: At<'_>, path: &str, old: &Tagged, new: &Tagged) {
        let lead = at.lead(path);
        let suffix = at.suffix();
        if old.tag != new.tag {
            let msg = format!(
                "{lead}union tag property changed from `{}` to `{}`{suffix}",
                old.tag, new.tag
            );
            self.push(Severity::Breaking, "union_tag_changed", at.location, msg);
        }
        let member = |api: &Api, v: &crate::ir::TaggedVariant| {
            api.types
                .get(v.ty.0)
                .map_or_else(String::new, |t| t.source.clone())
        };
        let keyed = |api: &Api, t: &Tagged| -> BTreeMap<String, String> {
            t.variants
                .iter()
                .filter_map(|v| Some((v.values.first()?.clone(), member(api, v))))
                .collect()
        };
        let (a, b) = (keyed(self.old, old), keyed(self.new, new));
        for (key, ty) in &a {
            match b.get(key) {
                None => {
                    let msg = format!("{lead}union variant `{key}` (`{ty}`) removed{suffix}");
                    self.push(Severity::Breaking, "variant_removed", at.location, msg);
                }
                Some(nty) if nty != ty => {
                    let msg = format!(
                        "{lead}union variant `{key}` now holds `{nty}` (was `{ty}`){suffix}"
                    );
                    self.push(Severity::Breaking, "variant_changed", at.location, msg);
                }
                Some(_) => {}
            }
        }
        for (key, ty) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
            let msg = format!("{lead}union variant `{key}` (`{ty}`) added{suffix}");
            self.push(Severity::Additive, "variant_added", at.location, msg);
        }
    }

    fn compare_untagged(&mut self, at: At<'_>, path: &str, old: &[Variant], new: &[Variant]) {
        let keyed = |api: &Api, vs: &[Variant]| -> BTreeMap<String, Ty> {
            let mut out = BTreeMap::new();
            for v in vs {
                let base = show(api, &v.ty);
                let mut key = base.clone();
                let mut n = 2;
                while out.contains_key(&key) {
                    key = format!("{base} #{n}");
                    n += 1;
                }
                out.insert(key, v.ty.clone());
            }
            out
        };
        let (a, b) = (keyed(self.old, old), keyed(self.new, new));
        let lead = at.lead(path);
        let suffix = at.suffix();
        for (key, ty) in &a {
            match b.get(key) {
                None => {
                    let msg = format!("{lead}union variant `{key}` removed{suffix}");
                    self.push(Severity::Breaking, "variant_removed", at.location, msg);
                }
                Some(nty) => self.compare_ty(at, &format!("{path}({key})"), ty, nty),
            }
        }
        for key in b.keys().filter(|k| !a.contains_key(*k)) {
            let msg = format!("{lead}union variant `{key}` added{suffix}");
            self.push(Severity::Additive, "variant_added", at.location, msg);
        }
    }

    fn compare_struct(&mut self, at: At<'_>, path: &str, old: &Struct, new: &Struct) {
        let join = |wire: &str| {
            if path.is_empty() {
                wire.to_string()
            } else {
                format!("{path}.{wire}")
            }
        };
        let rules = at.sides.for_rules();
        for f in &old.fields {
            let fpath = join(&f.wire);
            match new.fields.iter().find(|n| n.wire == f.wire) {
                Some(n) => self.compare_field(at, &fpath, f, n),
                None => {
                    let was = if f.deprecated {
                        " (was deprecated)"
                    } else {
                        ""
                    };
                    let msg = format!("{} removed{}{was}", at.noun(&fpath), at.suffix());
                    self.push(Severity::Breaking, "field_removed", at.location, msg);
                }
            }
        }
        for f in new
            .fields
            .iter()
            .filter(|f| !old.fields.iter().any(|o| o.wire == f.wire))
        {
            let noun = at.noun(&join(&f.wire));
            if f.required && rules.request {
                let msg = format!("new required {noun}{}", at.side_suffix("request"));
                self.push(Severity::Breaking, "required_field_added", at.location, msg);
            } else {
                let req = if f.required { "required" } else { "optional" };
                let msg = format!("new {req} {noun}{}", at.suffix());
                self.push(Severity::Additive, "field_added", at.location, msg);
            }
        }
        match (&old.additional, &new.additional) {
            (Some(_), None) => {
                let msg = format!(
                    "{}additional properties removed{}",
                    at.lead(path),
                    at.suffix()
                );
                self.push(Severity::Breaking, "additional_removed", at.location, msg);
            }
            (None, Some(_)) => {
                let msg = format!(
                    "{}additional properties added{}",
                    at.lead(path),
                    at.suffix()
                );
                self.push(Severity::Additive, "additional_added", at.location, msg);
            }
            (Some(a), Some(b)) => self.compare_ty(at, &join("*"), a, b),
            (None, None) => {}
        }
    }

    /// A field present on both sides: deprecation, optionality (required × nullable, by side) and type.
    fn compare_field(&mut self, at: At<'_>, path: &str, old: &Field, new: &Field) {
        let noun = at.noun(path);
        if old.deprecated != new.deprecated {
            let what = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(
                Severity::Note,
                "deprecation",
                at.location,
                format!("{noun} {what}"),
            );
        }
        let rules = at.sides.for_rules();
        let (on, nn) = (
            matches!(old.ty, Ty::Nullable(_)),
            matches!(new.ty, Ty::Nullable(_)),
        );
        let (or, nr) = (old.required, new.required);
        let mut found: Vec<(Severity, &str, String)> = Vec::new();
        if rules.request {
            let side = at.side_suffix("request");
            if !or && nr {
                found.push((
                    Severity::Breaking,
                    "field_required",
                    format!("{noun} became required{side}"),
                ));
            }
            if or && !nr {
                found.push((
                    Severity::Additive,
                    "field_optional",
                    format!("{noun} became optional{side}"),
                ));
            }
            if on && !nn {
                found.push((
                    Severity::Breaking,
                    "no_longer_nullable",
                    format!("{noun} no longer accepts null{side}"),
                ));
            }
            if !on && nn {
                found.push((
                    Severity::Additive,
                    "accepts_null",
                    format!("{noun} now accepts null{side}"),
                ));
            }
        }
        if rules.response {
            let side = |note: &str| at.side_note("response", note);
            let (was_opt, now_opt) = (!or || on, !nr || nn);
            if !was_opt && now_opt {
                let (kind, what) = if nn && !on {
                    ("turned_nullable", "turned nullable")
                } else {
                    ("field_optional", "became optional")
                };
                found.push((
                    Severity::Breaking,
                    kind,
                    format!("{noun} {what}{}", side("`T` becomes `Option<T>`")),
                ));
            }
            if was_opt && !now_opt {
                found.push((
                    Severity::Breaking,
                    "field_always_present",
                    format!(
                        "{noun} is now always present{}",
                        side("`Option<T>` becomes `T`")
                    ),
                ));
            }
        }
        let worst = found.iter().map(|f| f.0).min();
        for (severity, kind, msg) in found {
            if Some(severity) == worst {
                self.push(severity, kind, at.location, msg);
            }
        }
        self.compare_inner(at, path, old.ty.non_null(), new.ty.non_null());
    }
}
