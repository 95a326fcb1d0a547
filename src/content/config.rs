//! `content/site.yaml`: the site's settings and the event it covers.

use serde::Deserialize;

use super::doc::parse_yaml;
use super::Settings;
use chrono::Offset;

use crate::date::{self, Stamp};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Event, Language, Publisher, SiteConfig};
use crate::source::SourceFile;
use crate::yaml::Seg;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: String,
    description: String,
    base_url: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    languages: Option<RawLanguages>,
    #[serde(default)]
    require_translations: bool,
    event: RawEvent,
    #[serde(default)]
    cache: Option<RawCache>,
    /// Who publishes the briefing: the author of its pages in every output.
    #[serde(default)]
    publisher: Option<RawPublisher>,
    /// When the briefing was first published: the date of pages that give none.
    #[serde(default)]
    published: Option<String>,
    /// When the briefing was last updated as a whole.
    #[serde(default)]
    updated: Option<String>,
}

/// `publisher:`, a name and, optionally, the publisher's web address.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPublisher {
    name: String,
    #[serde(default)]
    url: Option<String>,
}

/// `cache:`, the `Cache-Control` a host sends with each file.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCache {
    #[serde(default)]
    fingerprinted: Option<String>,
    #[serde(default)]
    other: Option<String>,
}

/// `languages:`, in the order written, each key kept (a code written twice is an error).
struct RawLanguages(Vec<(String, RawLanguage)>);

impl schemars::JsonSchema for RawLanguages {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Languages".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let language = generator.subschema_for::<RawLanguage>();
        schemars::json_schema!({
            "description": "The languages the briefing is published in, by code (`zh`, `vi`), the default first.",
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]{2,3}(-[a-z0-9]{1,8})*$"},
            "additionalProperties": language,
        })
    }
}

