//! Faults: a build killed at any moment leaves the previous output or the new one, never a mix.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::{brief, tree, Site};

/// Adds `n` announcements to the starter, so that a build takes long enough to be interrupted.
fn grow(site: &Site, n: usize, version: &str) {
    for i in 0..n {
        site.write(
            &format!("content/announcements/item-{i:04}.md"),
            format!(
                "---\ntitle: \"Item {i} ({version})\"\ndate: 2030-05-14\nsummary: Summary {i}.\nspeakers: [jane-doe]\ntopics: [trade]\n---\n\n{}\n",
                format!("Paragraph {i} of version {version}. ").repeat(40)
            ),
        );
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_one_whole_output() {
    let site = Site::starter();
    let out_of = |version: &str| -> BTreeMap<String, Vec<u8>> {
        grow(&site, 400, version);
        let dir = site.root().join(format!("expected-{version}"));
        site.run(&["build", "--out", dir.to_str().unwrap()]).ok();
        tree(&dir)
    };
    let a = out_of("a");
    let b = out_of("b");
    assert_ne!(a, b);
    // Time one build, to spread the kills over it.
    grow(&site, 400, "a");
    let started = Instant::now();
    site.build().ok();
    let full = started.elapsed().max(Duration::from_millis(20));
    assert_eq!(site.output(), a);

    let mut seen_old = 0;
    let mut seen_new = 0;
    for round in 0..24u32 {
        let (from, to, version) = if round % 2 == 0 { (&a, &b, "b") } else { (&b, &a, "a") };
        let current = site.output();
        assert!(current == *from || current == *to, "round {round}: the output is a mix");
        grow(&site, 400, version);
        let mut child = brief().arg("build").arg("--root").arg(site.root()).spawn().unwrap();
        // Kill points spread from the start of the build to well past its end; every sixth round
        // lets the build finish, so that both outcomes are seen however loaded the machine is.
        let wait = full.mul_f64(f64::from(round % 6) / 3.0);
        if round % 6 == 5 {
            let _ = child.wait();
        } else {
            std::thread::sleep(wait);
            let _ = child.kill();
            let _ = child.wait();
        }
        let now = site.output();
        if now == *to {
            seen_new += 1;
        } else if now == current {
            seen_old += 1;
        } else {
            panic!("round {round}: after a kill at {wait:?} the output is neither the old nor the new build");
        }
        // The next build cleans up whatever the killed one left, and succeeds.
        site.build().ok();
        assert_eq!(site.output(), *to, "round {round}: the build after a kill is wrong");
        let leftovers: Vec<String> = std::fs::read_dir(site.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.") && n != ".public.brief-output")
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
    // Both outcomes happened, so the kills did land before and after the swap.
    assert!(seen_old > 0 && seen_new > 0, "old {seen_old}, new {seen_new}");
}

/// The output is written while the links are checked; a check that fails keeps nothing of it: the
/// previous output stays byte for byte, and no staging folder is left beside it.
#[test]
fn a_build_whose_links_fail_keeps_the_previous_output_and_nothing_else() {
    let site = Site::starter();
    grow(&site, 300, "a");
    site.build().ok();
    let before = site.output();
    grow(&site, 300, "b");
    site.append("content/announcements/item-0150.md", "\nSee [the press kit](/press-kit/).\n");
    let run = site.build();
    assert_ne!(run.code, 0, "a build with a broken link succeeded: {}", run.stdout);
    run.says("/press-kit/");
    assert!(site.output() == before, "the previous output changed");
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.") && n != ".public.brief-output")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}
