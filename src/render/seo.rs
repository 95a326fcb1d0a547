//! What each page says about itself to browsers, search engines and sharing services: its
//! `<title>`, description and Open Graph type ([`meta`]), and its schema.org data as JSON-LD
//! ([`structured_data`]). Both read the site through the page's [`Reader`].

use serde::Serialize;

use super::Words;
use crate::deps::Reader;
use crate::model::SiteConfig;
use crate::routes::PageKind;

/// What every page says about itself in `<title>`, the description and sharing tags.
#[derive(Serialize)]
pub(super) struct Meta {
    title: String,
    description: String,
    /// The Open Graph type: `website`, `article` or `profile`.
    kind: &'static str,
    /// Who wrote the page: the briefing's publisher.
    author: String,
    /// For an article, when it was published and last modified (`article:published_time`,
    /// `article:modified_time`), as ISO 8601 writes them.
    published: Option<String>,
    modified: Option<String>,
    /// The page's image for link previews (`og:image`): an announcement's picture, a speaker's
    /// photo.
    image: Option<MetaImage>,
}

/// An image as link previews take it: its absolute URL, size and text alternative.
#[derive(Serialize)]
struct MetaImage {
    url: String,
    width: u32,
    height: u32,
    alt: String,
    #[serde(rename = "type")]
    mime: &'static str,
}

impl MetaImage {
    fn of(base_url: &str, image: &crate::model::Image) -> Option<MetaImage> {
        let v = image.largest()?;
        Some(MetaImage {
            url: crate::routes::permalink(base_url, &format!("/{}", v.path)),
            width: v.width,
            height: v.height,
            alt: image.alt.clone(),
            mime: v.format.mime(),
        })
    }
}

pub(super) fn meta(r: &Reader, kind: PageKind, words: &Words) -> Meta {
    let c = r.config();
    let event = c.event.name.as_str();
    let titled = |t: &str| format!("{t} · {}", c.title);
    let about_event = |key: &str| words.text(key, &[("event", event)]);
    let mut dates = (None, None);
    let mut image = None;
    let (title, description, kind) = match kind {
        PageKind::Index => (c.title.clone(), c.description.clone(), "website"),
        PageKind::Announcements => {
            (titled(&words.text("nav-announcements", &[])), about_event("meta-announcements"), "website")
        }
        PageKind::Announcement(i) => {
            let a = r.announcement(i);
            dates = c.dates(a.published, a.updated);
            image = a.image.as_deref();
            (titled(&a.title), a.summary.clone(), "article")
        }
        PageKind::Timeline => (titled(&words.text("nav-timeline", &[])), about_event("meta-timeline"), "website"),
        PageKind::Speakers => (titled(&words.text("nav-speakers", &[])), about_event("meta-speakers"), "website"),
        PageKind::Speaker(i) => {
            let s = r.speaker(i);
            image = s.photo.as_deref();
            let separator = words.text("list-separator", &[]);
            let role = [s.role.as_deref(), s.organization.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(&separator);
            let description = if role.is_empty() {
                words.text("meta-speaker", &[("name", &s.name), ("event", event)])
            } else {
                words.text("meta-speaker-role", &[("name", &s.name), ("role", &role), ("event", event)])
            };
            (titled(&s.name), description, "profile")
        }
        PageKind::Topics => (titled(&words.text("nav-topics", &[])), about_event("meta-topics"), "website"),
        PageKind::Topic(i) => {
            let t = r.topic(i);
            let description = t
                .description
                .clone()
                .unwrap_or_else(|| words.text("meta-topic", &[("topic", &t.title), ("event", event)]));
            (titled(&t.title), description, "website")
        }
        PageKind::Page(i) => {
            let p = r.page(i);
            dates = c.dates(p.published, p.updated);
            (titled(&p.title), p.description.clone().unwrap_or_else(|| c.description.clone()), "article")
        }
        PageKind::NotFound => (titled(&words.text("not-found", &[])), c.description.clone(), "website"),
        PageKind::Search => (titled(&words.text("nav-search", &[])), about_event("meta-search"), "website"),
    };
    let (published, modified) = dates;
    Meta {
        title,
        description,
        kind,
        author: c.publisher.name.clone(),
        published: published.map(|s| s.iso()),
        modified: modified.map(|s| s.iso()),
        image: image.and_then(|img| MetaImage::of(&c.base_url, img)),
    }
}

// The schema.org vocabulary, as JSON-LD. Fields are declared in the byte order of their names, so
// the output has sorted keys, as a JSON object map would write them.

/// A named thing of a schema.org type: an organization, a country.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct PlaceLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: AddressLd<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct AddressLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressLocality")]
    locality: &'a str,
}

