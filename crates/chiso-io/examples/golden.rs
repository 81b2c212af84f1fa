//! Writes the golden input files of `tests/golden/` from one table, in every input format:
//! CSV (UTF-8 with BOM, `;`, Vietnamese headers with diacritics, an unknown column), Excel
//! "Unicode text" (UTF-16LE, tabs, headers without diacritics), XLSX (a title row above the
//! headers, date cells, Excel serial numbers), JSON and JSON Lines in the portal sync shape, Arrow
//! IPC and Parquet (typed columns: dictionary, timestamps with and without zone, lists of structs).
//!
//! `cargo run -p chiso-io --example golden -- tests/golden`
//!
//! The dirty rows (a date that does not exist, a status out of range, no id, a duplicate id
//! synced twice, a dossier not received, one outside the period) are the same in every file.

use arrow::array::{
    ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int8Array, LargeStringArray,
    ListBuilder, StringArray, StringViewArray, StructBuilder, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampSecondBuilder,
};
use arrow::datatypes::{DataType, Field, Int16Type, Schema, TimeUnit};
use arrow::record_batch::RecordBatch;
use chiso_io::read::cell::Cell;
use chiso_io::write::tables::{write_batch, OutputFormat};
use chrono::NaiveDateTime;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

/// One dossier as an export shows it (text).
struct Row {
    id: &'static str,
    unit: &'static str,
    procedure: &'static str,
    channel: &'static str,
    submitted: &'static str,
    received: &'static str,
    due: &'static str,
    finished: &'static str,
    returned: &'static str,
    status: &'static str,
    supplements: &'static str,
    fee: &'static str,
    paid: &'static str,
    e_result: &'static str,
    digitised: &'static str,
    synced: &'static str,
}

const ROWS: &[Row] = &[
    Row {
        id: "HS-0001",
        unit: "H44.07.1",
        procedure: "1.001",
        channel: "2",
        submitted: "31/08/2026 20:15",
        received: "01/09/2026 08:00",
        due: "22/09/2026 17:00",
        finished: "23/09/2026 10:00",
        returned: "",
        status: "9",
        supplements: "",
        fee: "50.000",
        paid: "1",
        e_result: "có",
        digitised: "x",
        synced: "21/09/2026 08:00",
    },
    Row {
        id: "HS-0002",
        unit: " H44.100 ",
        procedure: "1.002",
        channel: "1",
        submitted: "",
        received: "46267.375",
        due: "46270",
        finished: "46271.5",
        returned: "46272.4",
        status: "10",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "không",
        digitised: "",
        synced: "2026-09-26T08:00:00",
    },
    Row {
        id: "HS-0003",
        unit: "H44.100",
        procedure: "1.002",
        channel: "",
        submitted: "",
        received: "2026-09-03T08:00:00+07:00",
        due: "05/09/2026",
        finished: "",
        returned: "",
        status: "4",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "",
    },
    Row {
        id: "HS-0004",
        unit: "H44.101",
        procedure: "2.001",
        channel: "1",
        submitted: "",
        received: "03/09/2026 09:30:00",
        due: "",
        finished: "10/09/2026 16:00",
        returned: "",
        status: "9",
        supplements: "04/09/2026 08:00..07/09/2026 08:00",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "",
    },
    Row {
        id: "HS-0005",
        unit: "H44.101",
        procedure: "2.001",
        channel: "2",
        submitted: "02/09/2026 10:00",
        received: "",
        due: "",
        finished: "",
        returned: "",
        status: "1",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "",
    },
    Row {
        id: "HS-0006",
        unit: "H44.101",
        procedure: "2.001",
        channel: "1",
        submitted: "",
        received: "15/06/2026 08:00",
        due: "20/06/2026",
        finished: "18/06/2026 08:00",
        returned: "",
        status: "9",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "",
    },
    Row {
        id: "HS-0007",
        unit: "H44.07.1",
        procedure: "1.001",
        channel: "2",
        submitted: "",
        received: "31/09/2026 08:00",
        due: "",
        finished: "",
        returned: "",
        status: "2",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "",
    },
    Row {
        id: "HS-0008",
        unit: "H44.100",
        procedure: "1.002",
        channel: "1",
        submitted: "",
        received: "04/09/2026 08:00",
        due: "08/09/2026",
        finished: "",
        returned: "",
        status: "12",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "",
    },
    Row {
        id: "",
        unit: "H44.100",
        procedure: "1.002",
        channel: "1",
        submitted: "",
        received: "04/09/2026 08:00",
        due: "08/09/2026",
        finished: "",
        returned: "",
        status: "4",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "",
    },
    Row {
        id: "HS-0001",
        unit: "H44.07.1",
        procedure: "1.001",
        channel: "2",
        submitted: "31/08/2026 20:15",
        received: "01/09/2026 08:00",
        due: "22/09/2026 17:00",
        finished: "20/09/2026 10:00",
        returned: "21/09/2026 09:00",
        status: "10",
        supplements: "",
        fee: "50.000",
        paid: "1",
        e_result: "có",
        digitised: "x",
        synced: "25/09/2026 08:00",
    },
    Row {
        id: "HS-0002",
        unit: "H44.100",
        procedure: "1.002",
        channel: "1",
        submitted: "",
        received: "46267.375",
        due: "46270",
        finished: "46269.5",
        returned: "",
        status: "9",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "",
        digitised: "",
        synced: "2026-09-20T08:00:00",
    },
    Row {
        id: "HS-0009",
        unit: "H44.100",
        procedure: "1.002",
        channel: "3",
        submitted: "",
        received: "10/09/2026 14:30:00",
        due: "15/09/2026",
        finished: "11/09/2026 09:00",
        returned: "",
        status: "9",
        supplements: "",
        fee: "20.000",
        paid: "0",
        e_result: "",
        digitised: "x",
        synced: "",
    },
    Row {
        id: "HS-0010",
        unit: "H44.07.1",
        procedure: "1.001",
        channel: "2",
        submitted: "",
        received: "12/09/2026 10:00",
        due: "03/10/2026 17:00",
        finished: "",
        returned: "",
        status: "5",
        supplements: "15/09/2026 08:00..",
        fee: "50.000",
        paid: "2",
        e_result: "",
        digitised: "x",
        synced: "",
    },
    Row {
        id: "HS-0011",
        unit: "H44.101",
        procedure: "2.001",
        channel: "2",
        submitted: "",
        received: "2026-09-14T01:00:00Z",
        due: "2026-09-21",
        finished: "2026-09-18T15:00:00",
        returned: "",
        status: "9",
        supplements: "",
        fee: "",
        paid: "",
        e_result: "có",
        digitised: "",
        synced: "",
    },
];

