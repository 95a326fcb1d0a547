//! The load and validate phases: read `content/` and `static/`, parse every file, and check the
//! cross-references, collecting every problem before giving up.
//!
//! Files are parsed into raw structs that mirror what authors write (unknown fields are errors,
//! so typos cannot pass silently), then turned into the checked [`Site`] model.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// A Markdown file with front matter, parsed.
struct Doc<T> {
    slug: String,
    file: SourceFile,
    front_matter: Range<usize>,
    meta: T,
    body: Body,
}

impl<T> Doc<T> {
    /// The span of `value` under `key` in the front matter, for messages.
    fn locate(&self, key: &str, value: Option<&str>) -> Range<usize> {
        yaml::locate(&self.file.text, self.front_matter.clone(), &[Seg::Key(key)], value)
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

const CONTENT_LAYOUT: &str = "content/ holds site.yaml, topics.yaml, timeline.yaml, and Markdown files in announcements/, speakers/ and pages/";

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
    let mut errors = Diagnostics::default();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        errors.push(
            Diagnostic::file("content/", format!("there is no content/ directory in {}", root.display()))
                .help("run brief from a briefing's folder, pass --root DIR, or start a new briefing with `brief new DIR`"),
        );
        return Err(errors);
    }

    let mut files: BTreeMap<PathBuf, Kind> = BTreeMap::new();
    for rel in walk(root, Path::new("content"), &mut errors) {
        let inner = rel.strip_prefix("content").unwrap_or(&rel);
        match classify(inner) {
            Some(kind) => {
                files.insert(rel, kind);
            }
            None => errors.push(
                Diagnostic::file(&rel, "brief does not know what this file is")
                    .help(format!("{CONTENT_LAYOUT}; images and other files go in static/")),
            ),
        }
    }
    let of_kind = |kind: Kind| -> Vec<&PathBuf> {
        files.iter().filter(|(_, k)| **k == kind).map(|(p, _)| p).collect()
    };

    let site_file = Path::new("content/site.yaml");
    let config = if files.contains_key(site_file) {
        load_config(root, site_file, settings).map_err(|d| errors.push(d)).ok()
    } else {
        errors.push(Diagnostic::file(site_file, "the site settings file content/site.yaml is missing").help(
            "create it with `title`, `description`, `base_url`, `language` and `event` (name, city, start, end)",
        ));
        None
    };
    let base_path = config.as_ref().map_or("/".to_string(), |c| c.base_path.clone());

    let announcements = parse_docs::<RawAnnouncement>(root, &of_kind(Kind::Announcement), &base_path);
    let speakers = parse_docs::<RawSpeaker>(root, &of_kind(Kind::Speaker), &base_path);
    let pages = parse_docs::<RawPage>(root, &of_kind(Kind::Page), &base_path);
    let topics_file = files.contains_key(Path::new("content/topics.yaml")).then(|| read_yaml::<BTreeMap<String, RawTopic>>(root, "content/topics.yaml"));
    let timeline_file = files.contains_key(Path::new("content/timeline.yaml")).then(|| read_yaml::<Vec<RawTimelineEntry>>(root, "content/timeline.yaml"));

    // A kind that failed to load makes every reference to it look unknown; those would be noise.
    let speakers_complete = speakers.iter().all(Result::is_ok);
    let topics_complete = !matches!(topics_file, Some(Err(_)));
    let announcements_complete = announcements.iter().all(Result::is_ok);

    let speakers: Vec<Doc<RawSpeaker>> = keep_ok(speakers, &mut errors);
    let mut announcements: Vec<Doc<RawAnnouncement>> = keep_ok(announcements, &mut errors);
    let pages: Vec<Doc<RawPage>> = keep_ok(pages, &mut errors);
    let topics_file = topics_file.and_then(|r| r.map_err(|d| errors.push(d)).ok());
    let timeline_file = timeline_file.and_then(|r| r.map_err(|d| errors.push(d)).ok());

