//! The templates' own words in each language ("Announcements", "3 dates on the timeline"):
//! `messages/<code>.ftl` beside `templates/`, in Project Fluent's format, which gives each
//! language its own plural rules and word order. Templates print a message with
//! `{{ t(key="announcements-count", count=3) }}`; a page gets its language's message, or the
//! default language's where its language has none yet, and `brief check` reports what each
//! language lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::diagnostic::{closest, Diagnostic, Diagnostics, Kind};
use crate::source::SourceFile;

/// The folder of the message files, beside `templates/`.
pub const DIR: &str = "messages";

/// The messages of one language.
struct Language {
    bundle: FluentBundle<FluentResource>,
    /// Its message ids, in order.
    keys: BTreeSet<String>,
    /// Its file, and where in it each message's id is written (from the parser).
    file: SourceFile,
    at: std::collections::HashMap<String, usize>,
    /// Its messages that take no value, written once: most of what templates print, many times
    /// per page (`Announcements`, `, `).
    plain: std::collections::HashMap<String, String>,
}

/// Every message file of a site, by language code.
#[derive(Clone, Default)]
pub struct Messages {
    languages: Arc<BTreeMap<String, Language>>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.languages.keys()).finish()
    }
}

impl Messages {
    /// Reads `root/messages/*.ftl`; a file that does not parse is an error at its line and column.
    /// A site without the folder has no messages.
    pub fn load(root: &Path) -> Result<Messages, Diagnostics> {
        let dir = root.join(DIR);
        let mut errors = Diagnostics::default();
        let mut languages = BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Messages::default()) };
        let mut names: Vec<String> =
            entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        for name in names {
            if crate::paths::is_editor_file(&name) {
                continue;
            }
            let rel = Path::new(DIR).join(&name);
            let Some(code) = name.strip_suffix(".ftl") else {
                errors.push(
                    Diagnostic::file(Kind::File, &rel, "brief does not know what this file is")
                        .help("messages/ holds one Fluent file per language, named by its code: en.ftl, zh.ftl"),
                );
                continue;
            };
            match crate::source::read(root, &rel) {
                Ok(file) => match parse(code, &file) {
                    Ok(language) => {
                        languages.insert(code.to_string(), language);
                    }
                    Err(e) => errors.0.extend(e.0),
                },
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() {
            Ok(Messages { languages: Arc::new(languages) })
        } else {
            Err(errors.finish())
        }
    }

    /// Whether the site has no message files.
    pub fn is_empty(&self) -> bool {
        self.languages.is_empty()
    }

    /// Message `key`, which takes no value, in language `lang`, or else in `fallback`: `None`
    /// when neither has it as such (it may take values, or be missing).
    pub fn plain(&self, lang: &str, fallback: &str, key: &str) -> Option<&str> {
        let has = |code: &str| self.languages.get(code).map(|l| l.keys.contains(key));
        match has(lang) {
            Some(true) => self.languages.get(lang)?.plain.get(key).map(String::as_str),
            _ => self.languages.get(fallback)?.plain.get(key).map(String::as_str),
        }
    }

    /// Every message that takes no value, in language `lang` or else in `fallback`, as one map for
    /// templates (`msg`): printing `{{ msg['nav-search'] }}` is a look-up, where a `t()` call
    /// costs a function call on every page.
    pub fn plain_map(&self, lang: &str, fallback: &str) -> tera::Value {
        let mut map = tera::Map::new();
        // Brief's own English under everything, so that message files written before a key
        // existed keep working.
        for (key, text) in builtin().languages.get("en").map(|l| &l.plain).into_iter().flatten() {
            map.insert(tera::value::Key::from(key.clone()), tera::Value::from(text.as_str()));
        }
        for code in [fallback, lang] {
            if let Some(l) = self.languages.get(code) {
                for (key, text) in &l.plain {
                    map.insert(tera::value::Key::from(key.clone()), tera::Value::from(text.as_str()));
                }
                // A message of `lang` that takes values hides the fallback's plain one.
                if code == lang && code != fallback {
                    for key in l.keys.iter().filter(|k| !l.plain.contains_key(*k)) {
                        map.shift_remove(&tera::value::Key::from(key.clone()));
                    }
                }
            }
        }
        tera::Value::from(map)
    }

    /// Message `key` in language `lang`, or else in `fallback`, with `args`.
    pub fn format(&self, lang: &str, fallback: &str, key: &str, args: &FluentArgs) -> Result<String, String> {
        for code in [lang, fallback] {
            let Some(language) = self.languages.get(code) else { continue };
            let Some(pattern) = language.bundle.get_message(key).and_then(|m| m.value()) else { continue };
            let mut problems = Vec::new();
            let text = language.bundle.format_pattern(pattern, Some(args), &mut problems);
            if let Some(problem) = problems.first() {
                return Err(format!("the message `{key}` of messages/{code}.ftl cannot be written: {problem}"));
            }
            return Ok(text.into_owned());
        }
        let known = self.languages.get(fallback).or_else(|| self.languages.get(lang));
        let mut message = match known {
            Some(_) => format!("there is no message `{key}` in messages/{fallback}.ftl"),
            None => format!("there is no message file messages/{fallback}.ftl for the message `{key}`"),
        };
        if let Some(best) = known.and_then(|l| closest(key, l.keys.iter().map(String::as_str))) {
            message.push_str(&format!(": did you mean `{best}`?"));
        }
        Err(message)
    }

    /// The message ids of language `code`'s file that language `lang` lacks: what its
    /// translators have left to do, in order. `None` when `lang` has no file at all.
    pub fn missing(&self, default: &str, lang: &str) -> Option<Vec<String>> {
        let theirs = &self.languages.get(lang)?.keys;
        let ours = self.languages.get(default).map(|l| &l.keys);
        Some(ours.into_iter().flatten().filter(|k| !theirs.contains(*k)).cloned().collect())
    }

    /// Message `key` with text values `args`, in language `lang`, or else in `fallback`, or else
    /// in brief's own English (`messages/en.ftl` as `brief new` writes it): for the words brief
    /// writes itself (page titles and descriptions), which a site whose message files predate
    /// them may lack.
    pub fn text(&self, lang: &str, fallback: &str, key: &str, args: &[(&str, &str)]) -> String {
        let args = self::args(args.iter().map(|(k, v)| (*k, Arg::Text(v.to_string()))));
        self.format(lang, fallback, key, &args)
            .or_else(|_| builtin().format("en", "en", key, &args))
            .unwrap_or_else(|_| key.to_string())
    }

    /// A problem about message `key` of language `code`, at the line that defines it.
    pub fn at(&self, kind: Kind, code: &str, key: &str, message: impl Into<String>) -> Option<Diagnostic> {
        let l = self.languages.get(code)?;
        let offset = *l.at.get(key)?;
        Some(Diagnostic::at(kind, &l.file.path, &l.file.text, offset..offset + key.len(), message))
    }
}

