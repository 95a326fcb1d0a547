//! `serve` produces exactly what a fresh `build` produces, after any sequence of edits.
//!
//! A property test: random sequences of edits (announcement text, titles, dates, speakers and
//! topics named or dropped, speakers renamed, topics renamed, drafts, sources, figures, timeline
//! entries, free pages, templates, static files, speakers' photos and the image files they name,
//! site settings, files created and deleted, and references to things that do not exist) are written to a briefing on disk. After each edit,
//! the `DevSite` that `serve` keeps is told which files changed, as the watcher would tell it,
//! and its files are compared, byte for byte, with a fresh build of the same tree; when the fresh
//! build fails, the `DevSite` must fail with the same problems.
//!
//! The suite runs `BRIEF_PROPTEST_CASES` cases (48 by default); `docs/serve.md` gives the
//! command for a longer run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use brief::dev::{DevSite, Outcome};
use brief::output::Contents;
use proptest::prelude::*;

const ANNOUNCEMENTS: usize = 5;
const SPEAKERS: usize = 4;
const TOPICS: usize = 3;
const PAGES: usize = 3;
const ENTRIES: usize = 4;
const STATICS: usize = 2;

/// One edit an author can make.
#[derive(Debug, Clone)]
enum Edit {
    /// Creates (with default fields) or deletes announcement `a{slot}`.
    Announcement {
        slot: usize,
        present: bool,
    },
    AnnouncementTitle {
        slot: usize,
        v: usize,
    },
    AnnouncementDate {
        slot: usize,
        v: usize,
    },
    /// Names the speakers of the bit mask.
    AnnouncementSpeakers {
        slot: usize,
        mask: u8,
    },
    AnnouncementTopics {
        slot: usize,
        mask: u8,
    },
    AnnouncementBody {
        slot: usize,
        v: usize,
    },
    AnnouncementSource {
        slot: usize,
        v: usize,
    },
    AnnouncementFigure {
        slot: usize,
        v: usize,
    },
    AnnouncementDraft {
        slot: usize,
        draft: bool,
    },
    Speaker {
        slot: usize,
        present: bool,
    },
    SpeakerName {
        slot: usize,
        v: usize,
    },
    SpeakerRole {
        slot: usize,
        v: usize,
    },
    /// Renames a speaker's file: `s1.md`, `ｓ1.md` (whose slug is `s1` too) or `苏1.md` with
    /// `slug: s1` in its front matter.
    SpeakerFile {
        slot: usize,
        v: usize,
    },
    /// Whether announcements name their speakers by the file names `ｓ1` rather than the slugs.
    ByFileName {
        on: bool,
    },
    Topic {
        slot: usize,
        present: bool,
    },
    TopicTitle {
        slot: usize,
        v: usize,
    },
    Entry {
        slot: usize,
        present: bool,
    },
    EntryDate {
        slot: usize,
        v: usize,
    },
    EntryTitle {
        slot: usize,
        v: usize,
    },
    /// Links the entry to announcement `a{v}`, or to none when `v` is out of range.
    EntryAnnouncement {
        slot: usize,
        v: usize,
    },
    EntrySpeakers {
        slot: usize,
        mask: u8,
    },
    EntryFigure {
        slot: usize,
        v: usize,
    },
    Page {
        slot: usize,
        present: bool,
    },
    PageTitle {
        slot: usize,
        v: usize,
    },
    PageBody {
        slot: usize,
        v: usize,
    },
    /// Turns one variant of a template on or off (see [`TEMPLATE_VARIANTS`]).
    Template {
        which: usize,
        on: bool,
    },
    Static {
        slot: usize,
        v: usize,
    },
    SiteTitle {
        v: usize,
    },
    BaseUrl {
        v: usize,
    },
    /// The languages `site.yaml` lists: English alone, English and Chinese, or English, Chinese
    /// and Vietnamese.
    Languages {
        v: usize,
    },
    /// The translation of free page `p{slot}`: none, into Chinese, or into Vietnamese.
    PageTranslation {
        slot: usize,
        v: usize,
    },
    /// The Chinese translation of announcement `a{slot}` (`a{slot}.zh.md`): none, one with a
    /// title, one with a title and a body linking to a speaker, one restating another date (an
    /// error).
    AnnouncementTranslation {
        slot: usize,
        v: usize,
    },
    /// The Chinese translation of speaker `s{slot}`: none, or one of two names.
    SpeakerTranslation {
        slot: usize,
        v: usize,
    },
    /// `topics.zh.yaml` and `timeline.zh.yaml`: none, translations of `t0` and of the entry
    /// with id `e0`, or of a topic that does not exist (an error).
    YamlTranslations {
        v: usize,
    },
    /// Speaker `s{slot}`'s photo: none, the image beside the content, the one under static/, or
    /// one without its text alternative (an error).
    Photo {
        slot: usize,
        v: usize,
    },
    /// The image file `which` of [`IMAGE_FILES`]: absent, one picture, another of other
    /// proportions, or bytes that are no image (an error when a photo names it).
    ImageFile {
        which: usize,
        v: usize,
    },
}

