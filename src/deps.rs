//! Which inputs each page reads, so that a change re-renders only the pages it can affect.
//!
//! This is the one place that knows the dependencies between files and pages. A page depends on
//! its template (and every template that one extends or includes), on the site settings, and on
//! the content its context is built from (see `render::context_for`). Dependencies are computed
//! on the site before and after a change; a page is re-rendered when a changed input appears in
//! either, so that an announcement that stops naming a speaker still updates that speaker's page.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::model::Site;
use crate::paths::{self, Class, ContentKind, SiteRoot};
use crate::render::PageKind;

/// Something a page can depend on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// `content/site.yaml`: every page.
    Settings,
    /// `content/announcements/<slug>.md`.
    Announcement(String),
    /// `content/speakers/<slug>.md`.
    Speaker(String),
    /// `content/topics.yaml`.
    Topics,
    /// `content/timeline.yaml`.
    Timeline,
    /// `content/pages/<slug>.md`.
    Page(String),
    /// A template, by name (`partials/card.html`).
    Template(String),
    /// A file under `static/`, by its path there.
    Static(String),
}

impl Input {
    /// What a changed file (relative to the site root) is, if brief reads it.
    pub fn from_path(rel: &Path) -> Option<Input> {
        let stem = || rel.file_stem().and_then(|s| s.to_str()).map(str::to_string);
        match paths::classify(rel) {
            Class::Content(ContentKind::Config) => Some(Input::Settings),
            Class::Content(ContentKind::Topics) => Some(Input::Topics),
            Class::Content(ContentKind::Timeline) => Some(Input::Timeline),
            Class::Content(ContentKind::Announcement) => stem().map(Input::Announcement),
            Class::Content(ContentKind::Speaker) => stem().map(Input::Speaker),
            Class::Content(ContentKind::Page) => stem().map(Input::Page),
            Class::Template(name) => Some(Input::Template(name)),
            Class::Static(path) => Some(Input::Static(path)),
            Class::UnknownContent | Class::SourceDir(_) | Class::Ignored => None,
        }
    }
}

/// The content inputs of one page (templates and settings are handled apart), as indexes into
/// the lists of the site it was computed on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageDeps {
    /// The template that renders the page.
    pub template: &'static str,
    /// Reads every announcement (lists, counts).
    pub all_announcements: bool,
    /// Reads every speaker.
    pub all_speakers: bool,
    /// Reads these announcements.
    pub announcements: Vec<usize>,
    /// Reads these speakers.
    pub speakers: Vec<usize>,
    /// Reads topics.yaml.
    pub topics: bool,
    /// Reads timeline.yaml.
    pub timeline: bool,
    /// Reads this free page.
    pub page: Option<usize>,
}

/// Changed inputs, resolved to indexes into one site's lists.
struct Resolved<'a> {
    inputs: &'a HashSet<Input>,
    // A change touches a handful of files: short lists beat hashing for every page.
    announcements: Vec<usize>,
    speakers: Vec<usize>,
    pages: Vec<usize>,
}

