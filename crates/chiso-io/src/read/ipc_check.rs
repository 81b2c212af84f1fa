//! Every length an Arrow IPC file or stream states, checked against what the data can hold
//! before arrow-ipc reads it. arrow-ipc allocates (and zero-fills) whatever a length says, then
//! reads into it, and loops over whatever a count says; the fuzz campaigns found a 6.9 KB file
//! whose footer named a 4.9 GB dictionary block (4.7 GB resident, then an I/O error) and a 3 KB
//! stream whose first word, read as a message length, made arrow zero-fill 1.3 GB (71 s under
//! load). Only the first message and the footer's blocks were checked then; a later message of a
//! stream, a body, a buffer or a row count could still claim gigabytes.
//!
//! The walk reads only message headers (flatbuffers, verified by `root_as_message`), never a
//! body, and checks, for every message arrow will read:
//! - its metadata and body lie inside the data (a stream's messages one after another, a file's
//!   footer blocks before the footer and not overlapping, so together no longer than the file);
//! - every buffer lies inside its message's body, every field node's null count is at most its
//!   length, variadic buffer counts are not negative and name buffers the message has;
//! - a record batch holds at most one row per byte of its body (a dossier file always has a text
//!   or integer id column, whose offsets or values alone take 4 bytes a row);
//! - the elements of all field nodes together, a delta dictionary counted at its length after
//!   concatenation (arrow copies the whole dictionary for each delta), are at most
//!   [`ELEMENTS_PER_BYTE`] times the data's size;
//! - no body is compressed (this build of arrow has no IPC codec, and a codec's stated
//!   uncompressed lengths would be one more length to trust).
//!
//! **Bound**: with these checks, reading an IPC file of `n` bytes allocates at most about `n`
//! bytes for messages and bodies (arrow reads each body once), decodes at most
//! `ELEMENTS_PER_BYTE * n` array elements, and hands chiso at most `n` rows; the walk itself
//! reads at most `n` bytes of headers.

use arrow::ipc::{Message, MessageHeader};
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};

/// Array elements (field node lengths, all messages together) allowed per byte of the data:
/// a Boolean column takes 1 bit an element, so real data stays far below; a column of arrow's
/// Null type takes none, hence the margin (about 250 such columns beside a text id column).
pub const ELEMENTS_PER_BYTE: u64 = 64;

/// Why an IPC file or stream is refused: the text after the file's name in the error line.
pub type Refusal = String;

/// The data being walked: its size and a way to read a range of it.
pub trait Source {
    /// Bytes in the data.
    fn size(&self) -> u64;
    /// The `len` bytes at `at` (the caller has checked they lie inside the data).
    fn read_at(&mut self, at: u64, len: usize) -> std::io::Result<Vec<u8>>;
}

impl Source for &[u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn read_at(&mut self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let at = usize::try_from(at).map_err(std::io::Error::other)?;
        self.get(at..at.saturating_add(len))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into())
    }
}

/// A file on disk, read by seeking.
pub struct FileSource {
    file: std::fs::File,
    size: u64,
}

impl FileSource {
    /// Opens the file at `path`.
    pub fn open(path: &std::path::Path) -> std::io::Result<Self> {
        let file = std::fs::File::open(path)?;
        let size = file.metadata()?.len();
        Ok(Self { file, size })
    }
}

