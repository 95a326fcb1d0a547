//! What each page depends on, recorded while it is rendered, so that `serve` re-renders exactly
//! the pages a change can affect.
//!
//! The render phase reads the site only through a [`Reader`]: each of its accessors returns a
//! piece of the model and records the [`Key`] that names that piece. A page's dependencies are
//! therefore what its rendering actually read, never a second list kept by hand. After a change,
//! [`diff`] compares the old and the new site key by key, and [`PageReads::affected`] gives the
//! pages that read a changed key. Keys name content by slug, not by position, so a page keeps
//! its dependencies when other announcements come, go or move in the lists.
//!
//! Templates are dependencies of another kind: a page depends on its template and on every
//! template that one extends, includes or imports (`templates::closure`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::*;
use crate::routes::PageKind;

/// A family of facts of the site, one fact per slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Every field of an announcement.
    Announcement,
    /// Every field of a speaker.
    Speaker,
    /// The announcements that name a speaker, in order.
    SpeakerAnnouncements,
    /// The timeline entries that name a speaker, in order.
    SpeakerTimeline,
    /// The announcements that mention a speaker without their speaking, in order.
    SpeakerMentions,
    /// A topic's title and description.
    Topic,
    /// The announcements under a topic, in order.
    TopicAnnouncements,
    /// The timeline entries that link to an announcement, in order.
    AnnouncementTimeline,
    /// Every field of a free page.
    Page,
}

/// A fact of the site that a page can read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// The settings of `content/site.yaml` (title, base URL, event...).
    Config,
    /// Every timeline entry, in order.
    Timeline,
    /// The free pages' slugs and titles, in order (navigation).
    PageList,
    /// The sources the announcements credit, each once, in order.
    Sources,
    /// One fact of a family: the announcement, speaker, topic or page with this slug, or the
    /// list that belongs to it.
    One(Family, Arc<str>),
    /// Every fact of a family, and the order of its members (a list page).
    All(Family),
    /// Which languages a member (an announcement, a speaker or a free page, by its family and
    /// slug) is translated into: what the language switcher and the `hreflang` links of its page
    /// say, in every language.
    Translated(Family, Arc<str>),
}

/// The keys one rendering read.
#[derive(Debug, Default, Clone)]
pub struct Reads(Vec<Key>);

impl Reads {
    fn push(&mut self, key: Key) {
        self.0.push(key);
    }

    /// Adds the keys another rendering read (a shared view built once for many pages).
    pub fn extend(&mut self, other: &[Key]) {
        self.0.extend_from_slice(other);
    }

    /// Adds `other`, each key widened to its family: a list of items depends on the whole
    /// family, so that it is re-rendered when any member changes, comes or goes.
    pub fn extend_widened(&mut self, other: &[Key]) {
        self.0.extend(other.iter().map(|k| match k {
            Key::One(family, _) => Key::All(*family),
            other => other.clone(),
        }));
    }

    /// The keys, each once, sorted.
    pub fn finish(mut self) -> Arc<[Key]> {
        self.0.sort_unstable();
        self.0.dedup();
        // A family read whole covers its members.
        let all: Vec<Family> =
            self.0.iter().filter_map(|k| if let Key::All(f) = k { Some(*f) } else { None }).collect();
        if !all.is_empty() {
            self.0.retain(|k| !matches!(k, Key::One(f, _) if all.contains(f)));
        }
        self.0.into()
    }
}

/// The site as the render phase sees it: every accessor records what it returns.
pub struct Reader<'a> {
    site: &'a Site,
    /// What was read; `None` when nobody will ask (a build renders every page once).
    reads: Option<std::cell::RefCell<Reads>>,
}

