//! The link check: every internal link and image of every page the build writes, and every
//! `#anchor`, looked up among the files the build produces, whoever wrote the link.
//!
//! Two passes over the same files:
//! - the links written in the content (Markdown bodies) are checked where they are written, so a
//!   broken one is reported at its line in the content file ([`check_content`]);
//! - every page is read as a browser reads it ([`crate::html_scan`]) and every link on it is
//!   checked ([`check_pages`]). A broken link that the content pass did not report comes from a
//!   template: it is reported at the template line that writes it, as literal text or as a
//!   `url()` or `asset()` call ([`crate::template_links`]), or, when the template prints it from
//!   a value, at the template with the page it was found on. The same broken link on many pages
//!   is reported once, with their number.
//!
//! What each page links to is gathered while it is rendered ([`page_links`]); the check itself is
//! look-ups, which `serve` repeats after each change without reading the pages again.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::diagnostic::{closest, Diagnostic, Diagnostics, Kind};
use crate::html_scan;
use crate::model::{Body, Embargo, Link, Site};
use crate::output::OutputFile;
use crate::routes::{self, PageKind};
use crate::templates::Templates;

/// The output files a link check looks links up in, by output path.
pub trait Lookup: Sync {
    /// The file at an output path (`speakers/su-bo/index.html`).
    fn file(&self, path: &str) -> Option<&OutputFile>;
    /// Every output path, for suggestions.
    fn paths(&self) -> Vec<&str>;
}

impl<S: std::hash::BuildHasher + Sync> Lookup for HashMap<&str, &OutputFile, S> {
    fn file(&self, path: &str) -> Option<&OutputFile> {
        self.get(path).copied()
    }
    fn paths(&self) -> Vec<&str> {
        self.keys().copied().collect()
    }
}

impl Lookup for imbl::HashMap<String, Arc<OutputFile>> {
    fn file(&self, path: &str) -> Option<&OutputFile> {
        self.get(path).map(|f| &**f)
    }
    fn paths(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

/// The output file a site path names, as a static host finds it: `/speakers/` is
/// `speakers/index.html`, and `/speakers` is that too (hosts redirect it).
fn find<'a>(files: &'a dyn Lookup, path: &str) -> Option<&'a OutputFile> {
    thread_local! {
        // The check looks up hundreds of thousands of paths in a large site: one buffer for the
        // output path of each, rather than a new string.
        static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    KEY.with_borrow_mut(|key| {
        key.clear();
        routes::push_output_path(key, path);
        if let Some(f) = files.file(key) {
            return Some(f);
        }
        if path.ends_with('/') {
            return None;
        }
        // `/speakers` (no slash): the folder's index, as hosts redirect to it.
        key.push_str("/index.html");
        files.file(key)
    })
}

/// The site paths of every file, for suggestions.
fn known_paths(files: &dyn Lookup) -> BTreeSet<String> {
    files.paths().into_iter().map(routes::site_path).collect()
}

/// Fragments that need no element: `#top` scrolls to the top of any page (HTML spec).
fn needs_no_id(fragment: &str) -> bool {
    fragment.eq_ignore_ascii_case("top")
}

/// What one rendered page links to, as the check needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// The site paths (under no base path) its internal links and images point at, each once.
    targets: Box<[Box<str>]>,
    /// The site path and fragment of each link with an anchor into another page, each once.
    anchors: Box<[(Box<str>, Box<str>)]>,
    /// The fragments of the links into the page itself (`#main`), each once.
    own: Box<[Box<str>]>,
    /// Root-relative URLs that are not under the site's base path: they leave the site when it is
    /// published under a subpath.
    outside: Box<[Box<str>]>,
    /// The page's `id`s.
    ids: Box<[Box<str>]>,
}

impl PageLinks {
    /// How many targets, anchors, ids and outside links the page has: a figure for benchmarks.
    #[doc(hidden)]
    pub fn count(&self) -> usize {
        self.targets.len() + self.anchors.len() + self.own.len() + self.outside.len() + self.ids.len()
    }
}

