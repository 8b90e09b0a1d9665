//! Golden files: each fixture spec in `tests/fixtures/golden/` isolates one construct; its emitted crate
//! (less the runtime files and README, identical for every fixture) is committed under
//! `tests/golden/<fixture>/`. `generated/` is the golden for `spec/openapi.json`. Every fixture's whole
//! crate, and every hostile spec that is legal, must compile.
//!
//! Update the goldens with `UPDATE_GOLDEN=1 cargo test -p tests --test golden` and review the diff; that
//! never writes when `CI` is set.

use tests::gen_support;

use std::collections::BTreeMap;
use std::path::Path;

use gen_support::{Outcome, generate_guarded, golden_fixtures, golden_subset, read_text};

const UPDATE_HINT: &str = "run `UPDATE_GOLDEN=1 cargo test -p tests --test golden` to rewrite the goldens, then review the diff";

fn update_requested() -> bool {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0");
    if update && std::env::var_os("CI").is_some() {
        panic!(
            "UPDATE_GOLDEN is set in CI: goldens are never rewritten there; update them locally and commit"
        );
    }
    update
}

/// Generates a golden fixture's whole crate.
fn generate_fixture(name: &str, path: &Path) -> BTreeMap<String, String> {
    let spec_file = format!(
        "tests/fixtures/golden/{}",
        path.file_name()
            .map(|f| f.to_string_lossy())
            .unwrap_or_default()
    );
    let mut options = gen_support::options(&gen_support::package_name("golden", name), &spec_file);
    // A fixture may have a profile: `profiles/<name>.yaml` beside it.
    let profile = path
        .parent()
        .map(|d| d.join("profiles").join(format!("{name}.yaml")))
        .unwrap_or_default();
    if profile.is_file() {
        let rel = format!("tests/fixtures/golden/profiles/{name}.yaml");
        let mut p = generator::profile::Profile::read(&profile, &rel)
            .unwrap_or_else(|e| panic!("golden fixture {name}: {e}"));
        p.krate.name = options.profile.krate.name.clone();
        options.profile = p;
        options.profile_file = rel;
    }
    match generate_guarded(read_text(path), options) {
        Outcome::Ok(out) => out.files,
        Outcome::Err(e) => panic!("golden fixture {name}: generation failed: {e}"),
        Outcome::Panic(p) => panic!("golden fixture {name}: generator panicked: {p}"),
    }
}

#[test]
fn there_are_enough_fixtures() {
    let fixtures = golden_fixtures();
    assert!(
        fixtures.len() >= 15,
        "only {} golden fixtures",
        fixtures.len()
    );
}

