//! The links written in a Tera template, with where each is written in the template's source.
//!
//! The link check finds every link of every rendered page with [`crate::html_scan`]; for a link
//! that a template wrote, it points at the template line with what this module finds there. It
//! also flags what must not be in a template at all: a root-relative URL written by hand
//! (`href="/logo.svg"`, which breaks when the site is published under a subpath) where
//! `url(path=...)` or `asset(path=...)` belongs.
//!
//! Tera 2 keeps its parser private, so the source is read here, in two passes. First an exact
//! lexer of Tera's delimiters, strings included, as Tera's own lexer reads them (so that a `}}`
//! inside a string does not end an expression): it records where every expression, tag and
//! comment is, and the `url(path="...")` and `asset(path="...")` calls with a literal path. Then
//! every expression, tag and comment is blanked out (same byte length, newlines kept, so that
//! offsets stay those of the source) and the result is read with the same HTML tokenizer as
//! rendered pages; an attribute value no Tera code touches is written literally. Both passes are
//! tokenizers, not string searches, because quotes, comments and `{% raw %}` change what a `"` or
//! an `href=` means.

use std::ops::Range;

use crate::html_scan::{scan_places, HtmlLink, Place};

/// A link written in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateLink {
    /// Bytes of the template source: the literal URL text, or the text of the `path` string
    /// between its quotes. `&source[span]` is the URL when the literal has no escapes or
    /// character references.
    pub span: Range<usize>,
    pub kind: LinkKind,
}

