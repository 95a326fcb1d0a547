//! `content/topics.yaml`: topics by slug, each with a title and a description.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::doc::{check_slug, parse_yaml, YamlFile};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::Topic;
use crate::source::SourceFile;
use crate::yaml::{Seg, UniqueMap};

/// One topic as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// The parsed file: topics by slug.
pub type File = YamlFile<BTreeMap<String, Raw>>;

/// Parses `file` as the topics.
pub fn parse(file: SourceFile) -> Result<File, Diagnostic> {
    let YamlFile { yaml, value } = parse_yaml::<UniqueMap<Raw>>(file)?;
    Ok(YamlFile { yaml, value: value.0 })
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
        topics.push(Topic { slug: slug.clone(), title: t.title.clone(), description: t.description.clone() });
    }
    topics
}
