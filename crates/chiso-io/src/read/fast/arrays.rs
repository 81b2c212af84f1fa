//! Arrow arrays read into plain vectors (strings, interned codes, small integers, numbers, flags, times); any other type steps aside.

use super::*;
use crate::read::intern::Codes;
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType, Int16Type, Int32Type, Int64Type, Int8Type, TimeUnit, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use chiso::columnar::NO_TIME;

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
