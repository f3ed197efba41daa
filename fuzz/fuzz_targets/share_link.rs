//! Decoding any link fragment never panics and never unpacks past the limit.
#![no_main]

use cutoff_engine::edit::share::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(shared) = decode(text) {
            assert_eq!(decode(&encode(&shared)), Ok(shared));
        }
    }
});
