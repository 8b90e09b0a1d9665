//! Comparing operations: matching by operationId (or method + path for renames), then tags, parameters,
//! request bodies and responses.

use std::collections::{BTreeMap, BTreeSet};

use super::report::Severity;
use super::types::{At, Differ, show};
use super::usage::Sides;
use crate::ir::{Api, Body, Operation, Param, ParamLocation, Response};

fn location(op: &Operation) -> String {
    format!("operation {} ({} {})", op.id, op.method, op.path)
}

fn where_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn module_of(api: &Api, tag: &str) -> String {
    api.tags
        .iter()
        .find(|t| t.name == tag)
        .map_or_else(|| tag.to_string(), |t| t.module.clone())
}

impl Differ<'_> {
    /// Matches operations and compares each pair; reports removed, renamed and added operations.
    pub(crate) fn compare_operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let old_ids: BTreeMap<&str, &Operation> =
            old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
        let new_ids: BTreeMap<&str, &Operation> =
            new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
        let new_routes: BTreeMap<(&str, &str), &Operation> = new
            .operations
            .iter()
            .map(|o| ((o.method.as_str(), o.path.as_str()), o))
            .collect();
        let mut renamed_to: BTreeSet<&str> = BTreeSet::new();
        for (id, o) in &old_ids {
            if let Some(n) = new_ids.get(id) {
                self.compare_operation(o, n);
                continue;
            }
            let route = (o.method.as_str(), o.path.as_str());
            match new_routes.get(&route) {
                Some(n) if !old_ids.contains_key(n.id.as_str()) => {
                    renamed_to.insert(n.id.as_str());
                    let msg = format!(
                        "renamed to `{}` (the Rust method `{}` becomes `{}`)",
                        n.id, o.method_name, n.method_name
                    );
                    self.push(Severity::Breaking, "operation_renamed", &location(o), msg);
                    self.compare_operation(o, n);
                }
                _ => {
                    let was = if o.deprecated {
                        " (was deprecated)"
                    } else {
                        ""
                    };
                    self.push(
                        Severity::Breaking,
                        "operation_removed",
                        &location(o),
                        format!("removed{was}"),
                    );
                }
            }
        }
        for (id, n) in &new_ids {
            if !old_ids.contains_key(id) && !renamed_to.contains(id) {
                let calls: Vec<String> = n
                    .tags
                    .iter()
                    .map(|t| format!("`client.{}().{}()`", module_of(new, t), n.method_name))
                    .collect();
                let msg = format!("added ({})", calls.join(", "));
                self.push(Severity::Additive, "operation_added", &location(n), msg);
            }
        }
    }

    fn compare_operation(&mut self, old: &Operation, new: &Operation) {
        let loc = location(new);
        if (old.method.as_str(), old.path.as_str()) != (new.method.as_str(), new.path.as_str()) {
            let msg = format!(
                "now {} {} (was {} {})",
                new.method, new.path, old.method, old.path
            );
            self.push(Severity::Note, "operation_moved", &loc, msg);
        }
        if old.deprecated != new.deprecated {
            let what = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(Severity::Note, "deprecation", &loc, what.into());
        }
        for t in old.tags.iter().filter(|t| !new.tags.contains(t)) {
            let msg = format!(
                "no longer in tag `{t}` (the method leaves `client.{}()`)",
                module_of(self.old, t)
            );
            self.push(Severity::Breaking, "operation_tag_removed", &loc, msg);
        }
        for t in new.tags.iter().filter(|t| !old.tags.contains(t)) {
            let msg = format!(
                "now also in tag `{t}` (`client.{}()`)",
                module_of(self.new, t)
            );
            self.push(Severity::Additive, "operation_tag_added", &loc, msg);
        }
        self.compare_params(&loc, old, new);
        self.compare_body(&loc, old.body.as_ref(), new.body.as_ref());
        self.compare_response(&loc, &old.response, &new.response);
    }

    fn compare_params(&mut self, loc: &str, old: &Operation, new: &Operation) {
        // Path parameters are positional arguments of the Rust method: match them by position.
        let path_params = |op: &'_ Operation| -> Vec<Param> {
            op.params
                .iter()
                .filter(|p| p.location == ParamLocation::Path)
                .cloned()
                .collect()
        };
        let (op_, np_) = (path_params(old), path_params(new));
        for (i, o) in op_.iter().enumerate() {
            match np_.get(i) {
                Some(n) => {
                    if o.wire != n.wire {
                        let msg = format!("path parameter `{}` renamed to `{}`", o.wire, n.wire);
                        self.push(Severity::Note, "param_renamed", loc, msg);
                    }
                    self.compare_param(loc, o, n);
                }
                None => {
                    let msg = format!("path parameter `{}` removed", o.wire);
                    self.push(Severity::Breaking, "param_removed", loc, msg);
                }
            }
        }
        for n in np_.iter().skip(op_.len()) {
            let msg = format!("new required path parameter `{}`", n.wire);
            self.push(Severity::Breaking, "required_param_added", loc, msg);
        }
        let others = |op: &'_ Operation| -> BTreeMap<(u8, String), Param> {
            op.params
                .iter()
                .filter(|p| p.location != ParamLocation::Path)
                .map(|p| ((p.location as u8, p.wire.clone()), p.clone()))
                .collect()
        };
        let (a, b) = (others(old), others(new));
        for (key, o) in &a {
            match b.get(key) {
                Some(n) => self.compare_param(loc, o, n),
                None => {
                    let msg = format!("{} parameter `{}` removed", where_name(o.location), o.wire);
                    self.push(Severity::Breaking, "param_removed", loc, msg);
                }
            }
        }
        for (key, n) in &b {
            if a.contains_key(key) {
                continue;
            }
            let w = where_name(n.location);
            if n.required {
                let msg = format!("new required {w} parameter `{}`", n.wire);
                self.push(Severity::Breaking, "required_param_added", loc, msg);
            } else {
                let msg = format!("new optional {w} parameter `{}`", n.wire);
                self.push(Severity::Additive, "param_added", loc, msg);
            }
        }
    }

    fn compare_param(&mut self, loc: &str, old: &Param, new: &Param) {
        let base = format!("{} parameter `{}`", where_name(new.location), new.wire);
        if old.deprecated != new.deprecated {
            let what = if new.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            self.push(Severity::Note, "deprecation", loc, format!("{base} {what}"));
        }
        if !old.required && new.required {
            self.push(
                Severity::Breaking,
                "param_required",
                loc,
                format!("{base} became required"),
            );
        } else if old.required && !new.required {
            self.push(
                Severity::Additive,
                "param_optional",
                loc,
                format!("{base} became optional"),
            );
        }
        let at = At {
            location: loc,
            base: &base,
            sides: Sides::REQUEST,
        };
        self.compare_ty(at, "", &old.ty, &new.ty);
    }

    fn compare_body(&mut self, loc: &str, old: Option<&Body>, new: Option<&Body>) {
        match (old, new) {
            (None, None) => {}
            (Some(_), None) => {
                self.push(
                    Severity::Breaking,
                    "body_removed",
                    loc,
                    "request body removed".into(),
                );
            }
            (None, Some(n)) => {
                let ty = show(self.new, &n.ty);
                if n.required {
                    let msg = format!("new required request body `{ty}`");
                    self.push(Severity::Breaking, "required_body_added", loc, msg);
                } else {
                    let msg = format!("new optional request body `{ty}`");
                    self.push(Severity::Additive, "body_added", loc, msg);
                }
            }
            (Some(o), Some(n)) => {
                if o.kind != n.kind {
                    let msg = format!(
                        "request body encoding changed from `{}` to `{}`",
                        o.media_type, n.media_type
                    );
                    self.push(Severity::Breaking, "body_encoding_changed", loc, msg);
                }
                if !o.required && n.required {
                    self.push(
                        Severity::Breaking,
                        "body_required",
                        loc,
                        "request body became required".into(),
                    );
                } else if o.required && !n.required {
                    self.push(
                        Severity::Additive,
                        "body_optional",
                        loc,
                        "request body became optional".into(),
                    );
                }
                let at = At {
                    location: loc,
                    base: "request body",
                    sides: Sides::REQUEST,
                };
                self.compare_ty(at, "", &o.ty, &n.ty);
            }
        }
    }

    fn compare_response(&mut self, loc: &str, old: &Response, new: &Response) {
        let describe = |api: &Api, r: &Response| match r {
            Response::Empty => "no content".to_string(),
            Response::Json(ty) => show(api, ty),
            Response::Dual(ty) => format!("{} or event stream", show(api, ty)),
            Response::Stream => "event stream".into(),
            Response::Text => "text".into(),
            Response::Bytes => "bytes".into(),
        };
        match (old, new) {
            (Response::Json(a) | Response::Dual(a), Response::Json(b) | Response::Dual(b)) => {
                let at = At {
                    location: loc,
                    base: "response",
                    sides: Sides::RESPONSE,
                };
                self.compare_ty(at, "", a, b);
                match (old, new) {
                    (Response::Json(_), Response::Dual(_)) => self.push(
                        Severity::Additive,
                        "stream_added",
                        loc,
                        "can now also answer with an event stream (new `.stream()` method)".into(),
                    ),
                    (Response::Dual(_), Response::Json(_)) => self.push(
                        Severity::Breaking,
                        "stream_removed",
                        loc,
                        "no longer answers with an event stream (the `.stream()` method is removed)"
                            .into(),
                    ),
                    _ => {}
                }
            }
            (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
                let msg = format!(
                    "response type changed from `{}` to `{}`",
                    describe(self.old, a),
                    describe(self.new, b)
                );
                self.push(Severity::Breaking, "type_changed", loc, msg);
            }
            _ => {}
        }
    }
}
