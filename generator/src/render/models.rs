//! View models for `model.rs.j2`: one file per component schema, holding the inline types it owns.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;
use serde_json::Value;

use super::tokens::{default_expr, field_ty, ident, lit, needs_box, ty};
use crate::docs::doc_attrs;
use crate::ir::{Api, Field, Ty, TypeDef, TypeId, TypeKind};

/// One emitted model file.
#[derive(Serialize)]
pub struct ModelFile {
    /// File stem under `src/models/`.
    pub module: String,
    /// The types, root first.
    pub types: Vec<TypeView>,
}

/// One type, ready for the template.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeView {
    /// An object: `templates/model/struct.rs.j2`.
    Struct(StructView),
    /// A string enum with an `Unknown` fallback: `model/enum.rs.j2`.
    Enum(EnumView),
    /// An integer enum (a newtype with constants): `model/int_enum.rs.j2`.
    IntEnum(EnumView),
    /// A one-value unit type: `model/const.rs.j2`.
    Const(ConstView),
    /// A discriminated union: `model/tagged.rs.j2`.
    Tagged(UnionView),
    /// Any other union: `model/untagged.rs.j2`.
    Untagged(UnionView),
    /// A type alias: `model/alias.rs.j2`.
    Alias(AliasView),
}

/// What every kind of model item has.
#[derive(Serialize)]
struct ItemView {
    ident: String,
    docs: String,
    deprecated: String,
}

/// A struct.
#[derive(Serialize)]
pub struct StructView {
    #[serde(flatten)]
    item: ItemView,
    fields: Vec<FieldView>,
    default_impl: Option<Vec<(String, String)>>,
    derive_default: bool,
    ctor: Option<Ctor>,
    default_fns: Vec<DefaultFn>,
    flatten: Option<String>,
}

/// A string or integer enum.
#[derive(Serialize)]
pub struct EnumView {
    #[serde(flatten)]
    item: ItemView,
    variants: Vec<VariantView>,
}

/// A const unit type.
#[derive(Serialize)]
pub struct ConstView {
    #[serde(flatten)]
    item: ItemView,
    value: String,
    value_kind: &'static str,
    value_text: String,
}

/// A tagged or untagged union.
#[derive(Serialize)]
pub struct UnionView {
    #[serde(flatten)]
    item: ItemView,
    variants: Vec<VariantView>,
    /// The tag property (tagged unions).
    tag: String,
    /// Match arms of a tagged union's `id()` accessor (when every member has a string `id`).
    id_arms: Option<Vec<String>>,
    /// The Rust name as a string literal (untagged unions' decode errors name it).
    name: String,
}

/// A type alias.
#[derive(Serialize)]
pub struct AliasView {
    #[serde(flatten)]
    item: ItemView,
    alias: String,
}

#[derive(Serialize)]
struct FieldView {
    docs: String,
    attrs: String,
    ident: String,
    ty: String,
}

#[derive(Serialize)]
struct Ctor {
    docs: String,
    args: String,
    init: String,
}

#[derive(Serialize)]
struct DefaultFn {
    name: String,
    ty: String,
    expr: String,
}

#[derive(Serialize, Default)]
struct VariantView {
    ident: String,
    /// Emit `From<ty>` for the enum (the first member of its Rust type).
    from: bool,
    /// The member's Rust type with aliases followed (empty: the same as `ty`).
    #[serde(skip)]
    key: String,
    wire: String,
    ty: String,
    patterns: String,
    docs: String,
    /// An untagged union's member as `crate::tagged::Member` (what ranking it needs).
    member: String,
}

/// Which types are reachable from request bodies and from responses.
pub struct Usage {
    request_only: BTreeSet<TypeId>,
}

impl Usage {
    /// Walks every operation's body (requests) and responses.
    pub fn of(api: &Api) -> Self {
        let mut req = BTreeSet::new();
        let mut resp = BTreeSet::new();
        for op in &api.operations {
            if let Some(b) = &op.body {
                reach(api, &b.ty, &mut req);
            }
            for p in &op.params {
                reach(api, &p.ty, &mut req);
            }
            if let crate::ir::Response::Json(t) | crate::ir::Response::Dual(t) = &op.response {
                reach(api, t, &mut resp);
            }
            for (_, t) in &op.errors {
                reach(api, t, &mut resp);
            }
        }
        Usage {
            request_only: req.difference(&resp).copied().collect(),
        }
    }

