//! A dossier (hồ sơ) as provincial one-stop systems sync it to the national portal.

use crate::error::{ChisoError, Result};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// National dossier status codes (TrangThaiHoSo).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Status {
    /// 1: submitted, not yet received.
    New = 1,
    /// 2: received.
    Received = 2,
    /// 3: refused at the counter (never received).
    RefusedAtCounter = 3,
    /// 4: being processed.
    InProgress = 4,
    /// 5: supplement requested from the applicant.
    SupplementRequested = 5,
    /// 6: waiting for fees.
    WaitingForFees = 6,
    /// 7: withdrawn by the applicant.
    Withdrawn = 7,
    /// 8: processing stopped.
    Stopped = 8,
    /// 9: finished (result ready).
    Finished = 9,
    /// 10: result returned to the applicant.
    Returned = 10,
}

impl Status {
    /// Whether the dossier was actually received (status ≥ 2 and not refused at the counter).
    pub fn is_received(self) -> bool {
        !matches!(self, Status::New | Status::RefusedAtCounter)
    }
    /// The status a record without one is taken to have, from which of its times are present.
    pub fn inferred(returned: bool, finished: bool, received: bool) -> Status {
        if returned {
            Status::Returned
        } else if finished {
            Status::Finished
        } else if received {
            Status::InProgress
        } else {
            Status::New
        }
    }
    /// Terminal statuses end processing.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Withdrawn | Status::Stopped | Status::Finished | Status::Returned
        )
    }
}

impl TryFrom<u8> for Status {
    type Error = ChisoError;
    fn try_from(v: u8) -> Result<Self> {
        Ok(match v {
            1 => Status::New,
            2 => Status::Received,
            3 => Status::RefusedAtCounter,
            4 => Status::InProgress,
            5 => Status::SupplementRequested,
            6 => Status::WaitingForFees,
            7 => Status::Withdrawn,
            8 => Status::Stopped,
            9 => Status::Finished,
            10 => Status::Returned,
            _ => {
                return Err(ChisoError::Value {
                    field: "status".into(),
                    message: format!("{v} is not a national status code (1–10)"),
                })
            }
        })
    }
}

impl From<Status> for u8 {
    fn from(s: Status) -> u8 {
        s as u8
    }
}

/// Submission channel (KenhThucHien). Missing means direct.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Channel {
    #[default]
    /// 1 (also 0 or missing): at the counter.
    Direct = 1,
    /// 2: online.
    Online = 2,
    /// 3: by post.
    Postal = 3,
}

impl TryFrom<u8> for Channel {
    type Error = ChisoError;
    fn try_from(v: u8) -> Result<Self> {
        match v {
            0 | 1 => Ok(Channel::Direct),
            2 => Ok(Channel::Online),
            3 => Ok(Channel::Postal),
            _ => Err(ChisoError::Value {
                field: "channel".into(),
                message: format!("{v} is not a channel code (1 direct, 2 online, 3 postal)"),
            }),
        }
    }
}

impl From<Channel> for u8 {
    fn from(c: Channel) -> u8 {
        c as u8
    }
}

/// Online payment gateway (DuocThanhToanTrucTuyen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum PaymentGateway {
    #[default]
    /// 0: not paid online.
    None = 0,
    /// 1: through the national payment platform.
    National = 1,
    /// 2: through a provincial gateway.
    Local = 2,
}

impl PaymentGateway {
    /// Paid online through either gateway.
    pub fn is_online(self) -> bool {
        self != PaymentGateway::None
    }
}

impl TryFrom<u8> for PaymentGateway {
    type Error = ChisoError;
    fn try_from(v: u8) -> Result<Self> {
        match v {
            0 => Ok(PaymentGateway::None),
            1 => Ok(PaymentGateway::National),
            2 => Ok(PaymentGateway::Local),
            _ => Err(ChisoError::Value {
                field: "paid_online".into(),
                message: format!("{v} is not a payment code (0 no, 1 national, 2 provincial)"),
            }),
        }
    }
}

impl From<PaymentGateway> for u8 {
    fn from(p: PaymentGateway) -> u8 {
        p as u8
    }
}

/// A stretch of time the clock may stop: a supplement request (DanhSachHoSoBoSung) or a wait
/// for fees. `completed_at = None` means still outstanding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wait {
    /// When the wait began.
    pub requested_at: NaiveDateTime,
    #[serde(default)]
    /// When it ended; `None` while outstanding.
    pub completed_at: Option<NaiveDateTime>,
}

/// One step of the optional process log (TienTrinh).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Step {
    /// The step's name as the log gives it.
    pub step: String,
    /// The official who handled the step (the input's identifier).
    pub handler: String,
    /// The unit the step was handled in; empty means the dossier's unit.
    pub unit_code: String,
    /// When the step began.
    pub started_at: Option<NaiveDateTime>,
    /// The step's own deadline.
    pub due_at: Option<NaiveDateTime>,
    /// When the step ended; `None` while in progress.
    pub ended_at: Option<NaiveDateTime>,
}

/// The process log (TienTrinh) as it came. Scoring never reads it (DATA-MODEL.md §1), so readers
/// keep its text unread, and only the toolkit commands that use the steps read it, once, when
/// asked ([`ProcessLog::steps`]); a log that cannot be read is a data-quality finding, never a
/// reject. Written as a JSON list of steps (or the text as read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProcessLog {
    /// Steps already structured (built in code, or the generator's).
    Steps(Vec<Step>),
    /// The log's text as a reader found it (JSON), not read yet.
    Text(String),
}

