//! The minijinja templates that shape every spec-dependent file: the built-in set (`templates/`), and a
//! user's overrides read from a folder (`--templates DIR`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// The templates the generator is built with, from the repository's `templates/` folder.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.j2",
        include_str!("../../templates/Cargo.toml.j2"),
    ),
    ("README.md.j2", include_str!("../../templates/README.md.j2")),
    ("lib.rs.j2", include_str!("../../templates/lib.rs.j2")),
    ("model.rs.j2", include_str!("../../templates/model.rs.j2")),
    (
        "models_mod.rs.j2",
        include_str!("../../templates/models_mod.rs.j2"),
    ),
    ("api.rs.j2", include_str!("../../templates/api.rs.j2")),
    (
        "apis_mod.rs.j2",
        include_str!("../../templates/apis_mod.rs.j2"),
    ),
    ("spec.rs.j2", include_str!("../../templates/spec.rs.j2")),
    (
        "model/struct.rs.j2",
        include_str!("../../templates/model/struct.rs.j2"),
    ),
    (
        "model/enum.rs.j2",
        include_str!("../../templates/model/enum.rs.j2"),
    ),
    (
        "model/int_enum.rs.j2",
        include_str!("../../templates/model/int_enum.rs.j2"),
    ),
    (
        "model/const.rs.j2",
        include_str!("../../templates/model/const.rs.j2"),
    ),
    (
        "model/tagged.rs.j2",
        include_str!("../../templates/model/tagged.rs.j2"),
    ),
    (
        "model/untagged.rs.j2",
        include_str!("../../templates/model/untagged.rs.j2"),
    ),
    (
        "model/alias.rs.j2",
        include_str!("../../templates/model/alias.rs.j2"),
    ),
];

/// A set of templates by name (`model.rs.j2`, `api.rs.j2`, …).
#[derive(Debug, Clone)]
pub struct Templates(BTreeMap<String, String>);

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> Self {
        Templates(
            BUILTIN_TEMPLATES
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        )
    }

    /// The built-in templates, with every template in `overrides` replacing the built-in of the same name.
    ///
    /// # Errors
    ///
    /// A name in `overrides` that is not one of the built-in templates (most likely a typo).
    pub fn with_overrides(overrides: BTreeMap<String, String>) -> Result<Self> {
        let mut t = Self::builtin();
        for (name, text) in overrides {
            if !t.0.contains_key(&name) {
                let known: Vec<&str> = t.0.keys().map(String::as_str).collect();
                return Err(Error::Template {
                    name,
                    message: format!("unknown template; the generator uses: {}", known.join(", ")),
                });
            }
            t.0.insert(name, text);
        }
        Ok(t)
    }

    /// True when the emitted file `path` (relative to the crate) comes only from built-in templates, which
    /// lay out their own output (see [`crate::format`]); false for a file a user's template shapes.
    pub fn lays_out(&self, path: &str) -> bool {
        let builtin = |name: &str| {
            BUILTIN_TEMPLATES
                .iter()
                .any(|(n, text)| *n == name && self.0.get(name).is_some_and(|t| t == text))
        };
        match path {
            "src/lib.rs" => builtin("lib.rs.j2"),
            "src/spec.rs" => builtin("spec.rs.j2"),
            "src/models/mod.rs" => builtin("models_mod.rs.j2"),
            "src/apis/mod.rs" => builtin("apis_mod.rs.j2"),
            p if p.starts_with("src/apis/") => builtin("api.rs.j2"),
            p if p.starts_with("src/models/") => {
                builtin("model.rs.j2")
                    && BUILTIN_TEMPLATES
                        .iter()
                        .filter(|(n, _)| n.starts_with("model/"))
                        .all(|(n, _)| builtin(n))
            }
            _ => false,
        }
    }

    /// Iterates over (name, source).
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }
}

/// Reads every template file under `dir` (relative names, `/`-separated).
pub fn read_templates(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for rel in crate::files::existing_files(dir)? {
        if rel.ends_with(".j2") {
            let path = dir.join(&rel);
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            out.insert(rel, text);
        }
    }
    Ok(out)
}
