//! The story being written in the editor, as plain data with a pure reducer: steps are
//! added from what is on screen, edited, moved, copied and deleted, and every change can
//! be undone. Steps that show the same scenario share one `[[scenarios]]` entry, so the
//! story (and its link) stays small. The file itself is written by the engine
//! ([`write_story`]).

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::edit::story::write_story;
use crate::engine::load::story::{Published, Step, Story, StoryScenario};
use crate::engine::model::date::Date;

/// How many earlier drafts undo remembers.
pub const UNDO_LIMIT: usize = 100;

/// What is on screen when a step is added: the scenario, its day, and the chart chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct OnScreen {
    /// The scenario's name (a shipped path, or an opened file's name).
    pub path: String,
    /// Its text.
    pub text: String,
    /// Whether the text is the shipped file at `path`, unchanged (then the story names
    /// the file instead of copying it).
    pub shipped: bool,
    /// The day the results are for.
    pub as_of: Option<Date>,
    /// The chart the step shows.
    pub chart: String,
    /// The segment the chart marks, if any.
    pub segment: Option<String>,
    /// The outcome the chart marks (its name in the totals), if any.
    pub outcome: Option<String>,
}

/// Which text of the story an edit is typing into, so that a burst of typing is one undo
/// step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The story's title.
    Title,
    /// The story's description.
    Description,
    /// A step's title.
    StepTitle(usize),
    /// A step's text.
    StepText(usize),
}

/// The editor's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// The story being written, if one was started.
    pub story: Option<Rc<Story>>,
    /// Earlier stories, most recent last.
    pub past: Vec<Option<Rc<Story>>>,
    /// Stories undone, most recent last.
    pub future: Vec<Option<Rc<Story>>>,
    /// The text the last edit typed into.
    pub typing: Option<Field>,
}

/// What can happen to the draft.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftAction {
    /// Start a story titled so, with one step from what is on screen.
    New(String, OnScreen),
    /// Add a step from what is on screen, after the last one.
    AddStep(OnScreen),
    /// Type into one of the story's texts.
    Type(Field, String),
    /// Insert `{KEY}` at a byte offset of a step's text (at its end when past it).
    InsertKey {
        /// The 0-based step.
        step: usize,
        /// Where.
        at: usize,
        /// The key, without braces.
        key: String,
    },
    /// Set a step's chart.
    SetChart(usize, String),
    /// Stop a step marking a segment and an outcome.
    ClearHighlight(usize),
    /// Move a step one place earlier.
    MoveUp(usize),
    /// Move a step one place later.
    MoveDown(usize),
    /// Copy a step, placing the copy after it.
    Duplicate(usize),
    /// Delete a step (the only one cannot be deleted).
    Delete(usize),
    /// Record the numbers shown, as the published ones.
    Publish {
        /// The engine version.
        engine: String,
        /// Today.
        date: Date,
        /// Every bound number, by `STEP:KEY`.
        values: BTreeMap<String, f64>,
    },
    /// Replace the draft with a story (an autosave, an opened file).
    Load(Story),
    /// Drop the draft.
    Discard,
    /// Go back one change.
    Undo,
    /// Go forward one change.
    Redo,
}

impl Draft {
    /// The story's file, as the engine writes it.
    pub fn text(&self) -> Option<String> {
        self.story.as_deref().map(write_story)
    }

    /// The draft after `action`.
    pub fn reduce(&self, action: DraftAction) -> Draft {
        match action {
            DraftAction::Undo => self.travel(true),
            DraftAction::Redo => self.travel(false),
            DraftAction::Type(field, text) => {
                let joins = self.typing == Some(field);
                let changed = self.story.as_deref().and_then(|s| typed(s, field, text));
                let mut next = self.changed(changed, joins);
                next.typing = Some(field);
                next
            }
            other => {
                let story = self.story.as_deref();
                let changed = match other {
                    DraftAction::New(title, screen) => Some(new_story(title, screen)),
                    DraftAction::Load(story) => Some(story),
                    DraftAction::Discard => {
                        return self.record(None, false);
                    }
                    action => story.and_then(|s| edited(s, action)),
                };
                self.changed(changed, false)
            }
        }
    }

