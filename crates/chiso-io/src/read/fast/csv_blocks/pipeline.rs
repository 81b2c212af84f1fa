//! The pipeline: one reader thread cutting blocks, workers parsing them, shares merged at the end.

use super::*;
use crate::error::{IoError, Result};
use crate::read::fast::NotFast;
use crate::read::limits::MAX_CELL;
use chiso::tally::{Accounting, Tally, TallyContext};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

/// Reads blocks on this thread and hands them to `threads` workers; a block in flight is one
/// buffer, and buffers come back for reuse, so at most `threads + 2` exist.
pub(super) fn run(
    path: &Path,
    mut file: std::fs::File,
    plan: &Plan,
    ctx: &TallyContext<'_>,
    threads: usize,
    block: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<Step<CsvTally>> {
    let stop = AtomicBool::new(false);
    let rows = AtomicUsize::new(0);
    let (work_tx, work_rx) = mpsc::sync_channel::<Vec<u8>>(threads);
    let work_rx = Mutex::new(work_rx);
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|s| -> Result<Step<CsvTally>> {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (work_rx, free_tx, stop, rows) = (&work_rx, free_tx.clone(), &stop, &rows);
                s.spawn(move || -> Step<Worker<'_>> {
                    let mut w = Worker::new(plan);
                    let mut failed = None;
                    loop {
                        let next = match work_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok(buf) = next else { break };
                        if failed.is_none() && !stop.load(Ordering::Relaxed) {
                            match w.block(&buf, ctx) {
                                Ok(n) => {
                                    rows.fetch_add(n, Ordering::Relaxed);
                                }
                                Err(why) => {
                                    stop.store(true, Ordering::Relaxed);
                                    failed = Some(why);
                                }
                            }
                        }
                        // The reader may be gone already; the buffer is then just dropped.
                        let _ = free_tx.send(buf);
                    }
                    if let Some(why) = failed {
                        return Err(why);
                    }
                    if w.sort_ids() {
                        return not_fast(
                            "duplicate dossier ids (latest sync wins needs the ordinary reader)",
                        );
                    }
                    Ok(w)
                })
            })
            .collect();
        drop(free_tx);
        let read = read_blocks(
            path, &mut file, block, threads, &work_tx, &free_rx, &stop, &rows, progress,
        );
        drop(work_tx);
        let read = match read {
            Ok(Err(why)) => {
                stop.store(true, Ordering::Relaxed);
                Ok(Some(why))
            }
            Ok(Ok(())) => Ok(None),
            Err(e) => Err(e),
        };
        let mut workers = Vec::with_capacity(threads);
        let mut why = None;
        for h in handles {
            match h.join() {
                Ok(Ok(w)) => workers.push(w),
                Ok(Err(e)) => {
                    why.get_or_insert(e);
                }
                Err(_) => {
                    why.get_or_insert(NotFast("a worker thread failed".into()));
                }
            }
        }
        if let Some(why) = read? {
            return Ok(Err(why));
        }
        if let Some(why) = why {
            return Ok(Err(why));
        }
        progress(rows.load(Ordering::Relaxed));
        Ok(finish(workers, &ctx.period))
    })
}

/// The reader: fills buffers, cuts them after their last whole record and sends them; the
/// partial record left over starts the next buffer.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_blocks(
    path: &Path,
    file: &mut std::fs::File,
    block: usize,
    threads: usize,
    work: &mpsc::SyncSender<Vec<u8>>,
    free: &mpsc::Receiver<Vec<u8>>,
    stop: &AtomicBool,
    rows: &AtomicUsize,
    progress: &mut dyn FnMut(usize),
) -> Result<Step<()>> {
    let mut made = 0usize;
    let mut carry: Vec<u8> = Vec::new();
    let mut eof = false;
    while !eof && !stop.load(Ordering::Relaxed) {
        let mut buf = match free.try_recv() {
            Ok(b) => b,
            Err(_) if made < threads + 2 => {
                made += 1;
                Vec::with_capacity(block)
            }
            Err(_) => match free.recv() {
                Ok(b) => b,
                Err(_) => break,
            },
        };
        // A reused buffer keeps its length: only bytes beyond it are zeroed when it grows.
        let mut filled = carry.len();
        if buf.len() < filled {
            buf.resize(filled, 0);
        }
        buf[..filled].copy_from_slice(&carry);
        carry.clear();
        // Fill to the block size (more if one record is longer than a block).
        let mut want = block.max(filled + block / 2);
        loop {
            if filled >= want {
                match last_record_end(&buf[..filled]) {
                    Some(cut) => {
                        carry.extend_from_slice(&buf[cut..filled]);
                        filled = cut;
                        break;
                    }
                    // One record longer than a cell may be: the ordinary reader refuses it or
                    // reads it, without this buffer growing on.
                    None if filled > block + MAX_CELL => {
                        return Ok(not_fast("a record longer than the largest cell read"));
                    }
                    None => want = filled + block,
                }
            }
            if buf.len() < want {
                buf.resize(want, 0);
            }
            let n = read_some(file, &mut buf[filled..want]).map_err(|e| IoError::file(path, e))?;
            filled += n;
            if n == 0 {
                eof = true;
                break;
            }
        }
        buf.truncate(filled);
        if buf.is_empty() {
            break;
        }
        if work.send(buf).is_err() {
            break;
        }
        progress(rows.load(Ordering::Relaxed));
    }
    Ok(Ok(()))
}

/// Reads until the buffer is full or the file ends.
pub(super) fn read_some(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Merges the workers' shares: ids must be distinct across workers too.
pub(super) fn finish(workers: Vec<Worker<'_>>, period: &chiso::Period) -> Step<CsvTally> {
    for (k, a) in workers.iter().enumerate() {
        for b in &workers[k + 1..] {
            if share(&a.ids, &b.ids) {
                return not_fast(
                    "duplicate dossier ids (latest sync wins needs the ordinary reader)",
                );
            }
        }
    }
    let mut tally = Tally::new();
    let mut acc = Accounting::default();
    let mut rows = 0;
    for w in workers {
        let (t, a) = w
            .tally
            .finish(&w.units.refs(), &w.procedures.refs(), period)
            .map_err(|e| NotFast(e.0))?;
        tally.merge(&t);
        acc.merge(&a);
        rows += w.rows;
    }
    Ok((tally, acc, rows))
}
