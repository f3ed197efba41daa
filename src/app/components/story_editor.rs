//! The story editor ("explainer studio"): a story is written from what is on screen. "New
//! story" and "Add step" take the current scenario, its day and a chart; each step's title
//! and text are edited here, with a picker that binds `{KEY}` to a number in the current
//! results. The draft is autosaved in this browser; "Publish" records the numbers shown,
//! and the story leaves as a file or as a link that carries all of it. The draft's state
//! and reducer are in [`crate::app::state::story_draft`]; its file is written by the
//! engine.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::hooks::{Store, persist, use_store};
use crate::app::state::story_draft::{Draft, DraftAction, Field, OnScreen};
use crate::engine::analysis::story::{check_story, lookup, number_keys};
use crate::engine::edit::story::CHAT_LINK_LIMIT;
use crate::engine::load::story::{CHARTS, Step, parse_story};
use crate::engine::model::date::Date;
use crate::engine::presets::{preset_files, presets};
use crate::engine::render::numbers::people;
use crate::engine::render::totals::totals_json;

/// Where a story made here stands among the shipped files: where a story link opens it, so
/// that the editor and the reader compute the same numbers.
const DRAFT_PATH: &str = "stories/shared.story.toml";

type DraftHandle = UseReducerHandle<Draft>;

/// The draft as last autosaved, or none.
fn autosaved() -> Draft {
    let story = persist::story_draft().and_then(|text| parse_story(&text).ok());
    Draft {
        story: story.map(Rc::new),
        ..Draft::default()
    }
}

/// What is on screen, as a step would show it; `None` while the results are not the
/// current text's.
fn on_screen(store: &Store, chart: &str) -> Option<OnScreen> {
    let results = store.results.as_deref()?;
    // A step keeps the scenario's text and day, not the population sliders: with them
    // moved, its numbers would not be the ones on screen.
    if store.stale || store.pending || store.adjustments != Default::default() {
        return None;
    }
    let shipped = presets()
        .iter()
        .any(|p| p.path == store.path && p.text == store.text);
    // The highlight on screen, as far as these results have it.
    let segment = store
        .highlight
        .segment
        .clone()
        .filter(|s| results.segments.contains(s));
    Some(OnScreen {
        path: store.path.clone(),
        text: store.text.clone(),
        shipped,
        as_of: Some(results.as_of),
        chart: chart.to_owned(),
        segment,
        outcome: store.highlight.outcome.map(|o| o.as_str().to_owned()),
    })
}

/// Every number in the current results, by key, for the picker.
fn numbers_on_screen(store: &Store) -> Vec<(String, f64)> {
    let (Some(results), Some(prepared)) = (store.results.as_deref(), store.prepared.as_ref())
    else {
        return Vec::new();
    };
    let totals = totals_json(&prepared.0.scenario, &results.totals);
    number_keys(&totals)
        .into_iter()
        .filter_map(|key| lookup(&totals, &key).map(|value| (key, value)))
        .collect()
}

/// Today in UTC, from the browser's clock.
fn today() -> Option<Date> {
    let now = js_sys::Date::new_0();
    Date::new(
        u16::try_from(now.get_utc_full_year()).ok()?,
        u8::try_from(now.get_utc_month() + 1).ok()?,
        u8::try_from(now.get_utc_date()).ok()?,
    )
}

/// The byte offset in `text` of a caret given in UTF-16 units, as the browser gives it.
fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        if units >= utf16 {
            return at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// A file name for the story, from its title.
fn file_name(title: &str) -> String {
    let slug: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "{}.story.toml",
        if slug.is_empty() { "story" } else { &slug }
    )
}

/// Records the numbers every step shows as the published ones, or says why it cannot.
fn publish(draft: &DraftHandle) -> String {
    let (Some(story), Some(text)) = (draft.story.as_deref(), draft.text()) else {
        return String::new();
    };
    let check = check_story(DRAFT_PATH, &text, story, &preset_files());
    if let Some(problem) = check.diagnostics.first() {
        return format!("Not published: {}.", problem.message);
    }
    let Some(date) = today() else {
        return "Not published: this browser's clock is out of range.".into();
    };
    let values = check.values();
    let count = values.len();
    draft.dispatch(DraftAction::Publish {
        engine: env!("CARGO_PKG_VERSION").into(),
        date,
        values,
    });
    format!(
        "Published with {count} bound number{}.",
        if count == 1 { "" } else { "s" }
    )
}

