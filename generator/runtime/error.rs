//! Errors returned by every call of this crate.
//!
//! All fallible operations return [`Error`]. An error never contains the bearer token or the value of a
//! header marked sensitive, neither in `Display` nor in `Debug`.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Number of characters of a body shown in error messages.
const EXCERPT_CHARS: usize = 200;

/// The error type of this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status (after retries).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// A response or stream event could not be decoded into the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The connection failed or broke (DNS, connect, TLS, reset, invalid response).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The connection broke in the middle of the response body (a chunked body that never finished, or
    /// fewer bytes than `Content-Length` said). `received` counts the body bytes that did arrive; the
    /// transport's own error is the [`source`](std::error::Error::source).
    #[error("the response body was cut off after {received} bytes: the connection closed before the body was complete")]
    BodyCutOff {
        /// Body bytes received before the connection broke.
        received: u64,
        /// The transport's error.
        #[source]
        source: reqwest::Error,
    },
    /// The request did not complete in time.
    #[error(transparent)]
    Timeout(TimeoutError),
    /// A server-sent event stream failed.
    #[error(transparent)]
    Stream(StreamError),
    /// The request could not be built (for example an invalid path parameter or header value).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A local file could not be read (for example in [`crate::request::FilePart::from_path`]).
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// The HTTP status of the response that caused this error, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => e.status(),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The error for a body read that failed after `received` bytes: a timeout stays a transport timeout,
    /// anything else is [`Error::BodyCutOff`].
    pub(crate) fn body_cut_off(received: u64, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::Transport(source)
        } else {
            Error::BodyCutOff { received, source }
        }
    }

    /// Whether this error is a timeout: of the whole request, of the connect phase, or an idle stream.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Stream(StreamError::IdleTimeout(_)) => true,
            Error::Transport(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// Whether the connection to the server could not be established.
    pub fn is_connect(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect(),
            Error::Timeout(t) => t.kind() == TimeoutKind::Connect,
            _ => false,
        }
    }

    /// Whether the server answered `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// The API error, when the server answered with a non-success status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The server's `detail` message, when the server answered with a non-success status.
    pub fn detail(&self) -> Option<String> {
        self.api_error().and_then(ApiError::detail)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(Box::new(e))
    }
}

impl From<StreamError> for Error {
    fn from(e: StreamError) -> Self {
        Error::Stream(e)
    }
}

impl From<TimeoutError> for Error {
    fn from(e: TimeoutError) -> Self {
        Error::Timeout(e)
    }
}

/// A non-success response: status, headers and the raw body are kept.
#[derive(Clone)]
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    method: Method,
    path: String,
}

impl ApiError {
    /// Creates an API error from its parts. `path` is the request path (no host, no query).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes, method: Method, path: String) -> Self {
        ApiError {
            status,
            headers,
            body,
            method,
            path,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The method of the request that failed.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path of the request that failed (without host and query).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The body as text (invalid UTF-8 is replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Decodes the body as JSON into `T`.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(&self.body, Some(self.status), "error response body")
    }

    /// The FastAPI `detail` of the body: the string itself, a one-line summary of a validation error list
    /// (`body.name: field required; ...`), or the compact JSON of any other value. `None` if the body is not a
    /// JSON object with a `detail` member.
    pub fn detail(&self) -> Option<String> {
        let value: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        let detail = value.get("detail")?;
        Some(summarize_detail(detail))
    }
    /// A short, readable summary of the body: the `detail`, or the text of the body with HTML tags removed,
    /// truncated to about 200 characters.
    pub fn summary(&self) -> String {
        if let Some(detail) = self.detail() {
            return excerpt(&detail, EXCERPT_CHARS * 2);
        }
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return String::from("(empty body)");
        }
        let text = String::from_utf8_lossy(&self.body);
        let is_html = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("html"))
            || text.trim_start().starts_with('<');
        let plain = if is_html { strip_tags(&text) } else { text.into_owned() };
        let collapsed = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        excerpt(&collapsed, EXCERPT_CHARS)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} for {} {}: {}",
            self.status,
            self.method,
            self.path,
            self.summary()
        )
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &self.headers)
            .field("body", &excerpt(&String::from_utf8_lossy(&self.body), EXCERPT_CHARS))
            .finish()
    }
}

impl std::error::Error for ApiError {}

/// A body or event that did not match the expected type.
#[derive(Clone)]
pub struct DecodeError {
    path: String,
    message: String,
    status: Option<StatusCode>,
    what: &'static str,
    body: Bytes,
}

