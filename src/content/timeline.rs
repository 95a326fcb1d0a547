//! `content/timeline.yaml`: dated entries (a year, a month or a day), each possibly about an
//! announcement, naming speakers, and carrying a number of a chart's series.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;

use super::doc::{parse_yaml, YamlFile};
use super::embargo::{Clock, Verdict};
use super::refs::{resolve, Known};
use crate::date::When;
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::markdown;
use crate::model::{Body, Embargo, Origin, Point, TimelineEntry};
use crate::source::SourceFile;
use crate::yaml::Seg;

/// One entry as written.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    /// The key translations name the entry by.
    #[serde(default)]
    id: Option<String>,
    date: String,
    /// The time of day (`HH:MM`, in the event's time zone), for a day.
    #[serde(default)]
    time: Option<String>,
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    announcement: Option<String>,
    #[serde(default)]
    speakers: Vec<String>,
    /// People it names who did not speak.
    #[serde(default)]
    mentions: Vec<String>,
    #[serde(default)]
    figure: Option<RawPoint>,
    /// The moment it may be published from (RFC 3339, with its offset).
    #[serde(default)]
    embargo: Option<String>,
    #[serde(default)]
    sources: Vec<super::sources::RawCitation>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    value: f64,
    unit: String,
    series: String,
    #[serde(default)]
    label: Option<String>,
}

/// The parsed file: its entries in the order written.
pub type File = YamlFile<Vec<Raw>>;

/// One entry's translation (in `timeline.zh.yaml`), by the entry's `id`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tr {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    /// The label of the chart series of the entry's figure.
    #[serde(default)]
    pub label: Option<String>,
    /// The unit of the entry's figure.
    #[serde(default)]
    pub unit: Option<String>,
    /// The entry's citations with their locators translated: the same sources, in order.
    #[serde(default)]
    pub sources: Option<Vec<super::sources::RawCitation>>,
}

/// A translation of the timeline: translations by entry id.
pub type TrFile = YamlFile<std::collections::BTreeMap<String, Tr>>;

/// Parses `file` as a translation of the timeline (`timeline.zh.yaml`).
pub fn parse_translation(file: SourceFile) -> Result<TrFile, Diagnostic> {
    super::doc::parse_keyed(file)
}

/// The body of entry `key` of translation `file`, rendered for the language under
/// `lang_prefix`, with positions in the translation file.
pub fn translated_body(file: &TrFile, key: &str, text: &str, base_path: &str, lang_prefix: &str) -> Arc<Body> {
    let located = Arc::clone(&file.yaml);
    let source = file.yaml.file();
    let key = key.to_string();
    Arc::new(Body {
        file: source.path.clone(),
        source: Arc::clone(&source.text),
        origin: Origin::Mapped(Arc::new(move |range| located.scalar_span(&[Seg::Key(&key), Seg::Key("body")], range))),
        markdown: markdown::render_in(text, base_path, lang_prefix),
    })
}

/// Parses `file` as the timeline.
pub fn parse(file: SourceFile) -> Result<File, Diagnostic> {
    parse_yaml(file)
}

/// What a timeline entry may name: the announcements (less those left out: drafts, embargoed
/// ones, and announcements whose date is wrong, already reported) and the speakers.
pub struct Names<'a> {
    pub announcements: &'a Known<'a>,
    pub left_out: &'a dyn Fn(&str) -> bool,
    /// The embargo not yet lifted of an announcement, by slug or file name, whether or not the
    /// build previews it.
    pub embargo: &'a dyn Fn(&str) -> Option<&'a Embargo>,
    pub speakers: &'a Known<'a>,
    pub sources: &'a Known<'a>,
    /// The lead announcement (an index into the site's announcements): its entries go first
    /// among those of their date and time.
    pub lead: Option<usize>,
}

