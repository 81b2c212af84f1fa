//! Period strings and the date/time strings the readers parse: no panic; a period that parses
//! has start <= end and its label parses back to the same period; numbers and Excel serials
//! convert without a panic.
#![no_main]
use chiso::Period;
use chiso_io::read::cell::{excel_serial, parse_bool, parse_number, parse_when};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for s in std::iter::once(text).chain(text.lines()) {
        if let Ok(p) = s.parse::<Period>() {
            assert!(p.start() <= p.end(), "period {s:?} ends before it starts");
            let label = p.label();
            let again: Period = label
                .parse()
                .unwrap_or_else(|e| panic!("label {label:?} of {s:?} does not parse: {e}"));
            assert_eq!(again, p, "label {label:?} of {s:?} is another period");
            let _ = p.per_year_divisor();
            let _ = p.previous_year();
        }
        let _ = chiso::period::parse_moment(s);
        let _ = parse_when(s);
        let _ = parse_bool(s);
        if let Some(x) = parse_number(s) {
            let _ = excel_serial(x);
        }
    }
});
