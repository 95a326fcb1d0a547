//! `timeline.ics`: the timeline as an iCalendar file (RFC 5545) of all-day events.

use chrono::{NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, EventLike, Property};

use crate::date::{Precision, When};
use crate::model::{Site, TimelineEntry};
use crate::routes::PageKind;

/// The `PRODID` of the calendar.
pub const PRODID: &str = "-//brief//briefing timeline//EN";

/// The timeline of `site` as iCalendar text.
///
/// One all-day event per timeline entry, in the order of `timeline.yaml`, with a
/// `DTSTART;VALUE=DATE` and an exclusive `DTEND;VALUE=DATE` (the day after the last day). A date
/// keeps the span it names:
///
/// - a day (`2012-09-22`) is that day: start 20120922, end 20120923;
/// - a month (`2010-01`) is the whole month: start 20100101, end 20100201;
/// - a year (`2002`) is the whole year: start 20020101, end 20030101.
///
/// Calendar applications therefore show a month or a year entry as a long event, not as something
/// that happened on its first day. The precision is also given as
/// `X-BRIEF-PRECISION:day|month|year`, and for a month or a year the description ends with a
/// line saying so ("Dated January 2010, not to a particular day."). Events are marked
/// `TRANSP:TRANSPARENT`, so a year-long entry does not make anyone look busy.
///
/// Each event has `SUMMARY` (the entry's title), `DESCRIPTION` (its text, without markup), `URL`
/// (the page of the announcement it is about, else the timeline page) and
/// `UID:timeline-<anchor>[.<language>][.<base path>]@<host>`
/// (`timeline-trade-2002.caexpo-2012@example.org`), from the entry's anchor: its `id`, or its date
/// and title. An entry keeps its UID when others are inserted, removed or moved around it, so a
/// subscribed calendar sees an edit as a change to the same event; with an `id` it keeps it
/// through edits of its own date and title too. Each language's calendar has its own UIDs (`.zh`),
/// so that subscribing to two does not merge their events. `DTSTAMP`,
/// which RFC 5545 requires, is the later of the event's last day and the newest announcement's
/// date, at 00:00:00Z, never the time of the build: two builds of the same content give the same
/// bytes. Lines end with CRLF and are folded at 75 octets, never next to a space.
pub fn timeline(site: &Site) -> String {
    let config = &site.config;
    let mut calendar = Calendar::empty();
    calendar.append_property(Property::new("PRODID", PRODID));
    calendar.append_property(Property::new("VERSION", "2.0"));
    calendar.append_property(Property::new("CALSCALE", "GREGORIAN"));
    calendar.append_property(Property::new("X-WR-CALNAME", config.title.as_str()));
    calendar.append_property(Property::new("X-WR-CALDESC", config.description.as_str()));
    let newest = site.announcements.iter().map(|a| a.date.first_day()).max();
    let stamp = newest.map_or(config.event.end, |d| d.max(config.event.end)).and_time(NaiveTime::MIN).and_utc();
    let uid_suffix = uid_suffix(site);
    for e in &site.timeline {
        let (start, end) = span(e.date);
        let zone = config.event.time_zone;
        // At a time of day: an instant (in UTC, which every reader takes), with no length: no
        // DTEND, which RFC 5545 wants later than DTSTART.
        let at = e.time.and_then(|t| start.and_time(t).and_local_timezone(zone).single()).map(|m| m.to_utc());
        let url = match e.announcement {
            Some(a) => PageKind::Announcement(a).permalink(site),
            None => PageKind::Timeline.permalink(site),
        };
        let mut event = icalendar::Event::new();
        event.uid(&format!("timeline-{}{uid_suffix}", e.anchor)).timestamp(stamp);
        match at {
            Some(at) => event.starts(at),
            None => event.starts(start).ends(end),
        };
        event
            .summary(&e.title)
            .url(&url)
            .add_property("TRANSP", "TRANSPARENT")
            .add_property("X-BRIEF-PRECISION", e.date.precision().noun());
        if let Some(text) = description(e) {
            event.description(&text);
        }
        calendar.push(event);
    }
    refold(&calendar.to_string())
}

