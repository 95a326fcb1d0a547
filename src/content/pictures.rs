//! A speaker's `photo:` and an announcement's `image:`: where the file is, that it is an image
//! brief can use, with its text alternative, and its variants, made once and cached (see
//! [`crate::images`]).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use super::doc::Located;
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::images::{self, Probe, Problem, Use};
use crate::model::{Image, StaticFile};
use crate::yaml::Seg;

/// An image as the front matter gives it.
#[derive(Deserialize, schemars::JsonSchema, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    /// The file: beside the Markdown file (`su-bo.jpg`), or under static/ (`/photos/su-bo.jpg`).
    pub src: String,
    /// What the image shows, for readers who cannot see it (required).
    // Read as optional, so that a missing one gets its own message; required in the schema.
    #[schemars(required)]
    pub alt: Option<String>,
    /// Who took the image or holds its rights, as they are to be credited.
    #[serde(default)]
    pub credit: Option<String>,
}

/// An image in a translation: its words; the file is the original's and may be restated.
#[derive(Deserialize, schemars::JsonSchema, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TrImage {
    /// The original's file, restated (it must be the same).
    #[serde(default)]
    pub src: Option<String>,
    /// What the image shows, in the translation's language.
    #[serde(default)]
    pub alt: Option<String>,
    /// The credit, in the translation's language.
    #[serde(default)]
    pub credit: Option<String>,
}

/// `original` in the words of a translation's `tr`.
pub fn translate(original: &Option<Arc<Image>>, tr: Option<&TrImage>) -> Option<Arc<Image>> {
    let (image, tr) = match (original, tr) {
        (Some(image), Some(tr)) if tr.alt.is_some() || tr.credit.is_some() => (image, tr),
        _ => return original.clone(),
    };
    Some(Arc::new(Image {
        alt: tr.alt.clone().unwrap_or_else(|| image.alt.clone()),
        credit: tr.credit.clone().or_else(|| image.credit.clone()),
        ..(**image).clone()
    }))
}

/// Reports a translation whose image `key` names another file than its original's, or that has
/// an image its original lacks.
pub(super) fn check_shared(
    same: &mut super::translate::Shared,
    key: &'static str,
    original: Option<&RawImage>,
    tr: Option<&TrImage>,
) {
    let Some(tr) = tr else { return };
    match (original, tr.src.as_deref()) {
        (None, _) => same.differ(&[Seg::Key(key)], None, None, noun(key)),
        (Some(o), Some(src)) if src.trim() != o.src.trim() => {
            same.differ(&[Seg::Key(key), Seg::Key("src")], Some(src.trim()), Some(o.src.trim()), "image file")
        }
        _ => {}
    }
}

/// One image a document asks for.
pub struct Request<'a> {
    /// The document's front matter.
    pub yaml: &'a Located,
    /// The field (`photo`, `image`).
    pub key: &'static str,
    pub raw: &'a RawImage,
    pub usage: Use,
    /// The document's slug, which names the variants.
    pub name: &'a str,
}

/// What `serve` keeps between rebuilds: each image file's header and hash, until it is saved
/// again.
#[derive(Default)]
pub struct Pictures {
    probes: HashMap<PathBuf, Result<Probe, Problem>>,
}

/// What [`Pictures::attach`] made of the requests.
pub struct Attached {
    /// The image of each request, in order (`None` for one with a problem).
    pub images: Vec<Option<Arc<Image>>>,
    /// The variants to publish, each once.
    pub files: Vec<StaticFile>,
    /// The source files the requests read (relative to the root): a file of static/ among them
    /// is published through its variants only, never as it is with its metadata.
    pub sources: HashSet<PathBuf>,
    pub stats: images::Stats,
}

impl Pictures {
    /// Forgets what it read of `rel` (a path relative to the root), which changed; whether it
    /// had read it.
    pub fn forget(&mut self, rel: &Path) -> bool {
        self.probes.remove(rel).is_some()
    }

