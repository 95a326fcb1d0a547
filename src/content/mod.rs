//! The load and validate phases: read `content/` and `static/`, parse every file, and check the
//! cross-references, collecting every problem before giving up.
//!
//! Each kind of content file has a module of its own whose `parse` reads it from text into a
//! raw struct that mirrors what authors write (unknown fields are errors, so typos cannot pass
//! silently): [`config`], [`announcement`], [`speaker`], [`page`], [`topics`], [`timeline`].
//! [`Inputs`] keeps the parsed files, re-reading only those a change touched (`serve`), and
//! [`Inputs::assemble`] turns them into the checked [`Site`] model, resolving references by slug.

pub mod announcement;
pub mod config;
pub mod doc;
pub mod embargo;
pub mod page;
pub mod pictures;
pub mod refs;
pub mod series;
pub mod sources;
pub mod speaker;
pub mod stamps;
pub mod timeline;
pub mod topics;
mod translate;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::*;
use crate::paths::{self, ContentKind, SiteRoot, CONFIG_FILE};
use crate::routes;
use doc::Doc;
use embargo::Verdict;
use refs::Known;

pub use config::parse_base_url;

/// Choices that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Whether announcements marked `draft: true` are included.
    pub drafts: bool,
    /// The moment embargoes are judged against (`--now`); the clock when not given.
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Whether items under embargo are shown, and marked as such, rather than left out (`serve`).
    pub preview_embargoed: bool,
    /// Whether the process ends when the command is done (`build`, `check` and `publish` run
    /// from the command line): then what the build made is never freed piece by piece, and the
    /// system takes the memory back whole at exit, as compilers leave theirs (clang's
    /// `-disable-free`). Freeing a 10,000-page site's allocations one by one took 45 ms of its
    /// 1.02 s build (docs/performance.md). Left `false`, everything is freed as usual.
    pub exits_after: bool,
}

impl Settings {
    /// Lets go of `value`, which the command no longer needs: freed on a pool thread, beside the
    /// caller who goes on, or, when the process [`exits_after`](Settings::exits_after), left to
    /// the system.
    pub fn release<T: Send + 'static>(&self, value: T) {
        if self.exits_after {
            std::mem::forget(value);
        } else {
            rayon::spawn(move || drop(value));
        }
    }
}

const CONTENT_LAYOUT: &str =
    "content/ holds site.yaml, topics.yaml, timeline.yaml, sources.yaml, and Markdown files in announcements/, speakers/ and pages/, and images beside them";

/// Reads and checks the whole site under `root`.
pub fn load(root: &Path, settings: &Settings) -> Result<Site, Diagnostics> {
    let mut inputs = Inputs::read(root, settings);
    let site = inputs.assemble(settings);
    // The parsed files are not needed again: at 10,000 pages a hundred thousand allocations, 10 ms
    // on one core if the caller freed them while the others wait.
    settings.release(inputs);
    site
}

type Parsed<T> = Result<Arc<T>, Diagnostic>;

/// One parsed file under `content/`.
#[derive(Clone)]
enum Input {
    Config,
    Announcement(Parsed<Doc<announcement::Raw>>),
    Speaker(Parsed<Doc<speaker::Raw>>),
    Page(Parsed<Doc<page::Raw>>),
    AnnouncementTr(Parsed<Doc<announcement::Tr>>),
    SpeakerTr(Parsed<Doc<speaker::Tr>>),
    PageTr(Parsed<Doc<page::Tr>>),
    TopicsTr(Parsed<topics::TrFile>),
    TimelineTr(Parsed<timeline::TrFile>),
    SourcesTr(Parsed<sources::TrFile>),
    Topics(Parsed<topics::File>),
    Timeline(Parsed<timeline::File>),
    Sources(Parsed<sources::File>),
}

/// Reads `root/rel`, a file of kind `kind`, and parses it with its kind's `parse`.
fn parse_input(root: &Path, rel: &Path, kind: ContentKind, base_path: &str) -> Input {
    let file = doc::read(root, rel);
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if doc::translation_name(stem).is_some() {
        match kind {
            ContentKind::Announcement => {
                return Input::AnnouncementTr(
                    file.and_then(|f| announcement::parse_translation(f, base_path)).map(Arc::new),
                )
            }
            ContentKind::Speaker => {
                return Input::SpeakerTr(file.and_then(|f| speaker::parse_translation(f, base_path)).map(Arc::new))
            }
            ContentKind::Page => {
                return Input::PageTr(file.and_then(|f| page::parse_translation(f, base_path)).map(Arc::new))
            }
            ContentKind::Topics => return Input::TopicsTr(file.and_then(topics::parse_translation).map(Arc::new)),
            ContentKind::Timeline => {
                return Input::TimelineTr(file.and_then(timeline::parse_translation).map(Arc::new))
            }
            ContentKind::Sources => return Input::SourcesTr(file.and_then(sources::parse_translation).map(Arc::new)),
            ContentKind::Config => {}
        }
    }
    match kind {
        ContentKind::Config => Input::Config,
        ContentKind::Announcement => {
            Input::Announcement(file.and_then(|f| announcement::parse(f, base_path)).map(Arc::new))
        }
        ContentKind::Speaker => Input::Speaker(file.and_then(|f| speaker::parse(f, base_path)).map(Arc::new)),
        ContentKind::Page => Input::Page(file.and_then(|f| page::parse(f, base_path)).map(Arc::new)),
        ContentKind::Topics => Input::Topics(file.and_then(topics::parse).map(Arc::new)),
        ContentKind::Timeline => Input::Timeline(file.and_then(timeline::parse).map(Arc::new)),
        ContentKind::Sources => Input::Sources(file.and_then(sources::parse).map(Arc::new)),
    }
}

