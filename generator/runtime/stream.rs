//! Server-sent events: an incremental decoder over the response body.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;

use crate::error::{decode_json, Error, StreamError};

/// The largest event (pending line plus accumulated data) accepted, in bytes.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// The body as a boxed stream of chunks.
type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// A stream of server-sent events, each decoded from JSON into `T`.
///
/// - `data:` lines are joined with `\n`; comments (`: ping`) and `event: ping` are skipped.
/// - `data: [DONE]` ends the stream.
/// - `event: error` yields [`StreamError::ErrorEvent`] with its data, then the stream ends; so does a
///   `data:` object whose only key is `error` (how OpenAI-style servers, Letta 0.7 among them, report a
///   failed step).
/// - The body ending before `[DONE]` yields [`StreamError::Truncated`] (an incomplete last event is
///   discarded, as the WHATWG rules say), then the stream ends; a connection that breaks in the middle of
///   the body yields [`Error::BodyCutOff`] with the number of bytes received.
/// - No bytes for longer than the idle timeout yields [`StreamError::IdleTimeout`], then the stream ends.
/// - An event that does not decode into `T` yields [`Error::Decode`]; the stream goes on.
/// - An event that decodes into a kind marked as a failure (see [`EventStream::errors_when`]) yields
///   [`StreamError::ErrorEvent`] with its JSON; the stream goes on.
pub struct EventStream<T> {
    body: BodyStream,
    status: StatusCode,
    idle_timeout: Duration,
    idle: Pin<Box<tokio::time::Sleep>>,
    parser: Parser,
    finished: bool,
    eof: bool,
    /// Body bytes received so far.
    received: u64,
    /// The end of the body ends the stream (no `[DONE]` expected).
    eof_ends: bool,
    is_error: fn(&T) -> bool,
    _marker: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("idle_timeout", &self.idle_timeout)
            .field("last_event_id", &self.parser.last_id)
            .field("finished", &self.finished)
            .finish()
    }
}

impl<T: serde::de::DeserializeOwned> EventStream<T> {
    /// Decodes the body of `response`; each gap between chunks may last at most `idle_timeout`.
    pub fn new(response: reqwest::Response, idle_timeout: Duration) -> Self {
        let status = response.status();
        EventStream {
            body: Box::pin(response.bytes_stream()),
            status,
            idle_timeout,
            idle: Box::pin(tokio::time::sleep(idle_timeout)),
            parser: Parser::default(),
            finished: false,
            eof: false,
            received: 0,
            eof_ends: false,
            is_error: |_| false,
            _marker: PhantomData,
        }
    }

    /// For servers that end a stream by closing the body instead of sending `data: [DONE]`: the end of the
    /// body then ends the stream quietly (an incomplete last event is still discarded, and a connection
    /// that breaks is still [`Error::BodyCutOff`]).
    pub fn ends_at_end_of_body(mut self) -> Self {
        self.eof_ends = true;
        self
    }

    /// Makes events for which `is_error` is true arrive as [`StreamError::ErrorEvent`] (carrying the
    /// event's JSON) instead of as items: for event kinds by which a server reports a failure in-band.
    pub fn errors_when(mut self, is_error: fn(&T) -> bool) -> Self {
        self.is_error = is_error;
        self
    }

    /// The `id` of the last event received, if the server sends ids.
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.last_id.as_deref()
    }

    /// Turns a dispatched event into an item, or `None` to skip it.
    fn handle(&mut self, ev: RawEvent) -> Option<Result<T, Error>> {
        if ev.event == "ping" {
            return None;
        }
        if ev.event == "error" {
            self.finished = true;
            return Some(Err(Error::Stream(StreamError::ErrorEvent { data: ev.data })));
        }
        if ev.data.trim() == "[DONE]" {
            self.finished = true;
            return None;
        }
        if ev.data.is_empty() {
            return None;
        }
        if is_error_payload(&ev.data) {
            self.finished = true;
            return Some(Err(Error::Stream(StreamError::ErrorEvent { data: ev.data })));
        }
        let data = Bytes::from(ev.data);
        match decode_json::<T>(&data, Some(self.status), "stream event") {
            Ok(item) if (self.is_error)(&item) => Some(Err(Error::Stream(StreamError::ErrorEvent {
                data: String::from_utf8_lossy(&data).into_owned(),
            }))),
            other => Some(other),
        }
    }
}

/// OpenAI-style servers (Letta 0.7 among them) report a failed step inside the stream as
/// `data: {"error": "..."}` (then `[DONE]`), not as `event: error`: an object whose only key is `error` is
/// an error event too.
fn is_error_payload(data: &str) -> bool {
    if !data.contains("\"error\"") {
        return false;
    }
    match serde_json::from_str::<serde_json::Value>(data) {
        Ok(serde_json::Value::Object(map)) => map.len() == 1 && map.contains_key("error"),
        _ => false,
    }
}

