//! Stories: guided explainers authored as files (`*.story.toml`). Each step names a
//! scenario, a day, the chart to show and a short text.

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
    /// The steps, in order.
    pub steps: Vec<Step>,
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
            let path = format!(
                "{}/../../policies/stories/{}",
                env!("CARGO_MANIFEST_DIR"),
                step.scenario
            );
            assert!(std::path::Path::new(&path).exists(), "{path}");
        }
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
