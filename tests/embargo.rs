//! Embargoes, end to end: an item whose moment has not come is in no file a build or a publish
//! writes, compressed copies and the search index included, and is everywhere once it has come;
//! the clock is fixed with `--now` or `SOURCE_DATE_EPOCH`; `serve` previews it under a banner.
//! brief is run as a user types it: from inside the site folder, with no `--root`.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use common::{brief, Run, Site};
use scraper::{Html, Selector};

/// A word found nowhere else, in the embargoed items' titles and slug: the index lowercases
/// words and stems them, and this one has no suffix to stem.
const MARKER: &str = "zqxjvk";
const MOMENT: &str = "2012-09-22T10:00:00+07:00";
const BEFORE: &str = "2012-09-22T09:59:59+07:00";

/// The real briefing with an announcement, a timeline entry and a free page under embargo until
/// [`MOMENT`], naming a speaker and a topic, with a figure, and a published page that does not
/// link to them.
fn embargoed_site() -> Site {
    let site = Site::real();
    site.write(
        "content/announcements/zqxjvk-zone.md",
        format!(
            "---\ntitle: Zqxjvk zone announced\ndate: 2012-09-22\nembargo: {MOMENT}\nsummary: A Zqxjvk zone for industry.\n\
             speakers: [su-bo]\ntopics: [industry]\nfigures:\n  - {{label: Zqxjvk investment, value: 7.5, unit: billion USD, year: 2012}}\n---\n\nThe Zqxjvk zone.\n"
        ),
    );
    site.append(
        "content/timeline.yaml",
        &format!(
            "- id: zqxjvk-zone\n  date: \"2012-09-22\"\n  title: Zqxjvk zone announced\n  announcement: zqxjvk-zone\n  speakers: [su-bo]\n  \
             embargo: {MOMENT}\n  figure: {{value: 400.1, unit: billion USD, series: two-way-trade}}\n"
        ),
    );
    site.write(
        "content/pages/zqxjvk-notes.md",
        format!("---\ntitle: Zqxjvk notes\nembargo: {MOMENT}\n---\n\nNotes on Zqxjvk.\n"),
    );
    site
}

/// Runs `brief <args>` from inside the site folder, with `env` set.
fn run_here(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = brief();
    command.current_dir(site.root()).args(args).env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        command.env(k, v);
    }
    Run::from(command.output().unwrap())
}

/// Every file of `dir` as text a reader or a machine gets from it: `.gz` and `.br` copies and the
/// search index's gzip files decompressed.
fn readable(dir: &Path) -> BTreeMap<String, String> {
    common::tree(dir)
        .into_iter()
        .map(|(path, bytes)| {
            let mut plain = Vec::new();
            if path.ends_with(".br") {
                brotli::Decompressor::new(&bytes[..], 4096).read_to_end(&mut plain).unwrap();
            } else if bytes.starts_with(&[0x1f, 0x8b]) {
                flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain).unwrap();
            } else {
                plain = bytes;
            }
            (path, String::from_utf8_lossy(&plain).to_lowercase())
        })
        .collect()
}

fn with_marker(files: &BTreeMap<String, String>) -> Vec<&str> {
    files.iter().filter(|(_, text)| text.contains(MARKER)).map(|(p, _)| p.as_str()).collect()
}

#[test]
fn an_embargoed_item_is_in_no_published_file_until_its_moment() {
    let site = embargoed_site();
    let before = run_here(&site, &["publish", "--now", BEFORE, "--out", "before"], &[]).ok();
    let next = format!("The next embargo lifts at {MOMENT} (content/announcements/zqxjvk-zone.md); 2 more after it");
    assert!(before.stdout.contains(&next), "{}", before.stdout);
    assert!(before.stdout.contains("Left out under embargo: 3 items."), "{}", before.stdout);
    let files = readable(&site.root().join("before"));
    assert!(files.keys().any(|p| p.contains("pagefind/") && p.ends_with(".pf_fragment")), "no search index");
    assert!(files.keys().any(|p| p.ends_with(".br")) && files.keys().any(|p| p.ends_with(".gz")));
    assert_eq!(with_marker(&files), Vec::<&str>::new(), "the embargoed items leak");
    // Counts and charts are made without them too: the home page counts four announcements, and
    // the trade chart's last point is still 2011's.
    let home = Html::parse_document(&std::fs::read_to_string(site.root().join("before/index.html")).unwrap());
    let glance = Selector::parse(".at-a-glance li strong").unwrap();
    let first = home.select(&glance).next().map(|e| e.text().collect::<String>());
    assert_eq!(first.as_deref(), Some("4"), "the home page counts the embargoed announcement");
    assert!(!files.values().any(|t| t.contains("400.1") || t.contains("400,1")), "the embargoed figure is charted");

    let after = run_here(&site, &["publish", "--now", MOMENT, "--out", "after"], &[]).ok();
    assert!(!after.stdout.contains("embargo"), "{}", after.stdout);
    let files = readable(&site.root().join("after"));
    let found = with_marker(&files);
    for expected in [
        "announcements/zqxjvk-zone/index.html",
        "zh/announcements/zqxjvk-zone/index.html",
        "zqxjvk-notes/index.html",
        "timeline/index.html",
        "speakers/su-bo/index.html",
        "feed.xml",
        "sitemap.xml",
        "timeline.ics",
        "brief-manifest.json",
        "announcements/zqxjvk-zone/index.html.br",
    ] {
        assert!(
            found.contains(&expected),
            "{expected} does not show the item once its embargo lifted ({} files do)",
            found.len()
        );
    }
    assert!(found.iter().any(|p| p.starts_with("pagefind/")), "the search index lacks it: {found:?}");
}

