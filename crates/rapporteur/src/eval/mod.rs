//! Evaluation: gold labels and the metrics that score the analyses against them.
//!
//! Nothing outside this module reads labels: the analyses never see them.

pub mod cluster;
pub mod labels;
pub mod metrics;
pub mod screen;

pub use labels::Labels;
