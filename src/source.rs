//! Reading input files: text that must be UTF-8, and front matter split from the body.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Kind};

/// A file of the site, read into memory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path relative to the site root, as shown in messages.
    pub path: PathBuf,
    /// The whole text, without a byte-order mark.
    pub text: Arc<str>,
}

/// Reads `root/rel` as UTF-8 text; a byte-order mark is dropped and CRLF is kept as is.
pub fn read(root: &Path, rel: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        Diagnostic::file(Kind::File, rel, format!("cannot read this file: {e}"))
            .help("check that the file exists and that you may read it")
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // simdutf8's check, many times faster than the standard one on text that is not ASCII; the
    // standard one finds where a file that fails it goes wrong.
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile { path: rel.to_path_buf(), text: Arc::from(text) }),
        Err(_) => Err(not_utf8(rel, bytes)),
    }
}

/// The problem of a file that is not UTF-8, at its first byte that is not (the two checks agree;
/// the standard one says where).
fn not_utf8(rel: &Path, bytes: &[u8]) -> Diagnostic {
    let valid = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
    let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
    let at = String::from_utf8_lossy(&bytes[..valid]).len();
    Diagnostic::at(Kind::File, rel, &lossy, at..at + 1, "this file is not valid UTF-8 text")
        .label("this byte is not UTF-8")
        .help("save the file with the UTF-8 encoding (editors call it \"UTF-8\" or \"Unicode\")")
}

/// Where the front matter and the body of a Markdown file are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The YAML between the `---` lines.
    pub front_matter: Range<usize>,
    /// The Markdown after the closing `---` line.
    pub body: Range<usize>,
}

/// Splits `---` front matter from the Markdown body.
pub fn split_front_matter(file: &SourceFile) -> Result<Parts, Diagnostic> {
    let text = &*file.text;
    let mut lines = text.split_inclusive('\n').scan(0, |pos, line| {
        let start = *pos;
        *pos += line.len();
        Some((start, line))
    });
    let is_fence = |line: &str| line.trim_end() == "---";
    match lines.next() {
        Some((_, first)) if is_fence(first) => {
            let yaml_start = first.len();
            for (start, line) in lines {
                if is_fence(line) {
                    return Ok(Parts { front_matter: yaml_start..start, body: start + line.len()..text.len() });
                }
            }
            Err(Diagnostic::at(Kind::Syntax, &file.path, &file.text, 0..3, "the front matter is never closed")
                .label("front matter opens here")
                .help("add a line `---` after the last field, before the Markdown text"))
        }
        _ if text.trim().is_empty() => {
            Err(Diagnostic::at(Kind::Syntax, &file.path, &file.text, 0..0, "this file is empty")
                .label("expected a line `---` here")
                .help(
                    "start the file with a line `---`, the fields (such as `title: ...`), and another `---` line; \
                 the Markdown text comes after",
                ))
        }
        _ => {
            let first_len = text.find(['\r', '\n']).unwrap_or(text.len());
            Err(Diagnostic::at(Kind::Syntax, &file.path, &file.text, 0..first_len, "this file has no front matter")
                .label("expected a line `---` here")
                .help("start the file with a line `---`, the fields (such as `title: ...`), and another `---` line; the Markdown text comes after"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile { path: PathBuf::from("a.md"), text: Arc::from(text) }
    }

    #[test]
    fn splits_front_matter_with_lf_and_crlf() {
        for text in ["---\ntitle: x\n---\nbody\n", "---\r\ntitle: x\r\n---\r\nbody\r\n"] {
            let f = file(text);
            let parts = split_front_matter(&f).unwrap();
            assert_eq!(f.text[parts.front_matter].trim_end(), "title: x");
            assert_eq!(f.text[parts.body].trim_end(), "body");
        }
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let err = split_front_matter(&file("---\ntitle: x\nbody\n")).unwrap_err();
        assert_eq!(err.line_col(), Some((1, 1)));
        assert!(err.message.contains("never closed"));
        let err = split_front_matter(&file("title: x\n")).unwrap_err();
        assert!(err.message.contains("no front matter"));
        let err = split_front_matter(&file("")).unwrap_err();
        assert_eq!((err.message.as_str(), err.line_col()), ("this file is empty", Some((1, 1))));
    }

    #[test]
    fn non_utf8_is_reported_at_the_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), b"---\ntitle: caf\xE9\n---\n").unwrap();
        let err = read(dir.path(), Path::new("a.md")).unwrap_err();
        assert_eq!(err.line_col(), Some((2, 11)));
        assert!(err.message.contains("UTF-8"));
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "\u{feff}---\ntitle: x\n---\n").unwrap();
        let f = read(dir.path(), Path::new("a.md")).unwrap();
        assert!(f.text.starts_with("---"));
    }
}
