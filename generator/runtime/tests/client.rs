//! Unit tests of the client's decisions: which requests are retried, how long it waits, what a redirect
//! keeps, and where the configuration comes from.

use std::time::{Duration, SystemTime};

use reqwest::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue,
};
use reqwest::{Method, StatusCode, Url};

use crate::Error;
use crate::client::{
    MAX_RETRY_AFTER, backoff_delay, is_idempotent, is_retryable_status, next_hop, retry_after,
};

#[test]
fn only_idempotent_methods_retry_by_default() {
    for m in [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ] {
        assert!(is_idempotent(&m), "{m}");
    }
    for m in [Method::POST, Method::PATCH] {
        assert!(!is_idempotent(&m), "{m}");
    }
}

#[test]
fn transient_statuses_are_retried_and_client_errors_are_not() {
    for s in [408, 409, 429, 500, 502, 503, 504, 599] {
        assert!(is_retryable_status(StatusCode::from_u16(s).unwrap()), "{s}");
    }
    for s in [200, 301, 400, 401, 403, 404, 422] {
        assert!(
            !is_retryable_status(StatusCode::from_u16(s).unwrap()),
            "{s}"
        );
    }
}

#[test]
fn backoff_doubles_up_to_the_cap_and_jitter_keeps_the_upper_half() {
    let (initial, max) = (Duration::from_millis(500), Duration::from_secs(8));
    let top = |attempt| backoff_delay(initial, max, attempt, 1.0);
    let bottom = |attempt| backoff_delay(initial, max, attempt, 0.0);
    assert_eq!(top(0), Duration::from_millis(500));
    assert_eq!(top(1), Duration::from_secs(1));
    assert_eq!(top(3), Duration::from_secs(4));
    assert_eq!(top(4), Duration::from_secs(8));
    assert_eq!(top(40), Duration::from_secs(8), "capped, no overflow");
    assert_eq!(bottom(0), Duration::from_millis(250));
    assert_eq!(bottom(10), Duration::from_secs(4));
    // Out-of-range jitter cannot leave the range.
    assert_eq!(backoff_delay(initial, max, 0, 7.0), top(0));
    assert_eq!(backoff_delay(initial, max, 0, -1.0), bottom(0));
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

#[test]
fn retry_after_reads_seconds_milliseconds_and_http_dates_and_caps_them() {
    assert_eq!(
        retry_after(&headers(&[("retry-after", "3")])),
        Some(Duration::from_secs(3))
    );
    assert_eq!(
        retry_after(&headers(&[("retry-after", " 0 ")])),
        Some(Duration::ZERO)
    );
    assert_eq!(
        retry_after(&headers(&[
            ("retry-after-ms", "1500"),
            ("retry-after", "9")
        ])),
        Some(Duration::from_millis(1500)),
        "the millisecond header wins"
    );
    assert_eq!(
        retry_after(&headers(&[("retry-after", "86400")])),
        Some(MAX_RETRY_AFTER)
    );
    let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
    let wait = retry_after(&headers(&[("retry-after", &soon)])).unwrap();
    assert!(
        wait <= Duration::from_secs(30) && wait >= Duration::from_secs(28),
        "{wait:?}"
    );
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(30));
    assert_eq!(
        retry_after(&headers(&[("retry-after", &past)])),
        Some(Duration::ZERO)
    );
    for junk in ["soon", "-1", "1.5", ""] {
        assert_eq!(
            retry_after(&headers(&[("retry-after", junk)])),
            None,
            "{junk:?}"
        );
    }
    assert_eq!(retry_after(&headers(&[("retry-after-ms", "-5")])), None);
    assert_eq!(retry_after(&HeaderMap::new()), None);
}

fn secret_headers() -> HeaderMap {
    let mut h = headers(&[
        ("authorization", "Bearer sk-secret"),
        ("cookie", "session=1"),
        ("proxy-authorization", "Basic x"),
        ("x-project", "p"),
        ("content-type", "application/json"),
        ("content-length", "12"),
    ]);
    let mut sensitive = HeaderValue::from_static("v");
    sensitive.set_sensitive(true);
    h.insert("x-api-secret", sensitive);
    h
}

