//! Swap table TOML (announced days off and working Saturdays): refused with an error naming the
//! source, or merged into the Vietnamese calendar, whose working-day arithmetic then never panics
//! and stays consistent (adding n working days lands n working days later).
#![no_main]
use chiso_calendar::{Calendar, SwapTable};
use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let table = match SwapTable::from_toml_str(text, "fuzz-swaps.toml") {
        Ok(t) => t,
        Err(e) => {
            let e = e.to_string();
            assert!(
                e.contains("fuzz-swaps.toml"),
                "error does not name the file: {e:?}"
            );
            return;
        }
    };
    let dates: Vec<NaiveDate> = table.entries().map(|e| e.date).take(8).collect();
    let cal = Calendar::vietnam_with(table);
    for d in dates {
        // Keep to the years a deadline can fall in; far years are the calendar's own limit.
        if !(1900..=2200).contains(&d.year()) {
            continue;
        }
        let _ = cal.holidays(d.year());
        let _ = cal.is_working_day(d);
        for n in [0u32, 1, 5, 15] {
            let later = cal.add_working_days(d, n);
            assert!(later >= d, "adding working days went back in time");
            if n > 0 {
                let between = cal.working_days_between(d, later);
                assert!(
                    between >= 0,
                    "negative working days between {d} and {later}"
                );
            }
        }
    }
});
