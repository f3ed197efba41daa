//! Story mode: a guided explainer from `policies/stories/`, one step at a time, each step a
//! scenario on a day with one chart and a short text. Every step has its own link
//! (`?story=friday-letter&step=3`).

use yew::prelude::*;

use super::charts::{LawMatrix, Timeline, UnitChart};
use super::map::WorldMap;
use crate::app::hooks::use_store;
use crate::app::state::Action;
pub use crate::app::state::route::{
    StoryConfig, load, step_document, story_config as config, story_path,
};
use crate::engine::analysis::story::{CheckState, StoryCheck, bindings, check_story};
use crate::engine::load::story::Story;
use crate::engine::presets::{preset_files, stories};
use crate::engine::render::numbers::people;

/// Every bound number of a shipped story, computed from the shipped files, and its check.
fn check(id: &str, story: &Story) -> Option<StoryCheck> {
    let (_, text) = stories().into_iter().find(|(sid, _)| *sid == id)?;
    Some(check_story(&story_path(id), text, story, &preset_files()))
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

/// The story's check: verified, changed (with the numbers that moved) or unpublished.
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
                <ul>
                    { for check.moved.iter().map(|m| html! {
                        <li data-key={m.key.clone()}>{ format!("{}: published {}, now {}", m.key, number(m.published), number(m.now)) }</li>
                    }) }
                </ul>
            }
        </div>
    }
}

fn set_step_in_url(id: &str, step: usize) {
    let window = gloo::utils::window();
    let url = format!(
        "{}?story={id}&step={step}",
        window.location().pathname().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Properties of the story view.
#[derive(Properties, PartialEq)]
pub struct StoryProps {
    /// Which story and where to start.
    pub config: StoryConfig,
}

/// The story view.
#[component]
pub fn StoryView(props: &StoryProps) -> Html {
    let step = use_state(|| props.config.step);
    // Every bound number, computed once per story from the shipped files.
    let checked = use_memo(props.config.id.clone(), |id| {
        load(id).and_then(|story| check(id, &story))
    });
    let Some(store) = use_store() else {
        return html! {};
    };
    let id = props.config.id.clone();
    let Some(story) = load(&id) else {
        return html! { <p class="notice" data-testid="notice">{ format!("There is no story `{id}`.") }</p> };
    };
    let count = story.steps.len();
    let current = (*step).min(count).max(1);

    let go = |to: usize| {
        let (store, step, id, story) = (store.clone(), step.clone(), id.clone(), story.clone());
        Callback::from(move |_| {
            if let Some(document) = step_document(&id, &story, to) {
                store.dispatch(Action::Open(document));
                step.set(to);
                set_step_in_url(&id, to);
            }
        })
    };
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
    html! {
        <main class="story" data-testid="story">
            <header>
                <p class="story-title">{ &story.title }</p>
                <p class="story-step" data-testid="story-step">{ format!("Step {current} of {count}") }</p>
            </header>
            <h1>{ &this.title }</h1>
            if let Some(checked) = checked.as_ref() {
                { step_text(&this.text, checked.steps.get(current - 1).map(|s| s.numbers.as_slice()).unwrap_or_default()) }
                { check_badge(checked) }
            } else {
                <p class="story-text">{ &this.text }</p>
            }
            if let Some(headline) = headline {
                <p class="headline" data-testid="headline">{ headline }</p>
            }
            { chart }
            <nav class="story-nav" aria-label="Story steps">
                <button type="button" data-testid="story-prev" disabled={current <= 1} onclick={go(current.saturating_sub(1))}>{ "Previous" }</button>
                <button type="button" data-testid="story-next" disabled={current >= count} onclick={go(current + 1)}>{ "Next" }</button>
                <ol class="story-steps">
                    { for story.steps.iter().enumerate().map(|(i, s)| html! {
                        <li class={classes!((i + 1 == current).then_some("current"))}>
                            <a href={format!("?story={id}&step={}", i + 1)}>{ &s.title }</a>
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

    #[test]
    fn every_step_of_every_story_opens_a_shipped_scenario() {
        let all = stories();
        assert!(!all.is_empty());
        for (id, _) in all {
            let story = load(id).unwrap_or_else(|| panic!("story {id} parses"));
            for step in 1..=story.steps.len() {
                assert!(
                    step_document(id, &story, step).is_some(),
                    "{id} step {step}"
                );
            }
        }
        assert_eq!(
            config("?story=friday-letter&step=3"),
            Some(StoryConfig {
                id: "friday-letter".into(),
                step: 3
            })
        );
        assert_eq!(config("?embed=x"), None);
    }
}
