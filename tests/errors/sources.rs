//! Sources: a citation of an id that `sources.yaml` does not list, and the `source:` field that
//! `sources:` replaced.

use crate::{Case, CONTENT_ERROR, OPENING_MD, TIMELINE_YAML};

#[test]
fn unknown_source_id() {
    Case {
        mistake: |s| {
            s.write("content/sources.yaml", "example-news:\n  publisher: Example News Agency\n");
            s.edit(OPENING_MD, "topics: [trade]\n", "topics: [trade]\nsources: [example-new]\n");
        },
        at: &["content/announcements/opening.md:7:11"],
        says: &["unknown source `example-new`"],
        help: &["example-news"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_source_id_with_a_locator_in_the_timeline() {
    Case {
        mistake: |s| {
            s.write("content/sources.yaml", "example-news:\n  publisher: Example News Agency\n");
            s.edit(
                TIMELINE_YAML,
                "  title: The expo is first proposed\n",
                "  title: The expo is first proposed\n  sources:\n    - {id: example-news, locator: paragraph 2}\n    - {id: example-wire, locator: paragraph 1}\n",
            );
        },
        at: &["content/timeline.yaml:5:12"],
        says: &["unknown source `example-wire`"],
        help: &["example-news"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn the_old_source_field_says_how_to_move_it() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "topics: [trade]\n", "topics: [trade]\nsource:\n  name: Example News Agency\n");
        },
        at: &["content/announcements/opening.md:7:1"],
        says: &["`source:` has become `sources:`, a list of ids of content/sources.yaml"],
        help: &["list the source once in content/sources.yaml", "sources: [vna]"],
        ..CONTENT_ERROR
    }
    .run();
}
