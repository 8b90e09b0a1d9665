//! Decoding of unions: tagged ones (the generated models' discriminated `oneOf`s and the stream event
//! type) without first building the whole object as a `serde_json::Value`; untagged ones by best match
//! ([`decode_untagged`]).

use ::serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use ::serde_json::Value;
use ::std::borrow::Cow;
use ::std::fmt;
use ::std::marker::PhantomData;
use ::std::option::Option::{self, None, Some};
use ::std::result::Result::{self, Err, Ok};
use ::std::string::String;
use ::std::vec::Vec;

/// A union told apart by one property (the tag): how [`decode`] picks its member.
pub(crate) trait Tagged: ::std::marker::Sized {
    /// The name of the property that tells the members apart.
    const TAG: &'static str;
    /// Decodes the member that `tag` picks from `de` (the whole object, tag included); for a tag that is
    /// missing, not a string or not known, the whole object as raw JSON (`Unknown`).
    fn member<'de, D: ::serde::Deserializer<'de>>(
        tag: ::std::option::Option<&str>,
        de: D,
    ) -> ::std::result::Result<Self, D::Error>;
    /// JSON that is not an object at all, kept as is (`Unknown`).
    fn unknown(value: ::serde_json::Value) -> Self;
}

/// Decodes a tagged union without first building the whole object as a `serde_json::Value`.
///
/// The object's entries are read in order; those before the tag are kept as small JSON values. At the
/// tag, its member decodes from those entries, the tag, and the rest of the object read straight from the
/// input. A member that fails is an error naming the path of the failing value: the decoder's own path
/// (`serde_path_to_error`, as the SDK's responses use) for entries after the tag, a `key.path: ` prefix
/// for entries read before it. Works with any self-describing format, inside `#[serde(untagged)]` enums
/// and from a `serde_json::Value`.
pub(crate) fn decode<'de, T: Tagged, D: ::serde::Deserializer<'de>>(
    deserializer: D,
) -> ::std::result::Result<T, D::Error> {
    deserializer.deserialize_any(TaggedVisitor::<T>(PhantomData))
}

