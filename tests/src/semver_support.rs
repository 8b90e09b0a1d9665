//! Helpers of the semver agreement suite (`tests/tests/semver_agreement.rs`): `generator diff`'s verdict on
//! a pair of specs against a referee that looks at the two generated SDK crates.
//!
//! The referee is [cargo-semver-checks](https://github.com/obi1kenobi/cargo-semver-checks) run on the
//! rustdoc JSON of both crates, plus optional compile probes: tiny user programs written against the old
//! crate's API, compiled against the new one. The probes exist because cargo-semver-checks has no lint for
//! a changed field, parameter or return type (`String` → `Option<String>`); it sees missing items,
//! parameter counts, fields and variants added to exhaustive types, removed derives and the like.
//!
//! Every crate is generated as `semver-fixture` 1.0.0 (so `--release-type minor` means "no breaking
//! change") into its own scratch workspace `target/semver-agreement/crates/<key>/`, where `<key>` hashes
//! the generated files: a document generated twice (the same `old.yaml` of many pairs) is built once, and
//! its rustdoc JSON is kept beside it for the next run. Every cargo invocation shares the target dir
//! `target/semver-agreement/target`, so dependencies compile once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use generator::Options;
use generator::diff::{Change, Report};

use crate::gen_support::{self, Outcome};

/// Package name of every generated fixture crate.
pub const CRATE_NAME: &str = "semver-fixture";
/// Library name of every generated fixture crate (what probes `use`).
pub const LIB_NAME: &str = "semver_fixture";
/// Version of every generated fixture crate: from 1.0 on, a minor release must not break anything.
pub const CRATE_VERSION: &str = "1.0.0";
/// The cargo-semver-checks release the suite (and `.ci/run`) uses.
pub const SEMVER_CHECKS_VERSION: &str = "0.51.0";
/// The flags given to rustdoc, as cargo-semver-checks 0.51 gives them when it builds rustdoc JSON itself.
pub const RUSTDOC_FLAGS: [&str; 7] = [
    "-Z",
    "unstable-options",
    "--output-format",
    "json",
    "--document-private-items",
    "--document-hidden-items",
    "--cap-lints=allow",
];

/// Where the suite writes: `target/semver-agreement/`.
pub fn scratch_root() -> PathBuf {
    gen_support::target_dir().join("semver-agreement")
}

/// The cargo target dir every scratch build shares: `target/semver-agreement/target`.
pub fn shared_target_dir() -> PathBuf {
    scratch_root().join("target")
}

/// Generator options of a fixture crate: package [`CRATE_NAME`], version [`CRATE_VERSION`], everything
/// else the default profile; `spec_file` is the name headers record.
pub fn fixture_options(spec_file: &str) -> Options {
    let mut options = gen_support::options(CRATE_NAME, spec_file);
    options.profile.krate.version = CRATE_VERSION.to_string();
    options
}

// ---------------------------------------------------------------------------------------------------
// The cargo-semver-checks binary
// ---------------------------------------------------------------------------------------------------

/// The cargo-semver-checks binary: `target/tools/bin/cargo-semver-checks` (where `.ci/run` installs it),
/// else the first one on `PATH`. `Err` says why there is none.
///
/// # Errors
///
/// A sentence naming where it looked.
pub fn find_semver_checks() -> Result<PathBuf, String> {
    let exe = format!("cargo-semver-checks{}", std::env::consts::EXE_SUFFIX);
    let pinned = crate::repo_root().join("target/tools/bin").join(&exe);
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(&exe))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    std::iter::once(pinned.clone())
        .chain(on_path)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "cargo-semver-checks is not installed (looked at {} and on PATH)",
                pinned.display()
            )
        })
}

/// [`find_semver_checks`] for a test: the binary, installed first when there is none (from crates.io
/// into `target/tools/`, where `.ci/run` also puts it, so the README's test command needs no set-up of
/// its own). The install runs once per process; the tests that call this wait for it.
///
/// # Panics
///
/// When the install fails (with cargo's exit status and what to run by hand).
pub fn semver_checks_or_install(test: &str) -> PathBuf {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _once = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Ok(bin) = find_semver_checks() {
        let version = semver_checks_version(&bin);
        if !version.contains(SEMVER_CHECKS_VERSION) {
            eprintln!(
                "note: {} is {version:?}, the suite is written for {SEMVER_CHECKS_VERSION}",
                bin.display()
            );
        }
        return bin;
    }
    let tools = crate::repo_root().join("target/tools");
    let command = format!(
        "cargo install cargo-semver-checks --version {SEMVER_CHECKS_VERSION} --locked --root {}",
        tools.display()
    );
    eprintln!(
        "{test}: cargo-semver-checks is not installed; running `{command}` (once, a few minutes)"
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "install",
            "cargo-semver-checks",
            "--version",
            SEMVER_CHECKS_VERSION,
        ])
        .args(["--locked", "--root"])
        .arg(&tools)
        .env("CARGO_TARGET_DIR", tools.join("build"))
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("{test}: `{command}` failed ({s}); run it by hand to see why"),
        Err(e) => panic!("{test}: could not run `{command}`: {e}"),
    }
    find_semver_checks().unwrap_or_else(|why| panic!("{test}: installed, but {why}"))
}

