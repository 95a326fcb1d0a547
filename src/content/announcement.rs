//! `content/announcements/<slug>.md`: what was announced, when, by whom, under which topics,
//! on whose report, with which key figures.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::doc::{parse_doc, Doc, Slugged};
use super::refs::{resolve, Known};
use super::sources::{cite, relocate, RawCitation};
use super::translate::Shared;
use chrono::NaiveTime;

use crate::date::{Precision, When};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::{Announcement, Figure};
use crate::source::SourceFile;
use crate::yaml::Seg;

/// The fields of an announcement's front matter.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    title: String,
    date: String,
    summary: String,
    #[serde(default)]
    speakers: Vec<String>,
    /// People it is about or names, who did not speak.
    #[serde(default)]
    mentions: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    sources: Vec<RawCitation>,
    /// Replaced by `sources`: reported with how to move it.
    #[serde(default)]
    #[schemars(skip)]
    source: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    figures: Vec<RawFigure>,
    /// Its picture: the file and its text alternative.
    #[serde(default)]
    pub image: Option<super::pictures::RawImage>,
    #[serde(default)]
    draft: bool,
    /// The moment it may be published from (RFC 3339, with its offset).
    #[serde(default)]
    embargo: Option<String>,
    /// The slug, when the file name should not give it.
    #[serde(default)]
    slug: Option<String>,
    /// The time of day it was made (`HH:MM`, in the event's time zone).
    #[serde(default)]
    time: Option<String>,
    /// Its place among the announcements of its date (1 first).
    #[serde(default)]
    order: Option<i64>,
    /// Whether it is the briefing's lead: first among its date's, and first on the home page.
    #[serde(default)]
    lead: bool,
    /// When this page was published (a day or a moment).
    #[serde(default)]
    published: Option<String>,
    /// When this page was last updated (a day or a moment).
    #[serde(default)]
    updated: Option<String>,
    /// `date` and `time`, read once when the file is parsed (a rebuild assembles every
    /// announcement).
    #[serde(skip)]
    placing: Option<Placing>,
}

/// Where an announcement goes among the others: its date, then its place on that date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placing {
    pub date: When,
    pub lead: bool,
    pub order: Option<i64>,
    pub time: Option<NaiveTime>,
}

impl Placing {
    /// The placing of an announcement already made.
    pub fn of(a: &Announcement) -> Placing {
        Placing { date: a.date, lead: a.lead, order: a.order, time: a.time }
    }

    /// The order of lists: newest date first; on one date the lead, then those given an `order`
    /// (ascending), then by time, the latest first, then those without a time. Ties keep the
    /// order they come in (by slug).
    pub fn list_key(&self) -> impl Ord {
        let date = self.date.sort_key();
        (std::cmp::Reverse(date), !self.lead, self.order.map_or((1, 0), |o| (0, o)), std::cmp::Reverse(self.time))
    }
}

impl Slugged for Raw {
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

/// The fields of a translation's front matter (`x.zh.md`): what it translates (title, summary,
/// the citations' locators, the figures' labels and units), and what it shares with its original
/// (date, speakers, topics, the sources cited, the figures' values and years, draft), which it
/// may leave out or restate with the same values.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tr {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    speakers: Option<Vec<String>>,
    #[serde(default)]
    mentions: Option<Vec<String>>,
    #[serde(default)]
    topics: Option<Vec<String>>,
    #[serde(default)]
    sources: Option<Vec<RawCitation>>,
    /// Replaced by `sources`: reported with how to move it.
    #[serde(default)]
    #[schemars(skip)]
    source: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    figures: Option<Vec<RawFigure>>,
    /// The picture's text alternative and credit in this language.
    #[serde(default)]
    image: Option<super::pictures::TrImage>,
    #[serde(default)]
    draft: Option<bool>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    order: Option<i64>,
    #[serde(default)]
    lead: Option<bool>,
    #[serde(default)]
    published: Option<String>,
    /// When this translation was last updated: its own, since a translation is corrected on its
    /// own.
    #[serde(default)]
    updated: Option<String>,
    /// The moment this translation may be published from, when it comes out after its original.
    #[serde(default)]
    embargo: Option<String>,
}

impl super::translate::Embargoed for Tr {
    fn embargo(&self) -> Option<&str> {
        self.embargo.as_deref()
    }
}

