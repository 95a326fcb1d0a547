//! The command line: one `clap::Args` struct per subcommand, each with its own `run`.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use clap::{Args, Parser, Subcommand};

mod build;
mod check;
mod deploy;
mod new;
mod publish;
mod schema;
mod serve;

/// brief: a static site generator for briefing microsites.
#[derive(Debug, Parser)]
#[command(name = "brief", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How problems are printed: `human` (each with its source line), `github` (GitHub Actions
    /// annotations, shown on the lines of a pull request) or `json` (one object a line).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Github,
    Json,
}

/// The `--format` of this run.
pub static FORMAT: std::sync::OnceLock<Format> = std::sync::OnceLock::new();

/// `diagnostics` in the `--format` of this run, and whether that format says how many there are.
pub fn render(diagnostics: &brief::diagnostic::Diagnostics, color: bool) -> String {
    match FORMAT.get().copied().unwrap_or(Format::Human) {
        Format::Human => diagnostics.render(color),
        Format::Github => diagnostics.0.iter().map(|d| d.github() + "\n").collect(),
        Format::Json => diagnostics.0.iter().map(|d| d.json() + "\n").collect(),
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render content/, templates/ and static/ into the output directory.
    Build(build::BuildArgs),
    /// Check everything `build` checks, writing nothing.
    Check(check::CheckArgs),
    /// Start a new briefing in DIR from a small working example.
    New(new::NewArgs),
    /// Serve the site locally, rebuilding and reloading the browser on every save.
    Serve(serve::ServeArgs),
    /// The production build: build plus feeds, sitemap, calendar, search, fingerprinted and
    /// compressed assets, host headers and a deploy manifest.
    Publish(publish::PublishArgs),
    /// Publish, then bring an object store (S3, Google Cloud Storage, Azure) or a folder to
    /// exactly the published site, uploading only what changed.
    Deploy(deploy::DeployArgs),
    /// Write JSON Schemas of the content files, so that editors check them as they are typed.
    Schema(schema::SchemaArgs),
}

impl Cli {
    /// Runs the chosen subcommand.
    pub fn run(self) -> Result<(), brief::Error> {
        let _ = FORMAT.set(self.format);
        match self.command {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::New(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::Publish(args) => args.run(),
            Command::Deploy(args) => args.run(),
            Command::Schema(args) => args.run(),
        }
    }
}

/// Flags shared by the commands that read a site.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The briefing's folder, holding content/, templates/ and static/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include announcements marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Judge embargoes as at this moment rather than now: RFC 3339 with its offset, such as
    /// 2012-09-22T10:00:00+07:00. Without it, SOURCE_DATE_EPOCH (seconds) when set, else the clock.
    #[arg(long, value_name = "MOMENT", value_parser = parse_now)]
    pub now: Option<DateTime<FixedOffset>>,
}

/// Reads `--now`.
fn parse_now(text: &str) -> Result<DateTime<FixedOffset>, String> {
    brief::date::parse_moment(text).map_err(|why| format!("{why}; write it as 2012-09-22T10:00:00+07:00"))
}

impl SiteArgs {
    /// The load settings these flags ask for, with `base_url` replacing site.yaml's.
    pub fn settings(&self, base_url: Option<String>) -> Result<brief::Settings, brief::Error> {
        let now = match (self.now, std::env::var("SOURCE_DATE_EPOCH")) {
            (Some(now), _) => Some(now),
            (None, Ok(epoch)) if !epoch.trim().is_empty() => {
                let seconds: i64 = epoch.trim().parse().map_err(|_| {
                    brief::Error::Usage(format!(
                        "SOURCE_DATE_EPOCH is `{epoch}`, not a number of seconds since 1970-01-01 UTC"
                    ))
                })?;
                let moment = DateTime::from_timestamp(seconds, 0)
                    .ok_or_else(|| brief::Error::Usage(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range")))?;
                Some(moment.fixed_offset())
            }
            _ => None,
        };
        Ok(brief::Settings { base_url, drafts: self.drafts, now, preview_embargoed: false, exits_after: false })
    }
}

/// Flags of the commands that write a site.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Where to write the site [default: ROOT/public].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Publish under this URL instead of site.yaml's base_url (for example https://example.org/briefing/).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl OutputArgs {
    /// The build options for `site` and these flags.
    pub fn options(self, site: SiteArgs) -> Result<brief::Options, brief::Error> {
        // `build` and `publish` end the process when they are done.
        let settings = brief::Settings { exits_after: true, ..site.settings(self.base_url)? };
        Ok(brief::Options { settings, root: site.root, out: self.out, search: false })
    }
}

/// Prints the one-line outcome of a run that wrote the site: `Built 12 pages, 5 data files and
/// 3 static files into public in 80 ms`, and the compressed copies when there are some.
#[allow(clippy::print_stdout)]
pub fn print_written(verb: &str, report: &brief::Report) {
    print_warnings(&report.warnings);
    let out = report.out.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
    let mut parts =
        vec![count(report.pages, "page"), count(report.data, "data file"), count(report.statics, "static file")];
    if report.image_files > 0 {
        parts.push(count(report.image_files, "image file"));
    }
    if report.compressed > 0 {
        let n = report.compressed;
        parts.push(format!("{n} compressed {}", if n == 1 { "copy" } else { "copies" }));
    }
    let last = parts.pop().unwrap_or_default();
    println!("{verb} {} and {last} into {out} in {} ms", parts.join(", "), report.elapsed.as_millis());
    let images = &report.images;
    if images.images > 0 {
        println!(
            "Images: {} shown, {} made now, {} from the cache ({})",
            images.images,
            images.made,
            images.cached,
            brief::images::CACHE_DIR
        );
    }
    print_embargoes(&report.embargoes);
}

/// The next embargo to lift, and how many more there are: when to build again.
#[allow(clippy::print_stdout)]
pub fn print_embargoes(embargoes: &[brief::model::Embargo]) {
    let Some(next) = embargoes.first() else { return };
    let more = match embargoes.len() - 1 {
        0 => String::new(),
        n => format!("; {n} more after it"),
    };
    println!(
        "Left out under embargo: {}. The next embargo lifts at {} ({}){more}: build and publish again then.",
        count(embargoes.len(), "item"),
        next.until.to_rfc3339(),
        next.file.display()
    );
}

/// The warnings of a run, on standard error.
#[allow(clippy::print_stderr)]
pub fn print_warnings(warnings: &brief::diagnostic::Diagnostics) {
    use std::io::IsTerminal;
    if !warnings.is_empty() {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", render(warnings, color));
    }
}

/// A number with a word that agrees with it: `1 page`, `2 pages`.
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
