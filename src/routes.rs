//! Every URL of the site, in one place: which pages a site has, the template that renders each,
//! its site path (`/speakers/su-bo/`), the file it is written to (`speakers/su-bo/index.html`),
//! its URL under the base path (`/briefing/speakers/su-bo/`, for links) and its permalink under
//! the base URL (`https://example.org/briefing/speakers/su-bo/`, for the sitemap, the feed and
//! canonical links). Templates, Markdown links, the machine outputs, the link check and the dev
//! server all call these functions, so a page's address cannot differ between them.
//!
//! They are called for every link of every list, so they join their pieces with `concat`, which
//! allocates once, rather than `format!`, which grows its string piece by piece.

use crate::model::Site;

/// Which page of the site a render is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// `/`
    Index,
    /// `/announcements/`
    Announcements,
    /// `/announcements/<slug>/`
    Announcement(usize),
    /// `/timeline/`
    Timeline,
    /// `/speakers/`
    Speakers,
    /// `/speakers/<slug>/`
    Speaker(usize),
    /// `/topics/`
    Topics,
    /// `/topics/<slug>/`
    Topic(usize),
    /// `/<slug>/`
    Page(usize),
    /// `/404.html`
    NotFound,
    /// `/search/`
    Search,
}

/// The page kinds a site has only when it has their template.
pub const OPTIONAL: [PageKind; 2] = [PageKind::NotFound, PageKind::Search];

/// Site paths of brief's own pages, which a free page may not take.
pub const RESERVED: [&str; 6] = ["announcements", "speakers", "topics", "timeline", "search", "404"];

impl PageKind {
    /// The template that renders this kind of page.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Index => "index.html",
            PageKind::Announcements => "announcements.html",
            PageKind::Announcement(_) => "announcement.html",
            PageKind::Timeline => "timeline.html",
            PageKind::Speakers => "speakers.html",
            PageKind::Speaker(_) => "speaker.html",
            PageKind::Topics => "topics.html",
            PageKind::Topic(_) => "topic.html",
            PageKind::Page(_) => "page.html",
            PageKind::NotFound => "404.html",
            PageKind::Search => "search.html",
        }
    }

    /// The page's site path, without the base path (`/speakers/su-bo/`), under its language's
    /// folder for a language other than the default (`/zh/speakers/su-bo/`).
    pub fn path(self, site: &Site) -> String {
        let path = self.path_in_default(site);
        match site.config.lang {
            0 => path,
            _ => ["/", site.config.current().code.as_str(), &path].concat(),
        }
    }

    fn path_in_default(self, site: &Site) -> String {
        match self {
            PageKind::Index => "/".into(),
            PageKind::Announcements => "/announcements/".into(),
            PageKind::Announcement(i) => announcement_path(&site.announcements[i].slug),
            PageKind::Timeline => "/timeline/".into(),
            PageKind::Speakers => "/speakers/".into(),
            PageKind::Speaker(i) => ["/speakers/", site.speakers[i].slug.as_str(), "/"].concat(),
            PageKind::Topics => "/topics/".into(),
            PageKind::Topic(i) => ["/topics/", site.topics[i].slug.as_str(), "/"].concat(),
            PageKind::Page(i) => page_path(&site.pages[i].slug),
            PageKind::NotFound => "/404.html".into(),
            PageKind::Search => "/search/".into(),
        }
    }

    /// Whether the page is written in `site`'s language: its member is translated (or the page
    /// is a list, whose words are the templates').
    pub fn is_translated(self, site: &Site) -> bool {
        match self {
            PageKind::Announcement(i) => site.announcements[i].fallback.is_none(),
            PageKind::Speaker(i) => site.speakers[i].fallback.is_none(),
            PageKind::Page(i) => site.pages[i].fallback.is_none(),
            _ => true,
        }
    }

    /// Where the page is written in the output (`speakers/su-bo/index.html`).
    pub fn output_path(self, site: &Site) -> String {
        output_path(&self.path(site))
    }

    /// The page's URL under the site's base path, for links (`/briefing/speakers/su-bo/`).
    pub fn url(self, site: &Site) -> String {
        url(&site.config.base_path, &self.path(site))
    }

    /// The page's absolute URL under the site's base URL, for the sitemap, feeds and canonical
    /// links (`https://example.org/briefing/speakers/su-bo/`).
    pub fn permalink(self, site: &Site) -> String {
        permalink(&site.config.base_url, &self.path(site))
    }
}

/// The site path of the announcement `slug` in the default language (`/announcements/x/`).
pub fn announcement_path(slug: &str) -> String {
    ["/announcements/", slug, "/"].concat()
}

/// The site path of the free page `slug` in the default language (`/about/`).
pub fn page_path(slug: &str) -> String {
    ["/", slug, "/"].concat()
}