    /// True when `id` is reached from requests only (never from a response or error body).
    pub fn is_request_only(&self, id: TypeId) -> bool {
        self.request_only.contains(&id)
    }
}

/// Adds to `seen` every type `t` reaches (through fields, variants and aliases).
pub(crate) fn reach(api: &Api, t: &Ty, seen: &mut BTreeSet<TypeId>) {
    t.visit_refs(&mut |id| {
        if seen.insert(id) {
            match api.kind_of(id) {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        reach(api, &f.ty, seen);
                    }
                    if let Some(a) = &s.additional {
                        reach(api, a, seen);
                    }
                }
                TypeKind::Tagged(t) => t
                    .variants
                    .iter()
                    .for_each(|v| reach(api, &Ty::Ref(v.ty), seen)),
                TypeKind::Untagged(vs) => vs.iter().for_each(|v| reach(api, &v.ty, seen)),
                TypeKind::Alias(a) => reach(api, a, seen),
                _ => {}
            }
        }
    });
}

/// Groups types into files: each component with the inline types it owns; ownerless inline types alone.
pub fn files(api: &Api, usage: &Usage) -> Vec<ModelFile> {
    let mut groups: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
    for (i, t) in api.types.iter().enumerate() {
        groups.entry(t.file.as_str()).or_default().push(TypeId(i));
    }
    groups
        .into_iter()
        .map(|(module, ids)| ModelFile {
            module: module.to_string(),
            types: ids
                .into_iter()
                .filter_map(|id| type_view(api, id, usage))
                .collect(),
        })
        .collect()
}

