//! `brief new`.

use std::path::PathBuf;

use clap::Args;

/// Arguments of `brief new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create the briefing in; it must not exist yet, or be empty.
    dir: PathBuf,
}

impl NewArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let written = brief::starter::create(&self.dir)?;
        println!("Created a new briefing in {} ({written} files).", self.dir.display());
        println!("Next: edit {}/content/, then run `brief build --root {}`", self.dir.display(), self.dir.display());
        Ok(())
    }
}
