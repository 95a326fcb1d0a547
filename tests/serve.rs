//! `brief serve` driven from outside: a real server process on a free port, a real HTTP client,
//! raw TCP for requests that HTTP clients would normalise, and real file changes on disk.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{brief, png, Site};

/// A running `brief serve`.
struct Server {
    child: Child,
    url: String,
    port: u16,
    stderr: mpsc::Receiver<String>,
    stdout: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// How the site's root is given to `brief serve`.
#[derive(Clone, Copy, Debug)]
enum Root {
    /// From inside the site's folder, with no `--root`: the README's way.
    Inside,
    /// From the folder above, with `--root site`.
    Relative,
    /// `--root` with the absolute path, from elsewhere.
    Absolute,
}

impl Server {
    /// `brief serve` run the way the README says: from inside the site's folder, no `--root`.
    fn start(site: &Site, extra: &[&str]) -> Server {
        Server::start_with(site, extra, Root::Inside)
    }

    fn start_with(site: &Site, extra: &[&str], how: Root) -> Server {
        let mut command = brief();
        command.args(["serve", "--port", "0"]).args(extra);
        match how {
            Root::Inside => command.current_dir(site.root()),
            Root::Relative => command.current_dir(site.root().parent().unwrap()).args(["--root", "site"]),
            Root::Absolute => command.current_dir(std::env::temp_dir()).arg("--root").arg(site.root()),
        };
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("Serving at ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        let port = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let (tx, stderr) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Server { child, url, port, stderr, stdout: lines }
    }

    fn start_logged(site: &Site) -> Server {
        Server::start(site, &[])
    }

    /// Waits, reload after reload, until `done` holds; panics after 30 s.
    fn until(&self, events: &Events, done: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done() {
            assert!(Instant::now() < deadline, "the expected state was not served within 30 s");
            let _ = events.0.recv_timeout(Duration::from_millis(500));
        }
    }

    /// How many lines starting with `prefix` the server has printed, once there are at least
    /// `min` (the lines are read on a thread of their own); panics after 10 s.
    fn wait_for_lines(&self, prefix: &str, min: usize) -> usize {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let n = self.stdout_lines().iter().filter(|l| l.starts_with(prefix)).count();
            if n >= min {
                return n;
            }
            assert!(Instant::now() < deadline, "fewer than {min} lines `{prefix}...` within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the server printed on stdout after its first line.
    fn stdout_lines(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> reqwest::blocking::Response {
        reqwest::blocking::get(format!("{}{}", self.url, path.trim_start_matches('/'))).unwrap()
    }

    fn text(&self, path: &str) -> String {
        self.get(path).text().unwrap()
    }

    /// Sends a request as raw bytes and returns the status code.
    fn raw(&self, request: &str) -> u16 {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    fn raw_get(&self, path: &str) -> u16 {
        self.raw(&format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", self.port))
    }

    fn events(&self) -> Events {
        let response = reqwest::blocking::Client::builder()
            .timeout(None)
            .build()
            .unwrap()
            .get(format!("{}__brief/events", self.url))
            .send()
            .unwrap();
        assert_eq!(response.status(), 200);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(response).lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if tx.send((event.clone(), data.to_string())).is_err() {
                        break;
                    }
                }
            }
        });
        // Give the stream a moment to be subscribed before the test changes files.
        std::thread::sleep(Duration::from_millis(200));
        Events(rx)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events(mpsc::Receiver<(String, String)>);

impl Events {
    /// Waits until `reload` events have named every page of `pages` (a rebuild may announce
    /// the pages it rendered first, and the long lists in a second event); panics after 10 s.
    fn reloaded(&self, pages: &[&str]) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut missing: Vec<String> = pages.iter().map(|p| format!("\"{p}\"")).collect();
        while !missing.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.0.recv_timeout(left) {
                Ok((event, data)) if event == "reload" => missing.retain(|p| !data.contains(p.as_str())),
                Ok(_) => continue,
                Err(_) => panic!("no reload of {missing:?} within 10 s"),
            }
        }
    }

    /// The next event named `name`, skipping others; panics after 10 s.
    fn next(&self, name: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.0.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok(_) => continue,
                Err(_) => panic!("no `{name}` event within 10 s"),
            }
        }
    }
}

const OPENING: &str = "content/announcements/opening.md";

#[test]
fn serves_pages_with_the_reload_script_and_never_writes_public() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let home = server.get("/");
    assert_eq!(home.status(), 200);
    assert_eq!(home.headers()["content-type"], "text/html; charset=utf-8");
    assert!(home.headers().get("access-control-allow-origin").is_none());
    let html = home.text().unwrap();
    assert!(html.contains("/__brief/events"));
    let css = server.get("/style.css");
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(!css.text().unwrap().contains("__brief"));
    assert!(!site.public().exists(), "serve wrote {}", site.public().display());
}

