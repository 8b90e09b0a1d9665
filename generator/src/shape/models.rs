//! The models: one [`Model`] per IR type, with the exact Rust of every field and how values are built.

use crate::printer::Print;
use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::Direction;
use super::tokens::{default_expr, field_ty, ident, needs_box, ty};
use crate::ir::{Api, Field, Ty, TypeId, TypeKind};

/// One emitted model type.
#[derive(Debug, Clone)]
pub struct Model {
    /// The IR type.
    pub id: TypeId,
    /// The Rust name (`crate::models::NAME`).
    pub name: String,
    /// The schema name (components) or the owner path the inline type was found at.
    pub source: String,
    /// JSON pointer of the schema.
    pub pointer: String,
    /// A component schema (not an inline type).
    pub component: bool,
    /// For an inline type, the Rust name of the type (or operation hint) it was found in.
    pub owner: Option<String>,
    /// Which way its values travel.
    pub direction: Direction,
    /// Which cargo features compile it.
    pub gate: super::Gate,
    /// `#[deprecated]`.
    pub deprecated: bool,
    /// What kind of item it is.
    pub kind: ModelKind,
}

/// The kind of a model item.
#[derive(Debug, Clone)]
pub enum ModelKind {
    /// A `#[non_exhaustive]` struct with public fields.
    Struct(StructShape),
    /// A `#[non_exhaustive]` string enum: (variant, wire value); plus `Unknown(String)`.
    Enum(Vec<(String, String)>),
    /// An integer enum: a newtype over `i64` with one associated constant per value (name, value).
    IntEnum(Vec<(String, i64)>),
    /// A unit struct that (de)serializes as exactly this value.
    Const(Value),
    /// A `#[non_exhaustive]` enum with one newtype variant per member.
    Union(UnionShape),
    /// `pub type NAME = TARGET;`
    Alias(String),
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructShape {
    /// Fields in document order.
    pub fields: Vec<FieldShape>,
    /// The value type of the flattened `additional_properties` map (`additionalProperties` with a schema).
    pub additional: Option<String>,
    /// Users build values: there is `new` and there are setters (see [`Direction::constructible`]).
    pub constructible: bool,
    /// The arguments of `new` (field name, argument type): the required fields without a default (empty
    /// for `new()`). Always there when `constructible`, so a required field added or removed changes its
    /// signature, which every semver checker sees.
    pub new_args: Vec<(String, String)>,
    /// `impl Default`: constructible and no field needs an argument (`Default::default()` is `new()`).
    pub default: bool,
}

/// How a field is represented, by what the spec says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Required: `T`, a `new` argument.
    Required,
    /// Required and nullable: `Option<T>` (always sent; `None` is `null`).
    RequiredNullable,
    /// A const unit type: `T`, always its one value.
    Const {
        /// Listed in `required`.
        required: bool,
    },
    /// Optional with a default the SDK can write: `T`, filled by the default function when absent.
    Defaulted {
        /// The function `#[serde(default = "…")]` names.
        function: String,
        /// Its body.
        expr: String,
    },
    /// Optional: `Option<T>`, left out when `None`.
    Optional,
    /// Optional and nullable where an explicit `null` does not matter (received types): `Option<T>`,
    /// `None` for absent and `null` alike.
    OptionalNullable,
    /// Optional and nullable in a type that is sent: `Nullable<T>` (absent, `null`, or a value).
    Nullable,
}

/// How a field reads in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    /// `T` (required, a const, or defaulted; `T` is itself an `Option` when required and nullable).
    Plain,
    /// `Option<T>`: may be absent.
    Option,
    /// `Nullable<T>`: absent, an explicit `null`, or a value (sent types only).
    Nullable,
}

