//! The CSV fast path gives exactly the row path's tally and accounting (whatever the block size
//! and thread count), and steps aside whenever the ordinary reader would reject a row or read the
//! file differently.
#![allow(clippy::unwrap_used)]

use chiso::{Accounting, Limits, Options, Tally, TallyContext, WeekdaysOnly};
use chiso_io::read::columns::ColumnMap;
use chiso_io::read::fast::csv_blocks::{tally_file_with, BLOCK};
use chiso_io::read::fast::NotFast;
use chiso_io::read::rows::read_dossiers;
use chiso_io::sample::{generate, Sample, SampleSpec};
use chiso_io::write::tables::{dossiers_batch, write_batch, OutputFormat};
use chrono::{Duration, NaiveDateTime};
use std::path::{Path, PathBuf};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("chiso-csv-fast-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sample(n: usize, process_log: bool) -> Sample {
    let mut spec = SampleSpec::district(33);
    spec.dossiers = n;
    spec.process_log = process_log;
    generate(&spec)
}

fn ctx<'a>(s: &'a Sample, options: Options) -> TallyContext<'a> {
    TallyContext::new(
        "2026".parse().unwrap(),
        SampleSpec::district(33).as_of,
        options,
        Limits::default(),
        &WeekdaysOnly,
        &s.procedures,
    )
}

/// The row path: the ordinary reader, then the record tally. `None` when it rejected rows.
fn row_path(path: &Path, ctx: &TallyContext<'_>) -> Option<(Tally, Accounting, usize)> {
    let r = read_dossiers(path, &ColumnMap::new()).unwrap();
    if !r.rejects.is_empty() || !r.superseded.is_empty() {
        return None;
    }
    let (t, a) = Tally::build(ctx, &r.rows, &[]);
    Some((t, a, r.rows.len()))
}

fn fast(
    path: &Path,
    ctx: &TallyContext<'_>,
    block: usize,
    threads: usize,
) -> Result<(Tally, Accounting, usize), NotFast> {
    tally_file_with(path, &ColumnMap::new(), ctx, threads, block, &mut |_| {}).unwrap()
}

/// Every block size and thread count gives the row path's result.
fn assert_same(path: &Path, ctx: &TallyContext<'_>) {
    let want = row_path(path, ctx).expect("the row path reads every row");
    for block in [BLOCK, 4096, 97, 7] {
        for threads in [1, 2, 3] {
            let got = fast(path, ctx, block, threads)
                .unwrap_or_else(|why| panic!("block {block}, {threads} threads: {why:?}"));
            assert_eq!(got.2, want.2, "rows, block {block}, {threads} threads");
            assert_eq!(
                got.1, want.1,
                "accounting, block {block}, {threads} threads"
            );
            assert!(got.0 == want.0, "tally, block {block}, {threads} threads");
        }
    }
}