impl Default for ProcessLog {
    fn default() -> Self {
        ProcessLog::Steps(Vec::new())
    }
}

impl From<Vec<Step>> for ProcessLog {
    fn from(steps: Vec<Step>) -> Self {
        ProcessLog::Steps(steps)
    }
}

/// Reads a process log held as text into steps, or says why it cannot; the core has no text
/// format of its own (chiso-io's `read_log` reads the ones the readers accept).
pub type LogReader = fn(&str) -> std::result::Result<Vec<Step>, String>;

impl ProcessLog {
    /// No steps and no text.
    pub fn is_empty(&self) -> bool {
        match self {
            ProcessLog::Steps(s) => s.is_empty(),
            ProcessLog::Text(t) => t.trim().is_empty(),
        }
    }

    /// The steps, reading the text with `read` when the log is held as text; `Err` says why a
    /// log could not be read.
    pub fn steps(&self, read: LogReader) -> std::result::Result<Cow<'_, [Step]>, String> {
        match self {
            ProcessLog::Steps(s) => Ok(Cow::Borrowed(s)),
            ProcessLog::Text(t) if t.trim().is_empty() => Ok(Cow::Borrowed(&[])),
            ProcessLog::Text(t) => read(t).map(Cow::Owned),
        }
    }
}

/// A dossier with every field an indicator uses. Times are Vietnam local time (UTC+7).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dossier {
    /// Dossier id (MaHoSo), unique per dossier.
    pub dossier_id: String,
    /// Code of the unit that handles it.
    pub unit_code: String,
    /// Code of the administrative procedure.
    pub procedure_code: String,
    /// How it was submitted.
    pub channel: Channel,
    /// When the applicant submitted it.
    pub submitted_at: Option<NaiveDateTime>,
    /// Decides the period; missing means not received.
    pub received_at: Option<NaiveDateTime>,
    /// Appointment date (NgayHenTra).
    pub due_at: Option<NaiveDateTime>,
    /// New appointment given with an apology letter (see option `apology_due`).
    pub rescheduled_due_at: Option<NaiveDateTime>,
    /// When processing finished (result ready).
    pub finished_at: Option<NaiveDateTime>,
    /// When the result was returned to the applicant.
    pub returned_at: Option<NaiveDateTime>,
    /// Missing status is inferred from the dates.
    pub status: Option<Status>,
    /// Supplement requests, each stopping the clock while outstanding.
    pub supplements: Vec<Wait>,
    /// Waits for fee payment (status 6), used by option `fee_wait_stops_clock`.
    pub fee_waits: Vec<Wait>,
    /// Sum of the fee lines (DanhSachLePhi); > 0 means a financial obligation.
    pub fee_total: f64,
    /// Which gateway the fees were paid through online, if any.
    pub paid_online: PaymentGateway,
    /// An electronic result (result code + file link) was issued.
    pub e_result: bool,
    /// Components carry attached files.
    pub digitised: bool,
    /// At least one component reused from digitised data.
    pub reused_data: bool,
    /// Linked with the citizen's personal data store on the portal.
    pub personal_store: bool,
    /// Uses national population data (VNeID account or population-database link).
    pub population_data: bool,
    /// Rated unsatisfied on the portal.
    pub unsatisfied: bool,
    /// A petition was filed about this dossier.
    pub has_petition: bool,
    /// The process log, kept as read: only the toolkit reads it (see [`ProcessLog`]).
    pub steps: ProcessLog,
    /// Known not to have been synced to the national portal (1.4); records read from sync
    /// data are synced by definition.
    pub not_synced: bool,
}

impl Dossier {
    /// The status, inferred from the dates when the record has none.
    pub fn effective_status(&self) -> Status {
        self.status.unwrap_or_else(|| {
            Status::inferred(
                self.returned_at.is_some(),
                self.finished_at.is_some(),
                self.received_at.is_some(),
            )
        })
    }

    /// Whether the dossier was received: a receipt time and a received status.
    pub fn is_received(&self) -> bool {
        self.received_at.is_some() && self.effective_status().is_received()
    }
}

/// Yes/no facts of a dossier packed in one byte, as the columnar path holds them.
pub mod flag {
    /// An electronic result was issued.
    pub const E_RESULT: u8 = 1;
    /// Components carry attached files.
    pub const DIGITISED: u8 = 1 << 1;
    /// A component was reused from digitised data.
    pub const REUSED_DATA: u8 = 1 << 2;
    /// Linked with the personal data store.
    pub const PERSONAL_STORE: u8 = 1 << 3;
    /// Uses national population data.
    pub const POPULATION_DATA: u8 = 1 << 4;
    /// Rated unsatisfied.
    pub const UNSATISFIED: u8 = 1 << 5;
    /// A petition was filed about it.
    pub const HAS_PETITION: u8 = 1 << 6;
    /// Known not synced to the national portal.
    pub const NOT_SYNCED: u8 = 1 << 7;
}

impl Dossier {
    /// The yes/no facts as [`flag`] bits.
    pub fn flags(&self) -> u8 {
        let bit = |b: bool, f: u8| if b { f } else { 0 };
        bit(self.e_result, flag::E_RESULT)
            | bit(self.digitised, flag::DIGITISED)
            | bit(self.reused_data, flag::REUSED_DATA)
            | bit(self.personal_store, flag::PERSONAL_STORE)
            | bit(self.population_data, flag::POPULATION_DATA)
            | bit(self.unsatisfied, flag::UNSATISFIED)
            | bit(self.has_petition, flag::HAS_PETITION)
            | bit(self.not_synced, flag::NOT_SYNCED)
    }
}