#[test]
fn a_redirect_to_the_same_origin_keeps_the_token() {
    let url = Url::parse("http://127.0.0.1:8283/v1/agents").unwrap();
    let mut h = secret_headers();
    let hop = next_hop(
        &url,
        &Method::GET,
        StatusCode::TEMPORARY_REDIRECT,
        "/v1/agents/",
        &mut h,
    )
    .unwrap();
    assert_eq!(hop.url.as_str(), "http://127.0.0.1:8283/v1/agents/");
    assert_eq!(hop.method, Method::GET);
    assert!(hop.keeps_body);
    assert!(
        h.contains_key(AUTHORIZATION) && h.contains_key(COOKIE) && h.contains_key("x-api-secret")
    );
}

#[test]
fn a_redirect_to_another_origin_drops_every_secret() {
    let url = Url::parse("http://127.0.0.1:8283/v1/agents").unwrap();
    for location in [
        "http://127.0.0.1:9999/v1/agents",  // another port
        "https://127.0.0.1:8283/v1/agents", // another scheme
        "http://localhost:8283/v1/agents",  // another host
    ] {
        let mut h = secret_headers();
        let hop = next_hop(&url, &Method::GET, StatusCode::FOUND, location, &mut h).unwrap();
        assert_eq!(hop.url.as_str(), location);
        for gone in [
            "authorization",
            "cookie",
            "proxy-authorization",
            "x-api-secret",
        ] {
            assert!(!h.contains_key(gone), "{location}: {gone} kept");
        }
        assert!(h.contains_key("x-project"), "other headers stay");
    }
}

#[test]
fn see_other_and_a_redirected_post_become_a_get_without_body() {
    let url = Url::parse("http://h/v1/x").unwrap();
    for (method, status) in [
        (Method::POST, StatusCode::SEE_OTHER),
        (Method::PUT, StatusCode::SEE_OTHER),
        (Method::POST, StatusCode::FOUND),
        (Method::POST, StatusCode::MOVED_PERMANENTLY),
    ] {
        let mut h = secret_headers();
        let hop = next_hop(&url, &method, status, "/v1/y", &mut h).unwrap();
        assert_eq!(hop.method, Method::GET, "{method} {status}");
        assert!(!hop.keeps_body);
        assert!(!h.contains_key(CONTENT_TYPE) && !h.contains_key(CONTENT_LENGTH));
    }
    let mut h = secret_headers();
    let hop = next_hop(&url, &Method::HEAD, StatusCode::SEE_OTHER, "/v1/y", &mut h).unwrap();
    assert_eq!(hop.method, Method::HEAD, "HEAD stays HEAD");
    for status in [
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        let mut h = secret_headers();
        let hop = next_hop(&url, &Method::POST, status, "/v1/y", &mut h).unwrap();
        assert_eq!(hop.method, Method::POST, "{status} keeps the method");
        assert!(hop.keeps_body && h.contains_key(CONTENT_TYPE));
    }
}

#[test]
fn a_redirect_to_another_scheme_or_nowhere_is_refused() {
    let url = Url::parse("http://h/v1/x").unwrap();
    for location in ["file:///etc/passwd", "ftp://h/x", "http://[::1"] {
        let err = next_hop(
            &url,
            &Method::GET,
            StatusCode::FOUND,
            location,
            &mut HeaderMap::new(),
        )
        .expect_err(location);
        assert!(
            matches!(err, Error::InvalidRequest(_)),
            "{location}: {err:?}"
        );
    }
}

#[test]
fn configuration_comes_from_the_spec_module() {
    let client = crate::Client::builder().build().unwrap();
    assert_eq!(client.base_url().as_str(), "http://localhost:9/");
    assert_eq!(crate::client::DEFAULT_USER_AGENT, "runtime-test/9.8.7");
    assert_eq!(crate::client::COMPAT_HEADERS, [("X-Compat", "1")]);
    let debug = format!(
        "{:?}",
        crate::Client::builder()
            .token("sk-very-secret")
            .build()
            .unwrap()
    );
    assert!(!debug.contains("sk-very-secret"), "{debug}");
}
