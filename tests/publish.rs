//! `brief publish` end to end: the real briefing served by a real nginx under a subpath and
//! crawled link by link, its machine-readable files read back with independent parsers and
//! compared with content/, the deploy manifest and determinism, and snapshots of one page of
//! each kind.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Site;
use reqwest::Url;
use scraper::{Html, Selector};
use sha2::{Digest, Sha256};

/// The path the site is published under in the nginx test.
const SUBPATH: &str = "/briefing/";

// ---------------------------------------------------------------------------------------------
// Helpers

/// Publishes the real briefing into `out` under `base_url`.
fn publish(site: &Site, out: &Path, base_url: &str) {
    site.run(&["publish", "--out", out.to_str().unwrap(), "--base-url", base_url]).ok();
}

/// A free TCP port on loopback (bound, read, released).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The nginx binary: from PATH, else Debian's /usr/sbin/nginx. Missing nginx is a failure, not a skip.
fn nginx_binary() -> PathBuf {
    let from_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("nginx"))
        .find(|p| p.is_file());
    let found = from_path.or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()));
    found.unwrap_or_else(|| {
        panic!("nginx is not installed, and this test needs a real nginx: run scripts/test, which installs it (apt-get install nginx)")
    })
}

/// An nginx process, killed when dropped (also when the test panics).
struct Nginx {
    child: Child,
    error_log: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Nginx {
    /// Starts nginx serving `out` at `SUBPATH` on `port`, with every path of its own inside `dir`, and
    /// waits until it accepts connections.
    fn start(dir: &Path, out: &Path, port: u16) -> Nginx {
        let d = dir.display();
        let out = out.display();
        // One process (no master), so it neither forks workers nor changes user when run as root, and
        // the Drop guard has exactly one process to stop.
        let conf = format!(
            r#"daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    types {{ text/calendar ics; }}
    default_type application/octet-stream;
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        gzip_static on;
        gzip_vary on;
        charset utf-8;
        charset_types text/css text/plain text/xml text/calendar application/javascript application/json application/atom+xml;
        location {SUBPATH} {{
            alias {out}/;
            index index.html;
            error_page 404 {SUBPATH}404.html;
            # mime.types calls every .xml file text/xml; the feeds are Atom.
            location ~ /feed\.xml$ {{
                types {{ }}
                default_type application/atom+xml;
            }}
            # Each further language's own 404 page.
            location ~ ^{SUBPATH}(zh|vi)/ {{
                error_page 404 {SUBPATH}$1/404.html;
            }}
        }}
    }}
}}
"#
        );
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let error_log = dir.join("error.log");
        let child = Command::new(nginx_binary())
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(&error_log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start nginx");
        let mut nginx = Nginx { child, error_log };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = nginx.child.try_wait().unwrap() {
                let mut stderr = String::new();
                if let Some(mut e) = nginx.child.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                panic!("nginx exited with {status} before answering:\n{stderr}\n{}", nginx.log());
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            assert!(Instant::now() < deadline, "nginx did not answer on port {port} within 15 s:\n{}", nginx.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.error_log).unwrap_or_default()
    }
}

/// The media type of a response, without parameters.
fn media_type(response: &reqwest::blocking::Response) -> String {
    let value = response.headers().get(reqwest::header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("").to_string());
    value.unwrap_or_default().split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The media types acceptable for a URL path of the site.
fn expected_types(path: &str) -> &'static [&'static str] {
    let ext = path.rsplit('/').next().and_then(|name| name.rsplit_once('.')).map(|(_, e)| e);
    match (path, ext) {
        (p, _) if p.ends_with('/') => &["text/html"],
        (p, _) if p.ends_with("/feed.xml") => &["application/atom+xml", "application/xml", "text/xml"],
        (p, _) if p.ends_with("/sitemap.xml") => &["application/xml", "text/xml"],
        (_, Some("html")) => &["text/html"],
        (_, Some("css")) => &["text/css"],
        (_, Some("js")) => &["application/javascript", "text/javascript"],
        (_, Some("ics")) => &["text/calendar"],
        (_, Some("json")) => &["application/json"],
        (_, Some("txt")) => &["text/plain"],
        (_, Some("png")) => &["image/png"],
        (_, Some("jpg" | "jpeg")) => &["image/jpeg"],
        (_, Some("svg")) => &["image/svg+xml"],
        (_, Some("webp")) => &["image/webp"],
        _ => panic!("the crawl found {path}, of a kind this test does not know: add its media type to expected_types"),
    }
}

