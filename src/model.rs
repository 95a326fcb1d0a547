//! The validated content model: what a briefing is once its files have been read and checked.
//!
//! Cross-references are by index into the site's lists (resolved from slugs once, in the load
//! phase), and the reverse links that pages need (a speaker's announcements, a topic's
//! announcements, the timeline entries naming a speaker) are computed once here, not per page.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::date::{Stamp, When};

/// A link or image found in Markdown, as written, with its byte range in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as the author wrote it.
    pub url: String,
    /// Where the link is in the Markdown text.
    pub span: Range<usize>,
    /// Whether it is an image rather than a link.
    pub image: bool,
    /// For an image, its text alternative.
    pub alt: Option<String>,
}

/// Rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// The HTML.
    pub html: String,
    /// Every link and image, for checking.
    pub links: Vec<Link>,
    /// Whether a link has an `#anchor`, which can break when the page it points into changes.
    pub has_anchor_links: bool,
    /// Raw HTML, links and images that the policy of `html_policy` refuses, each with its range in
    /// the Markdown text and what is refused, worded to go before "is not allowed in Markdown":
    /// "raw HTML with a `<script>` element", "a link to a javascript: URL".
    pub unsafe_html: Vec<(Range<usize>, String)>,
}

/// The settings in `content/site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    /// The site's title.
    pub title: String,
    /// One sentence about the site.
    pub description: String,
    /// Where the site is published, always ending with `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/briefing/`), which every internal URL starts with.
    pub base_path: String,
    /// The language of this site's pages, as a BCP 47 tag (`en`, `zh-Hans`).
    pub language: String,
    /// The event the briefing covers.
    pub event: Event,
    /// Every language the briefing is published in, the default first; one for a site without
    /// `languages:`.
    pub languages: Arc<[Language]>,
    /// Which of `languages` this site's pages are in.
    pub lang: usize,
    /// Whether every member and message must be translated into every language: a gap is then
    /// an error rather than a line of `brief check`'s report.
    pub require_translations: bool,
    /// The `Cache-Control` a host sends with each published file (`cache:`).
    pub cache: Cache,
    /// Who publishes the briefing, the author of its pages (`publisher:`; the site's title when
    /// not given).
    pub publisher: Publisher,
    /// When the briefing was first published: the date of its pages that give none.
    pub published: Option<Stamp>,
    /// When the briefing was last updated as a whole.
    pub updated: Option<Stamp>,
}

/// Who publishes the briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// Its name.
    pub name: String,
    /// Its web address.
    pub url: Option<String>,
}

/// How long hosts and browsers may keep published files: `Cache-Control` values, in `_headers`,
/// in the deploy manifest and on the objects `brief deploy` uploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    /// For fingerprinted stylesheets and scripts (`style.0123456789.css`), whose content never
    /// changes under their name: a year, `immutable`, by default.
    pub fingerprinted: String,
    /// For everything else, pages above all: revalidated on each visit by default, so that a
    /// correction reaches readers at once.
    pub other: String,
}

impl Default for Cache {
    fn default() -> Cache {
        Cache {
            fingerprinted: "public, max-age=31536000, immutable".to_string(),
            other: "public, max-age=0, must-revalidate".to_string(),
        }
    }
}

impl SiteConfig {
    /// When a page was published and last updated, from its own dates and the briefing's: its
    /// `published`, else the briefing's; its `updated` (never earlier than its publication), else
    /// when it was published.
    pub fn dates(&self, published: Option<Stamp>, updated: Option<Stamp>) -> (Option<Stamp>, Option<Stamp>) {
        let published = published.or(self.published);
        // Never updated before it was published (`updated: 2026-11-30` is that day's midnight).
        let updated = match (updated, published) {
            (Some(u), Some(p)) => Some(u.latest(p, self.event.time_zone)),
            (u, p) => u.or(p),
        };
        (published, updated)
    }

    /// The language of this site's pages.
    pub fn current(&self) -> &Language {
        &self.languages[self.lang]
    }