/// Everything read from a site's files, parsed file by file, before cross-references are
/// checked. `serve` keeps it between rebuilds, so that a change re-reads only the files it touched.
pub struct Inputs {
    root: SiteRoot,
    settings: Settings,
    missing_content: bool,
    config: Option<Result<SiteConfig, Diagnostic>>,
    files: BTreeMap<PathBuf, Input>,
    layout: Vec<Diagnostic>,
    statics: Vec<StaticFile>,
    /// Announcements assembled last time, by the file they came from, valid while the speakers
    /// and topics they were resolved against are the same: a rebuild after one save assembles
    /// one announcement, not all of them.
    assembled: AssembledCache,
    /// The images read, until their files change.
    pictures: pictures::Pictures,
}

/// Announcements assembled before, by slug, with the parsed file each came from; every entry was
/// resolved against the speakers and topics named here. Updated in place: after one save, one
/// entry changes.
#[derive(Default)]
struct AssembledCache {
    /// The speakers' slugs, then their file names that differ from them (which name them too).
    speakers: Vec<String>,
    topics: Vec<String>,
    sources: Vec<String>,
    announcements: FxHashMap<String, (Arc<Doc<announcement::Raw>>, Arc<Announcement>)>,
    /// The announcements in each further language, made from those above.
    translated: translate::TranslatedCache,
}

/// Forgets the entries of `kept` (by slug) whose announcement is not among `now` any more, once
/// there are enough of them to be worth a pass over the map.
fn forget_gone<V>(kept: &mut FxHashMap<String, V>, now: &[Arc<Announcement>]) {
    if kept.len() > now.len() + 64 {
        let slugs: HashSet<&str> = now.iter().map(|a| a.slug.as_str()).collect();
        kept.retain(|slug, _| slugs.contains(slug.as_str()));
    }
}

impl Inputs {
    /// Reads every file of the site.
    pub fn read(root: &Path, settings: &Settings) -> Inputs {
        let mut inputs = Inputs {
            root: SiteRoot::new(root),
            settings: settings.clone(),
            missing_content: false,
            config: None,
            files: BTreeMap::new(),
            layout: Vec::new(),
            statics: Vec::new(),
            assembled: AssembledCache::default(),
            pictures: pictures::Pictures::default(),
        };
        inputs.refresh(None);
        inputs
    }

    /// Takes changes to the files at `changed` (paths relative to the root, or absolute) into
    /// account, re-reading only those and any file that appeared. Returns the content files that
    /// were re-read, appeared or disappeared (relative to the root).
    pub fn update(&mut self, changed: &[PathBuf]) -> Vec<PathBuf> {
        let changed: HashSet<PathBuf> = changed.iter().filter_map(|p| self.root.relative(p)).collect();
        // An image a document shows, saved, created or deleted: the documents showing it are
        // assembled again.
        let images: Vec<PathBuf> = changed.iter().filter(|p| self.pictures.forget(p)).cloned().collect();
        let mut touched = self.update_files(&changed);
        touched.extend(images);
        touched
    }

    fn update_files(&mut self, changed: &HashSet<PathBuf>) -> Vec<PathBuf> {
        // The common case, an existing file saved again, needs no new listing of the folders.
        // An image beside the content is not parsed: saving one needs no listing either.
        let known = |p: &PathBuf| {
            let file = self.root.join(p);
            let listed = self.files.contains_key(p)
                || self.statics.iter().any(|s| s.source == file)
                || paths::classify(p) == paths::Class::ContentImage;
            listed && p.as_path() != Path::new(CONFIG_FILE) && file.is_file()
        };
        let watched = |p: &&PathBuf| p.starts_with("content") || p.starts_with("static");
        if changed.iter().filter(watched).all(known) {
            let base_path = self.base_path();
            let mut touched = Vec::new();
            let known_files: Vec<PathBuf> = changed.iter().filter(|p| self.files.contains_key(*p)).cloned().collect();
            for rel in &known_files {
                if let paths::Class::Content(kind) = paths::classify(rel) {
                    let input = parse_input(self.root.path(), rel, kind, &base_path);
                    self.files.insert(rel.clone(), input);
                    touched.push(rel.clone());
                }
            }
            return touched;
        }
        self.refresh(Some(changed))
    }

    fn base_path(&self) -> String {
        match &self.config {
            Some(Ok(c)) => c.base_path.clone(),
            _ => "/".to_string(),
        }
    }

