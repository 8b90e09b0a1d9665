//! `resolve`: the typed `openapiv3` document into the IR. Every component schema gets its [`TypeId`] before
//! any conversion, so forward and circular references resolve; inline schemas that need a name (objects,
//! enums, unions, consts) become types of their own, named later from the hint recorded here.

mod ops;
mod schema;

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
    shared_unions: BTreeMap<String, TypeId>,
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
            let id = self.components[*name];
            let pointer = schema_pointer(name);
            let schema = match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer)?;
                    self.types[id.0].kind = TypeKind::Alias(target);
                    continue;
                }
                ReferenceOr::Item(s) => s,
            };
            if schema.schema_data.nullable {
                self.nullable_components.insert(id);
            }
            let kind = self.named_kind(schema, &pointer, name, id)?;
            let t = &mut self.types[id.0];
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
            TypeKind::Tagged(_) => Some(format!("{kind:?}")),
            _ => None,
        };
        if let Some(existing) = shape.as_ref().and_then(|k| self.shared_unions.get(k)) {
            // Shared by several owners: it gets a file (and a name) of its own.
            self.types[existing.0].parent = None;
            return Ty::Ref(*existing);
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
        let TypeKind::Alias(ty) = &types[i].kind else {
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
        let t = &mut types[i];
        t.doc = Some(match t.doc.take() {
            Some(d) => format!("{d}\n\n{note}"),
            None => note,
        });
        t.kind = TypeKind::Alias(ty);
    }
}