    // Speakers, sorted by name.
    let mut speakers: Vec<Speaker> = speakers
        .into_iter()
        .map(|d| Speaker {
            slug: d.slug,
            name: d.meta.name,
            role: d.meta.role,
            organization: d.meta.organization,
            country: d.meta.country,
            body: d.body,
        })
        .collect();
    speakers.sort_by(|a, b| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)));
    let speaker_index: HashMap<&str, usize> = speakers.iter().enumerate().map(|(i, s)| (s.slug.as_str(), i)).collect();

    let topics: Vec<Topic> = topics_file
        .as_ref()
        .map(|(_, map)| {
            map.iter()
                .map(|(slug, t)| Topic { slug: slug.clone(), title: t.title.clone(), description: t.description.clone() })
                .collect()
        })
        .unwrap_or_default();
    if let Some((file, _)) = &topics_file {
        for t in &topics {
            if let Err(help) = check_slug(&t.slug) {
                let span = yaml::locate(&file.text, 0..file.text.len(), &[], Some(&t.slug));
                errors.push(Diagnostic::at(&file.path, &file.text, span, format!("`{}` cannot be used as a topic slug", t.slug)).label("this key is the topic's URL").help(help));
            }
        }
    }
    let topic_index: HashMap<&str, usize> = topics.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();

    // Announcements: drafts out unless asked for, then newest first.
    let mut drafts_left_out = HashSet::new();
    if !settings.drafts {
        announcements.retain(|d| {
            if d.meta.draft {
                drafts_left_out.insert(d.slug.clone());
            }
            !d.meta.draft
        });
    }
    let mut dated = Vec::with_capacity(announcements.len());
    for d in announcements {
        match date::parse_day(&d.meta.date) {
            Ok(day) => dated.push((day, d)),
            Err(why) => errors.push(
                d.error_at("date", Some(d.meta.date.trim()), format!("invalid date: {why}"))
                    .label("not a real day")
                    .help("write the day the announcement was made as YYYY-MM-DD, for example 2012-09-22"),
            ),
        }
    }
    dated.sort_by(|(da, a), (db, b)| db.cmp(da).then_with(|| a.slug.cmp(&b.slug)));
    let mut out_announcements = Vec::with_capacity(dated.len());
    for (day, d) in dated {
        let speakers = resolve(&d, "speakers", "speaker", &d.meta.speakers, &speaker_index, speakers_complete, &mut errors);
        let topics = resolve(&d, "topics", "topic", &d.meta.topics, &topic_index, topics_complete, &mut errors);
        let RawAnnouncement { title, summary, source, figures, draft, .. } = d.meta;
        out_announcements.push(Announcement {
            slug: d.slug,
            title,
            date: day,
            summary,
            speakers,
            topics,
            source: source.map(|s| Source { name: s.name, url: s.url }),
            figures: figures.into_iter().map(|f| Figure { label: f.label, value: f.value, unit: f.unit, year: f.year }).collect(),
            draft,
            body: d.body,
        });
    }
    let announcement_index: HashMap<String, usize> =
        out_announcements.iter().enumerate().map(|(i, a)| (a.slug.clone(), i)).collect();

    let mut timeline = Vec::new();
    if let Some((file, raw)) = timeline_file {
        let whole = 0..file.text.len();
        let at = |i: usize, key: &str, value: Option<&str>| {
            yaml::locate(&file.text, whole.clone(), &[Seg::Index(i), Seg::Key(key)], value)
        };
        for (i, e) in raw.into_iter().enumerate() {
            let date = match PartialDate::parse(&e.date) {
                Ok(d) => d,
                Err(why) => {
                    errors.push(Diagnostic::at(&file.path, &file.text, at(i, "date", Some(e.date.trim())), format!("invalid timeline date: {why}"))
                        .label("not a date")
                        .help("write YYYY, YYYY-MM or YYYY-MM-DD, for example 2002, 2010-01 or 2012-09-22"));
                    continue;
                }
            };
            let announcement = match &e.announcement {
                None => None,
                Some(slug) if drafts_left_out.contains(slug) => None,
                Some(slug) => match announcement_index.get(slug) {
                    Some(&a) => Some(a),
                    None => {
                        if announcements_complete {
                            errors.push(Diagnostic::at(&file.path, &file.text, at(i, "announcement", Some(slug)), format!("unknown announcement `{slug}`"))
                                .label("no announcement has this slug")
                                .help(suggest("announcement", slug, announcement_index.keys().map(String::as_str).collect::<std::collections::BTreeSet<_>>())));
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
                        Diagnostic::at(&file.path, &file.text, at(i, "speakers", Some(slug)), format!("unknown speaker `{slug}`"))
                            .label("no file content/speakers/<slug>.md has this name")
                            .help(suggest("speaker", slug, sorted_keys(&speaker_index))),
                    ),
                    None => {}
                }
            }
            let body = e.body.as_deref().map(|text| Body {
                file: file.path.clone(),
                source: Arc::clone(&file.text),
                offset: None,
                markdown: markdown::render(text, &base_path),
            });
            timeline.push(TimelineEntry {
                position: i,
                date,
                title: e.title,
                body,
                announcement,
                speakers: entry_speakers,
                figure: e.figure.map(|f| Point { value: f.value, unit: f.unit, series: f.series }),
            });
        }
    }
    timeline.sort_by(|a, b| a.date.cmp(&b.date));

    let reserved = ["announcements", "speakers", "topics", "timeline", "search", "404"];
    let mut out_pages = Vec::new();
    for d in pages {
        if reserved.contains(&d.slug.as_str()) {
            errors.push(Diagnostic::file(&d.file.path, format!("the page slug `{}` is already used by brief's own /{}/ page", d.slug, d.slug))
                .help(format!("rename the file, for example to content/pages/about-{}.md", d.slug)));
            continue;
        }
        out_pages.push(Page { slug: d.slug, title: d.meta.title, description: d.meta.description, body: d.body });
    }

    let statics = load_statics(root, &mut errors);

    if !errors.is_empty() {
        return Err(errors.finish());
    }
    let Some(config) = config else { return Err(errors) };
    let mut site = Site {
        config,
        announcements: out_announcements,
        speakers,
        topics,
        timeline,
        pages: out_pages,
        statics,
        drafts_left_out,
        speaker_announcements: Vec::new(),
        speaker_timeline: Vec::new(),
        topic_announcements: Vec::new(),
        announcement_timeline: Vec::new(),
    };
    site.link_back();
    Ok(site)
}

