//! Hostile input: every broken or adversarial spec ends in a clear error (a message with a JSON pointer or a
//! line and column) or in output that compiles (the golden suite's compile check builds those) — never a
//! panic, never a stack overflow. The expected outcome of each file is in the `<file>.expect` beside it.

use tests::gen_support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use gen_support::{
    Outcome, generate_guarded, hostile_expectations, read_text, synthesized_hostile,
};

fn hostile_dir() -> std::path::PathBuf {
    tests::repo_root().join("tests/fixtures/hostile")
}

/// True when `message` says where the problem is: a JSON pointer (`#/…`, or `#` for the whole document)
/// or a 1-based line and column.
fn locates(message: &str) -> bool {
    if message.contains("#/") || message.starts_with("#:") {
        return true;
    }
    let Some(rest) = message.split("line ").nth(1) else {
        return false;
    };
    let digits = |s: &str| -> Option<usize> {
        let n: String = s.chars().take_while(char::is_ascii_digit).collect();
        n.parse().ok()
    };
    let Some(line) = digits(rest) else {
        return false;
    };
    let Some(col) = rest.split(", column ").nth(1).and_then(digits) else {
        return false;
    };
    line >= 1 && col >= 1
}

/// Checks one outcome against its expectation; returns a problem description.
fn judge(name: &str, expect: &str, outcome: &Outcome) -> Option<String> {
    match (expect, outcome) {
        (_, Outcome::Panic(msg)) => Some(format!("{name}: PANIC: {msg}")),
        ("ok", Outcome::Ok(out)) => {
            let rs = out.files.keys().filter(|p| p.ends_with(".rs")).count();
            (rs == 0).then(|| format!("{name}: generated no Rust files"))
        }
        ("ok", Outcome::Err(e)) => Some(format!("{name}: expected output, got error: {e}")),
        (exp, Outcome::Ok(_)) => Some(format!("{name}: expected `{exp}`, but it generated")),
        (exp, Outcome::Err(e)) => {
            let want = exp.strip_prefix("error: ").unwrap_or(exp);
            if !e.contains(want) {
                Some(format!(
                    "{name}: expected an error containing `{want}`, got: {e}"
                ))
            } else if !locates(e) {
                Some(format!(
                    "{name}: the error names no JSON pointer or line/column: {e}"
                ))
            } else {
                None
            }
        }
    }
}

#[test]
fn table_covers_every_file() {
    let entries: Vec<String> = std::fs::read_dir(hostile_dir())
        .expect("tests/fixtures/hostile")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    let files: BTreeSet<&str> = entries
        .iter()
        .map(String::as_str)
        .filter(|f| !f.ends_with(".expect"))
        .collect();
    // Every expectation belongs to a fixture (a stale one would be read by nobody), and every fixture has
    // one (`hostile_expectations` panics naming the fixture otherwise).
    let stale: Vec<&str> = entries
        .iter()
        .filter_map(|f| f.strip_suffix(".expect"))
        .filter(|f| !files.contains(f))
        .collect();
    assert!(
        stale.is_empty(),
        "expectations without a fixture: {stale:?}"
    );
    let table = hostile_expectations();
    assert_eq!(
        table.len(),
        files.len(),
        "every fixture is a .json or .yaml spec with its .expect"
    );
    assert!(
        files.len() >= 30,
        "the hostile corpus has only {} files",
        files.len()
    );
    for (f, e) in &table {
        assert!(
            e == "ok" || e.starts_with("error: "),
            "{f}: expectation must be `ok` or `error: <substring>`, not {e:?}"
        );
    }
}

#[test]
fn every_hostile_file_has_its_expected_outcome() {
    let dir = hostile_dir();
    let mut problems = Vec::new();
    let mut summary = Vec::new();
    for (file, expect) in hostile_expectations() {
        let (file, expect) = (file.as_str(), expect.as_str());
        let path = dir.join(file);
        let outcome = generate_guarded(read_text(&path), gen_support::options("hostile", file));
        summary.push(format!(
            "{file}: {}",
            match &outcome {
                Outcome::Ok(_) => "ok".to_string(),
                Outcome::Err(e) => format!("error: {}", e.chars().take(100).collect::<String>()),
                Outcome::Panic(p) => format!("PANIC {p}"),
            }
        ));
        problems.extend(judge(file, expect, &outcome));
    }
    eprintln!("{}", summary.join("\n"));
    assert!(
        problems.is_empty(),
        "hostile specs:\n{}",
        problems.join("\n")
    );
}

#[test]
fn synthesized_hostile_specs_have_their_expected_outcome() {
    let mut problems = Vec::new();
    for (name, expect, text) in synthesized_hostile() {
        let t = std::time::Instant::now();
        let outcome = generate_guarded(text, gen_support::options("hostile", &name));
        eprintln!("{name}: {:?}", t.elapsed());
        problems.extend(judge(&name, expect, &outcome));
    }
    assert!(
        problems.is_empty(),
        "synthesized hostile specs:\n{}",
        problems.join("\n")
    );
}

#[test]
fn huge_description_stays_documentation() {
    let (_, _, text) = synthesized_hostile()
        .into_iter()
        .find(|(n, _, _)| n == "huge_description_1mib")
        .expect("the 1 MiB case");
    assert!(text.len() > 2 << 20, "the spec carries 1 MiB descriptions");
    let Outcome::Ok(out) = generate_guarded(text, gen_support::options("hostile", "big")) else {
        panic!("the 1 MiB description must generate");
    };
    let model = out
        .files
        .iter()
        .find(|(p, _)| p.starts_with("src/models/big"))
        .map(|(_, t)| t)
        .expect("a model file for `Big`");
    assert!(model.len() > 1 << 20, "the description reaches the docs");
    assert!(
        !model.contains('\u{202e}') && !model.contains('\r'),
        "bidi controls and CR removed"
    );
    assert!(!model.contains("[link]"), "brackets escaped");
}

/// Runs the `generator` binary on bad specs: exit code 2 and a message on stderr, nothing written.
#[test]
fn binary_exits_2_with_a_message() {
    let Some(bin) = gen_support::generator_bin() else {
        eprintln!("skipped: target/debug/generator is not built (cargo build -p generator)");
        return;
    };
    let dir = hostile_dir();
    let out_dir = gen_support::build_root().join("hostile-cli-out");
    let _ = std::fs::remove_dir_all(&out_dir);
    for (file, want) in [
        ("truncated.json", "line 1, column"),
        ("swagger2.json", "#/swagger"),
        ("dangling_ref.json", "#/paths/~1x/get/responses/200"),
        ("empty.json", "the spec is empty"),
        ("yaml_syntax.yaml", "line 4, column"),
    ] {
        for check in [true, false] {
            let mut cmd = Command::new(&bin);
            cmd.arg("--spec")
                .arg(dir.join(file))
                .arg("--out")
                .arg(&out_dir);
            if check {
                cmd.arg("--check");
            }
            let out = cmd.output().expect("run generator");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{file} (check: {check}): exit code {:?}, stderr: {stderr}",
                out.status.code()
            );
            assert!(
                stderr.contains("error: ") && stderr.contains(want),
                "{file}: stderr lacks `{want}`: {stderr}"
            );
            assert!(
                !Path::new(&out_dir).exists(),
                "{file}: the generator wrote output"
            );
        }
    }
}
