//! Evaluation: gold labels and the metrics that score the analyses against them.
//!
//! Nothing outside this module reads labels: the analyses never see them.

pub mod labels;

pub use labels::Labels;