/// How a template writes a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// A URL written in an attribute as literal text (`href="/press-kit/"`), no Tera expression in
    /// it; `url` is decoded as a browser reads it, one URL (one `srcset` candidate, one `url()`).
    /// Where an expression follows literal text starting with `/` (`href="/speakers/{{ s.slug }}/"`),
    /// `url` is that prefix as written (`/speakers/`): a root-relative URL written by hand. Any
    /// other value an expression writes part of is not reported. The attribute names are those of
    /// [`crate::html_scan::HtmlLink::attr`].
    Literal { attr: &'static str, url: String },
    /// `url(path="/x/")` or `asset(path="style.css")` with a string literal as its `path`,
    /// anywhere in an expression or tag, with the literal's value (escapes resolved).
    Call { function: &'static str, path: String },
}

/// Every link of a template, in the order of the source.
pub fn scan_template(source: &str) -> Vec<TemplateLink> {
    let Lexed { code, mut links } = lex(source);
    let blanked = blank(source, &code);
    for (link, place) in scan_places(&blanked) {
        if let Some(link) = literal(source, &code, link, place) {
            if links.last() != Some(&link) {
                links.push(link);
            }
        }
    }
    links.sort_by_key(|l| l.span.start);
    links
}

struct Lexed {
    /// Every expression, tag and comment, with its delimiters, in order.
    code: Vec<Range<usize>>,
    /// The `url()`/`asset()` calls.
    links: Vec<TemplateLink>,
}

/// Tera's lexer (tera 2.4, `parsing/lexer.rs`), reduced to where code is and what tokens it has.
/// Where Tera would stop with a syntax error (an unclosed string, comment or raw block), the rest
/// of the source counts as that string, comment or raw text.
fn lex(src: &str) -> Lexed {
    let b = src.as_bytes();
    let n = b.len();
    let mut code = Vec::new();
    let mut links = Vec::new();
    let mut i = 0;
    while let Some(start) = find_start(b, i) {
        // `{{-`, `{%-`, `{#-` trim whitespace; the `-` belongs to the delimiter.
        let body = if b.get(start + 2) == Some(&b'-') { start + 3 } else { start + 2 };
        let end = match b[start + 1] {
            b'{' => lex_code(src, body, b'}', &mut links),
            b'%' => match skip_tag(b, body, b"raw") {
                Some(after) => {
                    code.push(start..after);
                    // Everything up to `{% endraw %}` is text, `{{` and `{%` included.
                    let mut from = after;
                    let mut end = n;
                    while let Some(open) = find(b, from, b"{%") {
                        if let Some(close) = skip_tag(b, open + 2, b"endraw") {
                            code.push(open..close);
                            end = close;
                            break;
                        }
                        from = open + 2;
                    }
                    i = end;
                    continue;
                }
                None => lex_code(src, body, b'%', &mut links),
            },
            _ => find(b, body, b"#}").map_or(n, |at| at + 2),
        };
        code.push(start..end);
        i = end;
    }
    Lexed { code, links }
}

/// The next `{{`, `{%` or `{#` from `from`.
fn find_start(b: &[u8], mut from: usize) -> Option<usize> {
    while let Some(at) = b.get(from..)?.iter().position(|&c| c == b'{') {
        let at = from + at;
        if matches!(b.get(at + 1), Some(b'{' | b'%' | b'#')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|at| from + at)
}

/// After `{%` at `from`: `-? name -?%}` (whitespace around the name), Tera's test for
/// `{% raw %}` and `{% endraw %}`; the end of the tag if it is one.
fn skip_tag(b: &[u8], mut from: usize, name: &[u8]) -> Option<usize> {
    if b.get(from) == Some(&b'-') {
        from += 1;
    }
    while b.get(from).is_some_and(u8::is_ascii_whitespace) {
        from += 1;
    }
    if !b.get(from..)?.starts_with(name) {
        return None;
    }
    from += name.len();
    while b.get(from).is_some_and(u8::is_ascii_whitespace) {
        from += 1;
    }
    if b.get(from) == Some(&b'-') {
        from += 1;
    }
    b.get(from..)?.starts_with(b"%}").then_some(from + 2)
}

#[derive(Debug)]
enum Tok {
    Ident(Range<usize>),
    /// A string literal: the text between its quotes, and its value.
    Str(Range<usize>, String),
    LeftParen,
    RightParen,
    /// `[` or `{`.
    Open,
    /// `]` or `}`.
    Close,
    Assign,
    Comma,
    /// `.`, `?.` or `|`: what comes next is an attribute or a filter, not a function.
    Accessor,
    Other,
}

/// The tokens of an expression (`end` = `}`) or tag (`end` = `%`) from `from` to its closing
/// delimiter, checked for calls; returns where the closing delimiter ends.
fn lex_code(src: &str, from: usize, end: u8, links: &mut Vec<TemplateLink>) -> usize {
    let b = src.as_bytes();
    let n = b.len();
    let mut toks = Vec::new();
    let mut i = from;
    let close = loop {
        while i < n && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            break n;
        }
        if b[i] == b'-' && b.get(i + 1) == Some(&end) && b.get(i + 2) == Some(&b'}') {
            break i + 3;
        }
        if b[i] == end && b.get(i + 1) == Some(&b'}') {
            break i + 2;
        }
        let c = b[i];
        let (tok, len) = match c {
            b'"' | b'\'' | b'`' => match lex_string(b, i) {
                Some((tok, len)) => (tok, len),
                None => break n,
            },
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let len = 1 + b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
                (Tok::Ident(i..i + len), len)
            }
            c if c.is_ascii_digit() => {
                let mut dot = false;
                let len = b[i..]
                    .iter()
                    .take_while(|&&c| {
                        let first_dot = c == b'.' && !dot;
                        dot |= first_dot;
                        first_dot || c.is_ascii_digit()
                    })
                    .count();
                (Tok::Other, len)
            }
            _ if b[i..].starts_with(b"...") => (Tok::Other, 3),
            _ if b[i..].starts_with(b"?.") => (Tok::Accessor, 2),
            _ if [b"//", b"**", b"==", b"!=", b">=", b"<=", b"</", b"?["].iter().any(|op| b[i..].starts_with(*op)) => {
                (Tok::Other, 2)
            }
            b'(' => (Tok::LeftParen, 1),
            b')' => (Tok::RightParen, 1),
            b'[' | b'{' => (Tok::Open, 1),
            b']' | b'}' => (Tok::Close, 1),
            b'=' => (Tok::Assign, 1),
            b',' => (Tok::Comma, 1),
            b'.' | b'|' => (Tok::Accessor, 1),
            // Tera rejects any other character; step over it whole.
            _ => (Tok::Other, src[i..].chars().next().map_or(1, char::len_utf8)),
        };
        toks.push(tok);
        i += len;
    };
    find_calls(src, &toks, links);
    close
}

/// A string literal at `at`: its token and length with the quotes. Tera's escapes are `\"`, `\'`,
/// `\/`, `\\`, `\n`, `\t` and `\r`; it rejects the others, which are kept as written here.
fn lex_string(b: &[u8], at: usize) -> Option<(Tok, usize)> {
    let quote = b[at];
    let mut i = at + 1;
    let mut escaped = false;
    while i < b.len() {
        match b[i] {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            c if c == quote => break,
            _ => {}
        }
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    let text = String::from_utf8_lossy(&b[at + 1..i]);
    let value = if text.contains('\\') {
        let mut value = String::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => value.push('\n'),
                Some('t') => value.push('\t'),
                Some('r') => value.push('\r'),
                Some(c @ ('"' | '\'' | '/' | '\\')) => value.push(c),
                Some(c) => {
                    value.push('\\');
                    value.push(c);
                }
                None => value.push('\\'),
            }
        }
        value
    } else {
        text.into_owned()
    };
    Some((Tok::Str(at + 1..i, value), i + 1 - at))
}