/// Every URL an HTML page refers to: links, stylesheets, scripts, images and form actions.
fn references(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    for (selector, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
        ("img[src]", "src"),
        ("form[action]", "action"),
    ] {
        let selector = Selector::parse(selector).unwrap();
        out.extend(doc.select(&selector).filter_map(|e| e.value().attr(attr)).map(str::to_string));
    }
    out
}

/// What a crawl found: every internal URL path fetched, with its media type.
struct Crawl {
    /// URL path to media type.
    fetched: BTreeMap<String, String>,
}

impl Crawl {
    /// The HTML pages (paths ending in `/`, as pages are `dir/index.html`).
    fn pages(&self) -> BTreeSet<String> {
        self.fetched.iter().filter(|(_, t)| *t == "text/html").map(|(p, _)| p.clone()).collect()
    }
}

/// Crawls the site from `start`, following every same-origin reference of every HTML page, and
/// asserts that each answers 200 with the right media type and stays under `SUBPATH`.
fn crawl(client: &reqwest::blocking::Client, start: &Url) -> Crawl {
    let mut fetched = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::from([start.path().to_string()]);
    let mut queue = VecDeque::from([(start.clone(), "(start)".to_string())]);
    let mut problems = Vec::new();
    while let Some((url, from)) = queue.pop_front() {
        let path = url.path().to_string();
        let response = client.get(url.clone()).send().unwrap_or_else(|e| panic!("GET {url} (linked from {from}): {e}"));
        let status = response.status();
        let media = media_type(&response);
        if status != 200 {
            problems.push(format!("{path} (linked from {from}) answered {status}"));
            continue;
        }
        if !expected_types(&path).contains(&media.as_str()) {
            problems
                .push(format!("{path} answered Content-Type {media:?}, expected one of {:?}", expected_types(&path)));
        }
        let body = response.text().unwrap();
        fetched.insert(path.clone(), media.clone());
        if media != "text/html" {
            continue;
        }
        for reference in references(&body) {
            let Ok(mut target) = url.join(&reference) else {
                problems.push(format!("{path} links to {reference:?}, which is not a URL"));
                continue;
            };
            if target.origin() != url.origin() {
                continue;
            }
            if !target.path().starts_with(SUBPATH) {
                problems.push(format!("{path} links to {reference:?}, outside {SUBPATH}"));
                continue;
            }
            target.set_fragment(None);
            target.set_query(None);
            if seen.insert(target.path().to_string()) {
                queue.push_back((target, path.clone()));
            }
        }
    }
    assert!(problems.is_empty(), "the crawl found problems:\n{}", problems.join("\n"));
    Crawl { fetched }
}

/// The front matter of a Markdown file, parsed.
fn front_matter(path: &Path) -> serde_yaml::Value {
    let text = std::fs::read_to_string(path).unwrap().replace("\r\n", "\n");
    let rest = text.strip_prefix("---\n").unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    let end = rest.find("\n---\n").unwrap_or_else(|| panic!("{} has no end of front matter", path.display()));
    serde_yaml::from_str(&rest[..end]).unwrap()
}

/// The titles of the published (non-draft) announcements of the repository's content/.
/// The titles of the announcements in the default language (`lang` `None`), or of their
/// translations into `lang` (`x.zh.md`).
fn announcement_titles(lang: Option<&str>) -> BTreeSet<String> {
    let dir = common::repo().join("content/announcements");
    let mut titles = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let in_lang = match lang {
            None => !stem.contains('.'),
            Some(code) => stem.ends_with(&format!(".{code}")),
        };
        if path.extension().is_some_and(|e| e == "md") && in_lang {
            let meta = front_matter(&path);
            if meta.get("draft").and_then(serde_yaml::Value::as_bool) == Some(true) {
                continue;
            }
            titles.insert(meta["title"].as_str().unwrap().to_string());
        }
    }
    titles
}

