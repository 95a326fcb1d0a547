//! Embargoes: a moment that names no instant, and published items that point to an item still
//! under embargo.

use crate::{Case, ABOUT_MD, CONTENT_ERROR, OPENING_MD, TIMELINE_YAML};

#[test]
fn embargo_without_a_time_zone() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14\n", "date: 2030-05-14\nembargo: 2030-05-14T09:00:00\n");
        },
        at: &["content/announcements/opening.md:4:10"],
        says: &["invalid embargo", "`2030-05-14T09:00:00` has no time zone"],
        help: &["2012-09-22T10:00:00+07:00"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn embargo_of_a_day_on_a_timeline_entry() {
    Case {
        mistake: |s| {
            s.edit(
                TIMELINE_YAML,
                "  title: The expo is first proposed\n",
                "  title: The expo is first proposed\n  embargo: 2028-01-01\n",
            );
        },
        at: &["content/timeline.yaml:3:12"],
        says: &["invalid embargo", "`2028-01-01` is a day, not a moment"],
        help: &["with its offset from UTC"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn timeline_entry_names_an_embargoed_announcement() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14\n", "date: 2030-05-14\nembargo: 2999-01-01T00:00:00Z\n");
        },
        at: &["content/timeline.yaml:5:17"],
        says: &[
            "this timeline entry names the announcement `opening`, under embargo until 2999-01-01T00:00:00+00:00 (content/announcements/opening.md)",
        ],
        help: &["give this item an `embargo:` no earlier than 2999-01-01T00:00:00+00:00"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn published_page_links_to_an_embargoed_announcement() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14\n", "date: 2030-05-14\nembargo: 2999-01-01T00:00:00Z\n");
            s.edit(TIMELINE_YAML, "  announcement: opening\n", "");
            s.append(ABOUT_MD, "[The opening](/announcements/opening/)\n");
        },
        at: &["content/pages/about.md:6:1"],
        says: &["this link points to `/announcements/opening/`, under embargo until 2999-01-01T00:00:00+00:00 (content/announcements/opening.md)"],
        help: &["remove it until the embargo lifts"],
        ..CONTENT_ERROR
    }
    .run();
}
