//! How numbers, dates and names are written for readers. Pages, charts, the search index and the
//! calendar all format through these functions, so a figure or a date reads the same everywhere.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::NaiveDate;
use icu_calendar::{Date, Gregorian};
use icu_datetime::{fieldsets, FixedCalendarDateTimeFormatter};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;

use crate::date::{PartialDate, Precision, When};

/// How one language writes dates and numbers, from the Unicode CLDR data that ICU4X compiles in:
/// `22 September 2012`, `2012年9月22日`, `22 tháng 9 2012`; `1,234.5` or `1.234,5`.
pub struct Formats {
    day: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMD>,
    month: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YM>,
    year: FixedCalendarDateTimeFormatter<Gregorian, fieldsets::Y>,
    number: DecimalFormatter,
}

impl Formats {
    /// The formats of the language with BCP 47 tag `tag`. English without a region writes the day
    /// before the month (`22 September 2012`), as international briefings do; `en-US` puts the
    /// month first. A tag ICU4X does not know falls back to the root locale's forms.
    pub fn new(tag: &str) -> Formats {
        let tag = if tag.eq_ignore_ascii_case("en") { "en-GB" } else { tag };
        let locale: Locale = tag.parse().unwrap_or(Locale::UNKNOWN);
        let root = || Locale::UNKNOWN;
        // Compiled data covers every locale, falling back to a parent; the root always loads.
        let day = FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), fieldsets::YMD::long())
            .or_else(|_| FixedCalendarDateTimeFormatter::try_new(root().into(), fieldsets::YMD::long()));
        let month = FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), fieldsets::YM::long())
            .or_else(|_| FixedCalendarDateTimeFormatter::try_new(root().into(), fieldsets::YM::long()));
        let year = FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), fieldsets::Y::long())
            .or_else(|_| FixedCalendarDateTimeFormatter::try_new(root().into(), fieldsets::Y::long()));
        let number = DecimalFormatter::try_new(locale.into(), Default::default())
            .or_else(|_| DecimalFormatter::try_new(root().into(), Default::default()));
        match (day, month, year, number) {
            (Ok(day), Ok(month), Ok(year), Ok(number)) => Formats { day, month, year, number },
            // The root locale's data is compiled in: it cannot be missing.
            _ => unreachable!("ICU4X's compiled data has the root locale"),
        }
    }

    /// A number as readers of the language expect it: `54.8`, `1,200`, `362,8`, never
    /// `54.800000001`.
    pub fn number(&self, value: f64) -> String {
        let plain = number(value);
        match plain.parse::<icu_decimal::input::Decimal>() {
            Ok(decimal) => self.number.format(&decimal).to_string(),
            Err(_) => plain,
        }
    }

    /// A date of any precision as the language writes it: `2002`, `January 2010`,
    /// `22 September 2012`.
    pub fn partial_date(&self, date: &PartialDate) -> String {
        let (month, day) = (date.month.unwrap_or(1), date.day.unwrap_or(1));
        let Ok(d) = Date::try_new_gregorian(date.year, month as u8, day as u8) else {
            return date.iso();
        };
        match (date.month, date.day) {
            (Some(_), Some(_)) => self.day.format(&d).to_string(),
            (Some(_), None) => self.month.format(&d).to_string(),
            _ => self.year.format(&d).to_string(),
        }
    }

    /// A date or a span as the language writes it: `21–25 September 2012`,
    /// `2012年9月21–25日`, `28 September – 2 October 2012`, `2003–2012`.
    ///
    /// A span is its two dates as the language writes them, with what they share written once:
    /// the formatter marks which part of its output is the day, the month and the year, so the
    /// one field that differs becomes a range in place (`21–25`), and a year that both ends share
    /// is left out of the end that is nearer to it. This follows CLDR's interval formats without
    /// needing their data for each language.
    pub fn when(&self, when: &When) -> String {
        if !when.is_span() {
            return self.partial_date(&when.start());
        }
        let (start, end) = (when.start(), when.end());
        let (Some(s), Some(e)) = (self.parts(&start), self.parts(&end)) else {
            return when.iso();
        };
        let differs = if start.year != end.year {
            icu_datetime::parts::YEAR
        } else if start.month != end.month {
            icu_datetime::parts::MONTH
        } else {
            icu_datetime::parts::DAY
        };
        let narrowest = match when.unit() {
            Precision::Year => icu_datetime::parts::YEAR,
            Precision::Month => icu_datetime::parts::MONTH,
            _ => icu_datetime::parts::DAY,
        };
        let (Some(s_field), Some(e_field)) = (s.field(differs), e.field(differs)) else {
            return format!("{} – {}", s.text, e.text);
        };
        if differs == narrowest {
            // Only the narrowest field differs: a range in its place.
            return format!(
                "{}{}–{}{}",
                &s.text[..s_field.start],
                &s.text[s_field.clone()],
                &e.text[e_field],
                &s.text[s_field.end..]
            );
        }
        // A wider field differs too: both dates, with the year written once when they share it.
        match (start.year == end.year, s.field(icu_datetime::parts::YEAR)) {
            (true, Some(year)) if year.start == 0 => format!("{} – {}", s.text, e.without(year)),
            (true, Some(year)) => format!("{} – {}", s.without(year), e.text),
            _ => format!("{} – {}", s.text, e.text),
        }
    }

    /// `date` formatted, with where its day, month and year are in the text.
    fn parts(&self, date: &PartialDate) -> Option<Parts> {
        use writeable::Writeable;
        let d = Date::try_new_gregorian(date.year, date.month.unwrap_or(1) as u8, date.day.unwrap_or(1) as u8).ok()?;
        let mut parts = Parts::default();
        let written = match (date.month, date.day) {
            (Some(_), Some(_)) => self.day.format(&d).write_to_parts(&mut parts),
            (Some(_), None) => self.month.format(&d).write_to_parts(&mut parts),
            _ => self.year.format(&d).write_to_parts(&mut parts),
        };
        written.ok().map(|_| parts)
    }

    /// A day as the language writes it: `22 September 2012`.
    pub fn day(&self, date: NaiveDate) -> String {
        self.partial_date(&PartialDate::from(date))
    }

    /// A moment as its own zone writes it: `22 September 2012, 10:00 (UTC+07:00)`.
    pub fn moment(&self, moment: &chrono::DateTime<chrono::FixedOffset>) -> String {
        format!("{}, {} (UTC{})", self.day(moment.date_naive()), moment.format("%H:%M"), moment.format("%:z"))
    }

    /// A range of days: `21–25 September 2012`, or one day.
    pub fn day_range(&self, start: NaiveDate, end: NaiveDate) -> String {
        self.when(&When::days(start, end))
    }
}

