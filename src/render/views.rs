//! The views templates receive, built from the site through a [`Reader`] so that every page
//! records what it shows.
//!
//! Views that many pages share (announcement summaries, speaker and topic summaries, timeline
//! entries, the site's own fields) are built once per render and kept with the keys their
//! building read; a page that uses one replays those keys into its own reader. List pages get
//! summaries only, never the announcements' bodies.

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tera::Value;

use crate::date::{Precision, When};
use crate::deps::{Key, Reader};
use crate::format;
use crate::model::*;
use crate::routes::PageKind;

/// A view built once, with what building it read.
pub(super) struct Cached {
    value: Value,
    reads: Arc<[Key]>,
}

/// Builds the view in `cell` on first use, with a reader of its own, which records what it
/// reads when `track` holds.
fn cached<'c>(
    site: &Site,
    track: bool,
    cell: &'c OnceLock<Cached>,
    build: impl FnOnce(&Reader) -> Value,
) -> &'c Cached {
    cell.get_or_init(|| {
        let r = if track { Reader::new(site) } else { Reader::untracked(site) };
        let value = build(&r);
        Cached { value, reads: r.finish() }
    })
}

#[derive(Serialize)]
struct SiteView<'a> {
    /// Every source of `sources.yaml`, by id.
    sources: Vec<CitationView<'a>>,
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    /// The code of the pages' language (`zh`).
    lang: &'a str,
    /// `rtl` for a language written right to left.
    dir: Option<&'static str>,
    /// The language as Open Graph writes it (`zh_CN`).
    og_locale: &'a str,
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
    when: WhenView,
}

/// A date or a span, for `partials/when.html`: `iso` as written (`2012-09-21/2012-09-25`),
/// `start` and `end` its first and last dates (the same for one date), `display` as the page's
/// language writes it, `span` whether it is a span (HTML's `datetime` takes no span, so the
/// partial marks a span's ends otherwise).
#[derive(Serialize)]
pub(super) struct WhenView {
    iso: String,
    start: String,
    end: String,
    display: String,
    span: bool,
    precision: Precision,
}

/// When a page was published or updated: `iso` for `datetime` (`2026-11-30`, or a moment with
/// its offset), `display` in the page's language.
#[derive(Serialize)]
pub(super) struct StampView {
    iso: String,
    display: String,
}

impl StampView {
    pub(super) fn new(language: &str, stamp: &crate::date::Stamp) -> StampView {
        let formats = format::formats(language);
        let display = match stamp {
            crate::date::Stamp::Day(d) => formats.day(*d),
            crate::date::Stamp::Moment(m) => formats.moment(m),
        };
        StampView { iso: stamp.iso(), display }
    }
}

impl WhenView {
    pub(super) fn new(language: &str, when: &When) -> WhenView {
        WhenView {
            iso: when.iso(),
            start: when.start().iso(),
            end: when.end().iso(),
            display: format::formats(language).when(when),
            span: when.is_span(),
            precision: when.precision(),
        }
    }
}

/// An image for `partials/picture.html`: the fallback's `src` and `srcset`, and a `<source>`
/// per modern format; its size as shown, so nothing moves while it loads.
#[derive(Serialize)]
pub(super) struct ImageView<'a> {
    alt: &'a str,
    credit: Option<&'a str>,
    width: u32,
    height: u32,
    /// The fallback variant nearest 640 pixels wide, for browsers that ignore `srcset`.
    src: String,
    srcset: String,
    /// The fallback's media type.
    #[serde(rename = "type")]
    mime: &'static str,
    sources: Vec<SourceView>,
}

#[derive(Serialize)]
struct SourceView {
    #[serde(rename = "type")]
    mime: &'static str,
    srcset: String,
}

