//! Writing stories: the whole file from a story made in the editor, its `[published]`
//! table (the engine version, the day and every bound number as shown, written into the
//! story's text with `toml_edit` so that the rest of the file stays as its author wrote
//! it), and the link that carries a whole story.

use std::collections::BTreeMap;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use super::share::{LinkError, pack, unpack};
use crate::load::story::{Published, Story};
use crate::model::date::Date;
use crate::source::toml_text::toml_string;

/// The story link format this version writes and reads.
pub const STORY_LINK_VERSION: u32 = 1;

/// Links longer than this many characters are cut or refused by common chat tools and
/// mail clients; the editor offers the file instead.
pub const CHAT_LINK_LIMIT: usize = 2000;

/// The story `text` with `[published]` set to these values (replacing any earlier one),
/// or `None` when the text is not TOML.
pub fn publish(
    text: &str,
    engine: &str,
    date: Date,
    values: &BTreeMap<String, f64>,
) -> Option<String> {
    let mut document: DocumentMut = text.parse().ok()?;
    document.insert("published", published_table(engine, Some(date), values)?);
    Some(document.to_string())
}

fn published_table(
    engine: &str,
    date: Option<Date>,
    values: &BTreeMap<String, f64>,
) -> Option<Item> {
    let mut published = Table::new();
    published.insert("engine", value(engine));
    if let Some(date) = date {
        let day: toml_edit::Datetime = date.to_string().parse().ok()?;
        published.insert("date", value(day));
    }
    let mut numbers = Table::new();
    for (key, number) in values {
        numbers.insert(key, value(*number));
    }
    published.insert("values", Item::Table(numbers));
    Some(Item::Table(published))
}

/// A story's whole file: what the editor exports, publishes and puts in a link. Texts of
/// several lines are written as multi-line literals, so the file reads as authored.
pub fn write_story(story: &Story) -> String {
    let mut document = DocumentMut::new();
    document.insert("title", value(story.title.as_str()));
    if !story.description.is_empty() {
        document.insert("description", value(story.description.as_str()));
    }
    let mut scenarios = ArrayOfTables::new();
    for scenario in &story.scenarios {
        let mut table = Table::new();
        table.insert("id", value(scenario.id.as_str()));
        if let Some(path) = &scenario.path {
            table.insert("path", value(path.as_str()));
        }
        if let Some(text) = &scenario.text {
            table.insert("text", Item::Value(toml_string(text)));
        }
        scenarios.push(table);
    }
    if !scenarios.is_empty() {
        document.insert("scenarios", Item::ArrayOfTables(scenarios));
    }
    let mut steps = ArrayOfTables::new();
    for step in &story.steps {
        let mut table = Table::new();
        table.insert("title", value(step.title.as_str()));
        table.insert("scenario", value(step.scenario.as_str()));
        if let Some(day) = step
            .as_of
            .and_then(|d| d.to_string().parse::<toml_edit::Datetime>().ok())
        {
            table.insert("as_of", value(day));
        }
        table.insert("chart", value(step.chart.as_str()));
        if let Some(segment) = &step.segment {
            table.insert("segment", value(segment.as_str()));
        }
        if let Some(outcome) = &step.outcome {
            table.insert("outcome", value(outcome.as_str()));
        }
        table.insert("text", Item::Value(toml_string(&step.text)));
        steps.push(table);
    }
    document.insert("steps", Item::ArrayOfTables(steps));
    if let Some(Published {
        engine,
        date,
        values,
    }) = &story.published
        && let Some(table) = published_table(engine, *date, values)
    {
        document.insert("published", table);
    }
    document.to_string()
}

/// The fragment (without `#`) carrying a whole story file: `story=1.<data>`.
pub fn encode_story_link(text: &str) -> String {
    format!("story={STORY_LINK_VERSION}.{}", pack(text.as_bytes()))
}

/// The story file a fragment (with or without `#`) carries.
pub fn decode_story_link(fragment: &str) -> Result<String, LinkError> {
    let bytes = unpack(fragment, "story", STORY_LINK_VERSION)?;
    String::from_utf8(bytes).map_err(|_| LinkError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::story::parse_story;

    #[test]
    fn publishing_keeps_the_story_and_records_the_numbers() {
        let text = "# A comment stays.\ntitle = \"t\"\n[[steps]]\ntitle = \"s\"\nscenario = \"a.toml\"\nchart = \"units\"\ntext = \"{people.customer.lose_any}\"\n";
        let values = BTreeMap::from([("1:people.customer.lose_any".to_owned(), 1234.5)]);
        let date = Date::new(2026, 12, 1).expect("date");
        let published = publish(text, "0.1.0", date, &values).expect("publishes");
        assert!(published.starts_with(text), "{published}");
        let story = parse_story(&published).expect("parses");
        let recorded = story.published.expect("published");
        assert_eq!(recorded.engine, "0.1.0");
        assert_eq!(recorded.date, Some(date));
        assert_eq!(recorded.values, values);
        let again = publish(&published, "0.1.0", date, &BTreeMap::new()).expect("again");
        assert_eq!(again.matches("[published]").count(), 1, "{again}");
    }

    const AUTHORED: &str = r#"title = "Two steps"
description = "One scenario, two days."

[[scenarios]]
id = "letter"
path = "../friday-letter/complies-exactly.scenario.toml"

[[scenarios]]
id = "edited"
text = '''
title = "x"
as_of = 2026-11-21
'''

[[steps]]
title = "First"
scenario = "letter"
as_of = 2026-11-19
chart = "units"
segment = "customer"
outcome = "unavailable"
text = 'Before: {people.customer.lose_any}.'

[[steps]]
title = "Second"
scenario = "edited"
chart = "matrix"
outcome = "collateral"
text = '''
Two lines,
{people.employee.lose_any} "quoted".'''

[published]
engine = "0.1.0"
date = 2026-12-01

[published.values]
"1:people.customer.lose_any" = 0.0
"#;

    #[test]
    fn writes_a_story_as_authored_and_reads_it_back() {
        let story = parse_story(AUTHORED).expect("parses");
        assert_eq!(write_story(&story), AUTHORED);
    }

    #[test]
    fn a_story_link_round_trips_and_says_what_is_wrong() {
        let link = encode_story_link(AUTHORED);
        assert!(link.starts_with("story=1."), "{link}");
        assert!(link.len() < AUTHORED.len(), "{}", link.len());
        assert_eq!(
            decode_story_link(&format!("#{link}")),
            Ok(AUTHORED.to_owned())
        );
        assert_eq!(
            decode_story_link(&link.replacen("story=1.", "story=2.", 1)),
            Err(LinkError::NewerVersion(2))
        );
        assert_eq!(
            decode_story_link(&link[..link.len() / 2]),
            Err(LinkError::Corrupt)
        );
        assert_eq!(decode_story_link("s=2.abc"), Err(LinkError::NotALink));
    }
}
