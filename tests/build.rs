//! Builds the real briefing and the starter into temporary folders and checks the HTML with a
//! parser: pages, cross-links, timeline order, base paths, drafts, determinism.

mod common;

use common::{brief, tree, Site};
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(site: &Site, path: &str) -> Html {
    let file = site.public().join(path.trim_start_matches('/')).join("index.html");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    Html::parse_document(&text)
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn hrefs(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).filter_map(|e| e.value().attr("href").map(str::to_string)).collect()
}

/// The file stems of the originals in `content/<dir>/` (not their translations, `x.zh.md`).
fn slugs(site: &Site, dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(site.root().join("content").join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path().file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|stem| !stem.contains('.'))
        .collect();
    out.sort();
    out
}

#[test]
fn real_briefing_has_every_page_kind() {
    let site = Site::real();
    let run = site.build().ok();
    // What was written, counted as a reader of the output would: the stylesheet, the script and
    // the icon are static files, and the sitemap, robots.txt, feed and calendar are data files;
    // Chinese and Vietnamese have a feed and a calendar each. The search index waits for --search.
    let pages = site.output().keys().filter(|p| p.ends_with(".html")).count();
    let summary = format!("Built {pages} pages, 8 data files and 3 static files into ");
    assert!(run.stdout.starts_with(&summary), "{}", run.stdout);
    let home = page(&site, "/");
    assert_eq!(texts(&home, "h1"), ["9th China–ASEAN Expo"]);
    let announcement_links = hrefs(&home, ".card h3 a");
    for slug in slugs(&site, "announcements") {
        let url = format!("/caexpo-2012/announcements/{slug}/");
        assert!(announcement_links.contains(&url), "home page does not link {url}: {announcement_links:?}");
        let doc = page(&site, &format!("/announcements/{slug}"));
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{slug}");
    }
    for slug in slugs(&site, "speakers") {
        assert_eq!(page(&site, &format!("/speakers/{slug}")).select(&sel("h1")).count(), 1);
    }
    for path in ["/announcements", "/timeline", "/speakers", "/topics", "/about"] {
        let doc = page(&site, path);
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{path}");
        assert!(!texts(&doc, "title")[0].is_empty());
    }
    assert!(site.public().join("404.html").is_file());
    assert!(site.public().join("style.css").is_file());
}

#[test]
fn real_briefing_tells_the_story_of_the_article() {
    let site = Site::real();
    site.build().ok();
    let home = page(&site, "/");
    let event = texts(&home, ".event .meta").join(" ");
    assert!(event.contains("Nanning") && event.contains("21–25 September 2012"), "{event}");
    // The article's lead comes first; the teaser of the timeline shows the event, not 2002; the
    // count is of distinct dates (the three entries of 22 September are one date).
    assert!(hrefs(&home, ".card-title a")[0].ends_with("/science-technology-cooperation-plan/"));
    let teaser = texts(&home, "#timeline-teaser ~ .timeline .timeline-date");
    assert_eq!(teaser.len(), 5, "{teaser:?}");
    assert!(teaser.iter().all(|d| d.contains("September 2012")), "{teaser:?}");
    let glance = texts(&home, ".at-a-glance li");
    assert!(glance.contains(&"7 distinct dates on the timeline".to_string()), "{glance:?}");
    let people = page(&site, "/speakers");
    // Who spoke at the expo, and who the briefing only names: Wen Jiabao proposed the partnership
    // in 2011 and did not speak there.
    assert_eq!(texts(&people, "#who-spoke + ul .speaker-name"), ["Pan Gongsheng", "Su Bo"]);
    assert_eq!(texts(&people, "#also-named ~ ul .speaker-name"), ["Wen Jiabao"]);
    // Roles are the report's, of its day.
    let roles = texts(&people, ".speaker .meta .as-of");
    assert_eq!(roles, ["(as of September 2012)"; 3]);
    let plan = page(&site, "/announcements/science-technology-cooperation-plan");
    assert_eq!(texts(&plan, ".article-header .meta a"), ["Wen Jiabao"]);
    assert!(texts(&plan, ".article-header .meta")[0].contains("Also named: Wen Jiabao"));
    // The figures written once, in the announcement, make its chart; the change is computed.
    let change = texts(&plan, ".chart-change dd");
    assert_eq!(change, ["+308 billion USD", "6.6 times as much", "23.4% a year"]);
    assert!(texts(&plan, ".chart-note")[0].contains("rounded to one decimal place"));
    let plan_vi = page(&site, "/vi/announcements/science-technology-cooperation-plan");
    assert_eq!(texts(&plan_vi, ".chart-change dd"), ["+308 tỷ USD", "gấp 6,6 lần", "23,4% mỗi năm"]);
    let wen_page = page(&site, "/speakers/wen-jiabao");
    assert_eq!(
        hrefs(&wen_page, "#mentioned-in ~ .cards .card-title a"),
        ["/caexpo-2012/announcements/science-technology-cooperation-plan/"]
    );
    // A speaker's page lists the announcements that name them.
    let pan = page(&site, "/speakers/pan-gongsheng");
    assert_eq!(hrefs(&pan, ".card h3 a"), ["/caexpo-2012/announcements/financial-cooperation/"]);
    let wen = page(&site, "/speakers/wen-jiabao");
    let wen_timeline = texts(&wen, ".timeline-entry time");
    assert_eq!(wen_timeline, ["November 2011"]);
    // Key figures: two-way trade in 2002 and 2011.
    let figures = texts(&home, ".figures dd").join(" ");
    assert!(figures.contains("54.8 billion USD") && figures.contains("362.8 billion USD"), "{figures}");
    // Every announcement credits VNA.
    for slug in slugs(&site, "announcements") {
        let source = texts(&page(&site, &format!("/announcements/{slug}")), ".source").join(" ");
        assert!(source.contains("VNA"), "{slug}: {source}");
    }
}