#[test]
fn a_content_save_reloads_the_page_with_the_new_text() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.edit(OPENING, "The Example Expo opens", "The Expo has opened");
    // The home page lists it too.
    events.reloaded(&["/announcements/opening/", "/"]);
    assert!(server.text("/announcements/opening/").contains("The Expo has opened"));
    assert!(server.text("/").contains("The Expo has opened"));
}

#[test]
fn saves_are_seen_however_the_root_is_given() {
    for how in [Root::Inside, Root::Relative, Root::Absolute] {
        let site = Site::starter();
        let server = Server::start_with(&site, &[], how);
        let events = server.events();
        site.edit(OPENING, "The Example Expo opens", "Seen through any root");
        let data = events.next("reload");
        assert!(data.contains("/announcements/opening/"), "{how:?}: {data}");
        assert!(server.text("/announcements/opening/").contains("Seen through any root"), "{how:?}");
    }
}

#[test]
fn an_atomic_save_by_rename_is_picked_up() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    let text = site.read(OPENING).replace("The Example Expo opens", "Saved by rename");
    let tmp = site.root().join("content/announcements/.opening.md.tmp1234");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, site.root().join(OPENING)).unwrap();
    events.next("reload");
    assert!(server.text("/announcements/opening/").contains("Saved by rename"));
}

#[test]
fn a_burst_of_changes_ends_in_the_final_state_with_few_rebuilds() {
    let site = Site::starter();
    let server = Server::start_logged(&site);
    let events = server.events();
    // A checkout-like burst: twenty new pages and three versions of one file, all at once.
    let pages: Vec<(String, String)> = (0..20)
        .map(|i| (format!("content/pages/burst-{i:02}.md"), format!("---\ntitle: Burst {i}\n---\nText.\n")))
        .collect();
    let versions: Vec<String> =
        (1..=3).map(|v| site.read(OPENING).replace("The Example Expo opens", &format!("Version {v}"))).collect();
    for (path, text) in &pages {
        site.write(path, text);
    }
    for text in &versions {
        site.write(OPENING, text);
    }
    // On a busy machine the burst may reach the watcher in more than one batch: what a user
    // relies on is that the final state is served, after a few rebuilds, never one per change.
    server.until(&events, || {
        server.text("/announcements/opening/").contains("Version 3") && server.text("/burst-19/").contains("Burst 19")
    });
    let rebuilds = server.wait_for_lines("Rebuilt", 1);
    assert!(rebuilds <= 4, "{rebuilds} rebuilds for a burst of 23 changes: {:?}", server.stdout_lines());
}

#[test]
fn new_folders_are_watched() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.write("static/images/deep/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    events.next("reload");
    let response = server.get("/images/deep/logo.svg");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    // A file added later inside the new folder is seen too.
    site.write("static/images/deep/second.txt", "two");
    events.next("reload");
    assert_eq!(server.text("/images/deep/second.txt"), "two");
}

