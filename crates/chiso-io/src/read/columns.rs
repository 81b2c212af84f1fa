//! Column mapping: which input column feeds which field of a record.
//!
//! Every reader (CSV, XLSX, JSON / JSON Lines, Arrow IPC, Parquet, and Arrow batches handed over
//! from Python) resolves its column names through one [`ColumnMap`]. A header is recognised when,
//! after [`normalize_header`] (lower case, Vietnamese diacritics removed, `đ` → `d`, everything but
//! letters and digits dropped), it equals the normalised form of
//!
//! - the canonical English name (`received_at`),
//! - the portal sync name (`NgayTiepNhan`), or
//! - a common Vietnamese spreadsheet header, with or without diacritics (`Ngày tiếp nhận`,
//!   `Ngay tiep nhan`),
//!
//! or of a header the user added (a mapping file, see [`ColumnMap::from_toml`]).

use crate::error::{IoError, Result};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// The four kinds of input records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// Dossiers (hồ sơ).
    Dossier,
    /// Procedures of the catalogue (thủ tục).
    Procedure,
    /// Units (đơn vị).
    Unit,
    /// Petitions (phản ánh, kiến nghị).
    Petition,
}

impl RecordKind {
    /// Every kind, in this order.
    pub const ALL: [RecordKind; 4] = [
        RecordKind::Dossier,
        RecordKind::Procedure,
        RecordKind::Unit,
        RecordKind::Petition,
    ];

    /// Lower-case name, as used in mapping files (`[dossier]`, `[procedure]`, …).
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Dossier => "dossier",
            RecordKind::Procedure => "procedure",
            RecordKind::Unit => "unit",
            RecordKind::Petition => "petition",
        }
    }

    /// The kind named by a section or file name (English or Vietnamese, any case or accents).
    pub fn from_name(s: &str) -> Option<Self> {
        match normalize_header(s).as_str() {
            "dossier" | "dossiers" | "hoso" => Some(RecordKind::Dossier),
            "procedure" | "procedures" | "thutuc" | "tthc" => Some(RecordKind::Procedure),
            "unit" | "units" | "donvi" => Some(RecordKind::Unit),
            "petition" | "petitions" | "pakn" | "phananh" => Some(RecordKind::Petition),
            _ => None,
        }
    }

    /// The fields of this kind of record, in documentation order.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordKind::Dossier => DOSSIER_FIELDS,
            RecordKind::Procedure => PROCEDURE_FIELDS,
            RecordKind::Unit => UNIT_FIELDS,
            RecordKind::Petition => PETITION_FIELDS,
        }
    }

    /// The field with this canonical name.
    pub fn field(self, canonical: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.name == canonical)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a field holds, i.e. how a cell is converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Free text, trimmed.
    Text,
    /// A code (ids, unit and procedure codes): every whitespace removed.
    Code,
    /// A moment, Vietnam local time (see the crate docs on dates).
    DateTime,
    /// A calendar date.
    Date,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// Yes/no: 1/0, true/false, có/không, x, …; empty is "no" unless the field is optional.
    Bool,
    /// An enumeration (status, channel, level, …) given as a code or a name.
    Enum,
    /// A list or structure (JSON text in flat files, nested values in JSON/Arrow).
    Nested,
}

/// One field of a record: its canonical name, type, whether a file must have it, and the names
/// it is recognised by.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    /// Canonical English name (also the column name chiso writes).
    pub name: &'static str,
    /// How the value is read.
    pub ty: FieldType,
    /// A file of this kind without such a column is refused.
    pub required: bool,
    /// Portal sync names and common Vietnamese headers (any spelling; matched normalised).
    pub aliases: &'static [&'static str],
    /// One line for the user guide's column list (docs/reading-data.md).
    pub doc: &'static str,
}

const fn f(
    name: &'static str,
    ty: FieldType,
    aliases: &'static [&'static str],
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: false,
        aliases,
        doc,
    }
}

const fn req(
    name: &'static str,
    ty: FieldType,
    aliases: &'static [&'static str],
    doc: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        ty,
        required: true,
        aliases,
        doc,
    }
}

use FieldType as T;

