//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and heading ids.
//!
//! Headings get an `id` (written as `{#id}`, or made from the heading's text) so that sections can
//! be linked to. Links written as site paths (`/speakers/su-bo/`) are rewritten under the site's
//! base path, and every link is recorded with its position so the build can check it.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// A link or image found in Markdown, as written, with its byte range in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as the author wrote it.
    pub url: String,
    /// Where the link is in the Markdown text.
    pub span: Range<usize>,
    /// Whether it is an image rather than a link.
    pub image: bool,
    /// For an image, its text alternative.
    pub alt: Option<String>,
}

/// Rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// The HTML.
    pub html: String,
    /// Every link and image, for checking.
    pub links: Vec<Link>,
    /// Whether a link has an `#anchor`, which can break when the page it points into changes.
    pub has_anchor_links: bool,
    /// Raw HTML that runs code or embeds other pages, refused by the build (see [`unsafe_html`]).
    pub unsafe_html: Vec<(Range<usize>, String)>,
}

/// Raw HTML in Markdown is allowed for markup (`<abbr>`, `<sup>`, `<br>`), but not for what runs
/// code or pulls in other pages: `<script>`, `<iframe>`, `<object>`, `<embed>`, `<style>`,
/// `<form>`, `<base>`, `<meta>`, event handler attributes (`onclick=`) and `javascript:` URLs.
/// Briefings are pasted from word processors and mail; this keeps what readers get to text.
/// Returns what is wrong with a piece of raw HTML, if anything.
pub fn unsafe_html(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for tag in ["script", "iframe", "object", "embed", "style", "form", "base", "meta", "frame", "applet"] {
        let open = format!("<{tag}");
        if let Some(i) = lower.find(&open) {
            let next = lower[i + open.len()..].chars().next();
            if next.is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/') {
                return Some(format!("a <{tag}> element"));
            }
        }
    }
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before = if i == 0 { b' ' } else { bytes[i - 1] };
        let rest = &lower[i + 2..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        let after = rest[name_len..].trim_start();
        if (before.is_ascii_whitespace() || before == b'/' || before == b'"' || before == b'\'')
            && name_len > 0
            && after.starts_with('=')
            && lower[..i].rfind('<') > lower[..i].rfind('>')
        {
            return Some(format!("an event handler attribute (on{}=)", &rest[..name_len]));
        }
    }
    let squashed: String = lower.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    if squashed.contains("javascript:") || squashed.contains("vbscript:") {
        return Some("a javascript: URL".into());
    }
    None
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `text` to HTML; site paths are put under `base_path` (which ends with `/`).
pub fn render(text: &str, base_path: &str) -> Markdown {
    let mut events: Vec<Event> = Vec::new();
    let mut links = Vec::new();
    let mut heading_starts = Vec::new();
    let mut image_open = false;
    let mut unsafe_found = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                links.push(Link { url: dest_url.to_string(), span: range, image: false, alt: None });
                Event::Start(Tag::Link { link_type, dest_url: site_path(dest_url, base_path), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                links.push(Link { url: dest_url.to_string(), span: range, image: true, alt: Some(String::new()) });
                image_open = true;
                Event::Start(Tag::Image { link_type, dest_url: site_path(dest_url, base_path), title, id })
            }
            Event::Text(ref t) | Event::Code(ref t) if image_open => {
                if let Some(alt) = links.last_mut().and_then(|l| l.alt.as_mut()) {
                    alt.push_str(t);
                }
                event
            }
            Event::End(TagEnd::Image) => {
                image_open = false;
                event
            }
            Event::Html(ref raw) | Event::InlineHtml(ref raw) => {
                if let Some(what) = unsafe_html(raw) {
                    unsafe_found.push((range, what));
                }
                event
            }
            Event::Start(Tag::Heading { .. }) => {
                heading_starts.push(events.len());
                event
            }
            other => other,
        };
        events.push(event);
    }
    assign_heading_ids(&mut events, &heading_starts);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    let has_anchor_links = links.iter().any(|l| l.url.contains('#'));
    Markdown { html, links, has_anchor_links, unsafe_html: unsafe_found }
}

fn site_path<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if url.starts_with('/') && !url.starts_with("//") && base_path != "/" {
        CowStr::from(format!("{base_path}{}", &url[1..]))
    } else {
        url
    }
}