/// The image files a photo can name, and how the front matter names each.
const IMAGE_FILES: [(&str, &str); 2] =
    [("content/speakers/face.png", "face.png"), ("static/faces/f.png", "/faces/f.png")];

/// Marks a file the model writes as an image: the text after it says which.
const IMAGE: &str = "\u{0}image:";

fn edit() -> impl Strategy<Value = Edit> {
    let a = 0..ANNOUNCEMENTS;
    let s = 0..SPEAKERS;
    prop_oneof![
        (a.clone(), any::<bool>()).prop_map(|(slot, present)| Edit::Announcement { slot, present }),
        (a.clone(), 0..3usize).prop_map(|(slot, v)| Edit::AnnouncementTitle { slot, v }),
        (a.clone(), 0..4usize).prop_map(|(slot, v)| Edit::AnnouncementDate { slot, v }),
        (a.clone(), any::<u8>()).prop_map(|(slot, mask)| Edit::AnnouncementSpeakers { slot, mask }),
        (a.clone(), any::<u8>()).prop_map(|(slot, mask)| Edit::AnnouncementTopics { slot, mask }),
        (a.clone(), 0..4usize).prop_map(|(slot, v)| Edit::AnnouncementBody { slot, v }),
        (a.clone(), 0..3usize).prop_map(|(slot, v)| Edit::AnnouncementSource { slot, v }),
        (a.clone(), 0..3usize).prop_map(|(slot, v)| Edit::AnnouncementFigure { slot, v }),
        (a.clone(), any::<bool>()).prop_map(|(slot, draft)| Edit::AnnouncementDraft { slot, draft }),
        (s.clone(), any::<bool>()).prop_map(|(slot, present)| Edit::Speaker { slot, present }),
        (s.clone(), 0..4usize).prop_map(|(slot, v)| Edit::SpeakerName { slot, v }),
        (s.clone(), 0..3usize).prop_map(|(slot, v)| Edit::SpeakerRole { slot, v }),
        (s, 0..3usize).prop_map(|(slot, v)| Edit::SpeakerFile { slot, v }),
        any::<bool>().prop_map(|on| Edit::ByFileName { on }),
        (0..TOPICS, any::<bool>()).prop_map(|(slot, present)| Edit::Topic { slot, present }),
        (0..TOPICS, 0..3usize).prop_map(|(slot, v)| Edit::TopicTitle { slot, v }),
        (0..ENTRIES, any::<bool>()).prop_map(|(slot, present)| Edit::Entry { slot, present }),
        (0..ENTRIES, 0..4usize).prop_map(|(slot, v)| Edit::EntryDate { slot, v }),
        (0..ENTRIES, 0..3usize).prop_map(|(slot, v)| Edit::EntryTitle { slot, v }),
        (0..ENTRIES, 0..ANNOUNCEMENTS + 2).prop_map(|(slot, v)| Edit::EntryAnnouncement { slot, v }),
        (0..ENTRIES, any::<u8>()).prop_map(|(slot, mask)| Edit::EntrySpeakers { slot, mask }),
        (0..ENTRIES, 0..3usize).prop_map(|(slot, v)| Edit::EntryFigure { slot, v }),
        (0..PAGES, any::<bool>()).prop_map(|(slot, present)| Edit::Page { slot, present }),
        (0..PAGES, 0..3usize).prop_map(|(slot, v)| Edit::PageTitle { slot, v }),
        (0..PAGES, 0..3usize).prop_map(|(slot, v)| Edit::PageBody { slot, v }),
        (0..TEMPLATE_VARIANTS.len(), any::<bool>()).prop_map(|(which, on)| Edit::Template { which, on }),
        (0..STATICS, 0..3usize).prop_map(|(slot, v)| Edit::Static { slot, v }),
        (0..3usize).prop_map(|v| Edit::SiteTitle { v }),
        (0..2usize).prop_map(|v| Edit::BaseUrl { v }),
        (0..3usize).prop_map(|v| Edit::Languages { v }),
        (0..PAGES, 0..3usize).prop_map(|(slot, v)| Edit::PageTranslation { slot, v }),
        (0..ANNOUNCEMENTS, 0..4usize).prop_map(|(slot, v)| Edit::AnnouncementTranslation { slot, v }),
        (0..SPEAKERS, 0..3usize).prop_map(|(slot, v)| Edit::SpeakerTranslation { slot, v }),
        (0..3usize).prop_map(|v| Edit::YamlTranslations { v }),
        (0..SPEAKERS, 0..4usize).prop_map(|(slot, v)| Edit::Photo { slot, v }),
        (0..IMAGE_FILES.len(), 0..4usize).prop_map(|(which, v)| Edit::ImageFile { which, v }),
    ]
}

