//! OpenAPI Overlays (Overlay Specification 1.0): repeatable, reviewable fixes to a spec that is wrong,
//! kept beside it instead of editing it.
//!
//! An overlay is a JSON or YAML document:
//!
//! ```yaml
//! overlay: 1.0.0
//! info: {title: Fix the export response, version: 1.0.0}
//! actions:
//!   - target: $.paths['/v1/agents/{agent_id}/export'].get.responses['200'].content['application/json'].schema
//!     description: the server answers an object, not a string
//!     remove: true
//!   - target: $.paths['/v1/agents/{agent_id}/export'].get.responses['200'].content['application/json']
//!     update:
//!       schema: {$ref: '#/components/schemas/AgentFileSchema'}
//! ```
//!
//! Actions run in order, each on the result of the previous one. `target` is an RFC 9535 JSONPath query
//! (parsed and run by `serde_json_path`). With `remove: true` every selected node is removed from the
//! object or array holding it; otherwise `update` is merged into every selected node: into an object it
//! merges recursively (a key only in the update is added, objects merge, arrays concatenate, a primitive
//! replaces a primitive; other pairs are an error), and onto an array it is appended. To replace a value,
//! remove it first and then add it back through its parent, as above.
//!
//! Stricter than the specification, because an overlay that silently does nothing hides a fix that no
//! longer applies: a target that selects nothing is an error, as are an action with neither `update` nor
//! `remove` and a target that selects a primitive. Every error names the overlay file and the action's
//! index (`actions[1]`).

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Error, Result};
use crate::load::kind_of;

/// The folder beside a spec whose `*.yaml`, `*.yml` and `*.json` files are applied by default, in file-name
/// order.
pub const OVERLAY_DIR: &str = "overlays";

/// A parsed overlay document and where it came from.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file name as errors and the `@generated` header show it (relative, `/`-separated).
    pub file: String,
    /// sha256 of the overlay text, recorded in the `@generated` header.
    pub sha256: String,
    /// `info.title`.
    pub title: String,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

/// One action of an overlay.
#[derive(Debug, Clone)]
pub struct Action {
    /// The JSONPath query as written.
    pub target: String,
    path: JsonPath,
    /// `description`, if any.
    pub description: Option<String>,
    /// What the action does.
    pub change: Change,
}

/// What an action does to each node its target selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge into an object, or append to an array.
    Update(Value),
    /// Remove from the containing object or array.
    Remove,
}

fn overlay_error(file: &str, message: impl Into<String>) -> Error {
    Error::Overlay {
        file: file.to_string(),
        message: message.into(),
    }
}

impl Overlay {
    /// Parses overlay text (JSON or YAML). `file` names the overlay in errors and headers.
    ///
    /// # Errors
    ///
    /// [`Error::Overlay`] for text that is not JSON/YAML (with line and column), a missing or unsupported
    /// `overlay` version, missing `info` or `actions`, an unknown key (other than `x-…`), or an action whose
    /// `target` is not valid JSONPath, or that has neither `update` nor `remove: true`.
    pub fn parse(text: &str, file: &str) -> Result<Overlay> {
        let doc: Value = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(l) => overlay_error(
                file,
                format!(
                    "line {}, column {}: invalid YAML/JSON: {e}",
                    l.line(),
                    l.column()
                ),
            ),
            None => overlay_error(file, format!("invalid YAML/JSON: {e}")),
        })?;
        let Value::Object(root) = doc else {
            return Err(overlay_error(
                file,
                format!(
                    "the document is {}, expected an overlay object",
                    kind_of(&doc)
                ),
            ));
        };
        for key in root.keys() {
            if !matches!(key.as_str(), "overlay" | "info" | "extends" | "actions")
                && !key.starts_with("x-")
            {
                return Err(overlay_error(
                    file,
                    format!(
                        "unknown key `{key}` (an overlay has overlay, info, extends, actions and x-… keys)"
                    ),
                ));
            }
        }
        match root.get("overlay") {
            Some(Value::String(v)) if v == "1.0.0" || v.starts_with("1.0.") => {}
            Some(other) => {
                return Err(overlay_error(
                    file,
                    format!(
                        "`overlay` is {other}; this generator applies Overlay Specification 1.0.x (write `overlay: 1.0.0`)"
                    ),
                ));
            }
            None => {
                return Err(overlay_error(
                    file,
                    "missing `overlay: 1.0.0`: is this an overlay document?",
                ));
            }
        }
        let title = match root.get("info") {
            Some(Value::Object(info)) => match (info.get("title"), info.get("version")) {
                (Some(Value::String(t)), Some(Value::String(_))) => t.clone(),
                _ => {
                    return Err(overlay_error(
                        file,
                        "`info` needs a string `title` and a string `version`",
                    ));
                }
            },
            _ => {
                return Err(overlay_error(
                    file,
                    "missing `info` object (title and version)",
                ));
            }
        };
        let Some(Value::Array(raw_actions)) = root.get("actions") else {
            return Err(overlay_error(file, "missing `actions` list"));
        };
        if raw_actions.is_empty() {
            return Err(overlay_error(
                file,
                "`actions` is empty: an overlay changes something",
            ));
        }
        let mut actions = Vec::with_capacity(raw_actions.len());
        for (i, raw) in raw_actions.iter().enumerate() {
            actions.push(parse_action(raw, file, i)?);
        }
        Ok(Overlay {
            file: file.to_string(),
            sha256: crate::sha256_hex(text),
            title,
            actions,
        })
    }

    /// Applies every action in order to `doc`.
    ///
    /// # Errors
    ///
    /// [`Error::Overlay`] naming the file and the action: a target that selects nothing, the document
    /// root, or a primitive; an `update` that is not an object for an object target; or a merge of
    /// incompatible values (with the JSON pointer where they meet).
    pub fn apply(&self, doc: &mut Value) -> Result<()> {
        for (i, action) in self.actions.iter().enumerate() {
            action.apply(doc).map_err(|message| {
                overlay_error(
                    &self.file,
                    format!("actions[{i}] (target `{}`): {message}", action.target),
                )
            })?;
        }
        Ok(())
    }
}

