//! The app's hooks: the store in a context, and the effects that connect the pure state to
//! the browser — simulating each revision, the simulation worker, autosave and storage,
//! the keyboard, the height a framed page reports to its host, and large charts drawn a
//! task after the numbers.

mod analysis;
mod deferred;
mod frame;
mod keyboard;
pub mod persist;
mod simulation;
mod store;
mod worker;

pub use analysis::{ANALYST_WATCHDOG_MS, AnalystStore, SWEEP_STEPS, use_analysis};
pub use deferred::{AfterFirstPaint, use_after_first_paint, use_deferred};
pub use frame::use_frame_height;
pub use keyboard::use_undo_keys;
pub use persist::use_autosave;
pub use simulation::use_simulation;
pub use store::{Store, use_opening_store, use_store};
pub use worker::{WORKER_WATCHDOG_MS, keep_opened_file, use_simulation_worker};