const CSV_HEADERS: &[&str] = &[
    "Mã hồ sơ",
    "Mã đơn vị",
    "Mã TTHC",
    "Kênh thực hiện",
    "Ngày nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "Ngày trả",
    "Trạng thái",
    "Bổ sung hồ sơ",
    "Lệ phí",
    "Thanh toán trực tuyến",
    "Kết quả điện tử",
    "Số hóa",
    "Ngày đồng bộ",
    "Ghi chú",
];

const PLAIN_HEADERS: &[&str] = &[
    "Ma ho so",
    "Ma don vi",
    "Ma TTHC",
    "Kenh thuc hien",
    "Ngay nop",
    "Ngay tiep nhan",
    "Ngay hen tra",
    "Ngay ket thuc xu ly",
    "Ngay tra",
    "Trang thai",
    "Bo sung ho so",
    "Le phi",
    "Thanh toan truc tuyen",
    "Ket qua dien tu",
    "So hoa",
    "Ngay dong bo",
];

fn cells(r: &Row) -> Vec<&'static str> {
    vec![
        r.id,
        r.unit,
        r.procedure,
        r.channel,
        r.submitted,
        r.received,
        r.due,
        r.finished,
        r.returned,
        r.status,
        r.supplements,
        r.fee,
        r.paid,
        r.e_result,
        r.digitised,
        r.synced,
    ]
}

fn t(s: &str) -> Option<NaiveDateTime> {
    Cell::Str(s).datetime(false).ok().flatten()
}

fn csv_text(headers: &[&str], sep: char, note: bool) -> String {
    let quote = |s: &str| {
        if s.contains(sep) || s.contains('"') {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = headers
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(&sep.to_string());
    out.push_str("\r\n");
    for (k, r) in ROWS.iter().enumerate() {
        let mut c: Vec<String> = cells(r).iter().map(|s| quote(s)).collect();
        if note {
            c.push(quote(if k == 1 {
                "ghi chú; có dấu \"ngoặc\""
            } else {
                ""
            }));
        }
        out.push_str(&c.join(&sep.to_string()));
        out.push_str("\r\n");
    }
    out
}

fn num(s: &str) -> Value {
    match s.trim().parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) if s.trim().is_empty() => Value::Null,
        Err(_) => json!(s),
    }
}

