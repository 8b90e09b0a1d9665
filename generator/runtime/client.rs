//! The HTTP client: configuration, authentication, retries and redirects.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use crate::error::{ApiError, Error, TimeoutError, TimeoutKind};
use crate::request::{parse_header_name, parse_header_value, Body, Request, Response};

pub use crate::spec::{
    BASE_URL_ENV, COMPAT_HEADERS, DEFAULT_BASE_URL, DEFAULT_USER_AGENT, GENERATOR_VERSION, SPEC_SHA256,
    TOKEN_ENV, VERSION,
};

/// The default for [`ClientBuilder::pool_idle_timeout`]: shorter than the 5 s after which common servers
/// close an idle keep-alive connection.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);
/// The default timeout of a whole request (not applied to event streams).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default longest gap between two chunks of an event stream.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
/// The default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The longest wait honoured from a `Retry-After` header.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The most redirects followed for one attempt.
pub const MAX_REDIRECTS: usize = 10;

/// The API client. Cloning is cheap (the state is shared behind an `Arc`).
///
/// Redirects are followed by the client itself (up to [`MAX_REDIRECTS`]): to another origin (scheme, host or
/// port), the `Authorization`, `Cookie` and `Proxy-Authorization` headers and every header marked sensitive
/// are dropped.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// The shared state of a [`Client`].
struct Inner {
    http: reqwest::Client,
    base_url: Url,
    headers: HeaderMap,
    auth: Option<HeaderValue>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    stream_idle_timeout: Duration,
    max_retries: u32,
    retry_non_idempotent: bool,
    initial_retry_delay: Duration,
    max_retry_delay: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url.as_str())
            .field("token", &i.auth.as_ref().map(|_| "<redacted>"))
            .field("headers", &i.headers)
            .field("timeout", &i.timeout)
            .field("connect_timeout", &i.connect_timeout)
            .field("stream_idle_timeout", &i.stream_idle_timeout)
            .field("max_retries", &i.max_retries)
            .field("retry_non_idempotent", &i.retry_non_idempotent)
            .finish()
    }
}

impl Client {
    /// A client for `base_url` with default settings (no token).
    pub fn new(base_url: &str) -> Result<Client, Error> {
        Client::builder().base_url(base_url).build()
    }

    /// A client configured from the environment: the base URL from [`BASE_URL_ENV`] (default
    /// [`DEFAULT_BASE_URL`]) and the bearer token, if any, from [`TOKEN_ENV`].
    pub fn from_env() -> Result<Client, Error> {
        let mut builder = Client::builder();
        if let Ok(token) = std::env::var(TOKEN_ENV) {
            if !token.trim().is_empty() {
                builder = builder.token(token.trim());
            }
        }
        builder.build()
    }

    /// A builder with default settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are relative to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The full URL of `req`: the base URL (with its path prefix) joined with the request path (kept as it is,
    /// including a trailing slash) and the query pairs.
    pub fn url_for(&self, req: &Request) -> Result<Url, Error> {
        let mut url = self.inner.base_url.clone();
        let prefix = url.path().trim_end_matches('/').to_string();
        let path = req.path();
        if path.contains(['?', '#']) {
            return Err(Error::InvalidRequest(format!(
                "the request path {:?} contains `?` or `#`; use Request::query for parameters",
                path
            )));
        }
        let joined = if path.starts_with('/') {
            format!("{}{}", prefix, path)
        } else {
            format!("{}/{}", prefix, path)
        };
        url.set_path(&joined);
        if !req.query_pairs().is_empty() {
            url.query_pairs_mut().extend_pairs(req.query_pairs());
        }
        Ok(url)
    }

