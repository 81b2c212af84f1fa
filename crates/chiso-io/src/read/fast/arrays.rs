//! Arrow arrays read into plain vectors (strings, interned codes, small integers, numbers, flags,
//! times): typed columns directly, text and other types the way the row reader converts cells
//! ([`converted`], [`times_as_read`]); a cell the row reader would refuse steps aside.

use super::values::{exact_millis, moment};
use super::*;
use crate::read::cell::Cell;
use crate::read::intern::Codes;
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    ArrowNativeType, DataType, Int16Type, Int32Type, Int64Type, Int8Type, TimeUnit, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use chiso::columnar::NO_TIME;
use std::collections::HashMap;

/// Strings of a column (Utf8, LargeUtf8, Utf8View or a dictionary of them), `None` for nulls.
pub(super) fn strings(a: &ArrayRef) -> std::result::Result<Vec<Option<&str>>, NotFast> {
    let n = a.len();
    Ok(match a.data_type() {
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            (0..n).map(|i| s.is_valid(i).then(|| s.value(i))).collect()
        }
        DataType::LargeUtf8 => {
            let s = a.as_string::<i64>();
            (0..n).map(|i| s.is_valid(i).then(|| s.value(i))).collect()
        }
        DataType::Utf8View => {
            let s = a.as_string_view();
            (0..n).map(|i| s.is_valid(i).then(|| s.value(i))).collect()
        }
        DataType::Null => vec![None; n],
        DataType::Dictionary(k, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8) => {
            let values = strings(a.as_any_dictionary().values())?;
            macro_rules! dict {
                ($t:ty) => {{
                    let d = a.as_dictionary::<$t>();
                    d.keys()
                        .iter()
                        .map(|k| k.and_then(|k| values.get(k as usize).copied().flatten()))
                        .collect()
                }};
            }
            match **k {
                DataType::Int8 => dict!(Int8Type),
                DataType::Int16 => dict!(Int16Type),
                DataType::Int32 => dict!(Int32Type),
                DataType::Int64 => dict!(Int64Type),
                _ => return not_fast("dictionary key type"),
            }
        }
        other => return not_fast(format!("text column of type {other}")),
    })
}

/// Interned codes of a text column (nulls are the empty code). A dictionary column is
/// interned once per dictionary value, not once per row.
pub(super) fn code_ids(c: &mut Codes, a: &ArrayRef) -> std::result::Result<Vec<u32>, NotFast> {
    if let DataType::Dictionary(k, _) = a.data_type() {
        if matches!(**k, DataType::Int32) {
            let d = a.as_dictionary::<Int32Type>();
            let values: Vec<u32> = strings(d.values())?
                .into_iter()
                .map(|s| c.id_raw(s.unwrap_or("")))
                .collect();
            let empty = c.id_raw("");
            return d
                .keys()
                .iter()
                .map(|k| match k {
                    None => Ok(empty),
                    Some(k) => usize::try_from(k)
                        .ok()
                        .and_then(|k| values.get(k).copied())
                        .ok_or_else(|| NotFast("a dictionary key out of range".into())),
                })
                .collect();
        }
    }
    if !is_text(a) && !matches!(a.data_type(), DataType::Null) {
        // Numbers as codes: the row reader's text of the number.
        return Ok(
            converted(a, "code", 0, &|x| Ok(x.code().unwrap_or_default()))?
                .into_iter()
                .map(|s| c.id(&s))
                .collect(),
        );
    }
    Ok(strings(a)?
        .into_iter()
        .map(|s| c.id_raw(s.unwrap_or("")))
        .collect())
}

/// Small non-negative integers (codes), `None` for nulls.
pub(super) fn small_ints(a: &ArrayRef) -> std::result::Result<Vec<Option<i64>>, NotFast> {
    macro_rules! prim {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map(|x| x as i64))
                .collect()
        };
    }
    Ok(match a.data_type() {
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Null => vec![None; a.len()],
        other => return not_fast(format!("code column of type {other}")),
    })
}

pub(super) fn numbers(a: &ArrayRef) -> std::result::Result<Vec<Option<f64>>, NotFast> {
    Ok(match a.data_type() {
        DataType::Float64 => a
            .as_primitive::<arrow::datatypes::Float64Type>()
            .iter()
            .collect(),
        DataType::Float32 => a
            .as_primitive::<arrow::datatypes::Float32Type>()
            .iter()
            .map(|v| v.map(f64::from))
            .collect(),
        _ => small_ints(a)?
            .into_iter()
            .map(|v| v.map(|x| x as f64))
            .collect(),
    })
}

