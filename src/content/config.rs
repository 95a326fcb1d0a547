//! `content/site.yaml`: the site's settings and the event it covers.

use serde::Deserialize;

use super::doc::parse_yaml;
use super::Settings;
use crate::date;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Event, SiteConfig};
use crate::source::SourceFile;
use crate::yaml::Seg;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: String,
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    event: RawEvent,
}

fn default_language() -> String {
    "en".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: String,
    city: String,
    #[serde(default)]
    venue: Option<String>,
    start: String,
    end: String,
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
    Ok(SiteConfig {
        title: raw.title,
        description: raw.description,
        base_url,
        base_path,
        language: raw.language,
        event: Event { name: raw.event.name, city: raw.event.city, venue: raw.event.venue, start, end },
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