/// Where a URL written on the page at `page_url` (the page's URL, base path included) points:
/// a site path and a fragment, or `Err` with the resolved path when it is outside the base path;
/// `None` when it is an absolute URL (the site's own canonical links are made by `routes`; other
/// pages of the site's host may be served by something else).
fn target(page_url: &str, url: &str, base_path: &str) -> Option<Result<(String, Option<String>), String>> {
    let (path, fragment) = html_scan::resolve(page_url, url.trim())?;
    let base = base_path.trim_end_matches('/');
    if base.is_empty() {
        // Every path is under the root.
        return Some(Ok((path, fragment)));
    }
    match path.strip_prefix(base) {
        Some(rest) if rest.starts_with('/') || rest.is_empty() => {
            Some(Ok((if rest.is_empty() { "/".to_string() } else { rest.to_string() }, fragment)))
        }
        _ => Some(Err(path)),
    }
}

/// Whether a link of the page is one the check follows: not a `<base>`, and not a hint to
/// connect to another host.
fn followed(link: &html_scan::HtmlLink) -> bool {
    let hint = link.rel.as_deref().is_some_and(|rel| {
        rel.split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("preconnect") || r.eq_ignore_ascii_case("dns-prefetch"))
    });
    link.element != "base" && !hint
}

/// What the page at site path `page` (`/speakers/su-bo/`), whose HTML is `html`, links to, on a
/// site published under `base_path`.
pub fn page_links(page: &str, html: &str, base_path: &str) -> PageLinks {
    let scan = html_scan::scan(html);
    let page_url = routes::url(base_path, page);
    let (mut targets, mut anchors, mut own, mut outside) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // Where a URL points depends on the URL alone: lists repeat theirs (a speaker on every card),
    // and each is resolved once.
    let mut seen = FxHashSet::default();
    for link in scan.links.iter().filter(|l| followed(l)) {
        if !seen.insert(&*link.url) {
            continue;
        }
        match target(&page_url, &link.url, base_path) {
            Some(Ok((path, fragment))) => {
                match fragment {
                    Some(f) if path == page => own.push(Box::from(f)),
                    Some(f) => anchors.push((Box::from(path.as_str()), Box::from(f))),
                    None => {}
                }
                if path != page {
                    targets.push(Box::<str>::from(path));
                }
            }
            Some(Err(_)) => outside.push(Box::from(link.url.trim())),
            None => {}
        }
    }
    // Lists repeat links (a speaker on every card): each once.
    fn distinct<T: Ord>(mut v: Vec<T>) -> Box<[T]> {
        v.sort_unstable();
        v.dedup();
        v.into_boxed_slice()
    }
    PageLinks {
        targets: distinct(targets),
        anchors: distinct(anchors),
        own: distinct(own),
        outside: distinct(outside),
        ids: scan.ids.into_iter().map(Box::from).collect(),
    }
}

/// A link of a page that points at nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Broken {
    /// Nothing is published at this site path.
    Missing(String),
    /// The page at this site path has no element with this id.
    Anchor(String, String),
    /// This root-relative URL is not under the base path.
    Outside(String),
}

/// The pages of a build, by output path, with their kinds and what they link to: a persistent
/// map, which `serve` keeps and updates for the pages it renders again.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    by_path: imbl::HashMap<String, (PageKind, Arc<PageLinks>)>,
    /// The pages with links into other pages' anchors, which a change to those pages can break.
    anchored: imbl::HashSet<String>,
}

impl Pages {
    /// The pages `pages` of `site`.
    pub fn new(site: &Site, pages: impl IntoIterator<Item = (PageKind, Arc<PageLinks>)>) -> Pages {
        let mut out = Pages::default();
        for (kind, links) in pages {
            out.set(&kind.output_path(site), kind, links);
        }
        out
    }