#[derive(Debug, Clone, Default)]
struct Announcement {
    title: usize,
    date: usize,
    speakers: u8,
    topics: u8,
    body: usize,
    source: usize,
    figure: usize,
    draft: bool,
}

#[derive(Debug, Clone, Default)]
struct Entry {
    date: usize,
    title: usize,
    announcement: usize,
    speakers: u8,
    figure: usize,
}

/// A variant of a template: the file, the text replaced and what replaces it.
struct TemplateVariant {
    file: &'static str,
    from: &'static str,
    to: &'static str,
}

/// Template edits: showing a count that other content decides (the speaker card's
/// `announcement_count` on announcement pages, a topic's count), a change to the base layout,
/// and optional pages removed.
const TEMPLATE_VARIANTS: [TemplateVariant; 5] = [
    TemplateVariant {
        file: "templates/partials/speaker-card.html",
        from: "<a class=\"speaker-name\" href=\"{{ s.url }}\">{{ s.name }}</a>",
        to: "<a class=\"speaker-name\" href=\"{{ s.url }}\">{{ s.name }}</a> <span class=\"count\">{{ s.announcement_count }}</span>",
    },
    TemplateVariant {
        file: "templates/announcement.html",
        from: "<li><a href=\"{{ t.url }}\">{{ t.title }}</a></li>",
        to: "<li><a href=\"{{ t.url }}\">{{ t.title }} ({{ t.announcement_count }})</a></li>",
    },
    TemplateVariant { file: "templates/base.html", from: "</footer>", to: "<p>Edited layout</p></footer>" },
    TemplateVariant { file: "templates/search.html", from: "", to: "" },
    TemplateVariant { file: "templates/404.html", from: "", to: "" },
];

/// The briefing as the edits have left it.
#[derive(Debug, Clone, Default)]
struct Model {
    announcements: BTreeMap<usize, Announcement>,
    speakers: BTreeMap<usize, (usize, usize)>,
    /// The form of each speaker's file name (see `Edit::SpeakerFile`).
    speaker_files: [usize; SPEAKERS],
    by_file_name: bool,
    topics: BTreeMap<usize, usize>,
    entries: BTreeMap<usize, Entry>,
    pages: BTreeMap<usize, (usize, usize)>,
    templates: [bool; TEMPLATE_VARIANTS.len()],
    statics: BTreeMap<usize, usize>,
    title: usize,
    base: usize,
    languages: usize,
    page_translations: [usize; PAGES],
    announcement_translations: [usize; ANNOUNCEMENTS],
    speaker_translations: [usize; SPEAKERS],
    yaml_translations: usize,
    photos: [usize; SPEAKERS],
    image_files: [usize; IMAGE_FILES.len()],
}

impl Model {
    fn initial() -> Model {
        let mut m = Model::default();
        m.announcements.insert(0, Announcement { speakers: 0b1, topics: 0b1, ..Announcement::default() });
        m.announcements.insert(1, Announcement { date: 2, speakers: 0b11, ..Announcement::default() });
        m.speakers.insert(0, (0, 0));
        m.speakers.insert(1, (1, 1));
        m.topics.insert(0, 0);
        m.entries.insert(0, Entry { announcement: 0, speakers: 0b1, ..Entry::default() });
        m.pages.insert(0, (0, 0));
        m.photos[0] = 1;
        m.image_files = [1, 2];
        m
    }

