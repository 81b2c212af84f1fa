//! The parallel runner shared by the fast readers.

use super::*;
use crate::error::IoError;
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Runs `work(k, stop)` for workers 0..`workers` on their own threads and gathers what they
/// read, in worker order; a worker that steps aside sets `stop` for the others, and its reason
/// (not their "stopped") is the one returned.
pub(crate) fn in_parallel<T: Send>(
    path: &Path,
    workers: usize,
    work: impl Fn(usize, &AtomicBool) -> Step<T> + Sync,
) -> Step<Vec<T>> {
    let stop = AtomicBool::new(false);
    let results: Vec<Step<T>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|k| {
                let (work, stop) = (&work, &stop);
                s.spawn(move || work(k, stop))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(IoError::format(path, "a reading thread failed".to_string()))
                })
            })
            .collect()
    });
    let (mut done, mut reasons) = (Vec::with_capacity(workers), Vec::new());
    for r in results {
        match r? {
            Ok(w) => done.push(w),
            Err(why) => reasons.push(why),
        }
    }
    Ok(match reasons.iter().position(|w| w.0 != STOPPED) {
        Some(i) => Err(reasons.swap_remove(i)),
        None => reasons.pop().map_or(Ok(done), Err),
    })
}
