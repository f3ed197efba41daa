//! Puts the page's first screen, drawn natively, into the built `index.html` whose path it
//! is given (Trunk's post-build hook runs it; see `Trunk.toml`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use cutoff::app::prerender::{first_screen, into_page};
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("error: give the built `index.html` to put the first screen in");
        return std::process::ExitCode::from(2);
    };
    let written = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{path}`: {e}"))
        .and_then(|page| {
            let screen =
                first_screen().map_err(|e| format!("cannot draw the first screen: {e}"))?;
            into_page(&page, &screen).map_err(|e| format!("`{path}`: {e}"))
        })
        .and_then(|page| {
            std::fs::write(&path, page).map_err(|e| format!("cannot write `{path}`: {e}"))
        });
    match written {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
