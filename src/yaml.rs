//! The one place that parses YAML (front matter, `site.yaml`, `topics.yaml`, `timeline.yaml`).
//!
//! Keeping the YAML crates behind this module means they can be swapped in one place. Errors come
//! back as [`Diagnostic`]s whose positions are offsets into the whole file, so an error in the
//! front matter of a Markdown file points at the right line of that file.
//!
//! serde_yaml reads the documents into typed structs, but gives no positions for values that
//! parsed fine and turn out to be wrong later (an unknown speaker slug, say), and the positions in
//! its messages are text to be read back. So every position comes from a parser's marks instead:
//! [`Index`] walks the events of a second, pure-Rust parser (saphyr-parser) once and keeps the span
//! of every key and value by its path, so that many errors in one file cost one pass over it and
//! a look-up each, not a search of the text each; and a syntax error is placed by serde_yaml's own
//! mark, or by the index's marks where those say more (where a quote or bracket that is never
//! closed opened, the second of two equal keys).

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use serde::de::DeserializeOwned;

use crate::diagnostic::{suggest, Diagnostic, Kind};

/// Parses `source[range]` as YAML into `T`, reporting errors against the whole of `source`.
pub fn parse<T: DeserializeOwned>(file: &Path, source: &Arc<str>, range: Range<usize>) -> Result<T, Diagnostic> {
    let text = &source[range.clone()];
    let has_content = text.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#') && l != "---"
    });
    // An empty document is an empty mapping, so that missing fields are named one by one.
    let document = if has_content { text } else { "{}" };
    if let Some(refused) = scan(text) {
        return Err(refused.diagnostic(file, source, range.start));
    }
    serde_yaml::from_str(document).map_err(|err| {
        // serde_yaml reports a value of the wrong type before a syntax error further on (in
        // `title: [unclosed` the title is a sequence before the `]` turns out to be missing), so
        // look for a syntax error first. Reading into `IgnoredAny` fails on nothing else, not even
        // on a repeated key, which the typed error names better.
        let syntax = serde_yaml::from_str::<serde::de::IgnoredAny>(document).err();
        to_diagnostic(file, source, range, syntax.as_ref().unwrap_or(&err))
    })
}

fn to_diagnostic(file: &Path, source: &Arc<str>, range: Range<usize>, err: &serde_yaml::Error) -> Diagnostic {
    let text = &source[range.clone()];
    // serde_yaml puts positions into its message, counted from the start of the YAML text; we show
    // the position our own way, from the marks, counted from the start of the file.
    let stripped = strip_positions(&err.to_string());
    let (kind, message, mut label, help) = explain(&stripped);
    // libyaml's mark, a byte offset into the YAML text.
    let mut at = err.location().map_or(0, |loc| floor_char(text, loc.index().min(text.len())));
    if let Some(tab) = indenting_tab(text, at) {
        // libyaml says "found a tab character that violates indentation" or, before a key at the
        // start of a line, "found character that cannot start any token".
        let span = range.start + tab..range.start + tab + 1;
        return Diagnostic::at(Kind::Syntax, file, source, span, "invalid YAML: a tab is used for indentation")
            .label("tab")
            .help(
                "YAML does not allow tabs for indentation: indent with spaces \
             (most editors can insert spaces when Tab is pressed)",
            );
    }
    let mut span = None;
    if never_closed(&stripped) {
        // Where the quote or bracket opened says more than where the text ran out. libyaml's mark
        // of the opening is only in its message, so the other parser's marks tell; an opening
        // after libyaml's error would be another mistake than the one libyaml found.
        let index = Index::build(source, range.clone());
        if let Some((what, open)) = index.unclosed().filter(|&(_, open)| open <= range.start + at) {
            at = open - range.start;
            label = format!("this {what} is never closed");
        }
    } else if let Some(key) = repeated_key(split_path(&stripped).1) {
        // serde_yaml points at the start of the mapping; the mistake is the second key.
        let index = Index::build(source, range.clone());
        if let Some(second) = index.repeated(key, range.start + at) {
            at = second.start - range.start;
            span = Some(at..second.end - range.start);
        }
    }
    let span = span.unwrap_or_else(|| at..at + text[at..].find(['\n', '\r']).unwrap_or(text.len() - at));
    Diagnostic::at(kind, file, source, range.start + span.start..range.start + span.end, message)
        .label(label)
        .help(help)
}

/// The offset of a tab in the indentation of the line of `at`, when the error at `at` is in that
/// indentation or just after it.
fn indenting_tab(text: &str, at: usize) -> Option<usize> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let tab = line[..indent].find('\t')?;
    (at <= line_start + indent).then_some(line_start + tab)
}

/// The deepest nesting of lists and mappings accepted. Brief's files nest a few levels; libyaml
/// slows down with the square of the depth, and serde_yaml gives up at 128.
pub const MAX_DEPTH: usize = 100;

/// YAML that is refused before it reaches the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refused {
    /// Lists or mappings nested more than [`MAX_DEPTH`] levels; the offset of the first bracket or
    /// item marker too deep.
    TooDeep(usize),
    /// An alias (`*name`) of an anchor (`&name`) defined before it.
    Alias(Range<usize>),
}

impl Refused {
    fn diagnostic(&self, file: &Path, source: &Arc<str>, offset: usize) -> Diagnostic {
        match self {
            Refused::TooDeep(at) => {
                let message = format!("invalid YAML: lists or mappings nested more than {MAX_DEPTH} levels deep");
                Diagnostic::at(Kind::Syntax, file, source, offset + at..offset + at + 1, message)
                    .label("too deep")
                    .help(
                        "brief's files nest a few levels at most (a list inside a field): \
                     look for `[` or `{` that are never closed, or remove the extra levels",
                    )
            }
            Refused::Alias(span) => {
                let name = &source[offset + span.start + 1..offset + span.end];
                let message = format!("YAML aliases are not allowed: `*{name}` repeats the value marked `&{name}`");
                Diagnostic::at(Kind::Syntax, file, source, offset + span.start..offset + span.end, message)
                    .label("alias")
                    .help(
                        "write the value out in full: brief's files do not use anchors (`&name`) and aliases \
                     (`*name`), which can make a few lines expand into billions of values",
                    )
            }
        }
    }
}

/// Looks through YAML text, without parsing it, for what is refused before parsing: nesting
/// deeper than [`MAX_DEPTH`] and aliases. It follows quotes, comments and block scalars (`|`, `>`)
/// well enough for that; an alias counts only when an anchor of the same name came before it, so
/// that text which only looks like one is not refused.
fn scan(text: &str) -> Option<Refused> {
    let b = text.as_bytes();
    let space = |i: usize| i >= b.len() || matches!(b[i], b' ' | b'\t' | b'\r' | b'\n');
    let mut anchors: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // Depth of `[` and `{`, and of `- ` and `? ` on the current line.
    let (mut flow, mut compact) = (0usize, 0usize);
    // Whether a node may start here (a key, a value, a list item).
    let mut at_token = true;
    // The column of the last node started on this line, and of the parent of a block scalar whose
    // lines are being skipped.
    let (mut node_col, mut block_scalar) = (0usize, None::<usize>);
    let mut line_start = 0;
    let mut i = 0;
    while i < b.len() {
        if i == line_start {
            let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
            let end = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p + 1);
            if let Some(parent) = block_scalar {
                let blank = b[i..end].iter().all(|c| c.is_ascii_whitespace());
                if blank || indent > parent {
                    i = end;
                    line_start = end;
                    continue;
                }
                block_scalar = None;
            }
            compact = 0;
            node_col = indent;
            at_token = true;
            i += indent;
            if i >= b.len() {
                break;
            }
        }
        let c = b[i];
        match c {
            b'\n' => {
                i += 1;
                line_start = i;
                continue;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if at_token || space(i.wrapping_sub(1)) => {
                i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p);
                continue;
            }
            b'"' | b'\'' if at_token => {
                let mut j = i + 1;
                while j < b.len() {
                    match b[j] {
                        b'\\' if c == b'"' => j += 1,
                        b'\'' if c == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 1,
                        q if q == c => break,
                        _ => {}
                    }
                    j += 1;
                }
                // A quoted scalar may span lines: its last line is the current one.
                if let Some(p) = b[i..j.min(b.len())].iter().rposition(|&c| c == b'\n') {
                    line_start = i + p + 1;
                }
                at_token = false;
                i = j + 1;
                continue;
            }
            b'[' | b'{' if at_token || flow > 0 => {
                flow += 1;
                if flow + compact > MAX_DEPTH {
                    return Some(Refused::TooDeep(i));
                }
                at_token = true;
            }
            b']' | b'}' if flow > 0 => {
                flow -= 1;
                at_token = false;
            }
            b',' if flow > 0 => at_token = true,
            b'-' | b'?' if at_token && flow == 0 && space(i + 1) => {
                compact += 1;
                if flow + compact > MAX_DEPTH {
                    return Some(Refused::TooDeep(i));
                }
                node_col = i - line_start;
            }
            b':' if space(i + 1) || (flow > 0 && matches!(b.get(i + 1), Some(b',' | b']' | b'}'))) => at_token = true,
            b'&' | b'*' if at_token => {
                let len = b[i + 1..]
                    .iter()
                    .position(|&c| c.is_ascii_whitespace() || matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
                    .unwrap_or(b.len() - i - 1);
                let name = &text[i + 1..i + 1 + len];
                if c == b'&' {
                    anchors.insert(name);
                } else if !name.is_empty() && anchors.contains(name) {
                    return Some(Refused::Alias(i..i + 1 + len));
                }
                // An anchor is followed by its node; an alias is a whole node.
                at_token = c == b'&';
                i += 1 + len;
                continue;
            }
            b'|' | b'>' if at_token && flow == 0 => {
                block_scalar = Some(node_col);
                i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |p| i + p);
                continue;
            }
            _ => {
                if at_token && flow == 0 {
                    node_col = i.saturating_sub(line_start);
                }
                at_token = false;
            }
        }
        i += 1;
    }
    None
}

