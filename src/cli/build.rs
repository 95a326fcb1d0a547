//! `brief build`.

use clap::Args;

use super::{count, OutputArgs, SiteArgs};

/// Arguments of `brief build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    output: OutputArgs,
}

impl BuildArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let report = brief::build(&self.output.options(self.site))?;
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
