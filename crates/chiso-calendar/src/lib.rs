//! # chiso-calendar
//!
//! Vietnamese lunar calendar (âm lịch, computed from astronomy for UTC+7),
//! statutory public holidays by the law in force each year, the government's
//! announced swaps (built-in TOML table, user-extendable), and working-day
//! arithmetic for due dates.
//!
//! ```
//! use chiso_calendar::{tet_date, Calendar};
//! use chrono::NaiveDate;
//!
//! assert_eq!(tet_date(2026).ok(), NaiveDate::from_ymd_opt(2026, 2, 17));
//! let cal = Calendar::vietnam();
//! let fri = NaiveDate::from_ymd_opt(2026, 2, 13).unwrap_or_default();
//! // Tết 2026: 16–20 Feb off; 3 working days after Friday 13 Feb is Wed 25 Feb.
//! assert_eq!(cal.add_working_days(fri, 3), NaiveDate::from_ymd_opt(2026, 2, 25).unwrap_or_default());
//! ```
//!
//! Supported range: solar 1900-01-31..=2199-12-31 (lunar years 1900..=2199).

#![warn(missing_docs)]

mod astro;
mod calendar;
mod error;
mod law;
mod lunar;
mod swaps;

pub use calendar::{Calendar, WORKDAY_START};
pub use error::CalendarError;
pub use law::{statutory_holidays, Holiday, HolidayKind};
pub use lunar::{
    hung_kings_date, leap_month, lunar_to_solar, solar_to_lunar, tet_date, LunarDate, MAX_DATE,
    MAX_LUNAR_YEAR, MIN_DATE, MIN_LUNAR_YEAR,
};
pub use swaps::{SwapEntry, SwapKind, SwapTable, BUILTIN_SOURCE};
