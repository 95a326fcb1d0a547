//! Files and layout: encodings (UTF-8, line endings, byte-order marks), symbolic links, unreadable
//! files, file names that are not slugs, missing and unexpected files and folders.

use crate::{
    base, build, Case, Root, CONTENT_ERROR, OPENING, OPENING_MD, PAGE, PAGE_HTML, SITE, SITE_YAML, TIMELINE,
    TIMELINE_YAML,
};

#[test]
fn file_that_is_not_utf8() {
    Case {
        mistake: |s| {
            let (head, tail) = OPENING.split_once("opens").unwrap();
            s.write(OPENING_MD, [head.as_bytes(), b"\xff", tail.as_bytes()].concat());
        },
        at: &["content/announcements/opening.md:2:25"],
        says: &["this file is not valid UTF-8 text"],
        help: &["UTF-8 encoding"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn crlf_file_with_a_mistake_is_located_right() {
    Case {
        mistake: |s| {
            s.write(OPENING_MD, OPENING.replace("[jane-doe]", "[jane-do]").replace('\n', "\r\n"));
        },
        at: &["content/announcements/opening.md:5:12"],
        says: &["unknown speaker `jane-do`"],
        help: &["did you mean `jane-doe`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn byte_order_mark_does_not_shift_columns() {
    Case {
        mistake: |s| {
            s.write(SITE_YAML, format!("\u{feff}{}", SITE.replace("title:", "titel:")));
        },
        at: &["content/site.yaml:1:1"],
        says: &["unknown field `titel`"],
        help: &["did you mean `title`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn crlf_line_endings_build() {
    let site = base();
    site.write(OPENING_MD, OPENING.replace('\n', "\r\n"))
        .write(TIMELINE_YAML, TIMELINE.replace('\n', "\r\n"))
        .write(SITE_YAML, SITE.replace('\n', "\r\n"));
    build(&site).ok();
    let page = site.read("public/announcements/opening/index.html");
    assert!(page.contains("<h1>The Example Expo opens</h1>"), "{page}");
    assert!(page.contains("id=\"what-happens-next\""), "{page}");
}

#[test]
fn byte_order_marks_build() {
    let site = base();
    site.write(OPENING_MD, format!("\u{feff}{OPENING}"))
        .write(SITE_YAML, format!("\u{feff}{SITE}"))
        .write(PAGE_HTML, format!("\u{feff}{PAGE}"));
    build(&site).ok();
    let page = site.read("public/announcements/opening/index.html");
    assert!(page.contains("<h1>The Example Expo opens</h1>"), "{page}");
    let about = site.read("public/about/index.html");
    assert!(about.contains("<h1>About this briefing</h1>") && !about.contains('\u{feff}'), "{about}");
}

#[cfg(unix)]
#[test]
fn symbolic_link_loop_under_content() {
    Case {
        mistake: |s| {
            std::os::unix::fs::symlink("..", s.root().join("content/announcements/loop")).unwrap();
        },
        at: &["content/announcements/loop"],
        says: &["this symbolic link points back at a folder that contains it"],
        help: &["remove the link"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

/// Running as root, permissions cannot make a file unreadable; a link to nothing can.
#[cfg(unix)]
#[test]
fn unreadable_file() {
    Case {
        mistake: |s| {
            std::os::unix::fs::symlink("/nonexistent", s.root().join("content/speakers/ghost.md")).unwrap();
        },
        at: &["content/speakers/ghost.md"],
        says: &["cannot read this file: it is a symbolic link to /nonexistent, which does not exist"],
        help: &["remove the link, or point it at a file that exists"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn file_names_that_give_the_same_slug() {
    Case {
        mistake: |s| {
            let text = s.read("content/speakers/jane-doe.md");
            s.write("content/speakers/Jane Doe.md", text);
        },
        at: &["content/speakers/jane-doe.md"],
        says: &["two speakers have the slug `jane-doe`: content/speakers/Jane Doe.md and content/speakers/jane-doe.md"],
        help: &["give one of them another `slug:` in its front matter", "URL, which must be its own"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn a_slug_written_in_the_front_matter_meets_a_file_name() {
    Case {
        mistake: |s| {
            let text = s.read("content/speakers/jane-doe.md").replacen("---\n", "---\nslug: jane-doe\n", 1);
            s.write("content/speakers/简·多伊.md", text);
        },
        at: &["content/speakers/简·多伊.md:2:7"],
        says: &["two speakers have the slug `jane-doe`: content/speakers/jane-doe.md and content/speakers/简·多伊.md"],
        help: &["give one of them another `slug:`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn a_slug_in_the_front_matter_that_is_not_one() {
    Case {
        mistake: |s| {
            s.edit("content/speakers/jane-doe.md", "---\n", "---\nslug: Jane Doe\n");
        },
        at: &["content/speakers/jane-doe.md:2:7"],
        says: &["`Jane Doe` cannot be used as a slug"],
        help: &["only lowercase a-z, digits and single hyphens", "for example `jane-doe`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn file_name_that_gives_no_slug() {
    Case {
        mistake: |s| {
            let text = s.read("content/speakers/jane-doe.md");
            s.remove("content/speakers/jane-doe.md").write("content/speakers/\u{e000}.md", text);
        },
        at: &["content/speakers/\u{e000}.md"],
        says: &["the file name `\u{e000}.md` gives no slug"],
        help: &["give the file a `slug:` in its front matter"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn missing_site_yaml() {
    Case {
        mistake: |s| {
            s.remove(SITE_YAML);
        },
        at: &["content/site.yaml"],
        says: &["the site settings file content/site.yaml is missing"],
        help: &["`base_url`"],
        ..CONTENT_ERROR
    }
    .run();
}

/// Run from the folder above the site with `brief build --root site`: the location is relative to the
/// root, not to the folder brief runs from.
#[test]
fn missing_content_folder() {
    Case {
        mistake: |s| {
            s.remove("content");
        },
        at: &["content/"],
        says: &["there is no content/ directory"],
        help: &["--root DIR"],
        root: Root::Relative,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unexpected_file_in_content() {
    Case {
        mistake: |s| {
            s.write("content/notes.txt", "remember the milk\n");
        },
        at: &["content/notes.txt"],
        says: &["brief does not know what this file is"],
        help: &["and images beside them; other files go in static/"],
        ..CONTENT_ERROR
    }
    .run();
}
