//! `generator`: regenerate the Letta Rust SDK, check it for drift, or diff two specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use generator::source::{SpecSource, relative_name};

/// Generates the Letta Rust SDKs from the pinned OpenAPI documents, checks them for drift, or diffs
/// two documents.
///
/// With no `--spec`, regenerates every pinned SDK: each folder `spec/<name>/` holding `openapi.json`
/// (and its `profile.yaml`) becomes the crate `generated/<name>/` (run it from the repository root).
/// With `--spec`, generates one crate into `--out`. Exit codes: 0 success (or no drift), 1 drift found
/// (`--check`) or a breaking change (`diff`), 2 bad input or another error (nothing is written then).
#[derive(Debug, Parser)]
#[command(name = "generator", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    /// One OpenAPI document (JSON or YAML, detected by content) to generate from: a file, or an
    /// `http://` / `https://` URL such as `http://localhost:8283/openapi.json` of a running Letta server
    /// (fetched into memory; see `--save-spec`). Needs `--out`. Without it, every pinned document under
    /// `--spec-dir` is generated.
    #[arg(long, value_name = "PATH|URL")]
    spec: Option<String>,
    /// The profile of `--spec`: what the document does not say (crate name and version, client
    /// settings, streams, paging, docs). Default: `profile.yaml` beside the spec file, if there is one.
    #[arg(long, value_name = "PATH", requires = "spec")]
    profile: Option<PathBuf>,
    /// An OpenAPI Overlay (1.0) to apply to the spec before generating: JSONPath actions that fix what
    /// the document gets wrong. Repeatable; applied in order, after the overlays in the `overlays/`
    /// folder beside the spec file (which always apply, see `--no-default-overlays`). The `@generated`
    /// header of every file records each overlay and its hash.
    #[arg(long = "overlay", value_name = "PATH", requires = "spec")]
    overlays: Vec<PathBuf>,
    /// Do not apply the overlays in the `overlays/` folder beside each spec (to see what the document
    /// alone gives; `--check` then reports the pinned SDKs as drifted).
    #[arg(long)]
    no_default_overlays: bool,
    /// With a URL `--spec`: how long fetching it may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// With a URL `--spec`: also save the fetched document to this file (after a successful run only).
    /// Without it the fetched document is written nowhere.
    #[arg(long, value_name = "PATH", requires = "spec")]
    save_spec: Option<PathBuf>,
    /// Where the pinned documents are: one folder per document, each with `openapi.json` and
    /// `profile.yaml`.
    #[arg(
        long,
        default_value = "spec",
        value_name = "DIR",
        conflicts_with = "spec"
    )]
    spec_dir: PathBuf,
    /// With `--spec`: the folder of the SDK crate. Without: the folder that holds one crate folder per
    /// pinned document (default `generated`).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Folder of template overrides: any `*.j2` file there replaces the built-in template of the same
    /// relative name (e.g. `model.rs.j2`, `api.rs.j2`). Start from a copy of `templates/`. (The runtime
    /// files are Rust, not templates: they are the same in every SDK.)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Write nothing; exit 1 and list missing, extra and changed files (with the first differing hunk)
    /// when an output folder does not match what its spec generates.
    #[arg(long)]
    check: bool,
    /// Print naming collisions and other warnings.
    #[arg(long, short)]
    verbose: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compare two specs and report what the change breaks for SDK users.
    ///
    /// Exit 0 when nothing breaks, 1 when something breaks, 2 on error.
    Diff(generator::diff::DiffArgs),
    /// Explain where a schema, Rust type, operation or method comes from and what Rust it became.
    ///
    /// NAME is a component schema name (`AgentState`), a Rust type name (`HttpValidationErrorDetail`), an
    /// operationId or method name (`list_agents`) or a builder name (`ListAgentsBuilder`). Prints, for
    /// each match: its JSON pointer in the spec, the Rust item and file, the naming rule (and collision
    /// suffix), the union strategy or every field's Rust type and why, boxing for recursion, and which
    /// operations and features reach it. Without `--spec`, every pinned document is searched.
    ///
    /// Exit 0 when something matched, 1 when nothing did (similar names are listed), 2 on error.
    Explain(ExplainArgs),
}

/// Arguments of `generator explain`.
#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// The name to explain.
    name: String,
    /// The spec (a file or an `http(s)://` URL). Default: every pinned document under `--spec-dir`.
    #[arg(long, value_name = "PATH|URL")]
    spec: Option<String>,
    /// The profile of `--spec`. Default: `profile.yaml` beside the spec file, if there is one.
    #[arg(long, value_name = "PATH", requires = "spec")]
    profile: Option<PathBuf>,
    /// An overlay to apply after those beside the spec (repeatable).
    #[arg(long = "overlay", value_name = "PATH", requires = "spec")]
    overlays: Vec<PathBuf>,
    /// Do not apply the overlays in the `overlays/` folder beside each spec.
    #[arg(long)]
    no_default_overlays: bool,
    /// Where the pinned documents are (without `--spec`).
    #[arg(long, default_value = "spec", value_name = "DIR")]
    spec_dir: PathBuf,
    /// With a URL `--spec`: how long fetching it may take, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
}

