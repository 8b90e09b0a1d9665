//! Wire tests of the runtime (retries, timeouts, errors, SSE, redirects, multipart, paging) against a
//! scripted mock server on 127.0.0.1.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tests::mock::{MockServer, Reply};

use letta_api_0_7::error::{Error, StreamError};
use letta_api_0_7::request::{FilePart, Method, Multipart, Request, path_segment};
use letta_api_0_7::{Client, RequestOptions};

const TOKEN: &str = "sk-let-SECRET-token-42";

/// A client with fast retries and a token.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .token(TOKEN)
        .initial_retry_delay(Duration::from_millis(10))
        .max_retry_delay(Duration::from_millis(40))
        .build()
        .expect("client")
}

fn get(path: &str) -> Request {
    Request::new(Method::GET, path)
}

async fn send(c: &Client, req: Request) -> Result<letta_api_0_7::request::Response, Error> {
    c.execute(req, &RequestOptions::default()).await
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Item {
    id: String,
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let s = MockServer::start().await;
    s.push(Reply::new(503).body("busy"))
        .push(Reply::new(503))
        .push(Reply::json(200, r#"{"id":"a"}"#));
    let item: Item = send(&client(&s), get("/v1/x/"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(item.id, "a");
    assert_eq!(s.requests().len(), 3);
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let s = MockServer::start().await;
    for _ in 0..4 {
        s.push(Reply::new(500).body("oops"));
    }
    let err = send(&client(&s), get("/v1/x/")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(s.requests().len(), 3, "1 attempt + 2 retries");
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let s = MockServer::start().await;
    s.push(Reply::new(503).header("retry-after", "1"))
        .push(Reply::json(200, "{}"));
    let start = Instant::now();
    send(&client(&s), get("/v1/x/"))
        .await
        .unwrap()
        .empty()
        .await
        .unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(s.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_http_date_is_parsed_and_429_retried() {
    let s = MockServer::start().await;
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    s.push(Reply::new(429).header("retry-after", &at))
        .push(Reply::json(200, "{}"));
    let start = Instant::now();
    send(&client(&s), get("/v1/x/"))
        .await
        .unwrap()
        .empty()
        .await
        .unwrap();
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "{:?}",
        took
    );
    assert_eq!(s.requests().len(), 2);
}

#[tokio::test]
async fn post_is_not_retried_unless_opted_in() {
    let s = MockServer::start().await;
    s.push(Reply::new(503));
    let c = client(&s);
    let err = send(&c, Request::new(Method::POST, "/v1/x/"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(s.requests().len(), 1);

    s.push(Reply::new(503)).push(Reply::json(200, "{}"));
    let opts = RequestOptions::new().retry_non_idempotent(true);
    c.execute(Request::new(Method::POST, "/v1/x/"), &opts)
        .await
        .unwrap();
    assert_eq!(s.requests().len(), 3);

    let c2 = Client::builder()
        .base_url(s.url())
        .retry_non_idempotent(true)
        .initial_retry_delay(Duration::from_millis(5))
        .build()
        .unwrap();
    s.push(Reply::new(502)).push(Reply::json(200, "{}"));
    send(&c2, Request::new(Method::PATCH, "/v1/x/"))
        .await
        .unwrap();
    assert_eq!(s.requests().len(), 5);
}

#[tokio::test]
async fn request_timeout_is_a_timeout_error() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, "{}").delay(Duration::from_secs(3)));
    let c = Client::builder()
        .base_url(s.url())
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let start = Instant::now();
    let err = send(&c, get("/v1/slow/")).await.unwrap_err();
    assert!(err.is_timeout(), "{:?}", err);
    assert!(matches!(err, Error::Timeout(_)), "{:?}", err);
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(err.to_string().contains("timed out"), "{}", err);
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", port))
        .initial_retry_delay(Duration::from_millis(5))
        .build()
        .unwrap();
    let err = send(&c, Request::new(Method::POST, "/v1/x/"))
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{:?}", err);
}

#[tokio::test]
async fn html_502_is_a_readable_api_error() {
    let s = MockServer::start().await;
    let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25</center>\r\n</body>\r\n</html>\r\n";
    s.push(
        Reply::new(502)
            .header("content-type", "text/html")
            .body(html),
    );
    let c = Client::builder()
        .base_url(s.url())
        .max_retries(0)
        .build()
        .unwrap();
    let err = send(&c, get("/v1/agents/")).await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Api, got {:?}", err)
    };
    assert_eq!(api.status().as_u16(), 502);
    assert_eq!(api.text(), html);
    let shown = err.to_string();
    assert!(
        shown.contains("502") && shown.contains("GET /v1/agents/"),
        "{}",
        shown
    );
    assert!(
        shown.contains("502 Bad Gateway nginx/1.25") && !shown.contains('<'),
        "{}",
        shown
    );
    assert_eq!(err.detail(), None);
}

#[tokio::test]
async fn empty_502_is_a_readable_api_error() {
    let s = MockServer::start().await;
    s.push(Reply::new(502));
    let c = Client::builder()
        .base_url(s.url())
        .max_retries(0)
        .build()
        .unwrap();
    let err = send(&c, get("/v1/agents/")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.to_string().contains("(empty body)"), "{}", err);
    assert!(err.api_error().unwrap().body().is_empty());
}

#[tokio::test]
async fn validation_422_is_typed() {
    let s = MockServer::start().await;
    let body = r#"{"detail":[{"loc":["body","name"],"msg":"field required","type":"missing"},{"loc":["query","limit",0],"msg":"bad","type":"int_parsing"}]}"#;
    s.push(Reply::json(422, body));
    let err = send(&client(&s), Request::new(Method::POST, "/v1/agents/"))
        .await
        .unwrap_err();
    let api = err.api_error().expect("api error");
    let v = api.validation_error().expect("typed 422");
    let detail = v.detail.expect("detail list");
    use letta_api_0_7::models::ValidationErrorLocItem as Loc;
    assert_eq!(
        detail[0].loc,
        vec![Loc::String("body".into()), Loc::String("name".into())]
    );
    assert_eq!(detail[1].loc[2], Loc::Integer(0));
    assert_eq!(detail[0].type_, "missing");
    assert_eq!(
        err.detail().as_deref(),
        Some("body.name: field required; query.limit.0: bad")
    );
    assert!(
        err.to_string().contains("body.name: field required"),
        "{}",
        err
    );
}

#[tokio::test]
async fn detail_string_and_404() {
    let s = MockServer::start().await;
    s.push(Reply::json(404, r#"{"detail":"Agent agent-1 not found"}"#));
    let err = send(&client(&s), get("/v1/agents/agent-1/"))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.detail().as_deref(), Some("Agent agent-1 not found"));
    assert_eq!(err.api_error().unwrap().validation_error(), None);
    let v: serde_json::Value = err.api_error().unwrap().json().unwrap();
    assert_eq!(v["detail"], "Agent agent-1 not found");
}

#[tokio::test]
async fn decode_error_names_the_json_path() {
    #[derive(Debug, serde::Deserialize)]
    struct Page {
        #[allow(dead_code)]
        items: Vec<Item>,
    }
    let s = MockServer::start().await;
    s.push(Reply::json(200, r#"{"items":[{"id":"a"},{"id":5}]}"#));
    let err = send(&client(&s), get("/v1/x/"))
        .await
        .unwrap()
        .json::<Page>()
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{:?}", err)
    };
    assert_eq!(d.path(), "items[1].id");
    assert_eq!(d.status().map(|s| s.as_u16()), Some(200));
    let shown = err.to_string();
    assert!(
        shown.contains("items[1].id") && shown.contains(r#"{"items":[{"id":"a"}"#),
        "{}",
        shown
    );
}

#[tokio::test]
async fn decode_error_excerpt_is_char_safe() {
    let s = MockServer::start().await;
    let long = format!("[\"{}\"]", "é".repeat(500));
    s.push(Reply::json(200, &long));
    let err = send(&client(&s), get("/v1/x/"))
        .await
        .unwrap()
        .json::<Vec<u32>>()
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{:?}", err)
    };
    assert_eq!(d.path(), "[0]");
    assert_eq!(d.excerpt().chars().count(), 203);
}

#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(tag = "message_type")]
enum Msg {
    #[serde(rename = "assistant_message")]
    Assistant { content: String },
    #[serde(other)]
    Unknown,
}

async fn sse_client(s: &MockServer) -> letta_api_0_7::stream::EventStream<Msg> {
    let c = Client::builder()
        .base_url(s.url())
        .stream_idle_timeout(Duration::from_millis(1000))
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    send(
        &c,
        Request::new(Method::POST, "/v1/agents/a/messages/stream"),
    )
    .await
    .unwrap()
    .event_stream::<Msg>()
}

#[tokio::test]
async fn sse_decodes_events_skipping_pings() {
    let s = MockServer::start().await;
    s.push(
        Reply::sse(&[
            ": ping\n\n",
            "event: ping\ndata: {}\n\n",
            "data: {\"message_type\":\"assistant_message\",",
            "\"content\":\"hé\"}\r\n\r\n",
            "data: {\"message_type\":\"usage_statistics\",\"x\":1}\n\n",
            "data: {\"message_type\":\"assistant_message\",\ndata: \"content\":\"two\"}\r",
            "\n\r\n",
            "data: [DONE]\n\n",
            "data: {\"message_type\":\"assistant_message\",\"content\":\"after done\"}\n\n",
        ])
        .chunk(Duration::from_millis(1500), ""),
    );
    let events: Vec<_> = sse_client(&s).await.collect().await;
    let events: Vec<Msg> = events.into_iter().map(|e| e.unwrap()).collect();
    assert_eq!(
        events,
        vec![
            Msg::Assistant {
                content: "hé".into()
            },
            Msg::Unknown,
            Msg::Assistant {
                content: "two".into()
            }
        ]
    );
}

#[tokio::test]
async fn sse_error_event_is_an_error() {
    let s = MockServer::start().await;
    s.push(Reply::sse(&[
        "data: {\"message_type\":\"assistant_message\",\"content\":\"hi\"}\n\n",
        "event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n",
    ]));
    let mut st = sse_client(&s).await;
    assert!(st.next().await.unwrap().is_ok());
    let err = st.next().await.unwrap().unwrap_err();
    let Error::Stream(se @ StreamError::ErrorEvent { data }) = &err else {
        panic!("{:?}", err)
    };
    assert!(data.contains("boom"));
    assert_eq!(se.error_json().unwrap()["error"]["message"], "boom");
    assert!(st.next().await.is_none());
}

#[tokio::test]
async fn sse_end_before_done_is_truncated() {
    let s = MockServer::start().await;
    s.push(Reply::sse(&[
        "data: {\"message_type\":\"assistant_message\",\"content\":\"hi\"}\n\n",
        "data: {\"message_type\"",
    ]));
    let mut st = sse_client(&s).await;
    assert!(st.next().await.unwrap().is_ok());
    // The incomplete last event is discarded (WHATWG rules): one clear truncation error, no decode error.
    let err = st.next().await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::Stream(StreamError::Truncated)),
        "{:?}",
        err
    );
    assert!(st.next().await.is_none());
}

#[tokio::test]
async fn sse_cut_connection_is_an_error() {
    let s = MockServer::start().await;
    s.push(Reply::sse(&["data: {\"message_type\":\"x\"}\n\n"]).cut());
    let mut st = sse_client(&s).await;
    assert_eq!(st.next().await.unwrap().unwrap(), Msg::Unknown);
    let err = st.next().await.unwrap().unwrap_err();
    // The top-level error says what happened; the transport's error stays in the source chain.
    assert!(
        matches!(err, Error::BodyCutOff { received, .. } if received > 0),
        "{:?}",
        err
    );
    assert!(st.next().await.is_none());
}

#[tokio::test]
async fn sse_idle_timeout() {
    let s = MockServer::start().await;
    s.push(
        Reply::sse(&["data: {\"message_type\":\"x\"}\n\n"])
            .chunk(Duration::from_secs(3), "data: [DONE]\n\n"),
    );
    let mut st = sse_client(&s).await;
    let start = Instant::now();
    assert!(st.next().await.unwrap().is_ok());
    let err = st.next().await.unwrap().unwrap_err();
    assert!(
        err.is_timeout() && matches!(err, Error::Stream(StreamError::IdleTimeout(_))),
        "{:?}",
        err
    );
    assert!(
        start.elapsed() < Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
    assert!(st.next().await.is_none());
}

#[tokio::test]
async fn stream_outlives_request_timeout() {
    let s = MockServer::start().await;
    // The request timeout of the SSE client is 500 ms; chunks arrive every 250 ms for 1 s.
    let mut r = Reply::sse(&[]);
    for _ in 0..4 {
        r = r.chunk(
            Duration::from_millis(250),
            "data: {\"message_type\":\"x\"}\n\n",
        );
    }
    s.push(r.chunk(Duration::ZERO, "data: [DONE]\n\n"));
    let events: Vec<_> = sse_client(&s).await.collect().await;
    assert_eq!(events.len(), 4);
    assert!(events.iter().all(|e| e.is_ok()), "{:?}", events);
}

#[tokio::test]
async fn query_arrays_repeat_keys_and_path_prefix_is_kept() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, "[]"));
    let c = Client::builder()
        .base_url(format!("{}/proxy/", s.url()))
        .build()
        .unwrap();
    let mut req = get("/v1/agents/");
    req.query("tags", &vec!["a", "b c"])
        .query("limit", &Some(5u32))
        .query("after", &None::<String>)
        .query("ok", &true)
        .query("q", "x&y=z");
    send(&c, req).await.unwrap().empty().await.unwrap();
    assert_eq!(
        s.requests()[0].target,
        "/proxy/v1/agents/?tags=a&tags=b+c&limit=5&ok=true&q=x%26y%3Dz"
    );
}

#[test]
fn path_segments_are_encoded_and_checked() {
    assert_eq!(
        path_segment("agent_id", &"agent-1_a.b~c").unwrap(),
        "agent-1_a.b~c"
    );
    assert_eq!(
        path_segment("agent_id", &"a/b?c#d%e f").unwrap(),
        "a%2Fb%3Fc%23d%25e%20f"
    );
    assert_eq!(path_segment("agent_id", &"é").unwrap(), "%C3%A9");
    assert_eq!(path_segment("n", &42).unwrap(), "42");
    for bad in ["", ".", ".."] {
        let err = path_segment("agent_id", &bad).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("agent_id")),
            "{:?}",
            err
        );
    }
    assert_eq!(path_segment("x", &"...").unwrap(), "...");
}

#[tokio::test]
async fn encoded_segment_reaches_the_server_as_one_segment() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, "{}"));
    let path = format!(
        "/v1/agents/{}/",
        path_segment("agent_id", &"../x y").unwrap()
    );
    send(&client(&s), get(&path)).await.unwrap();
    assert_eq!(s.requests()[0].target, "/v1/agents/..%2Fx%20y/");
}

