//! Dates as briefings write them: a day (`2012-09-22`), a month (`2010-01`), a year (`2002`), or
//! a span between two of these of the same precision (`2012-09-21/2012-09-25`, ISO 8601's
//! interval, with its abbreviated end `2012-09-21/25` too).
//!
//! A date keeps its precision (shown by `format::Formats::when` as "22 September 2012",
//! "January 2010", "2002", "21–25 September 2012"), and dates of mixed precision sort by the
//! first day they cover: a year before its first month, a month before its first day, because a
//! period comes before what happens within it; a span after the day it starts on.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Offset};
use serde::Serialize;

/// How to write a date, for the help of an error.
pub const HOW_TO_WRITE: &str = "write YYYY, YYYY-MM or YYYY-MM-DD (2002, 2010-01, 2012-09-22), or a span between two \
     of these of the same precision, the earlier first (2012-09-21/2012-09-25)";

/// How much of a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year.
    Year,
    /// The year and month.
    Month,
    /// A full calendar date.
    Day,
    /// A span between two dates of the same precision.
    Span,
}

impl Precision {
    /// What a date of this precision is: "year", "month", "day", "span".
    pub fn noun(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
            Precision::Span => "span",
        }
    }
}

/// A date of year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The year.
    pub year: i32,
    /// The month (1 to 12), unless the precision is a year.
    pub month: Option<u32>,
    /// The day of the month, when the precision is a day.
    pub day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the error says what is wrong with the date.
    pub fn parse(text: &str) -> Result<Self, String> {
        if !text.trim().bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return Err(format!("`{}` is not a date in the form YYYY-MM-DD, YYYY-MM or YYYY", text.trim()));
        }
        let parts: Vec<&str> = text.trim().split('-').collect();
        let number = |s: &str, len: usize, what: &str| -> Result<u32, String> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| format!("`{s}` is not a {what}"))
            } else {
                Err(format!("the {what} must be {len} digits, found `{s}`"))
            }
        };
        match parts.as_slice() {
            [y] => Ok(PartialDate { year: number(y, 4, "year")? as i32, month: None, day: None }),
            [y, m] => {
                let year = number(y, 4, "year")? as i32;
                let month = number(m, 2, "month")?;
                if !(1..=12).contains(&month) {
                    return Err(format!("there is no month {month}: months run from 01 to 12"));
                }
                Ok(PartialDate { year, month: Some(month), day: None })
            }
            [_, _, _] => Ok(PartialDate::from(parse_day(text)?)),
            _ => Err(format!("`{text}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")),
        }
    }

    /// How much of the date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The date as written in the content: `2002`, `2010-01` or `2012-09-22`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The first day it covers.
    pub fn first_day(&self) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1));
        // A parsed date exists, its first day too; NaiveDate's range holds every 4-digit year.
        first.unwrap_or(NaiveDate::MIN)
    }

    /// The last day it covers.
    pub fn last_day(&self) -> NaiveDate {
        let next = match (self.month, self.day) {
            (Some(_), Some(_)) => return self.first_day(),
            (Some(12), None) | (None, _) => NaiveDate::from_ymd_opt(self.year + 1, 1, 1),
            (Some(m), None) => NaiveDate::from_ymd_opt(self.year, m + 1, 1),
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    fn sort_key(&self) -> (i32, u32, u32) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }
}

impl From<NaiveDate> for PartialDate {
    fn from(date: NaiveDate) -> Self {
        PartialDate { year: date.year(), month: Some(date.month()), day: Some(date.day()) }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A date as content writes it: one date of any precision, or a span between two dates of the
/// same precision that ends after it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    start: PartialDate,
    end: Option<PartialDate>,
}

impl When {
    /// Parses a date (`2012`, `2012-09`, `2012-09-22`) or a span of two (`2012-09-21/2012-09-25`;
    /// the end may leave out what it shares with the start, as ISO 8601 allows: `2012-09-21/25`).
    /// The error says what is wrong, worded to follow "invalid date: ".
    pub fn parse(text: &str) -> Result<When, String> {
        let text = text.trim();
        let Some((first, last)) = text.split_once('/') else {
            return Ok(When { start: PartialDate::parse(text)?, end: None });
        };
        let start = PartialDate::parse(first)?;
        let (first, last) = (first.trim(), last.trim());
        let (given, wanted) = (last.split('-').count(), first.split('-').count());
        // An end that starts with a year is written whole: its precision is its own.
        let whole = last.split('-').next().is_some_and(|y| y.len() == 4);
        if given > wanted || (whole && given < wanted) {
            let end = PartialDate::parse(last)?;
            return Err(format!(
                "`{text}` runs from a {} to a {}: both ends of a span are years, months or days, \
                 for example 2012-09-21/2012-09-25",
                start.precision().noun(),
                end.precision().noun()
            ));
        }
        // An abbreviated end takes its leading fields from the start.
        let skipped: Vec<&str> = first.split('-').take(wanted - given).collect();
        let full = if skipped.is_empty() { last.to_string() } else { format!("{}-{last}", skipped.join("-")) };
        let end = PartialDate::parse(&full)?;
        match end.cmp(&start) {
            Ordering::Less if !whole => Err(format!(
                "`{text}` ends before it starts: a shortened end takes what it leaves out from the start \
                 ({}); write the end whole",
                end.iso()
            )),
            Ordering::Less => Err(format!(
                "`{text}` ends before it starts: write the earlier date first ({}/{})",
                end.iso(),
                start.iso()
            )),
            Ordering::Equal => {
                Err(format!("`{text}` starts and ends on the same date: write it once, `{}`", start.iso()))
            }
            Ordering::Greater => Ok(When { start, end: Some(end) }),
        }
    }

