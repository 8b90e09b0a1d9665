//! Requests and responses: the building blocks the generated API code (and users calling undocumented
//! endpoints through [`crate::client::Client::execute`]) work with.

use std::fmt;
use std::path::Path;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

use crate::error::{decode_json, Error, TimeoutError, TimeoutKind};
use crate::stream::EventStream;

/// Characters escaped in a path segment: everything except the RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `value` as exactly one path segment.
///
/// Everything except ASCII letters, digits and `-._~` is escaped (so `/`, `?`, `#`, `%`, spaces and
/// non-ASCII characters cannot change the path). An empty value, `.` and `..` are rejected with
/// [`Error::InvalidRequest`] naming the parameter `name`.
pub fn path_segment<V: fmt::Display + ?Sized>(name: &str, value: &V) -> Result<String, Error> {
    let raw = value.to_string();
    if raw.is_empty() || raw == "." || raw == ".." {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{}` must not be empty, `.` or `..` (got {:?})",
            name, raw
        )));
    }
    Ok(percent_encoding::utf8_percent_encode(&raw, SEGMENT).to_string())
}

/// A value that can be sent as query parameter(s) or header value(s).
///
/// `Option::None` adds nothing; sequences repeat the key once per element.
pub trait QueryValue {
    /// Appends `(key, value)` pairs for this value to `out`.
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>);
}

impl QueryValue for str {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        out.push((key.to_string(), self.to_string()));
    }
}

impl QueryValue for String {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        self.as_str().append_to(key, out);
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        (**self).append_to(key, out);
    }
}

impl QueryValue for bool {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        out.push((key.to_string(), String::from(if *self { "true" } else { "false" })));
    }
}

/// Implements `QueryValue` through `Display` for number types.
macro_rules! display_query_value {
    ($($t:ty),*) => {
        $(
            impl QueryValue for $t {
                fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
                    out.push((key.to_string(), self.to_string()));
                }
            }
        )*
    };
}

display_query_value!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);

impl<T: QueryValue> QueryValue for Option<T> {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        if let Some(v) = self {
            v.append_to(key, out);
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        for v in self {
            v.append_to(key, out);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        self.as_slice().append_to(key, out);
    }
}

/// The body of a [`Request`].
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// Serialized JSON (`application/json`).
    Json(Bytes),
    /// A `multipart/form-data` form.
    Multipart(Multipart),
    /// Raw bytes with their content type.
    Bytes {
        /// The bytes.
        data: Bytes,
        /// The `Content-Type`.
        content_type: String,
    },
}

/// How a property of a form body is written (the OpenAPI `style` of its `encoding` entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormStyle {
    /// `name=a&name=b` (with `explode`) or `name=a,b`.
    Form,
    /// `name=a b` (without `explode`).
    SpaceDelimited,
    /// `name=a|b` (without `explode`).
    PipeDelimited,
    /// `name[key]=value` for each property of an object.
    DeepObject,
}

/// A form field's text: strings as they are, other scalars as JSON, arrays and objects as JSON text.
fn form_scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn form_field(
    name: &str,
    value: &serde_json::Value,
    style: FormStyle,
    explode: bool,
    out: &mut Vec<(String, String)>,
) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Array(items) if explode && style != FormStyle::DeepObject => {
            out.extend(items.iter().filter(|v| !v.is_null()).map(|v| (name.to_string(), form_scalar(v))));
        }
        Value::Array(items) => {
            let sep = match style {
                FormStyle::SpaceDelimited => " ",
                FormStyle::PipeDelimited => "|",
                FormStyle::Form | FormStyle::DeepObject => ",",
            };
            let joined: Vec<String> = items.iter().map(form_scalar).collect();
            out.push((name.to_string(), joined.join(sep)));
        }
        Value::Object(map) if style == FormStyle::DeepObject => {
            out.extend(
                map.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (format!("{}[{}]", name, k), form_scalar(v))),
            );
        }
        Value::Object(map) if explode => {
            out.extend(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), form_scalar(v))));
        }
        Value::Object(map) => {
            let joined: Vec<String> = map.iter().flat_map(|(k, v)| [k.clone(), form_scalar(v)]).collect();
            out.push((name.to_string(), joined.join(",")));
        }
        scalar => out.push((name.to_string(), form_scalar(scalar))),
    }
}

/// `application/x-www-form-urlencoded` byte serialization (WHATWG URL standard): ASCII alphanumerics and
/// `*-._` stay, a space becomes `+`, every other byte is percent-encoded.
fn form_urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{:02X}", other)),
        }
    }
    out
}

/// An HTTP request relative to the client's base URL.
///
/// The body is kept as bytes so that retries and redirects can send it again.
#[derive(Clone, Debug)]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Body,
    operation: Option<Operation>,
}

/// The spec operation a request performs: what tracing and logs name it by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Operation {
    id: &'static str,
    path_template: &'static str,
}

impl Request {
    /// Creates a request. `path` starts with `/` and is appended to the base URL as it is (trailing
    /// slashes are kept); encode dynamic segments with [`path_segment`].
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::None,
            operation: None,
        }
    }

    /// Names the spec operation this request performs: its `operationId` and its path template
    /// (`/v1/agents/{agent_id}`). Every generated method sets them; with the `tracing` feature they are
    /// recorded on the request's span (the path template, never the filled-in path, so ids stay out of
    /// span names and the span's cardinality stays low).
    pub fn operation(&mut self, id: &'static str, path_template: &'static str) -> &mut Self {
        self.operation = Some(Operation { id, path_template });
        self
    }

    /// The `operationId` set by [`Request::operation`], if any.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.operation.map(|o| o.id)
    }

    /// The path template set by [`Request::operation`], if any.
    pub fn path_template(&self) -> Option<&'static str> {
        self.operation.map(|o| o.path_template)
    }

    /// Adds query parameters: nothing for `None`, one pair per element for sequences.
    pub fn query<V: QueryValue + ?Sized>(&mut self, key: &str, value: &V) -> &mut Self {
        value.append_to(key, &mut self.query);
        self
    }

    /// Adds header values: nothing for `None`, one value per element for sequences. Fails when the name or
    /// a value is not a valid header.
    pub fn header<V: QueryValue + ?Sized>(&mut self, name: &str, value: &V) -> Result<&mut Self, Error> {
        let mut pairs = Vec::new();
        value.append_to(name, &mut pairs);
        if pairs.is_empty() {
            return Ok(self);
        }
        let header_name = parse_header_name(name)?;
        for (_, v) in pairs {
            let hv = parse_header_value(&header_name, &v)?;
            self.headers.append(header_name.clone(), hv);
        }
        Ok(self)
    }

    /// Serializes `body` as the JSON body (once; retries reuse the bytes).
    pub fn json(&mut self, body: &impl serde::Serialize) -> Result<&mut Self, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("could not serialize the request body: {}", e)))?;
        self.body = Body::Json(Bytes::from(bytes));
        Ok(self)
    }

    /// Serializes `body` as the JSON body with the boolean `field` set to `value`, whatever the body says:
    /// how a dual-mode operation asks for JSON (`false`) or an event stream (`true`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when `body` does not serialize into a JSON object.
    pub fn json_with_flag(&mut self, body: &impl serde::Serialize, field: &str, value: bool) -> Result<&mut Self, Error> {
        let mut json = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("could not serialize the request body: {}", e)))?;
        match json.as_object_mut() {
            Some(map) => {
                map.insert(field.to_string(), serde_json::Value::Bool(value));
            }
            None => {
                return Err(Error::InvalidRequest(format!(
                    "the request body must be a JSON object to set `{}`",
                    field
                )))
            }
        }
        self.json(&json)
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: Multipart) -> &mut Self {
        self.body = Body::Multipart(form);
        self
    }

    /// Sets `body` as an `application/x-www-form-urlencoded` body: each property of the serialized object
    /// is a field (a `null` one is left out). `encoding` gives the spec's `style` and `explode` for the
    /// properties that have an `encoding` entry; the others use the default, `form` with `explode`: an array
    /// is the field repeated, an object one field per property. Without `explode`, array items are joined
    /// with `,` (`form`), a space (`spaceDelimited`) or `|` (`pipeDelimited`); `deepObject` writes
    /// `name[key]=value`. Nested arrays and objects inside those are written as JSON text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when `body` does not serialize into a JSON object.
    pub fn form(&mut self, body: &impl serde::Serialize, encoding: &[(&str, FormStyle, bool)]) -> Result<&mut Self, Error> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("could not serialize the request body: {}", e)))?;
        let serde_json::Value::Object(fields) = value else {
            return Err(Error::InvalidRequest(String::from("a form body must serialize into a JSON object")));
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in &fields {
            let (style, explode) = encoding
                .iter()
                .find(|(n, _, _)| *n == name.as_str())
                .map(|(_, s, e)| (*s, *e))
                .unwrap_or((FormStyle::Form, true));
            form_field(name, value, style, explode, &mut pairs);
        }
        let mut text = String::new();
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                text.push('&');
            }
            text.push_str(&form_urlencode(k));
            text.push('=');
            text.push_str(&form_urlencode(v));
        }
        self.body = Body::Bytes {
            data: Bytes::from(text),
            content_type: String::from("application/x-www-form-urlencoded"),
        };
        Ok(self)
    }

    /// Sets a raw body with its content type.
    pub fn bytes(&mut self, data: impl Into<Bytes>, content_type: &str) -> &mut Self {
        self.body = Body::Bytes {
            data: data.into(),
            content_type: content_type.to_string(),
        };
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path (relative to the base URL).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The request's own headers (default headers of the client are added when it is sent).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Mutable access to the request's headers.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }

    /// The body.
    pub fn body(&self) -> &Body {
        &self.body
    }
}

/// Parses a header name, mapping failure to [`Error::InvalidRequest`].
pub(crate) fn parse_header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("invalid header name {:?}", name)))
}

/// Parses a header value (the value itself is not shown in the error: it may be a secret).
/// `Authorization`, `Proxy-Authorization` and `Cookie` values are marked sensitive.
pub(crate) fn parse_header_value(name: &HeaderName, value: &str) -> Result<HeaderValue, Error> {
    let mut hv = HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest(format!("invalid value for header `{}`", name)))?;
    if is_secret_header(name) {
        hv.set_sensitive(true);
    }
    Ok(hv)
}

/// Headers whose values are always treated as secrets.
pub(crate) fn is_secret_header(name: &HeaderName) -> bool {
    name == reqwest::header::AUTHORIZATION
        || name == reqwest::header::PROXY_AUTHORIZATION
        || name == reqwest::header::COOKIE
}

/// One part of a [`Multipart`] form.
#[derive(Clone, Debug)]
enum Part {
    Text(String),
    File(FilePart),
}

/// A `multipart/form-data` body, kept as bytes so it can be sent again on retry.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), Part::Text(value.into())));
        self
    }

    /// Adds a file field.
    pub fn file(mut self, name: impl Into<String>, file: FilePart) -> Self {
        self.parts.push((name.into(), Part::File(file)));
        self
    }

    /// Whether the form has no fields.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Builds a fresh `reqwest` form (one per attempt).
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let p = match part {
                Part::Text(v) => reqwest::multipart::Part::text(v.clone()),
                Part::File(f) => {
                    let len = f.bytes.len() as u64;
                    let mut p = reqwest::multipart::Part::stream_with_length(reqwest::Body::from(f.bytes.clone()), len);
                    if let Some(n) = &f.file_name {
                        p = p.file_name(n.clone());
                    }
                    let mime = f.content_type.as_deref().unwrap_or("application/octet-stream");
                    p.mime_str(mime)
                        .map_err(|_| Error::InvalidRequest(format!("invalid content type {:?} for part `{}`", mime, name)))?
                }
            };
            form = form.part(name.clone(), p);
        }
        Ok(form)
    }
}

/// A file to upload: its bytes, an optional file name and an optional content type.
///
/// Serializes as a byte sequence; deserializes from a byte sequence or a string (its UTF-8 bytes).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part with these bytes, no name and no content type (`application/octet-stream` is sent).
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent in `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the content type of the part (for example `text/plain`).
    pub fn mime(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Reads a file; its name becomes the file name and its extension picks the content type for common
    /// types (txt, md, pdf, json, csv, html, xml, png, jpg).
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {}", path.display(), e)))?;
        let mut part = FilePart::new(bytes);
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            part.file_name = Some(name.to_string());
        }
        part.content_type = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(guess_mime)
            .map(String::from);
        Ok(part)
    }

    /// The bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if set.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

/// Content type for a few common file extensions.
fn guess_mime(ext: &str) -> Option<&'static str> {
    Some(match ext.to_ascii_lowercase().as_str() {
        "txt" => "text/plain",
        "md" => "text/markdown",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "jsonl" => "application/jsonl",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => return None,
    })
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(v: Vec<u8>) -> Self {
        FilePart::new(v)
    }
}

