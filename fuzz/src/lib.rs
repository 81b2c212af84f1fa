//! What every dossier-file target checks, shared: the bytes are written to a file (the readers
//! take paths and pick the format by extension), read through the same route as `chiso score`
//! (fast path first, then with the row reader only), and through the record reader; the outcome
//! must be one clear error line naming the file, or an accounting where every row read is scored,
//! excluded, rejected or superseded, with the fast path agreeing with the row reader.
//!
//! A violated property panics, which libFuzzer records as a crash with the input.

use chiso::tally::{Accounting, Tally, TallyContext};
use chiso::{Dossier, Options, Period, Procedure, Profile, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::memory::DossierFile;
use chiso_io::read::rows::{read_procedures, read_records};
use chiso_io::route::{tally_dossiers, Settings, Source, Tallied};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The golden inputs of the repository (procedures catalogue, seeds).
pub fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden/input")
        .join(name)
}

/// Profile, period, moment and the golden catalogue, loaded once per process.
pub struct Scorer {
    pub profile: Profile,
    pub options: Options,
    pub period: Period,
    pub as_of: chrono::NaiveDateTime,
    pub procedures: Vec<Procedure>,
}

pub fn scorer() -> &'static Scorer {
    static S: OnceLock<Scorer> = OnceLock::new();
    S.get_or_init(|| {
        let profile = Profile::builtin("portal-2026").expect("built-in profile");
        let procedures = read_procedures(&golden("procedures.csv"), &ColumnMap::new())
            .map(|r| r.rows)
            .unwrap_or_default();
        Scorer {
            options: profile.options,
            period: "2026".parse().expect("period"),
            as_of: chiso::period::parse_moment("2026-09-30T17:00").expect("moment"),
            profile,
            procedures,
        }
    })
}

impl Scorer {
    pub fn ctx(&self) -> TallyContext<'_> {
        TallyContext::new(
            self.period.clone(),
            self.as_of,
            self.options,
            self.profile.limits,
            &WeekdaysOnly,
            &self.procedures,
        )
    }
}

/// A file `input.EXT` in this process's own temporary folder, holding `bytes`.
pub fn temp_file(bytes: &[u8], ext: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("fuzz-chiso-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    });
    let path = dir.join(format!("input.{ext}"));
    std::fs::write(&path, bytes).expect("write temp input");
    path
}

/// Rows accounted for by a tally: scored + excluded + rejected + superseded.
pub fn accounted(t: &Tallied) -> u64 {
    t.accounting.scored
        + t.accounting.excluded_total()
        + t.rejects.len() as u64
        + t.superseded.len() as u64
}

/// An error must be one line naming the file.
pub fn assert_clear(e: &str, path: &Path) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert!(
        !e.contains('\n') && e.contains(&name),
        "error is not one line naming the file: {e:?}"
    );
}

/// A decoder panic contained by `chiso_io::read::decoder` is refused cleanly, but it is still a
/// finding: keep the input under `artifacts/<target>/contained-*` and go on fuzzing.
pub fn keep_contained(e: &str, bytes: &[u8], target: &str) {
    if !e.contains("the decoder failed on malformed data") {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("artifacts")
        .join(target);
    let _ = std::fs::create_dir_all(&dir);
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("contained-{h:016x}"));
    if !path.exists() {
        let _ = std::fs::write(&path, bytes);
        eprintln!("contained decoder panic kept at {}: {e}", path.display());
    }
}

/// Reads `path` through the route; `rows_only` picks the row reader.
fn route(
    path: &Path,
    rows_only: bool,
    source_memory: Option<&DossierFile>,
) -> Result<Tallied, String> {
    let s = scorer();
    let ctx = s.ctx();
    let settings = Settings {
        threads: 1,
        rows_only,
    };
    let source = match source_memory {
        Some(f) => Source::Memory(f),
        None => Source::File(path),
    };
    tally_dossiers(source, &ColumnMap::new(), &ctx, settings, &mut |_| {})
        .map_err(|e| e.to_string())
}