    fn apply(&mut self, edit: &Edit) {
        fn set<T: Default>(map: &mut BTreeMap<usize, T>, slot: usize, present: bool) {
            if present {
                map.entry(slot).or_default();
            } else {
                map.remove(&slot);
            }
        }
        match *edit {
            Edit::Announcement { slot, present } => set(&mut self.announcements, slot, present),
            Edit::AnnouncementTitle { slot, v } => self.announcements.entry(slot).or_default().title = v,
            Edit::AnnouncementDate { slot, v } => self.announcements.entry(slot).or_default().date = v,
            Edit::AnnouncementSpeakers { slot, mask } => self.announcements.entry(slot).or_default().speakers = mask,
            Edit::AnnouncementTopics { slot, mask } => self.announcements.entry(slot).or_default().topics = mask,
            Edit::AnnouncementBody { slot, v } => self.announcements.entry(slot).or_default().body = v,
            Edit::AnnouncementSource { slot, v } => self.announcements.entry(slot).or_default().source = v,
            Edit::AnnouncementFigure { slot, v } => self.announcements.entry(slot).or_default().figure = v,
            Edit::AnnouncementDraft { slot, draft } => self.announcements.entry(slot).or_default().draft = draft,
            Edit::Speaker { slot, present } => set(&mut self.speakers, slot, present),
            Edit::SpeakerName { slot, v } => self.speakers.entry(slot).or_default().0 = v,
            Edit::SpeakerRole { slot, v } => self.speakers.entry(slot).or_default().1 = v,
            Edit::SpeakerFile { slot, v } => self.speaker_files[slot] = v,
            Edit::ByFileName { on } => self.by_file_name = on,
            Edit::Topic { slot, present } => set(&mut self.topics, slot, present),
            Edit::TopicTitle { slot, v } => *self.topics.entry(slot).or_default() = v,
            Edit::Entry { slot, present } => set(&mut self.entries, slot, present),
            Edit::EntryDate { slot, v } => self.entries.entry(slot).or_default().date = v,
            Edit::EntryTitle { slot, v } => self.entries.entry(slot).or_default().title = v,
            Edit::EntryAnnouncement { slot, v } => self.entries.entry(slot).or_default().announcement = v,
            Edit::EntrySpeakers { slot, mask } => self.entries.entry(slot).or_default().speakers = mask,
            Edit::EntryFigure { slot, v } => self.entries.entry(slot).or_default().figure = v,
            Edit::Page { slot, present } => set(&mut self.pages, slot, present),
            Edit::PageTitle { slot, v } => self.pages.entry(slot).or_default().0 = v,
            Edit::PageBody { slot, v } => self.pages.entry(slot).or_default().1 = v,
            Edit::Template { which, on } => self.templates[which] = on,
            Edit::Static { slot, v } => {
                if v == 0 {
                    self.statics.remove(&slot);
                } else {
                    self.statics.insert(slot, v);
                }
            }
            Edit::SiteTitle { v } => self.title = v,
            Edit::BaseUrl { v } => self.base = v,
            Edit::Languages { v } => self.languages = v,
            Edit::PageTranslation { slot, v } => self.page_translations[slot] = v,
            Edit::AnnouncementTranslation { slot, v } => self.announcement_translations[slot] = v,
            Edit::SpeakerTranslation { slot, v } => self.speaker_translations[slot] = v,
            Edit::YamlTranslations { v } => self.yaml_translations = v,
            Edit::Photo { slot, v } => self.photos[slot] = v,
            Edit::ImageFile { which, v } => self.image_files[which] = v,
        }
    }

