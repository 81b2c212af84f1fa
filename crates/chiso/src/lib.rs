//! chiso — the Decision 766 public-service quality index (Bộ chỉ số 766), computed from the raw
//! dossier, procedure, petition and unit data that provinces, ministries and communes hold.
//!
//! Pure core: no I/O, no Python, no global state. The pipeline is
//! records → [`classify`] → additive [`tally::Tally`] → [`score::score`] with a rule
//! [`profile::Profile`] → explained [`score::Scorecard`] → [`rank`].
//!
//! ```
//! use chiso::pipeline::{run, Records};
//! use chiso::{Dossier, Profile, Status, Unit, UnitKind, WeekdaysOnly};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let at = |s: &str| chiso::period::parse_moment(s).ok();
//! let units = vec![Unit {
//!     code: "H99".into(),
//!     name: "Tỉnh Mẫu".into(),
//!     kind: UnitKind::province(),
//!     parent: None,
//!     e_certified_copy: None,
//! }];
//! // One dossier finished a day early, one still open past its due date.
//! let dossiers = vec![
//!     Dossier {
//!         dossier_id: "A1".into(),
//!         unit_code: "H99".into(),
//!         received_at: at("2026-09-01T08:00"),
//!         due_at: at("2026-09-04T17:00"),
//!         finished_at: at("2026-09-03T10:00"),
//!         status: Some(Status::Finished),
//!         ..Dossier::default()
//!     },
//!     Dossier {
//!         dossier_id: "A2".into(),
//!         unit_code: "H99".into(),
//!         received_at: at("2026-09-14T08:00"),
//!         due_at: at("2026-09-16T17:00"),
//!         status: Some(Status::Received),
//!         ..Dossier::default()
//!     },
//! ];
//! let records = Records { dossiers: &dossiers, procedures: &[], units: Some(&units), petitions: &[] };
//! let profile = Profile::builtin("portal-2026")?;
//! let as_of = chiso::period::parse_moment("2026-09-28T17:00")?;
//! let r = run(&records, "2026-09".parse()?, as_of, &profile, profile.options, &WeekdaysOnly)?;
//! let on_time = r.scorecard.unit("H99").and_then(|u| u.indicator("2.1")).ok_or("no 2.1")?;
//! assert_eq!((on_time.numerator, on_time.denominator), (1.0, 2.0));
//! assert_eq!(on_time.points, 10.0); // 20 points × 1/2
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod classify;
pub mod columnar;
pub mod error;
pub mod facts;
mod hashing;
pub mod live;
pub mod measure;
pub mod model;
pub mod moment;
pub mod options;
pub mod period;
pub mod petition_rules;
pub mod pipeline;
pub mod pool;
pub mod profile;
pub mod rank;
pub mod row_facts;
pub mod score;
pub mod tally;
pub mod tally_bytes;
pub mod text;
pub mod toolkit;
pub mod verdicts;
pub mod workdays;

pub use classify::{judge, scope, Exclusion, Judgement, Progress, Scope};
pub use error::{ChisoError, Result, TallyError};
pub use measure::{CatalogueCounts, DistinctCounts, RatioKey, UnitFacts};
pub use model::{Channel, Dossier, Petition, Procedure, Status, Unit, UnitKind, UnitTree};
pub use options::{Limits, Options};
pub use period::Period;
pub use profile::Profile;
pub use rank::{ranking, RankPolicy, RankRow};
pub use score::{round2, score, IndicatorScore, ScoreInput, Scorecard, UnitScore};
pub use tally::{Accounting, Counts, Tally, TallyContext};
pub use tally_bytes::{PortableTally, RejectedRow};
pub use workdays::{WeekdaysOnly, WorkCalendar};
