//! The operations: each one's method on its tag's API struct, and its request builder (arguments,
//! setters, what `.send()` returns, `.stream()`, `.into_stream()`).

use crate::printer::Print;
use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::models::{Model, ModelKind};
use super::tokens::{ident, lit, ty};
use crate::ir::{Api, Body, Operation, Param, ParamLocation, Response, Ty, TypeKind};
use crate::naming::feature_name;
use crate::profile::{CursorOrder, Profile};

/// One tag: its API struct (`client.<module>()`) and the module its builders live in.
#[derive(Debug, Clone)]
pub struct ApiShape {
    /// The module (file) under `src/apis/`.
    pub module: String,
    /// The tag as written in the spec.
    pub name: String,
    /// The API struct (`AgentsApi`).
    pub api_type: String,
    /// The cargo feature that has the module.
    pub feature: String,
    /// The tag's operations (indexes into [`super::Shape::ops`]), in tag order.
    pub ops: Vec<usize>,
    /// Modules whose builders this one's methods return (their features are enabled by this one).
    pub needs: Vec<String>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OpShape {
    /// `operationId`.
    pub id: String,
    /// Upper-case HTTP method and path template, for messages.
    pub http: String,
    /// The method on the API struct.
    pub method: String,
    /// The module hosting the builder: the operation's first tag.
    pub module: String,
    /// The builder type, in `module`.
    pub builder: String,
    /// The method's arguments: required parameters in order, then a required body.
    pub args: Vec<Arg>,
    /// The builder's setters: optional parameters, then an optional body.
    pub setters: Vec<Setter>,
    /// What `.send()` returns on success.
    pub output: String,
    /// `.stream()` exists (an operation answering JSON or events).
    pub stream: bool,
    /// The `into_stream` method of a cursor-paged list.
    pub paging: Option<String>,
    /// `#[deprecated]`.
    pub deprecated: bool,
}

impl OpShape {
    /// `crate::apis::MODULE::BUILDER`.
    pub fn builder_path(&self) -> String {
        let (m, b) = (ident(&self.module), ident(&self.builder));
        quote!(crate::apis::#m::#b).print()
    }
}

/// A required argument of an operation's method.
#[derive(Debug, Clone)]
pub struct Arg {
    /// The argument (and builder field) name.
    pub name: String,
    /// Its declared type (`impl Into<String>` for strings).
    pub decl: String,
    /// The type the builder stores.
    pub stored: String,
    /// The conversion the builder applies (`::std::convert::Into::into`), empty for none.
    pub conv: String,
    /// The parameter (`None`: the body).
    pub param: Option<usize>,
}

/// A setter of a request builder (`.limit(10)`).
#[derive(Debug, Clone)]
pub struct Setter {
    /// The setter (and builder field) name.
    pub name: String,
    /// Its argument type.
    pub arg: String,
    /// The type inside the builder's `Option` field.
    pub stored: String,
    /// The expression stored from `value`.
    pub value: String,
    /// The parameter (`None`: the body).
    pub param: Option<usize>,
}

/// The shape of every operation, in operation order.
pub(super) fn build(api: &Api, profile: &Profile, models: &[Model]) -> Vec<OpShape> {
    let module_of: BTreeMap<&str, &str> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.module.as_str()))
        .collect();
    api.operations
        .iter()
        .map(|op| {
            let module = op
                .tags
                .first()
                .and_then(|t| module_of.get(t.as_str()).copied())
                .or_else(|| api.tags.first().map(|t| t.module.as_str()))
                .unwrap_or("default")
                .to_string();
            OpShape {
                id: op.id.clone(),
                http: format!("{} {}", op.method, op.path),
                method: op.method_name.clone(),
                module,
                builder: op.builder_name.clone(),
                args: args(api, op),
                setters: setters(api, op),
                output: output(api, op).print(),
                stream: matches!(op.response, Response::Dual(_)),
                paging: paging(api, profile, op, models).map(|t| t.print()),
                deprecated: op.deprecated,
            }
        })
        .collect()
}

/// The tags' API structs.
pub(super) fn apis(api: &Api, ops: &[OpShape]) -> Vec<ApiShape> {
    api.tags
        .iter()
        .map(|tag| {
            let mut needs: Vec<String> = Vec::new();
            for &i in &tag.operations {
                if let Some(op) = ops.get(i)
                    && op.module != tag.module
                    && !needs.contains(&op.module)
                {
                    needs.push(op.module.clone());
                }
            }
            ApiShape {
                module: tag.module.clone(),
                name: tag.name.clone(),
                api_type: tag.api_type.clone(),
                feature: feature_name(&tag.module),
                ops: tag.operations.clone(),
                needs,
            }
        })
        .collect()
}

