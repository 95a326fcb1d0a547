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
    site.edit("templates/page.html", "<h1>", "<img src=\"x.png\"><h1>");
    let run = site.run(&["publish"]).code(1);
    assert!(run.stderr.contains("an image on /about/ (x.png) has no alt attribute"), "{}", run.stderr);
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