impl<'a> Reader<'a> {
    /// A reader of `site` that records what it reads.
    pub fn new(site: &'a Site) -> Reader<'a> {
        Reader { site, reads: Some(std::cell::RefCell::new(Reads::default())) }
    }

    /// A reader of `site` for a render whose dependencies nobody will ask for: it reads the
    /// same, through the same accessors, and records nothing.
    pub fn untracked(site: &'a Site) -> Reader<'a> {
        Reader { site, reads: None }
    }

    /// Whether this reader records what it reads.
    pub fn tracks(&self) -> bool {
        self.reads.is_some()
    }

    fn record(&self, key: Key) {
        if let Some(reads) = &self.reads {
            reads.borrow_mut().push(key);
        }
    }

    fn one(&self, family: Family, slug: &str) {
        if self.reads.is_some() {
            self.record(Key::One(family, Arc::from(slug)));
        }
    }

    /// Adds keys read elsewhere on this reader's behalf (see [`Reads::extend`]).
    pub fn replay(&self, keys: &[Key]) {
        if let Some(reads) = &self.reads {
            reads.borrow_mut().extend(keys);
        }
    }

    /// Adds keys widened to their families (see [`Reads::extend_widened`]).
    pub fn replay_widened(&self, keys: &[Key]) {
        if let Some(reads) = &self.reads {
            reads.borrow_mut().extend_widened(keys);
        }
    }

    /// What this reader has read (nothing, for an untracked reader).
    pub fn finish(self) -> Arc<[Key]> {
        self.reads.map_or_else(|| Arc::from([]), |r| r.into_inner().finish())
    }

    /// The site settings.
    pub fn config(&self) -> &'a SiteConfig {
        self.record(Key::Config);
        &self.site.config
    }

    /// The path of page `kind`, under no base path (`/speakers/su-bo/`). A page's address
    /// follows from the slug that names it, which is how its reader found it.
    pub fn path(&self, kind: PageKind) -> String {
        kind.path(self.site)
    }

    /// The URL of page `kind` under the base path.
    pub fn url(&self, kind: PageKind) -> String {
        crate::routes::url(&self.config().base_path, &kind.path(self.site))
    }

    /// How many announcements there are; reading them all by index is reading the family.
    pub fn announcements(&self) -> usize {
        self.record(Key::All(Family::Announcement));
        self.site.announcements.len()
    }

    /// Announcement `i`.
    pub fn announcement(&self, i: usize) -> &'a Announcement {
        let a = &self.site.announcements[i];
        self.one(Family::Announcement, &a.slug);
        a
    }

    /// The timeline entries that link to announcement `i`, with their indexes.
    pub fn announcement_timeline(&self, i: usize) -> Vec<(usize, &'a TimelineEntry)> {
        self.one(Family::AnnouncementTimeline, &self.site.announcements[i].slug);
        self.entries(&self.site.announcement_timeline[i])
    }

    fn entries(&self, list: &[usize]) -> Vec<(usize, &'a TimelineEntry)> {
        list.iter().map(|&e| (e, &self.site.timeline[e])).collect()
    }

    /// How many speakers there are (all of them read).
    pub fn speakers(&self) -> usize {
        self.record(Key::All(Family::Speaker));
        self.site.speakers.len()
    }

