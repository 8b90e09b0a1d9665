//! View models for `api.rs.j2` (one module per tag) and `apis_mod.rs.j2`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::models::{Repr, Usage};
use super::tokens::{ident, lit, ty};
use crate::docs::{doc_attrs, doc_paragraphs, inner_doc_paragraphs};
use crate::ir::{Api, Body, BodyKind, Operation, Param, ParamLocation, Response, Ty, TypeKind};
use crate::profile::{CursorOrder, Profile};

/// One tag module.
#[derive(Serialize)]
pub struct TagView {
    /// Module (file) name.
    pub module: String,
    /// The tag as written in the spec.
    pub name: String,
    api_type: String,
    docs: String,
    module_docs: String,
    /// Methods on the tag's API struct.
    methods: Vec<MethodView>,
    /// Builders hosted in this module (operations whose first tag this is).
    builders: Vec<BuilderView>,
    /// Modules whose builders this one uses (for cargo features).
    pub needs: Vec<String>,
}

#[derive(Serialize)]
struct MethodView {
    docs: String,
    deprecated: String,
    ident: String,
    args: String,
    arg_names: String,
    builder: String,
}

#[derive(Serialize)]
struct BuilderView {
    ident: String,
    docs: String,
    fields: Vec<(String, String)>,
    args: String,
    init: String,
    setters: Vec<SetterView>,
    output: String,
    send: String,
    /// The `.stream()` body of a dual-mode operation.
    stream: Option<String>,
    /// What `.stream()` sends to ask for events, for its docs.
    stream_selector: String,
    paging: Option<String>,
}

#[derive(Serialize)]
struct SetterView {
    docs: String,
    deprecated: String,
    ident: String,
    arg_ty: String,
    value: String,
}

/// Builds every tag view, in tag order.
pub fn tags(api: &Api, usage: &Usage, profile: &Profile) -> Vec<TagView> {
    let module_of: BTreeMap<&str, &str> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.module.as_str()))
        .collect();
    api.tags
        .iter()
        .map(|tag| {
            let mut needs = Vec::new();
            let mut methods = Vec::new();
            let mut builders = Vec::new();
            for &i in &tag.operations {
                let Some(op) = api.operations.get(i) else {
                    continue;
                };
                // The builder lives in the module of the operation's first tag (resolve gives every
                // operation at least one tag).
                let host = op
                    .tags
                    .first()
                    .and_then(|t| module_of.get(t.as_str()).copied())
                    .unwrap_or(tag.module.as_str());
                if host == tag.module {
                    builders.push(builder(api, usage, profile, op));
                } else if !needs.iter().any(|n| n == host) {
                    needs.push(host.to_string());
                }
                methods.push(method(api, op, host));
            }
            TagView {
                module: tag.module.clone(),
                name: tag.name.clone(),
                api_type: tag.api_type.clone(),
                docs: doc_paragraphs(&[format!(
                    "The `{}` operations. Get it with `client.{}()`.",
                    tag.name.replace('`', "'"),
                    tag.module,
                )])
                .to_string(),
                module_docs: inner_doc_paragraphs(&[
                    format!(
                        "The `{}` API: {} operations.",
                        tag.name.replace('`', "'"),
                        tag.operations.len()
                    ),
                    tag.doc.clone().unwrap_or_default(),
                ])
                .to_string(),
                methods,
                builders,
                needs,
            }
        })
        .collect()
}

/// A required argument's declared type and the expression that turns it into the stored field.
fn arg(api: &Api, t: &Ty) -> (TokenStream, TokenStream, bool) {
    match t {
        Ty::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::convert::Into::into),
            true,
        ),
        other => (ty(api, other), TokenStream::new(), false),
    }
}

fn required(op: &Operation) -> Vec<&Param> {
    op.params.iter().filter(|p| p.required).collect()
}

fn optional(op: &Operation) -> Vec<&Param> {
    op.params.iter().filter(|p| !p.required).collect()
}

fn body_required(op: &Operation) -> Option<&Body> {
    op.body.as_ref().filter(|b| b.required)
}

