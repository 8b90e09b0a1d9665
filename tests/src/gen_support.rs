//! Helpers shared by the generator suites (golden, hostile, determinism, history, proptest): guarded
//! generation (own thread with a modest stack, panics caught), fixture listing, and a scratch workspace of
//! generated crates that one `cargo check` compiles with a shared target dir.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::{Options, Output};

/// Stack size of the thread the generator runs on: deep specs must fail cleanly within it.
pub const STACK: usize = 8 * 1024 * 1024;

/// The cargo target folder the test binaries live in.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if Path::new(&d).is_absolute() => PathBuf::from(d),
        Some(d) => crate::repo_root().join(d),
        None => crate::repo_root().join("target"),
    }
}

/// Where the suites put generated crates: `target/golden-build/`.
pub fn build_root() -> PathBuf {
    target_dir().join("golden-build")
}

/// The `generator` binary, when it has been built (`cargo build -p generator`).
pub fn generator_bin() -> Option<PathBuf> {
    let exe = format!("generator{}", std::env::consts::EXE_SUFFIX);
    let path = target_dir().join("debug").join(exe);
    path.is_file().then_some(path)
}

/// Spec files (`.json`, `.yaml`, `.yml`) in `dir`, sorted by name, as (stem, path).
pub fn spec_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            )
        })
        .map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            (stem, p)
        })
        .collect();
    out.sort();
    out
}

/// The golden fixture specs (`tests/fixtures/golden/`).
pub fn golden_fixtures() -> Vec<(String, PathBuf)> {
    spec_files(&crate::repo_root().join("tests/fixtures/golden"))
}

/// Reads a file as text (lossy for invalid UTF-8, so that hostile bytes reach the generator).
pub fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A package name from a fixture name: `prefix-name`, with anything but ASCII letters, digits, `-` and `_`
/// replaced.
pub fn package_name(prefix: &str, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{clean}")
}

/// Options for a fixture crate: its package name and the spec path recorded in headers.
pub fn options(crate_name: &str, spec_file: &str) -> Options {
    let mut options = Options {
        spec_file: spec_file.to_string(),
        ..Options::default()
    };
    options.profile.krate.name = crate_name.to_string();
    options
}

/// How a guarded generation ended.
#[derive(Debug)]
pub enum Outcome {
    /// `generate` returned files.
    Ok(Box<Output>),
    /// `generate` returned an error (its message).
    Err(String),
    /// `generate` panicked (the panic message) — always a bug.
    Panic(String),
}

/// Runs `generator::generate` on a thread with an [`STACK`]-sized stack, catching panics. A stack overflow
/// aborts the whole test process, which fails the run as loudly as a test failure.
pub fn generate_guarded(text: String, options: Options) -> Outcome {
    let handle = std::thread::Builder::new()
        .name("generate".into())
        .stack_size(STACK)
        .spawn(move || {
            match catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &options))) {
                Ok(Ok(out)) => Outcome::Ok(Box::new(out)),
                Ok(Err(e)) => Outcome::Err(e.to_string()),
                Err(payload) => Outcome::Panic(panic_message(payload.as_ref())),
            }
        })
        .expect("spawn generator thread");
    match handle.join() {
        Ok(outcome) => outcome,
        Err(payload) => Outcome::Panic(panic_message(payload.as_ref())),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".into())
}

/// Files of an emitted crate a golden stores: `Cargo.toml`, `src/lib.rs`, `src/models/` and `src/apis/` —
/// what the spec shapes. The runtime modules, README and examples are the same for every fixture (they are
/// still generated and compiled by the compile check).
pub fn golden_subset(files: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    files
        .iter()
        .filter(|(path, _)| {
            *path == "Cargo.toml"
                || *path == "src/lib.rs"
                || path.starts_with("src/models/")
                || path.starts_with("src/apis/")
        })
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect()
}

