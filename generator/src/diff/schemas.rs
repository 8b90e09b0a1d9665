//! Comparing component schemas by name: removed, renamed (same shape under a new name), added, changed.

use std::collections::BTreeMap;

use super::report::Severity;
use super::types::{At, Differ, show};
use super::usage::{Sides, component_sides, is_component};
use crate::ir::{Api, TypeDef, TypeId, TypeKind};

/// Component name → its definition.
fn components(api: &Api) -> BTreeMap<&str, &TypeDef> {
    api.types
        .iter()
        .enumerate()
        .filter(|(i, _)| is_component(api, TypeId(*i)))
        .map(|(_, t)| (t.source.as_str(), t))
        .collect()
}

/// A description of a schema's shape that ignores its name, for spotting renames. `None` for shapes too
/// small to tell apart (fewer than two fields or values).
fn fingerprint(api: &Api, def: &TypeDef) -> Option<String> {
    match &def.kind {
        TypeKind::Struct(s) if s.fields.len() >= 2 => Some(
            s.fields
                .iter()
                .map(|f| format!("{}:{}:{}", f.wire, show(api, &f.ty), f.required))
                .collect::<Vec<_>>()
                .join(","),
        ),
        TypeKind::Enum(vs) if vs.len() >= 2 => Some(format!(
            "enum:{}",
            vs.iter()
                .map(|v| v.wire.as_str())
                .collect::<Vec<_>>()
                .join(",")
        )),
        _ => None,
    }
}

impl Differ<'_> {
    /// Compares the component schemas of both documents.
    pub(crate) fn compare_schemas(&mut self) {
        let (old, new) = (components(self.old), components(self.new));
        let mut sides = component_sides(self.old);
        for (name, s) in component_sides(self.new) {
            let merged = sides.get(&name).copied().unwrap_or_default().union(s);
            sides.insert(name, merged);
        }
        let renames = self.renames(&old, &new);
        for (name, o) in &old {
            let loc = format!("schema {name}");
            let Some(n) = new.get(name) else {
                let was = if o.deprecated {
                    " (was deprecated)"
                } else {
                    ""
                };
                match renames.get(*name) {
                    Some(to) => {
                        let msg = format!("renamed to `{to}` (same shape){was}");
                        self.push(Severity::Breaking, "schema_renamed", &loc, msg);
                    }
                    None => self.push(
                        Severity::Breaking,
                        "schema_removed",
                        &loc,
                        format!("removed{was}"),
                    ),
                }
                continue;
            };
            if o.deprecated != n.deprecated {
                let what = if n.deprecated {
                    "deprecated"
                } else {
                    "no longer deprecated"
                };
                self.push(Severity::Note, "deprecation", &loc, what.into());
            }
            let side = sides.get(*name).copied().unwrap_or_default();
            let at = At {
                location: &loc,
                base: "",
                sides: side,
            };
            self.compare_def(at, "", o, n);
        }
        let renamed: Vec<&String> = renames.values().collect();
        for name in new.keys().filter(|n| !old.contains_key(*n)) {
            if renamed.iter().any(|r| r.as_str() == *name) {
                continue;
            }
            let side = sides.get(*name).copied().unwrap_or(Sides::default());
            let msg = format!("added ({})", side.label());
            self.push(
                Severity::Additive,
                "schema_added",
                &format!("schema {name}"),
                msg,
            );
        }
    }

    /// Removed schema → added schema with exactly the same shape, when each is the only candidate.
    fn renames(
        &self,
        old: &BTreeMap<&str, &TypeDef>,
        new: &BTreeMap<&str, &TypeDef>,
    ) -> BTreeMap<String, String> {
        let prints =
            |api: &Api, from: &BTreeMap<&str, &TypeDef>, other: &BTreeMap<&str, &TypeDef>| {
                let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (name, def) in from.iter().filter(|(n, _)| !other.contains_key(*n)) {
                    if let Some(fp) = fingerprint(api, def) {
                        by.entry(fp).or_default().push((*name).to_string());
                    }
                }
                by
            };
        let (gone, added) = (prints(self.old, old, new), prints(self.new, new, old));
        let mut out = BTreeMap::new();
        for (fp, names) in &gone {
            if let ([from], Some([to])) = (names.as_slice(), added.get(fp).map(Vec::as_slice)) {
                out.insert(from.clone(), to.clone());
            }
        }
        out
    }
}
