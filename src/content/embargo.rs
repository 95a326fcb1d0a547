//! Embargoes: an announcement, timeline entry or free page may carry `embargo:`, the moment from
//! which it may be published. Until then a build leaves it out at this phase, before anything is
//! made from the site, so no page, list, count, feed, sitemap, calendar, chart, search index or
//! manifest can show it: they are all made from the [`Site`](crate::model::Site) this phase
//! returns. `serve` asks for a preview instead: the item is kept and marked, and its pages say so.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};

use super::doc::Located;
use super::Settings;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Embargo, Withheld};
use crate::yaml::Seg;

/// The moment a build judges embargoes against, and what it found.
pub struct Clock {
    now: DateTime<FixedOffset>,
    preview: bool,
    /// Every embargo not lifted yet.
    pub in_force: Vec<Embargo>,
    /// The pages left out, by site path.
    pub withheld: HashMap<String, Withheld>,
}

/// What a build does with an item.
pub enum Verdict {
    /// It is in the build; with the moment its embargo lifts when it is shown before then.
    Keep(Option<DateTime<FixedOffset>>),
    /// It is left out: its embargo has not lifted.
    Withhold(Embargo),
}

impl Clock {
    pub fn new(settings: &Settings) -> Clock {
        Clock {
            now: settings.now.unwrap_or_else(|| Utc::now().fixed_offset()),
            preview: settings.preview_embargoed,
            in_force: Vec::new(),
            withheld: HashMap::new(),
        }
    }

    /// Judges the item of `file` whose embargo is `until`; `page` is the site path of its page,
    /// if it has one.
    pub fn judge(&mut self, until: Option<DateTime<FixedOffset>>, file: &Path, page: Option<String>) -> Verdict {
        let Some(until) = until.filter(|u| *u > self.now) else { return Verdict::Keep(None) };
        let embargo = Embargo { until, file: file.to_path_buf(), page };
        self.in_force.push(embargo.clone());
        if self.preview {
            return Verdict::Keep(Some(until));
        }
        if let Some(page) = &embargo.page {
            self.withheld.insert(page.clone(), Withheld::Embargo(embargo.clone()));
        }
        Verdict::Withhold(embargo)
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
