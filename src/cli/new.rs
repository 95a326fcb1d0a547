//! `brief new`: a new briefing, or one new item of content in a briefing.

use std::path::PathBuf;

use brief::scaffold::{self, Kind};
use clap::Args;

/// Arguments of `brief new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder of a new briefing (it must not exist yet, or be empty); or the kind of item to
    /// add to the briefing: announcement, speaker, page or timeline.
    #[arg(value_name = "DIR|KIND")]
    what: String,
    /// The new item's title (a speaker's name); its slug and file name come from it.
    #[arg(value_name = "TITLE")]
    title: Option<String>,
    /// The new item's date, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// The briefing to add the item to.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

impl NewArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let kind = Kind::parse(&self.what);
        let Some(title) = self.title else {
            if kind.is_some() {
                return Err(brief::Error::Usage(format!(
                    "give the new {} a title: brief new {} \"Title\" (for a new briefing in a folder of that name, write ./{})",
                    self.what, self.what, self.what
                )));
            }
            let dir = PathBuf::from(&self.what);
            let written = brief::starter::create(&dir)?;
            // Schemas and editor settings, so that a YAML-aware editor checks the files as typed.
            let editor = brief::editor::set_up(&dir)?;
            println!("Created a new briefing in {} ({} files).", dir.display(), written + editor.len());
            println!("Next: edit {}/content/, then run `brief build --root {}`", dir.display(), dir.display());
            return Ok(());
        };
        let Some(kind) = kind else {
            return Err(brief::Error::Usage(format!(
                "brief new cannot make a `{}`: write announcement, speaker, page or timeline",
                self.what
            )));
        };
        let date = match &self.date {
            Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| brief::Error::Usage(format!("--date `{d}` is not a day: write YYYY-MM-DD")))?,
            None => chrono::Local::now().date_naive(),
        };
        let created = scaffold::create(&self.root, kind, &title, date)?;
        let shown =
            if self.root == std::path::Path::new(".") { created.path.clone() } else { self.root.join(&created.path) };
        match kind {
            Kind::Timeline => println!("Added an entry to {}", shown.display()),
            _ => println!("Created {}", shown.display()),
        }
        Ok(())
    }
}
