//! A growing file read by byte offset, one complete record at a time (`tail -f`): a record still
//! being written (no line end yet) is left for the next read, so a writer caught mid-append is
//! waited for, never rejected, and the offset always sits just past a whole record.

use crate::{IoError, Result};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Bytes read from the file at a time.
const READ: usize = 1 << 18;

/// Complete records of a growing file from a byte offset on.
pub(crate) struct Tail {
    pub path: PathBuf,
    file: std::fs::File,
    /// Offset just past the last complete record returned.
    offset: u64,
    /// Bytes read past `offset` that do not yet end a record: `buf[start..]`. Records are
    /// taken off the front by moving `start` (not by shifting the buffer, which cost a copy
    /// of the whole read-ahead per record); the consumed front is dropped before reading more.
    buf: Vec<u8>,
    start: usize,
    /// Bytes of `buf[start..]` already scanned without finding a record end, and whether the scan
    /// stopped inside a quoted field (CSV).
    scanned: usize,
    quoted: bool,
    /// A line end inside double quotes belongs to the field (CSV), not the record.
    quote_aware: bool,
    /// Line number (1-based) of the next record, for messages.
    line: u64,
}

impl Tail {
    pub fn open(path: &Path, offset: u64, quote_aware: bool) -> Result<Self> {
        let mut file = std::fs::File::open(path).map_err(|e| IoError::file(path, e))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| IoError::file(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            file,
            offset,
            buf: Vec::new(),
            start: 0,
            scanned: 0,
            quoted: false,
            quote_aware,
            line: 1,
        })
    }

    /// Offset just past the last record returned (the resume point).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Where a complete record ends in `buf[start..]` (the index of its line end there), if
    /// one does.
    fn record_end(&mut self) -> Option<usize> {
        let pending = &self.buf[self.start..];
        if !self.quote_aware {
            return match memchr::memchr(b'\n', &pending[self.scanned..]) {
                Some(k) => {
                    let end = self.scanned + k;
                    self.scanned = 0;
                    Some(end)
                }
                None => {
                    self.scanned = pending.len();
                    None
                }
            };
        }
        for (k, &b) in pending[self.scanned..].iter().enumerate() {
            match b {
                b'"' if self.quote_aware => self.quoted = !self.quoted,
                b'\n' if !self.quoted => {
                    let end = self.scanned + k;
                    self.scanned = 0;
                    return Some(end);
                }
                _ => {}
            }
        }
        self.scanned = pending.len();
        None
    }

    /// The next complete record (without its line end) and its first line's number; `None` at
    /// the current end of the file.
    pub fn next_record(&mut self) -> Result<Option<(u64, Vec<u8>)>> {
        loop {
            if let Some(end) = self.record_end() {
                let at = self.start;
                self.start += end + 1;
                let mut rec = &self.buf[at..self.start];
                self.offset += rec.len() as u64;
                let n = self.line;
                self.line += if self.quote_aware {
                    rec.iter().filter(|&&b| b == b'\n').count() as u64
                } else {
                    1
                };
                rec = &rec[..rec.len() - 1];
                if let [head @ .., b'\r'] = rec {
                    rec = head;
                }
                return Ok(Some((n, rec.to_vec())));
            }
            // Drop what was consumed, then read more after what is pending.
            self.buf.drain(..self.start);
            self.start = 0;
            let have = self.buf.len();
            self.buf.resize(have + READ, 0);
            let got = self.file.read(&mut self.buf[have..]);
            self.buf.truncate(have + *got.as_ref().unwrap_or(&0));
            let got = got.map_err(|e| IoError::file(&self.path, e))?;
            if got == 0 {
                return Ok(None);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_record_being_written_waits_and_quoted_line_ends_stay_inside() {
        let p = std::env::temp_dir().join(format!("chiso-tail-{}.csv", std::process::id()));
        std::fs::write(&p, b"a,b\r\n\"x\ny\",1\n2,").unwrap();
        let mut t = Tail::open(&p, 0, true).unwrap();
        let next = |t: &mut Tail| t.next_record().unwrap();
        assert_eq!(next(&mut t), Some((1, b"a,b".to_vec())));
        assert_eq!(next(&mut t), Some((2, b"\"x\ny\",1".to_vec())));
        assert_eq!(next(&mut t), None, "the last line has no end yet");
        assert_eq!(t.offset(), 13);
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"3\n").unwrap();
        assert_eq!(next(&mut t), Some((4, b"2,3".to_vec())));
        assert_eq!(t.offset(), 17);
        let _ = std::fs::remove_file(&p);
    }
}
