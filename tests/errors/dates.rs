//! Dates and settings: days and months that do not exist, dates in words, an event that ends
//! before it starts, a base URL without a scheme.

use crate::{Case, CONTENT_ERROR, OPENING_MD, SITE_YAML, TIMELINE_YAML};

#[test]
fn day_that_does_not_exist() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14", "date: 2012-02-30");
            // So that the timeline does not refer to it; see `bad_announcement_date_is_reported_once`.
            s.edit(TIMELINE_YAML, "  announcement: opening\n", "");
        },
        at: &["content/announcements/opening.md:3:7"],
        says: &["invalid date", "`2012-02-30` does not exist: February has no day 30"],
        help: &["YYYY-MM-DD"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn date_in_words() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14", "date: May 14");
            s.edit(TIMELINE_YAML, "  announcement: opening\n", "");
        },
        at: &["content/announcements/opening.md:3:7"],
        says: &["invalid date", "`May 14` is not a date in the form YYYY-MM-DD"],
        help: &["YYYY-MM-DD (2012-09-22)"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn bad_announcement_date_is_reported_once() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14", "date: 2012-02-30");
        },
        at: &["content/announcements/opening.md:3:7"],
        says: &["February has no day 30"],
        help: &["YYYY-MM-DD"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn timeline_month_that_does_not_exist() {
    Case {
        mistake: |s| {
            s.edit(TIMELINE_YAML, "\"2028\"", "\"2012-13\"");
        },
        at: &["content/timeline.yaml:1:10"],
        says: &["invalid timeline date", "no month 13"],
        help: &["YYYY, YYYY-MM or YYYY-MM-DD"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn event_ends_before_it_starts() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "end: 2030-05-16", "end: 2030-05-13");
        },
        at: &["content/site.yaml:9:8"],
        says: &["the event ends before it starts"],
        help: &["swap `start` and `end`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn event_start_that_does_not_exist() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "start: 2030-05-14", "start: 2030-02-30");
        },
        at: &["content/site.yaml:8:10"],
        says: &["invalid event start date", "February has no day 30"],
        help: &["YYYY-MM-DD"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn base_url_without_scheme() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "base_url: https://example.org/", "base_url: example.org");
        },
        at: &["content/site.yaml:3:11"],
        says: &["invalid base_url", "https://"],
        help: &["where the site will be published"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn span_that_ends_before_it_starts() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14", "date: 2030-05-16/2030-05-14");
            s.edit(TIMELINE_YAML, "  announcement: opening\n", "");
        },
        at: &["content/announcements/opening.md:3:7"],
        says: &[
            "invalid date",
            "`2030-05-16/2030-05-14` ends before it starts: write the earlier date first (2030-05-14/2030-05-16)",
        ],
        help: &["as a span (2012-09-21/2012-09-25)"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn timeline_span_from_a_year_to_a_month() {
    Case {
        mistake: |s| {
            s.edit(TIMELINE_YAML, "\"2028\"", "2028/2029-03");
        },
        at: &["content/timeline.yaml:1:9"],
        says: &["invalid timeline date", "`2028/2029-03` runs from a year to a month"],
        help: &["of the same precision"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn figure_year_that_mixes_precisions() {
    Case {
        mistake: |s| {
            s.edit(
                OPENING_MD,
                "topics: [trade]\n",
                "topics: [trade]\nfigures:\n  - {label: Visitors, value: 12, unit: thousand, year: 2029/2030-05}\n",
            );
        },
        at: &["content/announcements/opening.md:8:56"],
        says: &["invalid figure year", "`2029/2030-05` runs from a year to a month"],
        help: &["the years it spans (2003/2012)"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn figure_year_that_is_a_month() {
    Case {
        mistake: |s| {
            s.edit(
                OPENING_MD,
                "topics: [trade]\n",
                "topics: [trade]\nfigures:\n  - label: Visitors\n    value: 12\n    unit: thousand\n    year: 2030-05\n",
            );
        },
        at: &["content/announcements/opening.md:11:11"],
        says: &["`2030-05` is a month, not a year"],
        help: &["write the year alone (2030)"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn figure_year_with_a_fraction() {
    Case {
        mistake: |s| {
            s.edit(
                OPENING_MD,
                "topics: [trade]\n",
                "topics: [trade]\nfigures:\n  - {label: Visitors, value: 12, unit: thousand, year: 2011.5}\n",
            );
        },
        at: &["content/announcements/opening.md:8:56"],
        says: &["invalid figure year", "`2011.5` is not a date"],
        help: &["the years it spans (2003/2012)"],
        ..CONTENT_ERROR
    }
    .run();
}