/// Undoes the TEXT escaping of RFC 5545 (section 3.3.11).
fn ics_unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The rules of a `_headers` file: path to its header lines.
fn header_rules(text: &str) -> Vec<(String, Vec<String>)> {
    let mut rules: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            rules.last_mut().expect("a header line before any path").1.push(line.trim().to_string());
        } else {
            rules.push((line.trim().to_string(), Vec::new()));
        }
    }
    rules
}

/// Whether a `_headers` path pattern (`/a/*`, `/a/b.css`, `/`) matches a URL path.
fn rule_matches(rule: &str, path: &str) -> bool {
    match rule.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => rule == path,
    }
}

// ---------------------------------------------------------------------------------------------
// a. A real nginx under a subpath

#[test]
fn nginx_serves_the_published_site_under_a_subpath() {
    let site = Site::real();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}{SUBPATH}");
    publish(&site, &out, &base);
    let _nginx = Nginx::start(tmp.path(), &out, port);

    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let start = Url::parse(&base).unwrap();
    let found = crawl(&client, &start);

    // Every page the crawl reached is listed in the sitemap, and every page of the sitemap is served.
    let sitemap = client.get(start.join("sitemap.xml").unwrap()).send().unwrap();
    assert_eq!(sitemap.status(), 200);
    assert!(["application/xml", "text/xml"].contains(&media_type(&sitemap).as_str()), "{}", media_type(&sitemap));
    let sitemap = sitemap.text().unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let listed: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| Url::parse(n.text().unwrap().trim()).unwrap().path().to_string())
        .collect();
    let pages = found.pages();
    let missing: Vec<_> = pages.difference(&listed).collect();
    assert!(missing.is_empty(), "pages reached by the crawl but not in sitemap.xml: {missing:?}");
    for path in &listed {
        let response = client.get(start.join(path).unwrap()).send().unwrap();
        assert_eq!(response.status(), 200, "{path} is in sitemap.xml but answers {}", response.status());
        assert_eq!(media_type(&response), "text/html", "{path}");
    }

    // The machine-readable files, whether or not a page links them.
    // The search index of each language, whose bundle the search page names (`data-bundle`).
    let search = Html::parse_document(&std::fs::read_to_string(out.join("search/index.html")).unwrap());
    let bundle = search.select(&Selector::parse("#search").unwrap()).next().and_then(|e| e.value().attr("data-bundle"));
    assert_eq!(bundle, Some(format!("{SUBPATH}pagefind/").as_str()), "the search page's bundle");
    for file in [
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "timeline.ics",
        "404.html",
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "zh/pagefind/pagefind-entry.json",
    ] {
        let path = format!("{SUBPATH}{file}");
        let response = client.get(start.join(&path).unwrap()).send().unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let media = media_type(&response);
        assert!(expected_types(&path).contains(&media.as_str()), "{path} answered Content-Type {media:?}");
    }
    let robots = client.get(start.join("robots.txt").unwrap()).send().unwrap().text().unwrap();
    assert!(robots.contains(&format!("Sitemap: {base}sitemap.xml")), "{robots}");

    // A missing page gets the site's own 404 page, with status 404.
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    for missing in ["no-such-page/", "announcements/no-such-announcement/", "no-such-file.css"] {
        let response = client.get(start.join(missing).unwrap()).send().unwrap();
        assert_eq!(response.status(), 404, "{SUBPATH}{missing}");
        assert_eq!(media_type(&response), "text/html");
        assert_eq!(response.text().unwrap(), not_found, "{SUBPATH}{missing} did not answer with 404.html");
    }

    // Under a language's folder, that language's 404 page; its feed is Atom too.
    for (code, missing) in [("zh", "zh/no-such-page/"), ("vi", "vi/announcements/gone/")] {
        let response = client.get(start.join(missing).unwrap()).send().unwrap();
        assert_eq!(response.status(), 404, "{SUBPATH}{missing}");
        let expected = std::fs::read_to_string(out.join(code).join("404.html")).unwrap();
        assert_eq!(response.text().unwrap(), expected, "{SUBPATH}{missing} did not answer with {code}/404.html");
        let feed = client.get(start.join(&format!("{code}/feed.xml")).unwrap()).send().unwrap();
        assert_eq!(media_type(&feed), "application/atom+xml", "{code}/feed.xml");
    }

    // Precompressed siblings are served as they are (gzip_static).
    for path in ["", "announcements/", "feed.xml"] {
        let plain = client.get(start.join(path).unwrap()).send().unwrap();
        assert!(plain.headers().get(reqwest::header::CONTENT_ENCODING).is_none(), "{path} compressed unasked");
        let plain = plain.bytes().unwrap();
        let response =
            client.get(start.join(path).unwrap()).header(reqwest::header::ACCEPT_ENCODING, "gzip").send().unwrap();
        assert_eq!(response.status(), 200);
        let encoding =
            response.headers().get(reqwest::header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(encoding.as_deref(), Some("gzip"), "{SUBPATH}{path} with Accept-Encoding: gzip");
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&response.bytes().unwrap()[..]).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, plain.to_vec(), "{SUBPATH}{path}: the .gz sibling differs from the page");
    }
}

