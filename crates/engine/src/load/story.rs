//! Stories: guided explainers authored as files (`*.story.toml`, DESIGN §8). Each step
//! names a scenario, a day, the chart to show and a short text whose `{KEY}`s are bound
//! to the step's results; a published story keeps the numbers it showed, so that opening
//! it again can check them. A step may also mark one segment and one outcome on its chart
//! (`segment = "researcher"`, `outcome = "collateral"`); those names are checked against
//! the step's results ([`crate::analysis::story`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::date::Date;

/// The charts a step can show.
pub const CHARTS: [&str; 5] = ["headline", "matrix", "units", "map", "timeline"];

/// A story.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Story {
    /// Its title.
    pub title: String,
    /// One sentence on what it shows.
    #[serde(default)]
    pub description: String,
    /// The scenarios its steps show, each once (steps name them by id).
    #[serde(default)]
    pub scenarios: Vec<StoryScenario>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The numbers it showed when it was published, if it was.
    #[serde(default)]
    pub published: Option<Published>,
}

/// One scenario of a story: a file beside it, or the whole scenario inline.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryScenario {
    /// What steps call it.
    pub id: String,
    /// A scenario file, relative to the story file.
    #[serde(default)]
    pub path: Option<String>,
    /// The scenario's whole text.
    #[serde(default)]
    pub text: Option<String>,
}

/// Where a step's scenario comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScenarioSource<'a> {
    /// A file, relative to the story file.
    Path(&'a str),
    /// Inline text, with the scenario's id.
    Text(&'a str, &'a str),
}

/// What a published story recorded.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// The engine version that published it.
    pub engine: String,
    /// The day it was published.
    #[serde(default, deserialize_with = "date")]
    pub date: Option<Date>,
    /// Each bound number as shown, by `STEP:KEY` (1-based step).
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
}

impl Story {
    /// Where step `step`'s scenario comes from: a `[[scenarios]]` entry named by its id,
    /// or, in a story without `[[scenarios]]`, the step's `scenario` as a path.
    pub fn source_of<'a>(&'a self, step: &'a Step) -> Option<ScenarioSource<'a>> {
        if self.scenarios.is_empty() {
            return Some(ScenarioSource::Path(&step.scenario));
        }
        let scenario = self.scenarios.iter().find(|s| s.id == step.scenario)?;
        match (&scenario.path, &scenario.text) {
            (Some(path), None) => Some(ScenarioSource::Path(path)),
            (None, Some(text)) => Some(ScenarioSource::Text(&scenario.id, text)),
            _ => None,
        }
    }
}

/// One step.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Its title.
    pub title: String,
    /// The scenario file, relative to the story file.
    pub scenario: String,
    /// The day to look at (default: the scenario's own).
    #[serde(default, deserialize_with = "date")]
    pub as_of: Option<Date>,
    /// Which chart to show.
    pub chart: String,
    /// The segment the chart marks (as the population names it, such as `researcher`).
    #[serde(default)]
    pub segment: Option<String>,
    /// The outcome the chart marks (as the totals name it, such as `collateral`).
    #[serde(default)]
    pub outcome: Option<String>,
    /// The text beside it.
    pub text: String,
}

fn date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    let value = Option::<toml::value::Datetime>::deserialize(deserializer)?;
    Ok(value
        .and_then(|v| v.date)
        .and_then(|d| Date::new(d.year, d.month, d.day)))
}

/// Reads a story, or says what is wrong with it (with its line and column).
pub fn parse_story(text: &str) -> Result<Story, String> {
    let story: Story = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| {
            let before = text.get(..s.start).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{line}:{column}: ")
        });
        format!("{}{}", at.unwrap_or_default(), e.message())
    })?;
    if story.steps.is_empty() {
        return Err("a story needs at least one step".into());
    }
    check_scenarios(&story)?;
    for (index, step) in story.steps.iter().enumerate() {
        if !CHARTS.contains(&step.chart.as_str()) {
            return Err(format!(
                "step {}: unknown chart `{}`; charts are {}",
                index + 1,
                step.chart,
                CHARTS.join(", ")
            ));
        }
    }
    Ok(story)
}

