//! The write phase: the whole site is written into a fresh directory beside the output, which
//! then takes the output's place in one step. A build that fails, or is killed, leaves the
//! previous output exactly as it was.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::paths::absolute;

use rayon::prelude::*;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path in the output, with `/` separators (`announcements/x/index.html`).
    pub path: String,
    /// What to write.
    pub contents: Contents,
}

impl OutputFile {
    /// A file of text made by the build.
    pub fn text(path: impl Into<String>, text: impl Into<String>) -> OutputFile {
        OutputFile { path: path.into(), contents: Contents::Rendered(text.into()) }
    }
}

/// The bytes of an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Rendered text.
    Rendered(String),
    /// A file copied from `static/`.
    Copy(std::path::PathBuf),
    /// Bytes made by the build (compressed files).
    Bytes(Vec<u8>),
    /// A rendered page already written into a staged output, at this path (see
    /// [`Staged::put`]); the path holds until the output is committed.
    Staged(std::path::PathBuf),
}

impl Contents {
    /// The bytes, reading a copied file from disk.
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        Ok(match self {
            Contents::Rendered(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
            Contents::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes),
            Contents::Copy(path) | Contents::Staged(path) => std::borrow::Cow::Owned(std::fs::read(path)?),
        })
    }

    /// The text of a rendered page, read back from its staged file if it was written already;
    /// `None` for the other files.
    pub fn page_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Contents::Rendered(text) => Some(std::borrow::Cow::Borrowed(text)),
            Contents::Staged(path) => std::fs::read_to_string(path).ok().map(std::borrow::Cow::Owned),
            Contents::Copy(_) | Contents::Bytes(_) => None,
        }
    }
}

/// The suffix of the file that marks a directory as written by brief, so that it may be replaced.
/// The marker lies beside the directory (`.public.brief-output` for `public/`), never inside it,
/// so that it is not published.
pub const MARKER: &str = ".brief-output";
const MARKER_TEXT: &str = "The directory beside this file is written by brief; each build replaces it whole.\n";

/// The marker file of output directory `out`.
pub fn marker(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    out.with_file_name(format!(".{name}{MARKER}"))
}

/// Follows symbolic links in the part of `path` that exists.
fn real(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.into_iter().rev());
    out
}

/// Refuses output directories that would destroy the site or someone else's files.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), String> {
    let root = real(&absolute(root));
    let out = real(&absolute(out));
    if out == root {
        return Err(format!(
            "refusing to write the site into its own root {}: pass --out DIR, such as --out public",
            root.display()
        ));
    }
    if root.starts_with(&out) {
        return Err(format!(
            "refusing to write into {}: it contains the site itself; choose another --out",
            out.display()
        ));
    }
    for dir in ["content", "templates", "static"] {
        if out.starts_with(root.join(dir)) {
            return Err(format!("refusing to write into {}: it is inside the site's {dir}/ folder; choose another --out, such as public", out.display()));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("refusing to write into {}: it is a file, not a directory", out.display()));
        }
        let empty = fs::read_dir(&out).map(|mut d| d.next().is_none()).unwrap_or(false);
        // Builds before 0.1 kept the marker inside the output.
        let ours = marker(&out).is_file() || out.join(MARKER).is_file();
        if !empty && !ours {
            return Err(format!(
                "refusing to replace {}: it is not empty and brief did not create it (there is no {} beside it); empty it, or choose another --out",
                out.display(),
                marker(&out).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            ));
        }
    }
    Ok(())
}

/// What the write phase did.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Files written because they are new or changed (the others are linked from the previous output).
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes `files` into `out`, replacing what was there only once everything is written.
pub fn write(files: &[OutputFile], out: &Path) -> io::Result<Written> {
    stage(files, out)?.commit()
}

/// An output written beside the output directory it is to replace: [`Staged::commit`] puts it
/// in place; dropped uncommitted, it is removed and the previous output stays as it was. Staging
/// lets a build write each page as soon as it is rendered ([`Staged::put`]) and the rest while
/// the last checks run ([`Staged::fill`]), and keep nothing if anything fails.
#[must_use = "a staged output is removed unless it is committed"]
pub struct Staged {
    staging: PathBuf,
    out: PathBuf,
    /// The output being replaced, whose unchanged files are linked rather than written again.
    previous: Option<PathBuf>,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// The first error of [`Staged::put`], which [`Staged::commit`] returns.
    failed: Mutex<Option<io::Error>>,
    committed: bool,
}