    /// What the site paths of this language's pages start with, after `/`: nothing for the
    /// default language, `zh/` for Chinese.
    pub fn lang_prefix(&self) -> String {
        match self.lang {
            0 => String::new(),
            _ => format!("{}/", self.current().code),
        }
    }
}

/// A language the briefing is published in (`languages:` in `site.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// Its code, as in file names (`su-bo.zh.md`) and paths (`/zh/`).
    pub code: String,
    /// Its name in itself (`中文`), for the language switcher.
    pub name: String,
    /// Its BCP 47 tag for `lang` and `hreflang` (`zh-Hans`); the code when not given.
    pub tag: String,
    /// The tag as Open Graph writes it, with a region (`zh_CN`).
    pub og_locale: String,
    /// Whether its script runs right to left.
    pub rtl: bool,
    /// The site's title in this language, if it differs.
    pub title: Option<String>,
    /// The site's description in this language, if it differs.
    pub description: Option<String>,
    /// The event's name, city and venue in this language, if they differ.
    pub event_name: Option<String>,
    pub event_city: Option<String>,
    pub event_venue: Option<String>,
}

/// The event a briefing covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its name.
    pub name: String,
    /// The city it takes place in.
    pub city: String,
    /// The venue, if known.
    pub venue: Option<String>,
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
    /// Its offset from UTC, in which times of day (`time:`) and days as moments are read; UTC
    /// when not given.
    pub time_zone: FixedOffset,
}

impl Event {
    /// Its days, as a date (one day) or a span.
    pub fn when(&self) -> When {
        When::days(self.start, self.end)
    }
}

/// Markdown from a file, rendered, with what is needed to point back into the file.
#[derive(Debug, Clone)]
pub struct Body {
    /// The file the Markdown comes from, relative to the site root.
    pub file: PathBuf,
    /// The text of that file.
    pub source: Arc<str>,
    /// Where the Markdown lies in the file.
    pub origin: Origin,
    /// The rendered Markdown.
    pub markdown: Markdown,
}

impl Body {
    /// The span in the file of `range` of the Markdown text: the one place that turns a
    /// position in a body (a link, raw HTML) into a position in its file.
    pub fn span(&self, range: Range<usize>) -> Range<usize> {
        match &self.origin {
            Origin::Offset(offset) => offset + range.start..offset + range.end,
            Origin::Mapped(map) => map(range),
        }
    }
}

/// Where a body's Markdown lies in its file.
#[derive(Clone)]
pub enum Origin {
    /// From this byte offset to the end of the file: the body of a Markdown file.
    Offset(usize),
    /// Inside a YAML string (a timeline entry's `body`): the function maps a range of the
    /// string to a span of the file, through the YAML parser's positions.
    Mapped(Arc<dyn Fn(Range<usize>) -> Range<usize> + Send + Sync>),
}

impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Offset(offset) => write!(f, "Offset({offset})"),
            Origin::Mapped(_) => f.write_str("Mapped"),
        }
    }
}

/// A report the briefing is written from (an entry of `content/sources.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Its key in `sources.yaml`, which citations name it by.
    pub id: String,
    /// Who published it, in the page's language where a translation names it so.
    pub publisher: String,
    /// Its title, as published.
    pub title: Option<String>,
    /// Where readers can read it.
    pub url: Option<String>,
    /// When it was published, as far as is known.
    pub published: Option<When>,
    /// The language it is written in (a BCP 47 tag).
    pub language: Option<String>,
    /// The language its text is in, when it is not the site's (a translation not made yet).
    pub fallback: Option<usize>,
}

/// A citation of a source: which one, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// An index into [`Site::sources`].
    pub source: usize,
    /// Where in the source (`paragraph 6`), if the citation says.
    pub locator: Option<String>,
}

impl Citation {
    /// The citations of `all`, each once, in the order first met (what a chart's points or an
    /// announcement's figures cite, for one line under them).
    pub fn distinct<'a>(all: impl IntoIterator<Item = &'a Citation>) -> Vec<Citation> {
        let mut out: Vec<Citation> = Vec::new();
        for c in all {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        out
    }
}

