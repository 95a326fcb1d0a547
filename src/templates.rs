//! Loading the Tera templates from `templates/`, and turning Tera's errors into diagnostics that
//! point at the template file, line and column.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ErrorKind, Tera};

use crate::diagnostic::{line_start, Diagnostic, Diagnostics, Kind};
use crate::source::{self, SourceFile};
use crate::template_links::{self, LinkKind, TemplateLink};

/// The templates of a site, compiled once, with their sources for error messages.
pub struct Templates {
    /// The compiled templates.
    pub tera: Tera,
    sources: HashMap<String, SourceFile>,
    /// The links each template writes, with where.
    links: HashMap<String, Vec<TemplateLink>>,
    /// For each template, itself and every template it uses (see [`closure`]).
    closure: HashMap<String, BTreeSet<String>>,
    /// What `asset()` maps a static file's path to.
    assets: HashMap<String, String>,
    /// The templates' words in each language (`messages/<code>.ftl`), for `t()`.
    pub messages: crate::messages::Messages,
}

/// The templates every briefing needs, one per page kind.
pub const REQUIRED: [&str; 10] = [
    "base.html",
    "index.html",
    "announcements.html",
    "announcement.html",
    "timeline.html",
    "speakers.html",
    "speaker.html",
    "topics.html",
    "topic.html",
    "page.html",
];

impl Templates {
    /// Reads and compiles every `.html` file under `root/templates/`; `base_path` is what the
    /// `url()` function puts in front of site paths.
    pub fn load(root: &Path, base_path: &str) -> Result<Templates, Diagnostics> {
        Templates::load_with_assets(root, base_path, HashMap::new())
    }

