//! The site as `serve` keeps it: built in memory, rebuilt incrementally on each change.
//!
//! `DevSite` holds the parsed inputs, the compiled templates and the last good build, with what
//! each page read while it was rendered. A change re-reads only the files it touched, compares
//! the new site with the last one key by key ([`deps::diff`]), re-renders the pages that read a
//! changed key or use a changed template, and reports which files' bytes really changed. The
//! result is the same as a fresh build of the same files. A failed rebuild keeps the last good
//! build. Nothing here writes to disk or knows about HTTP.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build;
use crate::content::{Inputs, Settings};
use crate::deps::{self, PageReads};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::links::Pages;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::outputs;
use crate::paths::{Class, SiteRoot};
use crate::render;
use crate::routes::PageKind;
use crate::templates::Templates;

/// The files of a build, by output path: a persistent map, so that a snapshot for the server
/// costs nothing and a rebuild changes only the entries it renders.
pub type Files = imbl::HashMap<String, Arc<OutputFile>>;

struct Built {
    site: Site,
    /// Each language's pages, the default first.
    languages: Vec<Language>,
    files: Files,
}

/// The pages of one language of the last good build.
#[derive(Clone, Default)]
struct Language {
    /// Its code: a rebuild is incremental while the briefing has the same languages.
    code: String,
    /// The pages, and the output path of each, in the same order.
    kinds: Vec<PageKind>,
    paths: Arc<Vec<String>>,
    /// Where each output path is in `paths`.
    positions: Arc<std::collections::HashMap<String, usize>>,
    reads: PageReads,
    /// What each page links to, by output path.
    links: Pages,
}

/// A snapshot of a build to make the search index of ([`DevSite::search_source`]).
pub struct SearchSource {
    site: Site,
    labels: Vec<String>,
    files: Files,
}

impl SearchSource {
    /// The site paths of the search pages of every language (`/search/`, `/zh/search/`).
    pub fn search_pages(&self) -> Vec<String> {
        self.site.languages().map(|s| PageKind::Search.path(s)).collect()
    }

    /// The search index of the snapshot: the files to serve beside the site's.
    pub fn index(&self) -> Result<Vec<OutputFile>, Diagnostics> {
        crate::search::index(&self.site, &self.labels, |path| match &self.files.get(path)?.contents {
            Contents::Rendered(text) => Some(text.as_str()),
            _ => None,
        })
    }
}

/// A page to render: its language, and which page it is.
type Job = (usize, PageKind);

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Some output changed.
    Changed(Change),
    /// The rebuild succeeded and no output byte changed.
    Unchanged,
    /// The rebuild failed; the last good build is kept.
    Failed(Diagnostics),
}

/// The output that a rebuild changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    /// Output paths whose bytes changed, appeared or disappeared (`speakers/su-bo/index.html`).
    pub paths: Vec<String>,
    /// Whether only stylesheets changed, so pages can swap them without reloading.
    pub css_only: bool,
    /// How many pages were rendered again.
    pub rendered: usize,
    /// How long the rebuild took.
    pub elapsed: Duration,
    /// How long each phase took, in order.
    pub phases: Vec<(&'static str, Duration)>,
    /// The paths among `paths` already published early (see [`DevSite::apply_with`]).
    pub early: Vec<String>,
}

/// What changed since the last good build, as the watcher reported it.
#[derive(Default)]
struct Pending {
    /// Templates saved, created or deleted, by name.
    templates: HashSet<String>,
    /// A template folder came or went: any page may have used what was in it.
    all_templates: bool,
    /// Files under `static/` saved, created or deleted, by path there.
    statics: BTreeSet<String>,
    /// Content files re-read, created or deleted, relative to the root.
    content: HashSet<PathBuf>,
}

/// A site built in memory for `serve`.
pub struct DevSite {
    root: SiteRoot,
    settings: Settings,
    inputs: Inputs,
    templates: Option<Templates>,
    /// The base path the templates' `url()` puts in front of paths.
    templates_base: String,
    built: Option<Built>,
    pending: Pending,
    error: Option<Diagnostics>,
}

impl DevSite {
    /// Reads and builds the site under `root` in memory. A failure is kept as the current error.
    pub fn open(root: &Path, settings: Settings) -> DevSite {
        let root = SiteRoot::new(root);
        let inputs = Inputs::read(root.path(), &settings);
        let mut site = DevSite {
            root,
            settings,
            inputs,
            templates: None,
            templates_base: String::new(),
            built: None,
            pending: Pending::default(),
            error: None,
        };
        site.reload_templates();
        site.rebuild(&mut |_, _| {});
        site
    }

    /// The error of the last rebuild, if it failed.
    pub fn error(&self) -> Option<&Diagnostics> {
        self.error.as_ref()
    }

    /// The file at an output path (`index.html`, `speakers/su-bo/index.html`, `style.css`).
    pub fn file(&self, path: &str) -> Option<&OutputFile> {
        self.built.as_ref()?.files.get(path).map(|f| &**f)
    }

    /// A snapshot of the last good build's files, for serving while rebuilds go on.
    pub fn files(&self) -> Files {
        self.built.as_ref().map(|b| b.files.clone()).unwrap_or_default()
    }

