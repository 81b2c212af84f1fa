//! The national portal's published numbers and how chiso's rules compare with them.
//!
//! - [`capture`]: the evaluation API's captured responses (parents and children, numerators,
//!   denominators, published scores).
//! - [`conformance`]: rebuild each published row's inputs, score them, compare.

pub mod capture;
pub mod conformance;
