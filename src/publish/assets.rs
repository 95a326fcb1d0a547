//! Assets for production: stylesheets minified and scripts given content-hashed names
//! (`style.3f2a9c1b0e.css`) so hosts can cache them for a year, HTML minified, text files
//! precompressed as `.gz` and `.br` siblings, and a `_headers` file for Netlify and Cloudflare
//! Pages that says which files may be cached long.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::model::Site;
use crate::output::{Contents, OutputFile};

/// A static file published under a content-hashed name.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its path under `static/` (`style.css`).
    pub source: String,
    /// Its published path (`style.3f2a9c1b0e.css`).
    pub published: String,
    /// Its published bytes (minified for CSS).
    pub text: String,
}

/// The fingerprinted assets of a site.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// In the order of their source paths.
    pub items: Vec<Asset>,
}

impl Assets {
    /// Source path to published path, for the `asset()` template function.
    pub fn urls(&self) -> HashMap<String, String> {
        self.items.iter().map(|a| (a.source.clone(), a.published.clone())).collect()
    }
}

/// Minifies and fingerprints the stylesheets and scripts under `static/`.
pub fn prepare(site: &Site) -> Result<Assets, Diagnostics> {
    let mut errors = Diagnostics::default();
    let mut items = Vec::new();
    for file in &site.statics {
        let ext = file.path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if ext != "css" && ext != "js" {
            continue;
        }
        let rel = PathBuf::from("static").join(&file.path);
        let text = match std::fs::read_to_string(&file.source) {
            Ok(t) => t,
            Err(e) => {
                errors.push(Diagnostic::file(Kind::Static, &rel, format!("cannot read this file as UTF-8 text: {e}")));
                continue;
            }
        };
        let text = if ext == "css" {
            match minify_css(&text) {
                Ok(min) => min,
                Err((message, line, col)) => {
                    let source: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
                    let at = crate::diagnostic::line_start(&source, line) + col.saturating_sub(1);
                    errors.push(
                        Diagnostic::at(
                            Kind::Static,
                            &rel,
                            &source,
                            at..at + 1,
                            format!("this stylesheet does not parse: {message}"),
                        )
                        .label("here")
                        .help("fix the CSS syntax; brief minifies stylesheets when publishing"),
                    );
                    continue;
                }
            }
        } else {
            text
        };
        let hash = Sha256::digest(text.as_bytes());
        let short: String = hash.iter().take(5).map(|b| format!("{b:02x}")).collect();
        let published = match file.path.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
            None => format!("{}.{short}", file.path),
        };
        items.push(Asset { source: file.path.clone(), published, text });
    }
    if errors.is_empty() {
        Ok(Assets { items })
    } else {
        Err(errors.finish())
    }
}

fn minify_css(css: &str) -> Result<String, (String, usize, usize)> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let mut sheet = StyleSheet::parse(css, ParserOptions::default()).map_err(|e| {
        let (line, col) = e.loc.as_ref().map_or((1, 1), |l| (l.line as usize + 1, l.column as usize));
        (e.kind.to_string(), line, col)
    })?;
    sheet.minify(MinifyOptions::default()).map_err(|e| (e.kind.to_string(), 1, 1))?;
    let out = sheet
        .to_css(PrinterOptions { minify: true, ..PrinterOptions::default() })
        .map_err(|e| (e.kind.to_string(), 1, 1))?;
    Ok(out.code)
}

/// Replaces the copied originals of fingerprinted assets by their published versions.
pub fn apply(assets: &Assets, files: &mut [OutputFile]) {
    let by_source: HashMap<&str, &Asset> = assets.items.iter().map(|a| (a.source.as_str(), a)).collect();
    for f in files.iter_mut() {
        if let (Contents::Copy(_), Some(asset)) = (&f.contents, by_source.get(f.path.as_str())) {
            *f = OutputFile::text(asset.published.clone(), asset.text.clone());
        }
    }
}

/// Minifies every HTML page (whitespace, optional quotes, inline CSS), keeping it valid HTML.
pub fn minify_html(files: &mut [OutputFile]) {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    files.par_iter_mut().for_each(|f| {
        if let Contents::Rendered(html) = &f.contents {
            if f.path.ends_with(".html") {
                let min = minify_html::minify(html.as_bytes(), &cfg);
                if let Ok(text) = String::from_utf8(min) {
                    f.contents = Contents::Rendered(text);
                }
            }
        }
    });
}

const COMPRESSIBLE: [&str; 9] = ["html", "css", "js", "json", "xml", "txt", "svg", "ics", "map"];
/// Below this size a compressed copy saves nothing worth a request.
const MIN_COMPRESS: usize = 256;

/// Which compressed copies `publish` writes beside each file that gains from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// `.gz` and `.br`, for servers that choose by the request's `Accept-Encoding` (the default).
    All,
    /// `.gz` only (`brief deploy --precompressed`, which stores them under the plain names).
    Gzip,
    /// None (`brief deploy` to a store, which would leave them out).
    None,
}

