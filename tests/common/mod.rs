//! The fixture-site harness shared by the integration tests: a briefing in a temporary folder,
//! changed file by file, and built with the real `brief` binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `brief` command.
pub fn brief() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_brief"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// A briefing in a temporary folder.
pub struct Site {
    dir: tempfile::TempDir,
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// The small example briefing of `brief new`.
    pub fn starter() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let out = brief().arg("new").arg(dir.path().join("site")).output().unwrap();
        assert!(out.status.success(), "brief new failed: {}", String::from_utf8_lossy(&out.stderr));
        Site { dir }
    }

    /// A copy of the repository's real briefing (content/, templates/, static/, messages/).
    pub fn real() -> Site {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["content", "templates", "static", "messages"] {
            copy_tree(&repo().join(sub), &dir.path().join("site").join(sub));
        }
        Site { dir }
    }

    /// The site's root folder.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// The default output folder.
    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file of the site (creating folders).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Reads a file of the site.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap()
    }

    /// Appends `text` to a file of the site (`site.yaml` settings, say).
    pub fn append(&self, rel: &str, text: &str) -> &Self {
        let old = self.read(rel);
        self.write(rel, old + text)
    }

    /// Replaces the first occurrence of `from` with `to` in a file of the site.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    /// Removes a file or folder of the site.
    pub fn remove(&self, rel: &str) -> &Self {
        let path = self.root().join(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
        self
    }

    /// Runs `brief <args> --root ROOT`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = brief().args(args).arg("--root").arg(self.root()).output().unwrap();
        Run::from(out)
    }

    /// Runs `brief build --root ROOT`.
    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Every file under the output folder, with its bytes.
    pub fn output(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.public())
    }
}

/// A PNG of `width` × `height` pixels of one colour.
pub fn png(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(width, height, image::Rgb(colour)).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// The outcome of one run of `brief`.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts success and returns self.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "brief failed:\n{}\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts the exit code and returns self.
    pub fn code(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit {code}:\n{}\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts that stderr contains `text`.
    pub fn says(self, text: &str) -> Run {
        assert!(self.stderr.contains(text), "expected {text:?} in:\n{}", self.stderr);
        self
    }
}
