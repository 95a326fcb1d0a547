//! The links and `id`s of a rendered HTML page, with the byte range each link was written at.
//!
//! The link check runs this on every page a build renders, whatever wrote the HTML (Markdown, a
//! template, a chart), so that a dead or base-path-breaking link is found wherever it comes from.
//! It reads the page with html5gum, a WHATWG-conformant HTML tokenizer, because a page is not a
//! list of `href="..."` strings: attribute values may be unquoted or carry character references,
//! `<script>`, `<style>`, `<textarea>` and comments hold text that only looks like markup, and
//! SVG has its own rules. A string search gets each of those wrong somewhere; the tokenizer reads
//! the page as a browser does. CSS (`style` attributes, `<style>` elements) is read with
//! cssparser, the CSS Syntax tokenizer lightningcss is built on, for the same reason.
//!
//! What counts as a link (each reported with the attribute it came from in [`HtmlLink::attr`]):
//!
//! - `href` of `a`, `area`, `link` and `base` (a `<base href>` changes how every relative URL of
//!   the page resolves; [`resolve`] does not know about it, the caller has to);
//! - `src` of `img`, `script`, `iframe`, `frame`, `source`, `audio`, `video`, `track`, `embed`,
//!   `input`; each candidate URL of `srcset` (`img`, `source`) and `imagesrcset` (`link`);
//!   `poster` (`video`), `action` (`form`), `formaction` (`button`, `input`), `data` (`object`),
//!   `cite` (`blockquote`, `q`, `del`, `ins`), each URL of `ping` (`a`, `area`), `background`
//!   (`body`, `table`, `td`, `th`);
//! - `content` of `<meta http-equiv="refresh">` (its `url=` part) and of the `<meta>` whose
//!   `property` or `name` is `og:image`, `og:image:url`, `og:image:secure_url`, `og:url`,
//!   `og:video`, `og:audio` or `twitter:image` (those are absolute URLs by definition);
//! - in SVG and MathML, `href` and `xlink:href` of any element, and `url()` in the SVG
//!   presentation attributes `fill`, `stroke`, `clip-path`, `mask`, `filter`, `marker-start`,
//!   `marker-mid`, `marker-end` (these point at ids of the same page: `url(#gradient)`);
//! - `url()` and `image-set("...")` in `style` attributes, and those plus `@import "..."` in
//!   `<style>` elements (`attr` is `"style"` and `element` is `"style"` for the element's text).
//!
//! Not covered: the HTML inside `<iframe srcdoc>`, URLs inside `<script>`, and `@namespace` URLs
//! (which name a namespace and are never fetched). `<noscript>` is read as markup, as a browser
//! with scripting off reads it, so its links are checked.

mod fast;

use std::borrow::Cow;
use std::convert::Infallible;
use std::ops::Range;

use cssparser::{ParseError, Parser, ParserInput, Token};
use html5gum::{Emitter, Error, State, Tokenizer};

/// Everything the link check needs from one page.
/// Values are borrowed from the page where the page has them as they are (no character reference
/// in them), which is nearly always: a page's links and ids are read without a copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan<'a> {
    /// Every link, in the order of the page.
    pub links: Vec<HtmlLink<'a>>,
    /// Every fragment target: non-empty `id`s of any element and `name`s of `<a>`, in the order of
    /// the page, duplicates kept (so that the caller can report them).
    pub ids: Vec<Cow<'a, str>>,
}

/// One URL written in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlLink<'a> {
    /// The URL as the browser reads it from the attribute: character references decoded, one URL
    /// (one candidate of a `srcset`, the `url=` part of a refresh). Surrounding spaces are kept
    /// where the attribute has them; [`resolve`] and [`is_external`] ignore them, as browsers do.
    pub url: Cow<'a, str>,
    /// The attribute it is written in: `href`, `xlink:href`, `src`, `srcset`, `imagesrcset`,
    /// `poster`, `action`, `formaction`, `data`, `cite`, `ping`, `background`, `content`,
    /// `style`, or an SVG presentation attribute (`fill`, `clip-path`, ...).
    pub attr: &'static str,
    /// The element's name, lowercase (`a`, `img`, `link`, `use`, `style`, ...).
    pub element: Cow<'a, str>,
    /// The bytes of the page the URL is written at. For a URL that is part of an attribute value
    /// (`srcset`, `ping`, refresh, CSS) this is the part, unless the raw value differs from the
    /// decoded one (a character reference or a CR in it): then it is the whole value.
    pub span: Range<usize>,
    /// The `rel` attribute of the element, as written, if it has one (`a`, `area`, `link`,
    /// `form`), so that the caller can skip `preconnect`, `dns-prefetch` and the like.
    pub rel: Option<Cow<'a, str>>,
}

/// The links and ids of a page.
pub fn scan(html: &str) -> Scan<'_> {
    let mut scan = Scan::default();
    run(html, &mut scan, None);
    scan
}

/// What the template reader (`template_links`) needs to know about where a link sits.
pub(crate) struct Place {
    /// The whole attribute value (or the text of the `<style>` element) the link is part of.
    pub value: Range<usize>,
    /// Where the attribute's name ends (`None` for the text of a `<style>` element).
    pub name_end: Option<usize>,
    /// The link is the whole value, not one URL among others or inside CSS.
    pub whole: bool,
}

/// The links of a page, each with its [`Place`].
pub(crate) fn scan_places(html: &str) -> Vec<(HtmlLink<'_>, Place)> {
    let mut scan = Scan::default();
    let mut places = Vec::new();
    run(html, &mut scan, Some(&mut places));
    scan.links.into_iter().zip(places).collect()
}

/// The links and ids of a page read by html5gum alone, without the fast path of [`fast`]: what
/// that path is compared with in tests and benchmarks.
#[doc(hidden)]
pub fn scan_with_html5gum(html: &str) -> Scan<'_> {
    let mut scan = Scan::default();
    read_from(Sink::new(html, &mut scan, None), html, 0);
    scan
}

fn run<'s>(html: &'s str, scan: &mut Scan<'s>, places: Option<&mut Vec<Place>>) {
    let mut sink = Sink::new(html, scan, places);
    let from = fast::run(&mut sink, html);
    if from == html.len() {
        sink.emit_eof();
        return;
    }
    // html5gum reads the rest, from a tag in the data state.
    read_from(sink, html, from);
}

/// html5gum reads `html` from byte `from`, where the tokenizer is in its data state, into `sink`.
fn read_from(mut sink: Sink<'_, '_>, html: &str, from: usize) {
    sink.pos = from;
    // Reading a `&str` cannot fail.
    let Ok(()) = Tokenizer::new_with_emitter(&html[from..], sink).finish();
}

/// Whether a URL leaves the site: it has a scheme (`https:`, `mailto:`, `tel:`, `data:`,
/// `javascript:`) or starts with `//` (or `\\`, which browsers read the same), ignoring the
/// spaces, tabs and newlines browsers ignore.
pub fn is_external(url: &str) -> bool {
    let url = clean_url(url);
    let b = url.as_bytes();
    has_scheme(b) || (b.len() >= 2 && is_slash(b[0]) && is_slash(b[1]))
}

/// Resolves a URL written on the page at site path `page_path` (`/announcements/a/`) as a browser
/// does (WHATWG URL, for an `http:` page): the site path it names, percent-decoded, and its
/// fragment (percent-decoded; `None` when absent or empty). The query string is dropped. `None`
/// for an external URL (see [`is_external`]).
///
/// `/announcements/a/` and `../b/#x` give `/announcements/b/` and `x`; `""`, `?q` and `#x` give the
/// page itself. A `<base href>` on the page is not taken into account. The HTML spec scrolls to
/// the top for a fragment `top` when no element has that id; the caller decides about that.
pub fn resolve(page_path: &str, url: &str) -> Option<(String, Option<String>)> {
    match resolve_plain(page_path, url) {
        Some(plain) => plain,
        None => resolve_general(page_path, url),
    }
}