impl FieldKind {
    /// How a field of this kind reads in Rust.
    pub fn repr(&self) -> Repr {
        match self {
            FieldKind::Required
            | FieldKind::RequiredNullable
            | FieldKind::Const { .. }
            | FieldKind::Defaulted { .. } => Repr::Plain,
            FieldKind::Optional | FieldKind::OptionalNullable => Repr::Option,
            FieldKind::Nullable => Repr::Nullable,
        }
    }
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct FieldShape {
    /// The Rust name.
    pub name: String,
    /// The property name on the wire.
    pub wire: String,
    /// The exact field type.
    pub ty: String,
    /// The type a setter takes (through `Into`): the field type, or for an `Option` or a `Nullable` the
    /// type inside it.
    pub value_ty: String,
    /// How it is represented.
    pub kind: FieldKind,
    /// Its value in `new()` and `Default::default()`; `None` for a `new` argument.
    pub init: Option<String>,
    /// The `with_<field>` setter of a constructible struct (none for const fields).
    pub setter: Option<FieldSetter>,
    /// For a [`FieldKind::Nullable`] field: `with_<field>_null()`, which sets an explicit `null` (none when
    /// that name is another setter's).
    pub null_setter: Option<String>,
    /// Boxed to break a recursive cycle.
    pub boxed: bool,
    /// `#[deprecated]`.
    pub deprecated: bool,
}

/// `pub fn NAME(mut self, value: ARG) -> Self { self.field = VALUE; self }`
#[derive(Debug, Clone)]
pub struct FieldSetter {
    /// The method name (`with_` and the field).
    pub name: String,
    /// The argument type.
    pub arg: String,
    /// The expression stored (from `value`).
    pub value: String,
}

/// A union.
#[derive(Debug, Clone)]
pub struct UnionShape {
    /// The tag property of a discriminated union (`None`: untagged, decoded by best match).
    pub tag: Option<String>,
    /// Members in document order.
    pub variants: Vec<UnionVariant>,
    /// `pub fn id(&self) -> Option<&str>`: every member is a struct with a string `id`.
    pub id_accessor: bool,
    /// `impl From<&str>`, building this variant: the member that has `From<String>`.
    pub from_str: Option<String>,
}

/// One member of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The variant name.
    pub name: String,
    /// Its payload type (boxed when recursive).
    pub ty: String,
    /// The payload type with aliases followed (two members of one Rust type share a `From`).
    pub key: String,
    /// The union has `From<ty>` building this variant (the first member of its Rust type).
    pub from: bool,
    /// The tag values that select it (discriminated unions).
    pub values: Vec<String>,
}

/// The model of every type of `api`, by id.
pub(super) fn build(api: &Api, directions: &[Direction]) -> Vec<Model> {
    api.types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let id = TypeId(i);
            let direction = directions.get(i).copied().unwrap_or_default();
            Model {
                id,
                name: t.name.clone(),
                source: t.source.clone(),
                pointer: t.pointer.clone(),
                component: api.is_component(id),
                owner: t.parent.map(|p| api.name_of(p).to_string()),
                direction,
                gate: super::Gate::Always,
                deprecated: t.deprecated,
                kind: kind(api, id, &t.kind, direction),
            }
        })
        .collect()
}

fn kind(api: &Api, id: TypeId, k: &TypeKind, direction: Direction) -> ModelKind {
    let mut kind = base_kind(api, id, k, direction);
    if let ModelKind::Union(u) = &mut kind {
        let string = ty(api, &Ty::String).print();
        u.from_str = u
            .variants
            .iter()
            .find(|v| v.from && v.key == string)
            .map(|v| v.name.clone());
    }
    kind
}

fn base_kind(api: &Api, id: TypeId, k: &TypeKind, direction: Direction) -> ModelKind {
    match k {
        TypeKind::Struct(s) => ModelKind::Struct(struct_shape(api, id, s, direction)),
        TypeKind::Enum(values) => ModelKind::Enum(
            values
                .iter()
                .map(|e| (e.name.clone(), e.wire.clone()))
                .collect(),
        ),
        TypeKind::IntEnum(values) => {
            ModelKind::IntEnum(values.iter().map(|n| (n.name.clone(), n.value)).collect())
        }
        TypeKind::Const(v) => ModelKind::Const(v.clone()),
        TypeKind::Tagged(tagged) => ModelKind::Union(UnionShape {
            tag: Some(tagged.tag.clone()),
            variants: with_from_flags(
                tagged
                    .variants
                    .iter()
                    .map(|tv| {
                        let t = Ty::Ref(tv.ty);
                        let boxed = needs_box(api, id, &t);
                        UnionVariant {
                            name: tv.name.clone(),
                            ty: field_ty(api, &t, boxed).print(),
                            key: String::new(),
                            from: false,
                            values: tv.values.clone(),
                        }
                    })
                    .collect(),
            ),
            id_accessor: union_id_arms(api, id).is_some(),
            from_str: None,
        }),
        TypeKind::Untagged(variants) => ModelKind::Union(UnionShape {
            tag: None,
            variants: with_from_flags(
                variants
                    .iter()
                    .map(|uv| {
                        let boxed = needs_box(api, id, &uv.ty);
                        UnionVariant {
                            name: uv.name.clone(),
                            ty: field_ty(api, &uv.ty, boxed).print(),
                            key: field_ty(api, &resolve_aliases(api, &uv.ty), boxed).print(),
                            from: false,
                            values: Vec::new(),
                        }
                    })
                    .collect(),
            ),
            id_accessor: false,
            from_str: None,
        }),
        TypeKind::Alias(a) => ModelKind::Alias(ty(api, a).print()),
    }
}