/// A formatted date, with the byte range of each field in it.
#[derive(Default)]
struct Parts {
    text: String,
    fields: Vec<(std::ops::Range<usize>, writeable::Part)>,
}

impl Parts {
    /// Where field `part` is in the text.
    fn field(&self, part: writeable::Part) -> Option<std::ops::Range<usize>> {
        self.fields.iter().find(|(_, p)| *p == part).map(|(r, _)| r.clone())
    }

    /// The text without the field at `range` and the literal text that joins it to the rest
    /// (`22 September 2012` without its year is `22 September`; `2012年9月22日` is `9月22日`).
    fn without(&self, range: std::ops::Range<usize>) -> String {
        let fields = || {
            self.fields
                .iter()
                .map(|(r, _)| r)
                .filter(|r| *r != &range && !(r.start >= range.start && r.end <= range.end))
        };
        if range.start == 0 {
            let next = fields().map(|r| r.start).filter(|&s| s >= range.end).min().unwrap_or(self.text.len());
            self.text[next..].to_string()
        } else {
            let previous = fields().map(|r| r.end).filter(|&e| e <= range.start).max().unwrap_or(0);
            format!("{}{}", &self.text[..previous], &self.text[range.end..])
        }
    }
}

impl std::fmt::Write for Parts {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl writeable::PartsWrite for Parts {
    type SubPartsWrite = Parts;

