//! Every form of the filter-evasion corpus (`tests/fixtures/xss/corpus.txt`), written into a real
//! briefing, must stop the build with an error at its file, line and column that names what is
//! refused. Runs the library, not the binary, so that the whole corpus takes a second or two.

use std::path::Path;

use brief::diagnostic::Diagnostic;

include!("fixtures/xss/corpus.rs");

fn corpus() -> Vec<Form> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xss/corpus.txt");
    parse_corpus(&std::fs::read_to_string(path).expect("the corpus"))
}

const OPENING_MD: &str = "content/announcements/opening.md";

/// The announcement with `form` starting on line [`FORM_LINE`], and a paragraph after it.
fn opening(form: &str) -> String {
    format!(
        "---\ntitle: The Example Expo opens\ndate: 2030-05-14\nsummary: The organisers opened the expo.\n\
         speakers: [jane-doe]\ntopics: [trade]\n---\n\nThe organisers opened the expo.\n\n{form}\nWhat happens next.\n"
    )
}
const FORM_LINE: usize = 11;

/// The starter briefing of `brief new`, in a temporary folder.
fn starter() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    brief::starter::create(dir.path()).expect("the starter");
    dir
}

/// The diagnostics of `brief check` on the site at `root`, or none if it passes.
fn check(root: &Path) -> Vec<Diagnostic> {
    let options = brief::Options { root: root.to_path_buf(), out: None, settings: Default::default(), search: false };
    match brief::check(&options) {
        Ok(_) => Vec::new(),
        Err(brief::Error::Content(diagnostics)) => diagnostics.0,
        Err(other) => panic!("not a content error: {other:?}"),
    }
}

/// What is wrong with how the build reports `form`, if anything.
fn failure(root: &Path, form: &Form) -> Option<String> {
    std::fs::write(root.join(OPENING_MD), opening(&form.text)).expect("write the announcement");
    let found = check(root);
    let at = format!("{OPENING_MD}:{}:{}", FORM_LINE + form.at.0 - 1, form.at.1);
    let hit = found.iter().any(|d| d.location() == at && d.message.contains(&form.says));
    let seen: Vec<String> = found.iter().map(|d| format!("{}: {}", d.location(), d.message)).collect();
    (!hit).then(|| format!("{}: expected {at}: ...{}..., got {seen:#?}\n{}", form.trick, form.says, form.text))
}

#[test]
fn every_form_of_the_corpus_stops_the_build_at_its_line_and_column() {
    let forms = corpus();
    assert!(forms.len() >= 80, "{} forms", forms.len());
    // Two sites, one per core, each checked once per form.
    let half = forms.len().div_ceil(2);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = forms
            .chunks(half)
            .map(|chunk| {
                scope.spawn(move || {
                    let site = starter();
                    chunk.iter().filter_map(|form| failure(site.path(), form)).collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a worker")).collect()
    });
    assert!(failures.is_empty(), "{} of {} forms:\n\n{}", failures.len(), forms.len(), failures.join("\n"));
}

#[test]
fn markup_passes_the_build() {
    let site = starter();
    let markup = "<abbr title=\"Association of Southeast Asian Nations\">ASEAN</abbr> met on \
                  14 May<sup>1</sup>.<br>\n\n<div class=\"notes\">\n\n<details><summary>Sources</summary>\n\n\
                  See <a href=\"https://example.org/report\">the report</a>, \
                  <a href=\"mailto:press@example.org\">the press office</a> and \
                  [Jane Doe](/speakers/jane-doe/).\n\n</details>\n\n</div>\n\n\
                  <table><tr><th>Year</th><td>2030</td></tr></table>\n\n\
                  <kbd>Ctrl</kbd> <mark>new</mark> <span lang=\"vi\">Việt Nam</span>\n\n\
                  <!-- a note for editors -->\n";
    std::fs::write(site.path().join(OPENING_MD), opening(markup)).expect("write the announcement");
    let found = check(site.path());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn forms_in_a_timeline_body_stop_the_build() {
    let site = starter();
    for (form, says) in [
        ("<script>alert(1)</script>", "<script> element"),
        ("<img src=x onerror=alert(1)>", "event handler attribute (onerror=)"),
        ("<a href=\"&#106;avascript:alert(1)\">x</a>", "javascript: URL in href"),
        ("<a href=\"java&#x09;script:alert(1)\">x</a>", "javascript: URL in href"),
        ("[x](javascript:alert(1))", "link to a javascript: URL"),
        ("<svg><set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>", "changes href"),
    ] {
        let timeline = format!(
            "- date: \"2028\"\n  title: The expo is first proposed\n  body: |\n    Before.\n\n    {form}\n\n    After.\n\
             - date: \"2030-05-14\"\n  title: The expo opens\n  announcement: opening\n  speakers: [jane-doe]\n"
        );
        std::fs::write(site.path().join("content/timeline.yaml"), timeline).expect("write the timeline");
        let found = check(site.path());
        assert!(
            found.iter().any(|d| d.file == Path::new("content/timeline.yaml") && d.message.contains(says)),
            "{form}: {found:#?}"
        );
    }
}