    /// Re-lists the files and parses those that are new or in `changed` (all when `None`).
    /// Returns the files re-read, appeared or gone.
    fn refresh(&mut self, changed: Option<&HashSet<PathBuf>>) -> Vec<PathBuf> {
        let root = self.root.path().to_path_buf();
        let mut layout = Diagnostics::default();
        self.missing_content = !root.join("content").is_dir();
        let listing = if self.missing_content { Vec::new() } else { walk(&root, Path::new("content"), &mut layout) };
        let site_file = Path::new(CONFIG_FILE);
        let old_base = self.base_path();
        let has_config = listing.iter().any(|p| p == site_file);
        if changed.is_none_or(|c| c.contains(site_file)) || self.config.is_none() || !has_config {
            self.config =
                has_config.then(|| doc::read(&root, site_file).and_then(|f| config::parse(f, &self.settings)));
        }
        let base_path = self.base_path();
        let reparse_all = changed.is_none() || base_path != old_base;

        let mut files = BTreeMap::new();
        let mut todo = Vec::new();
        for rel in listing {
            let class = paths::classify(&rel);
            if class == paths::Class::ContentImage {
                continue;
            }
            let paths::Class::Content(kind) = class else {
                layout.push(
                    Diagnostic::file(Kind::File, &rel, "brief does not know what this file is")
                        .help(format!("{CONTENT_LAYOUT}; other files go in static/")),
                );
                continue;
            };
            let keep = !reparse_all && !changed.is_some_and(|c| c.contains(&rel));
            match self.files.remove(&rel) {
                Some(old) if keep => {
                    files.insert(rel, old);
                }
                _ => todo.push((rel, kind)),
            }
        }
        let parsed: Vec<(PathBuf, Input)> = todo
            .into_par_iter()
            .map(|(rel, kind)| {
                let input = parse_input(&root, &rel, kind, &base_path);
                (rel, input)
            })
            .collect();
        let mut touched: Vec<PathBuf> = parsed.iter().map(|(p, _)| p.clone()).collect();
        touched.extend(self.files.keys().cloned());
        if files.is_empty() {
            // A first reading: one sort and a bulk build, rather than a search per file.
            files = parsed.into_iter().collect();
        } else {
            files.extend(parsed);
        }
        self.files = files;
        self.statics = load_statics(&root, &mut layout);
        self.layout = layout.0;
        touched
    }

    /// The root as the user gave it, or the current folder's path when it is `.`.
    fn root_shown(&self) -> String {
        let given = self.root.given();
        if given.as_os_str().is_empty() || given == Path::new(".") {
            format!("the current folder ({})", self.root.path().display())
        } else {
            given.display().to_string()
        }
    }

    /// The files under `static/`.
    pub fn statics(&self) -> &[StaticFile] {
        &self.statics
    }

