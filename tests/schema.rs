//! The JSON Schemas of `brief schema`, as an editor uses them: written from inside the site
//! folder, they accept every content file of the real briefing and of a new one, and reject an
//! unknown field, by a JSON Schema validator that knows nothing of brief.

mod common;

use std::path::Path;

use common::{brief, Site};
use serde_json::json;

/// The schema of each content file of `root`, by the kind its path gives, and the file's YAML
/// (a Markdown file's front matter) as JSON.
fn documents(root: &Path) -> Vec<(String, String, serde_json::Value)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let name = entry.file_name().to_string_lossy().into_owned();
        let translated = name.matches('.').count() == 2;
        let (kind, yaml) = if let Some(stem) = name.strip_suffix(".yaml") {
            let base = stem.split('.').next().unwrap();
            let kind = if translated { format!("{base}-translation") } else { base.to_string() };
            (kind, std::fs::read_to_string(entry.path()).unwrap())
        } else {
            let folder = rel.split('/').nth(1).unwrap().trim_end_matches('s').to_string();
            let kind = if translated { format!("{folder}-translation") } else { folder };
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let front = text
                .trim_start_matches('\u{feff}')
                .strip_prefix("---")
                .unwrap()
                .split("\n---")
                .next()
                .unwrap()
                .to_string();
            (kind, front)
        };
        let value: serde_json::Value = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{rel}: {e}"));
        out.push((rel, kind, value));
    }
    assert!(!out.is_empty());
    out
}

fn validator(dir: &Path, kind: &str) -> jsonschema::Validator {
    let path = dir.join(format!("{kind}.schema.json"));
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn all_valid(root: &Path) -> usize {
    let dir = root.join(".brief/schemas");
    let docs = documents(root);
    for (rel, kind, value) in &docs {
        let errors: Vec<String> =
            validator(&dir, kind).iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        assert!(errors.is_empty(), "{rel} ({kind}): {errors:?}");
    }
    docs.len()
}

#[test]
fn the_real_briefing_fits_the_schemas_that_brief_schema_writes() {
    let site = Site::real();
    // As a user types it, from inside the site folder.
    let out = brief().current_dir(site.root()).arg("schema").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Wrote 13 JSON Schemas into .brief/schemas"));
    let checked = all_valid(&site.root());
    assert!(checked >= 30, "only {checked} files checked");
}

#[test]
fn a_new_briefing_comes_with_schemas_and_editor_settings_it_fits() {
    let dir = tempfile::tempdir().unwrap();
    let out = brief().current_dir(dir.path()).args(["new", "demo"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root = dir.path().join("demo");
    all_valid(&root);
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(".vscode/settings.json")).unwrap()).unwrap();
    for (schema, files) in settings["yaml.schemas"].as_object().unwrap() {
        assert!(root.join(schema).is_file(), "{schema}");
        assert!(files.as_array().unwrap().iter().all(|f| f.as_str().unwrap().starts_with("content/")), "{files}");
    }
}

#[test]
fn the_schemas_reject_what_a_build_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let out = brief().args(["schema", "--out"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let invalid = |kind: &str, value: serde_json::Value| !validator(dir.path(), kind).is_valid(&value);

    // An unknown field, a typo of a known one.
    assert!(invalid("announcement", json!({"titel": "T", "date": "2030-05-14", "summary": "S"})));
    assert!(invalid("speaker", json!({"name": "N", "foto": {"src": "x.jpg", "alt": "A"}})));
    // A photo is a file with its text alternative, nothing else.
    assert!(invalid("speaker", json!({"name": "N", "photo": "x.jpg"})));
    assert!(invalid("speaker", json!({"name": "N", "photo": {"src": "x.jpg"}})));
    assert!(invalid("speaker", json!({"name": "N", "photo": {"src": "x.jpg", "alt": "A", "gps": "22.8N"}})));
    assert!(!invalid("speaker", json!({"name": "N", "photo": {"src": "x.jpg", "alt": "A", "credit": "C"}})));
    assert!(!invalid(
        "announcement",
        json!({"title": "T", "date": "2030-05-14", "summary": "S", "image": {"src": "/a.png", "alt": "A"}})
    ));
    assert!(invalid(
        "site",
        json!({"title": "T", "description": "D", "base_url": "https://x/", "event": {"name": "E", "city": "C", "start": "2030-05-14", "end": "2030-05-16", "timezone": "+08:00"}})
    ));
    assert!(invalid(
        "timeline",
        json!([{"date": "2002", "title": "T", "figure": {"value": 1, "unit": "u", "serie": "s"}}])
    ));
    assert!(invalid("topics", json!({"trade": {"title": "Trade", "descripton": "typo"}})));
    // A missing required field, and a wrong type.
    assert!(invalid("announcement", json!({"title": "T", "summary": "S"})));
    assert!(invalid("announcement", json!({"title": "T", "date": "2030-05-14", "summary": "S", "lead": "yes"})));
    // A date left unquoted is text to the YAML reader, and to the schema.
    assert!(!invalid("timeline", json!([{"date": 2002, "title": "T"}])));
    // What is right passes.
    assert!(!invalid(
        "announcement",
        json!({"title": "T", "date": "2030-05-14", "summary": "S", "figures": [{"label": "L", "value": 1.5, "unit": "u", "year": 2030, "series": "s"}]})
    ));
    assert!(!invalid(
        "announcement",
        json!({"title": "T", "date": "2030-05-14/2030-05-16", "summary": "S", "figures": [{"label": "L", "value": 1, "unit": "u", "year": "2003/2012"}]})
    ));
}
