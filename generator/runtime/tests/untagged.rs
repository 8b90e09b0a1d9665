// Untagged unions decode by best match (`crate::tagged::decode_untagged` and `rank`): a hand-written
// union shaped as `templates/model/untagged.rs.j2` emits them.

use crate::tagged::{Member, Shape, Untagged, decode_untagged, rank};
use serde::Deserialize;
use serde_json::{Value, json};

/// Every property optional: as a plain `#[serde(untagged)]` first member it would take every object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Loose {
    sandbox_dir: Option<String>,
    #[serde(default)]
    use_venv: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Strict {
    template: String,
    timeout: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Circle {
    radius: Option<f64>,
    label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Square {
    side: Option<f64>,
    label: Option<String>,
}

/// Keeps the properties it does not list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Labels {
    label: Option<String>,
    #[serde(flatten)]
    rest: std::collections::BTreeMap<String, String>,
}

/// An open string enum, as the generated ones are.
#[derive(Debug, Clone, PartialEq)]
enum Flavor {
    Sweet,
    Sour,
    Unknown(String),
}

impl<'de> Deserialize<'de> for Flavor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "sweet" => Flavor::Sweet,
            "sour" => Flavor::Sour,
            _ => Flavor::Unknown(s),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Colour {
    Red,
    Unknown(String),
}

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(if s == "red" {
            Colour::Red
        } else {
            Colour::Unknown(s)
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Config {
    Loose(Loose),
    Strict(Strict),
    Circle(Circle),
    Square(Square),
    Labels(Labels),
    Numbers(Vec<f64>),
    Flavor(Flavor),
    Colour(Colour),
    String(String),
}

const LOOSE: Shape = Shape::Object {
    known: &["sandbox_dir", "use_venv"],
    required: &[],
    open: false,
    defaults: &[],
};
const STRICT: Shape = Shape::Object {
    known: &["template", "timeout"],
    required: &["template"],
    open: false,
    defaults: &[],
};
const CIRCLE: Shape = Shape::Object {
    known: &["radius", "label"],
    required: &[],
    open: false,
    defaults: &[],
};
const SQUARE: Shape = Shape::Object {
    known: &["side", "label"],
    required: &[],
    open: false,
    defaults: &[],
};
const LABELS: Shape = Shape::Object {
    known: &["label"],
    required: &[],
    open: true,
    defaults: &[],
};

impl Untagged for Config {
    const NAME: &'static str = "Config";
    const MEMBERS: &'static [Member] = &[
        Member {
            name: "Loose",
            shape: LOOSE,
        },
        Member {
            name: "Strict",
            shape: STRICT,
        },
        Member {
            name: "Circle",
            shape: CIRCLE,
        },
        Member {
            name: "Square",
            shape: SQUARE,
        },
        Member {
            name: "Labels",
            shape: LABELS,
        },
        Member {
            name: "Numbers",
            shape: Shape::Other,
        },
        Member {
            name: "Flavor",
            shape: Shape::Strings(&["sweet", "sour"]),
        },
        Member {
            name: "Colour",
            shape: Shape::Strings(&["red"]),
        },
        Member {
            name: "String",
            shape: Shape::Other,
        },
    ];

    fn member<'de, D: serde::Deserializer<'de>>(index: usize, de: D) -> Result<Self, D::Error> {
        match index {
            0 => Loose::deserialize(de).map(Self::Loose),
            1 => Strict::deserialize(de).map(Self::Strict),
            2 => Circle::deserialize(de).map(Self::Circle),
            3 => Square::deserialize(de).map(Self::Square),
            4 => Labels::deserialize(de).map(Self::Labels),
            5 => Vec::<f64>::deserialize(de).map(Self::Numbers),
            6 => Flavor::deserialize(de).map(Self::Flavor),
            7 => Colour::deserialize(de).map(Self::Colour),
            8 => String::deserialize(de).map(Self::String),
            _ => Err(<D::Error as serde::de::Error>::custom("no such member")),
        }
    }
}

impl<'de> Deserialize<'de> for Config {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decode_untagged(d)
    }
}

/// Decodes from text and from a `serde_json::Value`; both agree.
fn decode(value: Value) -> Result<Config, String> {
    let text = value.to_string();
    let from_text = serde_json::from_str::<Config>(&text).map_err(|e| e.to_string());
    let from_value = serde_json::from_value::<Config>(value).map_err(|e| e.to_string());
    match (&from_text, &from_value) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        // Text errors add a position; the rest is the same.
        (Err(a), Err(b)) => assert!(a.starts_with(b.as_str()), "{a} / {b}"),
        _ => panic!("{text}: {from_text:?} / {from_value:?}"),
    }
    from_value
}

