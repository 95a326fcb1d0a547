//! `feed.xml`: the announcements as an Atom feed (RFC 4287).

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text, WriteConfig};
use chrono::NaiveDate;

use crate::date::Stamp;
use crate::model::{Announcement, Site, SiteConfig};
use crate::routes::{permalink, PageKind};

/// How many announcements the feed carries, newest first: readers poll feeds often, and a feed of
/// thousands of full texts would be megabytes on every poll.
pub const FEED_LIMIT: usize = 100;

/// The Atom feed of the newest [`FEED_LIMIT`] announcements of `site`.
///
/// - The feed: `id` and `xml:base` are the site's `base_url`, `title` and `subtitle` its title
///   and description, `xml:lang` its language, `author` the site title; a `self` link to
///   `{base_url}feed.xml` and an `alternate` link to the home page.
/// - One entry per announcement (drafts left out), in the order of the lists (newest first, the
///   lead first on its date), at most [`FEED_LIMIT`]: `id` and the `alternate` link are the
///   absolute URL of the announcement's page; `published` and `updated` when its page was
///   published and last updated (`published:`, `updated:`, the embargo's moment, or the
///   briefing's `published:`; a day is its midnight in the event's time zone), or, when nothing
///   says, the day it was made, since Atom requires a date; `summary` its summary as plain text,
///   `content` its body as HTML, `author` the briefing's publisher (the briefing wrote it; the
///   people it names and its sources did not), a `category` per topic (term the slug, label the
///   title, scheme `{base_url}topics/`), and a `via` link to each source it cites that has an
///   address.
/// - The feed's `updated` is the latest of its entries' (the event's last day when there are
///   none). Nothing depends on the clock, so two runs give the same bytes.
///
/// Links in the body written as site paths (`/caexpo-2012/speakers/su-bo/`) are made absolute,
/// since feed readers show entries away from the site; `xml:base` covers any other relative link.
pub fn atom(site: &Site) -> String {
    let config = &site.config;
    let announcements: Vec<(usize, &Announcement)> =
        site.announcements.iter().enumerate().map(|(i, a)| (i, a.as_ref())).filter(|(_, a)| !a.draft).collect();
    let entries: Vec<Entry> = announcements.iter().take(FEED_LIMIT).map(|&(i, a)| entry(site, i, a)).collect();
    let newest = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| midnight(config, config.event.end));
    // The home page of the feed's language: the site's, or its language's folder (`/zh/`).
    let home = PageKind::Index.permalink(site);
    let feed = Feed {
        title: Text::plain(xml_text(&config.title)),
        id: home.clone(),
        updated: newest,
        authors: vec![publisher(config)],
        links: vec![
            Link {
                href: permalink(&config.base_url, &format!("/{}feed.xml", config.lang_prefix())),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link { href: home, rel: "alternate".into(), mime_type: Some("text/html".into()), ..Link::default() },
        ],
        subtitle: Some(Text::plain(xml_text(&config.description))),
        entries,
        base: Some(config.base_url.clone()),
        lang: Some(config.language.clone()),
        ..Feed::default()
    };
    let config = WriteConfig { write_document_declaration: true, indent_size: Some(2) };
    let bytes = feed.write_with_config(Vec::new(), config).expect("writing XML into memory cannot fail");
    let mut xml = String::from_utf8(bytes).expect("the feed is built from UTF-8 text");
    xml.push('\n');
    xml
}

