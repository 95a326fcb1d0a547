//! The build as a sequence of phases: load, validate, render, check links, write.
//!
//! `check` runs every phase but the last; `build` runs them all. Errors of the load phase and of
//! the templates are reported together, so one run shows as many mistakes as possible.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::{self, Settings};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::links::PageLinks;
use crate::model::Site;
use crate::output::{self, Contents, OutputFile};
use crate::outputs;
use crate::render;
use crate::routes::PageKind;
use crate::templates::Templates;

/// What went wrong in a run, and so the exit code.
#[derive(Debug)]
pub enum Error {
    /// Problems in the content or the templates (exit code 1).
    Content(Diagnostics),
    /// The command was asked for something it refuses (exit code 2).
    Usage(String),
    /// The system failed us, for example a full disk (exit code 1): what brief was doing, and
    /// the system's error, kept as the source so that its whole chain can be shown.
    Io { doing: String, source: Box<dyn std::error::Error + Send + Sync> },
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Content(_) | Error::Io { .. } => 1,
        }
    }

    /// A failure of the system while `doing` something.
    pub fn io(doing: impl Into<String>, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        Error::Io { doing: doing.into(), source: source.into() }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Content(d) => write!(f, "the site has {} problem(s)", d.0.len()),
            Error::Usage(message) => f.write_str(message),
            Error::Io { doing, .. } => f.write_str(doing),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's root directory (holding `content/`, `templates/`, `static/`).
    pub root: PathBuf,
    /// Where to write; `ROOT/public` when not given.
    pub out: Option<PathBuf>,
    /// Choices that change what is loaded.
    pub settings: Settings,
    /// Also write the full-text search index (`--search`; `publish` always does).
    pub search: bool,
}

impl Options {
    /// The output directory.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Report {
    /// HTML pages written.
    pub pages: usize,
    /// Machine outputs and host files written (sitemap, feed, calendar, search index...).
    pub data: usize,
    /// Files of `static/` published (copied, or minified and renamed by `publish`).
    pub statics: usize,
    /// Variants of the photos and pictures published.
    pub image_files: usize,
    /// The images the content shows, and how many of them this run decoded (the rest came from
    /// the cache).
    pub images: crate::images::Stats,
    /// Compressed copies (`.gz`, `.br`) written by `publish`.
    pub compressed: usize,
    /// Where the site was written, if it was.
    pub out: Option<PathBuf>,
    /// How long the run took.
    pub elapsed: Duration,
    /// How far each further language is translated (`check` reports it).
    pub coverage: Vec<Coverage>,
    /// What is worth fixing but did not stop the run (messages not translated yet).
    pub warnings: Diagnostics,
    /// The embargoes not lifted yet, the soonest first: the items this run left out, and when
    /// to build again to publish them.
    pub embargoes: Vec<crate::model::Embargo>,
}

/// A site rendered, ready to be written; from [`render_site_to`], written into a stage already.
pub struct Rendered {
    /// The checked content.
    pub site: Site,
    /// Every output file. Pages that [`render_site_to`] wrote as they were rendered are
    /// [`Contents::Staged`]: their text is in the stage until it
    /// is committed, not here.
    pub files: Vec<OutputFile>,
    /// How far each further language is translated.
    pub coverage: Vec<Coverage>,
    /// What is worth fixing but did not stop the run.
    pub warnings: Diagnostics,
}

/// How far one language of a briefing is translated: what `brief check` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The language's code and name.
    pub code: String,
    pub name: String,
    /// Announcements, speakers and free pages with a translation, of how many.
    pub translated: usize,
    pub total: usize,
    /// The files of the members not translated yet.
    pub untranslated: Vec<PathBuf>,
    /// The messages of the default language's file that this language's lacks; `None` when it
    /// has no message file at all (every message then comes from the default language).
    pub messages_missing: Option<Vec<String>>,
}

