//! `load`: spec text (JSON or YAML, detected by content) into a `serde_json::Value`, with basic shape checks.

use serde_json::Value;

use crate::error::{Error, Result};

/// Parses spec text. JSON is recognised by a leading `{` or `[`; anything else is read as YAML.
///
/// Errors carry the line and column of the syntax problem, and a JSON pointer for shape problems
/// (not an object, Swagger 2.0, missing `openapi`/`info`).
pub fn load(text: &str) -> Result<Value> {
    let trimmed = text.trim_start_matches('\u{feff}');
    let first = trimmed.chars().find(|c| !c.is_whitespace());
    let value: Value = match first {
        None => {
            return Err(Error::spec(
                "#",
                "the spec is empty: expected an OpenAPI 3 document (JSON or YAML)",
            ));
        }
        Some('{') | Some('[') => serde_json::from_str(trimmed).map_err(|e| Error::Syntax {
            line: e.line(),
            column: e.column(),
            message: format!("invalid JSON: {e}"),
        })?,
        Some(_) => serde_yaml::from_str({
            check_yaml_flow_depth(trimmed)?;
            trimmed
        })
        .map_err(|e| match e.location() {
            Some(l) => Error::Syntax {
                line: l.line(),
                column: l.column(),
                message: format!("invalid YAML: {e}"),
            },
            // Some YAML errors (an alias expanding past the repetition limit) have no position.
            None => Error::spec("#", format!("invalid YAML: {e}")),
        })?,
    };
    check_root(&value)?;
    Ok(value)
}

/// Deepest `[`/`{` flow nesting accepted in YAML text. The YAML parser rejects nesting past 128 levels
/// anyway, but only after scanning the whole flow collection, which takes time quadratic in its depth
/// (100 000 brackets: about a minute); this pre-scan fails fast instead.
pub const MAX_YAML_FLOW_DEPTH: usize = 1000;

/// Counts unclosed flow brackets outside quotes and comments (line by line, approximately: a bracket in a
/// block scalar counts too, which only matters for prose with a thousand unclosed brackets).
fn check_yaml_flow_depth(text: &str) -> Result<()> {
    let mut depth = 0usize;
    for (line_no, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '\'' | '"' => quote = Some(c),
                    '#' if prev.is_whitespace() => break,
                    '[' | '{' => {
                        depth += 1;
                        if depth > MAX_YAML_FLOW_DEPTH {
                            return Err(Error::Syntax {
                                line: line_no + 1,
                                column: col + 1,
                                message: format!(
                                    "invalid YAML: collections nested deeper than {MAX_YAML_FLOW_DEPTH} levels"
                                ),
                            });
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
    }
    Ok(())
}

/// The shape checks [`load`] makes on a parsed document (an object, OpenAPI 3, `info`, `paths`).
///
/// # Errors
///
/// [`Error::Spec`] naming the first problem.
pub fn check_root(value: &Value) -> Result<()> {
    let Some(root) = value.as_object() else {
        let kind = kind_of(value);
        return Err(Error::spec(
            "#",
            format!("the document root is {kind}; an OpenAPI document is an object"),
        ));
    };
    if root.contains_key("swagger") {
        return Err(Error::spec(
            "#/swagger",
            "this is a Swagger 2.0 document; convert it to OpenAPI 3 first (for example with swagger2openapi)",
        ));
    }
    match root.get("openapi") {
        None => {
            return Err(Error::spec(
                "#",
                "missing `openapi` version field; expected \"3.0.x\" or \"3.1.x\"",
            ));
        }
        Some(Value::String(v)) if v.starts_with("3.") => {}
        Some(other) => {
            return Err(Error::spec(
                "#/openapi",
                format!("unsupported OpenAPI version {other}; expected \"3.0.x\" or \"3.1.x\""),
            ));
        }
    }
    match root.get("info") {
        Some(Value::Object(info)) => {
            if !matches!(info.get("title"), Some(Value::String(_))) {
                return Err(Error::spec("#/info/title", "missing or non-string `title`"));
            }
            if !matches!(info.get("version"), Some(Value::String(_))) {
                return Err(Error::spec(
                    "#/info/version",
                    "missing or non-string `version`",
                ));
            }
        }
        Some(other) => {
            return Err(Error::spec(
                "#/info",
                format!("`info` is {}, expected an object", kind_of(other)),
            ));
        }
        None => {
            return Err(Error::spec(
                "#",
                "missing `info` object (title and version are required)",
            ));
        }
    }
    if let Some(paths) = root.get("paths")
        && !paths.is_object()
    {
        return Err(Error::spec(
            "#/paths",
            format!("`paths` is {}, expected an object", kind_of(paths)),
        ));
    }
    Ok(())
}

/// A short description of a JSON value's kind, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests an unwrap is an assertion
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_are_told_apart_by_content() {
        let info = r#""info": {"title": "t", "version": "1"}, "paths": {}"#;
        let json = load(&format!("{{\"openapi\": \"3.1.0\", {info}}}")).unwrap();
        let yaml = load("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        assert_eq!(json["openapi"], "3.1.0");
        assert_eq!(yaml["info"]["title"], "t");
        let bom = load(&format!("\u{feff}{{\"openapi\": \"3.0.3\", {info}}}")).unwrap();
        assert_eq!(bom["openapi"], "3.0.3", "a leading BOM is skipped");
    }

    #[test]
    fn syntax_errors_name_the_line_and_column() {
        for text in ["{\n  \"a\": [1,\n}", "a: [1, 2\nb: c\n"] {
            let err = load(text).unwrap_err();
            assert!(
                matches!(err, Error::Syntax { line, column, .. } if line >= 1 && column >= 1),
                "{err:?}"
            );
        }
        assert!(load("   \n").unwrap_err().to_string().contains("empty"));
    }
}
