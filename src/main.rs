//! The browser entry point: it only starts the renderer. The JavaScript API is a module of
//! its own (`src/bin/cutoff-api.rs`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    cutoff::app::start();
}