/// The compressed copies of `files` that `compression` asks for: a `.gz` and (for
/// [`Compression::All`]) a `.br` sibling of every text file worth compressing. Both encoders are
/// deterministic (no timestamps), so publishes stay byte-identical.
pub fn compressed(files: &[OutputFile], compression: Compression) -> Vec<OutputFile> {
    if compression == Compression::None {
        return Vec::new();
    }
    files
        .par_iter()
        .filter(|f| f.path.rsplit_once('.').is_some_and(|(_, e)| COMPRESSIBLE.contains(&e)))
        .flat_map_iter(|f| {
            let bytes = match f.contents.bytes() {
                Ok(b) if b.len() >= MIN_COMPRESS => b,
                _ => return Vec::new(),
            };
            let mut gz = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
            let gz = gz.write_all(&bytes).and_then(|_| gz.finish());
            let mut br = Vec::new();
            let params = brotli_params(bytes.len());
            let br_ok =
                compression == Compression::All && brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).is_ok();
            let mut out = Vec::new();
            if let Ok(gz) = gz {
                out.push(OutputFile { path: format!("{}.gz", f.path), contents: Contents::Bytes(gz) });
            }
            if br_ok {
                out.push(OutputFile { path: format!("{}.br", f.path), contents: Contents::Bytes(br) });
            }
            out
        })
        .collect()
}

/// The gzip level. Measured on the minified pages of a 10,000-announcement site (flate2 on
/// zlib-rs): level 9 takes 57% longer than level 6 for copies 0.6% smaller, and on the lists
/// (over 64 KB) it is both slower and 4% larger. Readers whose browsers take brotli never get the
/// gzip copy.
const GZIP_LEVEL: u32 = 6;

/// Brotli settings for a file of `len` bytes. Above quality 6 the encoder clears a large hash
/// table for every file (32 MB at quality 9), which costs far more than compressing a page of a
/// few kilobytes: pages up to 64 KB get quality 6 (a 2 MB table; brotli still takes a 10 KB page
/// to under 2 KB). The few larger files (the lists, the sitemap, the feed, the calendar) get
/// quality 8 and a 4 MB window: on those of the 10,000 site, quality 9 made copies no smaller
/// (3.99 MB against 3.98 MB) in 64% more time, and quality 7 copies 2.5% larger.
fn brotli_params(len: usize) -> brotli::enc::BrotliEncoderParams {
    // A window of 2^16 or less would make the encoder fall back to its largest table.
    let (quality, lgwin) = if len <= 1 << 16 { (6, 18) } else { (8, 22) };
    brotli::enc::BrotliEncoderParams { quality, lgwin, size_hint: len, ..Default::default() }
}