    /// Speaker `i`.
    pub fn speaker(&self, i: usize) -> &'a Speaker {
        let s = &self.site.speakers[i];
        self.one(Family::Speaker, &s.slug);
        s
    }

    /// The announcements that name speaker `i`.
    pub fn speaker_announcements(&self, i: usize) -> &'a [usize] {
        self.one(Family::SpeakerAnnouncements, &self.site.speakers[i].slug);
        &self.site.speaker_announcements[i]
    }

    /// The announcements that mention speaker `i` without their speaking.
    pub fn speaker_mentions(&self, i: usize) -> &'a [usize] {
        self.one(Family::SpeakerMentions, &self.site.speakers[i].slug);
        &self.site.speaker_mentions[i]
    }

    /// The timeline entries that name speaker `i`, with their indexes.
    pub fn speaker_timeline(&self, i: usize) -> Vec<(usize, &'a TimelineEntry)> {
        self.one(Family::SpeakerTimeline, &self.site.speakers[i].slug);
        self.entries(&self.site.speaker_timeline[i])
    }

    /// How many topics there are (all of them read).
    pub fn topics(&self) -> usize {
        self.record(Key::All(Family::Topic));
        self.site.topics.len()
    }

    /// Topic `i`.
    pub fn topic(&self, i: usize) -> &'a Topic {
        let t = &self.site.topics[i];
        self.one(Family::Topic, &t.slug);
        t
    }

    /// The announcements under topic `i`.
    pub fn topic_announcements(&self, i: usize) -> &'a [usize] {
        self.one(Family::TopicAnnouncements, &self.site.topics[i].slug);
        &self.site.topic_announcements[i]
    }

    /// Every timeline entry, oldest first.
    pub fn timeline(&self) -> &'a [TimelineEntry] {
        self.record(Key::Timeline);
        &self.site.timeline
    }

    /// Free page `i`.
    pub fn page(&self, i: usize) -> &'a Page {
        let p = &self.site.pages[i];
        self.one(Family::Page, &p.slug);
        p
    }

    /// The free pages' slugs and titles, for navigation.
    pub fn page_list(&self) -> impl Iterator<Item = (usize, &'a str, &'a str)> {
        self.record(Key::PageList);
        self.site.pages.iter().enumerate().map(|(i, p)| (i, p.slug.as_str(), p.title.as_str()))
    }

    /// Every source of `sources.yaml`, by id.
    pub fn sources(&self) -> &'a [Source] {
        self.record(Key::Sources);
        &self.site.sources
    }

    /// The source a citation names.
    pub fn source(&self, citation: &Citation) -> &'a Source {
        self.record(Key::Sources);
        &self.site.sources[citation.source]
    }
}

/// The keys whose value differs between two sites.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changed {
    keys: FxHashSet<Key>,
    families: BTreeSet<Family>,
    /// Whether the announcements, speakers, topics or pages came, went or moved.
    reordered: bool,
}

impl Changed {
    /// Whether the announcements, speakers, topics and free pages are the same, in the same
    /// order, in both sites: then both have the same pages at the same paths.
    pub fn same_lists(&self) -> bool {
        !self.reordered
    }

    /// Whether nothing that pages read differs.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.families.is_empty()
    }

    /// Whether a page that read `key` must be rendered again.
    pub fn touches(&self, key: &Key) -> bool {
        match key {
            Key::All(family) => self.families.contains(family),
            other => self.keys.contains(other),
        }
    }

    fn one(&mut self, family: Family, slug: &str) {
        self.keys.insert(Key::One(family, Arc::from(slug)));
        self.families.insert(family);
    }
}