/// [`resolve`] for any URL, reading it as the WHATWG URL parser does.
fn resolve_general(page_path: &str, url: &str) -> Option<(String, Option<String>)> {
    let url = clean_url(url);
    let b = url.as_bytes();
    if has_scheme(b) || (b.len() >= 2 && is_slash(b[0]) && is_slash(b[1])) {
        return None;
    }
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (&*url, None),
    };
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);

    // The path as `/segment` after `/segment`, still percent-encoded (so that a `%2F` stays inside
    // its segment), decoded once at the end.
    let mut resolved = String::with_capacity(page_path.len() + path.len() + 1);
    if let Some(relative) = path.strip_prefix(['/', '\\']) {
        push_path(&mut resolved, relative);
    } else {
        // The page's own path is a site path, not a URL: its `%` are percent signs.
        if !page_path.starts_with('/') {
            resolved.push('/');
        }
        resolved.push_str(&page_path.replace('%', "%25"));
        if !path.is_empty() {
            // Relative to the page's directory: its last segment goes.
            pop_segment(&mut resolved);
            push_path(&mut resolved, path);
        }
    }
    if resolved.is_empty() {
        resolved.push('/');
    }
    let resolved = if resolved.contains('%') { percent_decode(&resolved).into_owned() } else { resolved };
    let fragment = fragment.filter(|f| !f.is_empty()).map(|f| percent_decode(f).into_owned());
    Some((resolved, fragment))
}

/// [`resolve`] for the URLs most links of a generated page are: an absolute URL, a fragment, or a
/// root-relative path, with no space, control character, `\\`, `%` or dot segment. The general
/// reading returns such a path as it is written, so this returns it without reading it segment by
/// segment. `None` when the URL needs the general reading.
fn resolve_plain(page_path: &str, url: &str) -> Option<Option<(String, Option<String>)>> {
    let b = url.as_bytes();
    // A scheme as written is a scheme once spaces and tabs are taken out too.
    if has_scheme(b) {
        return Some(None);
    }
    let root_relative = b.first() == Some(&b'/') && b.get(1) != Some(&b'/');
    if !root_relative && b.first() != Some(&b'#') {
        return None;
    }
    // One pass: where the path ends (at `?` or `#`), where the fragment starts, and whether
    // anything needs the general reading.
    let (mut path_end, mut fragment_start) = (b.len(), None);
    let mut segment_start = 1;
    for (i, &c) in b.iter().enumerate() {
        if c <= b' ' || c == b'\\' || c == b'%' {
            return None;
        }
        if i >= path_end {
            if c == b'#' && fragment_start.is_none() {
                fragment_start = Some(i + 1);
            }
            continue;
        }
        if c == b'/' || c == b'?' || c == b'#' {
            if i > 0 && matches!(&b[segment_start..i], b"." | b"..") {
                return None;
            }
            segment_start = i + 1;
            if c != b'/' {
                path_end = i;
                if c == b'#' {
                    fragment_start = Some(i + 1);
                }
            }
        }
    }
    if path_end == b.len() && matches!(&b[segment_start.min(b.len())..], b"." | b"..") {
        return None;
    }
    let fragment = fragment_start.filter(|&f| f < b.len()).map(|f| url[f..].to_string());
    if !root_relative {
        // `#id`: a link into the page itself.
        return page_path.starts_with('/').then(|| Some((page_path.to_string(), fragment)));
    }
    Some(Some((url[..path_end].to_string(), fragment)))
}

/// The path state of the WHATWG URL parser for a special scheme: `/` and `\` separate segments,
/// `.` and `..` (also written `%2e`) are removed.
fn push_path(resolved: &mut String, path: &str) {
    let mut parts = path.split(['/', '\\']).peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        if is_double_dot(part) {
            pop_segment(resolved);
            if last {
                resolved.push('/');
            }
        } else if is_single_dot(part) {
            if last {
                resolved.push('/');
            }
        } else {
            resolved.push('/');
            resolved.push_str(part);
        }
    }
}

fn pop_segment(resolved: &mut String) {
    if let Some(slash) = resolved.rfind('/') {
        resolved.truncate(slash);
    }
}

fn is_single_dot(s: &str) -> bool {
    s == "." || s.eq_ignore_ascii_case("%2e")
}

fn is_double_dot(s: &str) -> bool {
    matches!(s.len(), 2 | 4 | 6)
        && (s == ".."
            || s.eq_ignore_ascii_case(".%2e")
            || s.eq_ignore_ascii_case("%2e.")
            || s.eq_ignore_ascii_case("%2e%2e"))
}

fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

fn is_slash(b: u8) -> bool {
    b == b'/' || b == b'\\'
}

/// `scheme:` as the URL parser reads it: an ASCII letter, then letters, digits, `+`, `-`, `.`.
fn has_scheme(b: &[u8]) -> bool {
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    for &c in &b[1..] {
        match c {
            b':' => return true,
            c if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') => {}
            _ => return false,
        }
    }
    false
}

/// The URL parser first strips leading and trailing C0 controls and spaces, and removes every
/// tab and newline.
fn clean_url(url: &str) -> std::borrow::Cow<'_, str> {
    let url = url.trim_matches(|c: char| c <= ' ');
    if url.contains(['\t', '\n', '\r']) {
        url.replace(['\t', '\n', '\r'], "").into()
    } else {
        url.into()
    }
}

// --- The tokenizer's emitter ---------------------------------------------------------------

/// The attributes that carry a URL or a fragment target, or decide whether another one does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Href,
    XlinkHref,
    Src,
    Srcset,
    ImageSrcset,
    Poster,
    Action,
    FormAction,
    Data,
    Cite,
    Ping,
    Background,
    Content,
    HttpEquiv,
    Property,
    Name,
    Rel,
    Id,
    Style,
    /// An SVG presentation attribute that may hold `url(#id)`.
    Presentation(&'static str),
}

fn kind_of(name: &[u8]) -> Option<Kind> {
    // By length first: most names a page has (`class`, `aria-label`, `datetime`) are compared
    // with none or one of these. A chain of byte-string patterns compares with each in turn.
    let candidates: &[(&[u8], Kind)] = match name.len() {
        2 => &[(b"id", Kind::Id)],
        3 => &[(b"src", Kind::Src), (b"rel", Kind::Rel)],
        4 => &[
            (b"href", Kind::Href),
            (b"name", Kind::Name),
            (b"data", Kind::Data),
            (b"cite", Kind::Cite),
            (b"ping", Kind::Ping),
            (b"fill", Kind::Presentation("fill")),
            (b"mask", Kind::Presentation("mask")),
        ],
        5 => &[(b"style", Kind::Style)],
        6 => &[
            (b"srcset", Kind::Srcset),
            (b"poster", Kind::Poster),
            (b"action", Kind::Action),
            (b"stroke", Kind::Presentation("stroke")),
            (b"filter", Kind::Presentation("filter")),
        ],
        7 => &[(b"content", Kind::Content)],
        8 => &[(b"property", Kind::Property)],
        9 => &[(b"clip-path", Kind::Presentation("clip-path"))],
        10 => &[
            (b"xlink:href", Kind::XlinkHref),
            (b"formaction", Kind::FormAction),
            (b"background", Kind::Background),
            (b"http-equiv", Kind::HttpEquiv),
            (b"marker-mid", Kind::Presentation("marker-mid")),
            (b"marker-end", Kind::Presentation("marker-end")),
        ],
        11 => &[(b"imagesrcset", Kind::ImageSrcset)],
        12 => &[(b"marker-start", Kind::Presentation("marker-start"))],
        _ => return None,
    };
    candidates.iter().find(|(n, _)| n[0] == name[0] && *n == name).map(|&(_, kind)| kind)
}

/// How the URLs are written in an attribute's value.
#[derive(Clone, Copy)]
enum Form {
    /// The whole value is one URL.
    Whole,
    /// Comma-separated image candidates, each a URL and descriptors.
    Srcset,
    /// URLs separated by spaces.
    Ping,
    /// `5; url=...` of a `<meta http-equiv="refresh">`.
    Refresh,
    /// CSS with `url()`.
    Css,
}

