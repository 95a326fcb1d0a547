//! Refused output folders (exit 2): `--out` at the site root, inside `content/`, or a folder brief
//! did not create.

use std::collections::BTreeMap;

use crate::{shown, Case, Root, CONTENT_ERROR};

#[test]
fn output_folder_is_the_site_root() {
    let (site, run) = Case {
        out: Some(|s| s.root()),
        root: Root::Absolute,
        code: 2,
        says: &["refusing to write the site into its own root", "--out public"],
        ..CONTENT_ERROR
    }
    .run();
    let root = shown(&site.root());
    assert!(run.stderr.contains(&format!("own root {root}:")), "{}", run.stderr);
}

#[test]
fn output_folder_inside_content() {
    Case {
        out: Some(|s| s.root().join("content/out")),
        root: Root::Absolute,
        code: 2,
        says: &["it is inside the site's content/ folder", "choose another --out"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn output_folder_brief_did_not_create() {
    let (site, run) = Case {
        mistake: |s| {
            s.write("mine/notes.txt", "my own notes\n").write("mine/deep/er.txt", "more\n");
        },
        out: Some(|s| s.root().join("mine")),
        root: Root::Absolute,
        code: 2,
        says: &["it is not empty and brief did not create it", ".brief-output", "choose another --out"],
        ..CONTENT_ERROR
    }
    .run();
    let mine = site.root().join("mine");
    assert!(run.stderr.contains(&format!("refusing to replace {}:", shown(&mine))), "{}", run.stderr);
    let left = crate::common::tree(&mine);
    let expected: BTreeMap<String, Vec<u8>> = [("deep/er.txt", "more\n"), ("notes.txt", "my own notes\n")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    assert_eq!(left, expected);
}
