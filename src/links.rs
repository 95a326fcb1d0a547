//! Checking every internal link and `#anchor` written in the content, after rendering, against
//! the pages and files the build produces.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostic::{closest, Diagnostic, Diagnostics, Kind};
use crate::markdown::{html_ids, Link};
use crate::model::{Body, Site};
use crate::output::{Contents, OutputFile};
use crate::routes::PageKind;

/// Whether a link leaves the site (`https:`, `mailto:`, `//host/`).
fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && !scheme.contains('/')
        }
        None => false,
    }
}

/// Resolves `path` (relative or absolute, without `#` or `?`) against the directory of `page`.
fn resolve(page: &str, path: &str) -> String {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && out != "/" {
        out.push('/');
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The output files a link check looks links up in, by output path.
pub trait Lookup: Sync {
    /// The file at an output path (`speakers/su-bo/index.html`).
    fn file(&self, path: &str) -> Option<&OutputFile>;
    /// Every output path, for suggestions.
    fn paths(&self) -> Vec<&str>;
}

impl Lookup for HashMap<&str, &OutputFile> {
    fn file(&self, path: &str) -> Option<&OutputFile> {
        self.get(path).copied()
    }
    fn paths(&self) -> Vec<&str> {
        self.keys().copied().collect()
    }
}

impl Lookup for imbl::HashMap<String, std::sync::Arc<OutputFile>> {
    fn file(&self, path: &str) -> Option<&OutputFile> {
        self.get(path).map(|f| &**f)
    }
    fn paths(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

struct Target<'a> {
    files: &'a dyn Lookup,
    ids: Mutex<HashMap<String, HashSet<String>>>,
}

impl<'a> Target<'a> {
    /// The output file a site path names, as a static host would find it.
    fn find(&self, path: &str) -> Option<&'a OutputFile> {
        let rel = path.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            return self.files.file(&format!("{rel}index.html"));
        }
        self.files.file(rel).or_else(|| self.files.file(&format!("{rel}/index.html")))
    }

    fn has_id(&self, file: &OutputFile, id: &str) -> Option<bool> {
        let Contents::Rendered(html) = &file.contents else { return None };
        let mut cache = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        let ids = cache.entry(file.path.clone()).or_insert_with(|| html_ids(html));
        Some(ids.contains(id))
    }

    fn ids_of(&self, file: &OutputFile) -> BTreeSet<String> {
        let cache = self.ids.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(&file.path).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    fn page_paths(&self) -> BTreeSet<String> {
        self.files
            .paths()
            .into_iter()
            .map(|p| match p.strip_suffix("index.html") {
                Some(dir) => format!("/{dir}"),
                None => format!("/{p}"),
            })
            .collect()
    }
}

/// A Markdown body and the page it appears on.
struct Checked<'a> {
    body: &'a Body,
    page: PageKind,
}

/// Checks every link written in the content of `site` against the built `files`.
pub fn check<'a>(site: &Site, files: impl IntoIterator<Item = &'a OutputFile>) -> Diagnostics {
    let files: HashMap<&str, &OutputFile> = files.into_iter().map(|f| (f.path.as_str(), f)).collect();
    check_some(site, &files, &|_| true)
}