/// Dossier columns. Besides the fields of [`chiso::Dossier`] there are a few input-only ones:
/// `components` (TaiLieuNop: sets digitised / reused_data / personal_store), `population_db_code`
/// (MaCSDL: non-empty means population data), `e_result_code` / `e_result_link`, and
/// `synced_at` (decides which of two records with the same id is the latest sync).
pub static DOSSIER_FIELDS: &[FieldSpec] = &[
    req("dossier_id", T::Code, &["MaHoSo", "Mã hồ sơ", "Số hồ sơ", "Mã HS", "ID hồ sơ"], "dossier id, unique (duplicates: the latest sync wins)"),
    f("unit_code", T::Code, &["MaDonViTiepNhan", "DonViXuLy", "MaDonVi", "Mã đơn vị", "Mã đơn vị tiếp nhận", "Mã đơn vị xử lý", "Đơn vị tiếp nhận", "Mã cơ quan"], "receiving unit code, e.g. H44.07"),
    f("procedure_code", T::Code, &["MaTTHC", "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính"], "procedure code, e.g. 1.001234"),
    f("channel", T::Enum, &["KenhThucHien", "Kênh thực hiện", "Kênh nộp", "Hình thức nộp"], "1 direct (default), 2 online, 3 postal; or trực tiếp / trực tuyến / bưu chính"),
    f("submitted_at", T::DateTime, &["NgayNopHoSo", "Ngày nộp", "Ngày nộp hồ sơ"], "submission time"),
    f("received_at", T::DateTime, &["NgayTiepNhan", "Ngày tiếp nhận", "Ngày nhận", "Thời gian tiếp nhận"], "receipt time; decides the period; empty = not received"),
    f("due_at", T::DateTime, &["NgayHenTra", "Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết", "Ngày hẹn trả kết quả"], "appointment (due) time; a date alone means the end of that day"),
    f("rescheduled_due_at", T::DateTime, &["NgayHenTraMoi", "Ngày hẹn trả mới", "Ngày hẹn lại"], "new appointment after an apology letter"),
    f("finished_at", T::DateTime, &["NgayKetThucXuLy", "Ngày kết thúc xử lý", "Ngày kết thúc", "Ngày hoàn thành", "Ngày có kết quả"], "end of processing"),
    f("returned_at", T::DateTime, &["NgayTra", "Ngày trả", "Ngày trả kết quả"], "result handed back"),
    f("status", T::Enum, &["TrangThaiHoSo", "Trạng thái", "Trạng thái hồ sơ", "Mã trạng thái"], "national status code 1–10 (empty: inferred from the dates)"),
    f("supplements", T::Nested, &["DanhSachHoSoBoSung", "Danh sách bổ sung", "Bổ sung hồ sơ", "Yêu cầu bổ sung"], "supplement requests: JSON list of {requested_at, completed_at}, or `start..end; start..` text"),
    f("fee_waits", T::Nested, &["DanhSachChoNopPhi", "Chờ nộp phí"], "waits for fee payment, same shape as supplements"),
    f("fee_total", T::Nested, &["DanhSachLePhi", "TongLePhi", "Lệ phí", "Phí lệ phí", "Phí, lệ phí", "Tổng phí", "Tổng lệ phí", "Số tiền"], "fee amount (a number, or the list of fee lines, summed)"),
    f("paid_online", T::Enum, &["DuocThanhToanTrucTuyen", "Thanh toán trực tuyến", "Đã thanh toán trực tuyến"], "0 no, 1 national gateway, 2 provincial gateway (yes = 1)"),
    f("e_result", T::Nested, &["DanhSachGiayToKetQua", "Kết quả điện tử", "Có kết quả điện tử", "Trả kết quả điện tử"], "electronic result issued (yes/no, or the result list)"),
    f("e_result_code", T::Text, &["MaKetQua", "Mã kết quả"], "electronic result code (with a link: electronic result)"),
    f("e_result_link", T::Text, &["DuongDanTepTinKetQua", "Đường dẫn kết quả", "Tệp kết quả"], "electronic result file link"),
    f("digitised", T::Bool, &["DuocSoHoa", "Số hóa", "Đã số hóa", "Số hóa hồ sơ"], "components carry attached files"),
    f("reused_data", T::Bool, &["HoSoCoThanhPhanSoHoa", "Tái sử dụng", "Tái sử dụng dữ liệu", "Sử dụng lại dữ liệu số hóa"], "a component reused from digitised data"),
    f("personal_store", T::Bool, &["DuocLayTuKhoDMQG", "Kho dữ liệu cá nhân", "Kho dữ liệu"], "linked with the citizen's data store"),
    f("population_data", T::Bool, &["TaiKhoanDuocXacThucVoiVNeID", "VNeID", "Dữ liệu dân cư", "Xác thực VNeID"], "uses national population data"),
    f("population_db_code", T::Text, &["MaCSDL", "Mã CSDL"], "population database link (non-empty: population data)"),
    f("components", T::Nested, &["TaiLieuNop", "Thành phần hồ sơ", "Tài liệu nộp"], "submitted components (JSON list with DuocSoHoa, DuocLayTuKhoDMQG, file links)"),
    f("unsatisfied", T::Bool, &["KhongHaiLong", "Không hài lòng", "Đánh giá không hài lòng"], "rated unsatisfied on the portal"),
    f("has_petition", T::Bool, &["CoPhanAnh", "Có phản ánh", "Có PAKN", "Phản ánh kiến nghị"], "a petition was filed about it"),
    f("steps", T::Nested, &["TienTrinh", "Tiến trình", "Quá trình xử lý"], "process log: JSON list of {step, handler, unit_code, started_at, due_at, ended_at}"),
    f("not_synced", T::Bool, &["ChuaDongBo", "Chưa đồng bộ"], "known not to have been synced to the portal"),
    f("synced_at", T::DateTime, &["NgayDongBo", "NgayCapNhat", "Ngày đồng bộ", "Ngày cập nhật", "updated_at", "ThoiGianDongBo"], "sync time: of two records with one id the later wins (else the later row)"),
];