fn sync_json(r: &Row) -> Value {
    let waits: Vec<Value> = r
        .supplements
        .split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|w| {
            let (a, b) = w.split_once("..").unwrap_or((w, ""));
            let mut o = json!({"NgayYeuCauBoSung": a.trim()});
            if !b.trim().is_empty() {
                o["NgayHoanThanhBoSung"] = json!(b.trim());
            }
            o
        })
        .collect();
    let fee = chiso_io::read::cell::parse_number(r.fee).unwrap_or(0.0);
    let o = json!({
        "MaHoSo": r.id,
        "MaDonViTiepNhan": r.unit,
        "MaTTHC": r.procedure,
        "KenhThucHien": num(r.channel),
        "NgayNopHoSo": r.submitted,
        "NgayTiepNhan": r.received,
        "NgayHenTra": r.due,
        "NgayKetThucXuLy": r.finished,
        "NgayTra": r.returned,
        "TrangThaiHoSo": num(r.status),
        "DanhSachHoSoBoSung": waits,
        "DanhSachLePhi": if fee > 0.0 { json!([{"TenPhiLePhi": "Lệ phí", "SoTien": fee}]) } else { json!([]) },
        "DuocThanhToanTrucTuyen": num(r.paid),
        "DanhSachGiayToKetQua": if r.e_result == "có" {
            json!([{"MaKetQua": format!("KQ-{}", r.id), "DuongDanTepTinKetQua": format!("https://example.invalid/kq/{}.pdf", r.id)}])
        } else { json!([]) },
        "TaiLieuNop": if r.digitised == "x" {
            json!([{"TenTaiLieu": "Đơn đề nghị", "DuongDanTepTinDinhKem": "https://example.invalid/f.pdf", "DuocSoHoa": 0}])
        } else { json!([{"TenTaiLieu": "Đơn đề nghị", "DuocSoHoa": 0}]) },
        "NgayDongBo": r.synced,
    });
    o
}

