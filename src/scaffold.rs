//! `brief new KIND TITLE`: one new item of content, written from an archetype.
//!
//! An archetype is the text of a new file with every field its kind has, each with a comment
//! saying what it is for. brief has one per kind; a site can keep its own in
//! `archetypes/<kind>.md` (`archetypes/timeline.yaml` for a timeline entry), which then wins. In an
//! archetype, `{{title}}`, `{{date}}` and `{{slug}}` stand for the new item's title (as a quoted
//! YAML string), its date (`YYYY-MM-DD`) and its slug. Announcements, speakers and pages get a
//! file of their own, named by the slug that the title gives (the site's rule for file names in
//! any script, `content::doc::slug_from_name`); a timeline entry is appended to
//! `content/timeline.yaml`, whose other lines stay as they were. Nothing is overwritten.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::build::Error;
use crate::content::doc::slug_from_name;

/// The folder of a site's own archetypes, beside `content/`.
pub const DIR: &str = "archetypes";

/// What `brief new` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Announcement,
    Speaker,
    Page,
    Timeline,
}

impl Kind {
    /// The kind a word names (`announcement`, `speaker`, `page`, `timeline`).
    pub fn parse(word: &str) -> Option<Kind> {
        match word {
            "announcement" => Some(Kind::Announcement),
            "speaker" => Some(Kind::Speaker),
            "page" => Some(Kind::Page),
            "timeline" => Some(Kind::Timeline),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Announcement => "announcement",
            Kind::Speaker => "speaker",
            Kind::Page => "page",
            Kind::Timeline => "timeline",
        }
    }

    /// The site's archetype for this kind, relative to the root.
    fn archetype(self) -> PathBuf {
        let ext = if self == Kind::Timeline { "yaml" } else { "md" };
        Path::new(DIR).join(format!("{}.{ext}", self.name()))
    }

    /// brief's own archetype.
    fn builtin(self) -> &'static str {
        match self {
            Kind::Announcement => ANNOUNCEMENT,
            Kind::Speaker => SPEAKER,
            Kind::Page => PAGE,
            Kind::Timeline => TIMELINE,
        }
    }
}

const ANNOUNCEMENT: &str = r#"---
# The headline, as the page, the lists and the feed show it.
title: {{title}}
# When it was announced: a day (YYYY-MM-DD), or only a month (YYYY-MM) or a year (YYYY) when the
# source says no more.
date: {{date}}
# One or two sentences for the lists, the feed and link previews.
summary: "What was announced, in a sentence."
# Who announced it: the slugs of files in content/speakers/ (their file names).
speakers: []
# What it is about: slugs of content/topics.yaml.
topics: []
# What it is taken from: ids of content/sources.yaml, each optionally with where in the source
# (remove the # of these lines to use them).
# sources:
#   - {id: "agency-report", locator: "paragraph 2"}
# Numbers to chart: each with its label, value, unit and year.
# figures:
#   - label: "Trade"
#     value: 1.5
#     unit: "billion USD"
#     year: 2012
# true keeps it out of the published site (and `brief build`) until you set it to false.
draft: true
# Or keep it out until a moment, with its time zone (remove the #): see docs/content.md, "Embargoes".
# embargo: 2030-05-14T10:00:00+07:00
# A picture at the top of the page and in link previews: a JPEG or PNG beside this file (or under
# static/, from `/`), what it shows for readers who cannot see it, and whose it is.
# image:
#   src: picture.jpg
#   alt: "What the picture shows."
#   credit: "Photographer / Agency"
---

Write what was announced, who said it and what it changes, in Markdown.
"#;

const SPEAKER: &str = r#"---
# The name, as the speaker writes it.
name: {{title}}
# The role, as the source gives it, at the time of the event.
role: ""
# The organisation the role is in.
organization: ""
# The country the speaker represents.
country: ""
# A photo, shown instead of the initials: a JPEG or PNG beside this file (or under static/, from
# `/`), what it shows for readers who cannot see it, and whose it is (remove the #).
# photo:
#   src: {{slug}}.jpg
#   alt: "Who is in the photo, and where (at the opening ceremony)."
#   credit: "Photographer / Agency"
---

Who the speaker is, in a few sentences of Markdown.
"#;

const PAGE: &str = r#"---
# The page's title; it is also the link in the footer.
title: {{title}}
# One sentence for search engines and link previews.
description: ""
---

The page, in Markdown.
"#;

const TIMELINE: &str = r#"
# {{title}}
- date: "{{date}}"            # a day, or only a month (YYYY-MM) or a year (YYYY)
  title: {{title}}
  # id: {{slug}}              # the key translations (timeline.<code>.yaml) name it by
  # body: "More, in Markdown."
  # announcement: slug        # an announcement it links to
  # speakers: []              # slugs of content/speakers/
"#;

/// What `brief new` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The file written or appended to, relative to the root.
    pub path: PathBuf,
    /// The new item's slug.
    pub slug: String,
}

/// Writes a new item of `kind` titled `title` and dated `date` into the site at `root`.
pub fn create(root: &Path, kind: Kind, title: &str, date: NaiveDate) -> Result<Created, Error> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::Usage(
            "give the new item a title, such as `brief new announcement \"The expo opens\"`".into(),
        ));
    }
    let slug = slug_from_name(title).ok_or_else(|| {
        Error::Usage(format!("`{title}` gives no slug: write a title with a letter or a digit in it"))
    })?;
    if !root.join("content").is_dir() {
        return Err(Error::Usage(format!(
            "{} has no content/ folder: run brief new inside a briefing's folder, or give --root",
            root.display()
        )));
    }
    let archetype = match std::fs::read_to_string(root.join(kind.archetype())) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => kind.builtin().to_string(),
        Err(e) => return Err(Error::io(format!("cannot read {}", kind.archetype().display()), e)),
    };
    // A JSON string is a YAML double-quoted scalar: any title, quotes and all, stays one value.
    let quoted = serde_json::to_string(title).map_err(|e| Error::io("cannot quote the title", e))?;
    let text = archetype
        .replace("{{title}}", &quoted)
        .replace("{{date}}", &date.format("%Y-%m-%d").to_string())
        .replace("{{slug}}", &slug);
    let path = match kind {
        Kind::Announcement => Path::new("content/announcements").join(format!("{slug}.md")),
        Kind::Speaker => Path::new("content/speakers").join(format!("{slug}.md")),
        Kind::Page => Path::new("content/pages").join(format!("{slug}.md")),
        Kind::Timeline => PathBuf::from("content/timeline.yaml"),
    };
    let full = root.join(&path);
    if kind == Kind::Timeline {
        let mut old = std::fs::read_to_string(&full).unwrap_or_default();
        if !old.is_empty() && !old.ends_with('\n') {
            old.push('\n');
        }
        std::fs::write(&full, old + &text).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        return Ok(Created { path, slug });
    }
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    // Never over another file: `create_new` fails when the file exists, however it got there.
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&full).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!(
                "{} exists already: brief new never overwrites a file; choose another title",
                path.display()
            ))
        } else {
            Error::io(format!("cannot write {}", path.display()), e)
        }
    })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(Created { path, slug })
}
