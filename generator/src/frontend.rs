//! The front of the pipeline: spec text → `load` → `normalize` → parse (`openapiv3`) → `resolve` →
//! `naming`, giving the named IR that `render` and `diff` read.

use crate::error::{self, Error, Result};
use crate::{ir, load, naming, normalize, overlay, resolve};

/// Parses, normalizes and resolves spec text into the named IR.
///
/// # Errors
///
/// Syntax errors (with line and column) and spec errors (with a JSON pointer).
pub fn load_api(spec_text: &str) -> Result<(ir::Api, normalize::Stats, Vec<String>)> {
    load_api_with(spec_text, &[])
}

/// [`load_api`] with `overlays` applied, in order, to the parsed document before anything else reads it.
///
/// # Errors
///
/// As [`load_api`], plus [`Error::Overlay`] for an action that cannot be applied.
pub fn load_api_with(
    spec_text: &str,
    overlays: &[overlay::Overlay],
) -> Result<(ir::Api, normalize::Stats, Vec<String>)> {
    let mut value = load::load(spec_text)?;
    if !overlays.is_empty() {
        overlay::apply_all(&mut value, overlays)?;
        load::check_root(&value).map_err(|e| Error::Overlay {
            file: overlays
                .iter()
                .map(|o| o.file.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            message: format!("the overlaid document is no longer an OpenAPI document: {e}"),
        })?;
    }
    let stats = normalize::normalize(&mut value);
    let doc: openapiv3::OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        Error::spec(
            pointer,
            format!("not a valid OpenAPI document here: {}", e.inner()),
        )
    })?;
    let mut api = resolve::resolve(&doc)?;
    let warnings = naming::assign(&mut api);
    Ok((api, stats, warnings))
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => pointer = error::push_pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = error::push_pointer(&pointer, key),
            Segment::Enum { variant } => pointer = error::push_pointer(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}