/// How far each further language of `site` is translated, its members and the templates'
/// messages.
pub fn coverage(site: &Site, templates: &Templates) -> Vec<Coverage> {
    let default = &site.config.languages[0].code;
    site.translations
        .iter()
        .map(|s| {
            let l = s.config.current();
            let members = (s.announcements.iter().map(|a| (a.fallback, &a.body.file)))
                .chain(s.speakers.iter().map(|m| (m.fallback, &m.body.file)))
                .chain(s.pages.iter().map(|p| (p.fallback, &p.body.file)));
            let (mut translated, mut total, mut untranslated) = (0, 0, Vec::new());
            for (fallback, file) in members {
                total += 1;
                match fallback {
                    None => translated += 1,
                    Some(_) => untranslated.push(file.clone()),
                }
            }
            let messages_missing = if templates.messages.is_empty() {
                Some(Vec::new())
            } else {
                templates.messages.missing(default, &l.code)
            };
            Coverage { code: l.code.clone(), name: l.name.clone(), translated, total, untranslated, messages_missing }
        })
        .collect()
}

/// The gaps in the translations of `site`: errors when its `site.yaml` requires complete
/// translations; otherwise the messages that a language lacks come back as warnings (its pages
/// show those words in the default language), and members not translated yet are left to
/// `brief check`'s report.
pub fn require_complete(site: &Site, templates: &Templates, coverage: &[Coverage]) -> Result<Diagnostics, Error> {
    let gaps = gaps(site, templates, coverage);
    if site.config.require_translations && !gaps.is_empty() {
        Err(Error::Content(gaps))
    } else {
        Ok(gaps)
    }
}

fn gaps(site: &Site, templates: &Templates, coverage: &[Coverage]) -> Diagnostics {
    let mut found = Diagnostics::default();
    let required = site.config.require_translations;
    let default = &site.config.languages[0];
    let help = "translate it, or remove `require_translations: true` from content/site.yaml";
    for c in coverage {
        let file = format!("messages/{}.ftl", c.code);
        if required {
            for member in &c.untranslated {
                let stem = member.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                found.push(
                    Diagnostic::file(
                        Kind::Translation,
                        member,
                        format!("{} has no translation into {} ({stem}.{}.md)", member.display(), c.name, c.code),
                    )
                    .help(help),
                );
            }
        }
        match &c.messages_missing {
            None => {
                let d = Diagnostic::file(
                    Kind::Translation,
                    &file,
                    format!(
                        "there is no message file for {}: its pages show the templates' words in {}",
                        c.name, default.name
                    ),
                )
                .help(format!("copy messages/{}.ftl to {file} and translate it", default.code));
                found.push(if required { d } else { d.warning() });
            }
            Some(keys) if required => {
                for key in keys {
                    let message = format!("the message `{key}` is not translated into {} ({file})", c.name);
                    let d = templates
                        .messages
                        .at(Kind::Translation, &default.code, key, &message)
                        .unwrap_or_else(|| Diagnostic::file(Kind::Translation, &file, &message));
                    found.push(d.label(format!("written in {} only", default.name)).help(format!(
                        "add `{key} = …` to {file}, or remove `require_translations: true` from content/site.yaml"
                    )));
                }
            }
            Some(keys) if !keys.is_empty() => {
                let n = keys.len();
                found.push(
                    Diagnostic::file(
                        Kind::Translation,
                        &file,
                        format!(
                            "{file} lacks {n} message{} of messages/{}.ftl, which {} pages show in {}: {}",
                            if n == 1 { "" } else { "s" },
                            default.code,
                            c.name,
                            default.name,
                            keys.join(", ")
                        ),
                    )
                    .help(format!("translate {} into {file}", if n == 1 { "it" } else { "them" }))
                    .warning(),
                );
            }
            Some(_) => {}
        }
    }
    found.finish()
}

/// The load phase of every command: the content, validated, and the compiled templates.
/// `prepare` runs on the content before the templates are compiled (`publish` fingerprints the
/// static files there), and `asset_urls` gives, from what it made, the URLs the templates'
/// `asset()` function returns. The errors of the content, of `prepare` and of the templates are
/// reported together, so that one run shows as many mistakes as possible.
pub fn load_phase<P>(
    root: &Path,
    settings: &Settings,
    prepare: impl FnOnce(&Site) -> Result<P, Diagnostics>,
    asset_urls: impl FnOnce(&P) -> HashMap<String, String>,
) -> Result<(Site, Templates, P), Error> {
    let site = content::load(root, settings);
    let base_path = site.as_ref().map_or("/".to_string(), |s| s.config.base_path.clone());
    let prepared = site.as_ref().ok().map(prepare);
    let urls = match &prepared {
        Some(Ok(p)) => asset_urls(p),
        _ => HashMap::new(),
    };
    let templates = Templates::load_with_assets(root, &base_path, urls);
    match (site, templates, prepared) {
        (Ok(site), Ok(templates), Some(Ok(prepared))) => Ok((site, templates, prepared)),
        (site, templates, prepared) => {
            let mut all = Diagnostics::default();
            for errs in [site.err(), templates.err(), prepared.and_then(Result::err)].into_iter().flatten() {
                all.0.extend(errs.0);
            }
            Err(Error::Content(all.finish()))
        }
    }
}