/// The entries of `file`, oldest first; on one date by time (entries without one first), then
/// the lead announcement's entries, then in the file's order; with
/// their references resolved and their bodies rendered under `base_path`; less those `clock`
/// withholds, whose ids go in `left_out`.
pub fn assemble(
    file: &File,
    names: &Names,
    base_path: &str,
    clock: &mut Clock,
    left_out: &mut HashSet<String>,
    errors: &mut Diagnostics,
) -> Vec<TimelineEntry> {
    let (yaml, source) = (&file.yaml, file.yaml.file());
    let mut timeline = Vec::with_capacity(file.value.len());
    for (i, e) in file.value.iter().enumerate() {
        let path = |key| [Seg::Index(i), Seg::Key(key)];
        let embargo = match clock.judge(yaml, &path("embargo"), e.embargo.as_deref(), None) {
            Ok(Verdict::Keep(held)) => held.map(|e| e.until),
            Ok(Verdict::Withhold(_)) => {
                left_out.extend(e.id.clone());
                continue;
            }
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let date = match When::parse(&e.date) {
            Ok(d) => d,
            Err(why) => {
                errors.push(
                    yaml.error(Kind::Date, &path("date"), Some(e.date.trim()), format!("invalid timeline date: {why}"))
                        .label("not a date or a span of dates")
                        .help(crate::date::HOW_TO_WRITE),
                );
                continue;
            }
        };
        let time = e.time.as_deref().and_then(|text| {
            super::stamps::time_of_day(yaml, &path("time"), text, &date, "").map_err(|d| errors.push(d)).ok()
        });
        if let Some((slug, held)) = e.announcement.as_deref().and_then(|s| Some((s, (names.embargo)(s)?))) {
            if !super::embargo::may_point_to(embargo, held) {
                let span = yaml.at(&path("announcement"), Some(slug));
                let what = format!("timeline entry names the announcement `{slug}`");
                errors.push(super::embargo::leak(&source.path, &source.text, span, &what, held));
            }
        }
        let announcement = match &e.announcement {
            None => None,
            Some(slug) if (names.left_out)(slug) => None,
            Some(slug) => match names.announcements.get(slug) {
                Some(a) => Some(a),
                None => {
                    if names.announcements.complete {
                        let span = yaml.at(&path("announcement"), Some(slug));
                        errors.push(names.announcements.unknown(&source.path, &source.text, span, slug));
                    }
                    None
                }
            },
        };
        let at = |slug: &str, nth: usize| yaml.nth(&path("speakers"), slug, nth);
        let speakers = resolve(&e.speakers, names.speakers, &source.path, &source.text, at, errors);
        let at = |slug: &str, nth: usize| yaml.nth(&path("mentions"), slug, nth);
        let mentions = resolve(&e.mentions, names.speakers, &source.path, &source.text, at, errors);
        let sources = super::sources::cite(&e.sources, yaml, &path("sources"), names.sources, errors);
        let body = e.body.as_deref().map(|text| {
            let located = Arc::clone(yaml);
            Arc::new(Body {
                file: source.path.clone(),
                source: Arc::clone(&source.text),
                origin: Origin::Mapped(Arc::new(move |range| {
                    located.scalar_span(&[Seg::Index(i), Seg::Key("body")], range)
                })),
                markdown: markdown::render(text, base_path),
            })
        });
        if let Some(id) = &e.id {
            if let Err(help) = super::doc::check_slug(id) {
                errors.push(
                    yaml.error(Kind::Slug, &path("id"), Some(id), format!("`{id}` cannot be a timeline entry's id"))
                        .help(help),
                );
            } else if let Some(j) = file.value[..i].iter().position(|o| o.id.as_deref() == Some(id.as_str())) {
                errors.push(
                    yaml.error(
                        Kind::Repeated("timeline id"),
                        &path("id"),
                        Some(id),
                        format!("the id `{id}` is given twice"),
                    )
                    .label(format!("line {} gives it too", yaml.line(&[Seg::Index(j), Seg::Key("id")], Some(id))))
                    .help("give each entry its own id: translations name entries by it"),
                );
            }
        }
        timeline.push(TimelineEntry {
            position: i,
            id: e.id.clone(),
            anchor: String::new(),
            date,
            time,
            title: e.title.clone(),
            body,
            announcement,
            speakers,
            mentions,
            figure: e.figure.as_ref().map(|f| Point {
                value: f.value,
                unit: f.unit.clone(),
                series: f.series.clone(),
                label: f.label.clone(),
            }),
            sources,
            embargo,
            fallback: None,
        });
    }
    // Each key made once (a date's order is worked out from its days): `serve` sorts on every save.
    timeline
        .sort_by_cached_key(|e| (e.date.sort_key(), e.time, e.announcement.is_none() || e.announcement != names.lead));
    set_anchors(&mut timeline);
    timeline
}

/// Gives each entry its [`TimelineEntry::anchor`]: the `id`s first, which are unique, then the
/// others from their date and title, with `-2`, `-3`... when two would meet.
fn set_anchors(timeline: &mut [TimelineEntry]) {
    let mut taken: std::collections::HashSet<String> = timeline.iter().filter_map(|e| e.id.clone()).collect();
    for e in timeline.iter_mut() {
        e.anchor = match &e.id {
            Some(id) => id.clone(),
            None => {
                let slug = crate::markdown::slugify(&e.title);
                let base = if slug.is_empty() { e.date.iso() } else { format!("{}-{slug}", e.date.iso()) };
                let mut anchor = base.clone();
                let mut n = 2;
                while !taken.insert(anchor.clone()) {
                    anchor = format!("{base}-{n}");
                    n += 1;
                }
                anchor
            }
        };
    }
}

/// The points of the chart series in `file`, as written.
pub fn series_points(file: &File) -> Vec<super::series::Written<'_>> {
    file.value
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let f = e.figure.as_ref()?;
            Some(super::series::Written {
                series: &f.series,
                unit: &f.unit,
                label: f.label.as_deref(),
                date: When::parse(&e.date).ok(),
                yaml: &file.yaml,
                path: vec![Seg::Index(i), Seg::Key("figure")],
                date_key: "",
            })
        })
        .collect()
}

/// The JSON Schemas of `timeline.yaml` (a list of entries) and of a translation of it (entries
/// by id).
pub fn schemas() -> [schemars::Schema; 2] {
    [schemars::schema_for!(Vec<Raw>), schemars::schema_for!(std::collections::BTreeMap<String, Tr>)]
}
