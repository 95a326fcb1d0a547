//! The render phase: one Tera render per page, in parallel, from views made for templates
//! (`views`), with what each page says about itself (`seo`). Every page reads the site through
//! its own [`Reader`](crate::deps::Reader), so the render returns, with each page, the keys it read: `serve` uses them
//! to re-render only the pages a change can affect (see [`crate::deps`]). The context each
//! template receives is documented in `docs/templates.md`.

mod seo;
mod views;

use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::deps::{Family, Key};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::links::{self, PageLinks};
use crate::model::Site;
use crate::output::{Contents, OutputFile, Staged};
use crate::routes::{self, PageKind};
use crate::templates::Templates;

use views::{ContextMap, Shared, YearView};

/// A rendered page, with what its rendering read and what it links to.
#[derive(Debug, Clone)]
pub struct Page {
    /// Which page it is.
    pub kind: PageKind,
    /// Its file.
    pub file: OutputFile,
    /// The keys its rendering read, sorted.
    pub reads: Arc<[Key]>,
    /// Its links and ids, for the link check.
    pub links: Arc<PageLinks>,
}

/// How many timeline entries the home page shows, around the event.
const TEASER: usize = 5;

/// Every page of `site` that `templates` can render, in a stable order.
pub fn pages(site: &Site, templates: &Templates) -> Vec<PageKind> {
    routes::pages(site, |name| templates.tera.get_template_names().any(|n| n == name))
}

/// Renders every page of `site`.
pub fn render(site: &Site, templates: &Templates) -> Result<Vec<Page>, Diagnostics> {
    render_pages(site, templates, &pages(site, templates), Reads::Skip)
}

/// The templates' words in one language, for the words the render writes itself (page titles
/// and descriptions).
pub(crate) struct Words<'a> {
    messages: &'a crate::messages::Messages,
    lang: &'a str,
    default: &'a str,
}

impl Words<'_> {
    /// Message `key` with text values `args`.
    pub(crate) fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.messages.text(self.lang, self.default, key, args)
    }
}

/// Whether a render records what each page reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// Record it, for re-rendering what a change affects (`serve`).
    Record,
    /// Do not: every page is rendered once (`build`, `check`, `publish`).
    Skip,
}

/// Renders the pages `kinds` of `site` (in its default language), in parallel, reporting every
/// error.
pub fn render_pages(
    site: &Site,
    templates: &Templates,
    kinds: &[PageKind],
    reads: Reads,
) -> Result<Vec<Page>, Diagnostics> {
    let jobs: Vec<(usize, PageKind)> = kinds.iter().map(|&k| (0, k)).collect();
    Ok(render_all(site, templates, &jobs, reads, None)?.into_iter().map(|(_, page)| page).collect())
}

/// Every language of `root` with the pages it has: `(language, its site, its pages)`.
pub fn languages<'s>(root: &'s Site, templates: &Templates) -> Vec<(usize, &'s Site, Vec<PageKind>)> {
    root.languages().enumerate().map(|(lang, site)| (lang, site, pages(site, templates))).collect()
}

/// A page of a language rendered, or what failed it.
type Rendered = Result<(usize, Page), ((usize, PageKind), Vec<Diagnostic>)>;

