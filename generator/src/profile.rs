//! `profile`: what the OpenAPI document does not say about the API, read from a declarative file beside
//! each pinned spec (`spec/<name>/profile.yaml`).
//!
//! The generator's code knows no particular API. Everything a document leaves out but an SDK needs lives
//! here: the crate's name and version, the environment variables of `Client::from_env`, headers a server
//! needs to pick its current behaviour, which request-body field switches a dual-mode operation between
//! JSON and server-sent events, the event union of streams whose schema the document omits, how list
//! operations page (cursor parameters and ordering), and the crate-level docs and examples (templates
//! that name the API's own types, kept beside the spec).
//!
//! A profile is YAML; every key is optional and unknown keys are refused (a typo is an error with its
//! line and column). [`Profile::default`] is what a spec without a profile gets.
//!
//! ```yaml
//! crate:
//!   name: my-api
//!   version: 0.1.0
//! client:
//!   base_url_env: MY_BASE_URL
//!   token_env: MY_API_KEY
//!   default_base_url: http://localhost:8080
//! streaming:
//!   selector_fields: [stream]
//!   tag: type
//!   events:
//!     - { variant: Message, schema: MessageUnion }
//!     - { variant: Failure, schema: ErrorEvent, error: true }
//! paging:
//!   order: { param: order, ascending: asc, descending: desc }
//! ```

use serde::Deserialize;

/// The profile's file name beside a pinned spec (`spec/<name>/profile.yaml`).
pub const PROFILE_FILE: &str = "profile.yaml";

use crate::error::{Error, Result};

/// The whole profile of one spec.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The emitted crate.
    #[serde(rename = "crate")]
    pub krate: CrateProfile,
    /// The client runtime's API-specific settings.
    pub client: ClientProfile,
    /// Server-sent event streams.
    pub streaming: StreamingProfile,
    /// Cursor paging of list operations.
    pub paging: PagingProfile,
    /// Crate-level docs and examples.
    pub docs: DocsProfile,
}

/// The emitted crate's package metadata.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CrateProfile {
    /// Package name (`letta-api`); the library name is this with `-` as `_`.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Package description.
    pub description: Option<String>,
    /// crates.io keywords (at most five).
    pub keywords: Vec<String>,
}

impl Default for CrateProfile {
    fn default() -> Self {
        CrateProfile {
            name: "api-client".into(),
            version: "0.1.0".into(),
            description: None,
            keywords: Vec::new(),
        }
    }
}

/// Settings of the emitted `Client`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ClientProfile {
    /// The environment variable `Client::from_env` reads the base URL from (default: the crate name in
    /// upper snake case + `_BASE_URL`).
    pub base_url_env: Option<String>,
    /// The environment variable holding the bearer token (default: upper snake crate name + `_API_KEY`).
    pub token_env: Option<String>,
    /// The base URL when none is configured (default: the spec's first `servers` URL, else
    /// `http://localhost`).
    pub default_base_url: Option<String>,
    /// Headers sent with every request unless the user turns them off with
    /// `ClientBuilder::compat_headers(false)`: for servers that choose behaviour from headers the spec
    /// does not declare. Each needs a reason, which the crate docs print.
    pub compat_headers: Vec<CompatHeader>,
}

/// One header of [`ClientProfile::compat_headers`].
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CompatHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
    /// Why the server needs it (rendered into the crate docs).
    pub why: String,
}

/// Server-sent event streams.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StreamingProfile {
    /// Boolean request-body fields that switch an operation offering both `application/json` and
    /// `text/event-stream` between the two: `.send()` sets the first one the body has to `false`,
    /// `.stream()` to `true`. Operations whose body has none of them are told apart by `Accept` only.
    pub selector_fields: Vec<String>,
    /// The property that tells event kinds apart (the events' discriminator).
    pub tag: Option<String>,
    /// The variants of the emitted `StreamEvent`, for streams whose event schema the spec omits. When
    /// empty, each stream decodes into the event schema its operation declares (or raw JSON).
    pub events: Vec<StreamEventProfile>,
    /// Operations (by id) whose streams end when the server closes the body, without `data: [DONE]`;
    /// every other stream ends at `[DONE]`, and a body that ends before it is an error.
    pub end_at_close: Vec<String>,
}