    /// Checks the cross-references and builds the site model.
    pub fn assemble(&mut self, settings: &Settings) -> Result<Site, Diagnostics> {
        let mut errors = Diagnostics::default();
        if self.missing_content {
            errors.push(
                Diagnostic::file(
                    Kind::File,
                    "content/",
                    format!("there is no content/ directory in {}", self.root_shown()),
                )
                .help(
                    "run brief from a briefing's folder, pass --root DIR, or start a new briefing with `brief new DIR`",
                ),
            );
            return Err(errors);
        }
        errors.0.extend(self.layout.iter().cloned());
        let config = match &self.config {
            Some(Ok(c)) => Some(c.clone()),
            Some(Err(d)) => {
                errors.push(d.clone());
                None
            }
            None => {
                errors.push(Diagnostic::file(Kind::File, CONFIG_FILE, "the site settings file content/site.yaml is missing").help(
                    "create it with `title`, `description`, `base_url`, `language` and `event` (name, city, start, end)",
                ));
                None
            }
        };

        // The parsed files by kind; a kind with a file that failed to parse is incomplete, and
        // references to it are not reported as unknown (the slug may be in the broken file).
        let mut announcement_docs = Vec::new();
        let mut speaker_docs = Vec::new();
        let mut page_docs = Vec::new();
        let mut translations = translate::Translations::default();
        let (mut topics_file, mut timeline_file, mut sources_file) = (None, None, None);
        let (mut speakers_complete, mut topics_complete, mut announcements_complete) = (true, true, true);
        let mut sources_complete = true;
        for input in self.files.values() {
            let mut take = |r: Result<(), &Diagnostic>, complete: &mut bool| {
                if let Err(e) = r {
                    *complete = false;
                    errors.push(e.clone());
                }
            };
            let mut ignored = true;
            match input {
                Input::Config => {}
                Input::Announcement(r) => {
                    take(r.as_ref().map(|d| announcement_docs.push(Arc::clone(d))), &mut announcements_complete)
                }
                Input::Speaker(r) => take(r.as_ref().map(|d| speaker_docs.push(Arc::clone(d))), &mut speakers_complete),
                Input::Page(r) => take(r.as_ref().map(|d| page_docs.push(Arc::clone(d))), &mut ignored),
                Input::AnnouncementTr(r) => {
                    take(r.as_ref().map(|d| translations.announcements.push(Arc::clone(d))), &mut ignored)
                }
                Input::SpeakerTr(r) => {
                    take(r.as_ref().map(|d| translations.speakers.push(Arc::clone(d))), &mut ignored)
                }
                Input::PageTr(r) => take(r.as_ref().map(|d| translations.pages.push(Arc::clone(d))), &mut ignored),
                Input::TopicsTr(r) => take(r.as_ref().map(|t| translations.topics.push(Arc::clone(t))), &mut ignored),
                Input::TimelineTr(r) => {
                    take(r.as_ref().map(|t| translations.timeline.push(Arc::clone(t))), &mut ignored)
                }
                Input::Topics(r) => take(r.as_ref().map(|t| topics_file = Some(Arc::clone(t))), &mut topics_complete),
                Input::Timeline(r) => take(r.as_ref().map(|t| timeline_file = Some(Arc::clone(t))), &mut ignored),
                Input::Sources(r) => {
                    take(r.as_ref().map(|t| sources_file = Some(Arc::clone(t))), &mut sources_complete)
                }
                Input::SourcesTr(r) => take(r.as_ref().map(|t| translations.sources.push(Arc::clone(t))), &mut ignored),
            }
        }
        let base_path = self.base_path();
        // Slugs made from names in other scripts (or written as `slug:`) can meet; and the files
        // then no longer come in slug order.
        announcements_complete &= distinct_slugs(&mut announcement_docs, "announcement", &mut errors);
        speakers_complete &= distinct_slugs(&mut speaker_docs, "speaker", &mut errors);
        distinct_slugs(&mut page_docs, "page", &mut errors);

        let mut speakers = speaker::assemble(&speaker_docs, &mut errors);
        let topics = topics_file.as_ref().map(|t| topics::assemble(t, &mut errors)).unwrap_or_default();
        let speaker_names = Known::new(
            "speaker",
            "content/speakers/<slug>.md",
            speakers.iter().map(|s| s.slug.as_str()),
            speakers_complete,
        )
        .with_aliases(speaker_docs.iter().map(|d| (d.stem.as_str(), d.slug.as_str())));
        let topic_names =
            Known::new("topic", "content/topics.yaml", topics.iter().map(|t| t.slug.as_str()), topics_complete);
        let sources = sources_file.as_ref().map(|f| sources::assemble(f, &mut errors)).unwrap_or_default();
        let source_names =
            Known::new("source", "content/sources.yaml", sources.iter().map(|s| s.id.as_str()), sources_complete)
                .keyed_by("id");

        // Announcements: drafts out unless asked for, then those under embargo, then newest first.
        let mut clock = embargo::Clock::new(settings);
        // The announcements left out, by slug and by file name, the two names other files may
        // use; and the embargoes in force on announcements, by the same names.
        let mut left_out = HashSet::new();
        let mut embargoed: FxHashMap<String, Embargo> = FxHashMap::default();
        // The site paths of the drafts left out, for the help of links to them.
        let mut drafts_left_out = HashSet::new();
        // Announcements left out for a bad date, already reported: references to them are not
        // errors too.
        let mut undated = HashSet::new();
        let mut dated = Vec::with_capacity(announcement_docs.len());
        for d in &announcement_docs {
            // Made only for the few announcements left out or held: this runs on every save.
            let names = || [d.slug.clone(), d.stem.clone()];
            if announcement::is_draft(d) && !settings.drafts {
                drafts_left_out.insert(routes::announcement_path(&d.slug));
                left_out.extend(names());
                continue;
            }
            let embargo = announcement::embargo(d);
            let page = embargo.map(|_| routes::announcement_path(&d.slug));
            let verdict = match clock.judge(&d.yaml, &[crate::yaml::Seg::Key("embargo")], embargo, page.as_deref()) {
                Ok(verdict) => verdict,
                Err(e) => {
                    undated.extend(names());
                    errors.push(e);
                    continue;
                }
            };
            if let Some(held) = verdict.in_force() {
                embargoed.extend(names().into_iter().map(|n| (n, held.clone())));
            }
            let Verdict::Keep(held) = verdict else {
                left_out.extend(names());
                continue;
            };
            let embargo = held.map(|e| e.until);
            match announcement::day(d) {
                Ok(day) => dated.push((day, embargo, d)),
                Err(e) => {
                    undated.extend(names());
                    errors.push(e);
                }
            }
        }
        // Newest first, and by slug within a day. The documents are in slug order already
        // (`distinct_slugs`), so a stable sort by date keeps it without comparing slugs (many
        // announcements share a day). Each key is made once: `serve` sorts on every save.
        debug_assert!(dated.windows(2).all(|w| w[0].2.slug < w[1].2.slug));
        dated.sort_by_cached_key(|&(placing, _, _)| placing.list_key());
        // Resolving references and copying fields is independent per announcement, and needs
        // doing only for files that changed, unless speakers or topics did.
        let cache = &mut self.assembled;
        let speaker_keys = || {
            let aliases = speaker_docs.iter().filter(|d| d.stem != d.slug).map(|d| d.stem.as_str());
            speakers.iter().map(|s| s.slug.as_str()).chain(aliases)
        };
        let reuse = cache.speakers.iter().map(String::as_str).eq(speaker_keys())
            && cache.topics.iter().map(String::as_str).eq(topics.iter().map(|t| t.slug.as_str()))
            && cache.sources.iter().map(String::as_str).eq(sources.iter().map(|s| s.id.as_str()));
        if !reuse {
            cache.sources = sources.iter().map(|s| s.id.clone()).collect();
            cache.speakers = speaker_keys().map(str::to_string).collect();
            cache.topics = topics.iter().map(|t| t.slug.clone()).collect();
            cache.announcements.clear();
        }
        let known = &cache.announcements;
        let built: Vec<(Arc<Announcement>, Diagnostics, bool)> = dated
            .par_iter()
            .map(|&(day, embargo, d)| {
                if let Some((doc, done)) = known.get(&d.slug) {
                    if Arc::ptr_eq(doc, d) && announcement::Placing::of(done) == day && done.embargo == embargo {
                        return (Arc::clone(done), Diagnostics::default(), false);
                    }
                }
                let names =
                    announcement::Names { speakers: &speaker_names, topics: &topic_names, sources: &source_names };
                let (announcement, errors) = announcement::assemble(d, day, embargo, &names);
                (Arc::new(announcement), errors, true)
            })
            .collect();
        // One lead: a second is an error that names the first. Those under embargo count too, or
        // the build at the moment it lifts would fail.
        let in_build = |d: &&Arc<Doc<announcement::Raw>>| settings.drafts || !announcement::is_draft(d);
        let mut leads = announcement_docs.iter().filter(in_build).filter(|d| announcement::is_lead(d));
        if let Some(first) = leads.next() {
            for d in leads {
                errors.push(announcement::second_lead(d, first));
            }
        }
        let mut announcements: Vec<Arc<Announcement>> = Vec::with_capacity(built.len());
        for ((_, _, doc), (a, errs, new)) in dated.iter().zip(built) {
            if new && errs.is_empty() {
                cache.announcements.insert(doc.slug.clone(), (Arc::clone(doc), Arc::clone(&a)));
            }
            errors.0.extend(errs.0);
            announcements.push(a);
        }
        forget_gone(&mut cache.announcements, &announcements);

        let announcement_names = Known::new(
            "announcement",
            "content/announcements/<slug>.md",
            announcements.iter().map(|a| a.slug.as_str()),
            announcements_complete,
        )
        .with_aliases(announcement_docs.iter().map(|d| (d.stem.as_str(), d.slug.as_str())));
        let is_left_out = |slug: &str| left_out.contains(slug) || undated.contains(slug);
        let embargo_of = |slug: &str| embargoed.get(slug);
        let names = timeline::Names {
            announcements: &announcement_names,
            left_out: &is_left_out,
            embargo: &embargo_of,
            speakers: &speaker_names,
            sources: &source_names,
            lead: announcements.iter().position(|a| a.lead),
        };
        let (mut pages_left_out, mut entries_left_out) = (HashSet::new(), HashSet::new());
        let timeline = match &timeline_file {
            Some(t) => timeline::assemble(t, &names, &base_path, &mut clock, &mut entries_left_out, &mut errors),
            None => Vec::new(),
        };
        let pages = page::assemble(&page_docs, &mut clock, &mut pages_left_out, &mut errors);
        // Chart series, wherever their points are written: the timeline's, then the announcements'
        // (those under embargo too, as the timeline's are), by slug.
        let mut points = timeline_file.as_deref().map(timeline::series_points).unwrap_or_default();
        points.extend(announcement_docs.iter().filter(in_build).flat_map(|d| announcement::series_points(d)));
        series::check(&points, &mut errors);
        drop(points);
        // A free page may not take the folder of a language.
        let codes = config.as_ref().map(|c| c.languages[1..].iter().map(|l| l.code.as_str()).collect::<Vec<_>>());
        for p in pages.iter().filter(|p| codes.as_ref().is_some_and(|c| c.contains(&p.slug.as_str()))) {
            errors.push(
                Diagnostic::file(
                    Kind::Slug,
                    &p.body.file,
                    format!("the page slug `{}` is the folder of the site's language `{}`", p.slug, p.slug),
                )
                .help("give the page another `slug:` in its front matter, or rename the file"),
            );
        }

        let bodies = announcements
            .iter()
            .map(|a| &*a.body)
            .chain(speakers.iter().map(|s| &*s.body))
            .chain(pages.iter().map(|p| &*p.body))
            .chain(timeline.iter().filter_map(|e| e.body.as_deref()));
        // Translations are Markdown like any other: the same policy for their raw HTML.
        let translated_bodies = (translations.announcements.iter().map(|d| &*d.body))
            .chain(translations.speakers.iter().map(|d| &*d.body))
            .chain(translations.pages.iter().map(|d| &*d.body));
        for body in bodies.chain(translated_bodies) {
            unsafe_html(body, &mut errors);
        }
        drop((speaker_names, topic_names, announcement_names, source_names));
        let attached =
            self.attach_pictures(&speaker_docs, &mut speakers, &announcement_docs, &mut announcements, &mut errors);
        if !errors.is_empty() {
            return Err(errors.finish());
        }
        let Some(config) = config else { return Err(errors) };
        let mut site = Site {
            config,
            announcements,
            speakers,
            topics,
            timeline,
            pages,
            sources,
            // A file of static/ shown as a photo is published through its variants only.
            statics: (self.statics.iter())
                .filter(|s| !attached.sources.contains(&Path::new("static").join(&s.path)))
                .cloned()
                .collect(),
            images: Arc::new(attached.files),
            image_stats: attached.stats,
            embargoes: clock.embargoes(),
            drafts_left_out,
            speaker_announcements: Vec::new(),
            speaker_mentions: Vec::new(),
            speaker_timeline: Vec::new(),
            topic_announcements: Vec::new(),
            announcement_timeline: Vec::new(),
            translations: Vec::new(),
        };
        site.link_back();
        let has_translations = !translations.is_empty();
        if site.config.languages.len() > 1 || has_translations {
            let originals = translate::Originals {
                announcements: announcement_docs.iter().map(|d| (d.stem.as_str(), &**d)).collect(),
                speakers: speaker_docs.iter().map(|d| (d.stem.as_str(), &**d)).collect(),
                pages: page_docs.iter().map(|d| (d.stem.as_str(), &**d)).collect(),
                left_out: translate::LeftOut {
                    announcements: &left_out,
                    pages: &pages_left_out,
                    timeline: &entries_left_out,
                },
            };
            let cache = &mut self.assembled.translated;
            site.translations = translate::translated(&site, &translations, &originals, &mut clock, cache, &mut errors);
            // Translations under their own embargo count among those to build again for.
            site.embargoes = clock.embargoes();
            if !errors.is_empty() {
                return Err(errors.finish());
            }
        }
        Ok(site)
    }
}

