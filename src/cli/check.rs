//! `brief check`.

use clap::Args;

use super::{count, SiteArgs};

/// Arguments of `brief check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

impl CheckArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let options = brief::Options {
            root: self.site.root,
            out: None,
            settings: brief::Settings { base_url: None, drafts: self.site.drafts },
        };
        let report = brief::check(&options)?;
        println!("Checked {}: no problems found in {} ms", count(report.pages, "page"), report.elapsed.as_millis());
        Ok(())
    }
}
