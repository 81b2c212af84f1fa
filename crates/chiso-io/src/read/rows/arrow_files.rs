//! Arrow IPC and Parquet files read batch by batch into rows.

use super::*;
use crate::error::{IoError, Result};
use crate::read::arrow_batches::{check_schema, BatchSink};
use crate::read::cell::{Build, Collector};
use crate::read::columns::ColumnMap;
use crate::read::decoder::Guarded;
use crate::read::records::Records;
use std::io::{BufReader, Read};
use std::path::Path;

pub(super) fn read_arrow_ipc<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<'_, B>,
) -> Result<Records<B>> {
    let mut magic = [0u8; 6];
    let is_file = open(path)?.read_exact(&mut magic).is_ok() && &magic == b"ARROW1";
    crate::read::decoder::check_ipc_file(path).map_err(|m| IoError::format(path, m))?;
    let mut sink = BatchSink::<B>::with_collector(B::KIND, collector);
    let bad =
        |e: arrow::error::ArrowError| IoError::format(path, format!("not readable Arrow IPC: {e}"));
    if is_file {
        let f = open(path)?;
        let reader = crate::read::decoder::open(|| {
            arrow::ipc::reader::FileReader::try_new(BufReader::new(f), None)
        })
        .map_err(|m| IoError::format(path, format!("not readable Arrow IPC: {m}")))?;
        check_schema(&reader.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
        for batch in Guarded::new(reader) {
            sink.push(&batch.map_err(bad)?, map);
            progress(sink.rows_seen());
        }
    } else {
        let f = open(path)?;
        let reader = crate::read::decoder::open(|| {
            arrow::ipc::reader::StreamReader::try_new(BufReader::new(f), None)
        })
        .map_err(|m| IoError::format(path, format!("not readable Arrow IPC: {m}")))?;
        check_schema(&reader.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
        for batch in Guarded::new(reader) {
            sink.push(&batch.map_err(bad)?, map);
            progress(sink.rows_seen());
        }
    }
    Ok(sink.finish())
}

pub(super) fn read_parquet<B: Build>(
    path: &Path,
    map: &ColumnMap,
    progress: &mut dyn FnMut(usize),
    collector: Collector<'_, B>,
) -> Result<Records<B>> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let bad = |e: String| IoError::format(path, format!("not readable Parquet: {e}"));
    let f = open(path)?;
    let builder =
        crate::read::decoder::open(|| ParquetRecordBatchReaderBuilder::try_new(f)).map_err(bad)?;
    check_schema(builder.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
    let reader = builder
        .with_batch_size(PROGRESS_EVERY)
        .build()
        .map_err(|e| bad(e.to_string()))?;
    let mut sink = BatchSink::<B>::with_collector(B::KIND, collector);
    for batch in crate::read::decoder::Guarded::new(reader) {
        sink.push(&batch.map_err(|e| bad(e.to_string()))?, map);
        progress(sink.rows_seen());
    }
    Ok(sink.finish())
}
