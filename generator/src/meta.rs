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
}
