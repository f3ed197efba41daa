//! The rule builder: a form over the same scenario text. It lists the inline directives
//! and their rules, and adds, reorders, deletes and edits them through `engine::edit`, so
//! the text and the form are always one document. A condition the form cannot show as a
//! list of clauses joined by `and` stays editable as text, untouched.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::hooks::{Store, use_store};
use crate::app::state::Action;
use crate::engine::edit::{self, RuleOwner};
use crate::engine::model::condition::{self, CompareOp, Cond, CondKind, Name, SetExpr, Text};
use crate::engine::model::reference::reference;
use crate::engine::source::Span;

/// One clause of a condition in the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    /// The attribute, or `everyone` for `true`.
    pub attribute: String,
    /// `==`, `!=`, `in`, `not in`, `in group`, `not in group`, `is`, `is not`.
    pub operator: String,
    /// The values.
    pub values: Vec<String>,
}

const OPERATORS: [&str; 6] = ["==", "!=", "in", "not in", "in group", "not in group"];
const ATTRIBUTES: [&str; 8] = [
    "everyone",
    "us_person",
    "foreign_person",
    "segment",
    "nationality",
    "residence",
    "status",
    "sector",
];

/// Whether an attribute is one of the two readings of "U.S. person" (a boolean).
fn is_boolean(attribute: &str) -> bool {
    crate::engine::model::reading::BOOLEAN_ATTRIBUTES.contains(&attribute)
}

/// The clauses of a condition that is a chain of `and`, or `None`.
pub fn clauses(cond: &Cond) -> Option<Vec<Clause>> {
    let clause = |attribute: &str, operator: &str, values: Vec<String>| Clause {
        attribute: attribute.to_owned(),
        operator: operator.to_owned(),
        values,
    };
    Some(match &cond.kind {
        CondKind::And(a, b) => {
            let mut left = clauses(a)?;
            left.extend(clauses(b)?);
            left
        }
        CondKind::Bool(true) => vec![clause("everyone", "is", Vec::new())],
        CondKind::Attr(n) if is_boolean(&n.name) => vec![clause(&n.name, "is", Vec::new())],
        CondKind::Not(inner) => match &inner.kind {
            CondKind::Attr(n) if is_boolean(&n.name) => {
                vec![clause(&n.name, "is not", Vec::new())]
            }
            _ => return None,
        },
        CondKind::Compare { attr, op, value } => vec![clause(
            &attr.name,
            if *op == CompareOp::Eq { "==" } else { "!=" },
            vec![value.value.clone()],
        )],
        CondKind::In {
            attr,
            negated,
            set: SetExpr::List { items, .. },
        } => vec![clause(
            &attr.name,
            if *negated { "not in" } else { "in" },
            items.iter().map(|t| t.value.clone()).collect(),
        )],
        CondKind::In {
            attr,
            negated,
            set: SetExpr::Group { name, .. },
        } => vec![clause(
            &attr.name,
            if *negated { "not in group" } else { "in group" },
            vec![name.value.clone()],
        )],
        _ => return None,
    })
}