impl Slugged for Tr {
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

/// Parses `file` as the translation of an announcement.
pub fn parse_translation(file: SourceFile, base_path: &str) -> Result<Doc<Tr>, Diagnostic> {
    parse_doc(file, base_path)
}

/// `original` (from `doc`) in the words of its translation `tr`; what they share must agree.
pub fn translate(original: &Announcement, doc: &Doc<Raw>, tr: &Doc<Tr>, errors: &mut Diagnostics) -> Announcement {
    let (m, t) = (&doc.meta, &tr.meta);
    let mut same = Shared { original: &doc.yaml, translation: &tr.yaml, errors };
    if let Some(date) = &t.date {
        if When::parse(date).ok() != Some(original.date) {
            same.differ(&[Seg::Key("date")], Some(date.trim()), Some(m.date.trim()), "date");
        }
    }
    if let Some(list) = &t.speakers {
        if *list != m.speakers {
            same.differ(&[Seg::Key("speakers")], None, None, "speakers");
        }
    }
    if let Some(list) = &t.topics {
        if *list != m.topics {
            same.differ(&[Seg::Key("topics")], None, None, "topics");
        }
    }
    if let Some(list) = &t.mentions {
        if *list != m.mentions {
            same.differ(&[Seg::Key("mentions")], None, None, "people mentioned");
        }
    }
    if let Some(draft) = t.draft {
        if draft != m.draft {
            same.differ(&[Seg::Key("draft")], None, None, "draft status");
        }
    }
    if let Some(lead) = t.lead {
        if lead != m.lead {
            same.differ(&[Seg::Key("lead")], None, None, "lead");
        }
    }
    if t.order.is_some() && t.order != m.order {
        same.differ(&[Seg::Key("order")], None, None, "order");
    }
    let trimmed = |s: &Option<String>| s.as_deref().map(str::trim).map(str::to_string);
    for (key, mine, theirs) in [("time", &t.time, &m.time), ("published", &t.published, &m.published)] {
        if mine.is_some() && trimmed(mine) != trimmed(theirs) {
            same.differ(&[Seg::Key(key)], mine.as_deref().map(str::trim), theirs.as_deref().map(str::trim), key);
        }
    }
    // Its own `updated`, checked like the original's; else the original's.
    let updated = super::stamps::read(&tr.yaml, "updated", t.updated.as_deref(), same.errors).or(original.updated);
    if t.source.is_some() {
        same.errors.push(super::sources::replaced_field(&tr.yaml));
    }
    let mut sources = original.sources.clone();
    if let Some(list) = &t.sources {
        if !relocate(&mut sources, m.sources.iter().map(RawCitation::id), list) {
            same.differ(&[Seg::Key("sources")], None, None, "sources (the same ids, in the same order)");
        }
    }
    super::pictures::check_shared(&mut same, "image", m.image.as_ref(), t.image.as_ref());
    let mut figures = original.figures.clone();
    if let Some(list) = &t.figures {
        if list.len() != m.figures.len() {
            same.differ(&[Seg::Key("figures")], None, None, "figures (as many, in the same order)");
        } else {
            for (i, (f, o)) in list.iter().zip(&m.figures).enumerate() {
                let year = |y: &Option<RawYear>| y.as_ref().map(RawYear::text);
                if f.value != o.value || f.year.is_some() && year(&f.year) != year(&o.year) {
                    same.differ(&[Seg::Key("figures"), Seg::Index(i)], None, None, "figure values and years");
                }
                if f.series.is_some() && f.series != o.series {
                    same.differ(&[Seg::Key("figures"), Seg::Index(i), Seg::Key("series")], None, None, "figure series");
                }
                figures[i].label = f.label.clone();
                figures[i].unit = f.unit.clone();
                let original_ids = o.sources.iter().map(RawCitation::id);
                if !f.sources.is_empty() && !relocate(&mut figures[i].sources, original_ids, &f.sources) {
                    same.differ(
                        &[Seg::Key("figures"), Seg::Index(i), Seg::Key("sources")],
                        None,
                        None,
                        "figure sources (the same ids, in the same order)",
                    );
                }
            }
        }
    }
    Announcement {
        title: t.title.clone().unwrap_or_else(|| original.title.clone()),
        summary: t.summary.clone().unwrap_or_else(|| original.summary.clone()),
        sources,
        figures,
        updated,
        image: super::pictures::translate(&original.image, t.image.as_ref()),
        body: Arc::clone(&tr.body),
        fallback: None,
        ..original.clone()
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    label: String,
    value: f64,
    unit: String,
    /// A year (`2011`) or a span of years (`2003/2012`), as a number or a string.
    #[serde(default)]
    year: Option<RawYear>,
    /// The chart series it is a point of (a slug).
    #[serde(default)]
    series: Option<String>,
    #[serde(default)]
    sources: Vec<RawCitation>,
}

/// A figure's `year:` as written: `2011` reads as a number, `2003/2012` as a string.
#[derive(Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(untagged)]
enum RawYear {
    Number(i64),
    /// Never a year (`2011.5`), but read so that the error says so, at its place.
    Fraction(f64),
    Text(String),
}

impl RawYear {
    fn text(&self) -> String {
        match self {
            RawYear::Number(n) => n.to_string(),
            RawYear::Fraction(x) => x.to_string(),
            RawYear::Text(t) => t.trim().to_string(),
        }
    }
}

/// The year of figure `i` of `doc`: a year or a span of years, anything else an error.
fn figure_year(doc: &Doc<Raw>, i: usize, year: &RawYear) -> Result<When, Diagnostic> {
    let text = year.text();
    let path = [Seg::Key("figures"), Seg::Index(i), Seg::Key("year")];
    let when = When::parse(&text).map_err(|why| {
        doc.yaml
            .error(Kind::Date, &path, Some(&text), format!("invalid figure year: {why}"))
            .label("not a year or a span of years")
            .help("write the year the figure is for (2011), or the years it spans (2003/2012)")
    })?;
    if when.unit() != Precision::Year {
        return Err(doc
            .yaml
            .error(Kind::Date, &path, Some(&text), format!("`{text}` is a {}, not a year", when.precision().noun()))
            .label("a figure is for a year or a span of years")
            .help(format!("write the year alone ({}), or the years it spans (2003/2012)", when.year())));
    }
    Ok(when)
}

/// Parses `file` as an announcement; links in its body go under `base_path`.
pub fn parse(file: SourceFile, base_path: &str) -> Result<Doc<Raw>, Diagnostic> {
    let mut doc: Doc<Raw> = parse_doc(file, base_path)?;
    doc.meta.placing = placing_of(&doc).ok();
    Ok(doc)
}

/// Whether the announcement is a draft.
pub fn is_draft(doc: &Doc<Raw>) -> bool {
    doc.meta.draft
}

/// Whether the announcement is marked as the lead.
pub fn is_lead(doc: &Doc<Raw>) -> bool {
    doc.meta.lead
}

/// The `embargo:` of the announcement, as written.
pub fn embargo(doc: &Doc<Raw>) -> Option<&str> {
    doc.meta.embargo.as_deref()
}

/// When the announcement was made (a date, or a span of dates), and its place on that date;
/// anything else is an error.
pub fn day(doc: &Doc<Raw>) -> Result<Placing, Diagnostic> {
    match doc.meta.placing {
        Some(placing) => Ok(placing),
        None => placing_of(doc),
    }
}

fn placing_of(doc: &Doc<Raw>) -> Result<Placing, Diagnostic> {
    let m = &doc.meta;
    let date = When::parse(&m.date).map_err(|why| {
        doc.error(Kind::Date, "date", Some(m.date.trim()), format!("invalid date: {why}"))
            .label("not a date or a span of dates")
            .help(
                "write the day the announcement was made as YYYY-MM-DD (2012-09-22), or the days it was made \
                 within as a span (2012-09-21/2012-09-25)",
            )
    })?;
    let time = match &m.time {
        None => None,
        Some(text) => Some(super::stamps::time_of_day(&doc.yaml, &[Seg::Key("time")], text, &date, " it was made")?),
    };
    Ok(Placing { date, lead: m.lead, order: m.order, time })
}

/// The error for `doc`, marked as the lead when `first` is already.
pub fn second_lead(doc: &Doc<Raw>, first: &Doc<Raw>) -> Diagnostic {
    let line = first.yaml.line(&[Seg::Key("lead")], None);
    doc.yaml
        .error(Kind::Field, &[Seg::Key("lead")], None, "two announcements are marked as the lead")
        .label(format!("{}:{line} is the lead already", first.file().path.display()))
        .help("a briefing has one lead: remove `lead: true` from one of them (give the other an `order:` to place it among its date's announcements)")
}

/// The figures of `doc` that are points of a chart series, as written.
pub fn series_points(doc: &Doc<Raw>) -> Vec<super::series::Written<'_>> {
    doc.meta
        .figures
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            Some(super::series::Written {
                series: f.series.as_deref()?,
                unit: &f.unit,
                label: Some(&f.label),
                date: f.year.as_ref().and_then(|y| When::parse(&y.text()).ok()),
                yaml: &doc.yaml,
                path: vec![Seg::Key("figures"), Seg::Index(i)],
                date_key: "year",
            })
        })
        .collect()
}

