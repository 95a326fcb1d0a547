//! The one place that parses YAML (front matter, `site.yaml`, `topics.yaml`, `timeline.yaml`).
//!
//! Keeping the YAML crate behind this module means it can be swapped in one place. Errors come
//! back as [`Diagnostic`]s whose positions are offsets into the whole file, so an error in the
//! front matter of a Markdown file points at the right line of that file.
//!
//! serde_yaml gives no positions for values that parsed fine but turn out to be wrong later (an
//! unknown speaker slug, say), so [`locate`] finds such a value again in the text by its key path.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostic::{suggest, Diagnostic};

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
    let full = err.to_string();
    let text = &source[range.clone()];
    // serde_yaml puts positions into its message, counted from the start of the YAML text; we show
    // the position our own way, counted from the start of the file.
    let stripped = strip_positions(&full);
    let (message, mut label, help) = explain(&stripped);
    let mut at = err.location().map_or(0, |loc| floor_char(text, loc.index().min(text.len())));
    if let Some(tab) = indenting_tab(text, at) {
        // libyaml says "found a tab character that violates indentation" or, before a key at the
        // start of a line, "found character that cannot start any token".
        let span = range.start + tab..range.start + tab + 1;
        return Diagnostic::at(file, source, span, "invalid YAML: a tab is used for indentation").label("tab").help(
            "YAML does not allow tabs for indentation: indent with spaces \
             (most editors can insert spaces when Tab is pressed)",
        );
    }
    let mut span = None;
    if let Some((what, line, column)) = unclosed(&full) {
        // Where the quote or bracket opened says more than where the text ran out.
        at = offset_of(text, line, column);
        label = format!("this {what} is never closed");
    } else if let Some(key) = repeated_key(split_path(&stripped).1) {
        // serde_yaml points at the start of the mapping; the mistake is the second key.
        if let Some(key_span) = second_key(text, at, key) {
            at = key_span.start;
            span = Some(key_span);
        }
    }
    let span = span.unwrap_or_else(|| at..at + text[at..].find(['\n', '\r']).unwrap_or(text.len() - at));
    Diagnostic::at(file, source, range.start + span.start..range.start + span.end, message).label(label).help(help)
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
                Diagnostic::at(file, source, offset + at..offset + at + 1, message).label("too deep").help(
                    "brief's files nest a few levels at most (a list inside a field): \
                     look for `[` or `{` that are never closed, or remove the extra levels",
                )
            }
            Refused::Alias(span) => {
                let name = &source[offset + span.start + 1..offset + span.end];
                let message = format!("YAML aliases are not allowed: `*{name}` repeats the value marked `&{name}`");
                Diagnostic::at(file, source, offset + span.start..offset + span.end, message).label("alias").help(
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

/// For a quote or bracket that is never closed, what it is and the 1-based line and column (in the
/// YAML text) where it opened, which serde_yaml gives as `..., while scanning a quoted scalar at
/// line L column C`.
fn unclosed(message: &str) -> Option<(&'static str, usize, usize)> {
    let (problem, context) = message.split_once(", while ")?;
    let never_closed = ["end of stream", "document indicator", "did not find expected ','"];
    if !never_closed.iter().any(|p| problem.contains(p)) {
        return None;
    }
    let what = [
        ("scanning a quoted scalar", "quote"),
        ("parsing a quoted scalar", "quote"),
        ("parsing a flow sequence", "`[`"),
        ("parsing a flow mapping", "`{`"),
    ];
    let (construct, name) = what.iter().find(|(c, _)| context.starts_with(c))?;
    let (line, column, _) = line_column(context[construct.len()..].strip_prefix(" at line ")?)?;
    Some((name, line, column))
}

/// The key named by a `duplicate field` or `duplicate entry` message.
fn repeated_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("duplicate ")?;
    let rest = rest.strip_prefix("field ").or_else(|| rest.strip_prefix("entry with key "))?;
    let quoted = |q: char| rest.strip_prefix(q).and_then(|r| r.split(q).next());
    quoted('`').or_else(|| quoted('"')).or(Some(rest)).filter(|k| !k.is_empty())
}

/// Byte offset in `text` of 1-based `line` and `column` (counted in characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = crate::diagnostic::line_start(text, line);
    let line_text = &text[start..];
    let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
    start + line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i)
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The span of the second `key:` of the block mapping that starts at `at` in `text`.
fn second_key(text: &str, at: usize, key: &str) -> Option<Range<usize>> {
    let first_line = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = at - first_line;
    let mut seen = 0;
    let mut pos = first_line;
    for raw in text[first_line..].split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let column = if start == first_line {
            indent
        } else {
            let trimmed = line.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let column = line.len() - trimmed.len();
            if column < indent {
                break;
            }
            column
        };
        if column != indent {
            continue;
        }
        if let Some(len) = key_len(&line[column..], key) {
            seen += 1;
            if seen == 2 {
                return Some(start + column..start + column + len);
            }
        }
    }
    None
}

