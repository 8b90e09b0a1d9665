//! Schema conversion: type expressions, structs, enums, consts and unions.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Resolver;
use crate::error::{Error, Result, push_pointer};
use crate::ir::{Field, Struct, Tagged, TaggedVariant, Ty, TypeId, TypeKind, Variant};
use crate::normalize::CONST_MARK;

/// What a schema turns into: a plain type expression, or a shape that needs a named type.
enum Shape {
    Ty(Ty),
    Kind(TypeKind),
}

/// What one `allOf` member is, for merging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MemberClass {
    /// An object with properties (or additional properties, or an `allOf` of its own): merged.
    Object,
    /// Only annotations (`description`, `nullable`, `type: object` without properties).
    Annotation,
    /// A primitive, enum, array or union: its type, not fields.
    Other,
}

/// The documentation of a schema: its title and description, when they say more than the name.
pub(super) fn doc_of(schema: &Schema) -> Option<String> {
    let d = &schema.schema_data;
    match (&d.title, &d.description) {
        (Some(t), Some(desc)) if !desc.starts_with(t.as_str()) => Some(format!("{t}\n\n{desc}")),
        (_, Some(desc)) => Some(desc.clone()),
        (Some(t), None) => Some(t.clone()),
        (None, None) => None,
    }
}

fn is_const(schema: &Schema) -> bool {
    matches!(
        schema.schema_data.extensions.get(CONST_MARK),
        Some(Value::Bool(true))
    )
}

type Props = IndexMap<String, ReferenceOr<Box<Schema>>>;