    /// Sets what the page at `path`, of kind `kind`, links to.
    pub fn set(&mut self, path: &str, kind: PageKind, links: Arc<PageLinks>) {
        if links.anchors.is_empty() {
            self.anchored.remove(path);
        } else {
            self.anchored.insert(path.to_string());
        }
        self.by_path.insert(path.to_string(), (kind, links));
    }

    /// Keeps the pages whose output path `keep` holds for, with the kind it gives them (the
    /// kinds are indexes into the site's lists, which move when members come, go or move).
    pub fn update(&mut self, kind_of: impl Fn(&str) -> Option<PageKind>) {
        let mut next = Pages::default();
        for (path, (_, links)) in self.by_path.iter() {
            if let Some(kind) = kind_of(path) {
                next.set(path, kind, Arc::clone(links));
            }
        }
        *self = next;
    }

    /// The ids of the page that site path `path` names, if it is a page.
    fn ids(&self, files: &dyn Lookup, path: &str) -> Option<&[Box<str>]> {
        let file = find(files, path)?;
        self.by_path.get(&file.path).map(|(_, links)| &*links.ids)
    }
}

/// Which pages' links a check looks at.
pub enum Scope<'s> {
    /// Every page.
    All,
    /// The pages at these output paths (the ones a rebuild rendered again), and the anchors of
    /// other pages that point into them. After a rebuild in which no file came or went, this
    /// finds what a check of every page would.
    Changed(&'s HashSet<String>),
}

/// Checks the links of the `pages` in `scope` against `files`, leaving out what the content pass
/// `reported`, and reports each broken link once, where the template that writes it writes it.
pub fn check_pages(
    site: &Site,
    templates: &Templates,
    files: &dyn Lookup,
    pages: &Pages,
    scope: Scope,
    reported: &HashSet<(String, Option<String>)>,
) -> Diagnostics {
    let in_scope = |path: &str| match scope {
        Scope::All => true,
        Scope::Changed(changed) => changed.contains(path),
    };
    let check = |(path, (kind, links)): (&String, &(PageKind, Arc<PageLinks>))| {
        let mut out = Vec::new();
        let whole = in_scope(path);
        if whole {
            for t in links.targets.iter() {
                if find(files, t).is_none() && !reported.contains(&(t.to_string(), None)) {
                    out.push(Broken::Missing(t.to_string()));
                }
            }
            out.extend(links.outside.iter().map(|o| Broken::Outside(o.to_string())));
            let page = routes::site_path(path);
            for f in links.own.iter().filter(|f| !needs_no_id(f)) {
                if !links.ids.iter().any(|id| id == f) && !reported.contains(&(page.clone(), Some(f.to_string()))) {
                    out.push(Broken::Anchor(page.clone(), f.to_string()));
                }
            }
        }
        for (t, f) in links.anchors.iter() {
            if needs_no_id(f) || reported.contains(&(t.to_string(), Some(f.to_string()))) {
                continue;
            }
            let Some(file) = find(files, t) else { continue };
            if !whole && !in_scope(&file.path) {
                continue;
            }
            if pages.ids(files, t).is_some_and(|ids| !ids.iter().any(|id| **id == **f)) {
                out.push(Broken::Anchor(t.to_string(), f.to_string()));
            }
        }
        (*kind, out)
    };
    let found: Vec<(PageKind, Vec<Broken>)> = match scope {
        // A few pages: no threads to start.
        Scope::Changed(changed) if changed.len() < 64 => {
            let paths: BTreeSet<&String> = changed.iter().chain(pages.anchored.iter()).collect();
            paths.into_iter().filter_map(|p| pages.by_path.get_key_value(p)).map(check).collect()
        }
        _ => pages.by_path.iter().collect::<Vec<_>>().into_par_iter().map(check).collect(),
    };
    // Broken links by what is broken, with the pages they are on, in page order.
    let mut broken: BTreeMap<Broken, Vec<(String, PageKind)>> = BTreeMap::new();
    for (kind, list) in found {
        for b in list {
            broken.entry(b).or_default().push((kind.path(site), kind));
        }
    }
    let mut errors = Diagnostics::default();
    for (what, mut on) in broken {
        on.sort_by(|a, b| a.0.cmp(&b.0));
        let kinds: Vec<PageKind> = on.into_iter().map(|(_, k)| k).collect();
        errors.push(diagnose(site, templates, files, pages, &what, &kinds));
    }
    errors.finish()
}

