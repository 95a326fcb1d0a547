//! Throughput of `brief::html_scan::scan` over every page of a built site, the work the link
//! check adds to each build, beside what html5gum costs with other emitters and what a full
//! HTML5 tree builder (html5ever, through scraper) costs.
//!
//!     python3 ../shared/bench/gen_site.py --pages 10000 --out /tmp/hl-10k --only brief
//!     cp -r templates /tmp/hl-10k/brief/ && cp static/* /tmp/hl-10k/brief/static/
//!     cargo build --release
//!     target/release/brief build --root /tmp/hl-10k/brief --out /tmp/hl-10k/out
//!     BRIEF_SCAN_DIR=/tmp/hl-10k/out cargo bench --bench html_scan
//!
//! Each variant reads all the pages, from memory, `BRIEF_SCAN_RUNS` times (default 5); the
//! fastest and the median run are printed. Without `BRIEF_SCAN_DIR` (as under `cargo test
//! --all-targets`) it scans one small page, to check that it runs.

use std::convert::Infallible;
use std::path::Path;
use std::time::{Duration, Instant};

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Token, Tokenizer};
use rayon::prelude::*;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn pages(dir: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("a readable site"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| std::fs::read_to_string(e.path()).expect("a UTF-8 page"))
        .collect();
    pages.sort();
    pages
}

/// CPU time of the process so far (user + system, all threads), from `/proc/self/stat`, in the
/// kernel's 1/100 s ticks; zero where there is no `/proc`. On a machine shared with other work the
/// wall-clock time of a single-threaded run includes the time it waited for a core; this does not.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// One variant's runs.
struct Timing {
    fastest: Duration,
    median: Duration,
    /// The least CPU time of a run.
    cpu: Duration,
    result: usize,
}

/// Runs `f` `runs` times.
fn time(runs: usize, f: &dyn Fn() -> usize) -> Timing {
    let mut times = Vec::new();
    let mut cpu = Duration::MAX;
    let mut result = 0;
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), cpu_time());
        result = std::hint::black_box(f());
        times.push(start.elapsed());
        cpu = cpu.min(cpu_time().saturating_sub(start_cpu));
    }
    times.sort();
    Timing { fastest: times[0], median: times[times.len() / 2], cpu, result }
}

/// Whether to run the variant `name`: all, or those `BRIEF_SCAN_ONLY` is a part of the name of.
fn wanted(name: &str) -> bool {
    std::env::var("BRIEF_SCAN_ONLY").map_or(true, |only| name.contains(&only))
}

#[allow(clippy::print_stdout)]
fn report(name: &str, mb: f64, t: &Timing) {
    println!(
        "{name:<54} {:>7.0} ms {:>6.1} MB/s  median {:>7.0} ms   CPU {:>7.0} ms {:>6.1} MB/CPU-s   {}",
        t.fastest.as_secs_f64() * 1e3,
        mb / t.fastest.as_secs_f64(),
        t.median.as_secs_f64() * 1e3,
        t.cpu.as_secs_f64() * 1e3,
        mb / t.cpu.as_secs_f64(),
        t.result,
    );
}

/// html5gum's convenience emitter: every token, text included, as owned values.
fn default_emitter(html: &str) -> usize {
    let mut n = 0;
    for token in Tokenizer::new(html).flatten() {
        if let Token::StartTag(tag) = token {
            n += tag.attributes.len();
        }
    }
    n
}

/// html5gum's callback emitter, which borrows names and values instead of allocating them.
fn callback_emitter(html: &str) -> usize {
    let mut n = 0;
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<usize>| {
        if let CallbackEvent::AttributeValue { .. } = event {
            n += 1;
        }
        None::<Infallible>
    });
    emitter.naively_switch_states(true);
    let Ok(()) = Tokenizer::new_with_emitter(html, emitter).finish();
    n
}

/// The tokenizer alone: an emitter that keeps the tag names it needs to switch states and
/// nothing else. What any emitter costs on top of html5gum shows against this.
#[derive(Default)]
struct Null {
    tag: Vec<u8>,
    last_start_tag: Vec<u8>,
    is_end_tag: bool,
    tags: usize,
}

