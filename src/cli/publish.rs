//! `brief publish`.

use clap::Args;

use super::{print_written, OutputArgs, SiteArgs};

/// Arguments of `brief publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Also request every external link (10 s timeout each) and report those that fail.
    #[arg(long)]
    check_external: bool,
}

impl PublishArgs {
    pub fn run(self) -> Result<(), brief::Error> {
        let options = brief::publish::PublishOptions {
            build: self.output.options(self.site)?,
            check_external: self.check_external,
            compression: brief::publish::assets::Compression::All,
        };
        let report = brief::publish::publish(&options)?;
        print_written("Published", &report);
        Ok(())
    }
}