impl Inputs {
    /// The speakers' photos and the announcements' pictures, read, checked and made into their
    /// variants all at once, and attached to their members.
    fn attach_pictures(
        &mut self,
        speaker_docs: &[Arc<Doc<speaker::Raw>>],
        speakers: &mut [Speaker],
        announcement_docs: &[Arc<Doc<announcement::Raw>>],
        announcements: &mut [Arc<Announcement>],
        errors: &mut Diagnostics,
    ) -> pictures::Attached {
        use crate::images::Use;
        // Only the documents that name a picture, by slug: few of them, looked up on every save.
        let speaker_doc: FxHashMap<&str, &Doc<speaker::Raw>> =
            speaker_docs.iter().filter(|d| d.meta.photo.is_some()).map(|d| (d.slug.as_str(), &**d)).collect();
        let announcement_doc: FxHashMap<&str, &Doc<announcement::Raw>> =
            announcement_docs.iter().filter(|d| d.meta.image.is_some()).map(|d| (d.slug.as_str(), &**d)).collect();
        let request = |yaml, key, raw, usage, name| pictures::Request { yaml, key, raw, usage, name };
        // Each request, with whether it is a speaker's and the member's index.
        let photos = speakers.iter().enumerate().filter_map(|(i, s)| {
            let d = speaker_doc.get(s.slug.as_str())?;
            Some(((true, i), request(&d.yaml, "photo", d.meta.photo.as_ref()?, Use::Photo, &d.slug)))
        });
        let images = announcements.iter().enumerate().filter_map(|(i, a)| {
            let d = announcement_doc.get(a.slug.as_str())?;
            Some(((false, i), request(&d.yaml, "image", d.meta.image.as_ref()?, Use::Picture, &d.slug)))
        });
        let (members, requests): (Vec<(bool, usize)>, Vec<pictures::Request>) = photos.chain(images).unzip();
        let mut attached = self.pictures.attach(self.root.path(), &requests, errors);
        for ((speaker, i), image) in members.into_iter().zip(std::mem::take(&mut attached.images)) {
            if speaker {
                speakers[i].photo = image;
            } else if image.is_some() {
                Arc::make_mut(&mut announcements[i]).image = image;
            }
        }
        attached
    }
}

