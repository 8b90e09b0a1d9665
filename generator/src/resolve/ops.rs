//! Operation conversion: parameters, request bodies, responses, tags.

use std::collections::BTreeSet;

use openapiv3::{
    MediaType, Operation, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody,
    StatusCode,
};

use super::Resolver;
use crate::error::{Error, Result, push_pointer};
use crate::ir::{Body, BodyKind, FormField, Param, ParamLocation, Response, Ty};

/// The tag given to operations that have none: they go to the `default` API module (whose Cargo
/// feature is `naming::feature_name``("default")` = `untagged`, since `default` is Cargo's own).
pub const UNTAGGED: &str = "default";

use crate::normalize::HTTP_METHODS as METHODS;

impl<'a> Resolver<'a> {
    /// Converts every operation, sorted by path then method; rejects duplicate operation ids.
    pub(super) fn operations(&mut self) -> Result<Vec<crate::ir::Operation>> {
        let doc = self.doc;
        let mut paths: Vec<(&String, &ReferenceOr<PathItem>)> = doc.paths.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::new();
        let mut ids: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
        for (path, item) in paths {
            let item_ptr = push_pointer("#/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    return Err(Error::spec(
                        item_ptr,
                        format!(
                            "path item `$ref: {reference}` is not supported; inline the path item"
                        ),
                    ));
                }
            };
            let ops = [
                &item.get,
                &item.put,
                &item.post,
                &item.delete,
                &item.options,
                &item.head,
                &item.patch,
                &item.trace,
            ];
            for (method, op) in METHODS.iter().zip(ops) {
                let Some(op) = op else { continue };
                let ptr = push_pointer(&item_ptr, method);
                let converted = self.operation(path, method, op, &item.parameters, &ptr)?;
                if let Some(prev) = ids.insert(converted.id.clone(), ptr.clone()) {
                    return Err(Error::spec(
                        &ptr,
                        format!(
                            "duplicate operationId `{}` (also used at {prev}); operation ids must be unique",
                            converted.id
                        ),
                    ));
                }
                out.push(converted);
            }
        }
        Ok(out)
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a Operation,
        shared: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Result<crate::ir::Operation> {
        let id = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => format!("{method} {path}"),
        };
        let mut params: Vec<Param> = Vec::new();
        let mut seen = BTreeSet::new();
        let own = op.parameters.iter().enumerate().map(|(i, p)| {
            (
                p,
                push_pointer(&push_pointer(pointer, "parameters"), &i.to_string()),
            )
        });
        let item_ptr = pointer.rsplit_once('/').map_or(pointer, |(a, _)| a);
        let inherited = shared.iter().enumerate().map(|(i, p)| {
            (
                p,
                push_pointer(&push_pointer(item_ptr, "parameters"), &i.to_string()),
            )
        });
        for (p, ptr) in own.chain(inherited) {
            let p = self.parameter(p, &ptr)?;
            let param = self.param(p, &ptr, &id)?;
            if seen.insert((param.wire.clone(), param.location as u8)) {
                params.push(param);
            }
        }
        reconcile_path_params(path, &mut params, pointer)?;
        // Path parameters first, in template order; the rest in document order.
        let template: Vec<&str> = path_vars(path);
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => template.iter().position(|v| *v == p.wire).unwrap_or(0),
            _ => usize::MAX,
        });

        let body = match &op.request_body {
            None => None,
            Some(b) => self.body(b, &push_pointer(pointer, "requestBody"), &id)?,
        };
        let (response, errors) = self.responses(op, pointer, &id)?;
        let mut tags: Vec<String> = Vec::new();
        for t in &op.tags {
            if !tags.contains(t) {
                tags.push(t.clone());
            }
        }
        if tags.is_empty() {
            tags.push(UNTAGGED.into());
        }
        Ok(crate::ir::Operation {
            id,
            method_name: String::new(),
            builder_name: String::new(),
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            tags,
            params,
            body,
            response,
            errors,
            pointer: pointer.to_string(),
        })
    }

    fn parameter(&self, p: &'a ReferenceOr<Parameter>, ptr: &str) -> Result<&'a Parameter> {
        let doc: &'a openapiv3::OpenAPI = self.doc;
        match p {
            ReferenceOr::Item(p) => Ok(p),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/").ok_or_else(|| {
                    Error::spec(ptr, format!("parameter `$ref: {reference}` must point into #/components/parameters"))
                })?;
                match doc.components.as_ref().and_then(|c| c.parameters.get(name)) {
                    Some(ReferenceOr::Item(p)) => Ok(p),
                    _ => Err(Error::spec(
                        ptr,
                        format!("parameter `$ref: {reference}` names no parameter"),
                    )),
                }
            }
        }
    }

    fn param(&mut self, p: &Parameter, ptr: &str, op_id: &str) -> Result<Param> {
        let (location, data) = match p {
            Parameter::Path { parameter_data, .. } => (ParamLocation::Path, parameter_data),
            Parameter::Query { parameter_data, .. } => (ParamLocation::Query, parameter_data),
            Parameter::Header { parameter_data, .. } => (ParamLocation::Header, parameter_data),
            Parameter::Cookie { parameter_data, .. } => (ParamLocation::Cookie, parameter_data),
        };
        let hint = format!("{op_id} {}", data.name);
        let types_before = self.types.len();
        let log_before = self.parent_log.len();
        let (ty, default) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                let default = match s {
                    ReferenceOr::Item(s) => s.schema_data.default.clone(),
                    ReferenceOr::Reference { .. } => None,
                };
                (
                    self.ty(s, &push_pointer(ptr, "schema"), &hint, None)?,
                    default,
                )
            }
            ParameterSchemaOrContent::Content(c) => {
                match c.values().next().and_then(|m| m.schema.as_ref()) {
                    Some(s) => (
                        self.ty(s, &push_pointer(ptr, "content"), &hint, None)?,
                        None,
                    ),
                    None => (Ty::String, None),
                }
            }
        };
        if data.name.is_empty() {
            return Err(Error::spec(
                push_pointer(ptr, "name"),
                "parameter name is empty",
            ));
        }
        let (ty, note) = self.sendable_param_ty(ty, location, types_before, log_before);
        let doc = match (data.description.clone(), note) {
            (d, None) => d,
            (None, Some(n)) => Some(n.to_string()),
            (Some(d), Some(n)) => Some(format!("{d}\n\n{n}")),
        };
        Ok(Param {
            wire: data.name.clone(),
            name: String::new(),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            doc,
            deprecated: data.deprecated.unwrap_or(false),
            default,
        })
    }

    /// The type a parameter is sent with. Query, header and cookie values must be plain values or lists of
    /// them, path segments plain values: a structured schema there (an object, a map, a union, free-form
    /// JSON) has no defined text form, so the parameter is taken as already-encoded text instead (a list of
    /// texts for a list) and the returned note says so. Inline types made for the discarded schema (ids from
    /// `types_before` on, referenced only by it) are dropped again.
    fn sendable_param_ty(
        &mut self,
        ty: Ty,
        location: ParamLocation,
        types_before: usize,
        log_before: usize,
    ) -> (Ty, Option<&'static str>) {
        const NOTE: &str = "The spec gives this parameter a structured schema, which has no standard text form here: pass the value already encoded the way the server expects.";
        let ty = if location == ParamLocation::Path {
            ty.non_null().clone()
        } else {
            ty
        };
        let sendable = match (location, &ty) {
            (ParamLocation::Path, t) => self.plain_value(t, true),
            (_, t) => match t.non_null() {
                Ty::Array(item) => self.plain_value(item.non_null(), false),
                other => self.plain_value(other, false),
            },
        };
        if sendable {
            return (ty, None);
        }
        let replacement = match ty.non_null() {
            Ty::Array(_) if location != ParamLocation::Path => Ty::Array(Box::new(Ty::String)),
            _ => Ty::String,
        };
        let replacement = match ty {
            Ty::Nullable(_) => replacement.nullable(),
            _ => replacement,
        };
        // Every type from `types_before` on was made for this parameter's schema (components and earlier
        // operations were converted before), so nothing else refers to them.
        self.roll_back(types_before, log_before);
        (replacement, Some(NOTE))
    }

    /// True for a type with a plain text form: strings, numbers, booleans, timestamps, string enums (and, when
    /// `display_only` is false, integer enums and constants), directly or through aliases.
    fn plain_value(&self, ty: &Ty, display_only: bool) -> bool {
        let mut ty = ty;
        let mut hops = 0;
        loop {
            match ty {
                Ty::String | Ty::DateTime | Ty::Integer { .. } | Ty::Number | Ty::Boolean => {
                    return true;
                }
                Ty::Ref(id) => match self.types.get(id.0).map(|t| &t.kind) {
                    Some(crate::ir::TypeKind::Enum(_)) => return true,
                    Some(crate::ir::TypeKind::IntEnum(_) | crate::ir::TypeKind::Const(_)) => {
                        return !display_only;
                    }
                    Some(crate::ir::TypeKind::Alias(inner)) if hops < 64 => {
                        hops += 1;
                        ty = inner;
                    }
                    _ => return false,
                },
                _ => return false,
            }
        }
    }

    fn body(
        &mut self,
        b: &'a ReferenceOr<RequestBody>,
        ptr: &str,
        op_id: &str,
    ) -> Result<Option<Body>> {
        let doc: &'a openapiv3::OpenAPI = self.doc;
        let body = match b {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/");
                match name.and_then(|n| {
                    doc.components
                        .as_ref()
                        .and_then(|c| c.request_bodies.get(n))
                }) {
                    Some(ReferenceOr::Item(b)) => b,
                    _ => {
                        return Err(Error::spec(
                            ptr,
                            format!("request body `$ref: {reference}` names no request body"),
                        ));
                    }
                }
            }
        };
        let Some((media_type, media, kind)) = pick_body(&body.content) else {
            return Ok(None);
        };
        let alternatives: Vec<String> = body
            .content
            .keys()
            .filter(|k| k.as_str() != media_type && body_kind(k) == kind)
            .cloned()
            .collect();
        let other_kinds: Vec<String> = body
            .content
            .keys()
            .filter(|k| body_kind(k) != kind)
            .cloned()
            .collect();
        let form = if kind == BodyKind::Form {
            let mut fields: Vec<FormField> = media
                .encoding
                .iter()
                .map(|(name, enc)| {
                    let style = match enc.style {
                        None | Some(openapiv3::QueryStyle::Form) => "form",
                        Some(openapiv3::QueryStyle::SpaceDelimited) => "spaceDelimited",
                        Some(openapiv3::QueryStyle::PipeDelimited) => "pipeDelimited",
                        Some(openapiv3::QueryStyle::DeepObject) => "deepObject",
                    };
                    // `explode` defaults to true for the form style; openapiv3 reads an absent
                    // `explode` as false, so only the other styles can turn it off.
                    let explode = enc.explode || style == "form";
                    FormField {
                        name: name.clone(),
                        style: style.to_string(),
                        explode,
                    }
                })
                .collect();
            fields.sort_by(|a, b| a.name.cmp(&b.name));
            fields
        } else {
            Vec::new()
        };
        let ty_ptr = push_pointer(
            &push_pointer(&push_pointer(ptr, "content"), media_type),
            "schema",
        );
        let ty = match (&media.schema, kind) {
            (Some(s), _) => self.ty(s, &ty_ptr, &format!("{op_id} body"), None)?,
            (None, BodyKind::Binary) => Ty::Binary,
            (None, BodyKind::Text) => Ty::String,
            (None, _) => Ty::Any,
        };
        Ok(Some(Body {
            kind,
            media_type: media_type.to_string(),
            ty,
            required: body.required,
            doc: body.description.clone(),
            alternatives,
            form,
            other_kinds,
        }))
    }

    fn responses(
        &mut self,
        op: &'a Operation,
        pointer: &str,
        op_id: &str,
    ) -> Result<(Response, Vec<(String, Ty)>)> {
        let doc: &'a openapiv3::OpenAPI = self.doc;
        let rptr = push_pointer(pointer, "responses");
        let mut success: Option<Response> = None;
        let mut errors = Vec::new();
        let mut codes: Vec<(&StatusCode, &ReferenceOr<openapiv3::Response>)> =
            op.responses.responses.iter().collect();
        codes.sort_by_key(|(c, _)| c.to_string());
        for (code, resp) in codes {
            let code_str = code.to_string();
            let ptr = push_pointer(&rptr, &code_str);
            let resp = match resp {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix("#/components/responses/");
                    match name
                        .and_then(|n| doc.components.as_ref().and_then(|c| c.responses.get(n)))
                    {
                        Some(ReferenceOr::Item(r)) => r,
                        _ => {
                            return Err(Error::spec(
                                ptr,
                                format!("response `$ref: {reference}` names no response"),
                            ));
                        }
                    }
                }
            };
            let is_success = match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            };
            if is_success {
                let this = self.success(&resp.content, &ptr, op_id)?;
                success = Some(match success {
                    None => this,
                    Some(prev) if prev == this || this == Response::Empty => prev,
                    Some(Response::Empty) => this,
                    Some(_) => Response::Json(Ty::Any),
                });
            } else if let Some((mt, media)) = resp.content.iter().find(|(k, _)| is_json(k))
                && let Some(s) = &media.schema
            {
                let sptr =
                    push_pointer(&push_pointer(&push_pointer(&ptr, "content"), mt), "schema");
                let ty = self.ty(s, &sptr, &format!("{op_id} error {code_str}"), None)?;
                errors.push((code_str, ty));
            }
        }
        Ok((success.unwrap_or(Response::Empty), errors))
    }

    fn success(
        &mut self,
        content: &indexmap::IndexMap<String, MediaType>,
        ptr: &str,
        op_id: &str,
    ) -> Result<Response> {
        if content.is_empty() {
            return Ok(Response::Empty);
        }
        let stream = content.keys().any(|k| k.starts_with("text/event-stream"));
        // Next to an event stream, a JSON alternative without a schema (`{}`, as web frameworks list by
        // default) describes nothing to decode: the operation streams only.
        let json = content
            .iter()
            .find(|(k, _)| is_json(k))
            .filter(|(_, media)| {
                !stream || media.schema.as_ref().is_some_and(|s| !is_empty_schema(s))
            });
        if let Some((mt, media)) = json {
            let ty = match &media.schema {
                Some(s) => {
                    let sptr =
                        push_pointer(&push_pointer(&push_pointer(ptr, "content"), mt), "schema");
                    self.ty(s, &sptr, &format!("{op_id} response"), None)?
                }
                None => Ty::Any,
            };
            return Ok(if stream {
                Response::Dual(ty)
            } else {
                Response::Json(ty)
            });
        }
        if stream {
            return Ok(Response::Stream);
        }
        if content.keys().any(|k| k.starts_with("text/")) {
            return Ok(Response::Text);
        }
        Ok(Response::Bytes)
    }
}

