//! The people explorer's query: which records match a filter on segment, most severe
//! outcome and a search of ids and labels, in file order or the heaviest first. The app
//! pages through the rows this returns.

use crate::model::outcome::Outcome;
use crate::model::population::{Population, StringColumn};

/// What the explorer shows; an empty field does not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this segment.
    pub segment: String,
    /// Only records whose most severe outcome has this name.
    pub outcome: String,
    /// Only records whose id or label contains this, ignoring case.
    pub search: String,
    /// The heaviest records first, instead of file order.
    pub by_weight: bool,
}

impl Filter {
    fn matches(
        &self,
        population: &Population,
        outcomes: &[Outcome],
        search: &str,
        i: usize,
    ) -> bool {
        let segment = population
            .segment()
            .get(i)
            .map_or("", |s| population.segments.resolve(*s));
        let outcome = outcomes.get(i).map_or("", |o| o.as_str());
        let found = |column: &StringColumn| {
            column
                .get(i)
                .is_some_and(|text| text.to_lowercase().contains(search))
        };
        (self.segment.is_empty() || self.segment == segment)
            && (self.outcome.is_empty() || self.outcome == outcome)
            && (search.is_empty() || found(population.ids()) || found(population.labels()))
    }
}

/// The records that match `filter`, in the order it asks for. `outcomes` holds each
/// record's most severe outcome.
pub fn matching_records(
    population: &Population,
    outcomes: &[Outcome],
    filter: &Filter,
) -> Vec<usize> {
    let search = filter.search.to_lowercase();
    let mut rows: Vec<usize> = (0..population.len())
        .filter(|&i| filter.matches(population, outcomes, &search, i))
        .collect();
    if filter.by_weight {
        let weight = |i: usize| population.weight().get(i).copied().unwrap_or(0.0);
        crate::source::ordering::sort_by(&mut rows, |&a, &b| weight(b).total_cmp(&weight(a)));
    }
    rows
}

/// How many pages `rows` rows fill at `per_page` a page (at least one, even when empty).
pub fn page_count(rows: usize, per_page: usize) -> usize {
    rows.div_ceil(per_page.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{MemoryFileSystem, load_scenario};

    fn population() -> std::sync::Arc<Population> {
        let text = r#"
as_of = 2026-11-21
[[products]]
id = "p"
[population]
csv = '''
id,label,segment,nationality,residence,status,products,weight
a,Ada,staff,CN,CN,foreign_national,p,1
b,Bob,staff,DE,DE,foreign_national,p,5
c,Cy,guest,IR,IR,foreign_national,p,2
'''
"#;
        load_scenario("s.toml", text, &MemoryFileSystem::default()).population
    }

    #[test]
    fn filters_by_segment_outcome_and_search() {
        let population = population();
        let outcomes = [Outcome::Denied, Outcome::Retains, Outcome::Denied];
        let all = Filter::default();
        assert_eq!(matching_records(&population, &outcomes, &all), [0, 1, 2]);
        let staff = Filter {
            segment: "staff".into(),
            ..Filter::default()
        };
        assert_eq!(matching_records(&population, &outcomes, &staff), [0, 1]);
        let denied = Filter {
            outcome: Outcome::Denied.as_str().into(),
            ..staff.clone()
        };
        assert_eq!(matching_records(&population, &outcomes, &denied), [0]);
        let search = Filter {
            search: "BO".into(),
            ..Filter::default()
        };
        assert_eq!(matching_records(&population, &outcomes, &search), [1]);
        let heaviest = Filter {
            by_weight: true,
            ..Filter::default()
        };
        assert_eq!(
            matching_records(&population, &outcomes, &heaviest),
            [1, 2, 0]
        );
    }

    #[test]
    fn counts_pages() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
    }
}