pub(super) fn booleans(a: &ArrayRef) -> std::result::Result<Vec<bool>, NotFast> {
    Ok(match a.data_type() {
        DataType::Boolean => a.as_boolean().iter().map(|v| v.unwrap_or(false)).collect(),
        DataType::Null => vec![false; a.len()],
        other => return not_fast(format!("flag column of type {other}")),
    })
}

/// Milliseconds since the epoch in Vietnam local time; zoned timestamps are instants (+7 h).
pub(super) fn times(a: &ArrayRef) -> std::result::Result<Vec<i64>, NotFast> {
    let DataType::Timestamp(unit, tz) = a.data_type() else {
        return match a.data_type() {
            DataType::Null => Ok(vec![NO_TIME; a.len()]),
            other => not_fast(format!("time column of type {other}")),
        };
    };
    let shift = if tz.is_some() { 7 * 3_600_000 } else { 0 };
    let (mul, div) = match unit {
        TimeUnit::Second => (1000, 1),
        TimeUnit::Millisecond => (1, 1),
        TimeUnit::Microsecond => (1, 1000),
        TimeUnit::Nanosecond => (1, 1_000_000),
    };
    macro_rules! ts {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map_or(NO_TIME, |x| x.div_euclid(div) * mul + shift))
                .collect()
        };
    }
    Ok(match unit {
        TimeUnit::Second => ts!(arrow::datatypes::TimestampSecondType),
        TimeUnit::Millisecond => ts!(arrow::datatypes::TimestampMillisecondType),
        TimeUnit::Microsecond => ts!(arrow::datatypes::TimestampMicrosecondType),
        TimeUnit::Nanosecond => ts!(arrow::datatypes::TimestampNanosecondType),
    })
}

/// Values of a column the direct readers above do not take (text codes and flags, dates,
/// numbers where text is expected, dictionaries of any of them), converted exactly as the row
/// reader converts its cells: text once per distinct value, a dictionary once per entry. A
/// cell the conversion refuses steps aside, naming the row and the reason (the row path then
/// rejects that row).
///
/// `base` is the row number of the column's first row in the whole input, for the message.
pub(super) fn converted<T: Clone>(
    a: &ArrayRef,
    name: &str,
    base: usize,
    f: &dyn Fn(&Cell<'_>) -> std::result::Result<T, String>,
) -> std::result::Result<Vec<T>, NotFast> {
    let bad = |r: usize, e: String| NotFast(format!("{name}, row {}: {e}", base + r + 1));
    let n = a.len();
    let empty = || f(&Cell::Empty).map_err(|e| bad(0, e));
    let cast =
        |to: DataType| arrow::compute::cast(a, &to).map_err(|e| NotFast(format!("{name}: {e}")));
    macro_rules! text {
        ($s:expr) => {{
            let s = $s;
            let mut known: HashMap<&str, T> = HashMap::new();
            let mut out = Vec::with_capacity(n);
            for r in 0..n {
                if s.is_null(r) {
                    out.push(empty()?);
                    continue;
                }
                let v = s.value(r);
                if let Some(x) = known.get(v) {
                    out.push(x.clone());
                    continue;
                }
                let x = f(&Cell::Str(v)).map_err(|e| bad(r, e))?;
                known.insert(v, x.clone());
                out.push(x);
            }
            out
        }};
    }
    macro_rules! each {
        ($arr:expr, $cell:expr) => {{
            let arr = $arr;
            (0..n)
                .map(|r| {
                    if arr.is_null(r) {
                        empty()
                    } else {
                        f(&$cell(arr.value(r))).map_err(|e| bad(r, e))
                    }
                })
                .collect::<std::result::Result<Vec<T>, NotFast>>()?
        }};
    }
    Ok(match a.data_type() {
        DataType::Null => vec![empty()?; n],
        DataType::Utf8 => text!(a.as_string::<i32>()),
        DataType::LargeUtf8 => text!(a.as_string::<i64>()),
        DataType::Utf8View => text!(a.as_string_view()),
        DataType::Dictionary(..) => {
            let d = a.as_any_dictionary();
            let values: Vec<std::result::Result<T, String>> = (0..d.values().len())
                .map(|i| {
                    let one = d.values().slice(i, 1);
                    match converted(&one, name, 0, f) {
                        Ok(mut v) => Ok(v.remove(0)),
                        Err(e) => Err(e.0),
                    }
                })
                .collect();
            let keys = arrow::compute::cast(d.keys(), &DataType::Int64)
                .map_err(|e| NotFast(format!("{name}: {e}")))?;
            let keys = keys.as_primitive::<Int64Type>();
            (0..n)
                .map(|r| {
                    if keys.is_null(r) {
                        return empty();
                    }
                    match usize::try_from(keys.value(r))
                        .ok()
                        .and_then(|k| values.get(k))
                    {
                        Some(Ok(x)) => Ok(x.clone()),
                        // The entry's own message, at this row.
                        Some(Err(e)) => Err(bad(
                            r,
                            e.split_once(": ").map_or(e.clone(), |x| x.1.to_string()),
                        )),
                        None => Err(bad(r, "a dictionary key out of range".into())),
                    }
                })
                .collect::<std::result::Result<_, _>>()?
        }
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => {
            let c = cast(DataType::Int64)?;
            each!(c.as_primitive::<Int64Type>(), Cell::Int)
        }
        // As the row reader widens them: UInt64 too.
        DataType::UInt64 | DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            let c = cast(DataType::Float64)?;
            each!(
                c.as_primitive::<arrow::datatypes::Float64Type>(),
                Cell::Float
            )
        }
        DataType::Boolean => each!(a.as_boolean(), Cell::Bool),
        DataType::Date32 | DataType::Date64 => {
            let c = cast(DataType::Date32)?;
            let c = c.as_primitive::<arrow::datatypes::Date32Type>();
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            (0..n)
                .map(|r| {
                    if c.is_null(r) {
                        return empty();
                    }
                    let day = epoch
                        .checked_add_signed(chrono::Duration::days(c.value(r).into()))
                        .ok_or_else(|| bad(r, "a date out of range".into()))?;
                    f(&Cell::Date(day)).map_err(|e| bad(r, e))
                })
                .collect::<std::result::Result<_, _>>()?
        }
        other => return not_fast(format!("{name}: a column of type {other}")),
    })
}

