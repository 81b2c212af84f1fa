//! Parquet bytes: from disk (fast path and rows) and read into memory: a clear error or an
//! accounting that adds up, every path agreeing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    chiso_fuzz::check_dossier_bytes(data, "parquet", "parquet_bytes");
});