    /// Where it starts: the date itself, or a span's first date.
    pub fn start(&self) -> PartialDate {
        self.start
    }

    /// Where it ends: the date itself, or a span's last date.
    pub fn end(&self) -> PartialDate {
        self.end.unwrap_or(self.start)
    }

    /// Whether it is a span.
    pub fn is_span(&self) -> bool {
        self.end.is_some()
    }

    /// Its precision: `Span` for a span, else its date's.
    pub fn precision(&self) -> Precision {
        if self.is_span() {
            Precision::Span
        } else {
            self.start.precision()
        }
    }

    /// The precision of its dates (a span's ends share theirs).
    pub fn unit(&self) -> Precision {
        self.start.precision()
    }

    /// The year it starts in.
    pub fn year(&self) -> i32 {
        self.start.year
    }

    /// As written in the content, whole: `2012-09-22`, `2012-09-21/2012-09-25`.
    pub fn iso(&self) -> String {
        match self.end {
            Some(end) => format!("{}/{}", self.start.iso(), end.iso()),
            None => self.start.iso(),
        }
    }

    /// The first day it covers.
    pub fn first_day(&self) -> NaiveDate {
        self.start.first_day()
    }

    /// The last day it covers.
    pub fn last_day(&self) -> NaiveDate {
        self.end().last_day()
    }

    /// Whether it shares a day with the days from `first` to `last`.
    pub fn overlaps(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.first_day() <= last && first <= self.last_day()
    }
}

impl When {
    /// The days from `first` to `last`: one day when they are the same (or out of order).
    pub fn days(first: NaiveDate, last: NaiveDate) -> When {
        let end = (last > first).then(|| PartialDate::from(last));
        When { start: PartialDate::from(first), end }
    }
}

impl From<NaiveDate> for When {
    fn from(day: NaiveDate) -> When {
        When { start: PartialDate::from(day), end: None }
    }
}

impl Ord for When {
    /// By the first day covered; on the same first day, a year, then a month, then a day, then
    /// spans, the shorter first: a period comes before what happens within it, and something
    /// dated only to "21–25 September" comes after what is known to be on the 21st.
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl When {
    /// What [`Ord`] compares, worked out once: sorting many dates by it (`sort_by_cached_key`)
    /// saves making their first and last days at every comparison.
    pub fn sort_key(&self) -> impl Ord + Copy {
        // The unit last: `2012-01/2012-02` and `2012-01-01/2012-02-29` cover the same days.
        (self.first_day(), self.precision(), self.last_day(), self.unit())
    }
}

impl PartialOrd for When {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The English name of month `m` (1 to 12; out-of-range numbers are clamped).
pub fn month_name(m: u32) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// Parses a full `YYYY-MM-DD` date, checking that the day exists (no 30 February).
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !well_formed {
        return Err(format!("`{text}` is not a date in the form YYYY-MM-DD"));
    }
    // Well formed: ten ASCII bytes, digits but for the two dashes.
    let number =
        |range: std::ops::Range<usize>| text.as_bytes()[range].iter().fold(0, |n, b| n * 10 + u32::from(b - b'0'));
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| {
        if !(1..=12).contains(&month) {
            format!("`{text}` has no month {month}: months run from 01 to 12")
        } else {
            format!("`{text}` does not exist: {} has no day {}", MONTHS[month as usize - 1], &text[8..])
        }
    })
}

/// When a page was published or updated (`published:`, `updated:`): a day, or a moment with its
/// offset. A day is taken to start at midnight in the event's time zone where a moment is needed
/// (Atom's dates are moments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// A day, as `2026-11-30`.
    Day(NaiveDate),
    /// A moment, as `2026-11-30T09:00:00+08:00`.
    Moment(DateTime<FixedOffset>),
}