fn deprecated_attr(d: bool) -> String {
    if d {
        quote!(#[deprecated]).to_string()
    } else {
        String::new()
    }
}

/// The view of type `id` (`None` for an id that is not in `api`).
fn type_view(api: &Api, id: TypeId, usage: &Usage) -> Option<TypeView> {
    let t: &TypeDef = api.get(id)?;
    let item = ItemView {
        ident: t.name.clone(),
        docs: type_docs(t).to_string(),
        deprecated: deprecated_attr(t.deprecated),
    };
    Some(match &t.kind {
        TypeKind::Struct(s) => TypeView::Struct(struct_view(api, id, s, usage, item)),
        TypeKind::Enum(values) => TypeView::Enum(EnumView {
            item,
            variants: values
                .iter()
                .map(|e| VariantView {
                    ident: e.name.clone(),
                    wire: lit(&e.wire).to_string(),
                    docs: doc_attrs(Some(&format!("`{}`", e.wire.replace('`', "'")))).to_string(),
                    ..VariantView::default()
                })
                .collect(),
        }),
        TypeKind::IntEnum(values) => TypeView::IntEnum(EnumView {
            item,
            variants: values
                .iter()
                .map(|n| {
                    let l = proc_macro2::Literal::i64_suffixed(n.value);
                    VariantView {
                        ident: n.name.clone(),
                        wire: quote!(#l).to_string(),
                        ..VariantView::default()
                    }
                })
                .collect(),
        }),
        TypeKind::Const(value) => {
            let (kind, tokens) = const_tokens(value);
            TypeView::Const(ConstView {
                item,
                value: tokens.to_string(),
                value_kind: kind,
                value_text: lit(&value_text(value)).to_string(),
            })
        }
        TypeKind::Tagged(tagged) => {
            let variants = tagged
                .variants
                .iter()
                .map(|tv| {
                    let t = Ty::Ref(tv.ty);
                    let boxed = needs_box(api, id, &t);
                    let patterns: Vec<TokenStream> = tv
                        .values
                        .iter()
                        .map(|s| {
                            let l = lit(s);
                            quote!(::std::option::Option::Some(#l))
                        })
                        .collect();
                    VariantView {
                        ident: tv.name.clone(),
                        from: false,
                        key: String::new(),
                        ty: field_ty(api, &t, boxed).to_string(),
                        patterns: quote!(#(#patterns)|*).to_string(),
                        wire: lit(tv.values.first().map_or("", String::as_str)).to_string(),
                        member: String::new(),
                        docs: doc_attrs(Some(&format!(
                            "`{}` = {}",
                            tagged.tag,
                            tv.values
                                .iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )))
                        .to_string(),
                    }
                })
                .collect();
            TypeView::Tagged(UnionView {
                item,
                variants: with_from_flags(variants),
                tag: lit(&tagged.tag).to_string(),
                id_arms: union_id_arms(api, id)
                    .map(|arms| arms.iter().map(ToString::to_string).collect()),
                name: String::new(),
            })
        }
        TypeKind::Untagged(variants) => TypeView::Untagged(UnionView {
            item,
            variants: with_from_flags(
                variants
                    .iter()
                    .map(|uv| {
                        let boxed = needs_box(api, id, &uv.ty);
                        VariantView {
                            ident: uv.name.clone(),
                            ty: field_ty(api, &uv.ty, boxed).to_string(),
                            key: field_ty(api, &resolve_aliases(api, &uv.ty), boxed).to_string(),
                            member: untagged_member(api, &uv.name, &uv.ty).to_string(),
                            ..VariantView::default()
                        }
                    })
                    .collect(),
            ),
            tag: String::new(),
            id_arms: None,
            name: lit(&t.name).to_string(),
        }),
        TypeKind::Alias(a) => TypeView::Alias(AliasView {
            item,
            alias: ty(api, a).to_string(),
        }),
    })
}

/// Member `name` (of type `t`) of an untagged union as a `crate::tagged::Member` expression: for a struct
/// (aliases and nullability followed) its property names, the required ones and the defaults of its
/// string-enum properties; for a string enum or string const its values; `Other` for anything else.
/// `crate::tagged::rank` orders the members with it.
fn untagged_member(api: &Api, name: &str, t: &Ty) -> TokenStream {
    let resolved = resolve_aliases(api, t.non_null());
    let kind = match resolved.non_null() {
        Ty::Ref(id) => api.types.get(id.0).map(|d| &d.kind),
        _ => None,
    };
    let shape = match kind {
        Some(TypeKind::Struct(s)) => {
            let known = s.fields.iter().map(|f| lit(&f.wire));
            let required = s.fields.iter().filter(|f| f.required).map(|f| lit(&f.wire));
            let open = s.additional.is_some();
            let defaults = s.fields.iter().filter_map(|f| {
                let Some(Value::String(d)) = &f.default else {
                    return None;
                };
                let is_enum = matches!(resolve_aliases(api, f.ty.non_null()).non_null(),
                    Ty::Ref(e) if matches!(api.types.get(e.0).map(|t| &t.kind), Some(TypeKind::Enum(_))));
                let (wire, d) = (lit(&f.wire), lit(d));
                is_enum.then(|| quote!((#wire, #d)))
            });
            quote!(crate::tagged::Shape::Object {
                known: &[#(#known),*],
                required: &[#(#required),*],
                open: #open,
                defaults: &[#(#defaults),*],
            })
        }
        Some(TypeKind::Enum(values)) => {
            let values = values.iter().map(|v| lit(&v.wire));
            quote!(crate::tagged::Shape::Strings(&[#(#values),*]))
        }
        Some(TypeKind::Const(Value::String(v))) => {
            let v = lit(v);
            quote!(crate::tagged::Shape::Strings(&[#v]))
        }
        _ => quote!(crate::tagged::Shape::Other),
    };
    let name = lit(name);
    quote!(crate::tagged::Member { name: #name, shape: #shape })
}

/// Marks the members that get a `From` impl: for each Rust type (aliases followed to the type they name,
/// so `Ipv4Net` and `Ipv6Net`, both `String`, are one type), the first member of that type. Two impls of
/// `From<String>` would not compile; the later members are still built with their variant.
fn with_from_flags(mut variants: Vec<VariantView>) -> Vec<VariantView> {
    let mut seen = BTreeSet::new();
    for x in &mut variants {
        let key = if x.key.is_empty() {
            x.ty.clone()
        } else {
            x.key.clone()
        };
        x.from = seen.insert(key);
    }
    variants
}

/// `t` with aliases followed (`Ref(Ipv4Net)` where `Ipv4Net = String` is `String`), so two members'
/// Rust types can be compared.
fn resolve_aliases(api: &Api, t: &Ty) -> Ty {
    fn go(api: &Api, t: &Ty, depth: usize) -> Ty {
        match t {
            Ty::Ref(id) if depth < 64 => match api.types.get(id.0).map(|d| &d.kind) {
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

fn struct_view(
    api: &Api,
    id: TypeId,
    s: &crate::ir::Struct,
    usage: &Usage,
    item: ItemView,
) -> StructView {
    let mut v = StructView {
        item,
        fields: Vec::new(),
        default_impl: None,
        derive_default: false,
        ctor: None,
        default_fns: Vec::new(),
        flatten: None,
    };
    let request_only = usage.request_only.contains(&id);
    let mut defaults: Option<Vec<(String, String)>> = Some(Vec::new());
    let mut ctor_args = Vec::new();
    let mut ctor_init = Vec::new();
    let mut ctor_possible = true;
    for f in &s.fields {
        let (fv, default, dfn) = field_view(api, id, f, request_only);
        match &default {
            Some(expr) => ctor_init.push(format!("{}: {}", fv.ident, expr)),
            None if f.required => {
                ctor_args.push(format!("{}: {}", fv.ident, fv.ty));
                ctor_init.push(fv.ident.clone());
            }
            None => ctor_possible = false,
        }
        match (&mut defaults, default) {
            (Some(d), Some(expr)) => d.push((fv.ident.clone(), expr)),
            _ => defaults = None,
        }
        v.default_fns.extend(dfn);
        v.fields.push(fv);
    }
    if let Some(extra) = &s.additional {
        let vt = ty(api, extra);
        v.flatten =
            Some(quote!(::std::collections::BTreeMap<::std::string::String, #vt>).to_string());
        if let Some(d) = &mut defaults {
            d.push((
                "additional_properties".into(),
                quote!(::std::collections::BTreeMap::new()).to_string(),
            ));
        }
        ctor_init.push("additional_properties: ::std::collections::BTreeMap::new()".into());
    }
    if ctor_possible && !ctor_args.is_empty() {
        v.ctor = Some(Ctor {
            docs: doc_attrs(Some(
                "Creates a value from the required fields; every other field takes its default.",
            ))
            .to_string(),
            args: ctor_args.join(", "),
            init: ctor_init.join(", "),
        });
    }
    // Every default is `None`, a const unit or an empty map exactly when no default fn was needed.
    if defaults.is_some() && v.default_fns.is_empty() {
        v.derive_default = true;
        defaults = None;
    }
    v.default_impl = defaults;
    v
}

/// An `Option<&str>` expression reading the string `id` field of struct `id` through `var`.
pub(super) fn member_id(api: &Api, id: TypeId, var: TokenStream) -> Option<TokenStream> {
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
pub(super) fn union_id_arms(api: &Api, id: TypeId) -> Option<Vec<TokenStream>> {
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

fn type_docs(t: &TypeDef) -> TokenStream {
    let text = match &t.doc {
        Some(d) => d.clone(),
        None => format!("The `{}` schema.", t.source.replace('`', "'")),
    };
    let mut d = doc_attrs(Some(&text));
    let origin =
        proc_macro2::Literal::string(&format!(" Source: `{}`", t.pointer.replace('`', "'")));
    d.extend(quote!(#[doc = ""] #[doc = #origin]));
    d
}

fn const_tokens(v: &Value) -> (&'static str, TokenStream) {
    match v {
        Value::String(s) => {
            let l = lit(s);
            ("str", quote!(#l))
        }
        Value::Bool(b) => ("bool", quote!(#b)),
        Value::Number(n) if n.as_i64().is_some() => {
            let l = proc_macro2::Literal::i64_suffixed(n.as_i64().unwrap_or_default());
            ("i64", quote!(#l))
        }
        Value::Number(n) => {
            let l = proc_macro2::Literal::f64_suffixed(n.as_f64().unwrap_or_default());
            ("f64", quote!(#l))
        }
        other => {
            let l = lit(&other.to_string());
            ("str", quote!(#l))
        }
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_const_ty(api: &Api, t: &Ty) -> bool {
    matches!(t, Ty::Ref(id) if matches!(api.kind_of(*id), TypeKind::Const(_)))
}

/// How a struct field is represented in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    /// `T` (required, a const, or defaulted; `T` is itself an `Option` when nullable).
    Plain,
    /// `Option<T>`: may be absent.
    Option,
    /// `Option<Option<T>>`: may be absent or an explicit `null` (request-only types).
    DoubleOption,
}

/// The representation of field `f` of struct `owner`.
pub fn repr(api: &Api, owner: TypeId, f: &Field, usage: &Usage) -> Repr {
    let nullable = matches!(f.ty, Ty::Nullable(_));
    if f.required || is_const_ty(api, &f.ty) {
        return Repr::Plain;
    }
    let boxed = needs_box(api, owner, &f.ty);
    if let (Some(d), false) = (f.default.as_ref().filter(|d| !d.is_null()), boxed)
        && default_expr(api, f.ty.non_null(), d).is_some()
    {
        return Repr::Plain;
    }
    if nullable && usage.request_only.contains(&owner) {
        Repr::DoubleOption
    } else {
        Repr::Option
    }
}

/// The field, its value in `Default::default()` (None: the struct has no `Default`), and a default fn.
fn field_view(
    api: &Api,
    owner: TypeId,
    f: &Field,
    request_only: bool,
) -> (FieldView, Option<String>, Option<DefaultFn>) {
    let boxed = needs_box(api, owner, &f.ty);
    let name = ident(&f.name);
    let wire = lit(&f.wire);
    let mut serde: Vec<TokenStream> = Vec::new();
    if f.name != f.wire {
        serde.push(quote!(rename = #wire));
    }
    let nullable = matches!(f.ty, Ty::Nullable(_));
    let base = field_ty(api, &f.ty, boxed);
    let non_null_default = f.default.as_ref().filter(|d| !d.is_null());
    let mut default_fn = None;
    let fn_name = f.default_fn.clone();
    let (field_ty_tokens, default_value): (TokenStream, Option<TokenStream>) = if f.required {
        if nullable {
            (base, Some(quote!(::std::option::Option::None)))
        } else if is_const_ty(api, &f.ty) {
            (
                base.clone(),
                Some(quote!(<#base as ::std::default::Default>::default())),
            )
        } else {
            (base, None)
        }
    } else if is_const_ty(api, &f.ty) {
        serde.push(quote!(default));
        (
            base.clone(),
            Some(quote!(<#base as ::std::default::Default>::default())),
        )
    } else if let (Some(d), false) = (non_null_default, boxed) {
        match default_expr(api, f.ty.non_null(), d) {
            Some(expr) => {
                let expr = if nullable {
                    quote!(::std::option::Option::Some(#expr))
                } else {
                    expr
                };
                let fn_lit = lit(&fn_name);
                serde.push(quote!(default = #fn_lit));
                let fname = ident(&fn_name);
                default_fn = Some(DefaultFn {
                    name: fn_name.clone(),
                    ty: base.to_string(),
                    expr: expr.to_string(),
                });
                (base, Some(quote!(#fname())))
            }
            None => optional(base, &mut serde),
        }
    } else if nullable && request_only {
        serde.push(quote!(
            default,
            deserialize_with = "crate::types::double_option::deserialize",
            skip_serializing_if = "::std::option::Option::is_none"
        ));
        (
            quote!(::std::option::Option<#base>),
            Some(quote!(::std::option::Option::None)),
        )
    } else if nullable {
        serde.push(quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none"
        ));
        (base, Some(quote!(::std::option::Option::None)))
    } else {
        optional(base, &mut serde)
    };
    let mut attrs = if serde.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#serde),*)])
    };
    if f.deprecated {
        attrs.extend(quote!(#[deprecated]));
    }
    let mut doc = f.doc.clone().unwrap_or_default();
    if let Some(d) = &f.default {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("Default: `{}`", d.to_string().replace('`', "'")));
    }
    if doc.is_empty() {
        doc = format!("The `{}` property.", f.wire.replace('`', "'"));
    }
    let view = FieldView {
        docs: doc_attrs(Some(&doc)).to_string(),
        attrs: attrs.to_string(),
        ident: name.to_string(),
        ty: field_ty_tokens.to_string(),
    };
    (view, default_value.map(|d| d.to_string()), default_fn)
}

fn optional(base: TokenStream, serde: &mut Vec<TokenStream>) -> (TokenStream, Option<TokenStream>) {
    serde.push(quote!(
        default,
        skip_serializing_if = "::std::option::Option::is_none"
    ));
    (
        quote!(::std::option::Option<#base>),
        Some(quote!(::std::option::Option::None)),
    )
}