impl html5gum::Emitter for Null {
    type Token = Infallible;
    fn should_emit_errors(&mut self) -> bool {
        false
    }
    fn set_last_start_tag(&mut self, last_start_tag: Option<&[u8]>) {
        self.last_start_tag.clear();
        self.last_start_tag.extend_from_slice(last_start_tag.unwrap_or_default());
    }
    fn emit_eof(&mut self) {}
    fn emit_error(&mut self, _: html5gum::Error) {}
    fn pop_token(&mut self) -> Option<Infallible> {
        None
    }
    fn emit_string(&mut self, _: &[u8]) {}
    fn init_start_tag(&mut self) {
        self.tag.clear();
        self.is_end_tag = false;
    }
    fn init_end_tag(&mut self) {
        self.tag.clear();
        self.is_end_tag = true;
    }
    fn init_comment(&mut self) {}
    fn emit_current_tag(&mut self) -> Option<html5gum::State> {
        self.tags += 1;
        if self.is_end_tag {
            return None;
        }
        self.last_start_tag.clear();
        self.last_start_tag.extend_from_slice(&self.tag);
        html5gum::naive_next_state(&self.tag)
    }
    fn emit_current_comment(&mut self) {}
    fn emit_current_doctype(&mut self) {}
    fn set_self_closing(&mut self) {}
    fn set_force_quirks(&mut self) {}
    fn push_tag_name(&mut self, s: &[u8]) {
        self.tag.extend_from_slice(s);
    }
    fn push_comment(&mut self, _: &[u8]) {}
    fn push_doctype_name(&mut self, _: &[u8]) {}
    fn init_doctype(&mut self) {}
    fn init_attribute(&mut self) {}
    fn push_attribute_name(&mut self, _: &[u8]) {}
    fn push_attribute_value(&mut self, _: &[u8]) {}
    fn set_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn set_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_public_identifier(&mut self, _: &[u8]) {}
    fn push_doctype_system_identifier(&mut self, _: &[u8]) {}
    fn current_is_appropriate_end_tag_token(&mut self) -> bool {
        self.is_end_tag && self.last_start_tag == self.tag
    }
}

fn null_emitter(html: &str) -> usize {
    let Ok(()) = Tokenizer::new_with_emitter(html, Null::default()).finish();
    0
}

#[allow(clippy::print_stdout)]
fn main() {
    let Some(dir) = std::env::var_os("BRIEF_SCAN_DIR") else {
        let page = r#"<!doctype html><a href="/a/">a</a><img srcset="/b.png 1x, /c.png 2x"><p id="x">"#;
        let scan = brief::html_scan::scan(page);
        assert_eq!(scan.links.len(), 3);
        println!("html_scan: set BRIEF_SCAN_DIR to a built site to benchmark");
        return;
    };
    let runs: usize = std::env::var("BRIEF_SCAN_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let pages = pages(Path::new(&dir));
    let bytes: usize = pages.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "{} pages, {mb:.1} MB of HTML ({:.1} KB a page), {} threads in rayon's pool, {runs} runs; fastest run, \
         its MB/s, median run, least CPU time of a run (all threads), MB per CPU second, result",
        pages.len(),
        bytes as f64 / 1e3 / pages.len() as f64,
        rayon::current_num_threads()
    );
    let run = |name: &str, runs: usize, f: &dyn Fn() -> usize| {
        if wanted(name) {
            report(name, mb, &time(runs, f));
        }
    };
    let scan = |p: &String| {
        let s = brief::html_scan::scan(p);
        s.links.len() + s.ids.len()
    };
    run("scan, 1 thread (links + ids)", runs, &|| pages.iter().map(scan).sum());
    run("scan, rayon (links + ids)", runs, &|| pages.par_iter().map(scan).sum());
    let slow = |p: &String| {
        let s = brief::html_scan::scan_with_html5gum(p);
        s.links.len() + s.ids.len()
    };
    run("scan without the fast path, 1 thread (links + ids)", runs, &|| pages.iter().map(slow).sum());
    let resolve = |p: &String| {
        let scan = brief::html_scan::scan(p);
        scan.links.iter().filter_map(|l| brief::html_scan::resolve("/announcements/a/", &l.url)).count()
    };
    run("scan + resolve every link, 1 thread (resolved)", runs, &|| pages.iter().map(resolve).sum());
    let page_links = |p: &String| brief::links::page_links("/announcements/a/", p, "").count();
    run("page_links, 1 thread (what the build runs)", runs, &|| pages.iter().map(page_links).sum());
    run("html5gum, emitter that keeps nothing, 1 thread", runs, &|| pages.iter().map(|p| null_emitter(p)).sum());
    run("html5gum CallbackEmitter, 1 thread (attr values)", runs, &|| pages.iter().map(|p| callback_emitter(p)).sum());
    run("html5gum DefaultEmitter, 1 thread (attributes)", runs, &|| pages.iter().map(|p| default_emitter(p)).sum());
    let links = scraper::Selector::parse("[href], [src]").unwrap();
    let tree = |p: &String| scraper::Html::parse_document(p).select(&links).count();
    run("html5ever tree (scraper), 1 thread ([href], [src])", 1, &|| pages.iter().map(tree).sum());
}