// ---------------------------------------------------------------------------------------------
// b. The machine-readable files against content/

#[test]
fn sitemap_feed_and_calendar_match_the_content() {
    let site = Site::real();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let base = "https://briefings.example.net/caexpo/";
    publish(&site, &out, base);
    let files = common::tree(&out);
    let text = |name: &str| String::from_utf8(files.get(name).unwrap_or_else(|| panic!("no {name}")).clone()).unwrap();

    // sitemap.xml: every published page, each under the base URL.
    let sitemap = text("sitemap.xml");
    let doc =
        roxmltree::Document::parse(&sitemap).unwrap_or_else(|e| panic!("sitemap.xml does not parse: {e}\n{sitemap}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(root.tag_name().namespace(), Some("http://www.sitemaps.org/schemas/sitemap/0.9"));
    let locs: Vec<String> =
        doc.descendants().filter(|n| n.has_tag_name("loc")).map(|n| n.text().unwrap().trim().to_string()).collect();
    for loc in &locs {
        assert!(loc.starts_with(base), "sitemap loc {loc} is not under {base}");
    }
    let listed: BTreeSet<String> = locs.iter().map(|l| l[base.len()..].to_string()).collect();
    assert_eq!(listed.len(), locs.len(), "sitemap.xml lists a page twice");
    let pages: BTreeSet<String> =
        files.keys().filter_map(|p| p.strip_suffix("index.html")).map(str::to_string).collect();
    assert_eq!(listed, pages, "sitemap.xml and the published pages differ");

    // feed.xml: one entry per announcement, titled as in its front matter.
    let feed =
        feed_rs::parser::parse(text("feed.xml").as_bytes()).unwrap_or_else(|e| panic!("feed.xml does not parse: {e}"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    let titles: Vec<String> =
        feed.entries.iter().map(|e| e.title.as_ref().expect("an entry without a title").content.clone()).collect();
    let expected = announcement_titles(None);
    assert_eq!(titles.len(), expected.len(), "feed.xml entries: {titles:?}");
    assert_eq!(titles.iter().cloned().collect::<BTreeSet<_>>(), expected);
    // Each further language has its own feed, with the titles of its translations.
    for code in ["zh", "vi"] {
        let feed = feed_rs::parser::parse(text(&format!("{code}/feed.xml")).as_bytes())
            .unwrap_or_else(|e| panic!("{code}/feed.xml does not parse: {e}"));
        let titles: BTreeSet<String> = feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect();
        assert_eq!(titles, announcement_titles(Some(code)), "{code}/feed.xml");
        for entry in &feed.entries {
            assert!(
                entry.links[0].href.starts_with(&format!("{base}{code}/announcements/")),
                "{}",
                entry.links[0].href
            );
        }
    }
    for entry in &feed.entries {
        let link = entry.links.first().expect("an entry without a link");
        assert!(link.href.starts_with(&format!("{base}announcements/")), "{}", link.href);
        assert!(
            files.contains_key(&format!("{}index.html", &link.href[base.len()..])),
            "{} is not a published page",
            link.href
        );
    }

    // timeline.ics: one VEVENT per entry of timeline.yaml, with its title.
    let timeline: Vec<serde_yaml::Value> =
        serde_yaml::from_str(&std::fs::read_to_string(common::repo().join("content/timeline.yaml")).unwrap()).unwrap();
    let ics = text("timeline.ics");
    let calendars: Vec<_> = ical::IcalParser::new(ics.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("timeline.ics does not parse: {e}"));
    assert_eq!(calendars.len(), 1, "timeline.ics holds {} calendars", calendars.len());
    let events = &calendars[0].events;
    assert_eq!(events.len(), timeline.len(), "VEVENTs in timeline.ics against entries of timeline.yaml");
    let property = |event: &ical::parser::ical::component::IcalEvent, name: &str| {
        event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone())
    };
    let summaries: Vec<String> =
        events.iter().map(|e| ics_unescape(&property(e, "SUMMARY").expect("a VEVENT without SUMMARY"))).collect();
    let mut expected: Vec<String> = timeline.iter().map(|t| t["title"].as_str().unwrap().to_string()).collect();
    let mut got = summaries.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    let uids: HashSet<String> = events.iter().map(|e| property(e, "UID").expect("a VEVENT without UID")).collect();
    assert_eq!(uids.len(), events.len(), "two VEVENTs share a UID");
    for event in events {
        assert!(property(event, "DTSTART").is_some() && property(event, "DTSTAMP").is_some(), "{:?}", event.properties);
    }
    // Content lines are CRLF-terminated and at most 75 octets (RFC 5545, section 3.1).
    assert!(!ics.replace("\r\n", "").contains('\n'), "timeline.ics has bare LF line ends");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "timeline.ics line longer than 75 octets: {line:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// c. Deploy manifest and determinism

#[test]
fn publish_is_deterministic_and_the_manifest_and_headers_describe_it() {
    let site = Site::real();
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let base = "https://example.org/briefing/";
    publish(&site, &one, base);
    publish(&site, &two, base);
    let files = common::tree(&one);
    let again = common::tree(&two);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        again.keys().collect::<Vec<_>>(),
        "two publishes wrote different files"
    );
    for (path, bytes) in &files {
        assert!(bytes == &again[path], "two publishes wrote different bytes to {path}");
    }

    // brief-manifest.json: every file (but itself and the output marker) with its size and hash.
    let manifest: serde_json::Value = serde_json::from_slice(&files["brief-manifest.json"]).unwrap();
    let entries = manifest["files"].as_array().expect("brief-manifest.json has no files array");
    let mut listed = BTreeMap::new();
    for entry in entries {
        let path = entry["path"].as_str().unwrap().to_string();
        assert!(listed.insert(path.clone(), entry.clone()).is_none(), "{path} is listed twice");
    }
    let unlisted = ["brief-manifest.json", ".brief-output"];
    for (path, bytes) in &files {
        if unlisted.contains(&path.as_str()) {
            continue;
        }
        let entry = listed.get(path).unwrap_or_else(|| panic!("{path} is not in brief-manifest.json"));
        assert_eq!(entry["size"].as_u64(), Some(bytes.len() as u64), "size of {path}");
        assert_eq!(entry["sha256"].as_str(), Some(sha256_hex(bytes).as_str()), "sha256 of {path}");
        assert!(entry["content_type"].as_str().is_some_and(|t| !t.is_empty()), "content type of {path}");
    }
    for path in listed.keys() {
        assert!(files.contains_key(path), "brief-manifest.json lists {path}, which was not written");
    }

    // _headers: a year of caching for the fingerprinted stylesheet the pages use, none for HTML.
    let index = String::from_utf8(files["index.html"].clone()).unwrap();
    let doc = Html::parse_document(&index);
    let href = doc
        .select(&Selector::parse("link[rel~=stylesheet]").unwrap())
        .filter_map(|e| e.value().attr("href"))
        .next()
        .expect("the home page links no stylesheet")
        .to_string();
    let css = href.rsplit('/').next().unwrap().to_string();
    assert!(files.contains_key(&css), "the pages link {href}, which was not written as {css}");
    assert!(css.starts_with("style.") && css.ends_with(".css") && css != "style.css", "{css} is not fingerprinted");
    assert!(!files.contains_key("style.css"), "the unfingerprinted style.css was published too");
    let headers = String::from_utf8(files["_headers"].clone()).unwrap();
    let rules = header_rules(&headers);
    let css_rule = rules
        .iter()
        .find(|(p, _)| *p == format!("/{css}"))
        .unwrap_or_else(|| panic!("no rule for /{css} in\n{headers}"));
    assert!(
        css_rule
            .1
            .iter()
            .any(|h| h.starts_with("Cache-Control:") && h.contains("max-age=31536000") && h.contains("immutable")),
        "{css_rule:?}"
    );
    let html_paths: Vec<String> = files
        .keys()
        .filter(|p| p.ends_with(".html"))
        .flat_map(|p| {
            let url = format!("/{p}");
            match url.strip_suffix("index.html") {
                Some(dir) => vec![url.clone(), dir.to_string()],
                None => vec![url],
            }
        })
        .collect();
    for (rule, lines) in &rules {
        if lines.iter().any(|h| h.contains("immutable")) {
            let hit = html_paths.iter().find(|p| rule_matches(rule, p));
            assert!(hit.is_none(), "_headers makes {} immutable (rule {rule})", hit.unwrap());
        }
    }

    assert!(files.contains_key(".nojekyll"), "no .nojekyll");

    // Every compressed sibling decompresses to its original.
    let mut gz = 0;
    for (path, bytes) in &files {
        if let Some(original) = path.strip_suffix(".gz") {
            let mut decoded = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut decoded)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(decoded == files[original], "{path} does not decompress to {original}");
            gz += 1;
        }
        if let Some(original) = path.strip_suffix(".br") {
            let mut decoded = Vec::new();
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_end(&mut decoded)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(decoded == files[original], "{path} does not decompress to {original}");
        }
    }
    assert!(
        gz > 0 && files.contains_key("index.html.gz") && files.contains_key(&format!("{css}.gz")),
        "no .gz siblings"
    );
}

// ---------------------------------------------------------------------------------------------
// d. Snapshots

/// The `<main>` element of a built page.
fn main_of(public: &Path, rel: &str) -> String {
    let html = std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let doc = Html::parse_document(&html);
    let main = doc.select(&Selector::parse("main").unwrap()).next().unwrap_or_else(|| panic!("{rel} has no <main>"));
    main.html()
}

#[test]
fn one_page_of_each_kind_matches_its_snapshot() {
    let site = Site::real();
    site.build().ok();
    let public = site.public();
    let pages = [
        ("home", "index.html"),
        ("announcements", "announcements/index.html"),
        ("announcement", "announcements/science-technology-cooperation-plan/index.html"),
        ("timeline", "timeline/index.html"),
        ("speakers", "speakers/index.html"),
        ("speaker", "speakers/pan-gongsheng/index.html"),
        ("topics", "topics/index.html"),
        ("topic", "topics/science-technology/index.html"),
        ("about", "about/index.html"),
        ("not_found", "404.html"),
    ];
    for (name, rel) in pages {
        insta::with_settings!({ description => rel, omit_expression => true }, {
            insta::assert_snapshot!(name, main_of(&public, rel));
        });
    }
}
