//! The link reader's fast path against html5gum alone, on arbitrary text: both must find the same
//! links, ids and spans (`brief::html_scan::scan` takes the fast path as far as it can, then
//! hands html5gum the rest). A difference, a panic or a hang is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let fast = brief::html_scan::scan(&html);
    let slow = brief::html_scan::scan_with_html5gum(&html);
    assert_eq!(fast, slow, "{html:?}");
});