/// Reports the raw HTML in `body` that runs code or embeds other pages.
fn unsafe_html(body: &Body, errors: &mut Diagnostics) {
    for (range, what) in &body.markdown.unsafe_html {
        errors.push(
            Diagnostic::at(Kind::Unsafe, &body.file, &body.source, body.span(range.clone()), format!("{what} is not allowed in Markdown"))
                .label("runs code or embeds another page")
                .help("remove it: raw HTML may be used for markup only, and links only to pages and web addresses (https://...) (see docs/content.md); to show code, put it between backticks"),
        );
    }
}

/// Lists the files under `root/dir` (following links), relative to `root`, sorted; editors'
/// leftovers are passed over.
fn walk(root: &Path, dir: &Path, errors: &mut Diagnostics) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root.join(dir)).follow_links(true).sort_by_file_name();
    let mut it = walker.into_iter();
    while let Some(entry) = it.next() {
        match entry {
            Ok(entry) => {
                let name = entry.file_name().to_string_lossy();
                if entry.depth() > 0 && paths::is_editor_file(&name) {
                    if entry.file_type().is_dir() {
                        it.skip_current_dir();
                    }
                    continue;
                }
                if entry.file_type().is_file() {
                    out.push(crate::diagnostic::relative(root, entry.path()));
                }
            }
            Err(err) => {
                let path =
                    err.path().map(|p| crate::diagnostic::relative(root, p)).unwrap_or_else(|| dir.to_path_buf());
                let dangling =
                    err.path().filter(|p| p.is_symlink() && !p.exists()).and_then(|p| std::fs::read_link(p).ok());
                let (message, help) = if err.loop_ancestor().is_some() {
                    (
                        "this symbolic link points back at a folder that contains it".to_string(),
                        "remove the link or point it elsewhere",
                    )
                } else if let Some(target) = dangling {
                    (
                        format!(
                            "cannot read this file: it is a symbolic link to {}, which does not exist",
                            target.display()
                        ),
                        "remove the link, or point it at a file that exists",
                    )
                } else {
                    (
                        format!("cannot read: {}", err.io_error().map_or(err.to_string(), |e| e.to_string())),
                        "check that the path exists and that you may read it",
                    )
                };
                errors.push(Diagnostic::file(Kind::File, path, message).help(help));
            }
        }
    }
    out
}

