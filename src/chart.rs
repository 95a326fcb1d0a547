//! Charts drawn at build time: the timeline's figures that share a `series` become a bar chart,
//! as inline SVG with a text alternative, next to a table of the same numbers. No JavaScript.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::format;
use crate::model::{Citation, TimelineEntry};

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
    /// What the points' entries cite, each once, in the order of the points.
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

/// Every series of the timeline that has at least two points, by slug.
pub fn charts(timeline: &[TimelineEntry], formats: &format::Formats) -> Vec<Chart> {
    let mut series: BTreeMap<&str, Vec<(String, f64, &str)>> = BTreeMap::new();
    let mut labels: BTreeMap<&str, &str> = BTreeMap::new();
    let mut cited: BTreeMap<&str, Vec<&Citation>> = BTreeMap::new();
    for e in timeline {
        if let Some(f) = &e.figure {
            cited.entry(f.series.as_str()).or_default().extend(&e.sources);
            series.entry(f.series.as_str()).or_default().push((formats.when(&e.date), f.value, f.unit.as_str()));
            if let Some(label) = &f.label {
                labels.entry(f.series.as_str()).or_insert(label.trim());
            }
        }
    }
    series
        .into_iter()
        .filter(|(_, points)| points.len() >= 2)
        .map(|(slug, points)| {
            let title = labels.get(slug).map_or_else(|| title_of(slug), |l| l.to_string());
            let unit = points[0].2.to_string();
            let points: Vec<ChartPoint> = points
                .into_iter()
                .map(|(label, value, _)| ChartPoint { label, value, value_display: formats.number(value) })
                .collect();
            let summary = summary(&title, &unit, &points);
            let svg = svg(slug, &title, &summary, &unit, &points);
            let citations = Citation::distinct(cited.remove(slug).unwrap_or_default());
            Chart { series: slug.to_string(), title, unit, svg, summary, points, citations }
        })
        .collect()
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
        let charts = charts(&site.timeline, &format::formats("en"));
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
