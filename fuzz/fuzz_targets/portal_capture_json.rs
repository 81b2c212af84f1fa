//! Portal capture JSON (a response body of each evaluation endpoint, and a request payload):
//! refused with an error naming the file, or parsed and checked against the built-in profile
//! (conformance) without a panic, the summary counting every check.
#![no_main]
use chiso_fuzz::{assert_clear, scorer};
use chiso_io::portal::capture::{parse_response, payload_period, Endpoint};
use chiso_io::portal::conformance::check;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const ENDPOINTS: [Endpoint; 6] = [
    Endpoint::Transparency,
    Endpoint::Progress,
    Endpoint::OnlineService,
    Endpoint::OnlinePayment,
    Endpoint::Digitisation,
    Endpoint::Satisfaction,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        let _ = payload_period(&v);
    }
    let s = scorer();
    let path = Path::new("fuzz-capture.json");
    let mut captures = Vec::new();
    for endpoint in ENDPOINTS {
        match parse_response(path, text, endpoint, s.period.clone(), "all") {
            Ok(c) => captures.push(c),
            Err(e) => {
                assert_clear(&e.to_string(), path);
                return;
            }
        }
    }
    let report = check(&captures, &s.profile, &s.options);
    let summary = report.summary();
    for s in summary.groups.values().chain(summary.indicators.values()) {
        assert!(s.matched <= s.checked, "more matched than checked");
        let _ = s.match_rate();
    }
    let _ = serde_json::to_string(&summary);
});
