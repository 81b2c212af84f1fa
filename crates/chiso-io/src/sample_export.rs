//! The sample as a provincial one-stop system exports it (`chiso generate --shape wide`): one
//! row per dossier with ~40 columns under Vietnamese spreadsheet headers — the fields scoring
//! reads, under names the readers know, and the many it does not (applicant, address, receipt
//! number, officials, notes, the process log), so that benchmarks and tests see data as it
//! really comes rather than only the columns chiso needs.

use crate::error::{IoError, Result};
use crate::sample::{Rng, Sample};
use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use arrow::array::{TimestampSecondArray, UInt32Array};
use arrow::datatypes::{Field, Schema};
use arrow::record_batch::RecordBatch;
use chiso::model::ProcessLog;
use chiso::{Dossier, Procedure, Unit};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The header of each scored field in the wide export (each one a reader alias of the field).
pub const SCORED_HEADERS: &[(&str, &str)] = &[
    ("dossier_id", "Mã hồ sơ"),
    ("unit_code", "Mã đơn vị tiếp nhận"),
    ("procedure_code", "Mã TTHC"),
    ("channel", "Kênh thực hiện"),
    ("submitted_at", "Ngày nộp hồ sơ"),
    ("received_at", "Ngày tiếp nhận"),
    ("due_at", "Ngày hẹn trả"),
    ("rescheduled_due_at", "Ngày hẹn trả mới"),
    ("finished_at", "Ngày kết thúc xử lý"),
    ("returned_at", "Ngày trả kết quả"),
    ("status", "Trạng thái hồ sơ"),
    ("supplements", "Danh sách bổ sung"),
    ("fee_total", "Tổng phí"),
    ("paid_online", "Thanh toán trực tuyến"),
    ("e_result", "Có kết quả điện tử"),
    ("digitised", "Đã số hóa"),
    ("reused_data", "Tái sử dụng dữ liệu"),
    ("personal_store", "Kho dữ liệu cá nhân"),
    ("population_data", "Xác thực VNeID"),
    ("unsatisfied", "Đánh giá không hài lòng"),
    ("has_petition", "Có phản ánh"),
    ("steps", "Quá trình xử lý"),
];

const FAMILY: [&str; 8] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng",
];
const GIVEN: [&str; 8] = [
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Quốc Dũng",
    "Thị Hoa",
    "Đức Huy",
    "Thanh Lan",
    "Văn Nam",
];
const RESULT_WAYS: [&str; 3] = [
    "Nhận trực tiếp tại bộ phận một cửa",
    "Nhận qua dịch vụ bưu chính công ích",
    "Nhận bản điện tử qua Cổng dịch vụ công",
];
const STATUS_NAMES: [&str; 11] = [
    "",
    "Mới",
    "Đã tiếp nhận",
    "Từ chối tiếp nhận",
    "Đang xử lý",
    "Yêu cầu bổ sung",
    "Chờ nộp phí",
    "Rút hồ sơ",
    "Dừng xử lý",
    "Đã có kết quả",
    "Đã trả kết quả",
];

