//! `generator diff`'s verdict against cargo-semver-checks' verdict on the two SDK crates generated from a
//! pair of specs.
//!
//! - `fixture_pairs_agree`: every pair in `tests/fixtures/semver/<pair>/` (`old.yaml`, `new.yaml`,
//!   `expect.txt`, optional `probe.rs`). The referee says "breaking" when cargo-semver-checks requires a
//!   major release, or when the pair's probe (a user program written against the old crate) no longer
//!   compiles against the new crate: cargo-semver-checks has no lint for a changed field or parameter type.
//! - `history_pairs_agree`: consecutive Letta documents in `../shared/specs/history/`: whatever
//!   cargo-semver-checks finds, `generator diff` must find too, and what only diff finds must be of a kind
//!   cargo-semver-checks cannot see ([`UNDETECTABLE_KINDS`]).
//!
//! Both need cargo-semver-checks (`target/tools/bin/` or `PATH`); when it is missing they install it into
//! `target/tools/` first. See `tests/README.md`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use generator::diff::Report;
use tests::semver_support::{
    self, FixtureCrate, ProbeOutcome, SemverVerdict, build_crate, change_line, check_probe,
    diff_report, semver_check,
};

/// Kinds of `generator diff` changes (`Change::kind`) that cargo-semver-checks cannot detect on the
/// generated crates: a changed type behind an unchanged name and arity (a field's, a setter's or an
/// argument's type, `T` ↔ `Option<T>`, an alias target, a union variant's payload, what `.send()`
/// returns), and impls it does not track (a hand-written `Default` or `From`). A pair that diff calls
/// breaking while cargo-semver-checks does not may only hold these (and a probe shows the break).
///
/// `method_arguments_changed` and `constructor_changed` are here for the type-only case; a changed
/// count is also caught by cargo-semver-checks (`method_parameter_count_changed`).
const UNDETECTABLE_KINDS: &[&str] = &[
    "field_type_changed",
    "setter_changed",
    "type_changed",
    "enum_variant_changed",
    "output_changed",
    "builder_renamed",
    "trait_impl_removed",
    "method_arguments_changed",
    "constructor_changed",
];

/// One fixture pair, read from its folder.
struct Pair {
    name: String,
    old: String,
    new: String,
    /// `true` for `breaking`, `false` for `compatible`.
    expect_breaking: bool,
    probe: Option<String>,
}

fn fixture_pairs() -> Vec<Pair> {
    let root = tests::repo_root().join("tests/fixtures/semver");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    dirs.into_iter()
        .map(|dir| {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let expect = read(dir.join("expect.txt"));
            let verdicts: Vec<&str> = expect
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            let expect_breaking = match verdicts.as_slice() {
                ["breaking"] => true,
                ["compatible"] => false,
                other => panic!(
                    "{name}/expect.txt: want one line `breaking` or `compatible` (plus `#` comments), got {other:?}"
                ),
            };
            let probe_path = dir.join("probe.rs");
            Pair {
                old: read(dir.join("old.yaml")),
                new: read(dir.join("new.yaml")),
                probe: probe_path.is_file().then(|| read(probe_path)),
                expect_breaking,
                name,
            }
        })
        .collect()
}

fn verdict(breaking: bool) -> &'static str {
    if breaking { "breaking" } else { "compatible" }
}

