//! JSON bytes, read as a JSON array (`.json`) and as JSON Lines (`.jsonl`): a clear error or an
//! accounting that adds up, fast route and row route agreeing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    chiso_fuzz::check_dossier_bytes(data, "json", "json_records");
    chiso_fuzz::check_dossier_bytes(data, "jsonl", "json_records");
});