/// What each page of each language links to: `(language, page, links)`.
pub type Links = Vec<(usize, PageKind, Arc<PageLinks>)>;

/// The link check of `files`, whose pages link to what `links` says, one language at a time.
pub fn check_links(site: &Site, templates: &Templates, files: &[OutputFile], links: &Links) -> Result<(), Error> {
    // Looked up once for every link of every page: a fast hash for these short keys.
    let lookup: rustc_hash::FxHashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut broken = Diagnostics::default();
    for (lang, site) in site.languages().enumerate() {
        let of_lang = links.iter().filter(|(l, _, _)| *l == lang).map(|(_, k, l)| (*k, Arc::clone(l)));
        let pages = crate::links::Pages::new(site, of_lang);
        broken.0.extend(crate::links::check(site, templates, &lookup, &pages).0);
    }
    let broken = broken.finish();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(Error::Content(broken))
    }
}

/// Every file of the site: its pages, its machine outputs and its static files, without the
/// link check; and what each page links to.
pub fn render_files(site: &Site, templates: &Templates) -> Result<(Vec<OutputFile>, Links), Diagnostics> {
    render_files_to(site, templates, None)
}

/// [`render_files`], writing each page into `stage` as soon as it is rendered (see
/// [`render::render_all`]).
pub fn render_files_to(
    site: &Site,
    templates: &Templates,
    stage: Option<&output::Staged>,
) -> Result<(Vec<OutputFile>, Links), Diagnostics> {
    let languages = render::languages(site, templates);
    // Every page of every language in one parallel pass, the long list pages first so that no
    // core waits at the end; the machine outputs meanwhile.
    let mut jobs: Vec<(usize, PageKind)> =
        languages.iter().flat_map(|(lang, _, kinds)| kinds.iter().map(move |k| (*lang, *k))).collect();
    jobs.sort_by_key(|(_, kind)| !render::is_list(*kind));
    let kinds: Vec<Vec<PageKind>> = languages.into_iter().map(|(_, _, kinds)| kinds).collect();
    let (pages, data) = rayon::join(
        || render::render_all(site, templates, &jobs, render::Reads::Skip, stage),
        || outputs::render_languages(site, &kinds),
    );
    let pages = pages?;
    let links = pages.iter().map(|(lang, p)| (*lang, p.kind, Arc::clone(&p.links))).collect();
    let mut files: Vec<OutputFile> = pages.into_iter().map(|(_, p)| p.file).collect();
    files.extend(data);
    let written: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let collisions = static_collisions(site, |p| written.contains(p));
    if !collisions.is_empty() {
        return Err(collisions);
    }
    files.extend(static_files(site));
    Ok((files, links))
}

/// The files to copy: those of `static/`, and the variants of the images.
pub fn static_files(site: &Site) -> impl Iterator<Item = OutputFile> + '_ {
    site.copied().map(|s| OutputFile { path: s.path.clone(), contents: Contents::Copy(s.source.clone()) })
}

/// The files of `static/` that would replace a page brief writes (`written` holds for the paths
/// of the pages). A machine output, such as `robots.txt`, may be replaced by the author's own.
pub fn static_collisions(site: &Site, written: impl Fn(&str) -> bool) -> Diagnostics {
    let mut errors = Diagnostics::default();
    for s in site.statics.iter().filter(|s| written(&s.path) && !outputs::is_output_path(&s.path)) {
        errors.push(
            Diagnostic::file(
                Kind::Static,
                format!("static/{}", s.path),
                format!("static/{} would overwrite the page brief writes at /{}", s.path, s.path),
            )
            .help("rename or move the file: brief writes this path itself"),
        );
    }
    errors.finish()
}