/// A required argument's declared type and the conversion that turns it into the stored value.
fn arg(api: &Api, t: &Ty) -> (TokenStream, TokenStream) {
    match t {
        Ty::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::convert::Into::into),
        ),
        other => (ty(api, other), TokenStream::new()),
    }
}

fn body_required(op: &Operation) -> Option<&Body> {
    op.body.as_ref().filter(|b| b.required)
}

fn args(api: &Api, op: &Operation) -> Vec<Arg> {
    let mut out: Vec<Arg> = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required)
        .map(|(i, p)| {
            let (decl, conv) = arg(api, &p.ty);
            Arg {
                name: p.name.clone(),
                decl: decl.print(),
                stored: ty(api, &p.ty).print(),
                conv: conv.print(),
                param: Some(i),
            }
        })
        .collect();
    if let Some(b) = body_required(op) {
        let t = ty(api, &b.ty).print();
        out.push(Arg {
            name: "body".into(),
            decl: t.clone(),
            stored: t,
            conv: String::new(),
            param: None,
        });
    }
    out
}

fn setters(api: &Api, op: &Operation) -> Vec<Setter> {
    let mut out: Vec<Setter> = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.required)
        .map(|(i, p)| {
            let inner = p.ty.non_null();
            let (decl, conv) = arg(api, inner);
            Setter {
                name: p.name.clone(),
                arg: decl.print(),
                stored: ty(api, inner).print(),
                value: if conv.is_empty() {
                    "value".into()
                } else {
                    quote!(#conv(value)).print()
                },
                param: Some(i),
            }
        })
        .collect();
    if let Some(b) = op.body.as_ref().filter(|b| !b.required) {
        // The builder's field is already an `Option`: a nullable body is set with its value.
        let t = ty(api, b.ty.non_null()).print();
        out.push(Setter {
            name: "body".into(),
            arg: t.clone(),
            stored: t,
            value: "value".into(),
            param: None,
        });
    }
    out
}

/// What `.send()` returns on success.
fn output(api: &Api, op: &Operation) -> TokenStream {
    match &op.response {
        Response::Empty => quote!(()),
        Response::Json(t) | Response::Dual(t) => ty(api, t),
        Response::Stream => quote!(crate::stream::EventStream<crate::apis::StreamEvent>),
        Response::Text => quote!(::std::string::String),
        Response::Bytes => quote!(::bytes::Bytes),
    }
}

/// The parameter an argument or setter stands for (`None` for the body).
pub(crate) fn param(op: &Operation, p: Option<usize>) -> Option<&Param> {
    op.params.get(p?)
}

/// How to read the `id` of a list item: a struct's string `id` field, or the `id()` accessor that tagged
/// unions whose members all have one get (see `models::member_id`).
fn item_id_expr(api: &Api, id: crate::ir::TypeId, models: &[Model]) -> Option<TokenStream> {
    match api.kind_of(id) {
        TypeKind::Struct(_) => {
            let get = super::models::member_id(api, id, quote!(item))?;
            Some(quote!({
                let id: ::std::option::Option<&str> = #get;
                id.map(::std::string::ToString::to_string)
            }))
        }
        TypeKind::Tagged(_)
            if models
                .get(id.0)
                .is_some_and(|m| matches!(&m.kind, ModelKind::Union(u) if u.id_accessor)) =>
        {
            Some(quote!(item.id().map(::std::string::ToString::to_string)))
        }
        _ => None,
    }
}

/// The optional query parameter `name` of `op`.
fn query_param<'o>(op: &'o Operation, name: &str) -> Option<&'o Param> {
    op.params
        .iter()
        .find(|p| p.wire == name && p.location == ParamLocation::Query && !p.required)
}