/// Every page of `site`, in a stable order: the lists, then announcements, speakers, topics and
/// free pages, then the [`OPTIONAL`] kinds for which `has_template` holds.
pub fn pages(site: &Site, has_template: impl Fn(&str) -> bool) -> Vec<PageKind> {
    let mut out =
        vec![PageKind::Index, PageKind::Announcements, PageKind::Timeline, PageKind::Speakers, PageKind::Topics];
    out.extend((0..site.announcements.len()).map(PageKind::Announcement));
    out.extend((0..site.speakers.len()).map(PageKind::Speaker));
    out.extend((0..site.topics.len()).map(PageKind::Topic));
    out.extend((0..site.pages.len()).map(PageKind::Page));
    out.extend(OPTIONAL.into_iter().filter(|k| has_template(k.template())));
    out
}

/// A site path written in the content of language `lang_prefix` (`zh/`), as it is published: a
/// page's path (`/speakers/su-bo/`, whose last segment has no `.`) goes to the page in that
/// language (`/zh/speakers/su-bo/`), and a file's (`/map.png`, `/feed.xml`) stays as written.
/// Markdown links and the link check both go through here.
pub fn in_language<'a>(lang_prefix: &str, path: &'a str) -> std::borrow::Cow<'a, str> {
    let is_site_path = path.starts_with('/') && !path.starts_with("//");
    if lang_prefix.is_empty() || !is_site_path {
        return path.into();
    }
    let end = path.find(['?', '#']).unwrap_or(path.len());
    let last = path[..end].rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return path.into();
    }
    ["/", lang_prefix, &path[1..]].concat().into()
}

/// A site path (`/speakers/`, `style.css`, `/a/#b`) under the base path (`/briefing/`), for
/// links; absolute URLs (`https://...`, `//host/...`) are left as they are.
pub fn url(base_path: &str, path: &str) -> String {
    if is_absolute(path) {
        return path.to_string();
    }
    [base_path, path.trim_start_matches('/')].concat()
}

/// Whether `path` is an absolute URL (`https://...`) or a scheme-relative one (`//host/...`),
/// which no base path goes in front of: it holds `://` anywhere, or starts with `//`. (Looking
/// at each `:` is a byte search; a search for `://` sets up a substring searcher each time.)
pub fn is_absolute(path: &str) -> bool {
    path.starts_with("//") || path.match_indices(':').any(|(i, _)| path[i..].starts_with("://"))
}

/// A site path under the base URL (`https://example.org/briefing/`): the absolute URL readers
/// and machines outside the site use.
pub fn permalink(base_url: &str, path: &str) -> String {
    [base_url, path.trim_start_matches('/')].concat()
}

/// The output file of a site path, as a static host finds it: `/speakers/` is
/// `speakers/index.html`, `/style.css` is `style.css`.
pub fn output_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 10);
    push_output_path(&mut out, path);
    out
}

/// Appends [`output_path`] of `path` to `out`.
pub fn push_output_path(out: &mut String, path: &str) {
    let path = path.trim_start_matches('/');
    out.push_str(path);
    if path.is_empty() || path.ends_with('/') {
        out.push_str("index.html");
    }
}

/// The site path of an output file: `speakers/su-bo/index.html` is `/speakers/su-bo/`.
pub fn site_path(output_path: &str) -> String {
    match output_path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{output_path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_are_those_with_a_scheme_or_two_slashes() {
        for (path, absolute) in [
            ("https://example.org/", true),
            ("//cdn.example.org/a.css", true),
            ("/a:b/https://x", true),
            ("/speakers/", false),
            ("mailto:press@example.org", false),
            ("/a:b/", false),
        ] {
            assert_eq!(is_absolute(path), absolute, "{path}");
            assert_eq!(is_absolute(path), path.contains("://") || path.starts_with("//"), "{path}");
        }
    }

    #[test]
    fn urls_go_under_the_base() {
        assert_eq!(url("/briefing/", "/speakers/"), "/briefing/speakers/");
        assert_eq!(url("/", "style.css"), "/style.css");
        assert_eq!(url("/b/", "https://x.org/"), "https://x.org/");
        assert_eq!(url("/b/", "//cdn.x.org/a.js"), "//cdn.x.org/a.js");
        assert_eq!(permalink("https://example.org/b/", "/speakers/su-bo/"), "https://example.org/b/speakers/su-bo/");
    }

    #[test]
    fn content_links_stay_in_their_language() {
        assert_eq!(in_language("zh/", "/speakers/su-bo/"), "/zh/speakers/su-bo/");
        assert_eq!(in_language("zh/", "/timeline/#y2012"), "/zh/timeline/#y2012");
        assert_eq!(in_language("zh/", "/"), "/zh/");
        assert_eq!(in_language("zh/", "/map.png"), "/map.png");
        assert_eq!(in_language("zh/", "https://example.org/a/"), "https://example.org/a/");
        assert_eq!(in_language("zh/", "../su-bo/"), "../su-bo/");
        assert_eq!(in_language("", "/speakers/"), "/speakers/");
    }

    #[test]
    fn output_paths_and_site_paths_are_inverse() {
        for (path, file) in [
            ("/", "index.html"),
            ("/speakers/su-bo/", "speakers/su-bo/index.html"),
            ("/404.html", "404.html"),
            ("/style.css", "style.css"),
        ] {
            assert_eq!(output_path(path), file);
            assert_eq!(site_path(file), path);
        }
        // A file merely named like an index page keeps its name.
        assert_eq!(site_path("notindex.html"), "/notindex.html");
    }
}
