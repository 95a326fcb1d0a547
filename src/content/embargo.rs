//! Embargoes: an announcement, timeline entry or free page may carry `embargo:`, the moment from
//! which it may be published. Until then a build leaves it out at this phase, before anything is
//! made from the site, so no page, list, count, feed, sitemap, calendar, chart, search index or
//! manifest can show it: they are all made from the [`Site`](crate::model::Site) this phase
//! returns. `serve` asks for a preview instead: the item is kept and marked, and its pages say so.

use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};

use super::doc::Located;
use super::Settings;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::Embargo;
use crate::yaml::Seg;

/// The moment a build judges embargoes against, and what it found.
pub struct Clock {
    now: DateTime<FixedOffset>,
    preview: bool,
    /// Every embargo not lifted yet.
    in_force: Vec<Embargo>,
}

/// What a build does with an item.
pub enum Verdict {
    /// It is in the build: published, or (`serve`'s preview) shown under its embargo.
    Keep(Option<Embargo>),
    /// It is left out: its embargo has not lifted.
    Withhold(Embargo),
}

impl Verdict {
    /// The item's embargo, if it has not lifted, whether or not the item is kept.
    pub fn in_force(&self) -> Option<&Embargo> {
        match self {
            Verdict::Keep(held) => held.as_ref(),
            Verdict::Withhold(held) => Some(held),
        }
    }
}

impl Clock {
    pub fn new(settings: &Settings) -> Clock {
        Clock {
            now: settings.now.unwrap_or_else(|| Utc::now().fixed_offset()),
            preview: settings.preview_embargoed,
            in_force: Vec::new(),
        }
    }

    /// Judges the item whose `embargo:` is `text`, at `path` of `yaml`; `page` is the site path
    /// of its page, if it has one. A moment that is not one is an error at its place.
    pub fn judge(
        &mut self,
        yaml: &Located,
        path: &[Seg],
        text: Option<&str>,
        page: Option<&str>,
    ) -> Result<Verdict, Diagnostic> {
        let until = moment(yaml, path, text)?;
        let Some(until) = until.filter(|u| *u > self.now) else { return Ok(Verdict::Keep(None)) };
        let embargo = Embargo { until, file: yaml.file().path.clone(), page: page.map(str::to_string) };
        self.in_force.push(embargo.clone());
        Ok(if self.preview { Verdict::Keep(Some(embargo)) } else { Verdict::Withhold(embargo) })
    }

    /// The embargoes in force, soonest first.
    pub fn embargoes(&self) -> Vec<Embargo> {
        let mut out = self.in_force.clone();
        out.sort();
        out
    }
}

/// The moment of the `embargo:` at `path` in `yaml`, written `text`; an error at its place when
/// it is not an RFC 3339 moment with an offset.
pub(super) fn moment(
    yaml: &Located,
    path: &[Seg],
    text: Option<&str>,
) -> Result<Option<DateTime<FixedOffset>>, Diagnostic> {
    let Some(text) = text else { return Ok(None) };
    crate::date::parse_moment(text).map(Some).map_err(|why| {
        yaml.error(Kind::Embargo, path, Some(text.trim()), format!("invalid embargo: {why}"))
            .label("not a moment with a time zone")
            .help("write the moment the item may be published, with its offset from UTC, for example 2012-09-22T10:00:00+07:00 (or ...Z for UTC)")
    })
}

/// The error for a published item, in `file` at `span`, that names or links to an item under
/// `embargo` (`what`, such as "link points to `/announcements/x/`").
pub fn leak(
    file: &Path,
    text: &std::sync::Arc<str>,
    span: std::ops::Range<usize>,
    what: &str,
    embargo: &Embargo,
) -> Diagnostic {
    let until = embargo.until.to_rfc3339();
    Diagnostic::at(
        Kind::Embargo,
        file,
        text,
        span,
        format!("this {what}, under embargo until {until} ({})", embargo.file.display()),
    )
    .label("published before what it points to")
    .help(format!("remove it until the embargo lifts, or give this item an `embargo:` no earlier than {until}"))
}

/// Whether an item whose own embargo is `own` may point to one under `embargo`: only if it is
/// published no earlier.
pub fn may_point_to(own: Option<DateTime<FixedOffset>>, embargo: &Embargo) -> bool {
    own.is_some_and(|own| own >= embargo.until)
}
