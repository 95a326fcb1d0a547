//! The site as `serve` keeps it: built in memory, rebuilt incrementally on each change.
//!
//! `DevSite` holds the parsed inputs, the compiled templates and the last good build. A change
//! re-reads only the files it touched, re-renders only the pages whose inputs changed (see
//! [`crate::deps`]), and reports which pages' bytes really changed. A failed rebuild keeps the
//! last good build. Nothing here writes to disk or knows about HTTP.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::deps::{self, Input};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{Inputs, Settings};
use crate::model::Site;
use crate::paths::SiteRoot;
use crate::render::{self, Contents, OutputFile, PageKind};
use crate::templates::Templates;

/// The files of a build, by output path: a persistent map, so that a snapshot for the server
/// costs nothing and a rebuild changes only the entries it renders.
pub type Files = imbl::HashMap<String, Arc<OutputFile>>;

struct Built {
    site: Site,
    kinds: Vec<PageKind>,
    /// Shared with the next build when the site keeps its shape (see [`deps::same_shape`]).
    deps: Arc<deps::Pages>,
    files: Files,
}

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

/// A site built in memory for `serve`.
pub struct DevSite {
    root: SiteRoot,
    settings: Settings,
    inputs: Inputs,
    templates: Option<Templates>,
    closure: HashMap<String, BTreeSet<String>>,
    built: Option<Built>,
    pending: HashSet<Input>,
    /// Content files changed since the last good build.
    touched: HashSet<PathBuf>,
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
            closure: HashMap::new(),
            built: None,
            pending: HashSet::new(),
            touched: HashSet::new(),
            error: None,
        };
        site.reload_templates();
        site.rebuild(true, &mut |_, _| {});
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
        match Templates::load(self.root.path(), &base_path) {
            Ok(t) => {
                self.closure = deps::template_closure(&t.sources());
                self.templates = Some(t);
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
                    .and_then(|u| crate::load::parse_base_url(u).ok())
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
        let touched = self.inputs.update(&rel);
        self.pending.extend(deps::inputs_of(&self.root, &touched));
        self.touched.extend(touched);
        let mut templates_changed = false;
        for path in rel.iter().filter(|p| p.starts_with("templates") || p.starts_with("static")) {
            templates_changed |= path.starts_with("templates");
            match Input::from_path(path) {
                Some(input @ Input::Template(_)) if path.extension().is_some_and(|e| e == "html") => {
                    self.pending.insert(input);
                }
                Some(input @ Input::Static(_)) => {
                    self.pending.insert(input);
                }
                // A template folder renamed or removed: any page may have used what was in it.
                _ if path.starts_with("templates") => {
                    self.pending.insert(Input::Settings);
                }
                _ => {}
            }
        }
        if templates_changed || self.templates.is_none() {
            self.error = None;
            self.reload_templates();
        }
        self.rebuild(false, early)
    }

    fn rebuild(&mut self, everything: bool, early: &mut dyn FnMut(&Change, Files)) -> Outcome {
        let started = Instant::now();
        let result = self.try_rebuild(everything, started, early);
        match result {
            Ok(mut change) => {
                self.error = None;
                self.pending.clear();
                self.touched.clear();
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

    fn try_rebuild(
        &mut self,
        everything: bool,
        started: Instant,
        early: &mut dyn FnMut(&Change, Files),
    ) -> Result<Change, Diagnostics> {
        let templates = match (&self.templates, &self.error) {
            (Some(t), _) => t,
            (None, Some(e)) => return Err(e.clone()),
            (None, None) => {
                return Err(Diagnostics(vec![Diagnostic::file("templates/", "the templates could not be loaded")]))
            }
        };
        let mut clock = Clock::new();
        // Only files under static/ changed, and no file appeared or went: the pages stand as
        // they are, and the files are read when served.
        if let Some(built) = &self.built {
            let only_static = !everything
                && !self.pending.is_empty()
                && self.pending.iter().all(|i| matches!(i, Input::Static(_)))
                && self.touched.is_empty();
            if only_static && same_static_paths(self.inputs.statics(), &built.site.statics) {
                let paths: Vec<String> = self
                    .pending
                    .iter()
                    .filter_map(|i| match i {
                        Input::Static(p) => Some(p.clone()),
                        _ => None,
                    })
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let css_only = paths.iter().all(|p| p.ends_with(".css"));
                clock.lap("static");
                return Ok(Change {
                    paths,
                    css_only,
                    rendered: 0,
                    elapsed: Duration::ZERO,
                    phases: clock.laps,
                    early: Vec::new(),
                });
            }
        }
        let site = self.inputs.assemble(&self.settings)?;
        clock.lap("assemble");
        let kinds = render::pages(&site, templates);
        let new_deps = match &self.built {
            Some(old) if old.kinds == kinds && deps::same_shape(&old.site, &site) => Arc::clone(&old.deps),
            _ => Arc::new(deps::pages(&site, &kinds)),
        };
        let to_render: Vec<PageKind> = match &self.built {
            Some(old) if !everything && !self.pending.contains(&Input::Settings) => {
                deps::affected((&old.site, &old.deps), (&site, &new_deps), &self.pending, &self.closure)
                    .iter()
                    .map(|p| new_deps[p].0)
                    .collect()
            }
            _ => kinds.clone(),
        };
        clock.lap("dependencies");

        // The previous files, less the pages that are gone, with the static files of now. When the
        // site kept its shape (the dependency map is shared) and static/ holds the same files, no
        // page or file came or went, and the scans of every file below are skipped: on a large
        // site they cost more than rendering the changed pages.
        let old_files = self.built.as_ref().map(|b| b.files.clone()).unwrap_or_default();
        let same_paths = self
            .built
            .as_ref()
            .is_some_and(|b| Arc::ptr_eq(&b.deps, &new_deps) && same_static_paths(&b.site.statics, &site.statics));
        let mut files = old_files.clone();
        let statics: HashSet<&str> = site.statics.iter().map(|s| s.path.as_str()).collect();
        if !same_paths {
            files.retain(|path, f| {
                new_deps.contains_key(path)
                    || matches!(f.contents, Contents::Copy(_))
                    || render::DATA_FILES.contains(&path.as_str())
            });
            files.retain(|path, f| !matches!(f.contents, Contents::Copy(_)) || statics.contains(path.as_str()));
        }
        let mut collisions = Diagnostics::default();
        for s in render::static_files(&site) {
            if new_deps.contains_key(&s.path) {
                collisions.push(
                    Diagnostic::file(
                        format!("static/{}", s.path),
                        format!("static/{} would overwrite the page brief writes at /{}", s.path, s.path),
                    )
                    .help("rename or move the file: brief writes this path itself"),
                );
            }
            if old_files.get(&s.path).is_none_or(|old| old.contents != s.contents) {
                files.insert(s.path.clone(), Arc::new(s));
            }
        }
        if !collisions.is_empty() {
            return Err(collisions.finish());
        }
        let mut changed: BTreeSet<String> = BTreeSet::new();
        if self.built.is_some() && !same_paths {
            changed.extend(old_files.keys().filter(|p| !files.contains_key(*p)).cloned());
            changed.extend(files.keys().filter(|p| !old_files.contains_key(*p)).cloned());
        }
        for input in &self.pending {
            if let Input::Static(path) = input {
                changed.insert(path.clone());
            }
        }
        let same_pages = self.built.is_some() && changed.iter().all(|p| statics.contains(p.as_str()));
        drop(statics);

        // Pages that show few inputs first, then the lists, which on a large site take longest.
        let is_list = |k: &PageKind| {
            matches!(
                k,
                PageKind::Index
                    | PageKind::Announcements
                    | PageKind::Timeline
                    | PageKind::Speakers
                    | PageKind::Topics
                    | PageKind::Topic(_)
            )
        };
        let (lists, pages): (Vec<PageKind>, Vec<PageKind>) = to_render.iter().partition(|k| is_list(k));
        let two_phases = self.built.is_some() && !pages.is_empty() && !lists.is_empty();
        let no_lists = lists.is_empty();
        let mut checked = false;
        let check_links = |files: &Files| {
            let wanted = |body: &crate::model::Body| {
                !same_pages || self.touched.iter().any(|t| t.as_os_str() == body.file.as_os_str())
            };
            let broken = crate::links::check_some(&site, files, &wanted);
            if broken.is_empty() {
                Ok(())
            } else {
                Err(broken)
            }
        };
        let mut rendered_count = 0;
        let mut early_paths = Vec::new();
        for (phase, kinds) in [pages, lists].into_iter().enumerate() {
            if kinds.is_empty() {
                continue;
            }
            let rendered = render::render_pages(&site, templates, &kinds)?;
            clock.lap(if phase == 0 { "render pages" } else { "render lists" });
            rendered_count += rendered.len();
            let mut now_changed = Vec::new();
            for f in rendered {
                if old_files.get(&f.path).is_none_or(|old| old.contents != f.contents) {
                    now_changed.push(f.path.clone());
                    files.insert(f.path.clone(), Arc::new(f));
                }
            }
            // Links break when their text changes or pages come and go; anchors also when the
            // page they point into is rendered again. Otherwise the previous check still holds.
            // Links are checked once every page of the new site is among the files.
            if phase == 1 || two_phases || no_lists {
                check_links(&files)?;
                checked = true;
                clock.lap("links");
            }
            changed.extend(now_changed.iter().cloned());
            if phase == 0 && two_phases {
                let change = Change {
                    paths: now_changed.clone(),
                    css_only: false,
                    rendered: rendered_count,
                    elapsed: started.elapsed(),
                    phases: clock.laps.clone(),
                    early: Vec::new(),
                };
                early(&change, files.clone());
                early_paths = now_changed;
            }
        }
        if !checked {
            // Nothing was rendered, but pages may have gone that links point to.
            check_links(&files)?;
        }
        // The feed, the sitemap, the calendar and the search index read all the content.
        let content_changed = self.pending.iter().any(|i| !matches!(i, Input::Template(_) | Input::Static(_)));
        let missing = !old_files.contains_key("feed.xml");
        if content_changed || missing {
            let data = render::data_files(&site, &kinds);
            for name in render::DATA_FILES {
                let made_before = files.get(name).is_some_and(|f| !matches!(f.contents, Contents::Copy(_)));
                if made_before && !data.iter().any(|f| f.path == name) {
                    files.remove(name);
                    changed.insert(name.to_string());
                }
            }
            for f in data {
                if old_files.get(&f.path).is_none_or(|old| old.contents != f.contents) {
                    changed.insert(f.path.clone());
                    files.insert(f.path.clone(), Arc::new(f));
                }
            }
            clock.lap("data files");
        }
        let css_only = !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css"));
        self.built = Some(Built { site, kinds, deps: new_deps, files });
        Ok(Change {
            paths: changed.into_iter().collect(),
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

/// The site path of an output path: `speakers/su-bo/index.html` is `/speakers/su-bo/`.
pub fn site_path(output_path: &str) -> String {
    match output_path.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{output_path}"),
    }
}

/// Whether an output file is an HTML page.
pub fn is_html(file: &OutputFile) -> bool {
    matches!(file.contents, Contents::Rendered(_)) && file.path.ends_with(".html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starter() -> (tempfile::TempDir, PathBuf, DevSite) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s");
        crate::starter::create(&root).unwrap();
        let site = DevSite::open(&root, Settings::default());
        assert!(site.error().is_none(), "{:?}", site.error());
        (dir, root, site)
    }

    /// The changed pages, leaving out the data files every content change remakes.
    fn pages(change: &Change) -> Vec<&str> {
        change.paths.iter().map(String::as_str).filter(|p| !render::DATA_FILES.contains(p)).collect()
    }

    fn html(site: &DevSite, path: &str) -> String {
        match &site.file(path).unwrap().contents {
            Contents::Rendered(s) => s.clone(),
            Contents::Copy(p) => std::fs::read_to_string(p).unwrap(),
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
    fn the_search_index_follows_content_changes_but_not_template_changes() {
        let (_d, root, mut site) = starter();
        assert!(html(&site, "search.json").contains("The Example Expo opens"));
        let file = root.join("content/announcements/opening.md");
        let text = std::fs::read_to_string(&file).unwrap().replace("The Example Expo opens", "Doors open");
        std::fs::write(&file, text).unwrap();
        let Outcome::Changed(change) = site.apply(std::slice::from_ref(&file)) else { panic!() };
        assert!(change.paths.contains(&"search.json".to_string()), "{:?}", change.paths);
        assert!(html(&site, "search.json").contains("Doors open"));
        let tpl = root.join("templates/page.html");
        let text = std::fs::read_to_string(&tpl).unwrap().replace("<h1>", "<h1 class=\"x\">");
        std::fs::write(&tpl, text).unwrap();
        let Outcome::Changed(change) = site.apply(std::slice::from_ref(&tpl)) else { panic!() };
        assert!(!change.paths.contains(&"search.json".to_string()));
        assert!(site.file("search.json").is_some());
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
    fn new_and_deleted_files_add_and_remove_pages() {
        let (_d, root, mut site) = starter();
        let file = root.join("content/pages/contact.md");
        std::fs::write(&file, "---\ntitle: Contact\n---\nWrite to us.\n").unwrap();
        let Outcome::Changed(change) = site.apply(std::slice::from_ref(&file)) else { panic!() };
        assert_eq!(pages(&change), ["contact/index.html"]);
        std::fs::remove_file(&file).unwrap();
        let Outcome::Changed(change) = site.apply(&[file]) else { panic!() };
        assert_eq!(pages(&change), ["contact/index.html"]);
        assert!(site.file("contact/index.html").is_none());
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
        let text = std::fs::read_to_string(&tpl).unwrap().replace("<h1>", "<h1 class=\"changed\">");
        std::fs::write(&tpl, text).unwrap();
        let Outcome::Changed(change) = site.apply(&[tpl]) else { panic!() };
        assert_eq!(change.paths, ["speakers/jane-doe/index.html"]);
        assert!(!change.css_only);
    }
}
