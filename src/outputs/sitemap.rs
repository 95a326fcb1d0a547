//! `sitemap.xml` (the sitemaps.org protocol) and `robots.txt` pointing at it.

use std::collections::HashMap;
use std::io;

use quick_xml::events::BytesText;
use quick_xml::Writer;

use crate::model::Site;
use crate::routes::{permalink, PageKind};

/// The XML namespace of the sitemaps.org protocol, version 0.9.
pub const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The XML namespace of XHTML, whose `link` element names a page's translations in a sitemap.
pub const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// One page of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its site path (`/zh/speakers/su-bo/`).
    pub path: String,
    /// The same page in every language it is written in, this one included, as `(hreflang,
    /// site path)`, with `x-default` last; empty on a site of one language.
    pub alternates: Vec<(String, String)>,
}

impl Entry {
    /// A page with no translations.
    pub fn plain(path: impl Into<String>) -> Entry {
        Entry { path: path.into(), alternates: Vec::new() }
    }
}

/// How many URLs one sitemap file may list, by the protocol.
pub const MAX_URLS: usize = 50_000;
/// How many bytes one sitemap file may have, by the protocol (50 MiB, uncompressed).
pub const MAX_BYTES: usize = 52_428_800;

/// The sitemap of `site` (every language of it), listing the absolute URLs of `pages`, as
/// `(output path, XML)`: `sitemap.xml` alone while the protocol's limits allow ([`MAX_URLS`],
/// [`MAX_BYTES`]); past them, the pages in `sitemap-1.xml`, `sitemap-2.xml`... and `sitemap.xml`
/// as the index that lists those files, which is where robots.txt points either way.
///
/// One `<url>` per page, in the order given; URLs are percent-encoded where RFC 3986 requires it
/// (non-ASCII letters in the path) and XML-escaped. A page gets a `<lastmod>` when the content
/// says when it changed: an announcement's or free page's own `updated:` (else when it was
/// published), and for every other page, which lists or sums up the items, the latest of those
/// and of the briefing's own dates. A page with translations lists them all, itself
/// included, as `<xhtml:link rel="alternate" hreflang>`, the form search engines read. Nothing
/// depends on the clock, so two runs give the same bytes.
pub fn sitemaps(site: &Site, pages: &[Entry]) -> Vec<(String, String)> {
    sitemaps_within(site, pages, MAX_URLS, MAX_BYTES)
}