    /// Every file of the site the model describes, by path relative to the root; `None` for
    /// a file that must not exist. `templates` holds the starter's own templates.
    fn files(&self, templates: &BTreeMap<&'static str, String>) -> BTreeMap<String, Option<String>> {
        let mut out: BTreeMap<String, Option<String>> = BTreeMap::new();
        let names = |mask: u8, prefix: &str, count: usize| -> String {
            let mut list: Vec<String> =
                (0..count).filter(|b| mask & (1 << b) != 0).map(|b| format!("{prefix}{b}")).collect();
            // One mask in eight also names something that never exists: a reference that dangles.
            if mask >= 0xE0 {
                list.push(format!("{prefix}9"));
            }
            format!("[{}]", list.join(", "))
        };
        let base = ["https://example.org/", "https://example.org/sub/"][self.base];
        out.insert(
            "content/site.yaml".into(),
            Some(format!(
                "title: {}\ndescription: D.\nbase_url: {base}\nlanguage: en\nevent:\n  name: Expo\n  city: City\n  start: 2030-05-14\n  end: 2030-05-16\n{}",
                ["Briefing", "Another briefing", "Third title"][self.title],
                [
                    "",
                    "languages:\n  en: {name: English}\n  zh: {name: 中文}\n",
                    "languages:\n  en: {name: English}\n  zh: {name: 中文}\n  vi: {name: Tiếng Việt}\n"
                ][self.languages]
            )),
        );
        for slot in 0..ANNOUNCEMENTS {
            // A translation of an announcement that is gone is an error, as is one in a site
            // without languages: both are edits an author makes.
            let text = match self.announcement_translations[slot] {
                1 => Some("---\ntitle: 开幕\n---\n\n开幕。\n".to_string()),
                2 => Some("---\ntitle: 新标题\nsummary: 摘要。\n---\n\n见[讲者](/speakers/s1/)。\n".to_string()),
                3 => Some("---\ntitle: 日期\ndate: 2031-01-01\n---\n\n文字。\n".to_string()),
                _ => None,
            };
            out.insert(format!("content/announcements/a{slot}.zh.md"), text);
        }
        for slot in 0..PAGES {
            // Into a language the site may not list (an error), of a page that may be gone (also).
            let v = self.page_translations[slot];
            let text = "---\ntitle: 译名\n---\n\n见[首页](/)。\n";
            out.insert(format!("content/pages/p{slot}.zh.md"), (v == 1).then(|| text.to_string()));
            out.insert(format!("content/pages/p{slot}.vi.md"), (v == 2).then(|| text.replace("译名", "Tên")));
        }
        let (topics_zh, timeline_zh) = match self.yaml_translations {
            1 => (Some("t0:\n  title: 贸易\n"), Some("e0:\n  title: 开幕日\n  body: 见[时间线](/timeline/)。\n")),
            2 => (Some("t9:\n  title: 无\n"), None),
            _ => (None, None),
        };
        out.insert("content/topics.zh.yaml".into(), topics_zh.map(String::from));
        out.insert("content/timeline.zh.yaml".into(), timeline_zh.map(String::from));
        for slot in 0..SPEAKERS {
            let form = self.speaker_files[slot];
            let text = match self.speaker_translations[slot] {
                1 => Some("---\nname: 安\n---\n\n简介。\n".to_string()),
                2 => Some("---\nname: 苏波\nrole: 部长\n---\n\n另一简介。\n".to_string()),
                _ => None,
            };
            // Named after the speaker's file, whichever form it has now.
            for (f, name) in ["s", "ｓ", "苏"].iter().enumerate() {
                out.insert(format!("content/speakers/{name}{slot}.zh.md"), text.clone().filter(|_| f == form));
            }
        }
        for slot in 0..ANNOUNCEMENTS {
            let text = self.announcements.get(&slot).map(|a| {
                let mut fm = format!(
                    "title: {}\ndate: {}\nsummary: Summary of a{slot}.\nspeakers: {}\ntopics: {}\n",
                    ["Opening", "A later title", "Zebra headline"][a.title],
                    ["2030-05-14", "2030-05-15", "2030-05-16", "2029-12-01"][a.date],
                    names(a.speakers, if self.by_file_name { "ｓ" } else { "s" }, SPEAKERS),
                    names(a.topics, "t", TOPICS),
                );
                match a.source {
                    1 => fm.push_str("source:\n  name: Example Agency\n"),
                    2 => fm.push_str("source:\n  name: Other Agency\n  url: https://example.net/\n"),
                    _ => {}
                }
                if a.figure > 0 {
                    fm.push_str(&format!(
                        "figures:\n  - label: Trade\n    value: {}\n    unit: billion USD\n",
                        a.figure * 10
                    ));
                }
                if a.draft {
                    fm.push_str("draft: true\n");
                }
                let body = [
                    "The organisers opened the expo.\n",
                    "A new text, with [a speaker](/speakers/s1/).\n",
                    "## Section {#part}\n\nSee [the timeline](/timeline/) and [a page](/p1/).\n",
                    "Text that links to [the other](/announcements/a1/#nothing).\n",
                ][a.body];
                format!("---\n{fm}---\n\n{body}")
            });
            out.insert(format!("content/announcements/a{slot}.md"), text);
        }
        for slot in 0..SPEAKERS {
            let form = self.speaker_files[slot];
            let photo = match self.photos[slot] {
                1 => format!("photo:\n  src: {}\n  alt: A face\n", IMAGE_FILES[0].1),
                2 => format!("photo:\n  src: {}\n  alt: Another face\n  credit: Agency\n", IMAGE_FILES[1].1),
                3 => format!("photo:\n  src: {}\n", IMAGE_FILES[0].1),
                _ => String::new(),
            };
            let text = self.speakers.get(&slot).map(|(name, role)| {
                format!(
                    "---\nname: {}\nrole: {}\n{}{photo}---\nBio of s{slot}.\n",
                    ["Ann Smith", "Bo Su", "Zed Last", "Mia Middle"][*name],
                    ["Director", "Minister", "Governor"][*role],
                    if form == 2 { format!("slug: s{slot}\n") } else { String::new() }
                )
            });
            for (f, name) in ["s", "ｓ", "苏"].iter().enumerate() {
                out.insert(format!("content/speakers/{name}{slot}.md"), text.clone().filter(|_| f == form));
            }
        }
        let topics: String = self
            .topics
            .iter()
            .map(|(slot, v)| format!("t{slot}:\n  title: {}\n", ["Trade", "Finance", "Science"][*v]))
            .collect();
        out.insert("content/topics.yaml".into(), Some(if topics.is_empty() { "{}\n".into() } else { topics }));
        let entries: String = self
            .entries
            .iter()
            .map(|(slot, e)| {
                let mut text = format!(
                    "- id: e{slot}\n  date: \"{}\"\n  title: {}\n",
                    ["2030-05-14", "2028", "2030-05", "2031-01-01"][e.date],
                    ["Opening day", "A proposal", "Late news"][e.title]
                );
                if e.announcement < ANNOUNCEMENTS + 1 && e.announcement != ANNOUNCEMENTS {
                    text.push_str(&format!("  announcement: a{}\n", e.announcement));
                }
                if e.speakers != 0 {
                    text.push_str(&format!("  speakers: {}\n", names(e.speakers, "s", SPEAKERS)));
                }
                if e.figure > 0 {
                    text.push_str(&format!(
                        "  figure: {{value: {}, unit: visitors, series: visitors}}\n",
                        e.figure * 100
                    ));
                }
                text
            })
            .collect();
        out.insert("content/timeline.yaml".into(), Some(if entries.is_empty() { "[]\n".into() } else { entries }));
        for slot in 0..PAGES {
            let text = self.pages.get(&slot).map(|(title, body)| {
                let body =
                    ["About this briefing.\n", "See [the speakers](/speakers/).\n", "Contact us at [p2](/p2/).\n"]
                        [*body];
                format!("---\ntitle: {}\n---\n{body}", ["About", "Contact", "Press"][*title])
            });
            out.insert(format!("content/pages/p{slot}.md"), text);
        }
        let mut by_file: BTreeMap<&str, Option<String>> =
            templates.iter().map(|(name, text)| (*name, Some(text.clone()))).collect();
        for (variant, on) in TEMPLATE_VARIANTS.iter().zip(self.templates) {
            if !on {
                continue;
            }
            let slot = by_file.entry(variant.file).or_insert(None);
            *slot = match (slot.take(), variant.from) {
                // An empty `from`: the variant removes the template.
                (_, "") => None,
                (Some(text), from) => Some(text.replacen(from, variant.to, 1)),
                (None, _) => None,
            };
        }
        for (name, text) in by_file {
            out.insert(name.to_string(), text);
        }
        for slot in 0..STATICS {
            let text = self.statics.get(&slot).map(|v| format!("static file {slot}, version {v}\n"));
            out.insert(format!("static/extra-{slot}.txt"), text);
        }
        for (which, (path, _)) in IMAGE_FILES.iter().enumerate() {
            let v = self.image_files[which];
            out.insert(path.to_string(), (v > 0).then(|| format!("{IMAGE}{v}")));
        }
        out
    }
}

