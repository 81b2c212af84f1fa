//! The one table of words the reports print, in English and in Vietnamese (the portal's own
//! terms), with the number and date conventions of each language.
//!
//! Every writer (terminal tables, CSV headers, the Excel workbook, the HTML page, the CLI's
//! toolkit tables) takes its words from [`Lang::words`]; nothing else in the code spells a
//! heading. Indicator and group names come from the rule profile (`name_vi` / `name_en`), so a
//! profile's own names show up in either language.
//!
//! ```
//! use chiso_io::write::lang::Lang;
//! let vi: Lang = "vi".parse().unwrap();
//! assert_eq!(vi.number(1234.56, 2), "1.234,56");
//! assert_eq!(Lang::En.number(1234.56, 2), "1,234.56");
//! assert_eq!(vi.words().open_overdue, "đang giải quyết quá hạn");
//! assert_eq!(Lang::from_locale("vi_VN.UTF-8"), Lang::Vi);
//! ```

use crate::read::records::SUPERSEDED_REASON;
use chiso::period::Period;
use chiso::profile::RuleStatus;
use chiso::toolkit::quality::Rule;
use chiso::{Exclusion, IndicatorScore};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::str::FromStr;

/// The language of a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the default outside a Vietnamese locale).
    #[default]
    En,
    /// Vietnamese: the portal's terms, dates as dd/MM/yyyy, numbers as 1.234,56.
    Vi,
}

/// `"vi"` / `"en"` (also `vi_VN`, `en-US`, …), case-insensitive.
impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        match s.get(..2) {
            Some("vi") => Ok(Lang::Vi),
            Some("en") => Ok(Lang::En),
            _ => Err(format!("unknown language {s:?} (use vi or en)")),
        }
    }
}

