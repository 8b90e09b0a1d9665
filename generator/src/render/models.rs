//! View models for `model.rs.j2`: one file per component schema, holding the inline types it owns. What
//! each item is (fields and their types, constructors, setters, variants) comes from [`crate::shape`];
//! this adds docs, serde attributes and the code of the impls.

use crate::printer::Print;
use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;
use serde_json::Value;

use crate::docs::doc_comment;
use crate::ir::{Api, Field, Ty, TypeDef, TypeId, TypeKind};
use crate::shape::models::{StructShape, resolve_aliases, union_id_arms};
use crate::shape::tokens::{ident, lit};
use crate::shape::{FieldKind, FieldShape, Gate, ModelKind, Shape};

/// One emitted model file.
#[derive(Serialize)]
pub struct ModelFile {
    /// File stem under `src/models/`.
    pub module: String,
    /// The `#[cfg(...)]` of its `mod` and `pub use` (empty: always compiled): the features of its types.
    pub cfg: String,
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
    default_impl: bool,
    ctor: Option<Ctor>,
    setters: Vec<SetterView>,
    default_fns: Vec<DefaultFn>,
    flatten: Option<String>,
    /// How values are built, for the struct's docs.
    building: String,
}

#[derive(Serialize)]
struct SetterView {
    docs: String,
    deprecated: String,
    ident: String,
    field: String,
    arg: String,
    value: String,
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
    /// The variant `From<&str>` builds (the one `From<String>` builds), if any.
    from_str: Option<String>,
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
    wire: String,
    ty: String,
    patterns: String,
    docs: String,
    /// An untagged union's member as `crate::tagged::Member` (what ranking it needs).
    member: String,
}

/// Groups types into files: each component with the inline types it owns; ownerless inline types alone.
pub fn files(api: &Api, shape: &Shape) -> Vec<ModelFile> {
    let mut groups: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
    for (i, t) in api.types.iter().enumerate() {
        groups.entry(t.file.as_str()).or_default().push(TypeId(i));
    }
    groups
        .into_iter()
        .map(|(module, ids)| ModelFile {
            module: module.to_string(),
            cfg: file_cfg(shape, &ids),
            types: ids
                .into_iter()
                .filter_map(|id| type_view(api, id, shape))
                .collect(),
        })
        .collect()
}