/// brief's own English messages, those `brief new` writes.
fn builtin() -> &'static Messages {
    static BUILTIN: std::sync::LazyLock<Messages> = std::sync::LazyLock::new(|| {
        let file =
            SourceFile { path: Path::new(DIR).join("en.ftl"), text: Arc::from(include_str!("../messages/en.ftl")) };
        // It parses (a test says so); were it not to, brief's words would be their keys.
        let languages = parse("en", &file).map(|l| BTreeMap::from([("en".to_string(), l)])).unwrap_or_default();
        Messages { languages: Arc::new(languages) }
    });
    &BUILTIN
}

/// Parses `file` as the messages of language `code`.
fn parse(code: &str, file: &SourceFile) -> Result<Language, Diagnostics> {
    let mut errors = Diagnostics::default();
    let resource = match FluentResource::try_new(file.text.to_string()) {
        Ok(r) => r,
        Err((r, problems)) => {
            for p in problems {
                errors.push(
                    Diagnostic::at(Kind::Syntax, &file.path, &file.text, p.pos.clone(), format!("this is not Fluent: {}", p.kind))
                        .label("the message file stops making sense here")
                        .help("write each message as `key = text` on its own line; see https://projectfluent.org/fluent/guide/"),
                );
            }
            r
        }
    };
    let langid: unic_langid::LanguageIdentifier = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Pages are HTML: no Unicode isolation marks around the values put in a message.
    bundle.set_use_isolating(false);
    let at = message_ids(&resource);
    let keys: BTreeSet<String> = at.keys().cloned().collect();
    if let Err(problems) = bundle.add_resource(resource) {
        for p in problems {
            errors
                .push(Diagnostic::file(Kind::Syntax, &file.path, format!("{p}")).help("give each message its own key"));
        }
    }
    // Written once, the messages whose text needs no value: with no arguments, formatting reports
    // a problem for any that does, and those are left to `format`.
    let mut plain = std::collections::HashMap::new();
    for key in &keys {
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else { continue };
        let mut problems = Vec::new();
        let text = bundle.format_pattern(pattern, None, &mut problems);
        if problems.is_empty() {
            plain.insert(key.clone(), text.into_owned());
        }
    }
    if errors.is_empty() {
        Ok(Language { bundle, keys, file: file.clone(), at, plain })
    } else {
        Err(errors)
    }
}