impl Lang {
    /// The language of a POSIX locale name: `vi_*` → Vietnamese, anything else → English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("vi") {
            Lang::Vi
        } else {
            Lang::En
        }
    }

    /// The language of the environment: `LC_ALL`, else `LC_MESSAGES`, else `LANG` (the first
    /// one set and not empty), as POSIX orders them.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.trim().is_empty())
            .map_or(Lang::En, |v| Lang::from_locale(&v))
    }

    /// The short code: `"en"` or `"vi"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }

    /// Every heading and label of the reports in this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Vi => &VI,
        }
    }

    /// A number with `decimals` decimals and the language's separators: `1,234.56` in English,
    /// `1.234,56` in Vietnamese. Whole numbers with `decimals == 0` have no decimal part.
    pub fn number(self, x: f64, decimals: usize) -> String {
        let (thousands, point) = match self {
            Lang::En => (',', '.'),
            Lang::Vi => ('.', ','),
        };
        let text = format!("{:.*}", decimals, x.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::new();
        if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(thousands);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        out
    }

    /// A count as a whole number, anything else with two decimals.
    pub fn amount(self, x: f64) -> String {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            self.number(x, 0)
        } else {
            self.number(x, 2)
        }
    }

    /// A ratio in [0, 1] as a percentage with two decimals: `99.80%` / `99,80%`.
    pub fn percent(self, ratio: f64) -> String {
        format!("{}%", self.number(ratio * 100.0, 2))
    }

    /// A date: `2026-09-26` in English, `26/09/2026` in Vietnamese.
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Lang::En => d.format("%Y-%m-%d").to_string(),
            Lang::Vi => d.format("%d/%m/%Y").to_string(),
        }
    }

    /// A moment to the minute: `2026-09-26 11:00` / `26/09/2026 11:00`.
    pub fn moment(self, t: NaiveDateTime) -> String {
        format!("{} {}", self.date(t.date()), t.format("%H:%M"))
    }

    /// A period: its canonical label in English (`2026-Q3`); in Vietnamese as officials write it
    /// (`Quý 3/2026`, `6 tháng đầu năm 2026`, `Tháng 9/2026`, `Năm 2026`, or `dd/MM/yyyy –
    /// dd/MM/yyyy`).
    pub fn period(self, p: &Period) -> String {
        let label = p.label();
        if self == Lang::En {
            return label;
        }
        let y = p.start().year();
        match label.split_once('-') {
            None => format!("{} {y}", VI.year),
            Some((_, "H1")) => format!("6 tháng đầu năm {y}"),
            Some((_, "H2")) => format!("6 tháng cuối năm {y}"),
            Some((_, q)) if q.starts_with('Q') && q.len() == 2 => format!("Quý {}/{y}", &q[1..]),
            Some((_, m)) if m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()) => {
                format!("Tháng {}/{y}", p.start().month())
            }
            _ => format!("{} – {}", self.date(p.start()), self.date(p.end())),
        }
    }

    /// An indicator's name in this language (from the rule profile).
    pub fn indicator_name(self, i: &IndicatorScore) -> &str {
        match self {
            Lang::En => &i.name_en,
            Lang::Vi => &i.name_vi,
        }
    }

    /// How far an indicator's rule was checked.
    pub fn status(self, s: RuleStatus) -> &'static str {
        let w = self.words();
        match s {
            RuleStatus::Verified => w.verified,
            RuleStatus::Documented => w.documented,
            RuleStatus::Provisional => w.provisional,
        }
    }

    /// A reason of exclusion as the accounting names it (the core's English reason, or the
    /// readers' superseded-duplicate reason), in this language; other text is kept as it is.
    pub fn exclusion_reason(self, reason: &str) -> &str {
        if self == Lang::En {
            return reason;
        }
        let known = Exclusion::ALL.iter().find(|e| e.reason() == reason);
        match known {
            Some(Exclusion::NotReceived) => {
                "chưa tiếp nhận (không có ngày tiếp nhận hoặc trạng thái 1)"
            }
            Some(Exclusion::RefusedAtCounter) => {
                "từ chối tiếp nhận tại bộ phận một cửa (trạng thái 3)"
            }
            Some(Exclusion::OutsidePeriod) => "tiếp nhận ngoài kỳ đánh giá",
            Some(Exclusion::AfterEvaluationTime) => "tiếp nhận sau thời điểm đánh giá",
            Some(Exclusion::NoDeadline) => {
                "không có hạn xử lý (không có ngày hẹn trả, không có thời hạn luật định)"
            }
            None if reason == SUPERSEDED_REASON => "hồ sơ trùng, thay bằng lần đồng bộ sau",
            None => reason,
        }
    }

    /// A data-quality rule of `chiso check`.
    pub fn quality_rule(self, r: Rule) -> &'static str {
        if self == Lang::En {
            return r.describe();
        }
        match r {
            Rule::MissingReceiptDate => "thiếu ngày tiếp nhận",
            Rule::MissingDueDate => "thiếu ngày hẹn trả",
            Rule::EndBeforeReceipt => "ngày kết thúc xử lý trước ngày tiếp nhận",
            Rule::DueBeforeReceipt => "ngày hẹn trả trước ngày tiếp nhận",
            Rule::StatusContradictsDates => "trạng thái mâu thuẫn với các mốc ngày",
            Rule::UnknownProcedure => "thủ tục không có trong danh mục",
            Rule::UnknownUnit => "đơn vị không có trong danh sách đơn vị",
            Rule::DuplicateDossierId => "trùng mã hồ sơ",
            Rule::OnlineNotOffered => "hồ sơ trực tuyến của thủ tục không cung cấp trực tuyến",
            Rule::EResultWithoutPaperResult => {
                "có kết quả điện tử nhưng thủ tục không có kết quả giấy"
            }
            Rule::ProcedureNotAssignedToUnit => {
                "hồ sơ của thủ tục mà danh mục không giao cho đơn vị"
            }
            Rule::NoEffectiveDate => {
                "thủ tục (QĐCB) không có ngày hiệu lực của văn bản quy định (không tính ở 1.1)"
            }
            Rule::NoDeadline => {
                "không có hạn xử lý (không có ngày hẹn trả, không có thời hạn luật định): không tính ở 2.1"
            }
            Rule::FeeOnFeeFreeProcedure => "có thu phí ở thủ tục mà danh mục ghi là không thu phí",
            Rule::PublicWithoutDecisionDate => {
                "thủ tục đã công khai nhưng không có ngày QĐCB (không tính ở 1.2)"
            }
            Rule::UnreadableProcessLog => {
                "không đọc được quá trình xử lý (vẫn chấm điểm; không tính theo cán bộ)"
            }
        }
    }
}

