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
    let result = if has_content {
        serde_yaml::from_str(text)
    } else {
        // An empty document is an empty mapping, so that missing fields are named one by one.
        serde_yaml::from_str("{}")
    };
    result.map_err(|err| to_diagnostic(file, source, range, &err))
}

fn to_diagnostic(file: &Path, source: &Arc<str>, range: Range<usize>, err: &serde_yaml::Error) -> Diagnostic {
    let full = err.to_string();
    // serde_yaml appends the position to its message; we show the position our own way.
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let offset = match err.location() {
        Some(loc) => range.start + loc.index().min(range.len()),
        None => range.start,
    };
    let mut end = offset;
    let rest = &source[offset..];
    if let Some(len) = rest.find(['\n', '\r']).or(Some(rest.len())) {
        end = offset + len.min(rest.len());
    }
    let (message, label, help) = explain(&message);
    Diagnostic::at(file, source, offset..end.max(offset), message).label(label).help(help)
}

/// Turns a serde_yaml message into our message, caret label and help.
fn explain(message: &str) -> (String, String, String) {
    let (path, inner) = split_path(message);
    let at = |m: &str| match path {
        Some(p) => format!("{p}: {m}"),
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
        return (at(inner), "wrong type".into(), "change the value to the type expected".into());
    }
    if inner.starts_with("duplicate entry") {
        return (at(inner), "repeated key".into(), "keep only one of the repeated keys".into());
    }
    (
        format!("invalid YAML: {}", at(inner)),
        "YAML stops making sense here".into(),
        "check indentation, a missing `:` after a key, or an unclosed quote or bracket; quote values that contain `: ` or start with `[`, `{`, `*`, `&` or `#`".into(),
    )
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

fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
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
    let mut block = range.clone();
    let mut found = range.start..range.start;
    for seg in path {
        match find_seg(source, block.clone(), *seg) {
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
        while let Some(i) = text[from..].find(value) {
            let start = from + i;
            let end = start + value.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
            if edge(before) && edge(after) {
                return block.start + start..block.start + end;
            }
            from = end;
        }
    }
    found
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
        let hit = match seg {
            Seg::Index(n) if line.item => {
                count += 1;
                count - 1 == n
            }
            Seg::Key(key) => {
                let body = text.strip_prefix("- ").unwrap_or(text).trim_start();
                body.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':'))
                    || body.strip_prefix(&format!("\"{key}\"")).is_some_and(|r| r.starts_with(':'))
            }
            _ => false,
        };
        if !hit {
            continue;
        }
        let head_start = line.content;
        let block_end = lines[i + 1..]
            .iter()
            .find(|l| l.indent < base || (l.indent == base && (matches!(seg, Seg::Key(_)) || l.item)))
            .map_or(range.end, |l| l.start);
        let (head, body_start) = match seg {
            Seg::Key(key) => {
                let k = head_start + text.find(key).unwrap_or(0);
                (k..k + key.len(), k)
            }
            Seg::Index(_) => (head_start..head_start + 1, head_start + 2.min(line.end - head_start)),
        };
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
}
