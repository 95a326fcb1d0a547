//! How numbers, dates and names are written for readers. Pages, charts, the search index and the
//! calendar all format through these functions, so a figure or a date reads the same everywhere.

use chrono::{Datelike, NaiveDate};

use crate::date::{month_name, PartialDate};

/// A number as readers expect it: `54.8`, `1200`, never `54.800000001`.
pub fn number(value: f64) -> String {
    let rounded = (value * 1e6).round() / 1e6;
    let text = format!("{rounded}");
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

/// A date of any precision as written for readers: `2002`, `January 2010` or
/// `22 September 2012`.
pub fn partial_date(date: &PartialDate) -> String {
    match (date.month, date.day) {
        (Some(m), Some(d)) => format!("{d} {} {}", month_name(m), date.year),
        (Some(m), None) => format!("{} {}", month_name(m), date.year),
        _ => date.year.to_string(),
    }
}

/// A day as readers see it: `22 September 2012`.
pub fn day(date: NaiveDate) -> String {
    partial_date(&PartialDate::from(date))
}

/// A range of days as readers see it: `21–25 September 2012`, `30 September – 2 October 2012`.
pub fn day_range(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        day(start)
    } else if start.year() == end.year() && start.month() == end.month() {
        format!("{}–{}", start.day(), day(end))
    } else if start.year() == end.year() {
        format!("{} {} – {}", start.day(), month_name(start.month()), day(end))
    } else {
        format!("{} – {}", day(start), day(end))
    }
}

/// Up to two initials of a name, for a speaker without a photo: `Pan Gongsheng` is `PG`.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_initials_read_well() {
        assert_eq!(number(54.8), "54.8");
        assert_eq!(number(362.8), "362.8");
        assert_eq!(number(1200.0), "1200");
        assert_eq!(number(-0.0000001), "0");
        assert_eq!(initials("Pan Gongsheng"), "PG");
        assert_eq!(initials("Wen"), "W");
    }

    #[test]
    fn dates_keep_their_precision() {
        let shown = |text: &str| partial_date(&PartialDate::parse(text).unwrap());
        assert_eq!(shown("2002"), "2002");
        assert_eq!(shown("2010-01"), "January 2010");
        assert_eq!(shown("2012-09-22"), "22 September 2012");
    }

    #[test]
    fn ranges_read_naturally() {
        let d = |s| crate::date::parse_day(s).unwrap();
        assert_eq!(day_range(d("2012-09-21"), d("2012-09-25")), "21–25 September 2012");
        assert_eq!(day_range(d("2012-09-30"), d("2012-10-02")), "30 September – 2 October 2012");
        assert_eq!(day_range(d("2012-12-30"), d("2013-01-02")), "30 December 2012 – 2 January 2013");
    }
}
