//! `content/sources.yaml`: the reports a briefing is written from, each listed once under a
//! stable id, with what a reader needs to find and cite it (publisher, title, address, date,
//! language). Announcements, their figures and timeline entries cite sources by id, each
//! citation optionally with a locator that says where in the source (`paragraph 6`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::doc::{check_slug, parse_keyed, Located, YamlFile};
use super::refs::Known;
use crate::date::When;
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::{Citation, Source};
use crate::source::SourceFile;
use crate::yaml::Seg;

/// One source as written.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    publisher: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

/// The parsed file: sources by id.
pub type File = YamlFile<BTreeMap<String, Raw>>;

/// One source's translation (in `sources.zh.yaml`), by the source's id: the publisher's name in
/// that language. A title stays as published.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tr {
    pub publisher: String,
}

/// A translation of the sources: translations by id.
pub type TrFile = YamlFile<BTreeMap<String, Tr>>;

/// Parses `file` as a translation of the sources (`sources.zh.yaml`).
pub fn parse_translation(file: SourceFile) -> Result<TrFile, Diagnostic> {
    parse_keyed(file)
}

/// Parses `file` as the list of sources.
pub fn parse(file: SourceFile) -> Result<File, Diagnostic> {
    parse_keyed(file)
}

/// The sources of `file`, by id; an id that cannot be one, a date that is not a date or an
/// address that is not a web address is an error.
pub fn assemble(file: &File, errors: &mut Diagnostics) -> Vec<Source> {
    let yaml = &file.yaml;
    let mut out = Vec::with_capacity(file.value.len());
    for (id, s) in &file.value {
        if let Err(help) = check_slug(id) {
            let f = yaml.file();
            errors.push(
                Diagnostic::at(
                    Kind::Slug,
                    &f.path,
                    &f.text,
                    yaml.key(&[Seg::Key(id)]),
                    format!("`{id}` cannot be a source's id"),
                )
                .label("citations name the source by this key")
                .help(help),
            );
        }
        let published = s.published.as_deref().and_then(|text| match When::parse(text) {
            Ok(date) => Some(date),
            Err(why) => {
                errors.push(
                    yaml.error(Kind::Date, &[Seg::Key(id), Seg::Key("published")], Some(text.trim()), format!("invalid date: {why}"))
                        .label("not a date")
                        .help("write the day the source was published as YYYY-MM-DD (or YYYY-MM, or YYYY, when that is all it gives); leave it out when the source does not say"),
                );
                None
            }
        });
        if let Some(url) = s.url.as_deref().filter(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
            errors.push(
                yaml.error(Kind::Field, &[Seg::Key(id), Seg::Key("url")], Some(url), "a source's address must be a web address")
                    .label("not an http:// or https:// address")
                    .help("give the address at which readers can read the source, such as https://example.org/report, or leave `url` out"),
            );
        }
        out.push(Source {
            id: id.clone(),
            publisher: s.publisher.clone(),
            title: s.title.clone(),
            url: s.url.clone(),
            published,
            language: s.language.clone(),
            fallback: None,
        });
    }
    out
}

/// A citation as written: a source's id, or the id with a locator.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RawCitation {
    Id(String),
    Located(WithLocator),
}

/// A citation with a locator: `{id: vna-caexpo-2012, locator: paragraph 6}`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WithLocator {
    id: String,
    #[serde(default)]
    locator: Option<String>,
}

impl RawCitation {
    /// The id of the source it cites.
    pub fn id(&self) -> &str {
        match self {
            RawCitation::Id(id) => id,
            RawCitation::Located(l) => &l.id,
        }
    }

    /// Where in the source, if it says.
    pub fn locator(&self) -> Option<&str> {
        match self {
            RawCitation::Id(_) => None,
            RawCitation::Located(l) => l.locator.as_deref(),
        }
    }
}

/// The citations `list`, written at `path` of `yaml`, resolved against the `known` sources; an
/// unknown id is an error at its place, with the known ids and the closest one.
pub fn cite(
    list: &[RawCitation],
    yaml: &Located,
    path: &[Seg],
    known: &Known,
    errors: &mut Diagnostics,
) -> Vec<Citation> {
    let mut out = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        let id = c.id();
        match known.get(id) {
            Some(source) => out.push(Citation { source, locator: c.locator().map(str::to_string) }),
            None if known.complete => {
                let mut at: Vec<Seg> = path.to_vec();
                at.push(Seg::Index(i));
                if let RawCitation::Located(_) = c {
                    at.push(Seg::Key("id"));
                }
                let f = yaml.file();
                errors.push(known.unknown(&f.path, &f.text, yaml.at(&at, Some(id)), id));
            }
            None => {}
        }
    }
    out
}

/// Gives the citations `cited`, whose sources' ids are `ids`, the locators of their
/// translation `translated`, which must cite the same ids in the same order (a locator it leaves
/// out stays the original's). Whether it does.
pub fn relocate<'a>(cited: &mut [Citation], ids: impl Iterator<Item = &'a str>, translated: &[RawCitation]) -> bool {
    if !translated.iter().map(RawCitation::id).eq(ids) {
        return false;
    }
    for (c, t) in cited.iter_mut().zip(translated) {
        if let Some(locator) = t.locator() {
            c.locator = Some(locator.to_string());
        }
    }
    true
}

/// The error for the field `source:`, which `sources:` replaced, at its key in `yaml`.
pub fn replaced_field(yaml: &Located) -> Diagnostic {
    let f = yaml.file();
    Diagnostic::at(
        Kind::Field,
        &f.path,
        &f.text,
        yaml.key(&[Seg::Key("source")]),
        "`source:` has become `sources:`, a list of ids of content/sources.yaml",
    )
    .label("written inline, once per announcement")
    .help("list the source once in content/sources.yaml (`vna: {publisher: VNA (Vietnam News Agency)}`, with its title, url and published date where you know them), then cite it here as `sources: [vna]`; see docs/content.md, \"Sources\"")
}

/// The JSON Schemas of `sources.yaml` (sources by id) and of a translation of it.
pub fn schemas() -> [schemars::Schema; 2] {
    [
        schemars::schema_for!(std::collections::BTreeMap<String, Raw>),
        schemars::schema_for!(std::collections::BTreeMap<String, Tr>),
    ]
}
