//! One mistake at a time in an otherwise valid briefing: `brief build` must fail with the right
//! exit code, point at the right `file:line:col`, say what is wrong and how to fix it, not panic,
//! and leave the previous output exactly as it was.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{Run, Site};

// The files most cases break, written out here so that every expected line and column below can
// be checked by eye against the text. `base()` puts them over the starter's own.

const SITE_YAML: &str = "content/site.yaml";
const SITE: &str = "\
title: Example Expo Briefing
description: What was announced at the Example Expo.
base_url: https://example.org/
language: en
event:
  name: Example Expo 2030
  city: Example City
  start: 2030-05-14
  end: 2030-05-16
";

const OPENING_MD: &str = "content/announcements/opening.md";
const OPENING: &str = "\
---
title: The Example Expo opens
date: 2030-05-14
summary: The organisers opened the expo.
speakers: [jane-doe]
topics: [trade]
---

The organisers opened the expo.

## What happens next
";

const ABOUT_MD: &str = "content/pages/about.md";
/// Cases that add a link append it as line 6.
const ABOUT: &str = "\
---
title: About this briefing
---

This briefing was made with brief.
";

const TIMELINE_YAML: &str = "content/timeline.yaml";
const TIMELINE: &str = "\
- date: \"2028\"
  title: The expo is first proposed
- date: \"2030-05-14\"
  title: The expo opens
  announcement: opening
  speakers: [jane-doe]
";

const PAGE_HTML: &str = "templates/page.html";
const PAGE: &str = "\
{% extends \"base.html\" %}
{% block main %}
<h1>{{ page.title }}</h1>
{{ page.content | safe }}
{% endblock %}
";

/// The starter with the files above in place of its own.
fn base() -> Site {
    let site = Site::starter();
    site.write(SITE_YAML, SITE)
        .write(OPENING_MD, OPENING)
        .write(ABOUT_MD, ABOUT)
        .write(TIMELINE_YAML, TIMELINE)
        .write(PAGE_HTML, PAGE);
    site
}

/// One bad input and what brief must say about it.
struct Case {
    /// Introduces the mistake into a site that has just been built.
    mistake: fn(&Site),
    /// `--out` for the build, when not the default.
    out: Option<fn(&Site) -> PathBuf>,
    /// The exit code: 1 for mistakes in the content or templates, 2 for refused commands.
    code: i32,
    /// Every location reported, in the order printed: `file:line:col`, or `file` alone.
    at: &'static [&'static str],
    /// Words of the message.
    says: &'static [&'static str],
    /// Words that must be on a `help:` line.
    help: &'static [&'static str],
    /// Whether `brief check` must report the same.
    check: bool,
    /// How long the build may take before it counts as hung and is killed: a guard against
    /// hangs, generous enough for a debug build on a busy machine, not a measure of speed.
    limit: Duration,
}

/// The defaults of a case: a mistake in the content or templates (exit 1).
const CONTENT_ERROR: Case = Case {
    mistake: |_| {},
    out: None,
    code: 1,
    at: &[],
    says: &[],
    help: &[],
    check: false,
    limit: Duration::from_secs(60),
};

/// Runs `brief <args> --root ROOT`, killing it and failing the test if it has not finished
/// within `limit`.
fn run_within(site: &Site, args: &[&str], limit: Duration) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let (out, err) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut child = common::brief()
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("brief {args:?} did not finish within {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |p: &PathBuf| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Run { code: status.code().unwrap_or(-1), stdout: read(&out), stderr: read(&err) }
}

/// Neither a panic nor a stack overflow (which kills the process with a signal).
fn no_crash(run: &Run) {
    let err = &run.stderr;
    assert!(
        !err.contains("panicked") && !err.contains("overflowed its stack") && run.code != 101,
        "brief crashed:\n{err}"
    );
    assert!(run.code >= 0, "brief was killed by a signal:\n{err}");
}

