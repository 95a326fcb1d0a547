//! Large and deep inputs that must build (no error to report): no crash, no overflow, no hang.

use crate::{base, no_crash, run_within, Root, ABOUT, ABOUT_MD};

/// 50 MB of Markdown in one page builds; the file and the output are gone when the test ends.
#[test]
fn very_large_page_builds() {
    use std::io::Write;
    const PARA: &[u8] =
        b"A paragraph with *emphasis*, a [link](https://example.org/) and words to fill a line of text.\n\n";
    let paragraphs = 50_000_000 / PARA.len() + 1;
    let site = base();
    {
        let file = std::fs::File::create(site.root().join(ABOUT_MD)).unwrap();
        let mut w = std::io::BufWriter::new(file);
        w.write_all(b"---\ntitle: About this briefing\n---\n\n").unwrap();
        for _ in 0..paragraphs {
            w.write_all(PARA).unwrap();
        }
        w.write_all(b"The last paragraph.\n").unwrap();
        w.flush().unwrap();
    }
    assert!(std::fs::metadata(site.root().join(ABOUT_MD)).unwrap().len() >= 50_000_000);
    let run = run_within(&site, Root::Here, &["build"]);
    no_crash(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.public().join("about/index.html");
    assert!(std::fs::metadata(&page).unwrap().len() > 50_000_000);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<p>The last paragraph.</p>"));
    assert_eq!(html.matches("<em>emphasis</em>").count(), paragraphs);
}

/// 10,000 levels of `>` build: pulldown-cmark nests without recursion.
#[test]
fn deeply_nested_blockquotes_build() {
    let site = base();
    site.write(ABOUT_MD, format!("{ABOUT}\n{} deep\n", ">".repeat(10_000)));
    let run = run_within(&site, Root::Here, &["build"]);
    no_crash(&run);
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/about/index.html");
    assert_eq!(html.matches("<blockquote>").count(), 10_000);
}

/// A list nested 3,000 levels deep builds.
#[test]
fn deeply_nested_list_builds() {
    let site = base();
    let list: String = (0..3_000).map(|i| format!("{}- item {i}\n", "  ".repeat(i))).collect();
    site.write(ABOUT_MD, format!("{ABOUT}\n{list}"));
    let run = run_within(&site, Root::Here, &["build"]);
    no_crash(&run);
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/about/index.html");
    assert!(html.contains("<li>item 2999</li>"));
    assert!(html.matches("<ul>").count() >= 3_000);
}
