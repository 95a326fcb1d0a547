//! `brief schema`: the JSON Schemas of the content files, for editors.

use std::path::PathBuf;

use clap::Args;

/// Arguments of `brief schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The briefing's folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where to write the schemas [default: .brief/schemas in the briefing's folder].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

impl SchemaArgs {
    #[allow(clippy::print_stdout)]
    pub fn run(self) -> Result<(), brief::Error> {
        // `.brief/schemas`, not `./.brief/schemas`, from inside the site folder.
        let dir = self.out.unwrap_or_else(|| match self.root.as_os_str() == "." {
            true => PathBuf::from(brief::editor::SCHEMA_DIR),
            false => self.root.join(brief::editor::SCHEMA_DIR),
        });
        let written = brief::editor::write_schemas(&dir)?;
        println!("Wrote {} JSON Schemas into {}.", written.len(), dir.display());
        println!(
            "Editors on yaml-language-server (VS Code's YAML extension, Neovim, Helix, Zed) use them through \
             .vscode/settings.json (`brief new` writes one) or a first line such as \
             `# yaml-language-server: $schema=../{}/site.schema.json`: see docs/content.md, \"Help in the editor\".",
            brief::editor::SCHEMA_DIR
        );
        Ok(())
    }
}
