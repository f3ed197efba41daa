//! Undo and redo: the documents to go back or forward to. Each document is kept once behind
//! an `Rc` and the list itself is shared too, so that copying the state on a keystroke
//! copies two pointers, whatever the history holds.

use std::collections::VecDeque;
use std::rc::Rc;

use super::Snapshot;

/// How many documents undo remembers.
pub const LIMIT: usize = 100;

/// Documents, most recent last, at most [`LIMIT`]; the oldest is forgotten first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History(Rc<VecDeque<Rc<Snapshot>>>);

impl History {
    /// Remembers a document.
    pub fn push(&mut self, snapshot: Rc<Snapshot>) {
        // Copies the list of pointers only if another state still holds it.
        let list = Rc::make_mut(&mut self.0);
        list.push_back(snapshot);
        if list.len() > LIMIT {
            list.pop_front();
        }
    }

    /// Takes the most recent document.
    pub fn pop(&mut self) -> Option<Rc<Snapshot>> {
        if self.0.is_empty() {
            return None;
        }
        Rc::make_mut(&mut self.0).pop_back()
    }

    /// Forgets every document.
    pub fn clear(&mut self) {
        if !self.0.is_empty() {
            self.0 = Rc::default();
        }
    }

    /// Whether there is nothing to go back (or forward) to.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many documents it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(text: &str) -> Rc<Snapshot> {
        Rc::new(Snapshot {
            text: text.to_owned(),
            ..Snapshot::default()
        })
    }

    #[test]
    fn keeps_the_latest_documents_and_shares_them() {
        let mut history = History::default();
        for i in 0..(LIMIT + 3) {
            history.push(document(&i.to_string()));
        }
        assert_eq!(history.len(), LIMIT);
        let copy = history.clone();
        assert_eq!(
            history.pop().map(|s| s.text.clone()),
            Some((LIMIT + 2).to_string())
        );
        assert_eq!(copy.len(), LIMIT, "a copy keeps its own list");
        history.clear();
        assert!(history.is_empty() && history.pop().is_none());
    }
}