#[test]
fn a_template_change_reaches_the_pages_that_use_it() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.edit("templates/speaker.html", "<h1 ", "<h1 class=\"from-template\" ");
    let data = events.next("reload");
    assert_eq!(data, r#"["/speakers/jane-doe/"]"#);
    assert!(server.text("/speakers/jane-doe/").contains("from-template"));
}

#[test]
fn a_stylesheet_change_swaps_css_without_reload() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.write("static/style.css", "body { color: rgb(1, 2, 3) }\n");
    events.next("css");
    assert!(server.text("/style.css").contains("rgb(1, 2, 3)"));
}

#[test]
fn deleting_and_adding_files_removes_and_adds_pages() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.remove("content/pages/about.md");
    events.reloaded(&["/about/"]);
    assert_eq!(server.get("/about/").status(), 404);
    site.write("content/pages/new-folder-page.md", "---\ntitle: Fresh\n---\nHello.\n");
    events.next("reload");
    assert!(server.text("/new-folder-page/").contains("Fresh"));
}

#[test]
fn a_broken_file_shows_the_error_and_keeps_the_last_good_page() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    let good = site.read(OPENING);
    site.write(
        OPENING,
        good.replace("title: The Example Expo opens", "title: \"<img src=x onerror=alert(1)>\"\nsummry: typo"),
    );
    let problem = events.next("problem");
    assert!(problem.contains("content/announcements/opening.md:3:1"), "{problem}");
    assert!(problem.contains("unknown field `summry`"), "{problem}");
    assert!(server.text("/announcements/opening/").contains("The Example Expo opens"));
    // The terminal shows the error once.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut printed = Vec::new();
    while Instant::now() < deadline && !printed.iter().any(|l: &String| l.contains("opening.md:3:1")) {
        if let Ok(line) = server.stderr.recv_timeout(Duration::from_millis(200)) {
            printed.push(line);
        }
    }
    assert!(printed.iter().any(|l| l.contains("opening.md:3:1")), "{printed:?}");
    // Saving the same mistake again shows it in the browser again, but prints nothing new.
    std::thread::sleep(Duration::from_millis(200));
    while server.stderr.try_recv().is_ok() {}
    let broken = site.read(OPENING);
    site.write(OPENING, &broken);
    events.next("problem");
    std::thread::sleep(Duration::from_millis(300));
    let again: Vec<String> = std::iter::from_fn(|| server.stderr.try_recv().ok()).collect();
    assert!(!again.iter().any(|l| l.contains("summry")), "printed twice: {again:?}");
    site.write(OPENING, good.replace("The Example Expo opens", "Fixed again"));
    events.next("fixed");
    events.next("reload");
    assert!(server.text("/announcements/opening/").contains("Fixed again"));
}

#[test]
fn missing_pages_get_the_sites_404_page() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let response = server.get("/no/such/page/");
    assert_eq!(response.status(), 404);
    assert!(response.text().unwrap().contains("Page not found"));
    let redirect = server.raw_get("/announcements");
    assert_eq!(redirect, 308);
}

#[test]
fn paths_outside_the_site_are_refused() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/..\\..\\etc\\passwd",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/index.html%00.css",
        "//etc/passwd",
    ] {
        let status = server.raw_get(path);
        assert!(status == 400 || status == 404, "{path} answered {status}");
    }
    // Double encoding is decoded once: a name with `%2e` in it, which does not exist.
    assert_eq!(server.raw_get("/%252e%252e/%252e%252e/etc/passwd"), 404);
    // An absolute URL in the request line is not a way out either.
    let status = server.raw(&format!(
        "GET http://127.0.0.1:{}/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        server.port, server.port
    ));
    assert!(status == 400 || status == 404, "absolute-form answered {status}");
}

