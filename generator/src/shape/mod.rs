//! The Rust API of the emitted crate, modelled once from the named IR.
//!
//! Every public item the SDK has is here with its exact Rust types: models (structs with their fields,
//! constructors, `Default` and setters; enums; unions with their variants and `From` impls; aliases), the
//! per-tag API structs with their methods, and the request builders with their setters and outputs; which
//! cargo feature has each, and which way each model travels (request, response, both). [`crate::render`]
//! prints this model and nothing else decides what the Rust looks like; [`crate::diff`] compares two of
//! them, so what it calls breaking is what breaks a user's build.
//!
//! The representation is chosen so that what is additive on the wire is semver-compatible in Rust:
//!
//! - every struct is `#[non_exhaustive]` with public fields: fields can be read and assigned, and a new
//!   field breaks nobody. Types that are sent (request types, and types no operation uses) are built with
//!   `Type::new(required…)` or `Default`, then `with_<field>(value)` setters; types that are only received
//!   have neither, so a field the server adds, even a required one, is not a breaking change;
//! - every enum and union is `#[non_exhaustive]` (string enums also keep an `Unknown(String)` variant);
//! - a request field that is optional and nullable is a [`Nullable`](crate::runtime)`<T>` (absent, `null`
//!   or a value), not `Option<Option<T>>`.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

pub(crate) mod models;
pub(crate) mod ops;
pub(crate) mod tokens;

use std::collections::BTreeSet;

pub use models::{FieldKind, FieldShape, Model, ModelKind, Repr, StructShape, UnionVariant};
pub use ops::{ApiShape, Arg, OpShape, Setter};

use crate::ir::{Api, Response, Ty, TypeId, TypeKind};
use crate::profile::Profile;

/// The whole emitted API.
#[derive(Debug, Clone)]
pub struct Shape {
    /// One per IR type, in [`Api::types`] order (index = [`TypeId`]).
    pub models: Vec<Model>,
    /// One per operation, in [`Api::operations`] order.
    pub ops: Vec<OpShape>,
    /// One per tag, in tag order: the API struct and the module its builders live in.
    pub apis: Vec<ApiShape>,
}

impl Shape {
    /// Lowers a named API into the Rust model of the crate generated from it.
    pub fn of(api: &Api, profile: &Profile) -> Shape {
        let directions = directions(api);
        let mut models = models::build(api, &directions);
        let ops = ops::build(api, profile, &models);
        let apis = ops::apis(api, &ops);
        for (m, gate) in models.iter_mut().zip(model_gates(api, profile)) {
            m.gate = gate;
        }
        Shape { models, ops, apis }
    }

    /// The model of type `id`.
    pub fn model(&self, id: TypeId) -> Option<&Model> {
        self.models.get(id.0)
    }
}

/// Which cargo features compile a model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Gate {
    /// Every build: the runtime names it (the stream event types, the typed 422).
    #[default]
    Always,
    /// Builds with any of these tag features: the features of the operations that reach it.
    Features(BTreeSet<String>),
    /// No operation reaches it: builds with the [`UNUSED_MODELS_FEATURE`] feature (on by default).
    Unused,
}

/// The cargo feature that compiles the models no operation uses (a default feature).
pub const UNUSED_MODELS_FEATURE: &str = "unused-models";

/// The gate of every model, by [`TypeId`] index: what the operations of each tag reach (their
/// parameters, bodies, answers and typed errors) is compiled with that tag's feature; what the runtime
/// names (the profile's stream event schemas, the typed 422) and all they reach, always.
pub fn model_gates(api: &Api, profile: &Profile) -> Vec<Gate> {
    let module_of: std::collections::BTreeMap<&str, &str> = api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.module.as_str()))
        .collect();
    let mut features: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.types.len()];
    for op in &api.operations {
        let (mut seen, mut received) = (BTreeSet::new(), BTreeSet::new());
        reach_operation(api, op, &mut seen, &mut received);
        seen.append(&mut received);
        let op_features: Vec<String> = op
            .tags
            .iter()
            .filter_map(|t| module_of.get(t.as_str()))
            .map(|m| crate::naming::feature_name(m))
            .collect();
        for id in seen {
            if let Some(set) = features.get_mut(id.0) {
                set.extend(op_features.iter().cloned());
            }
        }
    }
    let mut always = BTreeSet::new();
    for ev in &profile.streaming.events {
        if let Some(i) = api
            .types
            .iter()
            .position(|t| t.parent.is_none() && t.source == ev.schema)
        {
            reach(api, &Ty::Ref(TypeId(i)), &mut always);
        }
    }
    if let Some(id) = validation_error(api) {
        reach(api, &Ty::Ref(id), &mut always);
    }
    features
        .into_iter()
        .enumerate()
        .map(|(i, set)| {
            if always.contains(&TypeId(i)) {
                Gate::Always
            } else if set.is_empty() {
                Gate::Unused
            } else {
                Gate::Features(set)
            }
        })
        .collect()
}

