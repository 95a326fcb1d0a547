//! Charts drawn at build time: numbers that share a `series`, on the timeline or among an
//! announcement's figures, become a bar chart, as inline SVG with a text alternative, next to a
//! table of the same numbers, and with the change between the first and the last computed (never
//! typed). No JavaScript.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::date::{Precision, When};
use crate::format;
use crate::model::{Announcement, Citation, TimelineEntry};

/// One chart, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The series' slug.
    pub series: String,
    /// The series' label, or a title made from its slug: `two-way-trade` is "Two way trade".
    pub title: String,
    /// The unit of the values (the load phase checks that the points of a series share it).
    pub unit: String,
    /// The chart as inline SVG (safe to print as is).
    pub svg: String,
    /// One sentence saying what the chart shows, for readers who cannot see it.
    pub summary: String,
    /// The points, oldest first, for the table beside the chart.
    pub points: Vec<ChartPoint>,
    /// The change from the first point to the last, computed.
    pub change: Change,
    /// What the points cite, each once, in the order of the points.
    #[serde(skip)]
    pub citations: Vec<Citation>,
}

/// One bar of a chart.
#[derive(Debug, Clone, Serialize)]
pub struct ChartPoint {
    /// The date as readers see it.
    pub label: String,
    /// The value.
    pub value: f64,
    /// The value as readers see it.
    pub value_display: String,
}

/// The change between the first and the last point of a series, as the page's language writes
/// numbers, rounded as stated: the difference to the precision of the numbers it is computed
/// from, the multiple and the yearly rate to one decimal place.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// The first and last points' dates, as readers see them.
    pub from: String,
    pub to: String,
    /// The last value less the first, with its sign: `+308`.
    pub difference: String,
    /// The last value over the first (`6.6`), when the first is above zero.
    pub multiple: Option<String>,
    /// The compound annual growth rate in percent (`23.4`), when both points are single years
    /// at least one apart and both values are above zero.
    pub rate: Option<String>,
    /// How many years apart the points are, for the rate.
    pub years: Option<i32>,
}

/// A point of a series, from a timeline entry's `figure` or an announcement's figure.
pub struct SeriesPoint<'a> {
    pub series: &'a str,
    pub label: Option<&'a str>,
    pub date: When,
    pub value: f64,
    pub unit: &'a str,
    pub sources: &'a [Citation],
}

/// The points of every series: the timeline's, then the announcements'.
pub fn points<'a>(
    timeline: &'a [TimelineEntry],
    announcements: impl Iterator<Item = &'a Announcement>,
) -> Vec<SeriesPoint<'a>> {
    let from_timeline = timeline.iter().filter_map(|e| {
        let f = e.figure.as_ref()?;
        Some(SeriesPoint {
            series: &f.series,
            label: f.label.as_deref(),
            date: e.date,
            value: f.value,
            unit: &f.unit,
            sources: &e.sources,
        })
    });
    let from_announcements = announcements.flat_map(|a| {
        a.figures.iter().filter_map(|f| {
            Some(SeriesPoint {
                series: f.series.as_deref()?,
                label: Some(&f.label),
                date: f.year?,
                value: f.value,
                unit: &f.unit,
                sources: &f.sources,
            })
        })
    });
    from_timeline.chain(from_announcements).collect()
}

