//! What raw HTML, link destinations and heading attributes in Markdown may contain.
//!
//! Raw HTML is allowed for markup (`<abbr title>`, `<sup>`, `<br>`, `<div class>`, `<details>`,
//! tables, images and links to pages and web addresses) and refused when it can run code, embed or
//! redirect to another page, or restyle this one: elements such as `<script>`, `<iframe>`,
//! `<object>`, `<embed>`, `<form>`, `<base>`, `<meta>`, `<link>` and `<style>`; every event handler
//! attribute (`on...=`) on any element, SVG and MathML included; `srcdoc`, `action` and
//! `formaction`; `javascript:`, `vbscript:` and `data:` URLs in any attribute that holds URLs and
//! in Markdown links and images; SVG animations that rewrite a link or a handler; `style`
//! attributes with `expression(`, `-moz-binding`, `behavior:` or a refused URL. Briefings are
//! pasted from word processors and mail, and whatever a page carries runs with the site's origin,
//! so what readers receive must stay text and markup. A filter that reads the text is passed by
//! spelling (`&#106;avascript:`, `java&#x09;script:`), so the decision is made on the tree an HTML
//! parser builds, as a browser reads it: references decoded, names lowercased, SVG and MathML in
//! their own namespaces, `<noscript>` read with scripting on, `<body onload>` merged into the body.
//! URLs are then read as the WHATWG URL parser reads them, only more strictly: everything in the
//! scheme that is not a letter or a digit is ignored, so tabs, newlines, controls, spaces and
//! quotes do not hide `javascript:`; percent escapes are not decoded, as browsers do not decode
//! them in a scheme either. `<noscript>`, `<template>`, `<xmp>`, `<noembed>`, `<noframes>`,
//! `<plaintext>` and `<select>` are refused as well: they stand in for scripts, serve old browsers
//! or changed meaning, and their content is text, or nothing, to some parsers and markup to
//! others, which is what mutation XSS lives on. Each
//! piece of raw HTML is judged alone ([`check_html`]) and the whole rendered body once more
//! ([`check_body`]), since a tag that one HTML block leaves open can be closed by a later piece or
//! by a quote in the text, and a tag left open at the end would take in the page after it.

use std::borrow::Cow;

use scraper::node::Element;
use scraper::{Html, Node};

/// Schemes that run code (`javascript:`, `vbscript:`) or carry a whole document (`data:`).
const REFUSED_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// Elements refused wherever they are, in any namespace (SVG has its own `<script>` and `<style>`).
const REFUSED_ELEMENTS: &[&str] = &[
    // Run code.
    "script",
    "handler",
    "listener",
    // Embed, frame or redirect to another document, or submit to one.
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "portal",
    "fencedframe",
    "layer",
    "ilayer",
    "bgsound",
    "base",
    "meta",
    "link",
    "form",
    "isindex",
    // Restyle the page, or read it through CSS selectors.
    "style",
    // Stand-ins for scripts, or text by some parsers and markup by others.
    "template",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    // The parser drops most tags inside it, as the HTML standard said until 2025; browsers with
    // customizable <select> keep them, so what is judged would not be what runs.
    "select",
];

/// Attributes whose value is one URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "poster",
    "background",
    "cite",
    "longdesc",
    "usemap",
    "data",
    "codebase",
    "classid",
    "manifest",
    "icon",
    "profile",
    "datasrc",
    "lowsrc",
    "dynsrc",
];

/// Attributes whose value is a list of URLs, separated by spaces or commas.
const URL_LIST_ATTRIBUTES: &[&str] = &["srcset", "imagesrcset", "ping", "archive"];

/// SVG elements that change an attribute of another element over time.
const ANIMATIONS: &[&str] = &["animate", "set", "animatemotion", "animatetransform", "animatecolor"];

/// The refused scheme of `url`, if it has one, lowercased. Stricter than a browser: everything in
/// the scheme that is not a letter or a digit is left out (a browser drops only tabs and newlines
/// there, and spaces and controls at the start), and fullwidth letters count as ASCII ones. No
/// real link is spelled so, and a rule that is wider than the browser's cannot be passed by a
/// spelling the browser accepts. A `/`, `?` or `#` before the first `:` makes it a path.
pub fn refused_scheme(url: &str) -> Option<&'static str> {
    let mut scheme = [0u8; 10];
    let mut len = 0;
    for c in url.chars() {
        let c = fullwidth_to_ascii(c);
        match c {
            ':' => return REFUSED_SCHEMES.into_iter().find(|s| s.as_bytes() == &scheme[..len]),
            '/' | '?' | '#' => return None,
            c if c.is_ascii_alphanumeric() => {
                if len == scheme.len() {
                    return None;
                }
                scheme[len] = c.to_ascii_lowercase() as u8;
                len += 1;
            }
            _ => {}
        }
    }
    None
}