/// The bytes of the file the model writes as `text`: an image, made here, for the files marked
/// [`IMAGE`] (1 and 2 are pictures of different proportions, 3 is no image at all).
fn file_bytes(text: &str) -> Vec<u8> {
    let Some(which) = text.strip_prefix(IMAGE) else { return text.as_bytes().to_vec() };
    let (width, height, colour) = match which {
        "1" => (40, 30, [200, 30, 30]),
        "2" => (30, 50, [30, 30, 200]),
        _ => return b"\x89PNG\r\n\x1a\nno image after all".to_vec(),
    };
    let image = image::RgbImage::from_pixel(width, height, image::Rgb(colour));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Writes the files that differ from `before`, returning the paths written or deleted.
fn write(
    root: &Path,
    before: &BTreeMap<String, Option<String>>,
    after: &BTreeMap<String, Option<String>>,
) -> Vec<PathBuf> {
    let mut changed = Vec::new();
    for (rel, text) in after {
        if before.get(rel) == Some(text) {
            continue;
        }
        let path = root.join(rel);
        match text {
            Some(text) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, file_bytes(text)).unwrap();
            }
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
        changed.push(path);
    }
    changed
}

/// Every file of a build, by output path, with its bytes.
fn bytes_of<'a>(files: impl IntoIterator<Item = &'a brief::output::OutputFile>) -> BTreeMap<String, Vec<u8>> {
    files.into_iter().map(|f| (f.path.clone(), f.contents.bytes().unwrap().into_owned())).collect()
}