/// If `text` starts with `key:` (the key plain or quoted), the length of the key as written.
fn key_len(text: &str, key: &str) -> Option<usize> {
    let written = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    written.into_iter().find_map(|w| {
        let rest = text.strip_prefix(w.as_str())?.trim_start_matches(' ');
        let after = rest.strip_prefix(':')?;
        (after.is_empty() || after.starts_with([' ', '\t', '\r', '\n'])).then_some(w.len())
    })
}

/// Turns a serde_yaml message into our message, caret label and help.
fn explain(message: &str) -> (String, String, String) {
    let (path, inner) = split_path(message);
    let at = |m: &str| match path {
        Some(p) => format!("{}: {m}", human_path(p)),
        None => m.to_string(),
    };
    if let Some(rest) = inner.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        let known = backticked(rest.split_once("expected").map_or("", |(_, k)| k));
        let help = suggest("field", field, known.iter().map(String::as_str));
        return (at(&format!("unknown field `{field}`")), "not a field here".into(), help);
    }
    if let Some(rest) = inner.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        return (
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
            return (at(&message), "not `key: value` fields".into(), help);
        }
        return (at(inner), "wrong type".into(), type_help(expected));
    }
    if let Some(key) = repeated_key(inner) {
        return (at(inner), "repeated key".into(), format!("keep only one `{key}:` line"));
    }
    (
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
    /// The n-th item (0-based) of a block sequence.
    Index(usize),
}

/// Finds the text of `value` under `path` in `source[range]`, for errors about values that parsed
/// but are wrong. Falls back to the deepest key found, then to the start of the document.
pub fn locate(source: &str, range: Range<usize>, path: &[Seg], value: Option<&str>) -> Range<usize> {
    locate_nth(source, range, path, value, 0)
}

/// Like [`locate`], for the `nth` (0-based) occurrence of `value` under `path`, such as the second
/// of two equal items of a list; falls back to the last occurrence found.
pub fn locate_nth(source: &str, range: Range<usize>, path: &[Seg], value: Option<&str>, nth: usize) -> Range<usize> {
    let mut block = range.clone();
    let mut found = range.start..range.start;
    for seg in path {
        let step = find_seg(source, block.clone(), *seg).or_else(|| match seg {
            Seg::Key(key) => find_flow_key(source, block.clone(), key),
            Seg::Index(_) => None,
        });
        match step {
            Some((head, body)) => {
                found = head;
                block = body;
            }
            None => return found,
        }
    }
    if let Some(value) = value {
        let text = &source[block.clone()];
        let mut from = 0;
        let mut seen = 0;
        while let Some(i) = text[from..].find(value) {
            let start = from + i;
            let end = start + value.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
            if edge(before) && edge(after) {
                found = block.start + start..block.start + end;
                if seen == nth {
                    return found;
                }
                seen += 1;
            }
            from = end;
        }
    }
    found
}

/// Finds `key` in the flow mapping that opens `range` (`{value: 12, unit: visitors}`): the span
/// of the key and the range of its value, up to the `,` or `}` that ends it.
fn find_flow_key(source: &str, range: Range<usize>, key: &str) -> Option<(Range<usize>, Range<usize>)> {
    let text = &source[range.clone()];
    let open = text.find(|c: char| !c.is_whitespace())?;
    if !text[open..].starts_with('{') {
        return None;
    }
    let (mut depth, mut quote, mut entry) = (0usize, None, open + 1);
    for (i, b) in text.bytes().enumerate().skip(open) {
        if let Some(q) = quote {
            quote = (b != q).then_some(q);
            continue;
        }
        let ends_entry = match b {
            b'"' | b'\'' => {
                quote = Some(b);
                false
            }
            b'{' | b'[' => {
                depth += 1;
                false
            }
            b'}' | b']' => {
                depth -= 1;
                depth == 0
            }
            b',' => depth == 1,
            _ => false,
        };
        if ends_entry {
            let written = &text[entry..i];
            let body = written.trim_start();
            if let Some(len) = key_len(body, key) {
                let k = range.start + entry + (written.len() - body.len());
                let colon = k + len + source[k + len..].find(':').map_or(0, |c| c + 1);
                return Some((k..k + len, colon..range.start + i));
            }
            if depth == 0 {
                return None;
            }
            entry = i + 1;
        }
    }
    None
}

