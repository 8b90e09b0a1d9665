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
            "method client.agents().delete_agent() (operation delete_agent, DELETE /v1/agents/{agent_id}): removed",
            "method client.health().health_check() (operation health_check, GET /v1/health/): renamed: operation `health_check` is now `check_health`, the method `health_check()` is now `check_health()`",
        ],
        additive: &[
            "method client.agents().count_agents() (operation count_agents, GET /v1/agents/count): added",
        ],
        notes: &[
            "method client.agents().list_agents() (operation list_agents, GET /v1/agents/): now #[deprecated]",
        ],
    },
    Expect {
        name: "params",
        breaking: &[
            "method client.blocks().list_blocks() (operation list_blocks, GET /v1/blocks/): arguments `(project: impl Into<String>)` are now `(org: impl Into<String>)`",
            "method client.blocks().list_blocks() (operation list_blocks, GET /v1/blocks/): setter `.limit()` takes `impl Into<String>` (was `i64`)",
            "method client.blocks().list_blocks() (operation list_blocks, GET /v1/blocks/): setter `.user_id()` removed",
        ],
        additive: &[
            "method client.blocks().list_blocks() (operation list_blocks, GET /v1/blocks/): setter `.after(impl Into<String>)` added",
            "method client.blocks().list_blocks() (operation list_blocks, GET /v1/blocks/): setter `.project(impl Into<String>)` added",
        ],
        notes: &[],
    },
    Expect {
        name: "request",
        breaking: &[
            "struct models::BlockCreate (schema BlockCreate): constructor `new(value: impl Into<String>, label: impl Into<String>)` is now `new(value: impl Into<String>, limit: impl Into<i64>, project_id: impl Into<String>)`",
            "struct models::BlockCreate (schema BlockCreate): field `description`: type `Option<String>` → `Nullable<String>`",
            "struct models::BlockCreate (schema BlockCreate): field `label`: type `String` → `Option<String>`",
            "struct models::BlockCreate (schema BlockCreate): field `limit`: type `Option<i64>` → `i64`",
        ],
        additive: &[
            "struct models::BlockCreate (schema BlockCreate): field `project_id` added: `String` (the struct is #[non_exhaustive], a new argument of `new`)",
            "struct models::BlockCreate (schema BlockCreate): field `read_only` added: `Option<bool>` (the struct is #[non_exhaustive], set with `with_read_only`)",
        ],
        notes: &[],
    },
    Expect {
        name: "response",
        breaking: &[
            "method client.agents().retrieve_agent_context() (operation retrieve_agent_context, GET /v1/agents/{agent_id}/context): `.send()` returns `ContextOverview` (was `ContextWindow`)",
            "struct models::AgentState (schema AgentState): field `created_at`: type `String` → `Timestamp`",
            "struct models::AgentState (schema AgentState): field `name`: type `String` → `Option<String>`",
            "struct models::AgentState (schema AgentState): field `step_count`: type `Option<i64>` → `i64`",
            "struct models::AgentState (schema AgentState): field `tools` removed",
        ],
        additive: &[
            "struct models::AgentState (schema AgentState): field `model` added: `Option<String>` (the struct is #[non_exhaustive])",
            "struct models::ContextOverview (schema ContextOverview): added",
            "struct models::ContextWindow (schema ContextWindow): now sent too: `new(tokens: impl Into<i64>)` and setters added",
        ],
        notes: &[],
    },
    Expect {
        name: "enum_added",
        breaking: &[],
        additive: &[
            "enum models::ListMessagesOrder (inline list_messages order): variant `Random` (`random`) added (the enum is #[non_exhaustive]; the value decoded as `Unknown` before)",
            "enum models::MessageRole (schema MessageRole): variant `Tool` (`tool`) added (the enum is #[non_exhaustive]; the value decoded as `Unknown` before)",
        ],
        notes: &[],
    },
    Expect {
        name: "enum_removed",
        breaking: &[
            "enum models::ListMessagesOrder (inline list_messages order): variant `Desc` (`desc`) removed",
            "enum models::MessageRole (schema MessageRole): variant `System` (`system`) removed",
        ],
        additive: &[],
        notes: &[],
    },
    Expect {
        name: "union_added",
        breaking: &[],
        additive: &[
            "struct models::SystemMessage (schema SystemMessage): added",
            "tagged union models::LettaMessageUnion (schema LettaMessageUnion): variant `SystemMessage(SystemMessage)` added (the union is #[non_exhaustive])",
            "union models::MessageContent (inline Message content): variant `Integer(i64)` added (the union is #[non_exhaustive])",
        ],
        notes: &[],
    },
    Expect {
        name: "union_removed",
        breaking: &[
            "struct models::Message (schema Message): field `content`: type `Option<MessageContent>` → `Option<String>`",
            "struct models::ToolCallMessage (schema ToolCallMessage): removed",
            "tagged union models::LettaMessageUnion (schema LettaMessageUnion): variant `ToolCallMessage(ToolCallMessage)` removed",
            "union models::MessageContent (inline Message content): removed",
        ],
        additive: &[],
        notes: &[],
    },
    Expect {
        name: "new_schema",
        breaking: &[],
        additive: &[
            "module apis::archives (feature `archives`): added: `client.archives()` and the cargo feature `archives`",
            "struct models::Archive (schema Archive): added",
            "struct models::ArchiveCreate (schema ArchiveCreate): added",
            "struct models::Unused (schema Unused): added",
        ],
        notes: &[],
    },
    Expect {
        name: "sides",
        breaking: &[
            "struct models::Orphan (schema Orphan): constructor `new(a: impl Into<String>)` is now `new(a: impl Into<String>, b: impl Into<String>)`",
            "struct models::Tool (schema Tool): constructor `new(name: impl Into<String>, source_code: impl Into<String>)` is now `new(name: impl Into<String>)`",
            "struct models::Tool (schema Tool): field `source_code`: type `String` → `Option<String>`",
        ],
        additive: &[
            "struct models::Orphan (schema Orphan): field `b` added: `String` (the struct is #[non_exhaustive], a new argument of `new`)",
            "struct models::Tool (schema Tool): field `json_schema` added: `Option<Map<String,Value>>` (the struct is #[non_exhaustive], set with `with_json_schema`)",
        ],
        notes: &[
            "struct models::ToolRule (schema ToolRule): field `deprecated_flag` now #[deprecated]",
        ],
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
    assert_eq!(first["kind"], "field_type_changed");
    assert_eq!(first["location"], "struct models::Message (schema Message)");
    assert_eq!(
        first["message"],
        "field `content`: type `Option<MessageContent>` → `Option<String>`"
    );
    let kinds: Vec<&str> = v["breaking"]
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["kind"].as_str().expect("kind"))
        .collect();
    // The inline const type of the removed `ToolCallMessage` goes with it and is not listed.
    assert_eq!(
        kinds,
        [
            "field_type_changed",
            "type_removed",
            "enum_variant_removed",
            "type_removed"
        ]
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
        "breaking: struct models::AgentState (schema AgentState): field `tools` removed",
        "Additive (3):",
        "additive: struct models::ContextOverview (schema ContextOverview): added",
        "Notes (0):",
        "Summary: 5 breaking, 3 additive, 0 notes; suggested SDK version bump: minor (0.4.2 → 0.5.0)",
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
                [
                    "method client.",
                    "module apis::",
                    "struct models::",
                    "enum models::",
                    "union models::",
                    "tagged union models::",
                    "integer enum models::",
                    "const type models::",
                    "type alias models::"
                ]
                .iter()
                .any(|p| c.location.starts_with(p)),
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
        "method client.health().health_check() (operation health_check, GET /v1/health/): renamed: operation `health_check` is now `check_health`, the method `health_check()` is now `check_health()`",
        "method client.admin().list_orgs() (operation list_orgs, GET /v1/admin/orgs/): removed",
        "struct models::AgentState (schema AgentState): field `organization_id` removed",
    ] {
        assert!(breaking.iter().any(|l| l == want), "missing {want:?}");
    }
}
