//! Fields and front matter: unknown and missing fields, and front matter that is missing, never
//! closed, empty or not a mapping.

use crate::{Case, Root, ABOUT_MD, CONTENT_ERROR, OPENING_MD, SITE_YAML, TIMELINE_YAML};

#[test]
fn missing_required_field() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "summary: The organisers opened the expo.\n", "");
        },
        at: &["content/announcements/opening.md:2:1"],
        says: &["missing required field `summary`"],
        help: &["add a line `summary: ...`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

/// Run from the folder above the site with `brief build --root site`: locations stay relative to the root.
#[test]
fn unknown_field() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title:", "titel:");
        },
        at: &["content/announcements/opening.md:2:1"],
        says: &["unknown field `titel`"],
        help: &["did you mean `title`?", "18 fields are known, for example title, date, summary"],
        root: Root::Relative,
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_field_nested_in_site_yaml() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "  city:", "  citi:");
        },
        at: &["content/site.yaml:7:3"],
        says: &["event: unknown field `citi`"],
        help: &["did you mean `city`?", "known fields: name, city, venue, start, end"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn cache_value_on_two_lines() {
    Case {
        mistake: |s| {
            s.write(SITE_YAML, format!("{}cache:\n  other: \"public,\\nmax-age=0\"\n", super::SITE));
        },
        at: &["content/site.yaml:11:10"],
        says: &["`cache.other` is not a Cache-Control value"],
        help: &["write the header's value on one line"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_field_in_timeline_entry() {
    Case {
        mistake: |s| {
            s.edit(TIMELINE_YAML, "  announcement:", "  anouncement:");
        },
        at: &["content/timeline.yaml:5:3"],
        says: &["unknown field `anouncement`"],
        help: &["did you mean `announcement`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn timeline_entry_without_a_date() {
    Case {
        mistake: |s| {
            s.edit(TIMELINE_YAML, "- date: \"2030-05-14\"\n  title:", "- title:");
        },
        at: &["content/timeline.yaml:3:3"],
        says: &["entry 2: missing required field `date`"],
        help: &["add a line `date: ...`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn front_matter_that_is_a_list() {
    Case {
        mistake: |s| {
            s.write(OPENING_MD, "---\n- a\n- b\n---\n\nThe organisers opened the expo.\n");
        },
        at: &["content/announcements/opening.md:2:1"],
        says: &["expected `key: value` fields, found a list"],
        help: &["one `key: value` line per field, such as `title: ...`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn front_matter_that_is_a_scalar() {
    let (_, run) = Case {
        mistake: |s| {
            s.write(OPENING_MD, "---\njust text\n---\n\nThe organisers opened the expo.\n");
        },
        at: &["content/announcements/opening.md:2:1"],
        says: &["expected `key: value` fields, found string \"just text\""],
        help: &["one `key: value` line per field"],
        ..CONTENT_ERROR
    }
    .run();
    assert!(!run.stderr.contains("struct"), "names a Rust type:\n{}", run.stderr);
}

#[test]
fn front_matter_never_closed() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "topics: [trade]\n---\n", "topics: [trade]\n");
        },
        at: &["content/announcements/opening.md:1:1"],
        says: &["the front matter is never closed"],
        help: &["add a line `---`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn file_without_front_matter() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, "This briefing was made with brief.\n");
        },
        at: &["content/pages/about.md:1:1"],
        says: &["this file has no front matter"],
        help: &["start the file with a line `---`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn empty_announcement_file() {
    Case {
        mistake: |s| {
            s.write(OPENING_MD, "");
        },
        at: &["content/announcements/opening.md:1:1"],
        says: &["this file is empty"],
        help: &["start the file with a line `---`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}
