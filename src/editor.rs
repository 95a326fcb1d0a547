//! Help for editors: JSON Schemas of every kind of content file ([`crate::content::schemas`]),
//! written where a YAML language server finds them, and the editor settings that point it there.
//! `brief schema` writes them; `brief new DIR` sets a new briefing up with both.

use std::fs;
use std::path::{Path, PathBuf};

use crate::content::schemas;
use crate::Error;

/// Where the schemas go in a briefing, from its root: a folder of tools' files, which a site can
/// keep out of version control.
pub const SCHEMA_DIR: &str = ".brief/schemas";

/// Writes every schema into `dir` as `<name>.schema.json`, pretty-printed; returns the paths.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let mut written = Vec::new();
    for s in schemas() {
        let path = dir.join(format!("{}.schema.json", s.name));
        let mut text = serde_json::to_string_pretty(&s.schema).unwrap_or_default();
        text.push('\n');
        fs::write(&path, text).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        written.push(path);
    }
    Ok(written)
}

/// VS Code's `settings.json` for a briefing whose schemas are in `schema_dir` (relative to its
/// root): the YAML extension (Red Hat's, on yaml-language-server) then checks `site.yaml`,
/// `topics.yaml`, `timeline.yaml`, `sources.yaml` and their translations as they are typed.
/// The Markdown files' front matter has schemas too, which editors that check front matter can use.
pub fn vscode_settings(schema_dir: &str) -> String {
    let mut map = serde_json::Map::new();
    for s in schemas() {
        let yaml: Vec<&str> = s.files.iter().copied().filter(|f| f.ends_with(".yaml")).collect();
        if !yaml.is_empty() {
            map.insert(format!("./{schema_dir}/{}.schema.json", s.name), yaml.into());
        }
    }
    let settings = serde_json::json!({ "yaml.schemas": map });
    let mut text = serde_json::to_string_pretty(&settings).unwrap_or_default();
    text.push('\n');
    text
}

/// Sets up the briefing at `root` for editors: the schemas in [`SCHEMA_DIR`], and
/// `.vscode/settings.json` unless there is one already (it is the user's). Returns the files
/// written.
pub fn set_up(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut written = write_schemas(&root.join(SCHEMA_DIR))?;
    let settings = root.join(".vscode/settings.json");
    if !settings.exists() {
        let dir = root.join(".vscode");
        fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        fs::write(&settings, vscode_settings(SCHEMA_DIR))
            .map_err(|e| Error::io(format!("cannot write {}", settings.display()), e))?;
        written.push(settings);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_point_every_yaml_file_to_its_schema() {
        let settings: serde_json::Value = serde_json::from_str(&vscode_settings(SCHEMA_DIR)).unwrap();
        let map = settings["yaml.schemas"].as_object().unwrap();
        assert_eq!(map["./.brief/schemas/site.schema.json"], serde_json::json!(["content/site.yaml"]));
        assert_eq!(
            map["./.brief/schemas/timeline-translation.schema.json"],
            serde_json::json!(["content/timeline.*.yaml"])
        );
        assert_eq!(map.len(), 7, "{map:?}");
    }
}
