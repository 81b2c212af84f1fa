//! A petition (phản ánh, kiến nghị — PAKN) about administrative procedures or officials.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Petition {
    pub petition_id: String,
    pub unit_code: String,
    pub received_at: Option<NaiveDateTime>,
    /// Latest forwarding to this unit; the handling limit counts from here when present.
    pub forwarded_at: Option<NaiveDateTime>,
    /// Handled and the answer published.
    pub handled_at: Option<NaiveDateTime>,
    pub rejected_at: Option<NaiveDateTime>,
    /// First request to the petitioner for more information.
    pub supplement_requested_at: Option<NaiveDateTime>,
    pub likes: u32,
    pub dislikes: u32,
    /// Followed by a repeat complaint about the same matter.
    pub repeat_complaint: bool,
    /// Free classification (e.g. "tthc" procedures, "staff" officials' conduct) — 5.1.
    pub classification: Option<String>,
}
