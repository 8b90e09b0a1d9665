//! `write` and `check`: the only I/O of generation. Writing touches only changed files and removes stale
//! ones; checking writes nothing and reports what differs, with the first differing hunk of each file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::error::{Error, Result};

/// What differs between the generated files and a folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Files the generator emits that the folder lacks.
    pub added: Vec<String>,
    /// Files in the folder that the generator does not emit.
    pub removed: Vec<String>,
    /// Files whose content differs, with the first differing hunk as a unified diff.
    pub changed: Vec<(String, String)>,
}

impl Drift {
    /// True when the folder matches.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// A human-readable report.
    pub fn report(&self, out_dir: &Path) -> String {
        let mut s = String::new();
        for a in &self.added {
            s.push_str(&format!(
                "missing: {} (the generator emits it; it is not in {})\n",
                a,
                out_dir.display()
            ));
        }
        for r in &self.removed {
            s.push_str(&format!(
                "extra:   {} (in {} but not emitted by the generator)\n",
                r,
                out_dir.display()
            ));
        }
        for (c, hunk) in &self.changed {
            s.push_str(&format!("changed: {c}\n{hunk}\n"));
        }
        s
    }
}

/// Compares `files` with the contents of `dir` without writing anything.
pub fn check(files: &BTreeMap<String, String>, dir: &Path) -> Result<Drift> {
    let existing = crate::files::existing_files(dir)?;
    let mut drift = Drift::default();
    for (rel, text) in files {
        if !existing.contains(rel) {
            drift.added.push(rel.clone());
            continue;
        }
        let path = dir.join(rel);
        let current = fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let current = String::from_utf8_lossy(&current);
        if current != *text {
            drift
                .changed
                .push((rel.clone(), first_hunk(rel, &current, text)));
        }
    }
    drift.removed = existing
        .into_iter()
        .filter(|f| !files.contains_key(f))
        .collect();
    Ok(drift)
}

/// The first differing hunk between the file on disk and the generated text.
pub fn first_hunk(name: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut unified = diff.unified_diff();
    let unified = unified.context_radius(3).header(
        &format!("a/{name} (on disk)"),
        &format!("b/{name} (generated)"),
    );
    match unified.iter_hunks().next() {
        Some(h) => format!("--- a/{name} (on disk)\n+++ b/{name} (generated)\n{h}"),
        None => String::from("(files differ only in line endings or a final newline)\n"),
    }
}

/// Writes `files` into `dir`: only changed files are written, stale ones removed, empty folders pruned.
///
/// Each file is written to a temporary sibling and renamed into place, so a failure never leaves a
/// half-written file.
pub fn write(files: &BTreeMap<String, String>, dir: &Path) -> Result<Drift> {
    let drift = preflight(files, dir)?;
    apply(files, dir, drift)
}

/// What [`write()`] would change in `dir`, or the error it would refuse with (a file in the folder that the
/// generator did not write would have to be deleted). Writes nothing: run it on every folder of a
/// multi-crate run first, so that a refusal anywhere leaves every folder as it was.
///
/// # Errors
///
/// [`Error::Io`] naming the folder and the user's files in it, or a read failure.
pub fn preflight(files: &BTreeMap<String, String>, dir: &Path) -> Result<Drift> {
    let drift = check(files, dir)?;
    let foreign: Vec<&String> = drift
        .removed
        .iter()
        .filter(|rel| !is_generated_file(&dir.join(rel)))
        .collect();
    if !foreign.is_empty() {
        let list: Vec<&str> = foreign.iter().take(5).map(|s| s.as_str()).collect();
        return Err(Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::other(format!(
                "the output folder holds {} file(s) the generator did not write ({}{}); nothing was changed. \
                 Move them away or choose another --out folder",
                foreign.len(),
                list.join(", "),
                if foreign.len() > 5 { ", ..." } else { "" }
            )),
        });
    }
    Ok(drift)
}