/// `message` without the ` at line N column M` that serde_yaml puts after each part of it.
fn strip_positions(message: &str) -> String {
    const AT: &str = " at line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(AT) {
        out.push_str(&rest[..i]);
        let after = &rest[i + AT.len()..];
        match line_column(after) {
            Some((_, _, len)) => rest = &after[len..],
            None => {
                out.push_str(AT);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads `N column M` at the start of `text`: the line, the column and the length read.
fn line_column(text: &str) -> Option<(usize, usize, usize)> {
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n = digits(text);
    let line = text[..n].parse().ok()?;
    let rest = text[n..].strip_prefix(" column ")?;
    let m = digits(rest);
    let column = rest[..m].parse().ok()?;
    Some((line, column, text.len() - rest.len() + m))
}

/// Whether serde_yaml's `message` (positions stripped) says that a quote or bracket is never
/// closed: the text ran out, or the next document began, inside it.
fn never_closed(message: &str) -> bool {
    let Some((problem, context)) = message.split_once(", while ") else { return false };
    let never_closed = ["end of stream", "document indicator", "did not find expected ','"];
    let inside =
        ["scanning a quoted scalar", "parsing a quoted scalar", "parsing a flow sequence", "parsing a flow mapping"];
    never_closed.iter().any(|p| problem.contains(p)) && inside.iter().any(|c| context.starts_with(c))
}

/// The key named by a `duplicate field` or `duplicate entry` message.
fn repeated_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("duplicate ")?;
    let rest = rest.strip_prefix("field ").or_else(|| rest.strip_prefix("entry with key "))?;
    let quoted = |q: char| rest.strip_prefix(q).and_then(|r| r.split(q).next());
    quoted('`').or_else(|| quoted('"')).or(Some(rest)).filter(|k| !k.is_empty())
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Turns a serde_yaml message into our message, caret label and help.
fn explain(message: &str) -> (Kind, String, String, String) {
    let (path, inner) = split_path(message);
    let at = |m: &str| match path {
        Some(p) => format!("{}: {m}", human_path(p)),
        None => m.to_string(),
    };
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let known = backticked(rest.split_once("expected").map_or("", |(_, k)| k));
        let help = suggest("field", field, known.iter().map(String::as_str));
        return (Kind::Field, at(&format!("unknown field `{field}`")), "not a field here".into(), help);
    }
    if let Some(rest) = inner.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (
            Kind::Field,
            at(&format!("missing required field `{field}`")),
            "in this mapping".into(),
            format!("add a line `{field}: ...`"),
        );
    }
    if inner.starts_with("invalid type") || inner.starts_with("invalid value") {
        let (found, expected) = inner.rsplit_once(", expected ").unwrap_or((inner, ""));
        if expected.starts_with("struct ") {
            // serde names the Rust type (`struct RawAnnouncement`); people need to hear what to write.
            let found = found.strip_prefix("invalid type: ").unwrap_or(found);
            let found = match found {
                "sequence" => "a list (sequence)".to_string(),
                "unit value" => "nothing".to_string(),
                other => other.to_string(),
            };
            let message = format!("expected `key: value` fields, found {found}");
            let help = match path {
                None => "write one `key: value` line per field, such as `title: ...`; a list (`- a`) or a line of text is not a set of fields".to_string(),
                Some(_) => type_help(expected),
            };
            return (Kind::Field, at(&message), "not `key: value` fields".into(), help);
        }
        return (Kind::Field, at(inner), "wrong type".into(), type_help(expected));
    }
    if let Some(key) = repeated_key(inner) {
        return (Kind::Syntax, at(inner), "repeated key".into(), format!("keep only one `{key}:` line"));
    }
    (
        Kind::Syntax,
        format!("invalid YAML: {}", at(inner)),
        "YAML stops making sense here".into(),
        "check indentation, a missing `:` after a key, or an unclosed quote or bracket; quote values that contain `: ` or start with `[`, `{`, `*`, `&` or `#`".into(),
    )
}

/// How to fix a value of the wrong type, from what serde expected (`a string`, `a sequence`, `u32`).
fn type_help(expected: &str) -> String {
    let number = |prefix: char| {
        expected.strip_prefix(prefix).is_some_and(|bits| !bits.is_empty() && bits.chars().all(|c| c.is_ascii_digit()))
    };
    let what = if expected.ends_with("string") || expected == "a character" {
        "a string (text)"
    } else if expected == "a sequence" {
        "a list, such as `[a, b]`"
    } else if number('i') || number('u') {
        "a whole number"
    } else if number('f') {
        "a number, such as 12.5"
    } else if expected == "a boolean" {
        "true or false"
    } else if expected == "a map" || expected.starts_with("struct ") {
        "a mapping, with one `key: value` line per field"
    } else {
        "the type expected"
    };
    format!("change the value to {what}")
}

/// serde_yaml prefixes nested errors with a path like `figures[0].value: `.
fn split_path(message: &str) -> (Option<&str>, &str) {
    if let Some((path, rest)) = message.split_once(": ") {
        let looks_like_path =
            !path.is_empty() && !path.contains(' ') && path.chars().all(|c| c.is_alphanumeric() || "_-.[]".contains(c));
        if looks_like_path {
            return (Some(path), rest);
        }
    }
    (None, message)
}

/// A serde path for people: `.[1].figures[0].value` becomes `entry 2, figures entry 1, value`;
/// paths of keys only (`event.city`) stay as they are.
fn human_path(path: &str) -> String {
    let mut groups: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut after_index = false;
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
        } else if let Some((n, r)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            let entry = match n.parse::<usize>() {
                Ok(n) => format!("entry {}", n + 1),
                Err(_) => format!("[{n}]"),
            };
            if current.is_empty() || after_index {
                groups.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
                current = entry;
            } else {
                current = format!("{current} {entry}");
            }
            after_index = true;
            rest = r;
        } else {
            let end = rest.char_indices().skip(1).find(|&(_, c)| c == '.' || c == '[').map_or(rest.len(), |(i, _)| i);
            let key = &rest[..end];
            if after_index {
                groups.push(std::mem::take(&mut current));
                current = key.to_string();
            } else if current.is_empty() {
                current = key.to_string();
            } else {
                current = format!("{current}.{key}");
            }
            after_index = false;
            rest = &rest[end..];
        }
    }
    groups.push(current);
    groups.join(", ")
}

fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// A mapping whose keys must all differ: serde would keep the last of two equal keys silently.
#[derive(Debug)]
pub struct UniqueMap<V>(pub std::collections::BTreeMap<String, V>);

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = std::collections::BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format_args!("duplicate entry with key `{key}`")));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueMap(out))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// One step of a path to a value in a YAML document.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// The value of this key of a mapping.
    Key(&'a str),
    /// The n-th item (0-based) of a sequence.
    Index(usize),
}

/// The spans of the keys and values of one YAML document, by their paths, read in one pass from
/// the marks of an event parser. Every span is a byte range in the whole source, so a document
/// that is the front matter of a Markdown file gives positions in that file.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Where the document starts in the source.
    base: usize,
    /// The document's text, for the few answers that need it (where a line of a block scalar
    /// starts, whether a scalar was written as its value reads).
    text: Box<str>,
    /// Every node in document order; the first is the root.
    nodes: Vec<Node>,
    children: HashMap<(usize, Child), usize>,
    /// The scalar items of each sequence by their value, in order: a look-up per item, however
    /// long the list.
    items: HashMap<(usize, String), Vec<usize>>,
    /// Keys repeated in their mapping, in document order.
    repeats: Vec<Repeat>,
    /// Where the parser found the document broken, if it did.
    broken: Option<Broken>,
}

#[derive(Debug, Clone)]
struct Node {
    /// Its key, or for a sequence item its `-` (its own start in a flow sequence); empty for the
    /// root and for the value of a key that no path can name.
    key: Range<usize>,
    value: Range<usize>,
    scalar: Option<Scalar>,
}

