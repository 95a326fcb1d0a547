//! Full-text search: a Pagefind index of each language's pages, written under that language's
//! folder (`pagefind/`, `zh/pagefind/`), which the search page loads in the reader's browser.
//!
//! The index is made from the HTML the build rendered, in process: the templates say what to
//! index and how to filter it with Pagefind's `data-pagefind-*` attributes (`data-pagefind-body`
//! on a page's main content, `data-pagefind-filter` for kind, topic, speaker and year,
//! `data-pagefind-sort` for the date). A timeline entry is not a page of its own, so each is
//! added as a record that links to its place on the timeline, with the same filters.
//!
//! Each language is indexed on its own (in parallel), with Pagefind's language forced to the
//! language's code, so that a Chinese query searches the Chinese pages only and Chinese text is
//! split into words. Pages whose member is not translated yet are left out of a language's index:
//! they repeat the original, which its own language's index holds.
//!
//! Indexing costs far more than rendering, so `build` and `serve` make the index only when asked
//! (`--search`); `publish` always does.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::messages::Messages;
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::routes::PageKind;

/// The folder of a language's index, under the language's folder.
pub const BUNDLE: &str = "pagefind/";

/// The attribute that marks a page's indexed content.
const BODY_MARK: &str = "data-pagefind-body";

/// What a language's index is made of: its pages' HTML and its timeline records.
struct Input {
    code: String,
    prefix: String,
    pages: Vec<Page>,
    records: Vec<Record>,
}

/// A rendered page to index. Pagefind takes each page's HTML as a `String` of its own, so the
/// copy is made once, here, and handed over.
struct Page {
    path: String,
    url: String,
    html: String,
}

/// What the index of a site is made from, copied out of the rendered files ([`prepare`]), so that
/// it can be made ([`Pending::make`]) on a thread of its own while the files change (are
/// minified, compressed).
pub struct Pending {
    inputs: Vec<Input>,
}

/// A timeline entry, indexed as a result of its own.
struct Record {
    url: String,
    text: String,
    meta: BTreeMap<String, String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// The words the index needs of the templates' messages, per language of `root`: what a
/// timeline entry's kind is called.
pub fn labels(root: &Site, messages: &Messages) -> Vec<String> {
    let default = &root.config.languages[0].code;
    root.languages()
        .map(|site| messages.text(&site.config.current().code, default, "search-kind-timeline", &[]))
        .collect()
}

/// The search index of every language of `root`, from its rendered files (the text of each HTML
/// page by output path, from `page`): the files to write. `labels` come from [`labels`]. A
/// failure names the page being indexed.
pub fn index<'f>(
    root: &Site,
    labels: &[String],
    page: impl Fn(&str) -> Option<&'f str>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    prepare(root, labels, page).make(&AtomicBool::new(false))
}

/// What [`index`] indexes, copied: the pages of each language that have the indexed element, and
/// the timeline's records.
pub fn prepare<'f>(root: &Site, labels: &[String], page: impl Fn(&str) -> Option<&'f str>) -> Pending {
    let inputs = root
        .languages()
        .zip(labels)
        .map(|(site, label)| {
            let pages = crate::routes::pages(site, |_| true)
                .into_iter()
                .filter(|kind| kind.is_translated(site) && *kind != PageKind::NotFound)
                .filter_map(|kind| {
                    let path = kind.output_path(site);
                    let html = page(&path)?;
                    html.contains(BODY_MARK).then(|| Page { path, url: kind.url(site), html: html.to_string() })
                })
                .collect();
            Input {
                code: site.config.current().code.clone(),
                prefix: site.config.lang_prefix(),
                pages,
                records: timeline_records(site, label),
            }
        })
        .collect();
    Pending { inputs }
}

impl Pending {
    /// The threads [`Pending::make`] keeps busy off a rayon pool: one per language.
    pub fn threads(&self) -> usize {
        self.inputs.len()
    }