#[test]
fn foreign_hosts_origins_and_methods_are_refused() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let port = server.port;
    let request = |extra: &str, method: &str, path: &str| {
        server.raw(&format!("{method} {path} HTTP/1.1\r\n{extra}Connection: close\r\n\r\n"))
    };
    assert_eq!(request(&format!("Host: 127.0.0.1:{port}\r\n"), "GET", "/"), 200);
    assert_eq!(request(&format!("Host: localhost:{port}\r\n"), "GET", "/"), 200);
    assert_eq!(request(&format!("Host: attacker.example:{port}\r\n"), "GET", "/"), 403);
    assert_eq!(request("Host: attacker.example\r\n", "GET", "/__brief/events"), 403);
    assert_eq!(
        request(&format!("Host: 127.0.0.1:{port}\r\nOrigin: http://attacker.example\r\n"), "GET", "/__brief/events"),
        403
    );
    assert_eq!(request(&format!("Host: 127.0.0.1:{port}\r\nContent-Length: 0\r\n"), "POST", "/"), 405);
    assert_eq!(request(&format!("Host: 127.0.0.1:{port}\r\nContent-Length: 0\r\n"), "PUT", "/index.html"), 405);
    assert_eq!(request(&format!("Host: 127.0.0.1:{port}\r\n"), "DELETE", "/"), 405);
    assert_eq!(request(&format!("Host: 127.0.0.1:{port}\r\n"), "HEAD", "/"), 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = Site::starter();
    let run = site.run(&["serve", "--port", &port]).code(2);
    assert!(run.stderr.contains("already in use") && run.stderr.contains("--port"), "{}", run.stderr);
}

#[test]
fn a_network_bind_warns() {
    let site = Site::starter();
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    let warning = server.stderr.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(warning.contains("warning") && warning.contains("0.0.0.0"), "{warning}");
    assert_eq!(server.get("/").status(), 200);
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = Site::starter();
    let mut server = Server::start(&site, &[]);
    // An open live-reload stream, as a browser tab keeps, must not hold the server up.
    let _events = server.events();
    let status = std::process::Command::new("kill").args(["-INT", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            assert!(exit.success(), "exit status {exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_symlink_in_static_that_leads_outside_is_never_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "private key material").unwrap();
    let site = Site::starter();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.root().join("static/secret.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static/private")).unwrap();
    let server = Server::start(&site, &[]);
    for path in ["/secret.txt", "/private/secret.txt"] {
        let response = server.get(path);
        assert_eq!(response.status(), 404, "{path}");
        assert!(!response.text().unwrap().contains("private key material"));
    }
    // And a build refuses it, naming the link.
    let run = site.build().code(1);
    assert!(run.stderr.contains("static/secret.txt") && run.stderr.contains("outside static/"), "{}", run.stderr);
}

#[test]
fn deleting_content_shows_an_error_and_recovers_when_it_comes_back() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    let content = site.root().join("content");
    let aside = site.root().join("content-aside");
    std::fs::rename(&content, &aside).unwrap();
    let problem = events.next("problem");
    assert!(problem.contains("there is no content/ directory"), "{problem}");
    // The last good site is still served meanwhile.
    assert!(server.text("/announcements/opening/").contains("The Example Expo opens"));
    std::fs::rename(&aside, &content).unwrap();
    events.next("fixed");
    // And it is watched again: a change inside it is picked up.
    site.edit(OPENING, "The Example Expo opens", "Back again");
    events.next("reload");
    assert!(server.text("/announcements/opening/").contains("Back again"));
}

#[test]
fn a_thousand_changes_in_a_second_end_in_the_final_state() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    let started = Instant::now();
    for round in 0..10 {
        for i in 0..100 {
            site.write(
                &format!("content/pages/p-{i:03}.md"),
                format!("---\ntitle: Page {i} version {round}\n---\nText {round}.\n"),
            );
        }
        std::thread::sleep(Duration::from_millis(80));
    }
    let took = started.elapsed();
    // However the bursts were split, every page ends in its last version.
    let current = |i: usize| server.text(&format!("/p-{i:03}/")).contains(&format!("Page {i} version 9"));
    server.until(&events, || (0..100).all(current));
    assert!((0..100).all(current), "stale pages after {took:?}");
    let rebuilds = server.stdout_lines().iter().filter(|l| l.starts_with("Rebuilt")).count();
    // A thousand changes, a few rebuilds: bursts are coalesced (on a loaded machine a burst may
    // split in a few), never one rebuild per change.
    assert!(rebuilds <= 100, "{rebuilds} rebuilds for 10 bursts of 100 changes");
}