#[tokio::test]
async fn token_is_sent_but_never_shown() {
    let s = MockServer::start().await;
    s.push(Reply::json(401, r#"{"detail":"bad token"}"#));
    let builder = Client::builder()
        .base_url(s.url())
        .token(TOKEN)
        .sensitive_header("x-secret", "hush-hush");
    assert!(!format!("{:?}", builder).contains(TOKEN));
    assert!(!format!("{:?}", builder).contains("hush-hush"));
    let c = builder.header("X-Project", "proj").build().unwrap();
    let dbg = format!("{:?}", c);
    assert!(
        !dbg.contains(TOKEN) && !dbg.contains("hush-hush") && dbg.contains("proj"),
        "{}",
        dbg
    );
    let opts = RequestOptions::new()
        .header("Authorization", &format!("Bearer {}", TOKEN))
        .unwrap();
    assert!(!format!("{:?}", opts).contains(TOKEN));
    let err = send(&c, get("/v1/agents/")).await.unwrap_err();
    let r = &s.requests()[0];
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {}", TOKEN).as_str())
    );
    assert_eq!(r.header("x-project"), Some("proj"));
    assert!(
        r.header("user-agent")
            .unwrap()
            .starts_with("letta-api-0-7-rust/")
    );
    assert!(!err.to_string().contains(TOKEN) && !format!("{:?}", err).contains(TOKEN));
    assert!(!format!("{:?}", err).contains("hush-hush"));
}

#[tokio::test]
async fn redirect_to_another_origin_drops_secrets() {
    let a = MockServer::start().await;
    let b = MockServer::start().await;
    a.push(Reply::new(307).header("location", &format!("{}/v1/moved/?x=1", b.url())));
    b.push(Reply::json(200, r#"{"id":"b"}"#));
    let c = Client::builder()
        .base_url(a.url())
        .token(TOKEN)
        .header("X-Project", "proj")
        .sensitive_header("x-secret", "hush")
        .build()
        .unwrap();
    let mut req = Request::new(Method::POST, "/v1/agents/");
    req.json(&serde_json::json!({"name": "n"})).unwrap();
    let item: Item = send(&c, req).await.unwrap().json().await.unwrap();
    assert_eq!(item.id, "b");
    let first = &a.requests()[0];
    assert!(first.header("authorization").is_some() && first.header("x-secret").is_some());
    let moved = &b.requests()[0];
    assert_eq!(moved.target, "/v1/moved/?x=1");
    assert_eq!(moved.method, "POST", "307 keeps the method");
    assert_eq!(moved.body, br#"{"name":"n"}"#, "307 keeps the body");
    assert_eq!(moved.header("authorization"), None);
    assert_eq!(moved.header("x-secret"), None);
    assert_eq!(moved.header("x-project"), Some("proj"));
}

#[tokio::test]
async fn redirect_to_same_origin_keeps_auth() {
    let a = MockServer::start().await;
    a.push(Reply::new(307).header("location", "/v1/agents/"))
        .push(Reply::json(200, "{}"));
    let c = Client::builder()
        .base_url(a.url())
        .token(TOKEN)
        .build()
        .unwrap();
    send(&c, get("/v1/agents")).await.unwrap();
    let reqs = a.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].path(), "/v1/agents/");
    assert_eq!(
        reqs[1].header("authorization"),
        Some(format!("Bearer {}", TOKEN).as_str())
    );
}

#[tokio::test]
async fn multipart_is_sent_and_survives_retry() {
    let s = MockServer::start().await;
    s.push(Reply::new(503)).push(Reply::json(200, "{}"));
    let form = Multipart::new().text("source_id", "source-1").file(
        "file",
        FilePart::new(b"hello world".to_vec())
            .file_name("notes.txt")
            .mime("text/plain"),
    );
    let mut req = Request::new(Method::POST, "/v1/sources/source-1/upload");
    req.multipart(form);
    let opts = RequestOptions::new().retry_non_idempotent(true);
    client(&s).execute(req, &opts).await.unwrap();
    let reqs = s.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        let body = String::from_utf8_lossy(&r.body);
        assert!(
            r.header("content-type")
                .unwrap()
                .starts_with("multipart/form-data; boundary=")
        );
        assert!(
            body.contains(r#"name="file"; filename="notes.txt""#),
            "{}",
            body
        );
        assert!(
            body.contains("Content-Type: text/plain") || body.contains("content-type: text/plain"),
            "{}",
            body
        );
        assert!(
            body.contains(r#"name="source_id""#)
                && body.contains("source-1")
                && body.contains("hello world")
        );
    }
}

#[tokio::test]
async fn headers_from_request_and_options() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, "{}"));
    let c = Client::builder()
        .base_url(s.url())
        .header("user_id", "default-user")
        .build()
        .unwrap();
    let mut req = get("/v1/x/");
    req.header("user_id", &Some("user-1"))
        .unwrap()
        .header("x-none", &None::<String>)
        .unwrap();
    let opts = RequestOptions::new().header("X-Project", "p2").unwrap();
    c.execute(req, &opts).await.unwrap();
    let r = &s.requests()[0];
    assert_eq!(r.header("user_id"), Some("user-1"));
    assert_eq!(r.header("x-project"), Some("p2"));
    assert_eq!(r.header("x-none"), None);
    assert_eq!(r.headers.iter().filter(|(n, _)| n == "user_id").count(), 1);
    assert!(matches!(
        get("/").header("user_id", &"bad\nvalue"),
        Err(Error::InvalidRequest(_))
    ));
}