#[derive(Serialize)]
struct EventLd<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "endDate")]
    end_date: String,
    #[serde(rename = "eventAttendanceMode")]
    attendance_mode: &'static str,
    #[serde(rename = "eventStatus")]
    status: &'static str,
    location: PlaceLd<'a>,
    name: &'a str,
    #[serde(rename = "startDate")]
    start_date: String,
    url: &'a str,
}

/// An image: its largest variant, with its size in pixels.
#[derive(Serialize)]
struct ImageLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "contentUrl")]
    content_url: String,
    #[serde(rename = "creditText", skip_serializing_if = "Option::is_none")]
    credit_text: Option<&'a str>,
    height: PixelsLd,
    width: PixelsLd,
}

/// A length in pixels, as schema.org writes one (E37 is UN/CEFACT's code for the pixel).
#[derive(Serialize)]
struct PixelsLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "unitCode")]
    unit_code: &'static str,
    value: u32,
}

fn image_ld<'a>(base_url: &str, image: Option<&'a crate::model::Image>) -> Option<ImageLd<'a>> {
    let image = image?;
    let v = image.largest()?;
    let pixels = |value| PixelsLd { kind: "QuantitativeValue", unit_code: "E37", value };
    Some(ImageLd {
        kind: "ImageObject",
        content_url: crate::routes::permalink(base_url, &format!("/{}", v.path)),
        credit_text: image.credit.as_deref(),
        height: pixels(v.height),
        width: pixels(v.width),
    })
}

#[derive(Serialize)]
struct PersonLd<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<ImageLd<'a>>,
    #[serde(rename = "jobTitle", skip_serializing_if = "Option::is_none")]
    job_title: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nationality: Option<Named<'a>>,
    url: String,
    #[serde(rename = "worksFor", skip_serializing_if = "Option::is_none")]
    works_for: Option<Named<'a>>,
}

#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: EventLd<'a>,
    /// The briefing's publisher wrote the page; the people it names are what it mentions, and
    /// its sources what it is based on, never its authors.
    author: OrganizationLd<'a>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<ImageLd<'a>>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isBasedOn", skip_serializing_if = "Vec::is_empty")]
    is_based_on: Vec<WorkLd<'a>>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mentions: Vec<PersonLd<'a>>,
    publisher: OrganizationLd<'a>,
    url: &'a str,
}

/// The briefing's publisher.
#[derive(Serialize)]
struct OrganizationLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// A source a page is based on.
#[derive(Serialize)]
struct WorkLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "inLanguage", skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    publisher: Named<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

const SCHEMA_ORG: &str = "https://schema.org";

fn event_ld<'a>(c: &'a SiteConfig, context: Option<&'static str>, description: Option<&'a str>) -> EventLd<'a> {
    EventLd {
        context,
        kind: "Event",
        description,
        end_date: c.event.end.to_string(),
        attendance_mode: "https://schema.org/OfflineEventAttendanceMode",
        status: "https://schema.org/EventScheduled",
        location: PlaceLd {
            kind: "Place",
            address: AddressLd { kind: "PostalAddress", locality: &c.event.city },
            name: c.event.venue.as_deref(),
        },
        name: &c.event.name,
        start_date: c.event.start.to_string(),
        url: &c.base_url,
    }
}

