//! Generation benchmarks: the whole pipeline and each stage, on `spec/letta-0.7.10/` and on the largest
//! document in `../shared/specs/history/` (skipped, with a printed reason, when that folder is absent).
//!
//! `cargo bench -p tests --bench generation`
#![allow(missing_docs, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use divan::Bencher;
use generator::{Options, ir, load, naming, normalize, render, resolve};

fn main() {
    match &*HISTORY {
        Some(s) => println!(
            "history spec: {} ({} bytes)",
            s.path.display(),
            s.text.len()
        ),
        None => println!("history benches skipped: {}", history_missing_reason()),
    }
    divan::main();
}

/// One spec and the output of every stage, computed once so each stage is timed alone.
struct Spec {
    path: PathBuf,
    text: String,
    raw: serde_json::Value,
    normalized: serde_json::Value,
    doc: openapiv3::OpenAPI,
    unnamed: ir::Api,
    api: ir::Api,
    meta: render::Meta,
    options: Options,
    rendered: BTreeMap<String, String>,
}

impl Spec {
    fn new(path: PathBuf, options: Options) -> Spec {
        let text = std::fs::read_to_string(&path).unwrap();
        let raw = load::load(&text).unwrap();
        let mut normalized = raw.clone();
        normalize::normalize(&mut normalized);
        let doc: openapiv3::OpenAPI = serde_path_to_error::deserialize(normalized.clone()).unwrap();
        let unnamed = resolve::resolve(&doc).unwrap();
        let mut api = unnamed.clone();
        naming::assign(&mut api);
        let meta = render::Meta {
            crate_name: options.profile.krate.name.clone(),
            lib_name: options.profile.lib_name(),
            crate_version: options.profile.krate.version.clone(),
            spec_file: options.spec_file.clone(),
            spec_sha256: generator::sha256_hex(&text),
            generator_name: generator::write::GENERATOR_NAME.into(),
            generator_version: generator::VERSION.into(),
            overlays: Vec::new(),
        };
        let rendered = render::render(
            &api,
            &meta,
            &options.templates,
            &options.profile,
            &options.profile_file,
        )
        .unwrap()
        .files;
        Spec {
            path,
            text,
            raw,
            normalized,
            doc,
            unnamed,
            api,
            meta,
            options,
            rendered,
        }
    }
}

/// The pinned Letta 0.7.10 document with its profile (the figures in BENCHMARKS.md are for it).
static MAIN: LazyLock<Spec> = LazyLock::new(|| {
    Spec::new(
        tests::repo_root().join("spec/letta-0.7.10/openapi.json"),
        tests::pinned_options("letta-0.7.10"),
    )
});

/// The largest document of `../shared/specs/history/`, if any (no profile).
static HISTORY: LazyLock<Option<Spec>> =
    LazyLock::new(|| largest_history().map(|p| Spec::new(p, Options::default())));

fn largest_history() -> Option<PathBuf> {
    let dir = tests::shared_dir()?.join("specs/history");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "json" || x == "yaml")
        })
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .map(|e| e.path())
}

fn history_missing_reason() -> &'static str {
    if tests::shared_dir().is_none() {
        "../shared is not beside the repository"
    } else {
        "../shared/specs/history/ holds no .json/.yaml document"
    }
}

fn spec(which: &str) -> Option<&'static Spec> {
    match which {
        "main" => Some(&MAIN),
        _ => HISTORY.as_ref(),
    }
}

const SPECS: &[&str] = &["main", "history"];

#[divan::bench(args = SPECS, sample_count = 10, sample_size = 1)]
fn whole(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    bencher.bench(|| generator::generate(&s.text, &s.options).unwrap());
}

#[divan::bench(args = SPECS, sample_count = 20, sample_size = 1)]
fn stage1_load(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    bencher.bench(|| load::load(&s.text).unwrap());
}

#[divan::bench(args = SPECS, sample_count = 20, sample_size = 1)]
fn stage2_normalize(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    bencher
        .with_inputs(|| s.raw.clone())
        .bench_local_refs(normalize::normalize);
}

#[divan::bench(args = SPECS, sample_count = 20, sample_size = 1)]
fn stage3_parse(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    bencher
        .with_inputs(|| s.normalized.clone())
        .bench_local_values(|v| {
            serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(v).unwrap()
        });
}

#[divan::bench(args = SPECS, sample_count = 20, sample_size = 1)]
fn stage4_resolve(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    bencher.bench(|| resolve::resolve(&s.doc).unwrap());
}

#[divan::bench(args = SPECS, sample_count = 20, sample_size = 1)]
fn stage5_naming(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    bencher
        .with_inputs(|| s.unnamed.clone())
        .bench_local_refs(naming::assign);
}

#[divan::bench(args = SPECS, sample_count = 10, sample_size = 1)]
fn stage6_render(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    let o = &s.options;
    bencher.bench(|| {
        render::render(&s.api, &s.meta, &o.templates, &o.profile, &o.profile_file).unwrap()
    });
}

#[divan::bench(args = SPECS, sample_count = 10, sample_size = 1)]
fn stage7_format(bencher: Bencher, which: &str) {
    let Some(s) = spec(which) else { return };
    bencher
        .with_inputs(|| s.rendered.clone())
        .bench_local_values(|files| {
            generator::format::format_all(files, &s.meta, &generator::Templates::builtin()).unwrap()
        });
}
