//! Several mistakes at once: every broken file is reported, content and templates together.

use crate::{Case, ABOUT_MD, CONTENT_ERROR, OPENING_MD, PAGE_HTML};

#[test]
fn every_broken_file_is_reported() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "[jane-doe]", "[jane-do]");
            s.edit(ABOUT_MD, "title:", "titel:");
        },
        at: &["content/announcements/opening.md:5:12", "content/pages/about.md:2:1"],
        says: &["unknown speaker `jane-do`", "unknown field `titel`"],
        help: &["did you mean `jane-doe`?", "did you mean `title`?"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn content_and_template_mistakes_are_reported_together() {
    Case {
        mistake: |s| {
            s.edit(OPENING_MD, "[jane-doe]", "[jane-do]");
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ page.title }");
        },
        at: &["content/announcements/opening.md:5:12", "templates/page.html:3:19"],
        says: &["unknown speaker `jane-do`", "expected }}"],
        help: &["did you mean `jane-doe`?", "every `{{` needs `}}`"],
        ..CONTENT_ERROR
    }
    .run();
}