/// Procedure catalogue columns.
pub static PROCEDURE_FIELDS: &[FieldSpec] = &[
    req(
        "procedure_code",
        T::Code,
        &["MaTTHC", "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính"],
        "procedure code",
    ),
    f(
        "name",
        T::Text,
        &[
            "TenTTHC",
            "Tên TTHC",
            "Tên thủ tục",
            "Tên thủ tục hành chính",
        ],
        "procedure name",
    ),
    f(
        "field",
        T::Text,
        &["LinhVuc", "TenLinhVuc", "Lĩnh vực"],
        "field (lĩnh vực)",
    ),
    f(
        "level",
        T::Enum,
        &["CapThucHien", "Cấp thực hiện", "Cấp"],
        "ministry / province / district / commune (or cấp bộ / tỉnh / huyện / xã)",
    ),
    f(
        "online_level",
        T::Enum,
        &[
            "MucDo",
            "MucDoDVC",
            "Mức độ",
            "Mức độ DVC",
            "Mức độ dịch vụ công",
        ],
        "none / partial / full (or một phần / toàn trình, or old levels 2, 3, 4)",
    ),
    f(
        "full_process_eligible",
        T::Bool,
        &["DuDieuKienToanTrinh", "Đủ điều kiện toàn trình"],
        "eligible for full-process online service",
    ),
    f(
        "paper_result",
        T::Bool,
        &["CoKetQuaGiay", "Kết quả giấy", "Có kết quả giấy"],
        "issues a paper result",
    ),
    f(
        "fee_bearing",
        T::Bool,
        &["CoPhiLePhi", "Có phí lệ phí", "Có phí", "Có lệ phí"],
        "has fee or charge information",
    ),
    f(
        "for_citizens",
        T::Bool,
        &["DoiTuongCongDan", "Đối tượng công dân", "Cho công dân"],
        "applicants include citizens",
    ),
    f(
        "statutory_time",
        T::Nested,
        &[
            "ThoiHanGiaiQuyet",
            "Thời hạn giải quyết",
            "Thời gian giải quyết",
            "Thời hạn",
        ],
        "statutory time: a number (in statutory_time_unit), `15 ngày làm việc`, or {amount, unit}",
    ),
    f(
        "statutory_time_unit",
        T::Enum,
        &["DonViThoiGian", "Đơn vị thời gian", "Đơn vị thời hạn"],
        "working_days (default) / days / hours / months, or ngày làm việc / ngày / giờ / tháng",
    ),
    f(
        "published_at",
        T::Date,
        &[
            "NgayQuyetDinhCongBo",
            "Ngày quyết định công bố",
            "Ngày công bố",
        ],
        "publication decision date (1.1, 1.2)",
    ),
    f(
        "legal_basis_effective_at",
        T::Date,
        &[
            "NgayHieuLuc",
            "Ngày hiệu lực",
            "Ngày hiệu lực căn cứ pháp lý",
        ],
        "newest effective date of the legal basis (1.1)",
    ),
    f(
        "made_public_at",
        T::Date,
        &["NgayCongKhai", "Ngày công khai"],
        "date made public in the procedure database (1.2)",
    ),
    f(
        "has_all_parts",
        T::Bool,
        &["DayDuBoPhan", "Đầy đủ bộ phận", "Đủ bộ phận"],
        "published with all seven parts (empty: unknown)",
    ),
    f(
        "public",
        T::Bool,
        &["CongKhai", "Công khai", "Trạng thái công khai"],
        "currently public",
    ),
    f(
        "units",
        T::Nested,
        &["DanhSachDonVi", "Đơn vị thực hiện", "Cơ quan thực hiện"],
        "implementing unit codes, separated by ; or , (empty: by level)",
    ),
];

