//! View models for `api.rs.j2` (one module per tag) and `apis_mod.rs.j2`: the operations of
//! [`crate::shape`] with their docs and request code.

use crate::printer::Print;
use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use crate::docs::{doc_comment, doc_comment_paragraphs, inner_doc_comment_paragraphs};
use crate::ir::{Api, BodyKind, Operation, Param, ParamLocation, Response, Ty, TypeKind};
use crate::profile::Profile;
use crate::shape::tokens::{ident, lit, ty};
use crate::shape::{OpShape, Repr, Shape};

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
pub fn tags(api: &Api, shape: &Shape, profile: &Profile) -> Vec<TagView> {
    shape
        .apis
        .iter()
        .zip(&api.tags)
        .map(|(a, tag)| {
            let mut methods = Vec::new();
            let mut builders = Vec::new();
            for &i in &a.ops {
                let (Some(op), Some(os)) = (api.operations.get(i), shape.ops.get(i)) else {
                    continue;
                };
                if os.module == a.module {
                    builders.push(builder(api, shape, profile, op, os));
                }
                methods.push(method(op, os));
            }
            TagView {
                module: a.module.clone(),
                name: a.name.clone(),
                api_type: a.api_type.clone(),
                docs: doc_comment_paragraphs(&[format!(
                    "The `{}` operations. Get it with `client.{}()`.",
                    a.name.replace('`', "'"),
                    a.module,
                )]),
                module_docs: inner_doc_comment_paragraphs(&[
                    format!(
                        "The `{}` API: {} operations.",
                        a.name.replace('`', "'"),
                        a.ops.len()
                    ),
                    tag.doc.clone().unwrap_or_default(),
                ]),
                methods,
                builders,
                needs: a.needs.clone(),
            }
        })
        .collect()
}

/// `name: decl, …` and `name, …` of an operation's arguments.
fn arg_lists(os: &OpShape) -> (String, String) {
    let decl: Vec<String> = os
        .args
        .iter()
        .map(|a| format!("{}: {}", a.name, a.decl))
        .collect();
    let names: Vec<String> = os.args.iter().map(|a| a.name.clone()).collect();
    (decl.join(", "), names.join(", "))
}

