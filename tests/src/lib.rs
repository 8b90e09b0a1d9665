//! Shared helpers for the test suites in `tests/tests/`.

pub mod gen_support;
pub mod live;
pub mod mock;
pub mod semver_support;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `../shared` beside the repository, when present (history specs live there).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("..").join("shared");
    dir.is_dir().then_some(dir)
}

/// The pinned documents: `spec/<name>/`, each generating `generated/<name>/`.
pub const PINNED: [&str; 2] = ["letta-0.7.10", "letta-0.16.8"];

/// The Letta 0.7.10 document, the SDK `letta-api-0-7` is built from.
pub fn spec_text() -> String {
    pinned_spec_text("letta-0.7.10")
}

/// The text of a pinned document (`spec/<name>/openapi.json`).
pub fn pinned_spec_text(name: &str) -> String {
    let path = repo_root().join("spec").join(name).join("openapi.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The options `cargo run -p generator` uses for a pinned document: its profile (and the files it names),
/// the overlays in `spec/<name>/overlays/`, and the spec path as headers record it.
pub fn pinned_options(name: &str) -> generator::Options {
    let rel = format!("spec/{name}/profile.yaml");
    let profile = generator::profile::Profile::read(&repo_root().join(&rel), &rel)
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    generator::Options {
        spec_file: format!("spec/{name}/openapi.json"),
        profile,
        profile_file: rel,
        overlays: pinned_overlays(name),
        ..generator::Options::default()
    }
}

/// The overlays of a pinned document (`spec/<name>/overlays/*.yaml`, in file-name order).
pub fn pinned_overlays(name: &str) -> Vec<generator::overlay::Overlay> {
    let rel = format!("spec/{name}/overlays");
    generator::overlay::read_dir(&repo_root().join(&rel), &rel)
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A file under `tests/data/`.
pub fn data(rel: &str) -> String {
    let path = repo_root().join("tests/data").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Rust examples of the repository's README, compiled (not run) as doctests of this crate, so the
/// README cannot drift from the SDK it shows.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
