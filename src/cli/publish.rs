//! `brief publish`.

use clap::Args;

use super::{count, OutputArgs, SiteArgs};

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
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let options = brief::publish::PublishOptions {
            build: self.output.options(self.site),
            check_external: self.check_external,
        };
        let report = brief::publish::publish(&options)?;
        let out = report.out.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
        println!(
            "Published {} and copied {} into {out} in {} ms",
            count(report.pages, "file"),
            count(report.copied, "static file"),
            report.elapsed.as_millis()
        );
        Ok(())
    }
}
