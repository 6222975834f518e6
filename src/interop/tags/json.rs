//! The JSON values of a tag line that are read without copying: strings
//! borrowed from the line when they have no escapes (most do not), so a
//! tag's id, label and link targets cost no allocation to read, to keep
//! or to look up.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A string field, borrowed from the line when it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Str<'a>(pub(super) Cow<'a, str>);

impl Str<'_> {
    pub(super) fn into_owned(self) -> Str<'static> {
        Str(Cow::Owned(self.0.into_owned()))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Any JSON value where a string is usual (a tag's id, a link's target):
/// a string borrowed from the line when it can be, anything else as read.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Loose<'a> {
    Str(Cow<'a, str>),
    Other(serde_json::Value),
}

impl<'a> Loose<'a> {
    pub(super) fn into_owned(self) -> Loose<'static> {
        match self {
            Loose::Str(s) => Loose::Str(Cow::Owned(s.into_owned())),
            Loose::Other(v) => Loose::Other(v),
        }
    }

    /// The value as a key, borrowed from the line where it can be:
    /// numbers and strings (`1` and `"1"` are the same tag); `None` for
    /// anything else.
    pub(super) fn key(&self) -> Option<Cow<'a, str>> {
        match self {
            Loose::Str(Cow::Borrowed(s)) => Some(Cow::Borrowed(s)),
            Loose::Str(Cow::Owned(s)) => Some(Cow::Owned(s.clone())),
            Loose::Other(serde_json::Value::Number(n)) => Some(Cow::Owned(n.to_string())),
            Loose::Other(_) => None,
        }
    }
}

/// As JSON, like [`serde_json::Value`]'s own display.
impl fmt::Display for Loose<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loose::Str(s) => match serde_json::to_string(s.as_ref()) {
                Ok(json) => f.write_str(&json),
                Err(_) => Err(fmt::Error),
            },
            Loose::Other(v) => v.fmt(f),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Loose::Str(Cow::Owned(s)))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
                Ok(Loose::Other(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
                Ok(Loose::Other(Value::Number(n.into())))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Loose::Other(Value::Number(n.into())))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
                Ok(Loose::Other(
                    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
                ))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other(Value::Null))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other(Value::Null))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(seq)).map(Loose::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(Loose::Other)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_values_read_and_show_as_json_values_do() {
        for src in [
            r#""t1""#,
            r#""a \"quoted\" \u00e9 id""#,
            "12",
            "-3",
            "1.5",
            "1e3",
            "true",
            "null",
            r#"[1, "a", {"b": null}]"#,
            r#"{"x": [1, 2], "y": "z"}"#,
            "18446744073709551615",
        ] {
            let loose: Loose = serde_json::from_str(src).unwrap();
            let value: serde_json::Value = serde_json::from_str(src).unwrap();
            assert_eq!(loose.to_string(), value.to_string(), "{src}");
            let want_key = match &value {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            assert_eq!(loose.key().map(Cow::into_owned), want_key, "{src}");
            // From a value (the slow path of a line) the same.
            let again = Loose::deserialize(&value).unwrap().into_owned();
            assert_eq!(again.to_string(), value.to_string(), "{src}");
        }
    }

    #[test]
    fn plain_strings_are_borrowed_and_escaped_ones_copied() {
        let line = r#"["plain", "esc\naped"]"#;
        let v: Vec<Loose> = serde_json::from_str(line).unwrap();
        assert!(matches!(&v[0], Loose::Str(Cow::Borrowed("plain"))));
        assert!(matches!(&v[1], Loose::Str(Cow::Owned(s)) if s == "esc\naped"));
        let s: Vec<Str> = serde_json::from_str(line).unwrap();
        assert!(matches!(&s[0].0, Cow::Borrowed("plain")));
        assert!(serde_json::from_str::<Str>("3").is_err());
    }
}