/// The `#[cfg]` that compiles a model file: none when one of its types is always needed, else any of the
/// features its types are gated by.
fn file_cfg(shape: &Shape, ids: &[TypeId]) -> String {
    let mut features = std::collections::BTreeSet::new();
    for id in ids {
        match shape.model(*id).map(|m| &m.gate) {
            Some(Gate::Always) | None => return String::new(),
            Some(Gate::Features(set)) => features.extend(set.iter().cloned()),
            Some(Gate::Unused) => {
                features.insert(crate::shape::UNUSED_MODELS_FEATURE.to_string());
            }
        }
    }
    let list: Vec<TokenStream> = features
        .iter()
        .map(|f| {
            let f = lit(f);
            quote!(feature = #f)
        })
        .collect();
    match list.as_slice() {
        [one] => quote!(#[cfg(#one)]).print(),
        _ => quote!(#[cfg(any(#(#list),*))]).print(),
    }
}

fn deprecated_attr(d: bool) -> String {
    if d {
        quote!(#[deprecated]).print()
    } else {
        String::new()
    }
}

/// The view of type `id` (`None` for an id that is not in `api`).
fn type_view(api: &Api, id: TypeId, shape: &Shape) -> Option<TypeView> {
    let t: &TypeDef = api.get(id)?;
    let model = shape.model(id)?;
    let item = ItemView {
        ident: t.name.clone(),
        docs: type_docs(t),
        deprecated: deprecated_attr(t.deprecated),
    };
    Some(match &t.kind {
        TypeKind::Struct(s) => match &model.kind {
            ModelKind::Struct(st) => TypeView::Struct(struct_view(s, st, item)),
            _ => return None,
        },
        TypeKind::Enum(values) => TypeView::Enum(EnumView {
            item,
            variants: values
                .iter()
                .map(|e| VariantView {
                    ident: e.name.clone(),
                    wire: lit(&e.wire).to_string(),
                    docs: doc_comment(Some(&format!("`{}`", e.wire.replace('`', "'")))),
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
                        wire: quote!(#l).print(),
                        ..VariantView::default()
                    }
                })
                .collect(),
        }),
        TypeKind::Const(value) => {
            let (kind, tokens) = const_tokens(value);
            TypeView::Const(ConstView {
                item,
                value: tokens.print(),
                value_kind: kind,
                value_text: lit(&value_text(value)).to_string(),
            })
        }
        TypeKind::Tagged(tagged) => {
            let ModelKind::Union(u) = &model.kind else {
                return None;
            };
            let variants = u
                .variants
                .iter()
                .map(|v| {
                    let patterns: Vec<TokenStream> = v
                        .values
                        .iter()
                        .map(|s| {
                            let l = lit(s);
                            quote!(::std::option::Option::Some(#l))
                        })
                        .collect();
                    VariantView {
                        ident: v.name.clone(),
                        from: v.from,
                        ty: v.ty.clone(),
                        patterns: quote!(#(#patterns)|*).print(),
                        wire: lit(v.values.first().map_or("", String::as_str)).to_string(),
                        member: String::new(),
                        docs: doc_comment(Some(&format!(
                            "`{}` = {}",
                            tagged.tag,
                            v.values
                                .iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))),
                    }
                })
                .collect();
            TypeView::Tagged(UnionView {
                item,
                variants,
                tag: lit(&tagged.tag).to_string(),
                id_arms: union_id_arms(api, id)
                    .filter(|_| u.id_accessor)
                    .map(|arms| arms.iter().map(ToString::to_string).collect()),
                name: String::new(),
                from_str: u.from_str.clone(),
            })
        }
        TypeKind::Untagged(variants) => {
            let ModelKind::Union(u) = &model.kind else {
                return None;
            };
            TypeView::Untagged(UnionView {
                item,
                variants: variants
                    .iter()
                    .zip(&u.variants)
                    .map(|(uv, v)| VariantView {
                        ident: v.name.clone(),
                        from: v.from,
                        ty: v.ty.clone(),
                        member: untagged_member(api, &uv.name, &uv.ty).print(),
                        ..VariantView::default()
                    })
                    .collect(),
                tag: String::new(),
                id_arms: None,
                name: lit(&t.name).to_string(),
                from_str: u.from_str.clone(),
            })
        }
        TypeKind::Alias(_) => TypeView::Alias(AliasView {
            item,
            alias: match &model.kind {
                ModelKind::Alias(target) => target.clone(),
                _ => return None,
            },
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

fn struct_view(s: &crate::ir::Struct, st: &StructShape, item: ItemView) -> StructView {
    let mut v = StructView {
        building: String::new(),
        item,
        fields: Vec::new(),
        default_impl: false,
        ctor: None,
        setters: Vec::new(),
        default_fns: Vec::new(),
        flatten: st
            .additional
            .as_ref()
            .map(|vt| format!("::std::collections::BTreeMap<::std::string::String, {vt}>")),
    };
    let mut init = Vec::new();
    for (f, fs) in s.fields.iter().zip(&st.fields) {
        v.fields.push(field_view(f, fs));
        if let FieldKind::Defaulted { function, expr } = &fs.kind {
            v.default_fns.push(DefaultFn {
                name: function.clone(),
                ty: fs.ty.clone(),
                expr: expr.clone(),
            });
        }
        init.push(match &fs.init {
            Some(expr) => (fs.name.clone(), expr.clone()),
            None => (
                fs.name.clone(),
                format!("::std::convert::Into::into({})", fs.name),
            ),
        });
        if let Some(setter) = &fs.setter {
            v.setters.push(SetterView {
                docs: doc_comment(Some(&format!(
                    "Sets [`Self::{}`] (`{}`).",
                    fs.name,
                    fs.wire.replace('`', "'")
                ))),
                deprecated: deprecated_attr(fs.deprecated),
                ident: setter.name.clone(),
                field: fs.name.clone(),
                arg: setter.arg.clone(),
                value: setter.value.clone(),
            });
        }
        if let Some(null) = &fs.null_setter {
            v.setters.push(SetterView {
                docs: doc_comment(Some(&format!(
                    "Sets [`Self::{}`] (`{}`) to an explicit `null`, which the server takes as \"clear it\" (leaving the field unset sends nothing).",
                    fs.name,
                    fs.wire.replace('`', "'")
                ))),
                deprecated: deprecated_attr(fs.deprecated),
                ident: null.clone(),
                field: fs.name.clone(),
                arg: String::new(),
                value: "crate::types::Nullable::Null".into(),
            });
        }
    }
    if st.additional.is_some() {
        init.push((
            "additional_properties".into(),
            "::std::collections::BTreeMap::new()".into(),
        ));
    }
    let name = &v.item.ident;
    if st.constructible {
        v.ctor = Some(Ctor {
            docs: doc_comment(Some(if st.new_args.is_empty() {
                "Creates a value with every field at its default (the same as `Default::default()`)."
            } else {
                "Creates a value from the required fields; every other field takes its default."
            })),
            args: st
                .new_args
                .iter()
                .map(|(n, t)| format!("{n}: {t}"))
                .collect::<Vec<_>>()
                .join(", "),
            init: init
                .iter()
                .map(|(n, e)| format!("{n}: {e}"))
                .collect::<Vec<_>>()
                .join(", "),
        });
        v.building = format!(
            "Build it with [`{name}::new`] and the `with_*` setters; the fields are public to read and to assign. It is `#[non_exhaustive]`: a field added in a later release breaks no code."
        );
        v.default_impl = st.default;
    } else {
        v.building = "Received from the server: the fields are public to read. It is `#[non_exhaustive]` and has no constructor, so a field added in a later release breaks no code.".into();
    }
    v
}

fn type_docs(t: &TypeDef) -> String {
    let text = match &t.doc {
        Some(d) => d.clone(),
        None => format!("The `{}` schema.", t.source.replace('`', "'")),
    };
    let origin = format!("Source: `{}`", t.pointer.replace('`', "'"));
    format!(
        "{}\n///\n{}",
        doc_comment(Some(&text)),
        doc_comment(Some(&origin))
    )
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

/// A struct field: its docs, serde attributes (from how the shape represents it), name and type.
fn field_view(f: &Field, fs: &FieldShape) -> FieldView {
    let wire = lit(&fs.wire);
    let mut serde: Vec<TokenStream> = Vec::new();
    if fs.name != fs.wire {
        serde.push(quote!(rename = #wire));
    }
    match &fs.kind {
        FieldKind::Required | FieldKind::RequiredNullable | FieldKind::Const { required: true } => {
        }
        FieldKind::Const { required: false } => serde.push(quote!(default)),
        FieldKind::Defaulted { function, .. } => {
            let function = lit(function);
            serde.push(quote!(default = #function));
        }
        FieldKind::Optional | FieldKind::OptionalNullable => serde.push(quote!(
            default,
            skip_serializing_if = "::std::option::Option::is_none"
        )),
        FieldKind::Nullable => serde.push(quote!(
            default,
            skip_serializing_if = "crate::types::Nullable::is_absent"
        )),
    }
    let mut attrs = if serde.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#serde),*)])
    };
    if fs.deprecated {
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
    FieldView {
        docs: doc_comment(Some(&doc)),
        attrs: attrs.print(),
        ident: ident(&fs.name).to_string(),
        ty: fs.ty.clone(),
    }
}