impl<'a> ImageView<'a> {
    pub(super) fn new(base_path: &str, image: &'a Image) -> ImageView<'a> {
        use crate::images::Format;
        let url = |v: &crate::images::Variant| crate::routes::url(base_path, &format!("/{}", v.path));
        let srcset = |format: Format| {
            image.of_format(format).map(|v| format!("{} {}w", url(v), v.width)).collect::<Vec<_>>().join(", ")
        };
        let fallback = image.fallback_format();
        let src = image.of_format(fallback).min_by_key(|v| v.width.abs_diff(640)).map(url).unwrap_or_default();
        // The widest variant's size: the image's own proportions, at most as large as published.
        let (width, height) = image.largest().map_or((image.width, image.height), |v| (v.width, v.height));
        ImageView {
            alt: &image.alt,
            credit: image.credit.as_deref(),
            width,
            height,
            src,
            srcset: srcset(fallback),
            mime: fallback.mime(),
            sources: vec![SourceView { mime: Format::WebP.mime(), srcset: srcset(Format::WebP) }],
        }
    }
}

#[derive(Serialize)]
struct SpeakerRef<'a> {
    slug: &'a str,
    url: String,
    name: &'a str,
    role: Option<&'a str>,
    organization: Option<&'a str>,
    country: Option<&'a str>,
    /// When the role and organization were so, as the page's language writes it.
    as_of: Option<String>,
    initials: String,
    /// Their photo, when they have one (the initials stand in otherwise).
    photo: Option<ImageView<'a>>,
    announcement_count: usize,
    /// How many announcements mention them without their speaking.
    mention_count: usize,
    /// Whether they spoke in an announcement (else they are only mentioned).
    spoke: bool,
    /// The language of the text, when it is not the page's (no translation yet).
    lang: Option<&'a str>,
}

#[derive(Serialize)]
struct TopicRef<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    description: Option<&'a str>,
    announcement_count: usize,
    lang: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct AnnouncementRef<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
}

#[derive(Serialize)]
pub(super) struct FigureView<'a> {
    label: &'a str,
    value: f64,
    value_display: String,
    unit: &'a str,
    year: Option<String>,
    announcement: AnnouncementRef<'a>,
    sources: Vec<CitationView<'a>>,
}

/// A source as a citation shows it: what `sources.yaml` says of it, and where in it.
#[derive(Serialize)]
pub(super) struct CitationView<'a> {
    id: &'a str,
    publisher: &'a str,
    title: Option<&'a str>,
    url: Option<&'a str>,
    /// When it was published.
    published: Option<WhenView>,
    language: Option<&'a str>,
    locator: Option<&'a str>,
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
    anchor: &'a str,
    date: String,
    date_display: String,
    precision: Precision,
    when: WhenView,
    year: i32,
    title: &'a str,
    content: Option<&'a str>,
    announcement: Option<AnnouncementRef<'a>>,
    speakers: Vec<Value>,
    figure: Option<PointView<'a>>,
    lang: Option<&'a str>,
    embargo: Option<String>,
    sources: Vec<CitationView<'a>>,
}

#[derive(Serialize)]
pub(super) struct YearView {
    pub year: i32,
    pub entries: Vec<Value>,
}

