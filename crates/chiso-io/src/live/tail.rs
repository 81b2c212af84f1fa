//! A growing file read by byte offset, one complete record at a time (`tail -f`): a record still
//! being written (no line end yet) is left for the next read, so a writer caught mid-append is
//! waited for, never rejected, and the offset always sits just past a whole record.

use crate::{IoError, Result};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Complete records of a growing file from a byte offset on.
pub(crate) struct Tail {
    pub path: PathBuf,
    file: std::fs::File,
    /// Offset just past the last complete record returned.
    offset: u64,
    /// Bytes read past `offset` that do not yet end a record.
    pending: Vec<u8>,
    /// Bytes of `pending` already scanned without finding a record end, and whether the scan
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
            pending: Vec::new(),
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

    /// Where a complete record ends in `pending` (the index of its line end), if one does.
    fn record_end(&mut self) -> Option<usize> {
        for (k, &b) in self.pending[self.scanned..].iter().enumerate() {
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
        self.scanned = self.pending.len();
        None
    }

    /// The next complete record (without its line end) and its first line's number; `None` at
    /// the current end of the file.
    pub fn next_record(&mut self) -> Result<Option<(u64, Vec<u8>)>> {
        loop {
            if let Some(end) = self.record_end() {
                let mut rec: Vec<u8> = self.pending.drain(..=end).collect();
                self.offset += rec.len() as u64;
                let n = self.line;
                self.line += rec.iter().filter(|&&b| b == b'\n').count() as u64;
                rec.pop();
                if rec.last() == Some(&b'\r') {
                    rec.pop();
                }
                return Ok(Some((n, rec)));
            }
            let mut buf = [0u8; 1 << 16];
            let got = self
                .file
                .read(&mut buf)
                .map_err(|e| IoError::file(&self.path, e))?;
            if got == 0 {
                return Ok(None);
            }
            self.pending.extend_from_slice(&buf[..got]);
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