fn args(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let mut decl = Vec::new();
    let mut names = Vec::new();
    for p in required(op) {
        let name = ident(&p.name);
        let (t, _, _) = arg(api, &p.ty);
        decl.push(quote!(#name: #t));
        names.push(quote!(#name));
    }
    if let Some(b) = body_required(op) {
        let t = ty(api, &b.ty);
        decl.push(quote!(body: #t));
        names.push(quote!(body));
    }
    (quote!(#(#decl),*), quote!(#(#names),*))
}

fn method(api: &Api, op: &Operation, host: &str) -> MethodView {
    let (decl, names) = args(api, op);
    let mut parts = Vec::new();
    if let Some(s) = &op.summary {
        parts.push(s.clone());
    }
    if let Some(d) = &op.description {
        parts.push(d.clone());
    }
    parts.push(format!(
        "`{} {}` (operation `{}`)",
        op.method,
        op.path,
        op.id.replace('`', "'")
    ));
    let host_mod = ident(host);
    let builder = ident(&op.builder_name);
    let args_doc: Vec<String> = required(op)
        .iter()
        .map(|p| {
            format!(
                "- `{}`: {}",
                p.name,
                p.doc.clone().unwrap_or_else(|| format!(
                    "the `{}` {} parameter",
                    p.wire,
                    location(p.location)
                ))
            )
        })
        .chain(body_required(op).map(|b| {
            format!(
                "- `body`: {}",
                b.doc.clone().unwrap_or_else(|| "the request body".into())
            )
        }))
        .collect();
    if !args_doc.is_empty() {
        parts.push("# Arguments".to_string());
        parts.push(args_doc.join("\n"));
    }
    if let Some(b) = op.body.as_ref().filter(|b| !b.alternatives.is_empty()) {
        let others: Vec<String> = b
            .alternatives
            .iter()
            .map(|m| format!("`{}`", m.replace('`', "'")))
            .collect();
        parts.push(format!(
            "The body is sent as `{}`; the operation also accepts {}: to send one of those, set it with `.header(\"content-type\", …)`.",
            b.media_type.replace('`', "'"),
            others.join(", ")
        ));
    }
    if let Some(b) = op.body.as_ref().filter(|b| !b.other_kinds.is_empty()) {
        let others: Vec<String> = b
            .other_kinds
            .iter()
            .map(|m| format!("`{}`", m.replace('`', "'")))
            .collect();
        parts.push(format!(
            "The operation also accepts {} bodies; this method sends `{}`. To send another, build a `crate::request::Request` (`Request::form`, `Request::bytes`, `Request::multipart`) and send it with `Client::execute`.",
            others.join(", "),
            b.media_type.replace('`', "'")
        ));
    }
    let docs = doc_paragraphs(&parts);
    MethodView {
        docs: docs.to_string(),
        deprecated: if op.deprecated {
            quote!(#[deprecated]).to_string()
        } else {
            String::new()
        },
        ident: op.method_name.clone(),
        args: decl.to_string(),
        arg_names: names.to_string(),
        builder: quote!(crate::apis::#host_mod::#builder).to_string(),
    }
}

/// How the spec names a parameter's location.
pub(crate) fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn builder(api: &Api, usage: &Usage, profile: &Profile, op: &Operation) -> BuilderView {
    let (decl, _) = args(api, op);
    let mut fields = Vec::new();
    let mut init = Vec::new();
    for p in required(op) {
        let name = ident(&p.name);
        let (_, conv, _) = arg(api, &p.ty);
        fields.push((p.name.clone(), ty(api, &p.ty).to_string()));
        init.push(if conv.is_empty() {
            quote!(#name)
        } else {
            quote!(#name: #conv(#name))
        });
    }
    let mut setters = Vec::new();
    for p in optional(op) {
        let name = ident(&p.name);
        let inner = p.ty.non_null();
        let inner_ty = ty(api, inner);
        fields.push((
            p.name.clone(),
            quote!(::std::option::Option<#inner_ty>).to_string(),
        ));
        init.push(quote!(#name: ::std::option::Option::None));
        let (arg_ty, conv, _) = arg(api, inner);
        let mut doc = p.doc.clone().unwrap_or_else(|| {
            format!("Sets the `{}` {} parameter.", p.wire, location(p.location))
        });
        if let Some(d) = &p.default {
            doc.push_str(&format!(
                "\n\nServer default: `{}`",
                d.to_string().replace('`', "'")
            ));
        }
        setters.push(SetterView {
            docs: doc_attrs(Some(&doc)).to_string(),
            deprecated: if p.deprecated {
                quote!(#[deprecated]).to_string()
            } else {
                String::new()
            },
            ident: p.name.clone(),
            arg_ty: arg_ty.to_string(),
            value: if conv.is_empty() {
                "value".into()
            } else {
                quote!(#conv(value)).to_string()
            },
        });
    }
    if let Some(b) = &op.body {
        let t = ty(api, &b.ty);
        if b.required {
            fields.push(("body".into(), t.to_string()));
            init.push(quote!(body));
        } else {
            fields.push(("body".into(), quote!(::std::option::Option<#t>).to_string()));
            init.push(quote!(body: ::std::option::Option::None));
            setters.push(SetterView {
                docs: doc_attrs(Some(
                    &b.doc
                        .clone()
                        .unwrap_or_else(|| "Sets the (optional) request body.".into()),
                ))
                .to_string(),
                deprecated: String::new(),
                ident: "body".into(),
                arg_ty: t.to_string(),
                value: "value".into(),
            });
        }
    }
    let selector = selector_field(api, profile, op);
    let end_at_close = profile.streaming.end_at_close.contains(&op.id);
    let (output, send) = send_body(
        api,
        usage,
        op,
        Mode::Send,
        selector.as_deref(),
        end_at_close,
    );
    let stream = matches!(op.response, Response::Dual(_)).then(|| {
        send_body(
            api,
            usage,
            op,
            Mode::Stream,
            selector.as_deref(),
            end_at_close,
        )
        .1
        .to_string()
    });
    let stream_selector = match &selector {
        Some(f) => format!("`Accept: text/event-stream` and `\"{f}\": true` in the body"),
        None => "`Accept: text/event-stream`".into(),
    };
    BuilderView {
        ident: op.builder_name.clone(),
        docs: doc_paragraphs(&[if stream.is_some() {
            format!(
                "Request builder for `{} {}`: set optional parameters, then call `.send()` for the JSON \
                 answer or `.stream()` for server-sent events.",
                op.method, op.path
            )
        } else {
            format!(
                "Request builder for `{} {}`: set optional parameters, then call `.send()`.",
                op.method, op.path
            )
        }])
        .to_string(),
        fields,
        args: decl.to_string(),
        init: quote!(#(#init),*).to_string(),
        setters,
        output: output.to_string(),
        send: send.to_string(),
        stream,
        stream_selector,
        paging: paging(api, profile, op).map(|t| t.to_string()),
    }
}

/// Which call a builder method makes of a dual-mode operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `.send()`: the JSON answer (or the only answer the operation has).
    Send,
    /// `.stream()`: the event stream.
    Stream,
}

/// The body field that switches a dual-mode operation between JSON and events: the first of the
/// profile's `streaming.selector_fields` that the body object has as a boolean.
fn selector_field(api: &Api, profile: &Profile, op: &Operation) -> Option<String> {
    if !matches!(op.response, Response::Dual(_)) {
        return None;
    }
    let body = op.body.as_ref().filter(|b| b.kind == BodyKind::Json)?;
    let Ty::Ref(id) = body.ty.non_null() else {
        return None;
    };
    let TypeKind::Struct(s) = api.kind_of(*id) else {
        return None;
    };
    profile
        .streaming
        .selector_fields
        .iter()
        .find(|name| {
            s.fields
                .iter()
                .any(|f| f.wire == **name && *f.ty.non_null() == Ty::Boolean)
        })
        .cloned()
}

fn send_body(
    api: &Api,
    usage: &Usage,
    op: &Operation,
    mode: Mode,
    selector: Option<&str>,
    end_at_close: bool,
) -> (TokenStream, TokenStream) {
    let vars = crate::resolve::path_vars(&op.path);
    let path_expr = if vars.is_empty() {
        let l = lit(&op.path);
        quote!(::std::string::String::from(#l))
    } else {
        let mut fmt = String::new();
        let mut rest = op.path.as_str();
        for v in &vars {
            let token = format!("{{{v}}}");
            let Some(at) = rest.find(&token) else { break };
            fmt.push_str(&rest[..at].replace('{', "{{").replace('}', "}}"));
            fmt.push_str("{}");
            rest = &rest[at + token.len()..];
        }
        fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
        let fmt = lit(&fmt);
        let segs = vars.iter().map(|v| {
            let p = op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire == *v);
            let name = ident(p.map_or("missing", |p| p.name.as_str()));
            let wire = lit(v);
            quote!(crate::request::path_segment(#wire, &self.#name)?)
        });
        quote!(::std::format!(#fmt, #(#segs),*))
    };
    let method = ident(&op.method);
    let accept = lit(match &op.response {
        Response::Stream => "text/event-stream",
        Response::Dual(_) if mode == Mode::Stream => "text/event-stream",
        Response::Dual(_) => "application/json",
        Response::Text => "text/plain, application/json",
        Response::Bytes => "*/*",
        Response::Json(_) | Response::Empty => "application/json",
    });
    let mut stmts = vec![
        quote!(let mut req = crate::request::Request::new(::reqwest::Method::#method, #path_expr);),
        {
            let id = lit(&op.id);
            let template = lit(&op.path);
            quote!(req.operation(#id, #template);)
        },
        quote!(req.header("accept", #accept)?;),
    ];
    for p in &op.params {
        let name = ident(&p.name);
        let wire = lit(&p.wire);
        match p.location {
            ParamLocation::Query => stmts.push(quote!(req.query(#wire, &self.#name);)),
            ParamLocation::Header => stmts.push(quote!(req.header(#wire, &self.#name)?;)),
            ParamLocation::Path | ParamLocation::Cookie => {}
        }
    }
    let cookies: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .collect();
    if !cookies.is_empty() {
        let appends = cookies.iter().map(|p| {
            let name = ident(&p.name);
            let wire = lit(&p.wire);
            quote!(crate::request::QueryValue::append_to(&self.#name, #wire, &mut cookies);)
        });
        stmts.push(quote! {
            let mut cookies: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = ::std::vec::Vec::new();
            #(#appends)*
            if !cookies.is_empty() {
                let cookie = cookies.iter().map(|(k, v)| ::std::format!("{}={}", k, v)).collect::<::std::vec::Vec<_>>().join("; ");
                req.header("cookie", cookie.as_str())?;
            }
        });
    }
    if let Some(b) = &op.body {
        let value = if b.required {
            quote!(&self.body)
        } else {
            quote!(body)
        };
        let put = match (b.kind, selector) {
            (BodyKind::Json, Some(field)) => {
                let field = lit(field);
                let on = mode == Mode::Stream;
                quote!(req.json_with_flag(#value, #field, #on)?;)
            }
            (BodyKind::Json, None) => quote!(req.json(#value)?;),
            (BodyKind::Binary | BodyKind::Text, _) => {
                // A wildcard (`*/*`, `image/*`) is no Content-Type to send: the part's own type, else
                // octet-stream.
                let concrete = if b.media_type.contains('*') {
                    if b.kind == BodyKind::Text {
                        "text/plain"
                    } else {
                        "application/octet-stream"
                    }
                } else {
                    b.media_type.as_str()
                };
                let ct = lit(concrete);
                match b.ty.non_null() {
                    Ty::Binary => quote! {
                        req.bytes(
                            ::std::clone::Clone::clone(crate::request::FilePart::bytes(#value)),
                            crate::request::FilePart::content_type(#value).unwrap_or(#ct),
                        );
                    },
                    Ty::String => {
                        quote!(req.bytes(::std::clone::Clone::clone(#value).into_bytes(), #ct);)
                    }
                    _ => quote!(req.json(#value)?; req.header("content-type", #ct)?;),
                }
            }
            (BodyKind::Form, _) => {
                let fields = b.form.iter().map(|f| {
                    let name = lit(&f.name);
                    let style = ident(match f.style.as_str() {
                        "spaceDelimited" => "SpaceDelimited",
                        "pipeDelimited" => "PipeDelimited",
                        "deepObject" => "DeepObject",
                        _ => "Form",
                    });
                    let explode = f.explode;
                    quote!((#name, crate::request::FormStyle::#style, #explode))
                });
                quote!(req.form(#value, &[#(#fields),*])?;)
            }
            (BodyKind::Multipart, _) => multipart(
                api,
                usage,
                &b.ty,
                if b.required {
                    quote!(self.body)
                } else {
                    quote!(body)
                },
            ),
        };
        stmts.push(match (b.required, selector) {
            (true, _) => put,
            // Without a body the server's default would choose: send the selector alone.
            (false, Some(field)) => {
                let field = lit(field);
                let on = mode == Mode::Stream;
                quote! {
                    match &self.body {
                        ::std::option::Option::Some(body) => { #put }
                        ::std::option::Option::None => { req.json(&::serde_json::json!({ #field: #on }))?; }
                    }
                }
            }
            (false, None) => quote!(if let ::std::option::Option::Some(body) = &self.body { #put }),
        });
    }
    stmts.push(quote!(let resp = self.client.execute(req, &options).await?;));
    let events = if end_at_close {
        quote!(
            resp.event_stream::<crate::apis::StreamEvent>()
                .errors_when(crate::apis::StreamEvent::is_failure)
                .ends_at_end_of_body()
        )
    } else {
        quote!(
            resp.event_stream::<crate::apis::StreamEvent>()
                .errors_when(crate::apis::StreamEvent::is_failure)
        )
    };
    let (output, tail) = match &op.response {
        Response::Empty => (quote!(()), quote!(resp.empty().await)),
        Response::Dual(_) if mode == Mode::Stream => (
            quote!(crate::stream::EventStream<crate::apis::StreamEvent>),
            quote!(::std::result::Result::Ok(#events)),
        ),
        Response::Json(t) | Response::Dual(t) => {
            let t = ty(api, t);
            (t.clone(), quote!(resp.json::<#t>().await))
        }
        Response::Stream => (
            quote!(crate::stream::EventStream<crate::apis::StreamEvent>),
            quote!(::std::result::Result::Ok(#events)),
        ),
        Response::Text => (quote!(::std::string::String), quote!(resp.text().await)),
        Response::Bytes => (quote!(::bytes::Bytes), quote!(resp.bytes().await)),
    };
    stmts.push(tail);
    (output, quote!(#(#stmts)*))
}

fn multipart(api: &Api, usage: &Usage, body: &Ty, value: TokenStream) -> TokenStream {
    let mut parts = vec![quote!(let mut form = crate::request::Multipart::new();)];
    let fields = match body.non_null() {
        Ty::Ref(id) => match api.kind_of(*id) {
            TypeKind::Struct(s) => Some((id, &s.fields)),
            _ => None,
        },
        _ => None,
    };
    match fields {
        Some((id, fields)) => {
            for f in fields {
                let name = ident(&f.name);
                let wire = lit(&f.wire);
                let add = |v: TokenStream, t: &Ty| match t {
                    Ty::Binary => quote!(form = form.file(#wire, ::std::clone::Clone::clone(#v));),
                    Ty::String => quote!(form = form.text(#wire, ::std::clone::Clone::clone(#v));),
                    Ty::Integer { .. } | Ty::Number | Ty::Boolean | Ty::DateTime => quote!(form = form.text(#wire, ::std::string::ToString::to_string(#v));),
                    Ty::Ref(id) if matches!(api.kind_of(*id), TypeKind::Enum(_) | TypeKind::Const(_)) => {
                        quote!(form = form.text(#wire, ::serde_json::to_value(#v).ok().and_then(|v| v.as_str().map(::std::string::ToString::to_string)).unwrap_or_default());)
                    }
                    _ => quote!(form = form.text(#wire, ::serde_json::to_string(#v).map_err(|e| crate::Error::InvalidRequest(e.to_string()))?);),
                };
                let inner = f.ty.non_null();
                let body = add(quote!(v), inner);
                parts.push(match super::models::repr(api, *id, f, usage) {
                    Repr::Plain if matches!(f.ty, Ty::Nullable(_)) => quote!(if let ::std::option::Option::Some(v) = &#value.#name { #body }),
                    Repr::Plain => add(quote!(&#value.#name), inner),
                    Repr::Option => quote!(if let ::std::option::Option::Some(v) = &#value.#name { #body }),
                    Repr::DoubleOption => quote!(if let ::std::option::Option::Some(::std::option::Option::Some(v)) = &#value.#name { #body }),
                });
            }
        }
        None => parts.push(quote!(form = form.text("body", ::serde_json::to_string(&#value).map_err(|e| crate::Error::InvalidRequest(e.to_string()))?);)),
    }
    parts.push(quote!(req.multipart(form);));
    quote!(#(#parts)*)
}

/// How to read the `id` of a list item: a struct's string `id` field, or the `id()` accessor that tagged
/// unions whose members all have one get (see `models::member_id`).
fn item_id_expr(api: &Api, id: crate::ir::TypeId) -> Option<TokenStream> {
    match api.kind_of(id) {
        TypeKind::Struct(_) => {
            let get = super::models::member_id(api, id, quote!(item))?;
            Some(quote!({
                let id: ::std::option::Option<&str> = #get;
                id.map(::std::string::ToString::to_string)
            }))
        }
        TypeKind::Tagged(_) if super::models::union_id_arms(api, id).is_some() => {
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
pub(crate) fn paging(api: &Api, profile: &Profile, op: &Operation) -> Option<TokenStream> {
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
    let id_expr = item_id_expr(api, *id)?;
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