/// What differs between `old` and `new`, key by key: every fact a [`Reader`] can return is
/// compared here with the same scope as the accessor that returns it.
pub fn diff(old: &Site, new: &Site) -> Changed {
    let mut changed = Changed::default();
    if old.config != new.config {
        changed.keys.insert(Key::Config);
    }
    let same_entries = |a: &[TimelineEntry], b: &[TimelineEntry]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_entry(old, x, new, y))
    };
    if !same_entries(&old.timeline, &new.timeline) {
        changed.keys.insert(Key::Timeline);
    }
    let titles = |s: &Site| s.pages.iter().map(|p| (p.slug.clone(), p.title.clone())).collect::<Vec<_>>();
    if titles(old) != titles(new) {
        changed.keys.insert(Key::PageList);
    }
    if old.sources != new.sources {
        changed.keys.insert(Key::Sources);
    }

    let a_old = Members::new(old.announcements.iter().map(|a| a.slug.as_str()));
    let a_new = Members::new(new.announcements.iter().map(|a| a.slug.as_str()));
    let s_old = Members::new(old.speakers.iter().map(|s| s.slug.as_str()));
    let s_new = Members::new(new.speakers.iter().map(|s| s.slug.as_str()));
    let t_old = Members::new(old.topics.iter().map(|t| t.slug.as_str()));
    let t_new = Members::new(new.topics.iter().map(|t| t.slug.as_str()));
    let p_old = Members::new(old.pages.iter().map(|p| p.slug.as_str()));
    let p_new = Members::new(new.pages.iter().map(|p| p.slug.as_str()));

    // Lists of announcements compare by slug, and by index when both sites have the same
    // announcements in the same order (the common case of a text edit), which is cheaper.
    let same_order = a_old.slugs == a_new.slugs;
    let same_announcements = |x: &[usize], y: &[usize]| {
        if same_order {
            x == y
        } else {
            x.len() == y.len() && x.iter().zip(y).all(|(&i, &j)| a_old.slugs[i] == a_new.slugs[j])
        }
    };
    let same_timeline_lists = |x: &[usize], y: &[usize]| {
        x.len() == y.len() && x.iter().zip(y).all(|(&i, &j)| same_entry(old, &old.timeline[i], new, &new.timeline[j]))
    };

    let families = [
        (Family::Announcement, &a_old, &a_new),
        (Family::AnnouncementTimeline, &a_old, &a_new),
        (Family::Speaker, &s_old, &s_new),
        (Family::SpeakerAnnouncements, &s_old, &s_new),
        (Family::SpeakerTimeline, &s_old, &s_new),
        (Family::SpeakerMentions, &s_old, &s_new),
        (Family::Topic, &t_old, &t_new),
        (Family::TopicAnnouncements, &t_old, &t_new),
        (Family::Page, &p_old, &p_new),
    ];
    for (family, before, after) in families {
        if before.slugs != after.slugs {
            changed.families.insert(family);
            changed.reordered = true;
        }
        // The same members in the same order (a text edit): each is where it was.
        let in_place = before.slugs == after.slugs;
        if !in_place {
            for slug in before.slugs.iter().filter(|s| !after.index().contains_key(*s)) {
                changed.one(family, slug);
            }
        }
        for (j, slug) in after.slugs.iter().enumerate() {
            let i = if in_place { Some(j) } else { before.index().get(slug).copied() };
            let Some(i) = i else {
                changed.one(family, slug);
                continue;
            };
            let same = match family {
                Family::Announcement => same_announcement(old, &old.announcements[i], new, &new.announcements[j]),
                Family::AnnouncementTimeline => {
                    same_timeline_lists(&old.announcement_timeline[i], &new.announcement_timeline[j])
                }
                Family::Speaker => same_speaker(&old.speakers[i], &new.speakers[j]),
                Family::SpeakerAnnouncements => {
                    same_announcements(&old.speaker_announcements[i], &new.speaker_announcements[j])
                }
                Family::SpeakerTimeline => same_timeline_lists(&old.speaker_timeline[i], &new.speaker_timeline[j]),
                Family::SpeakerMentions => same_announcements(&old.speaker_mentions[i], &new.speaker_mentions[j]),
                Family::Topic => old.topics[i] == new.topics[j],
                Family::TopicAnnouncements => {
                    same_announcements(&old.topic_announcements[i], &new.topic_announcements[j])
                }
                Family::Page => same_page(&old.pages[i], &new.pages[j]),
            };
            if !same {
                changed.one(family, slug);
            }
        }
    }
    changed
}

/// What differs between `old` and `new`, two briefings in the same languages, for each language:
/// [`diff`] of that language's site, and, in every language, the members whose translations
/// came or went ([`Key::Translated`]).
pub fn diff_languages(old: &Site, new: &Site) -> Vec<Changed> {
    let mut changes: Vec<Changed> = old.languages().zip(new.languages()).map(|(a, b)| diff(a, b)).collect();
    let mut translated = BTreeSet::new();
    for (a, b) in old.translations.iter().zip(&new.translations) {
        let (before, after) = (translation_status(a), translation_status(b));
        if before == after {
            continue;
        }
        let was: FxHashMap<(Family, &str), bool> = before.iter().map(|&(f, slug, t)| ((f, slug), t)).collect();
        for (family, slug, now) in after {
            if was.get(&(family, slug)).is_some_and(|&then| then != now) {
                translated.insert(Key::Translated(family, Arc::from(slug)));
            }
        }
    }
    for change in &mut changes {
        change.keys.extend(translated.iter().cloned());
    }
    changes
}