    /// Like [`Templates::load`]; `asset(path=...)` gives the published name of each static file
    /// in `assets` (fingerprinted stylesheets and scripts), and the path itself for others.
    pub fn load_with_assets(
        root: &Path,
        base_path: &str,
        assets: HashMap<String, String>,
    ) -> Result<Templates, Diagnostics> {
        let mut errors = Diagnostics::default();
        let dir = root.join("templates");
        let mut sources = HashMap::new();
        if !dir.is_dir() {
            errors.push(
                Diagnostic::file(
                    Kind::File,
                    "templates/",
                    format!("there is no templates/ directory in {}", root.display()),
                )
                .help("copy the templates/ folder of a briefing made with `brief new DIR`"),
            );
            return Err(errors);
        }
        for entry in walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err
                        .path()
                        .map(|p| crate::diagnostic::relative(root, p))
                        .unwrap_or_else(|| PathBuf::from("templates/"));
                    errors.push(Diagnostic::file(Kind::File, path, format!("cannot read: {err}")));
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || crate::paths::is_editor_file(&name) {
                continue;
            }
            let rel = crate::diagnostic::relative(root, entry.path());
            let tpl_name = rel
                .strip_prefix("templates")
                .unwrap_or(&rel)
                .iter()
                .map(|p| p.to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match source::read(root, &rel) {
                Ok(file) => {
                    sources.insert(tpl_name, file);
                }
                Err(d) => errors.push(d),
            }
        }
        for name in REQUIRED {
            if !sources.contains_key(name) {
                errors.push(
                    Diagnostic::file(
                        Kind::File,
                        format!("templates/{name}"),
                        format!("the template templates/{name} is missing"),
                    )
                    .help("every page kind has its template; copy it from a briefing made with `brief new DIR`"),
                );
            }
        }
        let messages = match crate::messages::Messages::load(root) {
            Ok(m) => m,
            Err(e) => {
                errors.0.extend(e.0);
                crate::messages::Messages::default()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let links: HashMap<String, Vec<TemplateLink>> =
            sources.iter().map(|(name, file)| (name.clone(), template_links::scan_template(&file.text))).collect();
        for (name, list) in &links {
            let file = &sources[name];
            for link in list {
                if let Some(d) = hand_written(name, file, link) {
                    errors.push(d);
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.finish());
        }
        let closure = closure(&sources.iter().map(|(n, f)| (n.clone(), f.text.to_string())).collect());

        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        let base = base_path.to_string();
        // A path goes under the folder of the page's language (`lang_prefix`, which brief puts in
        // every page's context): the Chinese pages' links lead to Chinese pages and feeds.
        tera.register_function("url", move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            // Read as the context holds it: a `String` argument would be formatted anew.
            let prefix = state.get::<tera::Value>("lang_prefix").ok().flatten();
            let prefix = prefix.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
            if prefix.is_empty() || crate::routes::is_absolute(path) {
                Ok(crate::routes::url(&base, path))
            } else {
                Ok(crate::routes::url(&base, &["/", prefix, path.trim_start_matches('/')].concat()))
            }
        });
        let base = base_path.to_string();
        let published = assets.clone();
        tera.register_function("asset", move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let published = published.get(path.trim_start_matches('/')).map_or(path, String::as_str);
            Ok(crate::routes::url(&base, published))
        });
        // `t(key=..., count=...)`: a message of messages/<code>.ftl in the page's language (`lang`
        // in the context), else in the default language (`default_lang`); the other arguments
        // go to the message, numbers as numbers for plural rules.
        let words = messages.clone();
        tera.register_function("t", move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
            let key: &str = kwargs.must_get("key")?;
            // The codes as the context holds them: short strings, cloned without allocating.
            let code = |name: &str| state.get::<tera::Value>(name).ok().flatten();
            let (lang, default) = (code("lang"), code("default_lang"));
            let lang = lang.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
            let default = default.as_ref().and_then(|v| v.as_str()).unwrap_or(lang);
            if kwargs.iter().count() == 1 {
                if let Some(text) = words.plain(lang, default, key) {
                    return Ok(text.to_string());
                }
            }
            let pairs = kwargs.iter().filter_map(|(k, v)| {
                let name = k.as_str()?;
                if name == "key" {
                    return None;
                }
                let arg = match v.as_f64() {
                    Some(n) if v.is_number() => crate::messages::Arg::Number(n),
                    _ => crate::messages::Arg::Text(v.as_str().map_or_else(|| v.to_string(), str::to_string)),
                };
                Some((name, arg))
            });
            let args = crate::messages::args(pairs);
            words.format(lang, default, key, &args).map_err(tera::Error::message)
        });
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        let batch: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), &*sources[*n].text)).collect();
        if let Err(err) = tera.add_raw_templates(batch) {
            let templates = Templates { tera: Tera::new(), sources, links, closure, assets, messages };
            return Err(Diagnostics(templates.diagnose(&err)).finish());
        }
        Ok(Templates { tera, sources, links, closure, assets, messages })
    }

    /// Renders template `name` with `context` into a page. Each thread renders into one buffer
    /// that it keeps (a page's size is known only at the end, and growing a fresh buffer copies
    /// it several times), and the text is checked to be UTF-8 by simdutf8, many times faster
    /// than the standard check on Chinese and Vietnamese pages.
    pub fn render(&self, name: &str, context: &tera::Context) -> tera::TeraResult<String> {
        self.render_with(name, context, str::to_owned)
    }

    /// Renders template `name` and gives the page to `take`, from a buffer the thread keeps: a
    /// caller that writes the page out need not copy it.
    pub fn render_with<R>(
        &self,
        name: &str,
        context: &tera::Context,
        take: impl FnOnce(&str) -> R,
    ) -> tera::TeraResult<R> {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        // Taken from the thread and given back, so that a rendering inside a rendering (none
        // today) finds an empty buffer rather than a borrowed one.
        let mut buffer = BUFFER.take();
        buffer.clear();
        let page =
            self.tera.render_to(name, context, &mut buffer).map(|()| match simdutf8::basic::from_utf8(&buffer) {
                Ok(text) => take(text),
                // Tera writes only text; should that change, nothing is lost but speed.
                Err(_) => take(&String::from_utf8_lossy(&buffer)),
            });
        // A page far larger than the rest does not keep its memory on the thread.
        if buffer.capacity() <= 8 << 20 {
            BUFFER.set(buffer);
        }
        page
    }

    /// Turns a Tera error into diagnostics. A rendering error does not name its page, so that
    /// the same mistake met on many pages can be reported once (see `render`).
    pub fn diagnose(&self, err: &tera::Error) -> Vec<Diagnostic> {
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                let (start, end) = ((span.start_line, span.start_col), (span.end_line, span.end_col));
                vec![self.at(report.filename(), start, end, report.message())]
            }
            ErrorKind::Msg(text) => {
                // Reference errors (unknown filter, function, test or template) come as reports.
                let mut out = Vec::new();
                let lines: Vec<&str> = text.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    let Some(message) = line.strip_prefix("error: ") else { continue };
                    let Some(loc) = lines.get(i + 1).and_then(|l| l.trim_start().strip_prefix("--> ")) else {
                        continue;
                    };
                    let mut parts = loc.rsplitn(3, ':');
                    let (col, line_no, name) = (parts.next(), parts.next(), parts.next());
                    if let (Some(col), Some(line_no), Some(name)) = (col, line_no, name) {
                        let (l, c) =
                            (line_no.parse().unwrap_or(1), col.parse::<usize>().unwrap_or(1).saturating_sub(1));
                        out.push(self.at(name, (l, c), (l, c + 1), message));
                    }
                }
                if out.is_empty() {
                    out.push(Diagnostic::file(Kind::Template, "templates/", text.clone()));
                }
                out
            }
            ErrorKind::CircularInclude { tpl, include_chain } => {
                vec![self.cycle(tpl, include_chain, "include", "templates include each other in a loop")]
            }
            ErrorKind::CircularExtend { tpl, inheritance_chain } => {
                vec![self.cycle(tpl, inheritance_chain, "extends", "templates extend each other in a loop")]
            }
            ErrorKind::MissingParent { current, parent } => {
                vec![self
                    .find(current, parent, format!("`{current}` extends `{parent}`, which does not exist"))
                    .help(format!("create templates/{parent} or extend an existing template such as \"base.html\""))]
            }
            ErrorKind::TemplateNotFound(name) => {
                vec![Diagnostic::file(
                    Kind::Template,
                    format!("templates/{name}"),
                    format!("the template `{name}` does not exist"),
                )
                .help("create it, or correct the name where it is used")]
            }
            _ => vec![Diagnostic::file(Kind::Template, "templates/", err.to_string())],
        }
    }

    fn path(name: &str) -> PathBuf {
        PathBuf::from(format!("templates/{name}"))
    }

    /// A diagnostic at a 1-based line and 0-based column range of template `name`.
    fn at(&self, name: &str, (line, col): (usize, usize), end: (usize, usize), message: &str) -> Diagnostic {
        let help = help_for(message);
        let Some(file) = self.sources.get(name) else {
            return Diagnostic::file(Kind::Template, Self::path(name), message).help(help);
        };
        let offset = |l: usize, c: usize| {
            let start = line_start(&file.text, l);
            let line_text = &file.text[start..];
            start + line_text.char_indices().nth(c).map_or(line_text.len(), |(i, _)| i)
        };
        let start = offset(line, col);
        let end = if end > (line, col) { offset(end.0, end.1) } else { start + 1 };
        Diagnostic::at(Kind::Template, Self::path(name), &file.text, start..end, message).label("here").help(help)
    }

    /// Points at the first place in template `name` that mentions `target`.
    fn find(&self, name: &str, target: &str, message: String) -> Diagnostic {
        match self.sources.get(name) {
            Some(file) => {
                let at = file
                    .text
                    .find(&format!("\"{target}\""))
                    .or_else(|| file.text.find(&format!("'{target}'")))
                    .unwrap_or(0);
                Diagnostic::at(Kind::Template, Self::path(name), &file.text, at..at + target.len() + 2, message)
                    .label("here")
            }
            None => Diagnostic::file(Kind::Template, Self::path(name), message),
        }
    }

    fn cycle(&self, tpl: &str, chain: &[String], keyword: &str, message: &str) -> Diagnostic {
        let mut names: Vec<&str> = chain.iter().map(String::as_str).collect();
        if names.first() != Some(&tpl) {
            names.insert(0, tpl);
        }
        if names.last() != Some(&tpl) {
            names.push(tpl);
        }
        let next = names.get(1).copied().unwrap_or(tpl);
        if next == tpl {
            return self.find(tpl, tpl, format!("the template `{tpl}` {keyword}s itself")).help(format!(
                "remove `{{% {keyword} \"{tpl}\" %}}` from templates/{tpl}: a template cannot contain itself"
            ));
        }
        self.find(tpl, next, format!("{message}: {}", names.join(" → ")))
            .help(format!("remove one `{keyword}` of the loop; a shared piece belongs in its own template that includes nothing that includes it"))
    }

    /// For each template, itself and every template it uses, directly or not.
    pub fn closure(&self) -> &HashMap<String, BTreeSet<String>> {
        &self.closure
    }

    /// Where `template`, or a template it uses, writes a link that renders as one of `written`
    /// on a site under `base_path`: the template's name, source and the span of the link.
    pub fn find_link(
        &self,
        template: &str,
        base_path: &str,
        written: &[String],
    ) -> Option<(String, Arc<str>, Range<usize>)> {
        let uses = self.closure.get(template)?;
        let renders = |kind: &LinkKind| match kind {
            LinkKind::Literal { url, .. } => url.clone(),
            LinkKind::Call { function, path } => {
                let published = match *function {
                    "asset" => self.assets.get(path.trim_start_matches('/')).map_or(path.as_str(), String::as_str),
                    _ => path.as_str(),
                };
                crate::routes::url(base_path, published)
            }
        };
        // The template itself first, then the ones it uses, in name order.
        let order = std::iter::once(template).chain(uses.iter().map(String::as_str).filter(|n| *n != template));
        for name in order {
            for link in self.links.get(name).into_iter().flatten() {
                if written.contains(&renders(&link.kind)) {
                    return Some((name.to_string(), Arc::clone(&self.sources.get(name)?.text), link.span.clone()));
                }
            }
        }
        None
    }

    /// The source of a template, by name.
    pub fn source(&self, name: &str) -> Option<&Arc<str>> {
        self.sources.get(name).map(|f| &f.text)
    }
}

