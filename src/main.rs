//! The browser entry point: it only starts the renderer.

fn main() {
    #[cfg(target_arch = "wasm32")]
    yew::Renderer::<cutoff::app::App>::new().render();
}
