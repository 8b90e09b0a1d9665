//! `printer`: quote-built fragments into formatted Rust text, without a parser.
//!
//! The built-in templates are laid out by hand; what they insert are fragments built with quote (types,
//! attributes, expressions, statement lists). [`print()`] writes such a token stream the way rustfmt would
//! lay out the small shapes the generator builds: no spaces inside paths and generics, one statement per
//! line, multi-line blocks for bodies and `match`es, `#[doc = "…"]` as `///` lines. It never reorders or
//! drops a token, and where it is unsure it writes a space, so the text lexes back to the same tokens
//! (checked on every fragment in debug builds, which all tests are: a fragment that would not round-trip
//! is written with proc-macro2's own spacing instead, and counted by [`fallbacks`]).
//!
//! This is what lets a generation run skip the syn parse and prettyplease pass over every emitted file:
//! see [`crate::format`].

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Prints `tokens` as formatted Rust, at indentation level zero (nested blocks indent by four spaces;
/// a template indents the whole fragment with minijinja's `indent` filter).
pub fn print(tokens: &TokenStream) -> String {
    let mut p = Printer::default();
    p.seq(&flatten(tokens.clone()), 0, Mode::Flow);
    let out = p.finish();
    #[cfg(debug_assertions)]
    if !round_trips(tokens, &out) {
        // A printer bug: fall back to proc-macro2's own spacing, which is always the same tokens, and
        // count it so that tests fail (see [`fallbacks`]).
        FALLBACKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return tokens.to_string();
    }
    out
}

/// How many fragments this process could not print faithfully (debug builds check every fragment and
/// fall back to proc-macro2's spacing for those; release builds do not check and report 0). Any count
/// above zero is a printer bug: the test suites assert it stays zero over every document they generate.
pub fn fallbacks() -> usize {
    #[cfg(debug_assertions)]
    return FALLBACKS.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(debug_assertions))]
    0
}

#[cfg(debug_assertions)]
static FALLBACKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// `.print()` on a token stream: [`print()`] as a method.
pub trait Print {
    /// The tokens as formatted Rust (see [`print()`]).
    fn print(&self) -> String;
}

impl Print for TokenStream {
    fn print(&self) -> String {
        print(self)
    }
}

/// One printable unit: an operator made of joint punctuation (`::`, `->`, `'a`), a word, a literal, or
/// a delimited group.
#[derive(Debug, Clone)]
enum Tok {
    Word(String),
    Lit(String),
    Op(String),
    Lifetime(String),
    Group(Delimiter, Vec<Tok>),
}

fn flatten(tokens: TokenStream) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::new();
    let mut op = String::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) => {
                if p.as_char() == '\''
                    && op.is_empty()
                    && p.spacing() == Spacing::Joint
                    && let Some(TokenTree::Ident(_)) = iter.peek()
                {
                    if let Some(TokenTree::Ident(i)) = iter.next() {
                        out.push(Tok::Lifetime(format!("'{i}")));
                    }
                    continue;
                }
                op.push(p.as_char());
                if p.spacing() == Spacing::Alone
                    || !matches!(iter.peek(), Some(TokenTree::Punct(_)))
                {
                    out.push(Tok::Op(std::mem::take(&mut op)));
                }
            }
            other => {
                if !op.is_empty() {
                    out.push(Tok::Op(std::mem::take(&mut op)));
                }
                out.push(match other {
                    TokenTree::Ident(i) => Tok::Word(i.to_string()),
                    TokenTree::Literal(l) => Tok::Lit(l.to_string()),
                    TokenTree::Group(g) => Tok::Group(g.delimiter(), flatten(g.stream())),
                    TokenTree::Punct(_) => continue,
                });
            }
        }
    }
    if !op.is_empty() {
        out.push(Tok::Op(op));
    }
    out
}

/// How a token sequence is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A fragment or a parenthesized list: statements and attributes end lines, commas do not.
    Flow,
    /// The inside of a multi-line `{ … }`: statements, attributes and top-level commas end lines.
    Block,
}