/// The diagnostic for one broken link found on `kinds`: at the template line that writes it
/// when one does, else at the template of the first page.
fn diagnose(
    site: &Site,
    templates: &Templates,
    files: &dyn Lookup,
    pages: &Pages,
    what: &Broken,
    kinds: &[PageKind],
) -> Diagnostic {
    let first = kinds[0];
    let page = first.path(site);
    let base_path = &site.config.base_path;
    let on = match kinds.len() {
        1 => format!(" (on {page})"),
        n => format!(" (on {n} pages, such as {page})"),
    };
    let (message, help) = match what {
        Broken::Missing(path) => {
            let known = known_paths(files);
            let is_file = path.rsplit('/').next().is_some_and(|name| name.contains('.'));
            let help = match closest(path, known.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None if is_file => format!("put the file in static/ (static{path}), or correct the path"),
                None => "internal links are site paths such as /speakers/su-bo/ or /timeline/".into(),
            };
            (format!("broken link: nothing is published at `{path}`{on}"), help)
        }
        Broken::Anchor(path, id) => {
            let ids: BTreeSet<String> =
                pages.ids(files, path).map(|s| s.iter().map(|id| id.to_string()).collect()).unwrap_or_default();
            let help = match closest(id, ids.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `#{best}`?"),
                None if ids.is_empty() => "that page has no element with an id".into(),
                None => format!("ids on that page: {}", ids.iter().take(12).cloned().collect::<Vec<_>>().join(", ")),
            };
            (format!("broken anchor: `{path}` has no element with id `{id}`{on}"), help)
        }
        Broken::Outside(url) => (
            format!("the link `{url}` leads outside the site, which is published under {base_path}{on}"),
            "write internal links with url(path=\"...\"), which puts the base path in front".into(),
        ),
    };
    // The URLs written on the first page that point at the broken target, as written.
    let html = find(files, &page).and_then(|f| f.contents.page_text());
    let page_url = routes::url(base_path, &page);
    let links = html.as_deref().map(|html| html_scan::scan(html).links);
    let written: Vec<String> = links
        .unwrap_or_default()
        .into_iter()
        .filter(followed)
        .filter(|l| match (what, target(&page_url, &l.url, base_path)) {
            (Broken::Missing(p), Some(Ok((path, _)))) => &path == p,
            (Broken::Anchor(p, id), Some(Ok((path, Some(f))))) => &path == p && &f == id,
            (Broken::Outside(u), Some(Err(_))) => l.url.trim() == u,
            _ => false,
        })
        .map(|l| l.url.trim().to_string())
        .collect();
    match templates.find_link(first.template(), base_path, &written) {
        Some((name, source, span)) => {
            Diagnostic::at(Kind::BrokenLink, format!("templates/{name}"), &source, span, message)
                .label("written here")
                .help(help)
        }
        None => Diagnostic::file(Kind::BrokenLink, format!("templates/{}", first.template()), message).help(format!(
            "the template (or one it uses) prints this link from a value, as `{}`: build internal links with url(path=...); {help}",
            written.first().map_or("?", String::as_str)
        )),
    }
}

/// Checks every link written in the content of `site` against the built `files`: the problems,
/// and what they are about (site path and fragment), which the page pass then leaves out.
pub fn check_content(site: &Site, files: &dyn Lookup) -> (Diagnostics, HashSet<(String, Option<String>)>) {
    check_content_some(site, files, &|_| true)
}