impl Case {
    /// Builds once, breaks the site, builds again and checks everything; returns the site and the
    /// failed run for checks particular to a case.
    fn run(self) -> (Site, Run) {
        let site = base();
        site.build().ok();
        let before = site.output();
        assert!(before.contains_key("index.html"), "the first build wrote no index.html");

        (self.mistake)(&site);
        let run = match self.out {
            Some(out) => run_within(&site, &["build", "--out", out(&site).to_str().unwrap()], self.limit),
            None => run_within(&site, &["build"], self.limit),
        };
        self.expect(&run, "build");
        same_output(&before, &site.output());
        let leftovers: Vec<String> = std::fs::read_dir(site.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.") && n != ".public.brief-output")
            .collect();
        assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");

        if self.check {
            let check = run_within(&site, &["check"], self.limit);
            self.expect(&check, "check");
            same_output(&before, &site.output());
        }
        (site, run)
    }

    fn expect(&self, run: &Run, command: &str) {
        let err = &run.stderr;
        assert!(!err.contains("panicked") && run.code != 101, "brief {command} panicked:\n{err}");
        no_crash(run);
        assert_eq!(run.code, self.code, "exit code of brief {command}:\n{err}");
        assert_eq!(locations(err), self.at, "locations reported by brief {command}:\n{err}");
        for words in self.says {
            assert!(err.contains(words), "brief {command} does not say {words:?}:\n{err}");
        }
        let help: Vec<&str> = err.lines().filter(|l| l.trim_start().starts_with("= help: ")).collect();
        for words in self.help {
            assert!(help.iter().any(|l| l.contains(words)), "no help line of brief {command} says {words:?}:\n{err}");
        }
        if self.code == 1 {
            assert!(!help.is_empty(), "brief {command} gives no help:\n{err}");
            let n = self.at.len();
            let total = format!("the site has {n} problem{}; nothing was written", if n == 1 { "" } else { "s" });
            assert!(err.contains(&total), "brief {command} does not say {total:?}:\n{err}");
        }
    }
}

/// The `file:line:col` (or `file`) of every diagnostic in `stderr`, in order.
fn locations(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("┌─ ").or_else(|| l.strip_prefix("--> "))
        })
        .map(str::trim_end)
        .collect()
}

fn same_output(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) {
    let changed: Vec<&String> = before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
    assert!(changed.is_empty(), "the previous output changed: {changed:?}");
}

#[test]
fn the_texts_above_build() {
    let site = base();
    site.build().ok();
    site.run(&["check"]).ok();
}

// --- YAML ---------------------------------------------------------------------------------------

#[test]
fn malformed_yaml_in_front_matter() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "summary: The organisers opened", "summary: The organisers: opened");
        },
        at: &["content/announcements/opening.md:4:24"],
        says: &["invalid YAML", "mapping values are not allowed"],
        help: &["quote values that contain `: `"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn malformed_yaml_in_site_yaml() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "description: What was", "description: Announced: what was");
        },
        at: &["content/site.yaml:2:23"],
        says: &["invalid YAML", "mapping values are not allowed"],
        help: &["quote values that contain `: `"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unclosed_bracket_in_front_matter() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title: The Example Expo opens", "title: [unclosed");
        },
        at: &["content/announcements/opening.md:2:8"],
        says: &["invalid YAML"],
        help: &["unclosed quote or bracket"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unclosed_quote_in_front_matter() {
    let (_, run) = Case {
        mistake: |s| {
            s.edit(OPENING_MD, "date: 2030-05-14", "date: \"2030-05-14");
        },
        at: &["content/announcements/opening.md:3:7"],
        says: &["invalid YAML", "quoted scalar"],
        help: &["unclosed quote"],
        ..CONTENT_ERROR
    }
    .run();
    assert!(!run.stderr.contains(" at line "), "{}", run.stderr);
}

#[test]
fn repeated_key_in_front_matter() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "speakers:", "title: Again\nspeakers:");
        },
        at: &["content/announcements/opening.md:5:1"],
        says: &["duplicate field `title`"],
        help: &["keep only one"],
        ..CONTENT_ERROR
    }
    .run();
}

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