    /// What the search index of the last good build is made from, taken out of the site so that
    /// the index, which takes far longer than a rebuild, can be made beside it: the site, the
    /// words the index needs, and the files.
    pub fn search_source(&self) -> Option<SearchSource> {
        let built = self.built.as_ref()?;
        let templates = self.templates.as_ref()?;
        Some(SearchSource {
            site: built.site.clone(),
            labels: crate::search::labels(&built.site, &templates.messages),
            files: built.files.clone(),
        })
    }

    /// How many files the last good build has.
    pub fn len(&self) -> usize {
        self.built.as_ref().map_or(0, |b| b.files.len())
    }

    /// Whether there is no good build yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn reload_templates(&mut self) {
        let base_path = self.inputs_base_path();
        self.load_templates(base_path);
    }

    fn load_templates(&mut self, base_path: String) {
        match Templates::load(self.root.path(), &base_path) {
            Ok(t) => {
                self.templates = Some(t);
                self.templates_base = base_path;
            }
            Err(e) => {
                self.templates = None;
                self.error = Some(e);
            }
        }
    }

    fn inputs_base_path(&self) -> String {
        self.built.as_ref().map_or_else(
            || {
                self.settings
                    .base_url
                    .as_deref()
                    .and_then(|u| crate::content::parse_base_url(u).ok())
                    .map_or("/".to_string(), |(_, p)| p)
            },
            |b| b.site.config.base_path.clone(),
        )
    }

    /// Takes changed files (relative to the root, or absolute) into account and rebuilds what
    /// depends on them.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Outcome {
        self.apply_with(changed, &mut |_, _| {})
    }

    /// Like [`DevSite::apply`], but pages that depend on few inputs (the changed announcement,
    /// its speakers) are rendered first and handed to `early` with a snapshot of the files, before
    /// the long list pages are rendered. A server can show the changed page at once.
    pub fn apply_with(&mut self, changed: &[PathBuf], early: &mut dyn FnMut(&Change, Files)) -> Outcome {
        let rel: Vec<PathBuf> = changed.iter().filter_map(|p| self.root.relative(p)).collect();
        // Content changes are what the inputs saw: files re-read, appeared or gone, which also
        // covers folders created, deleted or renamed.
        self.pending.content.extend(self.inputs.update(&rel));
        let mut templates_changed = false;
        for path in &rel {
            match crate::paths::classify(path) {
                Class::Template(name) => {
                    templates_changed = true;
                    // A folder is one now, or held templates before (renamed or removed). Any
                    // other path is a file by that name: a template, or the temporary file an
                    // editor or `sed -i` writes and renames over a template, which no page uses.
                    let folder = format!("{name}/");
                    let held = |t: &Templates| t.tera.get_template_names().any(|n| n.starts_with(&folder));
                    // Without templates loaded (they failed), which folders there were is unknown.
                    if self.root.join(path).is_dir() || self.templates.as_ref().is_none_or(held) {
                        self.pending.all_templates = true;
                    } else {
                        self.pending.templates.insert(name);
                    }
                }
                Class::SourceDir("templates" | "messages") | Class::Messages(_) => {
                    templates_changed = true;
                    self.pending.all_templates = true;
                }
                Class::Static(path) => {
                    // A file of static/ now or at the last build; a temporary file written and
                    // renamed over one of them (an atomic save) is neither, and changed nothing.
                    let listed = |statics: &[crate::model::StaticFile]| statics.iter().any(|s| s.path == path);
                    if listed(self.inputs.statics()) || self.built.as_ref().is_some_and(|b| listed(&b.site.statics)) {
                        self.pending.statics.insert(path);
                    }
                }
                _ => {}
            }
        }
        if templates_changed || self.templates.is_none() {
            self.error = None;
            self.reload_templates();
        }
        self.rebuild(early)
    }

    fn rebuild(&mut self, early: &mut dyn FnMut(&Change, Files)) -> Outcome {
        let started = Instant::now();
        let result = self.try_rebuild(started, early);
        match result {
            Ok(mut change) => {
                self.error = None;
                self.pending = Pending::default();
                change.elapsed = started.elapsed();
                if change.paths.is_empty() {
                    Outcome::Unchanged
                } else {
                    Outcome::Changed(change)
                }
            }
            Err(errors) => {
                self.error = Some(errors.clone());
                Outcome::Failed(errors)
            }
        }
    }

    fn try_rebuild(&mut self, started: Instant, early: &mut dyn FnMut(&Change, Files)) -> Result<Change, Diagnostics> {
        if self.templates.is_none() {
            return Err(self.error.clone().unwrap_or_else(|| {
                Diagnostics(vec![Diagnostic::file(Kind::Template, "templates/", "the templates could not be loaded")])
            }));
        }
        let mut clock = Clock::new();
        // Only files under static/ changed, and no file appeared or went: the pages stand as
        // they are, and the files are read when served.
        if let Some(built) = &self.built {
            let pending = &self.pending;
            let only_static = !pending.statics.is_empty()
                && pending.templates.is_empty()
                && !pending.all_templates
                && pending.content.is_empty();
            if only_static && same_static_paths(self.inputs.statics(), &built.site.statics) {
                let paths: Vec<String> = pending.statics.iter().cloned().collect();
                let css_only = paths.iter().all(|p| p.ends_with(".css"));
                clock.lap("static");
                return Ok(Change { paths, css_only, rendered: 0, phases: clock.laps, ..Change::default() });
            }
        }
        let site = self.inputs.assemble(&self.settings)?;
        clock.lap("assemble");
        // A new base path changes what the templates' `url()` gives, on every page.
        if site.config.base_path != self.templates_base {
            self.load_templates(site.config.base_path.clone());
            self.pending.all_templates = true;
        }
        let (Some(templates), pending) = (&self.templates, &self.pending) else {
            return Err(self.error.clone().unwrap_or_default());
        };
        // A language whose translations a site.yaml requires is checked as `build` checks it.
        build::require_complete(&site, templates, &build::coverage(&site, templates)).map_err(|e| match e {
            build::Error::Content(d) => d,
            other => Diagnostics(vec![Diagnostic::file(Kind::File, "content/", other.to_string())]),
        })?;
        let sites: Vec<&Site> = site.languages().collect();

        // Which pages exist now in each language, and which of them to render. A rebuild is
        // incremental while the briefing has the same languages; each language's pages are
        // compared with its own last build.
        let prev = self.built.as_ref();
        let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
        let old = prev.filter(|b| b.languages.iter().map(|l| l.code.as_str()).eq(codes.iter().copied()));
        let changes: Option<Vec<deps::Changed>> = old.map(|b| deps::diff_languages(&b.site, &site));
        let mut languages: Vec<Language> = Vec::with_capacity(sites.len());
        let mut to_render: Vec<Job> = Vec::new();
        let mut same_pages = old.is_some();
        for (lang, s) in sites.iter().enumerate() {
            let kinds = render::pages(s, templates);
            let before = old.map(|b| &b.languages[lang]);
            let change = changes.as_ref().map(|c| &c[lang]);
            let (paths, positions, same) = match (before, change) {
                (Some(b), Some(c)) if c.same_lists() && b.kinds == kinds => {
                    (Arc::clone(&b.paths), Arc::clone(&b.positions), true)
                }
                _ => {
                    let paths: Vec<String> = kinds.iter().map(|k| k.output_path(s)).collect();
                    let positions = paths.iter().enumerate().map(|(i, p)| (p.clone(), i)).collect();
                    (Arc::new(paths), Arc::new(positions), false)
                }
            };
            same_pages &= same;
            match (before, change) {
                (Some(b), Some(c)) if !pending.all_templates => {
                    let mut wanted = b.reads.affected(c);
                    wanted.extend(b.reads.using_templates(&pending.templates, templates.closure()));
                    if same {
                        // The same pages at the same places: only the wanted ones, found by path.
                        let mut at: Vec<usize> = wanted.iter().filter_map(|p| b.positions.get(p).copied()).collect();
                        at.sort_unstable();
                        to_render.extend(at.into_iter().map(|i| (lang, kinds[i])));
                    } else {
                        to_render.extend(
                            kinds
                                .iter()
                                .zip(paths.iter())
                                .filter(|(_, p)| wanted.contains(*p) || !b.reads.contains(p))
                                .map(|(k, _)| (lang, *k)),
                        );
                    }
                }
                _ => to_render.extend(kinds.iter().map(|k| (lang, *k))),
            }
            let (reads, links) = before.map(|b| (b.reads.clone(), b.links.clone())).unwrap_or_default();
            languages.push(Language { code: codes[lang].to_string(), kinds, paths, positions, reads, links });
        }
        let same_kinds = old.is_some_and(|b| b.languages.iter().zip(&languages).all(|(a, b)| a.kinds == b.kinds));
        clock.lap("dependencies");

        // The previous files, less the pages that are gone, with the static files of now. When
        // the same pages exist and static/ holds the same files, nothing came or went, and the
        // scans of every file below are skipped: on a large site they cost more than rendering
        // the changed pages.
        let old_files = prev.map(|b| b.files.clone()).unwrap_or_default();
        let same_paths = same_pages
            && old.is_some_and(|b| {
                same_static_paths(&b.site.statics, &site.statics) && same_static_paths(&b.site.images, &site.images)
            });
        let mut files = old_files.clone();
        if !same_pages {
            // Pages came, went or moved in the lists: each kept page gets its new kind.
            for l in &mut languages {
                let kind_of: std::collections::HashMap<&str, PageKind> =
                    l.paths.iter().map(String::as_str).zip(l.kinds.iter().copied()).collect();
                l.links.update(|p| kind_of.get(p).copied());
            }
        }
        let statics: HashSet<&str> = site.copied().map(|s| s.path.as_str()).collect();
        let all_paths: Vec<Arc<Vec<String>>> = languages.iter().map(|l| Arc::clone(&l.paths)).collect();
        let page_paths: HashSet<&str> = if same_paths {
            HashSet::new()
        } else {
            all_paths.iter().flat_map(|p| p.iter().map(String::as_str)).collect()
        };
        if !same_paths {
            files.retain(|path, f| match f.contents {
                Contents::Copy(_) => statics.contains(path.as_str()),
                _ => page_paths.contains(path.as_str()) || outputs::is_output_path(path),
            });
            for l in &mut languages {
                let pages: HashSet<&str> = l.paths.iter().map(String::as_str).collect();
                l.reads.retain(|p| pages.contains(p));
            }
        }
        let collisions = build::static_collisions(&site, |p| {
            if same_paths {
                old_files.get(p).is_some_and(|f| !matches!(f.contents, Contents::Copy(_)))
            } else {
                page_paths.contains(p)
            }
        });
        if !collisions.is_empty() {
            return Err(collisions);
        }
        drop(page_paths);
        for s in build::static_files(&site) {
            if old_files.get(&s.path).is_none_or(|old| old.contents != s.contents) {
                files.insert(s.path.clone(), Arc::new(s));
            }
        }
        let mut changed_paths: BTreeSet<String> = BTreeSet::new();
        if prev.is_some() && !same_paths {
            changed_paths.extend(old_files.keys().filter(|p| !files.contains_key(*p)).cloned());
            changed_paths.extend(files.keys().filter(|p| !old_files.contains_key(*p)).cloned());
        }
        changed_paths.extend(pending.statics.iter().cloned());
        let only_statics_moved = old.is_some() && changed_paths.iter().all(|p| statics.contains(p.as_str()));
        drop(statics);

        // Pages that show few inputs first, then the lists, which on a large site take longest.
        let (lists, single): (Vec<Job>, Vec<Job>) = to_render.iter().partition(|(_, k)| render::is_list(*k));
        let two_phases = old.is_some() && !single.is_empty() && !lists.is_empty();
        let no_lists = lists.is_empty();
        let mut checked = false;
        let touched = &pending.content;
        // Whether an embargo came, went or moved (or lifted as the clock went on): a link in a
        // body that no change touched can then leak one, as a page that was not saved links to
        // an announcement held later. Rare, so then every body's links are checked.
        let embargoes_moved =
            prev.is_none_or(|b| !b.site.languages().map(|s| &s.embargoes).eq(sites.iter().map(|s| &s.embargoes)));
        let mut rendered_paths: HashSet<String> = HashSet::new();
        // The link check of `crate::links`, one language at a time: when no file came or went,
        // only the links that the rebuild can have broken (those of the bodies it re-read, of
        // every body when an embargo moved, and of the pages it rendered); if that finds a
        // problem, everything, so that the report is the one a fresh build gives.
        // Before the long lists are rendered again (`early`), only the pages rendered so far are
        // checked, and a problem only holds them back: the lists may still link to pages that are
        // gone, until they too are rendered again.
        let check_links = |files: &Files,
                           languages: &[Language],
                           rendered: &HashSet<String>,
                           early: bool|
         -> Result<(), Diagnostics> {
            if only_statics_moved || early {
                let wanted = |body: &crate::model::Body| {
                    embargoes_moved || touched.iter().any(|t| t.as_os_str() == body.file.as_os_str())
                };
                let mut errors = Diagnostics::default();
                for (s, l) in sites.iter().zip(languages) {
                    let (found, reported) = crate::links::check_content_some(s, files, &wanted);
                    errors.0.extend(found.0);
                    let pages_errors = crate::links::check_pages(
                        s,
                        templates,
                        files,
                        &l.links,
                        crate::links::Scope::Changed(rendered),
                        &reported,
                    );
                    errors.0.extend(pages_errors.0);
                }
                if errors.is_empty() || early {
                    return if errors.is_empty() { Ok(()) } else { Err(errors.finish()) };
                }
            }
            let mut broken = Diagnostics::default();
            for (s, l) in sites.iter().zip(languages) {
                broken.0.extend(crate::links::check(s, templates, files, &l.links).0);
            }
            let broken = broken.finish();
            if broken.is_empty() {
                Ok(())
            } else {
                Err(broken)
            }
        };
        // The feed, the sitemap and the calendar of every language read all
        // the content and the list of pages; links may point at them, so they are made before
        // links are checked. When the same pages exist, the previous ones have the same paths,
        // and the new ones can wait until the changed pages have been handed over.
        let outputs_stale = match &changes {
            Some(c) => c.iter().any(|c| !c.is_empty()) || !same_kinds || !same_paths,
            None => true,
        };
        let mut outputs_done = !outputs_stale;
        // The outputs of the languages that changed; all of them when pages came, went or moved,
        // or when the languages themselves changed. The default language's include the sitemap,
        // whose pages and alternates change in every language's `Changed` when they change.
        let mut stale: Vec<bool> = match &changes {
            Some(c) if same_kinds && same_paths => c.iter().map(|c| !c.is_empty()).collect(),
            _ => vec![true; sites.len()],
        };
        // The sitemap, among the default language's outputs, dates every language's pages: a
        // translation's `updated:` changes it too.
        if stale.iter().any(|s| *s) {
            stale[0] = true;
        }
        let mut possible: Vec<String> = match old {
            Some(_) => {
                sites.iter().zip(&stale).filter(|(_, s)| **s).flat_map(|(site, _)| outputs::paths_of(site)).collect()
            }
            None => {
                let mut p = outputs::paths(&site);
                p.extend(prev.map(|b| outputs::paths(&b.site)).unwrap_or_default());
                p
            }
        };
        // The numbered files of a sitemap split in parts, which the default language's outputs make.
        if stale[0] {
            possible.extend(old_files.keys().filter(|p| outputs::sitemap::is_part(p)).cloned());
        }
        let update_outputs =
            |files: &mut Files, changed_paths: &mut BTreeSet<String>, languages: &[Language], clock: &mut Clock| {
                let made: Vec<crate::output::OutputFile> = sites
                    .par_iter()
                    .zip(languages)
                    .zip(&stale)
                    .filter(|(_, stale)| **stale)
                    .flat_map_iter(|((s, l), _)| outputs::render_one(s, &l.kinds))
                    .collect();
                for name in &possible {
                    let made_before = files.get(name).is_some_and(|f| !matches!(f.contents, Contents::Copy(_)));
                    if made_before && !made.iter().any(|f| f.path == *name) {
                        files.remove(name);
                        changed_paths.insert(name.to_string());
                    }
                }
                for f in made {
                    if old_files.get(&f.path).is_none_or(|old| old.contents != f.contents) {
                        changed_paths.insert(f.path.clone());
                        files.insert(f.path.clone(), Arc::new(f));
                    }
                }
                clock.lap("data files");
            };
        if !(outputs_done || same_paths && same_kinds) {
            update_outputs(&mut files, &mut changed_paths, &languages, &mut clock);
            outputs_done = true;
        }
        let mut rendered_count = 0;
        let mut early_paths = Vec::new();
        for (phase, jobs) in [single, lists].into_iter().enumerate() {
            if jobs.is_empty() {
                continue;
            }
            let rendered = render::render_all(&site, templates, &jobs, render::Reads::Record, None)?;
            clock.lap(if phase == 0 { "render pages" } else { "render lists" });
            rendered_count += rendered.len();
            let mut now_changed = Vec::new();
            for (lang, page) in rendered {
                let f = page.file;
                let l = &mut languages[lang];
                l.reads.set(&f.path, page.kind.template(), page.reads);
                l.links.set(&f.path, page.kind, page.links);
                rendered_paths.insert(f.path.clone());
                if old_files.get(&f.path).is_none_or(|old| old.contents != f.contents) {
                    now_changed.push(f.path.clone());
                    files.insert(f.path.clone(), Arc::new(f));
                }
            }
            // Links break when their text changes or pages come and go; anchors also when the
            // page they point into is rendered again. Otherwise the previous check still holds.
            // Links are checked once every page of the new site is among the files.
            let early_phase = phase == 0 && two_phases;
            let mut early_ok = false;
            if early_phase {
                early_ok = check_links(&files, &languages, &rendered_paths, true).is_ok();
                clock.lap("links");
            } else if phase == 1 || no_lists {
                if !outputs_done {
                    update_outputs(&mut files, &mut changed_paths, &languages, &mut clock);
                    outputs_done = true;
                }
                check_links(&files, &languages, &rendered_paths, false)?;
                checked = true;
                clock.lap("links");
            }
            changed_paths.extend(now_changed.iter().cloned());
            if early_phase && early_ok {
                let change = Change {
                    paths: now_changed.clone(),
                    rendered: rendered_count,
                    elapsed: started.elapsed(),
                    phases: clock.laps.clone(),
                    ..Change::default()
                };
                early(&change, files.clone());
                early_paths = now_changed;
            }
        }
        if !outputs_done {
            update_outputs(&mut files, &mut changed_paths, &languages, &mut clock);
        }
        if !checked {
            // Nothing was rendered, but pages may have gone that links point to.
            check_links(&files, &languages, &rendered_paths, false)?;
        }
        let css_only = !changed_paths.is_empty() && changed_paths.iter().all(|p| p.ends_with(".css"));
        drop(sites);
        self.built = Some(Built { site, languages, files });
        Ok(Change {
            paths: changed_paths.into_iter().collect(),
            css_only,
            rendered: rendered_count,
            elapsed: Duration::ZERO,
            phases: clock.laps,
            early: early_paths,
        })
    }
}