/// A list request builder for the pagination test.
#[derive(Clone)]
struct ListItems {
    client: Client,
    after: Option<String>,
    limit: Option<i64>,
}

impl ListItems {
    async fn send(self) -> Result<Vec<Item>, Error> {
        let mut req = get("/v1/items/");
        req.query("after", &self.after).query("limit", &self.limit);
        send(&self.client, req).await?.json().await
    }
}

fn list_stream(
    c: &Client,
    limit: Option<i64>,
) -> impl futures_util::Stream<Item = Result<Item, Error>> + Unpin + Send + '_ {
    list_stream_with(c, limit, false)
}

fn list_stream_with(
    c: &Client,
    limit: Option<i64>,
    reverse_pages: bool,
) -> impl futures_util::Stream<Item = Result<Item, Error>> + Unpin + Send + '_ {
    let first = ListItems {
        client: c.clone(),
        after: None,
        limit,
    };
    letta_api_0_7::paging::paginate(
        first,
        limit,
        reverse_pages,
        |b, after| ListItems {
            after: Some(after),
            ..b
        },
        ListItems::send,
        |i: &Item| Some(i.id.clone()),
    )
}

#[tokio::test]
async fn paginate_reverses_pages_that_arrive_in_the_opposite_order() {
    // Each page arrives oldest first while the walk goes newest first: items come out newest first,
    // and the cursor is the page's oldest item.
    let s = MockServer::start().await;
    s.push(Reply::json(200, r#"[{"id":"d"},{"id":"e"}]"#))
        .push(Reply::json(200, r#"[{"id":"b"},{"id":"c"}]"#))
        .push(Reply::json(200, r#"[{"id":"a"}]"#));
    let c = client(&s);
    let ids: Vec<String> = list_stream_with(&c, Some(2), true)
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["e", "d", "c", "b", "a"]);
    let reqs = s.requests();
    assert!(reqs[1].target.contains("after=d"), "{}", reqs[1].target);
    assert!(reqs[2].target.contains("after=b"), "{}", reqs[2].target);
}

#[tokio::test]
async fn paginate_walks_three_pages() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, r#"[{"id":"a"},{"id":"b"}]"#))
        .push(Reply::json(200, r#"[{"id":"c"},{"id":"d"}]"#))
        .push(Reply::json(200, r#"[{"id":"e"}]"#));
    let c = client(&s);
    let ids: Vec<String> = list_stream(&c, Some(2))
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let targets: Vec<String> = s.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/items/?limit=2",
            "/v1/items/?after=b&limit=2",
            "/v1/items/?after=d&limit=2"
        ]
    );
}

#[tokio::test]
async fn paginate_without_limit_stops_on_empty_or_stuck_cursor() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, r#"[{"id":"a"}]"#))
        .push(Reply::json(200, "[]"));
    let c = client(&s);
    let ids: Vec<String> = list_stream(&c, None).map(|r| r.unwrap().id).collect().await;
    assert_eq!(ids, ["a"]);
    assert_eq!(s.requests().len(), 2);

    // A server that ignores `after` returns the same page: it is not yielded twice.
    s.push(Reply::json(200, r#"[{"id":"a"}]"#))
        .push(Reply::json(200, r#"[{"id":"a"}]"#));
    let ids: Vec<String> = list_stream(&c, None).map(|r| r.unwrap().id).collect().await;
    assert_eq!(ids, ["a"]);
    assert_eq!(s.requests().len(), 4);

    // An error ends the stream after being yielded.
    s.push(Reply::json(200, r#"[{"id":"a"}]"#))
        .push(Reply::json(400, r#"{"detail":"bad cursor"}"#));
    let all: Vec<_> = list_stream(&c, None).collect().await;
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[1].as_ref().unwrap_err().detail().as_deref(),
        Some("bad cursor")
    );
}

#[test]
fn timestamps_accept_server_forms_and_round_trip() {
    use letta_api_0_7::types::Timestamp;
    for s in [
        "2026-11-30T03:25:50",
        "2026-11-30T03:25:50.123456",
        "2026-11-30T03:25:50Z",
        "2026-11-30T03:25:50.123+02:00",
        "2026-11-30T03:25:50-05:30",
    ] {
        let t: Timestamp = serde_json::from_value(serde_json::json!(s)).unwrap();
        assert_eq!(
            serde_json::to_value(t).unwrap(),
            serde_json::json!(s),
            "round trip of {}",
            s
        );
        assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
    }
    let naive: Timestamp = "2026-11-30T03:25:50".parse().unwrap();
    let zulu: Timestamp = "2026-11-30T03:25:50Z".parse().unwrap();
    let offset: Timestamp = "2026-11-30T05:25:50+02:00".parse().unwrap();
    assert!(naive.is_naive() && !zulu.is_naive());
    assert_eq!(naive, zulu);
    assert_eq!(zulu, offset);
    assert!(naive < "2026-11-30T03:25:51".parse().unwrap());
    assert_eq!(naive.to_utc().to_string(), "2026-11-30 03:25:50 UTC");
    assert!("yesterday".parse::<Timestamp>().is_err());
    assert!(serde_json::from_str::<Timestamp>("\"2026-13-01T00:00:00\"").is_err());
    let mut pairs = Vec::new();
    letta_api_0_7::request::QueryValue::append_to(&naive, "since", &mut pairs);
    assert_eq!(
        pairs,
        [("since".to_string(), "2026-11-30T03:25:50".to_string())]
    );
}

#[test]
fn nullable_tells_absent_from_null() {
    use letta_api_0_7::types::Nullable;
    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }
    let absent: Patch = serde_json::from_str("{}").unwrap();
    let null: Patch = serde_json::from_str(r#"{"name":null}"#).unwrap();
    let value: Patch = serde_json::from_str(r#"{"name":"x"}"#).unwrap();
    assert_eq!(absent.name, Nullable::Absent);
    assert_eq!(null.name, Nullable::Null);
    assert_eq!(value.name, Nullable::Value("x".into()));
    assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
    assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"name":null}"#);
    assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"name":"x"}"#);
    // The views and conversions say the same three states.
    assert_eq!(absent.name.clone().into_option(), None);
    assert_eq!(null.name.clone().into_option(), Some(None));
    assert_eq!(
        value.name.clone().into_option(),
        Some(Some("x".to_string()))
    );
    assert!(absent.name.is_absent() && !absent.name.is_null());
    assert!(null.name.is_null() && !null.name.is_absent());
    assert_eq!(value.name.as_value().map(String::as_str), Some("x"));
    assert_eq!(null.name.as_value(), None);
    assert_eq!(Nullable::<String>::default(), Nullable::Absent);
    assert_eq!(Nullable::<String>::from_option(None), Nullable::Null);
    assert_eq!(Nullable::<i32>::from_option(Some(1)), Nullable::Value(1));
    assert_eq!(Nullable::<String>::from("x"), value.name);
}

#[tokio::test]
async fn file_part_serde_and_from_path() {
    let p = FilePart::new(b"ab".to_vec());
    assert_eq!(serde_json::to_string(&p).unwrap(), "[97,98]");
    let back: FilePart = serde_json::from_str("[97,98]").unwrap();
    assert_eq!(back.bytes().as_ref(), b"ab");
    let s: FilePart = serde_json::from_str("\"hi\"").unwrap();
    assert_eq!(s.bytes().as_ref(), b"hi");
    assert!(serde_json::from_str::<FilePart>("[300]").is_err());
    assert!(!format!("{:?}", FilePart::new(b"secret-bytes".to_vec())).contains("secret"));

    let dir = std::env::temp_dir().join(format!("letta-runtime-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("notes.md");
    std::fs::write(&path, "# hi").unwrap();
    let f = FilePart::from_path(&path).await.unwrap();
    assert_eq!(
        (f.name(), f.content_type(), f.bytes().as_ref()),
        (Some("notes.md"), Some("text/markdown"), &b"# hi"[..])
    );
    let err = FilePart::from_path(dir.join("missing.txt"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound),
        "{:?}",
        err
    );
    assert!(err.to_string().contains("missing.txt"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_base_url_is_a_config_error() {
    assert!(matches!(Client::new("not a url"), Err(Error::Config(_))));
    assert!(matches!(Client::new("ftp://h/"), Err(Error::Config(_))));
    assert!(matches!(
        Client::new("http://h/?a=b"),
        Err(Error::Config(_))
    ));
    assert!(matches!(
        Client::builder().base_url("http://h").token("a\nb").build(),
        Err(Error::Config(_))
    ));
    let c = Client::new("http://h:1/prefix").unwrap();
    let mut req = get("/v1/agents/");
    req.query("a", &1);
    assert_eq!(
        c.url_for(&req).unwrap().as_str(),
        "http://h:1/prefix/v1/agents/?a=1"
    );
}

#[test]
fn public_types_are_send_and_unpin() {
    fn send_unpin<T: Send + Unpin>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    fn sync<T: Send + Sync>() {}
    sync::<Client>();
    sync::<Error>();
    sync::<RequestOptions>();
    let c = Client::new("http://127.0.0.1:1").unwrap();
    let opts = RequestOptions::new();
    let fut = c.execute(get("/"), &opts);
    send(&fut);
    drop(fut);
    send_unpin(&list_stream(&c, None));
    fn stream_is_send_unpin(s: Option<letta_api_0_7::stream::EventStream<Msg>>) {
        if let Some(s) = s {
            send_unpin(&s);
        }
    }
    stream_is_send_unpin(None);
}

#[tokio::test]
async fn https_to_a_plain_server_fails_cleanly() {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let _ = sock.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    let c = Client::builder()
        .base_url(format!("https://127.0.0.1:{}", port))
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = send(&c, get("/v1/health/")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{:?}", err);
    assert!(err.status().is_none());
}

/// A keep-alive HTTP/1.1 server that answers `200 {}` to every request and counts the connections it
/// accepted.
async fn keep_alive_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                // One request per read is enough for these small GETs.
                while let Ok(n) = sock.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                    if sock.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn idle_connections_are_dropped_before_a_server_would_close_them() {
    use std::sync::atomic::Ordering;
    for (idle, pause, want) in [
        // Reused within the idle limit.
        (Some(Duration::from_secs(4)), Duration::from_millis(50), 1),
        // Dropped after it, so the next request opens a new connection instead of racing the server's close.
        (
            Some(Duration::from_millis(100)),
            Duration::from_millis(400),
            2,
        ),
        // Kept as long as the server keeps it.
        (None, Duration::from_millis(400), 1),
    ] {
        let (url, accepted) = keep_alive_server().await;
        let c = Client::builder()
            .base_url(url)
            .pool_idle_timeout(idle)
            .build()
            .expect("client");
        send(&c, get("/a")).await.expect("first");
        tokio::time::sleep(pause).await;
        send(&c, get("/b")).await.expect("second");
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            want,
            "idle {idle:?}, pause {pause:?}"
        );
    }
    assert_eq!(
        letta_api_0_7::client::DEFAULT_POOL_IDLE_TIMEOUT,
        Duration::from_secs(4)
    );
}

#[tokio::test]
async fn text_and_form_bodies_go_out_with_their_content_types_and_a_header_picks_another() {
    let s = MockServer::start().await;
    s.push(Reply::json(200, "{}"));
    s.push(Reply::json(200, "{}"));
    s.push(Reply::json(200, "{}"));
    let c = client(&s);
    let mut text = Request::new(Method::POST, "/markdown/raw");
    text.bytes("# Hello".to_string().into_bytes(), "text/plain");
    send(&c, text.clone()).await.expect("text body");
    // An operation that also accepts `text/x-markdown`: the Content-Type header picks it.
    let pick = RequestOptions::new()
        .header("content-type", "text/x-markdown")
        .expect("header");
    c.execute(text, &pick).await.expect("picked media type");
    let mut form = Request::new(Method::POST, "/device/auth");
    form.form(
        &serde_json::json!({"client_id": "a b", "scope": ["x", "y"]}),
        &[],
    )
    .expect("form body");
    send(&c, form).await.expect("form");
    let seen = s.requests();
    assert_eq!(seen[0].header("content-type"), Some("text/plain"));
    assert_eq!(seen[0].body, b"# Hello");
    assert_eq!(seen[1].header("content-type"), Some("text/x-markdown"));
    assert_eq!(seen[1].body, b"# Hello");
    assert_eq!(
        seen[2].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[2].body, b"client_id=a+b&scope=x&scope=y");
}