#[test]
fn a_file_changed_during_a_rebuild_is_picked_up_by_the_next_one() {
    let site = Site::starter();
    // Enough pages that a template change takes a while to render.
    for i in 0..1500 {
        site.write(
            &format!("content/announcements/n-{i:04}.md"),
            format!(
                "---\ntitle: Item {i}\ndate: 2030-05-14\nsummary: S.\nspeakers: [jane-doe]\n---\n\n{}\n",
                "Text. ".repeat(50)
            ),
        );
    }
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.edit("templates/announcement.html", "<h1", "<h1 data-v=\"2\"");
    // Soon after, while the 1,500 announcement pages are being rendered again:
    std::thread::sleep(Duration::from_millis(30));
    site.edit(OPENING, "The Example Expo opens", "Changed during the rebuild");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let page = server.text("/announcements/opening/");
        if page.contains("Changed during the rebuild") && page.contains("data-v=\"2\"") {
            break;
        }
        assert!(Instant::now() < deadline, "the change made during the rebuild never showed");
        let _ = events.0.recv_timeout(Duration::from_millis(200));
    }
    assert!(server.text("/announcements/n-0007/").contains("data-v=\"2\""));
}

/// A briefing in English, Chinese and Vietnamese: the language switcher leads to the same page
/// in each language, a missing page gets its language's 404 page, and a saved translation
/// reloads the page of its language with the new text.
#[test]
fn languages_switch_and_a_saved_translation_reloads_its_page() {
    let site = Site::starter();
    site.append(
        "content/site.yaml",
        "languages:\n  en: {name: English}\n  zh: {name: 中文, tag: zh-Hans}\n  vi: {name: Tiếng Việt}\n",
    )
    .write("content/announcements/opening.zh.md", "---\ntitle: 博览会开幕\nsummary: 开幕了。\n---\n\n正文。\n");
    let server = Server::start(&site, &[]);
    let lang = |html: &str| {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("html").unwrap();
        doc.select(&sel).next().unwrap().attr("lang").unwrap_or_default().to_string()
    };
    let page = server.text("/zh/announcements/opening/");
    assert_eq!(lang(&page), "zh-Hans");
    let links: Vec<String> = {
        let doc = scraper::Html::parse_document(&page);
        let sel = scraper::Selector::parse("nav.languages a[href]").unwrap();
        doc.select(&sel).map(|a| a.attr("href").unwrap().to_string()).collect()
    };
    assert_eq!(links, ["/announcements/opening/", "/vi/announcements/opening/"]);
    for (link, tag) in links.iter().zip(["en", "vi"]) {
        let response = server.get(link);
        assert_eq!(response.status(), 200, "{link}");
        assert_eq!(lang(&response.text().unwrap()), tag, "{link}");
    }
    for (path, tag) in [("/zh/no/such/page/", "zh-Hans"), ("/vi/gone", "vi"), ("/gone/", "en")] {
        let response = server.get(path);
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(lang(&response.text().unwrap()), tag, "{path}");
    }
    let events = server.events();
    site.edit("content/announcements/opening.zh.md", "博览会开幕", "博览会隆重开幕");
    events.reloaded(&["/zh/announcements/opening/"]);
    assert!(server.text("/zh/announcements/opening/").contains("博览会隆重开幕"));
    assert!(!server.text("/announcements/opening/").contains("博览会隆重开幕"));
}

/// The language entry of the search index the server answers with, or `None` before it has one.
fn search_entry(server: &Server, prefix: &str) -> Option<serde_json::Value> {
    let response = server.get(&format!("{prefix}pagefind/pagefind-entry.json"));
    (response.status() == 200).then(|| serde_json::from_str(&response.text().unwrap()).unwrap())
}