/// Whether two lists of static files name the same files in the same order.
fn same_static_paths(a: &[crate::model::StaticFile], b: &[crate::model::StaticFile]) -> bool {
    a.iter().map(|s| &s.path).eq(b.iter().map(|s| &s.path))
}

/// Time taken by each phase of a rebuild.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Clock {
        Clock { last: Instant::now(), laps: Vec::new() }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starter() -> (tempfile::TempDir, PathBuf, DevSite) {
        let (dir, root) = crate::starter::temporary();
        let site = DevSite::open(&root, Settings::default());
        assert!(site.error().is_none(), "{:?}", site.error());
        (dir, root, site)
    }

    /// The changed pages, leaving out the data files every content change remakes.
    fn pages(change: &Change) -> Vec<&str> {
        change.paths.iter().map(String::as_str).filter(|p| !outputs::is_output_path(p)).collect()
    }

    fn html(site: &DevSite, path: &str) -> String {
        match &site.file(path).unwrap().contents {
            Contents::Rendered(s) => s.clone(),
            Contents::Copy(p) | Contents::Staged(p) => std::fs::read_to_string(p).unwrap(),
            Contents::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }

    #[test]
    fn a_content_change_rerenders_only_dependent_pages() {
        let (_d, root, mut site) = starter();
        let file = root.join("content/announcements/opening.md");
        let text = std::fs::read_to_string(&file).unwrap().replace("Replace this text", "Brand new text");
        std::fs::write(&file, text).unwrap();
        let Outcome::Changed(change) = site.apply(std::slice::from_ref(&file)) else { panic!("expected a change") };
        assert_eq!(pages(&change), ["announcements/opening/index.html"]);
        assert!(change.paths.contains(&"feed.xml".to_string()));
        assert!(change.rendered < 10, "rendered {} pages", change.rendered);
        assert!(html(&site, "announcements/opening/index.html").contains("Brand new text"));
        // Saving the same bytes again changes nothing.
        assert_eq!(site.apply(&[file]), Outcome::Unchanged);
    }

    #[test]
    fn a_saved_translation_rerenders_pages_of_its_language_only() {
        let (_d, root) = crate::starter::temporary();
        let yaml = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        std::fs::write(
            &yaml,
            format!("{text}languages:\n  en: {{name: English}}\n  zh: {{name: 中文}}\n  vi: {{name: Tiếng Việt}}\n"),
        )
        .unwrap();
        let zh = root.join("content/announcements/opening.zh.md");
        std::fs::write(&zh, "---\ntitle: 开幕\nsummary: 开幕了。\n---\n\n正文。\n").unwrap();
        let mut site = DevSite::open(&root, Settings::default());
        assert!(site.error().is_none(), "{:?}", site.error());
        let per_language = site.built.as_ref().unwrap().languages[1].kinds.len();

        // A new title: the Chinese pages that show it, and no page of another language.
        std::fs::write(&zh, "---\ntitle: 博览会开幕\nsummary: 开幕了。\n---\n\n正文。\n").unwrap();
        let Outcome::Changed(change) = site.apply(std::slice::from_ref(&zh)) else { panic!("expected a change") };
        assert!(change.rendered < per_language, "rendered {} pages of {per_language}", change.rendered);
        assert!(change.paths.iter().all(|p| p.starts_with("zh/")), "{:?}", change.paths);
        assert!(pages(&change).contains(&"zh/announcements/opening/index.html"));
        assert!(html(&site, "zh/announcements/opening/index.html").contains("博览会开幕"));

        // A new translation into Vietnamese: that page in every language names it, and the
        // sitemap lists it; the other Vietnamese pages that show the announcement change too.
        let vi = root.join("content/announcements/opening.vi.md");
        std::fs::write(&vi, "---\ntitle: Khai mạc\nsummary: Đã khai mạc.\n---\n\nNội dung.\n").unwrap();
        let Outcome::Changed(change) = site.apply(std::slice::from_ref(&vi)) else { panic!("expected a change") };
        for path in [
            "announcements/opening/index.html",
            "zh/announcements/opening/index.html",
            "vi/announcements/opening/index.html",
            "sitemap.xml",
        ] {
            assert!(change.paths.iter().any(|p| p == path), "{path} not in {:?}", change.paths);
        }
        assert!(html(&site, "announcements/opening/index.html").contains("hreflang=\"vi\""));
        assert!(
            !change.paths.iter().any(|p| p.starts_with("zh/") && p != "zh/announcements/opening/index.html"),
            "{:?}",
            change.paths
        );
        assert!(change.rendered < 2 * per_language, "rendered {} pages", change.rendered);
    }

    #[test]
    fn a_broken_file_keeps_the_last_good_build_until_fixed() {
        let (_d, root, mut site) = starter();
        let file = root.join("content/announcements/opening.md");
        let good = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, good.replace("title: The Example Expo opens", "title: [broken")).unwrap();
        let Outcome::Failed(errors) = site.apply(std::slice::from_ref(&file)) else { panic!("expected a failure") };
        assert!(errors.0[0].location().starts_with("content/announcements/opening.md:2:"), "{}", errors.render(false));
        assert!(html(&site, "announcements/opening/index.html").contains("The Example Expo opens"));
        assert!(site.error().is_some());
        std::fs::write(&file, good.replace("The Example Expo opens", "The expo is open")).unwrap();
        assert!(matches!(site.apply(&[file]), Outcome::Changed(_)));
        assert!(site.error().is_none());
        assert!(html(&site, "announcements/opening/index.html").contains("The expo is open"));
    }

    #[test]
    fn speakers_reordered_by_a_rename_stay_attached_to_their_announcements() {
        let (_d, root, mut site) = starter();
        let other = root.join("content/speakers/ann-other.md");
        std::fs::write(&other, "---\nname: Ann Other\n---\nBio.\n").unwrap();
        assert!(matches!(site.apply(std::slice::from_ref(&other)), Outcome::Changed(_)));
        // "Zoe Doe" now sorts after "Ann Other": every speaker index moves.
        let jane = root.join("content/speakers/jane-doe.md");
        let text = std::fs::read_to_string(&jane).unwrap().replace("name: Jane Doe", "name: Zoe Doe");
        std::fs::write(&jane, text).unwrap();
        assert!(matches!(site.apply(std::slice::from_ref(&jane)), Outcome::Changed(_)));
        let page = html(&site, "announcements/opening/index.html");
        assert!(page.contains("Zoe Doe") && !page.contains("Ann Other"), "{page}");
    }

    #[test]
    fn links_are_checked_after_a_change() {
        let (_d, root, mut site) = starter();
        let about = root.join("content/pages/about.md");
        let good = std::fs::read_to_string(&about).unwrap();
        std::fs::write(&about, format!("{good}\nSee [nothing](/nothing/).\n")).unwrap();
        assert!(matches!(site.apply(std::slice::from_ref(&about)), Outcome::Failed(_)));
        std::fs::write(&about, good).unwrap();
        assert!(!matches!(site.apply(std::slice::from_ref(&about)), Outcome::Failed(_)));
        // A page that another, unchanged page links to disappears: that link is now broken.
        let contact = root.join("content/pages/contact.md");
        std::fs::write(&contact, "---\ntitle: Contact\n---\nWrite to us.\n").unwrap();
        std::fs::write(&about, format!("{}\n[Contact us](/contact/).\n", std::fs::read_to_string(&about).unwrap()))
            .unwrap();
        assert!(matches!(site.apply(&[contact.clone(), about.clone()]), Outcome::Changed(_)));
        std::fs::remove_file(&contact).unwrap();
        let Outcome::Failed(errors) = site.apply(std::slice::from_ref(&contact)) else { panic!("expected errors") };
        assert!(errors.render(false).contains("content/pages/about.md"), "{}", errors.render(false));
    }

    #[test]
    fn an_embargo_moved_later_is_a_leak_in_an_unsaved_page_that_links_to_it() {
        let (_d, root) = crate::starter::temporary();
        let moment = "2030-05-14T10:00:00+07:00";
        let held = root.join("content/announcements/held.md");
        let write_held = |until: &str| {
            let text = format!("---\ntitle: Held\ndate: 2030-05-14\nembargo: {until}\nsummary: Held.\n---\n\nHeld.\n");
            std::fs::write(&held, text).unwrap();
        };
        write_held(moment);
        // A page held as long, which may link to it: they lift together.
        let about = root.join("content/pages/about.md");
        std::fs::write(
            &about,
            format!("---\ntitle: About\nembargo: {moment}\n---\n\nSee [it](/announcements/held/).\n"),
        )
        .unwrap();
        let settings = Settings {
            now: Some(chrono::DateTime::parse_from_rfc3339("2030-05-14T09:00:00+07:00").unwrap()),
            preview_embargoed: true,
            ..Settings::default()
        };
        let mut site = DevSite::open(&root, settings);
        assert!(site.error().is_none(), "{}", site.error().unwrap().render(false));
        // The announcement is held a day longer; the page, not saved, now leaks it.
        write_held("2030-05-15T10:00:00+07:00");
        let Outcome::Failed(errors) = site.apply(std::slice::from_ref(&held)) else { panic!("expected the leak") };
        let text = errors.render(false);
        assert!(text.contains("content/pages/about.md") && text.contains("under embargo until 2030-05-15"), "{text}");
        // Back as it was: no leak.
        write_held(moment);
        assert!(!matches!(site.apply(&[held]), Outcome::Failed(_)), "{:?}", site.error());
    }

    #[test]
    fn new_and_deleted_files_add_and_remove_pages_and_their_links_in_the_navigation() {
        let (_d, root, mut site) = starter();
        let file = root.join("content/pages/contact.md");
        std::fs::write(&file, "---\ntitle: Contact\n---\nWrite to us.\n").unwrap();
        let Outcome::Changed(change) = site.apply(std::slice::from_ref(&file)) else { panic!() };
        assert!(pages(&change).contains(&"contact/index.html"));
        // Every page lists the free pages in its navigation.
        assert!(html(&site, "speakers/jane-doe/index.html").contains("href=\"/contact/\""));
        std::fs::remove_file(&file).unwrap();
        let Outcome::Changed(change) = site.apply(&[file]) else { panic!() };
        assert!(pages(&change).contains(&"contact/index.html"));
        assert!(site.file("contact/index.html").is_none());
        assert!(!html(&site, "speakers/jane-doe/index.html").contains("/contact/"));
    }

    #[test]
    fn a_static_file_added_or_removed_with_a_text_edit_is_seen() {
        let (_d, root, mut site) = starter();
        let file = root.join("content/announcements/opening.md");
        let text = std::fs::read_to_string(&file).unwrap();
        let extra = root.join("static/notes.txt");
        // The edit keeps the site's shape; the new file must still appear, and then go.
        std::fs::write(&file, text.replace("Replace this text", "New text")).unwrap();
        std::fs::write(&extra, "notes").unwrap();
        let Outcome::Changed(change) = site.apply(&[file.clone(), extra.clone()]) else { panic!() };
        assert!(change.paths.contains(&"notes.txt".to_string()), "{:?}", change.paths);
        assert!(site.file("notes.txt").is_some());
        std::fs::write(&file, text).unwrap();
        std::fs::remove_file(&extra).unwrap();
        let Outcome::Changed(change) = site.apply(&[file, extra]) else { panic!() };
        assert!(change.paths.contains(&"notes.txt".to_string()), "{:?}", change.paths);
        assert!(site.file("notes.txt").is_none());
        assert!(html(&site, "announcements/opening/index.html").contains("Replace this text"));
    }

    #[test]
    fn a_stylesheet_change_is_css_only_and_a_template_change_reaches_its_pages() {
        let (_d, root, mut site) = starter();
        let css = root.join("static/style.css");
        std::fs::write(&css, "body { color: red }").unwrap();
        let Outcome::Changed(change) = site.apply(&[css]) else { panic!() };
        assert!(change.css_only);
        assert_eq!(change.paths, ["style.css"]);
        let tpl = root.join("templates/speaker.html");
        let text = std::fs::read_to_string(&tpl).unwrap().replace("<h1 ", "<h1 class=\"changed\" ");
        std::fs::write(&tpl, text).unwrap();
        let Outcome::Changed(change) = site.apply(&[tpl]) else { panic!() };
        assert_eq!(change.paths, ["speakers/jane-doe/index.html"]);
        assert!(!change.css_only);
    }

    #[test]
    fn a_component_changed_reaches_the_pages_that_call_it() {
        let (_d, root) = crate::starter::temporary();
        // Tera's components are global: speaker.html calls one without naming where it is defined.
        let components = root.join("templates/partials/components.html");
        std::fs::write(
            &components,
            "{% component Badge(label) %}<b class=\"badge\">{{ label }}</b>{% endcomponent Badge %}",
        )
        .unwrap();
        let tpl = root.join("templates/speaker.html");
        let text = std::fs::read_to_string(&tpl).unwrap().replacen("<h1 ", "{{ <Badge label=\"on stage\" /> }}<h1 ", 1);
        std::fs::write(&tpl, text).unwrap();
        let mut site = DevSite::open(&root, Settings::default());
        assert!(site.error().is_none(), "{:?}", site.error());
        assert!(html(&site, "speakers/jane-doe/index.html").contains("<b class=\"badge\">on stage</b>"));
        std::fs::write(
            &components,
            "{% component Badge(label) %}<i class=\"badge\">{{ label }}</i>{% endcomponent Badge %}",
        )
        .unwrap();
        let Outcome::Changed(change) = site.apply(&[components]) else { panic!("expected a change") };
        assert!(change.paths.iter().any(|p| p == "speakers/jane-doe/index.html"), "{:?}", change.paths);
        assert!(html(&site, "speakers/jane-doe/index.html").contains("<i class=\"badge\">on stage</i>"));
    }

    #[test]
    fn a_stylesheet_saved_through_a_temporary_file_is_still_css_only() {
        let (_d, root, mut site) = starter();
        let css = root.join("static/style.css");
        let temporary = root.join("static/style.css___jb_tmp___");
        std::fs::write(&temporary, "body { color: green }").unwrap();
        std::fs::rename(&temporary, &css).unwrap();
        let Outcome::Changed(change) = site.apply(&[temporary, css]) else { panic!("expected a change") };
        assert_eq!(change.paths, ["style.css"]);
        assert!(change.css_only, "the browser swaps the stylesheet rather than reloading the page");
    }

    #[test]
    fn a_template_saved_through_a_temporary_file_reaches_only_its_pages() {
        let (_d, root, mut site) = starter();
        // As `sed -i` saves: the new text goes into a temporary file beside the template, which
        // is then renamed over it. The watcher reports both paths.
        let tpl = root.join("templates/speaker.html");
        let temporary = root.join("templates/sedK3x9Qa");
        let text = std::fs::read_to_string(&tpl).unwrap().replace("<h1 ", "<h1 class=\"sed\" ");
        std::fs::write(&temporary, text).unwrap();
        std::fs::rename(&temporary, &tpl).unwrap();
        let Outcome::Changed(change) = site.apply(&[temporary, tpl]) else { panic!("expected a change") };
        assert_eq!(change.paths, ["speakers/jane-doe/index.html"]);
        // The speaker's page alone, as when the template is written in place.
        assert_eq!(change.rendered, 1);
        assert!(html(&site, "speakers/jane-doe/index.html").contains("class=\"sed\""));
        // A folder of templates renamed away is still every page's business.
        std::fs::rename(root.join("templates/partials"), root.join("templates/parts")).unwrap();
        let outcome = site.apply(&[root.join("templates/partials"), root.join("templates/parts")]);
        assert!(matches!(outcome, Outcome::Failed(_)), "the pages include partials/ by name");
    }
}