/// An ordered map of template fields, turned into one Tera value.
#[derive(Default)]
pub(super) struct ContextMap(Vec<(&'static str, Value)>);

impl ContextMap {
    pub fn insert(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }

    pub fn into_value(self) -> Value {
        let map: tera::Map = self.0.into_iter().map(|(k, v)| (k.into(), v)).collect();
        Value::from(map)
    }
}

/// The views shared by the pages of one render, each built on first use: `serve` renders a
/// few pages at a time, and most pages need few of them.
pub(super) struct Shared<'a> {
    site: &'a Site,
    /// Whether readers record what they read (for `serve`).
    track: bool,
    site_view: OnceLock<Cached>,
    pages: OnceLock<Cached>,
    announcements: Vec<OnceLock<Cached>>,
    all_announcements: OnceLock<Cached>,
    speakers: Vec<OnceLock<Cached>>,
    all_speakers: OnceLock<Cached>,
    topics: Vec<OnceLock<Cached>>,
    all_topics: OnceLock<Cached>,
    timeline: Vec<OnceLock<Cached>>,
    figures: OnceLock<Cached>,
    charts: OnceLock<Cached>,
}

fn cells(n: usize) -> Vec<OnceLock<Cached>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl<'a> Shared<'a> {
    pub fn new(site: &'a Site, track: bool) -> Shared<'a> {
        Shared {
            site,
            track,
            site_view: OnceLock::new(),
            pages: OnceLock::new(),
            announcements: cells(site.announcements.len()),
            all_announcements: OnceLock::new(),
            speakers: cells(site.speakers.len()),
            all_speakers: OnceLock::new(),
            topics: cells(site.topics.len()),
            all_topics: OnceLock::new(),
            timeline: cells(site.timeline.len()),
            figures: OnceLock::new(),
            charts: OnceLock::new(),
        }
    }

    /// A reader of the site, for one page.
    pub fn reader(&self) -> Reader<'a> {
        if self.track {
            Reader::new(self.site)
        } else {
            Reader::untracked(self.site)
        }
    }

    /// `cell`'s view, its reads replayed into `r`.
    fn use_view(&self, r: &Reader, cell: &OnceLock<Cached>, build: impl FnOnce(&Reader) -> Value) -> Value {
        let c = cached(self.site, self.track, cell, build);
        r.replay(&c.reads);
        c.value.clone()
    }

    /// The site's own fields (`site.title`, `site.event`, ...).
    pub fn site(&self, r: &Reader) -> Value {
        self.use_view(r, &self.site_view, |r| {
            let sources = r.sources().iter().map(|s| source_view(r, s, None)).collect();
            let c = r.config();
            Value::from_serializable(&SiteView {
                sources,
                title: &c.title,
                description: &c.description,
                base_url: &c.base_url,
                base_path: &c.base_path,
                language: &c.language,
                lang: &c.current().code,
                dir: c.current().rtl.then_some("rtl"),
                og_locale: &c.current().og_locale,
                event: EventView {
                    name: &c.event.name,
                    city: &c.event.city,
                    venue: c.event.venue.as_deref(),
                    start: c.event.start.to_string(),
                    end: c.event.end.to_string(),
                    dates: format::formats(&c.language).day_range(c.event.start, c.event.end),
                    when: WhenView::new(&c.language, &c.event.when()),
                },
            })
        })
    }

    /// The free pages, for navigation.
    pub fn pages(&self, r: &Reader) -> Value {
        self.use_view(r, &self.pages, |r| {
            let list: Vec<(usize, &str, &str)> = r.page_list().collect();
            Value::from(
                list.into_iter()
                    .map(|(i, slug, title)| {
                        let mut map = ContextMap::default();
                        map.insert("slug", Value::from(slug));
                        map.insert("title", Value::from(title));
                        map.insert("url", Value::from(r.url(PageKind::Page(i))));
                        map.into_value()
                    })
                    .collect::<Vec<_>>(),
            )
        })
    }

    /// The summary of speaker `i`.
    pub fn speaker(&self, r: &Reader, i: usize) -> Value {
        self.use_view(r, &self.speakers[i], |r| speaker_ref(r, i))
    }

    /// Every speaker's summary, by name.
    pub fn all_speakers(&self, r: &Reader) -> Value {
        self.use_view(r, &self.all_speakers, |r| {
            let list = (0..r.speakers()).map(|i| self.widened(r, &self.speakers[i], |r| speaker_ref(r, i)));
            Value::from(list.collect::<Vec<_>>())
        })
    }

    /// The summary of topic `i`.
    pub fn topic(&self, r: &Reader, i: usize) -> Value {
        self.use_view(r, &self.topics[i], |r| topic_ref(r, i))
    }

    /// Every topic's summary, by slug.
    pub fn all_topics(&self, r: &Reader) -> Value {
        self.use_view(r, &self.all_topics, |r| {
            Value::from(
                (0..r.topics()).map(|i| self.widened(r, &self.topics[i], |r| topic_ref(r, i))).collect::<Vec<_>>(),
            )
        })
    }

    /// The view in `cell`, with its reads widened to their families: an item of a list.
    fn widened(&self, r: &Reader, cell: &OnceLock<Cached>, build: impl FnOnce(&Reader) -> Value) -> Value {
        let c = cached(self.site, self.track, cell, build);
        r.replay_widened(&c.reads);
        c.value.clone()
    }

    /// The summary of announcement `i`: what lists show, never the body.
    pub fn announcement(&self, r: &Reader, i: usize) -> Value {
        self.use_view(r, &self.announcements[i], |r| self.summary(r, i).into_value())
    }

    /// The fields of announcement `i` that lists show.
    fn summary(&self, r: &Reader, i: usize) -> ContextMap {
        let a = r.announcement(i);
        let mut map = ContextMap::default();
        map.insert("slug", Value::from(a.slug.as_str()));
        map.insert("url", Value::from(r.url(PageKind::Announcement(i))));
        map.insert("title", Value::from(a.title.as_str()));
        let when = WhenView::new(&r.config().language, &a.date);
        map.insert("date", Value::from(a.date.iso()));
        map.insert("date_display", Value::from(when.display.as_str()));
        map.insert("year", Value::from(a.date.year()));
        map.insert("when", Value::from_serializable(&when));
        map.insert("time", Value::from(a.time.map(|t| t.format("%H:%M").to_string())));
        map.insert("lead", Value::from(a.lead));
        let (published, updated) = r.config().dates(a.published, a.updated);
        let stamp = |s: Option<crate::date::Stamp>| {
            s.map_or(Value::none(), |s| Value::from_serializable(&StampView::new(&r.config().language, &s)))
        };
        map.insert("published", stamp(published));
        // Shown only when it says more than `published`.
        map.insert("updated", stamp(updated.filter(|u| Some(*u) != published)));
        map.insert("summary", Value::from(a.summary.as_str()));
        let image = a.image.as_deref().map(|img| ImageView::new(&r.config().base_path, img));
        map.insert("image", image.map_or(Value::none(), |v| Value::from_serializable(&v)));
        map.insert("draft", Value::from(a.draft));
        map.insert("embargo", Value::from(embargo(r, a.embargo.as_ref())));
        map.insert("lang", Value::from(fallback(r, a.fallback)));
        map.insert("speakers", Value::from(a.speakers.iter().map(|&s| self.speaker(r, s)).collect::<Vec<_>>()));
        map.insert("mentions", Value::from(a.mentions.iter().map(|&s| self.speaker(r, s)).collect::<Vec<_>>()));
        map.insert("topics", Value::from(a.topics.iter().map(|&t| self.topic(r, t)).collect::<Vec<_>>()));
        map
    }

    /// Every announcement's summary, newest first.
    pub fn all_announcements(&self, r: &Reader) -> Value {
        self.use_view(r, &self.all_announcements, |r| {
            let list = (0..r.announcements())
                .map(|i| self.widened(r, &self.announcements[i], |r| self.summary(r, i).into_value()))
                .collect::<Vec<_>>();
            Value::from(list)
        })
    }

    /// The summaries of the announcements `indexes`.
    pub fn announcements(&self, r: &Reader, indexes: &[usize]) -> Value {
        Value::from(indexes.iter().map(|&i| self.announcement(r, i)).collect::<Vec<_>>())
    }

    /// Timeline entry `i`, which the caller found through an accessor whose key covers the
    /// entry's own fields (the whole timeline, or a speaker's or announcement's entries); what
    /// the entry shows of others (its speakers, its announcement's title) is recorded here.
    pub fn timeline_entry(&self, r: &Reader, i: usize, e: &TimelineEntry) -> Value {
        self.use_view(r, &self.timeline[i], |r| {
            Value::from_serializable(&TimelineView {
                anchor: &e.anchor,
                date: e.date.iso(),
                date_display: format::formats(&r.config().language).when(&e.date),
                precision: e.date.precision(),
                when: WhenView::new(&r.config().language, &e.date),
                year: e.date.year(),
                title: &e.title,
                content: e.body.as_ref().map(|b| b.markdown.html.as_str()),
                announcement: e.announcement.map(|a| announcement_ref(r, a)),
                speakers: e.speakers.iter().map(|&s| self.speaker(r, s)).collect(),
                figure: e.figure.as_ref().map(|f| PointView {
                    value: f.value,
                    value_display: format::formats(&r.config().language).number(f.value),
                    unit: &f.unit,
                    series: &f.series,
                }),
                lang: fallback(r, e.fallback),
                embargo: embargo(r, e.embargo.as_ref()),
                sources: citations(r, &e.sources),
            })
        })
    }

    /// The whole timeline, oldest first.
    pub fn timeline(&self, r: &Reader) -> Vec<(i32, Value)> {
        r.timeline().iter().enumerate().map(|(i, e)| (e.date.year(), self.timeline_entry(r, i, e))).collect()
    }

    /// Timeline entries found through a speaker's or an announcement's list.
    pub fn entries(&self, r: &Reader, entries: Vec<(usize, &TimelineEntry)>) -> Value {
        Value::from(entries.into_iter().map(|(i, e)| self.timeline_entry(r, i, e)).collect::<Vec<_>>())
    }

    /// Every figure of every announcement.
    pub fn figures(&self, r: &Reader) -> Value {
        self.use_view(r, &self.figures, |r| {
            let figures: Vec<FigureView> = (0..r.announcements())
                .flat_map(|i| {
                    let a = r.announcement(i);
                    a.figures.iter().map(move |f| figure_view(r, i, f))
                })
                .collect();
            Value::from_serializable(&figures)
        })
    }

    /// The charts of the timeline's figure series.
    pub fn charts(&self, r: &Reader) -> Value {
        self.use_view(r, &self.charts, |r| chart_values(r, all_charts(r), &[]))
    }

    /// The charts of the series `series` (an announcement's), less the citations in `said`,
    /// which the page shows beside them already.
    pub fn series_charts(&self, r: &Reader, series: &[&str], said: &[Citation]) -> Value {
        let charts = all_charts(r).into_iter().filter(|c| series.contains(&c.series.as_str())).collect();
        chart_values(r, charts, said)
    }
}

/// Every series' chart, from the timeline's points and the announcements'.
fn all_charts(r: &Reader) -> Vec<crate::chart::Chart> {
    let points = crate::chart::points(r.timeline(), (0..r.announcements()).map(|i| r.announcement(i)));
    crate::chart::charts(points, &format::formats(&r.config().language))
}

/// `charts` for templates, each with its SVG as safe HTML and its sources, less those in `said`.
fn chart_values(r: &Reader, charts: Vec<crate::chart::Chart>, said: &[Citation]) -> Value {
    let values = charts.into_iter().map(|c| {
        let mut v = Value::from_serializable(&c).into_map().unwrap_or_default();
        v.insert("svg".into(), Value::safe_string(&c.svg));
        let unsaid: Vec<Citation> = c.citations.iter().filter(|x| !said.contains(x)).cloned().collect();
        v.insert("sources".into(), Value::from_serializable(&citations(r, &unsaid)));
        Value::from(v)
    });
    Value::from(values.collect::<Vec<_>>())
}

/// The summary of speaker `i`.
fn speaker_ref(r: &Reader, i: usize) -> Value {
    let s = r.speaker(i);
    Value::from_serializable(&SpeakerRef {
        slug: &s.slug,
        url: r.url(PageKind::Speaker(i)),
        name: &s.name,
        role: s.role.as_deref(),
        organization: s.organization.as_deref(),
        country: s.country.as_deref(),
        as_of: s.as_of.map(|w| format::formats(&r.config().language).when(&w)),
        initials: format::initials(&s.name),
        photo: s.photo.as_deref().map(|img| ImageView::new(&r.config().base_path, img)),
        announcement_count: r.speaker_announcements(i).len(),
        mention_count: r.speaker_mentions(i).len(),
        spoke: !r.speaker_announcements(i).is_empty(),
        lang: fallback(r, s.fallback),
    })
}

/// The summary of topic `i`.
fn topic_ref(r: &Reader, i: usize) -> Value {
    let t = r.topic(i);
    Value::from_serializable(&TopicRef {
        slug: &t.slug,
        url: r.url(PageKind::Topic(i)),
        title: &t.title,
        description: t.description.as_deref(),
        announcement_count: r.topic_announcements(i).len(),
        lang: fallback(r, t.fallback),
    })
}

/// The tag of the language a text is in when it is not the page's: `fallback` is the language
/// of a member whose translation is not made yet.
pub(super) fn fallback<'a>(r: &Reader<'a>, fallback: Option<usize>) -> Option<&'a str> {
    let c = r.config();
    fallback.filter(|&l| l != c.lang).map(|l| c.languages[l].tag.as_str())
}

