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
/// [`LARGE_RECORDS`] rows, or more than [`PAGE_READ_BYTES`]). The scenario names it; the
/// simulation worker reads all of it from the file the reader chose, and the page reads
/// only its first [`SAMPLE_RECORDS`] rows, for the people explorer and for checking the
/// text as it is typed. The page never holds the whole file.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    /// The file name the scenario uses.
    pub name: String,
    /// Where it lies beside the scenario (the name resolved against the scenario's path).
    pub path: String,
    /// Its header and first rows.
    pub sample: Rc<str>,
    /// The file the reader chose, kept by the page for the worker
    /// (`hooks::keep_opened_file`); a new choice gets a new ticket.
    pub ticket: u64,
}

/// Rows above which an opened population is kept beside the text and simulated in the
/// worker.
pub const LARGE_RECORDS: usize = 50_000;

/// Rows of a large population the page itself reads.
pub const SAMPLE_RECORDS: usize = 2_000;

/// The most of a population file the page reads: files up to this size are read whole
/// (and kept in the text if they have at most [`LARGE_RECORDS`] rows); of a larger file
/// the page reads only this much, for its first rows.
pub const PAGE_READ_BYTES: u64 = 4 << 20;

/// Whether a population file of `size` bytes, whose first bytes are `head` (the whole
/// file when it is at most [`PAGE_READ_BYTES`]), is kept beside the text rather than in
/// it.
pub fn is_large(size: u64, head: &str) -> bool {
    size > PAGE_READ_BYTES || head.matches('\n').nth(LARGE_RECORDS).is_some()
}

/// The header and the first [`SAMPLE_RECORDS`] rows of `head`, the start of a file: whole
/// lines only, since a read of the first bytes may end inside a row.
pub fn first_rows(head: &str) -> &str {
    let end = head
        .match_indices('\n')
        .nth(SAMPLE_RECORDS)
        .or_else(|| head.rmatch_indices('\n').next())
        .map_or(head.len(), |(i, _)| i + 1);
    head.get(..end).unwrap_or_default()
}

impl Attachment {
    /// Keeps the file with ticket `ticket`, opened as `name` beside the scenario at
    /// `scenario_path`, whose first bytes are `head`.
    pub fn new(name: &str, scenario_path: &str, head: &str, ticket: u64) -> Attachment {
        Attachment {
            name: name.to_owned(),
            path: relative_to(scenario_path, name),
            sample: Rc::from(first_rows(head)),
            ticket,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A population file of `rows` records.
    fn csv(rows: usize) -> String {
        let mut text = String::from("id,segment\n");
        for i in 0..rows {
            text.push_str(&format!("r{i},customer\n"));
        }
        text
    }

    #[test]
    fn a_file_is_large_by_its_rows_or_its_size() {
        // More than LARGE_RECORDS lines, the header included.
        let small = csv(LARGE_RECORDS - 1);
        let large = csv(LARGE_RECORDS);
        assert!(!is_large(small.len() as u64, &small));
        assert!(is_large(large.len() as u64, &large));
        // Of a file over the page's read, its first bytes are enough.
        assert!(is_large(PAGE_READ_BYTES + 1, "id,segment\nr1,customer\n"));
    }

    #[test]
    fn the_page_keeps_whole_first_rows_only() {
        let text = csv(SAMPLE_RECORDS + 10);
        let rows = first_rows(&text);
        assert_eq!(rows.lines().count(), SAMPLE_RECORDS + 1);
        assert!(rows.ends_with("r1999,customer\n"));
        // A read that ends inside a row drops the part row.
        assert_eq!(
            first_rows("id,segment\nr1,customer\nr2,cus"),
            "id,segment\nr1,customer\n"
        );
        let attachment = Attachment::new("big.csv", "dir/a.scenario.toml", &text, 7);
        assert_eq!(attachment.path, "dir/big.csv");
        assert_eq!(&*attachment.sample, rows);
        assert_eq!(attachment.ticket, 7);
    }
}
