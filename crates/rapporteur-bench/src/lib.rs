//! `rapporteur-bench`: a synthetic IGF-like corpus generator ([`gen`](crate::r#gen)), the
//! benchmark harness ([`harness`]) and the quality eval ([`eval`]), used by the
//! `rapporteur-bench` command and by the criterion micro-benchmarks in the workspace's
//! `benches/`.

pub mod eval;
pub mod r#gen;
pub mod harness;
