//! The `brief` command: parses the command line, runs one subcommand, prints its outcome.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

mod cli;
mod serve;

// glibc's allocator spends a fifth of a build in malloc and free, and consolidates its free lists
// after each rebuild in `serve`; mimalloc does the same work in less time (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::from(err.exit_code() as u8)
        }
    }
}

/// The one place that prints errors.
#[allow(clippy::print_stderr)]
fn report(err: &brief::Error) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match err {
        brief::Error::Content(diagnostics) => {
            eprint!("{}", cli::render(diagnostics, color));
            // JSON lines stay JSON lines to the end.
            if cli::FORMAT.get() != Some(&cli::Format::Json) {
                let n = diagnostics.0.len();
                eprintln!("error: the site has {n} problem{}; nothing was written", if n == 1 { "" } else { "s" });
            }
        }
        brief::Error::Usage(message) => eprintln!("error: {message}"),
        brief::Error::Io { doing, source } => {
            eprintln!("error: {doing}");
            // The whole chain, so that the system's own words (and the path they name) show.
            // A cause whose words its parent already said (libraries that repeat their source
            // in their message) is left out.
            let mut cause: Option<&dyn std::error::Error> = Some(&**source);
            let mut said = String::new();
            while let Some(e) = cause {
                let text = e.to_string();
                if !said.contains(&text) {
                    eprintln!("  caused by: {text}");
                }
                said = text;
                cause = e.source();
            }
        }
    }
}
