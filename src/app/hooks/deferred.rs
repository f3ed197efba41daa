//! Drawing a large part of the page one task later. When new results arrive, the numbers
//! are drawn at once and the charts with hundreds of shapes (the unit chart's marks, the
//! map) each in a task of their own, so that no single task holds the page for long.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// A shared value compared by address: two are equal when they are the same allocation.
/// Results are replaced, never changed in place, so a new address means new results.
#[derive(Debug)]
pub struct Same<T>(pub Rc<T>);

impl<T> Clone for Same<T> {
    fn clone(&self) -> Self {
        Same(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// `value` as it was drawn: on the first draw `value` itself; after a change, the earlier
/// value until a task of its own draws the new one. The flag says whether a newer value is
/// waiting (for `aria-busy`). A change that comes before the pending one is drawn replaces
/// it.
#[hook]
pub fn use_deferred<T: Clone + PartialEq + 'static>(value: T) -> (T, bool) {
    let shown = use_state(|| value.clone());
    {
        let shown = shown.clone();
        use_effect_with(value.clone(), move |value| {
            let pending = (*shown != *value).then(|| {
                let value = value.clone();
                Timeout::new(0, move || shown.set(value))
            });
            move || drop(pending)
        });
    }
    let waiting = *shown != value;
    ((*shown).clone(), waiting)
}

/// Whether the page has painted once since this component appeared: `false` on its first
/// draw, then `true` from a task that follows the next frame. A part of the page below the
/// first screen waits for it, so the first results are drawn, laid out and painted without
/// it.
#[hook]
pub fn use_after_first_paint() -> bool {
    let painted = use_state(|| false);
    {
        let painted = painted.clone();
        use_effect_with((), move |_| {
            let frame = after_next_frame(move || painted.set(true));
            move || drop(frame)
        });
    }
    *painted
}

/// Runs `then` in a task of its own after the browser's next frame (a timeout set from an
/// animation-frame callback runs after that frame is painted). Dropping the result cancels
/// it.
fn after_next_frame(then: impl FnOnce() + 'static) -> AfterFrame {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let pending: Rc<std::cell::RefCell<Option<Timeout>>> = Rc::default();
    let timeout = Rc::clone(&pending);
    let callback = Closure::once(move || {
        *timeout.borrow_mut() = Some(Timeout::new(0, then));
    });
    let frame = web_sys::window().and_then(|window| {
        window
            .request_animation_frame(callback.as_ref().unchecked_ref())
            .ok()
    });
    AfterFrame {
        frame,
        _callback: callback,
        pending,
    }
}

/// A pending [`after_next_frame`].
struct AfterFrame {
    frame: Option<i32>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
    pending: Rc<std::cell::RefCell<Option<Timeout>>>,
}

impl Drop for AfterFrame {
    fn drop(&mut self) {
        if let (Some(frame), Some(window)) = (self.frame, web_sys::window()) {
            let _ = window.cancel_animation_frame(frame);
        }
        if let Some(timeout) = self.pending.borrow_mut().take() {
            timeout.cancel();
        }
    }
}

/// Draws its children once the page has painted its first screen (see
/// [`use_after_first_paint`]); until then, nothing.
#[component]
pub fn AfterFirstPaint(props: &yew::html::ChildrenProps) -> Html {
    if use_after_first_paint() {
        html! { <>{ props.children.clone() }</> }
    } else {
        html! {}
    }
}
