//! `brief new`: a small working briefing, embedded in the binary so that it works anywhere.
//!
//! The templates and stylesheet are the project's own (`templates/`, `static/`); the content is a
//! minimal example under `starter/content/`. A test checks that the list covers every file there.

use std::fs;
use std::path::Path;

use crate::build::Error;

/// Every file of a new briefing: its path in the new folder, and its text.
pub const FILES: &[(&str, &str)] = &[
    // What brief writes is never committed: the site, and the cache of the images' variants.
    (".gitignore", "/public/\n/.brief/cache/\n"),
    ("content/announcements/opening.md", include_str!("../starter/content/announcements/opening.md")),
    ("content/pages/about.md", include_str!("../starter/content/pages/about.md")),
    ("content/site.yaml", include_str!("../starter/content/site.yaml")),
    ("content/sources.yaml", include_str!("../starter/content/sources.yaml")),
    ("content/speakers/jane-doe.md", include_str!("../starter/content/speakers/jane-doe.md")),
    ("content/timeline.yaml", include_str!("../starter/content/timeline.yaml")),
    ("content/topics.yaml", include_str!("../starter/content/topics.yaml")),
    ("messages/en.ftl", include_str!("../messages/en.ftl")),
    ("messages/vi.ftl", include_str!("../messages/vi.ftl")),
    ("messages/zh.ftl", include_str!("../messages/zh.ftl")),
    ("static/favicon.svg", include_str!("../static/favicon.svg")),
    ("static/search.js", include_str!("../static/search.js")),
    ("static/style.css", include_str!("../static/style.css")),
    ("templates/404.html", include_str!("../templates/404.html")),
    ("templates/announcement.html", include_str!("../templates/announcement.html")),
    ("templates/announcements.html", include_str!("../templates/announcements.html")),
    ("templates/base.html", include_str!("../templates/base.html")),
    ("templates/index.html", include_str!("../templates/index.html")),
    ("templates/page.html", include_str!("../templates/page.html")),
    ("templates/search.html", include_str!("../templates/search.html")),
    ("templates/partials/announcement-card.html", include_str!("../templates/partials/announcement-card.html")),
    ("templates/partials/chart.html", include_str!("../templates/partials/chart.html")),
    ("templates/partials/citations.html", include_str!("../templates/partials/citations.html")),
    ("templates/partials/picture.html", include_str!("../templates/partials/picture.html")),
    ("templates/partials/speaker-card.html", include_str!("../templates/partials/speaker-card.html")),
    ("templates/partials/timeline-entry.html", include_str!("../templates/partials/timeline-entry.html")),
    ("templates/partials/when.html", include_str!("../templates/partials/when.html")),
    ("templates/speaker.html", include_str!("../templates/speaker.html")),
    ("templates/speakers.html", include_str!("../templates/speakers.html")),
    ("templates/timeline.html", include_str!("../templates/timeline.html")),
    ("templates/topic.html", include_str!("../templates/topic.html")),
    ("templates/topics.html", include_str!("../templates/topics.html")),
];

/// Writes a new briefing into `dir`, which must not exist or be empty; returns how many files.
pub fn create(dir: &Path) -> Result<usize, Error> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .map_err(|e| Error::Usage(format!("cannot use {}: {e}", dir.display())))?;
        if !empty {
            return Err(Error::Usage(format!(
                "{} already exists and is not empty: choose a new folder",
                dir.display()
            )));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    }
    Ok(FILES.len())
}

/// A new briefing in a temporary folder, for tests: the folder (keep it while the site is used)
/// and the site's root in it.
#[cfg(test)]
pub(crate) fn temporary() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("s");
    create(&root).unwrap();
    (dir, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_under(root: &Path, dir: &str) -> Vec<String> {
        walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"))
            .collect()
    }

    #[test]
    fn embeds_every_template_static_and_starter_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let embedded: Vec<&str> = FILES.iter().map(|(p, _)| *p).collect();
        let theme = ["templates", "static", "messages"].into_iter().flat_map(|d| files_under(root, d));
        for f in theme {
            assert!(embedded.contains(&f.as_str()), "{f} is not embedded in src/starter.rs");
        }
        for f in files_under(&root.join("starter"), "content") {
            assert!(embedded.contains(&f.as_str()), "starter/{f} is not embedded in src/starter.rs");
        }
    }

    #[test]
    fn new_briefing_builds() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        create(&site).unwrap();
        let options = crate::Options { root: site.clone(), out: None, settings: Default::default(), search: false };
        let report = crate::build(&options).map_err(|e| format!("{e:?}")).unwrap();
        assert!(report.pages >= 8);
        assert!(site.join("public/announcements/opening/index.html").is_file());
        assert!(matches!(create(&site), Err(Error::Usage(_))));
    }
}
