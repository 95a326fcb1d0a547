//! Loads a whole briefing whose one announcement is the input: `content/announcements/x.md` in a
//! starter site (made once per fuzzing process, in the temporary folder), then `brief::content::load`.
//! Errors are expected; a panic is a bug.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("brief-fuzz-load-one-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        brief::starter::create(&root).expect("cannot create the starter site");
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let root = site();
    std::fs::write(root.join("content/announcements/x.md"), data).expect("cannot write the announcement");
    match brief::content::load(root, &brief::Settings::default()) {
        Ok(site) => assert!(site.announcements.iter().any(|a| a.slug == "x") || !site.drafts_left_out.is_empty()),
        Err(errors) => {
            let _ = errors.render(false);
        }
    }
});
