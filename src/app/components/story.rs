//! Story mode: a guided explainer from `policies/stories/` or carried whole by its link
//! (`?story=shared#story=1.…`), one step at a time, each step a scenario on a day with one
//! chart and a short text. Every step has its own link (`?story=friday-letter&step=3`);
//! the arrow keys step through it.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::charts::{LawMatrix, Timeline, UnitChart, outcome_label};
use super::map::WorldMap;
use crate::app::hooks::use_store;
pub use crate::app::state::route::{
    LoadedStory, StoryConfig, open_story, step_document, story_config as config,
};
use crate::app::state::{Action, Highlight};
use crate::engine::analysis::story::{CheckState, StoryCheck, bindings, check_story};
use crate::engine::model::outcome::Outcome;
use crate::engine::presets::preset_files;
use crate::engine::render::numbers::people;

/// Every bound number of a story, computed from the shipped files, and its check.
fn check(loaded: &LoadedStory) -> StoryCheck {
    check_story(&loaded.path, &loaded.text, &loaded.story, &preset_files())
}

/// A step's text with each `{KEY}` replaced by its number.
fn step_text(text: &str, numbers: &[(String, Option<f64>)]) -> Html {
    let mut parts = Vec::new();
    let mut at = 0;
    for binding in bindings(text) {
        parts.push(html! { { text.get(at..binding.start).unwrap_or_default() } });
        let value = numbers
            .iter()
            .find(|(key, _)| *key == binding.key)
            .and_then(|(_, value)| *value);
        parts.push(html! {
            <span class="story-number" data-testid="story-number" data-key={binding.key.clone()}
                data-value={value.map(|v| v.to_string()).unwrap_or_default()}>
                { value.map_or_else(|| "?".to_owned(), people) }
            </span>
        });
        at = binding.end;
    }
    parts.push(html! { { text.get(at..).unwrap_or_default() } });
    html! { <p class="story-text">{ for parts }</p> }
}

/// What a step highlights, in a reader's words ("“blocked though lawful” in the researcher
/// segment"); `None` when it highlights nothing.
fn reader_words(segment: Option<&str>, outcome: Option<&str>) -> Option<String> {
    let outcome = outcome
        .and_then(Outcome::parse)
        .map(|o| format!("“{}”", outcome_label(o).to_lowercase()));
    match (segment, outcome) {
        (None, None) => None,
        (Some(s), None) => Some(format!("the {s} segment")),
        (None, Some(o)) => Some(o),
        (Some(s), Some(o)) => Some(format!("{o} in the {s} segment")),
    }
}

