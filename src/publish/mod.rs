//! `brief publish`: the production build. Everything `build` does, plus what static hosts and
//! readers expect: a sitemap and robots.txt, an Atom feed, the timeline as iCalendar,
//! fingerprinted and minified assets, precompressed siblings, host headers, a deploy manifest,
//! and checks that every page has a title and a description and every image a text alternative.
//!
//! The phases are those of `build` (load, render, check links, write) with publishing steps
//! between render and write; nothing is written unless every check passes.

pub mod assets;
pub mod checks;
pub mod manifest;

use std::time::Instant;

use crate::build::{Error, Options, Rendered, Report};
use crate::output::{self, OutputFile};

/// What to publish.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// Where the site is and where it goes.
    pub build: Options,
    /// Also request every external link, reporting the ones that fail.
    pub check_external: bool,
    /// Which compressed copies to write (all of them for `brief publish`).
    pub compression: assets::Compression,
}

/// Builds the production site into memory: every output file, checked.
pub fn render_site(options: &PublishOptions) -> Result<Rendered, Error> {
    let (site, templates, assets) =
        crate::build::load_phase(&options.build.root, &options.build.settings, assets::prepare, assets::Assets::urls)?;
    let coverage = crate::build::coverage(&site, &templates);
    let warnings = crate::build::require_complete(&site, &templates, &coverage)?;
    let (mut files, links) = crate::build::render_files(&site, &templates).map_err(Error::Content)?;
    // Pages link to the fingerprinted names of stylesheets and scripts: the files to check them
    // against are those published.
    assets::apply(&assets, &mut files);
    crate::build::check_links(&site, &templates, &files, &links)?;

    // The full-text search index is made from the pages as rendered, on a thread of its own,
    // while the rayon pool checks, minifies and compresses the files. Pagefind reads one page at
    // a time (its interface holds one lock around each page's parsing), so this keeps the other
    // cores busy meanwhile instead of leaving them idle. A failed check stops the indexing.
    let pending = crate::search::prepare_files(&site, &templates.messages, &files);
    // The rest gets the cores the indexing threads leave (at least one), so that Pagefind's
    // reading, the longest part, is not slowed by more threads than cores.
    let threads = rayon::current_num_threads().saturating_sub(pending.threads()).max(1);
    let rest_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::io("cannot start threads", e))?;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (index, rest) = std::thread::scope(|s| {
        let indexing = s.spawn(|| pending.make(&stop));
        let rest = rest_pool.install(|| finish(&site, options, &mut files));
        if rest.is_err() {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        (indexing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), rest)
    });
    let compressed = rest?;
    let index = index.map_err(Error::Content)?;
    let index_compressed = assets::compressed(&index, options.compression);
    files.extend(index);

    // The images' variants are named by their content, like the assets.
    let variants: std::collections::HashSet<&str> = site.images.iter().map(|v| v.path.as_str()).collect();
    files.push(OutputFile::text(".nojekyll", ""));
    files.push(OutputFile::text("_headers", assets::headers(&files, &assets, &variants, &site.config.cache)));
    files.extend(compressed);
    files.extend(index_compressed);
    // The policy of `_headers`, file by file: fingerprinted assets, the images' variants and
    // their compressed copies for a year, everything else revalidated.
    let mut fingerprinted = variants;
    fingerprinted.extend(assets.items.iter().map(|a| a.published.as_str()));
    let cache = &site.config.cache;
    let cache_of = |path: &str| -> &str {
        let plain = path.strip_suffix(".gz").or_else(|| path.strip_suffix(".br")).unwrap_or(path);
        if fingerprinted.contains(plain) {
            &cache.fingerprinted
        } else {
            &cache.other
        }
    };
    files.push(
        manifest::manifest(&files, &site.config.base_url, &cache_of)
            .map_err(|e| Error::io("cannot read a static file", e))?,
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered { site, files, coverage, warnings })
}

/// The checks of a publish, then the minified pages and the compressed copies of every file
/// (returned, to be added once the search index is in).
fn finish(
    site: &crate::model::Site,
    options: &PublishOptions,
    files: &mut [OutputFile],
) -> Result<Vec<OutputFile>, Error> {
    let problems = checks::pages(site, files);
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    if options.check_external {
        let failures = checks::external_links(site);
        if !failures.is_empty() {
            return Err(Error::Content(failures));
        }
    }
    assets::minify_html(files);
    Ok(assets::compressed(files, options.compression))
}

/// Publishes the site into the output directory, replacing it only when everything succeeded.
pub fn publish(options: &PublishOptions) -> Result<Report, Error> {
    let started = Instant::now();
    let out = options.build.out_dir();
    output::check_out_dir(&options.build.root, &out).map_err(Error::Usage)?;
    let rendered = render_site(options)?;
    output::write(&rendered.files, &out).map_err(crate::build::not_written)?;
    Ok(crate::build::finish(rendered, Some(out), started, &options.build.settings))
}
