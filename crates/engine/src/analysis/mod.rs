//! Tools over the whole pipeline: why one pair was decided as it was, synthetic
//! populations for benchmarks, and how the totals move with the population's numbers
//! (sweeps and ranges).

pub mod explain;
pub mod generate;
pub mod range;
pub mod sweep;
