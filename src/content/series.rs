//! Chart series: numbers that share a `series` slug, on the timeline (`figure:`) or among an
//! announcement's figures (`figures: [{series: ...}]`), are drawn as one chart. Each number is
//! written once, wherever it is: the points of a series share a unit and a label, and no two
//! fall on the same date.

use rustc_hash::FxHashMap;

use super::doc::Located;
use crate::date::When;
use crate::diagnostic::{Diagnostic, Diagnostics, Kind};
use crate::yaml::Seg;

/// One point of a series as written, with where it is.
pub struct Written<'a> {
    pub series: &'a str,
    pub unit: &'a str,
    pub label: Option<&'a str>,
    /// Its date, when it has a valid one (errors in dates are reported where they are read).
    pub date: Option<When>,
    /// The file it is in.
    pub yaml: &'a Located,
    /// The path of its mapping in the file (`[3, figure]`, `[figures, 1]`).
    pub path: Vec<Seg<'a>>,
    /// The key of its date in that mapping (`year` for a figure); none when the date is the
    /// entry's own (the timeline's `date`, one level up).
    pub date_key: &'static str,
}

impl Written<'_> {
    fn at(&self, key: &'static str) -> Vec<Seg<'_>> {
        let mut path = self.path.clone();
        path.push(Seg::Key(key));
        path
    }

    fn error(&self, key: &'static str, value: &str, message: String) -> Diagnostic {
        self.yaml.error(Kind::Series, &self.at(key), Some(value), message)
    }

    /// Where `key` of this point is, for a message about another point: `line 9`, or
    /// `content/announcements/x.md:9` in another file.
    fn place(&self, key: &'static str, value: &str, from: &Written) -> String {
        let line = self.yaml.line(&self.at(key), Some(value));
        if std::ptr::eq(self.yaml, from.yaml) {
            format!("line {line}")
        } else {
            format!("{}:{line}", self.yaml.file().path.display())
        }
    }
}

/// Checks that the points of each series share one unit and one label, and that no two are on
/// the same date.
pub fn check(points: &[Written], errors: &mut Diagnostics) {
    struct First {
        unit: usize,
        label: Option<usize>,
        dates: FxHashMap<When, usize>,
    }
    let mut seen: FxHashMap<&str, First> = FxHashMap::default();
    for (i, p) in points.iter().enumerate() {
        let (unit, label) = (p.unit.trim(), p.label.map(str::trim));
        let Some(first) = seen.get_mut(p.series) else {
            let dates = p.date.map(|d| (d, i)).into_iter().collect();
            seen.insert(p.series, First { unit: i, label: label.map(|_| i), dates });
            continue;
        };
        let was = points[first.unit].unit.trim();
        if unit != was {
            errors.push(
                p.error("unit", unit, format!("the series `{}` mixes units", p.series))
                    .label(format!("{} gives `{was}`", points[first.unit].place("unit", was, p)))
                    .help(format!(
                        "a chart compares the points of a series, so they share one unit: convert this value to {was}, or put it in another series"
                    )),
            );
        }
        match (label, first.label) {
            (Some(l), Some(j)) if Some(l) != points[j].label.map(str::trim) => {
                let was = points[j].label.map(str::trim).unwrap_or_default();
                errors.push(
                    p.error("label", l, format!("the series `{}` has two labels", p.series))
                        .label(format!("{} gives `{was}`", points[j].place("label", was, p)))
                        .help("give the label once, on any point of the series, or the same label on each"),
                );
            }
            (Some(_), None) => first.label = Some(i),
            _ => {}
        }
        if let Some(date) = p.date {
            match first.dates.get(&date) {
                Some(&j) => {
                    let iso = date.iso();
                    let other = &points[j];
                    let place = if other.date_key.is_empty() {
                        let mut up = other.path.clone();
                        up.pop();
                        up.push(Seg::Key("date"));
                        let line = other.yaml.line(&up, None);
                        if std::ptr::eq(other.yaml, p.yaml) {
                            format!("line {line}")
                        } else {
                            format!("{}:{line}", other.yaml.file().path.display())
                        }
                    } else {
                        other.place(other.date_key, &iso, p)
                    };
                    errors.push(
                        p.yaml
                            .error(
                                Kind::Series,
                                &p.at("value"),
                                None,
                                format!("the series `{}` has two values for {iso}", p.series),
                            )
                            .label(format!("{place} gives {iso} a value too"))
                            .help("write each number once: remove one of them, or give one another series"),
                    );
                }
                None => {
                    first.dates.insert(date, i);
                }
            }
        }
    }
}
