//! Dates as briefings write them: a day (`2012-09-22`), a month (`2010-01`) or a year (`2002`).
//!
//! The timeline keeps each date's precision (shown by `format::partial_date` as
//! "22 September 2012", "January 2010", "2002"), and sorts entries of mixed precision
//! chronologically: a year or month sorts before the days inside it, because it is where that
//! period starts.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Serialize;

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
}

/// A date of year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}
