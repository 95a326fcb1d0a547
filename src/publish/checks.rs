//! Checks that run before a publish writes anything: every page has a title and a description,
//! every image a text alternative; with `--check-external`, every external link answers.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;
use scraper::{Html, Selector};

use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::{Body, Site};
use crate::output::{Contents, OutputFile};

/// Problems with the rendered pages: a missing or empty `<title>` or description, an `<img>`
/// without `alt`, and Markdown images whose alternative text is empty.
pub fn pages(site: &Site, files: &[OutputFile]) -> Diagnostics {
    let title = Selector::parse("head title").expect("valid selector");
    let description = Selector::parse(r#"head meta[name="description"]"#).expect("valid selector");
    let img = Selector::parse("img").expect("valid selector");
    let mut found: Vec<Diagnostic> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .flat_map_iter(|f| {
            let Contents::Rendered(html) = &f.contents else { return Vec::new() };
            let doc = Html::parse_document(html);
            let page = format!("/{}", f.path.trim_end_matches("index.html"));
            let mut out = Vec::new();
            let text = doc.select(&title).next().map(|t| t.text().collect::<String>()).unwrap_or_default();
            if text.trim().is_empty() {
                out.push(Diagnostic::file(Kind::Publishing, "templates/", format!("the page {page} has no title"))
                    .help("give every page a <title> in its template, usually through base.html's title block"));
            }
            let desc = doc.select(&description).next().and_then(|m| m.value().attr("content")).unwrap_or_default();
            if desc.trim().is_empty() {
                out.push(Diagnostic::file(Kind::Publishing, "templates/", format!("the page {page} has no description"))
                    .help("give every page a <meta name=\"description\" content=\"...\">; base.html uses the site's description unless a page sets its own"));
            }
            for i in doc.select(&img) {
                if i.value().attr("alt").is_none() {
                    let src = i.value().attr("src").unwrap_or_default();
                    out.push(Diagnostic::file(Kind::Publishing, "templates/", format!("an image on {page} ({src}) has no alt attribute"))
                        .help("describe the image in alt=\"...\", or write alt=\"\" if it is only decoration"));
                }
            }
            out
        })
        .collect();
    for body in bodies(site) {
        for link in body.markdown.links.iter().filter(|l| l.image) {
            if link.alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
                let span = body.span(link.span.clone());
                found.push(
                    Diagnostic::at(
                        Kind::Publishing,
                        &body.file,
                        &body.source,
                        span,
                        format!("the image `{}` has no text alternative", link.url),
                    )
                    .label("empty alt text")
                    .help("write what the image shows between the brackets: ![Map of the expo halls](/map.png)"),
                );
            }
        }
    }
    Diagnostics(found).finish()
}

fn bodies(site: &Site) -> impl Iterator<Item = &Body> {
    site.announcements
        .iter()
        .map(|a| &*a.body)
        .chain(site.speakers.iter().map(|s| &*s.body))
        .chain(site.pages.iter().map(|p| &*p.body))
        .chain(site.timeline.iter().filter_map(|e| e.body.as_deref()))
}

/// Requests every distinct external http(s) link of the content, a few at a time, and reports
/// each one that fails or answers with an error status, at its first place in the content.
pub fn external_links(site: &Site) -> Diagnostics {
    let mut first: BTreeMap<String, (&Body, std::ops::Range<usize>)> = BTreeMap::new();
    for body in bodies(site) {
        for link in &body.markdown.links {
            let url = link.url.trim();
            if url.starts_with("http://") || url.starts_with("https://") {
                let span = body.span(link.span.clone());
                first.entry(url.to_string()).or_insert((body, span));
            }
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let check = || -> Vec<Diagnostic> {
        first
            .par_iter()
            .filter_map(|(url, (body, span))| {
                let problem = match agent.head(url.as_str()).call() {
                    Ok(r) if r.status().as_u16() == 405 || r.status().as_u16() == 501 => {
                        match agent.get(url.as_str()).call() {
                            Ok(r) if r.status().is_success() || r.status().is_redirection() => None,
                            Ok(r) => Some(format!("answered {}", r.status())),
                            Err(e) => Some(e.to_string()),
                        }
                    }
                    Ok(r) if r.status().is_success() || r.status().is_redirection() => None,
                    Ok(r) => Some(format!("answered {}", r.status())),
                    Err(e) => Some(e.to_string()),
                }?;
                Some(
                    Diagnostic::at(
                        Kind::External,
                        &body.file,
                        &body.source,
                        span.clone(),
                        format!("the link {url} {problem}"),
                    )
                    .label("this external link")
                    .help("correct or remove the link; publish without --check-external to skip this check"),
                )
            })
            .collect()
    };
    let found = match pool {
        Ok(pool) => pool.install(check),
        Err(_) => check(),
    };
    Diagnostics(found).finish()
}