/// A moment before which an item may not be published (`embargo:`), and the file that sets it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Embargo {
    /// When the item may be published.
    pub until: DateTime<FixedOffset>,
    /// The file that holds the item, relative to the site root.
    pub file: PathBuf,
    /// The site path of the item's page in the default language (`/announcements/x/`); none for
    /// a timeline entry.
    pub page: Option<String>,
}

/// A key figure given in an announcement.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Figure {
    /// What is measured.
    pub label: String,
    /// The number.
    pub value: f64,
    /// Its unit (`billion USD`).
    pub unit: String,
    /// The year it is for, or the span of years.
    #[serde(skip)]
    pub year: Option<When>,
    /// The chart series it is a point of (a slug), with the timeline's figures of that series.
    pub series: Option<String>,
    /// The sources it is taken from.
    #[serde(skip)]
    pub sources: Vec<Citation>,
}

/// A number on the timeline that belongs to a series (for example two-way trade by year).
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Point {
    /// The number.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// The series it belongs to (a slug).
    pub series: String,
    /// What the series measures, as the chart's title (`Two-way China–ASEAN trade`); given on
    /// any one point of the series, or on each alike.
    pub label: Option<String>,
}

/// One announcement (`content/announcements/<slug>.md`).
#[derive(Debug, Clone)]
pub struct Announcement {
    /// The file stem.
    pub slug: String,
    /// The headline.
    pub title: String,
    /// When it was made: a day, or the span of days it was made within.
    pub date: When,
    /// The time of day it was made, in the event's time zone, when known.
    pub time: Option<chrono::NaiveTime>,
    /// Whether it is the briefing's lead.
    pub lead: bool,
    /// Its place among the announcements of its date, when the editor gives one.
    pub order: Option<i64>,
    /// When its page was published (`published:`, or when its embargo lifted); when neither is
    /// given, the briefing's (see [`SiteConfig::dates`]).
    pub published: Option<Stamp>,
    /// When its page was last updated (`updated:`; a translation's own); its `published` when
    /// not given.
    pub updated: Option<Stamp>,
    /// One or two sentences.
    pub summary: String,
    /// Who spoke: indexes into [`Site::speakers`].
    pub speakers: Vec<usize>,
    /// People it is about or names, who did not speak (`mentions:`): indexes into
    /// [`Site::speakers`].
    pub mentions: Vec<usize>,
    /// Indexes into [`Site::topics`].
    pub topics: Vec<usize>,
    /// The reports it is taken from.
    pub sources: Vec<Citation>,
    /// Key figures.
    pub figures: Vec<Figure>,
    /// Whether it is a draft (only present when drafts are built).
    pub draft: bool,
    /// The moment its embargo lifts, when this build shows it before then (`serve`'s preview).
    pub embargo: Option<DateTime<FixedOffset>>,
    /// Its picture (`image:`), when it has one.
    pub image: Option<Arc<Image>>,
    /// The text.
    pub body: Arc<Body>,
    /// The language its text is in, when it is not the site's (a translation not made yet).
    pub fallback: Option<usize>,
}

/// A speaker's photo or an announcement's picture, with the variants made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// What it shows, for readers who cannot see it.
    pub alt: String,
    /// Who took it or owns it, as it is to be credited.
    pub credit: Option<String>,
    /// Its size as shown, in pixels.
    pub width: u32,
    pub height: u32,
    /// The files made of it, modern format first, each by width, widest last.
    pub variants: Arc<[crate::images::Variant]>,
}

impl Image {
    /// The variants in `format`, narrowest first.
    pub fn of_format(&self, format: crate::images::Format) -> impl Iterator<Item = &crate::images::Variant> {
        self.variants.iter().filter(move |v| v.format == format)
    }

    /// The format that every browser shows (JPEG, or PNG for an image with transparency).
    pub fn fallback_format(&self) -> crate::images::Format {
        self.variants.last().map_or(crate::images::Format::Jpeg, |v| v.format)
    }