/// What an announcement may name: speakers, topics and sources.
pub struct Names<'a> {
    pub speakers: &'a Known<'a>,
    pub topics: &'a Known<'a>,
    pub sources: &'a Known<'a>,
}

/// The announcement of `doc`, made on `day`, with its speakers, topics and sources resolved;
/// `embargo` is the moment its embargo lifts when the build previews it before then.
pub fn assemble(
    doc: &Doc<Raw>,
    placing: Placing,
    embargo: Option<DateTime<FixedOffset>>,
    known: &Names,
) -> (Announcement, Diagnostics) {
    let mut errors = Diagnostics::default();
    let file = doc.file();
    let mut names = |key: &'static str, slugs: &[String], known: &Known| {
        let at = |slug: &str, nth: usize| doc.yaml.nth(&[Seg::Key(key)], slug, nth);
        resolve(slugs, known, &file.path, &file.text, at, &mut errors)
    };
    let m = &doc.meta;
    let speakers = names("speakers", &m.speakers, known.speakers);
    let mentions = names("mentions", &m.mentions, known.speakers);
    let topics = names("topics", &m.topics, known.topics);
    for slug in m.mentions.iter().filter(|s| m.speakers.contains(s)) {
        let span = doc.yaml.nth(&[Seg::Key("mentions")], slug, 0);
        errors.push(
            Diagnostic::at(
                Kind::Repeated("person"),
                &file.path,
                &file.text,
                span,
                format!("`{slug}` is both a speaker and mentioned"),
            )
            .label("listed in `speakers` too")
            .help("list a person once: in `speakers` if they spoke, in `mentions` if they are only named"),
        );
    }
    if m.source.is_some() {
        errors.push(super::sources::replaced_field(&doc.yaml));
    }
    let sources = cite(&m.sources, &doc.yaml, &[Seg::Key("sources")], known.sources, &mut errors);
    let figures = m
        .figures
        .iter()
        .enumerate()
        .map(|(i, f)| Figure {
            label: f.label.clone(),
            value: f.value,
            unit: f.unit.clone(),
            year: f.year.as_ref().and_then(|y| figure_year(doc, i, y).map_err(|e| errors.push(e)).ok()),
            series: f.series.as_ref().map(|series| {
                let path = [Seg::Key("figures"), Seg::Index(i), Seg::Key("series")];
                let error = |message: String| doc.yaml.error(Kind::Series, &path, Some(series), message);
                if f.year.is_none() {
                    errors.push(
                        error("a figure of a series needs its year".into())
                            .label("no `year` to place it on the chart")
                            .help("give the year the figure is for (`year: 2011`), or leave `series` out"),
                    );
                }
                if let Err(help) = super::doc::check_slug(series) {
                    errors.push(error(format!("`{series}` cannot be a series' slug")).help(help));
                }
                series.clone()
            }),
            sources: cite(
                &f.sources,
                &doc.yaml,
                &[Seg::Key("figures"), Seg::Index(i), Seg::Key("sources")],
                known.sources,
                &mut errors,
            ),
        })
        .collect();
    let (published, updated) = super::stamps::of_item(
        &doc.yaml,
        m.published.as_deref(),
        m.updated.as_deref(),
        m.embargo.as_deref(),
        &mut errors,
    );
    let announcement = Announcement {
        slug: doc.slug.clone(),
        title: m.title.clone(),
        date: placing.date,
        time: placing.time,
        lead: placing.lead,
        order: placing.order,
        published,
        updated,
        summary: m.summary.clone(),
        speakers,
        mentions,
        topics,
        sources,
        figures,
        draft: m.draft,
        embargo,
        // Attached with every image of the site at once (`super::pictures`).
        image: None,
        body: Arc::clone(&doc.body),
        fallback: None,
    };
    (announcement, errors)
}

/// Checks `text` as the file `content/announcements/x.md` on its own, without a site around it:
/// front matter, fields, date and body, with the same functions a build uses. For fuzzing.
pub fn check_text(text: &str) -> Result<(), Diagnostics> {
    let file = SourceFile {
        path: "content/announcements/x.md".into(),
        text: Arc::from(text.strip_prefix('\u{feff}').unwrap_or(text)),
    };
    let doc = parse(file, "/").map_err(|d| Diagnostics(vec![d]))?;
    let mut errors = Diagnostics::default();
    if let Err(d) = day(&doc) {
        errors.push(d);
    }
    if let Err(d) = super::embargo::moment(&doc.yaml, &[Seg::Key("embargo")], embargo(&doc)) {
        errors.push(d);
    }
    super::unsafe_html(&doc.body, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.finish())
    }
}

/// The JSON Schemas of an announcement's front matter and of a translation's, from the types that
/// read them.
pub fn schemas() -> [schemars::Schema; 2] {
    [schemars::schema_for!(Raw), schemars::schema_for!(Tr)]
}
