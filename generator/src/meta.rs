//! Facts about a generation run that reach the output (names, versions, the spec's hash), shared by
//! `render` and `format`.

use serde::Serialize;

/// Facts about the generation run that reach the output (never timestamps or paths of this machine).
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Crate (package) name.
    pub crate_name: String,
    /// Library name.
    pub lib_name: String,
    /// Crate version.
    pub crate_version: String,
    /// Spec file name as shown in headers.
    pub spec_file: String,
    /// sha256 of the spec text.
    pub spec_sha256: String,
    /// Generator name.
    pub generator_name: String,
    /// Generator version.
    pub generator_version: String,
    /// The overlays applied to the spec before generation, in order (empty for none).
    pub overlays: Vec<AppliedOverlay>,
}

/// An overlay applied to the spec, as the `@generated` header and `spec.rs` record it.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedOverlay {
    /// The overlay's file name (relative, `/`-separated).
    pub file: String,
    /// sha256 of the overlay text.
    pub sha256: String,
}
