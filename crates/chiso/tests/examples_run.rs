//! The example `score_records` runs, not only builds: its code is compiled into this test
//! (`cargo run -p chiso --example score_records` runs the same code).

#[path = "../examples/score_records.rs"]
mod score_records;

#[test]
fn score_records_example_runs() {
    assert!(score_records::main().is_ok());
}
