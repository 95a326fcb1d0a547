//! Checks that run before a publish writes anything: every page has a title and a description,
//! every image a text alternative; with `--check-external`, every external link answers.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::{Body, Site};
use crate::output::{Contents, OutputFile};

/// Problems with the rendered pages: a missing or empty `<title>` or description, an `<img>`
/// without `alt`, and Markdown images whose alternative text is empty.
pub fn pages(site: &Site, files: &[OutputFile]) -> Diagnostics {
    let mut found: Vec<Diagnostic> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .flat_map_iter(|f| {
            let Contents::Rendered(html) = &f.contents else { return Vec::new() };
            let read = read_page(html);
            let page = format!("/{}", f.path.trim_end_matches("index.html"));
            let mut out = Vec::new();
            if read.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                out.push(Diagnostic::file(Kind::Publishing, "templates/", format!("the page {page} has no title"))
                    .help("give every page a <title> in its template, usually through base.html's title block"));
            }
            if read.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
                out.push(Diagnostic::file(Kind::Publishing, "templates/", format!("the page {page} has no description"))
                    .help("give every page a <meta name=\"description\" content=\"...\">; base.html uses the site's description unless a page sets its own"));
            }
            for src in read.images_without_alt {
                out.push(Diagnostic::file(Kind::Publishing, "templates/", format!("an image on {page} ({src}) has no alt attribute"))
                    .help("describe the image in alt=\"...\", or write alt=\"\" if it is only decoration"));
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

/// What the checks read of a page.
#[derive(Debug, Default, PartialEq, Eq)]
struct Read {
    /// The text of the head's first `<title>`, character references decoded.
    title: Option<String>,
    /// The `content` of the head's first `<meta name="description">`.
    description: Option<String>,
    /// The `src` of each `<img>` without an `alt` attribute.
    images_without_alt: Vec<String>,
}

/// Reads `html` with html5gum's tokenizer, which switches to raw text and RCDATA after the
/// elements that hold them (`<title>`, `<script>`, `<style>`, `<noscript>`...) as a browser with
/// scripting does. No tree is built: the head is what comes before the first start tag that only
/// a body holds, as the tree builder decides, and titles inside SVG or MathML are not the page's.
fn read_page(html: &str) -> Read {
    let mut emitter = html5gum::emitters::default::DefaultEmitter::<()>::default();
    emitter.naively_switch_states(true);
    let attr = |tag: &html5gum::StartTag<()>, name: &str| {
        tag.attributes.get(name.as_bytes()).map(|v| String::from_utf8_lossy(&v.value).into_owned())
    };
    let mut read = Read::default();
    let (mut in_body, mut foreign, mut title) = (false, 0usize, None::<String>);
    for token in html5gum::Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            html5gum::Token::StartTag(tag) => match &tag.name[..] {
                b"html" | b"head" | b"link" | b"style" | b"script" | b"base" | b"noscript" | b"template" => {}
                // Before the body, so never inside SVG or MathML.
                b"title" if !in_body => {
                    if read.title.is_none() && title.is_none() {
                        title = Some(String::new());
                    }
                }
                b"meta" if !in_body => {
                    let is_description = attr(&tag, "name").is_some_and(|n| n.eq_ignore_ascii_case("description"));
                    if is_description && read.description.is_none() {
                        read.description = Some(attr(&tag, "content").unwrap_or_default());
                    }
                }
                name => {
                    in_body = true;
                    if (name == b"svg" || name == b"math") && !tag.self_closing {
                        foreign += 1;
                    }
                    if name == b"img" && !tag.attributes.contains_key(&b"alt"[..]) {
                        read.images_without_alt.push(attr(&tag, "src").unwrap_or_default());
                    }
                }
            },
            html5gum::Token::EndTag(tag) => match &tag.name[..] {
                b"svg" | b"math" => foreign = foreign.saturating_sub(1),
                b"title" => {
                    if let Some(text) = title.take() {
                        read.title = Some(text);
                    }
                }
                _ => {}
            },
            html5gum::Token::String(text) => {
                if let Some(title) = &mut title {
                    title.push_str(&String::from_utf8_lossy(&text.value));
                }
            }
            _ => {}
        }
    }
    // A title cut off by the end of the page still has its text.
    if read.title.is_none() {
        read.title = title;
    }
    read
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

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    /// What a browser's DOM says of `html`: the oracle [`read_page`] is held to.
    fn read_with_dom(html: &str) -> Read {
        let doc = Html::parse_document(html);
        let select = |s: &str| Selector::parse(s).unwrap();
        Read {
            title: doc.select(&select("head title")).next().map(|t| t.text().collect()),
            description: doc
                .select(&select(r#"head meta[name="description" i]"#))
                .next()
                .map(|m| m.value().attr("content").unwrap_or_default().to_string()),
            images_without_alt: doc
                .select(&select("img"))
                .filter(|i| i.value().attr("alt").is_none())
                .map(|i| i.value().attr("src").unwrap_or_default().to_string())
                .collect(),
        }
    }

    #[test]
    fn the_page_reader_agrees_with_the_dom() {
        let pages = [
            r#"<!doctype html><html><head><title>Plain</title><meta name="description" content="A page"></head><body><img src="/a.png" alt=""><img src="/b.png"></body></html>"#,
            r#"<html><head><title>Tom &amp; Jerry &#8212; <b>not a tag</b></title></head><body></body></html>"#,
            r#"<html><head><title> </title><meta name=DESCRIPTION content=" "></head><body><svg><title>Icon</title></svg></body></html>"#,
            r#"<html><head><meta name="description"></head><body><title>Late</title><noscript><img src="/hidden.png"></noscript></body></html>"#,
            r#"<html><head><style>img { x: "<img src=/no.png>" }</style><script>let t = "<title>no</title>";</script></head><body><p><img src=/unquoted.png></p></body></html>"#,
            r#"<html><head></head><body><svg><image href="/i.png"/><title>In SVG</title></svg><img src="/c.png" alt="C"></body></html>"#,
            r#"<html><head><title>First</title><title>Second</title><meta name="description" content="one"><meta name="description" content="two"></head><body></body></html>"#,
            "<!doctype html><title>Cut off",
        ];
        for html in pages {
            assert_eq!(read_page(html), read_with_dom(html), "{html}");
        }
    }

    #[test]
    fn the_page_reader_agrees_with_the_dom_on_the_real_briefing() {
        let rendered =
            crate::build::render_site(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &Default::default(), false)
                .map_err(|e| e.to_string())
                .unwrap();
        let mut read = 0;
        for f in &rendered.files {
            if let (Contents::Rendered(html), true) = (&f.contents, f.path.ends_with(".html")) {
                assert_eq!(read_page(html), read_with_dom(html), "{}", f.path);
                read += 1;
            }
        }
        assert!(read > 50, "only {read} pages");
    }
}
