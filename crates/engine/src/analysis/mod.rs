//! Tools over the whole pipeline: why one pair was decided as it was, how two results
//! differ, which records the people explorer shows, and synthetic populations for
//! benchmarks.

pub mod compare;
pub mod explain;
pub mod explore;
pub mod generate;
pub mod story;
