//! The Yew app.
use yew::prelude::*;

/// The root component.
#[component]
pub fn App() -> Html {
    html! { <h1>{ "Cutoff" }</h1> }
}