impl Source for FileSource {
    fn size(&self) -> u64 {
        self.size
    }
    fn read_at(&mut self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        self.file.seek(SeekFrom::Start(at))?;
        let mut b = Vec::with_capacity(len);
        (&mut self.file).take(len as u64).read_to_end(&mut b)?;
        if b.len() < len {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Ok(b)
    }
}

const MAGIC: &[u8] = b"ARROW1";
const CONTINUATION: [u8; 4] = [0xff; 4];

fn refuse(what: impl std::fmt::Display) -> Refusal {
    format!("not readable Arrow IPC: {what}")
}

/// Checks an IPC file (it starts with `ARROW1`) or stream; `Err` says what does not fit.
pub fn check(src: &mut impl Source) -> Result<(), Refusal> {
    let size = src.size();
    let head = read(src, 0, size.min(8) as usize)?;
    let mut budget = Budget::new(size);
    if head.starts_with(MAGIC) {
        check_file(src, &mut budget)
    } else {
        check_stream(src, &mut budget)
    }
}

/// A flatbuffers error (its text spans lines) as one line.
fn unparsed(e: impl std::fmt::Display) -> Refusal {
    let text = e.to_string();
    let words: Vec<&str> = text.split_whitespace().collect();
    refuse(format!(
        "a message header does not parse ({})",
        words.join(" ")
    ))
}

fn read(src: &mut impl Source, at: u64, len: usize) -> Result<Vec<u8>, Refusal> {
    src.read_at(at, len).map_err(refuse)
}

/// The elements left to decode, and each dictionary's length so far (for deltas).
struct Budget {
    size: u64,
    elements: u64,
    dictionaries: HashMap<i64, u64>,
}

impl Budget {
    fn new(size: u64) -> Self {
        Self {
            size,
            elements: size.saturating_mul(ELEMENTS_PER_BYTE),
            dictionaries: HashMap::new(),
        }
    }

