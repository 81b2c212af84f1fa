//! Score tallies made elsewhere: read the per-partition tallies that `chiso.spark` produces
//! (one `PortableTally` in bytes per partition, in a binary column `tally`), merge them and
//! score once — only the tallies travel, never the dossiers.
//!
//! `cargo run -p chiso-io --example spark_tally -- FILE…` where each FILE is a Parquet file of
//! `chiso.spark.partial_tallies(df, …)` (written with `.write.parquet(…)`; column `tally`) or a
//! file holding one tally's bytes (`bytes(chiso.Tally)`). The tallies must share their context
//! (period, evaluation time, options, calendar, profile): `merge` refuses to add up others.
//!
//! Without FILE, the example plays the Spark job itself: it splits the sample district's
//! dossiers into 4 partitions by dossier id, tallies each, writes the bytes to a Parquet file
//! of Spark's shape in a temporary folder, and reads that file back.

use arrow::array::{Array, ArrayRef, BinaryArray, Float64Array, Int64Array, LargeBinaryArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use chiso::pipeline::{run as score_records, run_tally, Records};
use chiso::{Dossier, Period, PortableTally, Profile, Tally, TallyContext, WeekdaysOnly};
use chiso_io::sample::{generate, Sample, SampleSpec};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Error = Box<dyn std::error::Error>;

/// The column `chiso.spark.partial_tallies` writes each partition's tally to.
const TALLY_COLUMN: &str = "tally";

/// The tallies in a file: every row of the `tally` column of a Parquet file, or the whole file
/// as one tally.
fn read_tallies(path: &Path) -> Result<Vec<PortableTally>, Error> {
    let bytes = std::fs::read(path)?;
    if !bytes.starts_with(b"PAR1") {
        return Ok(vec![PortableTally::from_bytes(&bytes)?]);
    }
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path)?)?.build()?;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch?;
        let col = batch
            .column_by_name(TALLY_COLUMN)
            .ok_or_else(|| format!("{}: no column {TALLY_COLUMN:?}", path.display()))?;
        let rows: Vec<Option<&[u8]>> = if let Some(a) = col.as_any().downcast_ref::<BinaryArray>() {
            a.iter().collect()
        } else if let Some(a) = col.as_any().downcast_ref::<LargeBinaryArray>() {
            a.iter().collect()
        } else {
            return Err(
                format!("{}: column {TALLY_COLUMN:?} is not binary", path.display()).into(),
            );
        };
        for b in rows.into_iter().flatten() {
            out.push(PortableTally::from_bytes(b)?);
        }
    }
    Ok(out)
}

/// The context every partition's tally carries, as `chiso.spark` writes it (keys period and
/// as_of are what scoring reads back).
fn context(period: &Period, as_of: chrono::NaiveDateTime) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("period".to_string(), period.to_string()),
        (
            "as_of".to_string(),
            as_of.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ),
        ("calendar".to_string(), "weekdays".to_string()),
        ("profile".to_string(), "portal-2026".to_string()),
    ])
}

/// What the Spark job would have written: one tally per partition of the sample's dossiers
/// (split by dossier id, so a dossier's records stay together), as a Parquet file with Spark's
/// columns `tally`, `rows`, `seconds`.
fn spark_output(
    sample: &Sample,
    period: &Period,
    as_of: chrono::NaiveDateTime,
    dir: &Path,
) -> Result<PathBuf, Error> {
    let profile = Profile::builtin("portal-2026")?;
    let ctx = TallyContext::new(
        period.clone(),
        as_of,
        profile.options,
        profile.limits,
        &WeekdaysOnly,
        &sample.procedures,
    );
    let mut partitions: Vec<Vec<Dossier>> = vec![Vec::new(); 4];
    for d in &sample.dossiers {
        let h = d
            .dossier_id
            .bytes()
            .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b.into()));
        partitions[h % 4].push(d.clone());
    }
    let (mut bytes, mut rows) = (Vec::new(), Vec::new());
    for part in &partitions {
        let (tally, accounting) = Tally::build(&ctx, part, &[]);
        let mut t = PortableTally::new(tally, accounting);
        t.context = context(period, as_of);
        bytes.push(t.to_bytes());
        rows.push(part.len() as i64);
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new(TALLY_COLUMN, DataType::Binary, false),
        Field::new("rows", DataType::Int64, false),
        Field::new("seconds", DataType::Float64, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(BinaryArray::from_iter_values(bytes.iter())),
        Arc::new(Int64Array::from(rows)),
        Arc::new(Float64Array::from(vec![0.0; partitions.len()])),
    ];
    let path = dir.join("partial_tallies.parquet");
    let mut w = ArrowWriter::try_new(std::fs::File::create(&path)?, schema.clone(), None)?;
    w.write(&RecordBatch::try_new(schema, columns)?)?;
    w.close()?;
    Ok(path)
}