/// Every series of `points` that has at least two points, by slug; each chart's points oldest
/// first.
pub fn charts(points: Vec<SeriesPoint>, formats: &format::Formats) -> Vec<Chart> {
    let mut series: BTreeMap<&str, Vec<SeriesPoint>> = BTreeMap::new();
    for p in points {
        series.entry(p.series).or_default().push(p);
    }
    series
        .into_iter()
        .filter(|(_, points)| points.len() >= 2)
        .map(|(slug, mut points)| {
            points.sort_by_key(|p| p.date);
            let title = points.iter().find_map(|p| p.label).map_or_else(|| title_of(slug), |l| l.trim().to_string());
            let unit = points[0].unit.to_string();
            let citations = Citation::distinct(points.iter().flat_map(|p| p.sources));
            let change = change(&points, formats);
            let points: Vec<ChartPoint> = points
                .iter()
                .map(|p| ChartPoint {
                    label: formats.when(&p.date),
                    value: p.value,
                    value_display: formats.number(p.value),
                })
                .collect();
            let summary = summary(&title, &unit, &points);
            let svg = svg(slug, &title, &summary, &unit, &points);
            Chart { series: slug.to_string(), title, unit, svg, summary, points, change, citations }
        })
        .collect()
}

/// The change from the first of `points` to the last (there are two at least).
fn change(points: &[SeriesPoint], formats: &format::Formats) -> Change {
    let (first, last) = (&points[0], &points[points.len() - 1]);
    let (a, b) = (first.value, last.value);
    // The difference is as precise as the numbers it comes from: 362.8 − 54.8 is 308.0, not
    // 308.00000000000006.
    let decimals = decimals(a).max(decimals(b));
    let scale = 10f64.powi(decimals as i32);
    let difference = ((b - a) * scale).round() / scale;
    let one_decimal = |x: f64| formats.number((x * 10.0).round() / 10.0);
    let sign = if difference > 0.0 { "+" } else { "" };
    let single_year = |w: &When| w.precision() == Precision::Year;
    let years = (single_year(&first.date) && single_year(&last.date))
        .then(|| last.date.year() - first.date.year())
        .filter(|&y| y >= 1);
    let rate = years.filter(|_| a > 0.0 && b > 0.0).map(|y| ((b / a).powf(1.0 / f64::from(y)) - 1.0) * 100.0);
    Change {
        from: formats.when(&first.date),
        to: formats.when(&last.date),
        difference: format!("{sign}{}", formats.number(difference)),
        multiple: (a > 0.0 && b >= 0.0).then(|| one_decimal(b / a)),
        rate: rate.map(one_decimal),
        years: years.filter(|_| rate.is_some()),
    }
}

/// How many decimal places `value` is written with (`54.8` has one).
fn decimals(value: f64) -> usize {
    let text = format::number(value);
    text.split_once('.').map_or(0, |(_, fraction)| fraction.len())
}