/// `{}`: a schema that says nothing.
fn is_empty_schema(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    serde_json::to_value(schema).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
}

fn is_json(media_type: &str) -> bool {
    let m = media_type.split(';').next().unwrap_or("").trim();
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

/// How a request body of `media_type` is sent: JSON for `application/json`, `application/*+json` and
/// their parameters (`; charset=utf-8`), multipart and form bodies as such, `text/*` as a string, and any
/// other type (`application/octet-stream`, `image/png`, `*/*`, vendor types) as bytes.
fn body_kind(media_type: &str) -> BodyKind {
    let m = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")) {
        BodyKind::Json
    } else if m == "multipart/form-data" {
        BodyKind::Multipart
    } else if m == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if m.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

/// The media type a request body is sent as, when the operation offers several: JSON first, then
/// multipart, form, text and bytes; within a kind, the spec's order.
fn pick_body(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&str, &MediaType, BodyKind)> {
    [
        BodyKind::Json,
        BodyKind::Multipart,
        BodyKind::Form,
        BodyKind::Text,
        BodyKind::Binary,
    ]
    .into_iter()
    .find_map(|kind| {
        content
            .iter()
            .find(|(k, _)| body_kind(k) == kind)
            .map(|(k, m)| (k.as_str(), m, kind))
    })
}

/// The `{name}` variables of a path template, in order.
pub fn path_vars(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// Checks that the path template and the declared path parameters agree.
///
/// One lenient rule, for a mistake real specs make (Letta 2025-10 declares `source_id` for a path that says
/// `{folder_id}`): when exactly one template variable is undeclared and exactly one declared path parameter
/// is not in the template, that parameter is taken to be the variable: it is renamed to the template's
/// name (which is what the URL is built from) and its documentation says so. Any other mismatch is an error.
fn reconcile_path_params(path: &str, params: &mut [Param], pointer: &str) -> Result<()> {
    let vars = path_vars(path);
    let undeclared: Vec<&str> = vars
        .iter()
        .copied()
        .filter(|v| {
            !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == *v)
        })
        .collect();
    let unused: Vec<usize> = params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Path && !vars.contains(&p.wire.as_str()))
        .map(|(i, _)| i)
        .collect();
    if let ([var], [index]) = (undeclared.as_slice(), unused.as_slice()) {
        let var = (*var).to_string();
        if !var.is_empty() && !var.contains(['{', '}']) {
            let Some(p) = params.get_mut(*index) else {
                return Ok(());
            };
            let note = format!(
                "The spec declares this path parameter as `{}`, but the path template names it `{{{}}}`; it fills `{{{}}}`.",
                p.wire.replace('`', "'"),
                var.replace('`', "'"),
                var.replace('`', "'")
            );
            p.doc = Some(match p.doc.take() {
                Some(d) => format!("{d}\n\n{note}"),
                None => note,
            });
            p.wire = var;
        }
    }
    check_path_params(path, params, pointer)
}

fn check_path_params(path: &str, params: &[Param], pointer: &str) -> Result<()> {
    let vars = path_vars(path);
    for v in &vars {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire == *v)
        {
            return Err(Error::spec(
                pointer,
                format!(
                    "path `{path}` uses `{{{v}}}` but the operation declares no path parameter `{v}`"
                ),
            ));
        }
    }
    for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
        if !vars.contains(&p.wire.as_str()) {
            return Err(Error::spec(
                pointer,
                format!(
                    "path parameter `{}` is declared but the path `{path}` has no `{{{}}}`",
                    p.wire, p.wire
                ),
            ));
        }
    }
    if path.matches('{').count() != path.matches('}').count() {
        return Err(Error::spec(
            pointer,
            format!("path `{path}` has unbalanced braces"),
        ));
    }
    Ok(())
}