/// Whether each member of `site` is translated into its language, in order.
fn translation_status(s: &Site) -> Vec<(Family, &str, bool)> {
    (s.announcements.iter().map(|m| (Family::Announcement, &*m.slug, m.fallback.is_none())))
        .chain(s.speakers.iter().map(|m| (Family::Speaker, &*m.slug, m.fallback.is_none())))
        .chain(s.pages.iter().map(|m| (Family::Page, &*m.slug, m.fallback.is_none())))
        .collect()
}

/// The members of a family in one site: their slugs in order, and (made when first needed:
/// only when members came, went or moved) each one's index.
struct Members<'a> {
    slugs: Vec<&'a str>,
    index: std::sync::OnceLock<FxHashMap<&'a str, usize>>,
}

impl<'a> Members<'a> {
    fn new(slugs: impl Iterator<Item = &'a str>) -> Members<'a> {
        Members { slugs: slugs.collect(), index: std::sync::OnceLock::new() }
    }

    fn index(&self) -> &FxHashMap<&'a str, usize> {
        self.index.get_or_init(|| self.slugs.iter().enumerate().map(|(i, s)| (*s, i)).collect())
    }
}

fn same_body(a: &Arc<Body>, b: &Arc<Body>) -> bool {
    // The links and positions follow from the HTML and the file; pages show the HTML. A body
    // read once and shared (a file not saved again, an original shown in a language it has no
    // translation in) is the same without reading it.
    Arc::ptr_eq(a, b) || a.markdown.html == b.markdown.html
}

fn same_announcement(old: &Site, a: &Arc<Announcement>, new: &Site, b: &Arc<Announcement>) -> bool {
    if Arc::ptr_eq(a, b)
        && same_refs(old, &a.speakers, &a.topics, new, &b.speakers, &b.topics)
        && same_refs(old, &a.mentions, &[], new, &b.mentions, &[])
    {
        return true;
    }
    // Every field, named, so that a field added to the model cannot be forgotten here.
    let Announcement {
        slug,
        title,
        date,
        time,
        lead,
        order,
        published,
        updated,
        summary,
        speakers,
        mentions,
        topics,
        sources,
        figures,
        draft,
        embargo,
        image,
        body,
        fallback,
    } = &**a;
    slug == &b.slug
        && title == &b.title
        && date == &b.date
        && time == &b.time
        && lead == &b.lead
        && order == &b.order
        && published == &b.published
        && updated == &b.updated
        && summary == &b.summary
        && same_refs(old, speakers, topics, new, &b.speakers, &b.topics)
        && same_refs(old, mentions, &[], new, &b.mentions, &[])
        && same_citations(old, sources, new, &b.sources)
        && figures.len() == b.figures.len()
        && figures.iter().zip(&b.figures).all(|(f, g)| {
            let Figure { label, value, unit, year, series, sources } = f;
            label == &g.label
                && value == &g.value
                && unit == &g.unit
                && year == &g.year
                && series == &g.series
                && same_citations(old, sources, new, &g.sources)
        })
        && draft == &b.draft
        && embargo == &b.embargo
        && image == &b.image
        && same_body(body, &b.body)
        && fallback == &b.fallback
}

/// Whether two lists of citations name the same sources, by id, with the same locators.
fn same_citations(old: &Site, a: &[Citation], new: &Site, b: &[Citation]) -> bool {
    let key = |s: &Site, c: &Citation| (s.sources[c.source].id.clone(), c.locator.clone());
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| key(old, x) == key(new, y))
}

/// Whether two lists of speakers and topics name the same slugs.
fn same_refs(old: &Site, s1: &[usize], t1: &[usize], new: &Site, s2: &[usize], t2: &[usize]) -> bool {
    s1.iter().map(|&i| &old.speakers[i].slug).eq(s2.iter().map(|&i| &new.speakers[i].slug))
        && t1.iter().map(|&i| &old.topics[i].slug).eq(t2.iter().map(|&i| &new.topics[i].slug))
}

fn same_speaker(a: &Speaker, b: &Speaker) -> bool {
    let Speaker { slug, name, role, organization, country, as_of, photo, body, fallback } = a;
    slug == &b.slug
        && fallback == &b.fallback
        && name == &b.name
        && role == &b.role
        && organization == &b.organization
        && country == &b.country
        && as_of == &b.as_of
        && photo == &b.photo
        && same_body(body, &b.body)
}