/// Checks every link of the bodies for which `wanted(body)` holds, and the `#anchor` links of
/// all others. `serve` uses it, after a change that added or removed no page, to check only the
/// links that the change can have broken.
pub fn check_some(site: &Site, files: &dyn Lookup, wanted: &(dyn Fn(&Body) -> bool + Sync)) -> Diagnostics {
    let target = Target { files, ids: Mutex::new(HashMap::new()) };
    let all_bodies = (site.announcements.iter().enumerate().map(|(i, a)| (&*a.body, PageKind::Announcement(i))))
        .chain(site.speakers.iter().enumerate().map(|(i, s)| (&*s.body, PageKind::Speaker(i))))
        .chain(site.pages.iter().enumerate().map(|(i, p)| (&*p.body, PageKind::Page(i))))
        .chain(site.timeline.iter().filter_map(|e| e.body.as_deref().map(|b| (b, PageKind::Timeline))));
    let bodies: Vec<(Checked, bool)> = all_bodies
        .filter_map(|(body, page)| {
            let all = wanted(body);
            (all || body.markdown.has_anchor_links).then_some((Checked { body, page }, all))
        })
        .collect();
    let found: Vec<Diagnostic> = bodies
        .par_iter()
        .flat_map_iter(|(c, all)| {
            c.body
                .markdown
                .links
                .iter()
                .filter(move |link| *all || link.url.contains('#'))
                .filter_map(|link| check_link(site, &target, c, link))
                .collect::<Vec<_>>()
        })
        .collect();
    Diagnostics(found).finish()
}

fn check_link(site: &Site, target: &Target, c: &Checked, link: &Link) -> Option<Diagnostic> {
    let url = link.url.trim();
    let error = |message: String| {
        Diagnostic::at(Kind::BrokenLink, &c.body.file, &c.body.source, c.body.span(link.span.clone()), message)
    };
    if is_external(url) {
        return None;
    }
    let (before_hash, fragment) = url.split_once('#').map_or((url, None), |(p, f)| (p, Some(f)));
    let path_part = before_hash.split('?').next().unwrap_or_default();
    let page = c.page.path(site);
    let path = if path_part.is_empty() { page } else { resolve(&page, &percent_decode(path_part)) };
    let what = if link.image { "image" } else { "link" };
    let Some(file) = target.find(&path) else {
        let known = target.page_paths();
        let slug = path.trim_matches('/').rsplit('/').next().unwrap_or_default();
        let mut help = match closest(&path, known.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "internal links are site paths such as /speakers/su-bo/ or /timeline/".to_string(),
        };
        if site.drafts_left_out.contains(slug) {
            help = format!(
                "`{slug}` is a draft, left out of this build: publish it (remove `draft: true`) or build with --drafts"
            );
        }
        return Some(
            error(format!("broken {what}: nothing is published at `{path}`")).label("no such page").help(help),
        );
    };
    let fragment = percent_decode(fragment.unwrap_or_default());
    if fragment.is_empty() {
        return None;
    }
    match target.has_id(file, &fragment) {
        Some(false) => {
            let ids = target.ids_of(file);
            let help = match closest(&fragment, ids.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `#{best}`?"),
                None if ids.is_empty() => "that page has no element with an id".into(),
                None => format!("ids on that page: {}", ids.iter().take(12).cloned().collect::<Vec<_>>().join(", ")),
            };
            Some(
                error(format!("broken anchor: `{path}` has no element with id `{fragment}`"))
                    .label("no such anchor")
                    .help(help),
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links_like_a_browser() {
        assert_eq!(resolve("/announcements/a/", "../b/"), "/announcements/b/");
        assert_eq!(resolve("/announcements/a/", "/speakers/"), "/speakers/");
        assert_eq!(resolve("/announcements/a/", "x.png"), "/announcements/a/x.png");
        assert_eq!(resolve("/", "../../etc/"), "/etc/");
        assert_eq!(resolve("/a/", ".."), "/");
    }

    #[test]
    fn tells_external_from_internal() {
        assert!(is_external("https://example.org/"));
        assert!(is_external("mailto:a@b.org"));
        assert!(is_external("//cdn.example.org/x.js"));
        assert!(!is_external("/speakers/su-bo/"));
        assert!(!is_external("#key-areas"));
        assert!(!is_external("../x:y/"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b/"), "/a b/");
        assert_eq!(percent_decode("/%E8%8B%8F/"), "/苏/");
        assert_eq!(percent_decode("/100%/"), "/100%/");
        assert_eq!(percent_decode("/%苏/"), "/%苏/");
    }
}