/// The condition text for clauses joined by `and`.
pub fn condition_text(clauses: &[Clause]) -> String {
    let span = Span::default();
    let name = |n: &str| Name {
        name: n.to_owned(),
        span,
    };
    let text = |v: &str| Text {
        value: v.to_owned(),
        span,
    };
    let conds: Vec<Cond> = clauses
        .iter()
        .map(|c| {
            let kind = match (c.attribute.as_str(), c.operator.as_str()) {
                ("everyone", _) => CondKind::Bool(true),
                (attr, "is not") if is_boolean(attr) => CondKind::Not(Box::new(Cond {
                    kind: CondKind::Attr(name(attr)),
                    span,
                })),
                (attr, _) if is_boolean(attr) => CondKind::Attr(name(attr)),
                (attr, op @ ("==" | "!=")) => CondKind::Compare {
                    attr: name(attr),
                    op: if op == "==" {
                        CompareOp::Eq
                    } else {
                        CompareOp::Ne
                    },
                    value: text(c.values.first().map_or("", String::as_str)),
                },
                (attr, op) if op.ends_with("group") => CondKind::In {
                    attr: name(attr),
                    negated: op.starts_with("not"),
                    set: SetExpr::Group {
                        name: text(c.values.first().map_or("", String::as_str)),
                        span,
                    },
                },
                (attr, op) => CondKind::In {
                    attr: name(attr),
                    negated: op.starts_with("not"),
                    set: SetExpr::List {
                        items: c.values.iter().map(|v| text(v)).collect(),
                        span,
                    },
                },
            };
            Cond { kind, span }
        })
        .collect();
    let joined = conds.into_iter().reduce(|a, b| Cond {
        kind: CondKind::And(Box::new(a), Box::new(b)),
        span,
    });
    joined.map_or_else(|| "true".to_owned(), |c| condition::print(&c))
}

fn replace(store: &Store, text: String) {
    store.dispatch(Action::Replace(text));
}

/// The form.
#[component]
pub fn RuleBuilder() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let text = store.text.clone();
    let blocks = edit::inline_directives(&text);
    let prepared = store.prepared.as_ref().map(|p| p.0.clone());
    // The inline directives are the last ones of the scenario, in the same order.
    let directives = prepared
        .as_ref()
        .map(|p| p.scenario.directives.clone())
        .unwrap_or_default();
    let offset = directives.len().saturating_sub(blocks.len());
    let as_of = store
        .results
        .as_ref()
        .map(|r| r.as_of.to_string())
        .unwrap_or_else(|| "2026-11-21".into());
    let add_directive = {
        let (store, text) = (store.clone(), text.clone());
        let id = format!("directive-{}", blocks.len() + 1);
        Callback::from(move |_| replace(&store, edit::add_directive(&text, &id, &as_of)))
    };
    html! {
        <details class="builder" data-testid="builder">
            <summary>{ "Rule builder" }</summary>
            <p class="hint">{ "Edits the directives written in this scenario; directives read from other files are shown in the text only. Every change here is a change to the text above." }</p>
            { for blocks.iter().enumerate().map(|(d, block)| {
                let directive = directives.get(offset + d);
                let id = directive.map_or_else(|| format!("directive {}", d + 1), |x| x.id.clone());
                let button = |label: &'static str, edited: String, testid: String| {
                    let store = store.clone();
                    html! { <button type="button" data-testid={testid} onclick={Callback::from(move |_| replace(&store, edited.clone()))}>{ label }</button> }
                };
                html! {
                    <fieldset class="builder-directive" data-directive={id.clone()}>
                        <legend>{ &id }</legend>
                        <div class="row-buttons">
                            { button("↑ Move up", edit::move_directive(&text, d, true), format!("up-{id}")) }
                            { button("↓ Move down", edit::move_directive(&text, d, false), format!("down-{id}")) }
                            { button("Delete directive", edit::remove_directive(&text, d), format!("delete-{id}")) }
                        </div>
                        <ol class="builder-rules">
                            { for block.rules.iter().enumerate().map(|(r, _)| {
                                let rule = directive.and_then(|x| x.rules.get(r));
                                html! {
                                    <li>
                                        <RuleForm owner={RuleOwner::Directive(d)} rule={r}
                                            effect={rule.map_or_else(|| "deny".to_owned(), |x| x.effect.to_string())}
                                            when={rule.map_or_else(String::new, |x| x.when_text.clone())} />
                                        <div class="row-buttons">
                                            { button("↑", edit::move_rule(&text, RuleOwner::Directive(d), r, true), format!("rule-up-{id}-{}", r + 1)) }
                                            { button("↓", edit::move_rule(&text, RuleOwner::Directive(d), r, false), format!("rule-down-{id}-{}", r + 1)) }
                                            { button("Delete rule", edit::remove_rule(&text, RuleOwner::Directive(d), r), format!("rule-delete-{id}-{}", r + 1)) }
                                        </div>
                                    </li>
                                }
                            }) }
                        </ol>
                        { button("Add rule", edit::add_rule(&text, RuleOwner::Directive(d), "deny", "not us_person"), format!("add-rule-{id}")) }
                    </fieldset>
                }
            }) }
            <button type="button" data-testid="add-directive" onclick={add_directive}>{ "Add directive" }</button>
            <fieldset class="builder-directive" data-directive="response">
                <legend>{ "The provider's own rules" }</legend>
                <p class="hint">{ "First match wins; a deny or license rule blocks access whatever the law says." }</p>
                <ol class="builder-rules">
                    { for (0..edit::rule_count(&text, RuleOwner::Response)).map(|r| {
                        let rule = prepared.as_ref().and_then(|p| p.scenario.response.rules.get(r).cloned());
                        let button = |label: &'static str, edited: String, testid: String| {
                            let store = store.clone();
                            html! { <button type="button" data-testid={testid} onclick={Callback::from(move |_| replace(&store, edited.clone()))}>{ label }</button> }
                        };
                        html! {
                            <li>
                                <RuleForm owner={RuleOwner::Response} rule={r}
                                    effect={rule.as_ref().map_or_else(|| "deny".to_owned(), |x| x.effect.to_string())}
                                    when={rule.as_ref().map_or_else(String::new, |x| x.when_text.clone())} />
                                <div class="row-buttons">
                                    { button("↑", edit::move_rule(&text, RuleOwner::Response, r, true), format!("rule-up-response-{}", r + 1)) }
                                    { button("↓", edit::move_rule(&text, RuleOwner::Response, r, false), format!("rule-down-response-{}", r + 1)) }
                                    { button("Delete rule", edit::remove_rule(&text, RuleOwner::Response, r), format!("rule-delete-response-{}", r + 1)) }
                                </div>
                            </li>
                        }
                    }) }
                </ol>
                {{
                    let (store, text) = (store.clone(), text.clone());
                    html! {
                        <button type="button" data-testid="add-rule-response"
                            onclick={Callback::from(move |_| replace(&store, edit::add_rule(&text, RuleOwner::Response, "deny", "sector == \"security\"")))}>
                            { "Add a provider rule" }
                        </button>
                    }
                }}
            </fieldset>
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

