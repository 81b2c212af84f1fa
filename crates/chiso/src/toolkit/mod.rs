//! The directive's toolkit: what each office must do, as pure functions over records and tallies.
//! Planner (targets and what-if), overdue and at-risk lists, reconciliation of two sources,
//! per-official figures from the process log, and the data-quality report.

pub mod officials;
pub mod overdue;
pub mod plan;
pub mod quality;
pub mod reconcile;
