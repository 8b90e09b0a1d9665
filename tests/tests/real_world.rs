//! Robustness on API descriptions nobody here wrote: every document in `../shared/specs/real-world/`
//! (GitHub's REST API, 767 operations; Oxide's Nexus, 193) generates an SDK with every operation of the
//! document, and the SDKs compile without warnings under `cargo clippy`. Skipped, with a note, when
//! `../shared` is absent (CI has it, so there it always runs).

use tests::gen_support;

use gen_support::{
    CheckWorkspace, Outcome, generate_guarded, generated_operations, package_name, read_text,
    spec_files, spec_operations,
};

#[test]
fn real_world_documents_generate_every_operation_and_compile() {
    let Some(shared) = tests::shared_dir() else {
        eprintln!(
            "skipped: ../shared is absent (the documents live in ../shared/specs/real-world/)"
        );
        return;
    };
    let dir = shared.join("specs/real-world");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let specs = spec_files(&dir);
    assert!(
        specs.len() >= 2,
        "{} holds the GitHub and Nexus documents",
        dir.display()
    );
    let mut ws = CheckWorkspace::new("real-world");
    let mut failures = Vec::new();
    for (name, path) in &specs {
        let package = package_name("real-world", name);
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = read_text(path);
        let want = spec_operations(&text);
        match generate_guarded(text, gen_support::options(&package, &file)) {
            Outcome::Ok(out) => {
                let got = generated_operations(&out.files).len();
                if got != want {
                    failures.push(format!("{name}: {got} of {want} operations generated"));
                }
                eprintln!("{name}: {got} operations, {} files", out.files.len());
                ws.add(&package, name, &out.files);
            }
            Outcome::Err(e) => failures.push(format!("{name}: {e}")),
            Outcome::Panic(p) => failures.push(format!("{name}: PANIC {p}")),
        }
    }
    assert!(
        failures.is_empty(),
        "real-world documents fail:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        generator::printer::fallbacks(),
        0,
        "the fragment printer wrote some fragment of a real-world document with tokens that differ from quote's"
    );
    let summary = ws.assert_compiles(true);
    eprintln!("{} real-world documents: {summary}", specs.len());
}