impl Stamp {
    /// Parses a day (`YYYY-MM-DD`) or an RFC 3339 moment with its offset; the error says why not.
    pub fn parse(text: &str) -> Result<Stamp, String> {
        let text = text.trim();
        if text.len() == 10 {
            return parse_day(text).map(Stamp::Day);
        }
        parse_moment(text).map(Stamp::Moment)
    }

    /// The moment it names; a day's midnight in `zone`.
    pub fn moment(&self, zone: FixedOffset) -> DateTime<FixedOffset> {
        match self {
            Stamp::Moment(m) => *m,
            Stamp::Day(d) => {
                let midnight = d.and_time(chrono::NaiveTime::MIN);
                // A midnight in a fixed offset always exists, once.
                midnight.and_local_timezone(zone).single().unwrap_or_else(|| midnight.and_utc().fixed_offset())
            }
        }
    }

    /// As ISO 8601 writes it, with no more precision than was given: `2026-11-30`, or
    /// `2026-11-30T09:00:00+08:00`.
    pub fn iso(&self) -> String {
        match self {
            Stamp::Day(d) => d.to_string(),
            Stamp::Moment(m) => m.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        }
    }

    /// The later of two stamps, comparing moments (a day at its midnight in `zone`).
    pub fn latest(self, other: Stamp, zone: FixedOffset) -> Stamp {
        if other.moment(zone) > self.moment(zone) {
            other
        } else {
            self
        }
    }
}

/// Parses a time of day, `HH:MM` (24-hour clock); the error says why not.
pub fn parse_time(text: &str) -> Result<chrono::NaiveTime, String> {
    let text = text.trim();
    let well_formed = text.len() == 5 && text.as_bytes()[2] == b':';
    let time = well_formed.then(|| chrono::NaiveTime::parse_from_str(text, "%H:%M").ok()).flatten();
    time.ok_or_else(|| format!("`{text}` is not a time of day in the form HH:MM (24-hour clock)"))
}

/// Parses a UTC offset, `+08:00`, `-05:00` or `Z`; the error says why not.
pub fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    let text = text.trim();
    if text == "Z" || text == "UTC" {
        return Ok(chrono::Utc.fix());
    }
    let bytes = text.as_bytes();
    let well_formed = text.len() == 6
        && matches!(bytes[0], b'+' | b'-')
        && bytes[3] == b':'
        && [1, 2, 4, 5].iter().all(|&i| bytes[i].is_ascii_digit());
    let refused = || format!("`{text}` is not an offset from UTC such as +08:00, -05:00 or Z");
    if !well_formed {
        return Err(refused());
    }
    // Well formed: six ASCII bytes, digits at 1, 2, 4 and 5.
    let number = |r: std::ops::Range<usize>| bytes[r].iter().fold(0, |n, b| n * 10 + i32::from(b - b'0'));
    let seconds = (number(1..3) * 60 + number(4..6)) * 60;
    let offset =
        if bytes.first() == Some(&b'-') { FixedOffset::west_opt(seconds) } else { FixedOffset::east_opt(seconds) };
    match offset {
        Some(offset) if number(4..6) < 60 => Ok(offset),
        _ => Err(refused()),
    }
}