/// One variant of the stream event union.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StreamEventProfile {
    /// The Rust variant name (`Message`, `Ping`); must be a valid identifier in UpperCamelCase.
    pub variant: String,
    /// The component schema it decodes into: a struct whose tag property is a `const`, or a discriminated
    /// union on the same tag (every value of the union selects this variant).
    pub schema: String,
    /// What the variant is, for its rustdoc.
    #[serde(default)]
    pub doc: Option<String>,
    /// The event reports a failure: the stream yields it as `Err(Error::Stream(StreamError::ErrorEvent))`
    /// (with the event's JSON) and goes on.
    #[serde(default)]
    pub error: bool,
}

/// Cursor paging of list operations (the `into_stream()` method of their builders).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PagingProfile {
    /// The query parameter whose value continues after the cursor item.
    pub after: String,
    /// The query parameter that continues before the cursor item (a descending walk over
    /// [`CursorOrder::Chronological`] cursors uses it).
    pub before: String,
    /// The page-size query parameter.
    pub limit: String,
    /// The item property used as the cursor (only `id` is supported; another value is an error).
    pub cursor_field: String,
    /// The query parameter that orders the list, when the API has one.
    pub order: Option<OrderProfile>,
    /// What the cursors mean in an ordered list (default `follow_order`).
    pub cursors: CursorOrder,
    /// Operations whose cursors mean something else than [`PagingProfile::cursors`] says, by id.
    pub cursors_by_operation: std::collections::BTreeMap<String, CursorOrder>,
}

/// What `after` and `before` mean in a list that can be ordered.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CursorOrder {
    /// `after` continues in the order the request asks for (the next page is always `after=<last id>`).
    #[default]
    FollowOrder,
    /// `after` is always later and `before` always earlier, whatever the order: a descending list pages
    /// with `before=<last id>`.
    Chronological,
    /// The names are swapped: `before` continues in the order asked for (the next page is always
    /// `before=<last id>`), `after` goes back.
    Swapped,
    /// Chronological cursors, and every page comes oldest first whatever the order: a descending walk
    /// continues with `before=<first id of the page>`, and the SDK yields each page newest first.
    ChronologicalAscendingPages,
}

impl Default for PagingProfile {
    fn default() -> Self {
        PagingProfile {
            after: "after".into(),
            before: "before".into(),
            limit: "limit".into(),
            cursor_field: "id".into(),
            order: None,
            cursors: CursorOrder::FollowOrder,
            cursors_by_operation: std::collections::BTreeMap::new(),
        }
    }
}

/// The ordering parameter of list operations.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OrderProfile {
    /// Its name.
    pub param: String,
    /// The value for oldest first.
    pub ascending: String,
    /// The value for newest first.
    pub descending: String,
    /// The order the server uses when the parameter is not sent and the spec gives no default.
    #[serde(default)]
    pub server_default: Option<String>,
}

/// Crate-level docs and examples: minijinja templates beside the profile (they see `crate_name`,
/// `lib_name`, `crate_version`, `base_url_env`, `token_env`, `default_base_url`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DocsProfile {
    /// A Markdown file whose text opens the crate docs and the crate README (its ```rust blocks are
    /// doctests, so they are compiled).
    pub crate_docs: Option<String>,
    /// Example programs emitted under `examples/`.
    pub examples: Vec<ExampleProfile>,
    /// The text of `crate_docs`, filled in by [`Profile::load_files`].
    #[serde(skip)]
    pub crate_docs_text: Option<String>,
}

/// One example program.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExampleProfile {
    /// The example's name (`quickstart` → `examples/quickstart.rs`, `cargo run --example quickstart`).
    pub name: String,
    /// The template file, relative to the profile.
    pub file: String,
    /// Cargo features the example needs (`required-features`).
    #[serde(default)]
    pub required_features: Vec<String>,
    /// The template text, filled in by [`Profile::load_files`].
    #[serde(skip)]
    pub text: String,
}

