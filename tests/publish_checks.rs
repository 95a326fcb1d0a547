//! The checks `brief publish` runs before writing anything: text alternatives, titles and
//! descriptions, and (with --check-external) external links, against a local HTTP server.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::Site;

#[test]
fn an_image_without_alt_text_stops_the_publish_at_its_line() {
    let site = Site::starter();
    site.write("static/map.png", b"\x89PNG\r\n\x1a\n");
    site.edit("content/pages/about.md", "This briefing was made", "![Map](/map.png)\n\nThis briefing was made");
    site.run(&["publish"]).ok();
    let before = site.output();
    site.edit("content/pages/about.md", "![Map](/map.png)", "![ ](/map.png)");
    let run = site.run(&["publish"]).code(1);
    assert!(run.stderr.contains("content/pages/about.md:6:1"), "{}", run.stderr);
    assert!(run.stderr.contains("no text alternative"), "{}", run.stderr);
    assert_eq!(site.output(), before, "a failed publish changed the output");
    // With a description the publish goes through.
    site.edit("content/pages/about.md", "![ ](/map.png)", "![Map of the halls](/map.png)");
    site.run(&["publish"]).ok();
}

#[test]
fn template_images_need_an_alt_attribute_and_pages_a_title_and_description() {
    let site = Site::starter();
    site.edit("templates/page.html", "<h1>", "<img src=\"{{ url(path='/favicon.svg') }}\"><h1>");
    let run = site.run(&["publish"]).code(1);
    assert!(run.stderr.contains("an image on /about/ (/favicon.svg) has no alt attribute"), "{}", run.stderr);
    let site = Site::starter();
    site.edit("templates/base.html", "<title>{{ meta.title }}</title>", "<title></title>");
    let run = site.run(&["publish"]).code(1);
    assert!(run.stderr.contains("has no title"), "{}", run.stderr);
    let site = Site::starter();
    site.edit("templates/base.html", "<meta name=\"description\" content=\"{{ meta.description }}\">", "");
    let run = site.run(&["publish"]).code(1);
    assert!(run.stderr.contains("has no description"), "{}", run.stderr);
}

/// A tiny HTTP server on loopback answering 200 for /ok and 404 for anything else, for a few
/// requests, then stopping.
fn local_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16).flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).map_or(true, |n| n == 0) || header == "\r\n" {
                    break;
                }
            }
            let status = if line.split_whitespace().nth(1) == Some("/ok") { "200 OK" } else { "404 Not Found" };
            let _ = (&stream)
                .write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes());
        }
    });
    port
}

#[test]
fn check_external_reports_each_failing_link() {
    let port = local_server();
    let site = Site::starter();
    site.edit(
        "content/pages/about.md",
        "This briefing was made",
        &format!(
            "[fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone)\n\nThis briefing was made"
        ),
    );
    // Without the flag nothing is requested.
    site.run(&["publish"]).ok();
    let run = site.run(&["publish", "--check-external"]).code(1);
    assert!(run.stderr.contains(&format!("http://127.0.0.1:{port}/gone answered 404")), "{}", run.stderr);
    assert!(!run.stderr.contains("/ok answered"), "{}", run.stderr);
    assert!(run.stderr.contains("the site has 1 problem"), "{}", run.stderr);
    assert!(run.stderr.contains("content/pages/about.md:6:"), "{}", run.stderr);
}

#[test]
fn the_sitemap_is_valid_against_the_sitemaps_org_schema() {
    let site = Site::real();
    site.run(&["publish", "--base-url", "https://example.org/briefing/"]).ok();
    // The sitemaps.org schema, with the XHTML link that names each page's translations.
    let xsd = common::repo().join("tests/fixtures/sitemap-with-languages.xsd");
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(site.public().join("sitemap.xml"))
        .output()
        .expect("xmllint is missing: run scripts/test, which installs libxml2-utils");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The schema does catch mistakes: the same sitemap with a bad date fails.
    let bad = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap().replacen(
        "<loc>",
        "<lastmod>soon</lastmod><loc>",
        1,
    );
    let bad_file = site.root().join("bad-sitemap.xml");
    std::fs::write(&bad_file, bad).unwrap();
    let out =
        std::process::Command::new("xmllint").arg("--noout").arg("--schema").arg(&xsd).arg(&bad_file).output().unwrap();
    assert!(!out.status.success());
}

fn json_ld(html: &str) -> serde_json::Value {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let text: String = doc.select(&sel).next().expect("no JSON-LD").text().collect();
    serde_json::from_str(&text).unwrap()
}