#[derive(Default)]
struct Printer {
    out: String,
    /// True when the current line has no token yet.
    fresh: bool,
    /// Indentation of the current line.
    level: usize,
}

/// Words after which `(`, `[` or `::` is separated by a space (they are not callees or path heads).
const SPACED_KEYWORDS: &[&str] = &[
    "as", "break", "const", "dyn", "else", "enum", "fn", "for", "if", "impl", "in", "let", "loop",
    "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "type",
    "unsafe", "use", "where", "while",
];

/// What the previous token was, as far as spacing cares.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Prev {
    /// Start of a line or group.
    Start,
    /// A word that can be called, indexed or followed by `::` / `<` / `!` without a space.
    Callee,
    /// A keyword (`impl`, `for`, `let`, …).
    Keyword,
    /// A literal or a lifetime.
    Value,
    /// A closing delimiter (after which `(`, `[`, `.`, `?` attach).
    Close,
    /// An operator that takes no space after it (`::`, `.`, `&`, `#`, `!`, unary `-`/`*`, `<`, a closure's
    /// opening `|`).
    Tight,
    /// `>` closing generics.
    Generic,
    /// Any other operator (`=`, `=>`, `->`, `,`, `:`, `|`, binary `+`…), followed by a space.
    Spaced,
}

impl Printer {
    fn finish(mut self) -> String {
        while self.out.ends_with([' ', '\n']) {
            self.out.pop();
        }
        self.out
    }

    fn newline(&mut self) {
        if self.fresh {
            return;
        }
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push('\n');
        self.fresh = true;
    }

    fn put(&mut self, space: bool, text: &str) {
        if self.fresh {
            for _ in 0..self.level {
                self.out.push_str("    ");
            }
            self.fresh = false;
        } else if space {
            self.out.push(' ');
        }
        self.out.push_str(text);
    }

    /// Prints a sequence at nesting `level`; returns nothing, tracks spacing locally.
    fn seq(&mut self, toks: &[Tok], level: usize, mode: Mode) {
        self.level = level;
        if self.out.is_empty() {
            self.fresh = true;
        }
        let mut prev = Prev::Start;
        // Open closure parameter lists (`|a, b|`) in this sequence.
        let mut closure_open = false;
        let mut i = 0;
        while let Some(tok) = toks.get(i) {
            let next = toks.get(i + 1);
            match tok {
                Tok::Op(op) if op == "#" || op == "#!" => {
                    // An attribute: `#[…]` or `#![…]` (`#!` is one token when quote joined it).
                    let (bang, group) = match (next, toks.get(i + 2)) {
                        (Some(g @ Tok::Group(Delimiter::Bracket, _)), _) if op == "#!" => {
                            (true, Some(g))
                        }
                        (Some(Tok::Op(b)), Some(g @ Tok::Group(Delimiter::Bracket, _)))
                            if b == "!" =>
                        {
                            (true, Some(g))
                        }
                        (Some(g @ Tok::Group(Delimiter::Bracket, _)), _) => (false, Some(g)),
                        _ => (false, None),
                    };
                    let Some(Tok::Group(_, inner)) = group else {
                        self.put(prev != Prev::Start && prev != Prev::Tight, "#");
                        prev = Prev::Tight;
                        i += 1;
                        continue;
                    };
                    if prev != Prev::Start {
                        self.newline();
                    }
                    if let Some(doc) = doc_comment(inner) {
                        self.put(false, &format!("//{}{doc}", if bang { "!" } else { "/" }));
                    } else {
                        let text = inline(inner);
                        self.put(false, &format!("#{}[{text}]", if bang { "!" } else { "" }));
                    }
                    self.newline();
                    prev = Prev::Start;
                    i += if bang && op == "#" { 3 } else { 2 };
                    continue;
                }
                Tok::Op(op) => {
                    let (space, after) = op_spacing(op, &prev, closure_open);
                    if op == "|" {
                        closure_open = after == Prev::Tight;
                    }
                    self.put(space, op);
                    prev = after;
                    if op == ";" || (op == "," && mode == Mode::Block) {
                        self.newline();
                        prev = Prev::Start;
                    }
                }
                Tok::Word(w) => {
                    let space = !matches!(prev, Prev::Start | Prev::Tight);
                    self.put(space, w);
                    prev = if SPACED_KEYWORDS.contains(&w.as_str()) {
                        Prev::Keyword
                    } else {
                        Prev::Callee
                    };
                }
                Tok::Lit(l) | Tok::Lifetime(l) => {
                    let space = !matches!(prev, Prev::Start | Prev::Tight);
                    self.put(space, l);
                    prev = Prev::Value;
                }
                Tok::Group(delim, inner) => {
                    self.group(*delim, inner, &prev, level);
                    prev = Prev::Close;
                    if *delim == Delimiter::Brace && self.fresh {
                        // A multi-line block ended the line: the statement ends here unless the next
                        // token continues it (`} else {`, `}.method()`, `})`, `},`, `};`, `}?`).
                        let continues = match next {
                            Some(Tok::Word(w)) => w == "else",
                            Some(Tok::Op(o)) => [".", "?", ",", ";"].contains(&o.as_str()),
                            _ => false,
                        };
                        if continues {
                            // Reopen the line after the closing brace.
                            self.out.pop();
                            self.fresh = false;
                        } else {
                            prev = Prev::Start;
                        }
                    }
                }
            }
            i += 1;
        }
    }