    /// Checks every request, reads the images' headers (those not read before), and makes the
    /// variants the cache under `root` lacks. Problems go to `errors`, at the request's field.
    pub fn attach(&mut self, root: &Path, requests: &[Request], errors: &mut Diagnostics) -> Attached {
        let cache = root.join(images::CACHE_DIR);
        // Where each request's file is, or why it cannot be used.
        let mut resolved: Vec<Option<PathBuf>> = Vec::with_capacity(requests.len());
        for r in requests {
            let alt = r.raw.alt.as_deref().map(str::trim).unwrap_or_default();
            if alt.is_empty() {
                errors.push(
                    r.yaml
                        .error(
                            Kind::Publishing,
                            &[Seg::Key(r.key)],
                            None,
                            format!("this {} has no text alternative", noun(r.key)),
                        )
                        .label("no `alt:`")
                        .help(format!(
                            "add `alt:` under `{}:`, saying what the image shows (\"Su Bo speaking at the opening \
                             ceremony\"), for readers who cannot see it",
                            r.key
                        )),
                );
            }
            match resolve(&r.yaml.file().path, &r.raw.src) {
                Ok(rel) => resolved.push(Some(rel)),
                Err(why) => {
                    errors.push(error_at(r, why.0).help(why.1));
                    resolved.push(None);
                }
            }
        }
        // Headers not read yet, in parallel.
        let unread: HashSet<&PathBuf> = resolved.iter().flatten().filter(|p| !self.probes.contains_key(*p)).collect();
        let read: Vec<(PathBuf, Result<Probe, Problem>)> =
            unread.into_par_iter().map(|rel| (rel.clone(), images::probe(&root.join(rel)))).collect();
        self.probes.extend(read);

        // The variants of each request, and one job per image and use.
        let mut plans: Vec<Option<(Vec<images::Variant>, &Probe)>> = Vec::with_capacity(requests.len());
        for (r, rel) in requests.iter().zip(&resolved) {
            let Some(rel) = rel else {
                plans.push(None);
                continue;
            };
            match &self.probes[rel] {
                Ok(probe) => plans.push(Some((images::plan(probe, r.usage, r.name, &cache), probe))),
                Err(problem) => {
                    errors.push(error_at(r, problem.message(&rel.display().to_string())).help(problem.help()));
                    plans.push(None);
                }
            }
        }
        let mut first_of: HashMap<(&str, Use), usize> = HashMap::new();
        let mut jobs = Vec::new();
        let mut job_requests = Vec::new();
        for (i, (plan, rel)) in plans.iter().zip(&resolved).enumerate() {
            if let (Some((variants, probe)), Some(rel)) = (plan, rel) {
                if let std::collections::hash_map::Entry::Vacant(e) =
                    first_of.entry((probe.hash.as_str(), requests[i].usage))
                {
                    e.insert(i);
                    jobs.push(images::Job { source: root.join(rel), variants });
                    job_requests.push(i);
                }
            }
        }
        let (stats, problems) = images::process(&jobs);
        let mut failed: HashSet<usize> = HashSet::new();
        for (job, problem) in problems {
            let i = job_requests[job];
            failed.insert(i);
            let shown = resolved[i].as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            errors.push(error_at(&requests[i], problem.message(&shown)).help(problem.help()));
        }

        let mut files = Vec::new();
        let mut published: HashSet<String> = HashSet::new();
        let mut out = Vec::with_capacity(requests.len());
        for (r, plan) in requests.iter().zip(plans) {
            let Some((variants, probe)) = plan else {
                out.push(None);
                continue;
            };
            let hash = (probe.hash.as_str(), r.usage);
            // A request whose image failed, itself or through another request of the same file.
            if failed.contains(&first_of[&hash]) {
                out.push(None);
                continue;
            }
            for v in &variants {
                if published.insert(v.path.clone()) {
                    files.push(StaticFile { path: v.path.clone(), source: v.cached.clone() });
                }
            }
            out.push(Some(Arc::new(Image {
                alt: r.raw.alt.as_deref().unwrap_or_default().trim().to_string(),
                credit: r.raw.credit.clone(),
                width: probe.width,
                height: probe.height,
                variants: variants.into(),
            })));
        }
        let sources = resolved.into_iter().flatten().collect();
        Attached { images: out, files, sources, stats }
    }
}

fn error_at(r: &Request, message: impl Into<String>) -> Diagnostic {
    r.yaml.error(Kind::Image, &[Seg::Key(r.key), Seg::Key("src")], Some(r.raw.src.trim()), message)
}

fn noun(key: &str) -> &'static str {
    if key == "photo" {
        "photo"
    } else {
        "image"
    }
}

/// The file `src` names, relative to the site's root, from the Markdown file `doc` (relative to
/// the root): a path beside the file, or from static/ when it starts with `/`. A path that
/// leaves its folder's tree, or a URL, is an error: the message and its help.
pub fn resolve(doc: &Path, src: &str) -> Result<PathBuf, (String, String)> {
    let src = src.trim();
    if crate::routes::is_absolute(src) {
        return Err((
            format!("`{src}` is an address on the web; brief makes its variants from a file of the site"),
            "download the image into the folder of this file and name it here (`su-bo.jpg`)".into(),
        ));
    }
    if src.is_empty() {
        return Err(("`src:` is empty".into(), "name the image file: `src: su-bo.jpg`".into()));
    }
    let (base, rest) = match src.strip_prefix('/') {
        Some(rest) => (PathBuf::from("static"), rest),
        None => (doc.parent().map(Path::to_path_buf).unwrap_or_default(), src),
    };
    let top = if src.starts_with('/') { "static" } else { "content" };
    let mut path = base;
    for c in Path::new(rest).components() {
        match c {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                path.pop();
            }
            _ => {}
        }
    }
    if !path.starts_with(top) || path == Path::new(top) {
        return Err((
            format!("`{src}` leads out of {top}/"),
            "keep the image beside the Markdown file, or under static/ and name it from there (`/photos/su-bo.jpg`)"
                .into(),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_beside_the_file_or_from_static() {
        let doc = Path::new("content/speakers/su-bo.md");
        assert_eq!(resolve(doc, "su-bo.jpg").unwrap(), Path::new("content/speakers/su-bo.jpg"));
        assert_eq!(resolve(doc, "./photos/a.png").unwrap(), Path::new("content/speakers/photos/a.png"));
        assert_eq!(resolve(doc, "../pages/a.png").unwrap(), Path::new("content/pages/a.png"));
        assert_eq!(resolve(doc, "/photos/su-bo.jpg").unwrap(), Path::new("static/photos/su-bo.jpg"));
        assert!(resolve(doc, "../../secret.jpg").is_err());
        assert!(resolve(doc, "/../content/x.jpg").is_err());
        assert!(resolve(doc, "https://example.org/a.jpg").is_err());
    }
}
