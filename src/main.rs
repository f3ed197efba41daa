//! The browser entry point: it only starts the renderer — unless the page is a user of the
//! JavaScript API (`<body data-cutoff="api">`), which wants the functions and not the app.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        let api_only = gloo::utils::body().get_attribute("data-cutoff").as_deref() == Some("api");
        if !api_only {
            cutoff::app::start();
        }
    }
}