/// Diagnostics in generated code that are known and tracked elsewhere (render/templates, owned by the
/// lead): (lint code, message substring). Any other warning, lint or error fails a check.
pub const KNOWN_DIAGNOSTICS: &[(&str, &str)] = &[];

/// A scratch Cargo workspace of generated crates under [`build_root`], compiled by one cargo invocation
/// with the shared target dir `target/golden-build/target` (dependencies compile once for every suite).
pub struct CheckWorkspace {
    dir: PathBuf,
    /// (member folder = package name, label for messages).
    members: Vec<(String, String)>,
}

/// What a check found in one crate.
#[derive(Debug, Default)]
pub struct CrateReport {
    /// Rendered diagnostics that fail the check.
    pub failures: Vec<String>,
    /// Known diagnostics ([`KNOWN_DIAGNOSTICS`]) seen, by code.
    pub known: BTreeMap<String, usize>,
}

impl CheckWorkspace {
    /// A workspace in `target/golden-build/<name>/`.
    pub fn new(name: &str) -> Self {
        let dir = build_root().join(name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        CheckWorkspace {
            dir,
            members: Vec::new(),
        }
    }

    /// Adds a generated crate (whose `Cargo.toml` names package `package`); `label` names it in messages.
    /// Only changed files are written, so cargo's fingerprints stay valid between runs.
    pub fn add(&mut self, package: &str, label: &str, files: &BTreeMap<String, String>) {
        let dir = self.dir.join(package);
        generator::write::write(files, &dir).unwrap_or_else(|e| panic!("{label}: {e}"));
        self.members.push((package.to_string(), label.to_string()));
    }

    /// Number of crates added.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether no crate was added.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Compiles every member with one `cargo clippy` (or `cargo check` when clippy is not installed, or
    /// when `lints` is false) with `--offline --workspace --keep-going`, every rustc warning and clippy's
    /// default lints enabled. Returns the tool used and a report per crate label; panics only when cargo
    /// itself cannot run.
    pub fn compile(&self, lints: bool) -> (&'static str, BTreeMap<String, CrateReport>, String) {
        self.write_manifest();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let tool = if lints && clippy_available(&cargo) {
            "clippy"
        } else {
            "check"
        };
        let out = Command::new(&cargo)
            .arg(tool)
            .args([
                "--offline",
                "--workspace",
                "--keep-going",
                "--message-format",
                "json",
            ])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", build_root().join("target"))
            .output()
            .unwrap_or_else(|e| panic!("running cargo in {}: {e}", self.dir.display()));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut reports: BTreeMap<String, CrateReport> = self
            .members
            .iter()
            .map(|(_, label)| (label.clone(), CrateReport::default()))
            .collect();
        let mut success = out.status.success();
        for line in stdout.lines() {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            match msg["reason"].as_str() {
                Some("build-finished") => success &= msg["success"].as_bool().unwrap_or(false),
                Some("compiler-message") => {}
                _ => continue,
            }
            let manifest = msg["manifest_path"].as_str().unwrap_or_default();
            let Some((_, label)) = self.members.iter().find(|(m, _)| {
                Path::new(manifest).parent().and_then(Path::file_name) == Some(m.as_ref())
            }) else {
                continue;
            };
            let m = &msg["message"];
            let level = m["level"].as_str().unwrap_or_default();
            let text = m["message"].as_str().unwrap_or_default();
            let code = m["code"]["code"].as_str().unwrap_or_default();
            if level == "error" && text.starts_with("aborting due to") {
                continue;
            }
            if !matches!(level, "error" | "warning") {
                continue;
            }
            let report = reports.entry(label.clone()).or_default();
            if let Some((k, _)) = KNOWN_DIAGNOSTICS
                .iter()
                .find(|(k, sub)| *k == code && text.contains(sub))
            {
                *report.known.entry((*k).to_string()).or_default() += 1;
                continue;
            }
            let rendered = m["rendered"].as_str().unwrap_or(text);
            report.failures.push(rendered.to_string());
        }
        if !success && reports.values().all(|r| r.failures.is_empty()) {
            reports
                .entry("(cargo)".into())
                .or_default()
                .failures
                .push(format!("cargo {tool} failed:\n{}", tail(&stderr, 8000)));
        }
        (tool, reports, stderr)
    }

    /// [`CheckWorkspace::compile`], then a panic naming every crate with a failure and its diagnostics.
    /// Returns a summary (tool, known diagnostics seen).
    pub fn assert_compiles(&self, lints: bool) -> String {
        let (tool, reports, _) = self.compile(lints);
        let failed: Vec<String> = reports
            .iter()
            .filter(|(_, r)| !r.failures.is_empty())
            .map(|(label, r)| {
                let shown: Vec<&str> = r.failures.iter().take(15).map(String::as_str).collect();
                format!(
                    "=== {label}: {} diagnostic(s) from cargo {tool}\n{}",
                    r.failures.len(),
                    shown.join("\n")
                )
            })
            .collect();
        assert!(
            failed.is_empty(),
            "{} of {} generated crates in {} fail `cargo {tool}` (warnings count):\n{}",
            failed.len(),
            self.members.len(),
            self.dir.display(),
            tail(&failed.join("\n"), 60_000)
        );
        let mut known: BTreeMap<&str, usize> = BTreeMap::new();
        for r in reports.values() {
            for (k, n) in &r.known {
                *known.entry(k.as_str()).or_default() += n;
            }
        }
        format!(
            "cargo {tool}: {} crates clean; known diagnostics tolerated: {known:?}",
            self.members.len()
        )
    }

    fn write_manifest(&self) {
        let members: Vec<String> = self
            .members
            .iter()
            .map(|(m, _)| format!("    {m:?},"))
            .collect();
        let manifest = format!(
            "# Scratch workspace written by the tests crate; safe to delete.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
            members.join("\n")
        );
        write_if_changed(&self.dir.join("Cargo.toml"), &manifest);
        // The same dependency versions as the repository's own build (and no network needed).
        let lock = self.dir.join("Cargo.lock");
        if !lock.exists() {
            let main_lock = crate::repo_root().join("Cargo.lock");
            std::fs::copy(&main_lock, &lock)
                .unwrap_or_else(|e| panic!("{}: {e}", main_lock.display()));
        }
        // Folders of crates no longer in the workspace.
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if e.path().is_dir() && !self.members.iter().any(|(m, _)| *m == name) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
}

fn clippy_available(cargo: &str) -> bool {
    Command::new(cargo)
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// The last `max` bytes of `s` (at a char boundary).
pub fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}
/// The expected outcome of every file in `tests/fixtures/hostile/`, read from the `<file>.expect` beside it:
/// `ok` (generates output that compiles) or `error: <text the message must contain>`. Sorted by file name.
pub fn hostile_expectations() -> Vec<(String, String)> {
    let dir = crate::repo_root().join("tests/fixtures/hostile");
    let mut out = Vec::new();
    for (_, path) in spec_files(&dir) {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let expect_path = dir.join(format!("{file}.expect"));
        let expect = std::fs::read_to_string(&expect_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (every hostile fixture needs its expectation)",
                expect_path.display()
            )
        });
        out.push((file, expect.trim().to_string()));
    }
    out
}

