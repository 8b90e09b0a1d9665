//! The Letta SDK generator: reads an OpenAPI document (and the profile beside it) and emits a Rust SDK
//! crate.
//!
//! The pipeline is a chain of pure functions, each testable alone:
//!
//! `load` → `normalize` → parse (`openapiv3`) → `resolve` (IR) → `naming` → `render` (templates and quote
//! fragments) → `format` (syn + prettyplease) → `write` / `check`.
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
pub mod docs;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalize;
pub mod profile;
pub mod render;
pub mod resolve;
pub mod write;

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

pub use error::{Error, Result};

/// The runtime modules of the emitted crate: ordinary Rust in `generator/runtime/NAME.rs`, compiled and
/// unit-tested there (`generator/tests/runtime.rs`), emitted verbatim as `src/NAME.rs` (comments kept).
/// What they need from the spec they read from the generated `crate::spec` module.
pub const RUNTIME_FILES: [(&str, &str); 7] = [
    ("client", include_str!("../runtime/client.rs")),
    ("error", include_str!("../runtime/error.rs")),
    ("paging", include_str!("../runtime/paging.rs")),
    ("request", include_str!("../runtime/request.rs")),
    ("stream", include_str!("../runtime/stream.rs")),
    ("tagged", include_str!("../runtime/tagged.rs")),
    ("types", include_str!("../runtime/types.rs")),
];

/// The generator's version, recorded in every emitted file.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The templates the generator is built with, from the repository's `templates/` folder.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.j2",
        include_str!("../../templates/Cargo.toml.j2"),
    ),
    ("README.md.j2", include_str!("../../templates/README.md.j2")),
    ("lib.rs.j2", include_str!("../../templates/lib.rs.j2")),
    ("model.rs.j2", include_str!("../../templates/model.rs.j2")),
    (
        "models_mod.rs.j2",
        include_str!("../../templates/models_mod.rs.j2"),
    ),
    ("api.rs.j2", include_str!("../../templates/api.rs.j2")),
    (
        "apis_mod.rs.j2",
        include_str!("../../templates/apis_mod.rs.j2"),
    ),
    ("spec.rs.j2", include_str!("../../templates/spec.rs.j2")),
];

/// A set of templates by name (`model.rs.j2`, `api.rs.j2`, …).
#[derive(Debug, Clone)]
pub struct Templates(BTreeMap<String, String>);

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> Self {
        Templates(
            BUILTIN_TEMPLATES
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        )
    }

    /// The built-in templates, with every template in `overrides` replacing the built-in of the same name.
    ///
    /// # Errors
    ///
    /// A name in `overrides` that is not one of the built-in templates (most likely a typo).
    pub fn with_overrides(overrides: BTreeMap<String, String>) -> Result<Self> {
        let mut t = Self::builtin();
        for (name, text) in overrides {
            if !t.0.contains_key(&name) {
                let known: Vec<&str> = t.0.keys().map(String::as_str).collect();
                return Err(Error::Template {
                    name,
                    message: format!("unknown template; the generator uses: {}", known.join(", ")),
                });
            }
            t.0.insert(name, text);
        }
        Ok(t)
    }

    /// Iterates over (name, source).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }
}

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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spec_file: "openapi.json".into(),
            profile: profile::Profile::default(),
            profile_file: "<no profile>".into(),
            templates: Templates::builtin(),
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

/// Parses, normalizes and resolves spec text into the named IR.
///
/// # Errors
///
/// Syntax errors (with line and column) and spec errors (with a JSON pointer).
pub fn load_api(spec_text: &str) -> Result<(ir::Api, normalize::Stats, Vec<String>)> {
    let mut value = load::load(spec_text)?;
    let stats = normalize::normalize(&mut value);
    let doc: openapiv3::OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        Error::spec(
            pointer,
            format!("not a valid OpenAPI document here: {}", e.inner()),
        )
    })?;
    let mut api = resolve::resolve(&doc)?;
    let warnings = naming::assign(&mut api);
    Ok((api, stats, warnings))
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => pointer = error::push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = error::push_pointer(&pointer, key),
            Segment::Enum { variant } => pointer = error::push_pointer(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
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
    let (api, stats, warnings) = load_api(spec_text)?;
    let meta = render::Meta {
        crate_name: options.profile.krate.name.clone(),
        lib_name: options.profile.lib_name(),
        crate_version: options.profile.krate.version.clone(),
        spec_file: options.spec_file.clone(),
        spec_sha256: sha256_hex(spec_text),
        generator_name: "letta-sdk-generator".into(),
        generator_version: VERSION.into(),
    };
    let rendered = render::render(
        &api,
        &meta,
        &options.templates,
        &options.profile,
        &options.profile_file,
    )?;
    let files = format::format_all(rendered.files, &meta)?;
    Ok(Output {
        files,
        warnings,
        stats,
        census: api.census(),
    })
}