/// Every `[[scenarios]]` entry has a unique id and one of `path` or `text`, and every step
/// names one of them.
fn check_scenarios(story: &Story) -> Result<(), String> {
    for (index, scenario) in story.scenarios.iter().enumerate() {
        if story
            .scenarios
            .iter()
            .take(index)
            .any(|s| s.id == scenario.id)
        {
            return Err(format!("scenario `{}` is listed twice", scenario.id));
        }
        if scenario.path.is_some() == scenario.text.is_some() {
            return Err(format!(
                "scenario `{}` needs either `path` or `text`",
                scenario.id
            ));
        }
    }
    for (index, step) in story.steps.iter().enumerate() {
        if story.source_of(step).is_none() {
            let ids: Vec<&str> = story.scenarios.iter().map(|s| s.id.as_str()).collect();
            return Err(format!(
                "step {}: no scenario `{}`; the story's scenarios are {}",
                index + 1,
                step.scenario,
                ids.join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shipped_story() {
        let story = parse_story(include_str!(
            "../../../../policies/stories/friday-letter.story.toml"
        ));
        let Ok(story) = story else {
            panic!("{story:?}")
        };
        assert_eq!(story.steps.len(), 6);
        assert_eq!(
            story.steps.first().and_then(|s| s.as_of),
            Date::new(2026, 11, 19)
        );
        for step in &story.steps {
            let Some(ScenarioSource::Path(relative)) = story.source_of(step) else {
                panic!("step {} names a shipped file", step.title)
            };
            let path = format!(
                "{}/../../policies/stories/{relative}",
                env!("CARGO_MANIFEST_DIR"),
            );
            assert!(std::path::Path::new(&path).exists(), "{path}");
        }
        assert_eq!(
            story.steps.get(1).and_then(|s| s.segment.as_deref()),
            Some("employee")
        );
    }

    #[test]
    fn reads_scenarios_by_id_and_published_values() {
        let text = "title = \"t\"\n[[scenarios]]\nid = \"a\"\npath = \"a.toml\"\n[[scenarios]]\nid = \"b\"\ntext = \"as_of = 2026-01-01\"\n[[steps]]\ntitle = \"s\"\nscenario = \"b\"\nchart = \"units\"\ntext = \"{people.customer.lose_any}\"\n[published]\nengine = \"0.1.0\"\ndate = 2026-12-01\nvalues = { \"1:people.customer.lose_any\" = 12.0 }\n";
        let story = parse_story(text).unwrap_or_else(|e| panic!("{e}"));
        let step = &story.steps[0];
        assert_eq!(
            story.source_of(step),
            Some(ScenarioSource::Text("b", "as_of = 2026-01-01"))
        );
        let published = story.published.as_ref().expect("published");
        assert_eq!(published.date, Date::new(2026, 12, 1));
        assert_eq!(
            published.values.get("1:people.customer.lose_any"),
            Some(&12.0)
        );
        let unknown = text.replace("scenario = \"b\"", "scenario = \"c\"");
        assert_eq!(
            parse_story(&unknown),
            Err("step 1: no scenario `c`; the story's scenarios are a, b".into())
        );
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(
            parse_story("title = \"t\"\nsteps = []\n"),
            Err("a story needs at least one step".into())
        );
        let bad_chart = "title = \"t\"\n[[steps]]\ntitle = \"s\"\nscenario = \"x\"\nchart = \"pie\"\ntext = \"\"\n";
        assert_eq!(
            parse_story(bad_chart),
            Err(
                "step 1: unknown chart `pie`; charts are headline, matrix, units, map, timeline"
                    .into()
            )
        );
        assert!(
            parse_story("title = \"t\"\n[[steps]]\ntitel = \"s\"\n")
                .is_err_and(|e| e.starts_with("3:1: "))
        );
    }
}
