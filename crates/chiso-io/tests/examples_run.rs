//! The Rust examples run, not only build: each example's code is compiled into this test and
//! run on its built-in sample (`cargo run -p chiso-io --example NAME` runs the same code).
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../examples/live_service.rs"]
mod live_service;
#[allow(dead_code)]
#[path = "../examples/score_files.rs"]
mod score_files;
#[allow(dead_code)]
#[path = "../examples/spark_tally.rs"]
mod spark_tally;

#[test]
fn live_service_ends_equal_to_batch_scoring() {
    let (live, batch) = live_service::run(6).unwrap();
    assert!(batch > 0.0, "the sample scores something");
    assert!((live - batch).abs() < 1e-9, "live {live} vs batch {batch}");
}

#[test]
fn spark_tally_merged_partitions_score_as_the_whole() {
    let (merged, whole) = spark_tally::run(Vec::new()).unwrap();
    let whole = whole.unwrap();
    assert!(whole > 0.0, "the sample scores something");
    assert!(
        (merged - whole).abs() < 1e-9,
        "merged {merged} vs whole {whole}"
    );
}

#[test]
fn score_files_writes_both_reports() {
    let dir = tempfile::tempdir().unwrap();
    let sample = chiso_io::sample::generate(&chiso_io::sample::SampleSpec {
        dossiers: 500,
        ..chiso_io::sample::SampleSpec::district(3)
    });
    use chiso_io::read::records::write_json_lines as write;
    write(&dir.path().join("dossiers.jsonl"), &sample.dossiers).unwrap();
    write(&dir.path().join("procedures.jsonl"), &sample.procedures).unwrap();
    write(&dir.path().join("units.jsonl"), &sample.units).unwrap();
    write(&dir.path().join("petitions.jsonl"), &sample.petitions).unwrap();
    score_files::score_dir(Some(dir.path().to_path_buf())).unwrap();
    let html = std::fs::read_to_string(dir.path().join("bang-diem.html")).unwrap();
    assert!(html.contains("Bảng điểm"), "the Vietnamese page");
    assert!(
        std::fs::metadata(dir.path().join("bang-diem.xlsx"))
            .unwrap()
            .len()
            > 0
    );
}
