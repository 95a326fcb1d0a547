//! References between files: unknown and repeated speakers, topics and announcements (up to a
//! flood of 20,000), chart series that disagree, a page slug that is taken.

use crate::{
    base, build, locations, no_crash, run_within, same_output, snapshot, Case, Root, ABOUT, CONTENT_ERROR, OPENING_MD,
    TIMELINE, TIMELINE_YAML,
};

#[test]
fn unknown_speaker_in_announcement() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "[jane-doe]", "[jane-do]");
        },
        at: &["content/announcements/opening.md:5:12"],
        says: &["unknown speaker `jane-do`"],
        help: &["did you mean `jane-doe`?"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_topic() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "[trade]", "[trad]");
        },
        at: &["content/announcements/opening.md:6:10"],
        says: &["unknown topic `trad`"],
        help: &["did you mean `trade`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_speaker_in_timeline() {
    Case {
        mistake: |s| {
            s.edit(TIMELINE_YAML, "[jane-doe]", "[jane-do]");
        },
        at: &["content/timeline.yaml:6:14"],
        says: &["unknown speaker `jane-do`"],
        help: &["did you mean `jane-doe`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_announcement_in_timeline() {
    Case {
        mistake: |s| {
            s.edit(TIMELINE_YAML, "announcement: opening", "announcement: openin");
        },
        at: &["content/timeline.yaml:5:17"],
        says: &["unknown announcement `openin`"],
        help: &["did you mean `opening`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn speaker_listed_twice() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "[jane-doe]", "[jane-doe, jane-doe]");
        },
        at: &["content/announcements/opening.md:5:22"],
        says: &["speaker `jane-doe` is listed twice"],
        help: &["remove one"],
        ..CONTENT_ERROR
    }
    .run();
}

/// One message, found at once: each repeat used to be a message of its own, found by searching the
/// file again (24 s and 5 MB of messages for this list).
#[test]
fn speaker_listed_thousands_of_times() {
    Case {
        mistake: |s| {
            let list = vec!["jane-doe"; 20_000].join(", ");
            s.edit(OPENING_MD, "[jane-doe]", &format!("[{list}]"));
        },
        at: &["content/announcements/opening.md:5:22"],
        says: &["speaker `jane-doe` is listed 20000 times"],
        help: &["keep only one of them"],
        ..CONTENT_ERROR
    }
    .run();
}

/// Twenty thousand different unknown speakers: the first 50 in full, the rest counted, at once (the
/// whole output is snapshotted: it is bounded). Only the hang guard limits its time.
#[test]
fn thousands_of_unknown_speakers_show_fifty_and_count_the_rest() {
    let site = base();
    build(&site).ok();
    let before = site.output();
    let list: Vec<String> = (0..20_000).map(|i| format!("nobody-{i:05}")).collect();
    site.edit(OPENING_MD, "[jane-doe]", &format!("[{}]", list.join(", ")));
    let run = run_within(&site, Root::Here, &["build"]);
    no_crash(&run);
    let err = &run.stderr;
    assert_eq!(run.code, 1, "{err}");
    let at = locations(err);
    assert_eq!(at.len(), 50, "{at:?}");
    // `speakers: [` is 11 characters, each name and its `, ` 14.
    assert_eq!(at[0], "content/announcements/opening.md:5:12");
    assert_eq!(at[49], format!("content/announcements/opening.md:5:{}", 12 + 49 * 14));
    let rest = format!("19950 × unknown speaker (first at content/announcements/opening.md:5:{})", 12 + 50 * 14);
    assert!(err.contains("note: 19950 more problems, not shown in full:") && err.contains(&rest), "{err}");
    assert!(err.contains("the site has 20000 problems; nothing was written"), "{err}");
    same_output(&before, &site.output());
    snapshot(&site, Root::Here, &["build"], &run);
}

#[test]
fn page_slug_taken_by_a_section() {
    Case {
        mistake: |s| {
            s.write("content/pages/timeline.md", ABOUT);
        },
        at: &["content/pages/timeline.md"],
        says: &["the page slug `timeline` is already used by brief's own /timeline/ page"],
        help: &["rename the file"],
        ..CONTENT_ERROR
    }
    .run();
}

/// Two points of one chart series, the first as a flow mapping, the second as a block.
const SERIES: &str = "\
- date: \"2031\"
  title: Visitors
  figure: {value: 10, unit: thousand visitors, series: visitors, label: Visitors}
- date: \"2032\"
  title: More visitors
  figure:
    value: 12
    unit: thousand visitors
    series: visitors
";

#[test]
fn chart_series_with_two_units() {
    Case {
        mistake: |s| {
            s.write(
                TIMELINE_YAML,
                format!("{TIMELINE}{}", SERIES.replace("unit: thousand visitors\n", "unit: visitors\n")),
            );
        },
        at: &["content/timeline.yaml:14:11"],
        says: &["the series `visitors` mixes units", "line 9 gives `thousand visitors`"],
        help: &["convert this value to thousand visitors"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn chart_series_with_two_units_in_flow_mappings() {
    Case {
        mistake: |s| {
            let second = "- date: \"2032\"\n  title: More\n  figure: {value: 12, unit: visitors, series: visitors}\n";
            s.write(
                TIMELINE_YAML,
                format!("{TIMELINE}{}{second}", &SERIES[..SERIES.find("- date: \"2032\"").unwrap()]),
            );
        },
        at: &["content/timeline.yaml:12:29"],
        says: &["the series `visitors` mixes units", "line 9 gives `thousand visitors`"],
        help: &["put it in another series"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn chart_series_with_two_labels() {
    Case {
        mistake: |s| {
            s.write(TIMELINE_YAML, format!("{TIMELINE}{SERIES}    label: Visitors a year\n"));
        },
        at: &["content/timeline.yaml:16:12"],
        says: &["the series `visitors` has two labels", "line 9 gives `Visitors`"],
        help: &["give the label once"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn chart_series_value_written_twice() {
    Case {
        mistake: |s| {
            s.write(TIMELINE_YAML, format!("{TIMELINE}{SERIES}"));
            s.edit(
                OPENING_MD,
                "topics: [trade]\n",
                "topics: [trade]\nfigures:\n  - {label: Visitors, value: 12, unit: thousand visitors, year: 2032, series: visitors}\n",
            );
        },
        at: &["content/announcements/opening.md:8:23"],
        says: &["the series `visitors` has two values for 2032", "content/timeline.yaml:10 gives 2032 a value too"],
        help: &["write each number once"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn chart_series_across_files_with_two_units() {
    Case {
        mistake: |s| {
            s.write(TIMELINE_YAML, format!("{TIMELINE}{SERIES}"));
            s.edit(
                OPENING_MD,
                "topics: [trade]\n",
                "topics: [trade]\nfigures:\n  - {label: Visitors, value: 14, unit: visitors, year: 2033, series: visitors}\n",
            );
        },
        at: &["content/announcements/opening.md:8:40"],
        says: &["the series `visitors` mixes units", "content/timeline.yaml:9 gives `thousand visitors`"],
        help: &["convert this value to thousand visitors"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn figure_of_a_series_without_a_year() {
    Case {
        mistake: |s| {
            s.edit(
                OPENING_MD,
                "topics: [trade]\n",
                "topics: [trade]\nfigures:\n  - {label: Visitors, value: 14, unit: visitors, series: visitors}\n",
            );
        },
        at: &["content/announcements/opening.md:8:58"],
        says: &["a figure of a series needs its year"],
        help: &["give the year the figure is for"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn person_both_speaking_and_mentioned() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "speakers: [jane-doe]\n", "speakers: [jane-doe]\nmentions: [jane-doe]\n");
        },
        at: &["content/announcements/opening.md:6:12"],
        says: &["`jane-doe` is both a speaker and mentioned"],
        help: &["list a person once"],
        ..CONTENT_ERROR
    }
    .run();
}