/// `generator explain`: prints what each document says of the name.
fn explain(args: &ExplainArgs) -> Result<ExitCode, String> {
    let fetch_timeout = generator::source::fetch_timeout(args.timeout)?;
    let jobs = match &args.spec {
        Some(spec) => {
            vec![one_job(
                SpecSource::parse(spec),
                args.profile.clone(),
                &args.overlays,
                args.no_default_overlays,
                PathBuf::new(),
            )?]
        }
        None => pinned_jobs(&args.spec_dir, Path::new(""), args.no_default_overlays)?,
    };
    let mut found = false;
    let mut similar = Vec::new();
    let mut text = String::new();
    for job in &jobs {
        let shown = job.spec.display_name();
        let spec_text = job.spec.read(fetch_timeout)?;
        let (profile, _) = match &job.profile {
            Some(p) => load_profile(p)?,
            None => (generator::profile::Profile::default(), String::new()),
        };
        let (api, _, _) = generator::load_api_with(&spec_text, &job.overlays)
            .map_err(|e| format!("{shown}: {e}"))?;
        let found_here =
            generator::explain::explain(&api, &profile, &profile.lib_name(), &args.name);
        if found_here.blocks.is_empty() {
            similar.extend(
                found_here
                    .similar
                    .into_iter()
                    .map(|n| format!("{n} ({shown})")),
            );
            continue;
        }
        found = true;
        text.push_str(&format!(
            "# {shown} (crate {})
",
            profile.krate.name
        ));
        for block in found_here.blocks {
            text.push_str(&block);
            text.push('\n');
        }
    }
    if !found {
        let mut message = format!(
            "no schema, type, operation or method is named `{}` in {}",
            args.name,
            jobs.iter()
                .map(|j| j.spec.display_name())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !similar.is_empty() {
            message.push_str(&format!("; similar: {}", similar.join(", ")));
        }
        eprintln!("{message}");
        return Ok(ExitCode::from(1));
    }
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// One SDK to generate: its spec, profile, overlays and output folder.
struct Job {
    spec: SpecSource,
    profile: Option<PathBuf>,
    overlays: Vec<generator::overlay::Overlay>,
    out: PathBuf,
}

/// The overlays of a spec (see [`generator::overlay::for_spec`]), or the message naming the bad one.
fn overlays_for(
    spec: &SpecSource,
    extra: &[PathBuf],
    skip: bool,
) -> Result<Vec<generator::overlay::Overlay>, String> {
    generator::overlay::for_spec(spec, extra, skip).map_err(|e| e.to_string())
}

/// The job for one `--spec`: its profile is `profile`, else `profile.yaml` beside the spec file if there is
/// one; its overlays those beside it (unless `skip`), then `extra`.
fn one_job(
    spec: SpecSource,
    profile: Option<PathBuf>,
    extra: &[PathBuf],
    skip: bool,
    out: PathBuf,
) -> Result<Job, String> {
    let profile = profile.or_else(|| {
        let beside = spec
            .path()?
            .parent()?
            .join(generator::profile::PROFILE_FILE);
        beside.is_file().then_some(beside)
    });
    Ok(Job {
        overlays: overlays_for(&spec, extra, skip)?,
        spec,
        profile,
        out,
    })
}

/// The pinned documents: every `DIR/<name>/openapi.json`, in name order.
fn pinned_jobs(spec_dir: &Path, out_root: &Path, skip_overlays: bool) -> Result<Vec<Job>, String> {
    let entries = std::fs::read_dir(spec_dir).map_err(|e| {
        format!(
            "{}: {e} (run from the repository root, or pass --spec PATH --out DIR)",
            spec_dir.display()
        )
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", spec_dir.display()))?;
        let path = entry.path();
        if path.join("openapi.json").is_file() {
            names.push(entry.file_name().to_string_lossy().to_string());
        }
    }
    names.sort();
    if names.is_empty() {
        return Err(format!(
            "{}: no pinned documents (expected folders holding openapi.json and profile.yaml)",
            spec_dir.display()
        ));
    }
    names
        .into_iter()
        .map(|name| {
            let folder = spec_dir.join(&name);
            let profile = folder.join(generator::profile::PROFILE_FILE);
            let spec = SpecSource::File(folder.join("openapi.json"));
            Ok(Job {
                overlays: overlays_for(&spec, &[], skip_overlays)?,
                spec,
                profile: profile.is_file().then_some(profile),
                out: out_root.join(&name),
            })
        })
        .collect()
}

/// Reads a profile and the files it names (relative to it).
fn load_profile(path: &Path) -> Result<(generator::profile::Profile, String), String> {
    let name = relative_name(path);
    let profile = generator::profile::Profile::read(path, &name).map_err(|e| e.to_string())?;
    Ok((profile, name))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match &cli.command {
        Some(Command::Diff(args)) => return generator::diff::run_cli(args),
        Some(Command::Explain(args)) => return explain(args),
        None => {}
    }
    let templates = match &cli.templates {
        None => generator::Templates::builtin(),
        Some(dir) => {
            let overrides = generator::templates::read_templates(dir).map_err(|e| e.to_string())?;
            if overrides.is_empty() {
                return Err(format!(
                    "{}: no *.j2 templates found (copy templates/ and edit the copy)",
                    dir.display()
                ));
            }
            generator::Templates::with_overrides(overrides)
                .map_err(|e| format!("{}: {e}", dir.display()))?
        }
    };
    let fetch_timeout = generator::source::fetch_timeout(cli.timeout)?;
    let jobs = match (&cli.spec, &cli.out) {
        (Some(spec), Some(out)) => {
            let spec = SpecSource::parse(spec);
            if cli.save_spec.is_some() && spec.path().is_some() {
                return Err(
                    "--save-spec saves a spec fetched from a URL; this --spec is a file already"
                        .into(),
                );
            }
            vec![one_job(
                spec,
                cli.profile.clone(),
                &cli.overlays,
                cli.no_default_overlays,
                out.clone(),
            )?]
        }
        (Some(_), None) => {
            return Err("--spec needs --out DIR: the folder to write the SDK crate into".into());
        }
        (None, out) => pinned_jobs(
            &cli.spec_dir,
            out.as_deref().unwrap_or(Path::new("generated")),
            cli.no_default_overlays,
        )?,
    };
    // Generate everything first: a failure in any document writes nothing at all.
    let mut outputs = Vec::new();
    let mut fetched = None;
    for job in &jobs {
        let spec_text = job.spec.read(fetch_timeout)?;
        let shown = job.spec.display_name();
        let (profile, profile_file) = match &job.profile {
            Some(p) => load_profile(p)?,
            None => (
                generator::profile::Profile::default(),
                "<no profile>".into(),
            ),
        };
        let options = generator::Options {
            spec_file: shown.clone(),
            profile,
            profile_file,
            templates: templates.clone(),
            overlays: job.overlays.clone(),
        };
        let output =
            generator::generate(&spec_text, &options).map_err(|e| format!("{shown}: {e}"))?;
        if cli.verbose {
            for w in &output.warnings {
                eprintln!("warning: {shown}: {w}");
            }
        } else if !output.warnings.is_empty() {
            eprintln!(
                "note: {shown}: {} naming collisions were resolved by suffixes (see --verbose)",
                output.warnings.len()
            );
        }
        if generator::printer::fallbacks() > 0 {
            eprintln!(
                "warning: {shown}: {} code fragments were written with plain token spacing (a layout bug of \
                 the generator's printer; the code is the same). Please report it with the spec.",
                generator::printer::fallbacks()
            );
        }
        if matches!(job.spec, SpecSource::Url(_)) {
            fetched = Some(spec_text);
        }
        outputs.push(output);
    }
    if cli.check {
        let mut drifted = false;
        for (job, output) in jobs.iter().zip(&outputs) {
            let drift =
                generator::write::check(&output.files, &job.out).map_err(|e| e.to_string())?;
            if drift.is_empty() {
                println!(
                    "{}: up to date with {} ({} files)",
                    job.out.display(),
                    job.spec.display_name(),
                    output.files.len()
                );
                continue;
            }
            drifted = true;
            print!("{}", drift.report(&job.out));
            println!(
                "{}: {} missing, {} extra, {} changed. Run `cargo run -p generator` to regenerate, then review the diff.",
                job.out.display(),
                drift.added.len(),
                drift.removed.len(),
                drift.changed.len()
            );
        }
        return Ok(if drifted {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    for (job, output) in jobs.iter().zip(&outputs) {
        generator::write::preflight(&output.files, &job.out).map_err(|e| e.to_string())?;
    }
    if let (Some(path), Some(text)) = (&cli.save_spec, &fetched) {
        generator::source::save(path, text)?;
        println!("{}: saved the fetched spec", path.display());
    }
    for (job, output) in jobs.iter().zip(&outputs) {
        let drift = generator::write::write(&output.files, &job.out).map_err(|e| e.to_string())?;
        println!(
            "{}: {} files ({} written, {} removed, {} unchanged)",
            job.out.display(),
            output.files.len(),
            drift.added.len() + drift.changed.len(),
            drift.removed.len(),
            output.files.len() - drift.added.len() - drift.changed.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