fn same_page(a: &Page, b: &Page) -> bool {
    let Page { slug, title, description, body, embargo, published, updated, fallback } = a;
    slug == &b.slug
        && embargo == &b.embargo
        && published == &b.published
        && updated == &b.updated
        && fallback == &b.fallback
        && title == &b.title
        && description == &b.description
        && same_body(body, &b.body)
}

fn same_entry(old: &Site, a: &TimelineEntry, new: &Site, b: &TimelineEntry) -> bool {
    let TimelineEntry {
        position: _,
        id,
        anchor,
        date,
        time,
        title,
        body,
        announcement,
        speakers,
        mentions,
        figure,
        sources,
        embargo,
        fallback,
    } = a;
    let announcement_slug = |s: &Site, i: &Option<usize>| i.map(|i| s.announcements[i].slug.clone());
    id == &b.id
        && anchor == &b.anchor
        && fallback == &b.fallback
        && date == &b.date
        && time == &b.time
        && title == &b.title
        && match (body, &b.body) {
            (Some(x), Some(y)) => same_body(x, y),
            (None, None) => true,
            _ => false,
        }
        && announcement_slug(old, announcement) == announcement_slug(new, &b.announcement)
        && same_refs(old, speakers, &[], new, &b.speakers, &[])
        && same_refs(old, mentions, &[], new, &b.mentions, &[])
        && figure == &b.figure
        && same_citations(old, sources, new, &b.sources)
        && embargo == &b.embargo
}

/// What every page of a site read, by output path, and which pages read each key. The maps are
/// persistent, so that a rebuild starts from a copy that costs nothing and keeps the last good
/// one if it fails.
#[derive(Debug, Default, Clone)]
pub struct PageReads {
    /// Each page's template and keys.
    pages: imbl::HashMap<String, (&'static str, Arc<[Key]>)>,
    /// The pages that read each key.
    readers: imbl::HashMap<Key, imbl::HashSet<String>>,
}

impl PageReads {
    /// Records what the page at `path`, rendered by `template`, read, replacing what it read before.
    pub fn set(&mut self, path: &str, template: &'static str, keys: Arc<[Key]>) {
        if let Some((_, old)) = self.pages.get(path) {
            if **old == *keys {
                return;
            }
            for key in old.iter() {
                if let Some(set) = self.readers.get_mut(key) {
                    set.remove(path);
                }
            }
        }
        for key in keys.iter() {
            self.readers.entry(key.clone()).or_default().insert(path.to_string());
        }
        self.pages.insert(path.to_string(), (template, keys));
    }

    /// Forgets the pages for which `keep` does not hold.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        let gone: Vec<String> = self.pages.keys().filter(|p| !keep(p)).cloned().collect();
        for path in gone {
            if let Some((_, keys)) = self.pages.remove(&path) {
                for key in keys.iter() {
                    if let Some(set) = self.readers.get_mut(key) {
                        set.remove(&path);
                    }
                }
            }
        }
    }

    /// Whether the page at `path` is known.
    pub fn contains(&self, path: &str) -> bool {
        self.pages.contains_key(path)
    }

    /// What the page at `path` read.
    pub fn keys(&self, path: &str) -> Option<&[Key]> {
        self.pages.get(path).map(|(_, keys)| &**keys)
    }