/// The files under `static/`. A symbolic link that leads outside `static/` is an error: it would
/// publish (or serve) a file the author never put in the site.
fn load_statics(root: &Path, errors: &mut Diagnostics) -> Vec<StaticFile> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Vec::new();
    }
    let real_dir = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
    let mut out = Vec::new();
    for rel in walk(root, Path::new("static"), errors) {
        let source = root.join(&rel);
        let inside = std::fs::canonicalize(&source).is_ok_and(|real| real.starts_with(&real_dir));
        if !inside {
            errors.push(
                Diagnostic::file(Kind::File, &rel, "this is a symbolic link to a file outside static/")
                    .help("copy the file into static/ instead of linking to it, so that only what you put in the site is published"),
            );
            continue;
        }
        let inner = rel.strip_prefix("static").unwrap_or(&rel);
        let path = inner.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/");
        out.push(StaticFile { path, source });
    }
    out
}

/// Keeps the first (in path order) of the documents that share a slug and reports each other one;
/// then puts them in slug order. Whether no two shared one.
fn distinct_slugs<T: doc::Slugged>(docs: &mut Vec<Arc<Doc<T>>>, what: &str, errors: &mut Diagnostics) -> bool {
    // A stable sort keeps the files' order among equal slugs: the first of a run is the first
    // file, and the others are reported against it. `serve` does this on every save, and the
    // documents mostly come in slug order already, which the sort finds in one pass.
    docs.sort_by(|a, b| a.slug.cmp(&b.slug));
    let mut distinct = true;
    let mut kept: Vec<Arc<Doc<T>>> = Vec::with_capacity(docs.len());
    for d in docs.drain(..) {
        let Some(first) = kept.last().filter(|first| first.slug == d.slug) else {
            kept.push(d);
            continue;
        };
        distinct = false;
        let message = format!(
            "two {what}s have the slug `{}`: {} and {}",
            d.slug,
            first.file().path.display(),
            d.file().path.display()
        );
        let error = match d.meta.slug() {
            Some(slug) => d.error(Kind::Slug, "slug", Some(slug), message),
            None => Diagnostic::file(Kind::Slug, &d.file().path, message),
        };
        errors.push(error.help(format!(
            "give one of them another `slug:` in its front matter: the slug makes the {what}'s URL, which must be its own"
        )));
    }
    *docs = kept;
    distinct
}

/// The JSON Schema of one kind of content file, for editors: its name (`site` gives
/// `site.schema.json`), the files it applies to (globs from the site's root;
/// front matter of Markdown files is matched by the file too, though YAML editors read only
/// `.yaml` files), and the schema, generated from the type that reads the files so that the two
/// cannot drift.
pub struct Schema {
    pub name: &'static str,
    pub files: &'static [&'static str],
    /// The schema, its `title` saying what it describes.
    pub schema: serde_json::Value,
}

/// Lets every text field of `schema` take any scalar, as the YAML reader does: `date: 2002`,
/// unquoted, is the text `2002` to `brief`, and must be to the editor too.
fn any_scalar_as_text(schema: &mut serde_json::Value) {
    use serde_json::Value;
    match schema {
        Value::Object(map) => {
            if let Some(kind) = map.get_mut("type") {
                let text = |k: &Value| k.as_str() == Some("string");
                let widened = match kind {
                    Value::String(_) if text(kind) => Some(vec![kind.clone()]),
                    Value::Array(kinds) if kinds.iter().any(text) => Some(kinds.clone()),
                    _ => None,
                };
                if let Some(mut kinds) = widened {
                    kinds.extend(["number", "boolean"].map(Value::from));
                    *kind = Value::from(kinds);
                }
            }
            map.values_mut().for_each(any_scalar_as_text);
        }
        Value::Array(items) => items.iter_mut().for_each(any_scalar_as_text),
        _ => {}
    }
}

