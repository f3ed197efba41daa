//! Drawing a large part of the page one task later. When new results arrive, the numbers
//! are drawn at once and the charts with hundreds of shapes (the unit chart's marks, the
//! map) each in a task of their own, so that no single task holds the page for long. When
//! the page opens, the parts below its first screen wait until that screen is painted.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

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

/// Whether the page has painted its first screen: `false` while it opens, then `true`
/// for good. A part of the page below the first screen waits for it, so that the first
/// results are drawn, laid out and painted without it; a part that appears later (a
/// story's next step, results back after an error) is drawn at once.
#[hook]
pub fn use_after_first_paint() -> bool {
    let painted = use_state(|| FIRST_PAINT_DONE.with(Cell::get));
    {
        let painted = painted.clone();
        use_effect_with((), move |_| {
            let pending = (!*painted).then(|| {
                after_next_frame(move || {
                    FIRST_PAINT_DONE.with(|done| done.set(true));
                    painted.set(true);
                })
            });
            move || drop(pending)
        });
    }
    *painted
}

thread_local! {
    /// Set once the page has painted its first screen.
    static FIRST_PAINT_DONE: Cell<bool> = const { Cell::new(false) };
}

/// How long a part below the first screen waits at most: animation frames do not come in a
/// tab that is hidden, or where the browser refuses to schedule one. Long enough that the
/// first frame, however slow, comes first.
const FIRST_PAINT_FALLBACK_MS: u32 = 2_000;

/// Runs `then` in a task of its own after the browser's next frame (a timeout set from an
/// animation-frame callback runs after that frame is painted), or after
/// [`FIRST_PAINT_FALLBACK_MS`] if no frame comes first. Dropping the result cancels it.
fn after_next_frame(then: impl Fn() + 'static) -> AfterFrame {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let then = Rc::new(then);
    let pending: Rc<RefCell<Option<Timeout>>> = Rc::default();
    let callback = {
        let (then, pending) = (Rc::clone(&then), Rc::clone(&pending));
        Closure::once(move || *pending.borrow_mut() = Some(Timeout::new(0, move || then())))
    };
    let frame = web_sys::window().and_then(|window| {
        window
            .request_animation_frame(callback.as_ref().unchecked_ref())
            .ok()
    });
    AfterFrame {
        frame,
        _callback: callback,
        pending,
        _fallback: Timeout::new(FIRST_PAINT_FALLBACK_MS, move || then()),
    }
}

/// A pending [`after_next_frame`].
struct AfterFrame {
    frame: Option<i32>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
    pending: Rc<RefCell<Option<Timeout>>>,
    /// Cancelled when dropped, as `Timeout`s are.
    _fallback: Timeout,
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