    fn group(&mut self, delim: Delimiter, inner: &[Tok], prev: &Prev, level: usize) {
        let (open, close) = match delim {
            Delimiter::Parenthesis => ("(", ")"),
            Delimiter::Bracket => ("[", "]"),
            Delimiter::Brace => ("{", "}"),
            Delimiter::None => ("", ""),
        };
        let attach = match delim {
            Delimiter::Parenthesis | Delimiter::Bracket => {
                matches!(
                    prev,
                    Prev::Start | Prev::Callee | Prev::Close | Prev::Tight | Prev::Generic
                )
            }
            Delimiter::Brace | Delimiter::None => matches!(prev, Prev::Start | Prev::Tight),
        };
        if delim == Delimiter::Brace && multiline(inner) {
            self.put(!attach, open);
            self.newline();
            self.seq(inner, level + 1, Mode::Block);
            self.newline();
            self.level = level;
            self.put(false, close);
            self.newline();
            return;
        }
        let text = inline(inner);
        let mut text = match (delim, text.is_empty()) {
            (Delimiter::Brace, false) => format!("{open} {text} {close}"),
            _ => format!("{open}{text}{close}"),
        };
        if text.contains('\n') && level > 0 {
            // A multi-line block inside a one-line group (a closure body in a call): its lines
            // continue at this level.
            text = text.replace('\n', &format!("\n{}", "    ".repeat(level)));
        }
        self.put(!attach, &text);
        self.level = level;
    }
}

/// A group's contents on one line (used for parentheses, brackets, short braces and attributes).
fn inline(toks: &[Tok]) -> String {
    let mut p = Printer {
        fresh: true,
        ..Printer::default()
    };
    p.seq(toks, 0, Mode::Flow);
    p.finish()
}

/// A brace group is written over several lines when it holds statements, `match` arms, attributes or a
/// multi-line block, or when its one-line form would be long and it is a comma-separated list.
fn multiline(toks: &[Tok]) -> bool {
    let structural = toks.iter().any(|t| match t {
        Tok::Op(o) => o == ";" || o == "=>" || o == "#" || o == "#!",
        Tok::Group(Delimiter::Brace, inner) => multiline(inner),
        _ => false,
    });
    structural
        || (toks.iter().any(|t| matches!(t, Tok::Op(o) if o == ",")) && inline(toks).len() > 72)
}