/// What is refused in a piece of raw HTML, if anything, judged on the tree a browser builds from
/// it inside a page's body: "a `<script>` element", "a javascript: URL in href".
pub fn check_html(html: &str) -> Option<String> {
    check_html_at_depth(html, 0)
}

fn check_html_at_depth(html: &str, depth: u8) -> Option<String> {
    if is_plain(html) {
        return None;
    }
    too_deep(html).or_else(|| check_parsed(html, depth))
}

/// What is refused in the whole rendered HTML of a Markdown body, read as a browser reads it in
/// its page: then a tag that an HTML block leaves open can be closed by a later piece, or by text.
/// A tag still open at the end would take in the page after it, up to the next quote or `>`, so
/// it is refused too ("a tag that is never closed").
pub fn check_body(html: &str) -> Option<String> {
    if is_plain(html) {
        return None;
    }
    if let Some(what) = too_deep(html) {
        return Some(what);
    }
    // Closes a tag left open in any state (inside a quoted or unquoted value, after `=`, in the
    // name) and marks it with an attribute, so that its attributes are judged like any other and
    // the open tag can be told apart.
    let mut text = String::with_capacity(html.len() + 2 * UNCLOSED.len() + 10);
    text.push_str(html);
    for _ in 0..2 {
        text.push_str("\"' ");
        text.push_str(UNCLOSED);
        text.push('>');
    }
    let doc = parse(&text);
    check_tree(&doc, 0).or_else(|| {
        let unclosed = doc
            .tree
            .nodes()
            .any(|node| node.value().as_element().is_some_and(|e| e.attrs().any(|(name, _)| name == UNCLOSED)));
        unclosed.then(|| "a tag that is never closed".to_string())
    })
}

/// How deep raw HTML may nest. An HTML parser looks down its stack of open elements at each new
/// block, so its work grows with the square of the depth: 20,000 nested `<div id=x>` take minutes.
/// Chrome stops nesting at 512; no briefing comes near.
const MAX_NESTING: usize = 1_000;

/// Refuses HTML nested deeper than [`MAX_NESTING`], counted before parsing, the simple way: a
/// start tag opens an element unless it is void or ends in `/>`, an end tag closes the nearest
/// open element of its name, and `<p>`, `<li>` and other elements that close their own kind do
/// so. This only keeps a build from stalling; it is not part of what is safe.
fn too_deep(html: &str) -> Option<String> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "image", "input", "link", "meta", "param", "source",
        "track", "wbr", "keygen", "basefont", "bgsound", "frame",
    ];
    const SELF_CLOSING: &[&str] = &["p", "li", "dt", "dd", "tr", "td", "th", "option", "rt", "rp", "tbody", "thead"];
    let bytes = html.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut i = 0;
    while let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') {
        i += lt + 1;
        let end_tag = bytes.get(i) == Some(&b'/');
        let start = if end_tag { i + 1 } else { i };
        let len = bytes[start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if len == 0 || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let name = &html[start..start + len];
        let close = bytes[start..].iter().position(|&b| b == b'>').map_or(bytes.len(), |j| start + j);
        i = close;
        // Only the top of the stack is searched, so that the count stays linear.
        let near = |open: &Vec<&str>| {
            open.iter().rev().take(64).position(|o| o.eq_ignore_ascii_case(name)).map(|j| open.len() - 1 - j)
        };
        if end_tag {
            if let Some(j) = near(&open) {
                open.truncate(j);
            }
        } else if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) && bytes.get(close - 1) != Some(&b'/') {
            if SELF_CLOSING.iter().any(|v| v.eq_ignore_ascii_case(name)) {
                if let Some(j) = near(&open) {
                    open.truncate(j);
                }
            }
            open.push(name);
            if open.len() > MAX_NESTING {
                return Some(format!("elements nested more than {MAX_NESTING} deep"));
            }
        }
    }
    None
}

