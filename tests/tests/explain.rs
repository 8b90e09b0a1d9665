//! `generator explain`: its text for chosen names, pinned as goldens in `tests/fixtures/explain/`.
//!
//! Each case is a fixture spec (or a pinned Letta document, with its profile and overlays) and a name;
//! the golden is `tests/fixtures/explain/<case>.txt`. Update with
//! `UPDATE_GOLDEN=1 cargo test -p tests --test explain` and review the diff.

use std::path::PathBuf;

/// (golden name, spec: a fixture under tests/fixtures/golden/ or `pinned:<name>`, the name to explain)
const CASES: &[(&str, &str, &str)] = &[
    ("recursion.Node", "recursion.yaml", "Node"),
    ("recursion.Expr", "recursion.yaml", "Expr"),
    ("recursion.get_tree", "recursion.yaml", "get_tree"),
    ("case_collisions.all", "case_collisions.yaml", "FooBar2"),
    ("keywords.Self", "keywords.yaml", "Self"),
    ("keywords.crate", "keywords.yaml", "crate"),
    ("nullable_31.Thing", "nullable_31.yaml", "Thing"),
    ("string_enums.Tricky", "string_enums.yaml", "Tricky"),
    (
        "letta-0.16.8.AgentFileSchema",
        "pinned:letta-0.16.8",
        "AgentFileSchema",
    ),
    (
        "letta-0.16.8.export_agent",
        "pinned:letta-0.16.8",
        "export_agent",
    ),
    (
        "letta-0.16.8.list_messages",
        "pinned:letta-0.16.8",
        "list_messages",
    ),
    (
        "letta-0.16.8.HttpValidationErrorDetail",
        "pinned:letta-0.16.8",
        "HttpValidationErrorDetail",
    ),
    (
        "letta-0.7.10.LettaMessageUnion",
        "pinned:letta-0.7.10",
        "LettaMessageUnion",
    ),
];

fn golden_dir() -> PathBuf {
    tests::repo_root().join("tests/fixtures/explain")
}

fn explain(spec: &str, name: &str) -> generator::explain::Explanation {
    let (text, options) = match spec.strip_prefix("pinned:") {
        Some(pinned) => (
            tests::pinned_spec_text(pinned),
            tests::pinned_options(pinned),
        ),
        None => {
            let path = tests::repo_root().join("tests/fixtures/golden").join(spec);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (text, generator::Options::default())
        }
    };
    let (api, _, _) = generator::load_api_with(&text, &options.overlays).expect("the spec loads");
    generator::explain::explain(&api, &options.profile, &options.profile.lib_name(), name)
}

#[test]
fn explain_output_matches_the_goldens() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !(update && std::env::var_os("CI").is_some()),
        "UPDATE_GOLDEN is set in CI: goldens are never rewritten there"
    );
    let mut failures = Vec::new();
    for (golden, spec, name) in CASES {
        let found = explain(spec, name);
        assert!(
            !found.blocks.is_empty(),
            "{golden}: `{name}` is found in {spec}"
        );
        let text = found.blocks.join("\n");
        let path = golden_dir().join(format!("{golden}.txt"));
        if update {
            std::fs::create_dir_all(golden_dir()).expect("golden dir");
            std::fs::write(&path, &text).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 creates it)", path.display()));
        if want != text {
            failures.push(format!("{golden}:\n--- golden\n{want}\n+++ now\n{text}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nrun `UPDATE_GOLDEN=1 cargo test -p tests --test explain`, then review the diff",
        failures.join("\n")
    );
}

#[test]
fn explain_says_why_names_and_shapes_are_what_they_are() {
    // A collision suffix names the type that kept the name.
    let text = explain("case_collisions.yaml", "FooBar2").blocks.join("\n");
    assert!(
        text.contains("already taken by #/components/schemas/")
            && text.contains("collision suffix `2`"),
        "{text}"
    );
    // Recursion is boxed, and said to be.
    let text = explain("recursion.yaml", "Node").blocks.join("\n");
    assert!(
        text.contains("parent: Option<Box<models::Node>>")
            && text.contains("boxed: it leads back to this type"),
        "{text}"
    );
    // A tagged union lists its tag values; an operation its builder, feature and response.
    let text = explain("recursion.yaml", "Expr").blocks.join("\n");
    assert!(
        text.contains("internally tagged on \"kind\"")
            && text.contains("\"lit\" => Lit(models::Lit)"),
        "{text}"
    );
    let text = explain("recursion.yaml", "get_tree").blocks.join("\n");
    assert!(
        text.contains("client.tree().get_tree()")
            && text.contains("feature `tree`")
            && text.contains(".send() -> models::Node (JSON)"),
        "{text}"
    );
    // The profile's paging rule for an operation, and the overlay's effect on the 0.16.8 export.
    let text = explain("pinned:letta-0.16.8", "list_messages")
        .blocks
        .join("\n");
    assert!(
        text.contains("pages come oldest first") && text.contains("paging.cursors_by_operation"),
        "{text}"
    );
    let text = explain("pinned:letta-0.16.8", "export_agent")
        .blocks
        .join("\n");
    assert!(
        text.contains(".send() -> models::AgentFileSchema (JSON)"),
        "{text}"
    );
    // Names that do not exist get similar ones.
    let missing = explain("pinned:letta-0.16.8", "agentstat");
    assert!(missing.blocks.is_empty());
    assert!(
        missing.similar.contains(&"AgentState".to_string()),
        "{:?}",
        missing.similar
    );
}