#[test]
fn number_where_a_list_is_wanted() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "speakers: [jane-doe]", "speakers: 5");
        },
        at: &["content/announcements/opening.md:5:11"],
        says: &["speakers: invalid type: integer `5`, expected a sequence"],
        help: &["change the value"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn list_where_text_is_wanted() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title: The Example Expo opens", "title: [a, b]");
        },
        at: &["content/announcements/opening.md:2:8"],
        says: &["title: invalid type: sequence, expected a string"],
        help: &["change the value"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_field() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title:", "titel:");
        },
        at: &["content/announcements/opening.md:2:1"],
        says: &["unknown field `titel`"],
        help: &[
            "did you mean `title`?",
            "known fields: title, date, summary, speakers, topics, source, figures, draft",
        ],
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
fn tab_used_for_indentation_in_site_yaml() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "  city:", "\tcity:");
        },
        at: &["content/site.yaml:7:1"],
        says: &["invalid YAML: a tab is used for indentation"],
        help: &["YAML does not allow tabs for indentation: indent with spaces"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn tab_before_a_top_level_key() {
    Case {
        mistake: |s| {
            s.edit(SITE_YAML, "language:", "\tlanguage:");
        },
        at: &["content/site.yaml:4:1"],
        says: &["a tab is used for indentation"],
        help: &["indent with spaces"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn duplicate_key_in_topics_yaml() {
    Case {
        mistake: |s| {
            s.write(
                "content/topics.yaml",
                "trade:\n  title: Trade\nenergy:\n  title: Energy\ntrade:\n  title: Trade again\n",
            );
        },
        at: &["content/topics.yaml:5:1"],
        says: &["duplicate entry with key `trade`"],
        help: &["keep only one `trade:` line"],
        check: true,
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

/// 10,000 levels of `[` in a value: refused before the YAML parser sees it (which slows down with
/// the square of the depth: 8 s for this value in a debug build before the limit).
#[test]
fn deeply_nested_yaml() {
    let (_, run) = Case {
        mistake: |s| {
            let deep = format!("title: {}{}", "[".repeat(10_000), "]".repeat(10_000));
            s.edit(OPENING_MD, "title: The Example Expo opens", &deep);
        },
        at: &["content/announcements/opening.md:2:108"],
        says: &["invalid YAML: lists or mappings nested more than 100 levels deep"],
        help: &["`[` or `{` that are never closed"],
        limit: Duration::from_secs(10),
        ..CONTENT_ERROR
    }
    .run();
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    // The 20,000-character line is not printed whole.
    assert!(run.stderr.len() < 2_000, "{} bytes of messages:\n{}", run.stderr.len(), run.stderr);
}

#[test]
fn deeply_nested_unclosed_yaml() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "title: The Example Expo opens", &format!("title: {}", "[".repeat(10_000)));
        },
        at: &["content/announcements/opening.md:2:108"],
        says: &["nested more than 100 levels deep"],
        help: &["never closed"],
        limit: Duration::from_secs(10),
        ..CONTENT_ERROR
    }
    .run();
}

/// Billion laughs: nine levels of nine aliases would be 387 million strings.
#[test]
fn yaml_alias_bomb() {
    Case {
        mistake: |s| {
            let mut bomb = String::from("lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
            for (name, prev) in
                ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
            {
                bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 9].join(", ")));
            }
            bomb.push_str("speakers: *i\n");
            s.edit(OPENING_MD, "speakers: [jane-doe]\n", &bomb);
        },
        at: &["content/announcements/opening.md:6:8"],
        says: &["YAML aliases are not allowed: `*a` repeats the value marked `&a`"],
        help: &["write the value out in full"],
        check: true,
        limit: Duration::from_secs(10),
        ..CONTENT_ERROR
    }
    .run();
}

