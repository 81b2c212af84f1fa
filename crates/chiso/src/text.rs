//! Shared text: names, codes and notes that a scorecard repeats for many units.

/// Names, codes and notes copied into every unit's scorecard: shared, so a copy is a reference
/// count, not a new string.
pub type Text = std::sync::Arc<str>;
