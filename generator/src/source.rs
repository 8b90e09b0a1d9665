//! Where a spec comes from: a file, or an `http(s)://` URL such as a running Letta server's
//! `/openapi.json`. Fetched text stays in memory; it is written nowhere unless asked (`--save-spec`).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The default limit for fetching a spec from a URL (the whole request, connecting included).
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest spec body accepted from a URL (GitHub's description is about 11 MB).
pub const MAX_SPEC_BYTES: u64 = 256 * 1024 * 1024;

/// A `--timeout SECONDS` value as a duration: positive and finite, or a message saying so.
///
/// # Errors
///
/// The message for zero, a negative number, NaN or infinity.
pub fn fetch_timeout(seconds: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("--timeout {seconds}: expected a positive number of seconds"))
}

/// A spec given on the command line: a file path or an `http://` / `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecSource {
    /// A file (JSON or YAML).
    File(PathBuf),
    /// A URL to fetch the document from.
    Url(String),
}

impl SpecSource {
    /// Reads a command-line argument: `http://` and `https://` (any case) are URLs, anything else a path.
    pub fn parse(arg: &str) -> SpecSource {
        let lower = arg.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            SpecSource::Url(arg.to_string())
        } else {
            SpecSource::File(PathBuf::from(arg))
        }
    }

    /// The file, for a file source.
    pub fn path(&self) -> Option<&Path> {
        match self {
            SpecSource::File(p) => Some(p),
            SpecSource::Url(_) => None,
        }
    }

    /// How headers and messages name the source: the file's relative path, or the URL without user
    /// name, password, query or fragment.
    pub fn display_name(&self) -> String {
        match self {
            SpecSource::File(path) => relative_name(path),
            SpecSource::Url(url) => redact_url(url),
        }
    }

    /// The spec text: the file's content, or the body of a `GET` of the URL.
    ///
    /// # Errors
    ///
    /// A message naming the file or URL: a read error; for a URL, a refused connection, a timeout (after
    /// `timeout`), a non-2xx status, a body over [`MAX_SPEC_BYTES`] or that is not UTF-8. Each says what
    /// to check next.
    pub fn read(&self, timeout: Duration) -> Result<String, String> {
        match self {
            SpecSource::File(path) => {
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
            }
            SpecSource::Url(url) => fetch(url, timeout),
        }
    }
}

/// A path as headers record it: relative, `/`-separated; an absolute path is reduced to its file name.
pub fn relative_name(path: &Path) -> String {
    let name = if path.is_absolute() {
        path.file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_else(|| "openapi.json".into())
    } else {
        path.to_string_lossy().replace('\\', "/")
    };
    name.trim_start_matches("./").to_string()
}

/// `url` without credentials, query or fragment (a token in a URL must not reach generated headers).
pub fn redact_url(url: &str) -> String {
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..cut];
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end + 3], &rest[at + 1..]),
        None => url.to_string(),
    }
}

fn fetch(url: &str, timeout: Duration) -> Result<String, String> {
    let shown = redact_url(url);
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("letta-sdk-generator/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent: ureq::Agent = config.into();
    let mut response = agent
        .get(url)
        .header(
            "accept",
            "application/json, application/yaml;q=0.9, */*;q=0.1",
        )
        .call()
        .map_err(|e| fetch_error(&shown, &e, timeout))?;
    let status = response.status();
    if !status.is_success() {
        let mut snippet = String::new();
        let _ = response
            .body_mut()
            .as_reader()
            .take(300)
            .read_to_string(&mut snippet);
        let snippet = snippet.trim();
        return Err(format!(
            "{shown}: the server answered {status}{}{} (is this the address of the OpenAPI document? A Letta server serves it at /openapi.json)",
            if snippet.is_empty() { "" } else { ": " },
            snippet
        ));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_SPEC_BYTES)
        .read_to_string()
        .map_err(|e| fetch_error(&shown, &e, timeout))
}

fn fetch_error(url: &str, e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "{url}: no complete answer within {} s (raise --timeout, or check that the server is up)",
            timeout.as_secs_f64()
        ),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("{url}: connection refused (is the server running, and on this port?)")
        }
        ureq::Error::HostNotFound => format!("{url}: the host name does not resolve"),
        ureq::Error::BodyExceedsLimit(limit) => {
            format!("{url}: the document is larger than {limit} bytes")
        }
        other => format!("{url}: {other}"),
    }
}

/// Writes a fetched spec to `path` (through a temporary sibling renamed into place, so a failure leaves
/// no half-written file and an existing file is replaced only by a complete one).
///
/// # Errors
///
/// The write or rename failure, naming the file.
pub fn save(path: &Path, text: &str) -> Result<(), String> {
    let file_name = path
        .file_name()
        .ok_or_else(|| format!("{}: --save-spec needs a file name", path.display()))?;
    let tmp = path.with_file_name(format!(".{}.tmp", file_name.to_string_lossy()));
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // in tests an unwrap is an assertion
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_are_told_apart() {
        assert_eq!(
            SpecSource::parse("HTTP://x/openapi.json"),
            SpecSource::Url("HTTP://x/openapi.json".into())
        );
        assert_eq!(
            SpecSource::parse("spec/openapi.json"),
            SpecSource::File("spec/openapi.json".into())
        );
        assert_eq!(
            SpecSource::parse("./spec/a.json").display_name(),
            "spec/a.json"
        );
    }

    #[test]
    fn credentials_and_queries_never_reach_headers() {
        assert_eq!(
            redact_url("https://user:secret@host:8283/openapi.json?token=abc#x"),
            "https://host:8283/openapi.json"
        );
        assert_eq!(
            redact_url("http://localhost:8283/openapi.json"),
            "http://localhost:8283/openapi.json"
        );
        assert_eq!(redact_url("http://h/a@b"), "http://h/a@b");
    }
}
