//! `content/pages/<slug>.md`: a free page, published at `/<slug>/`.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;

use super::doc::{parse_doc, Doc, Slugged};
use super::embargo::{Clock, Verdict};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::Page;
use crate::routes::{page_path, RESERVED};
use crate::source::SourceFile;
use crate::yaml::Seg;

/// The fields of a free page's front matter.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    title: String,
    #[serde(default)]
    description: Option<String>,
    /// The slug, when the file name should not give it.
    #[serde(default)]
    slug: Option<String>,
    /// The moment it may be published from (RFC 3339, with its offset).
    #[serde(default)]
    embargo: Option<String>,
    /// When this page was published (a day or a moment).
    #[serde(default)]
    published: Option<String>,
    /// When this page was last updated (a day or a moment).
    #[serde(default)]
    updated: Option<String>,
}

impl Slugged for Raw {
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

/// The fields of a free page's translation (`about.zh.md`).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tr {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    /// When this translation was last updated.
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

/// Parses `file` as the translation of a free page.
pub fn parse_translation(file: SourceFile, base_path: &str) -> Result<Doc<Tr>, Diagnostic> {
    parse_doc(file, base_path)
}

/// `original` in the words of its translation `tr`.
pub fn translate(original: &Page, tr: &Doc<Tr>, errors: &mut Diagnostics) -> Page {
    let t = &tr.meta;
    let updated = super::stamps::read(&tr.yaml, "updated", t.updated.as_deref(), errors).or(original.updated);
    Page {
        updated,
        title: t.title.clone().unwrap_or_else(|| original.title.clone()),
        description: t.description.clone().or_else(|| original.description.clone()),
        body: Arc::clone(&tr.body),
        fallback: None,
        ..original.clone()
    }
}

/// Parses `file` as a free page; links in it go under `base_path`.
pub fn parse(file: SourceFile, base_path: &str) -> Result<Doc<Raw>, Diagnostic> {
    parse_doc(file, base_path)
}

/// The pages of `docs`, less those whose slug is one of brief's own pages, which are errors, and
/// those `clock` withholds, whose file names go in `left_out`.
pub fn assemble(
    docs: &[Arc<Doc<Raw>>],
    clock: &mut Clock,
    left_out: &mut HashSet<String>,
    errors: &mut Diagnostics,
) -> Vec<Page> {
    let mut pages = Vec::with_capacity(docs.len());
    for d in docs {
        let embargo =
            match clock.judge(&d.yaml, &[Seg::Key("embargo")], d.meta.embargo.as_deref(), Some(&page_path(&d.slug))) {
                Ok(Verdict::Keep(held)) => held.map(|e| e.until),
                Ok(Verdict::Withhold(_)) => {
                    left_out.insert(d.stem.clone());
                    continue;
                }
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
        if RESERVED.contains(&d.slug.as_str()) {
            errors.push(
                Diagnostic::file(
                    Kind::Slug,
                    &d.file().path,
                    format!("the page slug `{}` is already used by brief's own /{}/ page", d.slug, d.slug),
                )
                .help(format!("rename the file, for example to content/pages/about-{}.md", d.slug)),
            );
            continue;
        }
        let m = &d.meta;
        let (published, updated) =
            super::stamps::of_item(&d.yaml, m.published.as_deref(), m.updated.as_deref(), m.embargo.as_deref(), errors);
        pages.push(Page {
            published,
            updated,
            slug: d.slug.clone(),
            title: d.meta.title.clone(),
            description: d.meta.description.clone(),
            body: Arc::clone(&d.body),
            embargo,
            fallback: None,
        });
    }
    pages
}

/// The JSON Schemas of a free page's front matter and of a translation's.
pub fn schemas() -> [schemars::Schema; 2] {
    [schemars::schema_for!(Raw), schemars::schema_for!(Tr)]
}