fn entry(site: &Site, index: usize, a: &Announcement) -> Entry {
    let url = PageKind::Announcement(index).permalink(site);
    // The briefing wrote the entry: the people it names spoke, and its sources reported.
    let authors = vec![publisher(&site.config)];
    let (published, updated) = site.config.dates(a.published, a.updated);
    let zone = site.config.event.time_zone;
    let published = published.map_or_else(|| midnight(&site.config, a.date.first_day()), |s| s.moment(zone));
    let updated = updated.map_or(published, |s| s.moment(zone));
    let mut links = vec![Link {
        href: url.clone(),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Link::default()
    }];
    for url in a.sources.iter().filter_map(|c| site.sources[c.source].url.as_ref()) {
        if !links.iter().any(|l| &l.href == url) {
            links.push(Link { href: url.clone(), rel: "via".into(), ..Link::default() });
        }
    }
    let categories = a
        .topics
        .iter()
        .map(|&t| Category {
            term: site.topics[t].slug.clone(),
            scheme: Some(PageKind::Topics.permalink(site)),
            label: Some(xml_text(&site.topics[t].title)),
        })
        .collect();
    let html = absolute_links(&a.body.markdown.html, origin(site));
    Entry {
        title: Text::plain(xml_text(&a.title)),
        id: url,
        updated,
        authors,
        categories,
        links,
        published: Some(published),
        summary: Some(Text::plain(xml_text(&a.summary))),
        content: Some(Content {
            content_type: Some("html".into()),
            value: Some(xml_text(&html)),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// The briefing's publisher, as an Atom person.
fn publisher(config: &SiteConfig) -> Person {
    Person { name: xml_text(&config.publisher.name), uri: config.publisher.url.clone(), ..Person::default() }
}

/// The first instant of `day` in the event's time zone.
fn midnight(config: &SiteConfig, day: NaiveDate) -> FixedDateTime {
    Stamp::Day(day).moment(config.event.time_zone)
}

/// `text` without the characters XML 1.0 cannot carry even escaped (controls other than tab,
/// line feed and carriage return; U+FFFE and U+FFFF), which would make the feed unreadable.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || !(c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}'))
        .collect()
}

/// The scheme and host of the site (`https://example.org`): `base_url` without its path.
fn origin(site: &Site) -> &str {
    let config = &site.config;
    config.base_url.strip_suffix(config.base_path.as_str()).unwrap_or(&config.base_url)
}

/// Makes the `href` and `src` attributes that are site paths (`/caexpo-2012/speakers/su-bo/`)
/// absolute by putting `origin` in front. Only text inside tags is looked at (in Markdown's HTML
/// every `<` of the text is escaped, and attribute values never contain `>`), so text that
/// merely mentions `href="/x"` is left as written; protocol-relative `//host` links are kept.
fn absolute_links(html: &str, origin: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let (text, tag_on) = rest.split_at(open);
        out.push_str(text);
        let end = tag_on.find('>').map_or(tag_on.len(), |i| i + 1);
        let (tag, after) = tag_on.split_at(end);
        let mut tag_rest = tag;
        while let Some((at, len)) = find_site_path_attr(tag_rest) {
            out.push_str(&tag_rest[..at + len]);
            out.push_str(origin);
            tag_rest = &tag_rest[at + len..];
        }
        out.push_str(tag_rest);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Where, in a tag, the first ` href="` or ` src="` whose value starts with a single `/` is, and
/// the length of that prefix up to the opening quote included.
fn find_site_path_attr(tag: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for attr in [" href=\"", " src=\"", " href='", " src='"] {
        let mut from = 0;
        while let Some(i) = tag[from..].find(attr) {
            let at = from + i;
            let value = &tag[at + attr.len()..];
            if value.starts_with('/') && !value.starts_with("//") {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, attr.len()));
                }
                break;
            }
            from = at + attr.len();
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::fixtures;

    fn parse(xml: &str) -> feed_rs::model::Feed {
        feed_rs::parser::parse(xml.as_bytes()).unwrap()
    }

    #[test]
    fn lists_the_announcements_newest_first() {
        let site = fixtures::real();
        let xml = atom(&site);
        let feed = parse(&xml);
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        assert_eq!(feed.id, "https://example.org/caexpo-2012/");
        assert_eq!(feed.title.as_ref().unwrap().content, site.config.title);
        assert_eq!(feed.description.as_ref().unwrap().content, site.config.description);
        // The briefing's `published: 2026-11-30`, at midnight in Nanning (UTC+8): when our pages
        // came out, not when things were announced.
        assert_eq!(feed.updated.unwrap().to_rfc3339(), "2026-11-29T16:00:00+00:00");
        assert_eq!(feed.language.as_deref(), Some("en"));
        let self_link = feed.links.iter().find(|l| l.rel.as_deref() == Some("self")).unwrap();
        assert_eq!(self_link.href, "https://example.org/caexpo-2012/feed.xml");

        assert_eq!(feed.entries.len(), 4);
        assert_eq!(site.announcements.len(), 4);
        for (entry, a) in feed.entries.iter().zip(&site.announcements) {
            let url = format!("https://example.org/caexpo-2012/announcements/{}/", a.slug);
            assert_eq!(entry.id, url);
            assert_eq!(entry.title.as_ref().unwrap().content, a.title);
            assert_eq!(entry.summary.as_ref().unwrap().content, a.summary);
            assert!(entry.links.iter().any(|l| l.href == url), "no link to {url}");
            let day = "2026-11-29T16:00:00Z".parse().unwrap();
            assert_eq!(entry.updated, Some(day));
            assert_eq!(entry.published, Some(day));
            let terms: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
            let slugs: Vec<&str> = a.topics.iter().map(|&t| site.topics[t].slug.as_str()).collect();
            assert_eq!(terms, slugs);
            let labels: Vec<&str> = entry.categories.iter().filter_map(|c| c.label.as_deref()).collect();
            assert_eq!(labels.len(), a.topics.len());
            assert!(!entry.authors.is_empty());
        }
        let dates: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "not newest first");
        assert_eq!(xml, atom(&site), "two runs differ");
    }

    #[test]
    fn the_briefing_is_the_author_of_every_entry_never_its_speakers_or_sources() {
        let site = fixtures::real();
        let feed = parse(&atom(&site));
        let by_id =
            |slug: &str| feed.entries.iter().find(|e| e.id.ends_with(&format!("/announcements/{slug}/"))).unwrap();
        let names = |e: &feed_rs::model::Entry| e.authors.iter().map(|p| p.name.clone().unwrap()).collect::<Vec<_>>();
        assert_eq!(feed.entries.len(), site.announcements.len());
        for entry in &feed.entries {
            assert_eq!(names(entry), [site.config.publisher.name.as_str()], "{}", entry.id);
        }
        assert_eq!(names(by_id("financial-cooperation")), ["The brief project"]);
        let finance = by_id("financial-cooperation");
        let body = finance.content.as_ref().unwrap().body.as_deref().unwrap();
        assert!(body.contains("<h2 id=\"what-he-proposed\">What he proposed</h2>"), "{body}");
        assert!(body.contains(r#"href="https://example.org/caexpo-2012/speakers/pan-gongsheng/""#), "{body}");
        assert!(!body.contains(r#"href="/"#), "{body}");
    }

    #[test]
    fn special_characters_survive() {
        let (_dir, site) = fixtures::tricky(None);
        let xml = atom(&site);
        let feed = parse(&xml);
        assert_eq!(feed.title.as_ref().unwrap().content, fixtures::TRICKY);
        assert_eq!(feed.entries.len(), 1);
        assert_eq!(feed.entries[0].title.as_ref().unwrap().content, fixtures::TRICKY);
        assert_eq!(feed.entries[0].id, "https://example.org/announcements/opening/");
        // No date of publication anywhere: the day it was made, at midnight in the event's zone
        // (the starter's +02:00), since Atom requires a date.
        assert_eq!(feed.updated.unwrap().to_rfc3339(), "2030-05-13T22:00:00+00:00");
        // The same, by a second parser that knows nothing of Atom.
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let titles: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
        assert_eq!(titles, [fixtures::TRICKY, fixtures::TRICKY]);
        assert_eq!(doc.root_element().tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    }

    #[test]
    fn rewrites_only_site_paths_inside_tags() {
        let html = r#"<p>See <a href="/b/x/">x</a>, <a href="//cdn.org/y">y</a>, <a href="https://o.org/">o</a> and <img src="/b/m.png" alt="m"> href="/b/t"</p>"#;
        assert_eq!(
            absolute_links(html, "https://e.org"),
            r#"<p>See <a href="https://e.org/b/x/">x</a>, <a href="//cdn.org/y">y</a>, <a href="https://o.org/">o</a> and <img src="https://e.org/b/m.png" alt="m"> href="/b/t"</p>"#
        );
        assert_eq!(absolute_links("a < b", "https://e.org"), "a < b");
        assert_eq!(xml_text("a\u{0}b\u{c}\tc\n"), "ab\tc\n");
    }

    #[test]
    fn leaves_drafts_out() {
        let mut site = fixtures::real();
        let mut draft = (*site.announcements[0]).clone();
        draft.draft = true;
        site.announcements[0] = std::sync::Arc::new(draft);
        let feed = parse(&atom(&site));
        assert_eq!(feed.entries.len(), 3);
    }
}