/// Spacing of an operator: whether a space goes before it, and what it leaves for the next token.
fn op_spacing(op: &str, prev: &Prev, closure_open: bool) -> (bool, Prev) {
    let start = matches!(prev, Prev::Start | Prev::Tight);
    // Where an expression starts, `&`, `*`, `-`, `!` and `|` are prefix operators.
    let expr_start = matches!(
        prev,
        Prev::Start | Prev::Tight | Prev::Spaced | Prev::Keyword
    );
    match op {
        "," | ";" => (false, Prev::Spaced),
        ":" => (false, Prev::Spaced),
        "?" => (false, Prev::Close),
        "." | ".." | "..=" => (false, Prev::Tight),
        "::" => (
            !matches!(
                prev,
                Prev::Start | Prev::Tight | Prev::Callee | Prev::Generic | Prev::Close
            ),
            Prev::Tight,
        ),
        "<" if !matches!(prev, Prev::Spaced | Prev::Value) => (false, Prev::Tight),
        o if !o.is_empty() && o.chars().all(|c| c == '>') && !expr_start => (false, Prev::Generic),
        "!" if *prev == Prev::Callee => (false, Prev::Tight),
        "&" | "&&" | "*" | "-" | "!" if expr_start => (!start, Prev::Tight),
        "|" if closure_open => (false, Prev::Spaced),
        "|" if expr_start => (!start, Prev::Tight),
        "||" if expr_start => (!start, Prev::Spaced),
        "#" | "$" => (!start, Prev::Tight),
        _ => (!start, Prev::Spaced),
    }
}

/// The text of a `doc = "…"` attribute as a `///` comment body, when it can be written as one.
fn doc_comment(inner: &[Tok]) -> Option<String> {
    let [Tok::Word(w), Tok::Op(eq), Tok::Lit(lit)] = inner else {
        return None;
    };
    if w != "doc" || eq != "=" {
        return None;
    }
    let value = unescape(lit)?;
    // `////` is a plain comment and `//!` an inner doc: keep the attribute form for those.
    if value.starts_with(['/', '!', '*']) || value.contains(['\n', '\r']) {
        return None;
    }
    Some(value)
}

/// The value of a plain string literal token (`"…"` with the escapes proc-macro2 writes).
fn unescape(lit: &str) -> Option<String> {
    let body = lit.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'u' => {
                let rest: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let hex = rest.strip_prefix('{')?;
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// True when the printed text lexes back to the tokens it was printed from.
#[cfg(debug_assertions)]
fn round_trips(tokens: &TokenStream, printed: &str) -> bool {
    use std::str::FromStr;
    TokenStream::from_str(printed).is_ok_and(|back| shape(tokens.clone()) == shape(back))
}

/// Tokens as comparable text: operators as the Rust lexer would read them (so `::` differs from `: :`,
/// while `>>` closing two generics equals `> >`), groups by delimiter, literals by their text.
#[cfg(debug_assertions)]
fn shape(tokens: TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Punct(p) => {
                run.push(p.as_char());
                let joined = p.spacing() == Spacing::Joint
                    && matches!(iter.peek(), Some(TokenTree::Punct(_)));
                if !joined {
                    split_operators(&std::mem::take(&mut run), &mut out);
                }
            }
            TokenTree::Group(g) => {
                out.push(format!("{:?}(", g.delimiter()));
                out.extend(shape(g.stream()));
                out.push(")".into());
            }
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Literal(l) => {
                let text = l.to_string();
                // A `///` line loses trailing spaces, which rustdoc ignores too.
                let doc =
                    out.len() >= 2 && out[out.len() - 2] == "doc" && out[out.len() - 1] == "=";
                out.push(if doc {
                    format!("{}\"", text.strip_suffix('"').unwrap_or(&text).trim_end())
                } else {
                    text
                });
            }
        }
    }
    if !run.is_empty() {
        split_operators(&run, &mut out);
    }
    out
}

