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

// --- Links written in templates -------------------------------------------------------------
// PAGE (templates/page.html) is, line by line: `{% extends "base.html" %}`, `{% block main %}`,
// `<h1>{{ page.title }}</h1>`, `{{ page.content | safe }}`, `{% endblock %}`.

#[test]
fn a_root_relative_link_written_by_hand_in_a_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "<h1>", "<img src=\"/logo.svg\" alt=\"\"><h1>");
        },
        // `<img src="` is 10 characters: the URL starts at column 11.
        at: &["templates/page.html:3:11"],
        says: &["the link `/logo.svg` is written by hand: it breaks when the site is published under a subpath"],
        help: &["write {{ url(path=\"/logo.svg\") }} instead"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn a_url_call_to_a_missing_file_in_a_template() {
    Case {
        mistake: |s| {
            s.edit(PAGE_HTML, "<h1>", "<link rel=\"stylesheet\" href=\"{{ url(path='/missing.css') }}\"><h1>");
        },
        // The path inside the quotes of `url(path='...')`.
        at: &["templates/page.html:3:43"],
        says: &["broken link: nothing is published at `/missing.css` (on /about/)"],
        help: &["put the file in static/ (static/missing.css)"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn a_dead_link_in_the_layout_is_reported_once_for_every_page() {
    Case {
        mistake: |s| {
            s.edit(
                "templates/base.html",
                "</footer>",
                "<a href=\"{{ url(path='/press-kit/') }}\">Press kit</a></footer>",
            );
        },
        says: &["broken link: nothing is published at `/press-kit/` (on ", " pages, such as /)"],
        help: &["internal links are site paths"],
        at: &["templates/base.html:82:23"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}

#[test]
fn a_link_a_template_prints_from_a_value_names_the_template_and_the_page() {
    Case {
        mistake: |s| {
            // A relative link made from a value: `about/` on the page /about/ is /about/about/.
            s.edit(PAGE_HTML, "<h1>", "<a href=\"{{ page.slug }}/\">Permalink</a><h1>");
        },
        at: &["templates/page.html"],
        says: &["broken link: nothing is published at `/about/about/` (on /about/)"],
        help: &["prints this link from a value, as `about/`"],
        check: true,
        ..CONTENT_ERROR
    }
    .run();
}