/// The words of the reports. One field per heading or label; [`EN`] and [`VI`] fill them.
#[derive(Debug)]
pub struct Words {
    /// The HTML page's title after the unit name.
    pub report_title: &'static str,
    /// Word before the period in the header line.
    pub period: &'static str,
    /// "Year", for a whole-year period.
    pub year: &'static str,
    /// Word before the evaluation moment.
    pub evaluated_at: &'static str,
    /// Word before the rule profile.
    pub profile: &'static str,
    /// Word before the working-day calendar.
    pub calendar: &'static str,
    /// The records line: "records".
    pub records: &'static str,
    /// Records read.
    pub read: &'static str,
    /// Records scored.
    pub scored: &'static str,
    /// Records excluded (by a rule), and the prefix of each reason.
    pub excluded: &'static str,
    /// Rows that could not be read.
    pub rejected: &'static str,
    /// Column: rank.
    pub rank: &'static str,
    /// Column: unit code.
    pub unit: &'static str,
    /// Column: unit name.
    pub name: &'static str,
    /// Column: unit kind.
    pub kind: &'static str,
    /// Column: parent unit.
    pub parent: &'static str,
    /// Column: total points.
    pub total: &'static str,
    /// Row/column: maximum points.
    pub max: &'static str,
    /// Column: indicator id.
    pub id: &'static str,
    /// Column: indicator name.
    pub indicator: &'static str,
    /// Column: indicator group.
    pub group: &'static str,
    /// Column: indicator name in Vietnamese.
    pub name_vi: &'static str,
    /// Column: indicator name in English.
    pub name_en: &'static str,
    /// Column: numerator.
    pub numerator: &'static str,
    /// Column: denominator.
    pub denominator: &'static str,
    /// Column: ratio.
    pub ratio: &'static str,
    /// Column: points.
    pub points: &'static str,
    /// Column: points lost.
    pub lost: &'static str,
    /// Column: rule status.
    pub status: &'static str,
    /// Column: the on-empty policy applied.
    pub on_empty: &'static str,
    /// Column: notes.
    pub notes: &'static str,
    /// The prefix of a note line in the terminal.
    pub note: &'static str,
    /// Rule status: verified.
    pub verified: &'static str,
    /// Rule status: documented.
    pub documented: &'static str,
    /// Rule status: provisional.
    pub provisional: &'static str,
    /// "empty →" before the on-empty policy in the terminal table.
    pub empty_then: &'static str,
    /// Section: the ranking chart.
    pub unit_ranking: &'static str,
    /// Section: points lost per indicator.
    pub points_lost_per_indicator: &'static str,
    /// Section: the indicator table.
    pub indicators: &'static str,
    /// Section: units × groups.
    pub units_by_groups: &'static str,
    /// Footer of the HTML page.
    pub computed_by: &'static str,
    /// Terminal: heading of the biggest losses.
    pub biggest_losses: &'static str,
    /// Terminal: "of" in "0.50 of 2".
    pub of: &'static str,
    /// The 2.1 split: dossiers.
    pub dossiers: &'static str,
    /// The 2.1 split: finished early.
    pub early: &'static str,
    /// The 2.1 split: finished on time.
    pub on_time: &'static str,
    /// The 2.1 split: finished late.
    pub late: &'static str,
    /// The 2.1 split: open, not yet due.
    pub open_within: &'static str,
    /// The 2.1 split: open and overdue.
    pub open_overdue: &'static str,
    /// The 2.1 split: judged by the statutory time.
    pub statutory_fallback: &'static str,
    /// The 2.1 split: no deadline.
    pub no_deadline: &'static str,
    /// "no units" (empty scorecard).
    pub no_units: &'static str,
    /// Sheet: summary.
    pub sheet_summary: &'static str,
    /// Sheet: units × groups.
    pub sheet_units: &'static str,
    /// Sheet: indicators.
    pub sheet_indicators: &'static str,
    /// Sheet: rejected rows.
    pub sheet_rejects: &'static str,
    /// Rejects column: file.
    pub file: &'static str,
    /// Rejects column: row.
    pub row: &'static str,
    /// Rejects column: column.
    pub column: &'static str,
    /// Rejects column: message.
    pub message: &'static str,
    /// `_repr_html_`: heading of the biggest losses at a unit.
    pub most_points_lost_at: &'static str,
    /// Toolkit: plan heading.
    pub plan_for: &'static str,
    /// Toolkit: points lost heading.
    pub points_lost: &'static str,
    /// Toolkit: steps heading.
    pub steps_to_targets: &'static str,
    /// Toolkit: columns of the steps table.
    pub action: &'static str,
    /// Toolkit: the ratio now.
    pub now: &'static str,
    /// Toolkit: the target ratio.
    pub target: &'static str,
    /// Toolkit: changes needed.
    pub changes: &'static str,
    /// Toolkit: points gained.
    pub gain: &'static str,
    /// Toolkit: points gained per 1000 changes.
    pub per_1000: &'static str,
    /// Toolkit: a target that too few records can reach.
    pub not_reachable: &'static str,
    /// Toolkit: what-if heading.
    pub what_if: &'static str,
    /// Toolkit: records changed by a what-if action.
    pub records_changed: &'static str,
    /// Toolkit: before.
    pub before: &'static str,
    /// Toolkit: after.
    pub after: &'static str,
    /// Overdue: the urgency of a dossier past its deadline.
    pub overdue: &'static str,
    /// Overdue: the urgency of a dossier due soon.
    pub at_risk: &'static str,
    /// Overdue: headline, "dossiers overdue in progress".
    pub overdue_in_progress: &'static str,
    /// Overdue: "due within".
    pub due_within: &'static str,
    /// Overdue: "working days".
    pub working_days: &'static str,
    /// Overdue: column dossier id.
    pub dossier: &'static str,
    /// Overdue: column procedure.
    pub procedure: &'static str,
    /// Overdue: column deadline.
    pub deadline: &'static str,
    /// Overdue: column working days overdue (short).
    pub wdays: &'static str,
    /// Overdue: column holder.
    pub holder: &'static str,
    /// Overdue: no process log for a dossier.
    pub no_process_log: &'static str,
    /// Check: headline "data quality of".
    pub data_quality_of: &'static str,
    /// Check: "by unit (sample ids)".
    pub by_unit_samples: &'static str,
    /// Reconcile: column dossiers received by source A.
    pub received_a: &'static str,
    /// Reconcile: column dossiers received by source B.
    pub received_b: &'static str,
    /// Reconcile: column difference A − B.
    pub diff: &'static str,
    /// Reconcile: column dossiers resolved by source A.
    pub resolved_a: &'static str,
    /// Reconcile: column dossiers resolved by source B.
    pub resolved_b: &'static str,
    /// Reconcile: dossier ids found only in source A.
    pub only_in_a: &'static str,
    /// Reconcile: dossier ids found only in source B.
    pub only_in_b: &'static str,
    /// Officials: column the official (the log's holder).
    pub official: &'static str,
    /// Officials: column process-log steps handled.
    pub steps: &'static str,
    /// Officials: column steps finished after their own deadline.
    pub steps_late: &'static str,
    /// Officials: column late dossiers whose first late step was this official's.
    pub made_late: &'static str,
    /// Officials: column median working days per step.
    pub median: &'static str,
    /// Officials, per-unit line: "steps" after a count.
    pub steps_count: &'static str,
    /// Officials, per-unit line: "late dossiers" after a count.
    pub late_dossiers: &'static str,
    /// Officials, per-unit line: late dossiers with no late step to attribute.
    pub unattributed_late: &'static str,
    /// Overdue and officials: headline of the dossiers whose process log could not be read.
    pub unreadable_logs: &'static str,
    /// Overdue by holder: the holder shown when the process log could not be read.
    pub log_unreadable: &'static str,
}