/// Every kind of content file's schema.
pub fn schemas() -> Vec<Schema> {
    let [announcement, announcement_tr] = announcement::schemas();
    let [speaker, speaker_tr] = speaker::schemas();
    let [page, page_tr] = page::schemas();
    let [timeline, timeline_tr] = timeline::schemas();
    let [topics, topics_tr] = topics::schemas();
    let [sources, sources_tr] = sources::schemas();
    let list = [
        ("site", "content/site.yaml: the briefing's settings", &["content/site.yaml"][..], config::schema()),
        ("topics", "content/topics.yaml: topics by slug", &["content/topics.yaml"][..], topics),
        (
            "topics-translation",
            "content/topics.<lang>.yaml: a translation of the topics",
            &["content/topics.*.yaml"][..],
            topics_tr,
        ),
        ("timeline", "content/timeline.yaml: the dated entries", &["content/timeline.yaml"][..], timeline),
        (
            "timeline-translation",
            "content/timeline.<lang>.yaml: a translation of the timeline, by entry id",
            &["content/timeline.*.yaml"][..],
            timeline_tr,
        ),
        (
            "sources",
            "content/sources.yaml: the reports the briefing is written from, by id",
            &["content/sources.yaml"][..],
            sources,
        ),
        (
            "sources-translation",
            "content/sources.<lang>.yaml: a translation of the sources",
            &["content/sources.*.yaml"][..],
            sources_tr,
        ),
        (
            "announcement",
            "The front matter of content/announcements/<slug>.md",
            &["content/announcements/*.md"][..],
            announcement,
        ),
        (
            "announcement-translation",
            "The front matter of content/announcements/<slug>.<lang>.md",
            &["content/announcements/*.*.md"][..],
            announcement_tr,
        ),
        ("speaker", "The front matter of content/speakers/<slug>.md", &["content/speakers/*.md"][..], speaker),
        (
            "speaker-translation",
            "The front matter of content/speakers/<slug>.<lang>.md",
            &["content/speakers/*.*.md"][..],
            speaker_tr,
        ),
        ("page", "The front matter of content/pages/<slug>.md", &["content/pages/*.md"][..], page),
        (
            "page-translation",
            "The front matter of content/pages/<slug>.<lang>.md",
            &["content/pages/*.*.md"][..],
            page_tr,
        ),
    ];
    list.into_iter()
        .map(|(name, title, files, schema)| {
            let mut schema = schema.to_value();
            any_scalar_as_text(&mut schema);
            if let Some(map) = schema.as_object_mut() {
                map.insert("title".into(), title.into());
            }
            Schema { name, files, schema }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command that exits after it is done leaves what it releases to the system; any other
    /// caller gets it freed.
    #[test]
    fn released_values_are_freed_unless_the_process_exits_after() {
        let value = Arc::new(());
        Settings { exits_after: true, ..Settings::default() }.release(Arc::clone(&value));
        assert_eq!(Arc::strong_count(&value), 2, "left to the system, never dropped");
        Settings::default().release(Arc::clone(&value));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while Arc::strong_count(&value) > 2 {
            assert!(std::time::Instant::now() < deadline, "the released value was never freed");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // The first is still there once the second, released after it, is gone.
        assert_eq!(Arc::strong_count(&value), 2);
    }

    /// `serve` assembles the site on every save from what it kept: a translation kept from the
    /// last assembly is made again when its own embargo lifts as the clock goes on, and kept
    /// while nothing it was made from changed.
    #[test]
    fn a_kept_translation_follows_the_clock_past_its_own_embargo() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        };
        write(
            CONFIG_FILE,
            "title: Briefing\ndescription: D.\nbase_url: https://example.org/\nlanguage: en\nevent:\n  name: Expo\n  \
             city: City\n  start: 2030-05-14\n  end: 2030-05-16\nlanguages:\n  en: {name: English}\n  zh: {name: 中文}\n",
        );
        write("content/announcements/a.md", "---\ntitle: Opening\ndate: 2030-05-14\nsummary: S.\n---\n\nText.\n");
        write("content/announcements/a.zh.md", "---\ntitle: 开幕\nembargo: 2030-05-14T10:00:00+08:00\n---\n\n文字。\n");
        let at = |moment: &str| Settings {
            now: Some(chrono::DateTime::parse_from_rfc3339(moment).unwrap()),
            preview_embargoed: true,
            ..Settings::default()
        };
        let before = at("2030-05-14T09:00:00+08:00");
        let mut inputs = Inputs::read(dir.path(), &before);
        let zh = |site: &Site| Arc::clone(&site.translations[0].announcements[0]);
        let first = zh(&inputs.assemble(&before).unwrap());
        assert_eq!(first.title, "开幕");
        assert!(first.embargo.is_some(), "held until its moment: {:?}", first.embargo);
        // Nothing changed: the same translation, not made again.
        let again = zh(&inputs.assemble(&before).unwrap());
        assert!(Arc::ptr_eq(&first, &again));
        // The moment has passed: no longer held.
        let after = at("2030-05-14T11:00:00+08:00");
        let lifted = zh(&inputs.assemble(&after).unwrap());
        assert_eq!(lifted.title, "开幕");
        assert_eq!(lifted.embargo, None);
    }
}
