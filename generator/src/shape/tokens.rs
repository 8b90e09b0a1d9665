//! Spec-derived Rust fragments, built with quote/proc-macro2 so they are always valid tokens.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{Api, Ty, TypeId, TypeKind};

/// An identifier token (names are sanitized by `naming`, so they are valid and not keywords).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A string literal token.
pub fn lit(s: &str) -> Literal {
    Literal::string(s)
}

/// The type expression for `ty`, as used from anywhere in the crate.
pub fn ty(api: &Api, t: &Ty) -> TokenStream {
    match t {
        Ty::String => quote!(::std::string::String),
        Ty::DateTime => quote!(crate::types::Timestamp),
        Ty::Binary => quote!(crate::request::FilePart),
        Ty::Integer { int32: true } => quote!(i32),
        Ty::Integer { int32: false } => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Any => quote!(::serde_json::Value),
        Ty::Array(inner) => {
            let inner = ty(api, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) if **inner == Ty::Any => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        Ty::Map(inner) => {
            let inner = ty(api, inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Ref(id) => {
            let name = ident(api.name_of(*id));
            quote!(crate::models::#name)
        }
        Ty::Nullable(inner) => {
            let inner = ty(api, inner);
            quote!(::std::option::Option<#inner>)
        }
    }
}

/// Types a value of type `from` contains directly (not behind a `Vec`/map, which already allocate).
fn direct_refs(api: &Api, id: TypeId) -> Vec<TypeId> {
    let mut out = Vec::new();
    let mut push = |t: &Ty| {
        if let Ty::Ref(r) = t.non_null() {
            out.push(*r);
        }
    };
    match api.kind_of(id) {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| push(&f.ty)),
        TypeKind::Untagged(vs) => vs.iter().for_each(|v| push(&v.ty)),
        TypeKind::Tagged(t) => t.variants.iter().for_each(|v| push(&Ty::Ref(v.ty))),
        TypeKind::Alias(t) => push(t),
        _ => {}
    }
    out
}

/// True when a field or variant of type `t` inside `owner` must be boxed to break a recursive cycle.
pub fn needs_box(api: &Api, owner: TypeId, t: &Ty) -> bool {
    let Ty::Ref(start) = t.non_null() else {
        return false;
    };
    let mut seen = BTreeSet::new();
    let mut stack = vec![*start];
    while let Some(id) = stack.pop() {
        if id == owner {
            return true;
        }
        if seen.insert(id) {
            stack.extend(direct_refs(api, id));
        }
    }
    false
}

/// `ty`, boxed inside its `Option` when `boxed`.
pub fn field_ty(api: &Api, t: &Ty, boxed: bool) -> TokenStream {
    if !boxed {
        return ty(api, t);
    }
    match t {
        Ty::Nullable(inner) => {
            let inner = ty(api, inner);
            quote!(::std::option::Option<::std::boxed::Box<#inner>>)
        }
        other => {
            let inner = ty(api, other);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// A Rust expression for a JSON default of type `t`, when one can be written.
pub fn default_expr(api: &Api, t: &Ty, v: &Value) -> Option<TokenStream> {
    Some(match (t, v) {
        (Ty::String, Value::String(s)) => {
            let l = lit(s);
            quote!(::std::string::String::from(#l))
        }
        (Ty::Boolean, Value::Bool(b)) => quote!(#b),
        (Ty::Integer { int32: true }, Value::Number(n)) => {
            let n = Literal::i32_suffixed(i32::try_from(n.as_i64()?).ok()?);
            quote!(#n)
        }
        (Ty::Integer { int32: false }, Value::Number(n)) => {
            let n = Literal::i64_suffixed(n.as_i64()?);
            quote!(#n)
        }
        (Ty::Number, Value::Number(n)) => {
            let f = n.as_f64()?;
            if !f.is_finite() {
                return None;
            }
            let n = Literal::f64_suffixed(f);
            quote!(#n)
        }
        (Ty::Array(_), Value::Array(a)) if a.is_empty() => quote!(::std::vec::Vec::new()),
        (Ty::Map(_), Value::Object(o)) if o.is_empty() => {
            quote!(::std::default::Default::default())
        }
        (Ty::Ref(id), v) => match (api.kind_of(*id), v) {
            (TypeKind::Enum(values), Value::String(s)) => {
                let variant = values.iter().find(|e| &e.wire == s)?;
                let tname = ident(api.name_of(*id));
                let vname = ident(&variant.name);
                quote!(crate::models::#tname::#vname)
            }
            (TypeKind::Const(c), v) if c == v => {
                let tname = ident(api.name_of(*id));
                quote!(crate::models::#tname)
            }
            (TypeKind::Alias(inner), v) => return default_expr(api, inner, v),
            _ => return None,
        },
        _ => return None,
    })
}
