//! `content/topics.yaml`: topics by slug, each with a title and a description.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::doc::{check_slug, parse_keyed, YamlFile};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::Topic;
use crate::source::SourceFile;
use crate::yaml::Seg;

/// One topic as written.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// The parsed file: topics by slug.
pub type File = YamlFile<BTreeMap<String, Raw>>;

/// One topic's translation (in `topics.zh.yaml`), by the topic's slug.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tr {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A translation of the topics: translations by topic slug.
pub type TrFile = YamlFile<BTreeMap<String, Tr>>;

/// Parses `file` as a translation of the topics (`topics.zh.yaml`).
pub fn parse_translation(file: SourceFile) -> Result<TrFile, Diagnostic> {
    parse_keyed(file)
}

/// Parses `file` as the topics.
pub fn parse(file: SourceFile) -> Result<File, Diagnostic> {
    parse_keyed(file)
}

/// The topics of `file`, by slug; a key that cannot be a slug is an error.
pub fn assemble(file: &File, errors: &mut Diagnostics) -> Vec<Topic> {
    let mut topics = Vec::with_capacity(file.value.len());
    for (slug, t) in &file.value {
        if let Err(help) = check_slug(slug) {
            let span = file.yaml.key(&[Seg::Key(slug)]);
            let f = file.yaml.file();
            errors.push(
                Diagnostic::at(Kind::Slug, &f.path, &f.text, span, format!("`{slug}` cannot be used as a topic slug"))
                    .label("this key is the topic's URL")
                    .help(help),
            );
        }
        topics.push(Topic {
            slug: slug.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
            fallback: None,
        });
    }
    topics
}

/// The JSON Schemas of `topics.yaml` (topics by slug) and of a translation of it.
pub fn schemas() -> [schemars::Schema; 2] {
    [
        schemars::schema_for!(std::collections::BTreeMap<String, Raw>),
        schemars::schema_for!(std::collections::BTreeMap<String, Tr>),
    ]
}