fn meta(html: &str, attr: &str, name: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!(r#"meta[{attr}="{name}"]"#)).unwrap();
    doc.select(&sel).next().and_then(|m| m.value().attr("content")).unwrap_or_default().to_string()
}

#[test]
fn pages_carry_structured_data_and_sharing_tags() {
    let site = Site::real();
    site.run(&["publish", "--base-url", "https://example.org/briefing/"]).ok();
    let page = |p: &str| std::fs::read_to_string(site.public().join(p)).unwrap();

    let home = page("index.html");
    let event = json_ld(&home);
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["name"], "9th China–ASEAN Expo");
    assert_eq!(event["startDate"], "2012-09-21");
    assert_eq!(event["endDate"], "2012-09-25");
    assert_eq!(event["location"]["address"]["addressLocality"], "Nanning");

    let article = json_ld(&page("announcements/financial-cooperation/index.html"));
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["url"], "https://example.org/briefing/announcements/financial-cooperation/");
    // The briefing's publisher wrote the page; the deputy governor is who it mentions, and the
    // agency's report what it is based on. The page was published when the briefing says it
    // was (`published:` in site.yaml), not on the event's day.
    assert_eq!(article["mentions"][0]["name"], "Pan Gongsheng");
    assert_eq!(article["author"], serde_json::json!({"@type": "Organization", "name": "The brief project"}));
    assert_eq!(article["publisher"], article["author"]);
    assert_eq!(article["datePublished"], "2026-11-30", "{article}");
    assert_eq!(article["dateModified"], "2026-11-30", "{article}");
    assert_eq!(article["isBasedOn"][0]["@type"], "CreativeWork");
    assert_eq!(article["isBasedOn"][0]["publisher"]["name"], "VNA (Vietnam News Agency)");
    assert_eq!(article["isBasedOn"][0]["inLanguage"], "en");
    // Nothing the source does not give: no title, address or date.
    for invented in ["name", "url", "datePublished"] {
        assert!(article["isBasedOn"][0].get(invented).is_none(), "{invented} in {article}");
    }
    for path in ["announcements/satellite-data-platform/index.html", "announcements/industrial-cooperation/index.html"]
    {
        let a = json_ld(&page(path));
        assert_eq!(a["author"]["name"], "The brief project", "{path}");
        let mentioned: Vec<&str> =
            a["mentions"].as_array().map_or(vec![], |m| m.iter().filter_map(|p| p["name"].as_str()).collect());
        assert!(!mentioned.contains(&"VNA (Vietnam News Agency)"), "{path}");
    }

    let person = json_ld(&page("speakers/su-bo/index.html"));
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Su Bo");

    // Every page has Open Graph and Twitter card tags that agree with its title.
    for path in [
        "index.html",
        "announcements/index.html",
        "announcements/satellite-data-platform/index.html",
        "speakers/wen-jiabao/index.html",
        "timeline/index.html",
        "topics/finance/index.html",
        "about/index.html",
        "search/index.html",
    ] {
        let html = page(path);
        let title = meta(&html, "property", "og:title");
        assert!(!title.is_empty(), "{path}");
        assert_eq!(meta(&html, "name", "twitter:title"), title, "{path}");
        assert!(!meta(&html, "property", "og:description").is_empty(), "{path}");
        assert!(meta(&html, "property", "og:url").starts_with("https://example.org/briefing/"), "{path}");
        assert_eq!(meta(&html, "name", "twitter:card"), "summary");
    }
}

#[test]
fn published_output_holds_no_reload_code_drafts_or_links() {
    let site = Site::starter();
    site.write(
        "content/announcements/secret.md",
        "---\ntitle: Embargoed plan\ndate: 2030-05-15\nsummary: Not yet.\ndraft: true\n---\nSecret text.\n",
    );
    std::fs::create_dir_all(site.root().join("static/img")).unwrap();
    site.write("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    std::os::unix::fs::symlink("img/logo.svg", site.root().join("static/logo-link.svg")).unwrap();
    site.run(&["publish"]).ok();
    for entry in walkdir::WalkDir::new(site.public()) {
        let entry = entry.unwrap();
        assert!(!entry.path_is_symlink(), "{} is a symbolic link", entry.path().display());
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for leak in ["__brief", "EventSource", "Embargoed plan", "Secret text"] {
                assert!(!text.contains(leak), "{} holds {leak:?}", entry.path().display());
            }
        }
    }
    // The link inside static/ is published as the file it points to.
    assert_eq!(
        std::fs::read_to_string(site.public().join("logo-link.svg")).unwrap(),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
}