#[derive(Debug, Clone)]
struct Scalar {
    text: String,
    style: ScalarStyle,
    /// Where its content starts: after the quote, or the first line of a block scalar that is not
    /// blank, after the indentation.
    content: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Child {
    Key(String),
    Item(usize),
}

#[derive(Debug, Clone)]
struct Repeat {
    mapping: usize,
    key: String,
    span: Range<usize>,
}

/// How many times [`Index::build`] mends the text and reads it again.
const MENDS: usize = 8;

#[derive(Debug, Clone)]
struct Broken {
    /// How the text can be mended where libyaml would have read on.
    fix: Option<Fix>,
    /// A quoted scalar that is never closed: where its quote is. The scanner gives the start of a
    /// quoted scalar as the mark of that error.
    quote: Option<usize>,
    /// The innermost flow collection still open at the error: `[` or `{`, and where it opened.
    open: Option<(char, usize)>,
}

impl Index {
    /// Indexes the YAML document in `source[range]`; offsets are into the whole `source`.
    /// Never fails: on a syntax error it keeps what it indexed before the error.
    pub fn build(source: &str, range: Range<usize>) -> Index {
        let text = source.get(range.clone()).unwrap_or_default();
        let base = range.start.min(source.len());
        let mut index = Builder::read(text, base);
        // Where saphyr-parser stops on text that libyaml (serde_yaml) reads, the text is mended
        // with spaces byte for byte, so that every offset stays, and read again.
        let mut mended: Option<String> = None;
        for _ in 0..MENDS {
            let Some(fix) = index.broken.as_ref().and_then(|b| b.fix) else { break };
            let mut bytes = mended.take().unwrap_or_else(|| text.to_string()).into_bytes();
            match fix {
                Fix::TabAfterColon => {
                    let mut mended_any = false;
                    for i in 1..bytes.len() {
                        if bytes[i] == b'\t' && bytes[i - 1] == b':' {
                            bytes[i] = b' ';
                            mended_any = true;
                        }
                    }
                    if !mended_any {
                        break;
                    }
                }
                Fix::GluedComment(at) => {
                    let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| at + p);
                    bytes[at..end].fill(b' ');
                }
            }
            // Whole characters became spaces, so this never fails; if it did, the index would
            // only keep what it has.
            let Ok(next) = String::from_utf8(bytes) else { break };
            index = Builder::read(&next, base);
            mended = Some(next);
        }
        index.text = text.into();
        index
    }

    /// The span of the key at the end of `path` (for [`Seg::Index`], the item's `-` or its node).
    pub fn key(&self, path: &[Seg]) -> Option<Range<usize>> {
        if path.is_empty() {
            return None;
        }
        Some(self.nodes[self.node(path)?].key.clone())
    }

    /// The span of the value node at `path` (a scalar as written, quotes included, or a whole
    /// collection; a block scalar from its `|` or `>` to the end of its last line).
    pub fn value(&self, path: &[Seg]) -> Option<Range<usize>> {
        Some(self.nodes[self.node(path)?].value.clone())
    }

    /// The span of the `nth` (0-based) scalar equal to `value` under `path`: the scalar itself when
    /// `path` names one, or an item of the sequence it names, or a key of the mapping it names.
    /// Scalars are compared by their parsed value (or by that value trimmed, as callers pass it, or
    /// as written); a string that only contains `value` (a link in a timeline entry's `body`)
    /// gives the span of `value` inside it. The span is that of `value` as written where the text
    /// reads as written (`2012-13` inside `"2012-13"`), else of the whole scalar. Falls back to the
    /// last occurrence found, then to the deepest key found on the path, then to the start of the
    /// range.
    pub fn locate(&self, path: &[Seg], value: Option<&str>, nth: usize) -> Range<usize> {
        let mut found = self.base..self.base;
        if self.nodes.is_empty() {
            return found;
        }
        let mut node = 0;
        for seg in path {
            match self.child(node, *seg) {
                Some(child) => {
                    node = child;
                    found = self.nodes[child].key.clone();
                }
                None => return found,
            }
        }
        let Some(value) = value else { return found };
        if let Some(items) = self.items.get(&(node, value.to_string())) {
            if let Some(&item) = items.get(nth).or(items.last()) {
                return self.scalar_span(item, value);
            }
        }
        if let Some(key) = self.child(node, Seg::Key(value)) {
            return self.nodes[key].key.clone();
        }
        let Some(scalar) = &self.nodes[node].scalar else { return found };
        if scalar.text == value || scalar.text.trim() == value || self.written(node) == value {
            return self.scalar_span(node, value);
        }
        self.find_in(scalar, value, nth).unwrap_or(found)
    }

    /// For a string scalar at `path` (such as a timeline entry's Markdown `body: |`), the byte offset
    /// in `source` of byte `offset` of the parsed string: exact for literal block scalars (`|`, `|-`,
    /// `|+`, with any indentation), and for other styles wherever the parsed string and the text as
    /// written agree up to that byte (single-line plain or quoted scalars without escapes, the first
    /// line of others); otherwise the start of the scalar's content.
    pub fn scalar_offset(&self, path: &[Seg], offset: usize) -> Option<usize> {
        let scalar = self.nodes[self.node(path)?].scalar.as_ref()?;
        Some(self.map_offset(scalar, offset).0)
    }

    /// A quote or bracket that the parser found never closed: `quote`, `` `[` `` or `` `{` ``, and
    /// where it opened.
    fn unclosed(&self) -> Option<(&'static str, usize)> {
        let broken = self.broken.as_ref()?;
        match (broken.quote, broken.open) {
            (Some(at), _) => Some(("quote", at)),
            (None, Some(('{', at))) => Some(("`{`", at)),
            (None, Some((_, at))) => Some(("`[`", at)),
            (None, None) => None,
        }
    }

    /// The span of the second `key` of the innermost mapping around `near` that repeats it, or of
    /// the first repeat of `key` anywhere.
    fn repeated(&self, key: &str, near: usize) -> Option<Range<usize>> {
        let repeats = || self.repeats.iter().filter(|r| r.key == key);
        let mapping = |r: &Repeat| self.nodes[r.mapping].value.clone();
        let innermost = repeats()
            .filter(|r| mapping(r).contains(&near) || mapping(r).start == near)
            .min_by_key(|r| std::cmp::Reverse(mapping(r).start));
        Some(innermost.or_else(|| repeats().next())?.span.clone())
    }

    /// The text of `node` as written.
    fn written(&self, node: usize) -> &str {
        let span = &self.nodes[node].value;
        self.text.get(span.start - self.base..span.end - self.base).unwrap_or_default()
    }

    /// The span of `value` in the scalar `node` that equals it, as written or parsed (trimmed or
    /// not): the text itself where it is written as it reads, else the whole scalar.
    fn scalar_span(&self, node: usize, value: &str) -> Range<usize> {
        let Node { value: span, scalar, .. } = &self.nodes[node];
        let Some(scalar) = scalar.as_ref().filter(|_| !value.is_empty() && self.written(node) != value) else {
            return span.clone();
        };
        let Some(offset) = scalar.text.find(value) else { return span.clone() };
        match self.map_offset(scalar, offset) {
            (at, true) if self.text.get(at - self.base..at - self.base + value.len()) == Some(value) => {
                at..at + value.len()
            }
            _ => span.clone(),
        }
    }

