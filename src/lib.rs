//! Cutoff: see who loses access when an export-control directive takes effect.
pub mod app;
pub mod engine;
