//! Every kind of content file parsed from arbitrary text by its own `parse`, the functions a
//! build calls: site settings, topics, timeline, speaker, free page. Errors are expected; a
//! panic, a hang or a blown stack is a bug. Every error is rendered too.
#![no_main]

use std::sync::Arc;

use brief::content::{config, page, speaker, timeline, topics};
use brief::diagnostic::Diagnostic;
use brief::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile { path: path.into(), text: Arc::from(text) }
}

fn show(result: Result<(), Diagnostic>) {
    if let Err(d) = result {
        let _ = d.location();
        let _ = d.render(false);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    show(config::parse(file("content/site.yaml", &text), &Default::default()).map(drop));
    show(topics::parse(file("content/topics.yaml", &text)).map(drop));
    show(timeline::parse(file("content/timeline.yaml", &text)).map(drop));
    show(speaker::parse(file("content/speakers/x.md", &text), "/").map(drop));
    show(page::parse(file("content/pages/x.md", &text), "/").map(drop));
});