/// The breaking lines of a report, indented, for messages.
fn breaking_lines(report: &Report) -> String {
    if report.breaking.is_empty() {
        return "      (none)".into();
    }
    report
        .breaking
        .iter()
        .map(|c| format!("      {}", change_line(c)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fixture_pairs_agree() {
    let bin = semver_support::semver_checks_or_install("fixture_pairs_agree");
    let started = Instant::now();
    let pairs = fixture_pairs();
    assert!(
        pairs.len() >= 14,
        "tests/fixtures/semver holds {} pairs; the suite wants at least 14",
        pairs.len()
    );
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    let mut built = 0;
    for pair in &pairs {
        let name = &pair.name;
        let report =
            diff_report(&pair.old, &pair.new).unwrap_or_else(|e| panic!("{name}: diff: {e}"));
        let diff_breaking = report.is_breaking();
        let crates: Result<(FixtureCrate, FixtureCrate), String> = (|| {
            let old = build_crate(&format!("{name}/old"), &pair.old, "openapi.yaml")?;
            let new = build_crate(&format!("{name}/new"), &pair.new, "openapi.yaml")?;
            Ok((old, new))
        })();
        let (old, new) = match crates {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        built += usize::from(old.built) + usize::from(new.built);
        let semver: SemverVerdict = match semver_check(&bin, &old.rustdoc, &new.rustdoc) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        // The probe: must compile against the old crate; "breaks this user" = fails against the new one.
        let mut probe_errors = String::new();
        let (probe_cell, probe_breaks) = match &pair.probe {
            None => ("-".to_string(), false),
            Some(src) => {
                let on_old = check_probe(&format!("{name}-old"), src, &old)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let on_new = check_probe(&format!("{name}-new"), src, &new)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                if let ProbeOutcome::Fails(errors) = &on_old {
                    failures.push(format!(
                        "{name}: probe.rs does not compile against the OLD crate (fix the probe):\n{errors}"
                    ));
                    ("broken".to_string(), false)
                } else {
                    match &on_new {
                        ProbeOutcome::Compiles => ("compiles on new".to_string(), false),
                        ProbeOutcome::Fails(errors) => {
                            probe_errors = errors.clone();
                            ("FAILS on new".to_string(), true)
                        }
                    }
                }
            }
        };
        let referee_breaking = semver.major || probe_breaks;
        rows.push([
            name.clone(),
            verdict(pair.expect_breaking).into(),
            verdict(diff_breaking).into(),
            format!(
                "{}{}",
                if semver.major { "MAJOR: " } else { "" },
                semver.lint_list()
            ),
            probe_cell,
        ]);
        let mut problems = Vec::new();
        if pair.expect_breaking != diff_breaking {
            problems.push(format!(
                "(a) expect.txt says {} but generator diff says {}",
                verdict(pair.expect_breaking),
                verdict(diff_breaking)
            ));
        }
        if diff_breaking != referee_breaking {
            problems.push(format!(
                "(b) generator diff says {} but the referee (cargo-semver-checks{}) says {}",
                verdict(diff_breaking),
                if pair.probe.is_some() { " + probe" } else { "" },
                verdict(referee_breaking)
            ));
        }
        if semver.major && !diff_breaking {
            problems.push(
                "(c) cargo-semver-checks requires a major release but generator diff finds nothing breaking"
                    .to_string(),
            );
        }
        if diff_breaking && !semver.major && !probe_breaks {
            problems.push(format!(
                "(d) only generator diff finds a break: {}",
                match &pair.probe {
                    None => "add a probe.rs that the new crate breaks, or the break is not real",
                    Some(_) => "the probe still compiles against the new crate",
                }
            ));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}:\n  {}\n  cargo-semver-checks: {} — lints: {}\n  probe: {}{}\n  diff breaking:\n{}",
                problems.join("\n  "),
                semver.summary,
                semver.lint_list(),
                rows.last().map_or("-", |r| r[4].as_str()),
                if probe_errors.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", probe_errors.replace('\n', "; "))
                },
                breaking_lines(&report)
            ));
        }
    }
    print_table(
        &[
            "pair",
            "expect",
            "diff",
            "cargo-semver-checks lints",
            "probe",
        ],
        &rows,
    );
    eprintln!(
        "{} pairs in {:.1} s ({built} crates documented now, the others kept from earlier runs)",
        pairs.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} semver pairs disagree:\n\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n\n")
    );
}

fn print_table(header: &[&str; 5], rows: &[[String; 5]]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        eprintln!("| {} |", padded.join(" | "));
    };
    line(header.to_vec());
    line(widths.iter().map(|_| "---").collect());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