fn method(op: &Operation, os: &OpShape) -> MethodView {
    let (decl, names) = arg_lists(os);
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
    let args_doc: Vec<String> = os
        .args
        .iter()
        .map(|a| match crate::shape::ops::param(op, a.param) {
            Some(p) => format!(
                "- `{}`: {}",
                p.name,
                p.doc.clone().unwrap_or_else(|| format!(
                    "the `{}` {} parameter",
                    p.wire,
                    location(p.location)
                ))
            ),
            None => format!(
                "- `body`: {}",
                op.body
                    .as_ref()
                    .and_then(|b| b.doc.clone())
                    .unwrap_or_else(|| "the request body".into())
            ),
        })
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
    MethodView {
        docs: doc_comment_paragraphs(&parts),
        deprecated: if op.deprecated {
            quote!(#[deprecated]).print()
        } else {
            String::new()
        },
        ident: os.method.clone(),
        args: decl,
        arg_names: names,
        builder: os.builder_path(),
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

fn builder(
    api: &Api,
    shape: &Shape,
    profile: &Profile,
    op: &Operation,
    os: &OpShape,
) -> BuilderView {
    let (decl, _) = arg_lists(os);
    let mut fields = Vec::new();
    let mut init = Vec::new();
    for a in &os.args {
        fields.push((a.name.clone(), a.stored.clone()));
        init.push(if a.conv.is_empty() {
            a.name.clone()
        } else {
            format!("{}: {}({})", a.name, a.conv, a.name)
        });
    }
    let mut setters = Vec::new();
    for s in &os.setters {
        fields.push((
            s.name.clone(),
            format!("::std::option::Option<{}>", s.stored),
        ));
        init.push(format!("{}: ::std::option::Option::None", s.name));
        let (doc, deprecated) = match crate::shape::ops::param(op, s.param) {
            Some(p) => {
                let mut doc = p.doc.clone().unwrap_or_else(|| {
                    format!("Sets the `{}` {} parameter.", p.wire, location(p.location))
                });
                if let Some(d) = &p.default {
                    doc.push_str(&format!(
                        "\n\nServer default: `{}`",
                        d.to_string().replace('`', "'")
                    ));
                }
                (doc, p.deprecated)
            }
            None => (
                op.body
                    .as_ref()
                    .and_then(|b| b.doc.clone())
                    .unwrap_or_else(|| "Sets the (optional) request body.".into()),
                false,
            ),
        };
        setters.push(SetterView {
            docs: doc_comment(Some(&doc)),
            deprecated: if deprecated {
                quote!(#[deprecated]).print()
            } else {
                String::new()
            },
            ident: s.name.clone(),
            arg_ty: s.arg.clone(),
            value: s.value.clone(),
        });
    }
    let selector = selector_field(api, profile, op);
    let end_at_close = profile.streaming.end_at_close.contains(&op.id);
    let send = send_body(
        api,
        shape,
        op,
        Mode::Send,
        selector.as_deref(),
        end_at_close,
    );
    let stream = os.stream.then(|| {
        send_body(
            api,
            shape,
            op,
            Mode::Stream,
            selector.as_deref(),
            end_at_close,
        )
        .print()
    });
    let stream_selector = match &selector {
        Some(f) => format!("`Accept: text/event-stream` and `\"{f}\": true` in the body"),
        None => "`Accept: text/event-stream`".into(),
    };
    BuilderView {
        ident: os.builder.clone(),
        docs: doc_comment_paragraphs(&[if stream.is_some() {
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
        }]),
        fields,
        args: decl,
        init: init.join(", "),
        setters,
        output: os.output.clone(),
        send: send.print(),
        stream,
        stream_selector,
        paging: os.paging.clone(),
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

/// The statements of `.send()` (or `.stream()`): build the request, execute it, decode the answer.
fn send_body(
    api: &Api,
    shape: &Shape,
    op: &Operation,
    mode: Mode,
    selector: Option<&str>,
    end_at_close: bool,
) -> TokenStream {
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
                shape,
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
    let tail = match &op.response {
        Response::Empty => quote!(resp.empty().await),
        Response::Dual(_) if mode == Mode::Stream => quote!(::std::result::Result::Ok(#events)),
        Response::Json(t) | Response::Dual(t) => {
            let t = ty(api, t);
            quote!(resp.json::<#t>().await)
        }
        Response::Stream => quote!(::std::result::Result::Ok(#events)),
        Response::Text => quote!(resp.text().await),
        Response::Bytes => quote!(resp.bytes().await),
    };
    stmts.push(tail);
    quote!(#(#stmts)*)
}

fn multipart(api: &Api, shape: &Shape, body: &Ty, value: TokenStream) -> TokenStream {
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
            let shapes = match shape.model(*id).map(|m| &m.kind) {
                Some(crate::shape::ModelKind::Struct(st)) => st.fields.as_slice(),
                _ => &[],
            };
            for (f, fs) in fields.iter().zip(shapes) {
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
                parts.push(match fs.kind.repr() {
                    Repr::Plain if matches!(f.ty, Ty::Nullable(_)) => quote!(if let ::std::option::Option::Some(v) = &#value.#name { #body }),
                    Repr::Plain => add(quote!(&#value.#name), inner),
                    Repr::Option => quote!(if let ::std::option::Option::Some(v) = &#value.#name { #body }),
                    Repr::Nullable => quote!(if let crate::types::Nullable::Value(v) = &#value.#name { #body }),
                });
            }
        }
        None => parts.push(quote!(form = form.text("body", ::serde_json::to_string(&#value).map_err(|e| crate::Error::InvalidRequest(e.to_string()))?);)),
    }
    parts.push(quote!(req.multipart(form);));
    quote!(#(#parts)*)
}