/// Steps aside, and the ordinary reader either rejects rows or reads them differently.
fn assert_steps_aside(path: &Path, ctx: &TallyContext<'_>, why: &str) {
    for block in [BLOCK, 13] {
        for threads in [1, 2] {
            match fast(path, ctx, block, threads) {
                Ok(_) => panic!("{}: expected to step aside ({why})", path.display()),
                Err(NotFast(m)) => assert!(m.contains(why), "{m:?} does not say {why:?}"),
            }
        }
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn generated_sample_equals_row_path() {
    let mut s = sample(3000, true);
    // Every shape the writer can produce: codes with white space, missing values, every
    // status and channel, open and completed supplements, payments, flags.
    for (i, d) in s.dossiers.iter_mut().enumerate() {
        match i % 23 {
            0 => d.unit_code = format!(" {} ", d.unit_code),
            1 => d.procedure_code = d.procedure_code.replace('.', ". "),
            2 => d.due_at = None,
            3 => d.status = None,
            4 => d.received_at = None,
            5 => d.channel = chiso::Channel::Postal,
            6 => d.status = Some(chiso::Status::try_from((i % 10) as u8 + 1).unwrap()),
            7 => {
                let r = d.received_at.unwrap_or(at("2026-03-02 08:00:00"));
                d.supplements = vec![
                    chiso::model::Wait {
                        requested_at: r + Duration::hours(5),
                        completed_at: Some(r + Duration::hours(30)),
                    },
                    chiso::model::Wait {
                        requested_at: r + Duration::hours(50),
                        completed_at: None,
                    },
                ];
            }
            8 => d.paid_online = chiso::model::PaymentGateway::Local,
            9 => d.fee_total = 12_345.5,
            10 => d.rescheduled_due_at = d.due_at.map(|t| t + Duration::days(3)),
            11 => {
                d.unsatisfied = true;
                d.has_petition = true;
                d.not_synced = true;
                d.personal_store = true;
                d.population_data = true;
                d.reused_data = true;
            }
            12 => d.finished_at = None,
            _ => {}
        }
    }
    let path = dir("sample").join("d.csv");
    write_batch(
        &path,
        &dossiers_batch(&s.dossiers).unwrap(),
        OutputFormat::Csv,
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"\"requested_at\"\""),
        "supplements are quoted JSON"
    );
    assert!(
        text.contains("\"\"step\"\""),
        "process logs are quoted JSON"
    );
    let c = ctx(&s, Options::default());
    assert_same(&path, &c);
    // The same data through every option that changes the verdicts.
    let o = Options {
        carry_over_open: true,
        ..Options::default()
    };
    assert_same(&path, &ctx(&s, o));
}

#[test]
fn hand_written_export_equals_row_path() {
    let s = sample(10, false);
    let p = &s.procedures[0].procedure_code;
    let q = &s.procedures[1].procedure_code;
    // A title row and a blank line before the header, Vietnamese headers, a BOM, CRLF line
    // ends, an unknown column with quoted commas, line feeds and doubled quotes, dd/MM/yyyy
    // times, bare due dates (end of day), grouped fees, status names, yes/no words, an
    // electronic result given as code + link, components, blank rows, a short row.
    let csv = format!(
        "\u{feff}BÁO CÁO HỒ SƠ,,\r\n\r\n\
         Mã hồ sơ,Mã đơn vị,Mã TTHC,Kênh thực hiện,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Ngày trả,Trạng thái,Lệ phí,Thanh toán trực tuyến,Số hóa,MaKetQua,DuongDanTepTinKetQua,TaiLieuNop,Ghi chú,DanhSachHoSoBoSung\r\n\
         A-1,D52.TS.X01,{p},2,2026-03-02T08:00:00,2026-03-05,2026-03-04T10:00:00,,9,\"50.000\",1,Có,KQ1,http://x/1,,\"ghi chú, có dấu phẩy\",\r\n\
         A-2, D52.TS .X02 ,{q},trực tuyến,02/03/2026 08:30,05/03/2026,04/03/2026 17:00:00,05/03/2026 09:00,Đã trả,0,0,x,,,\"[{{\"\"DuocSoHoa\"\":\"\"1\"\"}}]\",\"dòng 1\ndòng \"\"2\"\"\",\r\n\
         ,,,,,,,,,,,,,,,,\r\n\
         A-3,D52.TS.P01,{p},1,2026-03-02 09:15,2026-03-20 17:00,,,4,1.234.567 đ,2,không,,,,,\"[{{\"\"requested_at\"\":\"\"2026-03-03T08:00:00\"\",\"\"completed_at\"\":\"\"2026-03-04T08:00:00\"\"}}]\"\r\n\
         \r\n\
         A-4,D52.TS.P01,{q}\r\n\
         A-5,D52.TS.X01,{p},,2026-01-05T08:00,2026-01-06T08:00,2026-01-07T08:00,,,  ,,TRUE,,,,\"\",\r\n\
         A-6,D52.TS.X02,{q},1,2026-03-02T08:00,06/03/2026,2026-03-06 23:59:59,,9,,,,,,,,\r\n"
    );
    let path = dir("hand").join("d.csv");
    std::fs::write(&path, csv).unwrap();
    let c = ctx(&s, Options::default());
    let want = row_path(&path, &c).unwrap();
    assert_eq!(want.2, 6);
    // A-6 ends at the last second of its bare due date: on time only if that date means
    // 23:59:59.
    assert_eq!(want.1.scored, 5, "{:?}", want.1);
    assert_same(&path, &c);
    // Semicolons and a .tsv file: the delimiter the ordinary reader would pick.
    let semi = format!(
        "dossier_id;unit_code;procedure_code;received_at;due_at;status;fee_total\n\
         B-1;D52.TS.X01;{p};2026-04-01T08:00;2026-04-03;2;\"12,5\"\n\
         B-2;D52.TS.X02;{q};2026-04-01T09:00:30;2026-04-02T09:00;10;7\n"
    );
    let path = dir("semi").join("d.csv");
    std::fs::write(&path, &semi).unwrap();
    assert_same(&path, &c);
    let path = dir("tab").join("d.tsv");
    std::fs::write(&path, semi.replace(';', "\t")).unwrap();
    assert_same(&path, &c);
}

#[test]
fn steps_aside_where_the_row_path_is_needed() {
    // No process logs: plain rows without quotes, over the 64 KiB the encoding is sniffed from.
    let s = sample(400, false);
    let c = ctx(&s, Options::default());
    let base = dir("aside");
    let good = base.join("good.csv");
    write_batch(
        &good,
        &dossiers_batch(&s.dossiers).unwrap(),
        OutputFormat::Csv,
    )
    .unwrap();
    let text = std::fs::read_to_string(&good).unwrap();
    assert!(text.len() > 1 << 16);
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let write = |name: &str, lines: &[String]| {
        let p = base.join(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p
    };
    // The unchanged file is fast (so the cases below fail for their own reason).
    assert_same(&good, &c);
    let cell = |line: &str, col: usize, value: &str| {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[col] = value.to_string();
        cells.join(",")
    };
    let row = 150; // a plain row (no quoted JSON) deep in the file
    assert!(!lines[row].contains('"'));
    // Rows the ordinary reader rejects: it must report them.
    for (name, col, value, why) in [
        (
            "bad-date.csv",
            5,
            "2026-02-30T08:00:00",
            "time the ordinary reader rejects",
        ),
        (
            "bad-date-text.csv",
            6,
            "soon",
            "time the ordinary reader rejects",
        ),
        ("negative-fee.csv", 13, "-50000", "negative fee"),
        (
            "bad-fee.csv",
            13,
            "fifty",
            "fee the ordinary reader rejects",
        ),
        (
            "bad-status.csv",
            10,
            "11",
            "code the ordinary reader rejects",
        ),
        ("bad-flag.csv", 16, "maybe", "yes/no"),
        ("no-id.csv", 0, " ", "without a dossier id"),
        (
            "sub-ms.csv",
            8,
            "2026-05-01T08:00:00.0005",
            "finer than a millisecond",
        ),
    ] {
        let mut l = lines.clone();
        l[row] = cell(&l[row], col, value);
        let p = write(name, &l);
        assert!(row_path(&p, &c).is_none() || name == "sub-ms.csv", "{name}");
        assert_steps_aside(&p, &c, why);
    }
    // A process log no reader can read rejects nothing (DATA-MODEL.md §1): the fast path passes
    // over its bytes (quoted, with doubled quotes, delimiters and line feeds inside) and counts
    // the row as the row path does.
    for (name, value) in [
        ("bad-steps.csv", "[1]"),
        ("bad-steps-json.csv", "\"{not json, \"\"at all\"\"\n\""),
        (
            "bad-steps-date.csv",
            "\"[{\"\"started_at\"\":\"\"yesterday\"\"}]\"",
        ),
    ] {
        let mut l = lines.clone();
        l[row] = cell(&l[row], 22, value);
        let p = write(name, &l);
        assert!(
            row_path(&p, &c).is_some(),
            "{name}: the row path rejects nothing"
        );
        assert_same(&p, &c);
    }
    // Quotes the fast splitter does not read like the CSV parser: inside a field, after a
    // closing quote, a lone carriage return.
    for (name, col, value, why) in [
        ("mid-quote.csv", 1, "D52\"TS", "quote inside a field"),
        ("after-quote.csv", 1, "\"D52\"TS", "after a closing quote"),
        ("lone-cr.csv", 1, "D52\rTS", "lone carriage return"),
    ] {
        let mut l = lines.clone();
        l[row] = cell(&l[row], col, value);
        assert_steps_aside(&write(name, &l), &c, why);
    }
    // Duplicate ids: "latest sync wins" needs the ordinary reader, within and across blocks.
    let mut l = lines.clone();
    l.push(lines[3].clone());
    assert_steps_aside(&write("dup.csv", &l), &c, "duplicate dossier ids");
    // Fee waits when they stop the clock (the columns cannot carry them).
    let mut l = lines.clone();
    l[row] = cell(&l[row], 12, "2026-05-01T08:00:00..2026-05-02T08:00:00");
    let p = write("fee-waits.csv", &l);
    assert!(fast(&p, &c, BLOCK, 1).is_ok(), "fee waits alone are fine");
    let o = Options {
        fee_wait_stops_clock: true,
        ..Options::default()
    };
    assert_steps_aside(&p, &ctx(&s, o), "fee waits");
    // Bytes that are not UTF-8 after the sniffed start (the ordinary reader replaces them),
    // and a file in another encoding.
    let p = base.join("not-utf8.csv");
    let mut bytes = text.clone().into_bytes();
    bytes.extend_from_slice(b"X-1,D52.TS.X\xe3,1.001000,1,,,,,,,1,,,0,0,,,,,,,,,\n");
    std::fs::write(&p, &bytes).unwrap();
    assert_steps_aside(&p, &c, "not UTF-8");
    let p = base.join("cp1258.csv");
    let mut bytes = b"dossier_id,unit_code\nM\xe3,X\n".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(&p, &bytes).unwrap();
    assert_steps_aside(&p, &c, "windows-1258");
    // Other formats are not for this path.
    assert_steps_aside(&base.join("d.parquet"), &c, "not a CSV file");
}

#[test]
fn extra_columns_and_missing_optional_ones_stay_fast() {
    let s = sample(500, true);
    let c = ctx(&s, Options::default());
    let path = dir("extra").join("d.csv");
    write_batch(
        &path,
        &dossiers_batch(&s.dossiers).unwrap(),
        OutputFormat::Csv,
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    // An unknown column at the end, and only the first three of the known ones kept.
    let extra: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},Ghi chú nội bộ")
            } else {
                format!("{l},\"a, b\"")
            }
        })
        .collect();
    std::fs::write(&path, extra.join("\n")).unwrap();
    assert_same(&path, &c);
    let short: Vec<String> = text
        .lines()
        .map(|l| l.splitn(4, ',').take(3).collect::<Vec<_>>().join(","))
        .collect();
    std::fs::write(&path, short.join("\r\n") + "\r\n").unwrap();
    assert_same(&path, &c);
}