    /// Makes the index of every language (in parallel): the files to write. Once `stop` is set,
    /// it stops at the next page and returns no files (the caller has failed elsewhere).
    pub fn make(self, stop: &AtomicBool) -> Result<Vec<OutputFile>, Diagnostics> {
        // Inside a rayon pool (`serve --search` keeps its indexer to a pool of its own), each
        // language is a job of that pool. On a plain thread (`publish` indexes on one beside the
        // pool), each language gets a thread of its own, so that no worker of the global pool sits
        // blocked waiting on Pagefind while there is other work.
        let results: Vec<Result<Vec<OutputFile>, Diagnostic>> = if rayon::current_thread_index().is_some() {
            self.inputs.into_par_iter().map(|input| index_language(input, stop)).collect()
        } else {
            std::thread::scope(|s| {
                let threads: Vec<_> =
                    self.inputs.into_iter().map(|input| s.spawn(move || index_language(input, stop))).collect();
                threads.into_iter().map(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
            })
        };
        let mut out = Vec::new();
        let mut errors = Diagnostics::default();
        for r in results {
            match r {
                Ok(files) => out.extend(files),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors.finish())
        }
    }
}

/// The timeline entries of `site` as records: each links to its place on the timeline page, with
/// its date, year and speakers.
fn timeline_records(site: &Site, kind: &str) -> Vec<Record> {
    let formats = crate::format::formats(&site.config.language);
    let timeline_url = PageKind::Timeline.url(site);
    site.timeline
        .iter()
        .filter(|e| e.fallback.is_none())
        .map(|e| {
            let body = e.body.as_ref().map(|b| text_of(&b.markdown.html)).unwrap_or_default();
            let speakers: Vec<String> = e.speakers.iter().map(|&s| site.speakers[s].name.clone()).collect();
            let mut text = e.title.clone();
            for part in std::iter::once(&body).chain(&speakers) {
                if !part.is_empty() {
                    text.push_str(". ");
                    text.push_str(part);
                }
            }
            let mut filters = BTreeMap::from([
                ("kind".to_string(), vec![kind.to_string()]),
                ("year".to_string(), vec![e.date.year().to_string()]),
            ]);
            if !speakers.is_empty() {
                filters.insert("speaker".to_string(), speakers);
            }
            let meta =
                BTreeMap::from([("title".to_string(), e.title.clone()), ("date".to_string(), formats.when(&e.date))]);
            Record {
                url: format!("{timeline_url}#{}", e.anchor),
                text,
                meta,
                filters,
                sort: BTreeMap::from([("date".to_string(), e.date.iso())]),
            }
        })
        .collect()
}

/// Whether a file of Pagefind's bundle is one of its ready-made interfaces, which the search page
/// does not use (it has its own, in the site's words): only the search library, its worker and
/// WebAssembly, and the index are published.
fn is_ready_made_ui(name: &str) -> bool {
    ["pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight."]
        .iter()
        .any(|ui| name.starts_with(ui))
}

/// The text of an HTML fragment, as a reader sees it.
fn text_of(html: &str) -> String {
    let text: String = scraper::Html::parse_fragment(html).root_element().text().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`index`] of `files`, the site's output as a list.
pub fn index_files(root: &Site, messages: &Messages, files: &[OutputFile]) -> Result<Vec<OutputFile>, Diagnostics> {
    prepare_files(root, messages, files).make(&AtomicBool::new(false))
}

/// [`prepare`] of `files`, the site's output as a list.
pub fn prepare_files(root: &Site, messages: &Messages, files: &[OutputFile]) -> Pending {
    let by_path: HashMap<&str, &str> = files
        .iter()
        .filter_map(|f| match &f.contents {
            Contents::Rendered(text) if f.path.ends_with(".html") => Some((f.path.as_str(), text.as_str())),
            _ => None,
        })
        .collect();
    prepare(root, &labels(root, messages), |path| by_path.get(path).copied())
}

/// The index of one language, as files under its folder.
fn index_language(input: Input, stop: &AtomicBool) -> Result<Vec<OutputFile>, Diagnostic> {
    let failed = |file: &str, what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::file(Kind::Search, file, format!("the search index failed on {what}: {e:#}")).help(
            "nothing was written; please report this with the page attached (`brief build` without --search does not index)",
        )
    };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| failed("", "its start", &e))?;
    runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .force_language(input.code.clone())
            .keep_index_url(false)
            .build();
        let started = std::time::Instant::now();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))
            .map_err(|e| failed("", &format!("its settings ({})", input.code), &e))?;
        for page in input.pages {
            if stop.load(Ordering::Relaxed) {
                return Ok(Vec::new());
            }
            index
                .add_html_file(None, Some(page.url.clone()), page.html)
                .await
                .map_err(|e| failed(&page.path, &page.url, &e))?;
        }
        for r in input.records {
            let url = r.url.clone();
            index
                .add_custom_record(r.url, r.text, input.code.clone(), Some(r.meta), Some(r.filters), Some(r.sort))
                .await
                .map_err(|e| failed("content/timeline.yaml", &url, &e))?;
        }
        let added = std::time::Instant::now();
        let files = index.get_files().await.map_err(|e| failed("", &format!("the {} index", input.code), &e))?;
        if std::env::var_os("BRIEF_TIMINGS").is_some() {
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "search index {}: pages added in {:.2} s, index made in {:.2} s",
                    input.code,
                    (added - started).as_secs_f64(),
                    added.elapsed().as_secs_f64()
                );
            }
        }
        Ok(files
            .into_iter()
            .filter(|f| !is_ready_made_ui(&f.filename.to_string_lossy()))
            .map(|f| OutputFile {
                path: format!("{}{BUNDLE}{}", input.prefix, f.filename.to_string_lossy().replace('\\', "/")),
                contents: Contents::Bytes(f.contents),
            })
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::path::Path;

    use super::*;

    /// The decompressed bytes of every file of `files` under `folder` (`pagefind/index/`).
    fn unpacked<'a>(files: &'a [OutputFile], folder: &'a str) -> impl Iterator<Item = (String, Vec<u8>)> + 'a {
        files.iter().filter(move |f| f.path.starts_with(folder)).map(|f| {
            let Contents::Bytes(bytes) = &f.contents else { panic!("{} is not bytes", f.path) };
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).unwrap();
            assert!(out.starts_with(b"pagefind_dcd"), "{}", f.path);
            (f.path.clone(), out)
        })
    }

    /// Whether `word` is a word of the index under `folder`: the index stores each word as a CBOR
    /// text string, its length in the head byte (short words only).
    fn has_word(files: &[OutputFile], folder: &str, word: &str) -> bool {
        assert!(word.len() < 24);
        let mut needle = vec![0x60 + word.len() as u8];
        needle.extend_from_slice(word.as_bytes());
        unpacked(files, &format!("{folder}index/")).any(|(_, b)| b.windows(needle.len()).any(|w| w == needle))
    }

    /// The pages (fragments) of the index under `folder`, as JSON.
    fn fragments(files: &[OutputFile], folder: &str) -> Vec<serde_json::Value> {
        unpacked(files, &format!("{folder}fragment/"))
            .map(|(_, b)| serde_json::from_slice(&b["pagefind_dcd".len()..]).unwrap())
            .collect()
    }

    #[test]
    fn the_real_briefing_is_indexed_in_each_language_with_its_filters_and_timeline() {
        let rendered = crate::build::render_site(Path::new(env!("CARGO_MANIFEST_DIR")), &Default::default(), true)
            .map_err(|e| e.to_string())
            .unwrap();
        let files = &rendered.files;
        // Words of the bodies, not only of titles (as English stems: laundering, clearing).
        for word in ["launder", "bali", "clear", "guangxi"] {
            assert!(has_word(files, "pagefind/", word), "{word} is not in the English index");
        }
        // Chinese is split into words at indexing: 洗钱 (money laundering) is a word of 反洗钱。
        assert!(has_word(files, "zh/pagefind/", "洗钱"), "洗钱 is not a word of the Chinese index");
        assert!(!has_word(files, "zh/pagefind/", "launder"), "English text in the Chinese index");
        assert!(has_word(files, "vi/pagefind/", "rửa"), "the Vietnamese index lacks rửa (tiền)");

        let pages = fragments(files, "pagefind/");
        let url = |u: &str| pages.iter().find(|p| p["url"] == u).unwrap_or_else(|| panic!("{u} is not indexed"));
        let base = &rendered.site.config.base_path;
        let finance = url(&format!("{base}announcements/financial-cooperation/"));
        assert_eq!(finance["filters"]["kind"], serde_json::json!(["Announcement"]));
        assert_eq!(finance["filters"]["year"], serde_json::json!(["2012"]));
        assert_eq!(finance["filters"]["topic"], serde_json::json!(["Finance"]));
        assert_eq!(finance["filters"]["speaker"], serde_json::json!(["Pan Gongsheng"]));
        // The speaker cards beside the text are not part of it.
        assert!(!finance["content"].as_str().unwrap().contains("Deputy Governor"), "{}", finance["content"]);
        let bali = url(&format!("{base}timeline/#partnership-proposed"));
        assert_eq!(bali["filters"]["kind"], serde_json::json!(["Timeline"]));
        assert_eq!(bali["filters"]["year"], serde_json::json!(["2011"]));
        assert_eq!(
            bali["meta"]["title"],
            "Premier Wen Jiabao proposes a China–ASEAN science and technology partnership"
        );
        // Every kind of page is a result, with its kind.
        for (u, kind) in [("speakers/pan-gongsheng/", "Speaker"), ("topics/finance/", "Topic"), ("about/", "Page")] {
            assert_eq!(url(&format!("{base}{u}"))["filters"]["kind"], serde_json::json!([kind]), "{u}");
        }
        // Lists, the home page and the search page are not results.
        for u in ["", "announcements/", "search/", "timeline/", "speakers/"] {
            assert!(pages.iter().all(|p| p["url"] != format!("{base}{u}")), "{base}{u} is indexed");
        }
        let zh = fragments(files, "zh/pagefind/");
        assert!(zh.iter().all(|p| p["url"].as_str().unwrap().starts_with(&format!("{base}zh/"))));
        let zh_finance =
            zh.iter().find(|p| p["url"] == format!("{base}zh/announcements/financial-cooperation/")).unwrap();
        assert_eq!(zh_finance["filters"]["kind"], serde_json::json!(["公告"]));
        // Only the bundle the search page uses is published, not Pagefind's ready-made interfaces.
        assert!(files.iter().any(|f| f.path == "pagefind/pagefind.js"));
        assert!(!files.iter().any(|f| f.path.contains("pagefind-ui")), "Pagefind's own UI is published");
    }

    /// A page of the test index: `body` inside the indexed element.
    fn page(n: usize, body: &str) -> String {
        format!("<!doctype html><html lang=\"en\"><head><title>Page {n}</title></head><body><main data-pagefind-body><h1>Page {n}</h1>{body}</main></body></html>")
    }

    #[test]
    fn markup_that_would_confuse_an_indexer_still_indexes() {
        let huge = format!("<p>{}</p>", "elephant giraffe zebra ".repeat(45_000));
        let bodies = [
            "<p>An unclosed <b>paragraph <i>with alpha <div>and nothing closed".to_string(),
            huge,
            "<table><tr><td>quokka</td><td>1</td></tr><tr><td>wombat</td><td>2</td></tr></table>".to_string(),
            "<p>Three scripts: bandicoot, 卫星数据平台, Hợp tác tài chính.</p>".to_string(),
            "<p>Stray </p></p></div> closers, <!-- an unclosed comment".to_string(),
        ];
        let html: Vec<String> = bodies.iter().enumerate().map(|(n, b)| page(n, b)).collect();
        assert!(html[1].len() > 1_000_000);
        let input = Input {
            code: "en".into(),
            prefix: String::new(),
            pages: html
                .iter()
                .enumerate()
                .map(|(n, h)| Page { path: format!("p{n}/index.html"), url: format!("/p{n}/"), html: h.clone() })
                .collect(),
            records: Vec::new(),
        };
        let files = index_language(input, &AtomicBool::new(false)).unwrap();
        let pages = fragments(&files, "pagefind/");
        assert_eq!(pages.len(), bodies.len(), "{pages:?}");
        // English words as stems: closers is `closer`.
        for word in ["alpha", "zebra", "quokka", "wombat", "bandicoot", "tài", "closer"] {
            assert!(has_word(&files, "pagefind/", word), "{word} is not indexed");
        }
        let huge = pages.iter().find(|p| p["url"] == "/p1/").unwrap();
        assert!(huge["word_count"].as_u64().unwrap() > 100_000, "{}", huge["word_count"]);
    }
}
