//! What the page's query asks for: an embed (`?embed=…`) or a story step
//! (`?story=…&step=…`). The store reads it to choose the opening document, and the views
//! to choose what to show.

use super::Snapshot;
use crate::engine::edit::story::decode_story_link;
use crate::engine::load::story::{ScenarioSource, Story, parse_story};
use crate::engine::load::{normalize_path, relative_to};
use crate::engine::presets::{scenario_text, stories};
use crate::engine::source::diagnostic::Problem;

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
    /// The story's id (`shared` for a story carried by its link).
    pub id: String,
    /// The 1-based step.
    pub step: usize,
    /// The fragment carrying the whole story (`story=1.…`), for a story link.
    pub link: Option<String>,
}

/// Reads `?story=ID&step=N`, and the fragment when it carries a story.
pub fn story_config(query: &str, fragment: &str) -> Option<StoryConfig> {
    let mut id = None;
    let mut step = 1;
    for pair in query.trim_start_matches('?').split('&') {
        match pair.split_once('=') {
            Some(("story", value)) => id = Some(value.to_owned()),
            Some(("step", value)) => step = value.parse().unwrap_or(1),
            _ => {}
        }
    }
    let fragment = fragment.trim_start_matches('#');
    let link = fragment.starts_with("story=").then(|| fragment.to_owned());
    id.map(|id| StoryConfig {
        id,
        step: step.max(1),
        link,
    })
}

/// A story to read: its file's path among the shipped files, its text, and the story.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedStory {
    /// Where the file stands among the shipped files (its steps' paths are relative to it).
    pub path: String,
    /// The file's text.
    pub text: String,
    /// The story it holds.
    pub story: Story,
}

/// The story a page asks for: a shipped one by id, or the one its link carries; or what
/// the reader should be told instead.
pub fn open_story(config: &StoryConfig) -> Result<LoadedStory, String> {
    if let Some(link) = &config.link {
        let text = decode_story_link(link).map_err(|e| {
            let help = e.help().map(|h| format!(" ({h})")).unwrap_or_default();
            format!("The story link could not be opened: {e}{help}.")
        })?;
        return read_story(story_path(&config.id), text);
    }
    let (_, text) = stories()
        .into_iter()
        .find(|(sid, _)| *sid == config.id)
        .ok_or_else(|| format!("There is no story `{}`.", config.id))?;
    read_story(story_path(&config.id), text.to_owned())
}

/// A story file opened from a link or from disk, as if it stood at `path`.
pub fn read_story(path: String, text: String) -> Result<LoadedStory, String> {
    let story = parse_story(&text).map_err(|e| format!("The story could not be read: {e}."))?;
    Ok(LoadedStory { path, text, story })
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

/// The document a step shows: a shipped scenario file, or the story's inline scenario;
/// `path` is the story file's.
pub fn step_document(path: &str, story: &Story, step: usize) -> Option<Snapshot> {
    let step = story.steps.get(step.checked_sub(1)?)?;
    let (path, text) = match story.source_of(step)? {
        ScenarioSource::Path(relative) => {
            let path = normalize_path(&relative_to(path, relative));
            let text = scenario_text(&path)?.to_owned();
            (path, text)
        }
        ScenarioSource::Text(scenario, text) => (
            normalize_path(&relative_to(path, &format!("{scenario}.scenario.toml"))),
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
