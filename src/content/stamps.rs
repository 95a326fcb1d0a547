//! `published:` and `updated:`: when a page of the briefing came out and was last changed, as the
//! editor writes them (a day or a moment). Machine outputs (Atom, JSON-LD, the sitemap) date pages
//! by these, never by the event: the briefing's pages were not written on the day things were
//! announced. And `time:`, the time of day an announcement or a timeline entry happened at.

use super::doc::Located;
use crate::date::{Precision, Stamp, When};
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::yaml::Seg;

/// How to write `published:` and `updated:`, for the help of an error.
pub const HELP: &str =
    "write the day as YYYY-MM-DD (2026-11-30), or the moment with its offset from UTC (2026-11-30T09:00:00+08:00)";

/// The stamp written `text` at the top-level `key` of `yaml`; an error at its place, pushed to
/// `errors`, when it is not a day or a moment.
pub fn read(yaml: &Located, key: &'static str, text: Option<&str>, errors: &mut Diagnostics) -> Option<Stamp> {
    let text = text?;
    Stamp::parse(text).map_err(|why| errors.push(error(yaml, &[Seg::Key(key)], key, text, &why))).ok()
}

/// The error for a `published:` or `updated:` (`key`) at `path` that is not a day or a moment.
pub fn error(yaml: &Located, path: &[Seg], key: &str, text: &str, why: &str) -> Diagnostic {
    yaml.error(Kind::Date, path, Some(text.trim()), format!("invalid {key} date: {why}"))
        .label("not a day or a moment")
        .help(HELP)
}

/// When an item's page was published and last updated, from its front matter in `yaml`: its
/// `published:`, else the moment its `embargo:` lifted (it came out no earlier); its `updated:`.
/// The briefing's own dates fill what is still missing at output time
/// ([`SiteConfig::dates`](crate::model::SiteConfig::dates)).
pub fn of_item(
    yaml: &Located,
    published: Option<&str>,
    updated: Option<&str>,
    embargo: Option<&str>,
    errors: &mut Diagnostics,
) -> (Option<Stamp>, Option<Stamp>) {
    let lifted = super::embargo::moment(yaml, &[Seg::Key("embargo")], embargo).ok().flatten();
    let published = read(yaml, "published", published, errors).or(lifted.map(Stamp::Moment));
    (published, read(yaml, "updated", updated, errors))
}

/// The time of day written `text` at `path` of `yaml`, for an item dated `date`, which must be a
/// day; `of` says whose time it is in the help (` it was made`, or nothing).
pub fn time_of_day(
    yaml: &Located,
    path: &[Seg],
    text: &str,
    date: &When,
    of: &str,
) -> Result<chrono::NaiveTime, Diagnostic> {
    let time = crate::date::parse_time(text).map_err(|why| {
        yaml.error(Kind::Date, path, Some(text.trim()), format!("invalid time: {why}"))
            .label("not a time of day")
            .help(format!(
                "write the time{of} as HH:MM on a 24-hour clock, in the event's time zone (`event.time_zone` in site.yaml), for example 09:30"
            ))
    })?;
    if date.precision() != Precision::Day {
        return Err(yaml
            .error(Kind::Date, path, Some(text.trim()), "a time of day needs a day")
            .label(format!("the date is a {}", date.precision().noun()))
            .help(format!("give the day{of} as `date`, or leave the time out")));
    }
    Ok(time)
}