    fn node(&self, path: &[Seg]) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        path.iter().try_fold(0, |node, seg| self.child(node, *seg))
    }

    fn child(&self, node: usize, seg: Seg) -> Option<usize> {
        let child = match seg {
            Seg::Key(key) => Child::Key(key.to_string()),
            Seg::Index(i) => Child::Item(i),
        };
        self.children.get(&(node, child)).copied()
    }

    /// The span of the `nth` (or last) occurrence of `value` inside the string of `scalar`, as a
    /// word of its own (so that `/a/` is not found in `/a/b/`).
    fn find_in(&self, scalar: &Scalar, value: &str, nth: usize) -> Option<Range<usize>> {
        if value.is_empty() {
            return None;
        }
        let text = &scalar.text;
        let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
        let found = text
            .match_indices(value)
            .filter(|&(i, _)| edge(text[..i].chars().next_back()) && edge(text[i + value.len()..].chars().next()))
            .take(nth.saturating_add(1))
            .last()?
            .0;
        let (at, exact) = self.map_offset(scalar, found);
        let line_end = |from: usize| {
            let rest = self.text.get(from - self.base..).unwrap_or_default();
            from + rest.find(['\n', '\r']).unwrap_or(rest.len())
        };
        Some(if exact { at..(at + value.len()).min(line_end(at)) } else { at..line_end(at) })
    }

    /// The offset in the source of byte `offset` of the string of `scalar`, and whether it is exact.
    fn map_offset(&self, scalar: &Scalar, offset: usize) -> (usize, bool) {
        let text = &scalar.text;
        let offset = floor_char(text, offset.min(text.len()));
        let content = scalar.content - self.base;
        if scalar.style == ScalarStyle::Literal {
            return self.literal_offset(scalar, offset).unwrap_or((scalar.content, false));
        }
        // Up to and with the character at `offset`.
        let upto = text[offset..].chars().next().map_or(offset, |c| offset + c.len_utf8());
        if self.text.as_bytes().get(content..).is_some_and(|written| written.starts_with(&text.as_bytes()[..upto])) {
            (scalar.content + offset, true)
        } else {
            (scalar.content, false)
        }
    }

    /// A literal block scalar keeps each line as written after its indentation, one line of the
    /// string per line of the text, so the line and column of `offset` in the string give it.
    fn literal_offset(&self, scalar: &Scalar, offset: usize) -> Option<(usize, bool)> {
        let text = &scalar.text;
        let content = scalar.content - self.base;
        let first_line = self.text[..content].rfind('\n').map_or(0, |i| i + 1);
        let indent = content - first_line;
        // Blank lines before the first one that is not, where the parser's mark is.
        let blank = text.len() - text.trim_start_matches('\n').len();
        let line = text[..offset].matches('\n').count();
        let column = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
        if line < blank {
            return Some((scalar.content, false));
        }
        let mut start = first_line;
        for _ in blank..line {
            start += self.text[start..].find('\n')? + 1;
        }
        let rest = &self.text[start..];
        let end = start + rest.find(['\n', '\r']).unwrap_or(rest.len());
        // Where the parser and this count lines differently (a lone `\r` breaks a line for it), the
        // offset may fall inside a character.
        let at = floor_char(&self.text, start + indent + column);
        Some(if at <= end { (self.base + at, true) } else { (self.base + end, false) })
    }
}

/// The characters of `text` that take more than one byte: their index in characters, and the extra
/// bytes of all of them up to and with it. The parser's marks count characters; spans are bytes.
fn wide_chars(text: &str) -> Vec<(usize, usize)> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut extra = 0;
    let mut wide = Vec::new();
    for (i, c) in text.chars().enumerate() {
        if c.len_utf8() > 1 {
            extra += c.len_utf8() - 1;
            wide.push((i, extra));
        }
    }
    wide
}

/// What saphyr-parser refuses and libyaml reads, and can be mended without moving any offset.
#[derive(Debug, Clone, Copy)]
enum Fix {
    /// `title:\ttext`: YAML 1.2 wants a space after `:`; every such tab becomes one.
    TabAfterColon,
    /// `"text"#note` or `[a]#note`: YAML 1.2 wants a space before a comment; this comment, from
    /// its `#`, becomes spaces.
    GluedComment(usize),
}

/// Reads the events of one document into an [`Index`].
struct Builder<'a> {
    text: &'a str,
    base: usize,
    wide: Vec<(usize, usize)>,
    index: Index,
    stack: Vec<Frame>,
    /// The end of the previous event, in `text`: between it and the next event lie only
    /// indicators (`:`, `-`, `|`), comments, tags and anchors.
    prev_end: usize,
    /// How deep the events are inside a key that is a collection (`? [a, b]`), which no path names.
    skipping: usize,
}

/// An open collection.
struct Frame {
    node: usize,
    /// Whether it is written `[...]` or `{...}`, so that its end event marks its end.
    flow: bool,
    /// The end of its last child so far: a block collection ends there, not at the next token.
    end: usize,
    kind: FrameKind,
}

enum FrameKind {
    Sequence {
        next: usize,
    },
    /// `key` is `None` while a key is expected, then the key read (its string and span, or `None`
    /// for a key that is not a scalar).
    Mapping {
        key: Option<Option<(String, Range<usize>)>>,
    },
}

impl Builder<'_> {
    fn read(text: &str, base: usize) -> Index {
        let mut builder = Builder {
            text,
            base,
            wide: wide_chars(text),
            index: Index::default(),
            stack: Vec::new(),
            prev_end: 0,
            skipping: 0,
        };
        builder.run();
        builder.index.base = base;
        builder.index
    }

    fn run(&mut self) {
        let mut documents = 0;
        for event in Parser::new_from_str(self.text) {
            let (event, span) = match event {
                Ok(event) => event,
                Err(err) => {
                    self.broken(&err);
                    break;
                }
            };
            let (start, end) = (self.byte(span.start.index()), self.byte(span.end.index()));
            match event {
                Event::DocumentStart(_) => {
                    // Brief's files hold one document; serde_yaml refuses more.
                    documents += 1;
                    if documents > 1 {
                        break;
                    }
                }
                Event::Scalar(value, style, ..) => self.scalar(value.into_owned(), style, start..end),
                Event::Alias(_) => self.alias(start..end),
                Event::SequenceStart(..) => self.open(false, start..end),
                Event::MappingStart(..) => self.open(true, start..end),
                Event::SequenceEnd | Event::MappingEnd => self.close(end),
                _ => {}
            }
            self.prev_end = self.prev_end.max(end);
        }
        // Collections left open by a syntax error end where their last child ended.
        while let Some(frame) = self.stack.pop() {
            self.finish(frame, None);
        }
    }

    /// Byte offset in `text` of a mark's index in characters.
    fn byte(&self, chars: usize) -> usize {
        let before = self.wide.partition_point(|&(i, _)| i < chars);
        let extra = before.checked_sub(1).map_or(0, |i| self.wide[i].1);
        floor_char(self.text, (chars + extra).min(self.text.len()))
    }

    fn span(&self, range: Range<usize>) -> Range<usize> {
        self.base + range.start..self.base + range.end
    }

    /// The first of `wanted` in the text between the previous event and `before`.
    fn indicator(&self, wanted: &[u8], before: usize) -> Option<usize> {
        let from = self.prev_end.min(before);
        indicator(self.text.as_bytes().get(from..before)?, wanted).map(|i| from + i)
    }

    /// Whether a key is expected: then a scalar is a key, and a collection a key no path names.
    fn expects_key(&self) -> bool {
        self.skipping == 0 && matches!(self.stack.last(), Some(Frame { kind: FrameKind::Mapping { key: None }, .. }))
    }

    fn scalar(&mut self, text: String, style: ScalarStyle, range: Range<usize>) {
        if self.skipping > 0 {
            return;
        }
        if self.expects_key() {
            let span = self.span(range.clone());
            let Some(frame) = self.stack.last_mut() else { return };
            if self.index.children.contains_key(&(frame.node, Child::Key(text.clone()))) {
                self.index.repeats.push(Repeat { mapping: frame.node, key: text.clone(), span: span.clone() });
            }
            frame.end = frame.end.max(range.end);
            frame.kind = FrameKind::Mapping { key: Some(Some((text, span))) };
            return;
        }
        let (value, content) = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => {
                // The marks of a block scalar are those of its content; its `|` or `>` is in the
                // text before, after the `:` or `-`.
                let header = self.indicator(b"|>", range.start).unwrap_or(range.start);
                let written = self.text.get(header..range.end.max(header)).unwrap_or_default();
                let end = header + written.trim_end().len().max(1).min(written.len());
                (header..end, if text.is_empty() { end } else { range.start })
            }
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                // The end mark of a quoted scalar can lie past a comment after it on its line.
                let written = self.text.as_bytes().get(range.clone()).unwrap_or_default();
                let end = closing_quote(written).map_or(range.end, |i| range.start + i + 1);
                (range.start..end, (range.start + 1).min(end))
            }
            ScalarStyle::Plain => (range.clone(), range.start),
        };
        let scalar = Scalar { text, style, content: self.base + content };
        if self.attach(value.clone(), Some(scalar), value.clone()).is_some() {
            self.done(value.end);
        }
    }

    fn alias(&mut self, range: Range<usize>) {
        if self.skipping > 0 {
            return;
        }
        if self.expects_key() {
            if let Some(frame) = self.stack.last_mut() {
                frame.kind = FrameKind::Mapping { key: Some(None) };
            }
            return;
        }
        if self.attach(range.clone(), None, range.clone()).is_some() {
            self.done(range.end);
        }
    }

    fn open(&mut self, mapping: bool, range: Range<usize>) {
        if self.skipping > 0 || self.expects_key() {
            if let Some(Frame { kind: FrameKind::Mapping { key: key @ None }, .. }) = self.stack.last_mut() {
                *key = Some(None);
            }
            self.skipping += 1;
            return;
        }
        // A flow collection's start event spans its `[` or `{`; a block one's is empty.
        let flow = range.end > range.start;
        let Some(node) = self.attach(range.clone(), None, range.clone()) else {
            self.skipping += 1;
            return;
        };
        let kind = if mapping { FrameKind::Mapping { key: None } } else { FrameKind::Sequence { next: 0 } };
        self.stack.push(Frame { node, flow, end: range.end, kind });
    }

    fn close(&mut self, end: usize) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        if let Some(frame) = self.stack.pop() {
            self.finish(frame, Some(end));
        }
    }

    /// Ends `frame`'s collection: a flow one at its end event's `end`, a block one (or one left
    /// open by an error) after its last child.
    fn finish(&mut self, frame: Frame, end: Option<usize>) {
        let end = match end {
            Some(end) if frame.flow => end,
            _ => frame.end,
        };
        let start = self.index.nodes[frame.node].value.start;
        self.index.nodes[frame.node].value = start..(self.base + end).max(start);
        self.done(end);
    }

    /// A child that ends at `end` has been read.
    fn done(&mut self, end: usize) {
        if let Some(parent) = self.stack.last_mut() {
            parent.end = parent.end.max(end);
        }
    }

    /// Adds a node whose value spans `value` as the child of the open collection; `token` is its
    /// span as an item of a flow sequence. `None` when there is nowhere to put it.
    fn attach(&mut self, value: Range<usize>, scalar: Option<Scalar>, token: Range<usize>) -> Option<usize> {
        let id = self.index.nodes.len();
        let base = self.base;
        let in_block_sequence =
            matches!(self.stack.last(), Some(Frame { flow: false, kind: FrameKind::Sequence { .. }, .. }));
        let dash = if in_block_sequence { self.indicator(b"-", value.start) } else { None };
        let key = match self.stack.last_mut() {
            None if id == 0 => base + value.start..base + value.start,
            None => return None,
            Some(frame) => match &mut frame.kind {
                FrameKind::Sequence { next } => {
                    self.index.children.insert((frame.node, Child::Item(*next)), id);
                    *next += 1;
                    if let Some(scalar) = &scalar {
                        self.index.items.entry((frame.node, scalar.text.clone())).or_default().push(id);
                    }
                    let item = dash.map_or(token, |d| d..d + 1);
                    base + item.start..base + item.end
                }
                FrameKind::Mapping { key } => match key.take().flatten() {
                    Some((name, span)) => {
                        self.index.children.entry((frame.node, Child::Key(name))).or_insert(id);
                        span
                    }
                    None => base + value.start..base + value.start,
                },
            },
        };
        self.index.nodes.push(Node { key, value: self.span(value), scalar });
        Some(id)
    }

    fn broken(&mut self, err: &ScanError) {
        let rel = self.byte(err.marker().index());
        let info = err.info();
        // The scanner gives the start of a quoted scalar as the mark of these errors.
        let quote = ["while scanning a quoted scalar, found unexpected", "invalid indentation in quoted scalar"]
            .iter()
            .any(|p| info.starts_with(p))
            .then_some(self.base + rel);
        let open = self.stack.iter().rev().find(|f| f.flow).map(|f| {
            let bracket = if matches!(f.kind, FrameKind::Mapping { .. }) { '{' } else { '[' };
            (bracket, self.index.nodes[f.node].value.start)
        });
        let fix = if info.starts_with("':' must be followed by a valid YAML whitespace") {
            Some(Fix::TabAfterColon)
        } else if info.starts_with("comments must be separated") && self.text.as_bytes().get(rel) == Some(&b'#') {
            Some(Fix::GluedComment(rel))
        } else {
            None
        };
        self.index.broken = Some(Broken { fix, quote, open });
    }
}

