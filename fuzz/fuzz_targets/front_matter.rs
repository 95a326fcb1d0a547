//! Splits and parses arbitrary text as an announcement: front matter, YAML, date and Markdown.
//! Errors are expected; a panic, a hang or a blown stack is a bug. Every error is rendered too,
//! since printing a message about odd text is itself code that can break.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(errors) = brief::content::announcement::check_text(&text) {
        for d in &errors.0 {
            let _ = d.location();
            let _ = d.render(false);
        }
    }
});
