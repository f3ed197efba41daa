//! Publishing a story: its `[published]` table records the engine version, the day and
//! every bound number as shown, written into the story's text with `toml_edit` so that the
//! rest of the file stays as its author wrote it.

use std::collections::BTreeMap;

use toml_edit::{DocumentMut, Item, Table, value};

use crate::model::date::Date;

/// The story `text` with `[published]` set to these values (replacing any earlier one),
/// or `None` when the text is not TOML.
pub fn publish(
    text: &str,
    engine: &str,
    date: Date,
    values: &BTreeMap<String, f64>,
) -> Option<String> {
    let mut document: DocumentMut = text.parse().ok()?;
    let mut published = Table::new();
    published.insert("engine", value(engine));
    let day: toml_edit::Datetime = date.to_string().parse().ok()?;
    published.insert("date", value(day));
    let mut numbers = Table::new();
    for (key, number) in values {
        numbers.insert(key, value(*number));
    }
    published.insert("values", Item::Table(numbers));
    document.insert("published", Item::Table(published));
    Some(document.to_string())
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
}