/// What `cargo-semver-checks --version` prints (trimmed), or the error.
pub fn semver_checks_version(bin: &Path) -> String {
    match Command::new(bin).arg("--version").output() {
        Ok(out) => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Err(e) => format!("({}: {e})", bin.display()),
    }
}

// ---------------------------------------------------------------------------------------------------
// Generated crates and their rustdoc JSON
// ---------------------------------------------------------------------------------------------------

/// A generated fixture crate, written to its scratch workspace, with its rustdoc JSON.
#[derive(Debug, Clone)]
pub struct FixtureCrate {
    /// What messages call it (`pair/old`, a history file name).
    pub label: String,
    /// Hash of the generated files (and the toolchain): the scratch folder's name.
    pub key: String,
    /// The package folder (`…/crates/<key>/semver-fixture`), for probes' path dependencies.
    pub package_dir: PathBuf,
    /// The rustdoc JSON of the library (`…/crates/<key>/rustdoc.json`).
    pub rustdoc: PathBuf,
    /// Whether the rustdoc JSON was built now (false: kept from an earlier run).
    pub built: bool,
}

/// Serializes rustdoc builds: every fixture crate has the same library name, so each build's JSON lands
/// at the same `target/semver-agreement/target/doc/semver_fixture.json` and is copied out before the
/// next build starts.
static RUSTDOC_LOCK: Mutex<()> = Mutex::new(());

/// `rustc -vV`, part of every crate key (rustdoc JSON changes with the toolchain).
fn toolchain() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        Command::new(std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".into()))
            .arg("-vV")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    })
}

/// Generates the crate of `text` ([`fixture_options`]), writes it to its scratch workspace and builds
/// its rustdoc JSON, unless an earlier run left the JSON of the same files.
///
/// # Errors
///
/// A generation error or panic, a write failure, or a failed `cargo rustdoc` (with its output's tail).
pub fn build_crate(label: &str, text: &str, spec_file: &str) -> Result<FixtureCrate, String> {
    let files = match gen_support::generate_guarded(text.to_string(), fixture_options(spec_file)) {
        Outcome::Ok(out) => out.files,
        Outcome::Err(e) => return Err(format!("{label}: generation failed: {e}")),
        Outcome::Panic(p) => return Err(format!("{label}: the generator panicked: {p}")),
    };
    write_and_document(label, &files)
}

/// [`build_crate`] for files already generated.
///
/// # Errors
///
/// As [`build_crate`], without the generation.
pub fn write_and_document(
    label: &str,
    files: &BTreeMap<String, String>,
) -> Result<FixtureCrate, String> {
    let mut keyed = String::new();
    keyed.push_str(toolchain());
    keyed.push_str(&RUSTDOC_FLAGS.join(" "));
    for (path, text) in files {
        keyed.push_str(&format!("\0{path}\0{}\0", text.len()));
        keyed.push_str(text);
    }
    let key = generator::sha256_hex(&keyed)[..16].to_string();
    let ws = scratch_root().join("crates").join(&key);
    let package_dir = ws.join(CRATE_NAME);
    let rustdoc = ws.join("rustdoc.json");
    let done = FixtureCrate {
        label: label.to_string(),
        key,
        package_dir: package_dir.clone(),
        rustdoc: rustdoc.clone(),
        built: false,
    };
    // Written every time (only changed files are), so probes find the sources beside a kept JSON too.
    generator::write::write(files, &package_dir).map_err(|e| format!("{label}: {e}"))?;
    write_workspace(
        &ws,
        &format!("[workspace]\nresolver = \"2\"\nmembers = [{CRATE_NAME:?}]\n"),
    )?;
    if rustdoc.is_file() {
        return Ok(done);
    }
    let _guard = RUSTDOC_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let out_json = shared_target_dir()
        .join("doc")
        .join(format!("{LIB_NAME}.json"));
    // Twice at most: when cargo finds the crate fresh (documented by an earlier, interrupted run) it does
    // not run rustdoc, and the JSON in `target/doc` may be another crate's; touching `lib.rs` forces it.
    for attempt in 0..2 {
        let _ = std::fs::remove_file(&out_json);
        let out = scratch_cargo(&ws)
            .args([
                "rustdoc",
                "--offline",
                "--lib",
                "-p",
                CRATE_NAME,
                "--color",
                "never",
                "--",
            ])
            .args(RUSTDOC_FLAGS)
            .output()
            .map_err(|e| format!("{label}: running cargo rustdoc: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "{label}: cargo rustdoc failed in {}:\n{}",
                ws.display(),
                gen_support::tail(&String::from_utf8_lossy(&out.stderr), 6000)
            ));
        }
        if out_json.is_file() {
            let partial = ws.join("rustdoc.json.part");
            std::fs::copy(&out_json, &partial)
                .and_then(|_| std::fs::rename(&partial, &rustdoc))
                .map_err(|e| format!("{label}: copying {}: {e}", out_json.display()))?;
            return Ok(FixtureCrate {
                built: true,
                ..done
            });
        }
        if attempt == 0 {
            let lib = package_dir.join("src/lib.rs");
            std::fs::File::options()
                .append(true)
                .open(&lib)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()))
                .map_err(|e| format!("{label}: touching {}: {e}", lib.display()))?;
        }
    }
    Err(format!(
        "{label}: cargo rustdoc succeeded but wrote no {}",
        out_json.display()
    ))
}