/// Runs the edits, checking after each that the DevSite equals a fresh build.
fn check(edits: &[Edit]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    brief::starter::create(&root).unwrap();
    // The starter's content goes; the model writes its own.
    std::fs::remove_dir_all(root.join("content")).unwrap();
    let templates: BTreeMap<&'static str, String> =
        TEMPLATE_VARIANTS.iter().map(|v| (v.file, std::fs::read_to_string(root.join(v.file)).unwrap())).collect();
    let mut model = Model::initial();
    let mut files = model.files(&templates);
    write(&root, &BTreeMap::new(), &files);
    let settings = brief::Settings::default();
    let mut dev = DevSite::open(&root, settings.clone());
    compare(&root, &settings, &dev, None, "the first build")?;
    for (n, edit) in edits.iter().enumerate() {
        model.apply(edit);
        let next = model.files(&templates);
        let changed = write(&root, &files, &next);
        files = next;
        let outcome = dev.apply(&changed);
        compare(&root, &settings, &dev, Some(&outcome), &format!("edit {n}: {edit:?}"))?;
    }
    Ok(())
}

fn compare(
    root: &Path,
    settings: &brief::Settings,
    dev: &DevSite,
    outcome: Option<&Outcome>,
    what: &str,
) -> Result<(), TestCaseError> {
    match brief::build::render_site(root, settings, false) {
        Ok(fresh) => {
            if let Some(errors) = dev.error() {
                return Err(TestCaseError::fail(format!(
                    "after {what}, a fresh build succeeds but serve fails:\n{}",
                    errors.render(false)
                )));
            }
            let served = bytes_of(dev.files().values().map(|f| &**f));
            let built = bytes_of(&fresh.files);
            let differ: Vec<&String> = built
                .keys()
                .chain(served.keys())
                .filter(|p| built.get(*p) != served.get(*p))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if let Some(first) = differ.first() {
                let text = |files: &BTreeMap<String, Vec<u8>>| {
                    files.get(*first).map_or("(missing)".to_string(), |b| String::from_utf8_lossy(b).into_owned())
                };
                return Err(TestCaseError::fail(format!(
                    "after {what}, serve differs from a fresh build in {differ:?}\n{}",
                    first_difference(&text(&built), &text(&served))
                )));
            }
        }
        Err(brief::Error::Content(expected)) => {
            let Some(got) = dev.error() else {
                return Err(TestCaseError::fail(format!(
                    "after {what}, a fresh build fails but serve succeeds ({outcome:?}):\n{}",
                    expected.render(false)
                )));
            };
            prop_assert_eq!(got.render(false), expected.render(false), "after {}, the problems differ", what);
        }
        Err(other) => return Err(TestCaseError::fail(format!("after {what}: {other:?}"))),
    }
    // Files that are copied are compared by their bytes above; a copy must still point into static/.
    for f in dev.files().values() {
        if let Contents::Copy(from) = &f.contents {
            prop_assert!(from.starts_with(root.canonicalize().unwrap()), "{} copies {}", f.path, from.display());
        }
    }
    Ok(())
}

