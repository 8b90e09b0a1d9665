//! `generator diff OLD NEW`: what a new spec breaks for users of the SDK generated from the old one.
//!
//! Both documents go through the normal pipeline into the Rust model of the crate generated from each
//! ([`crate::shape::Shape`]: the same model `render` prints), and the two models are compared item by item.
//! So the verdict is about the Rust API users compile against, not about the wire:
//!
//! | change in the Rust API | severity |
//! |---|---|
//! | type, field, variant, method, setter, module or feature removed | breaking |
//! | a field's, argument's, setter's or `.send()` output's type changed (`T` → `Option<T>`) | breaking |
//! | `new(…)` arguments changed (a required field of a sent type added, removed, made optional) | breaking |
//! | operation renamed (same method and path, new `operationId`): its method renamed | breaking |
//! | field added to a struct (every struct is `#[non_exhaustive]`; received types have no constructor) | additive |
//! | enum value or union member added (every enum is `#[non_exhaustive]`) | additive |
//! | type, operation, method, setter, module or feature added | additive |
//! | deprecations, a moved path, a changed const value or union tag | note |
//!
//! cargo-semver-checks is the referee: `tests/tests/semver_agreement.rs` checks this verdict against its
//! verdict on the two generated crates for a suite of spec pairs and for consecutive Letta documents. (It
//! cannot see a changed type; those pairs are checked by compiling a user's code against both crates.)

mod report;
mod rust;

use std::path::PathBuf;
use std::process::ExitCode;

pub use report::{Bump, Change, Report, Severity, Side};

use crate::ir::Api;
use crate::profile::Profile;
use crate::shape::Shape;
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

/// Compares two loaded APIs, each generated with the default profile. Pure and deterministic: every
/// list in the report is sorted.
pub fn diff(old: &Api, new: &Api) -> Report {
    let profile = Profile::default();
    diff_with_profiles(old, &profile, new, &profile)
}

/// Compares two loaded APIs, each with the profile its SDK is generated with (the profile decides
/// `.into_stream()` on paged lists and the stream event type).
pub fn diff_with_profiles(
    old: &Api,
    old_profile: &Profile,
    new: &Api,
    new_profile: &Profile,
) -> Report {
    let (os, ns) = (Shape::of(old, old_profile), Shape::of(new, new_profile));
    let mut d = rust::Differ {
        old: (old, &os),
        new: (new, &ns),
        changes: Vec::new(),
    };
    d.compare_operations();
    d.compare_models();
    let side = |api: &Api| Side {
        title: api.title.clone(),
        version: api.version.clone(),
        operations: api.operations.len(),
        schemas: (0..api.types.len())
            .filter(|i| api.is_component(crate::ir::TypeId(*i)))
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

/// The profile beside `spec` (`profile.yaml` in the same folder), if there is one.
///
/// # Errors
///
/// A profile that is there but cannot be read or parsed, naming the file.
fn profile_beside(spec: &SpecSource) -> Result<Option<Profile>, String> {
    let Some(path) = spec
        .path()
        .and_then(|p| p.parent())
        .map(|d| d.join(crate::profile::PROFILE_FILE))
        .filter(|p| p.is_file())
    else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Profile::parse(&text, &path.display().to_string())
        .map(Some)
        .map_err(|e| e.to_string())
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
    let new_source = SpecSource::parse(&args.new);
    let new = load(
        &new_source,
        &args.new_overlays,
        args.no_default_overlays,
        timeout,
    )?;
    let old_profile = profile_beside(&old_source)?;
    let new_profile = profile_beside(&new_source)?;
    let report = diff_with_profiles(
        &old,
        old_profile.as_ref().unwrap_or(&Profile::default()),
        &new,
        new_profile.as_ref().unwrap_or(&Profile::default()),
    );
    let version = args
        .crate_version
        .clone()
        .or_else(|| old_profile.map(|p| p.krate.version))
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