/// A cargo command run in `dir` with the shared target dir and the flags cargo-semver-checks uses
/// (`RUSTC_BOOTSTRAP=1` for rustdoc's JSON output, `--cap-lints=allow` for rustc), whatever the
/// environment of the test says.
fn scratch_cargo(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target_dir())
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", "--cap-lints=allow")
        .env_remove("RUSTDOCFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTDOCFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTDOCFLAGS");
    cmd
}

/// Writes a scratch workspace's `Cargo.toml` (when it changed) and, once, a copy of the repository's
/// `Cargo.lock`, so dependency versions match the repository's build and nothing is resolved anew.
fn write_workspace(ws: &Path, manifest: &str) -> Result<(), String> {
    std::fs::create_dir_all(ws).map_err(|e| format!("{}: {e}", ws.display()))?;
    let path = ws.join("Cargo.toml");
    let text =
        format!("# Scratch workspace written by the tests crate; safe to delete.\n{manifest}");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let lock = ws.join("Cargo.lock");
    if !lock.exists() {
        let main_lock = crate::repo_root().join("Cargo.lock");
        std::fs::copy(&main_lock, &lock).map_err(|e| format!("{}: {e}", main_lock.display()))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// cargo-semver-checks' verdict
// ---------------------------------------------------------------------------------------------------

/// One lint cargo-semver-checks reported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lint {
    /// The lint id (`struct_pub_field_missing`).
    pub name: String,
    /// How it was reported: `failure` (denied: it decides the verdict) or `warning`.
    pub level: String,
    /// The release the lint asks for (`major` or `minor`, from `--list`; `?` when unknown).
    pub required_update: String,
}

impl Lint {
    /// `name` for a failing major lint, `name (minor warning)` and the like otherwise.
    pub fn label(&self) -> String {
        if self.level == "failure" && self.required_update == "major" {
            self.name.clone()
        } else {
            format!("{} ({} {})", self.name, self.required_update, self.level)
        }
    }
}

/// What cargo-semver-checks said about old → new, checked as a minor release.
#[derive(Debug, Clone)]
pub struct SemverVerdict {
    /// A major release is required: the new crate breaks the old one's users.
    pub major: bool,
    /// Every lint reported, failures and warnings, sorted.
    pub lints: Vec<Lint>,
    /// The `Summary` line.
    pub summary: String,
    /// The whole output (stdout, then stderr), for messages.
    pub output: String,
}

impl SemverVerdict {
    /// The lints that fail the check.
    pub fn failures(&self) -> impl Iterator<Item = &Lint> {
        self.lints.iter().filter(|l| l.level == "failure")
    }

    /// The lint labels joined with `, `, or `-`.
    pub fn lint_list(&self) -> String {
        if self.lints.is_empty() {
            "-".into()
        } else {
            self.lints
                .iter()
                .map(Lint::label)
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

/// Lint id → required update (`major`/`minor`), from `cargo-semver-checks semver-checks --list`.
fn lint_table(bin: &Path) -> &'static BTreeMap<String, String> {
    static TABLE: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let out = Command::new(bin)
            .args(["semver-checks", "--list"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        out.lines()
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let (id, kind) = (words.next()?, words.next()?);
                matches!(kind, "major" | "minor").then(|| (id.to_string(), kind.to_string()))
            })
            .collect()
    })
}

/// Runs `cargo-semver-checks semver-checks --baseline-rustdoc OLD --current-rustdoc NEW --release-type
/// minor` and reads its verdict.
///
/// # Errors
///
/// The tool could not run, or its output has neither a verdict nor a summary (a crash, unreadable JSON).
pub fn semver_check(bin: &Path, old: &Path, new: &Path) -> Result<SemverVerdict, String> {
    let out = Command::new(bin)
        .arg("semver-checks")
        .arg("--baseline-rustdoc")
        .arg(old)
        .arg("--current-rustdoc")
        .arg(new)
        .args(["--release-type", "minor", "--color", "never"])
        .current_dir(scratch_root())
        .output()
        .map_err(|e| format!("running {}: {e}", bin.display()))?;
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let table = lint_table(bin);
    let mut lints = Vec::new();
    let mut summary = String::new();
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("--- ") {
            let mut words = rest.split_whitespace();
            if let (Some(level @ ("failure" | "warning")), Some(name)) =
                (words.next(), words.next())
            {
                let name = name.trim_end_matches(':').to_string();
                let required_update = table.get(&name).cloned().unwrap_or_else(|| "?".into());
                lints.push(Lint {
                    name,
                    level: level.to_string(),
                    required_update,
                });
            }
        } else if let Some(rest) = line.strip_prefix("Summary") {
            summary = rest.trim().to_string();
        }
    }
    lints.sort();
    lints.dedup();
    let major = summary.contains("requires new major version");
    if summary.is_empty() || major == out.status.success() {
        return Err(format!(
            "cargo-semver-checks gave no readable verdict (exit {}):\n{}",
            out.status,
            gen_support::tail(&output, 6000)
        ));
    }
    Ok(SemverVerdict {
        major,
        lints,
        summary,
        output,
    })
}

