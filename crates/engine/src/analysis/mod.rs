//! Tools over the whole pipeline: why one pair was decided as it was, and synthetic
//! populations for benchmarks.

pub mod explain;
pub mod generate;
pub mod story;
