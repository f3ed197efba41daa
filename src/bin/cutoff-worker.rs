//! The simulation worker's entry point: registers the worker and waits for the page.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use gloo::worker::Registrable;
        cutoff::app::simulation_worker::SimulationWorker::registrar().register();
    }
}