/// A run of adjacent punctuation as the lexer splits it: longest operator first. `<<` and `>>` count as
/// two `<` / `>` (the generator writes generics, never shifts).
#[cfg(debug_assertions)]
fn split_operators(run: &str, out: &mut Vec<String>) {
    const OPERATORS: &[&str] = &[
        "...", "..=", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=",
        "-=", "*=", "/=", "%=", "^=", "&=", "|=", "..",
    ];
    let mut rest = run;
    while let Some(c) = rest.chars().next() {
        let op = OPERATORS
            .iter()
            .find(|op| rest.starts_with(**op))
            .copied()
            .unwrap_or(&rest[..c.len_utf8()]);
        out.push(op.to_string());
        rest = &rest[op.len()..];
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::print;

    #[test]
    fn types_and_paths_are_tight() {
        assert_eq!(
            print(&quote!(
                ::std::option::Option<::std::vec::Vec<crate::models::X>>
            )),
            "::std::option::Option<::std::vec::Vec<crate::models::X>>"
        );
        assert_eq!(
            print(&quote!(impl ::std::convert::Into<::std::string::String>)),
            "impl ::std::convert::Into<::std::string::String>"
        );
        assert_eq!(print(&quote!(&'a crate::Client)), "&'a crate::Client");
        assert_eq!(
            print(&quote!(<D::Error as ::serde::de::Error>::custom("x"))),
            "<D::Error as ::serde::de::Error>::custom(\"x\")"
        );
        assert_eq!(print(&quote!(a: i64, b: &str)), "a: i64, b: &str");
    }

    #[test]
    fn statements_and_blocks() {
        let body = quote! {
            let mut req = crate::request::Request::new(::reqwest::Method::GET, "/x");
            if let ::std::option::Option::Some(v) = &self.x { req.query("x", v); }
            let resp = self.client.execute(req, &options).await?;
            resp.json::<crate::models::A>().await
        };
        assert_eq!(
            print(&body),
            "let mut req = crate::request::Request::new(::reqwest::Method::GET, \"/x\");\n\
             if let ::std::option::Option::Some(v) = &self.x {\n    req.query(\"x\", v);\n}\n\
             let resp = self.client.execute(req, &options).await?;\n\
             resp.json::<crate::models::A>().await"
        );
    }

    #[test]
    fn docs_closures_patterns_and_matches() {
        assert_eq!(
            print(&quote!(#[doc = " One."] #[doc = ""] #[serde(rename = "type")])),
            "/// One.\n///\n#[serde(rename = \"type\")]"
        );
        assert_eq!(
            print(&quote!(
                x.and_then(|v| v.as_str().map(ToString::to_string))
                    .unwrap_or_default()
            )),
            "x.and_then(|v| v.as_str().map(ToString::to_string)).unwrap_or_default()"
        );
        assert_eq!(
            print(&quote!(Some("a") | Some("b"))),
            "Some(\"a\") | Some(\"b\")"
        );
        assert_eq!(
            print(&quote!(match x {
                0 => a,
                _ => b,
            })),
            "match x {\n    0 => a,\n    _ => b,\n}"
        );
        assert_eq!(print(&quote!(Self { a, b: 1 })), "Self { a, b: 1 }");
        assert_eq!(print(&quote!(-1i64)), "-1i64");
        assert_eq!(print(&quote!(x = !y)), "x = !y");
        assert_eq!(
            print(&quote!(::std::format!("{}", a))),
            "::std::format!(\"{}\", a)"
        );
    }
}
#[cfg(test)]
mod nested_tests {
    use quote::quote;

    #[cfg(debug_assertions)]
    #[test]
    fn the_round_trip_check_sees_joined_or_split_tokens() {
        assert!(super::round_trips(&quote!(a::b), "a::b"));
        assert!(super::round_trips(&quote!(#[doc = " x "]), "/// x"));
        assert!(!super::round_trips(&quote!(a::b), "a: :b"));
        assert!(!super::round_trips(&quote!(a: :b), "a::b"));
        assert!(!super::round_trips(&quote!(x = = y), "x == y"));
        assert!(!super::round_trips(&quote!(f()), "f("));
    }

    #[test]
    fn closure_block_in_call() {
        let t = quote! { #[doc = " a"] #[doc = " "] pub fn f(self) -> impl S<Item = X> + 'a { let limit = self.limit; g(self, |item: &X| { let id = 1; id.map(a) },) } };
        assert_eq!(
            super::print(&t),
            "/// a\n///\npub fn f(self) -> impl S<Item = X> + 'a {\n    let limit = self.limit;\n    \
             g(self, |item: &X| {\n        let id = 1;\n        id.map(a)\n    },)\n}"
        );
    }
}
