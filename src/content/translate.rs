//! Translations: `x.zh.md` beside `x.md` says in Chinese what `x.md` says. Each is matched to its
//! original by file name, checked against it (what they share must agree), and the briefing is
//! assembled once per language: the same members at the same places in every list, in the
//! words of their translation where there is one, and in the default language's words, marked
//! as such, where there is not yet.

use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::doc::{Doc, Located, Slugged};
use super::embargo::{Clock, Verdict};
use super::{announcement, page, sources, speaker, timeline, topics};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::{Announcement, Site, SiteConfig};
use crate::yaml::Seg;

/// The translations of a site, as parsed, by kind.
#[derive(Default)]
pub(super) struct Translations {
    pub announcements: Vec<Arc<Doc<announcement::Tr>>>,
    pub speakers: Vec<Arc<Doc<speaker::Tr>>>,
    pub pages: Vec<Arc<Doc<page::Tr>>>,
    pub topics: Vec<Arc<topics::TrFile>>,
    pub timeline: Vec<Arc<timeline::TrFile>>,
    pub sources: Vec<Arc<sources::TrFile>>,
}

impl Translations {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.announcements.is_empty()
            && self.speakers.is_empty()
            && self.pages.is_empty()
            && self.topics.is_empty()
            && self.timeline.is_empty()
            && self.sources.is_empty()
    }
}

/// The original files of a site's members, by file name (without `.md`), as translations name
/// them.
pub(super) struct Originals<'a> {
    pub announcements: FxHashMap<&'a str, &'a Doc<announcement::Raw>>,
    pub speakers: FxHashMap<&'a str, &'a Doc<speaker::Raw>>,
    pub pages: FxHashMap<&'a str, &'a Doc<page::Raw>>,
    /// What this build leaves out (drafts, embargoes), whose translations are left out with it.
    pub left_out: LeftOut<'a>,
}

/// The members a build leaves out: announcements and pages by file name, timeline entries by id.
pub(super) struct LeftOut<'a> {
    pub announcements: &'a HashSet<String>,
    pub pages: &'a HashSet<String>,
    pub timeline: &'a HashSet<String>,
}

/// Where a translation and its original disagree on what they share.
pub(super) struct Shared<'a> {
    pub original: &'a Located,
    pub translation: &'a Located,
    pub errors: &'a mut Diagnostics,
}

impl Shared<'_> {
    /// Reports that the translation's `path` differs from the original's: `what` they share.
    pub fn differ(&mut self, path: &[Seg], value: Option<&str>, original_value: Option<&str>, what: &str) {
        let original = &self.original.file().path;
        let line = self.original.line(path, original_value);
        let key = match path.first() {
            Some(Seg::Key(key)) => *key,
            _ => "",
        };
        self.errors.push(
            self.translation
                .error(
                    Kind::Translation,
                    path,
                    value,
                    format!(
                        "this translation does not share its original's {what} ({}:{line})",
                        original.display()
                    ),
                )
                .label("not as in the original")
                .help(format!(
                    "a translation shares its original's {what}: leave `{key}` out of the translation, or write it as in {}",
                    original.display()
                )),
        );
    }
}

/// The language index of translation `doc` among the site's languages, or the error that it
/// names no further language of the site.
fn language_of<T>(doc: &Doc<T>, config: &SiteConfig) -> Result<usize, Diagnostic> {
    language_of_file(&doc.file().path, &doc.stem, doc.language.as_deref().unwrap_or_default(), config)
}

