//! Value types shared by the generated models.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat, TimeZone, Utc};

use crate::request::QueryValue;

/// How a [`Timestamp`] was written, so it is written back the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// No offset (`2026-11-30T03:25:50`), meaning UTC.
    Naive,
    /// UTC written as `Z`.
    Zulu,
    /// A numeric offset (`+02:00`).
    Offset,
}

/// A date-time as servers send it (Letta among them): naive (`2026-11-30T03:25:50.123456`, taken as UTC) or RFC 3339
/// with an offset or `Z`.
///
/// It remembers its form and serializes back the same way (naive stays naive). Equality, ordering and
/// hashing compare the instant only.
#[derive(Clone, Copy)]
pub struct Timestamp {
    dt: DateTime<FixedOffset>,
    form: Form,
}

impl Timestamp {
    /// The current time (UTC, written with `Z`).
    pub fn now() -> Self {
        Timestamp::from(DateTime::<Utc>::from(std::time::SystemTime::now()))
    }

    /// A naive timestamp: the given wall time in UTC, written without offset.
    pub fn from_naive_utc(naive: NaiveDateTime) -> Self {
        Timestamp {
            dt: naive.and_utc().fixed_offset(),
            form: Form::Naive,
        }
    }

    /// The instant in UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.dt.with_timezone(&Utc)
    }

    /// The date-time with its offset (UTC for naive input).
    pub fn as_datetime(&self) -> &DateTime<FixedOffset> {
        &self.dt
    }

    /// Whether the value was written without offset.
    pub fn is_naive(&self) -> bool {
        self.form == Form::Naive
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Timestamp {
    fn from(dt: DateTime<Tz>) -> Self {
        let dt = dt.fixed_offset();
        let form = if dt.offset().local_minus_utc() == 0 {
            Form::Zulu
        } else {
            Form::Offset
        };
        Timestamp { dt, form }
    }
}

impl From<Timestamp> for DateTime<FixedOffset> {
    fn from(t: Timestamp) -> Self {
        t.dt
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> Self {
        t.to_utc()
    }
}

/// The text was not a date-time in a supported form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseTimestampError {
    input: String,
}

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid date-time {:?}: expected RFC 3339 or YYYY-MM-DDTHH:MM:SS[.ffffff]",
            crate::error::excerpt(&self.input, 64)
        )
    }
}

impl std::error::Error for ParseTimestampError {}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            let zulu = s.ends_with('Z') || s.ends_with('z');
            let form = if zulu { Form::Zulu } else { Form::Offset };
            return Ok(Timestamp { dt, form });
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
            if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
                return Ok(Timestamp { dt, form: Form::Offset });
            }
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
                return Ok(Timestamp::from_naive_utc(naive));
            }
        }
        Err(ParseTimestampError { input: s.to_string() })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.form {
            Form::Naive => write!(f, "{}", self.dt.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f")),
            Form::Zulu => f.write_str(&self.dt.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            Form::Offset => f.write_str(&self.dt.to_rfc3339_opts(SecondsFormat::AutoSi, false)),
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self)
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.dt == other.dt
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.dt.cmp(&other.dt)
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.to_utc().hash(state);
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Parses a string.
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date-time string")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

impl QueryValue for Timestamp {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        out.push((key.to_string(), self.to_string()));
    }
}

/// Decodes a fixed (`const`) value: succeeds only when the JSON equals `expected`.
///
/// Shared by every const unit type of the models (`text` is the constant as shown in the error); public
/// so that code written against the models can decode fixed values the same way.
pub fn expect_const<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    expected: serde_json::Value,
    text: &str,
) -> Result<(), D::Error> {
    let value = <serde_json::Value as serde::Deserialize<'de>>::deserialize(deserializer)?;
    if value == expected {
        Ok(())
    } else {
        Err(<D::Error as serde::de::Error>::custom(format!("expected {text:?}, found {value}")))
    }
}

/// A request field that tells "leave it as it is" from "clear it": absent, an explicit `null`, or a value.
///
/// `Option<T>` cannot say both: `None` is left out of the JSON body, so a field could never be set to
/// `null`. Fields of request types that are optional *and* nullable use this type instead:
///
/// - [`Nullable::Absent`] (the default): not sent, so the server keeps what it has;
/// - [`Nullable::Null`]: sent as `null`, so the server clears the value;
/// - [`Nullable::Value`] (or `value.into()`): sent as the value.
///
/// The setters of a generated type take the value itself: `with_description("text")` sets a value and
/// `with_description_null()` an explicit `null`.
///
/// Serde: a field of this type is declared `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`,
/// so absent stays absent in both directions, `null` decodes to [`Nullable::Null`] and a value to
/// [`Nullable::Value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// Not sent (and not received).
    #[default]
    Absent,
    /// An explicit `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `Some(v)` as a value and `None` as an explicit `null` (to send "no value" rather than nothing).
    pub fn from_option(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }

    /// True for [`Nullable::Absent`] (the `skip_serializing_if` of fields of this type).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True for an explicit [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one (absent and `null` both give `None`).
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// `None` when absent, `Some(None)` for `null`, `Some(Some(v))` for a value.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Nullable::Absent => None,
            Nullable::Null => Some(None),
            Nullable::Value(v) => Some(Some(v)),
        }
    }

    /// The value through `Deref` (`Option<&str>` for a `Nullable<String>`), if there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.as_value().map(|v| &**v)
    }

    /// A borrowed view: `Nullable<&T>`.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// So that `.with_description("text")` works like the setters of other string fields.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_string())
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // A field declared with `skip_serializing_if = "Nullable::is_absent"` never gets here; elsewhere
            // (inside a list, say) absent has no JSON of its own and is written as `null`.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Called only for a present field: an absent one takes `Default` (`Absent`) through `#[serde(default)]`.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        })
    }
}
