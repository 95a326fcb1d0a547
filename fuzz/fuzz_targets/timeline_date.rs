//! The timeline's date parser on arbitrary text: it must not panic, and a date it accepts must
//! read back the same from its ISO form.
#![no_main]

use brief::date::{parse_day, PartialDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(date) = PartialDate::parse(text) {
        let _ = brief::format::partial_date(&date);
        let _ = date.precision();
        assert_eq!(PartialDate::parse(&date.iso()), Ok(date), "{text:?} does not read back from {}", date.iso());
    }
    if let Ok(day) = parse_day(text) {
        assert_eq!(PartialDate::parse(text), Ok(PartialDate::from(day)));
        let _ = brief::format::day(day);
    }
});