/// Hostile specs made in memory rather than committed (too large, or trivially generated):
/// (name, expectation as in [`hostile_expectations`], spec text).
pub fn synthesized_hostile() -> Vec<(String, &'static str, String)> {
    let base = |schemas: serde_json::Value, description: &str| {
        serde_json::json!({
            "openapi": "3.1.0",
            "info": {"title": "Synthesized", "version": "1", "description": description},
            "paths": {"/x": {"get": {
                "operationId": "get_x",
                "description": description,
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Big"}}}}}
            }}},
            "components": {"schemas": schemas}
        })
        .to_string()
    };
    // About 1 MiB of prose with every construct the doc sanitizer rewrites.
    let chunk = "Line with [link] <tag> `code` https://example.com/x */ {{ t }} \u{202e}bidi\r\n";
    let mut huge = String::new();
    while huge.len() < 1 << 20 {
        huge.push_str(chunk);
    }
    let big = serde_json::json!({"Big": {"type": "object", "description": huge,
        "properties": {"a": {"type": "string", "description": huge}}}});
    let fences: String = (0..20_000)
        .map(|i| if i % 3 == 0 { "```rust\n" } else { "x\n" })
        .collect();
    let fence_storm = serde_json::json!({"Big": {"type": "object", "description": fences, "properties": {"a": {"type": "string"}}}});
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_yaml = format!(
        "openapi: 3.1.0\ninfo: {{title: x, version: '1'}}\npaths: {{}}\nx-deep: {}{}\n",
        "[".repeat(YAML_DEPTH),
        "]".repeat(YAML_DEPTH)
    );
    let deep_spec = format!(
        "{{\"openapi\": \"3.1.0\", \"info\": {{\"title\": \"x\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"D\": {}{{\"type\": \"string\"}}{}}}}}}}",
        "{\"type\": \"array\", \"items\": ".repeat(10_000),
        "}".repeat(10_000)
    );
    vec![
        ("huge_description_1mib".into(), "ok", base(big, &huge)),
        ("fence_storm".into(), "ok", base(fence_storm, &fences)),
        (
            "deep_json_100k".into(),
            "error: recursion limit exceeded",
            deep_json,
        ),
        (
            format!("deep_yaml_{YAML_DEPTH}"),
            "error: nested deeper than",
            deep_yaml,
        ),
        (
            "deep_items_10k".into(),
            "error: recursion limit exceeded",
            deep_spec,
        ),
    ]
}