fn apply(files: &BTreeMap<String, String>, dir: &Path, drift: Drift) -> Result<Drift> {
    let touched: BTreeSet<&String> = drift
        .added
        .iter()
        .chain(drift.changed.iter().map(|(f, _)| f))
        .collect();
    for rel in touched {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let tmp: PathBuf = path.with_extension("generator-tmp");
        fs::write(&tmp, &files[rel]).map_err(|source| Error::Io {
            path: tmp.clone(),
            source,
        })?;
        fs::rename(&tmp, &path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    for rel in &drift.removed {
        let path = dir.join(rel);
        fs::remove_file(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let mut parent = path.parent();
        while let Some(p) = parent {
            if p == dir || fs::remove_dir(p).is_err() {
                break;
            }
            parent = p.parent();
        }
    }
    Ok(drift)
}

/// The generator's name: one literal for [`GENERATOR_NAME`] and [`MARKER`].
macro_rules! generator_name {
    () => {
        "letta-sdk-generator"
    };
}

/// The generator's name, as every emitted file's header names it.
pub const GENERATOR_NAME: &str = generator_name!();

/// The marker every emitted file carries in its first lines.
pub const MARKER: &str = concat!("@generated by ", generator_name!());

/// True when the file at `path` starts with the generator's marker.
fn is_generated_file(path: &Path) -> bool {
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    let head = &bytes[..bytes.len().min(512)];
    String::from_utf8_lossy(head).contains(MARKER)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests an unwrap is an assertion
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("generator-write-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(p, t)| ((*p).to_string(), format!("// {MARKER} test\n{t}\n")))
            .collect()
    }

    #[test]
    fn check_reports_added_removed_and_changed_files_with_a_hunk() {
        let dir = tmp("check");
        let v1 = files(&[
            ("src/a.rs", "one"),
            ("src/b.rs", "two"),
            ("src/old.rs", "x"),
        ]);
        write(&v1, &dir).unwrap();
        assert!(check(&v1, &dir).unwrap().is_empty());
        let v2 = files(&[
            ("src/a.rs", "one"),
            ("src/b.rs", "TWO"),
            ("src/new.rs", "y"),
        ]);
        let drift = check(&v2, &dir).unwrap();
        assert_eq!(drift.added, ["src/new.rs"]);
        assert_eq!(drift.removed, ["src/old.rs"]);
        assert_eq!(drift.changed.len(), 1);
        assert!(drift.changed[0].1.contains("-two") && drift.changed[0].1.contains("+TWO"));
        let report = drift.report(&dir);
        assert!(report.contains("missing: src/new.rs") && report.contains("extra:   src/old.rs"));
        // Writing applies exactly that, removes the stale file and its empty folder, then touches nothing.
        let applied = write(&v2, &dir).unwrap();
        assert_eq!(
            (
                applied.added.len(),
                applied.removed.len(),
                applied.changed.len()
            ),
            (1, 1, 1)
        );
        assert!(
            write(&v2, &dir).unwrap().is_empty(),
            "a second write touches nothing"
        );
        assert!(!dir.join("src/old.rs").exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_without_the_marker_is_never_deleted_and_nothing_is_written() {
        let dir = tmp("foreign");
        let v1 = files(&[("src/a.rs", "one")]);
        write(&v1, &dir).unwrap();
        fs::write(dir.join("src/mine.rs"), "// my notes\n").unwrap();
        let v2 = files(&[("src/a.rs", "changed")]);
        let err = preflight(&v2, &dir).unwrap_err();
        assert!(err.to_string().contains("src/mine.rs"), "{err}");
        assert!(write(&v2, &dir).is_err());
        assert_eq!(
            fs::read_to_string(dir.join("src/mine.rs")).unwrap(),
            "// my notes\n"
        );
        assert!(
            fs::read_to_string(dir.join("src/a.rs"))
                .unwrap()
                .contains("one"),
            "unchanged"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_marker_is_the_generator_name_after_generated_by() {
        assert_eq!(MARKER, format!("@generated by {GENERATOR_NAME}"));
    }
}
