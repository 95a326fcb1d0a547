//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and heading ids.
//!
//! Headings get an `id` (written as `{#id}`, or made from the heading's text) so that sections can
//! be linked to. Links written as site paths (`/speakers/su-bo/`) are rewritten under the site's
//! base path, and every link is recorded with its position so the build can check it.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap;

use crate::html_policy;
pub use crate::model::{Link, Markdown};
use crate::routes;

/// What is refused in a piece of raw HTML, if anything (see [`html_policy`]).
pub fn unsafe_html(html: &str) -> Option<String> {
    html_policy::check_html(html)
}

/// A piece of raw HTML as pulldown-cmark hands it over: an inline tag or comment, or an HTML
/// block, whose lines are joined so that a tag written over several lines is read whole.
struct RawHtml {
    /// Where the piece is in the Markdown text.
    range: Range<usize>,
    text: String,
    /// Each line of a block: where it is in the Markdown text, and where in `text`.
    lines: Vec<(Range<usize>, Range<usize>)>,
}

impl RawHtml {
    /// What is refused in the piece and where: the first line that shows it alone, or else the
    /// start of the block.
    fn check(&self) -> Option<(Range<usize>, String)> {
        let what = html_policy::check_html(&self.text)?;
        if self.lines.len() > 1 {
            for (range, in_text) in &self.lines {
                if let Some(what) = self.text.get(in_text.clone()).and_then(html_policy::check_html) {
                    return Some((range.clone(), what));
                }
            }
        }
        Some((self.range.clone(), what))
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `text` to HTML; site paths are put under `base_path` (which ends with `/`).
pub fn render(text: &str, base_path: &str) -> Markdown {
    render_in(text, base_path, "")
}

/// Renders `text`, written in the language whose pages are under `lang_prefix` (`zh/`, or
/// nothing for the default language), to HTML: links to pages stay in that language (see
/// [`routes::in_language`]), and site paths are put under `base_path`.
pub fn render_in(text: &str, base_path: &str, lang_prefix: &str) -> Markdown {
    // One event for every 11 to 22 bytes of a body (measured on the benchmark's announcements
    // and on the briefing's): reserved at once rather than grown by copying.
    let mut events: Vec<Event> = Vec::with_capacity(text.len() / 12 + 8);
    let mut links = Vec::new();
    let mut heading_starts = Vec::new();
    let mut image_open = false;
    let mut unsafe_found = Vec::new();
    let mut raw: Vec<RawHtml> = Vec::new();
    let mut in_html_block = false;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                if let Some(scheme) = html_policy::refused_scheme(&dest_url) {
                    unsafe_found.push((range.clone(), format!("a link to a {scheme}: URL")));
                }
                links.push(Link { url: dest_url.to_string(), span: range, image: false, alt: None });
                Event::Start(Tag::Link { link_type, dest_url: site_path(dest_url, base_path, lang_prefix), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                if let Some(scheme) = html_policy::refused_scheme(&dest_url) {
                    unsafe_found.push((range.clone(), format!("an image from a {scheme}: URL")));
                }
                links.push(Link { url: dest_url.to_string(), span: range, image: true, alt: Some(String::new()) });
                image_open = true;
                Event::Start(Tag::Image { link_type, dest_url: site_path(dest_url, base_path, lang_prefix), title, id })
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
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                raw.push(RawHtml { range: range.start..range.start, text: String::new(), lines: Vec::new() });
                event
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_html_block = false;
                event
            }
            Event::Html(ref t) | Event::InlineHtml(ref t) => {
                let block = in_html_block && matches!(event, Event::Html(_));
                match raw.last_mut() {
                    Some(piece) if block => {
                        if piece.lines.is_empty() {
                            piece.range.start = range.start;
                        }
                        piece.range.end = range.end;
                        piece.lines.push((range, piece.text.len()..piece.text.len() + t.len()));
                        piece.text.push_str(t);
                    }
                    _ => raw.push(RawHtml { range, text: t.to_string(), lines: Vec::new() }),
                }
                event
            }
            Event::Start(Tag::Heading { ref attrs, .. }) => {
                let refused = attrs.iter().find_map(|(name, value)| {
                    html_policy::check_markdown_attribute(name, value.as_deref().unwrap_or_default())
                });
                if let Some(what) = refused {
                    unsafe_found.push((range.clone(), format!("a heading with {what}")));
                }
                heading_starts.push(events.len());
                event
            }
            other => other,
        };
        events.push(event);
    }
    // The same inline tags come back again and again (`<span lang="vi">`, `</span>`): each is
    // judged once.
    let mut judged: FxHashMap<&str, Option<String>> = FxHashMap::default();
    let mut all_plain = true;
    for piece in &raw {
        if html_policy::is_plain(&piece.text) {
            continue;
        }
        all_plain = false;
        let found = match judged.get(piece.text.as_str()) {
            Some(what) if piece.lines.len() <= 1 => what.clone().map(|what| (piece.range.clone(), what)),
            _ => {
                let found = piece.check();
                if piece.lines.len() <= 1 {
                    judged.insert(&piece.text, found.as_ref().map(|(_, what)| what.clone()));
                }
                found
            }
        };
        if let Some((range, what)) = found {
            unsafe_found.push((range, format!("raw HTML with {what}")));
        }
    }
    assign_heading_ids(&mut events, &heading_starts);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    // A browser reads the pieces together with the text between them: an attribute left open by
    // one HTML block and closed by a later block or by a quote in the text, or a `<title>` whose
    // text ends inside a later piece, shows only there. Plain markup cannot do that (see
    // `html_policy::is_plain`), and bodies with refused pieces fail anyway.
    if unsafe_found.is_empty() && !all_plain {
        if let Some(first) = raw.first() {
            if let Some(what) = html_policy::check_body(&html) {
                let what = format!("raw HTML that, read together with the rest of the body, makes {what}");
                unsafe_found.push((first.range.clone(), what));
            }
        }
    }
    unsafe_found.sort_by_key(|(range, _)| range.start);
    let has_anchor_links = links.iter().any(|l| l.url.contains('#'));
    Markdown { html, links, has_anchor_links, unsafe_html: unsafe_found }
}

/// A link written as a site path (`/speakers/su-bo/`) put under the base path; others as written.
fn site_path<'a>(url: CowStr<'a>, base_path: &str, lang_prefix: &str) -> CowStr<'a> {
    if url.starts_with('/') && !url.starts_with("//") && (base_path != "/" || !lang_prefix.is_empty()) {
        CowStr::from(routes::url(base_path, &routes::in_language(lang_prefix, &url)))
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
        // ASCII first: most headings are, and the Unicode tables cost more.
        let keep = if c.is_ascii() { c.is_ascii_alphanumeric() } else { c.is_alphanumeric() };
        if keep {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    out
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
            "<a href=\"&#106;avascript:alert(1)\">",
            "<a href=\"java&#x09;script:alert(1)\">",
            "<a href=\"jav&#x0A;ascript:alert(1)\">",
            "<svg><a xlink:href=\"javascript:alert(1)\">",
        ] {
            assert!(unsafe_html(bad).is_some(), "{bad}");
        }
        for fine in [
            "<abbr title=\"Association\">ASEAN</abbr>",
            "<sup>1</sup>",
            "<br>",
            "<p>on= top</p>",
            "<div class=\"notes\">",
            "<a href=\"mailto:press@example.org\">",
            "<img src=\"/x.png\" alt=\"A map\">",
        ] {
            assert_eq!(unsafe_html(fine), None, "{fine}");
        }
        let text = "Text <script>alert(1)</script>\n\n<div onclick=\"x()\">a</div>\n";
        let md = render(text, "/");
        let found: Vec<(&str, &str)> =
            md.unsafe_html.iter().map(|(r, what)| (&text[r.clone()], what.as_str())).collect();
        assert_eq!(
            found,
            [
                ("<script>", "raw HTML with a <script> element"),
                ("<div onclick=\"x()\">a</div>\n", "raw HTML with an event handler attribute (onclick=)"),
            ]
        );
    }

    #[test]
    fn links_and_images_with_refused_schemes_are_found_at_their_span() {
        let text = "See [x](JaVaScRiPt:alert(1)), ![map](data:image/png;base64,AA) and [ok](mailto:a@b.org).\n";
        let md = render(text, "/");
        let found: Vec<(&str, &str)> =
            md.unsafe_html.iter().map(|(r, what)| (&text[r.clone()], what.as_str())).collect();
        assert_eq!(
            found,
            [
                ("[x](JaVaScRiPt:alert(1))", "a link to a javascript: URL"),
                ("![map](data:image/png;base64,AA)", "an image from a data: URL"),
            ]
        );
        // Percent escapes are not decoded in a scheme: to a browser this is a relative path.
        assert_eq!(render("[x](java%0ascript:alert(1))\n", "/").unsafe_html, []);
    }

    /// What skipping the whole-body check for plain raw HTML rests on: Markdown's own output is
    /// plain markup too.
    #[test]
    fn markdown_writes_plain_markup() {
        let text = "# Title {#t .c lang=vi}\n\n> quote *em* **strong** ~~del~~ `a < b & \"c\"`\n\n\
                    3. three\n4. four\n\n- [link](https://example.org/?a=1&b=\"2\" \"t'itle\") ![alt \"x\" & y](/x.png \"T\")\n\n\
                    | a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\ntext[^n] <https://example.org/> <a@b.org>\n\n\
                    [^n]: note\n\n```rust\nfn main() { println!(\"<x>\"); }\n```\n\n---\n\nhard  \nbreak\n";
        let md = render(text, "/base/");
        assert_eq!(md.unsafe_html, []);
        assert!(html_policy::is_plain(&md.html), "{}", md.html);
    }

    #[test]
    fn heading_attributes_are_judged_like_html_attributes() {
        let md = render("## Money {#money .wide lang=vi data-x=1}\n", "/");
        assert_eq!(md.unsafe_html, []);
        assert!(md.html.contains(r#"<h2 id="money" class="wide" lang="vi" data-x="1">"#), "{}", md.html);
        let text = "Intro.\n\n## Agenda {onclick=alert(1)}\n";
        let md = render(text, "/");
        let found: Vec<(&str, &str)> =
            md.unsafe_html.iter().map(|(r, what)| (&text[r.clone()], what.as_str())).collect();
        assert_eq!(found, [("## Agenda {onclick=alert(1)}\n", "a heading with an event handler attribute (onclick=)")]);
    }

    #[test]
    fn a_tag_over_several_lines_of_an_html_block_is_read_whole_and_found_on_its_line() {
        let text =
            "<div>\n<img src=x\nonerror=alert(1)>\n</div>\n\n<div>\n<p>ok</p>\n<iframe src=x></iframe>\n</div>\n";
        let md = render(text, "/");
        let found: Vec<(usize, &str)> = md.unsafe_html.iter().map(|(r, what)| (r.start, what.as_str())).collect();
        let iframe = text.find("<iframe").unwrap_or_default();
        assert_eq!(
            found,
            [(0, "raw HTML with an event handler attribute (onerror=)"), (iframe, "raw HTML with an <iframe> element")]
        );
    }

    #[test]
    fn pieces_that_only_run_code_together_are_found_at_the_first_piece() {
        // Neither block alone holds a handler; the quote in the paragraph closes the first one's `alt`.
        let text = "Intro.\n\n<div><img src=\"/x.png\" alt='\n\n' onerror=alert(1) x='\n";
        let md = render(text, "/");
        assert_eq!(md.unsafe_html.len(), 1, "{:?}", md.unsafe_html);
        let (range, what) = &md.unsafe_html[0];
        assert_eq!(range.start, text.find("<div>").unwrap_or_default());
        assert!(what.contains("read together") && what.contains("(onerror=)"), "{what}");
        // Plain markup is never read again as a whole.
        let md = render("a <sup>1</sup>\n\n<div class=\"x\">\n\n*b*\n\n</div>\n", "/");
        assert_eq!(md.unsafe_html, []);
    }

    #[test]
    fn slugify_keeps_letters_of_any_script() {
        assert_eq!(slugify("China–ASEAN Expo, 2012!"), "china-asean-expo-2012");
        assert_eq!(slugify("Thailand's plan"), "thailands-plan");
        assert_eq!(slugify("Việt Nam"), "việt-nam");
    }
}