/// Merges the tallies of `files` (or of a generated Spark output) and scores them; returns the
/// root total, and with generated data also the total of scoring the records in one go.
pub fn run(files: Vec<PathBuf>) -> Result<(f64, Option<f64>), Error> {
    let spec = SampleSpec {
        dossiers: 3_000,
        ..SampleSpec::district(766)
    };
    let sample = generate(&spec);
    let period: Period = format!("{}", spec.year).parse()?;
    let tmp = tempfile::tempdir()?;
    let generated = files.is_empty();
    let files = if generated {
        vec![spark_output(&sample, &period, spec.as_of, tmp.path())?]
    } else {
        files
    };

    let mut tallies = Vec::new();
    for f in &files {
        tallies.extend(read_tallies(f)?);
    }
    let mut merged = tallies.first().cloned().ok_or("no tallies in the files")?;
    for t in &tallies[1..] {
        merged.merge(t)?;
    }
    println!(
        "{} tallies from {} file(s): {} dossiers scored, {} excluded, {} rejected",
        tallies.len(),
        files.len(),
        merged.accounting.scored,
        merged.accounting.excluded_total(),
        merged.rejects.len()
    );

    // The tally says which period and moment it was made for; the rest is the caller's.
    let period: Period = merged
        .context
        .get("period")
        .ok_or("the tally names no period")?
        .parse()?;
    let as_of = chiso::period::parse_moment(
        merged
            .context
            .get("as_of")
            .ok_or("the tally names no as_of")?,
    )?;
    let profile = Profile::builtin("portal-2026")?;
    // Units and procedures are small tables the driver holds (here: the sample's; with your own
    // files, read them with chiso_io::read::rows). Without units the tree is inferred from codes.
    let (units, procedures) = if generated {
        (Some(sample.units.as_slice()), sample.procedures.as_slice())
    } else {
        (None, &[][..])
    };
    // The calendar of scoring matters only to the catalogue indicators (1.1, 1.2) and
    // petitions; with Spark's tallies (context "calendar": "vietnam") pass
    // chiso_calendar::Calendar::vietnam() instead of WeekdaysOnly.
    let r = run_tally(
        merged.tally,
        merged.accounting,
        procedures,
        units,
        &[],
        period.clone(),
        as_of,
        &profile,
        profile.options,
        &WeekdaysOnly,
    )?;
    for u in r.scorecard.units.iter().take(5) {
        println!(
            "{:<14} {:<40} {:>6.2} / {:.0}",
            u.unit, u.name, u.total, u.max
        );
    }
    let root = r.scorecard.units.first().map_or(0.0, |u| u.total);

    // Scoring the partitions' tallies equals scoring all the records at once.
    let whole = if generated {
        let records = Records {
            dossiers: &sample.dossiers,
            procedures: &sample.procedures,
            units: Some(&sample.units),
            petitions: &[],
        };
        let w = score_records(
            &records,
            period,
            as_of,
            &profile,
            profile.options,
            &WeekdaysOnly,
        )?;
        let total = w.scorecard.units.first().map_or(0.0, |u| u.total);
        println!("merged root {root:.2}; all records at once {total:.2}");
        Some(total)
    } else {
        None
    };
    Ok((root, whole))
}

fn main() -> Result<(), Error> {
    let files: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (merged, whole) = run(files)?;
    if let Some(whole) = whole.filter(|w| (w - merged).abs() > 1e-9) {
        return Err(format!("merged tallies score {merged}, the records {whole}").into());
    }
    Ok(())
}