impl Resolver<'_> {
    /// The type expression for a schema position; inline shapes become named types owned by `owner`.
    pub(super) fn ty(
        &mut self,
        s: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Ty> {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.item_ty(schema, pointer, hint, owner),
        }
    }

    /// [`Resolver::ty`] for boxed schemas (properties, items).
    pub(super) fn ty_boxed(
        &mut self,
        s: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Ty> {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.item_ty(schema, pointer, hint, owner),
        }
    }

    fn item_ty(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Ty> {
        let ty = match self.shape(schema, pointer, hint, owner)? {
            Shape::Ty(ty) => ty,
            Shape::Kind(kind) => {
                let doc = doc_of(schema);
                self.add_inline(
                    hint,
                    pointer,
                    owner,
                    doc,
                    schema.schema_data.deprecated,
                    kind,
                )
            }
        };
        Ok(if schema.schema_data.nullable {
            ty.nullable()
        } else {
            ty
        })
    }

    /// The kind of a component schema.
    pub(super) fn named_kind(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        id: TypeId,
    ) -> Result<TypeKind> {
        Ok(match self.shape(schema, pointer, hint, Some(id))? {
            Shape::Kind(kind) => kind,
            Shape::Ty(ty) => TypeKind::Alias(ty),
        })
    }

    fn shape(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Shape> {
        let constant = is_const(schema);
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
                if let (true, [only]) = (constant, values.as_slice()) {
                    Shape::Kind(TypeKind::Const(Value::String(only.clone())))
                } else if !values.is_empty() {
                    Shape::Kind(enum_kind(values))
                } else {
                    Shape::Ty(match &st.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Ty::Binary,
                        _ => Ty::String,
                    })
                }
            }
            SchemaKind::Type(Type::Integer(it)) => {
                let values: Vec<i64> = it.enumeration.iter().flatten().copied().collect();
                if let (true, [only]) = (constant, values.as_slice()) {
                    Shape::Kind(TypeKind::Const(Value::from(*only)))
                } else if !values.is_empty() {
                    Shape::Kind(TypeKind::IntEnum(
                        dedup(values)
                            .into_iter()
                            .map(|value| crate::ir::IntValue {
                                value,
                                name: String::new(),
                            })
                            .collect(),
                    ))
                } else {
                    let int32 = matches!(
                        &it.format,
                        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32)
                    );
                    Shape::Ty(Ty::Integer { int32 })
                }
            }
            SchemaKind::Type(Type::Number(nt)) => match nt.enumeration.iter().flatten().next() {
                Some(v) if constant => match serde_json::Number::from_f64(*v) {
                    Some(n) => Shape::Kind(TypeKind::Const(Value::Number(n))),
                    None => Shape::Ty(Ty::Number),
                },
                _ => Shape::Ty(Ty::Number),
            },
            SchemaKind::Type(Type::Boolean(bt)) => match bt.enumeration.iter().flatten().next() {
                Some(b) if constant => Shape::Kind(TypeKind::Const(Value::Bool(*b))),
                _ => Shape::Ty(Ty::Boolean),
            },
            SchemaKind::Type(Type::Object(o)) => self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                pointer,
                hint,
                owner,
            )?,
            SchemaKind::Type(Type::Array(a)) => {
                Shape::Ty(self.array(a.items.as_ref(), pointer, hint, owner)?)
            }
            SchemaKind::OneOf { one_of } => self.union(
                one_of,
                schema.schema_data.discriminator.as_ref(),
                &push_pointer(pointer, "oneOf"),
                hint,
                owner,
            )?,
            SchemaKind::AnyOf { any_of } => self.union(
                any_of,
                schema.schema_data.discriminator.as_ref(),
                &push_pointer(pointer, "anyOf"),
                hint,
                owner,
            )?,
            SchemaKind::AllOf { all_of } => {
                self.all_of(all_of, &Props::new(), &[], pointer, hint, owner)?
            }
            SchemaKind::Not { .. } => Shape::Ty(Ty::Any),
            SchemaKind::Any(a) => self.any_schema(a, schema, pointer, hint, owner)?,
        })
    }

    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Ty> {
        let item = match items {
            Some(items) => self.ty_boxed(
                items,
                &push_pointer(pointer, "items"),
                &format!("{hint} item"),
                owner,
            )?,
            None => Ty::Any,
        };
        Ok(Ty::Array(Box::new(item)))
    }

    fn object(
        &mut self,
        props: &Props,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Shape> {
        let extra = match additional {
            Some(AdditionalProperties::Schema(s)) => Some(self.ty(
                s,
                &push_pointer(pointer, "additionalProperties"),
                &format!("{hint} value"),
                owner,
            )?),
            Some(AdditionalProperties::Any(true)) => Some(Ty::Any),
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        if props.is_empty() {
            return Ok(Shape::Ty(Ty::Map(Box::new(extra.unwrap_or(Ty::Any)))));
        }
        let fields = self.fields(props, required, pointer, hint, owner)?;
        Ok(Shape::Kind(TypeKind::Struct(Struct {
            fields,
            additional: extra,
        })))
    }

    fn fields(
        &mut self,
        props: &Props,
        required: &[String],
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Vec<Field>> {
        let props_ptr = push_pointer(pointer, "properties");
        let mut fields = Vec::with_capacity(props.len());
        for (wire, prop) in props {
            let ptr = push_pointer(&props_ptr, wire);
            let ty = self.ty_boxed(prop, &ptr, &format!("{hint} {wire}"), owner)?;
            let (doc, default, deprecated) = match prop {
                ReferenceOr::Item(s) => (
                    s.schema_data.description.clone(),
                    s.schema_data.default.clone(),
                    s.schema_data.deprecated,
                ),
                ReferenceOr::Reference { .. } => (None, None, false),
            };
            fields.push(Field {
                wire: wire.clone(),
                name: String::new(),
                ty,
                required: required.iter().any(|r| r == wire),
                default,
                default_fn: String::new(),
                doc,
                deprecated,
                pointer: ptr,
            });
        }
        Ok(fields)
    }

    fn any_schema(
        &mut self,
        a: &AnySchema,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Shape> {
        let disc = schema.schema_data.discriminator.as_ref();
        if !a.all_of.is_empty() {
            return self.all_of(&a.all_of, &a.properties, &a.required, pointer, hint, owner);
        }
        if !a.one_of.is_empty() {
            return self.union(
                &a.one_of,
                disc,
                &push_pointer(pointer, "oneOf"),
                hint,
                owner,
            );
        }
        if !a.any_of.is_empty() {
            return self.union(
                &a.any_of,
                disc,
                &push_pointer(pointer, "anyOf"),
                hint,
                owner,
            );
        }
        if !a.properties.is_empty()
            || a.additional_properties.is_some()
            || a.typ.as_deref() == Some("object")
        {
            return self.object(
                &a.properties,
                &a.required,
                a.additional_properties.as_ref(),
                pointer,
                hint,
                owner,
            );
        }
        if a.items.is_some() || a.typ.as_deref() == Some("array") {
            return Ok(Shape::Ty(self.array(
                a.items.as_ref(),
                pointer,
                hint,
                owner,
            )?));
        }
        let strings: Vec<String> = a
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        if !strings.is_empty()
            && strings.len() == a.enumeration.iter().filter(|v| !v.is_null()).count()
        {
            if let (true, [only]) = (is_const(schema), strings.as_slice()) {
                return Ok(Shape::Kind(TypeKind::Const(Value::String(only.clone()))));
            }
            return Ok(Shape::Kind(enum_kind(strings)));
        }
        if is_const(schema)
            && let Some(v) = a.enumeration.iter().find(|v| !v.is_null())
        {
            return Ok(Shape::Kind(TypeKind::Const(v.clone())));
        }
        Ok(Shape::Ty(match a.typ.as_deref() {
            Some("string") => match a.format.as_deref() {
                Some("date-time") => Ty::DateTime,
                Some("binary") => Ty::Binary,
                _ => Ty::String,
            },
            Some("integer") => Ty::Integer {
                int32: a.format.as_deref() == Some("int32"),
            },
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            _ => Ty::Any,
        }))
    }

    fn union(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        disc: Option<&openapiv3::Discriminator>,
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Shape> {
        if branches.is_empty() {
            return Err(Error::spec(
                pointer,
                "an empty `anyOf`/`oneOf` admits no value; list at least one schema",
            ));
        }
        if let [only] = branches {
            return Ok(Shape::Ty(self.ty(
                only,
                &push_pointer(pointer, "0"),
                hint,
                owner,
            )?));
        }
        if let Some(tagged) = self.tagged(branches, disc, pointer)? {
            return Ok(Shape::Kind(TypeKind::Tagged(tagged)));
        }
        let mut variants = Vec::with_capacity(branches.len());
        let labels: Vec<String> = branches.iter().map(member_label).collect();
        for (i, b) in branches.iter().enumerate() {
            // An inline member is named from its title, its tag value or its shape (`… Enum`, `… Object`),
            // with its position only when two members would get the same name.
            let label = labels.get(i).cloned().unwrap_or_default();
            let unique = labels.iter().filter(|l| **l == label).count() == 1;
            let member_hint = if unique {
                format!("{hint} {label}")
            } else {
                format!("{hint} {label} {i}")
            };
            let ty = self.ty(
                b,
                &push_pointer(pointer, &i.to_string()),
                &member_hint,
                owner,
            )?;
            variants.push(Variant {
                name: String::new(),
                ty,
            });
        }
        Ok(Shape::Kind(TypeKind::Untagged(variants)))
    }

    /// The raw component schema a `$ref` names (for peeking at tag properties before conversion).
    fn raw_component(&self, reference: &str) -> Option<&Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.doc.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The const value of property `tag` in a component's own schema, if it has one.
    fn tag_const(&self, reference: &str, tag: &str) -> Option<String> {
        let schema = self.raw_component(reference)?;
        let props = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => &o.properties,
            SchemaKind::Any(a) => &a.properties,
            _ => return None,
        };
        let ReferenceOr::Item(p) = props.get(tag)? else {
            return None;
        };
        match &p.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
                st.enumeration.first().cloned().flatten()
            }
            _ => None,
        }
    }

    /// A discriminated union, when every branch is a component object told apart by one tag property.
    fn tagged(
        &self,
        branches: &[ReferenceOr<Schema>],
        disc: Option<&openapiv3::Discriminator>,
        pointer: &str,
    ) -> Result<Option<Tagged>> {
        let refs: Vec<&str> = branches
            .iter()
            .filter_map(|b| match b {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        if refs.len() != branches.len() {
            return Ok(None);
        }
        let tag = match disc {
            Some(d) => d.property_name.clone(),
            None => {
                let Some(first) = refs.first().and_then(|r| self.raw_component(r)) else {
                    return Ok(None);
                };
                let candidates: Vec<String> = match &first.schema_kind {
                    SchemaKind::Type(Type::Object(o)) => o.properties.keys().cloned().collect(),
                    _ => Vec::new(),
                };
                match candidates
                    .into_iter()
                    .find(|p| refs.iter().all(|r| self.tag_const(r, p).is_some()))
                {
                    Some(p) => p,
                    None => return Ok(None),
                }
            }
        };
        let mut seen = BTreeSet::new();
        let mut variants = Vec::with_capacity(refs.len());
        for (i, reference) in refs.iter().enumerate() {
            let ty = self.component_id(reference, &push_pointer(pointer, &i.to_string()))?;
            let mut values = Vec::new();
            if let Some(v) = self.tag_const(
                reference,
                disc.map_or(tag.as_str(), |d| d.property_name.as_str()),
            ) {
                values.push(v);
            } else if let Some(d) = disc {
                let name = reference.trim_start_matches("#/components/schemas/");
                values.extend(
                    d.mapping
                        .iter()
                        .filter(|(_, target)| *target == reference || *target == name)
                        .map(|(k, _)| k.clone()),
                );
                if values.is_empty() {
                    values.push(name.to_string());
                }
            } else {
                return Ok(None);
            }
            values.retain(|v| seen.insert(v.clone()));
            if values.is_empty() {
                return Ok(None);
            }
            variants.push(TaggedVariant {
                values,
                name: String::new(),
                ty,
            });
        }
        Ok(Some(Tagged { tag, variants }))
    }

    fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own_props: &Props,
        own_required: &[String],
        pointer: &str,
        hint: &str,
        owner: Option<TypeId>,
    ) -> Result<Shape> {
        if let ([only], true) = (members, own_props.is_empty()) {
            return Ok(Shape::Ty(self.ty(
                only,
                &push_pointer(pointer, "allOf/0"),
                hint,
                owner,
            )?));
        }
        // Members that are not objects (a `$ref` to an enum, a union or a primitive) cannot be merged
        // field by field: with only annotation members beside them (`{description: …}`), the value is
        // that member's type; when they disagree, or stand beside objects with properties (no value is
        // both), it is any JSON value.
        let classes: Vec<MemberClass> = members.iter().map(|m| self.member_class(m)).collect();
        if classes.contains(&MemberClass::Other) {
            let others: Vec<usize> = (0..members.len())
                .filter(|i| classes.get(*i) == Some(&MemberClass::Other))
                .collect();
            if !own_props.is_empty() || classes.contains(&MemberClass::Object) {
                return Ok(Shape::Ty(Ty::Any));
            }
            let mut tys = Vec::new();
            for &i in &others {
                if let Some(m) = members.get(i) {
                    tys.push(self.ty(
                        m,
                        &push_pointer(pointer, &format!("allOf/{i}")),
                        hint,
                        owner,
                    )?);
                }
            }
            let first = tys.first().cloned().unwrap_or(Ty::Any);
            if tys.iter().all(|t| *t == first) {
                return Ok(Shape::Ty(first));
            }
            // `allOf: [{$ref: Name}, {type: string, minLength: 1}]`: the same primitive, with more
            // constraints; the named member is the type.
            let kinds: Vec<Option<&'static str>> = others
                .iter()
                .map(|i| members.get(*i).and_then(|m| self.primitive_kind(m)))
                .collect();
            let kind0 = kinds.first().copied().flatten();
            if kind0.is_some() && kinds.iter().all(|k| *k == kind0) {
                let named = others
                    .iter()
                    .position(|i| matches!(members.get(*i), Some(ReferenceOr::Reference { .. })))
                    .unwrap_or(0);
                return Ok(Shape::Ty(tys.get(named).cloned().unwrap_or(first)));
            }
            return Ok(Shape::Ty(Ty::Any));
        }
        let mut props = Props::new();
        let mut required: Vec<String> = own_required.to_vec();
        let mut additional = None;
        self.collect_all_of(
            members,
            &push_pointer(pointer, "allOf"),
            &mut props,
            &mut required,
            &mut additional,
        )?;
        for (k, v) in own_props {
            props.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self.object(&props, &required, additional.as_ref(), pointer, hint, owner)
    }

    /// `string`, `integer`, `number` or `boolean` for a member that is that primitive (a schema, or a
    /// reference to one) without an enum; `None` otherwise.
    fn primitive_kind(&self, member: &ReferenceOr<Schema>) -> Option<&'static str> {
        let schema = match member {
            ReferenceOr::Reference { reference } => self.raw_component(reference)?,
            ReferenceOr::Item(s) => s,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => Some("string"),
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.is_empty() => Some("integer"),
            SchemaKind::Type(Type::Number(n)) if n.enumeration.is_empty() => Some("number"),
            SchemaKind::Type(Type::Boolean(b)) if b.enumeration.is_empty() => Some("boolean"),
            _ => None,
        }
    }

    /// What an `allOf` member contributes: properties to merge, only annotations, or a type that is not
    /// an object.
    fn member_class(&self, member: &ReferenceOr<Schema>) -> MemberClass {
        let schema = match member {
            ReferenceOr::Reference { reference } => match self.raw_component(reference) {
                Some(s) => s,
                // A reference to a reference: merged as an object (collect_all_of reports it).
                None => return MemberClass::Object,
            },
            ReferenceOr::Item(s) => s,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                if o.properties.is_empty() && o.additional_properties.is_none() {
                    MemberClass::Annotation
                } else {
                    MemberClass::Object
                }
            }
            SchemaKind::AllOf { .. } => MemberClass::Object,
            SchemaKind::Any(a) => {
                let typed = a.typ.as_deref().is_some_and(|t| t != "object");
                let composed = !a.one_of.is_empty()
                    || !a.any_of.is_empty()
                    || a.not.is_some()
                    || !a.enumeration.is_empty()
                    || a.items.is_some();
                if typed || composed {
                    MemberClass::Other
                } else if a.properties.is_empty()
                    && a.all_of.is_empty()
                    && a.additional_properties.is_none()
                {
                    MemberClass::Annotation
                } else {
                    MemberClass::Object
                }
            }
            _ => MemberClass::Other,
        }
    }

    fn collect_all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        props: &mut Props,
        required: &mut Vec<String>,
        additional: &mut Option<AdditionalProperties>,
    ) -> Result<()> {
        for (i, m) in members.iter().enumerate() {
            let ptr = push_pointer(pointer, &i.to_string());
            let schema: Schema = match m {
                ReferenceOr::Reference { reference } => {
                    self.component_id(reference, &ptr)?;
                    if self.merging.iter().any(|n| n == reference) {
                        return Err(Error::spec(
                            ptr,
                            format!(
                                "circular `allOf`: {reference} includes itself (via {})",
                                self.merging.join(" → ")
                            ),
                        ));
                    }
                    match self.raw_component(reference) {
                        Some(s) => s.clone(),
                        None => {
                            return Err(Error::spec(
                                ptr,
                                format!(
                                    "`allOf` member {reference} is itself a reference; inline it"
                                ),
                            ));
                        }
                    }
                }
                ReferenceOr::Item(s) => s.clone(),
            };
            let name = match m {
                ReferenceOr::Reference { reference } => Some(reference.clone()),
                ReferenceOr::Item(_) => None,
            };
            if let Some(n) = &name {
                self.merging.push(n.clone());
            }
            let result = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    merge_props(props, required, &o.properties, &o.required);
                    if additional.is_none() {
                        additional.clone_from(&o.additional_properties);
                    }
                    Ok(())
                }
                SchemaKind::AllOf { all_of } => self.collect_all_of(
                    all_of,
                    &push_pointer(&ptr, "allOf"),
                    props,
                    required,
                    additional,
                ),
                SchemaKind::Any(a) if a.typ.is_none() || a.typ.as_deref() == Some("object") => {
                    merge_props(props, required, &a.properties, &a.required);
                    if a.all_of.is_empty() {
                        Ok(())
                    } else {
                        self.collect_all_of(
                            &a.all_of,
                            &push_pointer(&ptr, "allOf"),
                            props,
                            required,
                            additional,
                        )
                    }
                }
                _ => Err(Error::spec(
                    &ptr,
                    "`allOf` member is not an object schema; only objects can be merged",
                )),
            };
            if name.is_some() {
                self.merging.pop();
            }
            result?;
        }
        Ok(())
    }
}

