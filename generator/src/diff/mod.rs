//! `generator diff OLD NEW`: what a new spec breaks for users of the SDK generated from the old one.
//!
//! Both documents go through the normal pipeline ([`crate::load_api`]), so the comparison happens on the IR the
//! SDK is generated from, at the level users feel:
//!
//! - **operations**, matched by `operationId`; an old id missing from the new spec whose method and path
//!   now carry a new id is a *rename* (breaking: the Rust method name changes);
//! - **parameters** (path ones by position, the others by location and name), **request bodies** and
//!   **response types** of every matched operation;
//! - **component schemas** by name: fields, optionality, nullability, types, enum values, union variants;
//!   inline types are compared in place (`field `config.kind`: enum value `x` removed`).
//!
//! Each schema is on the request side, the response side, or both, by reachability from the operations'
//! parameters and request bodies versus their responses (in either document); the rules differ by side:
//!
//! | change | request side | response side |
//! |---|---|---|
//! | field added, required | breaking | additive |
//! | field added, optional | additive | additive |
//! | field removed | breaking | breaking |
//! | field or parameter type changed | breaking | breaking |
//! | optional → required | breaking | breaking when `Option<T>` becomes `T` |
//! | required → optional / nullable | additive | breaking (`T` becomes `Option<T>`) |
//! | enum value or union variant added | additive | additive (the SDK decodes unknown ones) |
//! | enum value or union variant removed | breaking | breaking |
//!
//! A schema no operation reaches is still a public Rust type: both columns apply. New operations,
//! schemas and optional parameters are additive; removed ones breaking; deprecations are notes.

mod ops;
mod report;
mod schemas;
mod types;
pub(crate) mod usage;

use std::path::PathBuf;
use std::process::ExitCode;

pub use report::{Bump, Change, Report, Severity, Side};

use crate::ir::Api;
use crate::source::SpecSource;

/// Output format of `generator diff`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped, human-readable lines with counts and the suggested bump.
    #[default]
    Text,
    /// `{"breaking":[…],"additive":[…],"notes":[…],"suggested_bump":"…"}`.
    Json,
}

/// Arguments of `generator diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The old spec (JSON or YAML): a file, e.g. `spec/letta-0.16.8/openapi.json`, or an `http(s)://`
    /// URL.
    pub old: String,
    /// The new spec (JSON or YAML): a file or an `http(s)://` URL, e.g.
    /// `http://localhost:8283/openapi.json` of the server you are about to upgrade to.
    pub new: String,
    /// An overlay (OpenAPI Overlay 1.0) to apply to OLD, after the ones in the `overlays/` folder beside
    /// it. Repeatable.
    #[arg(long = "old-overlay", value_name = "PATH")]
    pub old_overlays: Vec<PathBuf>,
    /// An overlay to apply to NEW, after the ones in the `overlays/` folder beside it. Repeatable.
    #[arg(long = "new-overlay", value_name = "PATH")]
    pub new_overlays: Vec<PathBuf>,
    /// Do not apply the overlays in the `overlays/` folder beside each spec.
    #[arg(long)]
    pub no_default_overlays: bool,
    /// How long fetching a URL may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The SDK crate's current version, for the suggested bump. Default: `crate.version` of the profile
    /// beside OLD (`profile.yaml` in its folder), else 0.1.0.
    #[arg(long, value_name = "VERSION")]
    pub crate_version: Option<String>,
}

impl DiffArgs {
    /// Arguments for comparing `old` with `new` (paths or URLs): text report, the overlays beside each
    /// spec, a 30 s fetch timeout, the crate version from the profile beside OLD.
    pub fn new(old: impl Into<String>, new: impl Into<String>) -> Self {
        DiffArgs {
            old: old.into(),
            new: new.into(),
            old_overlays: Vec::new(),
            new_overlays: Vec::new(),
            no_default_overlays: false,
            timeout: 30.0,
            format: Format::Text,
            crate_version: None,
        }
    }
}

/// Compares two loaded APIs. Pure and deterministic: every list in the report is sorted.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut d = types::Differ {
        old,
        new,
        changes: Vec::new(),
    };
    d.compare_operations();
    d.compare_schemas();
    let side = |api: &Api| Side {
        title: api.title.clone(),
        version: api.version.clone(),
        operations: api.operations.len(),
        schemas: (0..api.types.len())
            .filter(|i| usage::is_component(api, crate::ir::TypeId(*i)))
            .count(),
    };
    Report::from_changes(side(old), side(new), d.changes)
}

/// Loads both spec texts (JSON or YAML) through the normal pipeline and compares them.
///
/// # Errors
///
/// Whatever [`crate::load_api`] reports for either text.
pub fn diff_texts(old: &str, new: &str) -> crate::Result<Report> {
    let (old, _, _) = crate::frontend::load_api(old)?;
    let (new, _, _) = crate::frontend::load_api(new)?;
    Ok(diff(&old, &new))
}

fn load(
    source: &SpecSource,
    extra: &[PathBuf],
    skip_default: bool,
    timeout: std::time::Duration,
) -> Result<Api, String> {
    let shown = source.display_name();
    let overlays =
        crate::overlay::for_spec(source, extra, skip_default).map_err(|e| e.to_string())?;
    let text = source.read(timeout)?;
    crate::frontend::load_api_with(&text, &overlays)
        .map(|(api, _, _)| api)
        .map_err(|e| format!("{shown}: {e}"))
}

/// `crate.version` of the profile beside `spec` (`profile.yaml` in the same folder), if there is one.
fn sdk_version(spec: &SpecSource) -> Option<String> {
    let path = spec.path()?.parent()?.join(crate::profile::PROFILE_FILE);
    let text = std::fs::read_to_string(&path).ok()?;
    let profile = crate::profile::Profile::parse(&text, &path.display().to_string()).ok()?;
    Some(profile.krate.version)
}

/// Runs `generator diff`: prints the report on stdout in the chosen format.
///
/// Returns exit code 0 when nothing breaks and 1 when something does.
///
/// # Errors
///
/// A spec that cannot be read or loaded, as a message naming the file (`main` prints it and exits 2).
pub fn run_cli(args: &DiffArgs) -> Result<ExitCode, String> {
    run_to(args, &mut std::io::stdout().lock())
}

/// [`run_cli`] writing the report to `out` instead of stdout. A closed pipe (`generator diff … | head`) is
/// not an error: the exit code still tells.
///
/// # Errors
///
/// As [`run_cli`], plus a failure to write the report.
pub fn run_to(args: &DiffArgs, out: &mut dyn std::io::Write) -> Result<ExitCode, String> {
    let timeout = crate::source::fetch_timeout(args.timeout)?;
    let old_source = SpecSource::parse(&args.old);
    let old = load(
        &old_source,
        &args.old_overlays,
        args.no_default_overlays,
        timeout,
    )?;
    let new = load(
        &SpecSource::parse(&args.new),
        &args.new_overlays,
        args.no_default_overlays,
        timeout,
    )?;
    let report = diff(&old, &new);
    let version = args
        .crate_version
        .clone()
        .or_else(|| sdk_version(&old_source))
        .unwrap_or_else(|| crate::profile::CrateProfile::default().version);
    let text = match args.format {
        Format::Text => report.to_text(&version),
        Format::Json => report.to_json(&version),
    };
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(format!("writing the report: {e}"));
    }
    Ok(if report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
