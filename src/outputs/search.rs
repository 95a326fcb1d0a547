//! `search.json`: a small index of announcements, speakers and timeline entries for the search page.
//!
//! The index is one JSON array, read once by `static/search.js`: announcements (newest first), then
//! speakers (by name), then timeline entries (oldest first), the order of the site's lists. Each
//! item has a `kind` and a `url` that already includes the site's base path. Bodies are left out
//! on purpose: an announcement carries its summary, the names of its speakers and the titles of
//! its topics (`keywords`), nothing longer, so the file stays small however long the texts are.
//! Fields that are not set are left out rather than written as `null`.

use serde::Serialize;

use crate::format;
use crate::model::Site;
use crate::routes::PageKind;

/// One searchable item; `kind` names the variant in the JSON.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Item<'a> {
    Announcement {
        title: &'a str,
        summary: &'a str,
        date_display: String,
        url: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        keywords: Vec<&'a str>,
    },
    Speaker {
        name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        organization: Option<&'a str>,
        url: String,
    },
    Timeline {
        title: &'a str,
        date_display: String,
        url: String,
    },
}

/// The search index of `site` as JSON.
pub fn index(site: &Site) -> String {
    let url = |kind: PageKind| kind.url(site);
    let formats = format::formats(&site.config.language);
    let announcements = site.announcements.iter().enumerate().map(|(i, a)| Item::Announcement {
        title: &a.title,
        summary: &a.summary,
        date_display: formats.day(a.date),
        url: url(PageKind::Announcement(i)),
        keywords: a
            .speakers
            .iter()
            .map(|&s| site.speakers[s].name.as_str())
            .chain(a.topics.iter().map(|&t| site.topics[t].title.as_str()))
            .collect(),
    });
    let speakers = site.speakers.iter().enumerate().map(|(i, s)| Item::Speaker {
        name: &s.name,
        role: s.role.as_deref(),
        organization: s.organization.as_deref(),
        url: url(PageKind::Speaker(i)),
    });
    let timeline = site.timeline.iter().map(|e| Item::Timeline {
        title: &e.title,
        date_display: formats.partial_date(&e.date),
        url: url(e.announcement.map_or(PageKind::Timeline, PageKind::Announcement)),
    });
    let items: Vec<Item> = announcements.chain(speakers).chain(timeline).collect();
    serde_json::to_string(&items).expect("the search index is plain strings")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::Value;

    use super::*;
    use crate::content::{load, Settings};

    fn real_site(settings: &Settings) -> Site {
        match load(Path::new(env!("CARGO_MANIFEST_DIR")), settings) {
            Ok(site) => site,
            Err(e) => panic!("the repository's briefing does not load: {e:?}"),
        }
    }

    fn items(site: &Site) -> Vec<Value> {
        let json = index(site);
        match serde_json::from_str(&json) {
            Ok(Value::Array(items)) => items,
            other => panic!("the index is not a JSON array: {other:?}\n{json}"),
        }
    }

    fn of_kind<'a>(items: &'a [Value], kind: &str) -> Vec<&'a Value> {
        items.iter().filter(|i| i["kind"] == kind).collect()
    }

    #[test]
    fn lists_every_announcement_speaker_and_timeline_entry() {
        let site = real_site(&Settings::default());
        let items = items(&site);
        assert_eq!(of_kind(&items, "announcement").len(), 4);
        assert_eq!(of_kind(&items, "speaker").len(), 3);
        assert_eq!(of_kind(&items, "timeline").len(), 9);
        assert_eq!(items.len(), 16, "an item of another kind: {items:#?}");
        // The order of the site's lists: announcements, speakers, timeline.
        let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
        let mut sorted = kinds.clone();
        let rank = |k: &&str| ["announcement", "speaker", "timeline"].iter().position(|x| x == k);
        sorted.sort_by_key(rank);
        assert_eq!(kinds, sorted);
    }

    #[test]
    fn announcements_carry_summary_date_and_keywords_but_no_body() {
        let site = real_site(&Settings::default());
        let items = items(&site);
        let satellite = items
            .iter()
            .find(|i| i["url"] == "/caexpo-2012/announcements/satellite-data-platform/")
            .expect("the satellite data platform announcement");
        assert_eq!(satellite["kind"], "announcement");
        assert_eq!(satellite["title"], "First programme under the plan shares China's satellite data with ASEAN");
        assert_eq!(satellite["date_display"], "22 September 2012");
        assert!(satellite["summary"].as_str().unwrap().starts_with("As the first cooperation programme"));
        let keywords: Vec<&str> =
            satellite["keywords"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
        let a = site.announcements.iter().find(|a| a.slug == "satellite-data-platform").unwrap();
        for &t in &a.topics {
            assert!(
                keywords.contains(&site.topics[t].title.as_str()),
                "topic {} missing from {keywords:?}",
                site.topics[t].title
            );
        }
        let financial = items.iter().find(|i| i["url"] == "/caexpo-2012/announcements/financial-cooperation/").unwrap();
        assert!(financial["keywords"].as_array().unwrap().iter().any(|k| k == "Pan Gongsheng"), "{financial}");
        // Never a body: no field but these, and nothing as long as the texts themselves.
        for item in of_kind(&items, "announcement") {
            let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
            keys.sort();
            assert!(
                keys == ["date_display", "keywords", "kind", "summary", "title", "url"]
                    || keys == ["date_display", "kind", "summary", "title", "url"],
                "{keys:?}"
            );
        }
        let json = index(&site);
        assert!(!json.contains("What the platform is for"), "a body reached the index");
    }

    #[test]
    fn speakers_and_timeline_entries() {
        let site = real_site(&Settings::default());
        let items = items(&site);
        let pan = items.iter().find(|i| i["kind"] == "speaker" && i["name"] == "Pan Gongsheng").expect("Pan Gongsheng");
        assert_eq!(pan["role"], "Deputy Governor");
        assert_eq!(pan["organization"], "People's Bank of China");
        assert_eq!(pan["url"], "/caexpo-2012/speakers/pan-gongsheng/");

        let timeline = of_kind(&items, "timeline");
        assert_eq!(timeline[0]["date_display"], "2002");
        assert_eq!(
            timeline[0]["url"], "/caexpo-2012/timeline/",
            "an entry without an announcement links to the timeline"
        );
        let linked = timeline
            .iter()
            .find(|e| e["title"] == "First programme under the plan: a satellite data platform")
            .unwrap();
        assert_eq!(linked["url"], "/caexpo-2012/announcements/satellite-data-platform/");
        assert_eq!(linked["date_display"], "22 September 2012");
        let month = timeline.iter().find(|e| e["title"] == "The China–ASEAN free trade area is established").unwrap();
        assert_eq!(month["date_display"], "January 2010");
    }

    #[test]
    fn every_url_is_under_the_base_path() {
        let site = real_site(&Settings::default());
        assert_eq!(site.config.base_path, "/caexpo-2012/");
        for item in items(&site) {
            let url = item["url"].as_str().unwrap_or_else(|| panic!("no url: {item}"));
            assert!(url.starts_with("/caexpo-2012/"), "{url}");
            assert!(url.ends_with('/'), "{url}");
        }
    }

    #[test]
    fn a_base_url_override_moves_every_url() {
        let settings = Settings { base_url: Some("https://example.org/briefing/".into()), ..Settings::default() };
        let site = real_site(&settings);
        let items = items(&site);
        for item in &items {
            let url = item["url"].as_str().unwrap();
            assert!(url.starts_with("/briefing/"), "{url}");
            assert!(!url.contains("caexpo-2012"), "{url}");
        }
        assert!(items.iter().any(|i| i["url"] == "/briefing/announcements/satellite-data-platform/"));
        assert!(items.iter().any(|i| i["url"] == "/briefing/speakers/pan-gongsheng/"));
        assert!(items.iter().any(|i| i["url"] == "/briefing/timeline/"));
    }

    #[test]
    fn compact_and_deterministic() {
        let site = real_site(&Settings::default());
        let json = index(&site);
        assert_eq!(json, index(&real_site(&Settings::default())));
        // One line, no pretty-printing, no `null` for fields that are not set.
        assert!(!json.contains('\n') && !json.contains("\": ") && !json.contains("null"), "{json}");
        // The index is small: a few hundred bytes an item at most.
        assert!(json.len() < 16 * 400, "{} bytes", json.len());
    }
}