/// What a step marks, in words: "the segment `researcher` and the outcome `collateral`";
/// `None` when it marks nothing.
pub fn highlight_words(segment: Option<&str>, outcome: Option<&str>) -> Option<String> {
    let parts: Vec<String> = [("segment", segment), ("outcome", outcome)]
        .into_iter()
        .filter_map(|(what, name)| name.map(|n| format!("the {what} `{n}`")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// Ctrl+Z inside the editor undoes the story, not the scenario (and Ctrl+Shift+Z or
/// Ctrl+Y redoes it).
fn undo_keys(draft: &DraftHandle) -> Callback<KeyboardEvent> {
    let draft = draft.clone();
    Callback::from(move |e: KeyboardEvent| {
        if !(e.ctrl_key() || e.meta_key()) {
            return;
        }
        let action = match (e.key().to_lowercase().as_str(), e.shift_key()) {
            ("z", false) => DraftAction::Undo,
            ("z", true) | ("y", _) => DraftAction::Redo,
            _ => return,
        };
        e.prevent_default();
        draft.dispatch(action);
    })
}

/// What a step added now would highlight.
fn screen_highlight(store: &Store) -> Html {
    let marked = highlight_words(
        store.highlight.segment.as_deref(),
        store.highlight.outcome.map(|o| o.as_str()),
    );
    html! {
        <p class="story-edit-source" data-testid="story-screen-highlight">
            { marked.map_or_else(
                || "Nothing is highlighted: choose a segment or an outcome above the charts to mark it in the step.".to_owned(),
                |m| format!("The step will highlight {m}."),
            ) }
        </p>
    }
}

/// A dispatch of `action` on click.
fn on_click(draft: &DraftHandle, action: DraftAction) -> Callback<MouseEvent> {
    let draft = draft.clone();
    Callback::from(move |_| draft.dispatch(action.clone()))
}

/// A dispatch of what is typed into `field`.
fn on_type(draft: &DraftHandle, field: Field) -> Callback<InputEvent> {
    let draft = draft.clone();
    Callback::from(move |e: InputEvent| {
        let value = match field {
            Field::StepText(_) => e.target_unchecked_into::<HtmlTextAreaElement>().value(),
            _ => e.target_unchecked_into::<HtmlInputElement>().value(),
        };
        draft.dispatch(DraftAction::Type(field, value));
    })
}

/// One step's controls: title, chart, text with the number picker, and moving, copying
/// and deleting it.
fn step_editor(
    draft: &DraftHandle,
    index: usize,
    step: &Step,
    count: usize,
    numbers: &[(String, f64)],
) -> Html {
    let n = index + 1;
    let text_id = format!("story-step-text-{n}");
    let insert = {
        let (draft, text_id) = (draft.clone(), text_id.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let key = select.value();
            select.set_value("");
            if key.is_empty() {
                return;
            }
            let area = gloo::utils::document()
                .get_element_by_id(&text_id)
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlTextAreaElement>(el).ok());
            let at = area.map_or(usize::MAX, |area| {
                let caret = area.selection_start().ok().flatten().unwrap_or(u32::MAX);
                byte_offset(&area.value(), caret as usize)
            });
            draft.dispatch(DraftAction::InsertKey {
                step: index,
                at,
                key,
            });
        })
    };
    let chart = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            draft.dispatch(DraftAction::SetChart(index, select.value()));
        })
    };
    let day = step.as_of.map(|d| format!(", {d}")).unwrap_or_default();
    html! {
        <li class="story-edit-step" data-testid="story-edit-step">
            <p class="story-edit-source">{ format!("Step {n}: scenario `{}`{day}", step.scenario) }</p>
            if let Some(marked) = highlight_words(step.segment.as_deref(), step.outcome.as_deref()) {
                <p class="story-edit-source" data-testid="step-highlight"
                    data-segment={step.segment.clone()} data-outcome={step.outcome.clone()}>
                    { format!("Highlights {marked}") }
                    <button type="button" data-testid="step-highlight-clear" onclick={on_click(draft, DraftAction::ClearHighlight(index))}>{ "Remove highlight" }</button>
                </p>
            }
            <label for={format!("story-step-title-{n}")}>{ "Step title" }</label>
            <input id={format!("story-step-title-{n}")} type="text" data-testid="step-title"
                value={step.title.clone()} oninput={on_type(draft, Field::StepTitle(index))} />
            <label for={format!("story-step-chart-{n}")}>{ "Chart" }</label>
            <select id={format!("story-step-chart-{n}")} data-testid="step-chart" onchange={chart}>
                { for CHARTS.iter().map(|c| html! { <option value={*c} selected={step.chart == *c}>{ *c }</option> }) }
            </select>
            <label for={text_id.clone()}>{ "Text (numbers in braces are bound to the results)" }</label>
            <textarea id={text_id.clone()} data-testid="step-text" rows="4"
                value={step.text.clone()} oninput={on_type(draft, Field::StepText(index))} />
            <label for={format!("story-step-key-{n}")}>{ "Insert a number from the results on screen" }</label>
            <select id={format!("story-step-key-{n}")} data-testid="step-key" onchange={insert}>
                <option value="" selected=true>{ "Choose a number…" }</option>
                { for numbers.iter().map(|(key, value)| html! {
                    <option value={key.clone()}>{ format!("{key} = {}", people(*value)) }</option>
                }) }
            </select>
            <div class="story-edit-buttons">
                <button type="button" data-testid="step-up" disabled={index == 0} onclick={on_click(draft, DraftAction::MoveUp(index))}>{ "Move up" }</button>
                <button type="button" data-testid="step-down" disabled={n == count} onclick={on_click(draft, DraftAction::MoveDown(index))}>{ "Move down" }</button>
                <button type="button" data-testid="step-duplicate" onclick={on_click(draft, DraftAction::Duplicate(index))}>{ "Duplicate" }</button>
                <button type="button" data-testid="step-delete" disabled={count == 1} onclick={on_click(draft, DraftAction::Delete(index))}>{ "Delete" }</button>
            </div>
        </li>
    }
}