/// Checks every link of the bodies for which `wanted(body)` holds, and the `#anchor` links of
/// all others. `serve` uses it, after a change that added or removed no file, to check only the
/// links that the change can have broken.
pub fn check_content_some(
    site: &Site,
    files: &dyn Lookup,
    wanted: &(dyn Fn(&Body) -> bool + Sync),
) -> (Diagnostics, HashSet<(String, Option<String>)>) {
    let all_bodies =
        (site.announcements.iter().enumerate().map(|(i, a)| (&*a.body, PageKind::Announcement(i), a.embargo)))
            .chain(site.speakers.iter().enumerate().map(|(i, s)| (&*s.body, PageKind::Speaker(i), None)))
            .chain(site.pages.iter().enumerate().map(|(i, p)| (&*p.body, PageKind::Page(i), p.embargo)))
            .chain(site.timeline.iter().filter_map(|e| e.body.as_deref().map(|b| (b, PageKind::Timeline, e.embargo))));
    // A leak of an embargo depends on the content alone, but on more than the body: on the
    // embargoes of what it links to. `serve` checks every body when an embargo moved.
    let bodies: Vec<((&Body, PageKind, Own), bool)> = all_bodies
        .filter_map(|(body, page, own)| {
            let all = wanted(body);
            (all || body.markdown.has_anchor_links).then_some(((body, page, own), all))
        })
        .collect();
    let ids = IdCache::default();
    let found: Vec<(Diagnostic, (String, Option<String>))> = bodies
        .par_iter()
        .flat_map_iter(|&(item, all)| {
            let ids = &ids;
            item.0
                .markdown
                .links
                .iter()
                .filter(move |link| all || link.url.contains('#'))
                .filter_map(move |link| check_link(site, files, ids, item, link))
                .collect::<Vec<_>>()
        })
        .collect();
    let reported = found.iter().map(|(_, about)| about.clone()).collect();
    (Diagnostics(found.into_iter().map(|(d, _)| d).collect()).finish(), reported)
}

/// The moment the embargo of a body's item lifts, when a build previews it before then.
type Own = Option<chrono::DateTime<chrono::FixedOffset>>;

/// The ids of pages, read once each.
#[derive(Default)]
struct IdCache(std::sync::Mutex<HashMap<String, Arc<HashSet<String>>>>);

impl IdCache {
    fn of(&self, file: &OutputFile) -> Option<Arc<HashSet<String>>> {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ids) = cache.get(&file.path) {
            return Some(Arc::clone(ids));
        }
        let html = file.contents.page_text()?;
        let ids: Arc<HashSet<String>> = Arc::new(html_scan::scan(&html).ids.into_iter().map(Cow::into_owned).collect());
        cache.insert(file.path.clone(), Arc::clone(&ids));
        Some(ids)
    }
}

/// The site path `path` of a page in `site`'s language as the same page has it in the default
/// language (`/zh/speakers/` is `/speakers/`), which the embargoes and drafts are recorded by.
fn in_default_language(site: &Site, path: &str) -> String {
    let prefix = site.config.lang_prefix();
    match path.strip_prefix('/').and_then(|p| p.strip_prefix(prefix.as_str())) {
        Some(rest) if !prefix.is_empty() => format!("/{rest}"),
        _ => path.to_string(),
    }
}

/// The embargo not lifted yet on the page at site path `path` (in any language), if there is one.
fn embargo_on<'s>(site: &'s Site, path: &str) -> Option<&'s Embargo> {
    if site.embargoes.is_empty() {
        return None;
    }
    let path = in_default_language(site, path);
    site.embargoes.iter().find(|e| e.page.as_deref() == Some(path.as_str()))
}