#[test]
fn timeline_is_chronological_and_keeps_each_dates_precision() {
    let site = Site::real();
    site.build().ok();
    let doc = page(&site, "/timeline");
    let dates: Vec<String> =
        doc.select(&sel(".timeline-entry time")).map(|t| t.value().attr("datetime").unwrap().to_string()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by_key(|d| {
        let p: Vec<u32> = d.split('-').map(|x| x.parse().unwrap()).collect();
        (p[0], p.get(1).copied().unwrap_or(0), p.get(2).copied().unwrap_or(0))
    });
    assert_eq!(dates, sorted);
    let shown = texts(&doc, ".timeline-entry time");
    for expected in ["2002", "January 2010", "2011", "November 2011", "22 September 2012"] {
        assert!(shown.iter().any(|s| s == expected), "{expected} not in {shown:?}");
    }
    let years = texts(&doc, "section[aria-labelledby^=year-] h2");
    assert_eq!(years, ["2002", "2010", "2011", "2012"]);
    // The trade figures of 2002 and 2011 form one chart, titled by the series' label.
    for doc in [&doc, &page(&site, "/")] {
        assert_eq!(texts(doc, ".chart-figure figcaption"), ["Two-way China–ASEAN trade (billion USD)"]);
        assert_eq!(texts(doc, ".chart-figure tbody td"), ["54.8", "362.8"]);
        let caption = texts(doc, ".chart-figure table caption");
        assert_eq!(caption, ["Two-way China–ASEAN trade: 2002, 54.8 billion USD; 2011, 362.8 billion USD."]);
    }
}

#[test]
fn topic_pages_list_their_announcements() {
    let site = Site::starter();
    site.build().ok();
    let topic = page(&site, "/topics/trade");
    assert_eq!(hrefs(&topic, ".card h3 a"), ["/announcements/opening/"]);
    let topics = page(&site, "/topics");
    assert_eq!(texts(&topics, ".topic-list .count"), ["(1)"]);
}

#[test]
fn markdown_extensions_and_heading_ids_render() {
    let site = Site::starter();
    site.write(
        "content/pages/extras.md",
        "---\ntitle: Extras\n---\n\n## Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee ~~this~~ note[^1] and [the table](#table).\n\n[^1]: A footnote.\n",
    );
    site.build().ok();
    let doc = page(&site, "/extras");
    assert_eq!(doc.select(&sel("main table td")).count(), 2);
    assert_eq!(doc.select(&sel("main del")).count(), 1);
    assert_eq!(doc.select(&sel("h2#table")).count(), 1);
    assert!(doc.select(&sel(".footnote-definition")).count() == 1);
}

#[test]
fn values_are_escaped_and_markdown_is_not() {
    let site = Site::starter();
    site.edit(
        "content/announcements/opening.md",
        "title: The Example Expo opens",
        "title: \"<script>alert(1)</script> & co\"",
    );
    site.build().ok();
    let doc = page(&site, "/announcements/opening");
    assert_eq!(texts(&doc, "h1"), ["<script>alert(1)</script> & co"]);
    assert_eq!(doc.select(&sel("main script")).count(), 0);
    assert_eq!(doc.select(&sel("main h2#what-happens-next")).count(), 1);
}

#[test]
fn base_url_with_a_subpath_prefixes_every_internal_link() {
    let site = Site::starter();
    site.run(&["build", "--base-url", "https://example.org/briefing/"]).ok();
    for path in ["/", "/announcements/opening", "/speakers/jane-doe", "/timeline"] {
        let doc = page(&site, path);
        for link in hrefs(&doc, "a[href], link[href]") {
            let internal = !link.starts_with("http") && !link.starts_with('#');
            assert!(!internal || link.starts_with("/briefing/"), "{path}: {link}");
        }
        let canonical = hrefs(&doc, "link[rel=canonical]");
        assert!(canonical[0].starts_with("https://example.org/briefing/"), "{canonical:?}");
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::starter();
    site.write(
        "content/announcements/secret.md",
        "---\ntitle: Not yet\ndate: 2030-05-15\nsummary: Embargoed.\ndraft: true\n---\nText.\n",
    );
    site.build().ok();
    assert!(!site.public().join("announcements/secret").exists());
    assert!(!hrefs(&page(&site, "/announcements"), "a").iter().any(|h| h.contains("secret")));
    site.run(&["build", "--drafts"]).ok();
    assert!(site.public().join("announcements/secret/index.html").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::real();
    let out_a = site.root().join("out-a");
    let out_b = site.root().join("out-b");
    site.run(&["build", "--out", out_a.to_str().unwrap()]).ok();
    site.run(&["build", "--out", out_b.to_str().unwrap()]).ok();
    let (a, b) = (tree(&out_a), tree(&out_b));
    assert!(a.len() > 10);
    assert_eq!(a, b);
}

#[test]
fn rebuild_replaces_the_output_whole() {
    let site = Site::starter();
    site.build().ok();
    assert!(site.public().join("about/index.html").is_file());
    site.remove("content/pages/about.md");
    site.build().ok();
    assert!(!site.public().join("about").exists());
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The editor's set-up and the `.gitignore` that `brief new` writes are not a build's
        // leftovers.
        .filter(|n| {
            n.starts_with('.') && ![".public.brief-output", ".brief", ".vscode", ".gitignore"].contains(&n.as_str())
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_writes_nothing() {
    let site = Site::starter();
    let run = site.run(&["check"]).ok();
    assert!(run.stdout.contains("no problems"), "{}", run.stdout);
    assert!(!site.public().exists());
}

#[test]
fn usage_errors_exit_with_2() {
    let out = brief().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = brief().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_system_error_is_shown_with_its_cause() {
    let site = Site::starter();
    site.write("afile", "not a folder");
    // Run as a user types it, from inside the site, with a relative --out.
    let out = brief().args(["build", "--out", "afile/public"]).current_dir(site.root()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.first(), Some(&"error: could not write the site"), "{err}");
    assert!(lines.get(1).is_some_and(|l| l.starts_with("  caused by: ") && l.contains("afile")), "{err}");
}

#[test]
fn missing_content_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = brief().args(["build", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("there is no content/ directory") && err.contains("brief new"), "{err}");
}

#[test]
fn names_in_the_scripts_of_the_region_render_and_slugs_stay_ascii() {
    let site = Site::starter();
    site.write(
        "content/speakers/pan-gongsheng.md",
        "---\nname: 潘功胜 (Pan Gongsheng)\nrole: 副行长\ncountry: 中国\n---\nBio.\n",
    );
    site.write("content/speakers/nguyen-tan-dung.md", "---\nname: Nguyễn Tấn Dũng\ncountry: Việt Nam\n---\nTiểu sử.\n");
    site.write(
        "content/announcements/thai.md",
        "---\ntitle: ความร่วมมือด้านวิทยาศาสตร์\ndate: 2030-05-15\nsummary: สรุป ហ្វ្រេស ဗမာ\nspeakers: [pan-gongsheng, nguyen-tan-dung]\n---\n\n## Hợp tác khoa học\n\nText.\n",
    );
    site.build().ok();
    let doc = page(&site, "/announcements/thai");
    assert_eq!(texts(&doc, "h1"), ["ความร่วมมือด้านวิทยาศาสตร์"]);
    let people = texts(&doc, ".speaker a");
    assert!(
        people.contains(&"潘功胜 (Pan Gongsheng)".to_string()) && people.contains(&"Nguyễn Tấn Dũng".to_string()),
        "{people:?}"
    );
    assert!(texts(&doc, ".lead")[0].contains("ហ្វ្រេស ဗမာ"));
    // Heading ids keep the letters, and the page is findable by its ASCII slug.
    assert_eq!(doc.select(&sel("h2#hợp-tác-khoa-học")).count(), 1);
    let speakers = page(&site, "/speakers");
    assert!(texts(&speakers, ".speaker a").contains(&"Nguyễn Tấn Dũng".to_string()));
    for link in hrefs(&speakers, ".speaker a") {
        assert!(link.is_ascii(), "{link}");
    }
}

/// Names in any script: file names in Thai and Chinese build, at ASCII URLs that every host and
/// link serves alike; other files name them by their file names or their slugs; a `slug:` in
/// the front matter wins; initials are letters, not vowel signs.
#[test]
fn file_names_in_any_script_become_ascii_slugs() {
    let site = Site::starter();
    site.write(
        "content/speakers/ธนากร-สุวรรณ.md",
        "---\nname: ศิริพร แก้วมณี\nrole: Director\n---\nA speaker with a Thai name.\n",
    )
    .write("content/speakers/潘功胜.md", "---\nname: 潘功胜\nslug: pan-gongsheng\n---\nGovernor.\n")
    .write("content/speakers/Nguyễn Tấn Dũng.md", "---\nname: Nguyễn Tấn Dũng\n---\nPrime Minister.\n")
    .edit(
        "content/announcements/opening.md",
        "speakers: [jane-doe]",
        "speakers: [jane-doe, 潘功胜, ธนากร-สุวรรณ, nguyen-tan-dung]",
    )
    .write("content/announcements/开幕式.md", "---\ntitle: 开幕\ndate: 2030-05-15\nsummary: 开幕。\nspeakers: [pan-gongsheng]\n---\n[Back](/announcements/opening/)\n")
    .write("content/announcements/草稿.md", "---\ntitle: 草稿\ndate: 2030-05-16\nsummary: 未发布。\ndraft: true\n---\n")
    .write(
        "content/timeline.yaml",
        "- date: \"2030-05-15\"\n  title: 开幕\n  announcement: 开幕式\n  speakers: [潘功胜]\n- date: \"2030-05-16\"\n  title: Draft\n  announcement: 草稿\n",
    );
    site.build().ok();

    let speakers = hrefs(&page(&site, "/announcements/opening"), "main .meta a");
    assert_eq!(
        speakers,
        ["/speakers/jane-doe/", "/speakers/pan-gongsheng/", "/speakers/thnaakr-suwrrn/", "/speakers/nguyen-tan-dung/"]
    );
    let thai = page(&site, "/speakers/thnaakr-suwrrn");
    assert_eq!(texts(&thai, "h1"), ["ศิริพร แก้วมณี"]);
    assert_eq!(texts(&thai, ".initials-large"), ["ศก"]);
    assert_eq!(texts(&page(&site, "/speakers/pan-gongsheng"), ".initials-large"), ["潘"]);
    assert_eq!(texts(&page(&site, "/speakers/nguyen-tan-dung"), ".initials-large"), ["NT"]);
    assert_eq!(texts(&page(&site, "/announcements/kai-mu-shi"), "h1"), ["开幕"]);
    // The timeline names an announcement and a speaker by their file names; the entry about a
    // draft, named by its file name too, is left out with the draft.
    let timeline = page(&site, "/timeline");
    assert!(hrefs(&timeline, "main a").contains(&"/announcements/kai-mu-shi/".to_string()));
    assert!(!hrefs(&timeline, "main a").iter().any(|h| h.contains("cao-gao")));
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    for path in ["/speakers/thnaakr-suwrrn/", "/speakers/pan-gongsheng/", "/announcements/kai-mu-shi/"] {
        assert!(sitemap.contains(&format!("{path}</loc>")), "{path} is not in the sitemap");
    }
    let feed = std::fs::read_to_string(site.public().join("feed.xml")).unwrap();
    assert!(feed.contains("/announcements/kai-mu-shi/"));
    // No file name in another script reaches the output.
    for path in tree(&site.public()).keys() {
        assert!(path.is_ascii(), "{path}");
    }
}

/// The starter in English, Chinese and Vietnamese: the announcement and the speaker translated
/// into Chinese, the free page into nothing, Vietnamese with no translation at all.
fn three_languages() -> Site {
    let site = Site::starter();
    site.append("content/site.yaml", "languages:\n  en: {name: English}\n  zh: {name: 中文, tag: zh-Hans}\n  vi: {name: Tiếng Việt}\n")
    .write(
        "content/announcements/opening.zh.md",
        "---\ntitle: 博览会开幕\nsummary: 主办方宣布博览会开幕。\n---\n\n见[简·多伊](/speakers/jane-doe/)和[地图](/favicon.svg)。\n",
    )
    .write("content/speakers/jane-doe.zh.md", "---\nname: 简·多伊\nrole: 主任\n---\n\n简介。\n")
    .edit("content/timeline.yaml", "- date: \"2030-05-14\"", "- id: opening\n  date: \"2030-05-14\"")
    .write("content/topics.zh.yaml", "trade:\n  title: 贸易\n")
    .write("content/timeline.zh.yaml", "opening:\n  title: 博览会开幕\n  body: 见[发言人](/speakers/)。\n");
    site
}

#[test]
fn every_language_has_every_page_with_its_lang_and_reciprocal_alternates() {
    let site = three_languages();
    site.build().ok();
    let out = site.public();
    let files = tree(&out);
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html") && !p.ends_with("404.html")).collect();
    let in_default: Vec<&&String> = pages.iter().filter(|p| !p.starts_with("zh/") && !p.starts_with("vi/")).collect();
    for p in &in_default {
        for code in ["zh", "vi"] {
            assert!(files.contains_key(&format!("{code}/{p}")), "{p} has no {code} page");
        }
    }
    let parse = |p: &str| Html::parse_document(&String::from_utf8_lossy(&files[p]));
    let path_of = |url: &str| url.strip_prefix("https://example.org").unwrap_or(url).to_string();
    let file_of = |path: &str| format!("{}index.html", path.trim_start_matches('/'));
    let alternates = |doc: &Html| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = doc
            .select(&sel("link[rel=alternate][hreflang]"))
            .map(|l| (l.attr("hreflang").unwrap().to_string(), path_of(l.attr("href").unwrap())))
            .collect();
        v.sort();
        v
    };
    for p in &pages {
        let doc = parse(p);
        let lang = doc.select(&sel("html")).next().unwrap().attr("lang").unwrap_or_default().to_string();
        let expected = if p.starts_with("zh/") {
            "zh-Hans"
        } else if p.starts_with("vi/") {
            "vi"
        } else {
            "en"
        };
        assert_eq!(lang, expected, "{p}");
        // The switcher leads to the same page in every other language.
        let switch = hrefs(&doc, "nav.languages a");
        assert_eq!(switch.len(), 2, "{p}: {switch:?}");
        // Every page it names as a translation names the same set back.
        let mine = alternates(&doc);
        for (tag, path) in mine.iter().filter(|(t, _)| t != "x-default") {
            let other = file_of(path);
            assert_eq!(alternates(&parse(&other)), mine, "{p} lists {tag} {path}, which does not list the same back");
        }
        // Links stay in the page's language, but for the switcher, the alternates and text
        // shown in another language (a translation not made yet).
        let prefix = match expected {
            "zh-Hans" => "/zh/",
            "vi" => "/vi/",
            _ => "/",
        };
        for a in doc.select(&sel("main a[href], header a[href], footer a[href]")) {
            let href = a.attr("href").unwrap();
            let is_page = href.starts_with('/') && !href.rsplit('/').next().unwrap().contains('.');
            let in_switcher = a
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|e| e.value().classes().any(|c| c == "languages"));
            let shown_in =
                a.ancestors().filter_map(scraper::ElementRef::wrap).find_map(|e| e.attr("lang")).unwrap_or(expected);
            if is_page && !in_switcher && shown_in == expected {
                let other = ["/zh/", "/vi/"].iter().any(|o| href.starts_with(o) && *o != prefix);
                assert!(href.starts_with(prefix) && !other, "{p} links to {href} in another language");
            }
        }
    }
    // The translated announcement, in Chinese, with its links in Chinese but for files.
    let zh = parse("zh/announcements/opening/index.html");
    assert_eq!(texts(&zh, "h1"), ["博览会开幕"]);
    assert_eq!(hrefs(&zh, ".prose a"), ["/zh/speakers/jane-doe/", "/favicon.svg"]);
    assert_eq!(alternates(&zh).len(), 3, "en, zh and x-default: {:?}", alternates(&zh));
    // Open Graph names the locale with a region, and the translated versions as alternates.
    let og = |doc: &Html, property: &str| -> Vec<String> {
        doc.select(&sel(&format!("meta[property='{property}']")))
            .map(|m| m.attr("content").unwrap().to_string())
            .collect()
    };
    assert_eq!(og(&zh, "og:locale"), ["zh_CN"]);
    assert_eq!(og(&zh, "og:locale:alternate"), ["en_US"]);
    // Not translated into Vietnamese: shown in English, marked so, with the original as its
    // canonical page and no alternates of its own.
    let vi = parse("vi/announcements/opening/index.html");
    assert_eq!(vi.select(&sel("article.announcement")).next().unwrap().attr("lang"), Some("en"));
    assert_eq!(texts(&vi, "h1"), ["The Example Expo opens"]);
    let canonical = vi.select(&sel("link[rel=canonical]")).next().unwrap().attr("href").unwrap().to_string();
    assert_eq!(path_of(&canonical), "/announcements/opening/");
    assert!(alternates(&vi).is_empty());
    // Each language has its feed and calendar; one sitemap lists the pages of every language, but
    // those not translated yet.
    for f in ["zh/feed.xml", "vi/feed.xml", "zh/timeline.ics"] {
        assert!(files.contains_key(f), "no {f}");
    }
    // Each page of the sitemap names the same translations as the page's own head does.
    let sitemap = String::from_utf8_lossy(&files["sitemap.xml"]).into_owned();
    let xml = roxmltree::Document::parse(&sitemap).unwrap();
    let mut listed = Vec::new();
    for url in xml.root_element().children().filter(|n| n.has_tag_name("url")) {
        let loc = path_of(url.children().find(|n| n.has_tag_name("loc")).unwrap().text().unwrap());
        let mut named: Vec<(String, String)> = url
            .children()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .map(|l| (l.attribute("hreflang").unwrap().to_string(), path_of(l.attribute("href").unwrap())))
            .collect();
        named.sort();
        assert_eq!(named, alternates(&parse(&file_of(&loc))), "{loc} in the sitemap");
        listed.push(loc);
    }
    assert!(listed.contains(&"/zh/announcements/opening/".to_string()));
    assert!(!listed.contains(&"/vi/announcements/opening/".to_string()), "a page not translated is listed");
    // Vietnamese lacks the announcement, the speaker and the free page; Chinese the free page.
    assert_eq!(listed.len(), pages.len() - 4, "every page once, but those not translated");
    let feed = String::from_utf8_lossy(&files["zh/feed.xml"]).into_owned();
    assert!(feed.contains("博览会开幕") && feed.contains("https://example.org/zh/feed.xml"), "{feed}");
    // The templates' words come from each language's messages, dates from its own forms.
    assert_eq!(texts(&zh, ".site-nav a"), ["公告", "时间线", "发言人", "主题", "搜索"]);
    assert_eq!(texts(&parse("vi/index.html"), ".site-nav a")[0], "Thông báo");
    assert_eq!(texts(&zh, "main .meta time")[0], "2030年5月14日");
    // Topics and timeline entries are translated by their key; the others are marked.
    let topic = parse("zh/topics/trade/index.html");
    assert_eq!(texts(&topic, "h1"), ["贸易"]);
    assert_eq!(topic.select(&sel("h1")).next().unwrap().attr("lang"), None);
    let timeline = parse("zh/timeline/index.html");
    let entries: Vec<(Option<String>, String)> = timeline
        .select(&sel(".timeline-entry"))
        .map(|e| (e.attr("lang").map(String::from), e.select(&sel("h3")).next().unwrap().text().collect()))
        .collect();
    assert_eq!(entries, [(Some("en".into()), "The expo is first proposed".into()), (None, "博览会开幕".into())]);
    assert!(hrefs(&timeline, ".timeline-body a").contains(&"/zh/speakers/".to_string()));
    assert_eq!(texts(&parse("vi/topics/trade/index.html"), "h1[lang=en]"), ["Trade"]);
    // `brief check` says what each language lacks.
    let check = site.run(&["check"]).ok();
    assert!(
        check.stdout.contains("中文 (zh): 2 of 3 announcements, speakers and pages translated"),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("Tiếng Việt (vi): 0 of 3"), "{}", check.stdout);
    assert!(check.stdout.contains("not translated yet: content/pages/about.md"), "{}", check.stdout);
}

#[test]
fn the_synthetic_multilingual_briefing_builds() {
    // The form ../shared/bench/gen_site.py --languages writes: translations of announcements with
    // their title and summary only, and of speakers restating every field.
    let site = Site::starter();
    site.append("content/site.yaml", "languages:\n  en: {name: English}\n  vi: {name: Tiếng Việt}\n")
        .write(
            "content/speakers/jane-doe.vi.md",
            "---\nname: \"Jane Doe\"\nrole: \"Giám đốc\"\norganization: \"Example Expo\"\ncountry: Exampleland\n---\nTiểu sử.\n",
        )
        .write("content/announcements/opening.vi.md", "---\ntitle: \"Khai mạc\"\nsummary: \"Hội chợ khai mạc.\"\n---\nNội dung.\n");
    site.build().ok();
    let vi = page(&site, "/vi/speakers/jane-doe");
    assert_eq!(texts(&vi, "h1"), ["Jane Doe"]);
    assert!(texts(&page(&site, "/vi/announcements/opening"), "h1").contains(&"Khai mạc".to_string()));
}

#[test]
fn the_real_briefing_reads_in_english_chinese_and_vietnamese() {
    let site = Site::real();
    site.build().ok();
    // The three people under their established names in each language.
    for (prefix, names) in [
        ("", ["Pan Gongsheng", "Su Bo", "Wen Jiabao"]),
        ("/zh", ["潘功胜", "苏波", "温家宝"]),
        ("/vi", ["Phan Công Thắng", "Tô Ba", "Ôn Gia Bảo"]),
    ] {
        let speakers = texts(&page(&site, &format!("{prefix}/speakers")), ".speaker-name");
        for name in names {
            assert!(speakers.iter().any(|s| s == name), "{prefix}: {name} missing from {speakers:?}");
        }
        // Every page of every language is translated: no text marked as another language's.
        for path in ["/", "/announcements/satellite-data-platform", "/timeline", "/about", "/topics/finance"] {
            let doc = page(&site, &format!("{prefix}{path}"));
            let foreign: Vec<String> =
                doc.select(&sel("main [lang]")).map(|e| e.attr("lang").unwrap().to_string()).collect();
            assert!(foreign.is_empty(), "{prefix}{path} shows text in {foreign:?}");
        }
        // The note that the expo's dates come from public record, in every language.
        let about = texts(&page(&site, &format!("{prefix}/about")), ".prose p").join(" ");
        let note = match prefix {
            "" => "they come from public record",
            "/zh" => "来自公开记录",
            _ => "hồ sơ công khai",
        };
        assert!(about.contains(note), "{prefix}/about: {about}");
        // The titles and descriptions brief writes itself are in the page's language too.
        let (title, description, site_title) = match prefix {
            "" => (
                "Announcements",
                "Every announcement made at the 9th China–ASEAN Expo.",
                "China–ASEAN Expo 2012 briefing",
            ),
            "/zh" => ("公告", "第九届中国—东盟博览会发布的全部公告。", "2012年中国—东盟博览会简报"),
            _ => (
                "Thông báo",
                "Mọi thông báo được đưa ra tại Hội chợ Trung Quốc – ASEAN lần thứ 9.",
                "Bản tin Hội chợ Trung Quốc – ASEAN 2012",
            ),
        };
        let list = page(&site, &format!("{prefix}/announcements"));
        assert_eq!(texts(&list, "title"), [format!("{title} · {site_title}")]);
        let meta = list.select(&sel("meta[name=description]")).next().unwrap().attr("content").unwrap().to_string();
        assert_eq!(meta, description);
        // The article's data names the language it is written in.
        let article = page(&site, &format!("{prefix}/announcements/satellite-data-platform"));
        let ld: String = article.select(&sel("script[type='application/ld+json']")).next().unwrap().text().collect();
        let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
        let tag = match prefix {
            "" => "en",
            "/zh" => "zh-Hans",
            _ => "vi",
        };
        assert_eq!(ld["inLanguage"], tag, "{prefix}");
    }
    let zh = page(&site, "/zh/announcements/science-technology-cooperation-plan");
    assert_eq!(texts(&zh, "h1"), ["中国与东盟启动科技合作计划"]);
    assert_eq!(texts(&zh, "main .meta time"), ["2012年9月22日"]);
    // Anchors into a translated page keep their ids: the same `#key-areas` in every language.
    let satellite = page(&site, "/vi/announcements/satellite-data-platform");
    assert!(hrefs(&satellite, ".prose a")
        .contains(&"/caexpo-2012/vi/announcements/science-technology-cooperation-plan/#key-areas".to_string()));
    let check = site.run(&["check"]).ok();
    assert!(check.stdout.contains("中文 (zh): 8 of 8"), "{}", check.stdout);
    assert!(!check.stdout.contains("lacks"), "{}", check.stdout);
}

/// A language written right to left, with its own title and description, and no message file
/// nor any translation yet: its pages say `dir="rtl"` and carry its title; the article not
/// translated yet names its original's language in its data; it has its own 404 page.
#[test]
fn a_language_of_its_own_title_written_right_to_left() {
    let site = Site::starter();
    site.append(
        "content/site.yaml",
        "languages:\n  en: {name: English}\n  ar:\n    name: العربية\n    dir: rtl\n    title: موجز المعرض\n    description: ما أُعلن في المعرض.\n",
    );
    let run = site.build().ok();
    // No messages/ar.ftl: a warning, and the templates' words in English.
    assert!(run.stderr.contains("warning: there is no message file for العربية"), "{}", run.stderr);
    let html = |doc: &Html, attr: &str| doc.select(&sel("html")).next().unwrap().attr(attr).map(String::from);
    let home = page(&site, "/ar");
    assert_eq!(html(&home, "lang").as_deref(), Some("ar"));
    assert_eq!(html(&home, "dir").as_deref(), Some("rtl"));
    assert_eq!(texts(&home, "title"), ["موجز المعرض"]);
    let description = home.select(&sel("meta[name=description]")).next().unwrap().attr("content").unwrap().to_string();
    assert_eq!(description, "ما أُعلن في المعرض.");
    assert_eq!(texts(&page(&site, "/ar/speakers"), "title")[0], "Speakers · موجز المعرض");
    // The default language keeps its own title and no direction.
    let en = page(&site, "/");
    assert_eq!(html(&en, "dir"), None);
    assert_eq!(texts(&en, "title"), ["Example Expo Briefing"]);
    // Not translated: the article is in English, and its data says so.
    let article = page(&site, "/ar/announcements/opening");
    let ld: String = article.select(&sel("script[type='application/ld+json']")).next().unwrap().text().collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["inLanguage"], "en");
    // Its own 404 page, in its language and direction, linking into its own pages.
    let bytes = std::fs::read(site.public().join("ar/404.html")).unwrap();
    let missing = Html::parse_document(&String::from_utf8(bytes).unwrap());
    assert_eq!(html(&missing, "lang").as_deref(), Some("ar"));
    assert_eq!(html(&missing, "dir").as_deref(), Some("rtl"));
    assert!(hrefs(&missing, "main a").iter().any(|h| h == "/ar/"), "{:?}", hrefs(&missing, "main a"));
}

/// `--format github` prints each problem as a GitHub Actions annotation, which GitHub shows on
/// the line of a pull request; `--format json` as one JSON object a line. Both say the same as
/// the human form: file, line, column, message and help.
#[test]
fn problems_print_as_github_annotations_and_json_lines() {
    let site = Site::starter();
    site.edit("content/announcements/opening.md", "date: 2030-05-14", "date: 2030-13-14");
    site.write("content/speakers/ann, other.md", "---\nname: Ann\nrol: x\n---\n");
    let run = |format: &str| {
        let out = common::brief().args(["build", "--format", format]).current_dir(site.root()).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, github) = run("github");
    assert_eq!(code, Some(1), "{github}");
    let annotations: Vec<&str> = github.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(annotations.len(), 2, "{github}");
    assert!(
        annotations.iter().any(|l| l.starts_with(
            "::error file=content/announcements/opening.md,line=3,col=7,title=brief%3A invalid date::invalid date"
        )),
        "{github}"
    );
    // A comma in a file name is escaped in the property, and the help follows the message.
    assert!(annotations.iter().any(|l| l.contains("file=content/speakers/ann%2C other.md,line=3,col=1,")), "{github}");
    assert!(annotations.iter().all(|l| l.contains("%0Ahelp: ")), "{github}");

    let (code, json) = run("json");
    assert_eq!(code, Some(1), "{json}");
    let lines: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).expect(l)).collect();
    assert_eq!(lines.len(), 2, "{json}");
    let date = lines.iter().find(|v| v["file"] == "content/announcements/opening.md").unwrap();
    assert_eq!((date["line"].as_u64(), date["column"].as_u64()), (Some(3), Some(7)));
    assert_eq!(date["severity"], "error");
    assert!(date["message"].as_str().unwrap().contains("no month 13"), "{date}");
    assert!(date["help"].as_str().unwrap().contains("YYYY-MM-DD"), "{date}");
}

#[test]
fn build_search_writes_each_languages_index_and_plain_build_none() {
    let site = Site::real();
    // From inside the site folder, as the README says.
    let run = |args: &[&str]| {
        let out = brief().args(args).current_dir(site.root()).output().unwrap();
        assert!(out.status.success(), "brief {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["build"]);
    let plain = site.output();
    assert!(!plain.keys().any(|p| p.contains("pagefind")), "plain build wrote a search index");
    assert!(!plain.contains_key("search.json"), "the old search.json is still written");
    run(&["build", "--search"]);
    let files = site.output();
    for lang in ["", "zh/", "vi/"] {
        let entry: serde_json::Value =
            serde_json::from_slice(&files[&format!("{lang}pagefind/pagefind-entry.json")]).unwrap();
        let code = if lang.is_empty() { "en" } else { lang.trim_end_matches('/') };
        let languages = entry["languages"].as_object().unwrap();
        assert_eq!(languages.keys().collect::<Vec<_>>(), [code], "{lang}: {entry}");
        assert!(languages[code]["page_count"].as_u64().unwrap() > 10, "{lang}: {entry}");
        assert!(files.contains_key(&format!("{lang}pagefind/pagefind.js")));
    }
    // The pages are those of the plain build.
    for (path, bytes) in &plain {
        assert_eq!(files.get(path), Some(bytes), "{path} differs with --search");
    }
}

/// The UIDs of `timeline.ics` (or a language's) by event title.
fn calendar_uids(site: &Site, path: &str) -> std::collections::BTreeMap<String, String> {
    let ics = std::fs::read_to_string(site.public().join(path)).unwrap();
    let calendar = ical::IcalParser::new(ics.as_bytes()).next().unwrap().unwrap();
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap()
    };
    calendar.events.iter().map(|e| (prop(e, "SUMMARY"), prop(e, "UID"))).collect()
}

#[test]
fn calendar_events_keep_their_uid_when_entries_are_inserted_around_them() {
    let site = Site::real();
    site.run(&["build"]).ok();
    let before = calendar_uids(&site, "timeline.ics");
    assert_eq!(before.len(), 9);
    // An entry before all the others, and one among those of the expo's days.
    let text = site.read("content/timeline.yaml");
    let first = text.find("- id: trade-2002").unwrap();
    let mut edited = text.clone();
    edited.insert_str(first, "- date: \"1991\"\n  title: China and ASEAN begin their dialogue\n");
    edited.push_str("- date: \"2012-09-22\"\n  title: Another talk on the same day\n");
    site.write("content/timeline.yaml", edited);
    site.run(&["build"]).ok();
    let after = calendar_uids(&site, "timeline.ics");
    assert_eq!(after.len(), 11);
    for (title, uid) in &before {
        assert_eq!(after.get(title), Some(uid), "the UID of {title:?} changed");
    }
    assert_eq!(
        after["China and ASEAN begin their dialogue"],
        "timeline-1991-china-and-asean-begin-their-dialogue.caexpo-2012@example.org"
    );
    // Each language's calendar has UIDs of its own.
    let zh: Vec<String> = calendar_uids(&site, "zh/timeline.ics").into_values().collect();
    assert!(
        zh.iter().all(|uid| uid.ends_with(".zh.caexpo-2012@example.org") && !before.values().any(|u| u == uid)),
        "{zh:?}"
    );
}

#[test]
fn citations_show_the_source_and_where_in_it_in_each_language() {
    let site = Site::real();
    site.run(&["build"]).ok();
    let cited = |path: &str| texts(&page(&site, path), ".article-aside > .source");
    assert_eq!(cited("/announcements/financial-cooperation/"), ["Source: VNA (Vietnam News Agency), paragraphs 6–8"]);
    let plan = page(&site, "/announcements/science-technology-cooperation-plan/");
    assert_eq!(
        texts(&plan, ".article-aside > .source"),
        ["Source: VNA (Vietnam News Agency), paragraphs 1–3, 5 and 11"]
    );
    // Its two figures cite the same paragraph: one line under their table.
    assert_eq!(texts(&plan, "[aria-labelledby=figures] .source"), ["Source: VNA (Vietnam News Agency), paragraph 11"]);
    // A translation names the publisher as sources.zh.yaml does, and its own locators.
    assert_eq!(cited("/zh/announcements/financial-cooperation/"), ["来源： 越南通讯社（VNA）, 第6–8段"]);
    assert_eq!(
        cited("/vi/announcements/industrial-cooperation/"),
        ["Nguồn: TTXVN (Thông tấn xã Việt Nam), các đoạn 9–10"]
    );
    // Timeline entries cite theirs, translated too; the chart cites what its points cite, once.
    let timeline = page(&site, "/zh/timeline/");
    assert_eq!(texts(&timeline, "#financial-call .source"), ["来源： 越南通讯社（VNA）, 第6段"]);
    assert_eq!(
        texts(&page(&site, "/timeline/"), ".chart-figure .source"),
        ["Source: VNA (Vietnam News Agency), paragraph 11"]
    );
    // The entry of the expo's opening cites nothing: the report does not give its dates.
    assert!(texts(&page(&site, "/timeline/"), "#expo-opens .source").is_empty());
}

/// An announcement of the starter's, on `date`, with `extra` front matter.
fn announcement(site: &Site, slug: &str, date: &str, extra: &str) {
    site.write(
        &format!("content/announcements/{slug}.md"),
        format!("---\ntitle: Item {slug}\ndate: {date}\nsummary: About {slug}.\n{extra}---\n\nText of {slug}.\n"),
    );
}

#[test]
fn an_editor_orders_a_days_items_and_every_output_follows() {
    let site = Site::starter();
    site.edit("content/site.yaml", "# published: 2030-05-16\n", "published: 2030-05-13\n");
    announcement(&site, "a-lead", "2030-05-14", "lead: true\n");
    announcement(&site, "b-early", "2030-05-14", "time: \"09:00\"\n");
    announcement(&site, "c-late", "2030-05-14", "time: \"17:00\"\n");
    announcement(&site, "d-ordered", "2030-05-14", "order: 1\n");
    announcement(&site, "e-next-day", "2030-05-15", "");
    announcement(&site, "f-at-the-expo", "2030-05-14/2030-05-16", "");
    site.build().ok();
    // Newest first, the reverse of the timeline's order (where a span comes after the day it
    // starts on); on one day the lead, then the given order, then by time, latest first, then
    // the rest by slug.
    let want = ["e-next-day", "f-at-the-expo", "a-lead", "d-ordered", "c-late", "b-early", "opening"];
    let listed: Vec<String> = hrefs(&page(&site, "/announcements"), ".card-title a")
        .iter()
        .map(|h| h.trim_end_matches('/').rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(listed, want);
    let home: Vec<String> = hrefs(&page(&site, "/"), ".card-title a");
    assert_eq!(home.len(), 6);
    assert!(home.iter().zip(&want).all(|(h, w)| h.ends_with(&format!("/{w}/"))), "{home:?}");
    // The feed, in the same order.
    let feed = feed_rs::parser::parse(std::fs::read(site.public().join("feed.xml")).unwrap().as_slice()).unwrap();
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.trim_end_matches('/').rsplit('/').next().unwrap()).collect();
    assert_eq!(ids, want);
    // A time shows beside the day.
    assert_eq!(texts(&page(&site, "/announcements/c-late"), ".article-header .meta")[0], "14 May 2030, 17:00");
}

#[test]
fn feed_json_ld_and_sitemap_date_and_attribute_each_page_by_its_own_dates() {
    let site = Site::starter();
    site.edit("content/site.yaml", "# published: 2030-05-16\n", "published: 2030-05-13\n");
    site.edit(
        "content/site.yaml",
        "  name: Example Press Office\n",
        "  name: Example Press Office\n  url: https://press.example.org/\n",
    );
    announcement(&site, "dated", "2030-05-14", "published: 2030-05-14T18:00:00+02:00\nupdated: 2030-05-20\n");
    announcement(&site, "embargoed", "2030-05-15", "embargo: 2030-05-15T08:00:00Z\n");
    site.run(&["publish", "--now", "2030-06-01T00:00:00Z"]).ok();

    // Item by item: (slug, published, updated) as JSON-LD writes them, and as instants.
    let expected = [
        ("dated", "2030-05-14T18:00:00+02:00", "2030-05-20", "2030-05-14T16:00:00Z", "2030-05-19T22:00:00Z"),
        ("embargoed", "2030-05-15T08:00:00Z", "2030-05-15T08:00:00Z", "2030-05-15T08:00:00Z", "2030-05-15T08:00:00Z"),
        ("opening", "2030-05-13", "2030-05-13", "2030-05-12T22:00:00Z", "2030-05-12T22:00:00Z"),
    ];
    let feed = feed_rs::parser::parse(std::fs::read(site.public().join("feed.xml")).unwrap().as_slice()).unwrap();
    let publisher = |name: &Option<String>, uri: &Option<String>| {
        assert_eq!(name.as_deref(), Some("Example Press Office"));
        assert_eq!(uri.as_deref(), Some("https://press.example.org/"));
    };
    for p in &feed.authors {
        publisher(&p.name, &p.uri);
    }
    assert_eq!(feed.updated.unwrap().to_rfc3339(), "2030-05-19T22:00:00+00:00", "the latest entry's");
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    let sitemap = roxmltree::Document::parse(&sitemap).unwrap();
    let lastmod = |loc: &str| -> Option<String> {
        let url = sitemap.descendants().find(|n| n.has_tag_name("loc") && n.text() == Some(loc))?.parent()?;
        url.children().find(|n| n.has_tag_name("lastmod")).and_then(|n| n.text()).map(str::to_string)
    };
    for (slug, published, updated, published_at, updated_at) in expected {
        let entry = feed.entries.iter().find(|e| e.id.ends_with(&format!("/{slug}/"))).unwrap();
        assert_eq!(entry.authors.len(), 1, "{slug}");
        publisher(&entry.authors[0].name, &entry.authors[0].uri);
        let instant = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        assert_eq!(entry.published, Some(instant(published_at)), "{slug}");
        assert_eq!(entry.updated, Some(instant(updated_at)), "{slug}");

        let html = std::fs::read_to_string(site.public().join(format!("announcements/{slug}/index.html"))).unwrap();
        let doc = Html::parse_document(&html);
        let ld: serde_json::Value = serde_json::from_str(
            &doc.select(&sel("script[type='application/ld+json']")).next().unwrap().text().collect::<String>(),
        )
        .unwrap();
        let org = serde_json::json!({"@type": "Organization", "name": "Example Press Office", "url": "https://press.example.org/"});
        assert_eq!(ld["author"], org, "{slug}");
        assert_eq!(ld["publisher"], org, "{slug}");
        assert_eq!(ld["datePublished"], published, "{slug}");
        assert_eq!(ld["dateModified"], updated, "{slug}");
        // The people it names are mentioned, never its authors.
        assert!(ld["mentions"].as_array().is_none_or(|m| m.iter().all(|p| p["@type"] == "Person")));
        let meta = |property: &str| {
            doc.select(&sel(&format!("meta[property='{property}']"))).next().and_then(|m| m.value().attr("content"))
        };
        assert_eq!(meta("article:published_time"), Some(published), "{slug}");
        assert_eq!(meta("article:modified_time"), Some(updated), "{slug}");
        assert_eq!(lastmod(&format!("https://example.org/announcements/{slug}/")).as_deref(), Some(updated), "{slug}");
    }
    // Pages that list the items changed when the latest of them did.
    assert_eq!(lastmod("https://example.org/").as_deref(), Some("2030-05-20"));
    assert_eq!(lastmod("https://example.org/speakers/jane-doe/").as_deref(), Some("2030-05-20"));
}
