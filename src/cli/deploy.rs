//! `brief deploy`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use brief::deploy::{self, Action, Source};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::{count, print_warnings, SiteArgs};

/// Arguments of `brief deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Where to: s3://bucket/prefix (S3 or a service that speaks its protocol), gs://bucket/prefix,
    /// az://container/prefix, or file:///path (a folder, such as a server's document root).
    #[arg(value_name = "TARGET")]
    target: String,
    #[command(flatten)]
    site: SiteArgs,
    /// Publish under this URL instead of site.yaml's base_url.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Deploy this folder, written by `brief publish`, instead of publishing now.
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Print what would be uploaded, replaced and deleted, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Stop, changing nothing, if the deploy would delete more files than this.
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_deletes: usize,
    /// Deploy even over another site's files (a target whose manifest names another base URL).
    #[arg(long)]
    force: bool,
    /// The S3 endpoint, for a service other than Amazon's [default: AWS_ENDPOINT_URL].
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// The S3 region [default: AWS_REGION].
    #[arg(long)]
    region: Option<String>,
    /// How many uploads run at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    jobs: usize,
    /// Store each text file gzip-compressed under its own name with Content-Encoding: gzip, for
    /// a store that serves files as stored (S3 without a CDN).
    #[arg(long)]
    precompressed: bool,
}

impl DeployArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        let source = match &self.from {
            Some(dir) => Source::from_dir(dir)?,
            None => {
                let options = brief::publish::PublishOptions {
                    build: brief::Options {
                        root: self.site.root.clone(),
                        out: None,
                        settings: self.site.settings(self.base_url.clone())?,
                        search: true,
                    },
                    check_external: false,
                    // Only the compressed copies the target keeps.
                    compression: deploy::compression(&self.target, self.precompressed),
                };
                let rendered = brief::publish::render_site(&options)?;
                print_warnings(&rendered.warnings);
                super::print_embargoes(&rendered.site.embargoes);
                Source::from_files(rendered.files)?
            }
        };
        let options = deploy::Options {
            target: self.target.clone(),
            endpoint: self.endpoint,
            region: self.region,
            dry_run: self.dry_run,
            max_deletes: self.max_deletes,
            force: self.force,
            concurrency: self.jobs,
            precompressed: self.precompressed,
        };
        // On a terminal, a bar of the bytes sent with the count of files; otherwise a line a file.
        let terminal = std::io::stdout().is_terminal();
        let bar = std::sync::OnceLock::<ProgressBar>::new();
        let done = AtomicU64::new(0);
        let progress = |p: deploy::Progress| {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if terminal {
                let bar = bar.get_or_init(|| {
                    let bar = ProgressBar::new(p.total_bytes);
                    let style = ProgressStyle::with_template("  {bar:30} {bytes}/{total_bytes} · {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar());
                    bar.set_style(style);
                    bar
                });
                bar.inc(p.size);
                bar.set_message(format!("{n}/{} files", p.total_files));
            } else {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "  uploaded {} ({})", p.path, megabytes(p.size));
            }
        };
        let report = deploy::deploy(&source, &options, &progress);
        if let Some(bar) = bar.get() {
            bar.finish_and_clear();
        }
        let report = report?;
        let plan = &report.plan;
        let (uploaded, replaced) = (plan.count(Action::Upload), plan.count(Action::Replace));
        if report.dry_run {
            println!("Plan for {} (a dry run: nothing was changed):", self.target);
            for (entry, action) in &plan.uploads {
                let sign = if *action == Action::Upload { "+ upload " } else { "~ replace" };
                println!("  {sign} {} ({})", entry.path, megabytes(entry.size));
            }
            for path in &plan.deletes {
                println!("  - delete  {path}");
            }
            println!(
                "{} to upload, {} to replace ({}), {} to delete, {} unchanged",
                count(uploaded, "file"),
                count(replaced, "file"),
                megabytes(plan.bytes()),
                count(plan.deletes.len(), "file"),
                count(plan.unchanged, "file"),
            );
        } else {
            println!(
                "Deployed to {} in {} ms: {} uploaded, {} replaced, {} deleted, {} unchanged; {} sent",
                self.target,
                report.elapsed.as_millis(),
                uploaded,
                replaced,
                plan.deletes.len(),
                plan.unchanged,
                megabytes(plan.bytes()),
            );
        }
        Ok(())
    }
}

/// A size for people: `12.3 KB`, `4.5 MB`.
fn megabytes(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}
