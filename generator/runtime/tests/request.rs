//! Unit tests of request building: path segments, query values, bodies.

use crate::Error;
use crate::request::{Body, FormStyle, Method, Request, path_segment};

#[test]
fn a_path_parameter_is_exactly_one_encoded_segment() {
    assert_eq!(
        path_segment("id", "agent-1_x.y~z").unwrap(),
        "agent-1_x.y~z"
    );
    assert_eq!(
        path_segment("id", "a b/c?d#e%f").unwrap(),
        "a%20b%2Fc%3Fd%23e%25f"
    );
    assert_eq!(path_segment("id", "ä").unwrap(), "%C3%A4");
    assert_eq!(
        path_segment("id", "...").unwrap(),
        "...",
        "only `.` and `..` are dot segments"
    );
    for bad in ["", ".", ".."] {
        let err = path_segment("agent_id", bad).expect_err(bad);
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("agent_id")),
            "{err:?}"
        );
    }
}

#[test]
fn optional_and_repeated_query_values() {
    let mut req = Request::new(reqwest::Method::GET, "/v1/x");
    req.query("none", &Option::<String>::None)
        .query("tags", &vec!["a".to_string(), "b".to_string()])
        .query("flag", &true)
        .query("n", &Some(3i64));
    let pairs: Vec<(&str, &str)> = req
        .query_pairs()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("tags", "a"), ("tags", "b"), ("flag", "true"), ("n", "3")]
    );
}

#[test]
fn json_with_flag_overrides_the_field_whatever_the_body_says() {
    let mut req = Request::new(reqwest::Method::POST, "/v1/x");
    req.json_with_flag(
        &serde_json::json!({"streaming": true, "input": "hi"}),
        "streaming",
        false,
    )
    .unwrap();
    let crate::request::Body::Json(bytes) = req.body() else {
        panic!("a JSON body")
    };
    let sent: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    assert_eq!(sent, serde_json::json!({"streaming": false, "input": "hi"}));
    let err = req
        .json_with_flag(&vec![1, 2], "streaming", true)
        .expect_err("not an object");
    assert!(matches!(err, Error::InvalidRequest(_)));
}

fn form_text(body: serde_json::Value, encoding: &[(&str, FormStyle, bool)]) -> String {
    let mut req = Request::new(Method::POST, "/x");
    req.form(&body, encoding).unwrap();
    match req.body() {
        Body::Bytes { data, content_type } => {
            assert_eq!(content_type, "application/x-www-form-urlencoded");
            String::from_utf8(data.to_vec()).unwrap()
        }
        other => panic!("a form body is bytes: {other:?}"),
    }
}

#[test]
fn form_bodies_follow_the_encoding_styles() {
    // The default: scalars as text, arrays repeated, objects one field per property, nulls left out.
    assert_eq!(
        form_text(
            serde_json::json!({"client_id": "a b&c", "n": 3, "ok": true, "scope": ["x", "y"], "none": null}),
            &[]
        ),
        "client_id=a+b%26c&n=3&ok=true&scope=x&scope=y"
    );
    assert_eq!(
        form_text(
            serde_json::json!({"s": ["a", "b"]}),
            &[("s", FormStyle::SpaceDelimited, false)]
        ),
        "s=a+b"
    );
    assert_eq!(
        form_text(
            serde_json::json!({"s": ["a", "b"]}),
            &[("s", FormStyle::PipeDelimited, false)]
        ),
        "s=a%7Cb"
    );
    assert_eq!(
        form_text(
            serde_json::json!({"s": ["a", "b"]}),
            &[("s", FormStyle::Form, false)]
        ),
        "s=a%2Cb"
    );
    assert_eq!(
        form_text(
            serde_json::json!({"f": {"k": "v", "n": 1}}),
            &[("f", FormStyle::DeepObject, true)]
        ),
        "f%5Bk%5D=v&f%5Bn%5D=1"
    );
    assert_eq!(
        form_text(serde_json::json!({"f": {"k": "v"}}), &[]),
        "k=v",
        "an exploded form object is one field per property"
    );
    assert_eq!(
        form_text(serde_json::json!({"u": "é/☃"}), &[]),
        "u=%C3%A9%2F%E2%98%83"
    );
    let mut req = Request::new(Method::POST, "/x");
    let err = req.form(&serde_json::json!([1, 2]), &[]).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(m) if m.contains("JSON object")));
}
