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

/// What kind of problem a diagnostic is. Past [`SHOWN_IN_FULL`] problems, the rest are counted
/// by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A file that cannot be read or is not UTF-8 text, a folder or a required file missing, a
    /// file brief does not know, a symbolic link that leads nowhere or outside the site.
    File,
    /// YAML or front matter that does not parse.
    Syntax,
    /// A field unknown, missing, or of the wrong type.
    Field,
    /// A date that does not exist, or is not written as brief reads dates.
    Date,
    /// A setting of `site.yaml` or of the command line that is not valid (a base URL).
    Setting,
    /// A name that cannot be a slug, or a slug that one of brief's own pages uses.
    Slug,
    /// A slug that names nothing of its kind (`speaker`, `topic`, `announcement`).
    Unknown(&'static str),
    /// A slug listed twice in one list (`speaker`, `topic`).
    Repeated(&'static str),
    /// Points of one chart series that disagree (units, labels).
    Series,
    /// Raw HTML, or a link, that could run code.
    Unsafe,
    /// A link or an image to nothing, or an anchor that is not on its page.
    BrokenLink,
    /// A link written by hand in a template that breaks under a subpath.
    TemplateLink,
    /// A template that does not compile or does not render.
    Template,
    /// A file of `static/` that would replace a page, or a stylesheet that does not parse.
    Static,
    /// What publishing requires: a title, a description, a text alternative.
    Publishing,
    /// An external link that does not answer (`--check-external`).
    External,
    /// A translation that has no original, is in a language the site does not list, or
    /// differs from its original in what they share.
    Translation,
    /// A page the search index could not be made from.
    Search,
    /// An embargo moment that is not one, or a published item that points to an item under
    /// embargo.
    Embargo,
    /// A photo or picture that is missing, damaged, too large, or in a format brief does not read.
    Image,
}

impl Kind {
    /// The kind in a few words, for the count of problems not shown in full.
    pub fn describe(self) -> String {
        match self {
            Kind::File => "problem with a file".into(),
            Kind::Syntax => "syntax error".into(),
            Kind::Field => "wrong field".into(),
            Kind::Date => "invalid date".into(),
            Kind::Embargo => "embargo problem".into(),
            Kind::Setting => "invalid setting".into(),
            Kind::Slug => "unusable slug".into(),
            Kind::Unknown(what) => format!("unknown {what}"),
            Kind::Repeated(what) => format!("repeated {what}"),
            Kind::Series => "inconsistent chart series".into(),
            Kind::Unsafe => "raw HTML or link that could run code".into(),
            Kind::BrokenLink => "broken link".into(),
            Kind::TemplateLink => "link written by hand in a template".into(),
            Kind::Template => "template error".into(),
            Kind::Static => "problem with a static file".into(),
            Kind::Publishing => "page not ready to publish".into(),
            Kind::External => "external link that fails".into(),
            Kind::Translation => "translation that does not match its original".into(),
            Kind::Search => "page the search index failed on".into(),
            Kind::Image => "unusable image".into(),
        }
    }
}

/// One problem in the site's input: where it is, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem it is.
    pub kind: Kind,
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
    /// Whether it is a warning: reported, but the site is still written.
    pub warning: bool,
}