#[test]
fn the_clock_comes_from_now_or_source_date_epoch() {
    let site = embargoed_site();
    // 2012-09-22T02:59:59Z is a second before the moment; 03:00:00Z is the moment.
    run_here(&site, &["build"], &[("SOURCE_DATE_EPOCH", "1348282799")]).ok();
    assert!(!site.public().join("announcements/zqxjvk-zone/index.html").exists());
    run_here(&site, &["build"], &[("SOURCE_DATE_EPOCH", "1348282800")]).ok();
    assert!(site.public().join("announcements/zqxjvk-zone/index.html").exists());
    // --now wins over the environment.
    run_here(&site, &["build", "--now", BEFORE], &[("SOURCE_DATE_EPOCH", "1348282800")]).ok();
    assert!(!site.public().join("announcements/zqxjvk-zone/index.html").exists());
    // The clock of the machine is past 2012.
    run_here(&site, &["build"], &[]).ok();
    assert!(site.public().join("announcements/zqxjvk-zone/index.html").exists());

    let check = run_here(&site, &["check", "--now", BEFORE], &[]).ok();
    assert!(check.stdout.contains(&format!("The next embargo lifts at {MOMENT}")), "{}", check.stdout);
    let bad = run_here(&site, &["build", "--now", "2012-09-22T10:00:00"], &[]).code(2);
    assert!(bad.stderr.contains("has no time zone"), "{}", bad.stderr);
    run_here(&site, &["build"], &[("SOURCE_DATE_EPOCH", "yesterday")]).code(2).says("SOURCE_DATE_EPOCH");
}

#[test]
fn serve_previews_an_embargoed_item_under_a_banner() {
    let site = embargoed_site();
    let mut child = brief()
        .current_dir(site.root())
        .args(["serve", "--port", "0", "--now", BEFORE])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let url = line.trim().strip_prefix("Serving at ").unwrap_or_else(|| panic!("{line:?}")).to_string();
    let get = |path: &str| reqwest::blocking::get(format!("{url}{}", path.trim_start_matches('/'))).unwrap();
    let page = get("/announcements/zqxjvk-zone/");
    assert_eq!(page.status(), 200);
    let html = Html::parse_document(&page.text().unwrap());
    let banner = Selector::parse(".embargo-banner[role=alert]").unwrap();
    let text: String = html.select(&banner).next().expect("no banner").text().collect();
    assert!(text.contains("22 September 2012, 10:00 (UTC+07:00)"), "{text}");
    let timeline = Html::parse_document(&get("/timeline/").text().unwrap());
    let entry = Selector::parse("#zqxjvk-zone .embargo-banner").unwrap();
    assert!(timeline.select(&entry).next().is_some(), "the timeline entry has no banner");
    let notes = Html::parse_document(&get("/zqxjvk-notes/").text().unwrap());
    assert!(notes.select(&banner).next().is_some(), "the page has no banner");
    // Published items carry none.
    let other = Html::parse_document(&get("/announcements/financial-cooperation/").text().unwrap());
    assert!(other.select(&banner).next().is_none());
    child.kill().ok();
    child.wait().ok();
}

/// `brief serve` on `site` at [`BEFORE`], run from inside the site folder, and every line it
/// prints, on either stream, as it comes.
fn serve_lines(site: &Site) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = brief()
        .current_dir(site.root())
        .args(["serve", "--port", "0", "--now", BEFORE])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let out: Box<dyn Read + Send> = Box::new(child.stdout.take().unwrap());
    let err: Box<dyn Read + Send> = Box::new(child.stderr.take().unwrap());
    for stream in [out, err] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(stream)).map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    (child, rx)
}

/// Waits (a minute at most) for a line of `lines` that contains `text`; the others go to `seen`.
fn wait_for(lines: &std::sync::mpsc::Receiver<String>, text: &str, seen: &mut Vec<String>) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(text) => return true,
            Ok(line) => seen.push(line),
            Err(_) => return false,
        }
    }
}