/// The story as a standalone page (a download that works offline from disk) and as an
/// embed code whose frame sizes itself.
fn standalone_and_embed(title: &str, link: &str, message: &UseStateHandle<Option<String>>) -> Html {
    let fragment = link.split_once('#').map_or("", |(_, f)| f).to_owned();
    let on_standalone = {
        let (title, message) = (title.to_owned(), message.clone());
        let name = file_name(&title).replace(".story.toml", ".html");
        Callback::from(move |_| {
            let (title, fragment, name, message) = (
                title.clone(),
                fragment.clone(),
                name.clone(),
                message.clone(),
            );
            yew::platform::spawn_local(async move {
                let written = crate::app::standalone::app_files().await.and_then(|files| {
                    let page = crate::app::standalone::standalone_page(&files, &title, &fragment);
                    persist::download(&name, "text/html", &page)
                });
                if let Err(e) = written {
                    message.set(Some(format!("The standalone page could not be made: {e}.")));
                }
            });
        })
    };
    html! {
        <>
            <button type="button" data-testid="story-standalone" onclick={on_standalone}>{ "Download standalone page (.html)" }</button>
            <label for="story-embed-code">{ "Embed code (the frame sizes itself to the story)" }</label>
            <textarea id="story-embed-code" readonly=true rows="3" data-testid="story-embed-code" value={persist::frame_code(link, title)} />
        </>
    }
}

/// How the story leaves: publish, export, and its link (with a warning when it is too
/// long for chat tools).
fn sharing(
    draft: &DraftHandle,
    text: &str,
    link: &str,
    message: &UseStateHandle<Option<String>>,
) -> Html {
    let published = draft
        .story
        .as_deref()
        .is_some_and(|s| s.published.is_some());
    let on_publish = {
        let (draft, message) = (draft.clone(), message.clone());
        Callback::from(move |_| message.set(Some(publish(&draft))))
    };
    let on_export = {
        let (text, message) = (text.to_owned(), message.clone());
        let name = file_name(draft.story.as_deref().map_or("", |s| s.title.as_str()));
        Callback::from(move |_| {
            if let Err(e) = persist::download(&name, "application/toml", &text) {
                message.set(Some(format!("The story could not be exported: {e}.")));
            }
        })
    };
    html! {
        <div class="story-share">
            <p data-testid="story-published" data-state={if published { "published" } else { "unpublished" }}>
                { if published { "Published: the numbers shown are recorded in the story." } else { "Not published yet." } }
            </p>
            <button type="button" data-testid="story-publish" onclick={on_publish}>{ "Publish" }</button>
            <button type="button" data-testid="story-export" onclick={on_export}>{ "Export .story.toml" }</button>
            <a href={link.to_owned()} target="_blank" rel="noopener" data-testid="story-preview">{ "Preview as a reader" }</a>
            if let Some(message) = message.as_ref() {
                <p class="story-message" data-testid="story-message" role="status">{ message }</p>
            }
            <label for="story-link-url">{ format!("Link to the whole story ({} characters)", link.len()) }</label>
            <input id="story-link-url" type="text" readonly=true data-testid="story-link-url" value={link.to_owned()} />
            { standalone_and_embed(draft.story.as_deref().map_or("", |s| s.title.as_str()), link, message) }
            if link.len() > CHAT_LINK_LIMIT {
                <p class="notice" data-testid="story-link-warning">
                    { format!("This link is {} characters long; many chat tools and mail clients cut links longer than about {CHAT_LINK_LIMIT}. Send the .story.toml file instead (Export), or use fewer scenarios.", link.len()) }
                </p>
            }
        </div>
    }
}