/// Which of its attributes an element is linked by.
fn link_form(html: bool, element: &[u8], kind: Kind, meta: MetaKind) -> Option<(&'static str, Form)> {
    use Form::*;
    if !html {
        return match kind {
            Kind::Href => Some(("href", Whole)),
            Kind::XlinkHref => Some(("xlink:href", Whole)),
            Kind::Style => Some(("style", Css)),
            Kind::Presentation(name) => Some((name, Css)),
            _ => None,
        };
    }
    let (attr, form, elements): (_, _, &[&[u8]]) = match kind {
        Kind::Href => ("href", Whole, &[b"a", b"area", b"link", b"base"]),
        Kind::Src => (
            "src",
            Whole,
            &[b"img", b"script", b"iframe", b"frame", b"source", b"audio", b"video", b"track", b"embed", b"input"],
        ),
        Kind::Srcset => ("srcset", Srcset, &[b"img", b"source"]),
        Kind::ImageSrcset => ("imagesrcset", Srcset, &[b"link"]),
        Kind::Poster => ("poster", Whole, &[b"video"]),
        Kind::Action => ("action", Whole, &[b"form"]),
        Kind::FormAction => ("formaction", Whole, &[b"button", b"input"]),
        Kind::Data => ("data", Whole, &[b"object"]),
        Kind::Cite => ("cite", Whole, &[b"blockquote", b"q", b"del", b"ins"]),
        Kind::Ping => ("ping", Ping, &[b"a", b"area"]),
        Kind::Background => ("background", Whole, &[b"body", b"table", b"td", b"th"]),
        Kind::Style => return Some(("style", Css)),
        Kind::Content if element == b"meta" => {
            return match meta {
                MetaKind::Refresh => Some(("content", Refresh)),
                MetaKind::Url => Some(("content", Whole)),
                MetaKind::Other => None,
            }
        }
        _ => return None,
    };
    elements.contains(&element).then_some((attr, form))
}

/// What the `content` of a `<meta>` is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MetaKind {
    Refresh,
    Url,
    Other,
}

/// The `property`/`name` of the `<meta>` elements whose `content` is a URL.
const URL_METAS: &[&str] =
    &["og:image", "og:image:url", "og:image:secure_url", "og:url", "og:video", "og:audio", "twitter:image"];

/// An attribute of interest of the tag being read.
struct Attr {
    kind: Kind,
    /// Its decoded value, in `Sink::values`.
    value: Range<usize>,
    /// Its value in the page.
    span: Range<usize>,
    name_end: usize,
}

/// An element that changes how its content is tokenized: SVG and MathML (foreign content, where
/// `<style>` and `<title>` hold markup and CDATA sections exist), and the HTML integration points
/// inside them (`foreignObject`, SVG `desc`/`title`, MathML text elements), back to HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Foreign(&'static str),
    Html(&'static str),
}

impl Frame {
    fn name(self) -> &'static str {
        match self {
            Frame::Foreign(name) | Frame::Html(name) => name,
        }
    }
}

/// The HTML start tags that end foreign content (the tree builder's list, without the `font`
/// subtlety).
const BREAKOUT: &[&[u8]] = &[
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];

/// The emitter: html5gum calls it for each piece of markup it reads. It keeps only the tag and
/// attribute names and the values of the attributes above; text, comments and doctypes are
/// dropped as they come, which is most of what makes this fast.
///
/// html5gum is a tokenizer, not a tree builder, so the few tree-builder decisions that change how
/// the rest of a page is tokenized are made here: which elements hold raw text, and where
/// SVG/MathML content starts and ends.
struct Sink<'s, 'o> {
    src: &'s str,
    out: &'o mut Scan<'s>,
    /// Kept only for [`scan_places`]: the rendered pages do without.
    places: Option<&'o mut Vec<Place>>,
    /// Byte offset in `src` the tokenizer has read up to.
    pos: usize,
    tag: Vec<u8>,
    last_start_tag: Vec<u8>,
    is_end_tag: bool,
    self_closing: bool,
    /// Where the `<` of the latest tag is.
    tag_start: usize,
    attr_name: Vec<u8>,
    attr_name_end: usize,
    /// An attribute name has been read but not yet looked at.
    name_pending: bool,
    /// The value being read is that of the last of `attrs`.
    capturing: bool,
    attrs: Vec<Attr>,
    values: Vec<u8>,
    frames: Vec<Frame>,
    /// Where the text of an open `<style>` starts.
    style_start: Option<usize>,
}

impl<'s, 'o> Sink<'s, 'o> {
    fn new(src: &'s str, out: &'o mut Scan<'s>, places: Option<&'o mut Vec<Place>>) -> Self {
        Sink {
            src,
            out,
            places,
            pos: 0,
            tag: Vec::new(),
            last_start_tag: Vec::new(),
            is_end_tag: false,
            self_closing: false,
            tag_start: 0,
            attr_name: Vec::new(),
            attr_name_end: 0,
            name_pending: false,
            capturing: false,
            attrs: Vec::new(),
            values: Vec::new(),
            frames: Vec::new(),
            style_start: None,
        }
    }

