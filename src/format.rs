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

use crate::date::PartialDate;

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

    /// A day as the language writes it: `22 September 2012`.
    pub fn day(&self, date: NaiveDate) -> String {
        self.partial_date(&PartialDate::from(date))
    }

    /// A moment as its own zone writes it: `22 September 2012, 10:00 (UTC+07:00)`.
    pub fn moment(&self, moment: &chrono::DateTime<chrono::FixedOffset>) -> String {
        format!("{}, {} (UTC{})", self.day(moment.date_naive()), moment.format("%H:%M"), moment.format("%:z"))
    }

    /// A range of days: `21 September 2012 – 25 September 2012`, or one day.
    pub fn day_range(&self, start: NaiveDate, end: NaiveDate) -> String {
        if start == end {
            self.day(start)
        } else {
            format!("{} – {}", self.day(start), self.day(end))
        }
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
        assert_eq!(formats("en").day_range(d("2012-09-21"), d("2012-09-25")), "21 September 2012 – 25 September 2012");
        assert_eq!(formats("zh").day_range(d("2012-09-21"), d("2012-09-21")), "2012年9月21日");
    }
}
