//! The load and validate phases: read `content/` and `static/`, parse every file, and check the
//! cross-references, collecting every problem before giving up.
//!
//! Files are parsed into raw structs that mirror what authors write (unknown fields are errors,
//! so typos cannot pass silently), then turned into the checked [`Site`] model.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::date::{self, PartialDate};
use crate::diagnostic::{suggest, Diagnostic, Diagnostics};
use crate::markdown;
use crate::model::*;
use crate::source::{self, SourceFile};
use crate::yaml::{self, Seg};

/// Choices that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Whether announcements marked `draft: true` are included.
    pub drafts: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: String,
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    event: RawEvent,
}

fn default_language() -> String {
    "en".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: String,
    city: String,
    #[serde(default)]
    venue: Option<String>,
    start: String,
    end: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnnouncement {
    title: String,
    date: String,
    summary: String,
    #[serde(default)]
    speakers: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    source: Option<RawSource>,
    #[serde(default)]
    figures: Vec<RawFigure>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: String,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    label: String,
    value: f64,
    unit: String,
    #[serde(default)]
    year: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpeaker {
    name: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimelineEntry {
    date: String,
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    announcement: Option<String>,
    #[serde(default)]
    speakers: Vec<String>,
    #[serde(default)]
    figure: Option<RawPoint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    value: f64,
    unit: String,
    series: String,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// A Markdown file with front matter, parsed.
#[derive(Clone)]
struct Doc<T> {
    slug: String,
    file: SourceFile,
    front_matter: Range<usize>,
    meta: T,
    body: Arc<Body>,
}

impl<T> Doc<T> {
    /// The span of `value` under `key` in the front matter, for messages.
    fn locate(&self, key: &str, value: Option<&str>) -> Range<usize> {
        self.locate_nth(key, value, 0)
    }

    /// The span of the `nth` (0-based) occurrence of `value` under `key`.
    fn locate_nth(&self, key: &str, value: Option<&str>, nth: usize) -> Range<usize> {
        yaml::locate_nth(&self.file.text, self.front_matter.clone(), &[Seg::Key(key)], value, nth)
    }

    fn error_at(&self, key: &str, value: Option<&str>, message: String) -> Diagnostic {
        Diagnostic::at(&self.file.path, &self.file.text, self.locate(key, value), message)
    }
}

/// What a file under `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Site,
    Topics,
    Timeline,
    Announcement,
    Speaker,
    Page,
}

const CONTENT_LAYOUT: &str =
    "content/ holds site.yaml, topics.yaml, timeline.yaml, and Markdown files in announcements/, speakers/ and pages/";

fn classify(rel: &Path) -> Option<Kind> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        ["site.yaml"] => Some(Kind::Site),
        ["topics.yaml"] => Some(Kind::Topics),
        ["timeline.yaml"] => Some(Kind::Timeline),
        [dir, file] if file.ends_with(".md") => match *dir {
            "announcements" => Some(Kind::Announcement),
            "speakers" => Some(Kind::Speaker),
            "pages" => Some(Kind::Page),
            _ => None,
        },
        _ => None,
    }
}

/// Files editors and systems leave beside real ones (`.#a.md`, `a.md~`, `.DS_Store`).
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// Reads and checks the whole site under `root`.
pub fn load(root: &Path, settings: &Settings) -> Result<Site, Diagnostics> {
    Inputs::read(root, settings).assemble(settings)
}

type Parsed<T> = Result<Arc<T>, Diagnostic>;

/// One parsed file under `content/`.
#[derive(Clone)]
enum Input {
    Site,
    Announcement(Parsed<Doc<RawAnnouncement>>),
    Speaker(Parsed<Doc<RawSpeaker>>),
    Page(Parsed<Doc<RawPage>>),
    Topics(Parsed<(SourceFile, BTreeMap<String, RawTopic>)>),
    Timeline(Parsed<(SourceFile, Vec<RawTimelineEntry>)>),
}

/// Everything read from a site's files, parsed file by file, before cross-references are
/// checked. `serve` keeps it between rebuilds, so that a change re-reads only the files it touched.
pub struct Inputs {
    root: PathBuf,
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
}

#[derive(Default)]
struct AssembledCache {
    speakers: Vec<String>,
    topics: Vec<String>,
    announcements: FxHashMap<usize, (Arc<Doc<RawAnnouncement>>, Arc<Announcement>)>,
}

impl Inputs {
    /// Reads every file of the site.
    pub fn read(root: &Path, settings: &Settings) -> Inputs {
        let mut inputs = Inputs {
            root: root.to_path_buf(),
            settings: settings.clone(),
            missing_content: false,
            config: None,
            files: BTreeMap::new(),
            layout: Vec::new(),
            statics: Vec::new(),
            assembled: AssembledCache::default(),
        };
        inputs.refresh(None);
        inputs
    }

    /// Takes changes to the files at `changed` (paths relative to the root, or absolute) into
    /// account, re-reading only those and any file that appeared. Returns the content files that
    /// were re-read, appeared or disappeared (relative to the root).
    pub fn update(&mut self, changed: &[PathBuf]) -> Vec<PathBuf> {
        let changed: HashSet<PathBuf> = changed.iter().map(|p| crate::diagnostic::relative(&self.root, p)).collect();
        // The common case, an existing file saved again, needs no new listing of the folders.
        let known = |p: &PathBuf| {
            let file = self.root.join(p);
            let listed = self.files.contains_key(p) || self.statics.iter().any(|s| s.source == file);
            listed && p.as_path() != Path::new("content/site.yaml") && file.is_file()
        };
        let watched = |p: &&PathBuf| p.starts_with("content") || p.starts_with("static");
        if changed.iter().filter(watched).all(known) {
            let base_path = self.base_path();
            let mut touched = Vec::new();
            let known_files: Vec<PathBuf> = changed.iter().filter(|p| self.files.contains_key(*p)).cloned().collect();
            for rel in &known_files {
                let inner = rel.strip_prefix("content").unwrap_or(rel);
                if let Some(kind) = classify(inner) {
                    let input = parse_input(&self.root, rel, kind, &base_path);
                    self.files.insert(rel.clone(), input);
                    touched.push(rel.clone());
                }
            }
            return touched;
        }
        self.refresh(Some(&changed))
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
        let root = self.root.clone();
        let mut layout = Diagnostics::default();
        self.missing_content = !root.join("content").is_dir();
        let listing = if self.missing_content { Vec::new() } else { walk(&root, Path::new("content"), &mut layout) };
        let site_file = Path::new("content/site.yaml");
        let old_base = self.base_path();
        if changed.is_none_or(|c| c.contains(site_file))
            || self.config.is_none()
            || !listing.iter().any(|p| p == site_file)
        {
            self.config = listing.iter().any(|p| p == site_file).then(|| load_config(&root, site_file, &self.settings));
        }
        let base_path = self.base_path();
        let reparse_all = changed.is_none() || base_path != old_base;

        let mut files = BTreeMap::new();
        let mut todo = Vec::new();
        for rel in listing {
            let inner = rel.strip_prefix("content").unwrap_or(&rel).to_path_buf();
            let Some(kind) = classify(&inner) else {
                layout.push(
                    Diagnostic::file(&rel, "brief does not know what this file is")
                        .help(format!("{CONTENT_LAYOUT}; images and other files go in static/")),
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
        files.extend(parsed);
        self.files = files;
        self.statics = load_statics(&root, &mut layout);
        self.layout = layout.0;
        touched
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
                Diagnostic::file("content/", format!("there is no content/ directory in {}", self.root.display()))
                    .help(
                    "run brief from a briefing's folder, pass --root DIR, or start a new briefing with `brief new DIR`",
                ),
            );
            return Err(errors);
        }
        errors.0.extend(self.layout.iter().cloned());
        let site_file = Path::new("content/site.yaml");
        let config = match &self.config {
            Some(Ok(c)) => Some(c.clone()),
            Some(Err(d)) => {
                errors.push(d.clone());
                None
            }
            None => {
                errors.push(Diagnostic::file(site_file, "the site settings file content/site.yaml is missing").help(
                    "create it with `title`, `description`, `base_url`, `language` and `event` (name, city, start, end)",
                ));
                None
            }
        };

        let mut announcements: Vec<Arc<Doc<RawAnnouncement>>> = Vec::new();
        let mut speakers_docs: Vec<Arc<Doc<RawSpeaker>>> = Vec::new();
        let mut pages: Vec<Arc<Doc<RawPage>>> = Vec::new();
        let mut topics_file = None;
        let mut timeline_file = None;
        let (mut speakers_complete, mut topics_complete, mut announcements_complete) = (true, true, true);
        for input in self.files.values() {
            match input {
                Input::Site => {}
                Input::Announcement(r) => match r {
                    Ok(d) => announcements.push(Arc::clone(d)),
                    Err(e) => {
                        announcements_complete = false;
                        errors.push(e.clone());
                    }
                },
                Input::Speaker(r) => match r {
                    Ok(d) => speakers_docs.push(Arc::clone(d)),
                    Err(e) => {
                        speakers_complete = false;
                        errors.push(e.clone());
                    }
                },
                Input::Page(r) => match r {
                    Ok(d) => pages.push(Arc::clone(d)),
                    Err(e) => errors.push(e.clone()),
                },
                Input::Topics(r) => match r {
                    Ok(t) => topics_file = Some(Arc::clone(t)),
                    Err(e) => {
                        topics_complete = false;
                        errors.push(e.clone());
                    }
                },
                Input::Timeline(r) => match r {
                    Ok(t) => timeline_file = Some(Arc::clone(t)),
                    Err(e) => errors.push(e.clone()),
                },
            }
        }
        let base_path = self.base_path();

        // Speakers, sorted by name.
        let mut speakers: Vec<Speaker> = speakers_docs
            .iter()
            .map(|d| Speaker {
                slug: d.slug.clone(),
                name: d.meta.name.clone(),
                role: d.meta.role.clone(),
                organization: d.meta.organization.clone(),
                country: d.meta.country.clone(),
                body: Arc::clone(&d.body),
            })
            .collect();
        speakers.sort_by(|a, b| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)));
        let speaker_index: FxHashMap<&str, usize> =
            speakers.iter().enumerate().map(|(i, s)| (s.slug.as_str(), i)).collect();

        let topics: Vec<Topic> = topics_file
            .as_ref()
            .map(|t| {
                t.1.iter()
                    .map(|(slug, t)| Topic {
                        slug: slug.clone(),
                        title: t.title.clone(),
                        description: t.description.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Some(t) = &topics_file {
            let file = &t.0;
            for topic in &topics {
                if let Err(help) = check_slug(&topic.slug) {
                    let span = yaml::locate(&file.text, 0..file.text.len(), &[], Some(&topic.slug));
                    errors.push(
                        Diagnostic::at(
                            &file.path,
                            &file.text,
                            span,
                            format!("`{}` cannot be used as a topic slug", topic.slug),
                        )
                        .label("this key is the topic's URL")
                        .help(help),
                    );
                }
            }
        }
        let topic_index: FxHashMap<&str, usize> =
            topics.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();

        // Announcements: drafts out unless asked for, then newest first.
        let mut drafts_left_out = HashSet::new();
        // Announcements left out for a bad date, already reported: references to them are not
        // errors too.
        let mut undated = HashSet::new();
        let mut dated = Vec::with_capacity(announcements.len());
        for d in &announcements {
            if d.meta.draft && !settings.drafts {
                drafts_left_out.insert(d.slug.clone());
                continue;
            }
            match date::parse_day(&d.meta.date) {
                Ok(day) => dated.push((day, d)),
                Err(why) => {
                    undated.insert(d.slug.clone());
                    errors.push(
                        d.error_at("date", Some(d.meta.date.trim()), format!("invalid date: {why}"))
                            .label("not a real day")
                            .help("write the day the announcement was made as YYYY-MM-DD, for example 2012-09-22"),
                    )
                }
            }
        }
        // Slugs are unique, so the order is total and an unstable sort gives the same result.
        let mut keyed: Vec<(std::cmp::Reverse<chrono::NaiveDate>, &str, usize)> =
            dated.iter().enumerate().map(|(i, (day, d))| (std::cmp::Reverse(*day), d.slug.as_str(), i)).collect();
        keyed.sort_unstable();
        let dated: Vec<(chrono::NaiveDate, &Arc<Doc<RawAnnouncement>>)> =
            keyed.iter().map(|&(_, _, i)| dated[i]).collect();
        // Resolving references and copying fields is independent per announcement, and needs
        // doing only for files that changed, unless speakers or topics did.
        let cache = &self.assembled;
        let reuse = cache.speakers.iter().map(String::as_str).eq(speakers.iter().map(|s| s.slug.as_str()))
            && cache.topics.iter().map(String::as_str).eq(topics.iter().map(|t| t.slug.as_str()));
        let built: Vec<(Arc<Announcement>, Diagnostics)> = dated
            .par_iter()
            .map(|&(day, d)| {
                let key = Arc::as_ptr(d) as usize;
                if let Some((doc, done)) = cache.announcements.get(&key).filter(|_| reuse) {
                    if Arc::ptr_eq(doc, d) {
                        return (Arc::clone(done), Diagnostics::default());
                    }
                }
                let mut errors = Diagnostics::default();
                let speakers =
                    resolve(d, "speakers", "speaker", &d.meta.speakers, &speaker_index, speakers_complete, &mut errors);
                let topics = resolve(d, "topics", "topic", &d.meta.topics, &topic_index, topics_complete, &mut errors);
                let m = &d.meta;
                let announcement = Announcement {
                    slug: d.slug.clone(),
                    title: m.title.clone(),
                    date: day,
                    summary: m.summary.clone(),
                    speakers,
                    topics,
                    source: m.source.as_ref().map(|s| Source { name: s.name.clone(), url: s.url.clone() }),
                    figures: m
                        .figures
                        .iter()
                        .map(|f| Figure { label: f.label.clone(), value: f.value, unit: f.unit.clone(), year: f.year })
                        .collect(),
                    draft: m.draft,
                    body: Arc::clone(&d.body),
                };
                (Arc::new(announcement), errors)
            })
            .collect();
        let mut next = AssembledCache {
            speakers: speakers.iter().map(|s| s.slug.clone()).collect(),
            topics: topics.iter().map(|t| t.slug.clone()).collect(),
            announcements: FxHashMap::default(),
        };
        let mut out_announcements = Vec::with_capacity(built.len());
        for ((_, doc), (announcement, errs)) in dated.iter().zip(built) {
            if errs.is_empty() {
                next.announcements.insert(Arc::as_ptr(doc) as usize, (Arc::clone(doc), Arc::clone(&announcement)));
            }
            errors.0.extend(errs.0);
            out_announcements.push(announcement);
        }
        let announcement_index: FxHashMap<&str, usize> =
            out_announcements.iter().enumerate().map(|(i, a)| (a.slug.as_str(), i)).collect();

        let mut timeline = Vec::new();
        if let Some(t) = &timeline_file {
            let (file, raw) = (&t.0, &t.1);
            let whole = 0..file.text.len();
            let at = |i: usize, key: &str, value: Option<&str>| {
                yaml::locate(&file.text, whole.clone(), &[Seg::Index(i), Seg::Key(key)], value)
            };
            for (i, e) in raw.iter().enumerate() {
                let date = match PartialDate::parse(&e.date) {
                    Ok(d) => d,
                    Err(why) => {
                        errors.push(
                            Diagnostic::at(
                                &file.path,
                                &file.text,
                                at(i, "date", Some(e.date.trim())),
                                format!("invalid timeline date: {why}"),
                            )
                            .label("not a date")
                            .help("write YYYY, YYYY-MM or YYYY-MM-DD, for example 2002, 2010-01 or 2012-09-22"),
                        );
                        continue;
                    }
                };
                let announcement = match &e.announcement {
                    None => None,
                    Some(slug) if drafts_left_out.contains(slug) || undated.contains(slug) => None,
                    Some(slug) => match announcement_index.get(slug.as_str()) {
                        Some(&a) => Some(a),
                        None => {
                            if announcements_complete {
                                errors.push(
                                    Diagnostic::at(
                                        &file.path,
                                        &file.text,
                                        at(i, "announcement", Some(slug)),
                                        format!("unknown announcement `{slug}`"),
                                    )
                                    .label("no announcement has this slug")
                                    .help(suggest(
                                        "announcement",
                                        slug,
                                        sorted_keys(&announcement_index),
                                    )),
                                );
                            }
                            None
                        }
                    },
                };
                let mut entry_speakers = Vec::new();
                for slug in &e.speakers {
                    match speaker_index.get(slug.as_str()) {
                        Some(&s) => entry_speakers.push(s),
                        None if speakers_complete => errors.push(
                            Diagnostic::at(
                                &file.path,
                                &file.text,
                                at(i, "speakers", Some(slug)),
                                format!("unknown speaker `{slug}`"),
                            )
                            .label("no file content/speakers/<slug>.md has this name")
                            .help(suggest("speaker", slug, sorted_keys(&speaker_index))),
                        ),
                        None => {}
                    }
                }
                let body = e.body.as_deref().map(|text| {
                    Arc::new(Body {
                        file: file.path.clone(),
                        source: Arc::clone(&file.text),
                        offset: None,
                        markdown: markdown::render(text, &base_path),
                    })
                });
                timeline.push(TimelineEntry {
                    position: i,
                    date,
                    title: e.title.clone(),
                    body,
                    announcement,
                    speakers: entry_speakers,
                    figure: e.figure.as_ref().map(|f| Point {
                        value: f.value,
                        unit: f.unit.clone(),
                        series: f.series.clone(),
                        label: f.label.clone(),
                    }),
                });
            }
            check_series(&file.path, &file.text, raw, &mut errors);
        }
        timeline.sort_by_key(|e| e.date);

        let reserved = ["announcements", "speakers", "topics", "timeline", "search", "404"];
        let mut out_pages = Vec::new();
        for d in &pages {
            if reserved.contains(&d.slug.as_str()) {
                errors.push(
                    Diagnostic::file(
                        &d.file.path,
                        format!("the page slug `{}` is already used by brief's own /{}/ page", d.slug, d.slug),
                    )
                    .help(format!("rename the file, for example to content/pages/about-{}.md", d.slug)),
                );
                continue;
            }
            out_pages.push(Page {
                slug: d.slug.clone(),
                title: d.meta.title.clone(),
                description: d.meta.description.clone(),
                body: Arc::clone(&d.body),
            });
        }

        for (body, position) in out_announcements
            .iter()
            .map(|a| (&*a.body, None))
            .chain(speakers.iter().map(|s| (&*s.body, None)))
            .chain(out_pages.iter().map(|p| (&*p.body, None)))
            .chain(timeline.iter().filter_map(|e| e.body.as_deref().map(|b| (b, Some(e.position)))))
        {
            for (range, what) in &body.markdown.unsafe_html {
                let span = match (body.offset, position) {
                    (Some(offset), _) => offset + range.start..offset + range.end,
                    (None, Some(i)) => {
                        yaml::locate(&body.source, 0..body.source.len(), &[Seg::Index(i), Seg::Key("body")], None)
                    }
                    (None, None) => 0..0,
                };
                errors.push(
                    Diagnostic::at(&body.file, &body.source, span, format!("{what} is not allowed in Markdown"))
                        .label("runs code or embeds another page")
                        .help("remove it: raw HTML may be used for markup only, and links only to pages and web addresses (https://...) (see docs/content.md); to show code, put it between backticks"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors.finish());
        }
        let Some(config) = config else { return Err(errors) };
        self.assembled = next;
        let mut site = Site {
            config,
            announcements: out_announcements,
            speakers,
            topics,
            timeline,
            pages: out_pages,
            statics: self.statics.clone(),
            drafts_left_out,
            speaker_announcements: Vec::new(),
            speaker_timeline: Vec::new(),
            topic_announcements: Vec::new(),
            announcement_timeline: Vec::new(),
        };
        site.link_back();
        Ok(site)
    }
}

/// The points of a series are drawn on one chart: they must share a unit, and a label given to
/// the series must be the same wherever it is given.
fn check_series(path: &Path, text: &Arc<str>, raw: &[RawTimelineEntry], errors: &mut Diagnostics) {
    struct First<'a> {
        unit: (&'a str, usize),
        label: Option<(&'a str, usize)>,
    }
    let whole = 0..text.len();
    let at = |i: usize, key: &str, value: &str| {
        yaml::locate(text, whole.clone(), &[Seg::Index(i), Seg::Key("figure"), Seg::Key(key)], Some(value))
    };
    let line = |i: usize, key: &str, value: &str| crate::diagnostic::line_col(text, at(i, key, value).start).0;
    let mut seen: FxHashMap<&str, First> = FxHashMap::default();
    for (i, f) in raw.iter().enumerate().filter_map(|(i, e)| e.figure.as_ref().map(|f| (i, f))) {
        let (unit, label) = (f.unit.trim(), f.label.as_deref().map(str::trim));
        let Some(first) = seen.get_mut(f.series.as_str()) else {
            seen.insert(&f.series, First { unit: (unit, i), label: label.map(|l| (l, i)) });
            continue;
        };
        if unit != first.unit.0 {
            let (was, j) = first.unit;
            errors.push(
                Diagnostic::at(path, text, at(i, "unit", unit), format!("the series `{}` mixes units", f.series))
                    .label(format!("line {} gives `{was}`", line(j, "unit", was)))
                    .help(format!(
                        "a chart compares the points of a series, so they share one unit: convert this value to {was}, or put it in another series"
                    )),
            );
        }
        match (label, first.label) {
            (Some(l), Some((was, j))) if l != was => errors.push(
                Diagnostic::at(path, text, at(i, "label", l), format!("the series `{}` has two labels", f.series))
                    .label(format!("line {} gives `{was}`", line(j, "label", was)))
                    .help("give the label once, on any point of the series, or the same label on each"),
            ),
            (Some(l), None) => first.label = Some((l, i)),
            _ => {}
        }
    }
}

fn sorted_keys<'a>(index: &'a FxHashMap<&str, usize>) -> std::collections::BTreeSet<&'a str> {
    index.keys().copied().collect()
}

fn resolve<T>(
    doc: &Doc<T>,
    key: &str,
    what: &str,
    slugs: &[String],
    index: &FxHashMap<&str, usize>,
    complete: bool,
    errors: &mut Diagnostics,
) -> Vec<usize> {
    let mut out = Vec::with_capacity(slugs.len());
    // One message per slug, however often it is repeated: a list of thousands of repeats must not
    // take thousands of searches of the file.
    let mut times: FxHashMap<&str, usize> = FxHashMap::default();
    for slug in slugs {
        *times.entry(slug.as_str()).or_default() += 1;
    }
    for slug in slugs {
        // Taken out at its first occurrence, so that repeats are passed over.
        let Some(n) = times.remove(slug.as_str()) else { continue };
        match index.get(slug.as_str()) {
            Some(&i) => {
                out.push(i);
                if n > 1 {
                    // Point at the first repeat, not at the first occurrence.
                    let span = doc.locate_nth(key, Some(slug), 1);
                    let count = if n == 2 { "twice".to_string() } else { format!("{n} times") };
                    errors.push(
                        Diagnostic::at(
                            &doc.file.path,
                            &doc.file.text,
                            span,
                            format!("{what} `{slug}` is listed {count}"),
                        )
                        .label("repeated")
                        .help(if n == 2 {
                            "remove one of them"
                        } else {
                            "keep only one of them"
                        }),
                    )
                }
            }
            None if complete => {
                let where_ = if what == "topic" {
                    "content/topics.yaml".to_string()
                } else {
                    format!("content/{what}s/<slug>.md")
                };
                errors.push(
                    doc.error_at(key, Some(slug), format!("unknown {what} `{slug}`"))
                        .label(format!("no {what} in {where_} has this slug"))
                        .help(suggest(what, slug, sorted_keys(index))),
                )
            }
            None => {}
        }
    }
    out
}

/// Lists the files under `root/dir` (following links), relative to `root`, sorted.
fn walk(root: &Path, dir: &Path, errors: &mut Diagnostics) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root.join(dir)).follow_links(true).sort_by_file_name();
    let mut it = walker.into_iter();
    while let Some(entry) = it.next() {
        match entry {
            Ok(entry) => {
                let name = entry.file_name().to_string_lossy();
                if entry.depth() > 0 && is_ignored(&name) {
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
                errors.push(Diagnostic::file(path, message).help(help));
            }
        }
    }
    out
}

fn parse_input(root: &Path, rel: &Path, kind: Kind, base_path: &str) -> Input {
    match kind {
        Kind::Site => Input::Site,
        Kind::Announcement => Input::Announcement(parse_doc(root, rel, base_path).map(Arc::new)),
        Kind::Speaker => Input::Speaker(parse_doc(root, rel, base_path).map(Arc::new)),
        Kind::Page => Input::Page(parse_doc(root, rel, base_path).map(Arc::new)),
        Kind::Topics => Input::Topics(
            read_yaml::<yaml::UniqueMap<RawTopic>>(root, rel).map(|(file, topics)| Arc::new((file, topics.0))),
        ),
        Kind::Timeline => Input::Timeline(read_yaml(root, rel).map(Arc::new)),
    }
}

fn read_yaml<T: serde::de::DeserializeOwned>(root: &Path, rel: &Path) -> Result<(SourceFile, T), Diagnostic> {
    let file = source::read(root, rel)?;
    let value = yaml::parse(&file.path, &file.text, 0..file.text.len())?;
    Ok((file, value))
}

fn parse_doc<T: serde::de::DeserializeOwned>(root: &Path, rel: &Path, base_path: &str) -> Result<Doc<T>, Diagnostic> {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    if let Err(help) = check_slug(&stem) {
        return Err(Diagnostic::file(rel, format!("the file name `{stem}.md` cannot be used as a slug")).help(help));
    }
    let file = source::read(root, rel)?;
    let parts = source::split_front_matter(&file)?;
    let meta: T = yaml::parse(&file.path, &file.text, parts.front_matter.clone())?;
    let markdown = markdown::render(&file.text[parts.body.clone()], base_path);
    let body = Arc::new(Body {
        file: file.path.clone(),
        source: Arc::clone(&file.text),
        offset: Some(parts.body.start),
        markdown,
    });
    Ok(Doc { slug: stem, file, front_matter: parts.front_matter, meta, body })
}

/// Reads `text` as the announcement file `content/announcements/x.md`, without a site around it:
/// splits the front matter, parses it, checks the date and renders the Markdown. For fuzzing and
/// tools; [`load`] is what builds use.
pub fn parse_announcement_text(text: &str) -> Result<(), Diagnostics> {
    let file = SourceFile {
        path: PathBuf::from("content/announcements/x.md"),
        text: Arc::from(text.strip_prefix('\u{feff}').unwrap_or(text)),
    };
    let fail = |d: Diagnostic| Diagnostics(vec![d]);
    let parts = source::split_front_matter(&file).map_err(fail)?;
    let meta: RawAnnouncement = yaml::parse(&file.path, &file.text, parts.front_matter.clone()).map_err(fail)?;
    let markdown = markdown::render(&file.text[parts.body.clone()], "/");
    let unsafe_html = markdown.unsafe_html.clone();
    let body = Arc::new(Body {
        file: file.path.clone(),
        source: Arc::clone(&file.text),
        offset: Some(parts.body.start),
        markdown,
    });
    let doc = Doc { slug: "x".into(), file: file.clone(), front_matter: parts.front_matter, meta, body };
    let mut errors = Diagnostics::default();
    if let Err(why) = date::parse_day(&doc.meta.date) {
        errors.push(doc.error_at("date", Some(doc.meta.date.trim()), format!("invalid date: {why}")));
    }
    for (range, what) in &unsafe_html {
        let span = parts.body.start + range.start..parts.body.start + range.end;
        errors.push(Diagnostic::at(&file.path, &file.text, span, format!("{what} is not allowed in Markdown")));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.finish())
    }
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
    let ascii: String = markdown::slugify(slug).chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let ascii = ascii.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let example = if ascii.is_empty() { "su-bo".to_string() } else { ascii };
    Err(format!(
        "slugs become URLs, so they may use only lowercase a-z, digits and single hyphens, for example `{example}`; names in any script go in the fields inside the file"
    ))
}

fn load_config(root: &Path, rel: &Path, settings: &Settings) -> Result<SiteConfig, Diagnostic> {
    let file = source::read(root, rel)?;
    let raw: RawSite = yaml::parse(&file.path, &file.text, 0..file.text.len())?;
    let whole = 0..file.text.len();
    let err_at = |path: &[Seg], value: &str, message: String| {
        Diagnostic::at(&file.path, &file.text, yaml::locate(&file.text, whole.clone(), path, Some(value)), message)
    };
    let (base_url, base_path) = match &settings.base_url {
        Some(url) => parse_base_url(url).map_err(|why| {
            Diagnostic::file("--base-url", format!("invalid --base-url `{url}`: {why}"))
                .help("give an absolute URL such as https://example.org/briefing/")
        })?,
        None => parse_base_url(&raw.base_url).map_err(|why| {
            err_at(&[Seg::Key("base_url")], raw.base_url.trim(), format!("invalid base_url: {why}"))
                .label("not an absolute http(s) URL")
                .help("write where the site will be published, such as https://example.org/briefing/")
        })?,
    };
    let day = |key: &str, value: &str| {
        date::parse_day(value).map_err(|why| {
            err_at(&[Seg::Key("event"), Seg::Key(key)], value.trim(), format!("invalid event {key} date: {why}"))
                .label("not a real day")
                .help("write the day as YYYY-MM-DD, for example 2012-09-21")
        })
    };
    let start = day("start", &raw.event.start)?;
    let end = day("end", &raw.event.end)?;
    if end < start {
        return Err(err_at(
            &[Seg::Key("event"), Seg::Key("end")],
            raw.event.end.trim(),
            "the event ends before it starts".into(),
        )
        .label("before `start`")
        .help("swap `start` and `end`, or correct one of them"));
    }
    Ok(SiteConfig {
        title: raw.title,
        description: raw.description,
        base_url,
        base_path,
        language: raw.language,
        event: Event { name: raw.event.name, city: raw.event.city, venue: raw.event.venue, start, end },
    })
}

/// Checks an absolute http(s) URL and returns it ending with `/`, and its path.
pub fn parse_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| "it must start with https:// or http://".to_string())?;
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err("it has no host name".into());
    }
    if path.contains(['?', '#', ' ', '\\']) {
        return Err("its path may not contain `?`, `#`, `\\` or spaces".into());
    }
    let path = path.trim_end_matches('/');
    let base_path = if path.is_empty() { "/".to_string() } else { format!("/{path}/") };
    let scheme = if url.starts_with("https://") { "https" } else { "http" };
    Ok((format!("{scheme}://{host}{base_path}"), base_path))
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
                Diagnostic::file(&rel, "this is a symbolic link to a file outside static/")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(parse_base_url("https://example.org").unwrap(), ("https://example.org/".into(), "/".into()));
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080/briefing").unwrap(),
            ("http://127.0.0.1:8080/briefing/".into(), "/briefing/".into())
        );
        assert!(parse_base_url("example.org").is_err());
        assert!(parse_base_url("https:///x").is_err());
    }

    #[test]
    fn slugs_must_be_url_safe() {
        assert!(check_slug("su-bo").is_ok());
        assert!(check_slug("Su Bo").unwrap_err().contains("`su-bo`"));
        assert!(check_slug("苏波").is_err());
        assert!(check_slug("a--b").is_err());
    }

    #[test]
    fn classifies_content_files() {
        assert_eq!(classify(Path::new("announcements/a.md")), Some(Kind::Announcement));
        assert_eq!(classify(Path::new("site.yaml")), Some(Kind::Site));
        assert_eq!(classify(Path::new("speaker/a.md")), None);
        assert_eq!(classify(Path::new("announcements/a.txt")), None);
    }
}