// ---------------------------------------------------------------------------------------------------
// The generator's verdict
// ---------------------------------------------------------------------------------------------------

/// `generator diff`'s report on two spec texts (both loaded with `generator::load_api`, no overlays).
///
/// # Errors
///
/// Either text does not load.
pub fn diff_report(old: &str, new: &str) -> Result<Report, String> {
    generator::diff::diff_texts(old, new).map_err(|e| e.to_string())
}

/// A breaking change as a report line: `kind: location: message`.
pub fn change_line(change: &Change) -> String {
    format!("{}: {}", change.kind, change.line())
}

// ---------------------------------------------------------------------------------------------------
// Compile probes
// ---------------------------------------------------------------------------------------------------

/// How a probe compiled against one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// `cargo check` succeeded.
    Compiles,
    /// `cargo check` failed: the first errors.
    Fails(String),
}

impl ProbeOutcome {
    /// Whether the probe failed to compile.
    pub fn fails(&self) -> bool {
        matches!(self, ProbeOutcome::Fails(_))
    }
}

/// Compiles `source` (a probe: a library written against the old crate's API, naming it
/// [`LIB_NAME`]) with `cargo check` as a crate depending on `krate`, in the scratch workspace
/// `target/semver-agreement/probes/<name>/`.
///
/// # Errors
///
/// When cargo cannot run at all (a failed compilation is [`ProbeOutcome::Fails`]).
pub fn check_probe(name: &str, source: &str, krate: &FixtureCrate) -> Result<ProbeOutcome, String> {
    let ws = scratch_root().join("probes").join(name);
    let manifest = format!(
        "[package]\nname = \"semver-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [lib]\npath = \"probe.rs\"\n\n[dependencies]\n{CRATE_NAME} = {{ path = {:?} }}\n\n[workspace]\n",
        krate.package_dir.display().to_string()
    );
    write_workspace(&ws, &manifest)?;
    let probe = ws.join("probe.rs");
    let text = format!("//! A compile probe of the semver agreement suite.\n{source}");
    if std::fs::read_to_string(&probe).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&probe, text).map_err(|e| format!("{}: {e}", probe.display()))?;
    }
    let out = scratch_cargo(&ws)
        .args([
            "check",
            "--offline",
            "--lib",
            "--color",
            "never",
            "--message-format",
            "short",
        ])
        .output()
        .map_err(|e| format!("{name}: running cargo check: {e}"))?;
    if out.status.success() {
        return Ok(ProbeOutcome::Compiles);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("error"))
        .take(6)
        .collect();
    Ok(ProbeOutcome::Fails(if errors.is_empty() {
        gen_support::tail(&stderr, 2000).to_string()
    } else {
        errors.join("\n")
    }))
}
