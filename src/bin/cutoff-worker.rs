//! The simulation worker's entry point: registers the worker and waits for the page.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use cutoff::app::simulation_worker::{JsCodec, SimulationWorker};
        use gloo::worker::Registrable;
        SimulationWorker::registrar()
            .encoding::<JsCodec>()
            .register();
    }
}