impl From<Bytes> for FilePart {
    fn from(v: Bytes) -> Self {
        FilePart::new(v)
    }
}

impl serde::Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.bytes)
    }
}

impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Accepts bytes, a string or a sequence of bytes.
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FilePart;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("file contents as bytes or a string")
            }

            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<FilePart, E> {
                Ok(FilePart::new(v.to_vec()))
            }

            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<FilePart, E> {
                Ok(FilePart::new(v))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FilePart, E> {
                Ok(FilePart::new(v.as_bytes().to_vec()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<FilePart, E> {
                Ok(FilePart::new(v.into_bytes()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FilePart, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(FilePart::new(out))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

/// A successful (2xx) response.
#[derive(Debug)]
pub struct Response {
    inner: reqwest::Response,
    deadline: Option<tokio::time::Instant>,
    timeout: Option<std::time::Duration>,
    idle_timeout: std::time::Duration,
}

/// Reads a body chunk by chunk, counting what arrived, so a broken connection can say how far it got.
async fn read_all(mut inner: reqwest::Response) -> Result<Bytes, Error> {
    let mut body = bytes::BytesMut::new();
    loop {
        match inner.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body.freeze()),
            Err(e) => return Err(Error::body_cut_off(body.len() as u64, e)),
        }
    }
}

impl Response {
    /// Wraps a response. `timeout` bounds reading the body (from the start of the attempt, ending at
    /// `deadline`); `idle_timeout` bounds each gap of an event stream.
    pub(crate) fn new(
        inner: reqwest::Response,
        deadline: Option<tokio::time::Instant>,
        timeout: Option<std::time::Duration>,
        idle_timeout: std::time::Duration,
    ) -> Self {
        Response {
            inner,
            deadline,
            timeout,
            idle_timeout,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// Reads the whole body (within the request timeout). A connection that breaks in the middle of the body
    /// is [`Error::BodyCutOff`], with the number of bytes that arrived.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let deadline = self.deadline;
        let timeout = self.timeout;
        let read = read_all(self.inner);
        match deadline {
            Some(d) => tokio::time::timeout_at(d, read)
                .await
                .map_err(|_| Error::from(TimeoutError::new(TimeoutKind::Request, timeout)))?,
            None => read.await,
        }
    }

    /// Reads the body as text (invalid UTF-8 is replaced).
    pub async fn text(self) -> Result<String, Error> {
        let bytes = self.bytes().await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Reads the body and decodes it as JSON; failures name the JSON path and show an excerpt of the body.
    pub async fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        let status = self.status();
        let bytes = self.bytes().await?;
        decode_json(&bytes, Some(status), "response body")
    }

    /// Reads and discards the body.
    pub async fn empty(self) -> Result<(), Error> {
        self.bytes().await.map(|_| ())
    }

    /// Decodes the body as server-sent events, each `data` decoded as JSON into `T`. The request timeout
    /// does not apply; each gap between chunks is bounded by the stream idle timeout.
    pub fn event_stream<T: serde::de::DeserializeOwned>(self) -> EventStream<T> {
        EventStream::new(self.inner, self.idle_timeout)
    }

    /// The underlying `reqwest` response.
    pub fn into_inner(self) -> reqwest::Response {
        self.inner
    }
}

/// What every request builder carries besides its parameters: per-request overrides of the client's
/// settings. The builder methods that set them come from one macro (`settings_methods!`), so each generated builder
/// has them without repeating them.
#[derive(Clone, Debug, Default)]
pub struct RequestSettings {
    options: crate::client::RequestOptions,
    extra_headers: Vec<(String, String)>,
}

impl RequestSettings {
    /// Adds a header to this request (validated when the request is sent).
    pub fn header(&mut self, name: String, value: String) {
        self.extra_headers.push((name, value));
    }

    /// Sets the total timeout of the request.
    pub fn timeout(&mut self, timeout: std::time::Duration) {
        self.options = std::mem::take(&mut self.options).timeout(timeout);
    }

    /// Sets how many times the request is retried on transient failures.
    pub fn max_retries(&mut self, retries: u32) {
        self.options = std::mem::take(&mut self.options).max_retries(retries);
    }

    /// Allows retrying the request even if its method is not idempotent.
    pub fn retry_non_idempotent(&mut self, allow: bool) {
        self.options = std::mem::take(&mut self.options).retry_non_idempotent(allow);
    }

    /// The options to send the request with, the extra headers validated.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a header name or value that cannot be sent.
    pub fn options(&self) -> Result<crate::client::RequestOptions, Error> {
        let mut options = self.options.clone();
        for (name, value) in &self.extra_headers {
            options = options.header(name, value)?;
        }
        Ok(options)
    }
}

/// The methods every request builder has for its [`RequestSettings`] (a field named `settings`): used
/// inside each builder's `impl` block. (A spec without operations has no builder to use it.)
#[allow(unused_macros)]
macro_rules! settings_methods {
    () => {
        /// Adds a header to this request only (it overrides a client default of the same name).
        ///
        /// An invalid header name or value is reported by `.send()` as [`crate::Error::InvalidRequest`].
        pub fn header(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.settings.header(name.into(), value.into());
            self
        }

        /// Sets the total timeout of this request (each attempt), overriding the client's.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.settings.timeout(timeout);
            self
        }

        /// Sets how many times this request is retried on transient failures, overriding the client's.
        pub fn max_retries(mut self, retries: u32) -> Self {
            self.settings.max_retries(retries);
            self
        }

        /// Allows retrying this request even if its method is not idempotent (POST, PATCH).
        pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
            self.settings.retry_non_idempotent(allow);
            self
        }
    };
}
#[allow(unused_imports)]
pub(crate) use settings_methods;