struct TaggedVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object told apart by `{}`", T::TAG)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut before: Vec<(Cow<'static, str>, Value)> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed(T::TAG))? {
            let Some(key) = key else {
                let tag_value: Value = map.next_value()?;
                let tag = tag_value.as_str().map(String::from);
                before.push((Cow::Borrowed(T::TAG), tag_value));
                let mut rest = Replay { before: before.into_iter(), pending: None, map: Some(&mut map) };
                let member = T::member(tag.as_deref(), ReplayDeserializer(&mut rest))?;
                // A member that stopped early leaves entries behind: read them so the object ends cleanly.
                if let Some(map) = rest.map {
                    while map.next_key::<de::IgnoredAny>()?.is_some() {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                return Ok(member);
            };
            let value: Value = map.next_value()?;
            before.push((Cow::Owned(key), value));
        }
        let mut rest = Replay::<A> { before: before.into_iter(), pending: None, map: None };
        T::member(None, ReplayDeserializer(&mut rest))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::unknown(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(T::unknown(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(T::unknown(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::unknown(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::unknown(Value::String(String::from(v))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::unknown(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(Value::Null))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        <Value as ::serde::Deserialize<'de>>::deserialize(d).map(T::unknown)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        <Value as ::serde::Deserialize<'de>>::deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(T::unknown)
    }
}

/// Reads a key: `None` for the tag, the key itself for any other.
struct KeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<String>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((v != self.0).then(|| String::from(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok((v != self.0).then_some(v))
    }
}

/// The object again: the entries read before the tag, the tag, then the rest of the input.
struct Replay<'m, A> {
    before: ::std::vec::IntoIter<(Cow<'static, str>, Value)>,
    pending: Option<(Cow<'static, str>, Value)>,
    /// The rest of the object; `None` once it has ended.
    map: Option<&'m mut A>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, value)) = self.before.next() {
            let k = seed.deserialize(de::value::StrDeserializer::<A::Error>::new(&key))?;
            self.pending = Some((key, value));
            return Ok(Some(k));
        }
        let Some(map) = self.map.as_mut() else {
            return Ok(None);
        };
        let key = map.next_key_seed(seed)?;
        if key.is_none() {
            self.map = None;
        }
        Ok(key)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if let Some((key, value)) = self.pending.take() {
            let mut track = ::serde_path_to_error::Track::new();
            return seed
                .deserialize(::serde_path_to_error::Deserializer::new(value, &mut track))
                .map_err(|err| {
                    let path = track.path().to_string();
                    let sep = if path.starts_with('[') { "" } else { "." };
                    let path = if path == "." { String::from(&*key) } else { ::std::format!("{key}{sep}{path}") };
                    <A::Error as de::Error>::custom(::std::format!("{path}: {err}"))
                });
        }
        match self.map.as_mut() {
            Some(map) => map.next_value_seed(seed),
            None => Err(<A::Error as de::Error>::custom("a value without its key")),
        }
    }
}

/// Hands the replayed object to the member's `Deserialize`.
struct ReplayDeserializer<'r, 'm, A>(&'r mut Replay<'m, A>);

impl<'de, A: MapAccess<'de>> de::Deserializer<'de> for ReplayDeserializer<'_, '_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }

    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// What [`decode_untagged`] knows of one member of an untagged union: enough to rank it for a JSON value
/// before trying it.
// Not every SDK has an untagged union.
#[allow(dead_code)]
pub(crate) struct Member {
    /// The member's Rust variant name (for errors).
    pub(crate) name: &'static str,
    /// Its shape.
    pub(crate) shape: Shape,
}

/// The shape of an untagged union's member, as far as ranking it goes.
#[allow(dead_code)]
pub(crate) enum Shape {
    /// A struct.
    Object {
        /// Its properties' names on the wire.
        known: &'static [&'static str],
        /// The properties the spec says are required.
        required: &'static [&'static str],
        /// It keeps properties it does not list (`additionalProperties`), so none is unknown to it.
        open: bool,
        /// Its string-enum properties with a default, and the default: a tag in all but name (Letta's
        /// MCP server configs share every property, and `type` defaults to `sse`, `stdio`, …).
        defaults: &'static [(&'static str, &'static str)],
    },
    /// A string enum (or a string const): the values it knows.
    Strings(&'static [&'static str]),
    /// Anything else (a primitive, an array, a map, free-form JSON, another union).
    Other,
}

/// An untagged union: the members [`decode_untagged`] ranks and tries.
#[allow(dead_code)]
pub(crate) trait Untagged: ::std::marker::Sized {
    /// The Rust name of the union (for errors).
    const NAME: &'static str;
    /// The members, in the spec's order.
    const MEMBERS: &'static [Member];
    /// Decodes member `index` (of [`Untagged::MEMBERS`]) from `de`.
    fn member<'de, D: ::serde::Deserializer<'de>>(
        index: usize,
        de: D,
    ) -> ::std::result::Result<Self, D::Error>;
}

/// Decodes an untagged union by best match: the JSON is read into a `serde_json::Value`, the members are
/// ranked for it ([`rank`]), and the first that decodes is the value. When none does, the error names
/// every member tried, in order, with the path and message of its failure.
#[allow(dead_code)]
pub(crate) fn decode_untagged<'de, T: Untagged, D: ::serde::Deserializer<'de>>(
    deserializer: D,
) -> ::std::result::Result<T, D::Error> {
    let value = <Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
    let order = rank(&value, T::MEMBERS);
    // The first member that decodes wins; path tracking (for the error) is paid only when none does.
    for &index in &order {
        if let Ok(member) = T::member(index, &value) {
            return Ok(member);
        }
    }
    let mut failures: Vec<String> = Vec::new();
    for index in order {
        let mut track = ::serde_path_to_error::Track::new();
        let de = ::serde_path_to_error::Deserializer::new(&value, &mut track);
        match T::member(index, de) {
            Ok(member) => return Ok(member),
            Err(err) => {
                let path = track.path().to_string();
                let name = T::MEMBERS.get(index).map_or("?", |m| m.name);
                failures.push(if path == "." {
                    ::std::format!("{name} ({err})")
                } else {
                    ::std::format!("{name} ({path}: {err})")
                });
            }
        }
    }
    let what = match &value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    Err(<D::Error as de::Error>::custom(::std::format!(
        "the JSON {what} matches no member of `{}`; tried, in this order: {}",
        T::NAME,
        failures.join("; ")
    )))
}

/// The order in which [`decode_untagged`] tries the members (indexes into `members`) for `value`.
///
/// - A JSON object: first the struct members that find every required property in it, by the most of
///   the object's keys they know, then the fewest keys unknown to them (none for a struct that keeps other
///   properties), then the most enum properties whose value is the member's default for it, then spec
///   order; then the members that are not structs, in spec order; then the structs missing a required
///   property (they decode only when those are nullable), ranked as the first group.
/// - A JSON string: first the string enums that know the value, then the members that are not string
///   enums, then the string enums that do not know it (they would keep it as `Unknown`); spec order in each.
/// - Anything else: spec order.
#[allow(dead_code)]
pub(crate) fn rank(value: &Value, members: &[Member]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    match value {
        // Stable sorts: equal keys keep spec order.
        Value::Object(object) => order.sort_by_key(|&i| {
            use ::std::cmp::Reverse;
            let Shape::Object {
                known,
                required,
                open,
                defaults,
            } = &members[i].shape
            else {
                return (1u8, Reverse(0usize), 0usize, Reverse(0usize));
            };
            let hits = object
                .keys()
                .filter(|k| known.contains(&k.as_str()))
                .count();
            let unknown = if *open { 0 } else { object.len() - hits };
            let complete = required.iter().all(|r| object.contains_key(*r));
            let as_default = defaults
                .iter()
                .filter(|(key, default)| object.get(*key).and_then(Value::as_str) == Some(*default))
                .count();
            let group = if complete { 0 } else { 2 };
            (group, Reverse(hits), unknown, Reverse(as_default))
        }),
        Value::String(s) => order.sort_by_key(|&i| match &members[i].shape {
            Shape::Strings(values) if values.contains(&s.as_str()) => 0u8,
            Shape::Strings(_) => 2,
            _ => 1,
        }),
        _ => {}
    }
    order
}
