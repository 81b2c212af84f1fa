//! Arrow IPC and Parquet files read batch by batch into rows.

use super::*;
use crate::error::{IoError, Result};
use crate::read::arrow_batches::{check_schema, BatchSink};
use crate::read::cell::{Build, Collector};
use crate::read::columns::ColumnMap;
use crate::read::decoder::{guard, Guarded};
use crate::read::records::Records;
use arrow::error::ArrowError;
use parquet::errors::ParquetError;
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
    let mut sink = BatchSink::<B>::with_collector(B::KIND, collector);
    let bad =
        |e: arrow::error::ArrowError| IoError::format(path, format!("not readable Arrow IPC: {e}"));
    if is_file {
        let file = BufReader::new(open(path)?);
        let reader = guard(
            || arrow::ipc::reader::FileReader::try_new(file, None),
            ArrowError::ParseError,
        )
        .map_err(bad)?;
        check_schema(&reader.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
        for batch in Guarded::new(reader) {
            sink.push(&batch.map_err(bad)?, map);
            progress(sink.rows_seen());
        }
    } else {
        let file = BufReader::new(open(path)?);
        let reader = guard(
            || arrow::ipc::reader::StreamReader::try_new(file, None),
            ArrowError::ParseError,
        )
        .map_err(bad)?;
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
    let file = open(path)?;
    let builder = guard(
        || ParquetRecordBatchReaderBuilder::try_new(file),
        ParquetError::General,
    )
    .map_err(|e| bad(e.to_string()))?;
    check_schema(builder.schema(), map, B::KIND).map_err(|m| IoError::format(path, m))?;
    let reader = builder
        .with_batch_size(PROGRESS_EVERY)
        .build()
        .map_err(|e| bad(e.to_string()))?;
    let mut sink = BatchSink::<B>::with_collector(B::KIND, collector);
    for batch in Guarded::new(reader) {
        sink.push(&batch.map_err(|e| bad(e.to_string()))?, map);
        progress(sink.rows_seen());
    }
    Ok(sink.finish())
}