/// Folds the lines of `ics` again, at 75 octets as the icalendar crate does, but never next to a
/// space. The crate can end a line with a space before the fold when the line has non-ASCII text
/// earlier on (it mixes up byte and character positions); that is valid RFC 5545, but readers
/// that trim lines (the `ical` crate among them) then lose the space between two words.
fn refold(ics: &str) -> String {
    let mut out = String::with_capacity(ics.len() + ics.len() / 32);
    for line in ics.replace("\r\n ", "").split_terminator("\r\n") {
        let mut rest = line;
        let mut limit = 75; // octets; a continuation line spends one on its leading space
        while rest.len() > limit {
            let mut at = limit;
            while !rest.is_char_boundary(at) {
                at -= 1;
            }
            let mut nice = at;
            let spaced =
                |i: usize| rest[..i].ends_with(char::is_whitespace) || rest[i..].starts_with(char::is_whitespace);
            while nice > 0 && spaced(nice) {
                nice -= 1;
                while !rest.is_char_boundary(nice) {
                    nice -= 1;
                }
            }
            if nice > 0 {
                at = nice;
            }
            out.push_str(&rest[..at]);
            out.push_str("\r\n ");
            rest = &rest[at..];
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

/// The first day a date covers, and the day after its last (iCalendar's exclusive end).
fn span(date: When) -> (NaiveDate, NaiveDate) {
    (date.first_day(), date.last_day().succ_opt().unwrap_or(NaiveDate::MAX))
}

/// What goes after the entry's anchor in a UID: the language, if not the default, and the base
/// path, if any, so that two briefings on one host do not share UIDs (`.zh.caexpo-2012@example.org`).
fn uid_suffix(site: &Site) -> String {
    let config = &site.config;
    let after_scheme = config.base_url.split_once("://").map_or(config.base_url.as_str(), |(_, rest)| rest);
    let host_port = after_scheme.split('/').next().unwrap_or_default();
    let host_port = host_port.rsplit_once('@').map_or(host_port, |(_, h)| h);
    // Without the port: `[::1]:8080` gives `[::1]`, `example.org:8080` gives `example.org`.
    let host = match host_port.find(']') {
        Some(end) if host_port.starts_with('[') => &host_port[..=end],
        _ => host_port.split(':').next().unwrap_or_default(),
    };
    let mut path = config.base_path.trim_matches('/').replace('/', ".");
    if config.lang > 0 {
        let code = &config.current().code;
        path = if path.is_empty() { code.clone() } else { format!("{code}.{path}") };
    }
    if path.is_empty() {
        format!("@{host}")
    } else {
        format!(".{path}@{host}")
    }
}

/// The entry's text without markup, and a note when the date is only a month or a year.
fn description(e: &TimelineEntry) -> Option<String> {
    let mut text = e.body.as_ref().map(|b| html_to_text(&b.markdown.html)).unwrap_or_default();
    if e.date.precision() != Precision::Day {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("Dated {}, not to a particular day.", crate::format::formats("en").when(&e.date)));
    }
    (!text.is_empty()).then_some(text)
}

/// Plain text from the HTML that Markdown gives: tags dropped, entities decoded, a blank line
/// between blocks and `- ` before list items.
fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut in_pre = false;
    // Text outside `<pre>` is HTML's: any run of white space is one space.
    let text = |raw: &str, in_pre: bool| {
        let decoded = decode_entities(raw);
        if in_pre {
            return decoded;
        }
        let mut collapsed = String::with_capacity(decoded.len());
        let mut space = false;
        for c in decoded.chars() {
            if c.is_ascii_whitespace() {
                space = true;
            } else {
                if space {
                    collapsed.push(' ');
                }
                space = false;
                collapsed.push(c);
            }
        }
        if space {
            collapsed.push(' ');
        }
        collapsed
    };
    while let Some(open) = rest.find('<') {
        out.push_str(&text(&rest[..open], in_pre));
        let tag_on = &rest[open..];
        let end = tag_on.find('>').map_or(tag_on.len(), |i| i + 1);
        let tag = &tag_on[1..end.saturating_sub(1).max(1)];
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
        let name = name.to_ascii_lowercase();
        let closing = tag.starts_with('/');
        if name == "pre" {
            in_pre = !closing;
        }
        match name.as_str() {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" | "ul" | "ol" | "table" | "div"
                if closing =>
            {
                out.push_str("\n\n")
            }
            "li" if !closing => out.push_str("\n- "),
            "br" | "tr" | "hr" => out.push('\n'),
            "td" | "th" if closing => out.push(' '),
            _ => {}
        }
        rest = &tag_on[end..];
    }
    out.push_str(&text(rest, in_pre));
    // Tidy: no space at the ends of lines, at most one blank line in a row, none at the ends.
    let mut tidy = String::with_capacity(out.len());
    let mut blank_lines = 0;
    for line in out.lines().map(str::trim) {
        if line.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !tidy.is_empty() {
            tidy.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        tidy.push_str(line);
    }
    tidy
}

/// Decodes the character references HTML from Markdown can hold: XML's five, `&nbsp;`, and
/// numeric ones. Others are left as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &after[..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let number = name.strip_prefix('#').and_then(|n| match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    });
                    number.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::fixtures;
    use chrono::Datelike;

    fn ymd(d: NaiveDate) -> String {
        format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
    }

    struct Parsed {
        props: Vec<(String, Option<String>)>,
        events: Vec<Vec<(String, String, Option<String>)>>,
    }

    /// Reads a calendar back with an independent parser. Values are RFC 5545 text, still escaped.
    fn parse(ics: &str) -> Parsed {
        let mut calendars = ical::IcalParser::new(ics.as_bytes());
        let calendar = calendars.next().unwrap().unwrap();
        assert!(calendars.next().is_none());
        let params = |p: &ical::property::Property| {
            p.params
                .as_ref()
                .map(|ps| ps.iter().map(|(k, v)| format!("{k}={}", v.join(","))).collect::<Vec<_>>().join(";"))
        };
        Parsed {
            props: calendar.properties.iter().map(|p| (p.name.clone(), p.value.clone())).collect(),
            events: calendar
                .events
                .iter()
                .map(|e| {
                    e.properties
                        .iter()
                        .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default(), params(p)))
                        .collect()
                })
                .collect(),
        }
    }

    fn prop<'a>(event: &'a [(String, String, Option<String>)], name: &str) -> &'a str {
        let found: Vec<_> = event.iter().filter(|(n, ..)| n == name).collect();
        assert_eq!(found.len(), 1, "{name} in {event:?}");
        &found[0].1
    }

    /// Undoes RFC 5545's escaping of TEXT values.
    fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn an_entry_at_a_time_of_day_is_an_instant_and_a_span_covers_its_days() {
        let mut site = fixtures::real();
        // 10:00 in Nanning (UTC+8, the briefing's event.time_zone) is 02:00 UTC.
        let at = site.timeline.iter().position(|e| e.anchor == "plan-launched").unwrap();
        site.timeline[at].time = Some(chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        let parsed = parse(&timeline(&site));
        assert_eq!(prop(&parsed.events[at], "DTSTART"), "20120922T020000Z");
        assert!(parsed.events[at].iter().all(|(name, ..)| name != "DTEND"), "{:?}", parsed.events[at]);
        // "Also at the expo": all of the expo's days, the end exclusive.
        let span = site.timeline.iter().position(|e| e.anchor == "industrial-cooperation").unwrap();
        assert_eq!(prop(&parsed.events[span], "DTSTART"), "20120921");
        assert_eq!(prop(&parsed.events[span], "DTEND"), "20120926");
        assert_eq!(prop(&parsed.events[span], "X-BRIEF-PRECISION"), "span");
    }

    #[test]
    fn one_all_day_event_per_entry_spanning_its_period() {
        let site = fixtures::real();
        let ics = timeline(&site);
        let parsed = parse(&ics);
        let calendar = |name: &str| parsed.props.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.clone());
        assert_eq!(calendar("PRODID").as_deref(), Some(PRODID));
        assert_eq!(calendar("VERSION").as_deref(), Some("2.0"));
        assert_eq!(calendar("CALSCALE").as_deref(), Some("GREGORIAN"));
        assert_eq!(calendar("X-WR-CALNAME").as_deref(), Some(site.config.title.as_str()));

        assert_eq!(parsed.events.len(), site.timeline.len());
        assert_eq!(parsed.events.len(), 9);
        let find = |date: &str| {
            let at = site.timeline.iter().position(|e| e.date.iso() == date).unwrap();
            &parsed.events[at]
        };
        for (date, start, end, precision) in [
            ("2002", "20020101", "20030101", "year"),
            ("2010-01", "20100101", "20100201", "month"),
            ("2011-11", "20111101", "20111201", "month"),
            ("2012-09-22", "20120922", "20120923", "day"),
        ] {
            let event = find(date);
            assert_eq!(prop(event, "DTSTART"), start, "{date}");
            assert_eq!(prop(event, "DTEND"), end, "{date}");
            for name in ["DTSTART", "DTEND"] {
                let params = event.iter().find(|(n, ..)| n == name).unwrap().2.as_deref();
                assert_eq!(params, Some("VALUE=DATE"), "{name} of {date}");
            }
            assert_eq!(prop(event, "X-BRIEF-PRECISION"), precision);
        }
        assert!(unescape(prop(find("2010-01"), "DESCRIPTION"))
            .ends_with("\n\nDated January 2010, not to a particular day."));

        let mut uids: Vec<&str> = parsed.events.iter().map(|e| prop(e, "UID")).collect();
        assert_eq!(uids[0], "timeline-trade-2002.caexpo-2012@example.org");
        uids.sort_unstable();
        uids.dedup();
        assert_eq!(uids.len(), site.timeline.len(), "UIDs are not unique");

        for (event, entry) in parsed.events.iter().zip(&site.timeline) {
            assert_eq!(unescape(prop(event, "SUMMARY")), entry.title);
            assert_eq!(prop(event, "DTSTAMP"), "20120925T000000Z");
            let url = prop(event, "URL");
            match entry.announcement {
                Some(a) => {
                    assert_eq!(
                        url,
                        format!("https://example.org/caexpo-2012/announcements/{}/", site.announcements[a].slug)
                    )
                }
                None => assert_eq!(url, "https://example.org/caexpo-2012/timeline/"),
            }
        }
        let at = site.timeline.iter().position(|e| e.anchor == "satellite-platform").unwrap();
        let satellite = &parsed.events[at];
        assert_eq!(
            unescape(prop(satellite, "DESCRIPTION")),
            "China's satellite data resources are to be shared with ASEAN countries."
        );
        assert_eq!(ics, timeline(&site), "two runs differ");
    }

    #[test]
    fn lines_end_with_crlf_and_fold_at_75_octets() {
        let site = fixtures::real();
        let ics = timeline(&site);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "a bare CR or LF");
        let lines: Vec<&str> = ics.split_terminator("\r\n").collect();
        for line in &lines {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(lines.iter().any(|l| l.starts_with(' ')), "nothing was folded");
        for (line, next) in lines.iter().zip(&lines[1..]) {
            if let Some(continued) = next.strip_prefix(' ') {
                assert!(!line.ends_with(char::is_whitespace), "folded after a space: {line:?}");
                assert!(!continued.starts_with(char::is_whitespace), "folded before a space: {next:?}");
            }
        }
        // Unfolded, the long lines hold the text as it was.
        let unfolded = ics.replace("\r\n ", "");
        let title = &site.timeline[3].title;
        assert!(title.len() > 75);
        assert!(unfolded.contains(&format!("SUMMARY:{title}\r\n")), "{unfolded}");
    }

    #[test]
    fn special_characters_survive() {
        let (_dir, site) = fixtures::tricky(Some("http://127.0.0.1:8080/"));
        let ics = timeline(&site);
        let parsed = parse(&ics);
        let name = parsed.props.iter().find(|(n, _)| n == "X-WR-CALNAME").unwrap().1.clone().unwrap();
        assert_eq!(unescape(&name), fixtures::TRICKY);
        let opening = parsed.events.iter().find(|e| prop(e, "DTSTART") == "20300514").unwrap();
        assert_eq!(unescape(prop(opening, "SUMMARY")), fixtures::TRICKY);
        assert_eq!(prop(opening, "UID"), "timeline-2030-05-14-tom-jerry-b-say-b-hi-yes-a-b@127.0.0.1");
        assert_eq!(prop(opening, "URL"), "http://127.0.0.1:8080/announcements/opening/");
        assert_eq!(prop(opening, "DTSTAMP"), "20300516T000000Z");
        let first = &parsed.events[0];
        assert_eq!((prop(first, "DTSTART"), prop(first, "DTEND")), ("20280101", "20290101"));
        assert_eq!(unescape(prop(first, "DESCRIPTION")), "Dated 2028, not to a particular day.");
    }

    #[test]
    fn periods_end_the_day_after_they_do() {
        let span_of = |d: &str| {
            let (start, end) = span(When::parse(d).unwrap());
            (ymd(start), ymd(end))
        };
        assert_eq!(span_of("2012-12"), ("20121201".into(), "20130101".into()));
        assert_eq!(span_of("2012-02"), ("20120201".into(), "20120301".into()));
        assert_eq!(span_of("2012-12-31"), ("20121231".into(), "20130101".into()));
        assert_eq!(span_of("2012-02-29"), ("20120229".into(), "20120301".into()));
        assert_eq!(span_of("1999"), ("19990101".into(), "20000101".into()));
        assert_eq!(span_of("2012-09-21/25"), ("20120921".into(), "20120926".into()));
        assert_eq!(span_of("2011/2012"), ("20110101".into(), "20130101".into()));
    }

    #[test]
    fn markup_becomes_plain_text() {
        let html = "<p>A <em>b</em> &amp; c &lt;d&gt; &quot;e&quot; &#39;f&#x27; &copy;</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>end</p>\n";
        assert_eq!(html_to_text(html), "A b & c <d> \"e\" 'f' &copy;\n\n- one\n- two\n\nend");
        assert_eq!(html_to_text("plain"), "plain");
        assert_eq!(decode_entities("a & b &amp"), "a & b &amp");
    }
}
