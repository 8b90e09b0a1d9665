//! Which side of the wire each component schema is on: reachable from a request (parameters, bodies), from
//! a response (success and error bodies), both, or neither.

use std::collections::BTreeMap;

use crate::ir::{Api, Response, Ty, TypeId, TypeKind};
use crate::normalize::schema_pointer;

/// The sides a type is used on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sides {
    /// Sent by the client: reachable from a parameter or a request body.
    pub request: bool,
    /// Received by the client: reachable from a success or error response.
    pub response: bool,
}

impl Sides {
    pub const REQUEST: Sides = Sides {
        request: true,
        response: false,
    };
    pub const RESPONSE: Sides = Sides {
        request: false,
        response: true,
    };
    pub const BOTH: Sides = Sides {
        request: true,
        response: true,
    };

    pub fn union(self, other: Sides) -> Sides {
        Sides {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    /// The sides whose rules apply: a type used nowhere is still public in the SDK, so both apply.
    pub fn for_rules(self) -> Sides {
        if self.request || self.response {
            self
        } else {
            Sides::BOTH
        }
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

/// True when `id` is a component schema (not an inline type).
pub(crate) fn is_component(api: &Api, id: TypeId) -> bool {
    api.types
        .get(id.0)
        .is_some_and(|t| t.parent.is_none() && t.pointer == schema_pointer(&t.source))
}

/// Component schema name → the sides it is reachable from.
pub(crate) fn component_sides(api: &Api) -> BTreeMap<String, Sides> {
    let mut request = vec![false; api.types.len()];
    let mut response = vec![false; api.types.len()];
    for op in &api.operations {
        for p in &op.params {
            mark(api, &p.ty, &mut request);
        }
        if let Some(b) = &op.body {
            mark(api, &b.ty, &mut request);
        }
        if let Response::Json(ty) | Response::Dual(ty) = &op.response {
            mark(api, ty, &mut response);
        }
        for (_, ty) in &op.errors {
            mark(api, ty, &mut response);
        }
    }
    let mut out = BTreeMap::new();
    for (i, t) in api.types.iter().enumerate() {
        if is_component(api, TypeId(i)) {
            out.insert(
                t.source.clone(),
                Sides {
                    request: request[i],
                    response: response[i],
                },
            );
        }
    }
    out
}

/// Marks every type reachable from `ty` (iteratively, so deep or circular graphs are fine).
fn mark(api: &Api, ty: &Ty, seen: &mut [bool]) {
    let mut stack = Vec::new();
    ty.visit_refs(&mut |id| stack.push(id));
    while let Some(id) = stack.pop() {
        let Some(slot) = seen.get_mut(id.0) else {
            continue;
        };
        if *slot {
            continue;
        }
        *slot = true;
        let Some(def) = api.types.get(id.0) else {
            continue;
        };
        let mut push = |id: TypeId| stack.push(id);
        match &def.kind {
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
