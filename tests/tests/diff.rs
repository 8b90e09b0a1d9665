//! `generator diff`: fixture pairs with known changes (exact classification, exit codes, JSON shape,
//! suggested bump) and the Letta documents in `../shared/specs/history/` (completion, determinism,
//! known facts).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::diff::{Bump, Change, DiffArgs, Format, Report, diff_texts, run_cli, run_to};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    tests::repo_root().join("tests/fixtures/diff")
}

/// The old and new documents of fixture pair `name` (`NAME.old.yaml` / `NAME.new.json` …).
fn pair(name: &str) -> (PathBuf, PathBuf) {
    let find = |side: &str| {
        ["yaml", "json"]
            .iter()
            .map(|ext| fixture_dir().join(format!("{name}.{side}.{ext}")))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("fixture {name}.{side}.* missing"))
    };
    (find("old"), find("new"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report(name: &str) -> Report {
    let (old, new) = pair(name);
    diff_texts(&read(&old), &read(&new)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn lines(changes: &[Change]) -> Vec<String> {
    changes.iter().map(Change::line).collect()
}

/// Runs the CLI entry on pair `name` with `--format json`: the exit code and what it printed.
fn exit_code(name: &str) -> (ExitCode, String) {
    let (old, new) = pair(name);
    let mut args = DiffArgs::new(old.display().to_string(), new.display().to_string());
    args.format = Format::Json;
    args.crate_version = Some("0.1.0".into());
    let mut out = Vec::new();
    let code = run_to(&args, &mut out).unwrap_or_else(|e| panic!("{name}: {e}"));
    (code, String::from_utf8(out).expect("UTF-8 report"))
}

/// One fixture pair: every change, in the group it belongs to, in report order.
struct Expect {
    name: &'static str,
    breaking: &'static [&'static str],
    additive: &'static [&'static str],
    notes: &'static [&'static str],
}

const EXPECT: &[Expect] = &[
    Expect {
        name: "operations",
        breaking: &[
            "operation delete_agent (DELETE /v1/agents/{agent_id}): removed",
            "operation health_check (GET /v1/health/): renamed to `check_health` (the Rust method `health_check` becomes `check_health`)",
        ],
        additive: &[
            "operation count_agents (GET /v1/agents/count): added (`client.agents().count_agents()`)",
        ],
        notes: &["operation list_agents (GET /v1/agents/): deprecated"],
    },
    Expect {
        name: "params",
        breaking: &[
            "operation list_blocks (GET /v1/blocks/): header parameter `user_id` removed",
            "operation list_blocks (GET /v1/blocks/): new required query parameter `org`",
            "operation list_blocks (GET /v1/blocks/): query parameter `limit` type changed from `integer` to `string`",
        ],
        additive: &[
            "operation list_blocks (GET /v1/blocks/): new optional query parameter `after`",
            "operation list_blocks (GET /v1/blocks/): query parameter `project` became optional",
        ],
        notes: &[],
    },
    Expect {
        name: "request",
        breaking: &[
            "schema BlockCreate: field `limit` became required (request)",
            "schema BlockCreate: new required field `project_id` (request)",
        ],
        additive: &[
            "schema BlockCreate: field `description` now accepts null (request)",
            "schema BlockCreate: field `label` became optional (request)",
            "schema BlockCreate: new optional field `read_only` (request)",
        ],
        notes: &[],
    },
    Expect {
        name: "response",
        breaking: &[
            "operation retrieve_agent_context (GET /v1/agents/{agent_id}/context): response type changed from `ContextWindow` to `ContextOverview`",
            "schema AgentState: field `created_at` type changed from `string` to `date-time` (response)",
            "schema AgentState: field `name` turned nullable (response: `T` becomes `Option<T>`)",
            "schema AgentState: field `step_count` is now always present (response: `Option<T>` becomes `T`)",
            "schema AgentState: field `tools` removed (response)",
        ],
        additive: &[
            "schema AgentState: new optional field `model` (response)",
            "schema ContextOverview: added (response)",
        ],
        notes: &[],
    },
    Expect {
        name: "enum_added",
        breaking: &[],
        additive: &[
            "operation list_messages (GET /v1/agents/{agent_id}/messages): query parameter `order`: enum value `random` added",
            "schema MessageRole: enum value `tool` added (response)",
        ],
        notes: &[],
    },
    Expect {
        name: "enum_removed",
        breaking: &[
            "operation list_messages (GET /v1/agents/{agent_id}/messages): query parameter `order`: enum value `desc` removed",
            "schema MessageRole: enum value `system` removed (response)",
        ],
        additive: &[],
        notes: &[],
    },
    Expect {
        name: "union_added",
        breaking: &[],
        additive: &[
            "schema LettaMessageUnion: union variant `system_message` (`SystemMessage`) added (response)",
            "schema Message: field `content`: union variant `integer` added (response)",
            "schema SystemMessage: added (response)",
        ],
        notes: &[],
    },
    Expect {
        name: "union_removed",
        breaking: &[
            "schema LettaMessageUnion: union variant `tool_call_message` (`ToolCallMessage`) removed (response)",
            "schema Message: field `content`: union variant `array<string>` removed (the union is now just `string`) (response)",
            "schema ToolCallMessage: removed",
        ],
        additive: &[],
        notes: &[],
    },
    Expect {
        name: "new_schema",
        breaking: &[],
        additive: &[
            "operation create_archive (POST /v1/archives/): added (`client.archives().create_archive()`)",
            "schema Archive: added (response)",
            "schema ArchiveCreate: added (request)",
            "schema Unused: added (unreferenced)",
        ],
        notes: &[],
    },
    Expect {
        name: "sides",
        breaking: &[
            "schema Orphan: new required field `b` (unreferenced)",
            "schema Tool: field `source_code` became optional (response: `T` becomes `Option<T>`)",
        ],
        additive: &["schema Tool: new optional field `json_schema` (request and response)"],
        notes: &["schema ToolRule: field `deprecated_flag` deprecated"],
    },
    Expect {
        name: "identical",
        breaking: &[],
        additive: &[],
        notes: &[],
    },
];

#[test]
fn fixture_pairs_are_classified_exactly() {
    let mut failures = Vec::new();
    for e in EXPECT {
        let r = report(e.name);
        for (group, got, want) in [
            ("breaking", lines(&r.breaking), e.breaking),
            ("additive", lines(&r.additive), e.additive),
            ("notes", lines(&r.notes), e.notes),
        ] {
            if got != want {
                failures.push(format!(
                    "{}: {group}\n  want: {want:#?}\n  got:  {got:#?}",
                    e.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn exit_codes_follow_breaking_changes() {
    for e in EXPECT {
        let want = if e.breaking.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
        let (code, printed) = exit_code(e.name);
        assert_eq!(code, want, "{}", e.name);
        assert_eq!(printed, report(e.name).to_json("0.1.0"), "{}", e.name);
    }
}

#[test]
fn unreadable_or_invalid_specs_are_errors() {
    let (old, _) = pair("identical");
    let missing = DiffArgs::new(
        old.display().to_string(),
        fixture_dir()
            .join("no-such-file.json")
            .display()
            .to_string(),
    );
    let err = run_cli(&missing).expect_err("missing file");
    assert!(err.contains("no-such-file.json"), "{err}");
    let err = diff_texts(&read(&old), "openapi: 3.1.0\ninfo: [").expect_err("bad YAML");
    assert!(err.to_string().contains("line"), "{err}");
}

#[test]
fn suggested_bump_follows_semver() {
    let breaking = report("response");
    let additive = report("enum_added");
    let notes_only = {
        let mut r = report("identical");
        r.notes = report("operations").notes;
        r
    };
    let none = report("identical");
    assert_eq!(breaking.suggested_bump("0.1.0"), Bump::Minor);
    assert_eq!(additive.suggested_bump("0.1.0"), Bump::Patch);
    assert_eq!(none.suggested_bump("0.3.1"), Bump::None);
    assert_eq!(breaking.suggested_bump("1.2.3"), Bump::Major);
    assert_eq!(additive.suggested_bump("1.2.3"), Bump::Minor);
    assert_eq!(notes_only.suggested_bump("1.2.3"), Bump::Patch);
    assert_eq!(Bump::Minor.apply("0.1.7").as_deref(), Some("0.2.0"));
    assert_eq!(Bump::Major.apply("1.2.3-rc.1").as_deref(), Some("2.0.0"));
    assert_eq!(Bump::Patch.apply("1.2.3").as_deref(), Some("1.2.4"));
}

#[test]
fn json_report_has_a_stable_shape() {
    let r = report("union_removed");
    let text = r.to_json("0.1.0");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["breaking", "additive", "notes", "suggested_bump"]);
    assert_eq!(v["suggested_bump"], "minor");
    let first = &v["breaking"][0];
    assert_eq!(first["kind"], "variant_removed");
    assert_eq!(first["location"], "schema LettaMessageUnion");
    assert_eq!(
        first["message"],
        "union variant `tool_call_message` (`ToolCallMessage`) removed (response)"
    );
    let kinds: Vec<&str> = v["breaking"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        ["variant_removed", "variant_removed", "schema_removed"]
    );
    assert_eq!(text, report("union_removed").to_json("0.1.0"));
}

#[test]
fn text_report_groups_counts_and_bump() {
    let text = report("response").to_text("0.4.2");
    for want in [
        "old: Diff fixture 1.0.0 (2 operations, 2 schemas)",
        "new: Diff fixture 1.1.0 (2 operations, 3 schemas)",
        "Breaking (5):",
        "breaking: schema AgentState: field `tools` removed (response)",
        "Additive (2):",
        "additive: schema ContextOverview: added (response)",
        "Notes (0):",
        "Summary: 5 breaking, 2 additive, 0 notes; suggested SDK version bump: minor (0.4.2 → 0.5.0)",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    let breaking = text.find("Breaking (").expect("breaking");
    let additive = text.find("Additive (").expect("additive");
    let notes = text.find("Notes (").expect("notes");
    assert!(breaking < additive && additive < notes);
}

/// Reverses the order of every object in `v` (paths, schemas, properties…): the report must not change.
fn reversed(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.reverse();
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), reversed(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

#[test]
fn report_does_not_depend_on_document_order() {
    for name in ["union_added", "new_schema", "enum_removed"] {
        let (old, new) = pair(name);
        let (old, new) = (read(&old), read(&new));
        let shuffle = |text: &str| {
            let v: Value = serde_json::from_str(text).expect("fixture JSON");
            serde_json::to_string(&reversed(&v)).expect("serialize")
        };
        let a = diff_texts(&old, &new).expect("diff");
        let b = diff_texts(&shuffle(&old), &shuffle(&new)).expect("diff shuffled");
        assert_eq!(a.to_text("0.1.0"), b.to_text("0.1.0"), "{name}");
    }
}

#[test]
fn binary_exit_code_when_built() {
    let bin = tests::repo_root().join("target/debug/generator");
    if !bin.is_file() {
        eprintln!("skipped: {} not built", bin.display());
        return;
    }
    let (old, new) = pair("enum_removed");
    let out = std::process::Command::new(&bin)
        .current_dir(tests::repo_root())
        .args(["diff", "--format", "json", "--crate-version", "0.1.0"])
        .arg(&old)
        .arg(&new)
        .output()
        .expect("run generator");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(2) && stderr.contains("not implemented") {
        eprintln!(
            "skipped: {} is stale (rebuild with cargo build -p generator)",
            bin.display()
        );
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let want = report("enum_removed").to_json("0.1.0");
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}

/// `spec/openapi.json`, then the history documents, oldest first; `None` when `../shared` is absent.
fn history() -> Option<Vec<(String, String)>> {
    let dir = tests::shared_dir()?.join("specs/history");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return None;
    }
    let mut docs = vec![("letta-0.7.10".to_string(), tests::spec_text())];
    for f in files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        docs.push((name, read(&f)));
    }
    Some(docs)
}

#[test]
fn history_documents_diff_deterministically() {
    let Some(docs) = history() else {
        eprintln!("skipped: ../shared/specs/history is not available");
        return;
    };
    assert_eq!(
        docs.len(),
        7,
        "spec/openapi.json plus six history documents"
    );
    for w in docs.windows(2) {
        let ((old_name, old), (new_name, new)) = (&w[0], &w[1]);
        let label = format!("{old_name} → {new_name}");
        let first = diff_texts(old, new).unwrap_or_else(|e| panic!("{label}: {e}"));
        let again = diff_texts(old, new).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(first, again, "{label}: not deterministic");
        assert_eq!(first.to_json("0.1.0"), again.to_json("0.1.0"), "{label}");
        assert!(
            !first.breaking.is_empty() || !first.additive.is_empty(),
            "{label}: no changes found"
        );
        for c in first
            .breaking
            .iter()
            .chain(&first.additive)
            .chain(&first.notes)
        {
            assert!(
                c.location.starts_with("operation ") || c.location.starts_with("schema "),
                "{label}: odd location {c:?}"
            );
        }
        eprintln!(
            "{label}: {} breaking, {} additive, {} notes",
            first.breaking.len(),
            first.additive.len(),
            first.notes.len()
        );
    }
    // Known facts about 0.7.10 → 2025-09-17.
    let r = diff_texts(&docs[0].1, &docs[1].1).expect("0.7.10 → 2025-09-17");
    assert_eq!((r.old.operations, r.old.schemas), (136, 189));
    assert_ne!(r.old.operations, r.new.operations);
    assert!(r.is_breaking());
    assert_eq!(r.suggested_bump("0.1.0"), Bump::Minor);
    let breaking = lines(&r.breaking);
    for want in [
        "operation health_check (GET /v1/health/): renamed to `check_health` (the Rust method `health_check` becomes `check_health`)",
        "operation list_orgs (GET /v1/admin/orgs/): removed",
        "schema AgentState: field `organization_id` removed (response)",
    ] {
        assert!(breaking.iter().any(|l| l == want), "missing {want:?}");
    }
}