    /// The widest variant in the fallback format: for link previews and structured data.
    pub fn largest(&self) -> Option<&crate::images::Variant> {
        self.variants.last()
    }
}

/// One speaker (`content/speakers/<slug>.md`).
#[derive(Debug, Clone)]
pub struct Speaker {
    /// The file stem.
    pub slug: String,
    /// Full name.
    pub name: String,
    /// Their role (`Deputy Governor`).
    pub role: Option<String>,
    /// Their organization.
    pub organization: Option<String>,
    /// Their country.
    pub country: Option<String>,
    /// When their role and organization were so (`as_of:`), as the source gives it.
    pub as_of: Option<When>,
    /// Their photo (`photo:`), when they have one.
    pub photo: Option<Arc<Image>>,
    /// The bio.
    pub body: Arc<Body>,
    /// The language its text is in, when it is not the site's (a translation not made yet).
    pub fallback: Option<usize>,
}

/// One topic (an entry of `content/topics.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Its key in `topics.yaml`.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// One sentence about it.
    pub description: Option<String>,
    /// The language its text is in, when it is not the site's (a translation not made yet).
    pub fallback: Option<usize>,
}

/// One entry of `content/timeline.yaml`.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    /// Its position in `timeline.yaml` (0-based), for messages.
    pub position: usize,
    /// Its `id`, which translations name it by.
    pub id: Option<String>,
    /// The `id` of its element on the timeline page, the same in every language: its `id`, or
    /// its date and the slug of its title in the default language (`2012-09-21-the-expo-opens`),
    /// made unique with a number.
    pub anchor: String,
    /// When, with its precision.
    pub date: When,
    /// The time of day, in the event's time zone, when known.
    pub time: Option<chrono::NaiveTime>,
    /// What happened.
    pub title: String,
    /// More about it.
    pub body: Option<Arc<Body>>,
    /// The announcement it is about (an index into [`Site::announcements`]).
    pub announcement: Option<usize>,
    /// Speakers it names (indexes into [`Site::speakers`]).
    pub speakers: Vec<usize>,
    /// People it names who did not speak (`mentions:`).
    pub mentions: Vec<usize>,
    /// A number for a chart.
    pub figure: Option<Point>,
    /// The reports it is taken from.
    pub sources: Vec<Citation>,
    /// The moment its embargo lifts, when this build shows it before then (`serve`'s preview).
    pub embargo: Option<DateTime<FixedOffset>>,
    /// The language its text is in, when it is not the site's (a translation not made yet).
    pub fallback: Option<usize>,
}

/// A free page (`content/pages/<slug>.md`), published at `/<slug>/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file stem.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// One sentence about it.
    pub description: Option<String>,
    /// The text.
    pub body: Arc<Body>,
    /// The moment its embargo lifts, when this build shows it before then (`serve`'s preview).
    pub embargo: Option<DateTime<FixedOffset>>,
    /// When it was published (`published:`, or when its embargo lifted).
    pub published: Option<Stamp>,
    /// When it was last updated (`updated:`; a translation's own).
    pub updated: Option<Stamp>,
    /// The language its text is in, when it is not the site's (a translation not made yet).
    pub fallback: Option<usize>,
}

/// A file under `static/`, copied as is.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// The path relative to `static/`, with `/` separators; also its path in the output.
    pub path: String,
    /// Where it is on disk.
    pub source: PathBuf,
}