/// The error for a root-relative URL written by hand in a template (`href="/logo.svg"`), which
/// points outside the site when it is published under a subpath.
fn hand_written(name: &str, file: &SourceFile, link: &TemplateLink) -> Option<Diagnostic> {
    let LinkKind::Literal { url, .. } = &link.kind else { return None };
    if !url.starts_with('/') || url.starts_with("//") {
        return None;
    }
    let whole = file.text.get(link.span.clone()) == Some(url.as_str());
    let fix = if whole {
        format!("write {{{{ url(path=\"{url}\") }}}} instead, which puts the site's base path in front")
    } else {
        format!("build the whole URL with url(), such as {{{{ url(path=\"{url}\" ~ ...) }}}}, which puts the site's base path in front")
    };
    Some(
        Diagnostic::at(
            Kind::TemplateLink,
            format!("templates/{name}"),
            &file.text,
            link.span.clone(),
            format!("the link `{url}` is written by hand: it breaks when the site is published under a subpath"),
        )
        .label("a root-relative URL")
        .help(fix),
    )
}

/// The text after each `{%` of `source` (and its `-`), from the tag's keyword on.
fn tags(source: &str) -> impl Iterator<Item = &str> {
    source.match_indices("{%").map(move |(i, _)| source[i + 2..].trim_start_matches('-').trim_start())
}