fn merge_props(
    props: &mut Props,
    required: &mut Vec<String>,
    new: &Props,
    new_required: &[String],
) {
    for (k, v) in new {
        props.insert(k.clone(), v.clone());
    }
    for r in new_required {
        if !required.contains(r) {
            required.push(r.clone());
        }
    }
}

fn enum_kind(values: Vec<String>) -> TypeKind {
    TypeKind::Enum(
        dedup(values)
            .into_iter()
            .map(|wire| crate::ir::EnumValue {
                wire,
                name: String::new(),
            })
            .collect(),
    )
}

fn dedup<T: Ord + Clone>(values: Vec<T>) -> Vec<T> {
    let mut seen = BTreeSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

/// A name for an inline union member: its `title`; else the value of a one-value (`const`/single
/// `enum`) string property such as `type: "text"`; else its shape (`Enum`, `Object`, `List`, `Map`,
/// `String`, …). References are named by their component, so their label is never used.
fn member_label(branch: &ReferenceOr<Schema>) -> String {
    let ReferenceOr::Item(schema) = branch else {
        return "Ref".into();
    };
    if let Some(title) = schema
        .schema_data
        .title
        .as_ref()
        .filter(|t| !t.trim().is_empty())
    {
        return title.clone();
    }
    let props = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some(&o.properties),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some(&a.properties),
        _ => None,
    };
    if let Some(props) = props {
        for prop in props.values() {
            if let ReferenceOr::Item(p) = prop
                && let SchemaKind::Type(Type::String(st)) = &p.schema_kind
                && let [Some(value)] = st.enumeration.as_slice()
            {
                return value.clone();
            }
        }
        return "Object".into();
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(st)) if !st.enumeration.is_empty() => "Enum".into(),
        SchemaKind::Type(Type::String(_)) => "String".into(),
        SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => "Enum".into(),
        SchemaKind::Type(Type::Integer(_)) => "Integer".into(),
        SchemaKind::Type(Type::Number(_)) => "Number".into(),
        SchemaKind::Type(Type::Boolean(_)) => "Boolean".into(),
        SchemaKind::Type(Type::Array(_)) => "List".into(),
        SchemaKind::Type(Type::Object(o)) if o.additional_properties.is_some() => "Map".into(),
        SchemaKind::Type(Type::Object(_)) => "Object".into(),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => "Union".into(),
        SchemaKind::AllOf { .. } => "Object".into(),
        _ => "Value".into(),
    }
}