/// A whole briefing, checked and cross-referenced.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site settings.
    pub config: SiteConfig,
    /// Announcements, newest first.
    pub announcements: Vec<Arc<Announcement>>,
    /// Speakers, by name.
    pub speakers: Vec<Speaker>,
    /// Topics, by slug.
    pub topics: Vec<Topic>,
    /// The timeline, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Free pages, by slug.
    pub pages: Vec<Page>,
    /// The reports the briefing is written from, by id.
    pub sources: Vec<Source>,
    /// Files of `static/` to copy.
    pub statics: Vec<StaticFile>,
    /// The variants made of the photos and pictures, to copy from the cache.
    pub images: Arc<Vec<StaticFile>>,
    /// How many images the load read, and how many of them it had to decode.
    pub image_stats: crate::images::Stats,
    /// The site paths the drafts left out of this build would have (`/announcements/x/`).
    pub drafts_left_out: HashSet<String>,
    /// Every embargo that has not lifted, whether this build leaves its item out or previews it,
    /// the soonest first: when to build again.
    pub embargoes: Vec<Embargo>,
    /// The announcements that name each speaker (same order as `speakers`).
    pub speaker_announcements: Vec<Vec<usize>>,
    /// The announcements that mention each speaker without their speaking.
    pub speaker_mentions: Vec<Vec<usize>>,
    /// The timeline entries that name each speaker.
    pub speaker_timeline: Vec<Vec<usize>>,
    /// The announcements under each topic.
    pub topic_announcements: Vec<Vec<usize>>,
    /// The timeline entries that link to each announcement.
    pub announcement_timeline: Vec<Vec<usize>>,
    /// The same briefing in each further language of `config.languages`, in that order: the
    /// same members at the same places in every list, with their text translated where a
    /// translation exists. Empty for a site in one language, and in the translations themselves.
    pub translations: Vec<Site>,
}

impl Site {
    /// Every file the output copies as it is: those of `static/`, then the images' variants.
    pub fn copied(&self) -> impl Iterator<Item = &StaticFile> {
        self.statics.iter().chain(self.images.iter())
    }

    /// Computes the reverse links from the forward ones.
    pub(crate) fn link_back(&mut self) {
        self.speaker_announcements = vec![Vec::new(); self.speakers.len()];
        self.speaker_mentions = vec![Vec::new(); self.speakers.len()];
        self.topic_announcements = vec![Vec::new(); self.topics.len()];
        self.speaker_timeline = vec![Vec::new(); self.speakers.len()];
        self.announcement_timeline = vec![Vec::new(); self.announcements.len()];
        for (i, a) in self.announcements.iter().enumerate() {
            for &s in &a.speakers {
                self.speaker_announcements[s].push(i);
            }
            for &s in &a.mentions {
                self.speaker_mentions[s].push(i);
            }
            for &t in &a.topics {
                self.topic_announcements[t].push(i);
            }
        }
        for (i, e) in self.timeline.iter().enumerate() {
            for &s in e.speakers.iter().chain(&e.mentions) {
                if self.speaker_timeline[s].last() != Some(&i) {
                    self.speaker_timeline[s].push(i);
                }
            }
            if let Some(a) = e.announcement {
                self.announcement_timeline[a].push(i);
            }
        }
    }

    /// This site and its translations: every language of the briefing, the default first.
    pub fn languages(&self) -> impl Iterator<Item = &Site> {
        std::iter::once(self).chain(self.translations.iter())
    }

    /// Index of each announcement by slug.
    pub fn announcement_index(&self) -> HashMap<&str, usize> {
        self.announcements.iter().enumerate().map(|(i, a)| (a.slug.as_str(), i)).collect()
    }
}

/// The indexes of up to `n` entries of `timeline` (oldest first) around the days from `first` to
/// `last` (the event): those that share a day with it, then the nearest before and after it,
/// nearer first, ties to the earlier; oldest first. What the home page shows of the timeline.
pub fn around(timeline: &[TimelineEntry], first: NaiveDate, last: NaiveDate, n: usize) -> Vec<usize> {
    let distance = |e: &TimelineEntry| {
        if e.date.overlaps(first, last) {
            0
        } else if e.date.last_day() < first {
            (first - e.date.last_day()).num_days()
        } else {
            (e.date.first_day() - last).num_days()
        }
    };
    let mut chosen: Vec<usize> = (0..timeline.len()).collect();
    chosen.sort_by_key(|&i| (distance(&timeline[i]), i));
    chosen.truncate(n);
    chosen.sort_unstable();
    chosen
}