/// `url(... path="..." ...)` and `asset(...)` among the tokens of one expression or tag.
fn find_calls(src: &str, toks: &[Tok], links: &mut Vec<TemplateLink>) {
    for (at, tok) in toks.iter().enumerate() {
        let Tok::Ident(name) = tok else { continue };
        let function = match &src[name.clone()] {
            "url" => "url",
            "asset" => "asset",
            _ => continue,
        };
        if at > 0 && matches!(toks[at - 1], Tok::Accessor) {
            continue;
        }
        if !matches!(toks.get(at + 1), Some(Tok::LeftParen)) {
            continue;
        }
        let mut depth = 0usize;
        for (j, tok) in toks.iter().enumerate().skip(at + 1) {
            match tok {
                Tok::LeftParen | Tok::Open => depth += 1,
                Tok::RightParen | Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Tok::Ident(arg) if depth == 1 && &src[arg.clone()] == "path" => {
                    // `path=` must be a whole argument: after `(` or `,`, a lone literal before `,` or `)`.
                    let starts = matches!(toks[j - 1], Tok::LeftParen | Tok::Comma);
                    if let (true, Some(Tok::Assign), Some(Tok::Str(span, path)), Some(Tok::Comma | Tok::RightParen)) =
                        (starts, toks.get(j + 1), toks.get(j + 2), toks.get(j + 3))
                    {
                        links.push(TemplateLink {
                            span: span.clone(),
                            kind: LinkKind::Call { function, path: path.clone() },
                        });
                    }
                }
                _ => {}
            }
        }
    }
}

/// The source with every expression, tag and comment replaced by spaces, newlines kept. Code right
/// after `<` or `</` is a tag name (`<{{ heading }} class="x">`): it becomes `x`s instead, so
/// that the tag is still read as one.
fn blank(src: &str, code: &[Range<usize>]) -> String {
    let mut out = src.as_bytes().to_vec();
    for span in code {
        let before = &out[..span.start];
        let fill = if before.ends_with(b"<") || before.ends_with(b"</") { b'x' } else { b' ' };
        for byte in &mut out[span.clone()] {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = fill;
            }
        }
    }
    // Each span starts at `{` and ends after `}` or at the end, so only whole characters went.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether a URL the HTML tokenizer found in the blanked source was written literally.
