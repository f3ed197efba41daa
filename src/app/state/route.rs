//! What the page's query asks for: an embed (`?embed=…`) or a story step
//! (`?story=…&step=…`). The store reads it to choose the opening document, and the views
//! to choose what to show.

use super::Snapshot;
use crate::engine::load::story::{ScenarioSource, Story, parse_story};
use crate::engine::load::{normalize_path, relative_to};
use crate::engine::presets::{scenario_text, stories};

/// The charts an embed can show.
pub const CHARTS: [&str; 5] = ["headline", "matrix", "units", "map", "timeline"];

/// The reader controls an embed can offer.
pub const CONTROLS: [&str; 2] = ["response", "as-of"];

/// What the embed shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedConfig {
    /// Charts, in the order given.
    pub charts: Vec<String>,
    /// Reader controls, in the order given.
    pub controls: Vec<String>,
    /// A shipped scenario to open, by path.
    pub preset: Option<String>,
}

/// Reads the embed settings from a query string; `None` when the page is not an embed.
pub fn embed_config(query: &str) -> Option<EmbedConfig> {
    let mut charts = None;
    let mut controls = Vec::new();
    let mut preset = None;
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let list = || {
            value
                .split(',')
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        match key {
            "embed" => {
                charts = Some(
                    list()
                        .filter(|c| CHARTS.contains(&c.as_str()))
                        .collect::<Vec<_>>(),
                )
            }
            "controls" => {
                controls = list()
                    .filter(|c| CONTROLS.contains(&c.as_str()))
                    .take(3)
                    .collect()
            }
            "preset" => preset = Some(value.replace("%2F", "/")),
            _ => {}
        }
    }
    let mut charts = charts?;
    if charts.is_empty() {
        charts = vec!["headline".into(), "matrix".into()];
    }
    Some(EmbedConfig {
        charts,
        controls,
        preset,
    })
}

/// Which story and step the page asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryConfig {
    /// The story's id.
    pub id: String,
    /// The 1-based step.
    pub step: usize,
}

/// Reads `?story=ID&step=N`.
pub fn story_config(query: &str) -> Option<StoryConfig> {
    let mut id = None;
    let mut step = 1;
    for pair in query.trim_start_matches('?').split('&') {
        match pair.split_once('=') {
            Some(("story", value)) => id = Some(value.to_owned()),
            Some(("step", value)) => step = value.parse().unwrap_or(1),
            _ => {}
        }
    }
    id.map(|id| StoryConfig {
        id,
        step: step.max(1),
    })
}

/// The story with this id.
pub fn load(id: &str) -> Option<Story> {
    stories()
        .into_iter()
        .find(|(sid, _)| *sid == id)
        .and_then(|(_, text)| parse_story(text).ok())
}

/// The story file's path among the shipped files.
pub fn story_path(id: &str) -> String {
    format!("stories/{id}.story.toml")
}

/// The document a step shows: a shipped scenario file, or the story's inline scenario.
pub fn step_document(id: &str, story: &Story, step: usize) -> Option<Snapshot> {
    let step = story.steps.get(step.checked_sub(1)?)?;
    let (path, text) = match story.source_of(step)? {
        ScenarioSource::Path(relative) => {
            let path = normalize_path(&relative_to(&story_path(id), relative));
            let text = scenario_text(&path)?.to_owned();
            (path, text)
        }
        ScenarioSource::Text(scenario, text) => (
            normalize_path(&relative_to(
                &story_path(id),
                &format!("{scenario}.scenario.toml"),
            )),
            text.to_owned(),
        ),
    };
    Some(Snapshot {
        path,
        text,
        as_of: step.as_of,
        ..Snapshot::default()
    })
}
