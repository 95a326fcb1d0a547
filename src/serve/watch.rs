//! Watching the site's folders and turning bursts of file events into one rebuild.
//!
//! The watcher's events are gathered into a [`Burst`] until it ends: until no change has come for
//! [`QUIET`], or, when the burst has changed one file and that file is seen complete (closed
//! after writing, or renamed into place, as editors save), for [`SETTLE`]. A save is then rebuilt
//! at once, while a file being written, or a checkout or a search-and-replace over many files, is
//! waited for, so that it is not rebuilt half-done.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use brief::paths::{Class, SiteRoot, SOURCE_DIRS};
use brief::Error;
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::http::AppState;

/// How long a burst must be quiet to end, unless it is one file saved: a file still being
/// written, a file deleted or renamed away (an editor may be about to write it again), a folder
/// made, several files changed.
const QUIET: Duration = Duration::from_millis(10);

/// How long a burst of one file's changes must be quiet to end once that file was seen complete:
/// the other events of the same save (an editor's backup removed, its temporary file renamed)
/// come within a millisecond.
const SETTLE: Duration = Duration::from_millis(2);

/// Whether to colour terminal output.
pub fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Whether a changed path can affect the site: a file or folder that brief reads, not an
/// editor's temporary file. Paths go through [`SiteRoot::classify`], the one place that makes
/// them comparable, so that a root given as `.` or `site` matches the absolute paths the
/// watcher reports.
pub fn relevant(root: &SiteRoot, path: &Path) -> bool {
    root.classify(path) != Class::Ignored
}

/// The changes of one burst, gathered until it ends.
#[derive(Default)]
struct Burst {
    /// The changed paths that can affect the site.
    paths: BTreeSet<PathBuf>,
    /// When the last change came, and whether it left the burst's one file complete.
    last: Option<(Instant, bool)>,
}

impl Burst {
    /// Takes one event of the watcher in, as seen at `at`.
    fn take(&mut self, root: &SiteRoot, event: &Event, at: Instant) {
        if event.need_rescan() {
            // The system dropped events (its queue overflowed): every folder is read again.
            self.paths.extend(SOURCE_DIRS.iter().map(|d| root.join(d)));
            self.last = Some((at, false));
            return;
        }
        // The path a completed file has now: the file closed after writing, or the name a
        // rename gave (the last of a rename's paths).
        let completed = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => event.paths.last(),
            // Reading a file is an event too (the rebuild's own reads among them), and so is a
            // change of permissions or times: neither changes what a page shows.
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return,
            _ => None,
        };
        let mut changed = false;
        for path in &event.paths {
            if relevant(root, path) {
                self.paths.insert(path.clone());
                changed = true;
            }
        }
        if changed {
            // Several files are a tool at work (a checkout, a search-and-replace, a copy): each
            // may be complete while the next is not yet written.
            let complete = completed.is_some_and(|p| relevant(root, p)) && self.paths.len() == 1;
            self.last = Some((at, complete));
        }
    }

    /// When the burst ends if nothing more comes; `None` while it has no change.
    fn deadline(&self) -> Option<Instant> {
        self.last.map(|(at, complete)| at + if complete { SETTLE } else { QUIET })
    }
}

/// Waits for the next burst of changes and returns its paths; `None` once the watcher is gone.
/// Changes that came during the last rebuild are waiting in the channel and join the burst.
fn next_burst(root: &SiteRoot, rx: &mpsc::Receiver<Event>) -> Option<Vec<PathBuf>> {
    let mut burst = Burst::default();
    loop {
        let event = match burst.deadline() {
            None => rx.recv().ok()?,
            Some(deadline) => match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => return Some(burst.paths.into_iter().collect()),
                Err(RecvTimeoutError::Disconnected) => return None,
            },
        };
        burst.take(root, &event, Instant::now());
    }
}

/// Starts watching; rebuilds run on a thread of their own. The returned value stops the watcher
/// when dropped.
pub fn start(root: SiteRoot, state: Arc<AppState>) -> Result<impl Sized, Error> {
    let (tx, rx) = mpsc::channel::<Event>();
    // Every event goes to the burst, which alone decides what counts as a change.
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
        if let Ok(event) = result {
            let _ = tx.send(event);
        }
    })
    .map_err(|e| Error::io("cannot watch the site's files", e))?;
    // The root itself, not recursively, so that a watched folder that is deleted and comes back
    // is noticed; the folders recursively.
    watcher
        .watch(root.path(), RecursiveMode::NonRecursive)
        .map_err(|e| Error::io(format!("cannot watch {}", root.given().display()), e))?;
    for dir in SOURCE_DIRS {
        let _ = watcher.watch(&root.join(dir), RecursiveMode::Recursive);
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let keep = Arc::clone(&watcher);
    std::thread::spawn(move || rebuild_loop(root, rx, state, watcher));
    Ok(keep)
}