/// The attribute that marks a tag left open by the HTML that [`check_body`] is given.
const UNCLOSED: &str = "brief-unclosed-tag-7f3a";

/// [`check_html`] without the shortcut for plain markup.
fn check_parsed(html: &str, depth: u8) -> Option<String> {
    check_tree(&parse(html), depth)
}

fn parse(html: &str) -> Html {
    // A document rather than a fragment: a fragment parser drops `<body onload=...>`, which a
    // browser merges into the page's own <body>. The doctype keeps the parser out of quirks mode.
    // No `<body>` before the piece: it would make the parser drop a `<frameset>` unseen.
    let mut text = String::with_capacity(html.len() + 15);
    text.push_str("<!DOCTYPE html>");
    text.push_str(html);
    Html::parse_document(&text)
}

fn check_tree(doc: &Html, depth: u8) -> Option<String> {
    doc.tree.root().descendants().find_map(|node| match node.value() {
        Node::Element(element) => check_element(element),
        Node::Comment(comment) => check_conditional_comment(comment, depth),
        _ => None,
    })
}

/// Internet Explorer ran the markup inside `<!--[if IE]>...<![endif]-->`; it is judged as markup.
fn check_conditional_comment(comment: &str, depth: u8) -> Option<String> {
    let text = comment.trim_start();
    let is_conditional = text.get(..3).is_some_and(|s| s.eq_ignore_ascii_case("[if"));
    if !is_conditional || depth > 0 {
        return None;
    }
    // From right after `[if`: the condition itself can hold markup (`<!--[if<img ...>]>`).
    check_html_at_depth(&text[3..], depth + 1).map(|what| format!("{what} in a conditional comment"))
}

fn check_element(element: &Element) -> Option<String> {
    let name = (*element.name.local).to_ascii_lowercase();
    if REFUSED_ELEMENTS.contains(&name.as_str()) {
        return Some(format!("{} element", with_article(&format!("<{}>", &*element.name.local))));
    }
    let animation = ANIMATIONS.contains(&name.as_str()).then_some(&*element.name.local);
    element.attrs.iter().find_map(|(qualified, value)| {
        let local = (*qualified.local).to_ascii_lowercase();
        check_attribute(qualified.prefix.as_deref(), &local, value, animation)
    })
}

/// How the policy reads an attribute, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attribute {
    /// Refused whatever its value: event handlers, `srcdoc`, form actions.
    Refused,
    /// A `style` attribute, judged by [`check_style`].
    Style,
    /// One URL.
    Url,
    /// URLs separated by spaces or commas (`srcset`, `ping`).
    UrlList,
    /// The `values`, `to`, `from` or `by` of an SVG animation: values separated by `;`.
    AnimationValues,
    /// The `attributeName` of an SVG animation: what it changes.
    AnimationTarget,
    /// Any other attribute, whatever its value (`title`, `alt`, `class`).
    Inert,
}

impl Attribute {
    /// How the attribute `local` (lowercase) of an element is read; `animation` if the element is
    /// an SVG animation.
    fn of(local: &str, animation: bool) -> Self {
        match local {
            _ if local.starts_with("on") => Attribute::Refused,
            "srcdoc" | "action" | "formaction" => Attribute::Refused,
            "style" => Attribute::Style,
            _ if URL_LIST_ATTRIBUTES.contains(&local) || local.ends_with("srcset") => Attribute::UrlList,
            _ if URL_ATTRIBUTES.contains(&local) || local.ends_with("href") || local.ends_with("src") => Attribute::Url,
            "values" | "to" | "from" | "by" if animation => Attribute::AnimationValues,
            "attributename" if animation => Attribute::AnimationTarget,
            _ => Attribute::Inert,
        }
    }
}

/// What is refused in an attribute that Markdown writes on an HTML element of its own, such as
/// the `{key=value}` of a heading: `## Agenda {onclick=...}` is an event handler like any other.
pub fn check_markdown_attribute(name: &str, value: &str) -> Option<String> {
    check_attribute(None, &name.to_ascii_lowercase(), value, None)
}