/// Whether `source` defines a component (`{% component name(...) %}`): Tera's components are
/// global, so any template may call one without naming the template that defines it.
fn defines_components(source: &str) -> bool {
    tags(source).any(|tag| {
        tag.strip_prefix("component").is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric() && c != '_'))
    })
}

/// The templates that `source` extends, includes or imports by name; `None` when a name is
/// computed at render time.
pub fn template_refs(source: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for tag in tags(source) {
        let Some(after) = ["extends", "include", "import"].iter().find_map(|k| tag.strip_prefix(k)) else { continue };
        let arg = after.trim_start();
        let quote = arg.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let end = arg[1..].find(quote)?;
        out.push(arg[1..1 + end].to_string());
    }
    Some(out)
}

/// For each template, itself and every template it uses, directly or not; every template uses
/// those that define components, whose components it may call.
pub fn closure(sources: &HashMap<String, String>) -> HashMap<String, BTreeSet<String>> {
    let refs: HashMap<&str, Option<Vec<String>>> =
        sources.iter().map(|(n, s)| (n.as_str(), template_refs(s))).collect();
    let components: Vec<&String> = sources.iter().filter(|(_, s)| defines_components(s)).map(|(n, _)| n).collect();
    let mut out = HashMap::new();
    for name in sources.keys() {
        let mut seen = BTreeSet::new();
        let mut stack = vec![name.clone()];
        stack.extend(components.iter().map(|n| (*n).clone()));
        let mut everything = false;
        while let Some(n) = stack.pop() {
            if !seen.insert(n.clone()) {
                continue;
            }
            match refs.get(n.as_str()) {
                Some(Some(children)) => stack.extend(children.iter().cloned()),
                Some(None) => everything = true,
                None => {}
            }
        }
        if everything {
            seen.extend(sources.keys().cloned());
        }
        out.insert(name.clone(), seen);
    }
    out
}