/// schema.org data for the page, as JSON safe to put inside a `<script>` element: the event on
/// the home page, a NewsArticle per announcement, a Person per speaker.
pub(super) fn structured_data(r: &Reader, kind: PageKind, canonical: &str) -> Option<String> {
    let c = r.config();
    let event = |context, description| event_ld(c, context, description);
    let person = |context: Option<&'static str>, i: usize| {
        let s = r.speaker(i);
        PersonLd {
            context,
            kind: "Person",
            // The page's own person only: a mention shows no photo.
            image: if context.is_some() { image_ld(&c.base_url, s.photo.as_deref()) } else { None },
            job_title: s.role.as_deref(),
            name: &s.name,
            nationality: s.country.as_deref().map(|name| Named { kind: "Country", name }),
            url: crate::routes::permalink(&c.base_url, &r.path(PageKind::Speaker(i))),
            works_for: s.organization.as_deref().map(|name| Named { kind: "Organization", name }),
        }
    };
    let json = match kind {
        PageKind::Index => serde_json::to_string(&event(Some(SCHEMA_ORG), Some(&c.description))),
        PageKind::Announcement(i) => {
            let a = r.announcement(i);
            let publisher =
                || OrganizationLd { kind: "Organization", name: &c.publisher.name, url: c.publisher.url.as_deref() };
            let (published, updated) = c.dates(a.published, a.updated);
            serde_json::to_string(&ArticleLd {
                context: SCHEMA_ORG,
                kind: "NewsArticle",
                about: event(None, None),
                author: publisher(),
                date_modified: updated.map(|s| s.iso()),
                date_published: published.map(|s| s.iso()),
                description: &a.summary,
                headline: &a.title,
                image: image_ld(&c.base_url, a.image.as_deref()),
                // An announcement not translated yet is in its original's language.
                in_language: super::views::fallback(r, a.fallback).unwrap_or(&c.language),
                main_entity_of_page: canonical,
                is_based_on: a
                    .sources
                    .iter()
                    .map(|cite| {
                        let s = r.source(cite);
                        WorkLd {
                            kind: "CreativeWork",
                            // schema.org's Date holds one date: a span gives none.
                            date_published: s.published.filter(|d| !d.is_span()).map(|d| d.iso()),
                            in_language: s.language.as_deref(),
                            name: s.title.as_deref(),
                            publisher: Named { kind: "Organization", name: &s.publisher },
                            url: s.url.as_deref(),
                        }
                    })
                    .collect(),
                mentions: a.speakers.iter().chain(&a.mentions).map(|&s| person(None, s)).collect(),
                publisher: publisher(),
                url: canonical,
            })
        }
        PageKind::Speaker(i) => serde_json::to_string(&person(Some(SCHEMA_ORG), i)),
        _ => return None,
    };
    // Serializing borrowed strings cannot fail.
    let json = json.ok()?;
    // `</` would end the script element early; `\u003c` means the same to a JSON reader.
    Some(if json.contains('<') { json.replace('<', "\\u003c") } else { json })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_data_is_json_with_sorted_keys_and_no_closing_tags() {
        let (_dir, root) = crate::starter::temporary();
        let settings = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&settings).unwrap();
        std::fs::write(
            &settings,
            text.replace("  city: Example City", "  city: Example City\n  venue: Hall </script> A"),
        )
        .unwrap();
        let site = crate::content::load(&root, &crate::content::Settings::default()).unwrap();
        for kind in [PageKind::Index, PageKind::Announcement(0), PageKind::Speaker(0)] {
            let json = structured_data(&crate::deps::Reader::new(&site), kind, "https://example.org/x/").unwrap();
            assert!(!json.contains('<'), "{json}");
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            // serde_json's own maps sort their keys: the same text means the same order.
            assert_eq!(value.to_string().replace('<', "\\u003c"), json);
            let event = if kind == PageKind::Index { &value } else { &value["about"] };
            if kind != PageKind::Speaker(0) {
                assert_eq!(event["location"]["name"], "Hall </script> A");
                assert_eq!(event["location"]["address"]["addressLocality"], "Example City");
            }
        }
        let article: serde_json::Value = serde_json::from_str(
            &structured_data(&crate::deps::Reader::new(&site), PageKind::Announcement(0), "u").unwrap(),
        )
        .unwrap();
        let person = &article["mentions"][0];
        assert_eq!(person["@type"], "Person");
        assert_eq!(person["worksFor"]["name"], "Example Expo Secretariat");
        assert_eq!(person["nationality"]["name"], "Exampleland");
        assert_eq!(person["jobTitle"], "Director");
        assert!(person.get("@context").is_none());
    }
}
