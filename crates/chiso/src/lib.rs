//! chiso — the Decision 766 public-service quality index (Bộ chỉ số 766), computed from the raw
//! dossier, procedure, petition and unit data that provinces, ministries and communes hold.
//!
//! Pure core: no I/O, no Python, no global state. The pipeline is
//! records → [`classify`] → additive [`tally::Tally`] → [`score::score`] with a rule
//! [`profile::Profile`] → explained [`score::Scorecard`] → [`rank`].

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
