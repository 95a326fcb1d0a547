//! An editor's order and a page's dates: two leads, a time that is not one or that has no day,
//! publication dates that are not dates, an event time zone that is not one.

use crate::{Case, CONTENT_ERROR, OPENING_MD, SITE_YAML, TIMELINE_YAML};

const SECOND_MD: &str = "content/announcements/second.md";

#[test]
fn two_leads() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14\n", "date: 2030-05-14\nlead: true\n");
            s.write(
                SECOND_MD,
                "---\ntitle: A second item\ndate: 2030-05-15\nsummary: Another.\nlead: true\n---\n\nText.\n",
            );
        },
        // The first by slug keeps the lead; the other is reported, with the first's line.
        at: &["content/announcements/second.md:5:1"],
        says: &["two announcements are marked as the lead", "content/announcements/opening.md:4 is the lead already"],
        help: &["a briefing has one lead: remove `lead: true` from one of them"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn time_that_is_not_a_time_of_day() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14\n", "date: 2030-05-14\ntime: 9.30\n");
        },
        at: &["content/announcements/opening.md:4:7"],
        says: &["invalid time: `9.30` is not a time of day in the form HH:MM"],
        help: &["HH:MM on a 24-hour clock, in the event's time zone"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn time_of_day_on_a_span() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14\n", "date: 2030-05-14/2030-05-16\ntime: \"09:30\"\n");
        },
        at: &["content/announcements/opening.md:4:8"],
        says: &["a time of day needs a day"],
        help: &["leave the time out"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn timeline_time_on_a_year() {
    Case {
        mistake: |s| {
            s.edit(TIMELINE_YAML, "- date: \"2028\"\n", "- date: \"2028\"\n  time: \"10:00\"\n");
        },
        at: &["content/timeline.yaml:2:10"],
        says: &["a time of day needs a day"],
        help: &["give the day as `date`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn published_date_that_is_not_one() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14\n", "date: 2030-05-14\npublished: 2030-05-14 09:00\n");
        },
        at: &["content/announcements/opening.md:4:12"],
        says: &["invalid published date", "`2030-05-14 09:00` has no time zone"],
        help: &["2026-11-30T09:00:00+08:00"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn event_time_zone_that_is_not_an_offset() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "  end: 2030-05-16\n", "  end: 2030-05-16\n  time_zone: Asia/Shanghai\n");
        },
        at: &["content/site.yaml:10:14"],
        says: &["invalid time zone", "`Asia/Shanghai` is not an offset from UTC"],
        help: &["+08:00 for Nanning"],
        ..CONTENT_ERROR
    }
    .run();
}