/// Renders the pages `jobs` (each a language of `root` and a page), all in one parallel pass, so
/// that the languages' long list pages overlap; reports every error. Each page comes with its
/// language.
///
/// With `stage`, each page is written there as soon as it is rendered and read for its links,
/// and its file says where it was written: ten thousand pages are not kept in memory to be
/// written at the end.
pub fn render_all(
    root: &Site,
    templates: &Templates,
    jobs: &[(usize, PageKind)],
    record: Reads,
    stage: Option<&Staged>,
) -> Result<Vec<(usize, Page)>, Diagnostics> {
    let sites: Vec<&Site> = root.languages().collect();
    let shared: Vec<Shared> = sites.iter().map(|s| Shared::new(s, record == Reads::Record)).collect();
    // The templates' words that take no value, per language (`msg` in every context).
    let default = &root.config.languages[0].code;
    let plain: Vec<Value> =
        sites.iter().map(|s| templates.messages.plain_map(&s.config.current().code, default)).collect();
    // Pieces of at most a few pages: rayon runs a piece through on one thread, so a large one
    // left at the end keeps one core busy while the other waits.
    let results: Vec<Rendered> = jobs
        .par_iter()
        .with_max_len(4)
        .map(|&(lang, kind)| {
            let (site, shared) = (sites[lang], &shared[lang]);
            let words = Words { messages: &templates.messages, lang: &site.config.current().code, default };
            // The language switcher reads, of the other languages, whether the member is translated.
            let several = !root.translations.is_empty();
            let switcher = (several && record == Reads::Record).then(|| translated_key(root, kind)).flatten();
            let (mut context, reads) = context_for(shared, kind, &words, switcher);
            context.insert_value("msg", plain[lang].clone());
            if several {
                translations(&mut context, root, lang, kind);
            }
            let path = kind.path(site);
            let c = &site.config;
            templates
                .render_with(kind.template(), &context, |html| {
                    // Read while the page is fresh in the cache; the check itself is look-ups.
                    let links = Arc::new(links::page_links(&path, html, &c.base_path));
                    let out = routes::output_path(&path);
                    let contents = match stage {
                        Some(stage) => stage.put(&out, html.as_bytes()),
                        None => Contents::Rendered(html.to_owned()),
                    };
                    (lang, Page { kind, file: OutputFile { path: out, contents }, reads, links })
                })
                .map_err(|err| ((lang, kind), templates.diagnose(&err)))
        })
        .collect();
    let mut failed: Vec<(Diagnostic, Vec<(usize, PageKind)>)> = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err((kind, ds)) => {
                for d in ds {
                    match failed.iter_mut().find(|(seen, _)| *seen == d) {
                        Some((_, kinds)) => kinds.push(kind),
                        None => failed.push((d, vec![kind])),
                    }
                }
            }
        }
    }
    if failed.is_empty() {
        return Ok(pages);
    }
    // One template mistake usually fails every page that uses the template: it is reported
    // once, with the number of pages it fails and the first of them.
    let mut errors = Diagnostics::default();
    for (mut d, kinds) in failed {
        let (lang, kind) = kinds[0];
        let first = kind.path(sites[lang]);
        d.message = match kinds.len() {
            1 => format!("{} (while rendering {first})", d.message),
            n => format!("{} (on {n} pages, such as {first})", d.message),
        };
        errors.push(d);
    }
    Err(errors.finish())
}

/// Whether page `kind` lists many members (the home page, the lists, a topic): the pages that
/// take longest to render.
pub fn is_list(kind: PageKind) -> bool {
    matches!(
        kind,
        PageKind::Index
            | PageKind::Announcements
            | PageKind::Timeline
            | PageKind::Speakers
            | PageKind::Topics
            | PageKind::Topic(_)
    )
}

/// What the language switcher of page `kind` reads of the other languages: whether its member
/// is translated into each.
fn translated_key(root: &Site, kind: PageKind) -> Option<Key> {
    let (family, slug) = match kind {
        PageKind::Announcement(i) => (Family::Announcement, &root.announcements[i].slug),
        PageKind::Speaker(i) => (Family::Speaker, &root.speakers[i].slug),
        PageKind::Page(i) => (Family::Page, &root.pages[i].slug),
        _ => return None,
    };
    Some(Key::Translated(family, Arc::from(slug.as_str())))
}

/// The same page in every language of `root`, for `hreflang` links and the language switcher:
/// `translations` in the context, and `page_translated`. A page whose member is not translated
/// yet names the original as its canonical URL.
fn translations(ctx: &mut Context, root: &Site, lang: usize, kind: PageKind) {
    let mut list = Vec::new();
    for (j, site) in root.languages().enumerate() {
        let l = &site.config.languages[j];
        let path = kind.path(site);
        let mut map = ContextMap::default();
        map.insert("code", Value::from(l.code.as_str()));
        map.insert("tag", Value::from(l.tag.as_str()));
        map.insert("og_locale", Value::from(l.og_locale.as_str()));
        map.insert("name", Value::from(l.name.as_str()));
        map.insert("url", Value::from(routes::url(&site.config.base_path, &path)));
        map.insert("permalink", Value::from(routes::permalink(&site.config.base_url, &path)));
        map.insert("current", Value::from(j == lang));
        map.insert("translated", Value::from(kind.is_translated(site)));
        list.push(map.into_value());
    }
    let site = root.languages().nth(lang).unwrap_or(root);
    let translated = kind.is_translated(site);
    ctx.insert("page_translated", &translated);
    if !translated {
        ctx.insert("canonical_url", &kind.permalink(root));
    }
    ctx.insert_value("translations", Value::from(list));
}

