//! `brief build`.

use std::path::PathBuf;

use clap::Args;

use super::{count, SiteArgs};

/// Arguments of `brief build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: ROOT/public].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Publish under this URL instead of site.yaml's base_url (for example https://example.org/briefing/).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

impl BuildArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let options = brief::Options {
            root: self.site.root,
            out: self.out,
            settings: brief::Settings { base_url: self.base_url, drafts: self.site.drafts },
        };
        let report = brief::build(&options)?;
        let out = report.out.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
        println!(
            "Built {} and copied {} into {out} in {} ms",
            count(report.pages, "page"),
            count(report.copied, "static file"),
            report.elapsed.as_millis()
        );
        Ok(())
    }
}
