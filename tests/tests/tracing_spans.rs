//! The SDK's `tracing` feature, on the wire: one span per request with method, path template, operation
//! id, attempt, status and duration; an event per retry with its delay; never the token, the filled-in
//! path or the query. Spans are captured by a test subscriber layer.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use letta_api::{Client, Error};
use tests::mock::{MockServer, Reply};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

const TOKEN: &str = "sk-let-me-in-123";

/// A closed span or an event, with every field it recorded.
#[derive(Debug, Clone)]
struct Captured {
    /// `span` or `event`.
    kind: &'static str,
    name: String,
    target: String,
    /// For events: the name of the span they happened in.
    parent: Option<String>,
    fields: BTreeMap<String, String>,
}

#[derive(Default, Clone)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Captured>>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Fields>()
        {
            values.record(fields);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.0.lock().unwrap().push(Captured {
            kind: "event",
            name: event.metadata().name().to_string(),
            target: event.metadata().target().to_string(),
            parent: ctx.event_span(event).map(|s| s.name().to_string()),
            fields: fields.0,
        });
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id) {
            let fields = span
                .extensions()
                .get::<Fields>()
                .cloned()
                .unwrap_or_default();
            self.0.lock().unwrap().push(Captured {
                kind: "span",
                name: span.name().to_string(),
                target: span.metadata().target().to_string(),
                parent: None,
                fields: fields.0,
            });
        }
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .token(TOKEN)
        .initial_retry_delay(Duration::from_millis(5))
        .build()
        .expect("client")
}

/// Runs `f` on a current-thread runtime with the capturing subscriber as the thread's default; returns
/// what the SDK recorded.
fn captured<F: std::future::Future<Output = ()>>(f: impl FnOnce() -> F) -> Vec<Captured> {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f());
    // Only the SDK's own records: reqwest's dependencies (hyper-util) trace too when `tracing` is built.
    let records = capture.0.lock().unwrap().clone();
    records
        .into_iter()
        .filter(|r| r.target.starts_with("letta_api::"))
        .collect()
}

fn assert_no_secrets(records: &[Captured], secrets: &[&str]) {
    for r in records {
        for (k, v) in &r.fields {
            for s in secrets {
                assert!(
                    !v.contains(s),
                    "{} field {k} = {v:?} contains {s:?}",
                    r.name
                );
            }
        }
    }
}

#[test]
fn a_request_is_one_span_and_each_retry_an_event() {
    let records = captured(|| async {
        let s = MockServer::start().await;
        s.push(Reply::json(503, r#"{"detail": "busy"}"#).header("retry-after-ms", "20"));
        s.push(Reply::json(200, "[]"));
        let agents = client(&s)
            .agents()
            .list_agents()
            .name("private-agent-name")
            .limit(5)
            .send()
            .await
            .expect("the retry succeeds");
        assert!(agents.is_empty());
        assert_eq!(s.requests().len(), 2);
    });
    let spans: Vec<&Captured> = records.iter().filter(|r| r.kind == "span").collect();
    assert_eq!(spans.len(), 1, "{records:#?}");
    let span = spans[0];
    assert_eq!(span.name, "request");
    assert_eq!(span.target, "letta_api::client");
    let f = &span.fields;
    assert_eq!(f.get("method").map(String::as_str), Some("GET"), "{f:?}");
    assert_eq!(f.get("path").map(String::as_str), Some("/v1/agents/"));
    assert_eq!(f.get("operation").map(String::as_str), Some("list_agents"));
    assert_eq!(f.get("attempt").map(String::as_str), Some("2"));
    assert_eq!(f.get("status").map(String::as_str), Some("200"));
    let ms: f64 = f["duration_ms"].parse().expect("duration in ms");
    assert!(ms >= 20.0, "the span covers the retry wait: {ms}");
    assert!(!f.contains_key("error"), "{f:?}");

    let events: Vec<&Captured> = records.iter().filter(|r| r.kind == "event").collect();
    assert_eq!(events.len(), 1, "{events:#?}");
    let e = &events[0].fields;
    assert_eq!(e.get("message").map(String::as_str), Some("retrying"));
    assert_eq!(events[0].parent.as_deref(), Some("request"));
    assert_eq!(e.get("attempt").map(String::as_str), Some("1"));
    assert_eq!(e.get("status").map(String::as_str), Some("503"));
    assert_eq!(
        e.get("delay_ms").map(String::as_str),
        Some("20.0"),
        "Retry-After-Ms is honoured"
    );

    assert_no_secrets(&records, &[TOKEN, "private-agent-name", "limit"]);
}

#[test]
fn a_failed_request_records_its_status_and_error_but_not_its_ids() {
    let records = captured(|| async {
        let s = MockServer::start().await;
        s.push(Reply::json(
            404,
            r#"{"detail": "Agent with ID agent-42 not found"}"#,
        ));
        let err = client(&s)
            .agents()
            .retrieve_agent("agent-42")
            .send()
            .await
            .expect_err("404");
        assert!(
            matches!(&err, Error::Api(e) if e.status() == 404),
            "{err:?}"
        );
    });
    let span = records.iter().find(|r| r.kind == "span").expect("a span");
    let f = &span.fields;
    assert_eq!(
        f.get("path").map(String::as_str),
        Some("/v1/agents/{agent_id}"),
        "the template, not the id: {f:?}"
    );
    assert_eq!(
        f.get("operation").map(String::as_str),
        Some("retrieve_agent")
    );
    assert_eq!(
        f.get("attempt").map(String::as_str),
        Some("1"),
        "a 404 is not retried"
    );
    assert_eq!(f.get("status").map(String::as_str), Some("404"));
    assert!(f.get("error").is_some_and(|e| e.contains("404")), "{f:?}");
    assert!(
        records.iter().all(|r| r.kind != "event"),
        "no retry: {records:#?}"
    );
    assert_no_secrets(
        &records
            .iter()
            .map(|r| Captured {
                fields: r
                    .fields
                    .iter()
                    .filter(|(k, _)| *k != "error")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                ..r.clone()
            })
            .collect::<Vec<_>>(),
        &["agent-42"],
    );
    assert_no_secrets(&records, &[TOKEN]);
}

#[test]
fn a_transport_failure_is_retried_with_an_event_naming_the_error() {
    let records = captured(|| async {
        // A port nobody listens on: every attempt is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("addr")
            .port();
        let c = Client::builder()
            .base_url(format!("http://127.0.0.1:{port}"))
            .token(TOKEN)
            .max_retries(1)
            .initial_retry_delay(Duration::from_millis(5))
            .build()
            .expect("client");
        let err = c.health().check_health().send().await.expect_err("refused");
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
    });
    let events: Vec<&Captured> = records.iter().filter(|r| r.kind == "event").collect();
    assert_eq!(events.len(), 1, "{records:#?}");
    assert!(
        events[0].fields.contains_key("error"),
        "{:?}",
        events[0].fields
    );
    assert!(!events[0].fields.contains_key("status"));
    let span = records.iter().find(|r| r.kind == "span").expect("a span");
    assert_eq!(span.fields.get("attempt").map(String::as_str), Some("2"));
    assert!(span.fields.contains_key("error") && !span.fields.contains_key("status"));
    assert_no_secrets(&records, &[TOKEN]);
}