fn arrow_batch() -> RecordBatch {
    let n = ROWS.len();
    let ids: ArrayRef = Arc::new(StringArray::from(
        ROWS.iter()
            .map(|r| (!r.id.is_empty()).then_some(r.id))
            .collect::<Vec<_>>(),
    ));
    let units: ArrayRef = Arc::new(
        ROWS.iter()
            .map(|r| Some(r.unit))
            .collect::<DictionaryArray<Int16Type>>(),
    );
    let procs: ArrayRef = Arc::new(LargeStringArray::from(
        ROWS.iter().map(|r| r.procedure).collect::<Vec<_>>(),
    ));
    let channel: ArrayRef = Arc::new(Int8Array::from(
        ROWS.iter()
            .map(|r| r.channel.parse::<i8>().ok())
            .collect::<Vec<_>>(),
    ));
    let mut submitted = TimestampSecondBuilder::with_capacity(n);
    for r in ROWS {
        submitted.append_option(t(r.submitted).map(|x| x.and_utc().timestamp()));
    }
    let submitted: ArrayRef = Arc::new(submitted.finish());
    let received: ArrayRef = Arc::new(StringViewArray::from(
        ROWS.iter().map(|r| r.received).collect::<Vec<_>>(),
    ));
    let due: ArrayRef = Arc::new(StringArray::from(
        ROWS.iter().map(|r| r.due).collect::<Vec<_>>(),
    ));
    // An instant column: Vietnam time converted to UTC, zone "UTC".
    let finished: ArrayRef = Arc::new(
        TimestampMillisecondArray::from(
            ROWS.iter()
                .map(|r| {
                    t(r.finished).map(|x| {
                        (x - chrono::Duration::hours(7))
                            .and_utc()
                            .timestamp_millis()
                    })
                })
                .collect::<Vec<_>>(),
        )
        .with_timezone("UTC"),
    );
    let returned: ArrayRef = Arc::new(StringArray::from(
        ROWS.iter().map(|r| r.returned).collect::<Vec<_>>(),
    ));
    let status: ArrayRef = Arc::new(Int8Array::from(
        ROWS.iter()
            .map(|r| r.status.parse::<i8>().ok())
            .collect::<Vec<_>>(),
    ));
    let wait_fields = vec![
        Field::new(
            "requested_at",
            DataType::Timestamp(TimeUnit::Second, None),
            true,
        ),
        Field::new(
            "completed_at",
            DataType::Timestamp(TimeUnit::Second, None),
            true,
        ),
    ];
    let mut sup = ListBuilder::new(StructBuilder::from_fields(wait_fields, 2));
    for r in ROWS {
        for w in r.supplements.split(';').filter(|s| !s.trim().is_empty()) {
            let (a, b) = w.split_once("..").unwrap_or((w, ""));
            let s = sup.values();
            if let Some(f) = s.field_builder::<TimestampSecondBuilder>(0) {
                f.append_option(t(a).map(|x| x.and_utc().timestamp()));
            }
            if let Some(f) = s.field_builder::<TimestampSecondBuilder>(1) {
                f.append_option(t(b).map(|x| x.and_utc().timestamp()));
            }
            s.append(true);
        }
        sup.append(true);
    }
    let supplements: ArrayRef = Arc::new(sup.finish());
    let fee: ArrayRef = Arc::new(Float64Array::from(
        ROWS.iter()
            .map(|r| chiso_io::read::cell::parse_number(r.fee))
            .collect::<Vec<_>>(),
    ));
    let paid: ArrayRef = Arc::new(Int8Array::from(
        ROWS.iter()
            .map(|r| r.paid.parse::<i8>().ok())
            .collect::<Vec<_>>(),
    ));
    let e_result: ArrayRef = Arc::new(BooleanArray::from(
        ROWS.iter().map(|r| r.e_result == "có").collect::<Vec<_>>(),
    ));
    let digitised: ArrayRef = Arc::new(BooleanArray::from(
        ROWS.iter().map(|r| r.digitised == "x").collect::<Vec<_>>(),
    ));
    let synced: ArrayRef = Arc::new(
        TimestampMicrosecondArray::from(
            ROWS.iter()
                .map(|r| {
                    t(r.synced).map(|x| {
                        (x - chrono::Duration::hours(7))
                            .and_utc()
                            .timestamp_micros()
                    })
                })
                .collect::<Vec<_>>(),
        )
        .with_timezone("Asia/Ho_Chi_Minh"),
    );
    let cols: Vec<(&str, ArrayRef)> = vec![
        ("MaHoSo", ids),
        ("Mã đơn vị", units),
        ("MaTTHC", procs),
        ("KenhThucHien", channel),
        ("submitted_at", submitted),
        ("Ngày tiếp nhận", received),
        ("NgayHenTra", due),
        ("NgayKetThucXuLy", finished),
        ("returned_at", returned),
        ("TrangThaiHoSo", status),
        ("DanhSachHoSoBoSung", supplements),
        ("fee_total", fee),
        ("DuocThanhToanTrucTuyen", paid),
        ("e_result", e_result),
        ("digitised", digitised),
        ("NgayDongBo", synced),
    ];
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        cols.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn xlsx(path: &Path) -> Result<(), rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("Hồ sơ")?;
    s.write_string(
        0,
        0,
        "Danh sách hồ sơ quý 3/2026 — UBND huyện (xuất từ hệ thống một cửa)",
    )?;
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (c, h) in CSV_HEADERS.iter().take(16).enumerate() {
        s.write_string(1, c as u16, *h)?;
    }
    for (k, r) in ROWS.iter().enumerate() {
        let row = k as u32 + 2;
        for (c, v) in cells(r).iter().enumerate() {
            let c = c as u16;
            if v.is_empty() {
                continue;
            }
            // Receipt and finish times as real date cells where the text is a plain date-time;
            // Excel serials as numbers; the rest as text.
            let as_serial = v.parse::<f64>().ok().filter(|x| *x > 40000.0);
            let as_date = (c == 5 || c == 7)
                .then(|| t(v))
                .flatten()
                .filter(|_| !v.contains('T') && !v.starts_with("31/09"));
            if let Some(x) = as_serial {
                s.write_number(row, c, x)?;
            } else if let Some(d) = as_date {
                let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|b| b.and_hms_opt(0, 0, 0))
                    .unwrap_or_default();
                let serial = (d - base).num_seconds() as f64 / 86_400.0;
                s.write_number_with_format(row, c, serial, &date_fmt)?;
            } else if c == 9 {
                s.write_number(row, c, v.parse::<f64>().unwrap_or(0.0))?;
            } else {
                s.write_string(row, c, *v)?;
            }
        }
    }
    book.save(path)
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/golden".into());
    let dir = Path::new(&dir).join("input");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let w = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    // CSV: UTF-8 with BOM, semicolons, Vietnamese headers with diacritics.
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(csv_text(CSV_HEADERS, ';', true).as_bytes());
    w("dossiers.csv", &bom);
    // Excel "Unicode text": UTF-16LE with BOM, tabs, headers without diacritics.
    let mut u16 = vec![0xFF, 0xFE];
    for unit in csv_text(PLAIN_HEADERS, '\t', false).encode_utf16() {
        u16.extend_from_slice(&unit.to_le_bytes());
    }
    w("dossiers-unicode.txt", &u16);
    // JSON array and JSON Lines in the sync shape.
    let objs: Vec<Value> = ROWS.iter().map(sync_json).collect();
    w(
        "dossiers-sync.json",
        serde_json::to_string_pretty(&objs)
            .unwrap_or_default()
            .as_bytes(),
    );
    let lines: Vec<String> = objs.iter().map(|o| o.to_string()).collect();
    w("dossiers-sync.jsonl", (lines.join("\n") + "\n").as_bytes());
    // Excel workbook.
    xlsx(&dir.join("dossiers.xlsx")).unwrap_or_else(|e| panic!("{e}"));
    // Arrow IPC and Parquet.
    let b = arrow_batch();
    write_batch(&dir.join("dossiers.arrow"), &b, OutputFormat::Arrow)
        .unwrap_or_else(|e| panic!("{e}"));
    write_batch(&dir.join("dossiers.parquet"), &b, OutputFormat::Parquet)
        .unwrap_or_else(|e| panic!("{e}"));

    // Catalogue, units, petitions: Vietnamese CSV and canonical / sync JSON.
    w(
        "procedures.csv",
        "Mã thủ tục,Tên thủ tục,Lĩnh vực,Cấp thực hiện,Mức độ DVC,Thời hạn giải quyết,Có phí lệ phí,Kết quả giấy,Cho công dân,Công khai\r\n\
         1.001,Cấp giấy phép xây dựng,Xây dựng,Cấp huyện,Toàn trình,15 ngày làm việc,có,có,có,có\r\n\
         1.002,Chứng thực bản sao,Chứng thực,Cấp xã,Một phần,2 ngày làm việc,có,không,có,có\r\n\
         2.001,Đăng ký khai sinh,Hộ tịch,Cấp xã,toàn trình,3,không,có,có,có\r\n"
            .as_bytes(),
    );
    w(
        "procedures.jsonl",
        concat!(
            r#"{"MaTTHC":"1.001","TenTTHC":"Cấp giấy phép xây dựng","LinhVuc":"Xây dựng","CapThucHien":"district","MucDo":4,"ThoiHanGiaiQuyet":{"amount":15,"unit":"working_days"},"CoPhiLePhi":true,"CoKetQuaGiay":1,"DoiTuongCongDan":1,"CongKhai":1}"#, "\n",
            r#"{"MaTTHC":"1.002","TenTTHC":"Chứng thực bản sao","LinhVuc":"Chứng thực","CapThucHien":"commune","MucDo":3,"ThoiHanGiaiQuyet":"2 ngày làm việc","CoPhiLePhi":true,"CoKetQuaGiay":0,"DoiTuongCongDan":1,"CongKhai":1}"#, "\n",
            r#"{"MaTTHC":"2.001","TenTTHC":"Đăng ký khai sinh","LinhVuc":"Hộ tịch","CapThucHien":"Cấp xã","MucDo":"full","ThoiHanGiaiQuyet":3,"CoPhiLePhi":false,"CoKetQuaGiay":true,"DoiTuongCongDan":true,"CongKhai":true}"#, "\n",
        )
        .as_bytes(),
    );
    w(
        "units.csv",
        "Mã đơn vị;Tên đơn vị;Loại đơn vị;Mã đơn vị cha\r\n\
         H44.07;UBND huyện Tây Sơn;huyện;\r\n\
         H44.07.1;Phòng Quản lý đô thị;phòng;H44.07\r\n\
         H44.100;UBND xã Bình Tân;xã;H44.07\r\n\
         H44.101;UBND xã Tây Giang;xã;H44.07\r\n"
            .as_bytes(),
    );
    w(
        "units.json",
        serde_json::to_string_pretty(&json!([
            {"code": "H44.07", "name": "UBND huyện Tây Sơn", "kind": "district"},
            {"code": "H44.07.1", "name": "Phòng Quản lý đô thị", "kind": "department", "parent": "H44.07"},
            {"code": "H44.100", "name": "UBND xã Bình Tân", "kind": "commune", "parent": "H44.07"},
            {"code": "H44.101", "name": "UBND xã Tây Giang", "kind": "commune", "parent": "H44.07"}
        ]))
        .unwrap_or_default()
        .as_bytes(),
    );
    w(
        "petitions.csv",
        "Mã PAKN,Mã đơn vị,Ngày tiếp nhận,Ngày xử lý,Phân loại,Lượt thích,Lượt không thích\r\n\
         PA-1,H44.100,02/09/2026 09:00,10/09/2026 15:00,tthc,3,0\r\n\
         PA-2,H44.101,05/09/2026 09:00,,tthc,0,1\r\n\
         PA-3,H44.07.1,32/09/2026,,staff,0,0\r\n"
            .as_bytes(),
    );
    eprintln!("wrote golden inputs to {}", dir.display());
}