    /// Sends `req` with retries and returns the 2xx response.
    ///
    /// Attempts are retried (at most `max_retries` times) after connection failures, and, for idempotent
    /// methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) or when `retry_non_idempotent` is set, after timeouts,
    /// broken connections and statuses 408, 409, 429 and 5xx. The wait doubles from the initial retry delay
    /// (500 ms) up to the maximum (8 s) with jitter, or follows `Retry-After` (seconds or HTTP date, at most
    /// [`MAX_RETRY_AFTER`]). A non-2xx status after the last attempt is returned as [`Error::Api`].
    ///
    /// With the `tracing` feature, each call is one `request` span (at INFO level, target
    /// `<crate>::client`) with the fields `method`, `path` (the path template of the operation, or the path
    /// of a hand-made request), `operation` (the `operationId`), `attempt` (1 for the first attempt),
    /// `status` (the final status, when there is one), `duration_ms` (until the response headers, or the
    /// error) and `error` (when the call fails). Each retry is an INFO event `retrying` in that span with
    /// `attempt` (the attempt that failed), `delay_ms` and `status` or `error`. Headers, query strings,
    /// bodies and the token are never recorded. Without the feature none of this is compiled.
    pub async fn execute(&self, req: Request, options: &RequestOptions) -> Result<Response, Error> {
        #[cfg(feature = "tracing")]
        {
            use ::tracing::Instrument as _;
            let span = ::tracing::info_span!(
                "request",
                method = %req.method(),
                path = req.path_template().unwrap_or(req.path()),
                operation = req.operation_id(),
                attempt = ::tracing::field::Empty,
                status = ::tracing::field::Empty,
                duration_ms = ::tracing::field::Empty,
                error = ::tracing::field::Empty,
            );
            let started = std::time::Instant::now();
            let result = self.execute_attempts(req, options).instrument(span.clone()).await;
            span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
            match &result {
                Ok(resp) => {
                    span.record("status", resp.status().as_u16());
                }
                Err(e) => {
                    if let Some(status) = e.status() {
                        span.record("status", status.as_u16());
                    }
                    span.record("error", ::tracing::field::display(e));
                }
            }
            result
        }
        #[cfg(not(feature = "tracing"))]
        self.execute_attempts(req, options).await
    }

