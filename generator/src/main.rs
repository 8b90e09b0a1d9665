//! `generator`: regenerate the Letta Rust SDK, check it for drift, or diff two specs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates the `letta-api` Rust SDK from the Letta OpenAPI document.
///
/// With no subcommand, regenerates `generated/` from `spec/openapi.json` using the built-in templates
/// (run it from the repository root). Exit codes: 0 success (or no drift), 1 drift found (`--check`) or a
/// breaking change (`diff`), 2 bad input or another error.
#[derive(Debug, Parser)]
#[command(name = "generator", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    /// The OpenAPI document (JSON or YAML, detected by content).
    #[arg(long, default_value = "spec/openapi.json", value_name = "PATH")]
    spec: PathBuf,
    /// Folder to write the SDK crate into.
    #[arg(long, default_value = "generated", value_name = "DIR")]
    out: PathBuf,
    /// Folder of template overrides: any `*.j2` file there replaces the built-in template of the same
    /// relative name (e.g. `model.rs.j2`, `runtime/client.rs.j2`). Start from a copy of `templates/`.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Write nothing; exit 1 and list missing, extra and changed files (with the first differing hunk)
    /// when the output folder does not match what the spec generates.
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

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    if let Some(Command::Diff(args)) = cli.command {
        return generator::diff::run_cli(&args);
    }
    let spec_text = read(&cli.spec)?;
    let templates = match &cli.templates {
        None => generator::Templates::builtin(),
        Some(dir) => {
            let overrides = generator::write::read_templates(dir).map_err(|e| e.to_string())?;
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
    let spec_file = relative_name(&cli.spec);
    let options = generator::Options {
        spec_file,
        templates,
        ..generator::Options::default()
    };
    let output = generator::generate(&spec_text, &options)
        .map_err(|e| format!("{}: {e}", cli.spec.display()))?;
    if cli.verbose {
        for w in &output.warnings {
            eprintln!("warning: {w}");
        }
    } else if !output.warnings.is_empty() {
        eprintln!(
            "note: {} naming collisions were resolved by suffixes (see --verbose)",
            output.warnings.len()
        );
    }
    if cli.check {
        let drift = generator::write::check(&output.files, &cli.out).map_err(|e| e.to_string())?;
        if drift.is_empty() {
            println!(
                "{}: up to date with {} ({} files)",
                cli.out.display(),
                cli.spec.display(),
                output.files.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        print!("{}", drift.report(&cli.out));
        println!(
            "{}: {} missing, {} extra, {} changed. Run `cargo run -p generator` to regenerate, then review the diff.",
            cli.out.display(),
            drift.added.len(),
            drift.removed.len(),
            drift.changed.len()
        );
        return Ok(ExitCode::from(1));
    }
    let drift = generator::write::write(&output.files, &cli.out).map_err(|e| e.to_string())?;
    println!(
        "{}: {} files ({} written, {} removed, {} unchanged)",
        cli.out.display(),
        output.files.len(),
        drift.added.len() + drift.changed.len(),
        drift.removed.len(),
        output.files.len() - drift.added.len() - drift.changed.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The spec path as recorded in headers: relative, `/`-separated, never absolute.
fn relative_name(path: &Path) -> String {
    let name = if path.is_absolute() {
        path.file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_else(|| "openapi.json".into())
    } else {
        path.to_string_lossy().replace('\\', "/")
    };
    name.trim_start_matches("./").to_string()
}
