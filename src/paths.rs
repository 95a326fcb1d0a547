//! Where a path of the site belongs. This is the one place that makes the site's root absolute
//! and canonical, turns any path (a file listed by the load phase, a path the watcher reports,
//! absolute or relative) into a path relative to that root, says what the file is to brief
//! (content of some kind, a template, a static file), and tells editors' leftovers apart.
//!
//! Comparing paths only after they have gone through [`SiteRoot::relative`] is what lets `serve`
//! see saves however the root was given: `.`, `summit`, an absolute path, or one through a
//! symbolic link.

use std::path::{Component, Path, PathBuf};

/// What a file under `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentKind {
    /// `content/site.yaml`.
    Config,
    /// `content/topics.yaml`.
    Topics,
    /// `content/timeline.yaml`.
    Timeline,
    /// `content/sources.yaml`.
    Sources,
    /// `content/announcements/<slug>.md`.
    Announcement,
    /// `content/speakers/<slug>.md`.
    Speaker,
    /// `content/pages/<slug>.md`.
    Page,
}

/// The three folders of a site that brief reads.
pub const SOURCE_DIRS: [&str; 4] = ["content", "templates", "static", "messages"];

/// The site settings file, relative to the root.
pub const CONFIG_FILE: &str = "content/site.yaml";

/// What a path under the root is to brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A file under `content/` that brief reads, with its kind.
    Content(ContentKind),
    /// An image beside the content (`content/speakers/su-bo.jpg`), which a document may show.
    ContentImage,
    /// A file under `content/` that is none of the kinds (an error when it is a file).
    UnknownContent,
    /// A template, by its name under `templates/` (`partials/card.html`).
    Template(String),
    /// A file under `static/`, by its path there with `/` separators.
    Static(String),
    /// A file of the templates' words under `messages/` (`zh.ftl`).
    Messages(String),
    /// One of the folders `content/`, `templates/` or `static/` itself.
    SourceDir(&'static str),
    /// Not read by brief: outside the source folders, or an editor's leftover.
    Ignored,
}

/// Files editors and systems leave beside real ones: `.#a.md` and `.a.md.swp` (hidden), `a.md~`,
/// `a.md.tmp`, vim's `4913` probe and Emacs's `#a.md#`. They never count as content, templates
/// or static files, and saving them never triggers a rebuild.
pub fn is_editor_file(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
}

/// The name and language of a file stem named as a translation, `satellite.zh` or
/// `su-bo.zh-Hans`: a language tag (two or three letters, then subtags) after the last dot.
/// `Dr. Su Bo` is not one.
pub fn translation_name(stem: &str) -> Option<(&str, &str)> {
    let (name, language) = stem.rsplit_once('.')?;
    let mut subtags = language.split('-');
    let primary = subtags.next()?;
    let is_tag = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()));
    (is_tag && !name.is_empty()).then_some((name, language))
}

/// The kind of a file by its path inside `content/` (`announcements/a.md`).
pub fn content_kind(inner: &Path) -> Option<ContentKind> {
    let parts: Vec<&str> = inner.iter().filter_map(|p| p.to_str()).collect();
    // `topics.zh.yaml` is the translation of `topics.yaml`, of the same kind.
    let yaml = |file: &str, name: &str| {
        file.strip_suffix(".yaml")
            .is_some_and(|stem| stem == name || translation_name(stem).is_some_and(|(n, _)| n == name))
    };
    match parts.as_slice() {
        ["site.yaml"] => Some(ContentKind::Config),
        [file] if yaml(file, "topics") => Some(ContentKind::Topics),
        [file] if yaml(file, "timeline") => Some(ContentKind::Timeline),
        [file] if yaml(file, "sources") => Some(ContentKind::Sources),
        [dir, file] if file.ends_with(".md") => match *dir {
            "announcements" => Some(ContentKind::Announcement),
            "speakers" => Some(ContentKind::Speaker),
            "pages" => Some(ContentKind::Page),
            _ => None,
        },
        _ => None,
    }
}

/// What a path relative to the root is.
pub fn classify(rel: &Path) -> Class {
    let parts: Vec<&str> = match rel.iter().map(|p| p.to_str()).collect::<Option<Vec<_>>>() {
        Some(parts) => parts,
        None => return Class::Ignored,
    };
    let Some((&first, rest)) = parts.split_first() else { return Class::Ignored };
    let Some(dir) = SOURCE_DIRS.iter().copied().find(|d| *d == first) else { return Class::Ignored };
    if rest.is_empty() {
        return Class::SourceDir(dir);
    }
    if rest.iter().any(|p| is_editor_file(p)) {
        return Class::Ignored;
    }
    let joined = rest.join("/");
    match dir {
        "content" => match content_kind(Path::new(&joined)) {
            Some(kind) => Class::Content(kind),
            None if crate::images::is_image_name(&joined) => Class::ContentImage,
            None => Class::UnknownContent,
        },
        "templates" => Class::Template(joined),
        "messages" => Class::Messages(joined),
        _ => Class::Static(joined),
    }
}

