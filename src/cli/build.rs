//! `brief build`.

use clap::Args;

use super::{print_written, OutputArgs, SiteArgs};

/// Arguments of `brief build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Also write the full-text search index, to try the search page locally (`publish` always
    /// writes it; it takes longer than the rest of the build).
    #[arg(long)]
    search: bool,
}

impl BuildArgs {
    pub fn run(self) -> Result<(), brief::Error> {
        let options = brief::Options { search: self.search, ..self.output.options(self.site)? };
        let report = brief::build(&options)?;
        print_written("Built", &report);
        Ok(())
    }
}
