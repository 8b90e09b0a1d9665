//! `resolve`: the typed `openapiv3` document into the IR. Every component schema gets its [`TypeId`] before
//! any conversion, so forward and circular references resolve; inline schemas that need a name (objects,
//! enums, unions, consts) become types of their own, named later from the hint recorded here.

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

mod ops;
mod schema;
mod unions;

pub use ops::path_vars;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::error::{Error, Result};
use crate::ir::{Api, Tag, Ty, TypeDef, TypeId, TypeKind};
use crate::normalize::schema_pointer;

/// Converts a normalized document into the (not yet named) IR.
pub fn resolve(doc: &OpenAPI) -> Result<Api> {
    let mut r = Resolver::new(doc);
    r.components()?;
    break_alias_cycles(&mut r.types);
    let operations = r.operations()?;
    let tags = build_tags(doc, &operations);
    unions::merge_string_enum_unions(&mut r.types);
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: doc.servers.iter().map(|s| s.url.clone()).collect(),
        types: r.types,
        operations,
        tags,
    })
}

pub(crate) struct Resolver<'a> {
    doc: &'a OpenAPI,
    types: Vec<TypeDef>,
    /// Component schema name → id.
    components: BTreeMap<String, TypeId>,
    /// Components whose own schema admits null: references to them are nullable.
    nullable_components: BTreeSet<TypeId>,
    /// Component names whose `allOf` is being merged (cycle detection).
    merging: Vec<String>,
    /// Inline discriminated unions by shape: the same union written inline in several places (Letta's
    /// tool rules in `AgentState`, `CreateAgentRequest` and `UpdateAgent`) becomes one shared type, so a
    /// value read from one can be sent in another.
    shared_unions: BTreeMap<SharedKey, TypeId>,
    /// Owners cleared by reuse of a shared union (`(union, its parent before)`), so that dropping the
    /// types of a parameter (see `ops::sendable_param_ty`) can undo what resolving it changed.
    parent_log: Vec<(TypeId, Option<TypeId>)>,
}

impl<'a> Resolver<'a> {
    fn new(doc: &'a OpenAPI) -> Self {
        Resolver {
            doc,
            types: Vec::new(),
            components: BTreeMap::new(),
            nullable_components: BTreeSet::new(),
            merging: Vec::new(),
            shared_unions: BTreeMap::new(),
            parent_log: Vec::new(),
        }
    }

    fn schemas(&self) -> BTreeMap<&'a str, &'a ReferenceOr<Schema>> {
        self.doc
            .components
            .as_ref()
            .map(|c| c.schemas.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// Reserves ids for every component schema (sorted by name), then converts each.
    fn components(&mut self) -> Result<()> {
        let schemas = self.schemas();
        for name in schemas.keys() {
            let id = TypeId(self.types.len());
            self.types.push(TypeDef {
                name: String::new(),
                file: String::new(),
                source: (*name).to_string(),
                pointer: schema_pointer(name),
                parent: None,
                doc: None,
                deprecated: false,
                kind: TypeKind::Alias(Ty::Any),
            });
            self.components.insert((*name).to_string(), id);
        }
        for (name, schema) in &schemas {
            let Some(&id) = self.components.get(*name) else {
                continue;
            };
            let pointer = schema_pointer(name);
            let schema = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer)?;
                    if let Some(t) = self.types.get_mut(id.0) {
                        t.kind = TypeKind::Alias(target);
                    }
                    continue;
                }
                ReferenceOr::Item(s) => s,
            };
            if schema.schema_data.nullable {
                self.nullable_components.insert(id);
            }
            let kind = self.named_kind(schema, &pointer, name, id)?;
            let Some(t) = self.types.get_mut(id.0) else {
                continue;
            };
            t.doc = schema::doc_of(schema);
            t.deprecated = schema.schema_data.deprecated;
            t.kind = kind;
        }
        Ok(())
    }

    /// Resolves a `$ref` string into a type expression.
    fn reference(&self, reference: &str, pointer: &str) -> Result<Ty> {
        let id = self.component_id(reference, pointer)?;
        let ty = Ty::Ref(id);
        Ok(if self.nullable_components.contains(&id) {
            ty.nullable()
        } else {
            ty
        })
    }

    /// The id of the component a `$ref` names, or a clear error.
    fn component_id(&self, reference: &str, pointer: &str) -> Result<TypeId> {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            let what = if reference.starts_with('#') {
                "a local reference outside #/components/schemas"
            } else {
                "an external reference"
            };
            return Err(Error::spec(
                pointer,
                format!(
                    "`$ref: {reference}` is {what}; only `#/components/schemas/NAME` is supported (inline or bundle the schema first)"
                ),
            ));
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        self.components.get(&name).copied().ok_or_else(|| {
            if name.contains('/') {
                Error::spec(pointer, format!("`$ref: {reference}` points inside a schema; only whole component schemas can be referenced"))
            } else {
                Error::spec(pointer, format!("`$ref: {reference}` names no schema in #/components/schemas"))
            }
        })
    }

    /// Adds an inline type and returns a reference to it.
    fn add_inline(
        &mut self,
        hint: &str,
        pointer: &str,
        parent: Option<TypeId>,
        doc: Option<String>,
        deprecated: bool,
        kind: TypeKind,
    ) -> Ty {
        let shape = match &kind {
            TypeKind::Tagged(tagged) => Some(shared_key(tagged)),
            TypeKind::Untagged(members) => untagged_key(members),
            _ => None,
        };
        if let Some(existing) = shape
            .as_ref()
            .and_then(|k| self.shared_unions.get(k))
            .copied()
            && let Some(def) = self.types.get_mut(existing.0)
        {
            // Shared by several owners: it gets a file (and a name) of its own.
            self.parent_log.push((existing, def.parent));
            def.parent = None;
            return Ty::Ref(existing);
        }
        let id = TypeId(self.types.len());
        if let Some(shape) = shape {
            self.shared_unions.insert(shape, id);
        }
        self.types.push(TypeDef {
            name: String::new(),
            file: String::new(),
            source: hint.to_string(),
            pointer: pointer.to_string(),
            parent,
            doc,
            deprecated,
            kind,
        });
        Ty::Ref(id)
    }
}