fn parse_action(raw: &Value, file: &str, i: usize) -> Result<Action> {
    let at = |message: String| overlay_error(file, format!("actions[{i}]: {message}"));
    let Value::Object(obj) = raw else {
        return Err(at(format!(
            "is {}, expected an object with `target`",
            kind_of(raw)
        )));
    };
    for key in obj.keys() {
        if !matches!(key.as_str(), "target" | "description" | "update" | "remove")
            && !key.starts_with("x-")
        {
            return Err(at(format!(
                "unknown key `{key}` (an action has target, description, update, remove and x-… keys)"
            )));
        }
    }
    let target = match obj.get("target") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => {
            return Err(at(format!(
                "`target` is {}, expected a JSONPath string",
                kind_of(other)
            )));
        }
        None => {
            return Err(at(
                "missing `target` (a JSONPath query such as `$.paths['/v1/x'].get`)".into(),
            ));
        }
    };
    let path = JsonPath::parse(&target).map_err(|e| {
        at(format!(
            "`target` is not a valid RFC 9535 JSONPath query: {e}"
        ))
    })?;
    let description = match obj.get("description") {
        None => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(other) => {
            return Err(at(format!(
                "`description` is {}, expected a string",
                kind_of(other)
            )));
        }
    };
    let remove = match obj.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(at(format!(
                "`remove` is {}, expected true or false",
                kind_of(other)
            )));
        }
    };
    let change = match (remove, obj.get("update")) {
        (true, _) => Change::Remove,
        (false, Some(update)) => Change::Update(update.clone()),
        (false, None) => {
            return Err(at(
                "has neither `update` nor `remove: true`, so it would do nothing".into(),
            ));
        }
    };
    Ok(Action {
        target,
        path,
        description,
        change,
    })
}