// --- Dates and settings -------------------------------------------------------------------------

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
        help: &["YYYY-MM-DD, for example"],
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

// --- References ---------------------------------------------------------------------------------

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
        limit: Duration::from_secs(10),
        ..CONTENT_ERROR
    }
    .run();
}

/// Twenty thousand different unknown speakers: the first 50 in full, the rest counted, at once.
#[test]
fn thousands_of_unknown_speakers_show_fifty_and_count_the_rest() {
    let site = base();
    site.build().ok();
    let before = site.output();
    let list: Vec<String> = (0..20_000).map(|i| format!("nobody-{i:05}")).collect();
    site.edit(OPENING_MD, "[jane-doe]", &format!("[{}]", list.join(", ")));
    let run = run_within(&site, &["build"], Duration::from_secs(10));
    no_crash(&run);
    let err = &run.stderr;
    assert_eq!(run.code, 1, "{err}");
    let at = locations(err);
    assert_eq!(at.len(), 50, "{at:?}");
    // `speakers: [` is 11 characters, each name and its `, ` 14.
    assert_eq!(at[0], "content/announcements/opening.md:5:12");
    assert_eq!(at[49], format!("content/announcements/opening.md:5:{}", 12 + 49 * 14));
    let rest = format!("19950 × unknown speaker `…` (first at content/announcements/opening.md:5:{})", 12 + 50 * 14);
    assert!(err.contains("note: 19950 more problems, not shown in full:") && err.contains(&rest), "{err}");
    assert!(err.contains("the site has 20000 problems; nothing was written"), "{err}");
    same_output(&before, &site.output());
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

// --- Links --------------------------------------------------------------------------------------

#[test]
fn broken_internal_link() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}See [x](/speakers/jane-do/).\n"));
        },
        at: &["content/pages/about.md:6:5"],
        says: &["broken link", "nothing is published at `/speakers/jane-do/`"],
        help: &["did you mean `/speakers/jane-doe/`?"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn broken_anchor() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}See [x](/announcements/opening/#what-happens-nxt).\n"));
        },
        at: &["content/pages/about.md:6:5"],
        says: &["broken anchor", "`/announcements/opening/` has no element with id `what-happens-nxt`"],
        help: &["did you mean `#what-happens-next`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn broken_link_in_timeline_body() {
    Case {
        mistake: |s| {
            s.write(TIMELINE_YAML, format!("{TIMELINE}  body: See [x](/speakers/jane-do/).\n"));
        },
        // The link itself, inside the YAML string, as in a Markdown file.
        at: &["content/timeline.yaml:7:13"],
        says: &["broken link", "`/speakers/jane-do/`"],
        help: &["did you mean `/speakers/jane-doe/`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn javascript_link() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}See [x](javascript:alert(1)).\n"));
        },
        at: &["content/pages/about.md:6:5"],
        says: &["a link to a javascript: URL is not allowed in Markdown"],
        help: &["https://"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn raw_script_in_markdown() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}Read <script>alert(1)</script> this.\n"));
        },
        at: &["content/pages/about.md:6:6"],
        says: &["raw HTML with a <script> element is not allowed in Markdown"],
        help: &["markup only"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn event_handler_in_raw_html() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}<img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\">\n"));
        },
        at: &["content/pages/about.md:6:1"],
        says: &["event handler attribute (onerror=)"],
        help: &["markup only"],
        ..CONTENT_ERROR
    }
    .run();
}

// --- Templates ----------------------------------------------------------------------------------

