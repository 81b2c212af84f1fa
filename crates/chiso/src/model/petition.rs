//! A petition (phản ánh, kiến nghị — PAKN) about administrative procedures or officials.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
/// A petition (phản ánh, kiến nghị) about a unit's handling, for group 5.
pub struct Petition {
    /// Petition id.
    pub petition_id: String,
    /// Code of the unit it is about.
    pub unit_code: String,
    /// When the petition was received.
    pub received_at: Option<NaiveDateTime>,
    /// Latest forwarding to this unit; the handling limit counts from here when present.
    pub forwarded_at: Option<NaiveDateTime>,
    /// Handled and the answer published.
    pub handled_at: Option<NaiveDateTime>,
    /// When it was rejected.
    pub rejected_at: Option<NaiveDateTime>,
    /// First request to the petitioner for more information.
    pub supplement_requested_at: Option<NaiveDateTime>,
    /// Likes of the answer; more dislikes than likes counts as unsatisfied (5.3).
    pub likes: u32,
    /// Dislikes of the answer (5.3).
    pub dislikes: u32,
    /// Followed by a repeat complaint about the same matter.
    pub repeat_complaint: bool,
    /// Free classification (e.g. "tthc" procedures, "staff" officials' conduct) — 5.1.
    pub classification: Option<String>,
}
