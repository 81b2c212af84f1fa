//! The sync record and how it is read. Its fields are the dossier's with `synced_at` beside
//! them (one flat JSON object, as `chiso generate --events` writes it). Read without serde's
//! `flatten`, which buffers every field of every record into an intermediate tree before the
//! dossier reads it — the main cost of `chiso watch` on JSON Lines: `synced_at` is taken out
//! of the field stream as it passes, and the dossier reads every other field directly.
//!
//! [`CanonicalSyncRecord`] reads the same form but refuses a field that is not the dossier's
//! (by its canonical name) or `synced_at`: a reader's fast path, which hands anything else
//! (portal or Vietnamese names, other date forms) to its own cell conversion instead of
//! ignoring the fields it does not know.

use crate::model::{Dossier, Step, Wait};
use chrono::NaiveDateTime;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// One sync record: the dossier's full current state as a one-stop system synced it, and when.
/// Of two records with one id the later `synced_at` wins (a record without one never beats a
/// record with one); on a tie, the later arrival — the batch readers' rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SyncRecord {
    #[serde(flatten)]
    /// The dossier's full state.
    pub dossier: Dossier,
    /// When the source system synced it; decides which of two records wins.
    pub synced_at: Option<NaiveDateTime>,
}

/// A sync record whose every field is the dossier's, by its canonical name, or `synced_at`
/// (as `chiso generate --events` writes them); any other field is an error ("unknown field"),
/// where [`SyncRecord`] ignores it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CanonicalSyncRecord(pub SyncRecord);

/// The field holding the sync time; every other field is the dossier's.
const SYNCED_AT: &str = "synced_at";

impl<'de> Deserialize<'de> for SyncRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RecordVisitor { strict: false })
    }
}

impl<'de> Deserialize<'de> for CanonicalSyncRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RecordVisitor { strict: true })
            .map(CanonicalSyncRecord)
    }
}

struct RecordVisitor {
    /// Refuse a field the dossier does not have.
    strict: bool,
}

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = SyncRecord;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a sync record (a dossier's fields and synced_at)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SyncRecord, A::Error> {
        let mut synced = None;
        let dossier = Dossier::deserialize(de::value::MapAccessDeserializer::new(Fields {
            map,
            synced: &mut synced,
            known: self.strict.then(struct_fields::<Dossier>),
            next: 0,
            nested: None,
        }))?;
        Ok(SyncRecord {
            dossier,
            synced_at: synced,
        })
    }
}

/// A record's fields as the dossier sees them: `synced_at` taken out on the way.
struct Fields<'s, A> {
    map: A,
    synced: &'s mut Option<NaiveDateTime>,
    /// The dossier's field names, when a field outside them is refused.
    known: Option<&'static [&'static str]>,
    /// Where in `known` the next field is looked for first (records written by chiso list the
    /// fields in order, so the look-up is one comparison).
    next: usize,
    /// The field whose value comes next, when it is a list of objects checked key by key.
    nested: Option<Nested>,
}

/// The dossier's fields that hold lists of objects, whose keys a strict reading checks too.
#[derive(Clone, Copy)]
enum Nested {
    /// `supplements`, `fee_waits`: lists of [`Wait`].
    Waits,
    /// `steps`: a list of [`Step`] (or the log's text).
    Steps,
}

impl Nested {
    fn of(field: &str) -> Option<Self> {
        match field {
            "supplements" | "fee_waits" => Some(Nested::Waits),
            "steps" => Some(Nested::Steps),
            _ => None,
        }
    }

    /// The field names an element may have.
    fn known(self) -> &'static [&'static str] {
        match self {
            Nested::Waits => struct_fields::<Wait>(),
            Nested::Steps => struct_fields::<Step>(),
        }
    }
}

/// The first key of the list's objects that their type does not have (a list given as text, or
/// holding other than objects, is left to the type's own reading).
fn unknown_nested_key(value: &serde_json::Value, known: &[&str]) -> Option<String> {
    let serde_json::Value::Array(items) = value else {
        return None;
    };
    items
        .iter()
        .filter_map(serde_json::Value::as_object)
        .flat_map(|o| o.keys())
        .find(|k| !known.contains(&k.as_str()))
        .cloned()
}

