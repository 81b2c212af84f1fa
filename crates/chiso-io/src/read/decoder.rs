//! Third-party decoders (arrow-ipc, parquet) trust lengths written in the file and can panic on
//! a corrupt one instead of returning an error (found by the mutation test: a flipped bit in an
//! Arrow IPC buffer length). Their batches are pulled through [`Guarded`], which turns such a
//! panic into an ordinary decoding error, so the file is refused with one line naming it; the
//! panic message is kept off stderr for these calls only. Opening a reader goes through
//! [`guard`]: the schema in a file's footer is decoded with the same trust (found by the fuzz
//! targets of `fuzz/`: a corrupt IPC schema, also inside a Parquet file's Arrow metadata).

use arrow::error::ArrowError;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Depth of guarded decoder calls on this thread: the panic hook stays quiet inside one.
    static QUIET: Cell<u32> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

/// Chains a panic hook that says nothing for a panic inside a guarded decoder call and defers
/// to the previous hook (the default message) for every other panic.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, a call into a decoder; a panic becomes `Err` with its message.
pub fn call<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    QUIET.with(|q| q.set(q.get() + 1));
    let r = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get().saturating_sub(1)));
    r.map_err(|p| {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "unknown failure".into());
        format!("the decoder failed on malformed data ({msg})")
    })
}

/// [`call`] for a constructor with its own error type (a reader opening a file): a panic or an
/// error becomes `Err` with its text.
pub fn open<T, E: std::fmt::Display>(f: impl FnOnce() -> Result<T, E>) -> Result<T, String> {
    call(f)?.map_err(|e| e.to_string())
}

/// Runs `f`, a fallible call into a decoder (opening a reader parses the file's schema, whose
/// lengths the decoders trust too); a panic becomes the error `panicked` makes of its message.
pub fn guard<T, E>(
    f: impl FnOnce() -> Result<T, E>,
    panicked: impl FnOnce(String) -> E,
) -> Result<T, E> {
    call(f).unwrap_or_else(|m| Err(panicked(m)))
}

/// Batches of a decoder, each pulled through [`call`]; after a failure, no more batches.
pub struct Guarded<I> {
    inner: Option<I>,
}

impl<I> Guarded<I> {
    /// Wraps a decoder.
    pub fn new(inner: I) -> Self {
        Self { inner: Some(inner) }
    }
}

impl<T, I: Iterator<Item = Result<T, ArrowError>>> Iterator for Guarded<I> {
    type Item = Result<T, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let inner = self.inner.as_mut()?;
        match call(|| inner.next()) {
            Ok(item) => item,
            Err(msg) => {
                self.inner = None;
                Some(Err(ArrowError::ParseError(msg)))
            }
        }
    }
}

/// Checks the lengths an Arrow IPC file or stream states against the data's size: before its
/// first message, in its footer, and in the footer's blocks. arrow-ipc allocates (and zero-fills)
/// what a length says before reading it, so a few corrupt bytes could claim gigabytes or
/// petabytes (found by the mutation test: minutes and a gigabyte for a 64-byte file, and an
/// aborting allocation of 1 PB for a flipped bit in a footer); such a file is refused at once.
/// `footer` is the footer's bytes when the data is an IPC file.
fn check_ipc_lengths(head: &[u8], footer: Option<&[u8]>, size: u64) -> Result<(), String> {
    let word = |b: &[u8], at: usize| -> Option<i64> {
        let w: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(i64::from(i32::from_le_bytes(w)))
    };
    let fits = |what: &str, n: i64| -> Result<(), String> {
        if n < 0 || n as u64 > size {
            return Err(format!(
                "not readable Arrow IPC: {what} length {n} does not fit in the file's {size} bytes"
            ));
        }
        Ok(())
    };
    let at = if head.starts_with(b"ARROW1") { 8 } else { 0 };
    let first = match word(head, at) {
        Some(-1) => word(head, at + 4),
        other => other,
    };
    if let Some(m) = first {
        fits("message", m)?;
    }
    let Some(footer) = footer else {
        return Ok(());
    };
    // A footer that does not parse is arrow's to report; its blocks must lie in the file.
    let Ok(f) = arrow::ipc::root_as_footer(footer) else {
        return Ok(());
    };
    let blocks = f.dictionaries().into_iter().chain(f.recordBatches());
    for b in blocks.flat_map(|v| v.iter()) {
        let end = b
            .offset()
            .checked_add(i64::from(b.metaDataLength()))
            .and_then(|e| e.checked_add(b.bodyLength()));
        if b.offset() < 0 || b.metaDataLength() < 0 || b.bodyLength() < 0 {
            return Err("not readable Arrow IPC: a negative block length".into());
        }
        fits("block", end.unwrap_or(-1))?;
    }
    Ok(())
}