/// English.
pub static EN: Words = Words {
    report_title: "Decision 766 scorecard",
    period: "period",
    year: "year",
    evaluated_at: "evaluated at",
    profile: "profile",
    calendar: "calendar",
    records: "records",
    read: "read",
    scored: "scored",
    excluded: "excluded",
    rejected: "rejected",
    rank: "rank",
    unit: "unit",
    name: "name",
    kind: "kind",
    parent: "parent",
    total: "total",
    max: "max",
    id: "id",
    indicator: "indicator",
    group: "group",
    name_vi: "name_vi",
    name_en: "name_en",
    numerator: "numerator",
    denominator: "denominator",
    ratio: "ratio",
    points: "points",
    lost: "lost",
    status: "status",
    on_empty: "on_empty",
    notes: "notes",
    note: "note",
    verified: "verified",
    documented: "documented",
    provisional: "provisional",
    empty_then: "empty →",
    unit_ranking: "Unit ranking",
    points_lost_per_indicator: "Points lost per indicator",
    indicators: "Indicators",
    units_by_groups: "Units × groups",
    computed_by: "computed by chiso",
    biggest_losses: "biggest point losses",
    of: "of",
    dossiers: "dossiers",
    early: "early",
    on_time: "on time",
    late: "late",
    open_within: "open within deadline",
    open_overdue: "overdue in progress",
    statutory_fallback: "judged by statutory time",
    no_deadline: "no deadline",
    no_units: "no units",
    sheet_summary: "Summary",
    sheet_units: "Units",
    sheet_indicators: "Indicators",
    sheet_rejects: "Rejects",
    file: "file",
    row: "row",
    column: "column",
    message: "message",
    most_points_lost_at: "Most points lost at",
    plan_for: "plan for",
    points_lost: "points lost",
    steps_to_targets: "steps to the targets, best points per change first",
    action: "action",
    now: "now",
    target: "target",
    changes: "changes",
    gain: "gain",
    per_1000: "per 1000",
    not_reachable: "not reachable: too few records can change",
    what_if: "what if",
    records_changed: "records changed",
    before: "before",
    after: "after",
    overdue: "overdue",
    at_risk: "at_risk",
    overdue_in_progress: "dossiers overdue in progress",
    due_within: "due within",
    working_days: "working days",
    dossier: "dossier",
    procedure: "procedure",
    deadline: "deadline",
    wdays: "w.days",
    holder: "holder",
    no_process_log: "(no process log)",
    data_quality_of: "data quality of",
    by_unit_samples: "by unit (sample ids)",
    received_a: "recv A",
    received_b: "recv B",
    diff: "diff",
    resolved_a: "done A",
    resolved_b: "done B",
    only_in_a: "only in A",
    only_in_b: "only in B",
    official: "official",
    steps: "steps",
    steps_late: "late",
    made_late: "made late",
    median: "median",
    steps_count: "steps",
    late_dossiers: "late dossiers",
    unattributed_late: "without a late step to attribute",
    unreadable_logs:
        "dossiers whose process log could not be read (not in these figures; see `chiso check`)",
    log_unreadable: "(process log unreadable)",
};

