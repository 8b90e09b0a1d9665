//! Spec text into rustdoc, safely. Spec text is untrusted: it must never become code, a doctest, a broken
//! intra-doc link or an HTML tag rustdoc complains about.
//!
//! - `\r`, bidi controls and other control characters are removed;
//! - fenced code becomes ```` ```text ```` (never a doctest); an unclosed fence is closed;
//! - indentation outside fences is capped at 3 spaces, so no indented block becomes a Rust doctest;
//! - `[`, `]`, `<`, `>` outside inline code are escaped; bare URLs are wrapped in `<…>`;
//! - each line becomes one `#[doc = " line"]` attribute, built as a string literal by proc-macro2.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Characters removed from spec text: the invisible format characters of [`crate::error::is_invisible`]
/// (bidi controls, zero-width characters, the BOM, line separators) and control characters.
fn is_forbidden(c: char) -> bool {
    crate::error::is_invisible(c) || (c.is_control() && c != '\n' && c != '\t')
}

/// Sanitizes spec text into markdown lines that rustdoc renders as plain documentation.
pub fn sanitize(text: &str) -> Vec<String> {
    // `\r` is a forbidden character, so `\r\n` becomes `\n` with the rest.
    let clean: String = text.chars().filter(|c| !is_forbidden(*c)).collect();
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in clean.split('\n') {
        let line = raw.replace('\t', "    ");
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push(if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.trim_end().to_string());
            continue;
        }
        let indent = (line.len() - trimmed.len()).min(3);
        out.push(format!(
            "{}{}",
            " ".repeat(indent),
            escape_line(trimmed.trim_end())
        ));
    }
    if in_fence {
        out.push("```".into());
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    out
}

/// Escapes markdown/HTML-significant characters outside inline code and wraps bare URLs.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd segments are inside an inline code span (if the backticks pair up).
        if i % 2 == 1 && line.matches('`').count().is_multiple_of(2) {
            out.push_str(part);
            continue;
        }
        let words: Vec<String> = part.split(' ').map(escape_word).collect();
        out.push_str(&words.join(" "));
    }
    out
}

fn escape_word(word: &str) -> String {
    // Most words have no `:`; only those can hold a URL (this runs on every word of every doc).
    let start = if word.as_bytes().contains(&b':') {
        word.find("http://").or_else(|| word.find("https://"))
    } else {
        None
    };
    if let Some(start) = start {
        let (before, url) = word.split_at(start);
        let end = url
            .trim_end_matches(['.', ',', ';', ':', ')', ']', '>', '"', '\''])
            .len();
        let (url, after) = url.split_at(end);
        if !url.contains(['<', '>', '"', '`']) {
            return format!("{}<{}>{}", escape_text(before), url, escape_text(after));
        }
    }
    escape_text(word)
}

fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out
}

/// `///` comment lines for `text` (empty when there is none): for a template (the same lines
/// [`doc_paragraphs`] makes as attributes for quote fragments).
pub fn doc_comment(text: Option<&str>) -> String {
    text.map(|t| comment_lines("///", &sanitize(t)))
        .unwrap_or_default()
}

/// `///` comment lines for several paragraphs, separated by empty doc lines.
pub fn doc_comment_paragraphs(parts: &[String]) -> String {
    comment_lines("///", &paragraph_lines(parts))
}

/// `//!` comment lines for several paragraphs: a module's own documentation.
pub fn inner_doc_comment_paragraphs(parts: &[String]) -> String {
    comment_lines("//!", &paragraph_lines(parts))
}

/// Each line behind `marker` (`///` or `//!`), with the space a `#[doc = " …"]` attribute would carry.
fn comment_lines(marker: &str, lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(marker);
        if !l.is_empty() {
            out.push(' ');
            out.push_str(l);
        }
    }
    out
}

fn paragraph_lines(parts: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for p in parts {
        let s = sanitize(p);
        if s.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(s);
    }
    lines
}

/// `#[doc = "…"]` attributes for several paragraphs, separated by empty doc lines.
pub fn doc_paragraphs(parts: &[String]) -> TokenStream {
    let lines = paragraph_lines(parts);
    let attrs = lines.iter().map(|l| {
        let lit = Literal::string(&format!(" {l}"));
        quote!(#[doc = #lit])
    });
    quote!(#(#attrs)*)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_are_sanitized() {
        let hostile = "Intro [link] <b>bold</b> see https://example.com/x.\r\n\u{202E}evil\u{202C}\n```rust\nfn main() { panic!() }\n```\n    indented code\n```\nunclosed";
        let lines = sanitize(hostile);
        let text = lines.join("\n");
        assert!(!text.contains('\r'));
        assert!(!text.contains('\u{202E}') && !text.contains('\u{202C}'));
        assert!(text.contains("\\[link\\]"), "{text}");
        assert!(text.contains("&lt;b&gt;bold&lt;/b&gt;"), "{text}");
        assert!(text.contains("<https://example.com/x>."), "{text}");
        assert!(!text.contains("```rust"), "no rust fence survives: {text}");
        assert_eq!(
            lines.iter().filter(|l| l.trim() == "```text").count(),
            2,
            "both opening fences become text: {text}"
        );
        assert!(
            lines.iter().any(|l| l == "   indented code"),
            "indentation capped so it is not a code block: {text}"
        );
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.trim_start().starts_with("```"))
                .count()
                % 2,
            0,
            "fences balanced"
        );
        // Doc comments are line comments: quotes, backslashes, comment closers and template syntax
        // stay text, and a line break in the source cannot end one early.
        let hostile = "a \"quoted\" \\ back #[doc = \"x\"] */ {{ x }} {% y %}\nstruct Injected;";
        for docs in [
            doc_comment(Some(hostile)),
            doc_comment_paragraphs(&[hostile.to_string(), "second".into()]),
        ] {
            let parsed: syn::File =
                syn::parse_str(&format!("{docs}\nstruct S;")).expect("valid Rust");
            assert_eq!(parsed.items.len(), 1, "{docs}");
        }
        let inner = inner_doc_comment_paragraphs(&[hostile.to_string()]);
        let parsed: syn::File = syn::parse_str(&format!("{inner}\nstruct S;")).expect("valid Rust");
        assert_eq!(parsed.items.len(), 1, "{inner}");
    }
}