fn literal(src: &str, code: &[Range<usize>], link: HtmlLink, place: Place) -> Option<TemplateLink> {
    let b = src.as_bytes();
    let within = |at: usize| code.iter().any(|c| c.start <= at && at < c.end);
    if let Some(mut at) = place.name_end {
        // `href={{ x }}`: blanked, the value would be whatever follows the expression.
        while b.get(at).is_some_and(|c| c.is_ascii_whitespace()) {
            at += 1;
        }
        if within(at) {
            return None;
        }
        if b.get(at) == Some(&b'=') {
            at += 1;
            while b.get(at).is_some_and(|c| c.is_ascii_whitespace()) {
                at += 1;
            }
            if within(at) {
                return None;
            }
        }
    }
    let span = link.span;
    // The first piece of code that overlaps or touches the URL.
    let first = code.partition_point(|c| c.end < span.start);
    let touching = code.get(first).filter(|c| c.start <= span.end);
    match touching {
        None => {
            // In a value Tera writes part of, a piece that is not a root-relative URL may not be
            // a URL at all (`srcset="{{ a }} 1x"` leaves `1x`).
            let in_mixed_attribute = place.name_end.is_some()
                && !place.whole
                && code
                    .get(code.partition_point(|c| c.end <= place.value.start))
                    .is_some_and(|c| c.start < place.value.end);
            if in_mixed_attribute && !link.url.trim_start().starts_with('/') {
                return None;
            }
            Some(TemplateLink { span, kind: LinkKind::Literal { attr: link.attr, url: link.url.into_owned() } })
        }
        Some(c) if c.start <= span.start => None,
        Some(c) => {
            let prefix = src.get(span.start..c.start)?;
            prefix.trim_start_matches(|c: char| c.is_ascii_whitespace()).starts_with('/').then(|| TemplateLink {
                span: span.start..c.start,
                kind: LinkKind::Literal { attr: link.attr, url: prefix.to_string() },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each link as `(kind, attr or function, url or path, the source text of its span)`.
    fn links(src: &str) -> Vec<(&'static str, &'static str, String, &str)> {
        scan_template(src)
            .into_iter()
            .map(|l| {
                let text = &src[l.span.clone()];
                match l.kind {
                    LinkKind::Literal { attr, url } => ("literal", attr, url, text),
                    LinkKind::Call { function, path } => ("call", function, path, text),
                }
            })
            .collect()
    }

    fn lit(attr: &'static str, url: &'static str) -> (&'static str, &'static str, String, &'static str) {
        ("literal", attr, url.to_string(), url)
    }

    fn call(function: &'static str, path: &'static str) -> (&'static str, &'static str, String, &'static str) {
        ("call", function, path.to_string(), path)
    }

    #[test]
    fn literal_urls_in_attributes() {
        let src = r##"<link rel="icon" href="/logo.svg"><img src='/x.png' alt=""><a href=/a/>a</a>
<a href="https://example.org/">ext</a> <a href="mailto:press@example.org">mail</a> <a href="#main">skip</a>"##;
        assert_eq!(
            links(src),
            [
                lit("href", "/logo.svg"),
                lit("src", "/x.png"),
                lit("href", "/a/"),
                lit("href", "https://example.org/"),
                lit("href", "mailto:press@example.org"),
                lit("href", "#main"),
            ]
        );
    }

    #[test]
    fn url_and_asset_calls() {
        let src = r##"<a href="{{ url(path="/press-kit/") }}">x</a>
<a href="{{ url(path = '/a/#b') }}">y</a>
{% set u = url(path="/x/") %}
<link rel="stylesheet" href="{{ asset(path=`style.css`) }}">
{{ url(absolute=true, path="/abs/") }} {{- url(path="/trim/") -}}
{% if current_path == url(path="/") -%} home {%- endif %}
<p>{{ url(path="/in-text/") }}</p>"##;
        assert_eq!(
            links(src),
            [
                call("url", "/press-kit/"),
                call("url", "/a/#b"),
                call("url", "/x/"),
                call("asset", "style.css"),
                call("url", "/abs/"),
                call("url", "/trim/"),
                call("url", "/"),
                call("url", "/in-text/"),
            ]
        );
    }

    #[test]
    fn calls_without_a_literal_path_are_not_reported() {
        let src = r##"{{ url(path=p) }} {{ url(path="/a/" ~ slug) }} {{ s.url(path="/m/") }} {{ x | url(path="/f/") }}
{{ link(path="/other/") }} {{ url(path) }} {{ urls(path="/no/") }}"##;
        assert_eq!(links(src), []);
    }

    #[test]
    fn escapes_in_path_literals() {
        let src = r##"{{ url(path="/a\"b/") }}"##;
        let found = scan_template(src);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, LinkKind::Call { function: "url", path: "/a\"b/".into() });
        assert_eq!(&src[found[0].span.clone()], r##"/a\"b/"##);
    }

    #[test]
    fn closing_delimiters_inside_strings_do_not_end_code() {
        let src = r##"{{ "}}" ~ url(path="/after/") }}<a href="/lit/">{% set x = '%}' ~ url(path="/tag/") %}{{ '\'}}' }}<b href="/not-a-link-element/"></b>"##;
        assert_eq!(links(src), [call("url", "/after/"), lit("href", "/lit/"), call("url", "/tag/")]);
    }

    #[test]
    fn comments_are_ignored_and_raw_blocks_are_text() {
        let src = r##"{# <a href="/commented/"> {{ url(path="/commented-call/") }} #}
{% raw %}<a href="/raw/">{{ url(path="/not-a-call/") }}{% endraw %}
{%- raw -%}<img src="/raw2.png">{%- endraw -%}
<a href="/after/">"##;
        assert_eq!(links(src), [lit("href", "/raw/"), lit("src", "/raw2.png"), lit("href", "/after/")]);
    }

    #[test]
    fn code_between_attributes() {
        let src = r##"<a {% if x %}class="y"{% endif %} href="/z/">z</a><a href="{{ a.url }}"{% if cur %} aria-current="page"{% endif %}>b</a>"##;
        assert_eq!(links(src), [lit("href", "/z/")]);
    }

    #[test]
    fn values_that_mix_text_and_code() {
        let src = r##"<a href="/speakers/{{ s.slug }}/">s</a><a href="#year-{{ y.year }}">y</a>
<a href="{{ base }}/x/">b</a><a href={{ x }} class=y>u</a><a href = {{ x }}>v</a><a href="https://example.org/{{ p }}">e</a>
<img srcset="{{ a }} 1x, /b.png 2x, {{ c }}/d.png 3x, /e/{{ f }}.png 4x">
<div style="background: url({{ u }}); mask: url(/m.svg)"></div>"##;
        assert_eq!(
            links(src),
            [lit("href", "/speakers/"), lit("srcset", "/b.png"), lit("srcset", "/e/"), lit("style", "/m.svg")]
        );
    }

    #[test]
    fn code_as_a_tag_name() {
        let src = r##"<{{ heading }} class="card-title"><a href="/x/">t</a></{{ heading }}><{% if a %}b{% else %}i{% endif %} cite="/q/">"##;
        assert_eq!(links(src), [lit("href", "/x/")]);
    }

    #[test]
    fn spans_are_byte_offsets_after_multibyte_text() {
        let src = "<p>Zürich — 苏波 {{ \"é\" }}</p>\n<a href=\"/ü/\">x</a>{{ url(path=\"/é/\") }}";
        let found = scan_template(src);
        assert_eq!(found.len(), 2);
        assert_eq!(&src[found[0].span.clone()], "/ü/");
        assert_eq!(&src[found[1].span.clone()], "/é/");
        assert_eq!(crate::diagnostic::line_col(src, found[0].span.start), (2, 10));
    }

    #[test]
    fn style_elements_and_entities() {
        let src = r##"<style>{% if dark %}body { color: #fff }{% endif %} .hero { background: url("/hero.jpg") }</style>
<a href="/a/?x=1&amp;y=2">q</a>"##;
        let found = links(src);
        assert_eq!(found[0], lit("style", "/hero.jpg"));
        assert_eq!(found[1], ("literal", "href", "/a/?x=1&y=2".to_string(), "/a/?x=1&amp;y=2"));
    }

    #[test]
    fn unclosed_code_runs_to_the_end() {
        assert_eq!(links(r##"<a href="/a/">{{ url(path="/b/") "##), [lit("href", "/a/"), call("url", "/b/")]);
        assert_eq!(links(r##"{{ "unclosed <a href="/no/">"##), []);
        assert_eq!(links(r##"{# unclosed <a href="/no/">"##), []);
        assert_eq!(links(r##"{% raw %}<a href="/raw/">"##), [lit("href", "/raw/")]);
    }

    /// The project's templates (which `brief new` ships as the starter's) write every site URL
    /// through `url()` or `asset()`: the only literal is the skip link's `#main`.
    #[test]
    fn the_shipped_templates() {
        let mut calls = 0;
        let mut assets = Vec::new();
        let mut literals = Vec::new();
        for (path, source) in crate::starter::FILES.iter().filter(|(p, _)| p.starts_with("templates/")) {
            let expected_calls = source.matches("url(path=").count() + source.matches("asset(path=").count();
            let found = scan_template(source);
            let mut here = 0;
            for link in found {
                match link.kind {
                    LinkKind::Call { function, path: url } => {
                        assert_eq!(&source[link.span.clone()], url, "{path}");
                        if function == "asset" {
                            assets.push(url);
                        }
                        here += 1;
                    }
                    LinkKind::Literal { attr, url } => literals.push((*path, attr, url)),
                }
            }
            assert_eq!(here, expected_calls, "{path}");
            calls += here;
        }
        assert!(calls > assets.len(), "{calls}");
        assets.sort();
        assert_eq!(assets, ["favicon.svg", "search.js", "style.css"]);
        assert_eq!(literals, [("templates/base.html", "href", "#main".to_string())]);
    }

    #[test]
    fn never_panics() {
        let pieces: &[&str] = &[
            "{{",
            "}}",
            "{%",
            "%}",
            "{#",
            "#}",
            "-",
            "raw",
            "endraw",
            " ",
            "\"",
            "'",
            "`",
            "\\",
            "url",
            "asset",
            "(",
            ")",
            "path",
            "=",
            ",",
            "<a href=",
            "<img srcset=\"",
            "/x/",
            "<",
            ">",
            "é",
            "苏",
            "\n",
            "\r",
            "{",
            "}",
            "<style>",
            "url(",
            ".",
            "|",
            "[",
            "]",
            "&amp;",
        ];
        let mut state = 7u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..4000 {
            let src: String = if i % 4 == 0 {
                let bytes: Vec<u8> = (0..next() % 200).map(|_| next() as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                (0..next() % 60).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect()
            };
            for link in scan_template(&src) {
                assert!(src.get(link.span.clone()).is_some(), "{src:?}: {link:?}");
            }
        }
    }
}
