//! The condition parser never panics, and what it parses prints back to the same tree.
#![no_main]

use cutoff_engine::model::condition::{parse, print};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(cond) = parse(text) {
            let printed = print(&cond);
            let again = parse(&printed).map(|c| c.without_spans());
            assert_eq!(again, Ok(cond.without_spans()), "{printed}");
        }
    }
});