/// Unit columns.
pub static UNIT_FIELDS: &[FieldSpec] = &[
    req("code", T::Code, &["unit_code", "MaDonVi", "Mã đơn vị", "Mã cơ quan"], "unit code, e.g. H44.07"),
    f("name", T::Text, &["TenDonVi", "Tên đơn vị", "Tên cơ quan"], "unit name"),
    f("kind", T::Enum, &["LoaiDonVi", "Loại đơn vị", "Cấp đơn vị"], "ministry / province / district / department / commune / agency (or bộ, tỉnh, huyện, sở, xã)"),
    f("parent", T::Code, &["parent_code", "MaDonViCha", "Mã đơn vị cha", "Đơn vị cha", "Mã cấp trên"], "parent unit code (empty: a root)"),
    f("e_certified_copy", T::Bool, &["ChungThucDienTu", "Chứng thực điện tử", "Chứng thực bản sao điện tử"], "offers electronic certified copies (empty: no data)"),
];

/// Petition columns.
pub static PETITION_FIELDS: &[FieldSpec] = &[
    req(
        "petition_id",
        T::Code,
        &[
            "MaPAKN",
            "MaPhanAnh",
            "Mã PAKN",
            "Mã phản ánh",
            "Mã phản ánh kiến nghị",
        ],
        "petition id",
    ),
    f(
        "unit_code",
        T::Code,
        &[
            "MaDonVi",
            "MaDonViXuLy",
            "Mã đơn vị",
            "Đơn vị xử lý",
            "Mã đơn vị xử lý",
        ],
        "unit handling it",
    ),
    f(
        "received_at",
        T::DateTime,
        &["NgayTiepNhan", "Ngày tiếp nhận", "Ngày gửi", "Ngày nhận"],
        "receipt time",
    ),
    f(
        "forwarded_at",
        T::DateTime,
        &["NgayChuyen", "Ngày chuyển", "Ngày chuyển xử lý"],
        "latest forwarding to this unit",
    ),
    f(
        "handled_at",
        T::DateTime,
        &[
            "published_at",
            "NgayXuLy",
            "NgayCongKhai",
            "Ngày xử lý",
            "Ngày trả lời",
            "Ngày công khai",
        ],
        "handled and the answer published",
    ),
    f(
        "rejected_at",
        T::DateTime,
        &["NgayTuChoi", "Ngày từ chối"],
        "rejected",
    ),
    f(
        "supplement_requested_at",
        T::DateTime,
        &["NgayYeuCauBoSung", "Ngày yêu cầu bổ sung"],
        "first request for more information",
    ),
    f(
        "likes",
        T::Integer,
        &["SoLuotThich", "Lượt thích", "Hài lòng"],
        "likes",
    ),
    f(
        "dislikes",
        T::Integer,
        &["SoLuotKhongThich", "Lượt không thích", "Không hài lòng"],
        "dislikes",
    ),
    f(
        "repeat_complaint",
        T::Bool,
        &["PhanAnhLai", "Phản ánh lại", "Khiếu nại lặp lại"],
        "followed by a repeat complaint",
    ),
    f(
        "classification",
        T::Text,
        &["PhanLoai", "Phân loại", "Loại phản ánh"],
        "classification (e.g. tthc, staff)",
    ),
    f(
        "status",
        T::Text,
        &["TrangThai", "Trạng thái"],
        "status (read, not used by the rules)",
    ),
];