/// A `_headers` file (Netlify, Cloudflare Pages): a year of caching for fingerprinted files (the
/// assets, and the images' variants in `fingerprinted`), revalidation for everything else. Rules
/// are per path rather than `/*`, because both hosts combine the values of every matching rule; a
/// folder whose files are all fingerprinted (`images/`) gets one rule, as Cloudflare Pages takes
/// at most 100.
pub fn headers(
    files: &[OutputFile],
    assets: &Assets,
    fingerprinted: &std::collections::HashSet<&str>,
    cache: &crate::model::Cache,
) -> String {
    let mut out = String::from("# Written by brief publish: fingerprinted assets never change; everything else is revalidated (`cache:` in content/site.yaml).\n/*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n");
    for a in &assets.items {
        out.push_str(&format!("/{}\n  Cache-Control: {}\n", a.published, cache.fingerprinted));
    }
    let assets: std::collections::HashSet<&str> = assets.items.iter().map(|a| a.published.as_str()).collect();
    // Top-level folders hold only pages, or only fingerprinted files; top-level files are listed
    // one by one.
    let mut rules: std::collections::BTreeMap<String, bool> = std::collections::BTreeMap::new();
    rules.insert("/".into(), false);
    for f in files {
        if assets.contains(f.path.as_str()) || f.path == "_headers" || f.path.starts_with('.') {
            continue;
        }
        let long = fingerprinted.contains(f.path.as_str());
        match f.path.split_once('/') {
            Some((dir, _)) => {
                let all = rules.entry(format!("/{dir}/*")).or_insert(true);
                *all &= long;
            }
            None => {
                rules.insert(format!("/{}", f.path), long);
            }
        };
    }
    for (rule, long) in rules {
        let value = if long { &cache.fingerprinted } else { &cache.other };
        out.push_str(&format!("{rule}\n  Cache-Control: {value}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `files` and their compressed copies, as `publish` writes them.
    fn compress(files: Vec<OutputFile>) -> Vec<OutputFile> {
        let copies = compressed(&files, Compression::All);
        files.into_iter().chain(copies).collect()
    }

    #[test]
    fn css_is_minified_and_named_by_its_content() {
        let dir = tempfile::tempdir().unwrap();
        crate::starter::create(&dir.path().join("s")).unwrap();
        std::fs::write(dir.path().join("s/static/style.css"), "body {\n  color: #ff0000;\n}\n").unwrap();
        let site = crate::content::load(&dir.path().join("s"), &Default::default()).unwrap();
        let assets = prepare(&site).unwrap();
        let css = assets.items.iter().find(|a| a.source == "style.css").unwrap();
        assert_eq!(css.text, "body{color:red}");
        assert!(css.published.starts_with("style.") && css.published.ends_with(".css") && css.published.len() == 20);
        // Same content, same name; other content, other name.
        assert_eq!(prepare(&site).unwrap().urls()["style.css"], css.published);
        std::fs::write(dir.path().join("s/static/style.css"), "body { color: blue }").unwrap();
        let other = prepare(&crate::content::load(&dir.path().join("s"), &Default::default()).unwrap()).unwrap();
        assert_ne!(other.urls()["style.css"], css.published);
    }

    #[test]
    fn a_css_syntax_error_points_into_the_stylesheet() {
        let dir = tempfile::tempdir().unwrap();
        crate::starter::create(&dir.path().join("s")).unwrap();
        std::fs::write(dir.path().join("s/static/style.css"), "a { color: red }\n!!! { color: red }\n").unwrap();
        let site = crate::content::load(&dir.path().join("s"), &Default::default()).unwrap();
        let errors = prepare(&site).unwrap_err();
        assert_eq!(errors.0[0].file, PathBuf::from("static/style.css"));
        assert_eq!(errors.0[0].line_col().map(|(l, _)| l), Some(2), "{}", errors.render(false));
    }

    #[test]
    fn html_is_minified_but_stays_complete() {
        let mut files = vec![OutputFile::text("index.html", "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title> A </title>\n</head>\n<body>\n  <p>One   two</p>\n</body>\n</html>\n")];
        minify_html(&mut files);
        let Contents::Rendered(html) = &files[0].contents else { panic!() };
        assert!(!html.contains('\n') && html.contains("<p>One two</p>"), "{html}");
        assert!(html.contains("<html lang=en>") || html.contains("<html lang=\"en\">"), "{html}");
        assert!(html.contains("</p>") && html.contains("</body>") && html.contains("<head>"), "{html}");
    }

    #[test]
    fn text_files_get_deterministic_compressed_siblings() {
        let big = "briefing ".repeat(200);
        let files = vec![
            OutputFile::text("a/index.html", &big),
            OutputFile::text("tiny.txt", "x"),
            OutputFile::text("img.png", &big),
        ];
        let out = compress(files.clone());
        let names: Vec<&str> = out.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"a/index.html.gz") && names.contains(&"a/index.html.br"));
        assert!(!names.iter().any(|n| n.starts_with("tiny.txt.") || n.starts_with("img.png.")));
        let gz = out.iter().find(|f| f.path == "a/index.html.gz").unwrap();
        let Contents::Bytes(bytes) = &gz.contents else { panic!() };
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text).unwrap();
        assert_eq!(text, big);
        assert_eq!(compress(files), out);
    }

    #[test]
    fn brotli_siblings_of_small_and_large_files_decompress_to_the_original() {
        // Below and above the 64 KB line where the settings change.
        let small = "briefing ".repeat(2_000);
        let large: String = (0..40_000).map(|i| format!("{i} ")).collect();
        assert!(small.len() < 1 << 16 && large.len() > 1 << 16);
        let out = compress(vec![OutputFile::text("small.html", &small), OutputFile::text("large.json", &large)]);
        for (name, original) in [("small.html.br", &small), ("large.json.br", &large)] {
            let f = out.iter().find(|f| f.path == name).unwrap_or_else(|| panic!("no {name}"));
            let Contents::Bytes(bytes) = &f.contents else { panic!() };
            assert!(bytes.len() < original.len() / 3, "{name}: {} bytes", bytes.len());
            let mut text = String::new();
            std::io::Read::read_to_string(&mut brotli::Decompressor::new(&bytes[..], 4096), &mut text).unwrap();
            assert_eq!(&text, original, "{name}");
        }
    }

    #[test]
    fn headers_cache_fingerprinted_assets_for_a_year_and_nothing_else() {
        let assets = Assets {
            items: vec![Asset {
                source: "style.css".into(),
                published: "style.0123456789.css".into(),
                text: String::new(),
            }],
        };
        let files = vec![
            OutputFile::text("index.html", ""),
            OutputFile::text("announcements/a/index.html", ""),
            OutputFile::text("style.0123456789.css", ""),
            OutputFile::text("feed.xml", ""),
        ];
        let h = headers(&files, &assets, &Default::default(), &crate::model::Cache::default());
        let rule = |path: &str| {
            let start = h.find(&format!("\n{path}\n")).unwrap_or_else(|| panic!("no rule for {path} in\n{h}"));
            h[start + path.len() + 2..].lines().next().unwrap().trim().to_string()
        };
        assert_eq!(rule("/style.0123456789.css"), "Cache-Control: public, max-age=31536000, immutable");
        assert_eq!(rule("/announcements/*"), "Cache-Control: public, max-age=0, must-revalidate");
        assert_eq!(rule("/feed.xml"), "Cache-Control: public, max-age=0, must-revalidate");
        assert_eq!(h.matches("immutable").count(), 1);
    }
}