/// The language index of the translation at `path`, the translation of `stem` into `code`.
fn language_of_file(path: &std::path::Path, stem: &str, code: &str, config: &SiteConfig) -> Result<usize, Diagnostic> {
    let langs = &config.languages;
    let position = langs.iter().position(|l| l.code == code);
    if let Some(i) = position.filter(|&i| i > 0) {
        return Ok(i);
    }
    // Only the errors name the file: a save in a briefing of 20,000 translations matches each.
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if position.is_some() {
        return Err(Diagnostic::file(
            Kind::Translation,
            path,
            format!("`{name}` is named as a translation into `{code}`, which is the default language"),
        )
        .help(format!("the text in the default language goes in `{}.md` itself; translations are named with the other languages' codes", stem)));
    }
    let others: Vec<&str> = langs.iter().skip(1).map(|l| l.code.as_str()).collect();
    let help = if others.is_empty() {
        format!(
            "the site lists no other language: add `languages:` to content/site.yaml (such as `{}: {{name: ...}}`), or, if the file is not a translation, rename it without the dot, such as `{}.md`",
            code,
            super::doc::slug_from_name(&format!("{}-{code}", stem)).unwrap_or_else(|| "su-bo".into())
        )
    } else {
        format!(
            "the site's other languages are {}: rename the file with one of their codes, or add `{code}` to `languages:` in content/site.yaml",
            others.join(", ")
        )
    };
    Err(Diagnostic::file(
        Kind::Translation,
        path,
        format!("`{name}` is named as a translation into `{code}`, which is not among the site's languages"),
    )
    .help(help))
}

/// The error for key `key` of a YAML translation, which names no `what` of the original.
fn unknown_key<'k>(
    yaml: &Located,
    key: &str,
    known: impl Iterator<Item = &'k str>,
    what: &str,
    written_in: &str,
) -> Diagnostic {
    let known: Vec<&str> = known.collect();
    let help = match crate::diagnostic::closest(key, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? A translation names each {what} as {written_in} does"),
        None if known.is_empty() => {
            format!("there is no {what} to translate: a translation names each {what} as {written_in} does")
        }
        None => format!("known: {}", known.iter().take(12).copied().collect::<Vec<_>>().join(", ")),
    };
    Diagnostic::at(
        Kind::Translation,
        &yaml.file().path,
        &yaml.file().text,
        yaml.key(&[Seg::Key(key)]),
        format!("`{key}` translates no {what}"),
    )
    .label("not in the original")
    .help(help)
}

/// The error for a translation with no original beside it.
fn no_original<T>(doc: &Doc<T>, folder: &str) -> Diagnostic {
    let path = &doc.file().path;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Diagnostic::file(
        Kind::Translation,
        path,
        format!("`{name}` translates `{}.md`, and there is no such file in content/{folder}/", doc.stem),
    )
    .help("a translation sits beside its original and is named after it (su-bo.zh.md beside su-bo.md): add the original, or rename the translation")
}

/// Each original (by slug) with its translation, for each language (by index; none at 0), and
/// the translation's own embargo.
type ByLanguage<'a, O, T> = Vec<FxHashMap<&'a str, (&'a Doc<O>, &'a Arc<Doc<T>>, OwnEmbargo)>>;

/// A translation's own `embargo:`: its moment, and whether this build previews it before then.
#[derive(Clone, Copy, Default, PartialEq)]
struct OwnEmbargo {
    moment: Option<chrono::DateTime<chrono::FixedOffset>>,
    held: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl OwnEmbargo {
    /// Applies the embargo to `embargo`, `published` and `updated` of the translated member: the
    /// translated text came out when its embargo lifted, not before.
    fn apply(
        self,
        config: &SiteConfig,
        embargo: &mut Option<chrono::DateTime<chrono::FixedOffset>>,
        published: &mut Option<crate::date::Stamp>,
        updated: &mut Option<crate::date::Stamp>,
    ) {
        *embargo = (*embargo).max(self.held);
        let Some(moment) = self.moment else { return };
        let (lift, zone) = (crate::date::Stamp::Moment(moment), config.event.time_zone);
        let (p, u) = config.dates(*published, *updated);
        *published = Some(p.map_or(lift, |p| p.latest(lift, zone)));
        *updated = Some(u.map_or(lift, |u| u.latest(lift, zone)));
    }
}

/// Front matter of a translation that may carry its own `embargo:` (a translation that may come
/// out after its original).
pub(super) trait Embargoed {
    fn embargo(&self) -> Option<&str> {
        None
    }
}

/// The translation of each member into each further language, matched and checked.
struct Matched<'a> {
    announcements: ByLanguage<'a, announcement::Raw, announcement::Tr>,
    speakers: ByLanguage<'a, speaker::Raw, speaker::Tr>,
    pages: ByLanguage<'a, page::Raw, page::Tr>,
    topics: Vec<Option<&'a topics::TrFile>>,
    timeline: Vec<Option<&'a timeline::TrFile>>,
    sources: Vec<Option<&'a sources::TrFile>>,
}