/// Marks the members that get a `From` impl: for each Rust type (aliases followed to the type they name,
/// so `Ipv4Net` and `Ipv6Net`, both `String`, are one type), the first member of that type. Two impls of
/// `From<String>` would not compile; the later members are still built with their variant.
fn with_from_flags(mut variants: Vec<UnionVariant>) -> Vec<UnionVariant> {
    let mut seen = BTreeSet::new();
    for x in &mut variants {
        if x.key.is_empty() {
            x.key = x.ty.clone();
        }
        x.from = seen.insert(x.key.clone());
    }
    variants
}

/// `t` with aliases followed (`Ref(Ipv4Net)` where `Ipv4Net = String` is `String`), so two members'
/// Rust types can be compared.
pub(crate) fn resolve_aliases(api: &Api, t: &Ty) -> Ty {
    fn go(api: &Api, t: &Ty, depth: usize) -> Ty {
        match t {
            Ty::Ref(id) if depth < 64 => match api.get(*id).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => go(api, inner, depth + 1),
                _ => t.clone(),
            },
            Ty::Array(inner) => Ty::Array(Box::new(go(api, inner, depth + 1))),
            Ty::Map(inner) => Ty::Map(Box::new(go(api, inner, depth + 1))),
            Ty::Nullable(inner) => Ty::Nullable(Box::new(go(api, inner, depth + 1))),
            other => other.clone(),
        }
    }
    go(api, t, 0)
}

