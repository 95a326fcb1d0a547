//! `brief-manifest.json`: every published file with its size, SHA-256 and content type, so that
//! a deploy can upload only what changed.

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::output::OutputFile;

/// The name of the manifest in the output.
pub const NAME: &str = "brief-manifest.json";

#[derive(Serialize)]
struct Entry<'a> {
    path: &'a str,
    size: usize,
    sha256: String,
    /// The type of the content; for a `.gz` or `.br` sibling, that of the original.
    content_type: String,
    /// `gzip` or `br` for compressed siblings, which a host sends as `Content-Encoding`.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_encoding: Option<&'static str>,
    /// The `Cache-Control` a host sends with it.
    cache_control: &'a str,
}

/// The manifest of `files`, sorted by path, for the site `site` (its base URL: `brief deploy`
/// refuses to replace another site's files), each file with the `Cache-Control` that `cache_of`
/// gives its path.
pub fn manifest<'c>(
    files: &[OutputFile],
    site: &str,
    cache_of: &(dyn Fn(&str) -> &'c str + Sync),
) -> std::io::Result<OutputFile> {
    let mut entries: Vec<Entry> = files
        .par_iter()
        .map(|f| {
            let bytes = f.contents.bytes()?;
            let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            let (content_type, content_encoding) = content_type(&f.path);
            let cache_control = cache_of(&f.path);
            Ok(Entry { path: &f.path, size: bytes.len(), sha256, content_type, content_encoding, cache_control })
        })
        .collect::<std::io::Result<_>>()?;
    entries.sort_by(|a, b| a.path.cmp(b.path));
    let json = serde_json::to_string_pretty(&serde_json::json!({ "site": site, "files": entries })).unwrap_or_default();
    Ok(OutputFile::text(NAME, json + "\n"))
}

/// The content type a host should send for `path`, and for a compressed sibling (`x.html.gz`)
/// the encoding: the type is then that of the original.
pub fn content_type(path: &str) -> (String, Option<&'static str>) {
    let (base, encoding) = match path.rsplit_once('.') {
        Some((base, "gz")) => (base, Some("gzip")),
        Some((base, "br")) => (base, Some("br")),
        _ => (path, None),
    };
    let name = if base.ends_with(".ics") {
        "text/calendar".to_string()
    } else if base == "_headers" || base == ".nojekyll" {
        "text/plain".to_string()
    } else {
        mime_guess::from_path(base).first_or_octet_stream().essence_str().to_string()
    };
    let text =
        name.starts_with("text/") || name.ends_with("json") || name.ends_with("xml") || name.ends_with("javascript");
    (if text { format!("{name}; charset=utf-8") } else { name }, encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Contents;

    #[test]
    fn lists_every_file_with_size_hash_and_type() {
        let files = vec![
            OutputFile::text("index.html", "hello"),
            OutputFile { path: "index.html.gz".into(), contents: Contents::Bytes(vec![1, 2, 3]) },
            OutputFile::text("timeline.ics", ""),
        ];
        let m = manifest(&files, "https://example.org/", &|_| "no-cache").unwrap();
        let Contents::Rendered(json) = &m.contents else { panic!() };
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["site"], "https://example.org/");
        let list = v["files"].as_array().unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0]["path"], "index.html");
        assert_eq!(list[0]["size"], 5);
        assert_eq!(list[0]["sha256"], "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert_eq!(list[0]["content_type"], "text/html; charset=utf-8");
        assert_eq!(list[1]["content_type"], "text/html; charset=utf-8");
        assert_eq!(list[1]["content_encoding"], "gzip");
        assert!(list[0].get("content_encoding").is_none());
        assert_eq!(list[2]["content_type"], "text/calendar; charset=utf-8");
    }
}
