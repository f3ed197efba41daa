//! The scenario editor: line numbers, syntax highlighting, diagnostics marked where they
//! are, and the list of diagnostics under it. Typing updates the text at once and
//! re-simulates once the typing pauses.

use std::collections::BTreeMap;

use gloo::timers::callback::Timeout;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

use super::highlight::{self, Run};
use crate::app::hooks::use_store;
use crate::app::state::Action;

/// How long typing must pause before a long text is simulated again.
const DEBOUNCE_MS: u32 = 150;

/// Texts up to this size (any scenario without a large inline population) are simulated
/// at every keystroke; longer ones when typing pauses.
const QUICK_TEXT_BYTES: usize = 64 * 1024;

fn runs_html(runs: Vec<Run>) -> Html {
    html! {
        { for runs.into_iter().map(|run| {
            let class = classes!(
                (!run.class.is_empty()).then(|| format!("tok-{}", run.class)),
                run.mark.map(|m| format!("mark-{m}"))
            );
            html! { <span {class}>{ run.text }</span> }
        }) }
    }
}

/// Marks on lines: for each line (1-based), the columns each diagnostic covers and its
/// severity.
type Marks = BTreeMap<usize, Vec<(usize, usize, &'static str)>>;

/// Properties of the line numbers.
#[derive(Properties, PartialEq)]
struct LineNumbersProps {
    /// How many lines the text has.
    lines: usize,
    /// The diagnostics' marks.
    marks: Marks,
}

/// The gutter's line numbers, each marked when its line has a problem. A component of its
/// own, so that it is drawn again only when they change, not on every change of the app.
#[component]
fn LineNumbers(props: &LineNumbersProps) -> Html {
    html! {
        { for (1..=props.lines).map(|n| html! {
            <div class={classes!("line-number", props.marks.get(&n).map(|marks| format!("has-{}", marks.first().map_or("error", |m| m.2))))}>{ n }</div>
        }) }
    }
}

/// Properties of the highlighted text.
#[derive(Properties, PartialEq)]
struct CodeLinesProps {
    /// The scenario text.
    text: AttrValue,
    /// The diagnostics' marks.
    marks: Marks,
}

/// The text, highlighted line by line under the text area, diagnostics marked. Drawn
/// again only when the text or its marks change.
#[component]
fn CodeLines(props: &CodeLinesProps) -> Html {
    html! {
        { for props.text.split('\n').enumerate().map(|(i, text)| {
            let mut runs = highlight::line(text);
            for (start, end, severity) in props.marks.get(&(i + 1)).into_iter().flatten() {
                runs = highlight::mark(runs, *start, *end, severity);
            }
            html! { <div class="code-line">{ runs_html(runs) }{ "\u{200b}" }</div> }
        }) }
    }
}

/// The scenario text, editable; results follow every pause in typing.
#[component]
pub fn Editor() -> Html {
    let highlight_ref = use_node_ref();
    let gutter_ref = use_node_ref();
    let store = use_store();
    {
        // A long text (an inline population) is simulated again once typing pauses; a new
        // keystroke cancels the pending run.
        let store = store.clone();
        let text = store.as_ref().map(|s| s.text.clone()).unwrap_or_default();
        use_effect_with(text, move |text| {
            let pending = store
                .filter(|_| text.len() > QUICK_TEXT_BYTES)
                .map(|store| {
                    Timeout::new(DEBOUNCE_MS, move || {
                        store.dispatch(Action::Recompute {
                            at_ms: crate::app::now_ms(),
                        });
                    })
                });
            move || drop(pending)
        });
    }
    let Some(store) = store else { return html! {} };
    let on_input = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let text = area.value();
            let quick = text.len() <= QUICK_TEXT_BYTES;
            store.dispatch(Action::Edit(text));
            // A short text is simulated at every keystroke: it takes about a millisecond.
            if quick {
                store.dispatch(Action::Recompute {
                    at_ms: crate::app::now_ms(),
                });
            }
        })
    };
    let on_scroll = {
        let (highlight_ref, gutter_ref) = (highlight_ref.clone(), gutter_ref.clone());
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(pre) = highlight_ref.cast::<Element>() {
                pre.set_scroll_top(area.scroll_top());
                pre.set_scroll_left(area.scroll_left());
            }
            if let Some(gutter) = gutter_ref.cast::<Element>() {
                gutter.set_scroll_top(area.scroll_top());
            }
        })
    };
    // Diagnostics in this text, by line.
    let path = store.editor_path().to_owned();
    let mut marks = Marks::new();
    for d in store.diagnostics.iter().filter(|d| d.file == path) {
        let severity = if d.is_error() { "error" } else { "warning" };
        marks
            .entry(d.line)
            .or_default()
            .push((d.column, d.end_column, severity));
    }
    let text = AttrValue::from(store.text.clone());
    html! {
        <div class="editor">
            <label for="editor">{ "Scenario (TOML)" }</label>
            <div class={classes!("code", store.pending.then_some("pending"))}>
                <div class="gutter" ref={gutter_ref} aria-hidden="true">
                    <LineNumbers lines={store.text.split('\n').count()} marks={marks.clone()} />
                </div>
                <div class="code-area">
                    <pre class="highlight" ref={highlight_ref} aria-hidden="true">
                        <CodeLines text={text} {marks} />
                    </pre>
                    <textarea id="editor" data-testid="editor" spellcheck="false" wrap="off"
                        autocomplete="off" autocapitalize="off"
                        value={store.text.clone()} oninput={on_input} onscroll={on_scroll} />
                </div>
            </div>
            <ul class="diagnostics" data-testid="diagnostics" aria-label="Problems" aria-live="polite">
                { for store.diagnostics.iter().map(|d| html! {
                    <li class={classes!("diagnostic", d.severity.to_string())}
                        data-line={d.line.to_string()} data-column={d.column.to_string()}>
                        <span class="where">{ format!("{}:{}:{}", d.file, d.line, d.column) }</span>
                        <span class="severity">{ d.severity.to_string() }</span>
                        <span class="message">{ &d.message }</span>
                        if let Some(help) = &d.help {
                            <span class="help">{ format!("help: {help}") }</span>
                        }
                    </li>
                }) }
            </ul>
        </div>
    }
}