/// Starts an output beside `out`, empty.
pub fn begin(out: &Path) -> io::Result<Staged> {
    let out = absolute(out);
    let parent = out.parent().ok_or_else(|| io::Error::other("the output directory has no parent"))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
    remove_leftovers(parent, &name);
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::create_dir(&staging).map_err(|e| with_path(e, &staging))?;
    let previous = out.is_dir().then(|| out.clone());
    Ok(Staged {
        staging,
        out,
        previous,
        files: AtomicUsize::new(0),
        bytes: AtomicU64::new(0),
        failed: Mutex::new(None),
        committed: false,
    })
}

/// Writes `files` into a staging directory beside `out`.
pub fn stage(files: &[OutputFile], out: &Path) -> io::Result<Staged> {
    let staged = begin(out)?;
    staged.fill(files)?;
    Ok(staged)
}

impl Staged {
    /// Writes the file at output path `path` now, from any thread, and says where its bytes are
    /// until the output is committed: the caller need not keep them. A failure is kept for
    /// [`Staged::commit`], which returns it.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Contents {
        let target = self.staging.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), |dir| fs::create_dir_all(dir).map_err(|e| with_path(e, dir)))
            .and_then(|()| self.write(path, &target, Bytes::Slice(bytes)));
        if let Err(e) = written {
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(e);
        }
        Contents::Staged(target)
    }

    /// Whether `file` is one [`Staged::put`] wrote.
    fn holds(&self, file: &OutputFile) -> bool {
        matches!(&file.contents, Contents::Staged(at) if at.starts_with(&self.staging))
    }

    /// Writes `files` (but those [`Staged::put`] wrote).
    pub fn fill(&self, files: &[OutputFile]) -> io::Result<()> {
        let files: Vec<&OutputFile> = files.iter().filter(|f| !self.holds(f)).collect();
        let dirs: BTreeSet<&str> = files.iter().filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d)).collect();
        // In parallel: a folder for each page makes tens of thousands. `create_dir_all` takes a
        // parent made meanwhile by another thread as made.
        dirs.par_iter().try_for_each(|d| {
            let path = self.staging.join(d);
            fs::create_dir_all(&path).map_err(|e| with_path(e, &path))
        })?;
        files.par_iter().try_for_each(|f| {
            let bytes = match &f.contents {
                Contents::Rendered(text) => Bytes::Slice(text.as_bytes()),
                Contents::Bytes(bytes) => Bytes::Slice(bytes),
                Contents::Copy(from) | Contents::Staged(from) => Bytes::File(from),
            };
            self.write(&f.path, &self.staging.join(&f.path), bytes)
        })
    }

    /// Writes one file at `target`, or links it from the previous output when its bytes are
    /// the same there: it keeps its inode and modification time, so that deploy tools comparing
    /// times or sizes see only what really changed.
    fn write(&self, path: &str, target: &Path, bytes: Bytes) -> io::Result<()> {
        if let Some(old) = self.previous.as_ref().map(|p| p.join(path)) {
            if same_bytes(&old, &bytes) && fs::hard_link(&old, target).is_ok() {
                return Ok(());
            }
        }
        let n = match bytes {
            Bytes::Slice(b) => fs::write(target, b).map(|()| b.len() as u64),
            Bytes::File(from) => fs::copy(from, target),
        }
        .map_err(|e| with_path(e, target))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    /// Replaces the output directory with the staged one.
    pub fn commit(mut self) -> io::Result<Written> {
        if let Some(e) = self.failed.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(e);
        }
        fs::write(marker(&self.out), MARKER_TEXT).map_err(|e| with_path(e, &marker(&self.out)))?;
        swap(&self.staging, &self.out)?;
        self.committed = true;
        Ok(Written { files: *self.files.get_mut(), bytes: *self.bytes.get_mut() })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.staging);
        }
    }
}

/// The bytes of a file to write: in memory, or in a file to copy.
enum Bytes<'a> {
    Slice(&'a [u8]),
    File(&'a Path),
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Removes staging directories left by builds that were killed.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Whether the file at `old` (a regular file, not a link) holds exactly `contents`.
fn same_bytes(old: &Path, bytes: &Bytes) -> bool {
    let Ok(meta) = fs::symlink_metadata(old) else { return false };
    if !meta.is_file() {
        return false;
    }
    let new = match bytes {
        Bytes::Slice(b) => std::borrow::Cow::Borrowed(*b),
        // A copied file is read only when its size matches.
        Bytes::File(from) => match fs::metadata(from) {
            Ok(m) if m.len() == meta.len() => match fs::read(from) {
                Ok(b) => std::borrow::Cow::Owned(b),
                Err(_) => return false,
            },
            _ => return false,
        },
    };
    meta.len() == new.len() as u64 && fs::read(old).is_ok_and(|b| b == *new)
}

/// Puts `staging` in the place of `out` in one step where the system allows it.
fn swap(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return fs::rename(staging, out).map_err(|e| with_path(e, out));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous output.
            let _ = remove_tree(staging);
            return Ok(());
        }
    }
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
    fs::rename(out, &old).map_err(|e| with_path(e, out))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(with_path(e, out));
    }
    let _ = remove_tree(&old);
    Ok(())
}