/// What is refused in the attribute `local` (lowercase, with its namespace prefix if any) with
/// `value`, of an element that is an SVG animation if `animation` names it.
fn check_attribute(prefix: Option<&str>, local: &str, value: &str, animation: Option<&str>) -> Option<String> {
    let attribute = || match prefix {
        Some(prefix) => format!("{prefix}:{}", shorten(local)),
        None => shorten(local).to_string(),
    };
    let urls: Vec<&str> = match Attribute::of(local, animation.is_some()) {
        Attribute::Inert => return None,
        Attribute::Refused => {
            return Some(match local {
                "srcdoc" => "a srcdoc attribute (a page inside the page)".into(),
                "action" | "formaction" => format!("a form action attribute ({}=)", attribute()),
                _ => format!("an event handler attribute ({}=)", attribute()),
            })
        }
        Attribute::Style => return check_style(value),
        Attribute::AnimationTarget => {
            let target: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            let target = target.rsplit(':').next().unwrap_or_default();
            if target.ends_with("href") || target.starts_with("on") {
                let element = with_article(&format!("<{}>", animation.unwrap_or_default()));
                return Some(format!("{element} element that changes {}", shorten(target)));
            }
            return None;
        }
        Attribute::Url => vec![value],
        Attribute::UrlList => value.split(|c: char| c == ',' || c.is_ascii_whitespace()).collect(),
        Attribute::AnimationValues => value.split(';').collect(),
    };
    let scheme = urls.into_iter().find_map(refused_scheme)?;
    Some(format!("a {scheme}: URL in {}", attribute()))
}

/// Elements that plain markup is made of, Markdown's own output among them. None of them changes
/// how the parser reads what follows (as `<textarea>`, `<svg>` or `<noscript>` do).
#[rustfmt::skip]
const PLAIN_ELEMENTS: &[&str] = &[
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite",
    "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark",
    "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
];

/// Whether `html` is plain markup, for which parsing can be skipped: text, and tags of
/// `PLAIN_ELEMENTS` with quoted attributes that hold no character reference and that
/// `check_attribute` accepts, and comments with nothing tricky in them. None of these
/// takes the tokenizer out of its data state, so a parser builds exactly these elements and
/// attributes, alone or joined with other plain pieces and Markdown's own output. It says no to
/// anything else; the parser then decides. Most raw HTML in briefings (`<sup>`, `<br>`,
/// `<abbr title="...">`) is plain, and a scan costs far less than building a tree. When every
/// piece of raw HTML in a body is plain, so is the body, and [`check_body`] need not run.
pub fn is_plain(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') {
        i += lt;
        let rest = &html[i..];
        let end = if let Some(comment) = rest.strip_prefix("<!--") {
            let Some(close) = comment.find("-->") else { return false };
            let body = &comment[..close];
            // Leaves out `<!-->`, `--!>`, conditional comments and anything else that reads twice.
            if body.contains(['<', '>', '[', '-']) {
                return false;
            }
            4 + close + 3
        } else {
            match plain_tag(rest) {
                Some(len) => len,
                None => return false,
            }
        };
        i += end;
    }
    true
}

/// The length of the plain start or end tag at the start of `text`, if it is one.
fn plain_tag(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let end_tag = bytes.get(1) == Some(&b'/');
    let mut i = if end_tag { 2 } else { 1 };
    let name_len = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let name = &text[i..i + name_len];
    if !PLAIN_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(name)) {
        return None;
    }
    i += name_len;
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    loop {
        let spaces = bytes[i..].iter().take_while(|b| space(b)).count();
        i += spaces;
        match bytes.get(i)? {
            b'>' => return Some(i + 1),
            b'/' if !end_tag && bytes.get(i + 1) == Some(&b'>') => return Some(i + 2),
            b if b.is_ascii_alphabetic() && spaces > 0 && !end_tag => {
                let attr_len = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
                let attr = text[i..i + attr_len].to_ascii_lowercase();
                i += attr_len;
                let after = bytes[i..].iter().take_while(|b| space(b)).count();
                let value = if bytes.get(i + after) == Some(&b'=') {
                    i += after + 1;
                    i += bytes[i..].iter().take_while(|b| space(b)).count();
                    let quote = *bytes.get(i).filter(|q| matches!(q, b'"' | b'\''))?;
                    let len = bytes[i + 1..].iter().position(|&b| b == quote)?;
                    let value = &text[i + 1..i + 1 + len];
                    i += len + 2;
                    // A browser reads `<a href="x"title="y">` as two attributes; this scan wants a space.
                    if bytes.get(i).is_some_and(|b| !space(b) && *b != b'>' && *b != b'/') {
                        return None;
                    }
                    value
                } else {
                    ""
                };
                // The value is judged as written, so it must be what the parser makes of it: no
                // character references but `&amp;` (Markdown writes `&` in a URL so), no NUL.
                // The value of an inert attribute does not matter.
                if Attribute::of(&attr, false) != Attribute::Inert {
                    let only_amp = value.match_indices('&').all(|(j, _)| value[j..].starts_with("&amp;"));
                    if !only_amp || value.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
                        return None;
                    }
                    let value = if value.contains('&') { value.replace("&amp;", "&").into() } else { Cow::from(value) };
                    if check_attribute(None, &attr, &value, None).is_some() {
                        return None;
                    }
                }
            }
            _ => return None,
        }
    }
}