impl<'a> Resolved<'a> {
    fn new(site: &Site, inputs: &'a HashSet<Input>) -> Resolved<'a> {
        let mut r = Resolved { inputs, announcements: Vec::new(), speakers: Vec::new(), pages: Vec::new() };
        for input in inputs {
            match input {
                Input::Announcement(slug) => {
                    r.announcements.extend(site.announcements.iter().position(|a| &a.slug == slug))
                }
                Input::Speaker(slug) => r.speakers.extend(site.speakers.iter().position(|s| &s.slug == slug)),
                Input::Page(slug) => r.pages.extend(site.pages.iter().position(|p| &p.slug == slug)),
                _ => {}
            }
        }
        r
    }

    /// Whether a page with dependencies `d` reads any of the changed inputs.
    fn touches(&self, d: &PageDeps, templates: &HashMap<String, BTreeSet<String>>) -> bool {
        self.inputs.iter().any(|input| match input {
            Input::Settings => true,
            Input::Announcement(_) => d.all_announcements,
            Input::Speaker(_) => d.all_speakers,
            Input::Topics => d.topics,
            Input::Timeline => d.timeline,
            Input::Page(_) => false,
            Input::Template(name) => templates.get(d.template).is_none_or(|uses| uses.contains(name)),
            Input::Static(_) => false,
        }) || d.announcements.iter().any(|a| self.announcements.contains(a))
            || d.speakers.iter().any(|s| self.speakers.contains(s))
            || d.page.is_some_and(|p| self.pages.contains(&p))
    }
}

/// The dependencies of every page of a site, by output path.
pub type Pages = HashMap<String, (PageKind, PageDeps)>;

/// The dependencies of every page of `site`, by output path.
pub fn pages(site: &Site, kinds: &[PageKind]) -> Pages {
    kinds.par_iter().map(|&k| (k.output_path(site), (k, page_deps(site, k)))).collect()
}

/// Whether the pages of `after` have the same output paths and the same dependencies as the
/// pages of `before`, so that [`pages`] need not run again: the same slugs in the same order,
/// and the same links between announcements, speakers, topics and timeline entries. Saving the
/// text, title or summary of an announcement keeps the shape; changing its date, its speakers or
/// its topics, or adding a file, does not.
pub fn same_shape(before: &Site, after: &Site) -> bool {
    let announcements = before.announcements.len() == after.announcements.len()
        && before.announcements.iter().zip(&after.announcements).all(|(a, b)| {
            std::sync::Arc::ptr_eq(a, b) || (a.slug == b.slug && a.speakers == b.speakers && a.topics == b.topics)
        });
    // The reverse links (`speaker_announcements` and the others) follow from these.
    announcements
        && before.speakers.iter().map(|s| &s.slug).eq(after.speakers.iter().map(|s| &s.slug))
        && before.topics.iter().map(|t| &t.slug).eq(after.topics.iter().map(|t| &t.slug))
        && before.pages.iter().map(|p| &p.slug).eq(after.pages.iter().map(|p| &p.slug))
        && before
            .timeline
            .iter()
            .map(|e| (e.announcement, &e.speakers))
            .eq(after.timeline.iter().map(|e| (e.announcement, &e.speakers)))
}

fn page_deps(site: &Site, kind: PageKind) -> PageDeps {
    let mut d = PageDeps { template: kind.template(), ..PageDeps::default() };
    // An announcement card shows the announcement, its speakers and its topics.
    let card = |d: &mut PageDeps, a: usize| {
        d.announcements.push(a);
        d.speakers.extend(&site.announcements[a].speakers);
        d.topics |= !site.announcements[a].topics.is_empty();
    };
    // A timeline entry shows its own fields, its announcement's title and its speakers.
    let entry = |d: &mut PageDeps, e: usize| {
        let e = &site.timeline[e];
        d.timeline = true;
        d.announcements.extend(e.announcement);
        d.speakers.extend(&e.speakers);
    };
    match kind {
        PageKind::Index | PageKind::Announcements | PageKind::Timeline => {
            d.all_announcements = true;
            d.all_speakers = true;
            d.topics = true;
            d.timeline = true;
        }
        PageKind::Speakers | PageKind::Topics => {
            // Lists show how many announcements each entry has.
            d.all_announcements = true;
            d.all_speakers = true;
            d.topics = true;
        }
        PageKind::Announcement(i) => {
            card(&mut d, i);
            for &e in &site.announcement_timeline[i] {
                entry(&mut d, e);
            }
        }
        PageKind::Speaker(i) => {
            d.speakers.push(i);
            for &a in &site.speaker_announcements[i] {
                card(&mut d, a);
            }
            for &e in &site.speaker_timeline[i] {
                entry(&mut d, e);
            }
        }
        PageKind::Topic(i) => {
            d.topics = true;
            for &a in &site.topic_announcements[i] {
                card(&mut d, a);
            }
        }
        PageKind::Page(i) => d.page = Some(i),
        PageKind::NotFound | PageKind::Search => {}
    }
    d
}

/// The templates that `source` extends, includes or imports by name; `None` when a name is
/// computed at render time or the template defines components, which any template may use.
pub fn template_refs(source: &str) -> Option<Vec<String>> {
    if source.contains("{% component") || source.contains("{%- component") {
        return None;
    }
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(i) = rest.find("{%") {
        rest = &rest[i + 2..];
        let tag = rest.trim_start_matches('-').trim_start();
        let Some(after) = ["extends", "include", "import"].iter().find_map(|k| tag.strip_prefix(k)) else { continue };
        let arg = after.trim_start();
        let quote = arg.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let end = arg[1..].find(quote)?;
        out.push(arg[1..1 + end].to_string());
    }
    Some(out)
}

/// For each template, itself and every template it uses, directly or not (`None`: all of them).
pub fn template_closure(sources: &HashMap<String, String>) -> HashMap<String, BTreeSet<String>> {
    let refs: HashMap<&str, Option<Vec<String>>> =
        sources.iter().map(|(n, s)| (n.as_str(), template_refs(s))).collect();
    let mut out = HashMap::new();
    for name in sources.keys() {
        let mut seen = BTreeSet::new();
        let mut stack = vec![name.clone()];
        let mut everything = false;
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            match refs.get(n.as_str()) {
                Some(Some(children)) => stack.extend(children.iter().cloned()),
                Some(None) => everything = true,
                None => {}
            }
        }
        if everything {
            seen.extend(sources.keys().cloned());
        }
        out.insert(name.clone(), seen);
    }
    out
}

