//! Inputs found by the fuzz campaigns (`fuzz/`), read again through the same paths on the stable
//! toolchain: each is refused with one line naming the file, or read with every row accounted for
//! (scored + excluded + rejected + superseded = rows read) and the fast route agreeing with the
//! row route. An input is `tests/fuzz_regressions/<target>--<what>`; the target names the path.

use chiso::tally::TallyContext;
use chiso::{Dossier, Profile, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::memory::DossierFile;
use chiso_io::read::rows::read_records;
use chiso_io::route::{tally_dossiers, Settings, Source, Tallied};
use std::path::{Path, PathBuf};

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

fn target_of(p: &Path) -> String {
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    name.split("--").next().unwrap_or_default().to_string()
}

fn accounted(t: &Tallied) -> u64 {
    t.accounting.scored
        + t.accounting.excluded_total()
        + t.rejects.len() as u64
        + t.superseded.len() as u64
}

/// One route over the file (or the file read into memory); the error line otherwise.
fn route(path: &Path, rows_only: bool, memory: Option<&DossierFile>) -> Result<Tallied, String> {
    let profile = Profile::builtin("portal-2026").map_err(|e| e.to_string())?;
    let ctx = TallyContext::new(
        "2026"
            .parse()
            .map_err(|e: chiso::ChisoError| e.to_string())?,
        chiso::period::parse_moment("2026-09-30T17:00").map_err(|e| e.to_string())?,
        profile.options,
        profile.limits,
        &WeekdaysOnly,
        &[],
    );
    let settings = Settings {
        threads: 2,
        rows_only,
    };
    let source = memory.map_or(Source::File(path), Source::Memory);
    tally_dossiers(source, &ColumnMap::new(), &ctx, settings, &mut |_| {})
        .map_err(|e| e.to_string())
}

/// The dossier-file check of `fuzz/src/lib.rs`; `Err` says what is wrong.
fn check_dossier_file(bytes: &[u8], ext: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join(format!("input.{ext}"));
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    let fast = route(&path, false, None);
    let rows = route(&path, true, None);
    let read = read_records::<Dossier>(&path, &ColumnMap::new(), &mut |_| {})
        .map(|r| r.read_count() as u64)
        .map_err(|e| e.to_string());
    let mut outcomes = vec![(fast, rows)];
    if matches!(ext, "arrow" | "parquet") {
        match DossierFile::read(&path, &ColumnMap::new()) {
            Ok(Some(f)) => {
                outcomes.push((route(&path, false, Some(&f)), route(&path, true, Some(&f))))
            }
            Ok(None) => return Err("not read into memory".into()),
            Err(e) => outcomes.push((Err(e.to_string()), Err(e.to_string()))),
        }
    }
    let clear = |e: &String| !e.contains('\n') && e.contains("input.");
    if let Err(e) = &read {
        if !clear(e) {
            return Err(format!(
                "record reader: not one line naming the file: {e:?}"
            ));
        }
    }
    for (fast, rows) in outcomes {
        match (&fast, &rows, &read) {
            (Ok(f), Ok(r), Ok(n)) => {
                if accounted(f) != *n || accounted(r) != *n {
                    return Err(format!(
                        "does not add up: fast {}, rows {}, read {n}",
                        accounted(f),
                        accounted(r)
                    ));
                }
                if f.accounting != r.accounting || f.tally != r.tally {
                    return Err("fast route and row route differ".into());
                }
            }
            (Err(a), Err(b), _) => {
                if !clear(a) || !clear(b) {
                    return Err(format!("not one line naming the file: {a:?} / {b:?}"));
                }
            }
            _ => {
                return Err(format!(
                    "paths disagree: fast {:?}, rows {:?}, read {read:?}",
                    fast.as_ref().map(accounted),
                    rows.as_ref().map(accounted)
                ))
            }
        }
    }
    Ok(())
}

#[test]
fn every_fuzz_finding_is_refused_clearly_or_adds_up() {
    let inputs = inputs();
    assert!(!inputs.is_empty(), "no regression inputs found");
    let mut failures = Vec::new();
    for p in &inputs {
        let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let outcome = match target_of(p).as_str() {
            "csv_bytes" => check_dossier_file(&bytes, "csv"),
            "json_records" => {
                check_dossier_file(&bytes, "json").and(check_dossier_file(&bytes, "jsonl"))
            }
            "xlsx_bytes" => {
                check_dossier_file(&bytes, "xlsx").and(check_dossier_file(&bytes, "ods"))
            }
            "parquet_bytes" => check_dossier_file(&bytes, "parquet"),
            "arrow_ipc_bytes" => check_dossier_file(&bytes, "arrow"),
            other => Err(format!("unknown target {other:?}")),
        };
        if let Err(why) = outcome {
            failures.push(format!("{}: {why}", p.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The two Arrow IPC findings that cost memory or time (a footer block of 4.9 GB in a 6.9 KB
/// file: 4.7 GB resident; a stream whose first word, read as a message length, is 1.3 GB: 71 s)
/// are refused by the length check before arrow allocates, on every path, with the length that
/// does not fit named.
#[test]
fn ipc_lengths_that_do_not_fit_are_refused_before_reading() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for (name, why) in [
        (
            "arrow_ipc_bytes--oom-2GB",
            "block offset length 5629499512980736",
        ),
        ("arrow_ipc_bytes--slow-71s", "message length 1330795073"),
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let direct = chiso_io::read::decoder::check_ipc_bytes(&bytes);
        assert!(
            direct.as_ref().is_err_and(|e| e.contains(why)),
            "{name}: {direct:?}"
        );
        let tmp = tempfile::tempdir().expect("temp dir");
        let path = tmp.path().join("input.arrow");
        std::fs::write(&path, &bytes).expect("write input");
        let errors = [
            route(&path, false, None).err(),
            route(&path, true, None).err(),
            read_records::<Dossier>(&path, &ColumnMap::new(), &mut |_| {})
                .err()
                .map(|e| e.to_string()),
            DossierFile::read(&path, &ColumnMap::new())
                .err()
                .map(|e| e.to_string()),
            chiso_io::read::memory::check_file_header(&path, &ColumnMap::new())
                .err()
                .map(|e| e.to_string()),
        ];
        for e in errors {
            let e = e.unwrap_or_else(|| panic!("{name}: a path read the file"));
            assert!(
                e.contains("input.arrow") && e.contains(why) && !e.contains('\n'),
                "{name}: {e}"
            );
        }
    }
}