#[test]
fn serve_search_indexes_in_the_background_and_again_after_a_save() {
    let site = Site::starter();
    // Without --search there is no index, and the search page says how to get one.
    {
        let plain = Server::start(&site, &[]);
        assert_eq!(plain.get("/pagefind/pagefind.js").status(), 404);
        assert!(plain.text("/search/").contains("brief serve --search"));
    }
    let server = Server::start(&site, &["--search"]);
    let events = server.events();
    // The pages are served at once; the index follows.
    assert_eq!(server.get("/").status(), 200);
    server.until(&events, || search_entry(&server, "/").is_some());
    let first = search_entry(&server, "/").unwrap();
    assert!(first["languages"]["en"]["page_count"].as_u64().unwrap() >= 2, "{first}");
    assert_eq!(server.get("/pagefind/pagefind.js").status(), 200);

    site.edit(OPENING, "The Example Expo opens", "The Example Expo opens with a zanzibar parade");
    // A new index: its hash follows the text.
    server.until(&events, || {
        search_entry(&server, "/").is_some_and(|e| e["languages"]["en"]["hash"] != first["languages"]["en"]["hash"])
    });
    let lines = server.wait_for_lines("Search index made", 2);
    assert!(lines >= 2, "{:?}", server.stdout_lines());
}

#[test]
fn rebuilds_go_on_when_nothing_reads_the_output_any_more() {
    // `brief serve | head -1`: the address is read, and the pipe closed.
    let site = Site::starter();
    let mut child = brief()
        .current_dir(site.root())
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("Serving at ").unwrap_or_else(|| panic!("{line:?}")).to_string();
    let page = format!("{url}announcements/opening/");
    let shows = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reqwest::blocking::get(&page).and_then(|r| r.text()).is_ok_and(|html| html.contains(text)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    // Each rebuild says what it rebuilt, to nobody; the next save is rebuilt all the same.
    site.edit(OPENING, "The Example Expo opens", "First save");
    let first = shows("First save");
    site.edit(OPENING, "First save", "Second save");
    let second = shows("Second save");
    child.kill().ok();
    child.wait().ok();
    assert!(first && second, "first save shown: {first}, second: {second}");
}

/// The URL of the fallback image of the photo on a speaker's page, if it has one.
fn photo_src(html: &str) -> Option<String> {
    let page = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(".profile picture img").unwrap();
    page.select(&selector).next().and_then(|img| img.value().attr("src")).map(str::to_string)
}

#[test]
fn a_saved_photo_shows_at_once_and_its_variants_are_served() {
    let site = Site::starter();
    let server = Server::start(&site, &[]);
    let events = server.events();
    // A photo named before its file exists is an error, shown until the file is saved.
    site.edit("content/speakers/jane-doe.md", "---\n", "---\nphoto: {src: jane.png, alt: Jane Doe}\n");
    let problem = events.next("problem");
    assert!(problem.contains("there is no image at content/speakers/jane.png"), "{problem}");
    site.write("content/speakers/jane.png", png(300, 400, [200, 40, 40]));
    events.reloaded(&["/speakers/jane-doe/"]);
    let first = photo_src(&server.text("/speakers/jane-doe/")).expect("no photo on the speaker's page");
    let image = server.get(&first);
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    let decoded = image::load_from_memory(&image.bytes().unwrap()).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (300, 400));

    // The file saved again with other pixels: new variants, under new names, on the page.
    site.write("content/speakers/jane.png", png(600, 300, [40, 40, 200]));
    events.reloaded(&["/speakers/jane-doe/"]);
    let second = photo_src(&server.text("/speakers/jane-doe/")).unwrap();
    assert_ne!(first, second);
    let decoded = image::load_from_memory(&server.get(&second).bytes().unwrap()).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (600, 300));
    assert_eq!(server.get(&first).status(), 404, "the old variant is still served");
    assert!(!site.public().exists());
}