fn assign_heading_ids(events: &mut [Event], starts: &[usize]) {
    let mut used: HashSet<String> = HashSet::new();
    // Explicit ids are taken first, so that a generated one never steals them.
    for &i in starts {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = &events[i] {
            used.insert(id.to_string());
        }
    }
    for &i in starts {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = slugify(&text);
            let base = if base.is_empty() { "section".to_string() } else { base };
            let mut id = base.clone();
            let mut n = 1;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used.insert(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
    }
}

/// A URL-friendly form of `text`: lowercase letters and digits of any script, words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    out
}

/// The `id` attributes in a piece of HTML, for checking `#anchor` links.
pub fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(i) = html[from..].find("id=") {
        let at = from + i;
        from = at + 3;
        let attr_start = at == 0 || bytes[at - 1].is_ascii_whitespace();
        if !attr_start || from >= bytes.len() {
            continue;
        }
        let quote = bytes[from];
        if quote == b'"' || quote == b'\'' {
            if let Some(end) = html[from + 1..].find(quote as char) {
                ids.insert(unescape_attr(&html[from + 1..from + 1 + end]));
                from += end + 1;
            }
        }
    }
    ids
}

fn unescape_attr(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_from_text_or_attributes() {
        let md = render("## Key areas\n\n## Key areas\n\n## Money {#money}\n\n## 合作 领域\n", "/");
        assert!(md.html.contains(r#"<h2 id="key-areas">Key areas</h2>"#), "{}", md.html);
        assert!(md.html.contains(r#"<h2 id="key-areas-1">"#));
        assert!(md.html.contains(r#"<h2 id="money">Money</h2>"#));
        assert!(md.html.contains(r#"<h2 id="合作-领域">"#));
    }

    #[test]
    fn extensions_are_on() {
        let md = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ text[^1]\n\n[^1]: note\n", "/");
        assert!(md.html.contains("<table>"));
        assert!(md.html.contains("<del>old</del>"));
        assert!(md.html.contains("footnote-definition"));
    }

    #[test]
    fn site_paths_move_under_the_base_path_and_links_are_recorded() {
        let text = "See [Su Bo](/speakers/su-bo/) and [VNA](https://example.org/) ![map](/map.png)";
        let md = render(text, "/briefing/");
        assert!(md.html.contains(r#"href="/briefing/speakers/su-bo/""#), "{}", md.html);
        assert!(md.html.contains(r#"href="https://example.org/""#));
        assert!(md.html.contains(r#"src="/briefing/map.png""#));
        let urls: Vec<&str> = md.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["/speakers/su-bo/", "https://example.org/", "/map.png"]);
        assert_eq!(&text[md.links[0].span.clone()], "[Su Bo](/speakers/su-bo/)");
    }

    #[test]
    fn raw_html_that_runs_code_is_found_and_markup_is_not() {
        for bad in [
            "<script>alert(1)</script>",
            "<SCRIPT src=x>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"java\tscript:x\">",
            "<iframe src=//x>",
            "<p style=\"x\" onClick = 'y'>",
        ] {
            assert!(unsafe_html(bad).is_some(), "{bad}");
        }
        for fine in [
            "<abbr title=\"Association\">ASEAN</abbr>",
            "<sup>1</sup>",
            "<br>",
            "<p>on= top</p>",
            "<div class=\"notes\">",
        ] {
            assert_eq!(unsafe_html(fine), None, "{fine}");
        }
        let md = render("Text <script>alert(1)</script>\n\n<div onclick=\"x()\">a</div>\n", "/");
        assert_eq!(md.unsafe_html.len(), 2, "{:?}", md.unsafe_html);
    }

    #[test]
    fn finds_ids_in_html() {
        let ids = html_ids(r#"<h2 id="a">x</h2><div data-id="no" id='b'></div><p>id=c</p>"#);
        assert!(ids.contains("a") && ids.contains("b"));
        assert_eq!(ids.len(), 2);
    }

    #[test]
    fn slugify_keeps_letters_of_any_script() {
        assert_eq!(slugify("China–ASEAN Expo, 2012!"), "china-asean-expo-2012");
        assert_eq!(slugify("Thailand's plan"), "thailands-plan");
        assert_eq!(slugify("Việt Nam"), "việt-nam");
    }
}
