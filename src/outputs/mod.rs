//! The site's machine outputs: what the build writes besides its pages. Each is an [`Output`]
//! that takes the finished site and the list of its pages and returns files: the sitemap and
//! robots.txt, the Atom feed and the timeline as iCalendar. None of them
//! renders a template or calls another; `build`, `publish` and `serve` ask for all of them
//! through [`render`].

pub mod feed;
pub mod ics;
pub mod sitemap;

use crate::model::Site;
use crate::output::OutputFile;
use crate::routes::PageKind;

/// One kind of machine output.
pub trait Output: Sync {
    /// The output paths it may write.
    fn paths(&self) -> &'static [&'static str];
    /// Its files for `site`, whose pages are `pages`.
    fn render(&self, site: &Site, pages: &[PageKind]) -> Vec<OutputFile>;
}

/// `sitemap.xml`, listing every page but the 404 page (in numbered parts that it lists, past the
/// protocol's limits), and a `robots.txt` that points at it.
struct Sitemap;

impl Output for Sitemap {
    fn paths(&self) -> &'static [&'static str] {
        &["sitemap.xml", "robots.txt"]
    }
    fn render(&self, site: &Site, pages: &[PageKind]) -> Vec<OutputFile> {
        // Every language's pages, but those whose member is not translated yet: they name the
        // original as their canonical page. Each lists the languages it is written in, and the
        // default language's page as `x-default`.
        let several = !site.translations.is_empty();
        let mut entries = Vec::new();
        for kind in pages.iter().filter(|k| **k != PageKind::NotFound) {
            let versions: Vec<(String, String)> = site
                .languages()
                .filter(|s| kind.is_translated(s))
                .map(|s| (s.config.current().tag.clone(), kind.path(s)))
                .collect();
            let mut alternates = versions.clone();
            if several {
                alternates.push(("x-default".to_string(), kind.path(site)));
            }
            entries.extend(versions.into_iter().map(|(_, path)| sitemap::Entry {
                path,
                alternates: if several { alternates.clone() } else { Vec::new() },
            }));
        }
        let mut files: Vec<OutputFile> =
            sitemap::sitemaps(site, &entries).into_iter().map(|(path, xml)| OutputFile::text(path, xml)).collect();
        files.push(OutputFile::text("robots.txt", sitemap::robots(site)));
        files
    }
}

/// `feed.xml`, the announcements as Atom.
struct Feed;

impl Output for Feed {
    fn paths(&self) -> &'static [&'static str] {
        &["feed.xml"]
    }
    fn render(&self, site: &Site, _: &[PageKind]) -> Vec<OutputFile> {
        vec![OutputFile::text("feed.xml", feed::atom(site))]
    }
}

/// `timeline.ics`, the timeline as iCalendar.
struct Calendar;

impl Output for Calendar {
    fn paths(&self) -> &'static [&'static str] {
        &["timeline.ics"]
    }
    fn render(&self, site: &Site, _: &[PageKind]) -> Vec<OutputFile> {
        vec![OutputFile::text("timeline.ics", ics::timeline(site))]
    }
}

/// Every machine output, in the order their files are listed.
pub const ALL: [&dyn Output; 3] = [&Sitemap, &Feed, &Calendar];

/// The files of every output for `site`, less those that a file of the author's own under
/// `static/` replaces (a hand-written `robots.txt` wins).
pub fn render(site: &Site, pages: &[PageKind]) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = ALL.iter().flat_map(|o| o.render(site, pages)).collect();
    files.retain(|f| !site.statics.iter().any(|s| s.path == f.path));
    files
}

/// The outputs each language of a briefing has of its own, under its folder (`zh/feed.xml`).
const PER_LANGUAGE: [&dyn Output; 2] = [&Feed, &Calendar];

