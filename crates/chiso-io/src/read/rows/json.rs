//! JSON arrays and JSON Lines, in the portal's sync shape or chiso's canonical one.

use super::*;
use crate::error::{IoError, Result};
use crate::read::cell::{Build, Cell, Collector, RowBuilder};
use crate::read::columns::{ColumnMap, FieldSpec, Resolution};
use crate::read::limits::{CellGuard, Syntax};
use crate::read::records::Records;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// Feeds one JSON object (a record) into the collector; keys are resolved once and cached.
pub(super) struct JsonRows<'m, 's, B: Build> {
    pub(super) map: &'m ColumnMap,
    pub(super) keys: HashMap<String, Option<&'static FieldSpec>>,
    pub(super) collector: Collector<'s, B>,
    pub(super) empty_headers: Vec<String>,
    pub(super) empty_resolution: Resolution,
    pub(super) n: usize,
}

impl<'m, 's, B: Build> JsonRows<'m, 's, B> {
    pub(super) fn new(map: &'m ColumnMap, collector: Collector<'s, B>) -> Self {
        let empty: [&str; 0] = [];
        Self {
            map,
            keys: HashMap::new(),
            collector,
            empty_headers: Vec::new(),
            empty_resolution: map.resolve(B::KIND, &empty),
            n: 0,
        }
    }

    pub(super) fn record(&mut self, row: usize, v: &Value) {
        self.n += 1;
        let Value::Object(obj) = v else {
            self.collector
                .reject(row, None, format!("not a JSON object: {}", short(v)));
            return;
        };
        let mut b = RowBuilder::<B>::new(&self.empty_headers, &self.empty_resolution);
        for (k, val) in obj {
            let spec = match self.keys.get(k) {
                Some(s) => *s,
                None => {
                    let s = self.map.field(B::KIND, k);
                    self.keys.insert(k.clone(), s);
                    s
                }
            };
            if let Some(spec) = spec {
                b.field(spec, k, &Cell::Json(val));
            }
        }
        self.collector.push(row, b);
    }
}

/// Resolved names [`JsonRecords`] keeps at most.
const KEYS_KEPT: usize = 4096;

/// JSON records read one at a time, each as a row of a JSON file is read (the lines of a
/// followed file): names from the column map, resolved once and kept from record to record
/// (resolving them again for every line was most of the cost), cells converted and checked, a
/// bad one rejected with its column.
pub(crate) struct JsonRecords {
    file: String,
    keys: HashMap<String, Option<&'static FieldSpec>>,
    empty_resolution: Resolution,
}

impl JsonRecords {
    pub(crate) fn new(map: &ColumnMap, file: &str) -> Self {
        let empty: [&str; 0] = [];
        Self {
            file: file.to_string(),
            keys: HashMap::new(),
            empty_resolution: map.resolve(<chiso::Dossier as Build>::KIND, &empty),
        }
    }

    /// The record on line `row`, or why it cannot be read.
    pub(crate) fn read(
        &mut self,
        map: &ColumnMap,
        row: usize,
        text: &str,
    ) -> std::result::Result<chiso::live::SyncRecord, crate::read::records::Reject> {
        let mut rows = JsonRows::<chiso::Dossier> {
            map,
            keys: std::mem::take(&mut self.keys),
            collector: Collector::new(&self.file),
            empty_headers: Vec::new(),
            empty_resolution: self.empty_resolution.clone(),
            n: 0,
        };
        match serde_json::from_str::<Value>(text) {
            Ok(v) => rows.record(row, &v),
            Err(e) => rows
                .collector
                .reject(row, None, format!("not valid JSON: {e}")),
        }
        self.keys = std::mem::take(&mut rows.keys);
        // Names are few; a stream inventing new ones line after line must not grow the cache
        // without end.
        if self.keys.len() > KEYS_KEPT {
            self.keys.clear();
        }
        let mut read = rows.collector.finish();
        if let Some(reject) = read.rejects.pop() {
            return Err(reject);
        }
        match read.rows.pop() {
            Some(dossier) => Ok(chiso::live::SyncRecord {
                dossier,
                synced_at: read.synced.pop().flatten(),
            }),
            None => Err(crate::read::records::Reject {
                file: self.file.clone(),
                row,
                column: None,
                message: "no record read".into(),
            }),
        }
    }
}

pub(super) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

pub(super) fn read_json<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<'_, B>,
) -> Result<Records<B>> {
    let mut reader = BufReader::with_capacity(1 << 16, CellGuard::new(open(path)?, Syntax::Json));
    // Skip a BOM and white space to see whether this is an array or JSON Lines.
    let first = loop {
        let buf = reader.fill_buf().map_err(|e| IoError::file(path, e))?;
        if buf.is_empty() {
            break None;
        }
        if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            reader.consume(3);
            continue;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let c = buf[i];
                reader.consume(i);
                break Some(c);
            }
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    let mut rows = JsonRows::<B>::new(map, collector);
    match first {
        None => {}
        Some(b'[') => {
            use serde::de::Deserializer as _;
            let mut de = serde_json::Deserializer::from_reader(reader);
            de.deserialize_seq(SeqVisitor {
                rows: &mut rows,
                progress,
            })
            .map_err(|e| IoError::format(path, format!("not a JSON array of records: {e}")))?;
        }
        Some(_) => {
            let mut line = String::new();
            let mut number = 0usize;
            loop {
                line.clear();
                let read = reader
                    .read_line(&mut line)
                    .map_err(|e| IoError::file(path, e))?;
                if read == 0 {
                    break;
                }
                number += 1;
                let t = line.trim();
                if t.is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(t) {
                    Ok(v) => rows.record(number, &v),
                    Err(e) => {
                        rows.n += 1;
                        rows.collector
                            .reject(number, None, format!("not valid JSON: {e}"))
                    }
                }
                if rows.n % PROGRESS_EVERY == 0 {
                    progress(rows.n);
                }
            }
        }
    }
    progress(rows.n);
    Ok(rows.collector.finish())
}

/// Streams the elements of a top-level JSON array into the rows, one at a time.
pub(super) struct SeqVisitor<'a, 'm, 's, B: Build> {
    pub(super) rows: &'a mut JsonRows<'m, 's, B>,
    pub(super) progress: &'a mut dyn FnMut(usize),
}

impl<'de, B: Build> serde::de::Visitor<'de> for SeqVisitor<'_, '_, '_, B> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        let mut i = 0usize;
        while let Some(v) = seq.next_element::<Value>()? {
            i += 1;
            self.rows.record(i, &v);
            if i % PROGRESS_EVERY == 0 {
                (self.progress)(i);
            }
        }
        Ok(())
    }
}
