//! Evaluation: gold labels and the metrics that score the analyses against them.
//!
//! Nothing outside this module reads labels: the analyses never see them.

pub mod baselines;
pub mod cluster;
pub mod converge;
pub mod labels;
pub mod messages;
pub mod metrics;
pub mod real;
pub mod rouge;
pub mod screen;

pub use labels::Labels;