    fn in_foreign(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Foreign(_)))
    }

    /// Looks at the attribute name just read: keeps it if it matters and is the first of its name
    /// on the tag (browsers ignore the later ones).
    fn finish_name(&mut self) {
        if !self.name_pending {
            return;
        }
        self.name_pending = false;
        self.capturing = false;
        if self.is_end_tag {
            return;
        }
        if let Some(kind) = kind_of(&self.attr_name) {
            if !self.attrs.iter().any(|a| a.kind == kind) {
                let at = self.attr_name_end;
                let v = self.values.len();
                self.attrs.push(Attr { kind, value: v..v, span: at..at, name_end: at });
                self.capturing = true;
            }
        }
    }

    fn start_tag(&mut self) -> Option<State> {
        let mut html = !self.in_foreign();
        if !html && BREAKOUT.contains(&self.tag.as_slice()) {
            while self.in_foreign() {
                self.frames.pop();
            }
            html = true;
        }
        if !self.attrs.is_empty() {
            self.links(html);
        }
        let open = !self.self_closing;
        if html {
            // `<script/>` and `<style/>` are start tags all the same: the tree builder ignores
            // the slash of an HTML element.
            match self.tag.as_slice() {
                b"svg" if open => self.frames.push(Frame::Foreign("svg")),
                b"math" if open => self.frames.push(Frame::Foreign("math")),
                b"style" => {
                    self.style_start = Some(self.pos);
                    return Some(State::RawText);
                }
                // `noscript` is not here: its content is read as markup, as a browser without
                // scripting does, so that the links in it are checked.
                b"xmp" | b"iframe" | b"noembed" | b"noframes" => return Some(State::RawText),
                b"title" | b"textarea" => return Some(State::RcData),
                b"script" => return Some(State::ScriptData),
                b"plaintext" => return Some(State::PlainText),
                _ => {}
            }
        } else if open {
            let namespace = self.frames.iter().rev().find_map(|f| match f {
                Frame::Foreign(name) => Some(*name),
                Frame::Html(_) => None,
            });
            let frame = match (namespace, self.tag.as_slice()) {
                (_, b"svg") => Some(Frame::Foreign("svg")),
                (_, b"math") => Some(Frame::Foreign("math")),
                (Some("svg"), b"foreignobject") => Some(Frame::Html("foreignobject")),
                (Some("svg"), b"desc") => Some(Frame::Html("desc")),
                (Some("svg"), b"title") => Some(Frame::Html("title")),
                (Some("math"), b"mi") => Some(Frame::Html("mi")),
                (Some("math"), b"mo") => Some(Frame::Html("mo")),
                (Some("math"), b"mn") => Some(Frame::Html("mn")),
                (Some("math"), b"ms") => Some(Frame::Html("ms")),
                (Some("math"), b"mtext") => Some(Frame::Html("mtext")),
                (_, b"style") => {
                    // SVG `<style>` holds markup, not raw text; its CSS is taken as written
                    // between the tags all the same.
                    self.style_start = Some(self.pos);
                    None
                }
                _ => None,
            };
            if let Some(frame) = frame {
                self.frames.push(frame);
            }
        }
        None
    }

    fn end_tag(&mut self) {
        if self.tag == b"style" {
            if let Some(start) = self.style_start.take() {
                self.style_text(start, self.tag_start);
            }
        }
        if let Some(i) = self.frames.iter().rposition(|f| f.name().as_bytes() == self.tag.as_slice()) {
            self.frames.truncate(i);
        }
    }

    fn style_text(&mut self, start: usize, end: usize) {
        let Some(css) = self.src.get(start..end) else { return };
        let mut urls = Vec::new();
        css_urls(css, &mut urls);
        for (url, range) in urls {
            self.out.links.push(HtmlLink {
                url: Cow::Owned(url),
                attr: "style",
                element: Cow::Borrowed("style"),
                span: start + range.start..start + range.end,
                rel: None,
            });
            if let Some(places) = &mut self.places {
                places.push(Place { value: start..end, name_end: None, whole: false });
            }
        }
    }

    /// The links and ids among the attributes of the start tag just read.
    fn links(&mut self, html: bool) {
        let Sink { src, out, places, tag, attrs, values, .. } = self;
        let src: &'s str = src;
        // The value as the page has it when decoding changed nothing (then positions inside the
        // value are positions in the page too), else the decoded value.
        let value = |a: &Attr| -> (Cow<'s, str>, bool) {
            let decoded = &values[a.value.clone()];
            match src.get(a.span.clone()) {
                Some(raw) if raw.as_bytes() == decoded => (Cow::Borrowed(raw), true),
                _ => (Cow::Owned(utf8(decoded).into_owned()), false),
            }
        };
        let element = tag.as_slice();
        let ids = &mut out.ids;
        let mut rel = None;
        let mut meta = MetaKind::Other;
        for a in attrs.iter() {
            match a.kind {
                Kind::Id => {
                    let (v, _) = value(a);
                    if !v.is_empty() {
                        ids.push(v);
                    }
                }
                Kind::Name if html && element == b"a" => {
                    let (v, _) = value(a);
                    if !v.is_empty() {
                        ids.push(v);
                    }
                }
                Kind::Rel => rel = Some(value(a).0),
                Kind::HttpEquiv if element == b"meta" && values[a.value.clone()].eq_ignore_ascii_case(b"refresh") => {
                    meta = MetaKind::Refresh
                }
                Kind::Property | Kind::Name
                    if element == b"meta"
                        && meta == MetaKind::Other
                        && URL_METAS.iter().any(|m| values[a.value.clone()].eq_ignore_ascii_case(m.as_bytes())) =>
                {
                    meta = MetaKind::Url
                }
                _ => {}
            }
        }
        let mut element_name: Option<Cow<'s, str>> = None;
        for a in attrs.iter() {
            let Some((attr, form)) = link_form(html, element, a.kind, meta) else { continue };
            let (v, verbatim) = value(a);
            let element_name = &*element_name.get_or_insert_with(|| element_cow(element));
            let mut push = |url: Cow<'s, str>, part: Option<Range<usize>>| {
                let whole = part.is_none();
                let span = match part {
                    Some(r) if verbatim => a.span.start + r.start..a.span.start + r.end,
                    _ => a.span.clone(),
                };
                out.links.push(HtmlLink { url, attr, element: element_name.clone(), span, rel: rel.clone() });
                if let Some(places) = places {
                    places.push(Place { value: a.span.clone(), name_end: Some(a.name_end), whole });
                }
            };
            match form {
                Form::Whole => push(v, None),
                Form::Srcset => {
                    for r in srcset_urls(&v) {
                        push(part(&v, r.clone()), Some(r));
                    }
                }
                Form::Ping => {
                    for r in split_ascii_whitespace(&v) {
                        push(part(&v, r.clone()), Some(r));
                    }
                }
                Form::Refresh => {
                    if let Some(r) = refresh_url(&v) {
                        push(part(&v, r.clone()), Some(r));
                    }
                }
                Form::Css => {
                    let mut urls = Vec::new();
                    css_urls(&v, &mut urls);
                    for (url, r) in urls {
                        push(Cow::Owned(url), Some(r));
                    }
                }
            }
        }
    }
}

/// The part `r` of a value, borrowed where the value is.
fn part<'s>(v: &Cow<'s, str>, r: Range<usize>) -> Cow<'s, str> {
    match v {
        Cow::Borrowed(s) => Cow::Borrowed(&s[r]),
        Cow::Owned(s) => Cow::Owned(s[r].to_string()),
    }
}

/// The name of an element that links, without a copy for the elements HTML links with.
fn element_cow(name: &[u8]) -> Cow<'static, str> {
    const KNOWN: &[&str] = &[
        "a",
        "area",
        "audio",
        "base",
        "blockquote",
        "body",
        "button",
        "del",
        "embed",
        "form",
        "frame",
        "iframe",
        "image",
        "img",
        "input",
        "ins",
        "link",
        "meta",
        "object",
        "q",
        "script",
        "source",
        "table",
        "td",
        "th",
        "track",
        "use",
        "video",
    ];
    match KNOWN.iter().find(|k| k.as_bytes() == name) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(utf8(name).into_owned()),
    }
}

impl Emitter for Sink<'_, '_> {
    type Token = Infallible;

    fn move_position(&mut self, offset: isize) {
        self.pos = self.pos.saturating_add_signed(offset);
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_error(&mut self, _: Error) {}

    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag.extend_from_slice(last_start_tag.unwrap_or_default());
    }

    fn emit_eof(&mut self) {
        if let Some(start) = self.style_start.take() {
            self.style_text(start, self.src.len());
        }
    }

    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }

    fn emit_string(&mut self, _: &[u8]) {}

    fn start_open_tag(&mut self) {
        self.tag_start = self.pos.saturating_sub(1);
    }

    fn init_start_tag(&mut self) {
        self.tag.clear();
        self.is_end_tag = false;
        self.self_closing = false;
        self.attrs.clear();
        self.values.clear();
        self.name_pending = false;
        self.capturing = false;
    }

    fn init_end_tag(&mut self) {
        self.tag.clear();
        self.is_end_tag = true;
        self.attrs.clear();
        self.values.clear();
        self.name_pending = false;
        self.capturing = false;
    }

    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag.extend_from_slice(s);
    }

    fn set_self_closing(&mut self) {
        if !self.is_end_tag {
            self.self_closing = true;
        }
    }

    fn emit_current_tag(&mut self) -> Option<State> {
        self.finish_name();
        if self.is_end_tag {
            self.end_tag();
            self.last_start_tag.clear();
            return None;
        }
        let state = self.start_tag();
        // Only the raw text, RCDATA and script states look for the end tag of the last start
        // tag, and only the start tag that switched to them can be that one.
        if state.is_some() {
            self.last_start_tag.clear();
            self.last_start_tag.extend_from_slice(&self.tag);
        }
        state
    }

    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        self.is_end_tag && !self.last_start_tag.is_empty() && self.last_start_tag == self.tag
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&mut self) -> bool {
        self.in_foreign()
    }

    fn init_attribute(&mut self) {
        self.finish_name();
        self.attr_name.clear();
        self.name_pending = true;
        self.attr_name_end = self.pos;
    }

    fn push_attribute_name(&mut self, s: &[u8]) {
        self.attr_name.extend_from_slice(s);
        self.attr_name_end = self.pos;
    }

    fn init_attribute_value(&mut self) {
        self.finish_name();
        if self.capturing {
            if let Some(a) = self.attrs.last_mut() {
                a.span = self.pos..self.pos;
            }
        }
    }

    fn push_attribute_value(&mut self, s: &[u8]) {
        if self.capturing {
            self.values.extend_from_slice(s);
            if let Some(a) = self.attrs.last_mut() {
                a.value.end = self.values.len();
                a.span.end = self.pos.max(a.span.start);
            }
        }
    }

    fn init_comment(&mut self) {}
    fn push_comment(&mut self, _: &[u8]) {}
    fn emit_current_comment(&mut self) {}
    fn init_doctype(&mut self) {}
    fn push_doctype_name(&mut self, _: &[u8]) {}
    fn set_force_quirks(&mut self) {}
    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn emit_current_doctype(&mut self) {}
}

