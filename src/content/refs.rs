//! Cross-references by slug: an announcement naming speakers and topics, a timeline entry naming
//! an announcement and speakers. A slug that names nothing is an error with the closest known
//! slug; a slug listed twice is an error at its first repeat.

use std::collections::BTreeSet;
use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::diagnostic::{suggest, Diagnostic, Diagnostics, Kind};

/// The things of one kind that can be named, by slug.
pub struct Known<'a> {
    /// What they are, for messages: `speaker`, `topic`, `announcement`.
    pub what: &'static str,
    /// Where they are written, for messages: `content/speakers/<slug>.md`.
    pub written_in: &'static str,
    /// Each one's index, by slug.
    pub index: FxHashMap<&'a str, usize>,
    /// Whether every file of the kind parsed: when one did not, an unknown slug may be in it,
    /// and is not reported as unknown.
    pub complete: bool,
    /// What the name of one is called in its file: `slug`, or `id` for a source.
    pub key: &'static str,
}

impl<'a> Known<'a> {
    /// The kind `what`, written in `written_in`, whose slugs are `slugs` in order.
    pub fn new(
        what: &'static str,
        written_in: &'static str,
        slugs: impl Iterator<Item = &'a str>,
        complete: bool,
    ) -> Known<'a> {
        Known { what, written_in, index: slugs.enumerate().map(|(i, s)| (s, i)).collect(), complete, key: "slug" }
    }

    /// Names the key that names one in its file, for messages (`id` for sources).
    pub fn keyed_by(self, key: &'static str) -> Known<'a> {
        Known { key, ..self }
    }

    /// Lets each file be named by its file name as well as by its slug (`潘功胜` for
    /// `pan-gong-sheng`): `aliases` are (file name, slug) pairs.
    pub fn with_aliases(mut self, aliases: impl Iterator<Item = (&'a str, &'a str)>) -> Known<'a> {
        let extra: Vec<(&str, usize)> = aliases
            .filter(|(name, slug)| name != slug && !self.index.contains_key(name))
            .filter_map(|(name, slug)| Some((name, self.get(slug)?)))
            .collect();
        self.index.extend(extra);
        self
    }

    /// The index of `slug`, if it names one.
    pub fn get(&self, slug: &str) -> Option<usize> {
        self.index.get(slug).copied()
    }

    /// The error for `slug`, which names nothing, at `span` of `file`.
    pub fn unknown(
        &self,
        file: &std::path::Path,
        text: &std::sync::Arc<str>,
        span: Range<usize>,
        slug: &str,
    ) -> Diagnostic {
        let known: BTreeSet<&str> = self.index.keys().copied().collect();
        Diagnostic::at(Kind::Unknown(self.what), file, text, span, format!("unknown {} `{slug}`", self.what))
            .label(format!("no {} in {} has this {}", self.what, self.written_in, self.key))
            .help(suggest(self.what, slug, known))
    }
}

/// Resolves the list `slugs` against `known`, reporting unknown and repeated slugs; `at(slug,
/// nth)` is the span of the `nth` occurrence of `slug` in the list. Each slug is looked up and
/// located once, however often it is repeated: a list of thousands of repeats must not take
/// thousands of searches.
pub fn resolve(
    slugs: &[String],
    known: &Known,
    file: &std::path::Path,
    text: &std::sync::Arc<str>,
    at: impl Fn(&str, usize) -> Range<usize>,
    errors: &mut Diagnostics,
) -> Vec<usize> {
    let mut out = Vec::with_capacity(slugs.len());
    let mut times: FxHashMap<&str, usize> = FxHashMap::default();
    for slug in slugs {
        *times.entry(slug.as_str()).or_default() += 1;
    }
    for slug in slugs {
        // Taken out at its first occurrence, so that repeats are passed over.
        let Some(n) = times.remove(slug.as_str()) else { continue };
        match known.get(slug) {
            Some(i) => {
                out.push(i);
                if n > 1 {
                    // Point at the first repeat, not at the first occurrence.
                    let count = if n == 2 { "twice".to_string() } else { format!("{n} times") };
                    errors.push(
                        Diagnostic::at(
                            Kind::Repeated(known.what),
                            file,
                            text,
                            at(slug, 1),
                            format!("{} `{slug}` is listed {count}", known.what),
                        )
                        .label("repeated")
                        .help(if n == 2 {
                            "remove one of them"
                        } else {
                            "keep only one of them"
                        }),
                    )
                }
            }
            None if known.complete => errors.push(known.unknown(file, text, at(slug, 0), slug)),
            None => {}
        }
    }
    out
}