    /// The draft with `story` (when there is one), remembering the current one for undo
    /// unless `joins` (the same burst of typing).
    fn changed(&self, story: Option<Story>, joins: bool) -> Draft {
        match story {
            Some(story) if self.story.as_deref() != Some(&story) => {
                self.record(Some(Rc::new(story)), joins)
            }
            _ => Draft {
                typing: None,
                ..self.clone()
            },
        }
    }

    fn record(&self, story: Option<Rc<Story>>, joins: bool) -> Draft {
        let mut past = self.past.clone();
        if !joins {
            past.push(self.story.clone());
            if past.len() > UNDO_LIMIT {
                past.remove(0);
            }
        }
        Draft {
            story,
            past,
            future: Vec::new(),
            typing: None,
        }
    }

    /// Undo (`back`) or redo.
    fn travel(&self, back: bool) -> Draft {
        let (mut from, mut to) = (self.past.clone(), self.future.clone());
        if !back {
            std::mem::swap(&mut from, &mut to);
        }
        let Some(story) = from.pop() else {
            return self.clone();
        };
        to.push(self.story.clone());
        if !back {
            std::mem::swap(&mut from, &mut to);
        }
        Draft {
            story,
            past: from,
            future: to,
            typing: None,
        }
    }
}

impl Reducible for Draft {
    type Action = DraftAction;

    fn reduce(self: Rc<Self>, action: DraftAction) -> Rc<Self> {
        Rc::new(Draft::reduce(&self, action))
    }
}

fn new_story(title: String, screen: OnScreen) -> Story {
    let mut story = Story {
        title,
        description: String::new(),
        scenarios: Vec::new(),
        steps: Vec::new(),
        published: None,
    };
    add_step(&mut story, screen);
    story
}

/// A story's text after typing; `None` when the field names no step.
fn typed(story: &Story, field: Field, text: String) -> Option<Story> {
    let mut story = story.clone();
    match field {
        Field::Title => story.title = text,
        Field::Description => story.description = text,
        Field::StepTitle(index) => story.steps.get_mut(index)?.title = text,
        Field::StepText(index) => story.steps.get_mut(index)?.text = text,
    }
    story.published = None;
    Some(story)
}

/// The story after an edit to its steps or its publication; `None` when nothing changes.
fn edited(story: &Story, action: DraftAction) -> Option<Story> {
    let mut story = story.clone();
    let count = story.steps.len();
    match action {
        DraftAction::AddStep(screen) => add_step(&mut story, screen),
        DraftAction::InsertKey { step, at, key } => {
            let text = &mut story.steps.get_mut(step)?.text;
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, &format!("{{{key}}}"));
        }
        DraftAction::SetChart(step, chart) => story.steps.get_mut(step)?.chart = chart,
        DraftAction::ClearHighlight(step) => {
            let step = story.steps.get_mut(step)?;
            if step.segment.is_none() && step.outcome.is_none() {
                return None;
            }
            step.segment = None;
            step.outcome = None;
        }
        DraftAction::MoveUp(step) if step > 0 && step < count => story.steps.swap(step - 1, step),
        DraftAction::MoveDown(step) if step + 1 < count => story.steps.swap(step, step + 1),
        DraftAction::Duplicate(step) => {
            let copy = story.steps.get(step)?.clone();
            story.steps.insert(step + 1, copy);
        }
        DraftAction::Delete(step) if step < count && count > 1 => {
            story.steps.remove(step);
            let used = |id: &str| story.steps.iter().any(|s| s.scenario == id);
            let kept = story
                .scenarios
                .iter()
                .filter(|s| used(&s.id))
                .cloned()
                .collect();
            story.scenarios = kept;
        }
        DraftAction::Publish {
            engine,
            date,
            values,
        } => {
            story.published = Some(Published {
                engine,
                date: Some(date),
                values,
            });
            return Some(story);
        }
        _ => return None,
    }
    story.published = None;
    Some(story)
}