/// Lower case, Vietnamese diacritics removed, `đ` → `d`, and only letters and digits kept:
/// `"Ngày tiếp nhận"`, `"Ngay tiep nhan"`, `"NgayTiepNhan"` and `"ngay_tiep_nhan"` are all
/// `"ngaytiepnhan"`.
pub fn normalize_header(s: &str) -> String {
    s.nfd()
        .filter_map(|c| match c {
            'đ' | 'Đ' => Some('d'),
            c if c.is_alphanumeric() && c.is_ascii() => Some(c.to_ascii_lowercase()),
            c if c.is_alphanumeric() => c.to_lowercase().next(),
            _ => None,
        })
        .collect()
}

/// The longest text taken for a column name, in bytes.
const MAX_HEADER: usize = 256;

/// Resolves column names to fields: the built-in names plus any the user added.
#[derive(Clone, Debug)]
pub struct ColumnMap {
    names: HashMap<(RecordKind, String), &'static str>,
}

impl Default for ColumnMap {
    fn default() -> Self {
        Self::new()
    }
}

impl ColumnMap {
    /// The built-in names: canonical, portal sync and common Vietnamese headers.
    pub fn new() -> Self {
        let mut names = HashMap::new();
        for kind in RecordKind::ALL {
            // Aliases first, then canonical names, so that a canonical name always wins.
            for spec in kind.fields() {
                for a in spec.aliases {
                    names
                        .entry((kind, normalize_header(a)))
                        .or_insert(spec.name);
                }
            }
            for spec in kind.fields() {
                names.insert((kind, normalize_header(spec.name)), spec.name);
            }
        }
        Self { names }
    }

    /// Adds a header for a field: `add(RecordKind::Dossier, "Ngày nhận HS", "received_at")`.
    /// Fails when the field does not exist.
    pub fn add(&mut self, kind: RecordKind, header: &str, canonical: &str) -> Result<(), String> {
        let spec = kind
            .field(canonical.trim())
            .ok_or_else(|| format!("{kind} has no field {:?}", canonical.trim()))?;
        self.names
            .insert((kind, normalize_header(header)), spec.name);
        Ok(())
    }

    /// The built-in names plus a user mapping file (TOML):
    ///
    /// ```toml
    /// [dossier]
    /// "Số biên nhận" = "dossier_id"
    /// "Ngày nhận HS" = "received_at"
    /// [procedure]
    /// "Mã số TTHC" = "procedure_code"
    /// ```
    pub fn from_toml(path: &Path) -> Result<Self> {
        let mut map = Self::new();
        map.extend_from_toml(path)?;
        Ok(map)
    }

    /// Adds the headers of a mapping file (see [`ColumnMap::from_toml`]).
    pub fn extend_from_toml(&mut self, path: &Path) -> Result<()> {
        let text = crate::error::read_text(path)?;
        self.extend_from_toml_str(&text)
            .map_err(|m| IoError::format(path, m))
    }

    /// Adds the headers of a mapping given as TOML text; the error names the table and key.
    pub fn extend_from_toml_str(&mut self, text: &str) -> Result<(), String> {
        let value: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| format!("not a column mapping: {}", e.message()))?;
        for (table, entries) in &value {
            let kind = RecordKind::from_name(table).ok_or_else(|| {
                format!("[{table}]: not a record kind (dossier, procedure, unit, petition)")
            })?;
            let entries = entries
                .as_table()
                .ok_or_else(|| format!("[{table}] must be a table of \"header\" = \"field\""))?;
            for (header, field) in entries {
                let field = field
                    .as_str()
                    .ok_or_else(|| format!("[{table}] {header:?}: the field must be a string"))?;
                self.add(kind, header, field)
                    .map_err(|m| format!("[{table}] {header:?}: {m}"))?;
            }
        }
        Ok(())
    }

    /// The field a header names, if any.
    pub fn field(&self, kind: RecordKind, header: &str) -> Option<&'static FieldSpec> {
        // No column name is this long: a data cell among the rows searched for the header, not
        // worth normalising character by character.
        if header.len() > MAX_HEADER {
            return None;
        }
        let name = self.names.get(&(kind, normalize_header(header)))?;
        kind.field(name)
    }

    /// Resolves a header row. The first column naming a field feeds it; later ones are listed
    /// as duplicates and ignored.
    pub fn resolve<S: AsRef<str>>(&self, kind: RecordKind, headers: &[S]) -> Resolution {
        let mut columns = Vec::with_capacity(headers.len());
        let mut unknown = Vec::new();
        let mut duplicates = Vec::new();
        let mut seen: Vec<&'static str> = Vec::new();
        for h in headers {
            let h = h.as_ref();
            match self.field(kind, h) {
                Some(spec) if seen.contains(&spec.name) => {
                    duplicates.push(h.to_string());
                    columns.push(None);
                }
                Some(spec) => {
                    seen.push(spec.name);
                    columns.push(Some(spec));
                }
                None => {
                    if !h.trim().is_empty() {
                        unknown.push(match h.char_indices().nth(MAX_HEADER / 4) {
                            Some((cut, _)) => format!("{}…", &h[..cut]),
                            None => h.to_string(),
                        });
                    }
                    columns.push(None);
                }
            }
        }
        let missing = kind
            .fields()
            .iter()
            .filter(|s| s.required && !seen.contains(&s.name))
            .map(|s| s.name)
            .collect();
        Resolution {
            kind,
            columns,
            unknown,
            duplicates,
            missing,
        }
    }
}

