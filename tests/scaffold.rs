//! `brief new KIND TITLE` as a user types it, inside the briefing's folder: each kind of item
//! builds at once without edits, titles in any script give ASCII slugs, a site's own archetype
//! wins, and nothing is overwritten.

mod common;

use common::{brief, Run, Site};
use scraper::{Html, Selector};

/// `brief ARGS` from inside the site folder.
fn here(site: &Site, args: &[&str]) -> Run {
    Run::from(brief().args(args).current_dir(site.root()).output().unwrap())
}

fn page(site: &Site, path: &str) -> Html {
    let file = site.public().join(path.trim_start_matches('/')).join("index.html");
    Html::parse_document(&std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())))
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&Selector::parse(selector).unwrap()).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

#[test]
fn each_kind_of_item_builds_at_once() {
    let site = Site::starter();
    let made = here(&site, &["new", "announcement", "Khai mạc: \"a new\" expo", "--date", "2030-05-15"]).ok();
    assert_eq!(made.stdout.trim(), "Created content/announcements/khai-mac-a-new-expo.md");
    here(&site, &["new", "speaker", "苏波"]).ok();
    here(&site, &["new", "page", "Press kit"]).ok();
    let timeline = site.read("content/timeline.yaml");
    let added = here(&site, &["new", "timeline", "Ministers meet", "--date", "2030-05-16"]).ok();
    assert_eq!(added.stdout.trim(), "Added an entry to content/timeline.yaml");
    // The entry is appended: every line before it is kept as it was.
    assert!(site.read("content/timeline.yaml").starts_with(&timeline));

    // As written: the new announcement is a draft, the rest is published.
    here(&site, &["build"]).ok();
    assert_eq!(texts(&page(&site, "/speakers/su-bo"), "h1"), ["苏波"]);
    assert_eq!(texts(&page(&site, "/press-kit"), "h1"), ["Press kit"]);
    assert!(texts(&page(&site, "/timeline"), "main").join(" ").contains("Ministers meet"));
    assert!(!site.public().join("announcements/khai-mac-a-new-expo").exists());
    here(&site, &["build", "--drafts"]).ok();
    let doc = page(&site, "/announcements/khai-mac-a-new-expo");
    assert_eq!(texts(&doc, "h1"), ["Khai mạc: \"a new\" expo"]);
    assert_eq!(texts(&doc, "main .meta time")[0], "15 May 2030");
}

#[test]
fn nothing_is_overwritten_and_mistakes_are_refused() {
    let site = Site::starter();
    here(&site, &["new", "page", "About"]).code(2);
    let about = site.read("content/pages/about.md");
    let run = here(&site, &["new", "page", "About"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content/pages/about.md exists already"), "{}", run.stderr);
    assert_eq!(site.read("content/pages/about.md"), about);
    for (args, says) in [
        (&["new", "announcement"][..], "give the new announcement a title"),
        (&["new", "poster", "X"][..], "brief new cannot make a `poster`"),
        (&["new", "announcement", "X", "--date", "15/05/2030"][..], "--date `15/05/2030` is not a day"),
        (&["new", "announcement", "…"][..], "gives no slug"),
    ] {
        let run = here(&site, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_sites_own_archetype_wins() {
    let site = Site::starter();
    site.write(
        "archetypes/announcement.md",
        "---\ntitle: {{title}}\ndate: {{date}}\nsummary: \"Summary to come.\"\nspeakers: [jane-doe]\n---\n\nSee [{{slug}}](/announcements/{{slug}}/).\n",
    );
    here(&site, &["new", "announcement", "Second day", "--date", "2030-05-15"]).ok();
    here(&site, &["build"]).ok();
    let doc = page(&site, "/announcements/second-day");
    assert_eq!(texts(&doc, "h1"), ["Second day"]);
    assert!(texts(&page(&site, "/speakers/jane-doe"), "main").join(" ").contains("Second day"));
}
