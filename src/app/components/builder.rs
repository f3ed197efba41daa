//! The rule builder: a form over the same scenario text. It lists the inline directives
//! and their rules, and adds, reorders, deletes and edits them through `engine::edit`, so
//! the text and the form are always one document. A condition the form cannot show as a
//! list of clauses joined by `and` stays editable as text, untouched; the clauses
//! themselves are `engine::edit::clauses`.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::hooks::{Store, use_store};
use crate::app::state::Action;
use crate::engine::edit::clauses::{
    ATTRIBUTES, Clause, EVERYONE, Operator, clauses, condition_text, find_places, place_clause,
    with_clause_added, without_clause,
};
use crate::engine::edit::{self, RuleOwner};
use crate::engine::model::condition;

fn replace(store: &Store, text: String) {
    store.dispatch(Action::Replace(text));
}

/// A button that replaces the text with `edit` of it. The edit is worked out when the
/// button is pressed, not each time the form is drawn.
fn edit_button(
    store: &Store,
    label: &'static str,
    edit: impl Fn(&str) -> String + 'static,
    testid: String,
) -> Html {
    let store = store.clone();
    let onclick = Callback::from(move |_| replace(&store, edit(&store.text)));
    html! { <button type="button" data-testid={testid} {onclick}>{ label }</button> }
}

/// One rule in a list: its form, and the buttons that move and delete it. `name` is how
/// the test hooks name its owner (a directive's id, or `response`).
fn rule_item(
    store: &Store,
    owner: RuleOwner,
    r: usize,
    name: &str,
    rule: Option<&crate::engine::model::Rule>,
) -> Html {
    html! {
        <li>
            <RuleForm {owner} rule={r}
                effect={rule.map_or_else(|| "deny".to_owned(), |x| x.effect.to_string())}
                when={rule.map_or_else(String::new, |x| x.when_text.clone())} />
            <div class="row-buttons">
                { edit_button(store, "↑", move |t| edit::move_rule(t, owner, r, true), format!("rule-up-{name}-{}", r + 1)) }
                { edit_button(store, "↓", move |t| edit::move_rule(t, owner, r, false), format!("rule-down-{name}-{}", r + 1)) }
                { edit_button(store, "Delete rule", move |t| edit::remove_rule(t, owner, r), format!("rule-delete-{name}-{}", r + 1)) }
            </div>
        </li>
    }
}

/// One inline directive: its buttons and its rules.
fn directive_fieldset(
    store: &Store,
    d: usize,
    block: &edit::DirectiveBlock,
    directive: Option<&crate::engine::model::Directive>,
) -> Html {
    let owner = RuleOwner::Directive(d);
    let id = directive.map_or_else(|| format!("directive {}", d + 1), |x| x.id.clone());
    html! {
        <fieldset class="builder-directive" data-directive={id.clone()}>
            <legend>{ &id }</legend>
            <div class="row-buttons">
                { edit_button(store, "↑ Move up", move |t| edit::move_directive(t, d, true), format!("up-{id}")) }
                { edit_button(store, "↓ Move down", move |t| edit::move_directive(t, d, false), format!("down-{id}")) }
                { edit_button(store, "Delete directive", move |t| edit::remove_directive(t, d), format!("delete-{id}")) }
            </div>
            <ol class="builder-rules">
                { for (0..block.rules.len()).map(|r| rule_item(store, owner, r, &id, directive.and_then(|x| x.rules.get(r)))) }
            </ol>
            { edit_button(store, "Add rule", move |t| edit::add_rule(t, owner, "deny", "not us_person"), format!("add-rule-{id}")) }
        </fieldset>
    }
}

/// The provider's own rules.
fn response_fieldset(store: &Store) -> Html {
    let text = &store.text;
    let owner = RuleOwner::Response;
    let prepared = store.prepared.as_ref().map(|p| p.0.clone());
    let rules = prepared
        .as_ref()
        .map(|p| p.scenario.response.rules.as_slice())
        .unwrap_or_default();
    html! {
        <fieldset class="builder-directive" data-directive="response">
            <legend>{ "The provider's own rules" }</legend>
            <p class="hint">{ "First match wins; a deny or license rule blocks access whatever the law says." }</p>
            <ol class="builder-rules">
                { for (0..edit::rule_count(text, owner)).map(|r| rule_item(store, owner, r, "response", rules.get(r))) }
            </ol>
            { edit_button(store, "Add a provider rule", move |t| edit::add_rule(t, owner, "deny", "sector == \"security\""), "add-rule-response".to_owned()) }
        </fieldset>
    }
}

