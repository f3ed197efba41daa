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