impl Action {
    fn apply(&self, doc: &mut Value) -> std::result::Result<(), String> {
        let pointers: Vec<String> = self
            .path
            .query_located(doc)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            return Err(
                "selects nothing in the document (has the spec changed? fix or delete the action)"
                    .into(),
            );
        }
        match &self.change {
            Change::Remove => {
                // Remove later array elements first, so earlier indices stay valid.
                let mut pointers = pointers;
                pointers.sort_by(|a, b| compare_pointers(b, a));
                for pointer in &pointers {
                    remove_at(doc, pointer)?;
                }
            }
            Change::Update(update) => {
                for pointer in &pointers {
                    let node = doc
                        .pointer_mut(pointer)
                        .ok_or_else(|| format!("#{pointer}: the selected node is gone"))?;
                    match node {
                        Value::Object(target) => {
                            let Value::Object(fields) = update else {
                                return Err(format!(
                                    "#{pointer} is an object, so `update` must be an object of properties to merge, not {}",
                                    kind_of(update)
                                ));
                            };
                            merge_object(target, fields, pointer)?;
                        }
                        Value::Array(items) => items.push(update.clone()),
                        other => {
                            return Err(format!(
                                "#{pointer} is {}; a target selects objects or arrays (to change a primitive, target the object holding it and update that key)",
                                kind_of(other)
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Orders JSON pointers so that array indices compare as numbers.
fn compare_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let seg = |s: &str| -> Vec<(u64, String)> {
        s.split('/')
            .map(|t| (t.parse::<u64>().unwrap_or(u64::MAX), t.to_string()))
            .collect()
    };
    seg(a).cmp(&seg(b))
}

fn remove_at(doc: &mut Value, pointer: &str) -> std::result::Result<(), String> {
    let Some(split) = pointer.rfind('/') else {
        return Err("selects the document root, which cannot be removed".into());
    };
    let (parent_pointer, last) = pointer.split_at(split);
    let key = last[1..].replace("~1", "/").replace("~0", "~");
    let parent = doc
        .pointer_mut(parent_pointer)
        .ok_or_else(|| format!("#{parent_pointer}: the selected node's parent is gone"))?;
    match parent {
        Value::Object(map) => {
            map.shift_remove(&key);
        }
        Value::Array(items) => {
            let index: usize = key
                .parse()
                .map_err(|_| format!("#{pointer}: not an array index"))?;
            if index < items.len() {
                items.remove(index);
            }
        }
        _ => return Err(format!("#{parent_pointer} holds no removable member")),
    }
    Ok(())
}

fn merge_object(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
    pointer: &str,
) -> std::result::Result<(), String> {
    for (key, new) in update {
        let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
        match (target.get_mut(key), new) {
            (None, _) => {
                target.insert(key.clone(), new.clone());
            }
            (Some(Value::Object(old)), Value::Object(new)) => merge_object(old, new, &here)?,
            (Some(Value::Array(old)), Value::Array(new)) => old.extend(new.iter().cloned()),
            (Some(old), new)
                if !old.is_object() && !old.is_array() && !new.is_object() && !new.is_array() =>
            {
                *old = new.clone();
            }
            (Some(old), new) => {
                return Err(format!(
                    "#{here}: cannot merge {} into {} (remove the old value in an earlier action, then add the new one)",
                    kind_of(new),
                    kind_of(old)
                ));
            }
        }
    }
    Ok(())
}

/// Reads every overlay file in `dir` (`*.yaml`, `*.yml`, `*.json`, in file-name order). A missing folder
/// is no overlays. `display_dir` is how the folder is named in errors and headers.
///
/// # Errors
///
/// A folder or file that cannot be read, or an overlay that does not parse.
pub fn read_dir(dir: &std::path::Path, display_dir: &str) -> Result<Vec<Overlay>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().to_string();
        if [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            names.push(name);
        }
    }
    names.sort();
    names
        .iter()
        .map(|name| read_file(&dir.join(name), &format!("{display_dir}/{name}")))
        .collect()
}

/// Reads and parses one overlay file; `display` names it in errors and headers.
///
/// # Errors
///
/// A file that cannot be read, or an overlay that does not parse.
pub fn read_file(path: &std::path::Path, display: &str) -> Result<Overlay> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Overlay::parse(&text, display)
}

/// The overlays of a spec: those in the [`OVERLAY_DIR`] folder beside a spec file (unless `skip_beside`;
/// a URL has none), then the files `extra`, in that order. Files are named relative to the working folder
/// in errors and headers.
///
/// # Errors
///
/// A folder or file that cannot be read, or an overlay that does not parse.
pub fn for_spec(
    spec: &crate::source::SpecSource,
    extra: &[std::path::PathBuf],
    skip_beside: bool,
) -> Result<Vec<Overlay>> {
    use crate::source::relative_name;
    let mut overlays = Vec::new();
    if let Some(dir) = spec
        .path()
        .and_then(std::path::Path::parent)
        .filter(|_| !skip_beside)
    {
        let folder = dir.join(OVERLAY_DIR);
        overlays = read_dir(&folder, &relative_name(&folder))?;
    }
    for path in extra {
        overlays.push(read_file(path, &relative_name(path))?);
    }
    Ok(overlays)
}

/// Applies `overlays` in order.
///
/// # Errors
///
/// The first overlay action that fails.
pub fn apply_all(doc: &mut Value, overlays: &[Overlay]) -> Result<()> {
    overlays.iter().try_for_each(|o| o.apply(doc))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests an unwrap is an assertion
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: &str) -> Overlay {
        Overlay::parse(
            &format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}"),
            "fix.yaml",
        )
        .unwrap()
    }

    fn apply_err(doc: &mut Value, actions: &str) -> String {
        overlay(actions).apply(doc).unwrap_err().to_string()
    }

    #[test]
    fn update_merges_recursively_and_appends_to_arrays() {
        let mut doc =
            json!({"info": {"title": "a", "x": {"k": 1}}, "tags": [{"name": "a"}], "list": [1]});
        overlay(
            "  - target: $.info\n    update: {title: b, x: {j: 2}, list: [3]}\n  - target: $.tags\n    update: {name: b}\n",
        )
        .apply(&mut doc)
        .unwrap();
        assert_eq!(
            doc,
            json!({"info": {"title": "b", "x": {"k": 1, "j": 2}, "list": [3]}, "tags": [{"name": "a"}, {"name": "b"}], "list": [1]})
        );
    }

    #[test]
    fn remove_then_update_replaces_a_value() {
        let mut doc = json!({"r": {"content": {"schema": {"type": "string"}}}});
        overlay(
            "  - target: $.r.content.schema\n    remove: true\n  - target: $.r.content\n    update: {schema: {$ref: '#/components/schemas/A'}}\n",
        )
        .apply(&mut doc)
        .unwrap();
        assert_eq!(
            doc,
            json!({"r": {"content": {"schema": {"$ref": "#/components/schemas/A"}}}})
        );
    }

    #[test]
    fn remove_of_several_array_elements_keeps_the_others() {
        let mut doc = json!({"a": [{"x": 1}, {"x": 2}, {"x": 3}, {"x": 4}]});
        overlay("  - target: $.a[?@.x > 1 && @.x < 4]\n    remove: true\n")
            .apply(&mut doc)
            .unwrap();
        assert_eq!(doc, json!({"a": [{"x": 1}, {"x": 4}]}));
    }

    #[test]
    fn bad_overlays_name_the_file_and_action() {
        let mut doc = json!({"info": {"title": "a"}, "paths": {}});
        let err = apply_err(&mut doc, "  - target: $.nothing\n    remove: true\n");
        assert!(
            err.starts_with("fix.yaml: actions[0] (target `$.nothing`): selects nothing"),
            "{err}"
        );
        let err = apply_err(&mut doc, "  - target: $.info.title\n    update: {a: 1}\n");
        assert!(
            err.contains("actions[0]") && err.contains("#/info/title is a string"),
            "{err}"
        );
        let err = apply_err(&mut doc, "  - target: $.info\n    update: 3\n");
        assert!(err.contains("`update` must be an object"), "{err}");
        let err = apply_err(
            &mut doc,
            "  - target: $.info\n    update: {title: {a: 1}}\n",
        );
        assert!(
            err.contains("#/info/title: cannot merge an object into a string"),
            "{err}"
        );
        let err = apply_err(&mut doc, "  - target: $\n    remove: true\n");
        assert!(err.contains("document root"), "{err}");

        let parse = |text: &str| Overlay::parse(text, "o.yaml").unwrap_err().to_string();
        let head = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n";
        let err = parse(&format!(
            "{head}actions:\n  - target: $.a\n  - target: '$[unclosed'\n    remove: true\n"
        ));
        assert!(err.starts_with("o.yaml: actions[0]: has neither"), "{err}");
        let err = parse(&format!(
            "{head}actions:\n  - target: '$[unclosed'\n    remove: true\n"
        ));
        assert!(
            err.starts_with("o.yaml: actions[0]: `target` is not a valid RFC 9535 JSONPath"),
            "{err}"
        );
        let err = parse(&format!(
            "{head}actions:\n  - target: $.a\n    updates: {{}}\n"
        ));
        assert!(err.contains("actions[0]: unknown key `updates`"), "{err}");
        let err = parse("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n");
        assert!(err.contains("Overlay Specification 1.0.x"), "{err}");
        let err = parse("openapi: 3.1.0\n");
        assert!(err.contains("unknown key `openapi`"), "{err}");
        let err = parse("overlay: 1.0.0\ninfo: [\n");
        assert!(err.starts_with("o.yaml: line "), "{err}");
    }
}
