//! Links the `brief` executable at a fixed address on Linux with glibc.
//!
//! A position-independent executable is relocated by the dynamic loader before `main`: every
//! pointer stored in its read-only data is rewritten, which dirties each page that holds one.
//! minify-html's generated tables alone are 9.5 MB of such pages, so every run of `brief`, a
//! `--version` as much as a build, started with about 3,000 page faults and 7 ms of work, and
//! kept 12 MB more memory. Linked at a fixed address, the pointers are written by the linker and
//! the pages are read from the file as they are used. What that gives up is the random placement
//! of the executable's own code and data (libraries, heap and stacks stay randomized), as Go
//! programs such as Hugo are built by default. docs/performance.md has the figures.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
