//! The render phase: one Tera render per page, in parallel, from view structs made for templates.
//!
//! The views that many pages share (announcement summaries, speaker and topic references, the
//! timeline) are converted to Tera values once; a page's context then holds cheap clones of them.
//! List pages get summaries only, never the announcements' bodies. The context each template
//! receives is documented in `docs/templates.md`.

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::date::{display_day, display_range, Precision};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::templates::{site_url, Templates};

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path in the output, with `/` separators (`announcements/x/index.html`).
    pub path: String,
    /// What to write.
    pub contents: Contents,
}

impl OutputFile {
    /// A file of text made by the build.
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> OutputFile {
        OutputFile { path: path.into(), contents: Contents::Rendered(text.into()) }
    }
}

/// The bytes of an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Rendered text.
    Rendered(String),
    /// A file copied from `static/`.
    Copy(std::path::PathBuf),
    /// Bytes made by the build (compressed files).
    Bytes(Vec<u8>),
}

impl Contents {
    /// The bytes, reading a copied file from disk.
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match self {
            Contents::Rendered(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
            Contents::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes),
            Contents::Copy(path) => std::borrow::Cow::Owned(std::fs::read(path)?),
        })
    }
}

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

    /// The page's site path, without the base path (`/speakers/su-bo/`).
    pub fn path(self, site: &Site) -> String {
        match self {
            PageKind::Index => "/".into(),
            PageKind::Announcements => "/announcements/".into(),
            PageKind::Announcement(i) => format!("/announcements/{}/", site.announcements[i].slug),
            PageKind::Timeline => "/timeline/".into(),
            PageKind::Speakers => "/speakers/".into(),
            PageKind::Speaker(i) => format!("/speakers/{}/", site.speakers[i].slug),
            PageKind::Topics => "/topics/".into(),
            PageKind::Topic(i) => format!("/topics/{}/", site.topics[i].slug),
            PageKind::Page(i) => format!("/{}/", site.pages[i].slug),
            PageKind::NotFound => "/404.html".into(),
            PageKind::Search => "/search/".into(),
        }
    }

    /// Where the page is written in the output.
    pub fn output_path(self, site: &Site) -> String {
        let path = self.path(site);
        if path.ends_with('/') {
            format!("{}index.html", &path[1..])
        } else {
            path[1..].to_string()
        }
    }
}

/// Every page of `site`, in a stable order.
pub fn pages(site: &Site, templates: &Templates) -> Vec<PageKind> {
    let mut out =
        vec![PageKind::Index, PageKind::Announcements, PageKind::Timeline, PageKind::Speakers, PageKind::Topics];
    out.extend((0..site.announcements.len()).map(PageKind::Announcement));
    out.extend((0..site.speakers.len()).map(PageKind::Speaker));
    out.extend((0..site.topics.len()).map(PageKind::Topic));
    out.extend((0..site.pages.len()).map(PageKind::Page));
    // Optional page kinds, rendered when the site has their template.
    for kind in [PageKind::NotFound, PageKind::Search] {
        if templates.tera.get_template_names().any(|n| n == kind.template()) {
            out.push(kind);
        }
    }
    out
}

#[derive(Serialize)]
struct SiteView<'a> {
    /// The sources credited by the announcements, each once, in the order they first appear.
    sources: Vec<&'a Source>,
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    event: EventView<'a>,
}

#[derive(Serialize)]
struct EventView<'a> {
    name: &'a str,
    city: &'a str,
    venue: Option<&'a str>,
    start: String,
    end: String,
    dates: String,
}

#[derive(Serialize)]
struct SpeakerRef<'a> {
    slug: &'a str,
    url: String,
    name: &'a str,
    role: Option<&'a str>,
    organization: Option<&'a str>,
    country: Option<&'a str>,
    initials: String,
    announcement_count: usize,
}

#[derive(Serialize)]
struct TopicRef<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    description: Option<&'a str>,
    announcement_count: usize,
}

#[derive(Serialize)]
struct AnnouncementRef<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
}

#[derive(Serialize)]
struct FigureView<'a> {
    label: &'a str,
    value: f64,
    value_display: String,
    unit: &'a str,
    year: Option<i32>,
    announcement: AnnouncementRef<'a>,
}

