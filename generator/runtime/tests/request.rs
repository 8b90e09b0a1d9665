//! Unit tests of request building: path segments, query values, bodies.

use crate::Error;
use crate::request::{Request, path_segment};

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