/// Checks one link of `body`, shown on `page`, whose item is under embargo until `own` in a
/// preview: whether it leaks an embargo, then whether it points at something.
fn check_link(
    site: &Site,
    files: &dyn Lookup,
    ids: &IdCache,
    (body, page, own): (&Body, PageKind, Own),
    link: &Link,
) -> Option<(Diagnostic, (String, Option<String>))> {
    let span = body.span(link.span.clone());
    let error = |message: String| Diagnostic::at(Kind::BrokenLink, &body.file, &body.source, span.clone(), message);
    let page = page.path(site);
    // A Markdown link is written as a site path, relative to the page it is shown on; in a
    // translation, a page's site path leads to the page in the same language.
    let written = routes::in_language(&site.config.lang_prefix(), link.url.trim());
    let (path, fragment) = html_scan::resolve(&page, &written)?;
    let what = if link.image { "image" } else { "link" };
    if let Some(held) = embargo_on(site, &path).filter(|held| !crate::content::embargo::may_point_to(own, held)) {
        let what = format!("{what} points to `{path}`");
        let d = crate::content::embargo::leak(&body.file, &body.source, span, &what, held);
        return Some((d, (path, fragment)));
    }
    let Some(file) = find(files, &path) else {
        let known = known_paths(files);
        let mut help = match closest(&path, known.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "internal links are site paths such as /speakers/su-bo/ or /timeline/".to_string(),
        };
        if site.drafts_left_out.contains(&in_default_language(site, &path)) {
            help = format!(
                "`{path}` is a draft, left out of this build: publish it (remove `draft: true`) or build with --drafts"
            );
        }
        let d = error(format!("broken {what}: nothing is published at `{path}`")).label("no such page").help(help);
        return Some((d, (path, None)));
    };
    let fragment = fragment.filter(|f| !needs_no_id(f))?;
    let page_ids = ids.of(file)?;
    if page_ids.contains(&fragment) {
        return None;
    }
    let sorted: BTreeSet<&str> = page_ids.iter().map(String::as_str).collect();
    let help = match closest(&fragment, sorted.iter().copied()) {
        Some(best) => format!("did you mean `#{best}`?"),
        None if sorted.is_empty() => "that page has no element with an id".into(),
        None => format!("ids on that page: {}", sorted.iter().take(12).copied().collect::<Vec<_>>().join(", ")),
    };
    let d = error(format!("broken anchor: `{path}` has no element with id `{fragment}`"))
        .label("no such anchor")
        .help(help);
    Some((d, (path, Some(fragment))))
}

/// Checks every link of the site: the content's, then every page's (see the module's doc).
pub fn check(site: &Site, templates: &Templates, files: &dyn Lookup, pages: &Pages) -> Diagnostics {
    let (mut errors, reported) = check_content(site, files);
    errors.0.extend(check_pages(site, templates, files, pages, Scope::All, &reported).0);
    errors.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_site_paths_under_the_base() {
        let t = |url: &str| target("/b/announcements/a/", url, "/b/");
        assert_eq!(t("/b/speakers/"), Some(Ok(("/speakers/".into(), None))));
        assert_eq!(t("../x/#y"), Some(Ok(("/announcements/x/".into(), Some("y".into())))));
        assert_eq!(t("https://example.org/b/topics/"), None);
        assert_eq!(t("/logo.svg"), Some(Err("/logo.svg".into())));
        assert_eq!(t("https://example.net/"), None);
        assert_eq!(t("/b"), Some(Ok(("/".into(), None))));
    }

    #[test]
    fn a_page_lists_each_target_once() {
        let html = r##"<a href="/x/">1</a><a href="/x/">2</a><a href="#main">skip</a><main id="main"></main>
            <link rel="preconnect" href="/nothing/"><img src="/elsewhere.png"><a href="https://example.net/">e</a>"##;
        let links = page_links("/", html, "/");
        assert_eq!(&*links.targets, [Box::from("/elsewhere.png"), Box::from("/x/")]);
        // `#main` points into the page itself.
        assert!(links.anchors.is_empty());
        assert_eq!(&*links.own, [Box::from("main")]);
        assert_eq!(&*links.ids, [Box::from("main")]);
        assert!(links.outside.is_empty());
        let under = page_links("/", html, "/b/");
        assert_eq!(under.outside.len(), 2, "{under:?}");
    }
}