impl<T: serde::de::DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.finished {
                return Poll::Ready(None);
            }
            match this.parser.next_event(this.eof) {
                Err(e) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(Error::Stream(e))));
                }
                Ok(Some(ev)) => {
                    if let Some(item) = this.handle(ev) {
                        return Poll::Ready(Some(item));
                    }
                    continue;
                }
                Ok(None) => {}
            }
            if this.eof {
                this.finished = true;
                if this.eof_ends {
                    return Poll::Ready(None);
                }
                return Poll::Ready(Some(Err(Error::Stream(StreamError::Truncated))));
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    let deadline = tokio::time::Instant::now() + this.idle_timeout;
                    this.idle.as_mut().reset(deadline);
                    this.received += chunk.len() as u64;
                    this.parser.push(&chunk);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(Error::body_cut_off(this.received, e))));
                }
                Poll::Ready(None) => this.eof = true,
                Poll::Pending => {
                    if this.idle.as_mut().poll(cx).is_ready() {
                        this.finished = true;
                        let err = StreamError::IdleTimeout(this.idle_timeout);
                        return Poll::Ready(Some(Err(Error::Stream(err))));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The event type (`event:` field), empty when none was given.
    pub(crate) event: String,
    /// The `data:` lines, joined with `\n`.
    pub(crate) data: String,
}

/// The incremental event-stream parser of the WHATWG HTML standard ("Parsing an event stream"):
///
/// - one leading U+FEFF (BOM) is skipped;
/// - a line ends at CR, LF or CR LF; a CR ends it at once, and an LF that follows it (even in the next
///   chunk) is skipped;
/// - lines starting with `:` are comments; `field: value` drops one space after the colon; a line without
///   a colon is a field with an empty value;
/// - an empty line dispatches the event when it has data (an event without `data:` lines is dropped);
/// - at the end of the input, an incomplete line and an undispatched event are discarded.
///
/// Every byte is scanned once: the search for a line end resumes where the previous one stopped, and
/// consumed bytes are dropped in amortized constant time per byte.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// Received bytes; everything before `pos` is consumed.
    buf: Vec<u8>,
    pos: usize,
    /// `buf[pos..scanned]` holds no line end (where the next search starts).
    scanned: usize,
    /// The last line ended with CR: an LF next is part of that line end.
    skip_lf: bool,
    /// The start of the stream has been checked for a BOM.
    started: bool,
    /// Data lines of the current event, joined with `\n`.
    data: String,
    has_data: bool,
    event: String,
    pub(crate) last_id: Option<String>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Parser {
    /// Appends a chunk of the body.
    pub(crate) fn push(&mut self, chunk: &[u8]) {
        // Drop the consumed prefix once it is at least half the buffer: each byte moves at most once.
        if self.pos > 0 && self.pos * 2 >= self.buf.len() {
            self.buf.drain(..self.pos);
            self.scanned -= self.pos;
            self.pos = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete line (without its line end). `None` when no complete line is buffered; at the end of
    /// the input an unterminated last line is discarded, as the rules say.
    fn next_line(&mut self, eof: bool) -> Result<Option<Vec<u8>>, StreamError> {
        if !self.started {
            let rest = &self.buf[self.pos..];
            if rest.len() < BOM.len() && BOM.starts_with(rest) && !eof {
                return Ok(None); // not yet known whether the stream starts with a BOM
            }
            if rest.starts_with(BOM) {
                self.pos += BOM.len();
                self.scanned = self.scanned.max(self.pos);
            }
            self.started = true;
        }
        if self.skip_lf {
            match self.buf.get(self.pos) {
                Some(b'\n') => {
                    self.pos += 1;
                    self.scanned = self.scanned.max(self.pos);
                    self.skip_lf = false;
                }
                Some(_) => self.skip_lf = false,
                None => return Ok(None),
            }
        }
        let from = self.scanned.max(self.pos);
        match self.buf[from..].iter().position(|b| *b == b'\n' || *b == b'\r') {
            Some(offset) => {
                let end = from + offset;
                let line = self.buf[self.pos..end].to_vec();
                self.skip_lf = self.buf[end] == b'\r';
                self.pos = end + 1;
                self.scanned = self.pos;
                Ok(Some(line))
            }
            None => {
                self.scanned = self.buf.len();
                if self.buf.len() - self.pos + self.data.len() > MAX_EVENT_BYTES {
                    return Err(StreamError::TooLarge { limit: MAX_EVENT_BYTES });
                }
                Ok(None)
            }
        }
    }

    /// Processes buffered lines until an event is dispatched; `None` when more input is needed (or, at the
    /// end of the input, when nothing complete is left: a pending event is discarded).
    pub(crate) fn next_event(&mut self, eof: bool) -> Result<Option<RawEvent>, StreamError> {
        while let Some(line) = self.next_line(eof)? {
            if line.is_empty() {
                if let Some(ev) = self.dispatch() {
                    return Ok(Some(ev));
                }
                continue;
            }
            let line = String::from_utf8(line)
                .map_err(|_| StreamError::Malformed(String::from("a line is not valid UTF-8")))?;
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (line.as_str(), ""),
            };
            match field {
                "data" => {
                    if self.has_data {
                        self.data.push('\n');
                    }
                    self.data.push_str(value);
                    self.has_data = true;
                    if self.data.len() > MAX_EVENT_BYTES {
                        return Err(StreamError::TooLarge { limit: MAX_EVENT_BYTES });
                    }
                }
                "event" => self.event = value.to_string(),
                "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
                _ => {}
            }
        }
        Ok(None)
    }

    /// Ends the current event: `None` when it has no data (the rules drop it).
    fn dispatch(&mut self) -> Option<RawEvent> {
        let data = std::mem::take(&mut self.data);
        let event = std::mem::take(&mut self.event);
        let had = std::mem::take(&mut self.has_data);
        had.then_some(RawEvent { event, data })
    }
}