#[derive(Serialize)]
struct PointView<'a> {
    value: f64,
    value_display: String,
    unit: &'a str,
    series: &'a str,
}

#[derive(Serialize)]
struct TimelineView<'a> {
    date: String,
    date_display: String,
    precision: Precision,
    year: i32,
    title: &'a str,
    content: Option<&'a str>,
    announcement: Option<AnnouncementRef<'a>>,
    speakers: Vec<Value>,
    figure: Option<PointView<'a>>,
}

#[derive(Serialize)]
struct YearView {
    year: i32,
    entries: Vec<Value>,
}

/// The views shared by many pages, as Tera values, built at most once per render. Announcement
/// summaries are built when a page first needs them, so that rendering a few pages of a large
/// site (as `serve` does after a change) does not pay for all of them.
struct Shared<'a> {
    model: &'a Site,
    site: Value,
    announcements: Vec<OnceLock<Value>>,
    all_announcements: OnceLock<Value>,
    speakers: Vec<Value>,
    topics: Vec<Value>,
    // The views below are made on first use: `serve` renders a few pages at a time, and most
    // pages need none of them.
    timeline: Vec<OnceLock<Value>>,
    figures: OnceLock<Value>,
    /// The free pages, for navigation.
    pages: Value,
    /// Charts of the timeline's figure series.
    charts: OnceLock<Value>,
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A number as readers expect it: `54.8`, `1200`, never `54.800000001`.
pub fn format_number(value: f64) -> String {
    let rounded = (value * 1e6).round() / 1e6;
    let text = format!("{rounded}");
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

fn figure_view<'a>(site: &'a Site, i: usize, f: &'a Figure, base: &str) -> FigureView<'a> {
    FigureView {
        label: &f.label,
        value: f.value,
        value_display: format_number(f.value),
        unit: &f.unit,
        year: f.year,
        announcement: announcement_ref(site, i, base),
    }
}

fn announcement_ref<'a>(site: &'a Site, i: usize, base: &str) -> AnnouncementRef<'a> {
    let a = &site.announcements[i];
    AnnouncementRef { slug: &a.slug, url: site_url(base, &PageKind::Announcement(i).path(site)), title: &a.title }
}

