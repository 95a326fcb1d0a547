//! `brief serve`: builds the site in memory, serves it on loopback, and rebuilds what changed on
//! every save. Composes the library's [`brief::dev::DevSite`] with an HTTP server and a watcher.

/// Prints to stdout like `println!`, but a reader that went away (`brief serve | head -1`, a test
/// that reads the address and drops the pipe) is no reason to stop: `println!` panics on the
/// closed pipe, and on the rebuild thread that panic ends every rebuild after it, while the
/// server goes on serving the old pages.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, $($arg)*);
        let _ = out.flush();
    }};
}

/// Prints to stderr like `eprintln!`, ignoring a closed pipe as [`say!`] does.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod http;
mod search;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use brief::dev::DevSite;
use brief::paths::SiteRoot;
use brief::Error;
use tokio::sync::broadcast;

use http::{AppState, Event};

/// How to serve.
pub struct Config {
    /// The site's root.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// What to load: drafts, the moment embargoes are judged at.
    pub settings: brief::Settings,
    /// Make the search index in the background, and again after saves.
    pub search: bool,
}

/// Serves until Ctrl-C.
pub fn run(config: Config) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the server", e))?;
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(config.bind, config.port)).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::Usage(format!(
                "port {} is already in use on {}: choose another with --port N, or --port 0 for any free port",
                config.port, config.bind
            ))
        } else {
            Error::Usage(format!("cannot listen on {}:{}: {e}", config.bind, config.port))
        }
    })?;
    let addr = listener.local_addr().map_err(|e| Error::io("cannot read the server's address", e))?;
    if !config.bind.is_loopback() {
        tell!(
            "warning: serving on {}, which other machines on the network can reach; the dev server is for your own machine (the default is 127.0.0.1)",
            config.bind
        );
    }
    let shown = if addr.ip().is_unspecified() { SocketAddr::new([127, 0, 0, 1].into(), addr.port()) } else { addr };
    let url = format!("http://{shown}/");
    // Items under embargo are shown to the editor, marked as such.
    let settings = brief::Settings { base_url: Some(url.clone()), preview_embargoed: true, ..config.settings.clone() };
    // One canonical root for the site and the watcher, so that the paths the watcher reports
    // compare with it however the root was given (`.`, `site`, through a link).
    let root = SiteRoot::new(&config.root);
    let site_root = root.path().to_path_buf();
    let site = tokio::task::spawn_blocking(move || DevSite::open(&site_root, settings))
        .await
        .map_err(|e| Error::io("the first build failed", e))?;
    if let Some(errors) = site.error() {
        show(&errors.render(watch::color()));
        tell!("The site has problems; serving what could be built. Fix them and save: the page will update.");
    }
    let (events, _) = broadcast::channel(64);
    let error = site.error().map(|e| e.render(false));
    let (reindex, wake) = std::sync::mpsc::channel();
    let state = Arc::new(AppState {
        files: RwLock::new(site.files()),
        site: Mutex::new(site),
        error: RwLock::new(error.clone()),
        events,
        addr,
        last_error: Mutex::new(error),
        search: RwLock::new(Default::default()),
        reindex: config.search.then_some(reindex),
    });
    if config.search {
        search::start(Arc::clone(&state), wake);
    }
    let _watcher = watch::start(root, Arc::clone(&state))?;

    let app = axum::Router::new().fallback(http::handle).with_state(Arc::clone(&state));
    // Listen for Ctrl-C before saying we serve, so that an early one still stops us cleanly.
    let stop = stop_signal().map_err(|e| Error::io("cannot listen for Ctrl-C", e))?;
    say!("Serving at {url}");
    if config.open {
        let _ = open::that_detached(&url);
    }
    axum::serve(listener, app)
        .with_graceful_shutdown({
            let state = Arc::clone(&state);
            async move {
                stop.await;
                let _ = state.events.send(Event::Shutdown);
            }
        })
        .await
        .map_err(|e| Error::io("the server stopped", e))?;
    say!("Stopped.");
    Ok(())
}

/// A future that completes on Ctrl-C (or SIGTERM), with the handlers installed now.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Serves the pages a rebuild rendered first, and tells the browsers showing them.
fn publish_early(state: &AppState, change: &brief::dev::Change, files: brief::dev::Files) {
    *state.files.write().unwrap_or_else(|e| e.into_inner()) = files;
    let pages: Vec<String> = change.paths.iter().map(|p| brief::routes::site_path(p)).collect();
    if !pages.is_empty() {
        let _ = state.events.send(Event::Reload(pages));
    }
}

/// Serves what a rebuild made, tells the browsers what changed, and prints it once.
fn announce(state: &AppState, outcome: &brief::dev::Outcome, files: brief::dev::Files, was_failing: bool) {
    use brief::dev::Outcome;
    *state.files.write().unwrap_or_else(|e| e.into_inner()) = files;
    *state.error.write().unwrap_or_else(|e| e.into_inner()) = match outcome {
        Outcome::Failed(errors) => Some(errors.render(false)),
        _ => None,
    };
    if !matches!(outcome, Outcome::Failed(_)) {
        *state.last_error.lock().unwrap_or_else(|e| e.into_inner()) = None;
        if was_failing {
            let _ = state.events.send(Event::Fixed);
            say!("Fixed.");
        }
    }
    if let (Outcome::Changed(_), Some(reindex)) = (outcome, &state.reindex) {
        let _ = reindex.send(());
    }
    match outcome {
        Outcome::Changed(change) => {
            let all: Vec<String> = change.paths.iter().map(|p| brief::routes::site_path(p)).collect();
            say!(
                "Rebuilt {} page{} in {} ms: {}",
                change.rendered,
                if change.rendered == 1 { "" } else { "s" },
                change.elapsed.as_millis(),
                summary(&all)
            );
            if std::env::var_os("BRIEF_TIMINGS").is_some() {
                let phases: Vec<String> =
                    change.phases.iter().map(|(n, d)| format!("{n} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
                tell!("  phases: {}", phases.join(", "));
            }
            let rest: Vec<String> = change
                .paths
                .iter()
                .filter(|p| !change.early.contains(p))
                .map(|p| brief::routes::site_path(p))
                .collect();
            if change.css_only {
                let _ = state.events.send(Event::Css);
            } else if !rest.is_empty() {
                let _ = state.events.send(Event::Reload(rest));
            }
        }
        Outcome::Unchanged => {}
        Outcome::Failed(errors) => {
            let text = errors.render(false);
            let mut last = state.last_error.lock().unwrap_or_else(|e| e.into_inner());
            // The same problem saved again is printed once.
            if last.as_deref() != Some(text.as_str()) {
                show(&errors.render(watch::color()));
                *last = Some(text.clone());
            }
            let _ = state.events.send(Event::Problem(text));
        }
    }
}

fn summary(pages: &[String]) -> String {
    match pages.len() {
        0 => "nothing changed".into(),
        1..=4 => pages.join(", "),
        n => format!("{} and {} more", pages[..3].join(", "), n - 3),
    }
}

/// Writes text that ends its own lines (a rendered report) to stderr, ignoring a closed pipe as
/// [`say!`] does.
fn show(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