    fn with_part(
        &mut self,
        part: writeable::Part,
        mut f: impl FnMut(&mut Parts) -> std::fmt::Result,
    ) -> std::fmt::Result {
        let start = self.text.len();
        f(self)?;
        self.fields.push((start..self.text.len(), part));
        Ok(())
    }
}

/// The Open Graph locale of the language with tag `tag`: language and region joined by `_`, the
/// region the likeliest one for the language when the tag names none (CLDR's likely subtags):
/// `en_US`, `zh_CN` for `zh-Hans`, `vi_VN`.
pub fn og_locale(tag: &str) -> String {
    let Ok(mut id) = tag.parse::<icu_locale_core::LanguageIdentifier>() else {
        return tag.replace('-', "_");
    };
    icu_locale::LocaleExpander::new_common().maximize(&mut id);
    match id.region {
        Some(region) => format!("{}_{}", id.language, region),
        None => id.language.to_string(),
    }
}

/// The formats of the language with tag `tag`, made once per tag and thread: the render threads
/// each keep their own, with no lock between them.
pub fn formats(tag: &str) -> Rc<Formats> {
    thread_local! {
        static MADE: RefCell<HashMap<String, Rc<Formats>>> = RefCell::new(HashMap::new());
    }
    MADE.with_borrow_mut(|made| match made.get(tag) {
        Some(f) => Rc::clone(f),
        None => Rc::clone(made.entry(tag.to_string()).or_insert_with(|| Rc::new(Formats::new(tag)))),
    })
}

/// A number as machines and English read it, with no grouping: `54.8`, `1200`, never
/// `54.800000001`.
pub fn number(value: f64) -> String {
    let rounded = (value * 1e6).round() / 1e6;
    let text = format!("{rounded}");
    if text == "-0" {
        "0".into()
    } else {
        text
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
    fn dates_keep_their_precision_in_every_language() {
        let shown = |tag: &str, text: &str| formats(tag).partial_date(&PartialDate::parse(text).unwrap());
        assert_eq!(shown("en", "2002"), "2002");
        assert_eq!(shown("en", "2010-01"), "January 2010");
        assert_eq!(shown("en", "2012-09-22"), "22 September 2012");
        assert_eq!(shown("en-US", "2012-09-22"), "September 22, 2012");
        assert_eq!(shown("zh-Hans", "2012-09-22"), "2012年9月22日");
        assert_eq!(shown("zh-Hans", "2010-01"), "2010年1月");
        assert_eq!(shown("zh", "2002"), "2002年");
        assert_eq!(shown("vi", "2012-09-22"), "22 tháng 9 2012");
        assert_eq!(shown("vi", "2010-01"), "tháng 1 năm 2010");
    }

    #[test]
    fn spans_read_as_each_language_writes_them() {
        let shown = |tag: &str, text: &str| formats(tag).when(&When::parse(text).unwrap());
        for (tag, text, want) in [
            ("en", "2012-09-21/2012-09-25", "21–25 September 2012"),
            ("en", "2012-09-28/10-02", "28 September – 2 October 2012"),
            ("en", "2012-12-30/2013-01-02", "30 December 2012 – 2 January 2013"),
            ("en", "2010-01/2010-03", "January–March 2010"),
            ("en", "2003/2012", "2003–2012"),
            ("zh-Hans", "2012-09-21/2012-09-25", "2012年9月21–25日"),
            ("zh-Hans", "2012-09-28/10-02", "2012年9月28日 – 10月2日"),
            ("zh-Hans", "2003/2012", "2003–2012年"),
            ("vi", "2012-09-21/25", "21–25 tháng 9 2012"),
            ("vi", "2012-09-28/10-02", "28 tháng 9 – 2 tháng 10 2012"),
            ("en", "2012-09-22", "22 September 2012"),
        ] {
            assert_eq!(shown(tag, text), want, "{tag} {text}");
        }
    }

    #[test]
    fn open_graph_locales_have_a_region() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("zh-Hans"), "zh_CN");
        assert_eq!(og_locale("zh-Hant"), "zh_TW");
        assert_eq!(og_locale("vi"), "vi_VN");
        assert_eq!(og_locale("en-GB"), "en_GB");
    }

    #[test]
    fn numbers_use_each_languages_separators() {
        assert_eq!(formats("en").number(1234567.5), "1,234,567.5");
        assert_eq!(formats("vi").number(362.8), "362,8");
        assert_eq!(formats("zh-Hans").number(54.8), "54.8");
        assert_eq!(formats("en").number(-0.0000001), "0");
    }

    #[test]
    fn ranges_name_both_days() {
        let d = |s| crate::date::parse_day(s).unwrap();
        assert_eq!(formats("en").day_range(d("2012-09-21"), d("2012-09-25")), "21–25 September 2012");
        assert_eq!(formats("zh").day_range(d("2012-09-21"), d("2012-09-21")), "2012年9月21日");
    }
}