impl DecodeError {
    /// Creates a decode error. `path` is the JSON path of the failing value (`items[1].id`), `what` names the
    /// decoded thing (`response body`, `stream event`).
    pub fn new(path: String, message: String, status: Option<StatusCode>, what: &'static str, body: Bytes) -> Self {
        DecodeError {
            path,
            message,
            status,
            what,
            body,
        }
    }

    /// The JSON path of the value that failed to decode (`.` for the whole document).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The decoder's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the response, if known.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The full raw body or event data that failed to decode.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The first ~200 characters of the body.
    pub fn excerpt(&self) -> String {
        excerpt(&String::from_utf8_lossy(&self.body), EXCERPT_CHARS)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to decode {} at `{}`", self.what, self.path)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {})", status)?;
        }
        write!(f, ": {}; body starts with: {}", self.message, self.excerpt())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("what", &self.what)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("excerpt", &self.excerpt())
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// Which deadline expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection took too long.
    Connect,
    /// The whole request (sending it and reading the response) took too long.
    Request,
}

/// A request or connect timeout.
#[derive(Clone, Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    after: Option<Duration>,
}

impl TimeoutError {
    /// Creates a timeout error; `after` is the limit that expired, when known.
    pub fn new(kind: TimeoutKind, after: Option<Duration>) -> Self {
        TimeoutError { kind, after }
    }

    /// Which deadline expired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The limit that expired, when known.
    pub fn after(&self) -> Option<Duration> {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connecting to the server",
            TimeoutKind::Request => "request",
        };
        match self.after {
            Some(d) => write!(f, "{} timed out after {:?}", what, d),
            None => write!(f, "{} timed out", what),
        }
    }
}

impl std::error::Error for TimeoutError {}

/// A failure of a server-sent event stream.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The server sent `event: error`; `data` is the event's data (usually JSON).
    #[error("the server sent an error event: {}", excerpt(data, 500))]
    ErrorEvent {
        /// The data of the error event.
        data: String,
    },
    /// The body ended before `data: [DONE]`.
    #[error("the event stream ended before [DONE]")]
    Truncated,
    /// No bytes arrived within the idle timeout.
    #[error("no data on the event stream for {0:?}")]
    IdleTimeout(Duration),
    /// The stream is not valid server-sent events (for example invalid UTF-8).
    #[error("malformed event stream: {0}")]
    Malformed(String),
    /// One event exceeded the size limit.
    #[error("an event exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

impl StreamError {
    /// For an error event, its data parsed as JSON.
    pub fn error_json(&self) -> Option<serde_json::Value> {
        match self {
            StreamError::ErrorEvent { data } => serde_json::from_str(data).ok(),
            _ => None,
        }
    }
}

/// Decodes JSON bytes into `T`, naming the JSON path on failure.
///
/// Path tracking slows every decode down by a quarter (see BENCHMARKS.md), so the body is decoded without
/// it first; only a body that fails is decoded again, with tracking, to name the path.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    body: &Bytes,
    status: Option<StatusCode>,
    what: &'static str,
) -> Result<T, Error> {
    if let Ok(value) = serde_json::from_slice::<T>(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        Error::from(DecodeError::new(path, message, status, what, body.clone()))
    })?;
    de.end().map_err(|e| {
        Error::from(DecodeError::new(String::from("."), e.to_string(), status, what, body.clone()))
    })?;
    Ok(value)
}

/// Summarizes a FastAPI `detail` value.
fn summarize_detail(detail: &serde_json::Value) -> String {
    match detail {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|item| {
                    let msg = item.get("msg").and_then(|m| m.as_str());
                    let loc = item.get("loc").and_then(|l| l.as_array()).map(|l| {
                        l.iter()
                            .map(|p| match p {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(".")
                    });
                    match (loc, msg) {
                        (Some(loc), Some(msg)) => format!("{}: {}", loc, msg),
                        (None, Some(msg)) => msg.to_string(),
                        _ => item.to_string(),
                    }
                })
                .collect();
            parts.join("; ")
        }
        other => other.to_string(),
    }
}

/// The first `max` characters of `text`, with `...` appended when cut (char-boundary safe).
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((idx, _)) => format!("{}...", &text[..idx]),
        None => text.to_string(),
    }
}

/// Removes HTML tags, keeping the text between them (good enough for the error pages of proxies).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