/// Adds a step showing `screen`, naming the story's scenario entry for it (a new one only
/// if no step shows the same scenario yet).
fn add_step(story: &mut Story, screen: OnScreen) {
    let (path, text) = if screen.shipped {
        (Some(format!("../{}", screen.path)), None)
    } else {
        (None, Some(screen.text.clone()))
    };
    let existing = story
        .scenarios
        .iter()
        .find(|s| s.path == path && s.text == text)
        .map(|s| s.id.clone());
    let id = existing.unwrap_or_else(|| {
        let id = unused_id(story, &screen.path);
        story.scenarios.push(StoryScenario {
            id: id.clone(),
            path,
            text,
        });
        id
    });
    story.steps.push(Step {
        title: format!("Step {}", story.steps.len() + 1),
        scenario: id,
        as_of: screen.as_of,
        chart: screen.chart,
        segment: screen.segment,
        outcome: screen.outcome,
        text: String::new(),
    });
}

/// An id for a scenario from its file name (`complies-exactly`), numbered if taken.
fn unused_id(story: &Story, path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or_default();
    let stem: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let stem = if stem.is_empty() {
        "scenario".to_owned()
    } else {
        stem
    };
    let taken = |id: &str| story.scenarios.iter().any(|s| s.id == id);
    if !taken(&stem) {
        return stem;
    }
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(stem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::load::story::parse_story;

    fn screen(path: &str, text: &str, shipped: bool, chart: &str) -> OnScreen {
        OnScreen {
            path: path.into(),
            text: text.into(),
            shipped,
            as_of: Date::new(2026, 11, 21),
            chart: chart.into(),
            segment: None,
            outcome: None,
        }
    }

    fn letter() -> OnScreen {
        screen(
            "friday-letter/complies-exactly.scenario.toml",
            "x",
            true,
            "units",
        )
    }

    fn titles(draft: &Draft) -> Vec<String> {
        let story = draft.story.as_deref().expect("a story");
        story.steps.iter().map(|s| s.title.clone()).collect()
    }

    /// A draft of three steps: two on the shipped letter, one on an edited copy.
    fn three_steps() -> Draft {
        let edited = OnScreen {
            segment: Some("researcher".into()),
            outcome: Some("collateral".into()),
            ..screen(
                "friday-letter/complies-exactly.scenario.toml",
                "edited",
                false,
                "map",
            )
        };
        [
            DraftAction::New("Story".into(), letter()),
            DraftAction::AddStep(edited),
            DraftAction::AddStep(letter()),
        ]
        .into_iter()
        .fold(Draft::default(), |d, a| d.reduce(a))
    }

    #[test]
    fn steps_showing_one_scenario_share_it() {
        let draft = three_steps();
        let story = draft.story.as_deref().expect("a story");
        let scenarios: Vec<(&str, Option<&str>, Option<&str>)> = story
            .scenarios
            .iter()
            .map(|s| (s.id.as_str(), s.path.as_deref(), s.text.as_deref()))
            .collect();
        assert_eq!(
            scenarios,
            [
                (
                    "complies-exactly",
                    Some("../friday-letter/complies-exactly.scenario.toml"),
                    None
                ),
                ("complies-exactly-2", None, Some("edited")),
            ]
        );
        let uses: Vec<&str> = story.steps.iter().map(|s| s.scenario.as_str()).collect();
        assert_eq!(
            uses,
            ["complies-exactly", "complies-exactly-2", "complies-exactly"]
        );
        // The step added with a segment and an outcome marked keeps both, in the file too.
        let marked: Vec<(Option<&str>, Option<&str>)> = story
            .steps
            .iter()
            .map(|s| (s.segment.as_deref(), s.outcome.as_deref()))
            .collect();
        assert_eq!(
            marked,
            [
                (None, None),
                (Some("researcher"), Some("collateral")),
                (None, None)
            ]
        );
        let cleared = draft.reduce(DraftAction::ClearHighlight(1));
        let step = &cleared.story.as_deref().expect("a story").steps[1];
        assert_eq!((&step.segment, &step.outcome), (&None, &None));
        assert_eq!(
            cleared.reduce(DraftAction::ClearHighlight(1)).story,
            cleared.story
        );
        let text = draft.text().expect("text");
        assert!(
            text.contains("segment = \"researcher\"\noutcome = \"collateral\"\n"),
            "{text}"
        );
        assert_eq!(parse_story(&text).as_ref(), Ok(story), "{text}");
    }

    #[test]
    fn steps_move_copy_and_go() {
        let draft = three_steps();
        assert_eq!(titles(&draft), ["Step 1", "Step 2", "Step 3"]);
        let moved = draft.reduce(DraftAction::MoveUp(2));
        assert_eq!(titles(&moved), ["Step 1", "Step 3", "Step 2"]);
        let moved = moved.reduce(DraftAction::MoveDown(0));
        assert_eq!(titles(&moved), ["Step 3", "Step 1", "Step 2"]);
        assert_eq!(
            moved.reduce(DraftAction::MoveUp(0)),
            Draft {
                typing: None,
                ..moved.clone()
            }
        );
        assert_eq!(moved.reduce(DraftAction::MoveDown(2)).story, moved.story);
        let copied = moved.reduce(DraftAction::Duplicate(1));
        assert_eq!(titles(&copied), ["Step 3", "Step 1", "Step 1", "Step 2"]);
        // Deleting the only step on the edited copy drops its scenario too.
        let deleted = draft.reduce(DraftAction::Delete(1));
        assert_eq!(titles(&deleted), ["Step 1", "Step 3"]);
        let story = deleted.story.as_deref().expect("a story");
        assert_eq!(story.scenarios.len(), 1);
        let one = Draft::default().reduce(DraftAction::New("S".into(), letter()));
        assert_eq!(one.reduce(DraftAction::Delete(0)).story, one.story);
    }

    #[test]
    fn typing_is_one_undo_step_and_keys_insert_where_asked() {
        let draft = three_steps()
            .reduce(DraftAction::Type(Field::StepText(0), "Lo".into()))
            .reduce(DraftAction::Type(Field::StepText(0), "Lost .".into()))
            .reduce(DraftAction::InsertKey {
                step: 0,
                at: 5,
                key: "people.customer.lose_any".into(),
            });
        let text = |d: &Draft| d.story.as_deref().map(|s| s.steps[0].text.clone());
        assert_eq!(
            text(&draft).as_deref(),
            Some("Lost {people.customer.lose_any}.")
        );
        let undone = draft.reduce(DraftAction::Undo);
        assert_eq!(text(&undone).as_deref(), Some("Lost ."));
        let undone = undone.reduce(DraftAction::Undo);
        assert_eq!(text(&undone).as_deref(), Some(""));
        let redone = undone.reduce(DraftAction::Redo).reduce(DraftAction::Redo);
        assert_eq!(redone.story, draft.story);
        assert_eq!(redone.reduce(DraftAction::Redo).story, draft.story);
        // Undo goes back through every step added, to no story at all.
        let empty = (0..4).fold(undone, |d, _| d.reduce(DraftAction::Undo));
        assert_eq!(empty.story, None);
        assert_eq!(empty.reduce(DraftAction::Undo).story, None);
    }

    #[test]
    fn publishing_records_values_and_an_edit_unpublishes() {
        let values = BTreeMap::from([("1:people.customer.lose_any".to_owned(), 5.0)]);
        let date = Date::new(2026, 12, 1).expect("date");
        let published = three_steps().reduce(DraftAction::Publish {
            engine: "0.1.0".into(),
            date,
            values: values.clone(),
        });
        let story = published.story.as_deref().expect("a story");
        assert_eq!(
            story.published,
            Some(Published {
                engine: "0.1.0".into(),
                date: Some(date),
                values
            })
        );
        let text = published.text().expect("text");
        assert_eq!(parse_story(&text).as_ref(), Ok(story));
        let edited = published.reduce(DraftAction::SetChart(0, "map".into()));
        assert_eq!(
            edited.story.as_deref().and_then(|s| s.published.clone()),
            None
        );
    }
}