fn help_for(message: &str) -> String {
    let m = message.to_lowercase();
    if m.contains("not defined") || m.contains("undefined") {
        let general = "variables each template receives are listed in docs/templates.md. For an optional value write `{% if x is defined %}` or `x | default(value=\"\")`";
        match closest_name(message) {
            Some(name) => format!("did you mean `{name}`? The {general}"),
            None => format!("check the spelling; the {general}"),
        }
    } else if m.contains("there is no message") || m.contains("no message file") {
        "add the message to the default language's file in messages/ (each language's file has the same keys), or correct the key".into()
    } else if m.contains("unknown filter") {
        "check the filter's name; brief has Tera's built-in filters (https://keats.github.io/tera/docs/)".into()
    } else if m.contains("unknown function") {
        "check the function's name; brief adds `url(path=...)`, `asset(path=...)` and `t(key=...)` to Tera's built-in functions"
            .into()
    } else if m.contains("would be ignored") {
        "a template that extends another prints only its blocks: move this into one of them, such as `{% block main %}` ... `{% endblock %}`, or delete it".into()
    } else if m.contains("unknown template") {
        "check the template's name: names are paths under templates/, such as \"partials/card.html\"".into()
    } else {
        "check the template syntax near here: every `{{` needs `}}`, every `{%` needs `%}`, and every block tag (`if`, `for`, `block`) needs its `end` tag".into()
    }
}