/// A moment as `embargo:` and `--now` take it: RFC 3339, with its offset from UTC
/// (`2012-09-22T10:00:00+07:00`, `2012-09-22T03:00:00Z`). A moment without an offset names no
/// instant (10:00 where?), so it is refused with that reason.
pub fn parse_moment(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Ok(moment);
    }
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .any(|f| NaiveDateTime::parse_from_str(text, f).is_ok());
    if local {
        return Err(format!("`{text}` has no time zone: it names a different instant in every zone"));
    }
    if parse_day(text).is_ok() {
        return Err(format!("`{text}` is a day, not a moment: an embargo lifts at a time, in a time zone"));
    }
    Err(format!("`{text}` is not an RFC 3339 moment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_need_their_offset() {
        let m = parse_moment("2012-09-22T10:00:00+07:00").unwrap();
        assert_eq!(m.naive_utc().to_string(), "2012-09-22 03:00:00");
        assert_eq!(parse_moment(" 2012-09-22T03:00:00Z ").unwrap(), m);
        assert!(parse_moment("2012-09-22T10:00:00").unwrap_err().contains("no time zone"));
        assert!(parse_moment("2012-09-22T10:00").unwrap_err().contains("no time zone"));
        assert!(parse_moment("2012-09-22").unwrap_err().contains("a day, not a moment"));
        assert!(parse_moment("soon").unwrap_err().contains("not an RFC 3339 moment"));
    }

    #[test]
    fn keeps_and_shows_precision() {
        let cases = [
            ("2002", "2002", Precision::Year),
            ("2010-01", "January 2010", Precision::Month),
            ("2012-09-22", "22 September 2012", Precision::Day),
        ];
        for (text, shown, precision) in cases {
            let d = PartialDate::parse(text).unwrap();
            assert_eq!(crate::format::formats("en").partial_date(&d), shown);
            assert_eq!(d.iso(), text);
            assert_eq!(d.precision(), precision);
        }
    }

    #[test]
    fn rejects_impossible_dates_with_a_reason() {
        assert!(PartialDate::parse("2012-02-30").unwrap_err().contains("February has no day 30"));
        assert!(PartialDate::parse("2012-13").unwrap_err().contains("no month 13"));
        assert!(PartialDate::parse("12").is_err());
        assert!(PartialDate::parse("2012/09/22").is_err());
        assert!(PartialDate::parse("").is_err());
        assert!(parse_day("2012-9-22").is_err());
    }

    #[test]
    fn sorts_mixed_precision_chronologically() {
        let mut dates: Vec<PartialDate> = ["2012-09-22", "2011", "2010-01", "2011-11", "2002", "2012-09-21"]
            .iter()
            .map(|d| PartialDate::parse(d).unwrap())
            .collect();
        dates.sort();
        let iso: Vec<String> = dates.iter().map(PartialDate::iso).collect();
        assert_eq!(iso, ["2002", "2010-01", "2011", "2011-11", "2012-09-21", "2012-09-22"]);
    }

    #[test]
    fn spans_parse_whole_or_abbreviated_and_refuse_what_makes_no_sense() {
        let span = When::parse("2012-09-21/2012-09-25").unwrap();
        assert_eq!(When::parse(" 2012-09-21/25 ").unwrap(), span);
        assert_eq!(span.iso(), "2012-09-21/2012-09-25");
        assert_eq!(span.precision(), Precision::Span);
        assert_eq!(span.unit(), Precision::Day);
        assert_eq!(
            (span.first_day().to_string(), span.last_day().to_string()),
            ("2012-09-21".into(), "2012-09-25".into())
        );
        assert_eq!(When::parse("2012-09-28/10-02").unwrap().iso(), "2012-09-28/2012-10-02");
        let months = When::parse("2010-01/03").unwrap();
        assert_eq!(months.iso(), "2010-01/2010-03");
        assert_eq!(months.last_day().to_string(), "2010-03-31");
        assert_eq!(When::parse("2003/2012").unwrap().last_day().to_string(), "2012-12-31");
        assert_eq!(When::parse("2012-02").unwrap().last_day().to_string(), "2012-02-29");
        let err = |t: &str| When::parse(t).unwrap_err();
        assert!(err("2012-09-25/2012-09-21")
            .contains("ends before it starts: write the earlier date first (2012-09-21/2012-09-25)"));
        assert!(err("2012-09-25/21").contains("ends before it starts"));
        assert!(
            err("2012-12-30/01-02").contains("a shortened end takes what it leaves out from the start (2012-01-02)")
        );
        assert!(err("2012-09/2013").contains("runs from a month to a year"));
        assert!(err("2012-09-21/2012-09").contains("runs from a day to a month"));
        assert!(err("2012-09-21/2012-09-21").contains("same date"));
        assert!(err("2011/2012-09").contains("runs from a year to a month"));
        assert!(err("2012-09-21/2012-02-30").contains("February has no day 30"));
        assert!(When::parse("2012-09-21/").is_err());
    }

    #[test]
    fn spans_sort_among_days_months_and_years() {
        let mut dates: Vec<When> =
            ["2012-09-22", "2012-09-21", "2012", "2012-09-21/2012-09-25", "2012-09", "2011/2012", "2012-09-20"]
                .iter()
                .map(|d| When::parse(d).unwrap())
                .collect();
        dates.sort();
        let iso: Vec<String> = dates.iter().map(When::iso).collect();
        assert_eq!(
            iso,
            ["2011/2012", "2012", "2012-09", "2012-09-20", "2012-09-21", "2012-09-21/2012-09-25", "2012-09-22"]
        );
        let expo = When::parse("2012-09-21/25").unwrap();
        assert!(expo.overlaps(expo.first_day(), expo.first_day()));
        assert!(!When::parse("2012-09-20").unwrap().overlaps(expo.first_day(), expo.last_day()));
    }

    #[test]
    fn offsets_are_read_or_refused_without_a_panic() {
        assert_eq!(parse_offset("+08:00").unwrap().local_minus_utc(), 8 * 3600);
        assert_eq!(parse_offset(" -05:30 ").unwrap().local_minus_utc(), -(5 * 3600 + 30 * 60));
        assert_eq!(parse_offset("Z").unwrap().local_minus_utc(), 0);
        for bad in ["+8", "+8:00", "+0800", "UTC+8", "8", "+08：00", "+08:60", "", "+99:00", "Asia/Shanghai"] {
            assert!(parse_offset(bad).unwrap_err().contains("is not an offset from UTC"), "{bad}");
        }
    }
}