    /// The pages that read a key that `changed` holds.
    pub fn affected(&self, changed: &Changed) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut add = |key: &Key| {
            if let Some(paths) = self.readers.get(key) {
                out.extend(paths.iter().cloned());
            }
        };
        for key in &changed.keys {
            add(key);
        }
        for family in &changed.families {
            add(&Key::All(*family));
        }
        out
    }

    /// The pages whose template is one of `templates` or uses one of them (by `closure`; a
    /// template missing from it may use anything).
    pub fn using_templates(
        &self,
        templates: &HashSet<String>,
        closure: &HashMap<String, BTreeSet<String>>,
    ) -> HashSet<String> {
        if templates.is_empty() {
            return HashSet::new();
        }
        self.pages
            .iter()
            .filter(|(_, (template, _))| {
                closure.get(*template).is_none_or(|uses| uses.iter().any(|t| templates.contains(t)))
            })
            .map(|(p, _)| p.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Settings;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        crate::starter::create(&dir.path().join("s")).unwrap();
        for (rel, text) in files {
            let p = dir.path().join("s").join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let s = crate::content::load(&dir.path().join("s"), &Settings::default()).unwrap();
        (dir, s)
    }

    const SECOND: &str = "---\nname: Ann Other\n---\nBio.\n";
    const SOLO: &str = "---\ntitle: Solo\ndate: 2030-05-15\nsummary: S.\nspeakers: [ann-other]\n---\nText.\n";
    const BASE: [(&str, &str); 2] =
        [("content/speakers/ann-other.md", SECOND), ("content/announcements/solo.md", SOLO)];

    fn changed_by(from: &str, to: &str) -> Changed {
        let (_d, before) = site(&BASE);
        let (_e, after) = site(&[BASE[0], ("content/announcements/solo.md", &SOLO.replace(from, to))]);
        diff(&before, &after)
    }

    fn one(family: Family, slug: &str) -> Key {
        Key::One(family, Arc::from(slug))
    }

    #[test]
    fn a_text_edit_changes_its_announcement_only() {
        let c = changed_by("Text.", "Other text.");
        assert!(c.touches(&one(Family::Announcement, "solo")));
        assert!(c.touches(&Key::All(Family::Announcement)));
        assert!(!c.touches(&one(Family::Announcement, "opening")));
        assert!(!c.touches(&one(Family::SpeakerAnnouncements, "ann-other")));
        assert!(!c.touches(&Key::All(Family::Speaker)) && !c.touches(&Key::Config) && !c.touches(&Key::Timeline));
    }

    #[test]
    fn naming_another_speaker_changes_both_speakers_lists() {
        let c = changed_by("speakers: [ann-other]", "speakers: [jane-doe]");
        assert!(c.touches(&one(Family::SpeakerAnnouncements, "ann-other")));
        assert!(c.touches(&one(Family::SpeakerAnnouncements, "jane-doe")));
        assert!(!c.touches(&one(Family::Speaker, "jane-doe")));
    }

    #[test]
    fn an_earlier_date_reorders_the_lists() {
        let c = changed_by("date: 2030-05-15", "date: 2001-05-15");
        assert!(c.touches(&Key::All(Family::Announcement)));
        assert!(c.touches(&one(Family::Announcement, "solo")));
        assert!(!c.touches(&one(Family::Announcement, "opening")));
    }

    #[test]
    fn a_family_read_whole_covers_its_members() {
        let mut r = Reads::default();
        r.push(one(Family::Speaker, "a"));
        r.push(Key::Config);
        r.extend_widened(&[one(Family::Speaker, "b"), Key::Timeline]);
        r.push(Key::Config);
        assert_eq!(&*r.finish(), [Key::Config, Key::Timeline, Key::All(Family::Speaker)]);
    }

    #[test]
    fn pages_are_found_by_what_they_read() {
        let mut reads = PageReads::default();
        let solo = one(Family::Announcement, "solo");
        reads.set("a/index.html", "index.html", Arc::from([Key::All(Family::Announcement)]));
        reads.set("b/index.html", "announcement.html", Arc::from([solo.clone()]));
        reads.set("c/index.html", "announcement.html", Arc::from([one(Family::Announcement, "x")]));
        let mut changed = Changed::default();
        changed.one(Family::Announcement, "solo");
        let mut got: Vec<String> = reads.affected(&changed).into_iter().collect();
        got.sort();
        assert_eq!(got, ["a/index.html", "b/index.html"]);
        // A page that stops reading a key is no longer found by it.
        reads.set("b/index.html", "announcement.html", Arc::from([Key::Config]));
        reads.retain(|p| p != "a/index.html");
        assert!(reads.affected(&changed).is_empty());
    }
}