/// A figure of announcement `i`, with a reference to it.
pub(super) fn figure_view<'a>(r: &Reader<'a>, i: usize, f: &'a Figure) -> FigureView<'a> {
    FigureView {
        label: &f.label,
        value: f.value,
        value_display: format::formats(&r.config().language).number(f.value),
        unit: &f.unit,
        year: f.year.map(|y| format::formats(&r.config().language).when(&y)),
        announcement: announcement_ref(r, i),
        sources: citations(r, &f.sources),
    }
}

/// The source `s` as a citation with `locator` shows it.
fn source_view<'a>(r: &Reader<'a>, s: &'a Source, locator: Option<&'a str>) -> CitationView<'a> {
    CitationView {
        id: &s.id,
        publisher: &s.publisher,
        title: s.title.as_deref(),
        url: s.url.as_deref(),
        published: s.published.map(|d| WhenView::new(&r.config().language, &d)),
        language: s.language.as_deref(),
        locator,
    }
}

/// The citations `list`, with their sources.
pub(super) fn citations<'a>(r: &Reader<'a>, list: &'a [Citation]) -> Vec<CitationView<'a>> {
    list.iter().map(|c| source_view(r, r.source(c), c.locator.as_deref())).collect()
}

/// The slug, URL and title of announcement `i`.
fn announcement_ref<'a>(r: &Reader<'a>, i: usize) -> AnnouncementRef<'a> {
    let a = r.announcement(i);
    AnnouncementRef { slug: &a.slug, url: r.url(PageKind::Announcement(i)), title: &a.title }
}

/// When an item shown before its embargo lifts (`serve`'s preview) may be published, as the
/// page's language writes it; none for an item that is published.
pub(super) fn embargo(r: &Reader, until: Option<&chrono::DateTime<chrono::FixedOffset>>) -> Option<String> {
    until.map(|u| format::formats(&r.config().language).moment(u))
}
