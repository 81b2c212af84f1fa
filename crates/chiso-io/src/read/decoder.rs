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

/// Checks every length an Arrow IPC file states against its size before arrow reads it (see
/// [`crate::read::ipc_check`]: messages, bodies, buffers, row and element counts, footer blocks).
pub fn check_ipc_file(path: &std::path::Path) -> Result<(), String> {
    let mut src = crate::read::ipc_check::FileSource::open(path).map_err(|e| e.to_string())?;
    crate::read::ipc_check::check(&mut src)
}

/// [`check_ipc_file`] on bytes in memory.
pub fn check_ipc_bytes(bytes: &[u8]) -> Result<(), String> {
    crate::read::ipc_check::check(&mut &*bytes)
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
