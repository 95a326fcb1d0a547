//! `content/speakers/<slug>.md`: a speaker's name, role, organization and country, and a bio.

use std::sync::Arc;

use serde::Deserialize;

use super::doc::{parse_doc, Doc, Slugged};
use super::pictures::{RawImage, TrImage};
use crate::date::When;
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::Speaker;
use crate::source::SourceFile;

/// The fields of a speaker's front matter.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    name: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    country: Option<String>,
    /// When the role and organization were so, as the source gives them (`2012-09`).
    #[serde(default)]
    as_of: Option<String>,
    /// Their photo: the file and its text alternative.
    #[serde(default)]
    pub photo: Option<RawImage>,
    /// The slug, when the file name should not give it.
    #[serde(default)]
    slug: Option<String>,
}

impl Slugged for Raw {
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

/// The fields of a speaker's translation (`su-bo.zh.md`): all translated; the slug, shared, may
/// be restated.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tr {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    organization: Option<String>,
    #[serde(default)]
    country: Option<String>,
    /// The photo's text alternative and credit in this language.
    #[serde(default)]
    photo: Option<TrImage>,
    #[serde(default)]
    slug: Option<String>,
}

impl super::translate::Embargoed for Tr {}

impl Slugged for Tr {
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

/// Parses `file` as the translation of a speaker.
pub fn parse_translation(file: SourceFile, base_path: &str) -> Result<Doc<Tr>, Diagnostic> {
    parse_doc(file, base_path)
}

/// `original` in the words of its translation `tr`; a field the translation leaves out keeps
/// the original's text.
pub fn translate(original: &Speaker, doc: &Doc<Raw>, tr: &Doc<Tr>, errors: &mut Diagnostics) -> Speaker {
    let t = &tr.meta;
    let mut same = super::translate::Shared { original: &doc.yaml, translation: &tr.yaml, errors };
    super::pictures::check_shared(&mut same, "photo", doc.meta.photo.as_ref(), t.photo.as_ref());
    Speaker {
        photo: super::pictures::translate(&original.photo, t.photo.as_ref()),
        name: t.name.clone().unwrap_or_else(|| original.name.clone()),
        role: t.role.clone().or_else(|| original.role.clone()),
        organization: t.organization.clone().or_else(|| original.organization.clone()),
        country: t.country.clone().or_else(|| original.country.clone()),
        body: Arc::clone(&tr.body),
        fallback: None,
        ..original.clone()
    }
}

/// Parses `file` as a speaker; links in the bio go under `base_path`.
pub fn parse(file: SourceFile, base_path: &str) -> Result<Doc<Raw>, Diagnostic> {
    parse_doc(file, base_path)
}

/// The speakers of `docs`, sorted by name (then slug).
pub fn assemble(docs: &[Arc<Doc<Raw>>], errors: &mut Diagnostics) -> Vec<Speaker> {
    let mut speakers: Vec<Speaker> = docs
        .iter()
        .map(|d| Speaker {
            slug: d.slug.clone(),
            name: d.meta.name.clone(),
            role: d.meta.role.clone(),
            organization: d.meta.organization.clone(),
            country: d.meta.country.clone(),
            as_of: d.meta.as_of.as_deref().and_then(|text| {
                When::parse(text)
                    .map_err(|why| {
                        errors.push(
                            d.error(Kind::Date, "as_of", Some(text.trim()), format!("invalid as_of date: {why}"))
                                .label("not a date")
                                .help("write when the role was so, as the source gives it: 2012-09 for September 2012"),
                        )
                    })
                    .ok()
            }),
            // Attached with every image of the site at once (`super::pictures`).
            photo: None,
            body: Arc::clone(&d.body),
            fallback: None,
        })
        .collect();
    speakers.sort_by(|a, b| (&a.name, &a.slug).cmp(&(&b.name, &b.slug)));
    speakers
}

/// The JSON Schemas of a speaker's front matter and of a translation's.
pub fn schemas() -> [schemars::Schema; 2] {
    [schemars::schema_for!(Raw), schemars::schema_for!(Tr)]
}