impl<'a> Shared<'a> {
    fn new(site: &'a Site) -> Shared<'a> {
        let base = site.config.base_path.as_str();
        let c = &site.config;
        let mut sources: Vec<&Source> = Vec::new();
        for a in &site.announcements {
            if let Some(s) = &a.source {
                if !sources.iter().any(|known| known.name == s.name) {
                    sources.push(s);
                }
            }
        }
        let site_view = SiteView {
            sources,
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            base_path: &c.base_path,
            language: &c.language,
            event: EventView {
                name: &c.event.name,
                city: &c.event.city,
                venue: c.event.venue.as_deref(),
                start: c.event.start.to_string(),
                end: c.event.end.to_string(),
                dates: display_range(c.event.start, c.event.end),
            },
        };
        let speakers: Vec<Value> = site
            .speakers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Value::from_serializable(&SpeakerRef {
                    slug: &s.slug,
                    url: site_url(base, &PageKind::Speaker(i).path(site)),
                    name: &s.name,
                    role: s.role.as_deref(),
                    organization: s.organization.as_deref(),
                    country: s.country.as_deref(),
                    initials: initials(&s.name),
                    announcement_count: site.speaker_announcements[i].len(),
                })
            })
            .collect();
        let topics: Vec<Value> = site
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Value::from_serializable(&TopicRef {
                    slug: &t.slug,
                    url: site_url(base, &PageKind::Topic(i).path(site)),
                    title: &t.title,
                    description: t.description.as_deref(),
                    announcement_count: site.topic_announcements[i].len(),
                })
            })
            .collect();
        Shared {
            model: site,
            site: Value::from_serializable(&site_view),
            announcements: (0..site.announcements.len()).map(|_| OnceLock::new()).collect(),
            all_announcements: OnceLock::new(),
            charts: OnceLock::new(),
            pages: Value::from(
                (0..site.pages.len())
                    .map(|i| {
                        let mut map = ContextMap::default();
                        map.insert("slug", Value::from(site.pages[i].slug.as_str()));
                        map.insert("title", Value::from(site.pages[i].title.as_str()));
                        map.insert("url", Value::from(site_url(base, &PageKind::Page(i).path(site))));
                        map.into_value()
                    })
                    .collect::<Vec<_>>(),
            ),
            speakers,
            topics,
            timeline: (0..site.timeline.len()).map(|_| OnceLock::new()).collect(),
            figures: OnceLock::new(),
        }
    }

    /// Timeline entry `i`.
    fn timeline_entry(&self, i: usize) -> Value {
        self.timeline[i]
            .get_or_init(|| {
                let (site, base) = (self.model, self.model.config.base_path.as_str());
                let e = &site.timeline[i];
                Value::from_serializable(&TimelineView {
                    date: e.date.iso(),
                    date_display: e.date.display(),
                    precision: e.date.precision(),
                    year: e.date.year,
                    title: &e.title,
                    content: e.body.as_ref().map(|b| b.markdown.html.as_str()),
                    announcement: e.announcement.map(|a| announcement_ref(site, a, base)),
                    speakers: e.speakers.iter().map(|&s| self.speakers[s].clone()).collect(),
                    figure: e.figure.as_ref().map(|f| PointView {
                        value: f.value,
                        value_display: format_number(f.value),
                        unit: &f.unit,
                        series: &f.series,
                    }),
                })
            })
            .clone()
    }

    /// The timeline entries `indexes`.
    fn timeline(&self, indexes: impl IntoIterator<Item = usize>) -> Value {
        Value::from(indexes.into_iter().map(|i| self.timeline_entry(i)).collect::<Vec<_>>())
    }

    /// Every figure of every announcement.
    fn figures(&self) -> Value {
        self.figures
            .get_or_init(|| {
                let (site, base) = (self.model, self.model.config.base_path.as_str());
                let figures: Vec<FigureView> = site
                    .announcements
                    .iter()
                    .enumerate()
                    .flat_map(|(i, a)| a.figures.iter().map(move |f| figure_view(site, i, f, base)))
                    .collect();
                Value::from_serializable(&figures)
            })
            .clone()
    }

    /// The charts of the timeline's figure series.
    fn charts(&self) -> Value {
        self.charts
            .get_or_init(|| {
                Value::from(
                    crate::chart::charts(self.model)
                        .into_iter()
                        .map(|c| {
                            let svg = Value::safe_string(&c.svg);
                            let mut v = Value::from_serializable(&c).into_map().unwrap_or_default();
                            v.insert("svg".into(), svg);
                            Value::from(v)
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .clone()
    }

    /// The summary of announcement `i`.
    fn announcement(&self, i: usize) -> Value {
        self.announcements[i]
            .get_or_init(|| {
                let (site, base) = (self.model, self.model.config.base_path.as_str());
                let a = &site.announcements[i];
                let mut map = summary_map(site, i, base);
                map.insert(
                    "speakers",
                    Value::from(a.speakers.iter().map(|&s| self.speakers[s].clone()).collect::<Vec<_>>()),
                );
                map.insert("topics", Value::from(a.topics.iter().map(|&t| self.topics[t].clone()).collect::<Vec<_>>()));
                map.into_value()
            })
            .clone()
    }

    /// Every announcement's summary, newest first.
    fn all_announcements(&self) -> Value {
        self.all_announcements
            .get_or_init(|| {
                Value::from((0..self.announcements.len()).map(|i| self.announcement(i)).collect::<Vec<_>>())
            })
            .clone()
    }

    /// The summaries of the announcements `indexes`.
    fn announcements(&self, indexes: &[usize]) -> Value {
        Value::from(indexes.iter().map(|&i| self.announcement(i)).collect::<Vec<_>>())
    }
}

/// The fields of an announcement that lists show; the speakers and topics are added by the caller.
fn summary_map(site: &Site, i: usize, base: &str) -> ContextMap {
    let a = &site.announcements[i];
    let mut map = ContextMap::default();
    map.insert("slug", Value::from(a.slug.as_str()));
    map.insert("url", Value::from(site_url(base, &PageKind::Announcement(i).path(site))));
    map.insert("title", Value::from(a.title.as_str()));
    map.insert("date", Value::from(a.date.to_string()));
    map.insert("date_display", Value::from(display_day(a.date)));
    map.insert("summary", Value::from(a.summary.as_str()));
    map.insert("draft", Value::from(a.draft));
    map
}

/// An ordered map of template fields, turned into one Tera value.
#[derive(Default)]
struct ContextMap(Vec<(&'static str, Value)>);

impl ContextMap {
    fn insert(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }

    fn into_value(self) -> Value {
        let map: tera::Map = self.0.into_iter().map(|(k, v)| (k.into(), v)).collect();
        Value::from(map)
    }
}

/// Renders every page of `site`; static files are listed for copying.
pub fn render(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostics> {
    let kinds = pages(site, templates);
    let mut files = render_pages(site, templates, &kinds)?;
    files.extend(data_files(site, &kinds));
    let generated: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut errors = Diagnostics::default();
    for s in &site.statics {
        if generated.contains(s.path.as_str()) {
            errors.push(
                Diagnostic::file(
                    format!("static/{}", s.path),
                    format!("static/{} would overwrite the page brief writes at /{}", s.path, s.path),
                )
                .help("rename or move the file: brief writes this path itself"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors.finish());
    }
    files.extend(static_files(site));
    Ok(files)
}

/// The files made from the whole content rather than from a template: the sitemap and
/// robots.txt, the Atom feed, the timeline as iCalendar, and the search index when the site has a
/// search page. Each reads every announcement, so `serve` makes them again after any content change.
pub fn data_files(site: &Site, kinds: &[PageKind]) -> Vec<OutputFile> {
    let text = OutputFile::text;
    let pages: Vec<String> = kinds.iter().filter(|k| **k != PageKind::NotFound).map(|k| k.path(site)).collect();
    let mut files = vec![
        text("sitemap.xml", crate::publish::sitemap::sitemap(site, &pages)),
        text("robots.txt", crate::publish::sitemap::robots(site)),
        text("feed.xml", crate::publish::feed::atom(site)),
        text("timeline.ics", crate::publish::ics::timeline(site)),
    ];
    if kinds.contains(&PageKind::Search) {
        files.push(text("search.json", crate::publish::search::index(site)));
    }
    // A file of the author's own under static/ (a hand-written robots.txt) wins.
    files.retain(|f| !site.statics.iter().any(|s| s.path == f.path));
    files
}

/// The names of the files [`data_files`] can make.
pub const DATA_FILES: [&str; 5] = ["sitemap.xml", "robots.txt", "feed.xml", "timeline.ics", "search.json"];

/// The files of `static/`, to copy.
pub fn static_files(site: &Site) -> impl Iterator<Item = OutputFile> + '_ {
    site.statics.iter().map(|s| OutputFile { path: s.path.clone(), contents: Contents::Copy(s.source.clone()) })
}

/// Renders the pages `kinds` of `site`, in parallel, reporting every error.
pub fn render_pages(site: &Site, templates: &Templates, kinds: &[PageKind]) -> Result<Vec<OutputFile>, Diagnostics> {
    let shared = Shared::new(site);
    let results: Vec<Result<OutputFile, Vec<Diagnostic>>> = kinds
        .par_iter()
        .map(|&kind| {
            let context = context_for(site, &shared, kind);
            let path = kind.path(site);
            templates
                .tera
                .render(kind.template(), &context)
                .map(|html| OutputFile::text(kind.output_path(site), html))
                .map_err(|err| templates.diagnose(&err, Some(&path)))
        })
        .collect();
    let mut errors = Diagnostics::default();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(ds) => ds.into_iter().for_each(|d| errors.push(d)),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors.finish())
    }
}

fn context_for(site: &Site, shared: &Shared, kind: PageKind) -> Context {
    let base = site.config.base_path.as_str();
    let mut ctx = Context::new();
    let path = kind.path(site);
    ctx.insert_value("site", shared.site.clone());
    ctx.insert("current_path", &path);
    ctx.insert("current_url", &site_url(base, &path));
    let canonical = format!("{}{}", site.config.base_url, &path[1..]);
    ctx.insert("canonical_url", &canonical);
    ctx.insert("meta", &meta(site, kind));
    ctx.insert_value("pages", shared.pages.clone());
    if let Some(data) = structured_data(site, kind, &canonical) {
        ctx.insert_value("jsonld", Value::safe_string(&data));
    }
    let all = |list: &[Value]| Value::from(list.to_vec());
    match kind {
        PageKind::Index => {
            ctx.insert_value("charts", shared.charts());
            ctx.insert_value("announcements", shared.all_announcements());
            ctx.insert_value("figures", shared.figures());
            ctx.insert_value("timeline", shared.timeline(0..site.timeline.len()));
            ctx.insert_value("speakers", all(&shared.speakers));
            ctx.insert_value("topics", all(&shared.topics));
        }
        PageKind::Announcements => ctx.insert_value("announcements", shared.all_announcements()),
        PageKind::Announcement(i) => {
            let a = &site.announcements[i];
            let Some(mut map) = shared.announcement(i).as_map().cloned() else { return ctx };
            map.insert("content".into(), Value::safe_string(&a.body.markdown.html));
            map.insert("source".into(), Value::from_serializable(&a.source));
            let figures: Vec<FigureView> = a.figures.iter().map(|f| figure_view(site, i, f, base)).collect();
            map.insert("figures".into(), Value::from_serializable(&figures));
            map.insert("timeline".into(), shared.timeline(site.announcement_timeline[i].iter().copied()));
            ctx.insert_value("announcement", Value::from(map));
        }
        PageKind::Timeline => {
            ctx.insert_value("charts", shared.charts());
            ctx.insert_value("timeline", shared.timeline(0..site.timeline.len()));
            let mut years: Vec<YearView> = Vec::new();
            for (i, e) in site.timeline.iter().enumerate() {
                let v = shared.timeline_entry(i);
                match years.last_mut() {
                    Some(y) if y.year == e.date.year => y.entries.push(v),
                    _ => years.push(YearView { year: e.date.year, entries: vec![v] }),
                }
            }
            ctx.insert("years", &years);
        }
        PageKind::Speakers => ctx.insert_value("speakers", all(&shared.speakers)),
        PageKind::Speaker(i) => {
            let s = &site.speakers[i];
            let Some(mut map) = shared.speakers[i].as_map().cloned() else { return ctx };
            map.insert("content".into(), Value::safe_string(&s.body.markdown.html));
            ctx.insert_value("speaker", Value::from(map));
            ctx.insert_value("announcements", shared.announcements(&site.speaker_announcements[i]));
            ctx.insert_value("timeline", shared.timeline(site.speaker_timeline[i].iter().copied()));
        }
        PageKind::Topics => ctx.insert_value("topics", all(&shared.topics)),
        PageKind::Topic(i) => {
            ctx.insert_value("topic", shared.topics[i].clone());
            ctx.insert_value("announcements", shared.announcements(&site.topic_announcements[i]));
        }
        PageKind::Page(i) => {
            let p = &site.pages[i];
            let mut map = ContextMap::default();
            map.insert("slug", Value::from(p.slug.as_str()));
            map.insert("url", Value::from(site_url(base, &path)));
            map.insert("title", Value::from(p.title.as_str()));
            map.insert("description", Value::from(p.description.as_deref()));
            map.insert("content", Value::safe_string(&p.body.markdown.html));
            ctx.insert_value("page", map.into_value());
        }
        PageKind::NotFound | PageKind::Search => {}
    }
    ctx
}

/// What every page says about itself in `<title>`, the description and sharing tags.
#[derive(Serialize)]
struct Meta {
    title: String,
    description: String,
    /// The Open Graph type: `website`, `article` or `profile`.
    kind: &'static str,
}

fn meta(site: &Site, kind: PageKind) -> Meta {
    let c = &site.config;
    let event = &c.event.name;
    let titled = |t: &str| format!("{t} · {}", c.title);
    let (title, description, kind) = match kind {
        PageKind::Index => (c.title.clone(), c.description.clone(), "website"),
        PageKind::Announcements => {
            (titled("Announcements"), format!("Every announcement made at the {event}."), "website")
        }
        PageKind::Announcement(i) => {
            let a = &site.announcements[i];
            (titled(&a.title), a.summary.clone(), "article")
        }
        PageKind::Timeline => {
            (titled("Timeline"), format!("How the announcements of the {event} fit in time."), "website")
        }
        PageKind::Speakers => {
            (titled("Speakers"), format!("Who spoke at the {event}, and what they announced."), "website")
        }
        PageKind::Speaker(i) => {
            let s = &site.speakers[i];
            let who =
                [s.role.as_deref(), s.organization.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
            let description = if who.is_empty() {
                format!("{} at the {event}: announcements and timeline.", s.name)
            } else {
                format!("{}, {who}, at the {event}: announcements and timeline.", s.name)
            };
            (titled(&s.name), description, "profile")
        }
        PageKind::Topics => (titled("Topics"), format!("The topics of the announcements at the {event}."), "website"),
        PageKind::Topic(i) => {
            let t = &site.topics[i];
            let description =
                t.description.clone().unwrap_or_else(|| format!("Announcements about {} at the {event}.", t.title));
            (titled(&t.title), description, "website")
        }
        PageKind::Page(i) => {
            let p = &site.pages[i];
            (titled(&p.title), p.description.clone().unwrap_or_else(|| c.description.clone()), "article")
        }
        PageKind::NotFound => (titled("Page not found"), c.description.clone(), "website"),
        PageKind::Search => {
            (titled("Search"), format!("Search the announcements, speakers and timeline of the {event}."), "website")
        }
    };
    Meta { title, description, kind }
}

// The schema.org vocabulary, as JSON-LD. Fields are declared in the byte order of their names, so
// the output has sorted keys, as a JSON object map would write them.

/// A named thing of a schema.org type: an organization, a country.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct PlaceLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: AddressLd<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct AddressLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressLocality")]
    locality: &'a str,
}

#[derive(Serialize)]
struct EventLd<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "endDate")]
    end_date: String,
    #[serde(rename = "eventAttendanceMode")]
    attendance_mode: &'static str,
    #[serde(rename = "eventStatus")]
    status: &'static str,
    location: PlaceLd<'a>,
    name: &'a str,
    #[serde(rename = "startDate")]
    start_date: String,
    url: &'a str,
}

#[derive(Serialize)]
struct PersonLd<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality: Option<Named<'a>>,
    url: String,
    #[serde(rename = "worksFor", skip_serializing_if = "Option::is_none")]
    works_for: Option<Named<'a>>,
}

#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: EventLd<'a>,
    author: Named<'a>,
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<PersonLd<'a>>,
    url: &'a str,
}

const SCHEMA_ORG: &str = "https://schema.org";

fn event_ld<'a>(c: &'a SiteConfig, context: Option<&'static str>, description: Option<&'a str>) -> EventLd<'a> {
    EventLd {
        context,
        kind: "Event",
        description,
        end_date: c.event.end.to_string(),
        attendance_mode: "https://schema.org/OfflineEventAttendanceMode",
        status: "https://schema.org/EventScheduled",
        location: PlaceLd {
            kind: "Place",
            address: AddressLd { kind: "PostalAddress", locality: &c.event.city },
            name: c.event.venue.as_deref(),
        },
        name: &c.event.name,
        start_date: c.event.start.to_string(),
        url: &c.base_url,
    }
}