/// Removes the directory `dir` and everything in it, never following a symbolic link (a link is
/// removed, not what it points to). On Linux the folders are emptied in parallel, each through
/// its open handle: the previous output of a large site is tens of thousands of files and
/// folders, and removing it is the last step of a build, on one core otherwise.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{openat, Mode, OFlags, CWD};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        // Not a directory (a link, a file, nothing): the standard removal says what it is.
        if let Ok(handle) = openat(CWD, dir, flags, Mode::empty()) {
            let emptied = empty_dir(&handle);
            drop(handle);
            // What could not be removed this way (too many open files, say) is left to the
            // standard removal.
            return match emptied {
                Ok(()) => fs::remove_dir(dir),
                Err(_) => fs::remove_dir_all(dir),
            };
        }
    }
    fs::remove_dir_all(dir)
}

/// Removes everything in the open directory `dir`, its folders in parallel.
#[cfg(target_os = "linux")]
fn empty_dir(dir: &std::os::fd::OwnedFd) -> rustix::io::Result<()> {
    use rustix::fs::{openat, statat, unlinkat, AtFlags, Dir, FileType, Mode, OFlags};
    use rustix::io::Errno;
    // The listing is read whole and closed before the folders in it are opened, so that each
    // level holds one handle.
    let entries = {
        let mut entries = Vec::new();
        let mut listing = Dir::read_from(dir)?;
        while let Some(entry) = listing.read() {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_bytes() != b"." && name.to_bytes() != b".." {
                entries.push((name.to_owned(), entry.file_type()));
            }
        }
        entries
    };
    let remove_one = |(name, kind): &(std::ffi::CString, FileType)| -> rustix::io::Result<()> {
        let kind = match kind {
            FileType::Unknown => FileType::from_raw_mode(statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)?.st_mode),
            known => *known,
        };
        if kind == FileType::Directory {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            empty_dir(&openat(dir, name, flags, Mode::empty())?)?;
            unlinkat(dir, name, AtFlags::REMOVEDIR)
        } else {
            unlinkat(dir, name, AtFlags::empty())
        }
    };
    // Gone already: another build removing the same leftover folder got there first.
    let remove = |entry: &(std::ffi::CString, FileType)| match remove_one(entry) {
        Err(Errno::NOENT) => Ok(()),
        other => other,
    };
    // A folder of a few entries (a page's own) is emptied where it is: handing it to another
    // thread costs more than removing it.
    if entries.len() < 16 {
        entries.iter().try_for_each(remove)
    } else {
        entries.par_iter().try_for_each(remove)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_is_removed_without_following_its_links() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("keep.txt"), "kept").unwrap();
        let tree = dir.path().join("public");
        // Enough folders that they are emptied in parallel, each with a page and a folder inside.
        for i in 0..40 {
            let page = tree.join(format!("announcements/a-{i}/deeper"));
            fs::create_dir_all(&page).unwrap();
            fs::write(page.join("index.html"), "page").unwrap();
            fs::write(page.parent().unwrap().join("index.html"), "page").unwrap();
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, tree.join("announcements/a-3/to-outside")).unwrap();
            std::os::unix::fs::symlink(outside.join("keep.txt"), tree.join("file-link")).unwrap();
        }
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(fs::read_to_string(outside.join("keep.txt")).unwrap(), "kept");
        assert_eq!(remove_tree(&tree).unwrap_err().kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn two_removals_of_the_same_tree_at_once_remove_it_whole() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join(".public.old-1");
        for i in 0..300 {
            let page = tree.join(format!("announcements/a-{i}"));
            fs::create_dir_all(&page).unwrap();
            fs::write(page.join("index.html"), "page").unwrap();
        }
        // As two builds removing the same leftover folder do.
        let removals: Vec<_> =
            (0..2).map(|_| tree.clone()).map(|t| std::thread::spawn(move || remove_tree(&t))).collect();
        let results: Vec<io::Result<()>> = removals.into_iter().map(|h| h.join().unwrap()).collect();
        assert!(!tree.exists(), "{results:?}");
        for r in results {
            assert!(r.is_ok() || r.is_err_and(|e| e.kind() == io::ErrorKind::NotFound));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_previous_output_is_written_over_not_linked() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[OutputFile::text("a/index.html", "same")], &out).unwrap();
        // The previous page replaced by a link to a file outside, with the same bytes.
        let outside = dir.path().join("outside.html");
        fs::write(&outside, "same").unwrap();
        fs::remove_file(out.join("a/index.html")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("a/index.html")).unwrap();
        let written = write(&[OutputFile::text("a/index.html", "same")], &out).unwrap();
        assert_eq!(written.files, 1, "the page is written, not linked from the previous output");
        assert!(fs::symlink_metadata(out.join("a/index.html")).unwrap().is_file());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "same");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "same");
    }

    #[test]
    fn only_changed_files_are_written_again() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[OutputFile::text("same/index.html", "unchanged"), OutputFile::text("changed/index.html", "one")], &out)
            .unwrap();
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (same, changed) = (inode("same/index.html"), inode("changed/index.html"));
        let written = write(
            &[OutputFile::text("same/index.html", "unchanged"), OutputFile::text("changed/index.html", "two")],
            &out,
        )
        .unwrap();
        assert_eq!(written.files, 1);
        assert_eq!(inode("same/index.html"), same);
        assert_ne!(inode("changed/index.html"), changed);
        assert_eq!(fs::read_to_string(out.join("changed/index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("same/index.html")).unwrap(), "unchanged");
    }

    #[test]
    fn pages_written_as_they_are_rendered_are_read_back_and_linked_when_unchanged() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = begin(&out).unwrap();
        let same = first.put("same/index.html", b"unchanged");
        first.put("changed/index.html", b"one");
        // `fill` leaves the pages `put` wrote, and writes the rest.
        first
            .fill(&[OutputFile { path: "same/index.html".into(), contents: same }, OutputFile::text("feed.xml", "f")])
            .unwrap();
        assert_eq!(first.commit().unwrap().files, 3);
        let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
        let (same, changed) = (inode("same/index.html"), inode("changed/index.html"));

        let second = begin(&out).unwrap();
        let page = second.put("same/index.html", b"unchanged");
        assert!(matches!(page, Contents::Staged(_)), "{page:?}");
        assert_eq!(page.page_text().as_deref(), Some("unchanged"));
        assert_eq!(page.bytes().unwrap().as_ref(), b"unchanged");
        second.put("changed/index.html", b"two");
        second.fill(&[OutputFile::text("feed.xml", "f")]).unwrap();
        // Only the changed page is written again; the others are linked from the previous output.
        assert_eq!(second.commit().unwrap().files, 1);
        assert_eq!(inode("same/index.html"), same);
        assert_ne!(inode("changed/index.html"), changed);
        assert_eq!(fs::read_to_string(out.join("changed/index.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("feed.xml")).unwrap(), "f");
    }

    #[test]
    fn a_page_that_cannot_be_written_fails_the_commit_and_leaves_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[OutputFile::text("index.html", "before")], &out).unwrap();
        let staged = begin(&out).unwrap();
        staged.put("a", b"a file");
        // Its folder would be the file just written.
        staged.put("a/index.html", b"page");
        staged.put("b/index.html", b"page");
        let err = staged.commit().unwrap_err();
        assert!(err.to_string().contains("public.tmp-"), "{err}");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "before");
        let beside: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(beside.is_empty(), "{beside:?}");
    }

    #[test]
    fn refuses_dangerous_output_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_out_dir(root, root).is_err());
        assert!(check_out_dir(root, &root.join("content/out")).is_err());
        assert!(check_out_dir(&root.join("content"), root).is_err());
        fs::create_dir_all(root.join("other")).unwrap();
        fs::write(root.join("other/notes.txt"), "mine").unwrap();
        assert!(check_out_dir(root, &root.join("other")).unwrap_err().contains("brief did not create it"));
        assert!(check_out_dir(root, &root.join("public")).is_ok());
    }

    #[test]
    fn replaces_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[OutputFile::text("a/index.html", "one"), OutputFile::text("old.html", "x")], &out).unwrap();
        assert!(marker(&out).is_file());
        assert!(!out.join(MARKER).exists());
        check_out_dir(dir.path(), &out).unwrap();
        write(&[OutputFile::text("a/index.html", "two")], &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let mut leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        leftovers.sort();
        assert_eq!(
            leftovers,
            vec![std::ffi::OsString::from(".public.brief-output"), std::ffi::OsString::from("public")]
        );
    }
}