/// The output paths to render again after `changed`, given each site and its pages' dependencies
/// before and after the change.
pub fn affected(
    (before_site, before): (&Site, &Pages),
    (after_site, after): (&Site, &Pages),
    changed: &HashSet<Input>,
    templates: &HashMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let (old, new) = (Resolved::new(before_site, changed), Resolved::new(after_site, changed));
    // The same dependencies before and after (see `same_shape`): no page appeared, and the
    // changed inputs have the same indexes in both sites.
    let same = std::ptr::eq(before, after);
    let mut out: Vec<String> = after
        .iter()
        .filter(|(path, (_, deps))| {
            if same {
                return new.touches(deps, templates);
            }
            match before.get(*path) {
                None => true,
                Some((_, old_deps)) => new.touches(deps, templates) || old.touches(old_deps, templates),
            }
        })
        .map(|(p, _)| p.clone())
        .collect();
    out.sort();
    out
}

/// The changed inputs among `paths` (relative to the root or absolute).
pub fn inputs_of(root: &SiteRoot, paths: &[PathBuf]) -> HashSet<Input> {
    paths.iter().filter_map(|p| Input::from_path(&root.relative(p)?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Settings;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        crate::starter::create(&dir.path().join("s")).unwrap();
        for (rel, text) in files {
            let p = dir.path().join("s").join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let s = crate::load::load(&dir.path().join("s"), &Settings::default()).unwrap();
        (dir, s)
    }

    fn all_pages(site: &Site) -> HashMap<String, (PageKind, PageDeps)> {
        let mut kinds = vec![
            PageKind::Index,
            PageKind::Announcements,
            PageKind::Timeline,
            PageKind::Speakers,
            PageKind::Topics,
            PageKind::NotFound,
        ];
        kinds.extend((0..site.announcements.len()).map(PageKind::Announcement));
        kinds.extend((0..site.speakers.len()).map(PageKind::Speaker));
        kinds.extend((0..site.topics.len()).map(PageKind::Topic));
        kinds.extend((0..site.pages.len()).map(PageKind::Page));
        pages(site, &kinds)
    }

    const SECOND: &str = "---\nname: Ann Other\n---\nBio.\n";
    const SOLO: &str = "---\ntitle: Solo\ndate: 2030-05-15\nsummary: S.\nspeakers: [ann-other]\n---\nText.\n";

    #[test]
    fn maps_files_to_inputs() {
        assert_eq!(Input::from_path(Path::new("content/announcements/a.md")), Some(Input::Announcement("a".into())));
        assert_eq!(
            Input::from_path(Path::new("templates/partials/x.html")),
            Some(Input::Template("partials/x.html".into()))
        );
        assert_eq!(Input::from_path(Path::new("static/css/style.css")), Some(Input::Static("css/style.css".into())));
        assert_eq!(Input::from_path(Path::new("content/site.yaml")), Some(Input::Settings));
        assert_eq!(Input::from_path(Path::new("public/index.html")), None);
    }

    #[test]
    fn an_announcement_change_touches_its_page_its_people_its_topics_and_the_lists() {
        let (_d, s) = site(&[("content/speakers/ann-other.md", SECOND), ("content/announcements/solo.md", SOLO)]);
        let pages = all_pages(&s);
        let changed = HashSet::from([Input::Announcement("opening".into())]);
        let got = affected((&s, &pages), (&s, &pages), &changed, &HashMap::new());
        let expected = [
            "announcements/index.html",
            "announcements/opening/index.html",
            "index.html",
            "speakers/index.html",
            "speakers/jane-doe/index.html",
            "timeline/index.html",
            "topics/index.html",
            "topics/trade/index.html",
        ];
        assert_eq!(got, expected);
        // Not the other announcement, not the other speaker, not the free page.
        assert!(!got.iter().any(|p| p.contains("solo") || p.contains("ann-other") || p.contains("about")));
    }

    #[test]
    fn the_shape_is_kept_by_text_edits_and_lost_by_new_links_dates_and_files() {
        let base = [("content/speakers/ann-other.md", SECOND), ("content/announcements/solo.md", SOLO)];
        let (_d, before) = site(&base);
        let edit = |from: &str, to: &str| {
            assert!(SOLO.contains(from));
            site(&[base[0], ("content/announcements/solo.md", &SOLO.replace(from, to))])
        };
        let cases: [(&str, (tempfile::TempDir, Site), bool); 6] = [
            ("a new title", edit("title: Solo", "title: Solo again"), true),
            ("new text", edit("Text.", "Other text."), true),
            ("another speaker", edit("speakers: [ann-other]", "speakers: [jane-doe]"), false),
            ("a topic", edit("speakers: [ann-other]", "speakers: [ann-other]\ntopics: [trade]"), false),
            ("an earlier date, so another order", edit("date: 2030-05-15", "date: 2001-05-15"), false),
            ("a new page", site(&[base[0], base[1], ("content/pages/contact.md", "---\ntitle: C\n---\nx\n")]), false),
        ];
        for (what, (_dir, after), same) in cases {
            assert_eq!(same_shape(&before, &after), same, "{what}");
            // Whenever the shape is the same, so is every page's path and dependencies.
            if same {
                assert_eq!(all_pages(&before), all_pages(&after), "{what}");
            } else {
                assert_ne!(all_pages(&before), all_pages(&after), "{what}");
            }
        }
    }

    #[test]
    fn a_speaker_dropped_from_an_announcement_is_re_rendered() {
        let (_d, before) = site(&[("content/speakers/ann-other.md", SECOND), ("content/announcements/solo.md", SOLO)]);
        let (_e, after) = site(&[
            ("content/speakers/ann-other.md", SECOND),
            ("content/announcements/solo.md", &SOLO.replace("speakers: [ann-other]", "speakers: [jane-doe]")),
        ]);
        let changed = HashSet::from([Input::Announcement("solo".into())]);
        let got = affected((&before, &all_pages(&before)), (&after, &all_pages(&after)), &changed, &HashMap::new());
        assert!(got.contains(&"speakers/ann-other/index.html".to_string()), "{got:?}");
        assert!(got.contains(&"speakers/jane-doe/index.html".to_string()), "{got:?}");
    }

    #[test]
    fn a_template_change_touches_the_pages_that_use_it() {
        let (_d, s) = site(&[]);
        let pages = all_pages(&s);
        let sources: HashMap<String, String> = [
            ("base.html", "<html>{% block main %}{% endblock %}</html>"),
            (
                "announcement.html",
                "{% extends \"base.html\" %}{% block main %}{% include 'partials/card.html' %}{% endblock %}",
            ),
            ("partials/card.html", "card"),
            ("speaker.html", "{% extends \"base.html\" %}"),
            ("index.html", "{%- include \"partials/card.html\" -%}"),
        ]
        .into_iter()
        .chain(
            [
                "announcements.html",
                "timeline.html",
                "speakers.html",
                "topics.html",
                "topic.html",
                "page.html",
                "404.html",
            ]
            .map(|n| (n, "plain")),
        )
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let closure = template_closure(&sources);
        let card = HashSet::from([Input::Template("partials/card.html".into())]);
        assert_eq!(
            affected((&s, &pages), (&s, &pages), &card, &closure),
            ["announcements/opening/index.html", "index.html"]
        );
        let base = HashSet::from([Input::Template("base.html".into())]);
        let got = affected((&s, &pages), (&s, &pages), &base, &closure);
        assert!(
            got.contains(&"speakers/jane-doe/index.html".to_string())
                && got.contains(&"announcements/opening/index.html".to_string())
        );
        assert!(!got.contains(&"index.html".to_string()));
    }

    #[test]
    fn static_files_touch_no_page_and_settings_touch_all() {
        let (_d, s) = site(&[]);
        let pages = all_pages(&s);
        let css = HashSet::from([Input::Static("style.css".into())]);
        assert!(affected((&s, &pages), (&s, &pages), &css, &HashMap::new()).is_empty());
        let settings = HashSet::from([Input::Settings]);
        assert_eq!(affected((&s, &pages), (&s, &pages), &settings, &HashMap::new()).len(), pages.len());
    }

    #[test]
    fn dynamic_includes_depend_on_everything() {
        assert_eq!(template_refs("{% include name %}"), None);
        assert_eq!(
            template_refs("{% extends 'a.html' %}{%- include \"b.html\" %}"),
            Some(vec!["a.html".into(), "b.html".into()])
        );
    }
}
