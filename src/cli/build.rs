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
}

impl BuildArgs {
    pub fn run(self) -> Result<(), brief::Error> {
        let report = brief::build(&self.output.options(self.site))?;
        print_written("Built", &report);
        Ok(())
    }
}
