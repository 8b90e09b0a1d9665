//! Robustness on later Letta documents: every spec in `../shared/specs/history/` (up to 302 operations and
//! 347 schemas) generates an SDK that compiles without warnings under `cargo clippy` (clippy's default
//! lints; `cargo check` when clippy is not installed). Skipped, with a note, when `../shared` is absent.

use tests::gen_support;

use gen_support::{CheckWorkspace, Outcome, generate_guarded, package_name, read_text, spec_files};

#[test]
fn history_specs_generate_sdks_that_compile() {
    let Some(shared) = tests::shared_dir() else {
        eprintln!(
            "skipped: ../shared is absent (the history specs live in ../shared/specs/history/)"
        );
        return;
    };
    let dir = shared.join("specs/history");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let specs = spec_files(&dir);
    assert!(!specs.is_empty(), "{} holds no specs", dir.display());
    let mut ws = CheckWorkspace::new("history");
    let mut failures = Vec::new();
    for (name, path) in &specs {
        let package = package_name("history", name);
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        match generate_guarded(read_text(path), gen_support::options(&package, &file)) {
            Outcome::Ok(out) => {
                let ops = out
                    .files
                    .keys()
                    .filter(|k| k.starts_with("src/apis/"))
                    .count();
                assert!(ops > 1, "{name}: no API modules generated");
                let want = gen_support::spec_operations(&read_text(path));
                let got = gen_support::generated_operations(&out.files).len();
                assert_eq!(got, want, "{name}: every operation is generated");
                ws.add(&package, name, &out.files);
            }
            Outcome::Err(e) => failures.push(format!("{name}: {e}")),
            Outcome::Panic(p) => failures.push(format!("{name}: PANIC {p}")),
        }
    }
    assert!(
        failures.is_empty(),
        "history specs fail to generate:\n{}",
        failures.join("\n")
    );
    let summary = ws.assert_compiles(true);
    eprintln!("{} history specs: {summary}", specs.len());
}
