//! Cutoff in the browser: the Yew app, its simulation worker and its JavaScript API over
//! the engine crate.
pub mod app;

/// The engine, under the name the app has always used for it.
pub use cutoff_engine as engine;