    /// [`Client::execute`] without its span: every attempt, with the waits between them.
    async fn execute_attempts(&self, req: Request, options: &RequestOptions) -> Result<Response, Error> {
        let inner = &*self.inner;
        let url = self.url_for(&req)?;
        let headers = self.headers_for(&req, options);
        let max_retries = options.max_retries.unwrap_or(inner.max_retries);
        let retry_all = is_idempotent(req.method())
            || options.retry_non_idempotent.unwrap_or(inner.retry_non_idempotent);
        let timeout = options.timeout.or(inner.timeout);
        let idle = options.stream_idle_timeout.unwrap_or(inner.stream_idle_timeout);
        let mut attempt: u32 = 0;
        loop {
            #[cfg(feature = "tracing")]
            ::tracing::Span::current().record("attempt", attempt + 1);
            let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
            let sent = match deadline {
                Some(d) => match tokio::time::timeout_at(d, self.send_following_redirects(&req, &url, &headers)).await {
                    Ok(r) => r,
                    Err(_) => Err(Error::Timeout(TimeoutError::new(TimeoutKind::Request, timeout))),
                },
                None => self.send_following_redirects(&req, &url, &headers).await,
            };
            let can_retry = attempt < max_retries;
            match sent {
                Ok(resp) if resp.status().is_success() => {
                    return Ok(Response::new(resp, deadline, timeout, idle));
                }
                Ok(resp) => {
                    let status = resp.status();
                    if can_retry && retry_all && is_retryable_status(status) {
                        let delay = retry_after(resp.headers()).unwrap_or_else(|| self.backoff(attempt));
                        #[cfg(feature = "tracing")]
                        ::tracing::info!(
                            attempt = attempt + 1,
                            status = status.as_u16(),
                            delay_ms = delay.as_secs_f64() * 1000.0,
                            "retrying"
                        );
                        drop(resp);
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(api_error(resp, req.method(), req.path(), deadline).await);
                }
                Err(e) => {
                    let retry = match &e {
                        Error::Transport(t) if t.is_connect() => true,
                        Error::Timeout(t) if t.kind() == TimeoutKind::Connect => true,
                        Error::Timeout(_) => retry_all,
                        Error::Transport(t) => retry_all && !t.is_builder() && !t.is_redirect(),
                        _ => false,
                    };
                    if can_retry && retry {
                        let delay = self.backoff(attempt);
                        #[cfg(feature = "tracing")]
                        ::tracing::info!(
                            attempt = attempt + 1,
                            error = %e,
                            delay_ms = delay.as_secs_f64() * 1000.0,
                            "retrying"
                        );
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Default headers, then the request's, then the options' (each replacing earlier values of the same name),
    /// then the bearer token unless an `Authorization` header is already set.
    fn headers_for(&self, req: &Request, options: &RequestOptions) -> HeaderMap {
        let mut headers = self.inner.headers.clone();
        for layer in [req.headers(), &options.headers] {
            for name in layer.keys() {
                headers.remove(name);
            }
            for (name, value) in layer {
                headers.append(name.clone(), value.clone());
            }
        }
        if let Some(auth) = &self.inner.auth {
            if !headers.contains_key(reqwest::header::AUTHORIZATION) {
                headers.insert(reqwest::header::AUTHORIZATION, auth.clone());
            }
        }
        headers
    }

    /// One attempt: sends the request and follows redirects, dropping secrets when the origin changes.
    async fn send_following_redirects(
        &self,
        req: &Request,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<reqwest::Response, Error> {
        let mut url = url.clone();
        let mut method = req.method().clone();
        let mut headers = headers.clone();
        let mut with_body = true;
        let mut redirects = 0;
        loop {
            let mut builder = self.inner.http.request(method.clone(), url.clone()).headers(headers.clone());
            if with_body {
                builder = attach_body(builder, req.body(), &headers)?;
            }
            let resp = builder.send().await.map_err(|e| self.transport_error(e))?;
            let status = resp.status();
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let location = match location {
                Some(l) if status.is_redirection() && status != StatusCode::NOT_MODIFIED => l,
                _ => return Ok(resp),
            };
            if redirects >= MAX_REDIRECTS {
                return Ok(resp);
            }
            let hop = next_hop(&url, &method, status, &location, &mut headers)?;
            drop(resp);
            url = hop.url;
            method = hop.method;
            with_body = with_body && hop.keeps_body;
            redirects += 1;
        }
    }

    /// Classifies a `reqwest` error, dropping URL credentials from it.
    fn transport_error(&self, e: reqwest::Error) -> Error {
        let e = match e.url() {
            Some(u) if !u.username().is_empty() || u.password().is_some() => e.without_url(),
            _ => e,
        };
        if e.is_timeout() {
            let kind = if e.is_connect() {
                TimeoutKind::Connect
            } else {
                TimeoutKind::Request
            };
            let after = match kind {
                TimeoutKind::Connect => self.inner.connect_timeout,
                _ => None,
            };
            return Error::Timeout(TimeoutError::new(kind, after));
        }
        Error::Transport(e)
    }

    /// Exponential backoff with jitter for retry `attempt` (0-based).
    fn backoff(&self, attempt: u32) -> Duration {
        backoff_delay(self.inner.initial_retry_delay, self.inner.max_retry_delay, attempt, fastrand::f64())
    }
}

/// The wait before retry `attempt` (0-based): the initial delay doubled per attempt, capped at `max`, then
/// scaled by `0.5 + jitter / 2` (`jitter` in `[0, 1)`), so waits spread over the upper half of the range.
pub(crate) fn backoff_delay(initial: Duration, max: Duration, attempt: u32, jitter: f64) -> Duration {
    let base = initial.as_secs_f64() * 2f64.powi(attempt.min(30) as i32);
    let capped = base.min(max.as_secs_f64());
    Duration::from_secs_f64(capped * (0.5 + jitter.clamp(0.0, 1.0) * 0.5))
}

/// Where a redirect leads, and how the request changes on the way.
#[derive(Debug)]
pub(crate) struct Hop {
    /// The next URL (the `Location` resolved against the current one).
    pub(crate) url: Url,
    /// The next method: 303, and 301/302 after a POST, turn the request into a GET (HEAD stays HEAD).
    pub(crate) method: Method,
    /// Whether the body is sent again (only when the method is kept).
    pub(crate) keeps_body: bool,
}

/// One redirect step from `url` answered with `status` and `location`. Drops every secret header (the
/// token, cookies, anything marked sensitive) from `headers` when the origin (scheme, host, port) changes,
/// and the body's headers when the body is dropped.
///
/// # Errors
///
/// [`Error::InvalidRequest`] for a location that is not a URL or not http(s).
pub(crate) fn next_hop(
    url: &Url,
    method: &Method,
    status: StatusCode,
    location: &str,
    headers: &mut HeaderMap,
) -> Result<Hop, Error> {
    let next = url
        .join(location)
        .map_err(|_| Error::InvalidRequest(String::from("the server redirected to an invalid location")))?;
    if next.scheme() != "http" && next.scheme() != "https" {
        return Err(Error::InvalidRequest(format!(
            "the server redirected to an unsupported scheme `{}`",
            next.scheme()
        )));
    }
    if next.origin() != url.origin() {
        strip_secrets(headers);
    }
    let keep_method = status == StatusCode::TEMPORARY_REDIRECT || status == StatusCode::PERMANENT_REDIRECT;
    let mut method = method.clone();
    let mut keeps_body = true;
    if !keep_method && (status == StatusCode::SEE_OTHER || method == Method::POST) {
        if method != Method::HEAD {
            method = Method::GET;
        }
        keeps_body = false;
        headers.remove(reqwest::header::CONTENT_TYPE);
        headers.remove(reqwest::header::CONTENT_LENGTH);
    }
    Ok(Hop { url: next, method, keeps_body })
}

/// Whether a method may be retried without the caller opting in.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// Statuses worth retrying.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500..=599)
}

/// The wait asked for by `retry-after-ms` or `Retry-After` (seconds or HTTP date), at most
/// [`MAX_RETRY_AFTER`].
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let wait = if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        (ms.is_finite() && ms >= 0.0).then(|| Duration::from_secs_f64((ms / 1000.0).min(3600.0)))?
    } else {
        let v = get("retry-after")?;
        if let Ok(secs) = v.parse::<u64>() {
            Duration::from_secs(secs)
        } else {
            let at = httpdate::parse_http_date(v).ok()?;
            at.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// Drops headers that must not leave the origin.
pub(crate) fn strip_secrets(headers: &mut HeaderMap) {
    let secret: Vec<HeaderName> = headers
        .iter()
        .filter(|(name, value)| value.is_sensitive() || crate::request::is_secret_header(name))
        .map(|(name, _)| name.clone())
        .collect();
    for name in secret {
        headers.remove(&name);
    }
}

/// Adds the body (a fresh copy, so attempts can repeat it) and its content type.
fn attach_body(
    builder: reqwest::RequestBuilder,
    body: &Body,
    headers: &HeaderMap,
) -> Result<reqwest::RequestBuilder, Error> {
    let has_type = headers.contains_key(reqwest::header::CONTENT_TYPE);
    Ok(match body {
        Body::None => builder,
        Body::Json(bytes) if has_type => builder.body(bytes.clone()),
        Body::Json(bytes) => builder
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(bytes.clone()),
        Body::Multipart(form) => builder.multipart(form.to_form()?),
        Body::Bytes { data, .. } if has_type => builder.body(data.clone()),
        Body::Bytes { data, content_type } => {
            let value = HeaderValue::from_str(content_type)
                .map_err(|_| Error::InvalidRequest(format!("invalid content type {:?}", content_type)))?;
            builder.header(reqwest::header::CONTENT_TYPE, value).body(data.clone())
        }
    })
}

/// Reads the body of a non-success response (within the deadline) into an [`Error::Api`].
async fn api_error(
    resp: reqwest::Response,
    method: &Method,
    path: &str,
    deadline: Option<tokio::time::Instant>,
) -> Error {
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = match deadline {
        Some(d) => tokio::time::timeout_at(d, resp.bytes()).await.ok().and_then(Result::ok),
        None => resp.bytes().await.ok(),
    };
    let body = body.unwrap_or_default();
    Error::from(ApiError::new(status, headers, body, method.clone(), path.to_string()))
}

/// Configuration of a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<String>,
    headers: Vec<(String, String, bool)>,
    user_agent: String,
    compat_headers: bool,
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    timeout: Option<Duration>,
    stream_idle_timeout: Duration,
    max_retries: u32,
    retry_non_idempotent: bool,
    initial_retry_delay: Duration,
    max_retry_delay: Duration,
    http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            token: None,
            headers: Vec::new(),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            compat_headers: true,
            connect_timeout: Some(Duration::from_secs(10)),
            pool_idle_timeout: Some(DEFAULT_POOL_IDLE_TIMEOUT),
            timeout: Some(DEFAULT_TIMEOUT),
            stream_idle_timeout: DEFAULT_STREAM_IDLE_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_non_idempotent: false,
            initial_retry_delay: Duration::from_millis(500),
            max_retry_delay: Duration::from_secs(8),
            http: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v, sensitive)| (n.as_str(), if *sensitive { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("headers", &headers)
            .field("user_agent", &self.user_agent)
            .field("compat_headers", &self.compat_headers)
            .field("connect_timeout", &self.connect_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("timeout", &self.timeout)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("custom_reqwest_client", &self.http.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// The base URL (default: the environment variable [`BASE_URL_ENV`], else [`DEFAULT_BASE_URL`]). It may carry a path prefix
    /// (`https://host/proxy`); it must not carry a query or fragment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The bearer token sent as `Authorization: Bearer <token>` (marked sensitive; never shown in `Debug`).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// A header sent with every request (for example `X-Project` or `user_id`). Validated by `build()`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), false));
        self
    }

    /// A header sent with every request, marked sensitive: never shown in `Debug` and never sent to another
    /// origin on redirect.
    pub fn sensitive_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into(), true));
        self
    }

    /// The `User-Agent` (default [`DEFAULT_USER_AGENT`]: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Whether the [`COMPAT_HEADERS`] are sent with every request (default true). A header of the same name
    /// set with [`ClientBuilder::header`] replaces a compat header either way.
    pub fn compat_headers(mut self, send: bool) -> Self {
        self.compat_headers = send;
        self
    }

    /// How long an idle keep-alive connection is kept for reuse (default [`DEFAULT_POOL_IDLE_TIMEOUT`], 4 s;
    /// `None` keeps it until the server closes it). Ignored with [`ClientBuilder::reqwest_client`].
    ///
    /// Many servers close idle connections after 5 s (uvicorn's and Node's defaults). A request written to
    /// a connection at the moment the server closes it fails with a transport error that cannot safely be
    /// retried for `POST`/`PATCH`; dropping idle connections a little earlier than the server avoids that
    /// race at the cost of a new connection after a pause.
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The limit for establishing a connection (default 10 s). Ignored with [`ClientBuilder::reqwest_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The limit for a whole request, reading the body included (default 60 s; each attempt has its own).
    /// Event streams are bounded by [`ClientBuilder::stream_idle_timeout`] instead.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Removes the request timeout.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// The longest gap between two chunks of an event stream (default 120 s).
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// Retries after the first attempt (default 2; 0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Whether POST and PATCH requests are retried too (default false: they may not be idempotent).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The wait before the first retry (default 500 ms); it doubles on each further retry.
    pub fn initial_retry_delay(mut self, delay: Duration) -> Self {
        self.initial_retry_delay = delay;
        self
    }

    /// The longest computed wait between retries (default 8 s).
    pub fn max_retry_delay(mut self, delay: Duration) -> Self {
        self.max_retry_delay = delay;
        self
    }

    /// Uses this `reqwest` client instead of building one. Its own redirect policy applies before the
    /// client's (build it with `reqwest::redirect::Policy::none()` so that redirects are handled here).
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let raw_url = match self.base_url {
            Some(u) => u,
            None => std::env::var(BASE_URL_ENV)
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        };
        let base_url = Url::parse(raw_url.trim())
            .map_err(|e| Error::Config(format!("invalid base URL {:?}: {}", raw_url, e)))?;
        if base_url.scheme() != "http" && base_url.scheme() != "https" {
            return Err(Error::Config(format!("the base URL must be http or https, not `{}`", base_url.scheme())));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::Config(String::from("the base URL must not have a query or fragment")));
        }
        let mut headers = HeaderMap::new();
        let ua = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::Config(String::from("invalid User-Agent")))?;
        headers.insert(reqwest::header::USER_AGENT, ua);
        if self.compat_headers {
            for (name, value) in COMPAT_HEADERS {
                let name = parse_header_name(name).map_err(|e| Error::Config(e.to_string()))?;
                let value = parse_header_value(&name, value).map_err(|e| Error::Config(e.to_string()))?;
                headers.insert(name, value);
            }
        }
        for (name, value, sensitive) in &self.headers {
            let name = parse_header_name(name).map_err(|e| Error::Config(e.to_string()))?;
            let mut value = parse_header_value(&name, value).map_err(|e| Error::Config(e.to_string()))?;
            if *sensitive {
                value.set_sensitive(true);
            }
            headers.insert(name, value);
        }
        let auth = match &self.token {
            Some(token) => {
                let mut v = HeaderValue::from_str(&format!("Bearer {}", token))
                    .map_err(|_| Error::Config(String::from("the token contains characters not allowed in a header")))?;
                v.set_sensitive(true);
                Some(v)
            }
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut b = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b = b.pool_idle_timeout(self.pool_idle_timeout);
                b.build()
                    .map_err(|e| Error::Config(format!("could not build the HTTP client: {}", e)))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                headers,
                auth,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
                stream_idle_timeout: self.stream_idle_timeout,
                max_retries: self.max_retries,
                retry_non_idempotent: self.retry_non_idempotent,
                initial_retry_delay: self.initial_retry_delay,
                max_retry_delay: self.max_retry_delay,
            }),
        })
    }
}

/// Per-request settings that override the client's.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    headers: HeaderMap,
    timeout: Option<Duration>,
    stream_idle_timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_non_idempotent: Option<bool>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Adds a header (replacing the client's default header of that name). Fails on an invalid name or value.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = parse_header_name(name)?;
        let value = parse_header_value(&name, value)?;
        self.headers.append(name, value);
        Ok(self)
    }

    /// Adds a header marked sensitive (hidden in `Debug`, dropped on redirects to another origin).
    pub fn sensitive_header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = parse_header_name(name)?;
        let mut value = parse_header_value(&name, value)?;
        value.set_sensitive(true);
        self.headers.append(name, value);
        Ok(self)
    }

    /// Overrides the whole-request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the event stream idle timeout.
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = Some(timeout);
        self
    }

    /// Overrides the number of retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Overrides whether a POST or PATCH request may be retried.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = Some(retry);
        self
    }

    /// The extra headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}
