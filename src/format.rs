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

/// Up to two initials of a name, for a speaker without a photo: the first letters of its first two
/// words (`Pan Gongsheng` is `PG`, `Nguyễn Tấn Dũng` is `NT`). A name written without spaces, as
/// Chinese names are, gives its first character (`潘功胜` is `潘`).
///
/// A letter is a grapheme cluster of the name in NFC, so that a Vietnamese `Đ` or `Ư` written
/// with combining marks stays one letter, without the marks that do not combine with it: Thai
/// writes its vowels as marks around the consonant, so `ศิริพร` gives `ศ`. A Thai or Lao vowel
/// written before its consonant (`แก้วมณี`) is passed over: the initial is the consonant, `ก`.
pub fn initials(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_segmentation::UnicodeSegmentation;

    let name: String = name.nfc().collect();
    let initial = |word: &str| -> Option<String> {
        // Thai เ แ โ ใ ไ and Lao ເ ແ ໂ ໃ ໄ come before the consonant they follow in speech.
        let word = word.trim_start_matches(|c| matches!(c, '\u{0E40}'..='\u{0E44}' | '\u{0EC0}'..='\u{0EC4}'));
        let first = word.graphemes(true).next()?;
        let mut chars = first.chars();
        let base = chars.next().filter(|c| c.is_alphanumeric())?;
        // What NFC left uncombined is a mark of its own (a Thai vowel or tone): dropped.
        let marks: String = chars.filter(|&c| !unicode_normalization::char::is_combining_mark(c)).collect();
        Some(base.to_uppercase().chain(marks.chars()).collect())
    };
    name.split_whitespace().filter_map(initial).take(2).collect()
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
    fn initials_of_names_in_any_script() {
        assert_eq!(initials("ศิริพร แก้วมณี"), "ศก");
        assert_eq!(initials("ธนากร สุวรรณ"), "ธส");
        assert_eq!(initials("Nguyễn Tấn Dũng"), "NT");
        assert_eq!(initials("đỗ mười"), "ĐM");
        // Decomposed (NFD) input gives the same letters as composed.
        assert_eq!(initials("U\u{031B}\u{0301}ng Vu\u{0303}"), "ỨV");
        assert_eq!(initials("潘功胜"), "潘");
        assert_eq!(initials("Mary Ann Smith"), "MA");
        assert_eq!(initials("  "), "");
        assert_eq!(initials("- Su"), "S");
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