/// One rule: its effect and its clauses (or its text, if it has no clause form).
#[component]
pub fn RuleForm(props: &RuleFormProps) -> Html {
    let search = use_state(String::new);
    let Some(store) = use_store() else {
        return html! {};
    };
    let parsed = condition::parse(&props.when).ok().and_then(|c| clauses(&c));
    let (owner, rule) = (props.owner, props.rule);
    // Test hooks name directives by index and the response `r`.
    let directive = match owner {
        RuleOwner::Directive(d) => d.to_string(),
        RuleOwner::Response => "r".to_owned(),
    };
    let write = {
        let store = store.clone();
        move |effect: String, when: String| {
            replace(
                &store,
                edit::set_rule(&store.text, owner, rule, &effect, &when),
            )
        }
    };
    let on_effect = {
        let (write, when) = (write.clone(), props.when.clone());
        Callback::from(move |e: Event| {
            write(
                e.target_unchecked_into::<HtmlSelectElement>().value(),
                when.clone(),
            )
        })
    };
    let effect_select = html! {
        <select class="effect-select" data-testid={format!("effect-{directive}-{rule}")} onchange={on_effect}>
            { for ["deny", "license", "allow"].iter().map(|e| html! { <option value={*e} selected={props.effect == *e}>{ *e }</option> }) }
        </select>
    };
    let Some(clauses) = parsed else {
        let on_text = {
            let (write, effect) = (write.clone(), props.effect.clone());
            Callback::from(move |e: Event| {
                write(
                    effect.clone(),
                    e.target_unchecked_into::<HtmlInputElement>().value(),
                )
            })
        };
        return html! {
            <div class="rule-form">
                { effect_select }
                <label class="raw">{ "when " }<input type="text" value={props.when.clone()} onchange={on_text} /></label>
                <p class="hint">{ "This condition uses `or` or nesting; edit it as text." }</p>
            </div>
        };
    };
    let update = {
        let (write, effect, clauses) = (write.clone(), props.effect.clone(), clauses.clone());
        move |index: usize, change: Box<dyn Fn(&mut Clause)>| {
            let mut next = clauses.clone();
            if let Some(clause) = next.get_mut(index) {
                change(clause);
            }
            write(effect.clone(), condition_text(&next));
        }
    };
    let add_clause = {
        let (write, effect, clauses) = (write.clone(), props.effect.clone(), clauses.clone());
        Callback::from(move |_| {
            let mut next: Vec<Clause> = clauses
                .iter()
                .filter(|c| c.attribute != "everyone")
                .cloned()
                .collect();
            next.push(Clause {
                attribute: "residence".into(),
                operator: "in group".into(),
                values: vec!["D:5".into()],
            });
            write(effect.clone(), condition_text(&next));
        })
    };
    let search_results = picker_results(&search);
    html! {
        <div class="rule-form" data-testid={format!("rule-{directive}-{rule}")}>
            { effect_select }
            <span>{ " when " }</span>
            <ul class="clauses">
                { for clauses.iter().enumerate().map(|(i, clause)| {
                    let on_attribute = {
                        let update = update.clone();
                        Callback::from(move |e: Event| {
                            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                            update(i, Box::new(move |c: &mut Clause| {
                                c.attribute = value.clone();
                                if value == "everyone" || is_boolean(&value) { c.operator = "is".into(); c.values.clear(); }
                                else if c.operator.starts_with("is") { c.operator = "==".into(); c.values = vec![String::new()]; }
                            }));
                        })
                    };
                    let on_operator = {
                        let update = update.clone();
                        Callback::from(move |e: Event| {
                            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                            update(i, Box::new(move |c: &mut Clause| c.operator = value.clone()));
                        })
                    };
                    let on_values = {
                        let update = update.clone();
                        Callback::from(move |e: Event| {
                            let value = e.target_unchecked_into::<HtmlInputElement>().value();
                            update(i, Box::new(move |c: &mut Clause| {
                                c.values = value.split(',').map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect();
                            }));
                        })
                    };
                    let remove = {
                        let (write, effect, clauses) = (write.clone(), props.effect.clone(), clauses.clone());
                        Callback::from(move |_| {
                            let mut next = clauses.clone();
                            next.remove(i.min(next.len().saturating_sub(1)));
                            write(effect.clone(), condition_text(&next));
                        })
                    };
                    let boolean = clause.attribute == "everyone" || is_boolean(&clause.attribute);
                    let operators: Vec<&str> = if boolean { vec!["is", "is not"] } else { OPERATORS.to_vec() };
                    html! {
                        <li class="clause">
                            if i > 0 { <span class="and">{ "and " }</span> }
                            <select aria-label="Attribute" data-testid={format!("attribute-{directive}-{rule}-{i}")} onchange={on_attribute}>
                                { for ATTRIBUTES.iter().map(|a| html! { <option value={*a} selected={clause.attribute == *a}>{ *a }</option> }) }
                                if !ATTRIBUTES.contains(&clause.attribute.as_str()) {
                                    <option value={clause.attribute.clone()} selected=true>{ &clause.attribute }</option>
                                }
                            </select>
                            if clause.attribute != "everyone" {
                                <select aria-label="Operator" data-testid={format!("operator-{directive}-{rule}-{i}")} onchange={on_operator}>
                                    { for operators.iter().map(|o| html! { <option value={*o} selected={clause.operator == *o}>{ *o }</option> }) }
                                </select>
                            }
                            if !boolean {
                                <input type="text" aria-label="Values, separated by commas" data-testid={format!("values-{directive}-{rule}-{i}")}
                                    value={clause.values.join(", ")} onchange={on_values} />
                            }
                            <button type="button" aria-label="Remove this clause" onclick={remove}>{ "×" }</button>
                        </li>
                    }
                }) }
            </ul>
            <button type="button" onclick={add_clause}>{ "Add clause" }</button>
            <div class="picker-search">
                <input type="search" placeholder="Find a country or group" aria-label="Find a country or group"
                    data-testid={format!("find-{directive}-{rule}")}
                    value={(*search).clone()}
                    oninput={{ let search = search.clone(); Callback::from(move |e: InputEvent| search.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} />
                if !search.is_empty() {
                    <ul class="picker-results">
                        { for search_results.into_iter().map(|(code, label, members, group)| {
                            let add = {
                                let (update, code, search) = (update.clone(), code.clone(), search.clone());
                                let target = clauses.iter().rposition(|c| c.attribute == "nationality" || c.attribute == "residence");
                                Callback::from(move |_| {
                                    if let Some(index) = target {
                                        let code = code.clone();
                                        update(index, Box::new(move |c: &mut Clause| {
                                            if group {
                                                c.operator = if c.operator.starts_with("not") { "not in group".into() } else { "in group".into() };
                                                c.values = vec![code.clone()];
                                            } else {
                                                if c.operator.ends_with("group") || c.operator == "==" || c.operator == "!=" {
                                                    c.operator = if c.operator.starts_with("not") || c.operator == "!=" { "not in".into() } else { "in".into() };
                                                    c.values.clear();
                                                }
                                                if !c.values.contains(&code) { c.values.push(code.clone()); }
                                            }
                                        }));
                                    }
                                    search.set(String::new());
                                })
                            };
                            html! {
                                <li>
                                    <button type="button" class="pick" onclick={add} title={members.clone()}>
                                        <strong>{ &code }</strong>{ format!(" {label}") }
                                        if group { <span class="members">{ members }</span> }
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                }
            </div>
        </div>
    }
}

/// Countries and groups matching a search: (code, label, members, is a group).
fn picker_results(search: &str) -> Vec<(String, String, String, bool)> {
    let needle = search.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let reference = reference();
    let groups = reference
        .groups
        .iter()
        .filter(|g| {
            g.id.to_lowercase().contains(&needle) || g.label.to_lowercase().contains(&needle)
        })
        .map(|g| {
            (
                g.id.clone(),
                format!("{} ({} countries)", g.label, g.members.len()),
                format!(
                    "{} — source: {}, {}",
                    g.members.join(", "),
                    g.source,
                    g.date
                ),
                true,
            )
        });
    let countries = reference
        .countries
        .iter()
        .filter(|c| c.alpha2.to_lowercase() == needle || c.name.to_lowercase().contains(&needle))
        .map(|c| (c.alpha2.clone(), c.name.clone(), String::new(), false));
    groups.chain(countries).take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_round_trip_through_clauses() {
        for text in [
            r#"segment == "researcher" and residence in group("tier1")"#,
            "not us_person",
            r#"nationality in ["RU", "IR"] and status == "foreign_national""#,
            "true",
            r#"residence not in group("EU") and sector != "security""#,
        ] {
            let cond = condition::parse(text).expect("parses");
            let form = clauses(&cond).expect("has clauses");
            assert_eq!(condition_text(&form), text);
        }
        let either = condition::parse(r#"a == "x" or b == "y""#).expect("parses");
        assert_eq!(clauses(&either), None);
    }

    #[test]
    fn finds_countries_and_groups_with_members() {
        let results = picker_results("d:5");
        assert_eq!(
            results.first().map(|r| (r.0.as_str(), r.3)),
            Some(("D:5", true))
        );
        assert!(results.first().is_some_and(|r| r.2.contains("CN")));
        assert!(picker_results("germ").iter().any(|r| r.0 == "DE"));
    }
}