#[test]
fn history_pairs_agree() {
    let Some(shared) = tests::shared_dir() else {
        eprintln!(
            "skipped history_pairs_agree: ../shared is absent (the documents live in ../shared/specs/history/)"
        );
        return;
    };
    let dir = shared.join("specs/history");
    if !dir.is_dir() {
        eprintln!("skipped history_pairs_agree: {} is absent", dir.display());
        return;
    }
    let bin = semver_support::semver_checks_or_install("history_pairs_agree");
    let started = Instant::now();
    // 0.7.10 (the oldest), then the history documents in date order; and 0.7.10 → 0.16.8, the upgrade
    // from `letta-api-0-7` to `letta-api` (0.16.8 is a release branch, not a point in the history line).
    let history = tests::gen_support::spec_files(&dir);
    assert!(
        history.len() >= 2,
        "{} holds fewer than two documents",
        dir.display()
    );
    let pinned = |name: &str| {
        let path = shared.join("specs").join(format!("{name}.json"));
        path.is_file().then(|| (name.to_string(), path))
    };
    let oldest = pinned("letta-0.7.10");
    let current = pinned("letta-0.16.8");
    let mut docs: Vec<(String, PathBuf)> = oldest.iter().cloned().collect();
    docs.extend(history);
    let mut pairs: Vec<(usize, usize)> = (1..docs.len()).map(|i| (i - 1, i)).collect();
    if let (Some(_), Some(c)) = (&oldest, current) {
        docs.push(c);
        pairs.push((0, docs.len() - 1));
    }
    // Each document's crate once, in order.
    let mut apis: Vec<generator::ir::Api> = Vec::new();
    let mut crates: Vec<FixtureCrate> = Vec::new();
    for (name, path) in &docs {
        let text = tests::gen_support::read_text(path);
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let t = Instant::now();
        let krate = build_crate(name, &text, &file).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "{name}: crate {} ({}, {:.1} s)",
            krate.key,
            if krate.built {
                "documented now"
            } else {
                "kept"
            },
            t.elapsed().as_secs_f64()
        );
        let (api, _, _) = generator::load_api(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        apis.push(api);
        crates.push(krate);
    }
    let built_at = started.elapsed();
    let mut failures = Vec::new();
    for &(a, b) in &pairs {
        let (old_name, new_name) = (&docs[a].0, &docs[b].0);
        let label = format!("{old_name} → {new_name}");
        let report = generator::diff::diff(&apis[a], &apis[b]);
        let semver = semver_check(&bin, &crates[a].rustdoc, &crates[b].rustdoc)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let mut by_lint: BTreeMap<String, usize> = BTreeMap::new();
        for lint in &semver.lints {
            by_lint.insert(lint.label(), findings(&semver.output, &lint.name));
        }
        eprintln!(
            "\n{label}\n  generator diff: {} breaking, {} additive, {} notes\n  cargo-semver-checks: {}\n  lints: {}",
            report.breaking.len(),
            report.additive.len(),
            report.notes.len(),
            semver.summary,
            if by_lint.is_empty() {
                "-".to_string()
            } else {
                by_lint
                    .iter()
                    .map(|(l, n)| format!("{l} ×{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &report.breaking {
            *kinds.entry(c.kind.as_str()).or_default() += 1;
        }
        eprintln!("  diff breaking kinds: {kinds:?}");
        if semver.major && !report.is_breaking() {
            failures.push(format!(
                "{label}: cargo-semver-checks requires a major release ({}) but generator diff finds nothing breaking",
                semver.lint_list()
            ));
        }
        if report.is_breaking() && !semver.major {
            let (invisible, visible): (Vec<_>, Vec<_>) = report
                .breaking
                .iter()
                .partition(|c| UNDETECTABLE_KINDS.contains(&c.kind.as_str()));
            eprintln!(
                "  diff breaking, cargo-semver-checks not: {} type-level change(s) the referee cannot see:",
                invisible.len()
            );
            for c in invisible.iter().take(40) {
                eprintln!("    {}", change_line(c));
            }
            if invisible.len() > 40 {
                eprintln!("    … and {} more", invisible.len() - 40);
            }
            if !visible.is_empty() {
                failures.push(format!(
                    "{label}: generator diff reports {} breaking change(s) of kinds cargo-semver-checks detects, \
                     yet it found nothing breaking:\n{}",
                    visible.len(),
                    visible
                        .iter()
                        .map(|c| format!("    {}", change_line(c)))
                        .collect::<Vec<_>>()
                        .join("\n")
                ));
            }
        }
    }
    eprintln!(
        "\nhistory: {} documents, {} pairs in {:.1} s ({:.1} s generating and documenting)",
        docs.len(),
        pairs.len(),
        started.elapsed().as_secs_f64(),
        built_at.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "history pairs disagree:\n\n{}",
        failures.join("\n\n")
    );
}

/// The findings of `lint` in cargo-semver-checks' output: the `Failed in:` lines under its header.
fn findings(output: &str, lint: &str) -> usize {
    let mut count = 0;
    let mut inside = false;
    let mut listing = false;
    for line in output.lines() {
        if let Some(rest) = line.trim().strip_prefix("--- ") {
            inside = rest
                .split_whitespace()
                .nth(1)
                .map(|n| n.trim_end_matches(':'))
                == Some(lint);
            listing = false;
            continue;
        }
        if !inside {
            continue;
        }
        if line.trim() == "Failed in:" {
            listing = true;
        } else if listing {
            if line.starts_with("  ") && !line.trim().is_empty() {
                count += 1;
            } else if !line.trim().is_empty() {
                listing = false;
                inside = false;
            }
        }
    }
    count
}