/// What is refused in a `style` attribute: the old ways to run code from CSS, and refused URLs.
fn check_style(css: &str) -> Option<String> {
    let css = normalize_css(css);
    for needle in ["expression(", "-moz-binding", "behavior:", "behaviour:"] {
        if css.contains(needle) {
            return Some(format!("a style attribute with {needle}"));
        }
    }
    // `url(javascript:...)`, `image-set("data:...")`: the scheme ends at a `:` and starts after
    // one of `("',` (or at the start of the value).
    for (i, _) in css.match_indices(':') {
        let before = &css[..i];
        let start = before.len() - before.bytes().rev().take_while(u8::is_ascii_alphanumeric).count();
        let opener = before[..start].chars().next_back();
        let word = &before[start..];
        if let Some(scheme) = REFUSED_SCHEMES.into_iter().find(|s| *s == word) {
            if scheme != "data" || matches!(opener, None | Some('(' | '"' | '\'' | ',')) {
                return Some(format!("a {scheme}: URL in a style attribute"));
            }
        }
    }
    None
}

/// CSS as a lenient browser reads it: comments out, escapes decoded, no spaces or controls,
/// lowercase ASCII.
fn normalize_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for d in chars.by_ref() {
                    if star && d == '/' {
                        break;
                    }
                    star = d == '*';
                }
            }
            '\\' => {
                let mut code = 0u32;
                let mut digits = 0;
                while digits < 6 {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            code = code * 16 + d;
                            digits += 1;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if digits > 0 {
                    if chars.peek().is_some_and(|d| d.is_ascii_whitespace()) {
                        chars.next();
                    }
                    out.push(char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{FFFD}'));
                } else if let Some(d) = chars.next() {
                    if d != '\n' {
                        out.push(d);
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.chars()
        .map(fullwidth_to_ascii)
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `ｊ` (U+FF4A) is `j`: Internet Explorer read fullwidth forms as ASCII in CSS (`ｅｘｐｒｅｓｓｉｏｎ(`).
fn fullwidth_to_ascii(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// "a <div>", "an <iframe>".
fn with_article(word: &str) -> String {
    let first = word.trim_start_matches('<').chars().next().unwrap_or('x');
    let article = if "aeioAEIO".contains(first) { "an" } else { "a" };
    format!("{article} {word}")
}

/// A name cut to a length that fits a message: attribute names can be any length.
fn shorten(name: &str) -> &str {
    match name.char_indices().nth(24) {
        Some((i, _)) => &name[..i],
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown;

    include!("../tests/fixtures/xss/corpus.rs");

    fn corpus() -> Vec<Form> {
        parse_corpus(include_str!("../tests/fixtures/xss/corpus.txt"))
    }

    fn line_col(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        (line, col)
    }

    #[test]
    fn every_form_of_the_corpus_is_refused_where_it_is() {
        let forms = corpus();
        assert!(forms.len() >= 80, "{} forms", forms.len());
        let mut failures = Vec::new();
        for form in &forms {
            let found = markdown::render(&form.text, "/").unsafe_html;
            match found.first() {
                None => failures.push(format!("{}: not refused\n{}", form.trick, form.text)),
                Some((range, what)) => {
                    let at = line_col(&form.text, range.start);
                    if !what.contains(&form.says) || at != form.at {
                        failures.push(format!(
                            "{}: refused as {what:?} at {at:?}, expected {:?} at {:?}\n{}",
                            form.trick, form.says, form.at, form.text
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{} of {} forms:\n\n{}", failures.len(), forms.len(), failures.join("\n"));
    }

    /// Markup that briefings use, pasted from word processors or written by hand.
    const SAFE: &[&str] = &[
        "<abbr title=\"Association of Southeast Asian Nations\">ASEAN</abbr>",
        "<abbr title=\"Data: figures for 2024\">D24</abbr>",
        "<abbr title=\"javascript: a language\">JS</abbr>",
        "<sup>1</sup> and <sub>2</sub>",
        "<br>",
        "<br/>",
        "<div class=\"notes\">",
        "<div class=notes id=n1>",
        "<span lang=\"vi\">Việt Nam</span>",
        "<details><summary>More</summary>Text</details>",
        "<details open>",
        "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
        "<mark>new</mark>",
        "<table><thead><tr><th scope=\"col\">A</th></tr></thead><tbody><tr><td colspan=\"2\">1</td></tr></tbody></table>",
        "<img src=\"/x.png\" alt=\"A map\">",
        "<img src=\"/x.png\" alt=\"A map\" srcset=\"/x.png 1x, /x@2x.png 2x\" width=\"400\">",
        "<img src=\"https://cdn.example.org/x.png\" alt=\"x\">",
        "<a href=\"https://example.org/\">VNA</a>",
        "<a href=\"/speakers/su-bo/\">Su Bo</a>",
        "<a href=\"../topics/\">topics</a>",
        "<a href=\"#key-areas\">Key areas</a>",
        "<a href=\"?page=2\">next</a>",
        "<a href=\"//example.org/\">protocol-relative</a>",
        "<a href=\"mailto:press@example.org\">mail</a>",
        "<a href=\"tel:+84-24-1234\">call</a>",
        "<a href=\"./data:2024/\">a folder named data:2024</a>",
        "<a href=\"https://example.org/?q=javascript:alert(1)\">a search</a>",
        "<a href=\"https://example.org/&#106;\">reference in a path</a>",
        "<a href=\"java%0ascript:alert(1)\">percent escapes are not decoded in a scheme</a>",
        "<a href=\"javascript%3Aalert(1)\">nor in the colon</a>",
        "<p>on= top, onclick without a tag</p>",
        "<p>javascript:alert(1) as text</p>",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<!-- a note for editors -->",
        "<!-- TODO -- check the figure -->",
        "<!-- <script>alert(1)</script> is a comment, but -->",
        "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->",
        "<figure><img src=\"/a.png\" alt=\"a\"><figcaption>A</figcaption></figure>",
        "<blockquote cite=\"https://example.org/\">Quote</blockquote>",
        "<time datetime=\"2030-05-14\">14 May</time>",
        "<p style=\"text-align: center; color: #336\">centred</p>",
        "<span style=\"background: url(/dots.png)\">dots</span>",
        "<ruby>苏<rt>sū</rt></ruby>",
        "<svg width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"#369\"/></svg>",
        "<svg><a href=\"/speakers/\"><text>x</text></a></svg>",
        "<svg><animate attributeName=\"opacity\" values=\"0;1\" dur=\"1s\"/></svg>",
        "<math><mi>x</mi><mo>=</mo><mn>2</mn></math>",
        "<video src=\"/clip.mp4\" poster=\"/clip.png\" controls></video>",
        "<textarea>copy this</textarea>",
        "<IMG SRC= onmouseover=\"alert('xxs')\">",
        "<a href=\"x\" title=\"one\"title=\"two\">x</a>",
    ];

    #[test]
    fn markup_is_accepted() {
        for html in SAFE {
            assert_eq!(check_html(html), None, "{html}");
            assert_eq!(check_parsed(html, 0), None, "{html}");
            let md = markdown::render(&format!("Text {html} more.\n\n{html}\n"), "/");
            assert_eq!(md.unsafe_html, [], "{html}");
        }
    }

    #[test]
    fn urls_are_read_as_a_browser_reads_them_only_more_strictly() {
        for url in [
            "javascript:alert(1)",
            " \u{1}JaVaScRiPt:alert(1)",
            "java\tscr\nipt:x",
            "java\u{0}script:x",
            "java\u{FFFD}script:x",
            "`javascript:x`",
            "ｊａｖａｓｃｒｉｐｔ:x",
        ] {
            assert_eq!(refused_scheme(url), Some("javascript"), "{url:?}");
        }
        assert_eq!(refused_scheme("VBScript:x"), Some("vbscript"));
        assert_eq!(refused_scheme("data:text/html,x"), Some("data"));
        // A browser does not decode percent escapes before it reads the scheme: `java%0ascript:`
        // has `%` in its scheme, so it is not a scheme at all and the URL is a relative path.
        // Markdown would write a tab in a destination as `%09` too, so this is what readers get.
        for url in [
            "java%0ascript:alert(1)",
            "javascript%3Aalert(1)",
            "/javascript:alert(1)",
            "./data:x",
            "?javascript:x",
            "#javascript:x",
            "https://example.org/javascript:x",
            "mailto:a@example.org",
            "tel:+1",
            "",
            "javascriptx:alert(1)",
            "xjavascript:alert(1)",
        ] {
            assert_eq!(refused_scheme(url), None, "{url:?}");
        }
    }

    #[test]
    fn plain_markup_is_recognised_without_a_parser_and_judged_the_same() {
        for html in [
            "<sup>1</sup>",
            "<br>",
            "<abbr title=\"x\">x</abbr>",
            "<abbr title=\"R&amp;D &#x26; more\">x</abbr>",
            "<!-- note -->",
            "<div class=\"a\">\n",
            "<a href=\"https://example.org/?a=1&amp;b=2\">x</a>",
            "<th style=\"text-align: left\">",
        ] {
            assert!(is_plain(html), "{html}");
        }
        for html in [
            "<script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"&#106;avascript:x\">",
            "<a href=\"javascript:x\">",
            "<div title='x'title='y'>",
            "<!--[if IE]><script>x</script><![endif]-->",
            "<!-- x --!> <img src=x onerror=alert(1)> -->",
            "<textarea>",
            "<svg>",
            "a < b",
            "<div data-href=\"javascript:x\">",
            "<a href=\"https://example.org/?a=1&amp;b=2&lt;\">x</a>",
            "<img src=\"/x.png\" style=\"x:expr\u{0}ession(1)\">",
        ] {
            assert!(!is_plain(html), "{html}");
        }
        // Random strings made of pieces of tags: whatever the scan accepts, the parser accepts.
        #[rustfmt::skip]
        let pieces = [
            "<", ">", "/", "</", "=", "\"", "'", " ", "\n", "div", "sup", "img", "a", "svg", "textarea", "src", "href",
            "title", "style", "on", "onerror", "data-x", "javascript:", "data:", "&#106;", "&", "<!--", "-->", "--",
            "expression(", "x", "[if", "]>", "\u{0}", "\t", "\\", "&amp;", "&a", "java&amp;script:",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut plain = 0;
        for _ in 0..20_000 {
            let mut html = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 16) {
                html.push_str(pieces[((seed >> (k * 4)) as usize ^ (k as usize * 7)) % pieces.len()]);
            }
            if is_plain(&html) {
                plain += 1;
                assert_eq!(check_parsed(&html, 0), None, "{html:?}");
            }
        }
        assert!(plain > 100, "only {plain} plain strings");
    }

    #[test]
    fn deep_nesting_is_refused_before_it_is_parsed() {
        let deep = "<div id=x>y".repeat(MAX_NESTING + 1);
        assert!(check_html(&deep).is_some_and(|what| what.contains("nested")));
        assert!(check_body(&deep).is_some_and(|what| what.contains("nested")));
        // Elements that are closed, or close themselves, do not add up.
        for wide in ["<div id=x>y</div>", "<p id=x>y", "<li id=x>y", "<br id=x>", "<path d=x/>", "<td id=x>"] {
            assert_eq!(too_deep(&wide.repeat(2 * MAX_NESTING)), None, "{wide}");
        }
    }

    #[test]
    fn no_input_makes_it_panic() {
        let mut seed: u64 = 42;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..64 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let c = match (seed >> 20) % 8 {
                    0 => '<',
                    1 => ['é', 'ｊ', '\u{FFFD}', '苏', '\u{200B}', ':', '\\', '"'][(seed >> 40) as usize % 8],
                    _ => char::from_u32((seed >> 33) as u32 % 0x80).unwrap_or('x'),
                };
                text.push(c);
            }
            check_html(&text);
            check_body(&text);
            check_style(&text);
            markdown::render(&text, "/");
        }
        for text in [
            "<!--[if",
            "<!--[if]>",
            "<a href=\"",
            "\\",
            "<div style=\"\\",
            "<div style='/*",
            "&#",
            "<!--",
            "<",
            "</",
            "é:x",
            "苏data:x",
        ] {
            check_html(text);
            check_body(text);
            check_style(text);
            too_deep(text);
        }
    }
}