fn names(value: Value) -> Vec<&'static str> {
    rank(&value, Config::MEMBERS)
        .into_iter()
        .map(|i| Config::MEMBERS[i].name)
        .collect()
}

#[test]
fn a_stricter_member_wins_over_an_all_optional_one_before_it() {
    let c = decode(json!({"template": "base", "timeout": 30})).unwrap();
    assert_eq!(
        c,
        Config::Strict(Strict {
            template: "base".into(),
            timeout: Some(30)
        })
    );
    let c = decode(json!({"sandbox_dir": "/tmp"})).unwrap();
    assert!(matches!(c, Config::Loose(_)), "{c:?}");
    // Nothing known to anyone: the structs that have all they require, in spec order.
    let c = decode(json!({})).unwrap();
    assert!(matches!(c, Config::Loose(_)), "{c:?}");
    // A missing required property sends the member to the back.
    // Then: the members that are not structs, and last the structs missing a required property.
    assert_eq!(
        names(json!({"timeout": 1})),
        [
            "Labels", "Loose", "Circle", "Square", "Numbers", "Flavor", "Colour", "String",
            "Strict"
        ]
    );
}

#[test]
fn key_sets_tell_structs_apart() {
    assert!(matches!(
        decode(json!({"side": 2.0})).unwrap(),
        Config::Square(_)
    ));
    assert!(matches!(
        decode(json!({"radius": 2.0, "label": "c"})).unwrap(),
        Config::Circle(_)
    ));
    // Equal counts of known keys: the fewest unknown keys; a struct keeping other properties has none.
    let c = decode(json!({"label": "l", "colour": "red"})).unwrap();
    assert!(
        matches!(&c, Config::Labels(l) if l.rest["colour"] == "red"),
        "{c:?}"
    );
    assert_eq!(
        names(json!({"label": "l", "x": "y"}))[..4],
        ["Labels", "Circle", "Square", "Loose"]
    );
}

#[test]
fn a_member_that_fails_gives_way_to_the_next() {
    // Square knows `side` but cannot take a string there; the next best does (Labels keeps it).
    let c = decode(json!({"side": "wide"})).unwrap();
    assert!(
        matches!(&c, Config::Labels(l) if l.rest["side"] == "wide"),
        "{c:?}"
    );
    let c = decode(json!({"side": 1, "extra": 2})).unwrap();
    assert!(matches!(c, Config::Square(_)), "{c:?}");
    assert_eq!(
        decode(json!([1, 2.5])).unwrap(),
        Config::Numbers(vec![1.0, 2.5])
    );
}

#[test]
fn strings_go_to_the_enum_that_knows_them() {
    assert_eq!(decode(json!("sour")).unwrap(), Config::Flavor(Flavor::Sour));
    assert_eq!(decode(json!("red")).unwrap(), Config::Colour(Colour::Red));
    // No enum knows it: the plain string takes it, not the first open enum.
    assert_eq!(
        decode(json!("blue")).unwrap(),
        Config::String("blue".into())
    );
    assert_eq!(
        names(json!("red")),
        [
            "Colour", "Loose", "Strict", "Circle", "Square", "Labels", "Numbers", "String",
            "Flavor"
        ]
    );
    assert_eq!(names(json!("blue"))[7..], ["Flavor", "Colour"]);
}