/// For Tera's "Variable `pagee` is not defined. Available variables: page, pages, site" (or
/// fields), the available name closest to the one written, if one is close.
fn closest_name(message: &str) -> Option<String> {
    let wanted = message.split('`').nth(1)?;
    let (_, available) = message.split_once("Available ")?;
    let (_, names) = available.split_once(':')?;
    let names: Vec<&str> = names.split(',').map(str::trim).map(|n| n.trim_end_matches('.')).collect();
    crate::diagnostic::closest(wanted, names).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_includes_depend_on_everything() {
        assert_eq!(template_refs("{% include name %}"), None);
        assert_eq!(
            template_refs("{% extends 'a.html' %}{%- include \"b.html\" %}"),
            Some(vec!["a.html".into(), "b.html".into()])
        );
    }

    /// Template sources by name.
    fn sources(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect()
    }

    #[test]
    fn a_template_that_defines_components_is_in_every_closure() {
        let closure = closure(&sources(&[
            ("partials/components.html", "{%component card(title: string) %}<b>{{ title }}</b>{% endcomponent %}"),
            ("page.html", "{{<card title=\"x\"/>}}"),
            ("other.html", "{% include 'partials/inner.html' %}"),
            ("partials/inner.html", "inner"),
        ]));
        assert!(closure["page.html"].contains("partials/components.html"), "{:?}", closure["page.html"]);
        // What the others use is still told apart: a change to one partial is not every page's.
        assert!(!closure["page.html"].contains("partials/inner.html"), "{:?}", closure["page.html"]);
        assert!(closure["other.html"].contains("partials/inner.html"));
        assert!(defines_components("{%- component card() %}{% endcomponent %}"));
        assert!(!defines_components("{% components_list %}{{ component }}"));
    }

    #[test]
    fn a_template_closure_follows_extends_and_includes() {
        let closure = closure(&sources(&[
            ("base.html", "<html>{% block main %}{% endblock %}</html>"),
            ("announcement.html", "{% extends \"base.html\" %}{% include 'partials/card.html' %}"),
            ("partials/card.html", "card"),
        ]));
        let uses: Vec<&str> = closure["announcement.html"].iter().map(String::as_str).collect();
        assert_eq!(uses, ["announcement.html", "base.html", "partials/card.html"]);
        assert_eq!(closure["partials/card.html"].len(), 1);
    }

    #[test]
    fn an_unknown_variable_or_field_suggests_the_closest_name() {
        let help = help_for("Variable `pagee` is not defined. Available variables: canonical_url, page, pages, site");
        assert!(help.starts_with("did you mean `page`?"), "{help}");
        let help = help_for("Field `nam` is not defined. Available fields: initials, name, role, slug, url");
        assert!(help.starts_with("did you mean `name`?"), "{help}");
        let help = help_for("Variable `zzzz` is not defined. Available variables: page, site");
        assert!(help.starts_with("check the spelling"), "{help}");
    }

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in REQUIRED {
            std::fs::create_dir_all(dir.path().join("templates")).unwrap();
            std::fs::write(dir.path().join("templates").join(name), "ok").unwrap();
        }
        for (name, text) in files {
            std::fs::write(dir.path().join("templates").join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn syntax_errors_point_into_the_template() {
        let dir = site(&[("page.html", "line one\n{% if x %}\n{{ x }\n")]);
        let errs = Templates::load(dir.path(), "/").err().unwrap();
        let d = &errs.0[0];
        assert_eq!(d.file, PathBuf::from("templates/page.html"));
        assert_eq!(d.line_col().map(|(l, _)| l), Some(3), "{}", d.render(false));
    }

    #[test]
    fn text_outside_the_blocks_of_a_child_template_says_where_it_goes() {
        let dir = site(&[
            ("base.html", "<main>{% block main %}{% endblock %}</main>"),
            ("page.html", "{% extends \"base.html\" %}\n{% block main %}ok{% endblock %}\n<!-- note -->\n"),
        ]);
        let errs = Templates::load(dir.path(), "/").err().unwrap();
        let d = &errs.0[0];
        assert_eq!(d.file, PathBuf::from("templates/page.html"));
        let help = d.help.as_deref().unwrap_or_default();
        assert!(help.starts_with("a template that extends another prints only its blocks"), "{}", d.render(false));
    }

    #[test]
    fn unknown_filters_are_found_when_loading() {
        let dir = site(&[("page.html", "a\n{{ x | shout }}\n")]);
        let errs = Templates::load(dir.path(), "/").err().unwrap();
        let d = &errs.0[0];
        assert!(d.message.contains("Unknown filter `shout`"), "{}", d.render(false));
        assert_eq!(d.location(), "templates/page.html:2:8");
    }

    #[test]
    fn include_cycles_are_reported_with_the_chain() {
        let dir = site(&[("a.html", "{% include \"b.html\" %}"), ("b.html", "{% include \"a.html\" %}")]);
        let errs = Templates::load(dir.path(), "/").err().unwrap();
        let d = &errs.0[0];
        assert!(d.message.contains("a.html → b.html → a.html"), "{}", d.render(false));
        assert_eq!(d.line_col(), Some((1, 12)));
    }

    #[test]
    fn a_template_that_includes_itself_is_named() {
        let dir = site(&[("page.html", "<main>\n{% include \"page.html\" %}\n</main>\n")]);
        let errs = Templates::load(dir.path(), "/").err().unwrap();
        let d = &errs.0[0];
        assert_eq!(d.message, "the template `page.html` includes itself", "{}", d.render(false));
        assert_eq!(d.location(), "templates/page.html:2:12");
    }
}