/// The story editor.
#[component]
pub fn StoryEditor() -> Html {
    let draft = use_reducer(autosaved);
    let chart = use_state(|| "units".to_owned());
    let title = use_state(String::new);
    let message = use_state(|| None::<String>);
    let store = use_store();
    // The picker's numbers change with the results only, and the file and its link with the
    // story only, not with every keystroke in the scenario.
    let results_at = store
        .as_ref()
        .and_then(|s| s.results.as_ref())
        .map(|r| Rc::as_ptr(r) as usize);
    let numbers = {
        let store = store.clone();
        use_memo(results_at, move |_| {
            store.as_ref().map(numbers_on_screen).unwrap_or_default()
        })
    };
    let file = use_memo(draft.story.clone(), |story| {
        story.as_deref().map(|story| {
            let text = crate::engine::edit::story::write_story(story);
            let link = persist::story_link(&text);
            (text, link)
        })
    });
    // The draft is kept in this browser after every change.
    {
        let message = message.clone();
        use_effect_with(file.clone(), move |file| {
            let text = file.as_ref().as_ref().map(|(text, _)| text.as_str());
            if let Err(e) = persist::save_story_draft(text) {
                message.set(Some(e));
            }
        });
    }
    let Some(store) = store else {
        return html! {};
    };
    let screen = on_screen(&store, &chart);
    let on_chart = {
        let chart = chart.clone();
        Callback::from(move |e: Event| {
            chart.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let on_title = {
        let title = title.clone();
        Callback::from(move |e: InputEvent| {
            title.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let add = match (&draft.story, screen) {
        (None, Some(screen)) => {
            let name = if title.trim().is_empty() {
                "Untitled story".to_owned()
            } else {
                (*title).clone()
            };
            Some(on_click(&draft, DraftAction::New(name, screen)))
        }
        (Some(_), Some(screen)) => Some(on_click(&draft, DraftAction::AddStep(screen))),
        _ => None,
    };
    let on_key = undo_keys(&draft);
    html! {
        <section class="studio" aria-labelledby="studio-heading" data-testid="story-editor" data-undo="story" onkeydown={on_key}>
            <h2 id="studio-heading">{ "Story editor" }</h2>
            <p class="hint">{ "Write a guided explainer from what is on screen: each step keeps the scenario, its day, a chart and the segment or outcome highlighted on the charts." }</p>
            if let Some(story) = draft.story.as_deref() {
                <label for="story-title">{ "Story title" }</label>
                <input id="story-title" type="text" data-testid="story-title" value={story.title.clone()} oninput={on_type(&draft, Field::Title)} />
                <label for="story-description">{ "One sentence on what it shows" }</label>
                <input id="story-description" type="text" data-testid="story-description" value={story.description.clone()} oninput={on_type(&draft, Field::Description)} />
                <ol class="story-edit-steps">
                    { for story.steps.iter().enumerate().map(|(i, s)| step_editor(&draft, i, s, story.steps.len(), &numbers)) }
                </ol>
            } else {
                <label for="story-new-title">{ "Title of a new story" }</label>
                <input id="story-new-title" type="text" data-testid="story-new-title" value={(*title).clone()} oninput={on_title} />
            }
            <div class="story-edit-buttons">
                <label for="story-chart">{ "Chart for the step" }</label>
                <select id="story-chart" data-testid="story-chart" onchange={on_chart}>
                    { for CHARTS.iter().map(|c| html! { <option value={*c} selected={*chart == *c}>{ *c }</option> }) }
                </select>
                { screen_highlight(&store) }
                if draft.story.is_some() {
                    <button type="button" data-testid="story-add" disabled={add.is_none()} onclick={add.unwrap_or_default()}>{ "Add step from this screen" }</button>
                } else {
                    <button type="button" data-testid="story-new" disabled={add.is_none()} onclick={add.unwrap_or_default()}>{ "New story from this screen" }</button>
                }
                if store.adjustments != Default::default() {
                    <p class="story-edit-source" data-testid="story-sliders-note">{ "A step keeps the scenario's text and day, not the population sliders: reset them (or write the change into the text) to add this screen." }</p>
                }
                <button type="button" data-testid="story-undo" disabled={draft.past.is_empty()} onclick={on_click(&draft, DraftAction::Undo)}>{ "Undo" }</button>
                <button type="button" data-testid="story-redo" disabled={draft.future.is_empty()} onclick={on_click(&draft, DraftAction::Redo)}>{ "Redo" }</button>
                if draft.story.is_some() {
                    <button type="button" data-testid="story-discard" onclick={on_click(&draft, DraftAction::Discard)}>{ "Discard story" }</button>
                }
            </div>
            if let Some((text, link)) = file.as_ref() {
                { sharing(&draft, text, link, &message) }
            }
        </section>
    }
}