/// The first line where `built` and `served` differ, with the line before it.
fn first_difference(built: &str, served: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (built.lines().collect(), served.lines().collect());
    let n = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let around = |lines: &[&str]| lines[n.saturating_sub(1)..(n + 1).min(lines.len())].join("\n");
    format!("line {}:\n--- build:\n{}\n--- serve:\n{}", n + 1, around(&a), around(&b))
}

fn cases() -> u32 {
    std::env::var("BRIEF_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn serve_equals_a_fresh_build_after_any_edits(edits in prop::collection::vec(edit(), 1..14)) {
        check(&edits)?;
    }
}

/// The case the issue reported: a template shows a speaker card's `announcement_count` on an
/// announcement page, and a new announcement names that speaker.
#[test]
fn a_new_announcement_updates_the_counts_shown_on_other_pages() {
    check(&[
        Edit::Template { which: 0, on: true },
        Edit::Announcement { slot: 2, present: true },
        Edit::AnnouncementSpeakers { slot: 2, mask: 0b1 },
        Edit::AnnouncementSpeakers { slot: 1, mask: 0b10 },
    ])
    .unwrap();
}

/// A speaker named by its file name (`ｓ1`, which gives the slug `s1`) loses that name when its
/// file is renamed, though its slug stays: the announcements that named it by the old file name
/// must be assembled again, and fail as a fresh build does.
#[test]
fn renaming_a_file_drops_the_name_others_knew_it_by() {
    check(&[
        Edit::SpeakerFile { slot: 1, v: 1 },
        Edit::ByFileName { on: true },
        Edit::AnnouncementSpeakers { slot: 0, mask: 0b10 },
        Edit::AnnouncementSpeakers { slot: 1, mask: 0b10 },
        Edit::SpeakerFile { slot: 1, v: 2 },
        Edit::SpeakerFile { slot: 1, v: 1 },
    ])
    .unwrap();
}

/// A briefing that gains a language, translations that come, change, break and go, and a
/// language that goes again: each step as a fresh build gives it.
#[test]
fn translations_come_change_and_go() {
    check(&[
        Edit::AnnouncementTranslation { slot: 0, v: 1 },
        Edit::Languages { v: 1 },
        Edit::AnnouncementTranslation { slot: 0, v: 2 },
        Edit::SpeakerTranslation { slot: 1, v: 1 },
        Edit::SpeakerName { slot: 1, v: 2 },
        Edit::SpeakerFile { slot: 1, v: 2 },
        Edit::AnnouncementTranslation { slot: 1, v: 3 },
        Edit::AnnouncementTranslation { slot: 1, v: 0 },
        Edit::Announcement { slot: 0, present: false },
        Edit::Announcement { slot: 0, present: true },
        Edit::Template { which: 2, on: true },
        Edit::YamlTranslations { v: 1 },
        Edit::EntryTitle { slot: 0, v: 2 },
        Edit::YamlTranslations { v: 2 },
        Edit::YamlTranslations { v: 1 },
        Edit::PageTranslation { slot: 0, v: 2 },
        Edit::Languages { v: 2 },
        Edit::PageTranslation { slot: 0, v: 1 },
        Edit::AnnouncementTranslation { slot: 1, v: 1 },
        Edit::Languages { v: 0 },
        Edit::AnnouncementTranslation { slot: 0, v: 0 },
        Edit::SpeakerTranslation { slot: 1, v: 0 },
    ])
    .unwrap();
}

/// Photos that come, change file, lose their text alternative, and image files replaced,
/// broken, deleted and made again, beside the content and under static/.
#[test]
fn photos_and_their_files_change() {
    check(&[
        Edit::ImageFile { which: 0, v: 2 },
        Edit::Photo { slot: 1, v: 2 },
        Edit::ImageFile { which: 1, v: 1 },
        Edit::Photo { slot: 0, v: 3 },
        Edit::Photo { slot: 0, v: 1 },
        Edit::ImageFile { which: 0, v: 3 },
        Edit::ImageFile { which: 0, v: 0 },
        Edit::ImageFile { which: 0, v: 1 },
        Edit::SpeakerFile { slot: 0, v: 2 },
        Edit::Languages { v: 1 },
        Edit::SpeakerTranslation { slot: 0, v: 1 },
        Edit::Photo { slot: 1, v: 0 },
        Edit::ImageFile { which: 1, v: 0 },
        Edit::Speaker { slot: 0, present: false },
    ])
    .unwrap();
}