/// Vietnamese: the portal's and the Decision's own terms.
pub static VI: Words = Words {
    report_title: "Bảng điểm Bộ chỉ số 766",
    period: "kỳ đánh giá",
    year: "Năm",
    evaluated_at: "thời điểm đánh giá",
    profile: "bộ quy tắc",
    calendar: "lịch làm việc",
    records: "bản ghi",
    read: "đã đọc",
    scored: "được chấm",
    excluded: "loại trừ",
    rejected: "lỗi không đọc được",
    rank: "Xếp hạng",
    unit: "Đơn vị",
    name: "Tên đơn vị",
    kind: "Loại đơn vị",
    parent: "Đơn vị cấp trên",
    total: "Tổng điểm",
    max: "Điểm tối đa",
    id: "Mã",
    indicator: "Chỉ số",
    group: "Nhóm chỉ số",
    name_vi: "Tên chỉ số",
    name_en: "Tên tiếng Anh",
    numerator: "Tử số",
    denominator: "Mẫu số",
    ratio: "Tỷ lệ",
    points: "Điểm",
    lost: "Điểm bị mất",
    status: "Mức kiểm chứng",
    on_empty: "Khi mẫu số bằng 0",
    notes: "Ghi chú",
    note: "ghi chú",
    verified: "đã đối chiếu",
    documented: "theo mô tả",
    provisional: "tạm tính",
    empty_then: "mẫu số 0 →",
    unit_ranking: "Xếp hạng đơn vị",
    points_lost_per_indicator: "Điểm bị mất theo chỉ số",
    indicators: "Các chỉ số",
    units_by_groups: "Đơn vị × nhóm chỉ số",
    computed_by: "tính bằng chiso",
    biggest_losses: "các chỉ số mất nhiều điểm nhất",
    of: "trên",
    dossiers: "hồ sơ",
    early: "trước hạn",
    on_time: "đúng hạn",
    late: "quá hạn",
    open_within: "đang giải quyết trong hạn",
    open_overdue: "đang giải quyết quá hạn",
    statutory_fallback: "tính theo thời hạn luật định",
    no_deadline: "không có hạn xử lý",
    no_units: "không có đơn vị",
    sheet_summary: "Tổng hợp",
    sheet_units: "Đơn vị",
    sheet_indicators: "Chỉ số",
    sheet_rejects: "Dòng lỗi",
    file: "Tệp",
    row: "Dòng",
    column: "Cột",
    message: "Lỗi",
    most_points_lost_at: "Các chỉ số mất nhiều điểm nhất tại",
    plan_for: "kế hoạch cho",
    points_lost: "điểm bị mất",
    steps_to_targets: "các bước đạt mục tiêu, xếp theo điểm tăng trên mỗi hồ sơ thay đổi",
    action: "việc cần làm",
    now: "hiện tại",
    target: "mục tiêu",
    changes: "số thay đổi",
    gain: "điểm tăng",
    per_1000: "trên 1000",
    not_reachable: "không đạt được: quá ít hồ sơ có thể thay đổi",
    what_if: "giả định",
    records_changed: "bản ghi thay đổi",
    before: "trước",
    after: "sau",
    overdue: "quá hạn",
    at_risk: "sắp đến hạn",
    overdue_in_progress: "hồ sơ đang giải quyết quá hạn",
    due_within: "đến hạn trong",
    working_days: "ngày làm việc",
    dossier: "Mã hồ sơ",
    procedure: "Thủ tục",
    deadline: "Hạn xử lý",
    wdays: "ngày",
    holder: "Người đang xử lý",
    no_process_log: "(không có nhật ký xử lý)",
    data_quality_of: "chất lượng dữ liệu của",
    by_unit_samples: "theo đơn vị (mã hồ sơ mẫu)",
    received_a: "Tiếp nhận A",
    received_b: "Tiếp nhận B",
    diff: "Chênh lệch",
    resolved_a: "Đã giải quyết A",
    resolved_b: "Đã giải quyết B",
    only_in_a: "chỉ có ở A",
    only_in_b: "chỉ có ở B",
    official: "Cán bộ xử lý",
    steps: "Số bước",
    steps_late: "Bước trễ hạn",
    made_late: "Hồ sơ bị làm trễ",
    median: "Trung vị (ngày)",
    steps_count: "bước xử lý",
    late_dossiers: "hồ sơ trễ hạn",
    unattributed_late: "không có bước trễ hạn để quy trách nhiệm",
    unreadable_logs:
        "hồ sơ không đọc được nhật ký xử lý (không tính trong các số liệu này; xem `chiso check`)",
    log_unreadable: "(không đọc được nhật ký xử lý)",
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn numbers_use_each_languages_separators() {
        assert_eq!(Lang::Vi.number(1234567.891, 2), "1.234.567,89");
        assert_eq!(Lang::En.number(1234567.891, 2), "1,234,567.89");
        assert_eq!(Lang::Vi.number(-0.004, 2), "0,00");
        assert_eq!(Lang::Vi.number(-12.5, 1), "-12,5");
        assert_eq!(Lang::Vi.amount(40000.0), "40.000");
        assert_eq!(Lang::Vi.percent(0.998), "99,80%");
        assert_eq!(Lang::En.number(999.0, 0), "999");
    }

    #[test]
    fn dates_and_periods_in_vietnamese() {
        let d = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(Lang::Vi.date(d), "06/09/2026");
        assert_eq!(Lang::En.date(d), "2026-09-06");
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(Lang::Vi.period(&p("2026")), "Năm 2026");
        assert_eq!(Lang::Vi.period(&p("2026-Q3")), "Quý 3/2026");
        assert_eq!(Lang::Vi.period(&p("2026-H1")), "6 tháng đầu năm 2026");
        assert_eq!(Lang::Vi.period(&p("2026-09")), "Tháng 9/2026");
        assert_eq!(
            Lang::Vi.period(&p("2026-01-05..2026-02-10")),
            "05/01/2026 – 10/02/2026"
        );
        assert_eq!(Lang::En.period(&p("2026-Q3")), "2026-Q3");
    }

    #[test]
    fn locale_names_choose_the_language() {
        assert_eq!(Lang::from_locale("vi_VN.UTF-8"), Lang::Vi);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!("VI".parse::<Lang>(), Ok(Lang::Vi));
        assert!("fr".parse::<Lang>().is_err());
    }
}