/// Loads, validates, renders and checks links, and with `search` makes the search index;
/// writes nothing.
pub fn render_site(root: &Path, settings: &Settings, search: bool) -> Result<Rendered, Error> {
    render_site_to(root, settings, search, None).map(|(rendered, _)| rendered)
}

/// [`render_site`], writing the site into a staging directory beside `out` as it goes: each
/// page as soon as it is rendered (without search, which indexes the pages from memory), the
/// other files while the links are checked. The stage is committed by the caller; an error
/// drops it, which removes it.
pub fn render_site_to(
    root: &Path,
    settings: &Settings,
    search: bool,
    out: Option<&Path>,
) -> Result<(Rendered, Option<output::Staged>), Error> {
    let (site, templates, ()) = load_phase(root, settings, |_| Ok(()), |_| HashMap::new())?;
    let coverage = coverage(&site, &templates);
    let warnings = require_complete(&site, &templates, &coverage)?;
    let stage = out.map(output::begin).transpose().map_err(not_written)?;
    let streamed = stage.as_ref().filter(|_| !search);
    let (mut files, links) = render_files_to(&site, &templates, streamed).map_err(Error::Content)?;
    let fill = |files: &[OutputFile]| stage.as_ref().map_or(Ok(()), |s| s.fill(files));
    if search {
        // The index takes far longer than the check: it waits for a site whose links hold.
        check_links(&site, &templates, &files, &links)?;
        let index = crate::search::index_files(&site, &templates.messages, &files).map_err(Error::Content)?;
        files.extend(index);
        fill(&files).map_err(not_written)?;
    } else {
        let (checked, filled) = rayon::join(|| check_links(&site, &templates, &files, &links), || fill(&files));
        checked?;
        filled.map_err(not_written)?;
    }
    // What each page links to (ten thousand pages' lists) is not needed again.
    settings.release(links);
    Ok((Rendered { site, files, coverage, warnings }, stage))
}

/// Everything `build` checks, without writing anything.
pub fn check(options: &Options) -> Result<Report, Error> {
    let started = Instant::now();
    let mut rendered = render_site(&options.root, &options.settings, false)?;
    let coverage = std::mem::take(&mut rendered.coverage);
    let mut report = finish(rendered, None, started, &options.settings);
    report.coverage = coverage;
    Ok(report)
}

/// Builds the site into the output directory, replacing it only when everything succeeded.
pub fn build(options: &Options) -> Result<Report, Error> {
    let started = Instant::now();
    let out = options.out_dir();
    output::check_out_dir(&options.root, &out).map_err(Error::Usage)?;
    let (rendered, staged) = render_site_to(&options.root, &options.settings, options.search, Some(&out))?;
    if let Some(staged) = staged {
        staged.commit().map_err(not_written)?;
    }
    Ok(finish(rendered, Some(out), started, &options.settings))
}

/// The error of a run that could not write its output.
pub(crate) fn not_written(e: std::io::Error) -> Error {
    Error::io("could not write the site", e)
}

/// The report of a run that made `rendered` (and wrote it to `out`), with its warnings; the
/// rendered site is then released (see [`Settings::release`]): freeing a large site (a million
/// allocations at 10,000 pages in three languages) takes a tenth of a second on one core, which
/// the caller, who has what it asked for, does not wait for.
pub(crate) fn finish(mut rendered: Rendered, out: Option<PathBuf>, started: Instant, settings: &Settings) -> Report {
    let mut report = report(&rendered.site, &rendered.files, out, started);
    report.warnings = std::mem::take(&mut rendered.warnings);
    settings.release(rendered);
    report
}

/// What a run wrote: `files` for `site`, in `out`.
pub fn report(site: &Site, files: &[OutputFile], out: Option<PathBuf>, started: Instant) -> Report {
    let compressed = files.iter().filter(|f| f.path.ends_with(".gz") || f.path.ends_with(".br")).count();
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    // Every file of static/ is published once, as it is or (publish) minified and renamed; so
    // is every variant of an image.
    let statics = site.statics.len();
    let image_files = site.images.len();
    let data = files.len().saturating_sub(pages + compressed + statics + image_files);
    Report {
        pages,
        data,
        statics,
        image_files,
        images: site.image_stats,
        compressed,
        out,
        elapsed: started.elapsed(),
        coverage: Vec::new(),
        warnings: Diagnostics::default(),
        embargoes: site.embargoes.clone(),
    }
}