/// The offset of the quote that closes the quoted scalar at the start of `written`.
fn closing_quote(written: &[u8]) -> Option<usize> {
    let quote = *written.first()?;
    let mut i = 1;
    while i < written.len() {
        match written[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && written.get(i + 1) == Some(&b'\'') => i += 1,
            c if c == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset in `gap`, text between two events, of the first of `wanted` that is not in a
/// comment, a tag or an anchor.
fn indicator(gap: &[u8], wanted: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < gap.len() {
        let c = gap[i];
        if wanted.contains(&c) {
            return Some(i);
        }
        let skip_to = |stop: &dyn Fn(u8) -> bool| gap[i..].iter().position(|&c| stop(c)).map_or(gap.len(), |p| i + p);
        i = match c {
            b'#' => skip_to(&|c| c == b'\n'),
            b'!' | b'&' => skip_to(&|c| c.is_ascii_whitespace()),
            _ => i + 1,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        speakers: Vec<String>,
    }

    fn src(s: &str) -> Arc<str> {
        Arc::from(s)
    }

    #[test]
    fn error_positions_are_offsets_into_the_whole_file() {
        let s = src("---\ntitle: x\ntitel: y\n---\nbody");
        let err = parse::<Doc>(Path::new("a.md"), &s, 4..22).unwrap_err();
        assert_eq!(err.line_col(), Some((3, 1)), "{err:?}");
        assert!(err.message.contains("unknown field `titel`"));
        assert!(err.help.as_deref().unwrap().contains("did you mean `title`?"));
    }

    #[test]
    fn missing_field_is_named() {
        let s = src("speakers: [a]\n");
        let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
        assert!(err.message.contains("missing required field `title`"), "{}", err.message);
    }

    #[test]
    fn empty_document_is_an_empty_mapping() {
        let s = src("");
        let err = parse::<Doc>(Path::new("a.md"), &s, 0..0).unwrap_err();
        assert!(err.message.contains("`title`"));
    }

    #[test]
    fn numbers_parse_as_strings_where_strings_are_wanted() {
        let s = src("title: 2002\n");
        let doc: Doc = parse(Path::new("t.yaml"), &s, 0..s.len()).unwrap();
        assert_eq!(doc.title, "2002");
    }

    #[test]
    fn locate_finds_values_in_flow_and_block_lists() {
        let text = "title: x\nspeakers: [su-bo, su-b]\ntopics:\n  - trade\n  - su-b\n";
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Key("speakers")], Some("su-b"), 0);
        assert_eq!(&text[r.clone()], "su-b");
        assert_eq!(crate::diagnostic::line_col(text, r.start), (2, 19));
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Key("topics")], Some("su-b"), 0);
        assert_eq!(crate::diagnostic::line_col(text, r.start), (5, 5));
    }

    #[test]
    fn locate_walks_into_sequence_items() {
        let text = "- date: 2002\n  title: a\n- date: 2011\n  title: b\n  speakers: [x]\n";
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Index(1), Seg::Key("date")], Some("2011"), 0);
        assert_eq!(&text[r.clone()], "2011");
        assert_eq!(crate::diagnostic::line_col(text, r.start), (3, 9));
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Index(1), Seg::Key("speakers")], Some("x"), 0);
        assert_eq!(crate::diagnostic::line_col(text, r.start), (5, 14));
    }

    #[test]
    fn locate_walks_into_flow_mappings() {
        let text = "- date: 2011\n  figure: {value: 12, unit: visitors, series: visitors, label: \"a, b\"}\n";
        let at = |key, value| {
            let r = Index::build(text, 0..text.len()).locate(
                &[Seg::Index(0), Seg::Key("figure"), Seg::Key(key)],
                Some(value),
                0,
            );
            (&text[r.clone()], crate::diagnostic::line_col(text, r.start))
        };
        assert_eq!(at("unit", "visitors"), ("visitors", (2, 29)));
        assert_eq!(at("series", "visitors"), ("visitors", (2, 47)));
        assert_eq!(at("label", "\"a, b\""), ("\"a, b\"", (2, 64)));
        // A key the mapping does not have falls back to the mapping's own key.
        assert_eq!(at("year", "2011"), ("figure", (2, 3)));
    }

    #[test]
    fn locate_walks_into_nested_mappings() {
        let text = "event:\n  start: x\n  end: y\n";
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Key("event"), Seg::Key("end")], Some("y"), 0);
        assert_eq!(&text[r.clone()], "y");
        assert_eq!(crate::diagnostic::line_col(text, r.start), (3, 8));
        // A key without the value falls back to the key itself, not its parent.
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Key("event"), Seg::Key("start")], Some("zzz"), 0);
        assert_eq!(crate::diagnostic::line_col(text, r.start), (2, 3));
    }

    #[test]
    fn locate_nth_finds_a_repeated_value() {
        let text = "title: x\nspeakers: [su-bo, su-bo]\n";
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Key("speakers")], Some("su-bo"), 1);
        assert_eq!(crate::diagnostic::line_col(text, r.start), (2, 19));
        let r = Index::build(text, 0..text.len()).locate(&[Seg::Key("speakers")], Some("su-bo"), 0);
        assert_eq!(crate::diagnostic::line_col(text, r.start), (2, 12));
    }

    #[test]
    fn syntax_errors_come_before_type_errors() {
        let s = src("---\ntitle: [unclosed\nspeakers: [a]\n---\n");
        let err = parse::<Doc>(Path::new("a.md"), &s, 4..s.len() - 4).unwrap_err();
        assert_eq!(err.line_col(), Some((2, 8)), "{err:?}");
        assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
        assert!(err.help.as_deref().unwrap().contains("unclosed quote or bracket"));
    }

    #[test]
    fn unclosed_quote_is_reported_where_it_opens() {
        let s = src("---\ntitle: x\nspeakers: [\"苏波\", \"a]\n\n---\n");
        let err = parse::<Doc>(Path::new("a.md"), &s, 4..s.len() - 4).unwrap_err();
        assert_eq!(err.line_col(), Some((3, 18)), "{err:?}");
        assert!(err.message.contains("quoted scalar"), "{}", err.message);
        assert!(!err.message.contains(" at line "), "{}", err.message);
        assert_eq!(err.label, "this quote is never closed");
    }

    #[test]
    fn repeated_keys_are_reported_at_the_second_one() {
        let s = src("---\ntitle: x\nspeakers: [a]\ntitle: y\n---\n");
        let err = parse::<Doc>(Path::new("a.md"), &s, 4..s.len() - 4).unwrap_err();
        assert_eq!(err.line_col(), Some((4, 1)), "{err:?}");
        assert_eq!(&s[err.span.clone().unwrap()], "title");
        assert!(err.message.contains("duplicate field `title`"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("keep only one `title:` line"));

        let s = src("- title: x\n  speakers: [a]\n- title: y\n  \"title\": z\n");
        let err = parse::<Vec<Doc>>(Path::new("t.yaml"), &s, 0..s.len()).unwrap_err();
        assert_eq!(err.line_col(), Some((4, 3)), "{err:?}");
        assert!(err.message.starts_with("entry 2: duplicate field `title`"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("title: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(scan(&deep), Some(Refused::TooDeep(7 + MAX_DEPTH)));
        let s = src(&deep);
        let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
        assert_eq!(err.line_col(), Some((1, 8 + MAX_DEPTH)), "{err:?}");
        assert!(err.message.contains("nested more than 100 levels"), "{}", err.message);
        let items = format!("{}x\n", "- ".repeat(1_000));
        assert_eq!(scan(&items), Some(Refused::TooDeep(2 * MAX_DEPTH)));
        let fine = format!("title: {}{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(scan(&fine), None);
        // Brackets inside text, quotes and comments do not count.
        let text = format!("title: a{0}\nsummary: \"{0}\"\n# {0}\n", "[".repeat(500));
        assert_eq!(scan(&text), None);
    }

    #[test]
    fn aliases_are_refused_and_look_alikes_are_not() {
        let bomb = "a: &a [lol, lol]\nb: &b [*a, *a]\nc: [*b, *b]\n";
        assert_eq!(scan(bomb), Some(Refused::Alias(24..26)));
        let s = src(bomb);
        let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
        assert_eq!(err.line_col(), Some((2, 8)), "{err:?}");
        assert!(err.message.contains("`*a` repeats the value marked `&a`"), "{}", err.message);
        for fine in [
            "title: Tom & *Jerry*\nsummary: x\n",
            "title: \"&a\"\nsummary: \"*a\"\n",
            "body: |\n  &a\n  *a is emphasis\ntitle: x\n",
            "- body: >\n    &a text\n  title: x\n- body: |\n    *a\n",
            "title: x # &a *a\n",
            "title: 'it''s &a'\nsummary: '*a'\n",
        ] {
            assert_eq!(scan(fine), None, "{fine}");
        }
    }

    #[test]
    fn tabs_in_indentation_are_named() {
        for text in ["event:\n  name: x\n\tcity: y\n", "title: x\n\tsummary: y\n"] {
            let s = src(text);
            let err = parse::<serde::de::IgnoredAny>(Path::new("site.yaml"), &s, 0..s.len()).unwrap_err();
            assert_eq!(err.message, "invalid YAML: a tab is used for indentation", "{text:?}");
            assert_eq!(&s[err.span.clone().unwrap()], "\t");
        }
    }

    #[test]
    fn a_list_or_text_where_fields_are_wanted_is_explained() {
        for (text, found) in [("- a\n- b\n", "a list (sequence)"), ("just text\n", "string \"just text\"")] {
            let s = src(text);
            let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
            assert_eq!(err.message, format!("expected `key: value` fields, found {found}"));
            assert!(!err.message.contains("struct"), "{}", err.message);
            assert!(err.help.as_deref().unwrap().contains("`title: ...`"));
        }
    }

    #[test]
    fn unique_maps_refuse_a_repeated_key() {
        let s = src("a:\n  title: x\nb:\n  title: y\na:\n  title: z\n");
        let err = parse::<UniqueMap<Doc>>(Path::new("topics.yaml"), &s, 0..s.len()).unwrap_err();
        assert_eq!(err.line_col(), Some((5, 1)), "{err:?}");
        assert_eq!(err.message, "duplicate entry with key `a`");
        let s = src("a:\n  title: x\nb:\n  title: y\n");
        let map = parse::<UniqueMap<Doc>>(Path::new("topics.yaml"), &s, 0..s.len()).unwrap();
        assert_eq!(map.0.len(), 2);
    }

    #[test]
    fn paths_and_types_are_explained_for_people() {
        assert_eq!(human_path(".[1]"), "entry 2");
        assert_eq!(human_path(".[1].figures[0].value"), "entry 2, figures entry 1, value");
        assert_eq!(human_path("event.city"), "event.city");
        assert_eq!(human_path("a[b"), "a.[b");
        let s = src("title: [a, b]\n");
        let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
        assert_eq!(err.message, "title: invalid type: sequence, expected a string");
        assert_eq!(err.help.as_deref(), Some("change the value to a string (text)"));
        let s = src("title: x\nspeakers: 5\n");
        let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
        assert!(err.help.as_deref().unwrap().contains("a list"), "{err:?}");
    }

    /// The text of `span` in `text` and the line and column where it starts.
    fn shown(text: &str, span: Range<usize>) -> (&str, (usize, usize)) {
        (&text[span.clone()], crate::diagnostic::line_col(text, span.start))
    }

    #[test]
    fn index_gives_keys_and_values_of_block_and_flow_collections() {
        use Seg::{Index as I, Key as K};
        let text = "title: \"A title\"\n\"quoted\": 'x'\nspeakers:\n  - a\n  - {slug: b, role: host}\n\
                    figure: {value: 12, unit: x}\nnested:\n  deeper:\n    - [1, 2]\n    - - c\n      - d\n";
        let index = Index::build(text, 0..text.len());
        let key = |path: &[Seg]| shown(text, index.key(path).unwrap());
        let value = |path: &[Seg]| shown(text, index.value(path).unwrap());
        assert_eq!(key(&[K("title")]), ("title", (1, 1)));
        assert_eq!(value(&[K("title")]), ("\"A title\"", (1, 8)));
        assert_eq!(key(&[K("quoted")]), ("\"quoted\"", (2, 1)));
        assert_eq!(value(&[K("quoted")]), ("'x'", (2, 11)));
        assert_eq!(key(&[K("speakers"), I(0)]), ("-", (4, 3)));
        assert_eq!(value(&[K("speakers"), I(0)]), ("a", (4, 5)));
        assert_eq!(key(&[K("speakers"), I(1)]), ("-", (5, 3)));
        assert_eq!(value(&[K("speakers"), I(1)]), ("{slug: b, role: host}", (5, 5)));
        assert_eq!(value(&[K("speakers"), I(1), K("role")]), ("host", (5, 21)));
        assert_eq!(value(&[K("speakers")]), ("- a\n  - {slug: b, role: host}", (4, 3)));
        assert_eq!(key(&[K("figure"), K("unit")]), ("unit", (6, 21)));
        assert_eq!(value(&[K("figure"), K("unit")]), ("x", (6, 27)));
        assert_eq!(value(&[K("figure")]), ("{value: 12, unit: x}", (6, 9)));
        // An item of a flow sequence is its own key; a block sequence inside one starts at its `-`.
        assert_eq!(key(&[K("nested"), K("deeper"), I(0), I(1)]), ("2", (9, 11)));
        assert_eq!(key(&[K("nested"), K("deeper"), I(1)]), ("-", (10, 5)));
        assert_eq!(key(&[K("nested"), K("deeper"), I(1), I(0)]), ("-", (10, 7)));
        assert_eq!(key(&[K("nested"), K("deeper"), I(1), I(1)]), ("-", (11, 7)));
        assert_eq!(value(&[K("nested"), K("deeper"), I(1), I(1)]), ("d", (11, 9)));
        assert_eq!(index.value(&[]), Some(0..text.len() - 1));
        assert_eq!(index.key(&[]), None);
        assert_eq!(index.key(&[K("missing")]), None);
        assert_eq!(index.value(&[K("title"), K("deeper")]), None);
        assert_eq!(index.value(&[K("speakers"), I(2)]), None);
    }

    #[test]
    fn located_values_are_their_text_inside_quotes_where_it_reads_as_written() {
        use Seg::{Index as I, Key as K};
        let text = "- date: \"2012-13\"\n  speakers: [\"a\", 'b', \"c\\u0041\", \"\"]\n  title: ' x '\n";
        let index = Index::build(text, 0..text.len());
        let at = |path: &[Seg], value| shown(text, index.locate(path, Some(value), 0));
        assert_eq!(at(&[I(0), K("date")], "2012-13"), ("2012-13", (1, 10)));
        assert_eq!(at(&[I(0), K("date")], "\"2012-13\""), ("\"2012-13\"", (1, 9)));
        assert_eq!(at(&[I(0), K("speakers")], "a"), ("a", (2, 15)));
        assert_eq!(at(&[I(0), K("speakers")], "b"), ("b", (2, 20)));
        // Written otherwise than it reads, or empty: the whole scalar.
        assert_eq!(at(&[I(0), K("speakers")], "cA"), ("\"c\\u0041\"", (2, 24)));
        assert_eq!(at(&[I(0), K("speakers")], ""), ("\"\"", (2, 35)));
        // Trimmed, as callers pass values.
        assert_eq!(at(&[I(0), K("title")], "x"), ("x", (3, 12)));
    }

    #[test]
    fn flow_mappings_inside_block_sequences() {
        use Seg::{Index as I, Key as K};
        let text = "- {date: 2011, title: a}\n- date: 2012\n  figure: {value: 12, unit: visitors}\n- [x, {y: z}]\n";
        let index = Index::build(text, 0..text.len());
        assert_eq!(shown(text, index.locate(&[I(0), K("date")], Some("2011"), 0)), ("2011", (1, 10)));
        assert_eq!(shown(text, index.locate(&[I(0), K("title")], Some("a"), 0)), ("a", (1, 23)));
        assert_eq!(shown(text, index.key(&[I(0)]).unwrap()), ("-", (1, 1)));
        assert_eq!(shown(text, index.value(&[I(0)]).unwrap()), ("{date: 2011, title: a}", (1, 3)));
        let unit = index.locate(&[I(1), K("figure"), K("unit")], Some("visitors"), 0);
        assert_eq!(shown(text, unit), ("visitors", (3, 29)));
        assert_eq!(shown(text, index.value(&[I(2), I(1), K("y")]).unwrap()), ("z", (4, 11)));
        // A key missing from the flow mapping falls back to the mapping's own key.
        assert_eq!(shown(text, index.locate(&[I(1), K("figure"), K("year")], Some("x"), 0)), ("figure", (3, 3)));
        // An item past the end falls back to the start of the document.
        assert_eq!(index.locate(&[I(9), K("date")], Some("2011"), 0), 0..0);
    }

    #[test]
    fn columns_count_characters_after_multi_byte_text() {
        use Seg::Key as K;
        let text = "title: 苏波 and Tiếng Việt\nspeakers: [苏波, tiếng-việt, su-bo]\n\
                    summary: \"Tiếng Việt\" # 苏波\nbody: |\n  苏波 see /x/\n";
        let index = Index::build(text, 0..text.len());
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("su-bo"), 0)), ("su-bo", (2, 28)));
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("tiếng-việt"), 0)), ("tiếng-việt", (2, 16)));
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("苏波"), 0)), ("苏波", (2, 12)));
        assert_eq!(shown(text, index.value(&[K("summary")]).unwrap()), ("\"Tiếng Việt\"", (3, 10)));
        assert_eq!(shown(text, index.value(&[K("title")]).unwrap()), ("苏波 and Tiếng Việt", (1, 8)));
        let at = index.scalar_offset(&[K("body")], "苏波 see ".len()).unwrap();
        assert_eq!(crate::diagnostic::line_col(text, at), (5, 10));
        assert!(text[at..].starts_with("/x/"));
        assert_eq!(shown(text, index.locate(&[K("body")], Some("/x/"), 0)), ("/x/", (5, 10)));
    }

    #[test]
    fn crlf_files() {
        use Seg::Key as K;
        let text = "title: x\r\nspeakers: [a, b]\r\nevent:\r\n  start: 2030-05-14\r\nbody: |\r\n  one\r\n  see /x/\r\nlast: y\r\n";
        let index = Index::build(text, 0..text.len());
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("b"), 0)), ("b", (2, 15)));
        let start = index.locate(&[K("event"), K("start")], Some("2030-05-14"), 0);
        assert_eq!(shown(text, start), ("2030-05-14", (4, 10)));
        assert_eq!(shown(text, index.value(&[K("body")]).unwrap()), ("|\r\n  one\r\n  see /x/", (5, 7)));
        let at = index.scalar_offset(&[K("body")], "one\nsee ".len()).unwrap();
        assert_eq!((&text[at..at + 3], crate::diagnostic::line_col(text, at)), ("/x/", (7, 7)));
        assert_eq!(shown(text, index.key(&[K("last")]).unwrap()), ("last", (8, 1)));
    }

    #[test]
    fn a_value_in_a_list_of_twenty_thousand_is_found_by_look_up() {
        use Seg::Key as K;
        let slugs: Vec<String> = (0..20_000).map(|i| format!("nobody-{i:05}")).collect();
        let text = format!("title: x\nspeakers: [{}]\n", slugs.join(", "));
        let index = Index::build(&text, 0..text.len());
        // Each look-up is one hash look-up: all 20,000 take about as long as one search of the text.
        for (i, slug) in slugs.iter().enumerate() {
            let span = index.locate(&[K("speakers")], Some(slug), 0);
            // `title: x\n` and `speakers: [` are 20 bytes, each name and its `, ` 14.
            assert_eq!(span, 20 + 14 * i..20 + 14 * i + 12, "{slug}");
        }
        // A value repeated in a block list: the nth, then the last for any n past the end.
        let text = format!("title: x\nspeakers:\n{}", "  - same\n".repeat(20_000));
        let index = Index::build(&text, 0..text.len());
        let line = |nth| crate::diagnostic::line_col(&text, index.locate(&[K("speakers")], Some("same"), nth).start);
        assert_eq!(line(0), (3, 5));
        assert_eq!(line(12_345), (12_348, 5));
        assert_eq!(line(19_999), (20_002, 5));
        assert_eq!(line(20_000), (20_002, 5));
    }

    #[test]
    fn scalar_offsets_in_block_and_flow_scalars() {
        use Seg::{Index as I, Key as K};
        let body = "First line.\n\n  An indented line.\nSee [x](/a/).\n";
        let link = body.find("/a/").unwrap();
        for indent in [2, 4] {
            let pad = " ".repeat(indent);
            let lines: String =
                body.lines().map(|l| if l.is_empty() { "\n".into() } else { format!("{pad}{l}\n") }).collect();
            for (header, parsed) in [("|", body), ("|-", body.trim_end()), ("|+", body)] {
                let text = format!("title: x\nbody: {header}\n{lines}");
                let index = Index::build(&text, 0..text.len());
                assert_eq!(index.nodes[index.node(&[K("body")]).unwrap()].scalar.as_ref().unwrap().text, parsed);
                let at = index.scalar_offset(&[K("body")], link).unwrap();
                assert!(text[at..].starts_with("/a/)"), "{header} with {indent} spaces: {text:?} {:?}", &text[at..]);
                assert_eq!(crate::diagnostic::line_col(&text, at).0, 6);
                let at = index.scalar_offset(&[K("body")], body.find("An").unwrap()).unwrap();
                assert!(text[at..].starts_with("An indented"), "{:?}", &text[at..]);
                assert_eq!(index.scalar_offset(&[K("body")], 0), Some(text.find("First").unwrap()));
            }
            // In a timeline entry, with a blank line first and an indentation given (2 more than
            // the key's), so that the first line keeps spaces of its own.
            let text = format!("- date: 2011\n  body: |2\n\n    {pad}x\n    {pad}See [x](/a/).\n");
            let index = Index::build(&text, 0..text.len());
            let parsed = format!("\n{pad}x\n{pad}See [x](/a/).\n");
            let at = index.scalar_offset(&[I(0), K("body")], parsed.find("/a/").unwrap()).unwrap();
            assert!(text[at..].starts_with("/a/)"), "{:?}", &text[at..]);
            let at = index.scalar_offset(&[I(0), K("body")], parsed.find('x').unwrap()).unwrap();
            assert_eq!(crate::diagnostic::line_col(&text, at), (4, 5 + indent));
        }
        let text = "- date: 2011\n  body: See [x](/speakers/jane-do/).\n  quoted: 'a ''b'' /c/'\n  \
                    folded: >\n    one\n    two /d/\n  plain: one\n    two /e/\n";
        let index = Index::build(text, 0..text.len());
        // Plain text on one line, as written.
        let at = index.scalar_offset(&[I(0), K("body")], 8).unwrap();
        assert_eq!(crate::diagnostic::line_col(text, at), (2, 17));
        assert_eq!(shown(text, index.locate(&[I(0), K("body")], Some("/speakers/jane-do/"), 0)).1, (2, 17));
        // Up to an escape the text is as written; after it, the start of the content.
        let quoted = text.find("'a ").unwrap();
        assert_eq!(index.scalar_offset(&[I(0), K("quoted")], 1), Some(quoted + 2));
        assert_eq!(index.scalar_offset(&[I(0), K("quoted")], 7), Some(quoted + 1));
        // Folded and multi-line plain scalars: exact on their first line, then the content's start.
        let folded = text.find("one\n    two /d/").unwrap();
        assert_eq!(index.scalar_offset(&[I(0), K("folded")], 1), Some(folded + 1));
        assert_eq!(index.scalar_offset(&[I(0), K("folded")], "one two ".len()), Some(folded));
        let plain = text.find("one\n    two /e/").unwrap();
        assert_eq!(index.scalar_offset(&[I(0), K("plain")], "one two ".len()), Some(plain));
        // Past the end: the end; not a scalar, or no such path: nothing.
        assert_eq!(index.scalar_offset(&[I(0), K("quoted")], 99), Some(quoted + 1));
        assert_eq!(index.scalar_offset(&[I(0)], 0), None);
        assert_eq!(index.scalar_offset(&[I(1), K("body")], 0), None);
    }

    #[test]
    fn an_index_of_a_broken_document_keeps_what_came_before() {
        use Seg::{Index as I, Key as K};
        let text = "title: x\nspeakers: [a, b]\nbad: a: b\nlater: y\n";
        let index = Index::build(text, 0..text.len());
        assert!(index.broken.is_some());
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("b"), 0)), ("b", (2, 15)));
        assert_eq!(shown(text, index.value(&[K("speakers")]).unwrap()), ("[a, b]", (2, 11)));
        assert_eq!(index.value(&[K("later")]), None);
        assert_eq!(index.locate(&[K("later")], Some("y"), 0), 0..0);
        // A quote never closed: where it opened; a bracket never closed: where it opened.
        let text = "title: x\nspeakers: [a, \"b\nc: d\n";
        let index = Index::build(text, 0..text.len());
        assert_eq!(index.unclosed(), Some(("quote", text.find('"').unwrap())));
        assert_eq!(shown(text, index.value(&[K("speakers"), I(0)]).unwrap()), ("a", (2, 12)));
        let text = "title: x\nspeakers: [a, {b: c\n";
        let index = Index::build(text, 0..text.len());
        assert_eq!(index.unclosed(), Some(("`{`", text.find('{').unwrap())));
        assert_eq!(shown(text, index.value(&[K("speakers"), I(1), K("b")]).unwrap()), ("c", (2, 19)));
        // The collections left open end after what was read of them.
        assert_eq!(shown(text, index.value(&[K("speakers")]).unwrap()), ("[a, {b: c", (2, 11)));
    }

    #[test]
    fn an_index_of_front_matter_gives_offsets_in_the_whole_file() {
        use Seg::Key as K;
        let text = "---\ntitle: x\nspeakers: [a, b]\n---\nThe speakers: [a, b] again.\n";
        let range = 4..text.find("---\nThe").unwrap();
        let index = Index::build(text, range.clone());
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("b"), 0)), ("b", (3, 15)));
        assert_eq!(shown(text, index.key(&[K("title")]).unwrap()), ("title", (2, 1)));
        assert_eq!(index.locate(&[K("summary")], Some("b"), 0), 4..4);
        assert_eq!(Index::build(text, range).locate(&[K("speakers")], Some("a"), 0), 24..25);
        // A range that is not in the text, or not on character boundaries, is an empty document.
        #[allow(clippy::reversed_empty_ranges)]
        let ranges = [90..99, 5..2, 1..2];
        for range in ranges {
            let index = Index::build("苏波", range);
            assert_eq!(index.value(&[]), None);
            let _ = index.locate(&[K("a")], Some("b"), 3);
        }
    }

    #[test]
    fn repeated_keys_are_found_from_events() {
        let text = "figure: {value: 1, unit: x, \"value\": 2}\nevent:\n  name: a\n  name: b\n";
        let index = Index::build(text, 0..text.len());
        assert_eq!(shown(text, index.repeated("value", 8).unwrap()), ("\"value\"", (1, 29)));
        assert_eq!(shown(text, index.repeated("name", 49).unwrap()), ("name", (4, 3)));
        assert_eq!(index.repeated("unit", 8), None);
        let s = src("{title: x, title: y}\n");
        let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
        assert_eq!((&s[err.span.clone().unwrap()], err.line_col()), ("title", Some((1, 12))));
        // The same key in two mappings is no repeat.
        let s = src("- title: x\n- title: y\n");
        assert!(parse::<Vec<Doc>>(Path::new("t.yaml"), &s, 0..s.len()).is_ok());
    }

    #[test]
    fn unclosed_brackets_are_reported_where_they_open() {
        for (text, what, at) in [
            ("title: x\nspeakers: [a, b\n", "`[`", (2, 11)),
            ("title: {a: b\n", "`{`", (1, 8)),
            ("title: 'x\nspeakers: [a]\n", "quote", (1, 8)),
            ("title: x\nspeakers: [a, [b, c], \"苏波\n", "quote", (2, 23)),
        ] {
            let s = src(text);
            let err = parse::<Doc>(Path::new("a.md"), &s, 0..s.len()).unwrap_err();
            assert_eq!(
                (err.line_col(), err.label.as_str()),
                (Some(at), &*format!("this {what} is never closed")),
                "{text}"
            );
        }
    }

    #[test]
    fn what_serde_yaml_reads_and_saphyr_does_not_is_indexed_as_far_as_it_can_be() {
        use Seg::{Index as I, Key as K};
        // A tab after `:`, or a comment right after a quote or bracket: YAML 1.2 refuses them,
        // libyaml reads them, and the index mends them with spaces where they are.
        let text = "title:\tx\nspeakers: [a, b]#note\nsummary: \"s\"#苏波\n- a:\tb\n";
        let text = &text[..text.find("- a").unwrap()];
        assert!(serde_yaml::from_str::<serde_yaml::Value>(text).is_ok());
        let index = Index::build(text, 0..text.len());
        assert!(index.broken.is_none(), "{:?}", index.broken);
        assert_eq!(shown(text, index.value(&[K("title")]).unwrap()), ("x", (1, 8)));
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("b"), 0)), ("b", (2, 15)));
        assert_eq!(shown(text, index.value(&[K("summary")]).unwrap()), ("\"s\"", (3, 10)));
        let text = "- a:\tb\n- {c:\td}\n";
        let index = Index::build(text, 0..text.len());
        assert_eq!(shown(text, index.value(&[I(1), K("c")]).unwrap()), ("d", (2, 7)));
        // A line of a list or a quoted string less indented than its key: YAML 1.2 refuses it and
        // cannot be mended without moving offsets, so the index keeps what came before it.
        let text = "title: x\nspeakers: [a, b,\nc]\nsummary: y\n";
        assert!(serde_yaml::from_str::<serde_yaml::Value>(text).is_ok());
        let index = Index::build(text, 0..text.len());
        assert!(index.broken.is_some());
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("b"), 0)), ("b", (2, 15)));
        assert_eq!(shown(text, index.locate(&[K("speakers")], Some("c"), 0)), ("speakers", (2, 1)));
        assert_eq!(index.locate(&[K("summary")], Some("y"), 0), 0..0);
    }

    /// Text made by a small deterministic generator from pieces of YAML: the index and the parser
    /// must not panic on any of it.
    #[test]
    fn arbitrary_text_never_panics() {
        use Seg::{Index as I, Key as K};
        let pieces = [
            "title",
            "speakers",
            ": ",
            ":",
            ":\t",
            "- ",
            "-",
            "\n",
            "\r\n",
            "  ",
            "\t",
            "[",
            "]",
            "{",
            "}",
            ", ",
            "\"",
            "'",
            "''",
            "\\",
            "#",
            " # c",
            "|",
            "|-",
            "|+",
            "|2",
            ">",
            "? ",
            "---",
            "...",
            "&a ",
            "*a",
            "!!str ",
            "苏波",
            "Tiếng",
            "\u{feff}",
            "x",
            "2011",
            "body",
            "/a/",
            "%YAML 1.2\n",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3_000 {
            let len = next(40);
            let text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            let cut = floor_char(&text, next(text.len() + 1));
            for range in [0..text.len(), cut..text.len(), 0..cut] {
                let index = Index::build(&text, range.clone());
                for path in [&[][..], &[K("title")], &[I(0)], &[K("speakers"), I(1)], &[I(0), K("body")]] {
                    let _ = (index.key(path), index.value(path));
                    let _ = index.locate(path, Some("x"), 1);
                    let _ = index.locate(path, Some("/a/"), 0);
                    for offset in [0, 1, 3, 99] {
                        if let Some(at) = index.scalar_offset(path, offset) {
                            assert!(range.contains(&at) || at == range.end, "{text:?} {path:?} {offset}");
                        }
                    }
                }
                let s = src(&text);
                let _ = parse::<Doc>(Path::new("a.md"), &s, range.clone()).map_err(|e| e.render(false));
                let _ = parse::<UniqueMap<Doc>>(Path::new("a.md"), &s, range).map_err(|e| e.render(false));
            }
        }
    }
}