/// Columns of text built row by row.
#[derive(Default)]
struct Texts(Vec<(&'static str, Vec<Option<String>>)>);

impl Texts {
    fn push(&mut self, col: usize, name: &'static str, v: Option<String>) {
        if self.0.len() <= col {
            self.0.push((name, Vec::new()));
        }
        self.0[col].1.push(v);
    }
}

fn ts(v: impl Iterator<Item = Option<NaiveDateTime>>) -> ArrayRef {
    Arc::new(TimestampSecondArray::from(
        v.map(|t| t.map(|t| t.and_utc().timestamp()))
            .collect::<Vec<_>>(),
    ))
}

fn flag(v: impl Iterator<Item = bool>) -> ArrayRef {
    Arc::new(BooleanArray::from(v.map(Some).collect::<Vec<_>>()))
}

fn int(v: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(Int64Array::from(v.collect::<Vec<_>>()))
}

fn texts(v: impl Iterator<Item = Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from(v.collect::<Vec<_>>()))
}

fn log_text(log: &ProcessLog) -> Option<String> {
    match log {
        ProcessLog::Steps(s) if s.is_empty() => None,
        ProcessLog::Steps(s) => serde_json::to_string(s).ok(),
        ProcessLog::Text(t) => Some(t.clone()),
    }
}

fn date_vn(t: Option<NaiveDateTime>) -> Option<String> {
    t.map(|t| t.format("%d/%m/%Y").to_string())
}

/// The dossiers of a sample in the wide-export shape: the scored fields under
/// [`SCORED_HEADERS`] (same values as the canonical files) and ~18 columns no reader maps, drawn
/// from a generator of their own (seeded by `seed` and the row), so the scored values are the
/// canonical sample's.
pub fn wide_dossiers_batch(s: &Sample, seed: u64) -> Result<RecordBatch> {
    let r: &[Dossier] = &s.dossiers;
    let procs: HashMap<&str, &Procedure> = s
        .procedures
        .iter()
        .map(|p| (p.procedure_code.as_str(), p))
        .collect();
    let units: HashMap<&str, &Unit> = s.units.iter().map(|u| (u.code.as_str(), u)).collect();
    let mut extra = Texts::default();
    for (n, d) in r.iter().enumerate() {
        let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        let p = procs.get(d.procedure_code.as_str());
        let u = units.get(d.unit_code.as_str());
        let name = format!(
            "{} {}",
            FAMILY[rng.below(FAMILY.len())],
            GIVEN[rng.below(GIVEN.len())]
        );
        let status = d.effective_status() as usize;
        let cols: [(&'static str, Option<String>); 18] = [
            ("Số biên nhận", Some(format!("BN-{:08}", n + 1))),
            ("Tên thủ tục hành chính", p.map(|p| p.name.clone())),
            ("Tên lĩnh vực", p.map(|p| p.field.clone())),
            ("Tên đơn vị tiếp nhận", u.map(|u| u.name.clone())),
            ("Họ tên người nộp", Some(name.clone())),
            ("Chủ hồ sơ", Some(name)),
            (
                "Số giấy tờ tùy thân",
                Some(format!("0{:011}", rng.next_u64() % 100_000_000_000)),
            ),
            (
                "Số điện thoại",
                Some(format!("09{:08}", rng.next_u64() % 100_000_000)),
            ),
            (
                "Thư điện tử",
                rng.chance(0.4)
                    .then(|| format!("congdan{}@example.vn", rng.below(1_000_000))),
            ),
            (
                "Địa chỉ người nộp",
                Some(format!(
                    "Số {} đường {}, {}",
                    1 + rng.below(300),
                    1 + rng.below(40),
                    u.map(|u| u.name.as_str()).unwrap_or("")
                )),
            ),
            (
                "Cán bộ tiếp nhận",
                Some(format!("{}.TN{}", d.unit_code, 1 + rng.below(2))),
            ),
            (
                "Hình thức nhận kết quả",
                Some(RESULT_WAYS[rng.below(RESULT_WAYS.len())].to_string()),
            ),
            ("Ngày tiếp nhận (dd/MM/yyyy)", date_vn(d.received_at)),
            ("Ngày hẹn trả (dd/MM/yyyy)", date_vn(d.due_at)),
            (
                "Tên trạng thái",
                Some(STATUS_NAMES.get(status).copied().unwrap_or("").to_string()),
            ),
            (
                "Mã hồ sơ liên thông",
                rng.chance(0.05)
                    .then(|| format!("LT-{}", rng.below(10_000_000))),
            ),
            (
                "Ghi chú",
                rng.chance(0.1)
                    .then(|| "Hồ sơ đầy đủ, hợp lệ theo quy định".to_string()),
            ),
            (
                "Năm tiếp nhận",
                d.received_at.map(|t| t.format("%Y").to_string()),
            ),
        ];
        for (i, (h, v)) in cols.into_iter().enumerate() {
            extra.push(i, h, v);
        }
    }
    let h = |canonical: &str| {
        SCORED_HEADERS
            .iter()
            .find(|(c, _)| *c == canonical)
            .map_or(canonical, |(_, h)| h)
            .to_string()
    };
    let mut cols: Vec<(String, ArrayRef)> = vec![
        (
            "STT".into(),
            Arc::new(UInt32Array::from_iter_values(1..=r.len() as u32)),
        ),
        (
            h("dossier_id"),
            texts(r.iter().map(|d| Some(d.dossier_id.clone()))),
        ),
        (
            h("unit_code"),
            texts(r.iter().map(|d| Some(d.unit_code.clone()))),
        ),
        (
            h("procedure_code"),
            texts(r.iter().map(|d| Some(d.procedure_code.clone()))),
        ),
        (h("channel"), int(r.iter().map(|d| Some(d.channel as i64)))),
        (h("submitted_at"), ts(r.iter().map(|d| d.submitted_at))),
        (h("received_at"), ts(r.iter().map(|d| d.received_at))),
        (h("due_at"), ts(r.iter().map(|d| d.due_at))),
        (
            h("rescheduled_due_at"),
            ts(r.iter().map(|d| d.rescheduled_due_at)),
        ),
        (h("finished_at"), ts(r.iter().map(|d| d.finished_at))),
        (h("returned_at"), ts(r.iter().map(|d| d.returned_at))),
        (
            h("status"),
            int(r.iter().map(|d| d.status.map(|s| s as i64))),
        ),
        (
            h("supplements"),
            texts(r.iter().map(|d| {
                (!d.supplements.is_empty())
                    .then(|| serde_json::to_string(&d.supplements).ok())
                    .flatten()
            })),
        ),
        (
            h("fee_total"),
            Arc::new(Float64Array::from(
                r.iter().map(|d| d.fee_total).collect::<Vec<_>>(),
            )),
        ),
        (
            h("paid_online"),
            int(r.iter().map(|d| Some(d.paid_online as i64))),
        ),
        (h("e_result"), flag(r.iter().map(|d| d.e_result))),
        (h("digitised"), flag(r.iter().map(|d| d.digitised))),
        (h("reused_data"), flag(r.iter().map(|d| d.reused_data))),
        (
            h("personal_store"),
            flag(r.iter().map(|d| d.personal_store)),
        ),
        (
            h("population_data"),
            flag(r.iter().map(|d| d.population_data)),
        ),
        (h("unsatisfied"), flag(r.iter().map(|d| d.unsatisfied))),
        (h("has_petition"), flag(r.iter().map(|d| d.has_petition))),
        (h("steps"), texts(r.iter().map(|d| log_text(&d.steps)))),
    ];
    for (name, values) in extra.0 {
        cols.push((name.to_string(), texts(values.into_iter())));
    }
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, a)| Field::new(n.as_str(), a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        cols.into_iter().map(|(_, a)| a).collect(),
    )
    .map_err(|e| IoError::format(Path::new("<wide export>"), e.to_string()))
}