#[test]
fn template_syntax_error() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ page.title }");
        },
        at: &["templates/page.html:3:19"],
        says: &["expected }}"],
        help: &["every `{{` needs `}}`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn undefined_variable_in_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ nope }}");
        },
        at: &["templates/page.html:3:8"],
        says: &["Variable `nope` is not defined", "while rendering /about/"],
        help: &["check the spelling"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_filter() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ page.title | shout }}");
        },
        at: &["templates/page.html:3:21"],
        says: &["Unknown filter `shout`"],
        help: &["check the filter's name"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_function() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ link(path=\"/\") }}");
        },
        at: &["templates/page.html:3:8"],
        says: &["Unknown function `link`"],
        help: &["`url(path=...)`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn include_of_a_missing_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "<h1>{{ page.title }}</h1>", "{% include \"partials/nope.html\" %}");
        },
        at: &["templates/page.html:3:12"],
        says: &["Unknown template `partials/nope.html`"],
        help: &["names are paths under templates/"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn extends_a_missing_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "\"base.html\"", "\"bsae.html\"");
        },
        at: &["templates/page.html:1:12"],
        says: &["`page.html` extends `bsae.html`, which does not exist"],
        help: &["create templates/bsae.html"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn include_cycle() {
    Case {
        mistake: |s| {
            s.write("templates/partials/a.html", "<p>\n{% include \"partials/b.html\" %}\n");
            s.write("templates/partials/b.html", "{% include \"partials/a.html\" %}\n");
        },
        at: &["templates/partials/a.html:2:12"],
        says: &["templates include each other in a loop: partials/a.html → partials/b.html → partials/a.html"],
        help: &["remove one `include` of the loop"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn template_that_includes_itself() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "<h1>{{ page.title }}</h1>", "{% include \"page.html\" %}");
        },
        at: &["templates/page.html:3:12"],
        says: &["the template `page.html` includes itself"],
        help: &["remove `{% include \"page.html\" %}` from templates/page.html"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn missing_required_template() {
    Case {
        mistake: |s| {
            s.remove("templates/topic.html");
        },
        at: &["templates/topic.html"],
        says: &["the template templates/topic.html is missing"],
        help: &["brief new DIR"],
        ..CONTENT_ERROR
    }
    .run();
}

// --- Files --------------------------------------------------------------------------------------

#[test]
fn file_that_is_not_utf8() {
    Case {
        mistake: |s| {
            let (head, tail) = OPENING.split_once("opens").unwrap();
            s.write(OPENING_MD, [head.as_bytes(), b"\xff", tail.as_bytes()].concat());
        },
        at: &["content/announcements/opening.md:2:25"],
        says: &["this file is not valid UTF-8 text"],
        help: &["UTF-8 encoding"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
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
fn missing_site_yaml() {
    Case {
        mistake: |s| {
            s.remove(SITE_YAML);
        },
        at: &["content/site.yaml"],
        says: &["the site settings file content/site.yaml is missing"],
        help: &["`base_url`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn missing_content_folder() {
    Case {
        mistake: |s| {
            s.remove("content");
        },
        at: &["content/"],
        says: &["there is no content/ directory"],
        help: &["--root DIR"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unexpected_file_in_content() {
    Case {
        mistake: |s| {
            s.write("content/notes.txt", "remember the milk\n");
        },
        at: &["content/notes.txt"],
        says: &["brief does not know what this file is"],
        help: &["images and other files go in static/"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn file_name_that_is_not_a_slug() {
    Case {
        mistake: |s| {
            let text = s.read("content/speakers/jane-doe.md");
            s.remove("content/speakers/jane-doe.md").write("content/speakers/Jane Doe.md", text);
        },
        at: &["content/speakers/Jane Doe.md"],
        says: &["the file name `Jane Doe.md` cannot be used as a slug"],
        help: &["for example `jane-doe`"],
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

#[cfg(unix)]
#[test]
fn symbolic_link_loop_under_content() {
    Case {
        mistake: |s| {
            std::os::unix::fs::symlink("..", s.root().join("content/announcements/loop")).unwrap();
        },
        at: &["content/announcements/loop"],
        says: &["this symbolic link points back at a folder that contains it"],
        help: &["remove the link"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn file_name_in_a_non_latin_script() {
    Case {
        mistake: |s| {
            let text = s.read("content/speakers/jane-doe.md");
            s.remove("content/speakers/jane-doe.md").write("content/speakers/苏波.md", text);
        },
        at: &["content/speakers/苏波.md"],
        says: &["the file name `苏波.md` cannot be used as a slug"],
        help: &[
            "only lowercase a-z, digits and single hyphens",
            "names in any script go in the fields inside the file",
        ],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

/// Running as root, permissions cannot make a file unreadable; a link to nothing can.
#[cfg(unix)]
#[test]
fn unreadable_file() {
    Case {
        mistake: |s| {
            std::os::unix::fs::symlink("/nonexistent", s.root().join("content/speakers/ghost.md")).unwrap();
        },
        at: &["content/speakers/ghost.md"],
        says: &["cannot read this file: it is a symbolic link to /nonexistent, which does not exist"],
        help: &["remove the link, or point it at a file that exists"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

// --- Several mistakes at once -------------------------------------------------------------------

#[test]
fn every_broken_file_is_reported() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "[jane-doe]", "[jane-do]");
            s.edit(ABOUT_MD, "title:", "titel:");
        },
        at: &["content/announcements/opening.md:5:12", "content/pages/about.md:2:1"],
        says: &["unknown speaker `jane-do`", "unknown field `titel`"],
        help: &["did you mean `jane-doe`?", "did you mean `title`?"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn content_and_template_mistakes_are_reported_together() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "[jane-doe]", "[jane-do]");
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ page.title }");
        },
        at: &["content/announcements/opening.md:5:12", "templates/page.html:3:19"],
        says: &["unknown speaker `jane-do`", "expected }}"],
        help: &["did you mean `jane-doe`?", "every `{{` needs `}}`"],
        ..CONTENT_ERROR
    }
    .run();
}

// --- Line endings and byte-order marks ----------------------------------------------------------

#[test]
fn crlf_file_with_a_mistake_is_located_right() {
    Case {
        mistake: |s| {
            s.write(OPENING_MD, OPENING.replace("[jane-doe]", "[jane-do]").replace('\n', "\r\n"));
        },
        at: &["content/announcements/opening.md:5:12"],
        says: &["unknown speaker `jane-do`"],
        help: &["did you mean `jane-doe`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn byte_order_mark_does_not_shift_columns() {
    Case {
        mistake: |s| {
            s.write(SITE_YAML, format!("\u{feff}{}", SITE.replace("title:", "titel:")));
        },
        at: &["content/site.yaml:1:1"],
        says: &["unknown field `titel`"],
        help: &["did you mean `title`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn crlf_line_endings_build() {
    let site = base();
    site.write(OPENING_MD, OPENING.replace('\n', "\r\n"))
        .write(TIMELINE_YAML, TIMELINE.replace('\n', "\r\n"))
        .write(SITE_YAML, SITE.replace('\n', "\r\n"));
    site.build().ok();
    let page = site.read("public/announcements/opening/index.html");
    assert!(page.contains("<h1>The Example Expo opens</h1>"), "{page}");
    assert!(page.contains("id=\"what-happens-next\""), "{page}");
}

#[test]
fn byte_order_marks_build() {
    let site = base();
    site.write(OPENING_MD, format!("\u{feff}{OPENING}"))
        .write(SITE_YAML, format!("\u{feff}{SITE}"))
        .write(PAGE_HTML, format!("\u{feff}{PAGE}"));
    site.build().ok();
    let page = site.read("public/announcements/opening/index.html");
    assert!(page.contains("<h1>The Example Expo opens</h1>"), "{page}");
    let about = site.read("public/about/index.html");
    assert!(about.contains("<h1>About this briefing</h1>") && !about.contains('\u{feff}'), "{about}");
}

// --- Large and deep inputs that must build ------------------------------------------------------

/// 50 MB of Markdown in one page builds; the file and the output are gone when the test ends.
#[test]
fn very_large_page_builds() {
    use std::io::Write;
    const PARA: &[u8] =
        b"A paragraph with *emphasis*, a [link](https://example.org/) and words to fill a line of text.\n\n";
    let paragraphs = 50_000_000 / PARA.len() + 1;
    let site = base();
    {
        let file = std::fs::File::create(site.root().join(ABOUT_MD)).unwrap();
        let mut w = std::io::BufWriter::new(file);
        w.write_all(b"---\ntitle: About this briefing\n---\n\n").unwrap();
        for _ in 0..paragraphs {
            w.write_all(PARA).unwrap();
        }
        w.write_all(b"The last paragraph.\n").unwrap();
        w.flush().unwrap();
    }
    assert!(std::fs::metadata(site.root().join(ABOUT_MD)).unwrap().len() >= 50_000_000);
    let run = run_within(&site, &["build"], Duration::from_secs(300));
    no_crash(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.public().join("about/index.html");
    assert!(std::fs::metadata(&page).unwrap().len() > 50_000_000);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<p>The last paragraph.</p>"));
    assert_eq!(html.matches("<em>emphasis</em>").count(), paragraphs);
}

/// 10,000 levels of `>` build: pulldown-cmark nests without recursion.
#[test]
fn deeply_nested_blockquotes_build() {
    let site = base();
    site.write(ABOUT_MD, format!("{ABOUT}\n{} deep\n", ">".repeat(10_000)));
    let run = run_within(&site, &["build"], Duration::from_secs(60));
    no_crash(&run);
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/about/index.html");
    assert_eq!(html.matches("<blockquote>").count(), 10_000);
}

/// A list nested 3,000 levels deep builds.
#[test]
fn deeply_nested_list_builds() {
    let site = base();
    let list: String = (0..3_000).map(|i| format!("{}- item {i}\n", "  ".repeat(i))).collect();
    site.write(ABOUT_MD, format!("{ABOUT}\n{list}"));
    let run = run_within(&site, &["build"], Duration::from_secs(60));
    no_crash(&run);
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/about/index.html");
    assert!(html.contains("<li>item 2999</li>"));
    assert!(html.matches("<ul>").count() >= 3_000);
}

// --- Refused output folders (exit 2) ------------------------------------------------------------

/// The folder as brief prints it (with links followed).
fn shown(path: PathBuf) -> String {
    std::fs::canonicalize(path).unwrap().display().to_string()
}

#[test]
fn output_folder_is_the_site_root() {
    let (site, run) = Case {
        out: Some(|s| s.root()),
        code: 2,
        says: &["refusing to write the site into its own root", "--out public"],
        ..CONTENT_ERROR
    }
    .run();
    let root = shown(site.root());
    assert!(run.stderr.contains(&format!("own root {root}:")), "{}", run.stderr);
}

#[test]
fn output_folder_inside_content() {
    Case {
        out: Some(|s| s.root().join("content/out")),
        code: 2,
        says: &["it is inside the site's content/ folder", "choose another --out"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn output_folder_brief_did_not_create() {
    let (site, run) = Case {
        mistake: |s| {
            s.write("mine/notes.txt", "my own notes\n").write("mine/deep/er.txt", "more\n");
        },
        out: Some(|s| s.root().join("mine")),
        code: 2,
        says: &["it is not empty and brief did not create it", ".brief-output", "choose another --out"],
        ..CONTENT_ERROR
    }
    .run();
    let mine = site.root().join("mine");
    assert!(run.stderr.contains(&format!("refusing to replace {}:", shown(mine.clone()))), "{}", run.stderr);
    let left = common::tree(&mine);
    let expected: BTreeMap<String, Vec<u8>> = [("deep/er.txt", "more\n"), ("notes.txt", "my own notes\n")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    assert_eq!(left, expected);
}