/// Names and values are pieces of a `&str` and whole characters from character references, so
/// they are UTF-8; the check is only there because that is not in the types.
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

// --- URLs inside attribute values --------------------------------------------------------

fn is_html_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn split_ascii_whitespace(v: &str) -> Vec<Range<usize>> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && is_html_space(b[i]) {
            i += 1;
        }
        let start = i;
        while i < b.len() && !is_html_space(b[i]) {
            i += 1;
        }
        if i > start {
            out.push(start..i);
        }
    }
    out
}

/// The URL of each image candidate of a `srcset`, by the HTML spec's "parse a srcset attribute"
/// (descriptors are skipped, not checked).
fn srcset_urls(v: &str) -> Vec<Range<usize>> {
    let b = v.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < n && (is_html_space(b[i]) || b[i] == b',') {
            i += 1;
        }
        if i >= n {
            return out;
        }
        let start = i;
        while i < n && !is_html_space(b[i]) {
            i += 1;
        }
        let mut end = i;
        if b[end - 1] == b',' {
            // `a.png,b.png`: a URL that ends in commas has no descriptors.
            while end > start && b[end - 1] == b',' {
                end -= 1;
            }
            out.push(start..end);
            continue;
        }
        out.push(start..end);
        // Descriptors run to the next comma outside parentheses.
        let mut in_parens = false;
        while i < n {
            match b[i] {
                b'(' => in_parens = true,
                b')' => in_parens = false,
                b',' if !in_parens => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// The URL of a `<meta http-equiv="refresh" content="...">`, by the HTML spec's "shared
/// declarative refresh steps": `5; url='/x/'`, `0;URL=/x/`, `3, /x/`. `None` when it refreshes
/// the page itself (`5`) or does not parse.
fn refresh_url(v: &str) -> Option<Range<usize>> {
    let b = v.as_bytes();
    let n = b.len();
    let skip_ws = |mut i: usize| {
        while i < n && is_html_space(b[i]) {
            i += 1;
        }
        i
    };
    let mut i = skip_ws(0);
    let digits = i;
    while i < n && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == digits && b.get(i) != Some(&b'.') {
        return None;
    }
    while i < n && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i == n {
        return None;
    }
    if !(is_html_space(b[i]) || b[i] == b';' || b[i] == b',') {
        return None;
    }
    i = skip_ws(i);
    if i < n && (b[i] == b';' || b[i] == b',') {
        i = skip_ws(i + 1);
    }
    if i == n {
        return None;
    }
    // `url=` is optional; when a prefix of it is there but not the whole, the URL starts at the
    // `u` (`urn:x` is a URL).
    let url_string = i;
    let mut j = i;
    let mut quoted_from = Some(i);
    if matches!(b[j], b'u' | b'U') {
        j += 1;
        quoted_from = None;
        if j < n && matches!(b[j], b'r' | b'R') {
            j += 1;
            if j < n && matches!(b[j], b'l' | b'L') {
                j = skip_ws(j + 1);
                if j < n && b[j] == b'=' {
                    quoted_from = Some(skip_ws(j + 1));
                }
            }
        }
    }
    let (start, mut end) = match quoted_from {
        Some(k) if k < n && matches!(b[k], b'"' | b'\'') => {
            let quote = b[k];
            let start = k + 1;
            (start, b[start..].iter().position(|&c| c == quote).map_or(n, |p| start + p))
        }
        Some(k) => (k, n),
        None => (url_string, n),
    };
    while end > start && is_html_space(b[end - 1]) {
        end -= 1;
    }
    Some(start..end)
}

// --- CSS ---------------------------------------------------------------------------------

/// How deep into nested CSS blocks and functions to look; deeper `url()`s are not reported, so
/// that hostile input cannot exhaust the stack.
const CSS_DEPTH: usize = 32;

/// The URLs of a style sheet or declaration list, each with its byte range in `css`: `url()`,
/// the strings of `image-set()` and of `@import`, not those of `@namespace`.
fn css_urls(css: &str, out: &mut Vec<(String, Range<usize>)>) {
    if !css.as_bytes().iter().any(|&b| matches!(b, b'(' | b'@')) {
        return;
    }
    let mut input = ParserInput::new(css);
    let mut parser = Parser::new(&mut input);
    css_block(&mut parser, css, 0, false, out);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AtRule {
    None,
    Import,
    Namespace,
}

fn css_block<'i>(
    p: &mut Parser<'i, '_>,
    css: &str,
    depth: usize,
    strings_are_urls: bool,
    out: &mut Vec<(String, Range<usize>)>,
) {
    let mut at = AtRule::None;
    loop {
        let start = p.position().byte_index();
        let Ok(token) = p.next_including_whitespace_and_comments() else { return };
        let token = token.clone();
        let end = p.position().byte_index();
        let nested = |p: &mut Parser<'i, '_>, strings_are_urls: bool, out: &mut Vec<(String, Range<usize>)>| {
            if depth < CSS_DEPTH {
                let _ = p.parse_nested_block(|p| {
                    css_block(p, css, depth + 1, strings_are_urls, out);
                    Ok::<(), ParseError<'i, ()>>(())
                });
            }
        };
        match &token {
            Token::WhiteSpace(_) | Token::Comment(_) => continue,
            Token::UnquotedUrl(url) if at != AtRule::Namespace => {
                out.push((url.to_string(), unquoted_url_span(css, start..end, url)));
            }
            Token::QuotedString(url) if strings_are_urls || at == AtRule::Import => {
                out.push((url.to_string(), quoted_span(css, start..end, url)));
            }
            Token::Function(name)
                if name.eq_ignore_ascii_case("url") && at != AtRule::Namespace && depth < CSS_DEPTH =>
            {
                let _ = p.parse_nested_block(|p| {
                    url_argument(p, css, out);
                    Ok::<(), ParseError<'i, ()>>(())
                });
            }
            Token::Function(name)
                if name.eq_ignore_ascii_case("image-set") || name.eq_ignore_ascii_case("-webkit-image-set") =>
            {
                nested(p, true, out)
            }
            Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                nested(p, false, out)
            }
            Token::AtKeyword(name) => {
                at = if name.eq_ignore_ascii_case("import") {
                    AtRule::Import
                } else if name.eq_ignore_ascii_case("namespace") {
                    AtRule::Namespace
                } else {
                    AtRule::None
                };
                continue;
            }
            Token::Semicolon => at = AtRule::None,
            _ => {}
        }
        // Only the first thing after `@import` is its URL.
        if at == AtRule::Import {
            at = AtRule::None;
        }
    }
}

/// `url("...")` is a function whose first argument is the string.
fn url_argument(p: &mut Parser<'_, '_>, css: &str, out: &mut Vec<(String, Range<usize>)>) {
    loop {
        let start = p.position().byte_index();
        let Ok(token) = p.next_including_whitespace_and_comments() else { return };
        match token {
            Token::WhiteSpace(_) | Token::Comment(_) => continue,
            Token::QuotedString(url) => {
                let url = url.to_string();
                let end = p.position().byte_index();
                let span = quoted_span(css, start..end, &url);
                out.push((url, span));
                return;
            }
            _ => return,
        }
    }
}

/// Where the value of `url(value)` is written, or the whole token if escapes changed it.
fn unquoted_url_span(css: &str, token: Range<usize>, url: &str) -> Range<usize> {
    let found = css.get(token.start + 4..token.end).and_then(|inside| inside.find(url));
    match found {
        Some(i) if !url.is_empty() => token.start + 4 + i..token.start + 4 + i + url.len(),
        _ => token,
    }
}

/// Where the text of `"text"` is written, or the whole token if escapes changed it.
fn quoted_span(css: &str, token: Range<usize>, text: &str) -> Range<usize> {
    let raw = css.get(token.clone()).unwrap_or("");
    let inner_start = token.start + 1;
    if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(text) {
        inner_start..token.end - 1
    } else if raw.get(1..) == Some(text) {
        // Not closed before the end of the style sheet.
        inner_start..token.end
    } else {
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(attr, element, url)` of each link.
    fn links(html: &str) -> Vec<(&'static str, String, String)> {
        scan(html).links.into_iter().map(|l| (l.attr, l.element.into_owned(), l.url.into_owned())).collect()
    }

    fn urls(html: &str) -> Vec<String> {
        scan(html).links.into_iter().map(|l| l.url.into_owned()).collect()
    }

    /// Each link's span, as the text of the page it covers.
    fn spans(html: &str) -> Vec<&str> {
        scan(html).links.into_iter().map(|l| &html[l.span]).collect()
    }

    fn l(attr: &'static str, element: &str, url: &str) -> (&'static str, String, String) {
        (attr, element.to_string(), url.to_string())
    }

    #[test]
    fn finds_every_kind_of_link() {
        let html = r#"<!doctype html><html><head>
<link rel="stylesheet" href="/style.css"><link rel=preconnect href="https://fonts.example">
<link rel="preload" as="image" imagesrcset="/i-1.png 1x, /i-2.png 2x">
<base href="/base/">
<script src="/app.js"></script>
<meta http-equiv="Refresh" content="5; url=/moved/">
<meta property="og:image" content="https://example.org/card.png">
<meta name="viewport" content="width=device-width">
</head><body background="/bg.gif">
<a href="/a/">a</a><map><area href="/area/" ping="/p1 /p2"></map>
<img src="/i.png" srcset="/i-1x.png 1x, /i-2x.png 2x">
<picture><source srcset="/s.webp" type="image/webp"></picture>
<iframe src="/frame/"></iframe>
<video src="/v.mp4" poster="/poster.jpg"><track src="/t.vtt"><source src="/v.webm"></video>
<audio src="/a.mp3"></audio><embed src="/e.swf"><object data="/o.pdf"></object>
<form action="/search/"><input type="image" src="/go.png"><button formaction="/other/">Go</button>
<input formaction="/third/"></form>
<blockquote cite="/quoted/">q</blockquote>
<svg><use href="/sprite.svg#icon"/><image xlink:href="/pic.png"/><rect fill="url(#g)"/></svg>
<div style="background: url('/bg.png')"></div>
<style>body { background: url(/body.png) } @import "/more.css";</style>
</body></html>"#;
        assert_eq!(
            links(html),
            vec![
                l("href", "link", "/style.css"),
                l("href", "link", "https://fonts.example"),
                l("imagesrcset", "link", "/i-1.png"),
                l("imagesrcset", "link", "/i-2.png"),
                l("href", "base", "/base/"),
                l("src", "script", "/app.js"),
                l("content", "meta", "/moved/"),
                l("content", "meta", "https://example.org/card.png"),
                l("background", "body", "/bg.gif"),
                l("href", "a", "/a/"),
                l("href", "area", "/area/"),
                l("ping", "area", "/p1"),
                l("ping", "area", "/p2"),
                l("src", "img", "/i.png"),
                l("srcset", "img", "/i-1x.png"),
                l("srcset", "img", "/i-2x.png"),
                l("srcset", "source", "/s.webp"),
                l("src", "iframe", "/frame/"),
                l("src", "video", "/v.mp4"),
                l("poster", "video", "/poster.jpg"),
                l("src", "track", "/t.vtt"),
                l("src", "source", "/v.webm"),
                l("src", "audio", "/a.mp3"),
                l("src", "embed", "/e.swf"),
                l("data", "object", "/o.pdf"),
                l("action", "form", "/search/"),
                l("src", "input", "/go.png"),
                l("formaction", "button", "/other/"),
                l("formaction", "input", "/third/"),
                l("cite", "blockquote", "/quoted/"),
                l("href", "use", "/sprite.svg#icon"),
                l("xlink:href", "image", "/pic.png"),
                l("fill", "rect", "#g"),
                l("style", "div", "/bg.png"),
                l("style", "style", "/body.png"),
                l("style", "style", "/more.css"),
            ]
        );
        let scan = scan(html);
        assert_eq!(scan.links[0].rel.as_deref(), Some("stylesheet"));
        assert_eq!(scan.links[1].rel.as_deref(), Some("preconnect"));
        assert_eq!(scan.links[9].rel, None);
        for link in &scan.links {
            assert_eq!(&html[link.span.clone()], link.url, "{link:?}");
        }
    }

    #[test]
    fn text_comments_scripts_and_raw_text_hold_no_links() {
        let html = r#"<p>href="/text/" <a href="/yes/">x</a></p>
<!-- <a href="/comment/"> -->
<script>document.write('<a href="/script/">');</script>
<textarea><a href="/textarea/"></textarea><title><a href="/title/"></title>
<xmp><a href="/xmp/"></xmp><iframe><a href="/iframe-text/"></iframe>
<style>/* url(/commented.png) */ a::before { content: "url(/string.png)" }</style>
<noscript><a href="/noscript/">no script</a></noscript>
<p data-href="/data/" title="/title-attr/">x</p>
<a href="/last/">"#;
        assert_eq!(urls(html), ["/yes/", "/noscript/", "/last/"]);
    }

    #[test]
    fn values_are_decoded_and_spans_point_into_the_page() {
        let html = "<p>Zürich — 苏波</p><a href=\"/a/?x=1&amp;y=2#s%C3%A9\">x</a><a href='/b/'>b</a><a href=/c/>c</a>\
                    <a href=\"&#47;d/\">d</a><A HREF=\"/e/\">e</A><a href>f</a><a href=\"\">g</a>";
        let scan = scan(html);
        let got: Vec<(&str, &str)> = scan.links.iter().map(|l| (&*l.url, &html[l.span.clone()])).collect();
        assert_eq!(
            got,
            [
                ("/a/?x=1&y=2#s%C3%A9", "/a/?x=1&amp;y=2#s%C3%A9"),
                ("/b/", "/b/"),
                ("/c/", "/c/"),
                ("/d/", "&#47;d/"),
                ("/e/", "/e/"),
                ("", ""),
                ("", ""),
            ]
        );
        // A value-less attribute points at the end of its name.
        assert_eq!(scan.links[5].span, html.find("<a href>").unwrap() + 7..html.find("<a href>").unwrap() + 7);
    }

    #[test]
    fn spans_survive_crlf_and_character_references_at_the_end() {
        let html = "<p>\r\nx</p>\r\n<a\r\nhref=\"/a/&amp;\"\r\n>x</a><img srcset=\"/1.png 1x,\r\n /2.png 2x\">";
        let scan = scan(html);
        assert_eq!(scan.links[0].url, "/a/&");
        assert_eq!(&html[scan.links[0].span.clone()], "/a/&amp;");
        // The CR makes the decoded value differ from the raw one: each candidate points at it all.
        assert_eq!(scan.links[1].url, "/1.png");
        assert_eq!(&html[scan.links[1].span.clone()], "/1.png 1x,\r\n /2.png 2x");
        assert_eq!(scan.links[2].url, "/2.png");
    }

    #[test]
    fn the_first_of_duplicate_attributes_wins() {
        assert_eq!(urls(r#"<a href="/1/" href="/2/">x</a><a href href="/3/">y</a>"#), ["/1/", ""]);
    }

    #[test]
    fn srcset_candidates() {
        // A comma ends a URL only before a space or after descriptors: `a.png,b.png` is one URL.
        let html = r#"<img srcset="a.png,b.png"><img srcset="c.png,, d.png 1x,e.png 2x"><img srcset=" /x.png 100w, /y%20z.png 2x ,/w.png"><img srcset="/f(1).png 1x, /g.png w(3, 4), /h.png">"#;
        let expected = [
            "a.png,b.png",
            "c.png",
            "d.png",
            "e.png",
            "/x.png",
            "/y%20z.png",
            "/w.png",
            "/f(1).png",
            "/g.png",
            "/h.png",
        ];
        assert_eq!(urls(html), expected);
        assert_eq!(spans(html), expected);
    }

    #[test]
    fn meta_refresh() {
        let urls_of = |content: &str| refresh_url(content).map(|r| content[r].to_string());
        assert_eq!(urls_of("5; url=/moved/"), Some("/moved/".into()));
        assert_eq!(urls_of("0;URL='/q/' trailing"), Some("/q/".into()));
        assert_eq!(urls_of("0; url = \"/dq/\""), Some("/dq/".into()));
        assert_eq!(urls_of("3, /comma/ "), Some("/comma/".into()));
        assert_eq!(urls_of("1.5 /dot/"), Some("/dot/".into()));
        assert_eq!(urls_of("0; urn:x"), Some("urn:x".into()));
        assert_eq!(urls_of("0; u"), Some("u".into()));
        assert_eq!(urls_of("5"), None);
        assert_eq!(urls_of("5;"), None);
        assert_eq!(urls_of("x; url=/no/"), None);
        assert_eq!(urls_of("5x url=/no/"), None);
        assert_eq!(urls(r#"<meta http-equiv=refresh content="0;url=/a/"><meta content="0;url=/b/">"#), ["/a/"]);
    }

    #[test]
    fn css_urls_in_attributes_and_style_elements() {
        let html = r#"<div style="background:url( /a.png ) ; mask: URL(&quot;/b.svg&quot;)"></div>
<style>
@import url("/import.css");
@import '/import2.css' screen;
@namespace svg url(http://www.w3.org/2000/svg);
.x { background-image: image-set("/one.png" 1x, url(/two.png) 2x); }
@media print { .y { background: url('/print.png') } }
.z { background: url(/esc\61 ped.png); content: "/not-a-url.png" }
.bad { background: url(/a b.png) }
</style>"#;
        let scan = scan(html);
        let got: Vec<(&str, &str)> = scan.links.iter().map(|l| (&*l.url, &html[l.span.clone()])).collect();
        let style_attr = &html[html.find("background:url").unwrap()..html.find("\"></div>").unwrap()];
        assert_eq!(
            got,
            [
                ("/a.png", style_attr),
                ("/b.svg", style_attr),
                ("/import.css", "/import.css"),
                ("/import2.css", "/import2.css"),
                ("/one.png", "/one.png"),
                ("/two.png", "/two.png"),
                ("/print.png", "/print.png"),
                ("/escaped.png", "url(/esc\\61 ped.png)"),
            ]
        );
        let plain = r#"<p style="background: url(/p.png)">"#;
        assert_eq!(spans(plain), ["/p.png"]);
    }

    #[test]
    fn unclosed_style_element_runs_to_the_end() {
        assert_eq!(urls("<style>a { background: url(/x.png) }"), ["/x.png"]);
    }

    #[test]
    fn svg_is_foreign_content() {
        let html = r#"<svg><style>.a { fill: url(#grad) }</style><title>A &amp; B</title>
<defs><linearGradient id="grad"/></defs><a xlink:href="/svg-link/"><text>t</text></a>
<foreignObject><style>p { background: url(/fo.png) }</style><textarea><a href="/not/"></textarea></foreignObject>
<![CDATA[ <a href="/cdata/"> ]]></svg>
<p id="after">x</p><![CDATA[ <a href="/in-bogus-comment/"> ]]><a href="/after/">"#;
        // In HTML, `<![CDATA[` starts a bogus comment that ends at the first `>`.
        assert_eq!(urls(html), ["#grad", "/svg-link/", "/fo.png", "/after/"]);
        assert_eq!(scan(html).ids, ["grad", "after"]);
    }

    #[test]
    fn breakout_tags_leave_svg() {
        // `<p>` ends foreign content: the `<style>` after it is HTML raw text again.
        let html = r#"<svg><p>x</p><style><a href="/not/"></style><a href="/yes/">"#;
        assert_eq!(urls(html), ["/yes/"]);
    }

    #[test]
    fn ids_and_anchor_names() {
        let html = r#"<h2 id="a">x</h2><p id='caf&eacute;'>y</p><a name="n">z</a><div name="not"></div><i id="">e</i><svg><g id="s"/></svg><b id=a>dup</b>"#;
        assert_eq!(scan(html).ids, ["a", "café", "n", "s", "a"]);
    }

    #[test]
    fn external_urls() {
        for url in [
            "https://example.org/",
            "HTTP://x",
            "mailto:a@example.org",
            "tel:+1",
            "data:image/png;base64,xx",
            "javascript:void(0)",
            "//cdn.example.org/x.js",
            "\\\\cdn.example.org/x.js",
            "/\\cdn.example.org",
            " https://x",
            "ht\ttps://x",
            "a+b-c.d:x",
        ] {
            assert!(is_external(url), "{url}");
        }
        for url in ["/a/", "a/b", "../x", "#f", "?q", "", "/a:b", "./x:y", "1a:b", "a_b:c", "-:x"] {
            assert!(!is_external(url), "{url}");
        }
    }

    #[test]
    fn resolves_like_a_browser() {
        let r = |page: &str, url: &str| resolve(page, url);
        let some = |path: &str, frag: Option<&str>| Some((path.to_string(), frag.map(String::from)));
        assert_eq!(r("/announcements/a/", "../b/#x"), some("/announcements/b/", Some("x")));
        assert_eq!(r("/announcements/a/", "/speakers/"), some("/speakers/", None));
        assert_eq!(r("/announcements/a/", "c"), some("/announcements/a/c", None));
        assert_eq!(r("/announcements/a/", "#top"), some("/announcements/a/", Some("top")));
        assert_eq!(r("/announcements/a/", "#"), some("/announcements/a/", None));
        assert_eq!(r("/announcements/a/", ""), some("/announcements/a/", None));
        assert_eq!(r("/announcements/a/", "?q=1#f"), some("/announcements/a/", Some("f")));
        assert_eq!(r("/announcements/a/", "/x/?q=1"), some("/x/", None));
        assert_eq!(r("/404.html", "style.css"), some("/style.css", None));
        assert_eq!(r("/", "../../x/./y/../z"), some("/x/z", None));
        assert_eq!(r("/a/", ".."), some("/", None));
        assert_eq!(r("/a/b/", "%2e%2E/c"), some("/a/c", None));
        assert_eq!(r("/", "/caf%C3%A9/#r%C3%A9sum%C3%A9"), some("/café/", Some("résumé")));
        assert_eq!(r("/", "\\a\\b"), some("/a/b", None));
        assert_eq!(r("/", " /a b/\t\n "), some("/a b/", None));
        assert_eq!(r("/", "https://example.org/"), None);
        assert_eq!(r("/", "//example.org/"), None);
        assert_eq!(r("/", "mailto:x@example.org"), None);
    }

    /// xorshift64*: the tests need varied input, not good randomness.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn resolve_agrees_with_the_url_crate() {
        let pieces = [
            "a", "b", ".", "..", "/", "\\", "%2e", "%2E", "%41", "%", "%C3%A9", "%C3", "?", "#", " ", "\t", "é", ":",
            "x:", "=", "&", "'", "\"", "<", "~", "%20", "%2F", "..%2f",
        ];
        let pages = ["/", "/a/", "/a/b/", "/a/b.html", "/404.html", "/a b/é/"];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let len = rng.below(8);
            let input: String = (0..len).map(|_| pieces[rng.below(pieces.len())]).collect();
            let page = pages[rng.below(pages.len())];
            let base = url::Url::parse(&format!("http://h.invalid{page}")).unwrap();
            let ours = resolve(page, &input);
            if is_external(&input) {
                assert_eq!(ours, None, "{input:?}");
                continue;
            }
            let theirs = base.join(&input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(theirs.host_str(), Some("h.invalid"), "{input:?} leaves the site");
            let path = percent_decode(theirs.path()).into_owned();
            let fragment = theirs.fragment().filter(|f| !f.is_empty()).map(|f| percent_decode(f).into_owned());
            assert_eq!(ours, Some((path, fragment)), "{page:?} + {input:?}");
        }
    }

    #[test]
    fn the_plain_reading_of_a_url_agrees_with_the_general_one() {
        let pieces =
            ["/", "/", "a", "b-c", ".", "..", "?", "#", "q=1", "%", "\\", " ", "\t", "é", "https:", "x:", "//", "~"];
        let pages = ["/", "/a/", "/a/b.html", "/a%b/", "a/"];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut plain = 0;
        for _ in 0..50_000 {
            let len = rng.below(7);
            let input: String = (0..len).map(|_| pieces[rng.below(pieces.len())]).collect();
            let page = pages[rng.below(pages.len())];
            if let Some(fast) = resolve_plain(page, &input) {
                plain += 1;
                assert_eq!(fast, resolve_general(page, &input), "{page:?} + {input:?}");
            }
        }
        // The plain reading is the one most inputs took, not a path no input reaches.
        assert!(plain > 5_000, "{plain}");
    }

    #[test]
    fn never_panics() {
        let pieces: &[&str] = &[
            "<",
            ">",
            "/",
            "a",
            " href=",
            "\"",
            "'",
            "=",
            "<a ",
            "<img srcset=\"",
            "<svg>",
            "</svg>",
            "<style>",
            "</style>",
            "<math>",
            "<foreignObject>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "&amp;",
            "&#",
            "&",
            "url(",
            ")",
            "(",
            "@import ",
            "\\",
            "\r",
            "\n",
            "\0",
            "é",
            "苏",
            "<meta http-equiv=refresh content='",
            "0;url=",
            ",",
            " 1x",
            "style=\"",
            "{",
            "}",
            "image-set(",
            "<script>",
            "</script>",
            "<p>",
            "<title>",
            "#",
        ];
        let mut rng = Rng(42);
        for i in 0..4000 {
            let input: String = if i % 4 == 0 {
                let bytes: Vec<u8> = (0..rng.below(200)).map(|_| rng.next() as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                (0..rng.below(60)).map(|_| pieces[rng.below(pieces.len())]).collect()
            };
            let scan = scan(&input);
            for link in &scan.links {
                assert!(input.get(link.span.clone()).is_some(), "{input:?}: {link:?}");
                let _ = resolve("/a/", &link.url);
            }
        }
        // Deep nesting stays within the stack.
        let deep = format!("<p style=\"{}url(/x)\">", "(".repeat(100_000));
        assert!(scan(&deep).links.is_empty());
    }

    /// The fast path of [`fast`] and html5gum alone find the same links, ids and spans, on markup
    /// made of the pieces generated pages are made of and of the ones that take the fast path
    /// off its road.
    #[test]
    fn the_fast_path_agrees_with_html5gum() {
        let names = [
            "a",
            "A",
            "img",
            "link",
            "meta",
            "style",
            "script",
            "title",
            "textarea",
            "svg",
            "math",
            "use",
            "p",
            "foreignObject",
            "div",
            "source",
            "iframe",
            "plaintext",
            "noscript",
            "base",
            "form",
            "td",
        ];
        let attrs = [
            "href",
            "src",
            "id",
            "name",
            "rel",
            "style",
            "content",
            "property",
            "http-equiv",
            "srcset",
            "xlink:href",
            "fill",
            "class",
            "HREF",
            "data-x",
            "ping",
            "action",
            "title",
            "lang",
        ];
        let values = [
            "/a/",
            "#x",
            "&amp;",
            "&#x27;",
            "&#39;",
            "&lt;b&gt;",
            "&quot;",
            "&apos;",
            "&copy",
            "&copy;",
            "&",
            "& b",
            "url(/x.png)",
            "1x, /b.png 2x",
            "0;url=/r/",
            "og:image",
            "refresh",
            "'",
            "\"",
            " ",
            "\r\n",
            "\0",
            "é",
            "&#0;",
            "&#x80;",
            "&#x110000;",
            "&#xD800;",
            "&#",
            "&#x;",
            "&#65",
            "=",
            "`",
            "<",
            ">",
            "/",
            "preconnect",
            "a b",
            "苏",
            "%20",
            "&ampx;",
            "&lt",
            "\t",
        ];
        let raw = [
            "a{background:url(/bg.png)}",
            "<!--",
            "-->",
            "</scr",
            "</style",
            "</title",
            "x",
            "\r",
            "<",
            "</script",
            "</style x>",
            "</title >",
        ];
        let other = [
            "text",
            " ",
            "&amp;",
            "<",
            "< b",
            "é",
            "\r\n",
            "\n",
            "<!-- c -->",
            "<!---->",
            "<!-->",
            "<!--->",
            "<!-- a --!> b -->",
            "<!doctype html>",
            "<!DOCTYPE html PUBLIC \"x\">",
            "<![CDATA[x]]>",
            "<?x>",
            "</>",
            "</ a>",
            "</a >",
            "</a x=1>",
            "</",
            "<!",
            "\0",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"x",
        ];
        let mut rng = Rng(7);
        let mut fast_to_the_end = 0;
        for _ in 0..30_000 {
            let mut html = String::new();
            for _ in 0..rng.below(12) {
                match rng.below(10) {
                    0..=3 => {
                        html.push('<');
                        html.push_str(names[rng.below(names.len())]);
                        for _ in 0..rng.below(4) {
                            html.push_str([" ", "  ", "\n", "", "/"][rng.below(5)]);
                            html.push_str(attrs[rng.below(attrs.len())]);
                            if rng.below(5) > 0 {
                                html.push_str(["=", " = ", "="][rng.below(3)]);
                                let quote = ["\"", "'", ""][rng.below(3)];
                                html.push_str(quote);
                                for _ in 0..rng.below(3) {
                                    html.push_str(values[rng.below(values.len())]);
                                }
                                html.push_str(quote);
                            }
                        }
                        html.push_str([">", "/>", " >", "", " />", ">"][rng.below(6)]);
                    }
                    4 => {
                        html.push_str("</");
                        html.push_str(names[rng.below(names.len())]);
                        html.push('>');
                    }
                    5 => html.push_str(raw[rng.below(raw.len())]),
                    _ => html.push_str(other[rng.below(other.len())]),
                }
            }
            let mut sink_scan = Scan::default();
            let mut sink = Sink::new(&html, &mut sink_scan, None);
            if fast::run(&mut sink, &html) == html.len() {
                fast_to_the_end += 1;
            }
            assert_eq!(scan(&html), scan_with_html5gum(&html), "{html:?}");
        }
        // The generated markup takes both roads.
        assert!(fast_to_the_end > 3_000, "{fast_to_the_end}");
        assert!(fast_to_the_end < 27_000, "{fast_to_the_end}");
    }

    /// The links and ids agree with those of a full HTML5 parser (html5ever, through scraper) on
    /// every page of the starter site.
    #[test]
    fn agrees_with_a_tree_builder_on_the_starter_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        crate::starter::create(&site).unwrap();
        let options = crate::Options { root: site.clone(), out: None, settings: Default::default(), search: false };
        crate::build(&options).map_err(|e| format!("{e:?}")).unwrap();
        let mut pages = 0;
        for entry in walkdir::WalkDir::new(site.join("public")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "html") {
                continue;
            }
            pages += 1;
            let mut html = std::fs::read_to_string(entry.path()).unwrap();
            // html5ever parses as a browser with scripting on, for which `<noscript>` is raw text;
            // ours reads it as markup on purpose.
            while let (Some(start), Some(end)) = (html.find("<noscript>"), html.find("</noscript>")) {
                html.replace_range(start..end + "</noscript>".len(), "");
            }
            let ours = scan(&html);
            assert_eq!(ours, scan_with_html5gum(&html), "{}", entry.path().display());
            let doc = scraper::Html::parse_document(&html);
            let selector =
                scraper::Selector::parse("a[href], link[href], img[src], script[src], form[action]").unwrap();
            let theirs: Vec<String> = doc
                .select(&selector)
                .map(|e| {
                    let v = e.value();
                    v.attr("href").or(v.attr("src")).or(v.attr("action")).unwrap().to_string()
                })
                .collect();
            let ours_links: Vec<String> = ours
                .links
                .iter()
                .filter(|l| matches!(l.attr, "href" | "src" | "action") && l.element != "use")
                .map(|l| l.url.to_string())
                .collect();
            assert_eq!(ours_links, theirs, "{}", entry.path().display());
            let ids = scraper::Selector::parse("[id]").unwrap();
            let theirs_ids: Vec<&str> = doc.select(&ids).map(|e| e.value().id().unwrap()).collect();
            assert_eq!(ours.ids, theirs_ids, "{}", entry.path().display());
        }
        assert!(pages >= 8);
    }
}