impl Profile {
    /// Parses profile text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Profile`] with the line and column of a syntax error, an unknown key or a wrong type.
    pub fn parse(text: &str, file: &str) -> Result<Profile> {
        if text.trim().is_empty() {
            return Ok(Profile::default());
        }
        let profile: Profile = serde_yaml::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!("line {}, column {}: ", l.line(), l.column()))
                .unwrap_or_default();
            Error::Profile {
                file: file.into(),
                message: format!("{at}{e}"),
            }
        })?;
        profile.validate(file)?;
        Ok(profile)
    }

    /// Reads the files the profile names (`docs.crate_docs`, `docs.examples[].file`) with `read`, which
    /// gets each path as written in the profile (relative to it).
    ///
    /// # Errors
    ///
    /// [`Error::Profile`] naming the key whose file could not be read.
    pub fn load_files(
        &mut self,
        file: &str,
        read: &mut dyn FnMut(&str) -> std::io::Result<String>,
    ) -> Result<()> {
        if let Some(path) = &self.docs.crate_docs {
            let text = read(path).map_err(|e| Error::Profile {
                file: file.into(),
                message: format!("docs.crate_docs: cannot read `{path}`: {e}"),
            })?;
            self.docs.crate_docs_text = Some(text);
        }
        for (i, ex) in self.docs.examples.iter_mut().enumerate() {
            ex.text = read(&ex.file).map_err(|e| Error::Profile {
                file: file.into(),
                message: format!("docs.examples[{i}].file: cannot read `{}`: {e}", ex.file),
            })?;
        }
        Ok(())
    }

    /// Reads the profile at `path` and the files it names (relative to it); errors name the file as
    /// `display_name` (a relative path, as headers and messages show it).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the profile cannot be read, [`Error::Profile`] for its content or a file it names.
    pub fn read(path: &std::path::Path, display_name: &str) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut profile = Profile::parse(&text, display_name)?;
        let dir = path
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        profile.load_files(display_name, &mut |rel| {
            std::fs::read_to_string(dir.join(rel))
        })?;
        Ok(profile)
    }

    /// The library name: the crate name with `-` as `_`.
    pub fn lib_name(&self) -> String {
        self.krate.name.replace('-', "_")
    }

    /// The environment variable of the base URL.
    pub fn base_url_env(&self) -> String {
        self.client
            .base_url_env
            .clone()
            .unwrap_or_else(|| format!("{}_BASE_URL", self.env_prefix()))
    }

    /// The environment variable of the bearer token.
    pub fn token_env(&self) -> String {
        self.client
            .token_env
            .clone()
            .unwrap_or_else(|| format!("{}_API_KEY", self.env_prefix()))
    }

    fn env_prefix(&self) -> String {
        heck::ToShoutySnakeCase::to_shouty_snake_case(self.krate.name.as_str())
    }

    /// Checks what serde cannot: names that must be identifiers, env names, crate names.
    fn validate(&self, file: &str) -> Result<()> {
        let bad = |key: String, message: String| Error::Profile {
            file: file.into(),
            message: format!("{key}: {message}"),
        };
        let name = &self.krate.name;
        let valid_crate = !name.is_empty()
            && name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_crate {
            return Err(bad(
                "crate.name".into(),
                format!("`{name}` is not a valid crate name (ASCII letters, digits, `-`, `_`)"),
            ));
        }
        let version = &self.krate.version;
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() != 3 || parts.iter().any(|p| p.parse::<u64>().is_err()) {
            return Err(bad(
                "crate.version".into(),
                format!("`{version}` is not a MAJOR.MINOR.PATCH version"),
            ));
        }
        for (key, env) in [
            ("client.base_url_env", &self.client.base_url_env),
            ("client.token_env", &self.client.token_env),
        ] {
            if let Some(env) = env
                && (env.is_empty() || !env.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                return Err(bad(
                    key.into(),
                    format!("`{env}` is not an environment variable name"),
                ));
            }
        }
        for (i, h) in self.client.compat_headers.iter().enumerate() {
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if h.name.is_empty() || !h.name.chars().all(token) {
                return Err(bad(
                    format!("client.compat_headers[{i}].name"),
                    format!("`{}` is not a header name", h.name),
                ));
            }
            if h.value.chars().any(|c| c.is_control() || !c.is_ascii()) {
                return Err(bad(
                    format!("client.compat_headers[{i}].value"),
                    "a header value must be printable ASCII".into(),
                ));
            }
        }
        if self.paging.cursor_field != "id" {
            return Err(bad(
                "paging.cursor_field".into(),
                format!(
                    "`{}`: only `id` is supported (items are paged by their `id` property)",
                    self.paging.cursor_field
                ),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, ev) in self.streaming.events.iter().enumerate() {
            let v = &ev.variant;
            let ident = v.starts_with(|c: char| c.is_ascii_uppercase())
                && v.chars().all(|c| c.is_ascii_alphanumeric());
            if !ident || v == "Unknown" || v == "Self" {
                return Err(bad(
                    format!("streaming.events[{i}].variant"),
                    format!(
                        "`{v}` must be an UpperCamelCase identifier other than `Unknown` and `Self`"
                    ),
                ));
            }
            if !seen.insert(v.clone()) {
                return Err(bad(
                    format!("streaming.events[{i}].variant"),
                    format!("`{v}` is listed twice"),
                ));
            }
        }
        if !self.streaming.events.is_empty() && self.streaming.tag.is_none() {
            return Err(bad(
                "streaming.tag".into(),
                "required when streaming.events is given (the property that tells events apart)"
                    .into(),
            ));
        }
        for (i, ex) in self.docs.examples.iter().enumerate() {
            let ok = !ex.name.is_empty()
                && ex
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok {
                return Err(bad(
                    format!("docs.examples[{i}].name"),
                    format!("`{}` is not a valid example name", ex.name),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests an unwrap is an assertion
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_the_default_profile() {
        assert_eq!(
            Profile::parse("  \n", "p.yaml").unwrap(),
            Profile::default()
        );
    }

    #[test]
    fn unknown_keys_are_refused_with_their_place() {
        let err = Profile::parse("crate:\n  nmae: x\n", "p.yaml").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("p.yaml: line 2"), "{text}");
        assert!(text.contains("nmae"), "{text}");
    }

    #[test]
    fn validation_names_the_key() {
        let err = Profile::parse("crate: { name: '9x', version: 0.1.0 }", "p.yaml").unwrap_err();
        assert!(err.to_string().contains("crate.name"), "{err}");
        let err = Profile::parse("crate: { name: x, version: '1.0' }", "p.yaml").unwrap_err();
        assert!(err.to_string().contains("crate.version"), "{err}");
        let err = Profile::parse(
            "streaming: { tag: t, events: [{variant: Unknown, schema: X}] }",
            "p.yaml",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("streaming.events[0].variant"),
            "{err}"
        );
        let err = Profile::parse("streaming: { events: [{variant: A, schema: X}] }", "p.yaml")
            .unwrap_err();
        assert!(err.to_string().contains("streaming.tag"), "{err}");
        let err = Profile::parse(
            "client: { compat_headers: [{name: 'a b', value: v, why: w}] }",
            "p.yaml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("compat_headers[0].name"), "{err}");
        let err = Profile::parse("paging: { cursor_field: uuid }", "p.yaml").unwrap_err();
        assert!(err.to_string().contains("paging.cursor_field"), "{err}");
    }

    #[test]
    fn env_names_default_from_the_crate_name() {
        let p = Profile::parse("crate: { name: my-api, version: 1.2.3 }", "p").unwrap();
        assert_eq!(p.base_url_env(), "MY_API_BASE_URL");
        assert_eq!(p.token_env(), "MY_API_API_KEY");
        assert_eq!(p.lib_name(), "my_api");
    }

    #[test]
    fn files_are_read_relative_and_missing_ones_are_named() {
        let mut p = Profile::parse(
            "docs: { crate_docs: d.md, examples: [{name: q, file: q.rs.j2}] }",
            "p.yaml",
        )
        .unwrap();
        let mut read = |path: &str| match path {
            "d.md" => Ok("docs".to_string()),
            _ => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such file",
            )),
        };
        let err = p.load_files("p.yaml", &mut read).unwrap_err();
        assert!(err.to_string().contains("docs.examples[0].file"), "{err}");
    }
}
