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

/// A Markdown file with front matter: its slug, its fields and its body.
pub struct Doc<T> {
    /// Its slug: the front matter's `slug:`, or made from the file name.
    pub slug: String,
    /// The file name without `.md`, as written (`潘功胜`): other files may name it so. For a
    /// translation, without its language (`su-bo` for `su-bo.zh.md`): its original's.
    pub stem: String,
    /// For a translation (`su-bo.zh.md`), the language code in its name.
    pub language: Option<String>,
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

/// Front matter that may name its file's slug (`slug: pan-gongsheng`), which then wins over the
/// file name.
pub trait Slugged {
    /// The `slug:` field, if the front matter has one.
    fn slug(&self) -> Option<&str>;
}

/// Parses `file` as a Markdown file with front matter of type `T`; its links to site paths go
/// under `base_path`. The slug is the front matter's `slug:`, which must be one (see
/// [`check_slug`]), or else comes from the file name (see [`slug_from_name`]).
pub fn parse_doc<T: DeserializeOwned + Slugged>(file: SourceFile, base_path: &str) -> Result<Doc<T>, Diagnostic> {
    let file_stem = file.path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    // `name.zh.md` is the translation of `name.md` into `zh` (the convention of Hugo and Zola):
    // it takes its original's slug, and its links to pages stay in its language.
    let (stem, language) = match translation_name(&file_stem) {
        Some((name, code)) => (name.to_string(), Some(code.to_string())),
        None => (file_stem, None),
    };
    let lang_prefix = language.as_ref().map_or(String::new(), |code| format!("{code}/"));
    let parts = source::split_front_matter(&file)?;
    let meta: T = yaml::parse(&file.path, &file.text, parts.front_matter.clone())?;
    let yaml = Located::new(file, parts.front_matter.clone());
    let slug = match meta.slug() {
        Some(slug) => {
            if let Err(help) = check_slug(slug) {
                return Err(yaml
                    .error(Kind::Slug, &[Seg::Key("slug")], Some(slug), format!("`{slug}` cannot be used as a slug"))
                    .help(help));
            }
            slug.to_string()
        }
        None => slug_from_name(&stem).ok_or_else(|| {
            Diagnostic::file(Kind::Slug, &yaml.file().path, format!("the file name `{stem}.md` gives no slug"))
                .help("give the file a `slug:` in its front matter, such as `slug: su-bo`: slugs become URLs, so they use only lowercase a-z, digits and single hyphens")
        })?,
    };
    let file = yaml.file();
    let markdown = markdown::render_in(&file.text[parts.body.clone()], base_path, &lang_prefix);
    let body = Arc::new(Body {
        file: file.path.clone(),
        source: Arc::clone(&file.text),
        origin: Origin::Offset(parts.body.start),
        markdown,
    });
    Ok(Doc { slug, stem, language, yaml, meta, body })
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

/// Parses the whole of `file` as a YAML mapping of keys to `T`, each key once (`topics.yaml`, and
/// the translations that name entries by key).
pub fn parse_keyed<T: DeserializeOwned>(
    file: SourceFile,
) -> Result<YamlFile<std::collections::BTreeMap<String, T>>, Diagnostic> {
    let YamlFile { yaml, value } = parse_yaml::<yaml::UniqueMap<T>>(file)?;
    Ok(YamlFile { yaml, value: value.0 })
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
    let example = transliterated(slug).unwrap_or_else(|| "su-bo".to_string());
    Err(format!(
        "slugs become URLs, so they may use only lowercase a-z, digits and single hyphens, for example `{example}`"
    ))
}

pub use crate::paths::translation_name;

/// The slug a file name gives. A name that is a slug (`su-bo`) is kept. Any other (`Su Bo`,
/// `潘功胜`, `Nguyễn Tấn Dũng`, `ธนากร-สุวรรณ`) is transliterated to ASCII by deunicode, which
/// knows every script, and made a slug: `su-bo`, `pan-gong-sheng`, `nguyen-tan-dung`,
/// `thnaakr-suwrrn`. URLs stay ASCII, so that every host, link checker and feed reader reads
/// them alike; a name whose transliteration reads badly gets a `slug:` in its front matter.
/// `None` when nothing in the name transliterates to a letter or digit.
pub fn slug_from_name(name: &str) -> Option<String> {
    if check_slug(name).is_ok() {
        return Some(name.to_string());
    }
    transliterated(name)
}

/// `name` in ASCII, made a slug; `None` when nothing of it is left.
fn transliterated(name: &str) -> Option<String> {
    let ascii = deunicode::deunicode_with_tofu(name, "-");
    let slug = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    (!slug.is_empty()).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_are_named_with_a_language_tag() {
        assert_eq!(translation_name("satellite.zh"), Some(("satellite", "zh")));
        assert_eq!(translation_name("su-bo.zh-Hans"), Some(("su-bo", "zh-Hans")));
        assert_eq!(translation_name("a.b.vi"), Some(("a.b", "vi")));
        for stem in ["Dr. Su Bo", "v1.2", "x.", ".zh", "su-bo", "a.toolong", "a.z"] {
            assert_eq!(translation_name(stem), None, "{stem}");
        }
        assert_eq!(slug_from_name("Dr. Su Bo").as_deref(), Some("dr-su-bo"));
    }

    #[test]
    fn names_in_any_script_give_ascii_slugs() {
        assert_eq!(slug_from_name("su-bo").as_deref(), Some("su-bo"));
        assert_eq!(slug_from_name("Su Bo").as_deref(), Some("su-bo"));
        assert_eq!(slug_from_name("潘功胜").as_deref(), Some("pan-gong-sheng"));
        assert_eq!(slug_from_name("Nguyễn Tấn Dũng").as_deref(), Some("nguyen-tan-dung"));
        assert_eq!(slug_from_name("Đỗ Mười").as_deref(), Some("do-muoi"));
        assert_eq!(slug_from_name("ธนากร-สุวรรณ").as_deref(), Some("thnaakr-suwrrn"));
        assert_eq!(slug_from_name("Thailand's plan").as_deref(), Some("thailand-s-plan"));
        for name in ["潘功胜", "ศิริพร แก้วมณี", "서울", "Суворов", "الرياض", "a--b", "-x-"]
        {
            let slug = slug_from_name(name).unwrap();
            assert!(check_slug(&slug).is_ok(), "{name} gives {slug}");
        }
        assert_eq!(slug_from_name("---"), None);
        assert_eq!(slug_from_name("\u{E000}"), None);
    }

    #[test]
    fn slugs_must_be_url_safe() {
        assert!(check_slug("su-bo").is_ok());
        assert!(check_slug("Su Bo").unwrap_err().contains("`su-bo`"));
        assert!(check_slug("苏波").is_err());
        assert!(check_slug("a--b").is_err());
    }
}
