//! `content/pages/<slug>.md`: a free page, published at `/<slug>/`.

use std::sync::Arc;

use serde::Deserialize;

use super::doc::{parse_doc, Doc, Slugged};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::Page;
use crate::routes::RESERVED;
use crate::source::SourceFile;

/// The fields of a free page's front matter.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Raw {
    title: String,
    #[serde(default)]
    description: Option<String>,
    /// The slug, when the file name should not give it.
    #[serde(default)]
    slug: Option<String>,
}

impl Slugged for Raw {
    fn slug(&self) -> Option<&str> {
        self.slug.as_deref()
    }
}

/// Parses `file` as a free page; links in it go under `base_path`.
pub fn parse(file: SourceFile, base_path: &str) -> Result<Doc<Raw>, Diagnostic> {
    parse_doc(file, base_path)
}

/// The pages of `docs`, less those whose slug is one of brief's own pages, which are errors.
pub fn assemble(docs: &[Arc<Doc<Raw>>], errors: &mut Diagnostics) -> Vec<Page> {
    let mut pages = Vec::with_capacity(docs.len());
    for d in docs {
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
        pages.push(Page {
            slug: d.slug.clone(),
            title: d.meta.title.clone(),
            description: d.meta.description.clone(),
            body: Arc::clone(&d.body),
        });
    }
    pages
}