fn sitemaps_within(site: &Site, pages: &[Entry], max_urls: usize, max_bytes: usize) -> Vec<(String, String)> {
    let dates = last_modified(site);
    let xhtml = if pages.iter().any(|p| !p.alternates.is_empty()) {
        format!(r#" xmlns:xhtml="{XHTML}""#)
    } else {
        String::new()
    };
    let open = format!("{DECLARATION}\n<urlset xmlns=\"{NAMESPACE}\"{xhtml}>\n");
    let close = "</urlset>\n";
    let mut parts: Vec<String> = Vec::new();
    let (mut part, mut count) = (String::new(), 0);
    for page in pages {
        let block = url_block(site, page, &dates);
        let full = count == max_urls || open.len() + part.len() + block.len() + close.len() > max_bytes;
        if full && count > 0 {
            parts.push(std::mem::take(&mut part));
            count = 0;
        }
        part.push_str(&block);
        count += 1;
    }
    parts.push(part);
    if parts.len() == 1 {
        return vec![("sitemap.xml".to_string(), format!("{open}{}{close}", parts[0]))];
    }
    let mut files: Vec<(String, String)> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("sitemap-{}.xml", i + 1), format!("{open}{p}{close}")))
        .collect();
    let mut index = format!("{DECLARATION}\n<sitemapindex xmlns=\"{NAMESPACE}\">\n");
    for (name, _) in &files {
        let loc = uri_escape(&permalink(&site.config.base_url, &format!("/{name}")));
        index.push_str(&format!("  <sitemap>\n    <loc>{}</loc>\n  </sitemap>\n", quick_xml::escape::escape(&loc)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".to_string(), index));
    files
}

/// When each item's page was last modified, by site path, as the sitemap writes it
/// (`2026-11-30`, or a moment; none when the content does not say); the latest of all under the
/// key `""`, for the other pages, which list or sum up the items.
fn last_modified(site: &Site) -> HashMap<String, Option<String>> {
    let zone = site.config.event.time_zone;
    let mut out = HashMap::new();
    let mut latest = site.config.updated.or(site.config.published);
    for s in site.languages() {
        let c = &s.config;
        let announcements = s
            .announcements
            .iter()
            .enumerate()
            .map(|(i, a)| (PageKind::Announcement(i), c.dates(a.published, a.updated).1));
        let pages = s.pages.iter().enumerate().map(|(i, p)| (PageKind::Page(i), c.dates(p.published, p.updated).1));
        for (kind, updated) in announcements.chain(pages) {
            if let Some(updated) = updated {
                latest = Some(latest.map_or(updated, |l| l.latest(updated, zone)));
            }
            out.insert(kind.path(s), updated.map(|u| u.iso()));
        }
    }
    out.insert(String::new(), latest.map(|l| l.iso()));
    out
}

/// Whether `path` is one of the numbered files of a sitemap split by [`sitemaps`].
pub fn is_part(path: &str) -> bool {
    path.strip_prefix("sitemap-").and_then(|r| r.strip_suffix(".xml")).is_some_and(|n| n.parse::<u32>().is_ok())
}

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// The `<url>` element of `page`, indented one level, with its line break.
fn url_block(site: &Site, page: &Entry, dates: &HashMap<String, Option<String>>) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_url(&mut writer, site, page, dates).expect("writing XML into memory cannot fail");
    let xml = String::from_utf8(writer.into_inner()).expect("the sitemap is built from UTF-8 text");
    let mut out = String::with_capacity(xml.len() + 64);
    for line in xml.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn write_url(
    w: &mut Writer<Vec<u8>>,
    site: &Site,
    page: &Entry,
    dates: &HashMap<String, Option<String>>,
) -> io::Result<()> {
    let absolute = |path: &str| uri_escape(&permalink(&site.config.base_url, path));
    w.create_element("url").write_inner_content(|w| {
        w.create_element("loc").write_text_content(BytesText::new(&absolute(&page.path)))?;
        if let Some(Some(date)) = dates.get(&page.path).or_else(|| dates.get("")) {
            w.create_element("lastmod").write_text_content(BytesText::new(date))?;
        }
        for (hreflang, path) in &page.alternates {
            w.create_element("xhtml:link")
                .with_attribute(("rel", "alternate"))
                .with_attribute(("hreflang", hreflang.as_str()))
                .with_attribute(("href", absolute(path).as_str()))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Percent-encodes what may not appear literally in a URI (RFC 3986): bytes of non-ASCII
/// characters, spaces, controls and `"<>\^`{|}`, after the host. `%` is kept, so an already
/// encoded URL stays as it is.
fn uri_escape(url: &str) -> String {
    let path_start = url.find("://").map_or(0, |i| url[i + 3..].find('/').map_or(url.len(), |j| i + 3 + j));
    let (origin, path) = url.split_at(path_start);
    let mut out = String::with_capacity(url.len());
    out.push_str(origin);
    for &b in path.as_bytes() {
        let literal =
            b.is_ascii_graphic() && !matches!(b, b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}');
        if literal {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `robots.txt` that allows everything and names the sitemap.
pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", site.config.base_url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::fixtures;

    struct Url {
        loc: String,
        lastmod: Option<String>,
    }

    /// The sitemap of `pages`, which must fit in one file.
    fn sitemap(site: &Site, pages: &[Entry]) -> String {
        let mut files = sitemaps(site, pages);
        assert_eq!(files.len(), 1, "split into {:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
        assert_eq!(files[0].0, "sitemap.xml");
        files.remove(0).1
    }

    /// Parses a sitemap with an independent parser, checking its root on the way.
    fn parse(xml: &str) -> Vec<Url> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "urlset");
        assert_eq!(root.tag_name().namespace(), Some(NAMESPACE));
        let child = |node: roxmltree::Node, name: &str| {
            node.children()
                .find(|c| c.is_element() && c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(String::from)
        };
        root.children()
            .filter(|n| n.is_element())
            .map(|n| {
                assert_eq!(n.tag_name().name(), "url");
                assert_eq!(n.tag_name().namespace(), Some(NAMESPACE));
                Url { loc: child(n, "loc").unwrap(), lastmod: child(n, "lastmod") }
            })
            .collect()
    }

    #[test]
    fn lists_every_page_with_absolute_urls_and_announcement_dates() {
        let site = fixtures::real();
        let pages: Vec<Entry> = fixtures::pages(&site).into_iter().map(Entry::plain).collect();
        let xml = sitemap(&site, &pages);
        assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#), "{xml}");
        let urls = parse(&xml);
        assert_eq!(urls.len(), pages.len());
        let base = "https://example.org/caexpo-2012/";
        for (url, page) in urls.iter().zip(&pages) {
            assert!(url.loc.starts_with(base), "{} is not under {base}", url.loc);
            assert_eq!(url.loc, format!("{base}{}", &page.path[1..]));
        }
        assert_eq!(urls[0].loc, base);
        // The briefing gives `published: 2026-11-30` and no page says more: every page was
        // last modified then, none on the event's dates.
        assert_eq!(site.announcements.len(), 4);
        for url in &urls {
            assert_eq!(url.lastmod.as_deref(), Some("2026-11-30"), "{}", url.loc);
        }
        assert_eq!(xml, sitemap(&site, &pages), "two runs differ");
    }

    #[test]
    fn keeps_the_order_given() {
        let site = fixtures::real();
        let pages = ["/topics/", "/", "/speakers/su-bo/"].map(Entry::plain);
        let locs: Vec<String> = parse(&sitemap(&site, &pages)).into_iter().map(|u| u.loc).collect();
        assert_eq!(
            locs,
            [
                "https://example.org/caexpo-2012/topics/",
                "https://example.org/caexpo-2012/",
                "https://example.org/caexpo-2012/speakers/su-bo/"
            ]
        );
        assert!(parse(&sitemap(&site, &[])).is_empty());
    }

    #[test]
    fn escapes_urls() {
        let (_dir, site) = fixtures::tricky(Some("https://example.org/r&d/简报"));
        let pages = ["/", "/announcements/opening/", "/a b/\"x\"/"].map(Entry::plain);
        let xml = sitemap(&site, &pages);
        assert!(xml.contains("<loc>https://example.org/r&amp;d/%E7%AE%80%E6%8A%A5/</loc>"), "{xml}");
        let urls = parse(&xml);
        let locs: Vec<&str> = urls.iter().map(|u| u.loc.as_str()).collect();
        assert_eq!(
            locs,
            [
                "https://example.org/r&d/%E7%AE%80%E6%8A%A5/",
                "https://example.org/r&d/%E7%AE%80%E6%8A%A5/announcements/opening/",
                "https://example.org/r&d/%E7%AE%80%E6%8A%A5/a%20b/%22x%22/",
            ]
        );
        // The starter's content gives no publication dates: no page claims one.
        assert!(urls.iter().all(|u| u.lastmod.is_none()), "{xml}");
        assert_eq!(uri_escape("https://example.org/%E7/"), "https://example.org/%E7/");
        assert_eq!(uri_escape("https://example.org"), "https://example.org");
    }

    #[test]
    fn past_the_limits_the_pages_go_in_numbered_files_that_an_index_lists() {
        let site = fixtures::real();
        let pages: Vec<Entry> = fixtures::pages(&site).into_iter().map(Entry::plain).collect();
        assert!(pages.len() > 10);
        let whole: Vec<String> = parse(&sitemap(&site, &pages)).into_iter().map(|u| u.loc).collect();
        // By count: at most 4 URLs a file.
        let files = sitemaps_within(&site, &pages, 4, MAX_BYTES);
        let (index, parts) = files.split_last().unwrap();
        assert_eq!(index.0, "sitemap.xml");
        assert_eq!(parts.len(), pages.len().div_ceil(4));
        let doc = roxmltree::Document::parse(&index.1).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
        assert_eq!(doc.root_element().tag_name().namespace(), Some(NAMESPACE));
        let listed: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
        let names: Vec<String> =
            parts.iter().map(|(name, _)| format!("https://example.org/caexpo-2012/{name}")).collect();
        assert_eq!(listed, names);
        let mut locs = Vec::new();
        for (name, xml) in parts {
            assert!(is_part(name), "{name}");
            let urls = parse(xml);
            assert!(!urls.is_empty() && urls.len() <= 4, "{name}: {}", urls.len());
            locs.extend(urls.into_iter().map(|u| u.loc));
        }
        assert_eq!(locs, whole, "every page once, in order");
        // By size: each file within the bytes allowed, however many URLs that is.
        let limit = 1200;
        let files = sitemaps_within(&site, &pages, MAX_URLS, limit);
        assert!(files.len() > 2);
        for (name, xml) in &files[..files.len() - 1] {
            assert!(xml.len() <= limit, "{name} has {} bytes", xml.len());
        }
        assert!(!is_part("sitemap.xml") && !is_part("sitemap-x.xml") && !is_part("zh/sitemap-1.xml"));
    }

    #[test]
    fn robots_names_the_sitemap() {
        let site = fixtures::real();
        assert!(robots(&site).contains("Sitemap: https://example.org/caexpo-2012/sitemap.xml\n"));
    }
}
