//! The document and what travels beside it: the [`Snapshot`] that undo restores and
//! autosave keeps, a large population file kept beside the text, and the whole-population
//! run the page waits for.

use std::rc::Rc;

use super::results::{Results, SharedScenario};
use crate::app::simulation_worker::Stage;
use crate::engine::load::relative_to;
use crate::engine::load::spec::Adjustments;
use crate::engine::model::date::Date;

/// A population file too large to keep inside the scenario text (more than
/// [`LARGE_RECORDS`] rows). The scenario names it; the simulation worker reads all of it,
/// and the page reads its first [`SAMPLE_RECORDS`] rows, for the people explorer and for
/// checking the text as it is typed.
#[derive(Clone, Debug)]
pub struct Attachment {
    /// The file name the scenario uses.
    pub name: String,
    /// Where it lies beside the scenario (the name resolved against the scenario's path).
    pub path: String,
    /// The whole file.
    pub text: Rc<str>,
    /// Its header and first rows.
    pub sample: Rc<str>,
    /// How many records it has.
    pub records: usize,
}

impl PartialEq for Attachment {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && Rc::ptr_eq(&self.text, &other.text)
    }
}

/// Rows above which an opened population is kept beside the text and simulated in the
/// worker.
pub const LARGE_RECORDS: usize = 50_000;

/// Rows of a large population the page itself reads.
pub const SAMPLE_RECORDS: usize = 2_000;

impl Attachment {
    /// Keeps `text`, opened as `name` beside the scenario at `scenario_path`.
    pub fn new(name: &str, scenario_path: &str, text: String) -> Attachment {
        let records = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
            .saturating_sub(1);
        let end = text
            .match_indices('\n')
            .nth(SAMPLE_RECORDS)
            .map_or(text.len(), |(i, _)| i + 1);
        let sample: Rc<str> = Rc::from(text.get(..end).unwrap_or_default());
        Attachment {
            name: name.to_owned(),
            path: relative_to(scenario_path, name),
            text: Rc::from(text),
            sample,
            records,
        }
    }
}

/// A whole-population run in the simulation worker that the page is waiting for.
#[derive(Clone, Debug, PartialEq)]
pub struct FullRun {
    /// The job.
    pub id: u64,
    /// How far the worker has got.
    pub stage: Stage,
    /// The results of the file's first rows; the worker's totals complete them.
    pub sample: Rc<Results>,
    /// The scenario with the file's first rows, for the people explorer.
    pub prepared: SharedScenario,
}

/// The document: what undo restores, autosave keeps and a link carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// The name the text goes by.
    pub path: String,
    /// The scenario text.
    pub text: String,
    /// The reader's as-of date.
    pub as_of: Option<Date>,
    /// The reader's changes to the population spec.
    pub adjustments: Adjustments,
}