/// What makes two inline unions the same type (names are not assigned yet): for a discriminated union
/// the tag and, per variant, its tag values and member type; for an untagged union whose members are all
/// component schemas, those members in order (an untagged union with an inline or primitive member is
/// its owner's own).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SharedKey {
    Tagged(String, Vec<(Vec<String>, TypeId)>),
    Untagged(Vec<(bool, TypeId)>),
}

fn shared_key(tagged: &crate::ir::Tagged) -> SharedKey {
    SharedKey::Tagged(
        tagged.tag.clone(),
        tagged
            .variants
            .iter()
            .map(|v| (v.values.clone(), v.ty))
            .collect(),
    )
}

/// The key of an untagged union of component schemas (each member maybe nullable), if it is one.
fn untagged_key(members: &[crate::ir::Variant]) -> Option<SharedKey> {
    members
        .iter()
        .map(|v| match &v.ty {
            Ty::Ref(id) => Some((false, *id)),
            Ty::Nullable(inner) => match inner.as_ref() {
                Ty::Ref(id) => Some((true, *id)),
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .filter(|m| m.len() >= 2)
        .map(SharedKey::Untagged)
}

impl Resolver<'_> {
    /// Drops every type made since the arena had `types_before` entries (and since `log_before` reuses
    /// were logged): the arena, the shared-union index and the owners that reuse cleared go back to what
    /// they were, so no index points past the arena.
    fn roll_back(&mut self, types_before: usize, log_before: usize) {
        for (id, parent) in self
            .parent_log
            .drain(log_before..)
            .rev()
            .collect::<Vec<_>>()
        {
            if let Some(def) = self.types.get_mut(id.0) {
                def.parent = parent;
            }
        }
        self.shared_unions.retain(|_, id| id.0 < types_before);
        self.types.truncate(types_before);
    }
}

fn build_tags(doc: &OpenAPI, operations: &[crate::ir::Operation]) -> Vec<Tag> {
    let mut by_tag: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, op) in operations.iter().enumerate() {
        for tag in &op.tags {
            by_tag.entry(tag.clone()).or_default().push(i);
        }
    }
    by_tag
        .into_iter()
        .map(|(name, ops)| Tag {
            doc: doc
                .tags
                .iter()
                .find(|t| t.name == name)
                .and_then(|t| t.description.clone()),
            name,
            module: String::new(),
            api_type: String::new(),
            operations: ops,
        })
        .collect()
}

/// True when the type expression `ty` reaches type `target` through type aliases alone (arrays, maps and
/// nullables included): the positions a Rust `type` alias cannot refer back through.
fn alias_reaches(types: &[TypeDef], ty: &Ty, target: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
    let mut found = false;
    ty.visit_refs(&mut |id| {
        if found {
            return;
        }
        if id == target {
            found = true;
            return;
        }
        if seen.insert(id)
            && let Some(TypeKind::Alias(inner)) = types.get(id.0).map(|t| &t.kind)
        {
            found = alias_reaches(types, inner, target, seen);
        }
    });
    found
}

/// Replaces every reference in `ty` for which `cyclic` holds with free-form JSON.
fn cut_refs(ty: &mut Ty, cyclic: &dyn Fn(TypeId) -> bool) {
    match ty {
        Ty::Ref(id) if cyclic(*id) => *ty = Ty::Any,
        Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => cut_refs(t, cyclic),
        _ => {}
    }
}

/// A Rust type alias cannot refer to itself (`type A = Vec<A>` does not compile), so a component that is
/// an alias (an array, a map, a `$ref`) and reaches itself through aliases alone has its back references
/// replaced by free-form JSON (`serde_json::Value`), and its documentation says so. Cycles through a struct
/// or an enum are fine and untouched.
fn break_alias_cycles(types: &mut [TypeDef]) {
    for i in 0..types.len() {
        let Some(TypeKind::Alias(ty)) = types.get(i).map(|t| &t.kind) else {
            continue;
        };
        let me = TypeId(i);
        if !alias_reaches(types, ty, me, &mut BTreeSet::new()) {
            continue;
        }
        let mut ty = ty.clone();
        {
            let snapshot: &[TypeDef] = types;
            cut_refs(&mut ty, &|id| {
                id == me
                    || matches!(snapshot.get(id.0).map(|t| &t.kind), Some(TypeKind::Alias(inner))
                        if alias_reaches(snapshot, inner, me, &mut BTreeSet::new()))
            });
        }
        let note =
            "The schema refers back to itself through arrays, maps or references only; those \
                    positions are free-form JSON (`serde_json::Value`) here."
                .to_string();
        let Some(t) = types.get_mut(i) else {
            continue;
        };
        t.doc = Some(match t.doc.take() {
            Some(d) => format!("{d}\n\n{note}"),
            None => note,
        });
        t.kind = TypeKind::Alias(ty);
    }
}