    fn spend(&mut self, n: u64) -> Result<(), Refusal> {
        self.elements = self.elements.checked_sub(n).ok_or_else(|| {
            refuse(format!(
                "more array elements than {ELEMENTS_PER_BYTE} per byte of the {} bytes",
                self.size
            ))
        })?;
        Ok(())
    }
}

/// A length of the data as a non-negative number that fits in `room` bytes.
fn fits(what: &str, n: i64, room: u64, size: u64) -> Result<u64, Refusal> {
    match u64::try_from(n) {
        Ok(n) if n <= room => Ok(n),
        _ => Err(refuse(format!(
            "{what} length {n} does not fit in the file's {size} bytes"
        ))),
    }
}

/// A stream: messages one after another until the end, an end marker, or a short tail (where
/// arrow stops too).
fn check_stream(src: &mut impl Source, budget: &mut Budget) -> Result<(), Refusal> {
    let size = src.size();
    let mut at = 0u64;
    loop {
        let Some(word) = word_at(src, at)? else {
            return Ok(());
        };
        let (word, prefix) = if word == CONTINUATION {
            match word_at(src, at + 4)? {
                Some(w) => (w, 8),
                None => return Ok(()),
            }
        } else {
            (word, 4)
        };
        let len = i64::from(i32::from_le_bytes(word));
        if len == 0 {
            return Ok(());
        }
        at += prefix;
        let len = fits("message", len, size - at, size)?;
        let meta = read(src, at, len as usize)?;
        at += len;
        let message = arrow::ipc::root_as_message(&meta).map_err(unparsed)?;
        let body = fits("message body", message.bodyLength(), size - at, size)?;
        check_message(&message, body, budget)?;
        at += body;
    }
}

/// The 4 bytes at `at`, or `None` past the end.
fn word_at(src: &mut impl Source, at: u64) -> Result<Option<[u8; 4]>, Refusal> {
    if src.size().saturating_sub(at) < 4 {
        return Ok(None);
    }
    let w = read(src, at, 4)?;
    Ok(w.try_into().ok())
}

/// A file: the footer and every block it names (the messages arrow reads; the stream copy of
/// the schema after the magic is not read by arrow's file reader).
fn check_file(src: &mut impl Source, budget: &mut Budget) -> Result<(), Refusal> {
    let size = src.size();
    if size < 16 {
        return Err(refuse(format!("a file of {size} bytes has no footer")));
    }
    let tail = read(src, size - 10, 10)?;
    if &tail[4..] != MAGIC {
        return Err(refuse("the file does not end with ARROW1"));
    }
    let mut w = [0u8; 4];
    w.copy_from_slice(&tail[..4]);
    let footer_len = fits("footer", i64::from(i32::from_le_bytes(w)), size - 10, size)?;
    let footer_at = size - 10 - footer_len;
    let footer = read(src, footer_at, footer_len as usize)?;
    // A footer that does not parse is arrow's to report, with its own words.
    let Ok(f) = arrow::ipc::root_as_footer(&footer) else {
        return Ok(());
    };
    let blocks: Vec<_> = f
        .dictionaries()
        .into_iter()
        .chain(f.recordBatches())
        .flat_map(|v| v.iter())
        .map(|b| (b.offset(), b.metaDataLength(), b.bodyLength()))
        .collect();
    let mut spans = Vec::with_capacity(blocks.len());
    for &(offset, meta_len, body_len) in &blocks {
        let offset = fits("block offset", offset, footer_at, size)?;
        let room = footer_at - offset;
        let meta_len = fits("block metadata", i64::from(meta_len), room, size)?;
        let body_len = fits("block body", body_len, room - meta_len, size)?;
        spans.push((offset, offset + meta_len + body_len));
    }
    // Blocks that overlap (one batch named many times) would each be read and decoded whole.
    spans.sort_unstable();
    if spans.windows(2).any(|w| w[1].0 < w[0].1) {
        return Err(refuse("the footer's blocks overlap"));
    }
    for (offset, meta_len, body_len) in blocks {
        let (offset, meta_len, body_len) = (offset as u64, meta_len as usize, body_len as u64);
        let meta = read(src, offset, meta_len)?;
        // As arrow parses a block: after the continuation marker and length, or the length.
        let skip = if meta.starts_with(&CONTINUATION) {
            8
        } else {
            4
        };
        let Some(header) = meta.get(skip..) else {
            return Err(refuse("a block too short for its message"));
        };
        let message = arrow::ipc::root_as_message(header).map_err(unparsed)?;
        check_message(&message, body_len, budget)?;
    }
    Ok(())
}

/// One message whose body is `body` bytes: its batch's buffers, nodes and rows.
fn check_message(message: &Message, body: u64, budget: &mut Budget) -> Result<(), Refusal> {
    match message.header_type() {
        MessageHeader::RecordBatch => {
            let Some(batch) = message.header_as_record_batch() else {
                return Ok(());
            };
            check_batch(&batch, body, budget, None)
        }
        MessageHeader::DictionaryBatch => {
            let Some(d) = message.header_as_dictionary_batch() else {
                return Ok(());
            };
            let Some(batch) = d.data() else {
                return Ok(());
            };
            check_batch(&batch, body, budget, Some((d.id(), d.isDelta())))
        }
        _ => Ok(()),
    }
}

fn check_batch(
    batch: &arrow::ipc::RecordBatch,
    body: u64,
    budget: &mut Budget,
    dictionary: Option<(i64, bool)>,
) -> Result<(), Refusal> {
    if batch.compression().is_some() {
        return Err(refuse("compressed bodies are not supported"));
    }
    let rows = u64::try_from(batch.length())
        .map_err(|_| refuse(format!("a negative row count {}", batch.length())))?;
    if rows > body {
        return Err(refuse(format!(
            "a batch of {rows} rows in a body of {body} bytes (at most one row per byte)"
        )));
    }
    let buffers = batch.buffers().map_or(0, |b| b.len());
    for b in batch.buffers().iter().flat_map(|v| v.iter()) {
        let end = b.offset().checked_add(b.length());
        if b.offset() < 0 || b.length() < 0 || end.is_none_or(|e| e as u64 > body) {
            return Err(refuse(format!(
                "a buffer at {} of {} bytes outside its body of {body} bytes",
                b.offset(),
                b.length()
            )));
        }
    }
    let mut elements = rows;
    for n in batch.nodes().iter().flat_map(|v| v.iter()) {
        let len = u64::try_from(n.length())
            .map_err(|_| refuse(format!("a negative array length {}", n.length())))?;
        if n.null_count() < 0 || n.null_count() > n.length() {
            return Err(refuse(format!(
                "{} nulls in an array of {len}",
                n.null_count()
            )));
        }
        elements = elements.saturating_add(len);
    }
    let mut variadic = 0u64;
    for c in batch.variadicBufferCounts().iter().flat_map(|v| v.iter()) {
        let c = u64::try_from(c).map_err(|_| refuse("a negative variadic buffer count"))?;
        variadic = variadic.saturating_add(c);
    }
    if variadic > buffers as u64 {
        return Err(refuse(format!(
            "{variadic} variadic buffers named, the batch has {buffers}"
        )));
    }
    if let Some((id, delta)) = dictionary {
        let so_far = budget.dictionaries.entry(id).or_insert(0);
        *so_far = if delta {
            so_far.saturating_add(elements)
        } else {
            elements
        };
        elements = *so_far;
    }
    budget.spend(elements)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_whose_first_word_is_text_is_refused_before_reading() {
        let mut data = b"ARRO\xa81\0\0".to_vec();
        data.resize(3000, 0);
        let err = check(&mut data.as_slice()).expect_err("refused");
        assert!(err.contains("message length"), "{err}");
    }

    #[test]
    fn an_empty_stream_passes() {
        assert!(check(&mut [0u8; 0].as_slice()).is_ok());
        assert!(check(&mut [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0].as_slice()).is_ok());
    }

    use arrow::array::{ArrayRef, NullArray, StringArray};
    use arrow::record_batch::RecordBatch;
    use std::sync::Arc;

    /// An IPC stream of one batch of `ids` and its byte layout: the schema message's length.
    fn stream(columns: Vec<(&str, ArrayRef)>) -> Vec<u8> {
        let batch = RecordBatch::try_from_iter(columns).expect("batch");
        let mut out = Vec::new();
        let mut w =
            arrow::ipc::writer::StreamWriter::try_new(&mut out, &batch.schema()).expect("writer");
        w.write(&batch).expect("write");
        w.finish().expect("finish");
        drop(w);
        out
    }

    fn ids() -> Vec<(&'static str, ArrayRef)> {
        vec![(
            "MaHoSo",
            Arc::new(StringArray::from(vec!["a", "b", "c"])) as ArrayRef,
        )]
    }

    #[test]
    fn a_well_formed_stream_passes() {
        let data = stream(ids());
        assert_eq!(check(&mut data.as_slice()), Ok(()));
    }

    #[test]
    fn a_later_message_claiming_a_gigabyte_is_refused() {
        let mut data = stream(ids());
        // [marker][schema length][schema][marker][batch length]...
        let schema = u32::from_le_bytes(data[4..8].try_into().expect("word")) as usize;
        let at = 8 + schema + 4;
        assert_eq!(&data[at - 4..at], &CONTINUATION);
        data[at..at + 4].copy_from_slice(&0x4000_0000_i32.to_le_bytes());
        let err = check(&mut data.as_slice()).expect_err("refused");
        assert!(
            err.contains("message length 1073741824 does not fit"),
            "{err}"
        );
    }

    #[test]
    fn rows_without_bytes_are_refused() {
        // A column of arrow's Null type has no buffers: a batch of them could claim any number
        // of rows in an empty body.
        let data = stream(vec![("x", Arc::new(NullArray::new(1000)) as ArrayRef)]);
        let err = check(&mut data.as_slice()).expect_err("refused");
        assert!(err.contains("1000 rows in a body of 0 bytes"), "{err}");
    }

    #[test]
    fn footer_blocks_naming_one_batch_twice_are_refused() {
        let batch = RecordBatch::try_from_iter(ids()).expect("batch");
        let mut out = Vec::new();
        let mut w =
            arrow::ipc::writer::FileWriter::try_new(&mut out, &batch.schema()).expect("writer");
        for _ in 0..3 {
            w.write(&batch).expect("write");
        }
        w.finish().expect("finish");
        drop(w);
        assert_eq!(check(&mut out.as_slice()), Ok(()));
        // Point every block at the first one: each alone fits, together they overlap.
        let n = out.len();
        let footer_len = u32::from_le_bytes(out[n - 10..n - 6].try_into().expect("w")) as usize;
        let footer = out[n - 10 - footer_len..n - 10].to_vec();
        let f = arrow::ipc::root_as_footer(&footer).expect("footer");
        let blocks: Vec<_> = f.recordBatches().expect("blocks").iter().collect();
        let first = blocks[0];
        let tail = &mut out[n - 10 - footer_len..n - 10];
        for b in &blocks[1..] {
            let from = first.offset().to_le_bytes();
            let at = tail
                .windows(8)
                .position(|w| w == b.offset().to_le_bytes())
                .expect("offset in footer");
            tail[at..at + 8].copy_from_slice(&from);
        }
        let err = check(&mut out.as_slice()).expect_err("refused");
        assert!(err.contains("blocks overlap"), "{err}");
    }

    #[test]
    fn a_file_without_a_footer_is_refused() {
        let err = check(&mut b"ARROW1\0\0abcdefgh".as_slice()).expect_err("refused");
        assert!(err.contains("ARROW1"), "{err}");
    }
}