/// Depth of the synthesized deeply nested YAML flow sequence.
pub const YAML_DEPTH: usize = 100_000;

/// Every hostile spec expected to generate (`ok`), as (name, text), committed and synthesized.
pub fn hostile_ok_specs() -> Vec<(String, String)> {
    let dir = crate::repo_root().join("tests/fixtures/hostile");
    let mut out: Vec<(String, String)> = hostile_expectations()
        .into_iter()
        .filter(|(_, e)| e == "ok")
        .map(|(f, _)| {
            let stem = f
                .rsplit_once('.')
                .map_or(f.as_str(), |(s, _)| s)
                .to_string();
            let text = read_text(&dir.join(&f));
            (stem, text)
        })
        .collect();
    out.extend(
        synthesized_hostile()
            .into_iter()
            .filter(|(_, e, _)| *e == "ok")
            .map(|(n, _, t)| (n, t)),
    );
    out
}

/// The operations of a document: one per method of each path item.
pub fn spec_operations(text: &str) -> usize {
    let doc: serde_json::Value = generator::load::load(text).expect("the document parses");
    doc["paths"]
        .as_object()
        .map(|paths| {
            paths
                .values()
                .filter_map(|item| item.as_object())
                .map(|item| {
                    item.keys()
                        .filter(|k| {
                            matches!(
                                k.as_str(),
                                "get"
                                    | "put"
                                    | "post"
                                    | "delete"
                                    | "options"
                                    | "head"
                                    | "patch"
                                    | "trace"
                            )
                        })
                        .count()
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The operation ids the generated API modules send (`req.operation("<id>", …)`).
pub fn generated_operations(
    files: &BTreeMap<String, String>,
) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    for (path, text) in files {
        if !path.starts_with("src/apis/") {
            continue;
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find("req.operation(") {
            rest = &rest[at + "req.operation(".len()..];
            let Some(open) = rest.find('"') else { break };
            let Some(len) = rest[open + 1..].find('"') else {
                break;
            };
            ids.insert(rest[open + 1..open + 1 + len].to_string());
        }
    }
    ids
}