fn struct_shape(api: &Api, id: TypeId, s: &crate::ir::Struct, direction: Direction) -> StructShape {
    let constructible = direction.constructible();
    let mut fields: Vec<FieldShape> = s
        .fields
        .iter()
        .map(|f| field_shape(api, id, f, direction))
        .collect();
    if constructible {
        let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        let setters = crate::naming::setter_names(&names);
        for (f, name) in fields.iter_mut().zip(setters) {
            f.setter = setter(f, name);
        }
        let taken: BTreeSet<String> = fields
            .iter()
            .filter_map(|f| f.setter.as_ref().map(|s| s.name.clone()))
            .collect();
        let mut null_names = BTreeSet::new();
        for f in &mut fields {
            if f.kind == FieldKind::Nullable
                && let Some(s) = &f.setter
            {
                let name = format!("{}_null", s.name);
                if !taken.contains(&name) && null_names.insert(name.clone()) {
                    f.null_setter = Some(name);
                }
            }
        }
    }
    let new_args: Vec<(String, String)> = if constructible {
        fields
            .iter()
            .filter(|f| f.init.is_none())
            .map(|f| {
                (
                    f.name.clone(),
                    format!("impl ::std::convert::Into<{}>", f.ty),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    StructShape {
        default: constructible && new_args.is_empty(),
        new_args,
        constructible,
        additional: s.additional.as_ref().map(|extra| ty(api, extra).print()),
        fields,
    }
}

/// The setter of field `f` named `name`: a value of the field's type (or, for an `Option`, of the type
/// inside it) converted with `Into`. None for a const field, which has one value.
fn setter(f: &FieldShape, name: String) -> Option<FieldSetter> {
    let into = |t: &str| format!("impl ::std::convert::Into<{t}>");
    let (arg, value) = match &f.kind {
        FieldKind::Const { .. } => return None,
        FieldKind::Optional | FieldKind::OptionalNullable => (
            into(&f.value_ty),
            "::std::option::Option::Some(::std::convert::Into::into(value))",
        ),
        FieldKind::Nullable => (
            into(&f.value_ty),
            "crate::types::Nullable::Value(::std::convert::Into::into(value))",
        ),
        FieldKind::Required | FieldKind::RequiredNullable | FieldKind::Defaulted { .. } => {
            (into(&f.ty), "::std::convert::Into::into(value)")
        }
    };
    Some(FieldSetter {
        name,
        arg,
        value: value.into(),
    })
}

fn is_const_ty(api: &Api, t: &Ty) -> bool {
    matches!(t, Ty::Ref(id) if matches!(api.kind_of(*id), TypeKind::Const(_)))
}

/// Field `f` of struct `owner`: its type, kind and value when not given.
fn field_shape(api: &Api, owner: TypeId, f: &Field, direction: Direction) -> FieldShape {
    let boxed = needs_box(api, owner, &f.ty);
    let nullable = matches!(f.ty, Ty::Nullable(_));
    let base = field_ty(api, &f.ty, boxed);
    let none = quote!(::std::option::Option::None);
    let const_default = |base: &TokenStream| quote!(<#base as ::std::default::Default>::default());
    let non_null_default = f.default.as_ref().filter(|d| !d.is_null());
    // What a setter of an optional field takes: the type inside the `Option`.
    let inner = field_ty(api, f.ty.non_null(), boxed);
    let (kind, ty_tokens, init): (FieldKind, TokenStream, Option<TokenStream>) = if f.required {
        if nullable {
            (FieldKind::RequiredNullable, base, Some(none))
        } else if is_const_ty(api, &f.ty) {
            let init = const_default(&base);
            (FieldKind::Const { required: true }, base, Some(init))
        } else {
            (FieldKind::Required, base, None)
        }
    } else if is_const_ty(api, &f.ty) {
        let init = const_default(&base);
        (FieldKind::Const { required: false }, base, Some(init))
    } else if let Some(expr) = non_null_default
        .filter(|_| !boxed)
        .and_then(|d| default_expr(api, f.ty.non_null(), d))
    {
        let expr = if nullable {
            quote!(::std::option::Option::Some(#expr))
        } else {
            expr
        };
        let fname = ident(&f.default_fn);
        (
            FieldKind::Defaulted {
                function: f.default_fn.clone(),
                expr: expr.print(),
            },
            base,
            Some(quote!(#fname())),
        )
    } else if nullable && direction.constructible() {
        (
            FieldKind::Nullable,
            quote!(crate::types::Nullable<#inner>),
            Some(quote!(crate::types::Nullable::Absent)),
        )
    } else if nullable {
        (FieldKind::OptionalNullable, base, Some(none))
    } else {
        (
            FieldKind::Optional,
            quote!(::std::option::Option<#base>),
            Some(none),
        )
    };
    let value_ty = match kind {
        FieldKind::Optional | FieldKind::OptionalNullable | FieldKind::Nullable => inner.print(),
        _ => ty_tokens.print(),
    };
    FieldShape {
        name: f.name.clone(),
        wire: f.wire.clone(),
        ty: ty_tokens.print(),
        value_ty,
        kind,
        init: init.map(|t| t.print()),
        setter: None,
        null_setter: None,
        boxed,
        deprecated: f.deprecated,
    }
}

/// An `Option<&str>` expression reading the string `id` field of struct `id` through `var`.
pub(crate) fn member_id(api: &Api, id: TypeId, var: TokenStream) -> Option<TokenStream> {
    let TypeKind::Struct(s) = api.kind_of(id) else {
        return None;
    };
    let f = s.fields.iter().find(|f| f.wire == "id")?;
    let name = ident(&f.name);
    match (&f.ty, f.required) {
        (Ty::String, true) => Some(quote!(::std::option::Option::Some(#var.#name.as_str()))),
        (t, _) if *t.non_null() == Ty::String => Some(quote!(#var.#name.as_deref())),
        _ => None,
    }
}

/// The arms of `id()` for a tagged union whose every member has a string `id` (None otherwise).
pub(crate) fn union_id_arms(api: &Api, id: TypeId) -> Option<Vec<TokenStream>> {
    let TypeKind::Tagged(tagged) = api.kind_of(id) else {
        return None;
    };
    tagged
        .variants
        .iter()
        .map(|v| {
            let name = ident(&v.name);
            let get = member_id(api, v.ty, quote!(member))?;
            Some(quote!(Self::#name(member) => #get,))
        })
        .collect()
}
