//! The generator's error type: every failure names the place it comes from.

use std::path::PathBuf;

/// Everything that can go wrong while turning a spec into an SDK.
///
/// Each variant names where the problem is: a line and column in the spec text, a JSON pointer into the
/// document (`#/paths/~1v1~1agents~1/post/requestBody`), a template name, or an emitted file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec text is not valid JSON or YAML.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the parser reported.
        message: String,
    },
    /// The document parsed but is not an OpenAPI 3 document the generator can use.
    #[error("{pointer}: {message}")]
    Spec {
        /// JSON pointer (with a leading `#`) to the offending value.
        pointer: String,
        /// What is wrong and, where possible, how to fix it.
        message: String,
    },
    /// Two spec names map to the same Rust name and no deterministic rule applies.
    #[error("{message}")]
    Naming {
        /// Which names collide and where they come from.
        message: String,
    },
    /// A template failed to load or render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's name (its file name under the templates folder).
        name: String,
        /// minijinja's description, with the template line where it has one.
        message: String,
    },
    /// A rendered file is not valid Rust (a template or naming bug).
    #[error("emitted file `{file}` is not valid Rust at line {line}, column {column}: {message}")]
    EmittedRust {
        /// Relative path of the emitted file.
        file: String,
        /// 1-based line in the rendered (unformatted) text.
        line: usize,
        /// 1-based column.
        column: usize,
        /// syn's message.
        message: String,
    },
    /// The profile beside the spec is malformed or names something the spec lacks.
    #[error("{file}: {message}")]
    Profile {
        /// The profile file.
        file: String,
        /// The key (`streaming.events[2].schema`) or line and column, and what is wrong.
        message: String,
    },
    /// An overlay is malformed, or one of its actions cannot be applied to the spec.
    #[error("{file}: {message}")]
    Overlay {
        /// The overlay file.
        file: String,
        /// The action (`actions[2]`) and what is wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// Shorthand for [`Error::Spec`].
    pub fn spec(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Spec {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Result alias used across the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
///
/// Pointers are written in their URI-fragment form (`#/…`), and they reach messages and generated docs, so
/// `%`, control characters and invisible format characters (bidi controls, zero-width characters) are
/// percent-encoded as UTF-8 (RFC 6901 §6): a pointer is always one visible line.
pub fn push_pointer(base: &str, token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    for c in token.chars() {
        match c {
            '~' => escaped.push_str("~0"),
            '/' => escaped.push_str("~1"),
            c if c == '%' || c.is_control() || is_invisible(c) => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    escaped.push_str(&format!("%{b:02X}"));
                }
            }
            c => escaped.push(c),
        }
    }
    format!("{base}/{escaped}")
}

/// Format characters that render as nothing (or reorder text): bidi controls, zero-width characters,
/// the byte-order mark, line and paragraph separators.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}