/// The template context of page `kind`, and what building it read, with `also_read` (what the
/// page reads besides its context, through the language switcher).
fn context_for(shared: &Shared, kind: PageKind, words: &Words, also_read: Option<Key>) -> (Context, Arc<[Key]>) {
    let r = shared.reader();
    let mut ctx = Context::new();
    let path = r.path(kind);
    let config = r.config();
    ctx.insert_value("site", shared.site(&r));
    // What `url()` puts after the base path: the folder of the page's language; and the
    // languages `t()` takes its words from.
    ctx.insert("lang_prefix", &config.lang_prefix());
    ctx.insert("lang", &config.current().code);
    ctx.insert("default_lang", &config.languages[0].code);
    ctx.insert("current_path", &path);
    ctx.insert("current_url", &routes::url(&config.base_path, &path));
    let canonical = routes::permalink(&config.base_url, &path);
    ctx.insert("canonical_url", &canonical);
    ctx.insert("meta", &seo::meta(&r, kind, words));
    ctx.insert_value("pages", shared.pages(&r));
    if let Some(data) = seo::structured_data(&r, kind, &canonical) {
        ctx.insert_value("jsonld", Value::safe_string(&data));
    }
    match kind {
        PageKind::Index => {
            ctx.insert_value("charts", shared.charts(&r));
            ctx.insert_value("announcements", shared.all_announcements(&r));
            ctx.insert_value("figures", shared.figures(&r));
            let timeline = shared.timeline(&r).into_iter().map(|(_, v)| v).collect::<Vec<_>>();
            ctx.insert_value("timeline", Value::from(timeline));
            let entries = r.timeline();
            let event = &config.event;
            let around = crate::model::around(entries, event.start, event.end, TEASER);
            ctx.insert_value(
                "timeline_teaser",
                shared.entries(&r, around.into_iter().map(|i| (i, &entries[i])).collect()),
            );
            let dates: std::collections::HashSet<_> = entries.iter().map(|e| e.date).collect();
            ctx.insert("timeline_dates", &dates.len());
            let lead = (0..r.announcements()).find(|&i| r.announcement(i).lead);
            ctx.insert_value("lead", lead.map_or(Value::none(), |i| shared.announcement(&r, i)));
            ctx.insert_value("speakers", shared.all_speakers(&r));
            ctx.insert_value("topics", shared.all_topics(&r));
        }
        PageKind::Announcements => ctx.insert_value("announcements", shared.all_announcements(&r)),
        PageKind::Announcement(i) => {
            let a = r.announcement(i);
            if let Some(mut map) = shared.announcement(&r, i).into_map() {
                map.insert("content".into(), Value::safe_string(&a.body.markdown.html));
                map.insert("sources".into(), Value::from_serializable(&views::citations(&r, &a.sources)));
                let figures: Vec<views::FigureView> = a.figures.iter().map(|f| views::figure_view(&r, i, f)).collect();
                map.insert("figures".into(), Value::from_serializable(&figures));
                // What the figures cite, each citation once, for one line under their table.
                let cited = crate::model::Citation::distinct(a.figures.iter().flat_map(|f| &f.sources));
                map.insert("figure_sources".into(), Value::from_serializable(&views::citations(&r, &cited)));
                map.insert("timeline".into(), shared.entries(&r, r.announcement_timeline(i)));
                // The charts of the series its figures are points of, with their other points; what
                // the figures' line under the table cites is not said twice.
                let series: Vec<&str> = a.figures.iter().filter_map(|f| f.series.as_deref()).collect();
                if !series.is_empty() {
                    map.insert("charts".into(), shared.series_charts(&r, &series, &cited));
                }
                ctx.insert_value("announcement", Value::from(map));
            }
        }
        PageKind::Timeline => {
            ctx.insert_value("charts", shared.charts(&r));
            let entries = shared.timeline(&r);
            let mut years: Vec<YearView> = Vec::new();
            for (year, v) in &entries {
                match years.last_mut() {
                    Some(y) if y.year == *year => y.entries.push(v.clone()),
                    _ => years.push(YearView { year: *year, entries: vec![v.clone()] }),
                }
            }
            ctx.insert_value("timeline", Value::from(entries.into_iter().map(|(_, v)| v).collect::<Vec<_>>()));
            ctx.insert("years", &years);
        }
        PageKind::Speakers => {
            // Who spoke in an announcement, and who is only named (as each summary's `spoke` says).
            let (spoke, named): (Vec<usize>, Vec<usize>) =
                (0..r.speakers()).partition(|&i| !r.speaker_announcements(i).is_empty());
            let summaries =
                |list: Vec<usize>| Value::from(list.into_iter().map(|i| shared.speaker(&r, i)).collect::<Vec<_>>());
            ctx.insert_value("who_spoke", summaries(spoke));
            ctx.insert_value("also_named", summaries(named));
            ctx.insert_value("speakers", shared.all_speakers(&r));
        }
        PageKind::Speaker(i) => {
            let s = r.speaker(i);
            if let Some(mut map) = shared.speaker(&r, i).into_map() {
                map.insert("content".into(), Value::safe_string(&s.body.markdown.html));
                ctx.insert_value("speaker", Value::from(map));
            }
            ctx.insert_value("announcements", shared.announcements(&r, r.speaker_announcements(i)));
            ctx.insert_value("mentioned_in", shared.announcements(&r, r.speaker_mentions(i)));
            ctx.insert_value("timeline", shared.entries(&r, r.speaker_timeline(i)));
        }
        PageKind::Topics => ctx.insert_value("topics", shared.all_topics(&r)),
        PageKind::Topic(i) => {
            ctx.insert_value("topic", shared.topic(&r, i));
            ctx.insert_value("announcements", shared.announcements(&r, r.topic_announcements(i)));
        }
        PageKind::Page(i) => {
            let p = r.page(i);
            let mut map = ContextMap::default();
            map.insert("slug", Value::from(p.slug.as_str()));
            map.insert("url", Value::from(routes::url(&config.base_path, &path)));
            map.insert("title", Value::from(p.title.as_str()));
            map.insert("description", Value::from(p.description.as_deref()));
            map.insert("content", Value::safe_string(&p.body.markdown.html));
            map.insert("lang", Value::from(views::fallback(&r, p.fallback)));
            map.insert("embargo", Value::from(views::embargo(&r, p.embargo.as_ref())));
            ctx.insert_value("page", map.into_value());
        }
        PageKind::NotFound | PageKind::Search => {}
    }
    r.replay(also_read.as_slice());
    (ctx, r.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_mistake_met_on_many_pages_is_reported_once() {
        let (_dir, root) = crate::starter::temporary();
        let card = root.join("templates/partials/speaker-card.html");
        let text = std::fs::read_to_string(&card).unwrap().replace("{{ s.name }}", "{{ s.nam }}");
        std::fs::write(&card, text).unwrap();
        let site = crate::content::load(&root, &Default::default()).unwrap();
        let templates = Templates::load(&root, "/").unwrap();
        let errors = render(&site, &templates).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{}", errors.render(false));
        let d = &errors.0[0];
        assert!(d.message.contains("(on 3 pages, such as /)"), "{}", d.message);
        assert_eq!(d.location(), "templates/partials/speaker-card.html:4:53");
        assert!(d.help.as_deref().unwrap().starts_with("did you mean `name`?"), "{:?}", d.help);
    }

    #[test]
    fn list_pages_get_summaries_never_bodies() {
        let (_dir, root) = crate::starter::temporary();
        let site = crate::content::load(&root, &crate::content::Settings::default()).unwrap();
        let shared = Shared::new(&site, true);
        let body = "Replace this text with what was announced.";
        assert!(site.announcements[0].body.markdown.html.contains(body));
        let shown = |kind: PageKind, key: &str| {
            let messages = crate::messages::Messages::default();
            let words = Words { messages: &messages, lang: "en", default: "en" };
            let (ctx, _) = context_for(&shared, kind, &words, None);
            ctx.get(key).unwrap_or_else(|| panic!("{kind:?} has no {key}")).to_string()
        };
        // The announcement's own page has its body; the list pages that show it do not.
        assert!(shown(PageKind::Announcement(0), "announcement").contains(body));
        for (kind, key) in [
            (PageKind::Index, "announcements"),
            (PageKind::Announcements, "announcements"),
            (PageKind::Speaker(0), "announcements"),
            (PageKind::Topic(0), "announcements"),
        ] {
            let list = shown(kind, key);
            assert!(list.contains("The Example Expo opens"), "{kind:?}: {list}");
            assert!(!list.contains(body), "{kind:?} copies the body: {list}");
        }
    }
}
