// `crate::types::Nullable`: a request field that tells absent, `null` and a value apart, declared as the
// templates declare it (`#[serde(default, skip_serializing_if = "Nullable::is_absent")]`).

use crate::types::Nullable;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
struct Update {
    #[serde(default, skip_serializing_if = "crate::types::Nullable::is_absent")]
    description: Nullable<String>,
    #[serde(default, skip_serializing_if = "crate::types::Nullable::is_absent")]
    limit: Nullable<i64>,
}

#[test]
fn absent_is_left_out_null_is_sent_and_a_value_is_sent() {
    let keep = Update::default();
    assert_eq!(serde_json::to_value(&keep).unwrap(), json!({}));
    let clear = Update {
        description: Nullable::Null,
        ..Update::default()
    };
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({"description": null})
    );
    let set = Update {
        description: "text".into(),
        limit: 5.into(),
    };
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({"description": "text", "limit": 5})
    );
}

#[test]
fn decoding_tells_absent_from_null_from_a_value() {
    let u: Update = serde_json::from_value(json!({"description": null, "limit": 3})).unwrap();
    assert_eq!(u.description, Nullable::Null);
    assert_eq!(u.limit, Nullable::Value(3));
    let u: Update = serde_json::from_value(json!({})).unwrap();
    assert!(u.description.is_absent() && u.limit.is_absent());
    // A round trip keeps all three states.
    for v in [
        json!({}),
        json!({"description": null}),
        json!({"description": "x", "limit": 1}),
    ] {
        let u: Update = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&u).unwrap(), v);
    }
    assert!(serde_json::from_value::<Update>(json!({"limit": "three"})).is_err());
}

#[test]
fn conversions_and_accessors() {
    assert_eq!(Nullable::from(2), Nullable::Value(2));
    assert_eq!(Nullable::from_option(Some(2)), Nullable::Value(2));
    assert_eq!(Nullable::<i32>::from_option(None), Nullable::Null);
    assert_eq!(
        Nullable::<String>::from("a"),
        Nullable::Value("a".to_string())
    );
    let v = Nullable::Value(7);
    assert_eq!(v.as_value(), Some(&7));
    assert_eq!(v.as_ref(), Nullable::Value(&7));
    assert_eq!(Nullable::Value("s".to_string()).as_deref(), Some("s"));
    assert_eq!(Nullable::<String>::Null.as_deref(), None);
    assert_eq!(v.into_option(), Some(Some(7)));
    assert_eq!(Nullable::<i32>::Null.into_option(), Some(None));
    assert_eq!(Nullable::<i32>::Absent.into_option(), None);
    assert_eq!(Nullable::<i32>::Null.into_value(), None);
    assert!(Nullable::<i32>::Null.is_null() && !Nullable::<i32>::Absent.is_null());
    // Outside a skipped field (in a list, say) absent has no JSON of its own and is written as null.
    assert_eq!(
        serde_json::to_value(vec![Nullable::Absent, Nullable::Value(1)]).unwrap(),
        json!([null, 1])
    );
}
