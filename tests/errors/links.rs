//! Links and raw HTML in Markdown: broken links and anchors, `javascript:` URLs, scripts and
//! event handlers.

use crate::{Case, ABOUT, ABOUT_MD, CONTENT_ERROR, TIMELINE, TIMELINE_YAML};

#[test]
fn broken_internal_link() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}See [x](/speakers/jane-do/).\n"));
        },
        at: &["content/pages/about.md:6:5"],
        says: &["broken link", "nothing is published at `/speakers/jane-do/`"],
        help: &["did you mean `/speakers/jane-doe/`?"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn broken_anchor() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}See [x](/announcements/opening/#what-happens-nxt).\n"));
        },
        at: &["content/pages/about.md:6:5"],
        says: &["broken anchor", "`/announcements/opening/` has no element with id `what-happens-nxt`"],
        help: &["did you mean `#what-happens-next`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn broken_link_in_timeline_body() {
    Case {
        mistake: |s| {
            s.write(TIMELINE_YAML, format!("{TIMELINE}  body: See [x](/speakers/jane-do/).\n"));
        },
        // The link itself, inside the YAML string, as in a Markdown file.
        at: &["content/timeline.yaml:7:13"],
        says: &["broken link", "`/speakers/jane-do/`"],
        help: &["did you mean `/speakers/jane-doe/`?"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn javascript_link() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}See [x](javascript:alert(1)).\n"));
        },
        at: &["content/pages/about.md:6:5"],
        says: &["a link to a javascript: URL is not allowed in Markdown"],
        help: &["https://"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn raw_script_in_markdown() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}Read <script>alert(1)</script> this.\n"));
        },
        at: &["content/pages/about.md:6:6"],
        says: &["raw HTML with a <script> element is not allowed in Markdown"],
        help: &["markup only"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn event_handler_in_raw_html() {
    Case {
        mistake: |s| {
            s.write(ABOUT_MD, format!("{ABOUT}<img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\">\n"));
        },
        at: &["content/pages/about.md:6:1"],
        says: &["event handler attribute (onerror=)"],
        help: &["markup only"],
        ..CONTENT_ERROR
    }
    .run();
}
