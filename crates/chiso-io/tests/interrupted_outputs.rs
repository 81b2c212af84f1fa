//! An interrupt (what the CLI's Ctrl-C handler calls) removes the temporary output files being
//! written and lets no new one start: the other threads run on until the process ends, and a
//! file started after the list was emptied would be left behind (seen in CI: a verdict file
//! reopened while the handler ran). Its own test binary: the interrupt is process-wide.

use chiso_io::write::output::{remove_pending, write_file, Pending};
use std::io::Write;
use std::path::Path;

fn parts(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect()
}

#[test]
fn an_interrupt_removes_temporary_files_and_refuses_new_ones() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().join("report.json");
    std::fs::write(&target, "previous").unwrap_or_else(|e| panic!("{e}"));

    // Being written when the interrupt comes.
    let (mut file, pending) = Pending::create(&target).unwrap_or_else(|e| panic!("{e}"));
    file.write_all(b"half a rep")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parts(dir.path()).len(), 1);

    remove_pending();
    assert!(parts(dir.path()).is_empty(), "the temporary file stays");

    // A thread still running tries to start another output, or to finish the first.
    let other = dir.path().join("verdicts.csv");
    let refused = Pending::create(&other);
    assert!(
        refused.is_err(),
        "a temporary file started after the interrupt"
    );
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("interrupted"), "{message}");
    assert!(write_file(&other, b"x").is_err());
    assert!(pending.commit().is_err(), "committed a removed file");

    assert!(parts(dir.path()).is_empty(), "{:?}", parts(dir.path()));
    assert!(!other.exists());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap_or_default(),
        "previous"
    );
}