/// The ids of the messages of `resource`, each with its byte offset in the resource's text: the
/// parser's identifier is a slice of that text, so where it starts is where the id is written.
fn message_ids(resource: &FluentResource) -> std::collections::HashMap<String, usize> {
    let start = resource.source().as_ptr() as usize;
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => {
                Some((m.id.name.to_string(), (m.id.name.as_ptr() as usize).saturating_sub(start)))
            }
            _ => None,
        })
        .collect()
}

/// The arguments of a `t()` call: numbers stay numbers, so that plural rules apply.
pub fn args<'a>(pairs: impl Iterator<Item = (&'a str, Arg)>) -> FluentArgs<'a> {
    let mut out = FluentArgs::new();
    for (name, value) in pairs {
        match value {
            Arg::Number(n) => out.set(name, FluentValue::from(n)),
            Arg::Text(s) => out.set(name, FluentValue::from(s)),
        }
    }
    out
}

/// A value passed to a message.
pub enum Arg {
    Number(f64),
    Text(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(files: &[(&str, &str)]) -> (tempfile::TempDir, Messages) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(DIR)).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(DIR).join(name), text).unwrap();
        }
        let m = Messages::load(dir.path()).unwrap();
        (dir, m)
    }

    fn count(n: f64) -> FluentArgs<'static> {
        args([("count", Arg::Number(n))].into_iter())
    }

    #[test]
    fn each_language_has_its_plural_rules_and_falls_back_to_the_default() {
        let en =
            "n = { $count ->\n    [one] { $count } speaker\n   *[other] { $count } speakers\n}\nonly-en = Only here\n";
        let zh = "n = { $count } 位发言人\n";
        let (_d, m) = messages(&[("en.ftl", en), ("zh.ftl", zh)]);
        assert_eq!(m.format("en", "en", "n", &count(1.0)).unwrap(), "1 speaker");
        assert_eq!(m.format("en", "en", "n", &count(0.0)).unwrap(), "0 speakers");
        assert_eq!(m.format("zh", "en", "n", &count(1.0)).unwrap(), "1 位发言人");
        // A message the language lacks comes from the default language.
        assert_eq!(m.format("zh", "en", "only-en", &FluentArgs::new()).unwrap(), "Only here");
        let err = m.format("zh", "en", "onlyen", &FluentArgs::new()).unwrap_err();
        assert!(err.contains("there is no message `onlyen` in messages/en.ftl: did you mean `only-en`?"), "{err}");
        assert_eq!(m.missing("en", "zh"), Some(vec!["only-en".to_string()]));
        assert_eq!(m.missing("en", "vi"), None);
    }

    #[test]
    fn the_words_brief_writes_itself_fall_back_to_its_own_english() {
        let (_d, m) = messages(&[("en.ftl", "nav-search = Find\n"), ("zh.ftl", "meta-topic = 关于{ $topic }\n")]);
        let args = [("topic", "贸易"), ("event", "Expo")];
        assert_eq!(m.text("zh", "en", "meta-topic", &args), "关于贸易");
        // Neither file has it: brief's own English.
        assert_eq!(
            m.text("zh", "en", "meta-search", &[("event", "Expo")]),
            "Search the announcements, speakers and timeline of the Expo."
        );
        assert_eq!(m.text("en", "en", "nav-search", &[]), "Find");
        assert_eq!(Messages::default().text("zh", "en", "meta-topic", &args), "Announcements about 贸易 at the Expo.");
        assert_eq!(m.text("en", "en", "no-such-key", &[]), "no-such-key");
        // brief's own file parses, with every key the starter's templates use.
        assert!(builtin().languages["en"].keys.len() > 50);
    }

    #[test]
    fn the_plain_messages_of_a_language_fill_in_from_the_default() {
        let en = "a = A\nb = B\nn = { $count } things\n";
        let zh = "a = 甲\n";
        let (_d, m) = messages(&[("en.ftl", en), ("zh.ftl", zh)]);
        let map = m.plain_map("zh", "en");
        let get =
            |k: &str| map.as_map().and_then(|m| m.get(&tera::value::Key::from(k.to_string()))).map(|v| v.to_string());
        assert_eq!(get("a").as_deref(), Some("甲"));
        assert_eq!(get("b").as_deref(), Some("B"));
        // A message that takes a value is for `t()`.
        assert_eq!(get("n"), None);
    }

    #[test]
    fn values_are_not_wrapped_in_isolation_marks() {
        let (_d, m) = messages(&[("en.ftl", "t = { $site }: announcements\n")]);
        let args = args([("site", Arg::Text("Expo".into()))].into_iter());
        assert_eq!(m.format("en", "en", "t", &args).unwrap(), "Expo: announcements");
    }
}