/// The fast route and the row route give the same tally and accounting.
pub fn assert_same(a: &Tallied, b: &Tallied, what: &str) {
    assert_eq!(a.accounting, b.accounting, "{what}: accounting differs");
    assert!(a.tally == b.tally, "{what}: tally differs");
    assert_eq!(a.rejects.len(), b.rejects.len(), "{what}: rejects differ");
    assert_eq!(
        a.superseded.len(),
        b.superseded.len(),
        "{what}: superseded differ"
    );
}

/// The whole check of one dossier file's bytes with extension `ext` (see the module comment).
/// Returns the row route's tally when the file was read.
pub fn check_dossier_bytes(bytes: &[u8], ext: &str, target: &str) -> Option<Tallied> {
    let path = temp_file(bytes, ext);
    let fast = route(&path, false, None);
    let rows = route(&path, true, None);
    let records = read_records::<Dossier>(&path, &ColumnMap::new(), &mut |_| {})
        .map(|r| r.read_count() as u64)
        .map_err(|e| e.to_string());
    for e in [
        fast.as_ref().err(),
        rows.as_ref().err(),
        records.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        keep_contained(e, bytes, target);
        assert_clear(e, &path);
    }
    // Arrow IPC and Parquet are also read whole into memory (`chiso.read` in Python).
    if matches!(ext, "arrow" | "parquet") {
        match DossierFile::read(&path, &ColumnMap::new()) {
            Ok(Some(file)) => {
                let mem = route(&path, false, Some(&file));
                let mem_rows = route(&path, true, Some(&file));
                match (&mem, &mem_rows, &records) {
                    (Ok(m), Ok(r), Ok(read)) => {
                        assert_eq!(accounted(m), *read, "in memory: accounting does not add up");
                        assert_eq!(
                            accounted(r),
                            *read,
                            "in memory rows: accounting does not add up"
                        );
                        assert_same(m, r, "in memory fast vs rows");
                    }
                    (Err(e), _, _) | (_, Err(e), _) => {
                        keep_contained(e, bytes, target);
                        assert_clear(e, &path);
                    }
                    (Ok(_), Ok(_), Err(e)) => {
                        panic!("read in memory, but the record reader refused it: {e}")
                    }
                }
            }
            Ok(None) => panic!("{ext} file not taken into memory"),
            Err(e) => {
                let e = e.to_string();
                keep_contained(&e, bytes, target);
                assert_clear(&e, &path);
            }
        }
    }
    match (fast, rows, records) {
        (Ok(f), Ok(r), Ok(read)) => {
            assert_eq!(accounted(&f), read, "route: accounting does not add up");
            assert_eq!(accounted(&r), read, "row route: accounting does not add up");
            assert_same(&f, &r, "fast route vs row route");
            Some(r)
        }
        (Err(_), Err(_), Err(_)) => None,
        (f, r, rec) => panic!(
            "the readers disagree: fast route {:?}, row route {:?}, record reader {:?}",
            f.map(|t| accounted(&t)),
            r.map(|t| accounted(&t)),
            rec
        ),
    }
}

/// Accounting and tally of the CSV fast path itself at a tiny block size and two threads
/// (records straddle blocks), for comparison with the row reader.
pub fn csv_fast_small_blocks(bytes: &[u8]) -> Option<(Tally, Accounting, usize)> {
    let path = temp_file(bytes, "csv");
    let s = scorer();
    let ctx = s.ctx();
    match chiso_io::read::fast::csv_blocks::tally_file_with(
        &path,
        &ColumnMap::new(),
        &ctx,
        2,
        7,
        &mut |_| {},
    ) {
        Ok(Ok(t)) => Some(t),
        Ok(Err(_)) => None,
        Err(e) => {
            assert_clear(&e.to_string(), &path);
            None
        }
    }
}
