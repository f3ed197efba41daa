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

/// What the page makes of the first bytes it read of a population file.
#[derive(Clone, Debug, PartialEq)]
pub enum OpenedCsv {
    /// A file small enough to keep in the scenario text: all of it.
    Whole(String),
    /// A large file (see [`is_large`]): its header and first [`SAMPLE_RECORDS`] rows.
    Large(String),
}

/// Reads the first bytes `head` of a population file of `size` bytes. Only the text it
/// keeps is decoded: of a large file the first rows, not the megabytes read for them.
pub fn open_csv(size: u64, head: &[u8]) -> OpenedCsv {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if is_large(size, head) {
        OpenedCsv::Large(decode(head.get(..first_rows_end(head)).unwrap_or_default()))
    } else {
        OpenedCsv::Whole(decode(head))
    }
}

/// Text from bytes that should be UTF-8, without a byte-order mark; a stray byte becomes
/// U+FFFD rather than an error.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether a population file of `size` bytes, whose first bytes are `head` (the whole
/// file when it is at most [`PAGE_READ_BYTES`]), is kept beside the text rather than in
/// it.
pub fn is_large(size: u64, head: &[u8]) -> bool {
    size > PAGE_READ_BYTES || newlines(head).nth(LARGE_RECORDS).is_some()
}

/// Where the header and the first [`SAMPLE_RECORDS`] rows of `head`, the start of a
/// file, end: after a whole line, since a read of the first bytes may end inside a row.
fn first_rows_end(head: &[u8]) -> usize {
    newlines(head)
        .nth(SAMPLE_RECORDS)
        .or_else(|| head.iter().rposition(|&b| b == b'\n'))
        .map_or(head.len(), |i| i + 1)
}

/// The positions of the line ends in `bytes`.
fn newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
}

/// The header and the first [`SAMPLE_RECORDS`] rows of `head`, the start of a file.
pub fn first_rows(head: &str) -> &str {
    head.get(..first_rows_end(head.as_bytes()))
        .unwrap_or_default()
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

impl From<Snapshot> for crate::app::analysis::Document {
    fn from(snapshot: Snapshot) -> Self {
        Self {
            path: snapshot.path,
            text: snapshot.text,
            adjustments: snapshot.adjustments,
            as_of: snapshot.as_of,
        }
    }
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
        assert!(!is_large(small.len() as u64, small.as_bytes()));
        assert!(is_large(large.len() as u64, large.as_bytes()));
        // Of a file over the page's read, its first bytes are enough.
        assert!(is_large(PAGE_READ_BYTES + 1, b"id,segment\nr1,customer\n"));
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

    #[test]
    fn of_a_large_file_only_the_first_rows_are_decoded() {
        let text = format!("\u{feff}{}", csv(SAMPLE_RECORDS + 10));
        let read = text.as_bytes();
        let OpenedCsv::Large(rows) = open_csv(PAGE_READ_BYTES + 1, read) else {
            panic!("a file over the page's read is large");
        };
        assert_eq!(rows, first_rows(&csv(SAMPLE_RECORDS + 10)));
        assert!(
            rows.starts_with("id,segment\n"),
            "the byte-order mark is dropped"
        );
        // A small file is kept whole, a stray byte replaced rather than refused.
        assert_eq!(
            open_csv(14, b"id,segment\nr\xFF\n"),
            OpenedCsv::Whole("id,segment\nr\u{FFFD}\n".to_owned())
        );
        // A read that ends inside a multi-byte character keeps whole lines only.
        let cut = "id,label\nr1,Zoë\nr2,Zoë".as_bytes();
        let cut = &cut[..cut.len() - 1];
        assert_eq!(
            open_csv(PAGE_READ_BYTES + 1, cut),
            OpenedCsv::Large("id,label\nr1,Zoë\n".to_owned())
        );
    }
}