/// The root of a site, as the user gave it and made absolute and canonical.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    given: PathBuf,
    absolute: PathBuf,
    canonical: PathBuf,
}

impl SiteRoot {
    /// The root `given` (relative to the current folder, or absolute). A root that does not exist
    /// is kept as an absolute path; the load phase reports what is missing in it.
    pub fn new(given: &Path) -> SiteRoot {
        let absolute = absolute(given);
        let canonical = std::fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone());
        SiteRoot { given: given.to_path_buf(), absolute, canonical }
    }

    /// The canonical root, for reading files and for watching.
    pub fn path(&self) -> &Path {
        &self.canonical
    }

    /// The root as the user gave it, for messages.
    pub fn given(&self) -> &Path {
        &self.given
    }

    /// `rel` under the root.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.canonical.join(rel)
    }

    /// `path` relative to the root, if it is under it: `path` may be relative to the root
    /// already, absolute, or reach the root through a symbolic link. A file that no longer exists
    /// (a deleted file the watcher reports) is resolved through its folder.
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        if path.is_relative() {
            let clean = normalise(path);
            // `..` out of the root is not under it.
            return (!clean.as_os_str().is_empty() && !clean.starts_with("..")).then_some(clean);
        }
        let plain = normalise(path);
        for root in [&self.canonical, &self.absolute] {
            if let Ok(rel) = plain.strip_prefix(root) {
                return Some(rel.to_path_buf());
            }
        }
        let real = canonical_through_parent(&plain)?;
        real.strip_prefix(&self.canonical).ok().map(Path::to_path_buf)
    }

    /// What `path` (relative to the root, or absolute) is to brief.
    pub fn classify(&self, path: &Path) -> Class {
        self.relative(path).map_or(Class::Ignored, |rel| classify(&rel))
    }
}

/// `path` with `.` and `..` resolved lexically (`a/./b/../c` is `a/c`).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `path` made absolute (against the current folder) and normalised, without touching the
/// file system.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        normalise(path)
    } else {
        normalise(&std::env::current_dir().unwrap_or_default().join(path))
    }
}

/// The canonical form of `path`, resolving the deepest folder of it that exists and keeping the
/// rest as written: a deleted file's path is still resolved through its folder.
fn canonical_through_parent(path: &Path) -> Option<PathBuf> {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&existing) {
            let mut out = real;
            out.extend(rest.into_iter().rev());
            return Some(out);
        }
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?.to_path_buf();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_kind_of_path() {
        let c = |p: &str| classify(Path::new(p));
        assert_eq!(c("content/announcements/a.md"), Class::Content(ContentKind::Announcement));
        assert_eq!(c("content/site.yaml"), Class::Content(ContentKind::Config));
        assert_eq!(c("content/speaker/a.md"), Class::UnknownContent);
        assert_eq!(c("content/announcements/a.txt"), Class::UnknownContent);
        assert_eq!(c("templates/partials/x.html"), Class::Template("partials/x.html".into()));
        assert_eq!(c("static/css/style.css"), Class::Static("css/style.css".into()));
        assert_eq!(c("content"), Class::SourceDir("content"));
        assert_eq!(c("public/index.html"), Class::Ignored);
        for leftover in [
            "content/.a.md.swp",
            "content/announcements/a.md~",
            "static/4913",
            "templates/.#base.html",
            "content/pages/#about.md#",
            "static/.hidden/x.css",
        ] {
            assert_eq!(c(leftover), Class::Ignored, "{leftover}");
        }
    }

    #[test]
    fn any_spelling_of_a_path_under_the_root_is_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("content/announcements")).unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        let rel = Path::new("content/announcements/a.md");
        for given in [real.clone(), dir.path().join("link"), real.join("content/..")] {
            let root = SiteRoot::new(&given);
            assert_eq!(root.path(), std::fs::canonicalize(&real).unwrap());
            // Through the real folder, through the link, relative, and a file that is gone.
            for path in [real.join(rel), dir.path().join("link").join(rel), rel.to_path_buf()] {
                assert_eq!(root.relative(&path).as_deref(), Some(rel), "{} from {}", path.display(), given.display());
            }
            assert_eq!(root.classify(&real.join(rel)), Class::Content(ContentKind::Announcement));
            assert_eq!(root.relative(&dir.path().join("elsewhere/a.md")), None);
            assert_eq!(root.relative(Path::new("../real/content/x.md")), None);
        }
    }
}