fn title_of(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first and the last point in words any language reads, since the chart's language is the
/// page's: `Two-way trade: 2002, 54.8 billion USD; 2011, 362.8 billion USD.`
fn summary(title: &str, unit: &str, points: &[ChartPoint]) -> String {
    let (first, last) = (&points[0], &points[points.len() - 1]);
    format!("{title}: {}, {} {unit}; {}, {} {unit}.", first.label, first.value_display, last.label, last.value_display)
}

fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// A bar chart 640 units wide; it scales with its container through its viewBox.
fn svg(slug: &str, title: &str, summary: &str, unit: &str, points: &[ChartPoint]) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 300.0;
    const TOP: f64 = 36.0;
    const BOTTOM: f64 = 40.0;
    const SIDE: f64 = 24.0;
    let max = points.iter().map(|p| p.value).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let slot = (WIDTH - 2.0 * SIDE) / points.len() as f64;
    let bar = (slot * 0.6).min(96.0);
    let plot = HEIGHT - TOP - BOTTOM;
    let id = format!("chart-{}", escape(slug));
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(summary)
    );
    out.push_str(&format!(
        "<line class=\"chart-axis\" x1=\"{SIDE}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\"/>",
        y = HEIGHT - BOTTOM,
        x2 = WIDTH - SIDE
    ));
    for (i, p) in points.iter().enumerate() {
        let h = (p.value.max(0.0) / max) * plot;
        let x = SIDE + slot * i as f64 + (slot - bar) / 2.0;
        let y = HEIGHT - BOTTOM - h;
        let cx = x + bar / 2.0;
        out.push_str(&format!(
            "<rect class=\"chart-bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\"/>\
<text class=\"chart-value\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{} {}</text>\
<text class=\"chart-label\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y - 8.0,
            escape(&p.value_display),
            escape(unit),
            HEIGHT - BOTTOM + 24.0,
            escape(&p.label)
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_real_briefing_charts_two_way_trade() {
        let site = crate::content::load(Path::new(env!("CARGO_MANIFEST_DIR")), &Default::default()).unwrap();
        let charts = charts(points(&site.timeline, site.announcements.iter().map(|a| &**a)), &format::formats("en"));
        assert_eq!(charts.len(), 1);
        let c = &charts[0];
        assert_eq!(c.title, "Two-way China–ASEAN trade");
        assert_eq!(c.unit, "billion USD");
        let values: Vec<&str> = c.points.iter().map(|p| p.value_display.as_str()).collect();
        assert_eq!(values, ["54.8", "362.8"]);
        assert_eq!(c.summary, "Two-way China–ASEAN trade: 2002, 54.8 billion USD; 2011, 362.8 billion USD.");
        // The SVG parses as XML, says what it shows, and draws one bar per point, the larger higher.
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.descendants().any(|n| n.has_tag_name("desc") && n.text() == Some(c.summary.as_str())));
        let heights: Vec<f64> = root
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-bar"))
            .map(|n| n.attribute("height").unwrap().parse().unwrap())
            .collect();
        assert_eq!(heights.len(), 2);
        assert!(heights[1] > heights[0] * 6.0, "{heights:?}");
        // 54.8 to 362.8 billion USD in nine years: computed, not typed.
        let want = Change {
            from: "2002".into(),
            to: "2011".into(),
            difference: "+308".into(),
            multiple: Some("6.6".into()),
            rate: Some("23.4".into()),
            years: Some(9),
        };
        assert_eq!(c.change, want);
    }

    #[test]
    fn the_change_is_computed_in_the_pages_language_and_only_where_it_means_something() {
        let cite: &[Citation] = &[];
        let point = |date: &str, value: f64| SeriesPoint {
            series: "s",
            label: None,
            date: When::parse(date).unwrap(),
            value,
            unit: "u",
            sources: cite,
        };
        let of = |points: Vec<SeriesPoint>, tag: &str| charts(points, &format::formats(tag)).remove(0).change;
        let vi = of(vec![point("2011", 362.8), point("2002", 54.8)], "vi");
        assert_eq!(
            (vi.difference.as_str(), vi.multiple.as_deref(), vi.rate.as_deref()),
            ("+308", Some("6,6"), Some("23,4"))
        );
        // Days, not years: no yearly rate. A fall has its sign; a start at zero has no multiple.
        let days = of(vec![point("2012-09-21", 10.0), point("2012-09-25", 7.5)], "en");
        assert_eq!(
            (days.difference.as_str(), days.multiple.as_deref(), days.rate, days.years),
            ("-2.5", Some("0.8"), None, None)
        );
        let zero = of(vec![point("2001", 0.0), point("2003", 5.0)], "en");
        assert_eq!((zero.multiple, zero.rate), (None, None));
        // Differences keep the precision of what they come from.
        let cents = of(vec![point("2001", 0.1), point("2002", 0.3)], "en");
        assert_eq!(cents.difference, "+0.2");
    }

    #[test]
    fn text_is_escaped_and_lonely_points_make_no_chart() {
        let points = vec![
            ChartPoint { label: "<2002>".into(), value: 1.0, value_display: "1".into() },
            ChartPoint { label: "2003 & after".into(), value: 2.0, value_display: "2".into() },
        ];
        let s = svg("a\"b", "T<", "S&", "u>", &points);
        assert!(roxmltree::Document::parse(&s).is_ok(), "{s}");
        assert!(s.contains("&lt;2002&gt;") && s.contains("2003 &amp; after"));
    }
}