/// The footer of an IPC file whose last bytes are `tail` (its length and the closing magic).
fn footer_span(tail: &[u8], size: u64) -> Result<Option<(u64, usize)>, String> {
    let n = tail.len();
    if n < 10 || &tail[n - 6..] != b"ARROW1" {
        return Ok(None);
    }
    let mut w = [0u8; 4];
    w.copy_from_slice(&tail[n - 10..n - 6]);
    let len = i64::from(i32::from_le_bytes(w));
    if len < 0 || len as u64 + 10 > size {
        return Err(format!(
            "not readable Arrow IPC: footer length {len} does not fit in the file's {size} bytes"
        ));
    }
    Ok(Some((size - 10 - len as u64, len as usize)))
}

/// `check_ipc_lengths` on a file.
pub fn check_ipc_file(path: &std::path::Path) -> Result<(), String> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |e: std::io::Error| e.to_string();
    let mut f = std::fs::File::open(path).map_err(io)?;
    let size = f.metadata().map_err(io)?.len();
    let mut head = Vec::with_capacity(16);
    (&mut f).take(16).read_to_end(&mut head).map_err(io)?;
    if !head.starts_with(b"ARROW1") {
        return check_ipc_lengths(&head, None, size);
    }
    let mut tail = Vec::with_capacity(16);
    f.seek(SeekFrom::Start(size.saturating_sub(16)))
        .map_err(io)?;
    (&mut f).take(16).read_to_end(&mut tail).map_err(io)?;
    let footer = match footer_span(&tail, size)? {
        Some((at, len)) => {
            let mut b = vec![0u8; len];
            f.seek(SeekFrom::Start(at)).map_err(io)?;
            f.read_exact(&mut b).map_err(io)?;
            Some(b)
        }
        None => None,
    };
    check_ipc_lengths(&head, footer.as_deref(), size)
}

/// `check_ipc_lengths` on bytes in memory.
pub fn check_ipc_bytes(bytes: &[u8]) -> Result<(), String> {
    let size = bytes.len() as u64;
    if !bytes.starts_with(b"ARROW1") {
        return check_ipc_lengths(bytes, None, size);
    }
    let tail = &bytes[bytes.len().saturating_sub(16)..];
    let footer = footer_span(tail, size)?.map(|(at, len)| &bytes[at as usize..at as usize + len]);
    check_ipc_lengths(bytes, footer, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_ends_the_batches() {
        let mut n = 0;
        let it = std::iter::from_fn(move || {
            n += 1;
            if n == 2 {
                panic!("length 140737488355330 > 2880");
            }
            Some(Ok::<u32, ArrowError>(n))
        });
        let got: Vec<_> = Guarded::new(it).collect();
        assert_eq!(got.len(), 2);
        assert!(matches!(got[0], Ok(1)));
        let err = got[1]
            .as_ref()
            .map_err(|e| e.to_string())
            .expect_err("error");
        assert!(
            err.contains("malformed data") && err.contains("140737488355330"),
            "{err}"
        );
    }
}