#[test]
fn other_json_tries_spec_order() {
    let order: Vec<&str> = Config::MEMBERS.iter().map(|m| m.name).collect();
    for v in [json!(1), json!(true), json!(null), json!([1])] {
        assert_eq!(names(v), order);
    }
}

#[test]
fn no_match_names_every_member_tried_with_its_failure() {
    let err = decode(json!(7)).unwrap_err();
    assert!(
        err.starts_with(
            "the JSON number matches no member of `Config`; tried, in this order: Loose ("
        ),
        "{err}"
    );
    for name in [
        "Loose", "Strict", "Circle", "Square", "Labels", "Numbers", "Flavor", "Colour", "String",
    ] {
        assert!(err.contains(&format!("{name} (")), "{name}: {err}");
    }
    // A failure inside a member names its path.
    #[derive(Debug, PartialEq)]
    enum Deep {
        Strict(Strict),
    }
    impl Untagged for Deep {
        const NAME: &'static str = "Deep";
        const MEMBERS: &'static [Member] = &[Member {
            name: "Strict",
            shape: STRICT,
        }];
        fn member<'de, D: serde::Deserializer<'de>>(_: usize, de: D) -> Result<Self, D::Error> {
            Strict::deserialize(de).map(Self::Strict)
        }
    }
    impl<'de> Deserialize<'de> for Deep {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            decode_untagged(d)
        }
    }
    let err =
        serde_json::from_value::<Deep>(json!({"template": "t", "timeout": "soon"})).unwrap_err();
    assert!(
        err.to_string()
            .contains("tried, in this order: Strict (timeout: invalid type: string"),
        "{err}"
    );
}

#[test]
fn inside_a_tracked_document_the_path_leads_to_the_union() {
    #[derive(Debug, Deserialize)]
    struct Doc {
        #[allow(dead_code)]
        items: Vec<Config>,
    }
    let text = r#"{"items":["sweet",false]}"#;
    let de = &mut serde_json::Deserializer::from_str(text);
    let err = serde_path_to_error::deserialize::<_, Doc>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "items[1]");
    assert!(
        err.inner()
            .to_string()
            .contains("the JSON boolean matches no member of `Config`"),
        "{err}"
    );
}

/// Two structs with the same properties, told apart only by the default of an enum property (Letta's
/// MCP server configs: `type` defaults to `sse` in one and `streamable_http` in the other).
#[test]
fn an_enum_property_at_a_members_default_tells_equal_key_sets_apart() {
    const SSE: Shape = Shape::Object {
        known: &["server_url", "type"],
        required: &["server_url"],
        open: false,
        defaults: &[("type", "sse")],
    };
    const HTTP: Shape = Shape::Object {
        known: &["server_url", "type"],
        required: &["server_url"],
        open: false,
        defaults: &[("type", "streamable_http")],
    };
    let members = [
        Member {
            name: "Sse",
            shape: SSE,
        },
        Member {
            name: "Http",
            shape: HTTP,
        },
    ];
    let order = |v: Value| -> Vec<&str> {
        rank(&v, &members)
            .into_iter()
            .map(|i| members[i].name)
            .collect()
    };
    assert_eq!(
        order(json!({"server_url": "u", "type": "streamable_http"})),
        ["Http", "Sse"]
    );
    assert_eq!(
        order(json!({"server_url": "u", "type": "sse"})),
        ["Sse", "Http"]
    );
    // No `type`, or a value neither has as default: spec order.
    assert_eq!(order(json!({"server_url": "u"})), ["Sse", "Http"]);
    assert_eq!(
        order(json!({"server_url": "u", "type": "stdio"})),
        ["Sse", "Http"]
    );
}
