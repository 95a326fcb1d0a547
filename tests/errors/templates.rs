//! Templates: syntax errors, undefined variables, unknown filters and functions, missing,
//! looping and required templates.

use crate::{Case, CONTENT_ERROR, PAGE_HTML};

#[test]
fn template_syntax_error() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ page.title }");
        },
        at: &["templates/page.html:3:19"],
        says: &["expected }}"],
        help: &["every `{{` needs `}}`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn undefined_variable_in_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ nope }}");
        },
        at: &["templates/page.html:3:8"],
        says: &["Variable `nope` is not defined", "while rendering /about/"],
        help: &["check the spelling"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_filter() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ page.title | shout }}");
        },
        at: &["templates/page.html:3:21"],
        says: &["Unknown filter `shout`"],
        help: &["check the filter's name"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn unknown_function() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "{{ page.title }}", "{{ link(path=\"/\") }}");
        },
        at: &["templates/page.html:3:8"],
        says: &["Unknown function `link`"],
        help: &["`url(path=...)`"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn include_of_a_missing_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "<h1>{{ page.title }}</h1>", "{% include \"partials/nope.html\" %}");
        },
        at: &["templates/page.html:3:12"],
        says: &["Unknown template `partials/nope.html`"],
        help: &["names are paths under templates/"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn extends_a_missing_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "\"base.html\"", "\"bsae.html\"");
        },
        at: &["templates/page.html:1:12"],
        says: &["`page.html` extends `bsae.html`, which does not exist"],
        help: &["create templates/bsae.html"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn include_cycle() {
    Case {
        mistake: |s| {
            s.write("templates/partials/a.html", "<p>\n{% include \"partials/b.html\" %}\n");
            s.write("templates/partials/b.html", "{% include \"partials/a.html\" %}\n");
        },
        at: &["templates/partials/a.html:2:12"],
        says: &["templates include each other in a loop: partials/a.html → partials/b.html → partials/a.html"],
        help: &["remove one `include` of the loop"],
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn template_that_includes_itself() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "<h1>{{ page.title }}</h1>", "{% include \"page.html\" %}");
        },
        at: &["templates/page.html:3:12"],
        says: &["the template `page.html` includes itself"],
        help: &["remove `{% include \"page.html\" %}` from templates/page.html"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn missing_required_template() {
    Case {
        mistake: |s| {
            s.remove("templates/topic.html");
        },
        at: &["templates/topic.html"],
        says: &["the template templates/topic.html is missing"],
        help: &["brief new DIR"],
        ..CONTENT_ERROR
    }
    .run();
}