/// The Markdown translations `docs` of the originals in `content/<folder>/`, each matched to its
/// original by file name and given to its language; a translation into a language the site
/// does not list, with no original, or restating another slug is an error. Translations of the
/// files in `left_out` (drafts not built, embargoes) are left out with them.
fn match_docs<'a, O, T: Slugged + Embargoed>(
    docs: &'a [Arc<Doc<T>>],
    originals: &FxHashMap<&'a str, &'a Doc<O>>,
    folder: &str,
    left_out: &HashSet<String>,
    clock: &mut Clock,
    config: &SiteConfig,
    errors: &mut Diagnostics,
) -> ByLanguage<'a, O, T> {
    // Sized at once: each further language holds about its share of the translations.
    let share = docs.len() / config.languages.len().saturating_sub(1).max(1) + 1;
    let mut out: ByLanguage<'a, O, T> =
        (0..config.languages.len())
            .map(|l| {
                if l == 0 {
                    FxHashMap::default()
                } else {
                    FxHashMap::with_capacity_and_hasher(share, Default::default())
                }
            })
            .collect();
    for d in docs.iter().filter(|d| !left_out.contains(&d.stem)) {
        // A translation under its own embargo waits: until it lifts, the language shows the
        // original, marked as not translated yet.
        let held = match clock.judge(&d.yaml, &[Seg::Key("embargo")], d.meta.embargo(), None) {
            Ok(Verdict::Keep(held)) => OwnEmbargo {
                held: held.map(|e| e.until),
                moment: super::embargo::moment(&d.yaml, &[Seg::Key("embargo")], d.meta.embargo()).ok().flatten(),
            },
            Ok(Verdict::Withhold(_)) => continue,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let lang = match language_of(d, config) {
            Ok(l) => l,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(o) = originals.get(d.stem.as_str()) else {
            errors.push(no_original(d, folder));
            continue;
        };
        if let Some(s) = d.meta.slug().filter(|s| *s != o.slug) {
            errors.push(
                d.yaml
                    .error(
                        Kind::Translation,
                        &[Seg::Key("slug")],
                        Some(s),
                        format!("this translation's slug `{s}` differs from its original's, `{}`", o.slug),
                    )
                    .help("a translation shares its original's slug: leave `slug` out of the translation"),
            );
        }
        out[lang].insert(o.slug.as_str(), (*o, d, held));
    }
    out
}

/// The language of the YAML translation `file` of `name.yaml` (`topics.zh.yaml`), after
/// reporting each of its keys that `known` does not hold.
fn yaml_language<T>(
    file: &super::doc::YamlFile<std::collections::BTreeMap<String, T>>,
    name: &str,
    known: &[&str],
    what: &str,
    written_in: &str,
    config: &SiteConfig,
    errors: &mut Diagnostics,
) -> Option<usize> {
    let path = &file.yaml.file().path;
    let code = path.file_stem().and_then(|s| s.to_str()).and_then(crate::paths::translation_name).map(|(_, c)| c);
    match language_of_file(path, name, code.unwrap_or_default(), config) {
        Ok(lang) => {
            for key in file.value.keys().filter(|k| !known.contains(&k.as_str())) {
                errors.push(unknown_key(&file.yaml, key, known.iter().copied(), what, written_in));
            }
            Some(lang)
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn matched<'a>(
    site: &Site,
    tr: &'a Translations,
    originals: &Originals<'a>,
    clock: &mut Clock,
    errors: &mut Diagnostics,
) -> Matched<'a> {
    let (config, none) = (&site.config, HashSet::new());
    let n = config.languages.len();
    let mut out = Matched {
        announcements: match_docs(
            &tr.announcements,
            &originals.announcements,
            "announcements",
            originals.left_out.announcements,
            clock,
            config,
            errors,
        ),
        speakers: match_docs(&tr.speakers, &originals.speakers, "speakers", &none, clock, config, errors),
        pages: match_docs(&tr.pages, &originals.pages, "pages", originals.left_out.pages, clock, config, errors),
        topics: vec![None; n],
        timeline: vec![None; n],
        sources: vec![None; n],
    };
    // `topics.zh.yaml` and `timeline.zh.yaml`: each key must name a topic, or an entry's `id`.
    let topics: Vec<&str> = site.topics.iter().map(|t| t.slug.as_str()).collect();
    for f in &tr.topics {
        if let Some(lang) = yaml_language(f, "topics", &topics, "topic", "content/topics.yaml", config, errors) {
            out.topics[lang] = Some(&**f);
        }
    }
    let source_ids: Vec<&str> = site.sources.iter().map(|s| s.id.as_str()).collect();
    for f in &tr.sources {
        if let Some(lang) = yaml_language(f, "sources", &source_ids, "source", "content/sources.yaml", config, errors) {
            out.sources[lang] = Some(&**f);
        }
    }
    let ids: Vec<&str> = site.timeline.iter().filter_map(|e| e.id.as_deref()).collect();
    for f in &tr.timeline {
        // Entries left out are translated all the same; their translations wait with them.
        let left_out = |key: &String| originals.left_out.timeline.contains(key);
        let ids: Vec<&str> =
            ids.iter().copied().chain(f.value.keys().filter(|k| left_out(k)).map(String::as_str)).collect();
        let written_in = "an `id:` of content/timeline.yaml";
        if let Some(lang) = yaml_language(f, "timeline", &ids, "timeline entry", written_in, config, errors) {
            out.timeline[lang] = Some(&**f);
        }
    }
    out
}

/// Announcements translated before, in each further language by slug, with what each was made
/// from; kept between the assemblies of `serve`, where a save changes one or two of them.
#[derive(Default)]
pub(super) struct TranslatedCache {
    /// The settings they were made with: their dates follow its time zone.
    config: Option<SiteConfig>,
    /// By language index, then slug.
    languages: Vec<FxHashMap<String, TranslatedAnnouncement>>,
}

struct TranslatedAnnouncement {
    /// The original, as assembled: the same `Arc` while its file and what it names are.
    original: Arc<Announcement>,
    /// The translation and its own embargo; `None` for the original shown as not translated.
    translation: Option<(Arc<Doc<announcement::Tr>>, OwnEmbargo)>,
    made: Arc<Announcement>,
}

impl TranslatedAnnouncement {
    fn made_from(
        &self,
        original: &Arc<Announcement>,
        translation: Option<(&Arc<Doc<announcement::Tr>>, OwnEmbargo)>,
    ) -> bool {
        Arc::ptr_eq(&self.original, original)
            && match (&self.translation, translation) {
                (Some((doc, own)), Some((d, o))) => Arc::ptr_eq(doc, d) && *own == o,
                (None, None) => true,
                _ => false,
            }
    }
}

/// The briefing `site` (in its default language) in each further language of its settings, with
/// the translations `tr` of the members of `originals`.
pub(super) fn translated(
    site: &Site,
    tr: &Translations,
    originals: &Originals,
    clock: &mut Clock,
    cache: &mut TranslatedCache,
    errors: &mut Diagnostics,
) -> Vec<Site> {
    let all = matched(site, tr, originals, clock, errors);
    // The settings name the languages too: the same settings, the same languages in the same places.
    if cache.config.as_ref() != Some(&site.config) {
        let languages = site.config.languages.iter().map(|_| FxHashMap::default()).collect();
        *cache = TranslatedCache { config: Some(site.config.clone()), languages };
    }
    let mut out = Vec::with_capacity(site.config.languages.len().saturating_sub(1));
    for lang in 1..site.config.languages.len() {
        let mut s = Site { translations: Vec::new(), ..site.clone() };
        let language = &site.config.languages[lang];
        s.config.lang = lang;
        s.config.language = language.tag.clone();
        if let Some(title) = &language.title {
            s.config.title = title.clone();
        }
        if let Some(description) = &language.description {
            s.config.description = description.clone();
        }
        let event = &mut s.config.event;
        for (field, value) in [(&mut event.name, &language.event_name), (&mut event.city, &language.event_city)] {
            if let Some(v) = value {
                *field = v.clone();
            }
        }
        if language.event_venue.is_some() {
            event.venue = language.event_venue.clone();
        }
        let known = &mut cache.languages[lang];
        for a in s.announcements.iter_mut() {
            let found = all.announcements[lang].get(a.slug.as_str());
            let translation = found.map(|&(_, t, own)| (t, own));
            if let Some(done) = known.get(a.slug.as_str()).filter(|d| d.made_from(a, translation)) {
                *a = Arc::clone(&done.made);
                continue;
            }
            let errors_before = errors.0.len();
            let made = Arc::new(match found {
                Some((doc, t, own)) => {
                    let mut tr = announcement::translate(a, doc, t, errors);
                    own.apply(&site.config, &mut tr.embargo, &mut tr.published, &mut tr.updated);
                    tr
                }
                None => crate::model::Announcement { fallback: Some(0), ..(**a).clone() },
            });
            if errors.0.len() == errors_before {
                let translation = translation.map(|(t, own)| (Arc::clone(t), own));
                let entry = TranslatedAnnouncement { original: Arc::clone(a), translation, made: Arc::clone(&made) };
                known.insert(a.slug.clone(), entry);
            }
            *a = made;
        }
        super::forget_gone(known, &s.announcements);
        for sp in s.speakers.iter_mut() {
            *sp = match all.speakers[lang].get(sp.slug.as_str()) {
                Some((doc, t, _)) => speaker::translate(sp, doc, t, errors),
                None => crate::model::Speaker { fallback: Some(0), ..sp.clone() },
            };
        }
        for p in s.pages.iter_mut() {
            *p = match all.pages[lang].get(p.slug.as_str()) {
                Some((_, t, own)) => {
                    let mut tr = page::translate(p, t, errors);
                    own.apply(&site.config, &mut tr.embargo, &mut tr.published, &mut tr.updated);
                    tr
                }
                None => crate::model::Page { fallback: Some(0), ..p.clone() },
            };
        }
        let topics_tr = all.topics[lang];
        for t in s.topics.iter_mut() {
            match topics_tr.and_then(|f| f.value.get(&t.slug)) {
                Some(tr) => {
                    t.title = tr.title.clone().unwrap_or_else(|| t.title.clone());
                    t.description = tr.description.clone().or_else(|| t.description.clone());
                }
                None => t.fallback = Some(0),
            }
        }
        let sources_tr = all.sources[lang];
        for source in s.sources.iter_mut() {
            match sources_tr.and_then(|f| f.value.get(&source.id)) {
                Some(tr) => source.publisher = tr.publisher.clone(),
                None => source.fallback = Some(0),
            }
        }
        let timeline_tr = all.timeline[lang];
        let prefix = s.config.lang_prefix();
        for e in s.timeline.iter_mut() {
            let found = timeline_tr
                .and_then(|f| Some((f, e.id.as_deref()?)))
                .and_then(|(f, id)| Some((f, id, f.value.get(id)?)));
            match found {
                Some((file, id, tr)) => {
                    if let Some(title) = &tr.title {
                        e.title = title.clone();
                    }
                    if let Some(body) = &tr.body {
                        e.body = Some(timeline::translated_body(file, id, body, &site.config.base_path, &prefix));
                    }
                    if let Some(list) = &tr.sources {
                        let ids: Vec<&str> = e.sources.iter().map(|c| site.sources[c.source].id.as_str()).collect();
                        if !sources::relocate(&mut e.sources, ids.into_iter(), list) {
                            errors.push(
                                file.yaml
                                    .error(
                                        Kind::Translation,
                                        &[Seg::Key(id), Seg::Key("sources")],
                                        None,
                                        "this translation does not cite the sources its entry in content/timeline.yaml cites",
                                    )
                                    .label("not as in the original")
                                    .help("a translation cites the same sources, in the same order, and may translate their locators only"),
                            );
                        }
                    }
                    if let Some(f) = &mut e.figure {
                        if let Some(label) = &tr.label {
                            f.label = Some(label.clone());
                        }
                        if let Some(unit) = &tr.unit {
                            f.unit = unit.clone();
                        }
                    }
                }
                None => e.fallback = Some(0),
            }
        }
        out.push(s);
    }
    out
}
