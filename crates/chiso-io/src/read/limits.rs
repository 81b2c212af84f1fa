//! The limits every reader enforces, and the byte guard that enforces the cell limit on text files
//! while they stream, so a runaway cell (a broken export, a file that is not what its name says)
//! is refused after [`MAX_CELL`] bytes instead of being held in memory whole.
//!
//! The guard follows the same quoting rules as the parsers it feeds (the `csv` crate's defaults:
//! a quote opens a quoted field only at the start of a field, doubled quotes inside; JSON strings
//! with backslash escapes), so what it measures is one cell's raw bytes.

use std::io::Read;

/// The largest cell chiso reads, in bytes (4 MiB): a CSV/TSV field or a JSON string or number
/// longer than this makes the file an error naming the line. Real cells are far smaller: a
/// process log of a few hundred steps is tens of kilobytes.
pub const MAX_CELL: usize = 4 << 20;

/// The deepest nesting of JSON lists and objects read, in a JSON file or in a cell holding JSON
/// (serde_json's own guard; deeper input is an error, never a stack overflow).
pub const MAX_JSON_DEPTH: usize = 128;

/// What kind of text the guard reads.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Syntax {
    /// Delimited text with this delimiter.
    Csv(u8),
    /// JSON or JSON Lines.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a CSV field, or outside any value in JSON.
    Start,
    /// Inside an unquoted CSV field or a bare JSON token (number, `true`...).
    Bare,
    /// Inside a quoted CSV field or a JSON string.
    Quoted,
    /// CSV: a quote seen inside a quoted field (closing it, or the first of a doubled pair).
    /// JSON: a backslash seen inside a string.
    QuoteOrEscape,
}

/// Passes bytes through unchanged and fails the read once one cell exceeds [`MAX_CELL`].
pub(crate) struct CellGuard<R> {
    inner: R,
    syntax: Syntax,
    state: State,
    cell: usize,
    line: usize,
    limit: usize,
}

impl<R> CellGuard<R> {
    pub(crate) fn new(inner: R, syntax: Syntax) -> Self {
        Self::with_limit(inner, syntax, MAX_CELL)
    }

    /// A guard with another limit (tests use small ones).
    pub(crate) fn with_limit(inner: R, syntax: Syntax, limit: usize) -> Self {
        Self {
            inner,
            syntax,
            state: State::Start,
            cell: 0,
            line: 1,
            limit,
        }
    }

    fn csv(&mut self, b: u8, delimiter: u8) {
        let ends = b == delimiter || b == b'\n' || b == b'\r';
        match self.state {
            State::Start | State::Bare if ends => {
                self.state = State::Start;
                self.cell = 0;
            }
            State::Start if b == b'"' => self.state = State::Quoted,
            State::Start | State::Bare => {
                self.state = State::Bare;
                self.cell += 1;
            }
            State::Quoted if b == b'"' => self.state = State::QuoteOrEscape,
            State::Quoted => self.cell += 1,
            State::QuoteOrEscape if b == b'"' => {
                self.state = State::Quoted;
                self.cell += 2;
            }
            State::QuoteOrEscape if ends => {
                self.state = State::Start;
                self.cell = 0;
            }
            // Text after a closing quote is kept in the same field by the CSV parser.
            State::QuoteOrEscape => {
                self.state = State::Bare;
                self.cell += 1;
            }
        }
    }

    fn json(&mut self, b: u8) {
        let structural = matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':') || b <= b' ';
        match self.state {
            State::Quoted if b == b'\\' => {
                self.state = State::QuoteOrEscape;
                self.cell += 1;
            }
            State::Quoted if b == b'"' => {
                self.state = State::Start;
                self.cell = 0;
            }
            State::Quoted => self.cell += 1,
            State::QuoteOrEscape => {
                self.state = State::Quoted;
                self.cell += 1;
            }
            _ if b == b'"' => {
                self.state = State::Quoted;
                self.cell = 0;
            }
            _ if structural => {
                self.state = State::Start;
                self.cell = 0;
            }
            _ => {
                self.state = State::Bare;
                self.cell += 1;
            }
        }
    }
}

impl<R: Read> Read for CellGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            match self.syntax {
                Syntax::Csv(d) => self.csv(b, d),
                Syntax::Json => self.json(b),
            }
            if self.cell > self.limit {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "line {}: a cell is longer than {} (the largest cell chiso reads)",
                        self.line,
                        size(self.limit)
                    ),
                ));
            }
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(n)
    }
}

/// A byte count for messages: `4 MiB`, `512 bytes`.
pub(crate) fn size(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8], syntax: Syntax, limit: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        CellGuard::with_limit(text, syntax, limit)
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn csv_cells_are_measured_one_by_one() {
        let ok = b"a,bbbb,\"cc\"\"c\"\ndddd,\"x,y\nz\"\n";
        assert_eq!(read(ok, Syntax::Csv(b','), 5).as_deref(), Ok(&ok[..]));
        let long = b"a,bbbbb\n";
        let e = read(long, Syntax::Csv(b','), 4).err().unwrap_or_default();
        assert!(e.contains("line 1") && e.contains("4 bytes"), "{e}");
        // Quoted cells count their doubled quotes and line feeds; the error names the line.
        let quoted = b"h\n\"a\nb\"\"c\"\n";
        let e = read(quoted, Syntax::Csv(b','), 4).err().unwrap_or_default();
        assert!(e.contains("line 3"), "{e}");
        // Another delimiter: commas do not end a cell.
        assert!(read(b"a,b,c\td\n", Syntax::Csv(b'\t'), 4).is_err());
    }

    #[test]
    fn json_strings_and_bare_tokens_are_measured() {
        let ok = br#"{"a": "xyz\"", "b": [1234, true]}"#;
        assert!(read(ok, Syntax::Json, 5).is_ok());
        assert!(read(br#"{"a": "xyzxyz"}"#, Syntax::Json, 5).is_err());
        assert!(read(br#"{"a": 1234567}"#, Syntax::Json, 5).is_err());
        // Structure between short values never adds up.
        let many = format!("[{}1]", "1,".repeat(1000));
        assert!(read(many.as_bytes(), Syntax::Json, 5).is_ok());
    }

    #[test]
    fn json_nested_deeper_than_the_limit_is_a_reject_not_a_crash() {
        use crate::read::columns::ColumnMap;
        use crate::read::rows::read_records;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("deep.jsonl");
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let text = format!(
            "{{\"dossier_id\": \"A\", \"unit_code\": \"U\", \"procedure_code\": \"P\", \
             \"supplements\": {}}}\n{}\n",
            deep(MAX_JSON_DEPTH / 2),
            deep(MAX_JSON_DEPTH + 1)
        );
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let r = read_records::<chiso::Dossier>(&path, &ColumnMap::new(), &mut |_| {})
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.rejects.len() + r.rows.len(), 2);
        let deep_line = r.rejects.iter().find(|j| j.row == 2);
        assert!(
            deep_line.is_some_and(|j| j.message.contains("recursion limit")),
            "{:?}",
            r.rejects
        );
    }
}
