//! A/B comparison: two sets of totals side by side, and where they differ — by segment,
//! by most severe outcome, and by the countries of residence where the most people
//! change. The app pins one result as A and shows these rows beside the current B.

use crate::aggregate::Totals;
use crate::model::outcome::Outcome;

/// One side of a comparison: the totals and the segment names they are indexed by.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    /// Segment names, indexed like the totals.
    pub segments: &'a [String],
    /// The totals.
    pub totals: &'a Totals,
}

impl Side<'_> {
    /// The people in `segment` who lose access (0 if the side has no such segment).
    pub fn lose_any(&self, segment: &str) -> f64 {
        self.segments
            .iter()
            .position(|s| s == segment)
            .and_then(|i| self.totals.people.get(i))
            .map_or(0.0, |p| p.lose_any)
    }
}

/// One figure under A and under B.
#[derive(Clone, Debug, PartialEq)]
pub struct Row<K> {
    /// What the figure is of.
    pub key: K,
    /// Its value under A.
    pub a: f64,
    /// Its value under B.
    pub b: f64,
}

impl<K> Row<K> {
    /// B − A.
    pub fn change(&self) -> f64 {
        self.b - self.a
    }
}

/// Every segment of either side, A's in order, then B's new ones: the people in each who
/// lose access.
pub fn by_segment(a: Side<'_>, b: Side<'_>) -> Vec<Row<String>> {
    let mut names: Vec<&String> = a.segments.iter().collect();
    for s in b.segments {
        if !names.contains(&s) {
            names.push(s);
        }
    }
    names
        .into_iter()
        .map(|s| Row {
            key: s.clone(),
            a: a.lose_any(s),
            b: b.lose_any(s),
        })
        .collect()
}

/// People by their most severe outcome, in the order of [`Outcome::ALL`].
pub fn by_outcome(a: &Totals, b: &Totals) -> Vec<Row<Outcome>> {
    let (x, y) = (a.people_by_outcome_total(), b.people_by_outcome_total());
    Outcome::ALL
        .iter()
        .map(|&o| Row {
            key: o,
            a: x.get(o.index()).copied().unwrap_or(0.0),
            b: y.get(o.index()).copied().unwrap_or(0.0),
        })
        .collect()
}

/// The countries of residence (by country id) where the number of people who lose access
/// changes, the largest change first, at most `limit`.
pub fn countries_changed(a: &Totals, b: &Totals, limit: usize) -> Vec<Row<usize>> {
    let mut rows: Vec<Row<usize>> = a
        .people_by_residence
        .iter()
        .zip(&b.people_by_residence)
        .enumerate()
        .map(|(i, (x, y))| Row {
            key: i,
            a: x.lose_any,
            b: y.lose_any,
        })
        .filter(|r| r.a != r.b)
        .collect();
    crate::source::ordering::sort_by(&mut rows, |x, y| {
        y.change().abs().total_cmp(&x.change().abs())
    });
    rows.truncate(limit);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::simulate;
    use crate::load::{MemoryFileSystem, load_scenario};
    use crate::prepare;

    /// The totals of a small scenario whose letter denies `denied` segments.
    fn totals(when: &str) -> (Vec<String>, Totals) {
        let text = format!(
            r#"
as_of = 2026-11-21
[[products]]
id = "p"
[[directive]]
id = "letter"
products = ["*"]
[[directive.rules]]
effect = "deny"
when = '{when}'
[population]
csv = '''
id,segment,nationality,residence,status,products,weight
a,staff,CN,CN,foreign_national,p,10
b,staff,DE,DE,foreign_national,p,5
c,guest,IR,IR,foreign_national,p,2
'''
"#
        );
        let prepared = prepare(load_scenario("s.toml", &text, &MemoryFileSystem::default()));
        let compiled = prepared.compiled.as_ref().expect("compiles");
        let as_of = prepared.scenario.as_of.expect("date");
        let totals = simulate(&prepared.scenario, compiled, as_of, |_| {});
        (
            prepared.scenario.population.segments.values().to_vec(),
            totals,
        )
    }

    #[test]
    fn rows_show_both_sides_and_the_change() {
        let (sa, ta) = totals(r#"residence == "CN""#);
        let (sb, tb) = totals(r#"residence in ["CN", "DE", "IR"]"#);
        let (a, b) = (
            Side {
                segments: &sa,
                totals: &ta,
            },
            Side {
                segments: &sb,
                totals: &tb,
            },
        );
        let segments = by_segment(a, b);
        assert_eq!(
            segments
                .iter()
                .map(|r| (r.key.as_str(), r.a, r.b))
                .collect::<Vec<_>>(),
            [("staff", 10.0, 15.0), ("guest", 0.0, 2.0)]
        );
        assert_eq!(a.lose_any("nobody"), 0.0);
        let outcomes = by_outcome(&ta, &tb);
        assert_eq!(outcomes.len(), Outcome::ALL.len());
        let total_change: f64 = outcomes.iter().map(Row::change).sum();
        assert_eq!(total_change, 0.0, "everyone is counted once on each side");
        let countries = countries_changed(&ta, &tb, 10);
        assert_eq!(
            countries.iter().map(|r| r.change()).collect::<Vec<_>>(),
            [5.0, 2.0]
        );
        assert_eq!(countries_changed(&ta, &tb, 1).len(), 1);
        assert!(countries_changed(&ta, &ta, 10).is_empty());
    }
}