fn sorted_keys<'a>(index: &'a HashMap<&str, usize>) -> std::collections::BTreeSet<&'a str> {
    index.keys().copied().collect()
}

fn resolve<T>(
    doc: &Doc<T>,
    key: &str,
    what: &str,
    slugs: &[String],
    index: &HashMap<&str, usize>,
    complete: bool,
    errors: &mut Diagnostics,
) -> Vec<usize> {
    let mut out = Vec::with_capacity(slugs.len());
    for slug in slugs {
        match index.get(slug.as_str()) {
            Some(&i) if out.contains(&i) => errors.push(
                doc.error_at(key, Some(slug), format!("{what} `{slug}` is listed twice")).label("repeated").help("remove one of them"),
            ),
            Some(&i) => out.push(i),
            None if complete => {
                let where_ = if what == "topic" { "content/topics.yaml".to_string() } else { format!("content/{what}s/<slug>.md") };
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

fn keep_ok<T>(results: Vec<Result<T, Diagnostic>>, errors: &mut Diagnostics) -> Vec<T> {
    results.into_iter().filter_map(|r| r.map_err(|d| errors.push(d)).ok()).collect()
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
                let path = err.path().map(|p| crate::diagnostic::relative(root, p)).unwrap_or_else(|| dir.to_path_buf());
                let (message, help) = if err.loop_ancestor().is_some() {
                    ("this symbolic link points back at a folder that contains it".to_string(), "remove the link or point it elsewhere")
                } else {
                    (format!("cannot read: {}", err.io_error().map_or(err.to_string(), |e| e.to_string())), "check that the path exists and that you may read it")
                };
                errors.push(Diagnostic::file(path, message).help(help));
            }
        }
    }
    out
}

fn read_yaml<T: serde::de::DeserializeOwned>(root: &Path, rel: &str) -> Result<(SourceFile, T), Diagnostic> {
    let file = source::read(root, Path::new(rel))?;
    let value = yaml::parse(&file.path, &file.text, 0..file.text.len())?;
    Ok((file, value))
}

fn parse_docs<T: serde::de::DeserializeOwned + Send>(root: &Path, paths: &[&PathBuf], base_path: &str) -> Vec<Result<Doc<T>, Diagnostic>> {
    paths.par_iter().map(|rel| parse_doc(root, rel, base_path)).collect()
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
    let body = Body { file: file.path.clone(), source: Arc::clone(&file.text), offset: Some(parts.body.start), markdown };
    Ok(Doc { slug: stem, file, front_matter: parts.front_matter, meta, body })
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
        Some(url) => parse_base_url(url).map_err(|why| Diagnostic::file("--base-url", format!("invalid --base-url `{url}`: {why}")).help("give an absolute URL such as https://example.org/briefing/"))?,
        None => parse_base_url(&raw.base_url).map_err(|why| {
            err_at(&[Seg::Key("base_url")], raw.base_url.trim(), format!("invalid base_url: {why}")).label("not an absolute http(s) URL").help("write where the site will be published, such as https://example.org/briefing/")
        })?,
    };
    let day = |key: &str, value: &str| {
        date::parse_day(value).map_err(|why| {
            err_at(&[Seg::Key("event"), Seg::Key(key)], value.trim(), format!("invalid event {key} date: {why}")).label("not a real day").help("write the day as YYYY-MM-DD, for example 2012-09-21")
        })
    };
    let start = day("start", &raw.event.start)?;
    let end = day("end", &raw.event.end)?;
    if end < start {
        return Err(err_at(&[Seg::Key("event"), Seg::Key("end")], raw.event.end.trim(), "the event ends before it starts".into())
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

fn load_statics(root: &Path, errors: &mut Diagnostics) -> Vec<StaticFile> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Vec::new();
    }
    walk(root, Path::new("static"), errors)
        .into_iter()
        .map(|rel| {
            let inside = rel.strip_prefix("static").unwrap_or(&rel);
            let path = inside.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/");
            StaticFile { path, source: root.join(&rel) }
        })
        .collect()
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