/// schema.org data for the page, as JSON safe to put inside a `<script>` element: the event on
/// the home page, a NewsArticle per announcement, a Person per speaker.
fn structured_data(site: &Site, kind: PageKind, canonical: &str) -> Option<String> {
    let c = &site.config;
    let event = |context, description| event_ld(c, context, description);
    let person = |context: Option<&'static str>, i: usize| {
        let s = &site.speakers[i];
        PersonLd {
            context,
            kind: "Person",
            job_title: s.role.as_deref(),
            name: &s.name,
            nationality: s.country.as_deref().map(|name| Named { kind: "Country", name }),
            url: format!("{}{}", c.base_url, &PageKind::Speaker(i).path(site)[1..]),
            works_for: s.organization.as_deref().map(|name| Named { kind: "Organization", name }),
        }
    };
    let json = match kind {
        PageKind::Index => serde_json::to_string(&event(Some(SCHEMA_ORG), Some(&c.description))),
        PageKind::Announcement(i) => {
            let a = &site.announcements[i];
            serde_json::to_string(&ArticleLd {
                context: SCHEMA_ORG,
                kind: "NewsArticle",
                about: event(None, None),
                author: Named { kind: "Organization", name: a.source.as_ref().map_or(&c.title, |s| &s.name) },
                date_published: a.date.to_string(),
                description: &a.summary,
                headline: &a.title,
                in_language: &c.language,
                main_entity_of_page: canonical,
                mentions: a.speakers.iter().map(|&s| person(None, s)).collect(),
                url: canonical,
            })
        }
        PageKind::Speaker(i) => serde_json::to_string(&person(Some(SCHEMA_ORG), i)),
        _ => return None,
    };
    // Serializing borrowed strings cannot fail.
    let json = json.ok()?;
    // `</` would end the script element early; `\u003c` means the same to a JSON reader.
    Some(if json.contains('<') { json.replace('<', "\\u003c") } else { json })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_data_is_json_with_sorted_keys_and_no_closing_tags() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s");
        crate::starter::create(&root).unwrap();
        let settings = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&settings).unwrap();
        std::fs::write(
            &settings,
            text.replace("  city: Example City", "  city: Example City\n  venue: Hall </script> A"),
        )
        .unwrap();
        let site = crate::load::load(&root, &crate::load::Settings::default()).unwrap();
        for kind in [PageKind::Index, PageKind::Announcement(0), PageKind::Speaker(0)] {
            let json = structured_data(&site, kind, "https://example.org/x/").unwrap();
            assert!(!json.contains('<'), "{json}");
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            // serde_json's own maps sort their keys: the same text means the same order.
            assert_eq!(value.to_string().replace('<', "\\u003c"), json);
            let event = if kind == PageKind::Index { &value } else { &value["about"] };
            if kind != PageKind::Speaker(0) {
                assert_eq!(event["location"]["name"], "Hall </script> A");
                assert_eq!(event["location"]["address"]["addressLocality"], "Example City");
            }
        }
        let article: serde_json::Value =
            serde_json::from_str(&structured_data(&site, PageKind::Announcement(0), "u").unwrap()).unwrap();
        let person = &article["mentions"][0];
        assert_eq!(person["@type"], "Person");
        assert_eq!(person["worksFor"]["name"], "Example Expo Secretariat");
        assert_eq!(person["nationality"]["name"], "Exampleland");
        assert_eq!(person["jobTitle"], "Director");
        assert!(person.get("@context").is_none());
    }

    #[test]
    fn list_pages_get_summaries_never_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s");
        crate::starter::create(&root).unwrap();
        let site = crate::load::load(&root, &crate::load::Settings::default()).unwrap();
        let shared = Shared::new(&site);
        let body = "Replace this text with what was announced.";
        assert!(site.announcements[0].body.markdown.html.contains(body));
        let shown = |kind: PageKind, key: &str| {
            let ctx = context_for(&site, &shared, kind);
            ctx.get(key).unwrap_or_else(|| panic!("{kind:?} has no {key}")).to_string()
        };
        // The announcement's own page has its body; the list pages that show it do not.
        assert!(shown(PageKind::Announcement(0), "announcement").contains(body));
        for (kind, key) in [
            (PageKind::Index, "announcements"),
            (PageKind::Announcements, "announcements"),
            (PageKind::Speaker(0), "announcements"),
            (PageKind::Topic(0), "announcements"),
        ] {
            let list = shown(kind, key);
            assert!(list.contains("The Example Expo opens"), "{kind:?}: {list}");
            assert!(!list.contains(body), "{kind:?} copies the body: {list}");
        }
    }

    #[test]
    fn numbers_and_initials_read_well() {
        assert_eq!(format_number(54.8), "54.8");
        assert_eq!(format_number(362.8), "362.8");
        assert_eq!(format_number(1200.0), "1200");
        assert_eq!(initials("Pan Gongsheng"), "PG");
        assert_eq!(initials("Wen"), "W");
    }
}