/// Whether a column holds text (or a dictionary of text).
pub(super) fn is_text(a: &ArrayRef) -> bool {
    match a.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => {
            matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            )
        }
        _ => false,
    }
}

/// Parses every cell of a plain text column (Utf8, LargeUtf8, Utf8View) straight from its
/// buffers with one of the byte parsers the CSV fast path uses ([`super::values`]): no string
/// made per cell, and a cell reads as it does from a CSV file. A null is read as empty text,
/// which every one of those parsers reads as the row reader reads an empty cell. `None` for any
/// other column type; a refusal names the column and the row (`base` rows come before).
pub(super) fn parse_text<T>(
    a: &ArrayRef,
    name: &str,
    base: usize,
    mut parse: impl FnMut(&[u8]) -> std::result::Result<T, NotFast>,
) -> Option<std::result::Result<Vec<T>, NotFast>> {
    let n = a.len();
    let bad = |r: usize, e: NotFast| NotFast(format!("{name}, row {}: {}", base + r + 1, e.0));
    let nulls = a.logical_nulls().filter(|m| m.null_count() > 0);
    let is_null = |r: usize| nulls.as_ref().is_some_and(|m| m.is_null(r));
    let mut out = Vec::with_capacity(n);
    macro_rules! offsets {
        ($s:expr) => {{
            let s = $s;
            let (offsets, data) = (s.value_offsets(), s.value_data());
            for (r, w) in offsets.windows(2).enumerate() {
                let v = if is_null(r) {
                    &[][..]
                } else {
                    data.get(w[0].as_usize()..w[1].as_usize())
                        .unwrap_or_default()
                };
                out.push(parse(v).map_err(|e| bad(r, e)));
            }
        }};
    }
    match a.data_type() {
        DataType::Utf8 => offsets!(a.as_string::<i32>()),
        DataType::LargeUtf8 => offsets!(a.as_string::<i64>()),
        DataType::Utf8View => {
            let s = a.as_string_view();
            for r in 0..n {
                let v = if is_null(r) { "" } else { s.value(r) };
                out.push(parse(v.as_bytes()).map_err(|e| bad(r, e)));
            }
        }
        _ => return None,
    }
    Some(out.into_iter().collect())
}

/// Times of any column as the row reader reads them (`end_of_day` for bare due dates): typed
/// timestamps directly, text through the CSV fast path's byte parser ([`parse_text`], which
/// hands any shape it does not read itself to the ordinary conversion), and dates, numbers and
/// dictionaries through [`converted`].
pub(super) fn times_as_read(
    a: &ArrayRef,
    name: &str,
    base: usize,
    end_of_day: bool,
) -> std::result::Result<Vec<i64>, NotFast> {
    match a.data_type() {
        DataType::Timestamp(..) | DataType::Null => times(a),
        _ => match parse_text(a, name, base, |v| moment(v, end_of_day)) {
            Some(parsed) => parsed,
            None => {
                let convert = move |c: &Cell<'_>| {
                    c.datetime(end_of_day)
                        .and_then(|t| exact_millis(t).map_err(|e| e.0))
                };
                converted(a, name, base, &convert)
            }
        },
    }
}