#[test]
fn goldens_match() {
    let update = update_requested();
    let golden_root = tests::repo_root().join("tests/golden");
    let fixtures = golden_fixtures();
    let mut failures = Vec::new();
    for (name, path) in &fixtures {
        let files = golden_subset(&generate_fixture(name, path));
        let dir = golden_root.join(name);
        let drift = generator::write::check(&files, &dir).unwrap_or_else(|e| panic!("{name}: {e}"));
        if drift.is_empty() {
            continue;
        }
        if update {
            generator::write::write(&files, &dir).unwrap_or_else(|e| panic!("{name}: {e}"));
            eprintln!("updated tests/golden/{name}");
        } else {
            failures.push(format!("golden `{name}` differs:\n{}", drift.report(&dir)));
        }
    }
    // Goldens of fixtures that no longer exist.
    if let Ok(entries) = std::fs::read_dir(&golden_root) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_dir() && !fixtures.iter().any(|(f, _)| *f == name) {
                if update {
                    std::fs::remove_dir_all(e.path()).unwrap_or_else(|err| panic!("{name}: {err}"));
                    eprintln!("removed tests/golden/{name} (no fixture)");
                } else {
                    failures.push(format!(
                        "tests/golden/{name} has no fixture in tests/fixtures/golden/"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n{UPDATE_HINT}",
        failures.join("\n")
    );
    assert_eq!(
        generator::printer::fallbacks(),
        0,
        "the fragment printer wrote some fragment with tokens that differ from quote's"
    );
}

/// `generated/<name>/` is the golden for `spec/<name>/`: the in-process output must match it file for file.
#[test]
fn generated_folders_match_their_specs() {
    for name in tests::PINNED {
        let out = generator::generate(&tests::pinned_spec_text(name), &tests::pinned_options(name))
            .unwrap_or_else(|e| panic!("spec/{name}: {e}"));
        let dir = tests::repo_root().join("generated").join(name);
        let drift = generator::write::check(&out.files, &dir).expect("read generated/");
        assert!(
            drift.is_empty(),
            "generated/{name}/ is out of date with spec/{name}/:\n{}\nrun `cargo run -p generator` to regenerate, then review the diff",
            drift.report(&dir)
        );
    }
    assert_eq!(
        generator::printer::fallbacks(),
        0,
        "the fragment printer wrote some fragment of the Letta SDKs with tokens that differ from quote's"
    );
}

/// Every fixture's whole crate (runtime files included) and every legal hostile spec compiles, in one
/// scratch workspace under `target/golden-build/fixtures/` with a shared target dir; warnings and clippy's
/// default lints count as failures (except the known ones listed in `gen_support`).
#[test]
fn fixture_crates_compile() {
    let mut ws = gen_support::CheckWorkspace::new("fixtures");
    for (name, path) in golden_fixtures() {
        let package = gen_support::package_name("golden", &name);
        ws.add(
            &package,
            &format!("golden fixture {name}"),
            &generate_fixture(&name, &path),
        );
    }
    for (name, text) in gen_support::hostile_ok_specs() {
        let package = gen_support::package_name("hostile", &name);
        let files = match generate_guarded(
            text,
            gen_support::options(&package, &format!("{name}.json")),
        ) {
            Outcome::Ok(out) => out.files,
            other => panic!("hostile spec {name} is expected to generate: {other:?}"),
        };
        ws.add(&package, &format!("hostile spec {name}"), &files);
    }
    let summary = ws.assert_compiles(true);
    eprintln!("{summary}");
}

/// No doctest ever comes from spec text: every code fence opened in an emitted doc comment is
/// ```` ```text ````, except the template's own examples in `src/lib.rs`; and no doc line outside a fence is
/// indented enough to become an (indented) code block.
#[test]
fn emitted_docs_open_only_text_fences() {
    let mut crates: Vec<(String, BTreeMap<String, String>)> = golden_fixtures()
        .into_iter()
        .map(|(name, path)| {
            let files = generate_fixture(&name, &path);
            (name, files)
        })
        .collect();
    for name in tests::PINNED {
        let generated =
            generator::generate(&tests::pinned_spec_text(name), &tests::pinned_options(name))
                .expect("pinned spec generates");
        crates.push((format!("spec/{name}"), generated.files));
    }
    let template_fences = template_fence_openings();
    let mut problems = Vec::new();
    for (name, files) in &crates {
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
            let docs = doc_lines(text).unwrap_or_else(|e| panic!("{name} {path}: {e}"));
            let mut in_fence = false;
            let mut openings = Vec::new();
            for line in &docs {
                let l = line.strip_prefix(' ').unwrap_or(line);
                let t = l.trim_start();
                if t.starts_with("```") || t.starts_with("~~~") {
                    if !in_fence {
                        openings.push(t.to_string());
                    }
                    in_fence = !in_fence;
                } else if !in_fence
                    && l.starts_with("    ")
                    && !l.trim().is_empty()
                    && path != "src/lib.rs"
                {
                    problems.push(format!(
                        "{name} {path}: indented doc line outside a fence: {l:?}"
                    ));
                }
            }
            if in_fence {
                problems.push(format!("{name} {path}: a doc fence is never closed"));
            }
            for o in openings {
                let allowed =
                    o == "```text" || (path == "src/lib.rs" && template_fences.contains(&o));
                if !allowed {
                    problems.push(format!(
                        "{name} {path}: doc comment opens a non-text fence {o:?}"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Fence openings (```` ```rust ````, ```` ```no_run ````, …) written in the lib.rs template itself and in
/// the pinned profiles' crate docs (maintainers' text, not spec text).
fn template_fence_openings() -> Vec<String> {
    let mut sources = vec![tests::repo_root().join("templates/lib.rs.j2")];
    for name in tests::PINNED {
        sources.push(
            tests::repo_root()
                .join("spec")
                .join(name)
                .join("crate-docs.md"),
        );
    }
    let mut out = Vec::new();
    for path in sources {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let markdown = path.extension().is_some_and(|e| e == "md");
        out.extend(
            text.lines()
                .filter_map(|l| {
                    let l = l.trim_start();
                    let rest = if markdown {
                        l
                    } else {
                        l.strip_prefix("//!").or_else(|| l.strip_prefix("///"))?
                    };
                    let t = rest.trim();
                    t.starts_with("```").then(|| t.to_string())
                })
                .filter(|t| t != "```"),
        );
    }
    out
}

/// Every line of every `#[doc]` attribute (including `///` and `//!` comments) in a Rust file, in order.
fn doc_lines(text: &str) -> Result<Vec<String>, String> {
    let file = syn::parse_file(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut v = DocVisitor(&mut out);
    syn::visit::visit_file(&mut v, &file);
    Ok(out)
}

struct DocVisitor<'a>(&'a mut Vec<String>);

impl<'ast> syn::visit::Visit<'ast> for DocVisitor<'_> {
    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        collect_docs(std::slice::from_ref(attr), self.0);
    }
}

fn collect_docs(attrs: &[syn::Attribute], out: &mut Vec<String>) {
    for a in attrs {
        if !a.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &a.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            out.extend(s.value().split('\n').map(str::to_string));
        }
    }
}

/// Replaces every description, summary and title (and string default) in a spec with benign text.
fn benign(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match (k.as_str(), &*v) {
                    ("description" | "summary" | "title", serde_json::Value::String(_)) => {
                        *v = serde_json::Value::String("Benign text.".into());
                    }
                    ("default", serde_json::Value::String(_)) => {
                        *v = serde_json::Value::String("benign".into());
                    }
                    _ => benign(v),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(benign),
        _ => {}
    }
}

/// The token skeleton of a Rust file: doc attributes (and so `///`/`//!` comments) dropped, every string
/// literal replaced by `"…"`. Two files with the same skeleton differ only in docs and literals.
fn skeleton(text: &str) -> Vec<String> {
    let tokens: proc_macro2::TokenStream = text.parse().expect("emitted Rust tokenizes");
    let mut out = Vec::new();
    flatten(tokens, &mut out);
    out
}

fn flatten(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    use proc_macro2::{Delimiter, TokenTree};
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == '#') {
            let mut j = i + 1;
            if matches!(tokens.get(j), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                j += 1;
            }
            if let Some(TokenTree::Group(g)) = tokens.get(j) {
                let first = g.stream().into_iter().next();
                if g.delimiter() == Delimiter::Bracket
                    && matches!(first, Some(TokenTree::Ident(id)) if id == "doc")
                {
                    i = j + 1;
                    continue;
                }
            }
        }
        match &tokens[i] {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push(open.into());
                flatten(g.stream(), out);
                out.push(close.into());
            }
            TokenTree::Literal(l) => {
                let s = l.to_string();
                let is_str = s.starts_with('"') || s.starts_with("r\"") || s.starts_with("r#");
                out.push(if is_str { "\"…\"".into() } else { s });
            }
            other => out.push(other.to_string()),
        }
        i += 1;
    }
}

/// Spec text never becomes code: the injection fixture (fences, `*/`, `\r`, bidi controls, `#[doc]`,
/// template syntax, quotes and backslashes in every description) emits exactly the items the same spec
/// with benign descriptions emits; only docs and string literals differ.
#[test]
fn injected_descriptions_change_only_docs_and_literals() {
    let path = tests::repo_root().join("tests/fixtures/golden/doc_injection.json");
    let text = read_text(&path);
    let mut value: serde_json::Value =
        serde_json::from_str(&text).expect("doc_injection.json is JSON");
    benign(&mut value);
    let benign_text = serde_json::to_string_pretty(&value).expect("serialize");
    assert_ne!(text, benign_text, "the fixture has descriptions to replace");
    let options = gen_support::options("injection", "doc_injection.json");
    let hostile = match generate_guarded(text, options.clone()) {
        Outcome::Ok(out) => out.files,
        other => panic!("doc_injection: {other:?}"),
    };
    let plain = match generate_guarded(benign_text, options) {
        Outcome::Ok(out) => out.files,
        other => panic!("doc_injection (benign): {other:?}"),
    };
    assert_eq!(
        hostile.keys().collect::<Vec<_>>(),
        plain.keys().collect::<Vec<_>>(),
        "descriptions changed the set of emitted files"
    );
    let mut differing_docs = 0;
    for (file, hostile_text) in hostile.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let (a, b) = (skeleton(hostile_text), skeleton(&plain[file]));
        if let Some(pos) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
            let ctx = |v: &[String]| v[pos.saturating_sub(15)..(pos + 15).min(v.len())].join(" ");
            panic!(
                "{file}: spec text changed the code (token {pos}):\n  injected: {}\n  benign:   {}",
                ctx(&a),
                ctx(&b)
            );
        }
        if hostile_text != &plain[file] {
            differing_docs += 1;
        }
    }
    assert!(
        differing_docs >= 3,
        "the injected text reaches the docs of several files"
    );
    // The payloads are in the docs, defused.
    let model = &hostile["src/models/payload.rs"];
    assert!(
        skeleton(model).iter().any(|t| t == "struct"),
        "the skeleton keeps the items"
    );
    assert!(model.contains("```text"), "fences become text fences");
    assert!(!model.contains("```rust"), "no rust fence survives");
    assert!(!model.contains('\r') && !model.contains('\u{202e}') && !model.contains('\u{2066}'));
}
