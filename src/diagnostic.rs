//! Errors about the site's input, each pointing at a file, a line and a column.
//!
//! Every phase of the build reports problems as [`Diagnostic`]s and keeps going, so that one run
//! shows all the mistakes in the content, not only the first. A diagnostic carries the text of the
//! file it points into, so it can be printed with the offending line and a caret under it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};

/// One problem in the site's input: where it is, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// The whole text of `file`, when it could be read; needed to show the offending line.
    pub source: Option<Arc<str>>,
    /// Byte range in `source` that the problem is about.
    pub span: Option<Range<usize>>,
    /// What is wrong, in one line.
    pub message: String,
    /// A short note printed under the caret.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file, with no position inside it.
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            source: None,
            span: None,
            message: message.into(),
            label: String::new(),
            help: None,
        }
    }

    /// A problem at `span` in `source`, the text of `file`.
    pub fn at(file: impl Into<PathBuf>, source: &Arc<str>, span: Range<usize>, message: impl Into<String>) -> Self {
        let len = source.len();
        let start = clamp_to_char(source, span.start.min(len));
        let end = clamp_to_char(source, span.end.clamp(start, len));
        Diagnostic {
            file: file.into(),
            source: Some(Arc::clone(source)),
            span: Some(start..end),
            message: message.into(),
            label: String::new(),
            help: None,
        }
    }

    /// Sets the note shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The 1-based line and column of the start of the problem, if it has a position.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (source, span) = (self.source.as_deref()?, self.span.as_ref()?);
        Some(line_col(source, span.start))
    }

    /// `file:line:col`, or only `file` when the problem has no position.
    pub fn location(&self) -> String {
        match self.line_col() {
            Some((line, col)) => format!("{}:{line}:{col}", self.file.display()),
            None => self.file.display().to_string(),
        }
    }

    /// The diagnostic as text: the message, the location, the source line with a caret, the help.
    pub fn render(&self, color: bool) -> String {
        let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
        let name = self.file.display().to_string();
        let mut report = Report::error().with_message(&self.message);
        let mut excerpt = None;
        if let (Some(source), Some(span)) = (&self.source, &self.span) {
            // A line of thousands of characters (`[[[[...`) would bury the message: show a piece.
            let start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = source[start..].find('\n').map_or(source.len(), |i| start + i);
            if source[start..end].chars().count() > LONG_LINE {
                let before: String = source[start..span.start].chars().rev().take(40).collect();
                let after: String = source[span.start..end].chars().take(40).collect();
                let before: String = before.chars().rev().collect();
                excerpt = Some(format!("…{before}{after}…"));
            }
        }
        if let (Some(source), Some(span), None) = (&self.source, &self.span, &excerpt) {
            let file = SimpleFile::new(name, source.as_ref());
            report = report.with_labels(vec![Label::primary((), span.clone()).with_message(&self.label)]);
            if let Some(help) = &self.help {
                report = report.with_notes(vec![format!("help: {help}")]);
            }
            if term::emit(&mut buffer, &term::Config::default(), &file, &report).is_ok() {
                return String::from_utf8_lossy(buffer.as_slice()).into_owned();
            }
        }
        let mut text = format!("error: {}\n  --> {}\n", self.message, self.location());
        if let Some(excerpt) = excerpt {
            let label = if self.label.is_empty() { String::new() } else { format!(" ({})", self.label) };
            let col = self.line_col().map_or(1, |(_, c)| c);
            text.push_str(&format!("   | {}\n  = here: column {col} of a long line{label}\n", excerpt.trim_end()));
        }
        if let Some(help) = &self.help {
            text.push_str(&format!("  = help: {help}\n"));
        }
        text
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Lines longer than this (in characters) are not shown whole under a message.
const LONG_LINE: usize = 300;

/// 1-based line and column (counted in characters) of byte `offset` in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = clamp_to_char(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of the start of 1-based `line` in `source` (the end of the text past the last line).
pub fn line_start(source: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    source.match_indices('\n').nth(line - 2).map_or(source.len(), |(i, _)| i + 1)
}

fn clamp_to_char(source: &str, mut offset: usize) -> usize {
    while offset > 0 && !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Everything that went wrong in one run, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file and position and drops repeats (one template mistake can fail many pages).
    pub fn finish(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.span.as_ref().map(|s| s.start), &a.message).cmp(&(
                &b.file,
                b.span.as_ref().map(|s| s.start),
                &b.message,
            ))
        });
        self.0.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.message == b.message);
        self
    }

    /// Every diagnostic as text, one after another.
    pub fn render(&self, color: bool) -> String {
        self.0.iter().map(|d| d.render(color)).collect::<Vec<_>>().join("\n")
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// The slug in `known` closest to `wanted`, if one is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(wanted, k), k))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

/// A help text naming the closest known value and listing the known ones (a few, if there are many).
pub fn suggest<'a>(what: &str, wanted: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let list: Vec<&str> = known.clone().into_iter().collect();
    let shown = if list.is_empty() {
        format!("there are no {what}s yet")
    } else if list.len() <= 12 {
        format!("known {what}s: {}", list.join(", "))
    } else {
        format!("{} {what}s are known, for example {}", list.len(), list[..6].join(", "))
    };
    match closest(wanted, known) {
        Some(best) => format!("did you mean `{best}`? {shown}"),
        None => shown,
    }
}

/// Shows a path relative to `root` when it is inside it.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "a: 1\nname: 苏波 x\n";
        let off = src.find('x').unwrap();
        assert_eq!(line_col(src, off), (2, 10));
        assert_eq!(line_col(src, 0), (1, 1));
    }

    #[test]
    fn line_start_finds_each_line() {
        let src = "one\ntwo\nthree";
        assert_eq!(line_start(src, 1), 0);
        assert_eq!(line_start(src, 2), 4);
        assert_eq!(line_start(src, 3), 8);
        assert_eq!(line_start(src, 9), src.len());
    }

    #[test]
    fn closest_suggests_a_typo_fix_only() {
        let known = ["pan-gongsheng", "su-bo", "wen-jiabao"];
        assert_eq!(closest("su-b", known), Some("su-bo"));
        assert_eq!(closest("zzzzzz", known), None);
    }

    #[test]
    fn render_shows_location_line_and_help() {
        let src: Arc<str> = Arc::from("title: x\nspeakers: [su-b]\n");
        let start = src.find("su-b").unwrap();
        let d = Diagnostic::at("content/a.md", &src, start..start + 4, "unknown speaker `su-b`")
            .label("no speaker has this slug")
            .help("did you mean `su-bo`?");
        let text = d.render(false);
        assert!(text.contains("content/a.md:2:12"), "{text}");
        assert!(text.contains("speakers: [su-b]"), "{text}");
        assert!(text.contains("did you mean `su-bo`?"), "{text}");
    }
}
