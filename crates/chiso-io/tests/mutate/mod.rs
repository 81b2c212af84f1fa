//! The mutations shared by the in-process mutation test (`mutations.rs`) and the CLI sample
//! (`chiso-cli/tests/mutations_cli.rs`): seeded, so a case replays from its seed and number.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// splitmix64: a tiny seeded generator, enough to pick mutations reproducibly.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

pub fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/golden/input")
        .join(name)
}

pub fn lines(b: &[u8]) -> Vec<Vec<u8>> {
    b.split_inclusive(|&c| c == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// One mutation of `orig` (text formats get the line and cell mutations too).
pub fn mutate(orig: &[u8], text: bool, rng: &mut Rng) -> (Vec<u8>, &'static str) {
    let mut b = orig.to_vec();
    let kinds = if text { 14 } else { 6 };
    match rng.below(kinds) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            (b, "bit flips")
        }
        1 => {
            b.truncate(rng.below(orig.len()));
            (b, "truncated")
        }
        2 => {
            for _ in 0..1 + rng.below(16) {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            (b, "random bytes")
        }
        3 => {
            let at = rng.below(b.len());
            let junk: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
            b.splice(at..at, junk);
            (b, "random bytes inserted")
        }
        4 => (Vec::new(), "empty"),
        5 => {
            let n = rng.below(64);
            let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            (junk, "random file")
        }
        6 => {
            let mut l = lines(&b);
            if l.len() > 1 {
                let i = 1 + rng.below(l.len() - 1);
                l.remove(i);
            }
            (l.concat(), "line deleted")
        }
        7 => {
            let mut l = lines(&b);
            let i = rng.below(l.len());
            let dup = l[i].clone();
            l.insert(rng.below(l.len()), dup);
            (l.concat(), "line duplicated")
        }
        8 => {
            let mut l = lines(&b);
            for i in (1..l.len()).rev() {
                let j = rng.below(i + 1);
                l.swap(i, j);
            }
            (l.concat(), "lines shuffled")
        }
        9 => {
            // A line cut at a separator, a quote or mid-character.
            let l = lines(&b);
            let first = l.first().map_or(0, Vec::len);
            let stops: Vec<usize> = b
                .iter()
                .enumerate()
                .filter(|(_, &c)| {
                    matches!(c, b';' | b',' | b'"' | b'\t' | b':' | b'{') || c >= 0x80
                })
                .map(|(i, _)| i)
                .filter(|&i| i > first / 2)
                .collect();
            if let Some(&at) = stops.get(rng.below(stops.len())) {
                b.truncate(at);
            }
            (b, "truncated at a boundary")
        }
        10 => {
            // Only the header line (or only the first JSON line).
            (
                lines(&b).into_iter().next().unwrap_or_default(),
                "header only",
            )
        }
        11 => {
            // Large but readable cells; cells past the limit have their own test below.
            let big = "9".repeat(1 << (10 + rng.below(9)));
            (replace_cell(&b, rng, &big), "large cell")
        }
        12 => {
            let depth = 100 + rng.below(10_000);
            let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            (replace_cell(&b, rng, &deep), "deep nesting")
        }
        _ => match rng.below(4) {
            0 => {
                let s = String::from_utf8_lossy(&b);
                (
                    s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                    "UTF-16LE, no BOM",
                )
            }
            1 => {
                let s = String::from_utf8_lossy(&b);
                let mut v = vec![0xFE, 0xFF];
                v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
                (v, "UTF-16BE with BOM")
            }
            2 => {
                let s = String::from_utf8_lossy(&b);
                let v = s
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect();
                (v, "Latin-1")
            }
            _ => {
                let mut v = vec![0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF];
                v.extend_from_slice(&b);
                (v, "two BOMs")
            }
        },
    }
}

/// Puts `value` in place of one field of one data line (between separators or quotes).
pub fn replace_cell(b: &[u8], rng: &mut Rng, value: &str) -> Vec<u8> {
    let mut l = lines(b);
    if l.len() < 2 {
        return b.to_vec();
    }
    let i = 1 + rng.below(l.len() - 1);
    let line = &l[i];
    let seps: Vec<usize> = line
        .iter()
        .enumerate()
        .filter(|(_, &c)| matches!(c, b';' | b',' | b'\t' | b':'))
        .map(|(k, _)| k)
        .collect();
    if let Some(&at) = seps.get(rng.below(seps.len())) {
        let end = line[at + 1..]
            .iter()
            .position(|&c| matches!(c, b';' | b',' | b'\t' | b'\n' | b'}'))
            .map_or(line.len(), |p| at + 1 + p);
        let mut new = line[..=at].to_vec();
        let quoted = line.get(at + 1) == Some(&b'"');
        if quoted {
            new.push(b'"');
        }
        new.extend_from_slice(value.as_bytes());
        if quoted {
            new.push(b'"');
        }
        new.extend_from_slice(&line[end..]);
        l[i] = new;
    }
    l.concat()
}

/// FNV-1a of a name: each format gets its own stream of cases from one seed.
pub fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The generator of case `case` of file `file` under run seed `seed`.
pub fn case_rng(seed: u64, case: usize, file: &str) -> Rng {
    Rng(seed ^ (case as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ hash(file))
}

/// The run's seed and case count: `CHISO_MUTATION_SEED` (default 766) and `CHISO_MUTATIONS`.
pub fn seed_and_cases(default_cases: usize) -> (u64, usize) {
    let seed = std::env::var("CHISO_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(766);
    let cases = std::env::var("CHISO_MUTATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_cases);
    (seed, cases)
}