/// The form.
#[component]
pub fn RuleBuilder() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let text = store.text.clone();
    let blocks = edit::inline_directives(&text);
    // The inline directives are the last ones of the scenario, in the same order.
    let directives = store
        .prepared
        .as_ref()
        .map(|p| p.0.scenario.directives.clone())
        .unwrap_or_default();
    let offset = directives.len().saturating_sub(blocks.len());
    let as_of = store
        .results
        .as_ref()
        .map(|r| r.as_of.to_string())
        .unwrap_or_else(|| "2026-11-21".into());
    let id = format!("directive-{}", blocks.len() + 1);
    html! {
        <details class="builder" data-testid="builder">
            <summary>{ "Rule builder" }</summary>
            <p class="hint">{ "Edits the directives written in this scenario; directives read from other files are shown in the text only. Every change here is a change to the text above." }</p>
            { for blocks.iter().enumerate().map(|(d, block)| directive_fieldset(&store, d, block, directives.get(offset + d))) }
            { edit_button(&store, "Add directive", move |t| edit::add_directive(t, &id, &as_of), "add-directive".to_owned()) }
            { response_fieldset(&store) }
        </details>
    }
}

/// Properties of one rule's form.
#[derive(Properties, PartialEq)]
pub struct RuleFormProps {
    /// Whose rule it is.
    pub owner: RuleOwner,
    /// Index of the rule.
    pub rule: usize,
    /// Its effect.
    pub effect: String,
    /// Its condition text.
    pub when: String,
}

/// Writes one rule's effect and condition back into the text.
#[derive(Clone)]
struct RuleWriter {
    store: Store,
    owner: RuleOwner,
    rule: usize,
    effect: String,
    when: String,
}

impl RuleWriter {
    fn write(&self, effect: &str, when: &str) {
        let text = edit::set_rule(&self.store.text, self.owner, self.rule, effect, when);
        replace(&self.store, text);
    }

    /// Writes the clauses as the condition, keeping the effect.
    fn write_clauses(&self, clauses: &[Clause]) {
        self.write(&self.effect, &condition_text(clauses));
    }
}

/// The clauses on screen, and the writer that stores a change to one of them.
#[derive(Clone)]
struct ClauseEditor {
    writer: RuleWriter,
    clauses: Rc<Vec<Clause>>,
}

impl ClauseEditor {
    /// Changes the clause at `index` and writes them all.
    fn update(&self, index: usize, change: impl FnOnce(&mut Clause)) {
        let mut next = self.clauses.to_vec();
        if let Some(clause) = next.get_mut(index) {
            change(clause);
        }
        self.writer.write_clauses(&next);
    }
}

/// The value of the select or input an event came from.
fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// One rule: its effect and its clauses (or its text, if it has no clause form).
#[component]
pub fn RuleForm(props: &RuleFormProps) -> Html {
    let search = use_state(String::new);
    let Some(store) = use_store() else {
        return html! {};
    };
    let (owner, rule) = (props.owner, props.rule);
    // Test hooks name directives by index and the response `r`.
    let directive = match owner {
        RuleOwner::Directive(d) => d.to_string(),
        RuleOwner::Response => "r".to_owned(),
    };
    let writer = RuleWriter {
        store,
        owner,
        rule,
        effect: props.effect.clone(),
        when: props.when.clone(),
    };
    let effect_select = effect_select(&writer, &directive);
    let parsed = condition::parse(&props.when).ok().and_then(|c| clauses(&c));
    let Some(clauses) = parsed else {
        let on_text = {
            let writer = writer.clone();
            Callback::from(move |e: Event| writer.write(&writer.effect, &input_value(&e)))
        };
        return html! {
            <div class="rule-form">
                { effect_select }
                <label class="raw">{ "when " }<input type="text" value={props.when.clone()} onchange={on_text} /></label>
                <p class="hint">{ "This condition uses `or` or nesting; edit it as text." }</p>
            </div>
        };
    };
    let editor = ClauseEditor {
        writer,
        clauses: Rc::new(clauses),
    };
    let add_clause = {
        let editor = editor.clone();
        Callback::from(move |_| {
            editor
                .writer
                .write_clauses(&with_clause_added(&editor.clauses))
        })
    };
    let hooks = format!("{directive}-{rule}");
    html! {
        <div class="rule-form" data-testid={format!("rule-{hooks}")}>
            { effect_select }
            <span>{ " when " }</span>
            <ul class="clauses">
                { for editor.clauses.iter().enumerate().map(|(i, clause)| clause_row(&editor, i, clause, &hooks)) }
            </ul>
            <button type="button" onclick={add_clause}>{ "Add clause" }</button>
            { place_search(&editor, &search, &hooks) }
        </div>
    }
}