/// An `into_stream` method for cursor-paged list operations: GET, the profile's `after` (string) and
/// `limit` query parameters, and a JSON array of objects with the cursor field. When the operation has the
/// profile's ordering parameter (and a `before` cursor), the walk follows the order the request asks for:
/// ascending pages with `after=<last>`, descending with `before=<last>`.
fn paging(api: &Api, profile: &Profile, op: &Operation, models: &[Model]) -> Option<TokenStream> {
    let names = &profile.paging;
    if op.method != "GET" {
        return None;
    }
    let after = query_param(op, &names.after)?;
    if *after.ty.non_null() != Ty::String {
        return None;
    }
    let limit = query_param(op, &names.limit)?;
    if !matches!(limit.ty.non_null(), Ty::Integer { .. }) {
        return None;
    }
    let Response::Json(Ty::Array(item)) = &op.response else {
        return None;
    };
    let Ty::Ref(id) = item.as_ref() else {
        return None;
    };
    let id_expr = item_id_expr(api, *id, models)?;
    let item_ty = ty(api, item);
    let after_name = ident(&after.name);
    let limit_name = ident(&limit.name);
    let limit_expr = if matches!(limit.ty.non_null(), Ty::Integer { int32: true }) {
        quote!(self.#limit_name.map(i64::from))
    } else {
        quote!(self.#limit_name)
    };
    let cursors = names
        .cursors_by_operation
        .get(&op.id)
        .copied()
        .unwrap_or(names.cursors);
    let ordered = names
        .order
        .as_ref()
        .filter(|_| {
            matches!(
                cursors,
                CursorOrder::Chronological | CursorOrder::ChronologicalAscendingPages
            )
        })
        .and_then(|order| {
            let param = query_param(op, &order.param)?;
            let before =
                query_param(op, &names.before).filter(|b| *b.ty.non_null() == Ty::String)?;
            let default = param
                .default
                .as_ref()
                .and_then(|d| d.as_str().map(str::to_string))
                .or_else(|| order.server_default.clone());
            Some((order, param, before, default))
        });
    let follows_order = names.order.as_ref().is_some_and(|o| {
        cursors == CursorOrder::FollowOrder && query_param(op, &o.param).is_some()
    });
    let swapped = (cursors == CursorOrder::Swapped)
        .then(|| query_param(op, &names.before).filter(|b| *b.ty.non_null() == Ty::String))
        .flatten();
    let (doc, set_cursor, descending) = match ordered {
        None if swapped.is_some() => {
            let before_name = ident(swapped.map_or("before", |b| b.name.as_str()));
            (
                format!(
                    "each page's last `id` becomes the next `{}` cursor (this list's cursors are swapped: \
                     `{}` continues in the order the request asks for)",
                    names.before, names.before
                ),
                quote!(|builder, cursor| builder.#before_name(cursor)),
                quote!(),
            )
        }
        None if follows_order => (
            format!(
                "each page's last `id` becomes the next `{}` cursor, which continues in the order the \
                 request asks for",
                after.wire
            ),
            quote!(|builder, cursor| builder.#after_name(cursor)),
            quote!(),
        ),
        None => (
            format!(
                "each page's last `id` becomes the next `{}` cursor",
                after.wire
            ),
            quote!(|builder, cursor| builder.#after_name(cursor)),
            quote!(),
        ),
        Some((order, param, before, default)) => {
            let order_name = ident(&param.name);
            let before_name = ident(&before.name);
            let desc = lit(&order.descending);
            let default_desc = default.as_deref() == Some(order.descending.as_str());
            let ascending_pages = cursors == CursorOrder::ChronologicalAscendingPages;
            (
                format!(
                    "pages follow the order the request asks for (`{}`, server default `{}`); ascending pages \
                     continue with `{}=<last id>`, descending ones with `{}=<{} id>`{}",
                    param.wire,
                    default.as_deref().unwrap_or("unknown"),
                    after.wire,
                    before.wire,
                    if ascending_pages { "oldest" } else { "last" },
                    if ascending_pages {
                        " (the server presents every page oldest first; each descending page is yielded \
                         newest first)"
                    } else {
                        ""
                    }
                ),
                quote!(move |builder, cursor| if descending { builder.#before_name(cursor) } else { builder.#after_name(cursor) }),
                {
                    let reverse = if ascending_pages {
                        quote!(descending)
                    } else {
                        quote!(false)
                    };
                    quote! {
                        let descending = match &self.#order_name {
                            ::std::option::Option::Some(order) => crate::paging::wire_name(order).as_deref() == ::std::option::Option::Some(#desc),
                            ::std::option::Option::None => #default_desc,
                        };
                        let reverse_pages = #reverse;
                    }
                },
            )
        }
    };
    let reverse_pages = if descending.is_empty() {
        quote!(false)
    } else {
        quote!(reverse_pages)
    };
    let doc = crate::docs::doc_paragraphs(&[
        format!("Streams every item across pages: {doc}."),
        "Stops at an empty page, at a page shorter than `limit` (when set), or when the cursor stops moving."
            .into(),
    ]);
    Some(quote! {
        #doc
        pub fn into_stream(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<#item_ty, crate::Error>> + ::std::marker::Unpin + 'a {
            let limit = #limit_expr;
            #descending
            crate::paging::paginate(
                self,
                limit,
                #reverse_pages,
                #set_cursor,
                |builder| builder.send(),
                |item: &#item_ty| #id_expr,
            )
        }
    })
}