#[test]
fn serve_reports_a_link_that_an_embargo_moved_later_makes_a_leak() {
    let site = embargoed_site();
    let (mut child, lines) = serve_lines(&site);
    let mut seen = Vec::new();
    assert!(wait_for(&lines, "Serving at ", &mut seen), "{seen:?}");
    // The embargoed page links to the embargoed announcement: allowed, they lift together. Then
    // the announcement (and the entry naming it) is held a day longer: the page, which was not
    // saved, now links to an item still under embargo when it comes out.
    site.append("content/pages/zqxjvk-notes.md", "\nSee [the zone](/announcements/zqxjvk-zone/).\n");
    let later = "2012-09-23T10:00:00+07:00";
    site.edit("content/timeline.yaml", &format!("  embargo: {MOMENT}"), &format!("  embargo: {later}"));
    site.edit("content/announcements/zqxjvk-zone.md", &format!("embargo: {MOMENT}"), &format!("embargo: {later}"));
    let leak = format!("this link points to `/announcements/zqxjvk-zone/`, under embargo until {later}");
    let found = wait_for(&lines, &leak, &mut seen);
    child.kill().ok();
    child.wait().ok();
    assert!(found, "serve did not report the link; it printed:\n{}", seen.join("\n"));
}

/// The same edits as [`serve_reports_a_link_that_an_embargo_moved_later_makes_a_leak`], each
/// rebuilt on its own, as a loaded machine delivers them: the last rebuild re-reads only the
/// announcement, and the leak is in the page, which it did not re-read.
#[test]
fn serve_reports_the_leak_when_each_edit_is_rebuilt_on_its_own() {
    let site = embargoed_site();
    let (mut child, lines) = serve_lines(&site);
    let mut seen = Vec::new();
    assert!(wait_for(&lines, "Serving at ", &mut seen), "{seen:?}");
    site.append("content/pages/zqxjvk-notes.md", "\nSee [the zone](/announcements/zqxjvk-zone/).\n");
    assert!(wait_for(&lines, "Rebuilt", &mut seen), "no rebuild after the page was saved:\n{}", seen.join("\n"));
    let later = "2012-09-23T10:00:00+07:00";
    site.edit("content/timeline.yaml", &format!("  embargo: {MOMENT}"), &format!("  embargo: {later}"));
    assert!(wait_for(&lines, "Rebuilt", &mut seen), "no rebuild after the timeline was saved:\n{}", seen.join("\n"));
    site.edit("content/announcements/zqxjvk-zone.md", &format!("embargo: {MOMENT}"), &format!("embargo: {later}"));
    let leak = format!("this link points to `/announcements/zqxjvk-zone/`, under embargo until {later}");
    let found = wait_for(&lines, &leak, &mut seen);
    child.kill().ok();
    child.wait().ok();
    assert!(found, "serve did not report the link; it printed:\n{}", seen.join("\n"));
}

#[test]
fn a_translation_under_its_own_embargo_waits_while_its_original_is_out() {
    let site = Site::real();
    let zh = "content/announcements/satellite-data-platform.zh.md";
    // Later than the briefing's `published: 2026-11-30`, so that the dates show the lift.
    let (moment, before) = ("2027-01-01T00:00:00Z", "2026-12-31T23:59:59Z");
    site.edit(zh, "---\ntitle:", &format!("---\nembargo: {moment}\ntitle:"));
    let zh_title = "计划下的首个项目：中国将与东盟共享卫星数据";
    let en_title = "First programme under the plan will share China's satellite data with ASEAN";
    let page = |site: &Site, lang: &str| {
        let path = format!("{lang}announcements/satellite-data-platform/index.html");
        Html::parse_document(&std::fs::read_to_string(site.public().join(path)).unwrap())
    };
    let h1 = |doc: &Html| {
        doc.select(&Selector::parse("h1").unwrap()).map(|e| e.text().collect::<String>()).collect::<Vec<_>>()
    };
    let ld = |doc: &Html| -> serde_json::Value {
        let script = doc.select(&Selector::parse("script[type='application/ld+json']").unwrap()).next().unwrap();
        serde_json::from_str(&script.text().collect::<String>()).unwrap()
    };

    let run = run_here(&site, &["publish", "--now", before], &[]).ok();
    // The Chinese page shows the original, marked as not translated yet; the translation is in no file.
    let doc = page(&site, "zh/");
    assert_eq!(h1(&doc), [en_title]);
    assert!(doc.select(&Selector::parse(".untranslated").unwrap()).next().is_some());
    let files = readable(&site.public());
    assert!(files.values().all(|text| !text.contains(zh_title)), "the translation leaked");
    assert!(run.stdout.contains("Left out under embargo: 1 item"), "{}", run.stdout);
    assert!(run.stdout.contains("satellite-data-platform.zh.md"), "{}", run.stdout);

    run_here(&site, &["publish", "--now", moment], &[]).ok();
    let doc = page(&site, "zh/");
    assert_eq!(h1(&doc), [zh_title]);
    // The Chinese text came out when its embargo lifted; the English page kept its dates.
    assert_eq!(ld(&doc)["datePublished"], "2027-01-01T00:00:00Z");
    assert_eq!(ld(&doc)["dateModified"], "2027-01-01T00:00:00Z");
    assert_eq!(ld(&page(&site, ""))["datePublished"], "2026-11-30");
}