/// The story's check: verified, changed (with the numbers that moved, published and now
/// side by side) or unpublished.
fn check_badge(check: &StoryCheck) -> Html {
    let state = check.state.as_str();
    let number = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), people);
    let message = match check.state {
        CheckState::Verified => "Every number is the one published.".to_owned(),
        CheckState::Changed => "Some numbers changed since this story was published:".to_owned(),
        CheckState::Unpublished => {
            "This story is not published: its numbers are computed now.".to_owned()
        }
    };
    html! {
        <div class={classes!("story-check", state)} data-testid="story-check" data-state={state}>
            <p>{ message }</p>
            if !check.moved.is_empty() {
                <table class="story-moved" data-testid="story-moved">
                    <thead><tr><th scope="col">{ "Number" }</th><th scope="col">{ "Published" }</th><th scope="col">{ "Now" }</th></tr></thead>
                    <tbody>
                        { for check.moved.iter().map(|m| html! {
                            <tr data-key={m.key.clone()}>
                                <th scope="row"><code>{ &m.key }</code></th>
                                <td data-testid="moved-published" data-value={m.published.map(|v| v.to_string()).unwrap_or_default()}>{ number(m.published) }</td>
                                <td data-testid="moved-now" data-value={m.now.map(|v| v.to_string()).unwrap_or_default()}>{ number(m.now) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

/// The address of a step: the story's id, the step, and the story itself for a link.
fn step_href(config: &StoryConfig, step: usize) -> String {
    let fragment = config
        .link
        .as_ref()
        .map(|l| format!("#{l}"))
        .unwrap_or_default();
    format!("?story={}&step={step}{fragment}", config.id)
}

fn set_step_in_url(config: &StoryConfig, step: usize) {
    let window = gloo::utils::window();
    let url = format!(
        "{}{}",
        window.location().pathname().unwrap_or_default(),
        step_href(config, step)
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Whether a key press is meant for a text field rather than the page.
fn typing_in_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Left and right arrows go to the previous and the next step while the story is open.
#[hook]
fn use_arrow_keys(previous: Callback<()>, next: Callback<()>, current: usize) {
    use_effect_with(current, move |_| {
        let listener =
            gloo::events::EventListener::new(&gloo::utils::document(), "keydown", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                let plain = !(event.ctrl_key() || event.meta_key() || event.alt_key());
                if !plain || typing_in_field(event) {
                    return;
                }
                match event.key().as_str() {
                    "ArrowLeft" => previous.emit(()),
                    "ArrowRight" => next.emit(()),
                    _ => {}
                }
            });
        move || drop(listener)
    });
}

/// Properties of the story view.
#[derive(Properties, PartialEq)]
pub struct StoryProps {
    /// Which story and where to start.
    pub config: StoryConfig,
}

/// The story view: a shipped story, or one carried by its link.
#[component]
pub fn StoryView(props: &StoryProps) -> Html {
    let step = use_state(|| props.config.step);
    // The story and every bound number, computed once from the shipped files.
    let loaded = use_memo(props.config.clone(), |config| {
        open_story(config).map(|loaded| {
            let checked = check(&loaded);
            (Rc::new(loaded), checked)
        })
    });
    let store = use_store();
    let count = match &*loaded {
        Ok((l, _)) => l.story.steps.len(),
        Err(_) => 1,
    };
    let current = (*step).min(count).max(1);
    let go = |to: usize| {
        let (store, step, loaded) = (store.clone(), step.clone(), loaded.clone());
        let config = props.config.clone();
        Callback::from(move |_: ()| {
            // The first step has no previous one, and the last no next one.
            let Ok((loaded, _)) = loaded.as_ref() else {
                return;
            };
            if to == current {
                return;
            }
            if let (Some(store), Some(document)) =
                (&store, step_document(&loaded.path, &loaded.story, to))
            {
                store.dispatch(Action::Open(document));
                step.set(to);
                set_step_in_url(&config, to);
            }
        })
    };
    // The step's chart marks what the step highlights, as the main view does.
    let marked = match &*loaded {
        Ok((l, _)) => l
            .story
            .steps
            .get(current - 1)
            .map_or_else(Highlight::default, |s| {
                Highlight::of_step(s.segment.as_deref(), s.outcome.as_deref())
            }),
        Err(_) => Highlight::default(),
    };
    {
        let store = store.clone();
        use_effect_with(marked, move |marked| {
            if let Some(store) = store.filter(|s| s.highlight != *marked) {
                store.dispatch(Action::Highlight(marked.clone()));
            }
        });
    }
    let previous = go(current.saturating_sub(1).max(1));
    let next = go((current + 1).min(count));
    use_arrow_keys(previous.clone(), next.clone(), current);
    let Some(store) = store else {
        return html! {};
    };
    let (loaded, checked) = match loaded.as_ref() {
        Ok(found) => found,
        Err(message) => {
            return html! { <p class="notice" data-testid="notice">{ message }</p> };
        }
    };
    let story = &loaded.story;
    let Some(this) = story.steps.get(current - 1) else {
        return html! {};
    };
    let chart = match (&store.results, this.chart.as_str()) {
        (None, _) => html! {},
        (Some(r), "matrix") => html! { <LawMatrix results={r.clone()} /> },
        (Some(r), "units") => html! { <UnitChart results={r.clone()} /> },
        (Some(r), "map") => html! { <WorldMap results={r.clone()} /> },
        (Some(r), "timeline") => html! { <Timeline results={r.clone()} /> },
        (Some(_), _) => html! {},
    };
    let headline = store.results.as_deref().map(super::results::headline);
    let numbers = checked.steps.get(current - 1).map(|s| s.numbers.as_slice());
    html! {
        <main class="story" data-testid="story">
            <header>
                <p class="story-title">{ &story.title }</p>
                <p class="story-step" data-testid="story-step">{ format!("Step {current} of {count}") }</p>
            </header>
            <h1>{ &this.title }</h1>
            { step_text(&this.text, numbers.unwrap_or_default()) }
            { check_badge(checked) }
            if let Some(marked) = reader_words(this.segment.as_deref(), this.outcome.as_deref()) {
                <p class="story-highlight" data-testid="story-highlight"
                    data-segment={this.segment.clone()} data-outcome={this.outcome.clone()}>
                    { format!("Highlighted: {marked}.") }
                </p>
            }
            if let Some(headline) = headline {
                <p class="headline" data-testid="headline">{ headline }</p>
            }
            { chart }
            <nav class="story-nav" aria-label="Story steps">
                <button type="button" data-testid="story-prev" disabled={current <= 1} onclick={previous.reform(|_| ())}>{ "Previous" }</button>
                <button type="button" data-testid="story-next" disabled={current >= count} onclick={next.reform(|_| ())}>{ "Next" }</button>
                <p class="story-keys">{ "Or use the left and right arrow keys." }</p>
                <ol class="story-steps" data-testid="story-steps">
                    { for story.steps.iter().enumerate().map(|(i, s)| html! {
                        <li class={classes!((i + 1 == current).then_some("current"))}>
                            <a href={step_href(&props.config, i + 1)}
                                aria-current={(i + 1 == current).then_some("step")}>{ &s.title }</a>
                        </li>
                    }) }
                </ol>
            </nav>
            <p class="embed-credit">
                <a href={crate::app::hooks::persist::link(&store.snapshot())}>{ "Open this step in the full app" }</a>
                { " — population sizes are illustrative; sources are listed in the app." }
            </p>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::route::{load, story_path};
    use crate::engine::presets::stories;

    #[test]
    fn every_step_of_every_story_opens_a_shipped_scenario() {
        let all = stories();
        assert!(!all.is_empty());
        for (id, _) in all {
            let story = load(id).unwrap_or_else(|| panic!("story {id} parses"));
            for step in 1..=story.steps.len() {
                assert!(
                    step_document(&story_path(id), &story, step).is_some(),
                    "{id} step {step}"
                );
            }
        }
        assert_eq!(
            config("?story=friday-letter&step=3", ""),
            Some(StoryConfig {
                id: "friday-letter".into(),
                step: 3,
                link: None,
            })
        );
        assert_eq!(config("?embed=x", "#story=1.abc"), None);
        assert_eq!(
            reader_words(Some("researcher"), Some("collateral")).as_deref(),
            Some("“blocked though lawful” in the researcher segment")
        );
        assert_eq!(
            reader_words(Some("employee"), Some("nope")).as_deref(),
            Some("the employee segment")
        );
        assert_eq!(reader_words(None, None), None);
        assert_eq!(
            super::super::story_editor::highlight_words(None, Some("denied")).as_deref(),
            Some("the outcome `denied`")
        );
        assert_eq!(
            config("?story=shared", "#story=1.abc").and_then(|c| c.link),
            Some("story=1.abc".into())
        );
    }
}