impl Diagnostic {
    /// A problem of `kind` with a whole file, with no position inside it.
    pub fn file(kind: Kind, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            file: file.into(),
            source: None,
            span: None,
            message: message.into(),
            label: String::new(),
            help: None,
            warning: false,
        }
    }

    /// A problem of `kind` at `span` in `source`, the text of `file`.
    pub fn at(
        kind: Kind,
        file: impl Into<PathBuf>,
        source: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let len = source.len();
        let start = clamp_to_char(source, span.start.min(len));
        let end = clamp_to_char(source, span.end.clamp(start, len));
        Diagnostic {
            kind,
            file: file.into(),
            source: Some(Arc::clone(source)),
            span: Some(start..end),
            message: message.into(),
            label: String::new(),
            help: None,
            warning: false,
        }
    }

    /// Sets the note shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Makes it a warning: reported, but it does not stop the build.
    pub fn warning(mut self) -> Self {
        self.warning = true;
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

    /// The diagnostic as a GitHub Actions workflow command, which GitHub shows on the line of a
    /// pull request it is about: `::error file=F,line=L,col=C,title=T::message`.
    pub fn github(&self) -> String {
        // The escapes of workflow commands: in the message `%`, CR and LF; in a property also
        // `:` and `,`.
        let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
        let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
        let mut props = vec![format!("file={}", property(&self.file.to_string_lossy()))];
        if let Some((line, col)) = self.line_col() {
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        props.push(format!("title={}", property(&format!("brief: {}", self.kind.describe()))));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let level = if self.warning { "warning" } else { "error" };
        format!("::{level} {}::{}", props.join(","), data(&message))
    }

    /// The diagnostic as one line of JSON: `file`, `line` and `column` (1-based, absent for a
    /// whole file), `severity`, `kind`, `message`, `help`.
    pub fn json(&self) -> String {
        let (line, column) = self.line_col().map_or((None, None), |(l, c)| (Some(l), Some(c)));
        serde_json::json!({
            "file": self.file.to_string_lossy(),
            "line": line,
            "column": column,
            "severity": if self.warning { "warning" } else { "error" },
            "kind": self.kind.describe(),
            "message": self.message,
            "help": self.help,
        })
        .to_string()
    }

    /// The diagnostic as text: the message, the location, the source line with a caret, the help.
    pub fn render(&self, color: bool) -> String {
        let mut buffer = if color { Buffer::ansi() } else { Buffer::no_color() };
        let name = self.file.display().to_string();
        let mut report = if self.warning { Report::warning() } else { Report::error() }.with_message(&self.message);
        let mut excerpt = None;
        if let (Some(source), Some(span)) = (&self.source, &self.span) {
            // A line of thousands of characters (`[[[[...`) would bury the message: show a piece.
            let start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = source[start..].find('\n').map_or(source.len(), |i| start + i);
            if source[start..end].chars().count() > LONG_LINE {
                let before: Vec<char> = source[start..span.start].chars().rev().take(41).collect();
                let after: Vec<char> = source[span.start..end].chars().take(41).collect();
                // "…" only where the line goes on.
                let cut_before = before.len() > 40;
                let cut_after = after.len() > 40;
                let before: String = before.iter().take(40).rev().collect();
                let after: String = after.iter().take(40).collect();
                excerpt = Some(format!(
                    "{}{before}{after}{}",
                    if cut_before { "…" } else { "" },
                    if cut_after { "…" } else { "" }
                ));
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
        let severity = if self.warning { "warning" } else { "error" };
        let mut text = format!("{severity}: {}\n  --> {}\n", self.message, self.location());
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

    /// The diagnostics as text, one after another: the first [`SHOWN_IN_FULL`] in full, the
    /// others counted by kind, each kind with its first location. One renamed speaker can leave
    /// thousands of announcements pointing at the old name: the reader needs the first few in
    /// full and the size of the rest, not thousands of carets.
    pub fn render(&self, color: bool) -> String {
        let shown = self.0.len().min(SHOWN_IN_FULL);
        // Each problem ends with one blank line, whatever its layout.
        let mut out: String = self.0[..shown].iter().map(|d| format!("{}\n\n", d.render(color).trim_end())).collect();
        let rest = &self.0[shown..];
        if rest.is_empty() {
            return out;
        }
        // Kinds in the order they first appear, with how many there are and the first of each.
        let mut kinds: Vec<(Kind, usize, &Diagnostic)> = Vec::new();
        let mut index: std::collections::HashMap<Kind, usize> = std::collections::HashMap::new();
        for d in rest {
            match index.get(&d.kind) {
                Some(&i) => kinds[i].1 += 1,
                None => {
                    index.insert(d.kind, kinds.len());
                    kinds.push((d.kind, 1, d));
                }
            }
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        out.push_str(&format!("note: {} more problem{}, not shown in full:\n", rest.len(), plural(rest.len())));
        for (kind, n, first) in kinds.iter().take(MAX_KINDS) {
            out.push_str(&format!("  {n:>6} × {} (first at {})\n", kind.describe(), first.location()));
        }
        if kinds.len() > MAX_KINDS {
            let others: usize = kinds[MAX_KINDS..].iter().map(|k| k.1).sum();
            let n = kinds.len() - MAX_KINDS;
            out.push_str(&format!("  {others:>6} × {n} other kind{} of problem\n", plural(n)));
        }
        out.push_str("Fix the problems shown in full, then run again to see what is left.\n");
        out
    }
}

/// How many problems [`Diagnostics::render`] shows in full.
pub const SHOWN_IN_FULL: usize = 50;
/// How many kinds of problem it lists beyond those.
const MAX_KINDS: usize = 20;

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
    fn many_problems_show_the_first_in_full_and_count_the_rest_by_kind() {
        let source: Arc<str> = Arc::from("speakers: [a]\n");
        let at = |kind: Kind, i: usize, message: String| {
            Diagnostic::at(kind, format!("f{i:03}.md"), &source, 11..12, message)
        };
        let mut all = Diagnostics::default();
        for i in 0..120 {
            all.push(at(Kind::Unknown("speaker"), i, format!("unknown speaker `s{i}`")));
        }
        for i in 120..125 {
            all.push(at(Kind::Unknown("topic"), i, format!("unknown topic `t{i}`")));
        }
        all.push(at(Kind::Date, 125, "invalid date: `x` is not a date".into()));
        let text = all.render(false);
        // 50 in full, each with its location and source line, and a blank line after it.
        assert_eq!(text.matches("error: unknown").count(), SHOWN_IN_FULL);
        assert!(text.contains("┌─ f049.md:1:12") && !text.contains("┌─ f050.md"), "{text}");
        assert!(text.contains("\n\nnote: 76 more problems, not shown in full:"), "{text}");
        assert!(text.contains("    70 × unknown speaker (first at f050.md:1:12)"), "{text}");
        assert!(text.contains("     5 × unknown topic (first at f120.md:1:12)"), "{text}");
        assert!(text.contains("     1 × invalid date (first at f125.md:1:12)"), "{text}");
        // Up to the limit, nothing is summarised.
        let few = Diagnostics(all.0[..SHOWN_IN_FULL].to_vec());
        assert!(!few.render(false).contains("not shown in full"));
    }

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
        let d =
            Diagnostic::at(Kind::Unknown("speaker"), "content/a.md", &src, start..start + 4, "unknown speaker `su-b`")
                .label("no speaker has this slug")
                .help("did you mean `su-bo`?");
        let text = d.render(false);
        assert!(text.contains("content/a.md:2:12"), "{text}");
        assert!(text.contains("speakers: [su-b]"), "{text}");
        assert!(text.contains("did you mean `su-bo`?"), "{text}");
    }
}