struct Line {
    start: usize,
    end: usize,
    /// Byte offset of the first character that is not a space.
    content: usize,
    /// Column of `content` in its real line (a range may start in the middle of a line).
    indent: usize,
    /// Whether the line opens a sequence item.
    item: bool,
}

fn lines(source: &str, range: Range<usize>) -> Vec<Line> {
    let mut out = Vec::new();
    let mut pos = range.start;
    for raw in source[range.clone()].split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let text = raw.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        let content = start + (text.len() - trimmed.len());
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        out.push(Line {
            start,
            end: start + text.len(),
            content,
            indent: content - line_start,
            item: trimmed.starts_with("- ") || trimmed == "-",
        });
    }
    out
}

/// Finds `seg` among the lines at the shallowest indentation of `range`: the span of its key (or
/// item marker) and the range of its block.
fn find_seg(source: &str, range: Range<usize>, seg: Seg) -> Option<(Range<usize>, Range<usize>)> {
    let lines = lines(source, range.clone());
    let first = lines.first()?;
    let base = first.indent;
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.indent != base {
            continue;
        }
        let text = &source[line.content..line.end];
        let (head, body_start) = match seg {
            Seg::Index(n) if line.item => {
                count += 1;
                if count - 1 != n {
                    continue;
                }
                (line.content..line.content + 1, line.content + 2.min(line.end - line.content))
            }
            Seg::Key(key) => {
                let body = text.strip_prefix("- ").unwrap_or(text).trim_start_matches(' ');
                let Some(len) = key_len(body, key) else { continue };
                let k = line.end - body.len();
                // The value starts after the `:`, on this line or (for a nested block) the next
                // ones, so that looking into it finds the keys inside rather than this one.
                let colon = k + len + source[k + len..line.end].find(':').map_or(0, |c| c + 1);
                (k..k + len, colon)
            }
            _ => continue,
        };
        let block_end = lines[i + 1..]
            .iter()
            .find(|l| l.indent < base || (l.indent == base && (matches!(seg, Seg::Key(_)) || l.item)))
            .map_or(range.end, |l| l.start);
        return Some((head, body_start..block_end));
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
        let r = locate(text, 0..text.len(), &[Seg::Key("speakers")], Some("su-b"));
        assert_eq!(&text[r.clone()], "su-b");
        assert_eq!(crate::diagnostic::line_col(text, r.start), (2, 19));
        let r = locate(text, 0..text.len(), &[Seg::Key("topics")], Some("su-b"));
        assert_eq!(crate::diagnostic::line_col(text, r.start), (5, 5));
    }

    #[test]
    fn locate_walks_into_sequence_items() {
        let text = "- date: 2002\n  title: a\n- date: 2011\n  title: b\n  speakers: [x]\n";
        let r = locate(text, 0..text.len(), &[Seg::Index(1), Seg::Key("date")], Some("2011"));
        assert_eq!(&text[r.clone()], "2011");
        assert_eq!(crate::diagnostic::line_col(text, r.start), (3, 9));
        let r = locate(text, 0..text.len(), &[Seg::Index(1), Seg::Key("speakers")], Some("x"));
        assert_eq!(crate::diagnostic::line_col(text, r.start), (5, 14));
    }

    #[test]
    fn locate_walks_into_flow_mappings() {
        let text = "- date: 2011\n  figure: {value: 12, unit: visitors, series: visitors, label: \"a, b\"}\n";
        let at = |key, value| {
            let r = locate(text, 0..text.len(), &[Seg::Index(0), Seg::Key("figure"), Seg::Key(key)], Some(value));
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
        let r = locate(text, 0..text.len(), &[Seg::Key("event"), Seg::Key("end")], Some("y"));
        assert_eq!(&text[r.clone()], "y");
        assert_eq!(crate::diagnostic::line_col(text, r.start), (3, 8));
        // A key without the value falls back to the key itself, not its parent.
        let r = locate(text, 0..text.len(), &[Seg::Key("event"), Seg::Key("start")], Some("zzz"));
        assert_eq!(crate::diagnostic::line_col(text, r.start), (2, 3));
    }

    #[test]
    fn locate_nth_finds_a_repeated_value() {
        let text = "title: x\nspeakers: [su-bo, su-bo]\n";
        let r = locate_nth(text, 0..text.len(), &[Seg::Key("speakers")], Some("su-bo"), 1);
        assert_eq!(crate::diagnostic::line_col(text, r.start), (2, 19));
        let r = locate_nth(text, 0..text.len(), &[Seg::Key("speakers")], Some("su-bo"), 0);
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
}