/// The type of `422` responses, when the spec documents one: the named type most operations declare for
/// 422 (ties go to the first in name order). The runtime's `validation_error()` decodes it.
pub fn validation_error(api: &Api) -> Option<TypeId> {
    let mut counts: std::collections::BTreeMap<&str, (usize, TypeId)> =
        std::collections::BTreeMap::new();
    for op in &api.operations {
        for (code, ty) in &op.errors {
            if code == "422"
                && let Ty::Ref(id) = ty.non_null()
            {
                counts.entry(api.name_of(*id)).or_insert((0, *id)).0 += 1;
            }
        }
    }
    let mut best: Option<(usize, TypeId)> = None;
    for (n, id) in counts.values() {
        if best.is_none_or(|(b, _)| *n > b) {
            best = Some((*n, *id));
        }
    }
    best.map(|(_, id)| id)
}

/// Which way values of a type travel, by reachability from the operations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Direction {
    /// Sent by the client: reachable from a parameter or a request body.
    pub request: bool,
    /// Received by the client: reachable from a success or error response.
    pub response: bool,
}

impl Direction {
    /// Whether users build values of the type: sent ones, and ones no operation uses (a public type
    /// whose purpose the SDK cannot know). Types that are only received are not built by users, so they
    /// get no constructor, `Default` or setters, and can gain fields freely.
    pub fn constructible(self) -> bool {
        self.request || !self.response
    }

    /// `request`, `response`, `request and response` or `unreferenced`.
    pub fn label(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "request and response",
            (true, false) => "request",
            (false, true) => "response",
            (false, false) => "unreferenced",
        }
    }
}

/// The direction of every type, by [`TypeId`] index: one walk from every operation's parameters and body
/// (request) and its success and error bodies (response).
pub fn directions(api: &Api) -> Vec<Direction> {
    let mut request = BTreeSet::new();
    let mut response = BTreeSet::new();
    for op in &api.operations {
        reach_operation(api, op, &mut request, &mut response);
    }
    (0..api.types.len())
        .map(|i| Direction {
            request: request.contains(&TypeId(i)),
            response: response.contains(&TypeId(i)),
        })
        .collect()
}

/// Adds what operation `op` sends (parameters, body) to `sent` and what it receives (success and error
/// bodies) to `received`, with every type those reach.
fn reach_operation(
    api: &Api,
    op: &crate::ir::Operation,
    sent: &mut BTreeSet<TypeId>,
    received: &mut BTreeSet<TypeId>,
) {
    for p in &op.params {
        reach(api, &p.ty, sent);
    }
    if let Some(b) = &op.body {
        reach(api, &b.ty, sent);
    }
    if let Response::Json(t) | Response::Dual(t) = &op.response {
        reach(api, t, received);
    }
    for (_, t) in &op.errors {
        reach(api, t, received);
    }
}

/// Adds to `seen` every type `t` reaches (through fields, variants and aliases), iteratively, so deep or
/// circular graphs are fine.
pub fn reach(api: &Api, t: &Ty, seen: &mut BTreeSet<TypeId>) {
    let mut stack = Vec::new();
    t.visit_refs(&mut |id| stack.push(id));
    while let Some(id) = stack.pop() {
        if api.get(id).is_none() || !seen.insert(id) {
            continue;
        }
        let mut push = |id: TypeId| stack.push(id);
        match api.kind_of(id) {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    f.ty.visit_refs(&mut push);
                }
                if let Some(extra) = &s.additional {
                    extra.visit_refs(&mut push);
                }
            }
            TypeKind::Tagged(t) => t.variants.iter().for_each(|v| push(v.ty)),
            TypeKind::Untagged(vs) => vs.iter().for_each(|v| v.ty.visit_refs(&mut push)),
            TypeKind::Alias(ty) => ty.visit_refs(&mut push),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Const(_) => {}
        }
    }
}