impl<'de> Deserialize<'de> for RawLanguages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = RawLanguages;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of language codes to their settings, such as `zh: {name: 中文}`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawLanguages, A::Error> {
                let mut out = Vec::new();
                while let Some((code, language)) = map.next_entry::<String, RawLanguage>()? {
                    if out.iter().any(|(c, _)| *c == code) {
                        // The YAML module places this at the second key.
                        return Err(serde::de::Error::custom(format_args!("duplicate entry with key `{code}`")));
                    }
                    out.push((code, language));
                }
                Ok(RawLanguages(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    dir: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    event: Option<RawLanguageEvent>,
}

/// The event's name, city and venue in one language.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLanguageEvent {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    venue: Option<String>,
}

/// A language code as file names and paths use it: two or three lowercase letters, then
/// subtags of letters and digits (`zh`, `vi`, `pt-br`).
pub fn is_language_code(code: &str) -> bool {
    let mut subtags = code.split('-');
    let primary = subtags.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && subtags
            .all(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// A BCP 47 tag as `lang` and `hreflang` take it: subtags of letters and digits joined by
/// hyphens, the first of two to eight letters (`zh-Hans`, `vi`, `sr-Latn-RS`).
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The languages of `raw`, the default first, each checked.
fn languages(raw: &RawSite, yaml: &crate::content::doc::Located) -> Result<Vec<Language>, Diagnostic> {
    let Some(RawLanguages(list)) = &raw.languages else {
        let code = raw.language.clone().unwrap_or_else(|| "en".to_string());
        if !is_language_tag(&code) {
            return Err(yaml
                .error(
                    Kind::Setting,
                    &[Seg::Key("language")],
                    Some(code.trim()),
                    format!("`{code}` is not a language tag"),
                )
                .label("not a BCP 47 language tag")
                .help("write the language of the content as a BCP 47 tag, such as en, vi or zh-Hans"));
        }
        return Ok(vec![Language {
            code: code.clone(),
            name: code.clone(),
            og_locale: crate::format::og_locale(&code),
            tag: code,
            rtl: false,
            title: None,
            description: None,
            event_name: None,
            event_city: None,
            event_venue: None,
        }]);
    };
    fn key(code: &str) -> [Seg<'_>; 2] {
        [Seg::Key("languages"), Seg::Key(code)]
    }
    if list.is_empty() {
        return Err(yaml
            .error(Kind::Setting, &[Seg::Key("languages")], None, "`languages:` lists no language")
            .help("list each language with its name, the default first, such as `en: {name: English}`; or remove `languages:` for a site in one language"));
    }
    let mut out: Vec<Language> = Vec::with_capacity(list.len());
    for (code, l) in list {
        if !is_language_code(code) {
            return Err(yaml
                .error(Kind::Setting, &[Seg::Key("languages")], Some(code), format!("`{code}` cannot be a language code"))
                .label("not a language code")
                .help("language codes name translation files (su-bo.zh.md) and folders (/zh/): two or three lowercase letters, such as en, zh or vi, then subtags such as pt-br; put the full BCP 47 tag in `tag:`"));
        }
        let tag = l.tag.clone().unwrap_or_else(|| code.clone());
        if !is_language_tag(&tag) {
            return Err(yaml
                .error(
                    Kind::Setting,
                    &[&key(code)[..], &[Seg::Key("tag")]].concat(),
                    Some(tag.trim()),
                    format!("`{tag}` is not a language tag"),
                )
                .label("not a BCP 47 language tag")
                .help("write a BCP 47 tag such as zh-Hans, zh-Hant or vi"));
        }
        let rtl = match l.dir.as_deref().map(str::trim) {
            None | Some("ltr") => false,
            Some("rtl") => true,
            Some(other) => {
                return Err(yaml
                    .error(
                        Kind::Setting,
                        &[&key(code)[..], &[Seg::Key("dir")]].concat(),
                        Some(other),
                        format!("`{other}` is not a text direction"),
                    )
                    .help(
                        "write `dir: rtl` for a language written right to left (Arabic, Hebrew), or leave `dir` out",
                    ));
            }
        };
        let event = l.event.as_ref();
        out.push(Language {
            code: code.clone(),
            name: l.name.clone(),
            og_locale: crate::format::og_locale(&tag),
            tag,
            rtl,
            title: l.title.clone(),
            description: l.description.clone(),
            event_name: event.and_then(|e| e.name.clone()),
            event_city: event.and_then(|e| e.city.clone()),
            event_venue: event.and_then(|e| e.venue.clone()),
        });
    }
    let default = match &raw.language {
        None => 0,
        Some(language) => out.iter().position(|l| l.code == *language || l.tag == *language).ok_or_else(|| {
            yaml.error(
                Kind::Setting,
                &[Seg::Key("language")],
                Some(language.trim()),
                format!("the default language `{language}` is not among `languages:`"),
            )
            .label("not listed")
            .help(format!(
                "name one of the listed languages ({}), or add `{language}` to `languages:`",
                out.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?,
    };
    let first = out.remove(default);
    out.insert(0, first);
    Ok(out)
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: String,
    city: String,
    #[serde(default)]
    venue: Option<String>,
    start: String,
    end: String,
    /// The event's offset from UTC (`+08:00`), in which times of day (`time:`) are given.
    #[serde(default)]
    time_zone: Option<String>,
}

/// Parses `file` as the site settings; `--base-url` in `settings` replaces `base_url`.
pub fn parse(file: SourceFile, settings: &Settings) -> Result<SiteConfig, Diagnostic> {
    let doc = parse_yaml::<RawSite>(file)?;
    let (yaml, raw) = (&doc.yaml, doc.value);
    let (base_url, base_path) = match &settings.base_url {
        Some(url) => parse_base_url(url).map_err(|why| {
            Diagnostic::file(Kind::Setting, "--base-url", format!("invalid --base-url `{url}`: {why}"))
                .help("give an absolute URL such as https://example.org/briefing/")
        })?,
        None => parse_base_url(&raw.base_url).map_err(|why| {
            yaml.error(
                Kind::Setting,
                &[Seg::Key("base_url")],
                Some(raw.base_url.trim()),
                format!("invalid base_url: {why}"),
            )
            .label("not an absolute http(s) URL")
            .help("write where the site will be published, such as https://example.org/briefing/")
        })?,
    };
    let day = |key: &str, value: &str| {
        date::parse_day(value).map_err(|why| {
            yaml.error(
                Kind::Date,
                &[Seg::Key("event"), Seg::Key(key)],
                Some(value.trim()),
                format!("invalid event {key} date: {why}"),
            )
            .label("not a real day")
            .help("write the day as YYYY-MM-DD, for example 2012-09-21")
        })
    };
    let start = day("start", &raw.event.start)?;
    let end = day("end", &raw.event.end)?;
    if end < start {
        return Err(yaml
            .error(
                Kind::Date,
                &[Seg::Key("event"), Seg::Key("end")],
                Some(raw.event.end.trim()),
                "the event ends before it starts",
            )
            .label("before `start`")
            .help("swap `start` and `end`, or correct one of them"));
    }
    let time_zone = match &raw.event.time_zone {
        None => chrono::Utc.fix(),
        Some(text) => date::parse_offset(text).map_err(|why| {
            yaml.error(
                Kind::Date,
                &[Seg::Key("event"), Seg::Key("time_zone")],
                Some(text.trim()),
                format!("invalid time zone: {why}"),
            )
            .label("not an offset from UTC")
            .help("write the event's offset from UTC as +HH:MM or -HH:MM, for example +08:00 for Nanning")
        })?,
    };
    let stamp = |key: &'static str, text: &Option<String>| -> Result<Option<Stamp>, Diagnostic> {
        let Some(text) = text else { return Ok(None) };
        Stamp::parse(text).map(Some).map_err(|why| {
            yaml.error(Kind::Date, &[Seg::Key(key)], Some(text.trim()), format!("invalid {key} date: {why}"))
                .label("not a day or a moment")
                .help(super::stamps::HELP)
        })
    };
    let published = stamp("published", &raw.published)?;
    let updated = stamp("updated", &raw.updated)?;
    let publisher = match &raw.publisher {
        None => Publisher { name: raw.title.clone(), url: None },
        Some(p) => {
            if let Some(url) = p.url.as_deref().filter(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
                return Err(yaml
                    .error(
                        Kind::Setting,
                        &[Seg::Key("publisher"), Seg::Key("url")],
                        Some(url.trim()),
                        "the publisher's address must be a web address",
                    )
                    .label("not an http(s) URL")
                    .help("write the publisher's web address, such as https://example.org/, or leave `url` out"));
            }
            Publisher { name: p.name.trim().to_string(), url: p.url.as_ref().map(|u| u.trim().to_string()) }
        }
    };
    let languages = languages(&raw, yaml)?;
    let mut cache = crate::model::Cache::default();
    if let Some(raw_cache) = &raw.cache {
        for (key, value, slot) in [
            ("fingerprinted", &raw_cache.fingerprinted, &mut cache.fingerprinted),
            ("other", &raw_cache.other, &mut cache.other),
        ] {
            let Some(value) = value else { continue };
            // One header value: a line break would start another header in `_headers`.
            if value.trim().is_empty() || value.contains(['\n', '\r']) || !value.is_ascii() {
                return Err(yaml
                    .error(
                        Kind::Setting,
                        &[Seg::Key("cache"), Seg::Key(key)],
                        Some(value.trim()),
                        format!("`cache.{key}` is not a Cache-Control value"),
                    )
                    .label("not one line of ASCII")
                    .help("write the header's value on one line, such as `public, max-age=3600`"));
            }
            *slot = value.trim().to_string();
        }
    }
    Ok(SiteConfig {
        title: raw.title,
        description: raw.description,
        base_url,
        base_path,
        language: languages[0].tag.clone(),
        event: Event { name: raw.event.name, city: raw.event.city, venue: raw.event.venue, start, end, time_zone },
        publisher,
        published,
        updated,
        languages: languages.into(),
        lang: 0,
        require_translations: raw.require_translations,
        cache,
    })
}

/// Checks an absolute http(s) URL and returns it ending with `/`, and its path.
pub fn parse_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| "it must start with https:// or http://".to_string())?;
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err("it has no host name".into());
    }
    if path.contains(['?', '#', ' ', '\\']) {
        return Err("its path may not contain `?`, `#`, `\\` or spaces".into());
    }
    let path = path.trim_end_matches('/');
    let base_path = if path.is_empty() { "/".to_string() } else { format!("/{path}/") };
    let scheme = if url.starts_with("https://") { "https" } else { "http" };
    Ok((format!("{scheme}://{host}{base_path}"), base_path))
}

/// The JSON Schema of `site.yaml`, from the type that reads it.
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(RawSite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(parse_base_url("https://example.org").unwrap(), ("https://example.org/".into(), "/".into()));
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080/briefing").unwrap(),
            ("http://127.0.0.1:8080/briefing/".into(), "/briefing/".into())
        );
        assert!(parse_base_url("example.org").is_err());
        assert!(parse_base_url("https:///x").is_err());
    }
}