/// A header row resolved to fields.
#[derive(Clone, Debug)]
pub struct Resolution {
    /// The record kind.
    pub kind: RecordKind,
    /// For each column in order, the field it feeds (`None`: ignored).
    pub columns: Vec<Option<&'static FieldSpec>>,
    /// Headers not recognised (ignored).
    pub unknown: Vec<String>,
    /// Headers naming a field an earlier column already feeds (ignored).
    pub duplicates: Vec<String>,
    /// Required fields no column feeds.
    pub missing: Vec<&'static str>,
}

impl Resolution {
    /// How many columns feed a field.
    pub fn matched(&self) -> usize {
        self.columns.iter().filter(|c| c.is_some()).count()
    }

    /// An error message when a required field has no column, naming the headers that would do.
    pub fn check(&self) -> Result<(), String> {
        if self.missing.is_empty() {
            return Ok(());
        }
        let want: Vec<String> = self
            .missing
            .iter()
            .filter_map(|m| self.kind.field(m))
            .map(|s| {
                let mut names = vec![s.name];
                names.extend(s.aliases.iter().take(3));
                format!("{} ({})", s.name, names[1..].join(", "))
            })
            .collect();
        Err(format!(
            "no {} column for {} among the headers",
            self.kind,
            want.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_headers_with_and_without_diacritics() {
        let m = ColumnMap::new();
        for h in [
            "Ngày tiếp nhận",
            "Ngay tiep nhan",
            "NgayTiepNhan",
            "received_at",
            "RECEIVED AT",
        ] {
            assert_eq!(
                m.field(RecordKind::Dossier, h).map(|s| s.name),
                Some("received_at"),
                "{h}"
            );
        }
        assert_eq!(
            m.field(RecordKind::Dossier, "Mã hồ sơ").map(|s| s.name),
            Some("dossier_id")
        );
        assert_eq!(
            m.field(RecordKind::Dossier, "Đơn vị tiếp nhận")
                .map(|s| s.name),
            Some("unit_code")
        );
        assert_eq!(normalize_header("Đơn Vị"), "donvi");
    }

    #[test]
    fn every_alias_resolves_to_its_own_field() {
        let m = ColumnMap::new();
        for kind in RecordKind::ALL {
            for spec in kind.fields() {
                assert_eq!(m.field(kind, spec.name).map(|s| s.name), Some(spec.name));
            }
        }
    }

    #[test]
    fn user_mapping() {
        let mut m = ColumnMap::new();
        m.extend_from_toml_str("[dossier]\n\"Số biên nhận\" = \"dossier_id\"\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let r = m.resolve(RecordKind::Dossier, &["Số biên nhận", "xyz"]);
        assert_eq!(r.matched(), 1);
        assert!(r.check().is_ok());
        assert_eq!(r.unknown, vec!["xyz".to_string()]);
        assert!(m
            .extend_from_toml_str("[dossier]\n\"a\" = \"nope\"\n")
            .is_err());
        let r = m.resolve(RecordKind::Dossier, &["xyz"]);
        assert!(r.check().is_err());
    }
}