/// The field names serde's derive gives a struct (what a strict reading checks keys against):
/// asked for through a deserializer that only records them (no value is read).
fn struct_fields<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    #[derive(Debug)]
    struct Named(&'static [&'static str]);
    impl std::fmt::Display for Named {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("field names")
        }
    }
    impl std::error::Error for Named {}
    impl de::Error for Named {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Named(&[])
        }
    }
    struct Probe;
    impl<'de> Deserializer<'de> for Probe {
        type Error = Named;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Named> {
            Err(Named(&[]))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Named> {
            Err(Named(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    match T::deserialize(Probe) {
        Err(Named(fields)) => fields,
        Ok(_) => &[],
    }
}

/// Whether `name` is one of `known`, looked for at `*next` first; `*next` moves past it.
fn is_known(known: &[&str], next: &mut usize, name: &str) -> bool {
    let at = if known.get(*next) == Some(&name) {
        Some(*next)
    } else {
        known.iter().position(|k| *k == name)
    };
    if let Some(at) = at {
        *next = at + 1;
    }
    at.is_some()
}

/// A field name, borrowed from the input when it can be.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Fields<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key::<Key<'de>>()? else {
                return Ok(None);
            };
            let name = match &key {
                Key::Borrowed(s) => *s,
                Key::Owned(s) => s.as_str(),
            };
            if name == SYNCED_AT {
                *self.synced = self.map.next_value()?;
                continue;
            }
            if let Some(known) = self.known {
                if !is_known(known, &mut self.next, name) {
                    return Err(de::Error::unknown_field(name, known));
                }
                self.nested = Nested::of(name);
            }
            return match key {
                Key::Borrowed(s) => seed
                    .deserialize(de::value::BorrowedStrDeserializer::new(s))
                    .map(Some),
                Key::Owned(s) => seed.deserialize(s.into_deserializer()).map(Some),
            };
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let Some(nested) = self.nested.take() else {
            return self.map.next_value_seed(seed);
        };
        // Strict: the list's objects must not carry keys their type would drop either (the
        // portal's `NgayHoanThanh` inside a supplement, say).
        let value: serde_json::Value = self.map.next_value()?;
        if let Some(key) = unknown_nested_key(&value, nested.known()) {
            return Err(de::Error::unknown_field(&key, nested.known()));
        }
        seed.deserialize(value).map_err(de::Error::custom)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Read as the flattened form reads it: the dossier's fields wherever `synced_at` sits,
    /// unknown fields ignored, `synced_at` missing or null meaning none; and a record written
    /// out reads back the same.
    #[test]
    fn reads_like_the_flattened_form() {
        let at = |s: &str| crate::period::parse_moment(s).ok();
        let r: SyncRecord = serde_json::from_str(
            r#"{"dossier_id":"A\u0031","synced_at":"2026-01-02T03:04:00","x":[1,{"y":2}],"unit_code":"H1"}"#,
        )
        .unwrap();
        assert_eq!(r.dossier.dossier_id, "A1");
        assert_eq!(r.dossier.unit_code, "H1");
        assert_eq!(r.synced_at, at("2026-01-02T03:04"));
        let none: SyncRecord =
            serde_json::from_str(r#"{"dossier_id":"B","synced_at":null}"#).unwrap();
        assert_eq!(
            (none.dossier.dossier_id.as_str(), none.synced_at),
            ("B", None)
        );
        let escaped: SyncRecord = serde_json::from_str(
            r#"{"dossier_\u0069d":"C","synced\u005fat":"2026-01-02T03:04:00"}"#,
        )
        .unwrap();
        assert_eq!(escaped.dossier.dossier_id, "C");
        assert_eq!(escaped.synced_at, at("2026-01-02T03:04"));
        let back: SyncRecord = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        assert!(serde_json::from_str::<SyncRecord>(r#"{"synced_at":"not a time"}"#).is_err());
        assert!(serde_json::from_str::<SyncRecord>("[1]").is_err());
    }

    /// The canonical reading takes what the lenient one takes when every field is the
    /// dossier's, in any order, and refuses a field that is not (which the lenient one drops).
    #[test]
    fn the_canonical_reading_refuses_unknown_fields() {
        let canonical = |s: &str| serde_json::from_str::<CanonicalSyncRecord>(s).map(|c| c.0);
        let lenient = |s: &str| serde_json::from_str::<SyncRecord>(s).unwrap();
        let written = serde_json::to_string(&SyncRecord {
            dossier: Dossier {
                dossier_id: "A1".into(),
                unit_code: "H1".into(),
                ..Dossier::default()
            },
            synced_at: crate::period::parse_moment("2026-01-02T03:04").ok(),
        })
        .unwrap();
        assert_eq!(canonical(&written).unwrap(), lenient(&written));
        let shuffled = r#"{"unit_code":"H1","synced_at":null,"e_result":true,"dossier_id":"A1"}"#;
        assert_eq!(canonical(shuffled).unwrap(), lenient(shuffled));
        let portal = r#"{"MaHoSo":"A1","unit_code":"H1"}"#;
        assert_eq!(
            lenient(portal).dossier.dossier_id,
            "",
            "the lenient reading drops it"
        );
        let err = canonical(portal).unwrap_err().to_string();
        assert!(err.contains("unknown field `MaHoSo`"), "{err}");
        assert!(canonical(r#"{"dossier_id":"A1","x":1}"#).is_err());
        // Inside the lists too: a supplement's or a step's field in other names is refused.
        let nested = r#"{"dossier_id":"A1","supplements":[{"requested_at":"2026-01-02T03:04:00","completed_at":"2026-01-03T03:04:00"}],"steps":[{"step":"x"}]}"#;
        assert_eq!(canonical(nested).unwrap(), lenient(nested));
        assert_eq!(canonical(nested).unwrap().dossier.supplements.len(), 1);
        for other in [
            r#"{"dossier_id":"A1","supplements":[{"requested_at":"2026-01-02T03:04:00","NgayHoanThanh":"2026-01-03T03:04:00"}]}"#,
            r#"{"dossier_id":"A1","steps":[{"TenBuoc":"x"}]}"#,
        ] {
            let err = canonical(other).unwrap_err().to_string();
            assert!(err.contains("unknown field"), "{err}");
        }
        let text = r#"{"dossier_id":"A1","steps":"[{\"TenBuoc\":\"x\"}]"}"#;
        assert_eq!(
            canonical(text).unwrap(),
            lenient(text),
            "a log as text is kept as text"
        );
        assert_eq!(struct_fields::<Wait>(), ["requested_at", "completed_at"]);
    }
}
