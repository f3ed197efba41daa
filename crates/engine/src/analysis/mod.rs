//! Tools over the whole pipeline: why one pair was decided as it was, how two results
//! differ, which records the people explorer shows, how the totals move with the
//! population's numbers (sweeps and ranges), a story's bound numbers, and synthetic
//! populations for benchmarks.

pub mod compare;
pub mod diff;
pub mod explain;
pub mod explore;
pub mod generate;
pub mod range;
pub mod reweigh;
pub mod story;
pub mod sweep;
