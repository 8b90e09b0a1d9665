//! The Letta SDK generator: reads an OpenAPI document (and the profile beside it) and emits a Rust SDK
//! crate.
//!
//! The pipeline is a chain of pure functions, each testable alone:
//!
//! `load` → `overlay` (the OpenAPI Overlays beside the spec and on the command line) → `normalize` → parse
//! (`openapiv3`) → `resolve` (IR) → `naming` → `render` (templates and quote fragments, printed by `printer`) →
//! `format` (layout; syn + prettyplease for a user's templates) → `write` / `check`. A spec may come from a file or a URL (`source`); `explain` and `diff`
//! read the named IR.
//!
//! [`generate`] runs everything but the last step and does no I/O: spec text and options in, an ordered map
//! of relative path → file content out.
//!
//! ```no_run
//! let spec = std::fs::read_to_string("spec/letta-0.16.8/openapi.json").unwrap();
//! let out = generator::generate(&spec, &generator::Options::default()).unwrap();
//! for (path, text) in &out.files {
//!     println!("{path}: {} bytes", text.len());
//! }
//! ```

pub mod diff;
pub(crate) mod docs;
pub mod error;
pub mod explain;
mod files;
pub mod format;
pub mod frontend;
pub mod ir;
pub mod load;
pub mod meta;
pub mod naming;
pub mod normalize;
pub mod overlay;
pub mod printer;
pub mod profile;
pub mod render;
pub mod resolve;
pub mod runtime;
pub mod shape;
pub mod source;
pub mod templates;
pub mod write;

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

pub use error::{Error, Result};
pub use frontend::{load_api, load_api_with};
pub use runtime::RUNTIME_FILES;
pub use templates::Templates;

/// The generator's version, recorded in every emitted file.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Options of a generation run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec's file name as recorded in headers (a relative path; never an absolute one).
    pub spec_file: String,
    /// What the spec does not say: crate name and version, client settings, streams, paging, docs.
    pub profile: profile::Profile,
    /// The profile's file name, for errors (`<none>` when there is no profile file).
    pub profile_file: String,
    /// Templates to render with.
    pub templates: Templates,
    /// Overlays applied to the spec, in order, before anything reads it (see [`overlay`]).
    pub overlays: Vec<overlay::Overlay>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spec_file: "openapi.json".into(),
            profile: profile::Profile::default(),
            profile_file: "<no profile>".into(),
            templates: Templates::builtin(),
            overlays: Vec::new(),
        }
    }
}

/// The result of a generation run.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative path → file content, ordered.
    pub files: BTreeMap<String, String>,
    /// Naming collisions resolved by the suffix rule and other notes.
    pub warnings: Vec<String>,
    /// What `normalize` rewrote.
    pub stats: normalize::Stats,
    /// Counts in the IR (nullable positions, consts).
    pub census: ir::Census,
}

/// sha256 of `text`, lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs the whole pipeline in memory: spec text in, emitted files out.
///
/// # Errors
///
/// Any [`Error`]: bad spec text, an unsupported construct (with its JSON pointer), a template error, or an
/// emitted file that is not valid Rust (with the file name).
pub fn generate(spec_text: &str, options: &Options) -> Result<Output> {
    let (api, stats, warnings) = frontend::load_api_with(spec_text, &options.overlays)?;
    let meta = meta::Meta {
        crate_name: options.profile.krate.name.clone(),
        lib_name: options.profile.lib_name(),
        crate_version: options.profile.krate.version.clone(),
        spec_file: options.spec_file.clone(),
        spec_sha256: sha256_hex(spec_text),
        generator_name: write::GENERATOR_NAME.into(),
        generator_version: VERSION.into(),
        overlays: options
            .overlays
            .iter()
            .map(|o| meta::AppliedOverlay {
                file: o.file.clone(),
                sha256: o.sha256.clone(),
            })
            .collect(),
    };
    let rendered = render::render(
        &api,
        &meta,
        &options.templates,
        &options.profile,
        &options.profile_file,
    )?;
    let files = format::format_all(rendered.files, &meta, &options.templates)?;
    Ok(Output {
        files,
        warnings,
        stats,
        census: api.census(),
    })
}