/// The rule's effect.
fn effect_select(writer: &RuleWriter, directive: &str) -> Html {
    let on_effect = {
        let writer = writer.clone();
        Callback::from(move |e: Event| writer.write(&select_value(&e), &writer.when))
    };
    html! {
        <select class="effect-select" data-testid={format!("effect-{directive}-{}", writer.rule)} onchange={on_effect}>
            { for ["deny", "license", "allow"].iter().map(|e| html! { <option value={*e} selected={writer.effect == *e}>{ *e }</option> }) }
        </select>
    }
}

/// One clause: attribute, operator and values, and a button that removes it. `hooks` is
/// the rule's part of the test hooks (`directive-rule`).
fn clause_row(editor: &ClauseEditor, i: usize, clause: &Clause, hooks: &str) -> Html {
    let on_attribute = {
        let editor = editor.clone();
        Callback::from(move |e: Event| {
            let value = select_value(&e);
            editor.update(i, |c| c.set_attribute(&value));
        })
    };
    let on_operator = {
        let editor = editor.clone();
        Callback::from(move |e: Event| {
            if let Some(operator) = Operator::parse(&select_value(&e)) {
                editor.update(i, |c| c.operator = operator);
            }
        })
    };
    let on_values = {
        let editor = editor.clone();
        Callback::from(move |e: Event| {
            let value = input_value(&e);
            editor.update(i, |c| c.set_values(&value));
        })
    };
    let remove = {
        let editor = editor.clone();
        Callback::from(move |_| {
            editor
                .writer
                .write_clauses(&without_clause(&editor.clauses, i))
        })
    };
    let boolean = clause.is_boolean();
    let operators: &[Operator] = if boolean {
        &Operator::FOR_BOOLEANS
    } else {
        &Operator::FOR_VALUES
    };
    html! {
        <li class="clause">
            if i > 0 { <span class="and">{ "and " }</span> }
            <select aria-label="Attribute" data-testid={format!("attribute-{hooks}-{i}")} onchange={on_attribute}>
                { for ATTRIBUTES.iter().map(|a| html! { <option value={*a} selected={clause.attribute == *a}>{ *a }</option> }) }
                if !ATTRIBUTES.contains(&clause.attribute.as_str()) {
                    <option value={clause.attribute.clone()} selected=true>{ &clause.attribute }</option>
                }
            </select>
            if clause.attribute != EVERYONE {
                <select aria-label="Operator" data-testid={format!("operator-{hooks}-{i}")} onchange={on_operator}>
                    { for operators.iter().map(|o| html! { <option value={o.as_str()} selected={clause.operator == *o}>{ o.as_str() }</option> }) }
                </select>
            }
            if !boolean {
                <input type="text" aria-label="Values, separated by commas" data-testid={format!("values-{hooks}-{i}")}
                    value={clause.values.join(", ")} onchange={on_values} />
            }
            <button type="button" aria-label="Remove this clause" onclick={remove}>{ "×" }</button>
        </li>
    }
}

/// The search for a country or group, which adds what is picked to the last clause on
/// nationality or residence.
fn place_search(editor: &ClauseEditor, search: &UseStateHandle<String>, hooks: &str) -> Html {
    let on_input = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| {
            search.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let target = place_clause(&editor.clauses);
    html! {
        <div class="picker-search">
            <input type="search" placeholder="Find a country or group" aria-label="Find a country or group"
                data-testid={format!("find-{hooks}")}
                value={(**search).clone()}
                oninput={on_input} />
            if !search.is_empty() {
                <ul class="picker-results">
                    { for find_places(search).into_iter().map(|place| {
                        let add = {
                            let (editor, search, code) = (editor.clone(), search.clone(), place.code.clone());
                            let group = place.group;
                            Callback::from(move |_| {
                                if let Some(index) = target {
                                    editor.update(index, |c| c.pick(&code, group));
                                }
                                search.set(String::new());
                            })
                        };
                        html! {
                            <li>
                                <button type="button" class="pick" onclick={add} title={place.members.clone()}>
                                    <strong>{ &place.code }</strong>{ format!(" {}", place.label) }
                                    if place.group { <span class="members">{ place.members }</span> }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}
