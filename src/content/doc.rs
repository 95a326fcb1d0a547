//! The two shapes of content files: a Markdown file with YAML front matter ([`Doc`]) and a YAML
//! file ([`YamlFile`]). Both keep the file's text and the YAML parser's positions, so that a
//! value found wrong later (an unknown slug, a date that does not exist) is reported at the
//! place the parser read it.

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Kind};
use crate::markdown;
use crate::model::{Body, Origin};
use crate::source::{self, SourceFile};
use crate::yaml::{self, Seg};

/// A YAML document in a file (the whole of a `.yaml` file, or the front matter of a Markdown
/// file), with the index of its positions, built on first use: only a file with a problem
/// needs it.
pub struct Located {
    file: SourceFile,
    range: Range<usize>,
    index: OnceLock<yaml::Index>,
}

impl Located {
    /// The document `range` of `file`.
    pub fn new(file: SourceFile, range: Range<usize>) -> Located {
        Located { file, range, index: OnceLock::new() }
    }

    /// The file.
    pub fn file(&self) -> &SourceFile {
        &self.file
    }

    fn index(&self) -> &yaml::Index {
        self.index.get_or_init(|| yaml::Index::build(&self.file.text, self.range.clone()))
    }

    /// The span of `value` under `path` (or of the value at `path` when `value` is `None`).
    pub fn at(&self, path: &[Seg], value: Option<&str>) -> Range<usize> {
        self.index().locate(path, value, 0)
    }

    /// The span of the key at the end of `path` (a topic's slug in `topics.yaml`).
    pub fn key(&self, path: &[Seg]) -> Range<usize> {
        self.index().key(path).unwrap_or_else(|| self.at(path, None))
    }

    /// The span of the `nth` (0-based) occurrence of `value` in the list at `path`.
    pub fn nth(&self, path: &[Seg], value: &str, nth: usize) -> Range<usize> {
        self.index().locate(path, Some(value), nth)
    }

    /// A problem of `kind` at `value` under `path`.
    pub fn error(&self, kind: Kind, path: &[Seg], value: Option<&str>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(kind, &self.file.path, &self.file.text, self.at(path, value), message)
    }

    /// The 1-based line of `value` under `path`, for messages that point at a second place.
    pub fn line(&self, path: &[Seg], value: Option<&str>) -> usize {
        crate::diagnostic::line_col(&self.file.text, self.at(path, value).start).0
    }

    /// Where byte `offset` of the string at `path` is in the file: exact for block scalars,
    /// else the start of the value.
    pub fn scalar_span(&self, path: &[Seg], range: Range<usize>) -> Range<usize> {
        let index = self.index();
        match (index.scalar_offset(path, range.start), index.scalar_offset(path, range.end)) {
            (Some(start), Some(end)) if end >= start => start..end,
            (Some(start), _) => start..start,
            _ => index.locate(path, None, 0),
        }
    }
}

/// A Markdown file with front matter: its slug (the file stem), its fields and its body.
pub struct Doc<T> {
    /// The file stem.
    pub slug: String,
    /// The front matter, parsed, with its positions.
    pub yaml: Located,
    /// The fields.
    pub meta: T,
    /// The rendered body.
    pub body: Arc<Body>,
}

impl<T> Doc<T> {
    /// The span of `value` under the front matter's `key`.
    pub fn at(&self, key: &str, value: Option<&str>) -> Range<usize> {
        self.yaml.at(&[Seg::Key(key)], value)
    }

    /// A problem of `kind` at `value` under the front matter's `key`.
    pub fn error(&self, kind: Kind, key: &str, value: Option<&str>, message: impl Into<String>) -> Diagnostic {
        self.yaml.error(kind, &[Seg::Key(key)], value, message)
    }

    /// The file.
    pub fn file(&self) -> &SourceFile {
        self.yaml.file()
    }
}

/// Parses `file` as a Markdown file with front matter of type `T`; its links to site paths go
/// under `base_path`. The slug is the file stem and must be one (see [`check_slug`]).
pub fn parse_doc<T: DeserializeOwned>(file: SourceFile, base_path: &str) -> Result<Doc<T>, Diagnostic> {
    let stem = file.path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    if let Err(help) = check_slug(&stem) {
        return Err(Diagnostic::file(
            Kind::Slug,
            &file.path,
            format!("the file name `{stem}.md` cannot be used as a slug"),
        )
        .help(help));
    }
    let parts = source::split_front_matter(&file)?;
    let meta: T = yaml::parse(&file.path, &file.text, parts.front_matter.clone())?;
    let markdown = markdown::render(&file.text[parts.body.clone()], base_path);
    let body = Arc::new(Body {
        file: file.path.clone(),
        source: Arc::clone(&file.text),
        origin: Origin::Offset(parts.body.start),
        markdown,
    });
    Ok(Doc { slug: stem, yaml: Located::new(file, parts.front_matter), meta, body })
}

/// A YAML file, parsed into `T`, with its positions.
pub struct YamlFile<T> {
    /// The document, with its positions.
    pub yaml: Arc<Located>,
    /// What it holds.
    pub value: T,
}

/// Parses the whole of `file` as YAML of type `T`.
pub fn parse_yaml<T: DeserializeOwned>(file: SourceFile) -> Result<YamlFile<T>, Diagnostic> {
    let whole = 0..file.text.len();
    let value = yaml::parse(&file.path, &file.text, whole.clone())?;
    Ok(YamlFile { yaml: Arc::new(Located::new(file, whole)), value })
}

/// Reads `root/rel`: the file as text, for a kind's `parse`.
pub fn read(root: &Path, rel: &Path) -> Result<SourceFile, Diagnostic> {
    source::read(root, rel)
}

/// A slug is part of a URL on every host: lowercase ASCII letters, digits and single hyphens.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok {
        return Ok(());
    }
    let ascii: String = markdown::slugify(slug).chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let ascii = ascii.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let example = if ascii.is_empty() { "su-bo".to_string() } else { ascii };
    Err(format!(
        "slugs become URLs, so they may use only lowercase a-z, digits and single hyphens, for example `{example}`; names in any script go in the fields inside the file"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_must_be_url_safe() {
        assert!(check_slug("su-bo").is_ok());
        assert!(check_slug("Su Bo").unwrap_err().contains("`su-bo`"));
        assert!(check_slug("苏波").is_err());
        assert!(check_slug("a--b").is_err());
    }
}
