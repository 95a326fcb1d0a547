//! Micro-benchmarks of the hot phases of a build (issue 6): load (read + front matter + YAML +
//! Markdown for the whole site), Markdown alone on one ~3 KB body, render, and write.
//!
//! The site is made once per run by `../shared/bench/gen_site.py --pages 200` (override the
//! script with `BRIEF_GEN_SITE`, the size with `BRIEF_BENCH_PAGES`) in a temporary directory on
//! `/dev/shm` when it exists, with this project's `templates/` copied in. Where the script is
//! missing (a clone on its own), the starter with 200 generated announcements stands in, so that
//! `cargo test --all-targets` runs each benchmark once either way.
//!
//!     cargo bench --bench phases
//!     cargo bench --bench phases -- render      # one group
//!
//! With `BRIEF_PHASE_SITE=DIR` (a generated site root with templates/) it instead times each
//! phase of one build of that site once, wall clock, in the order `brief build` runs them, writing
//! to `BRIEF_PHASE_OUT` (default `/dev/shm/brief-phase-out`, removed before and after):
//!
//!     BRIEF_PHASE_SITE=/dev/shm/brief-bench/sites/10000/brief cargo bench --bench phases
//!
//! It then opens the site as `serve` does and saves one announcement's title 20 times
//! (restoring the file after), printing the median of each phase of the incremental rebuilds and
//! the time until the changed page is ready to be served.
//!
//! The benchmarks use the allocator of the `brief` binary (mimalloc), so that the figures are
//! those of the command.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, BatchSize, Criterion, Throughput};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    pages: usize,
}

fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let builder = tempfile::Builder::new().prefix("brief-bench-").to_owned();
    if shm.is_dir() {
        if let Ok(dir) = builder.tempdir_in(shm) {
            return dir;
        }
    }
    builder.tempdir().expect("a temporary directory")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable templates");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn fixture() -> Fixture {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::env::var_os("BRIEF_GEN_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared/bench/gen_site.py"));
    let pages: usize = std::env::var("BRIEF_BENCH_PAGES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let dir = scratch();
    if !script.is_file() {
        return starter_fixture(dir, pages, &script);
    }
    let status = Command::new("python3")
        .arg(&script)
        .args(["--pages", &pages.to_string(), "--only", "brief", "--out"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    assert!(status.success(), "{} failed", script.display());
    let root = dir.path().join("brief");
    copy_dir(&manifest.join("templates"), &root.join("templates"));
    // The templates' words.
    copy_dir(&manifest.join("messages"), &root.join("messages"));
    // The static files the templates refer to (stylesheet, search script, icon).
    copy_dir(&manifest.join("static"), &root.join("static"));
    let out = dir.path().join("out");
    Fixture { _dir: dir, root, out, pages }
}

/// Without the shared generator (a clone on its own), the starter with `pages` announcements of
/// about 3 KB of Markdown each, so that `cargo test --all-targets` still runs every benchmark once.
#[allow(clippy::print_stderr)]
fn starter_fixture(dir: tempfile::TempDir, pages: usize, script: &Path) -> Fixture {
    eprintln!("{} not found: benchmarking the starter with {pages} generated announcements", script.display());
    let root = dir.path().join("brief");
    brief::starter::create(&root).expect("the starter");
    let paragraph = "The delegations agreed on a **plan** for trade, finance and [science](https://example.org/). \
                     Each partner named a lead agency and a first project, to be reviewed next year. ";
    for i in 0..pages {
        let body: String = (0..4)
            .map(|h| format!("## Part {h}\n\n{}\n\n- one point\n- another point\n\n", paragraph.repeat(3)))
            .collect();
        let text = format!(
            "---\ntitle: Announcement {i}\ndate: 2030-05-{:02}\nsummary: Summary {i}.\nspeakers: [jane-doe]\ntopics: [trade]\n---\n\n{body}",
            1 + i % 28
        );
        std::fs::write(root.join(format!("content/announcements/announcement-{i:06}.md")), text).unwrap();
    }
    let out = dir.path().join("out");
    Fixture { _dir: dir, root, out, pages }
}

/// The Markdown body of one generated announcement (about 3 KB).
fn one_body(root: &Path) -> String {
    let rel = Path::new("content/announcements/announcement-000000.md");
    let file = brief::source::read(root, rel).expect("a generated announcement");
    let parts = brief::source::split_front_matter(&file).expect("front matter");
    file.text[parts.body].to_string()
}

fn phases(c: &mut Criterion) {
    let fx = fixture();
    let settings = brief::Settings::default();
    let site = brief::content::load(&fx.root, &settings).unwrap_or_else(|e| panic!("the site does not load:\n{e}"));
    let base_path = site.config.base_path.clone();
    let templates = brief::templates::Templates::load(&fx.root, &base_path)
        .unwrap_or_else(|e| panic!("the templates do not load:\n{e}"));
    let (files, _) =
        brief::build::render_files(&site, &templates).unwrap_or_else(|e| panic!("the site does not render:\n{e}"));
    let body = one_body(&fx.root);
    let n = fx.pages;

    let mut g = c.benchmark_group("parse");
    g.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("markdown one ~3 KB body", |b| b.iter(|| brief::markdown::render(&body, &base_path)));
    let rel = Path::new("content/announcements/announcement-000000.md");
    let file = brief::source::read(&fx.root, rel).unwrap();
    g.bench_function("split front matter", |b| b.iter(|| brief::source::split_front_matter(&file).unwrap()));
    g.finish();

    let mut g = c.benchmark_group("templates");
    g.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.bench_function("load and compile", |b| {
        b.iter(|| brief::templates::Templates::load(&fx.root, &base_path).map_err(|e| e.to_string()).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("site");
    g.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4)).sample_size(20);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("load {n} announcements"), |b| {
        b.iter(|| brief::content::load(&fx.root, &settings).unwrap())
    });
    g.bench_function(format!("render {n} announcements ({} files)", files.len()), |b| {
        b.iter(|| brief::build::render_files(&site, &templates).unwrap())
    });
    g.bench_function(format!("write {} files (cold)", files.len()), |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(&fx.out);
            },
            |()| brief::output::write(&files, &fx.out).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// One build of a big site, phase by phase, wall clock (`BRIEF_PHASE_SITE`).
#[allow(clippy::print_stdout)]
fn phase_split(root: &Path) {
    use std::time::Instant;
    let out =
        std::env::var_os("BRIEF_PHASE_OUT").map(PathBuf::from).unwrap_or_else(|| "/dev/shm/brief-phase-out".into());
    let _ = std::fs::remove_dir_all(&out);
    let step = |lap: &mut Instant, name: &str| {
        println!("{name:<28} {:>9.1} ms", lap.elapsed().as_secs_f64() * 1000.0);
        *lap = Instant::now();
    };
    let all = Instant::now();
    let mut lap = Instant::now();
    let site = brief::content::load(root, &brief::Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    step(&mut lap, "load (read+YAML+Markdown)");
    let templates = brief::templates::Templates::load(root, &site.config.base_path).unwrap_or_else(|e| panic!("{e}"));
    step(&mut lap, "templates load");
    let (files, links) = brief::build::render_files(&site, &templates).unwrap_or_else(|e| panic!("{e}"));
    step(&mut lap, "render");
    brief::build::check_links(&site, &templates, &files, &links).unwrap_or_else(|e| panic!("{e}"));
    step(&mut lap, "link check");
    brief::output::write(&files, &out).unwrap();
    step(&mut lap, "write");
    let total = all.elapsed();
    let bytes: usize = files.iter().map(|f| f.contents.bytes().map_or(0, |b| b.len())).sum();
    println!("{:<28} {:>9.1} ms ({} files, {} MB)", "total", total.as_secs_f64() * 1000.0, files.len(), bytes >> 20);

    // The render phase again, one page kind at a time (each kind's pages in parallel).
    let mut groups: Vec<(String, Vec<brief::routes::PageKind>)> = Vec::new();
    for k in brief::render::pages(&site, &templates) {
        let name = format!("{k:?}").split('(').next().unwrap_or_default().to_string();
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => v.push(k),
            None => groups.push((name, vec![k])),
        }
    }
    for (name, kinds) in &groups {
        let started = Instant::now();
        let rendered = brief::render::render_pages(&site, &templates, kinds, brief::render::Reads::Skip)
            .unwrap_or_else(|e| panic!("{e}"));
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let kb = rendered.iter().map(|p| p.file.contents.bytes().map_or(0, |b| b.len())).sum::<usize>() >> 10;
        println!("  render {name:<19} {elapsed:>9.1} ms ({} pages, {kb} KB)", kinds.len());
    }
    let mut lap = Instant::now();
    drop((files, templates, site));
    step(&mut lap, "drop (not in total)");
    let _ = std::fs::remove_dir_all(&out);
    serve_split(root);
}

/// Incremental rebuilds as `serve` runs them, after one announcement's title is saved: the median
/// of each phase over 20 saves, and of the time until the changed page is ready to serve.
#[allow(clippy::print_stdout)]
fn serve_split(root: &Path) {
    use brief::dev::{DevSite, Outcome};
    use std::time::Instant;
    let mut site = DevSite::open(root, brief::Settings::default());
    assert!(site.error().is_none(), "{:?}", site.error());
    let dir = root.join("content/announcements");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let file = names[names.len() / 2].clone();
    let original = std::fs::read_to_string(&file).unwrap();
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut phases: Vec<(&'static str, Vec<f64>)> = Vec::new();
    let (mut early, mut total) = (Vec::new(), Vec::new());
    for i in 0..20 {
        std::fs::write(&file, original.replacen("title: ", &format!("title: Saved {i} "), 1)).unwrap();
        let started = Instant::now();
        let mut ready = None;
        let outcome = site.apply_with(std::slice::from_ref(&file), &mut |_, _| ready = Some(started.elapsed()));
        let elapsed = started.elapsed();
        let Outcome::Changed(change) = outcome else { panic!("expected a change, got {outcome:?}") };
        early.push(ready.unwrap_or(elapsed).as_secs_f64() * 1000.0);
        total.push(elapsed.as_secs_f64() * 1000.0);
        for (name, d) in change.phases {
            match phases.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(d.as_secs_f64() * 1000.0),
                None => phases.push((name, vec![d.as_secs_f64() * 1000.0])),
            }
        }
    }
    std::fs::write(&file, original).unwrap();
    println!("serve: one announcement saved ({}), medians of 20 rebuilds", file.display());
    println!(
        "  changed page ready         {:>9.1} ms (file read, then the phases up to the first links)",
        median(early)
    );
    for (name, v) in phases {
        println!("  {name:<26} {:>9.1} ms", median(v));
    }
    println!("  whole rebuild              {:>9.1} ms", median(total));
}

criterion_group!(benches, phases);

fn main() {
    if let Some(root) = std::env::var_os("BRIEF_PHASE_SITE") {
        phase_split(Path::new(&root));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
