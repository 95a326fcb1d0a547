//! One mistake at a time in an otherwise valid briefing: `brief build` must fail with the right
//! exit code, point at the right `file:line:col`, say what is wrong and how to fix it, not panic,
//! and leave the previous output exactly as it was. The whole of what it prints is snapshotted
//! (`snapshots/AREA__TEST.snap`), so that a change of wording or layout shows in review.
//!
//! This file is the harness; each module is one area of mistakes. brief is run the way a user
//! types it: from inside the site folder, with no `--root`.

#[path = "../common/mod.rs"]
mod common;

mod dates;
mod embargo;
mod fields;
mod files;
mod languages;
mod large;
mod links;
mod order;
mod output;
mod references;
mod several;
mod sources;
mod templates;
mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Run, Site};

// The files most cases break, written out here so that every expected line and column of the area
// modules can be checked by eye against the text. `base()` puts them over the starter's own.

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

/// How long one run of brief may take before it counts as hung and is killed. This is a hang
/// guard, not a measure of speed: it is set for a debug build on a busy 2-core machine, so that
/// it only catches a run that would never end (a loop, a parser gone quadratic on a huge input),
/// and no test asserts anything else about time.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// How brief is told where the site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    /// As a user types it: from inside the site folder, with no `--root`.
    Here,
    /// From the folder above the site, with `--root site`.
    Relative,
    /// With `--root` and the site's absolute path, from the test's own folder (the `--out`
    /// cases, which test `--out` itself and are left as they were).
    Absolute,
}

/// One bad input and what brief must say about it.
struct Case {
    /// Introduces the mistake into a site that has just been built.
    mistake: fn(&Site),
    /// `--out` for the build, when not the default.
    out: Option<fn(&Site) -> PathBuf>,
    /// How brief is told where the site is.
    root: Root,
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
}

/// The defaults of a case: a mistake in the content or templates (exit 1).
const CONTENT_ERROR: Case =
    Case { mistake: |_| {}, out: None, root: Root::Here, code: 1, at: &[], says: &[], help: &[], check: false };

/// The command line of `brief <args>` for `root`, and the folder it is run from (`None`: the
/// test's own).
fn command_line(site: &Site, root: Root, args: &[&str]) -> (Vec<String>, Option<PathBuf>) {
    let mut line: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let site_root = site.root();
    match root {
        Root::Here => (line, Some(site_root)),
        Root::Relative => {
            let name = site_root.file_name().unwrap().to_str().unwrap().to_string();
            line.extend(["--root".to_string(), name]);
            (line, Some(site_root.parent().unwrap().to_path_buf()))
        }
        Root::Absolute => {
            line.extend(["--root".to_string(), site_root.to_str().unwrap().to_string()]);
            (line, None)
        }
    }
}

/// Runs `brief <args>` on the site, told where it is as `root` says, killing it and failing the
/// test if it has not finished within [`HANG_GUARD`].
fn run_within(site: &Site, root: Root, args: &[&str]) -> Run {
    let logs = tempfile::tempdir().unwrap();
    let (out, err) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let (line, folder) = command_line(site, root, args);
    let mut command = common::brief();
    command.args(&line);
    if let Some(folder) = folder {
        command.current_dir(folder);
    }
    let mut child = command
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG_GUARD {
            child.kill().ok();
            child.wait().ok();
            panic!("brief {line:?} did not finish within {HANG_GUARD:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |p: &PathBuf| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Run { code: status.code().unwrap_or(-1), stdout: read(&out), stderr: read(&err) }
}

/// `brief build`, from inside the site folder.
fn build(site: &Site) -> Run {
    run_within(site, Root::Here, &["build"])
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
    /// Builds once, breaks the site, builds again, checks everything and snapshots what the
    /// failed build printed; returns the site and the failed run for checks particular to a case.
    fn run(self) -> (Site, Run) {
        let site = base();
        run_within(&site, self.root, &["build"]).ok();
        let before = site.output();
        assert!(before.contains_key("index.html"), "the first build wrote no index.html");

        (self.mistake)(&site);
        let out = self.out.map(|out| out(&site).to_str().unwrap().to_string());
        let args: Vec<&str> = match &out {
            Some(out) => vec!["build", "--out", out],
            None => vec!["build"],
        };
        let run = run_within(&site, self.root, &args);
        self.expect(&run, "build");
        same_output(&before, &site.output());
        let leftovers: Vec<String> = std::fs::read_dir(site.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.") && n != ".public.brief-output")
            .collect();
        assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
        snapshot(&site, self.root, &args, &run);

        if self.check {
            let check = run_within(&site, self.root, &["check"]);
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

/// `text` with the site's temporary folder written `[SITE]` (and the folder holding it `[TMP]`),
/// as given and with links followed, so that a snapshot does not depend on where it ran.
fn redact(site: &Site, text: &str) -> String {
    let root = site.root();
    let tmp = root.parent().unwrap().to_path_buf();
    let mut text = text.to_string();
    // The root before the folder that holds it.
    for (path, name) in [(&root, "[SITE]"), (&tmp, "[TMP]")] {
        let mut forms = [std::fs::canonicalize(path).unwrap().display().to_string(), path.display().to_string()];
        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
        for form in forms {
            text = text.replace(&form, name);
        }
    }
    text
}

/// The name of the running test, `AREA__TEST` (libtest runs each test on a thread named after it,
/// `area::test`).
fn test_name() -> String {
    let thread = std::thread::current();
    let name = thread.name().filter(|n| *n != "main").expect("run by libtest, on a thread named after the test");
    name.replace("::", "__")
}

/// Snapshots the whole stderr of `brief <args>` (which printed `run`), with temporary paths
/// redacted, as `snapshots/AREA__TEST.snap`. A failed run prints no timings, so nothing else needs
/// masking. Cases call it only once their own assertions have passed, so that a wrong report is
/// never recorded as the expected one.
fn snapshot(site: &Site, root: Root, args: &[&str], run: &Run) {
    let (line, folder) = command_line(site, root, args);
    let folder = folder.map_or(String::new(), |f| format!("cd {} && ", f.display()));
    let description = redact(site, &format!("{folder}brief {}  # exit {}", line.join(" "), run.code));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(description);
    settings.bind(|| insta::assert_snapshot!(test_name(), redact(site, &run.stderr)));
}

/// The folder as brief prints it (with links followed).
fn shown(path: &Path) -> String {
    std::fs::canonicalize(path).unwrap().display().to_string()
}

#[test]
fn the_texts_above_build() {
    let site = base();
    build(&site).ok();
    run_within(&site, Root::Here, &["check"]).ok();
}
