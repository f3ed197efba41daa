//! No blank page: if anything in the app panics, a plain-DOM notice (which needs no
//! WebAssembly to work) says what happened, offers the last autosaved scenario as a
//! download, and a reload that restores it.

use wasm_bindgen::prelude::*;

/// Shows the failure notice; every step is optional, so the notice never fails itself.
fn show_notice(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("cutoff-crash").is_some() {
        return;
    }
    let saved = super::hooks::persist::autosaved_scenario();
    let Ok(notice) = document.create_element("div") else {
        return;
    };
    notice.set_id("cutoff-crash");
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.set_attribute("data-testid", "crash");
    let _ = notice.set_attribute("class", "crash");
    let add = |tag: &str, text: &str| {
        let element = document.create_element(tag).ok()?;
        element.set_text_content(Some(text));
        let _ = notice.append_child(&element);
        Some(element)
    };
    add("h2", "Cutoff stopped working on this page");
    add(
        "p",
        "Something went wrong that the app could not recover from. Your work up to the last simulation is saved in this browser; reloading opens it again.",
    );
    add("pre", message);
    if let Some(saved) = saved {
        let href = format!(
            "data:application/toml;charset=utf-8,{}",
            js_sys::encode_uri_component(&saved.text)
        );
        if let Some(link) = add("a", "Download your last scenario (.toml)") {
            let _ = link.set_attribute("href", &href);
            let _ = link.set_attribute("download", "cutoff-scenario.toml");
            let _ = link.set_attribute("data-testid", "crash-export");
        }
    }
    let reload = window.location().pathname().unwrap_or_else(|_| "./".into());
    if let Some(link) = add("a", "Reload and carry on") {
        let _ = link.set_attribute("href", &reload);
        let _ = link.set_attribute("data-testid", "crash-reload");
    }
    let _ = body.prepend_with_node_1(&notice);
    // The first screen drawn when the app was built would show results that can no longer
    // change.
    super::remove_prerendered();
}

/// Installs the panic hook: the notice, and the message in the console. It goes through
/// Yew, which would otherwise put its own hook in place when the app renders.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&format!("cutoff: {message}")));
        show_notice(&message);
    }));
}

/// A test hook: makes the app fail on purpose, so tests can check that a failure leaves a
/// usable page. It affects only the page that calls it.
#[wasm_bindgen(js_name = crashForTest)]
pub fn crash_for_test() {
    panic!("a test asked Cutoff to fail");
}