fn rebuild_loop(
    root: SiteRoot,
    rx: mpsc::Receiver<Event>,
    state: Arc<AppState>,
    watcher: Arc<Mutex<RecommendedWatcher>>,
) {
    while let Some(changed) = next_burst(&root, &rx) {
        // A watched folder that was created (again) needs a watch of its own.
        for dir in SOURCE_DIRS {
            let path = root.join(dir);
            if changed.contains(&path) && path.is_dir() {
                if let Ok(mut w) = watcher.lock() {
                    let _ = w.watch(&path, RecursiveMode::Recursive);
                }
            }
        }
        let mut site = state.site.lock().unwrap_or_else(|e| e.into_inner());
        let was_failing = site.error().is_some();
        let outcome = site.apply_with(&changed, &mut |change, files| super::publish_early(&state, change, files));
        super::announce(&state, &outcome, site.files(), was_failing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, Flag, RemoveKind};

    #[test]
    fn only_site_files_trigger_rebuilds() {
        let dir = tempfile::tempdir().unwrap();
        let root = SiteRoot::new(dir.path());
        let at = |p: &str| dir.path().join(p);
        assert!(relevant(&root, &at("content/announcements/a.md")));
        assert!(relevant(&root, &at("templates/base.html")));
        assert!(relevant(&root, &at("content")));
        assert!(!relevant(&root, &at("public/index.html")));
        assert!(!relevant(&root, &at("content/.a.md.swp")));
        assert!(!relevant(&root, &at("content/a.md~")));
        assert!(!relevant(&root, &at("static/4913")));
        assert!(!relevant(&root, Path::new("/elsewhere/content/a.md")));
    }

    /// A burst fed `events` one millisecond apart, from `t0`.
    fn burst(root: &SiteRoot, t0: Instant, events: &[(EventKind, &[&str])]) -> Burst {
        let mut burst = Burst::default();
        for (i, (kind, paths)) in events.iter().enumerate() {
            let mut event = Event::new(*kind);
            for p in *paths {
                event = event.add_path(root.path().join(p));
            }
            burst.take(root, &event, t0 + Duration::from_millis(i as u64));
        }
        burst
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Any));
    const CLOSED: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const RENAMED: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
    const A: &str = "content/announcements/a.md";
    const B: &str = "content/announcements/b.md";

    fn paths(root: &SiteRoot, burst: &Burst) -> Vec<String> {
        burst.paths.iter().map(|p| root.relative(p).unwrap().display().to_string()).collect()
    }

    #[test]
    fn a_save_seen_complete_ends_the_burst_soon_and_a_write_in_progress_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = SiteRoot::new(dir.path());
        let t0 = Instant::now();
        let ms = |n: u64| t0 + Duration::from_millis(n);
        // Written, not yet closed: the writer may go on.
        let writing = burst(&root, t0, &[(WRITE, &[A])]);
        assert_eq!(writing.deadline(), Some(ms(0) + QUIET));
        // Closed after writing: the save is complete.
        let saved = burst(&root, t0, &[(WRITE, &[A]), (CLOSED, &[A])]);
        assert_eq!(saved.deadline(), Some(ms(1) + SETTLE));
        assert_eq!(paths(&root, &saved), [A]);
        // Another file written after it is waited for, and so is the end of a burst over several
        // files, each of them complete.
        let more = burst(&root, t0, &[(CLOSED, &[A]), (WRITE, &[B])]);
        assert_eq!(more.deadline(), Some(ms(1) + QUIET));
        let several = burst(&root, t0, &[(WRITE, &[A]), (CLOSED, &[A]), (WRITE, &[B]), (CLOSED, &[B])]);
        assert_eq!(several.deadline(), Some(ms(3) + QUIET));
        assert_eq!(paths(&root, &several), [A, B]);
    }

    #[test]
    fn an_editors_save_ends_when_the_file_is_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let root = SiteRoot::new(dir.path());
        let t0 = Instant::now();
        let ms = |n: u64| t0 + Duration::from_millis(n);
        // Vim: the file renamed to its backup, written anew, closed, the backup removed.
        let vim = [
            (RENAMED, &[A, "content/announcements/a.md~"][..]),
            (EventKind::Create(CreateKind::File), &[A][..]),
            (WRITE, &[A][..]),
            (CLOSED, &[A][..]),
            (EventKind::Remove(RemoveKind::File), &["content/announcements/a.md~"][..]),
        ];
        let mut b = burst(&root, t0, &vim[..1]);
        // Renamed away to a backup: the file is gone for now, and the editor will write it again.
        assert_eq!(b.deadline(), Some(ms(0) + QUIET));
        b = burst(&root, t0, &vim);
        assert_eq!(b.deadline(), Some(ms(3) + SETTLE), "the backup's removal does not count");
        assert_eq!(paths(&root, &b), [A]);
        // A temporary file renamed over the original.
        let renamed = burst(
            &root,
            t0,
            &[(CLOSED, &["content/announcements/.a.md.tmp"]), (RENAMED, &["content/announcements/.a.md.tmp", A])],
        );
        assert_eq!(renamed.deadline(), Some(ms(1) + SETTLE));
        assert_eq!(paths(&root, &renamed), [A]);
    }

    #[test]
    fn reads_metadata_and_editor_files_are_not_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = SiteRoot::new(dir.path());
        let t0 = Instant::now();
        let quiet = burst(
            &root,
            t0,
            &[
                (EventKind::Access(AccessKind::Open(notify::event::AccessMode::Any)), &[A]),
                (EventKind::Access(AccessKind::Close(AccessMode::Read)), &[A]),
                (EventKind::Modify(ModifyKind::Metadata(notify::event::MetadataKind::Any)), &[A]),
                (CLOSED, &["content/announcements/.a.md.swp"]),
                (WRITE, &["public/index.html"]),
            ],
        );
        assert_eq!(quiet.deadline(), None);
        assert!(quiet.paths.is_empty());
    }

    /// Feeds the system's own events for what `save` does into a burst, until the burst holds a
    /// change seen complete; fails if none comes within a generous deadline.
    #[cfg(target_os = "linux")]
    fn seen_complete(save: impl FnOnce(&Path)) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/announcements")).unwrap();
        std::fs::write(dir.path().join(A), "---\ntitle: Before\n---\n").unwrap();
        let root = SiteRoot::new(dir.path());
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |r: notify::Result<Event>| {
            if let Ok(event) = r {
                let _ = tx.send(event);
            }
        })
        .unwrap();
        watcher.watch(&root.join("content"), RecursiveMode::Recursive).unwrap();
        save(root.path());
        let mut burst = Burst::default();
        let give_up = Instant::now() + Duration::from_secs(60);
        while !burst.last.is_some_and(|(_, complete)| complete) {
            let left = give_up.saturating_duration_since(Instant::now());
            let event = rx.recv_timeout(left).expect("the watcher reports the save as complete");
            burst.take(&root, &event, Instant::now());
        }
        paths(&root, &burst)
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn the_systems_own_events_show_a_save_complete() {
        // Written in place, as most editors and `std::fs::write` do.
        assert_eq!(seen_complete(|root| std::fs::write(root.join(A), "---\ntitle: After\n---\n").unwrap()), [A]);
        // Vim's way: renamed to a backup, written anew, the backup removed.
        let vim = seen_complete(|root| {
            let backup = root.join("content/announcements/a.md~");
            std::fs::rename(root.join(A), &backup).unwrap();
            std::fs::write(root.join(A), "---\ntitle: After\n---\n").unwrap();
            std::fs::remove_file(backup).unwrap();
        });
        assert_eq!(vim, [A]);
        // A temporary file renamed over the original.
        let renamed = seen_complete(|root| {
            let tmp = root.join("content/announcements/.a.md.tmp");
            std::fs::write(&tmp, "---\ntitle: After\n---\n").unwrap();
            std::fs::rename(&tmp, root.join(A)).unwrap();
        });
        assert_eq!(renamed, [A]);
    }

    #[test]
    fn lost_events_read_every_folder_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = SiteRoot::new(dir.path());
        let mut b = Burst::default();
        let t0 = Instant::now();
        b.take(&root, &Event::new(EventKind::Other).set_flag(Flag::Rescan), t0);
        assert_eq!(b.deadline(), Some(t0 + QUIET));
        assert_eq!(paths(&root, &b), ["content", "messages", "static", "templates"]);
    }
}