/// The files of the outputs of `site`, a further language of a briefing (not the default): its
/// feed and calendar, under its folder (`zh/feed.xml`).
pub fn render_language(site: &Site, pages: &[PageKind]) -> Vec<OutputFile> {
    let prefix = site.config.lang_prefix();
    PER_LANGUAGE
        .iter()
        .flat_map(|o| o.render(site, pages))
        .map(|f| OutputFile { path: format!("{prefix}{}", f.path), ..f })
        .collect()
}

/// The files of every output of every language of `root`, whose pages are `pages` (by
/// language): the default language's at the root, each further language's under its folder.
pub fn render_languages(root: &Site, pages: &[Vec<PageKind>]) -> Vec<OutputFile> {
    root.languages().zip(pages).flat_map(|(site, kinds)| render_one(site, kinds)).collect()
}

/// The files of the outputs of `site`, one language of a briefing: every output for the default
/// language (the sitemap lists every language's pages), its own feed and calendar
/// under its folder for another.
pub fn render_one(site: &Site, pages: &[PageKind]) -> Vec<OutputFile> {
    if site.config.lang == 0 {
        render(site, pages)
    } else {
        render_language(site, pages)
    }
}

/// Every path the outputs of `site`, one language of a briefing, may write ([`render_one`]).
pub fn paths_of(site: &Site) -> Vec<String> {
    if site.config.lang == 0 {
        ALL.iter().flat_map(|o| o.paths()).map(|p| p.to_string()).collect()
    } else {
        let prefix = site.config.lang_prefix();
        PER_LANGUAGE.iter().flat_map(|o| o.paths()).map(|p| format!("{prefix}{p}")).collect()
    }
}

/// Every path an [`Output`] may write for `root` in any of its languages.
pub fn paths(root: &Site) -> Vec<String> {
    root.languages().flat_map(paths_of).collect()
}

/// Whether an output path is one that an [`Output`] may write, for the default language or
/// under a language's folder (`zh/feed.xml`).
pub fn is_output_path(path: &str) -> bool {
    if ALL.iter().any(|o| o.paths().contains(&path)) || sitemap::is_part(path) {
        return true;
    }
    match path.split_once('/') {
        Some((code, rest)) => {
            crate::content::config::is_language_code(code) && PER_LANGUAGE.iter().any(|o| o.paths().contains(&rest))
        }
        None => false,
    }
}

/// Sites to test the publishing files with.
#[cfg(test)]
pub(crate) mod fixtures {
    use std::path::Path;

    use crate::content::{load, Settings};
    use crate::model::Site;

    /// The briefing in this repository's `content/`.
    pub fn real() -> Site {
        load(Path::new(env!("CARGO_MANIFEST_DIR")), &Settings::default()).map_err(|e| format!("{e:?}")).unwrap()
    }

    /// A title with every character XML treats specially, and iCalendar's too.
    pub const TRICKY: &str = r#"Tom & Jerry <b>say</b> "hi", 'yes'; a\b"#;

    /// A new briefing (from the starter) whose announcement and site titles are [`TRICKY`], with
    /// the given base URL. The temporary folder must be kept while the site is used.
    pub fn tricky(base_url: Option<&str>) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        crate::starter::create(&root).unwrap();
        let quoted = format!("'{}'", TRICKY.replace('\'', "''"));
        let edit = |rel: &str, from: &str, to: &str| {
            let path = root.join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{rel} has no `{from}`");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        };
        edit("content/announcements/opening.md", "title: The Example Expo opens", &format!("title: {quoted}"));
        edit("content/site.yaml", "title: Example Expo Briefing", &format!("title: {quoted}"));
        edit("content/timeline.yaml", "title: The expo opens", &format!("title: {quoted}"));
        let settings = Settings { base_url: base_url.map(String::from), ..Settings::default() };
        let site = load(&root, &settings).map_err(|e| format!("{e:?}")).unwrap();
        (dir, site)
    }

    /// The site paths of every page of `site` but the optional ones, as the sitemap lists them.
    pub fn pages(site: &Site) -> Vec<String> {
        crate::routes::pages(site, |_| false).into_iter().map(|k| k.path(site)).collect()
    }
}
