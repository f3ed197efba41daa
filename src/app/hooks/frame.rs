//! An app shown in another page's `<iframe>` (an embed or a story) tells that page how tall
//! it is whenever its height changes, so the host can size the frame to fit and the reader
//! never scrolls inside it. The message is `{cutoff: "height", height}`, posted to the
//! parent page; the few lines of script that the embed code carries listen for it.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The message a framed app posts to its host page: its height in CSS pixels.
fn height_message(height: i32) -> js_sys::Object {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"cutoff".into(), &"height".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    message
}

/// Posts the page's height to its parent whenever the height changes, while the page is
/// in a frame; does nothing otherwise.
#[hook]
pub fn use_frame_height() {
    use_effect_with((), |_| {
        let window = gloo::utils::window();
        let parent = window.parent().ok().flatten().filter(|p| *p != window);
        let body = gloo::utils::document().body();
        let observer = parent.zip(body).and_then(|(parent, body)| {
            let measured = body.clone();
            let mut last = 0;
            let report = Closure::<dyn FnMut()>::new(move || {
                let height = measured.scroll_height();
                if height != last {
                    last = height;
                    // The height says nothing about the reader, so any host may have it.
                    let _ = parent.post_message(&height_message(height), "*");
                }
            });
            let observer = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()).ok()?;
            observer.observe(&body);
            Some((observer, report))
        });
        move || {
            if let Some((observer, _report)) = observer {
                observer.disconnect();
            }
        }
    });
}
