//! One Arrow batch of dossiers as the columnar path reads it: columns resolved by the
//! [`ColumnMap`], codes interned, times in milliseconds, supplements unpacked. Shared by the fast
//! tally ([`super::FastTally`]) and the live scoreboard's Arrow path
//! (`crate::live::upsert_batches`), so both read a batch the same way and step aside for the
//! same reasons.

use super::values::{e_result, fee, yes_no, CodeTable};
use super::*;
use std::borrow::Cow;

/// One batch's columns, owned (the ids borrow the batch's text when it is text).
pub struct BatchColumns<'b> {
    /// Dossier ids as read (never empty).
    pub ids: Vec<Option<Cow<'b, str>>>,
    /// Unit code of each row, an index into the unit code table it was read with.
    pub unit: Vec<u32>,
    /// Procedure code of each row, an index into the procedure code table.
    pub procedure: Vec<u32>,
    status: Vec<u8>,
    channel: Vec<u8>,
    paid_online: Vec<u8>,
    received: Vec<i64>,
    due: Vec<i64>,
    rescheduled_due: Vec<i64>,
    finished: Vec<i64>,
    returned: Vec<i64>,
    fee_total: Vec<f64>,
    flags: Vec<u8>,
    offsets: Vec<u32>,
    requested: Vec<i64>,
    completed: Vec<i64>,
    /// `synced_at` in milliseconds when asked for and present (else empty).
    pub synced: Vec<i64>,
}

impl BatchColumns<'_> {
    /// The columns as the core reads them.
    pub fn columns(&self) -> DossierColumns<'_> {
        DossierColumns {
            unit: &self.unit,
            procedure: &self.procedure,
            status: &self.status,
            channel: &self.channel,
            received: &self.received,
            due: &self.due,
            rescheduled_due: &self.rescheduled_due,
            finished: &self.finished,
            returned: &self.returned,
            fee_total: &self.fee_total,
            paid_online: &self.paid_online,
            flags: &self.flags,
            supplement_offsets: &self.offsets,
            supplement_requested: &self.requested,
            supplement_completed: &self.completed,
        }
    }
}

/// Reads one batch's columns, or says why the ordinary reader is needed. `base` is the number
/// of rows before this batch (for row numbers in reasons); unit and procedure codes are interned
/// into `codes_into`; `want_synced` also reads `synced_at`.
pub(crate) fn read_columns<'b>(
    batch: &'b RecordBatch,
    map: &ColumnMap,
    fee_wait_stops_clock: bool,
    base: usize,
    codes_into: (&mut Codes, &mut Codes),
    want_synced: bool,
) -> std::result::Result<BatchColumns<'b>, NotFast> {
    let headers: Vec<&str> = batch
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    let res = map.resolve(RecordKind::Dossier, &headers);
    if res.check().is_err() || !res.duplicates.is_empty() {
        return not_fast("columns");
    }
    let mut col: HashMap<&'static str, &ArrayRef> = HashMap::new();
    for (i, spec) in res.columns.iter().enumerate() {
        let Some(spec) = spec else { continue };
        let a = batch.column(i);
        if !FAST_FIELDS.contains(&spec.name) {
            if a.null_count() < a.len() {
                return not_fast(format!("column {} needs the ordinary reader", spec.name));
            }
            continue;
        }
        col.insert(spec.name, a);
    }
    check_unread(batch, &res, map)?;
    let n = batch.num_rows();
    let get = |name: &str| col.get(name).copied();
    let id_col = get("dossier_id").ok_or_else(|| NotFast("no dossier_id".into()))?;
    // Numbers as ids: the row reader's text of each.
    let numbered: Vec<Option<String>> = if is_text(id_col) {
        Vec::new()
    } else {
        converted(id_col, "dossier_id", base, &|c| Ok(c.code()))?
    };
    let ids: Vec<Option<Cow<'b, str>>> = if is_text(id_col) {
        strings(id_col)?
            .into_iter()
            .map(|s| s.map(Cow::Borrowed))
            .collect()
    } else {
        numbered.into_iter().map(|s| s.map(Cow::Owned)).collect()
    };
    if ids
        .iter()
        .any(|id| id.as_deref().is_none_or(|s| s.trim().is_empty()))
    {
        return not_fast("a row without a dossier id");
    }
    let codes = |c: &mut Codes, a: Option<&ArrayRef>| -> std::result::Result<Vec<u32>, NotFast> {
        Ok(match a {
            Some(a) => code_ids(c, a)?,
            None => vec![c.id_raw(""); n],
        })
    };
    let unit = codes(codes_into.0, get("unit_code"))?;
    let procedure = codes(codes_into.1, get("procedure_code"))?;
    let code_col = |name: &str,
                    lo: i64,
                    hi: i64,
                    convert: fn(&Cell<'_>) -> std::result::Result<Option<u8>, String>|
     -> std::result::Result<Vec<u8>, NotFast> {
        match get(name) {
            None => Ok(Vec::new()),
            // Integer codes directly; text, floats, flags and dictionaries as the row
            // reader converts them.
            Some(a) => match small_ints(a) {
                Ok(v) => v
                    .into_iter()
                    .map(|v| match v {
                        None => Ok(0),
                        Some(x) if (lo..=hi).contains(&x) => Ok(x as u8),
                        _ => not_fast(format!("{name} value outside {lo}..{hi}")),
                    })
                    .collect(),
                Err(_) => {
                    // Text codes by the CSV fast path's table (each distinct one- or
                    // two-digit value converted once), other types as the row reader does.
                    let mut table = CodeTable::new(convert);
                    match parse_text(a, name, base, |v| table.get(v)) {
                        Some(parsed) => parsed,
                        None => converted(a, name, base, &|c| convert(c).map(|x| x.unwrap_or(0))),
                    }
                }
            },
        }
    };
    let status = code_col("status", 1, 10, |c| Ok(cell::status(c)?.map(u8::from)))?;
    let channel = code_col("channel", 0, 3, |c| Ok(cell::channel(c)?.map(u8::from)))?;
    let paid_online = code_col("paid_online", 0, 2, |c| Ok(cell::gateway(c)?.map(u8::from)))?;
    let time_col = |name: &str, end_of_day: bool| -> std::result::Result<Vec<i64>, NotFast> {
        get(name).map_or(Ok(Vec::new()), |a| times_as_read(a, name, base, end_of_day))
    };
    let received = match get("received_at") {
        Some(a) => times_as_read(a, "received_at", base, false)?,
        None => vec![NO_TIME; n],
    };
    let (due, rescheduled_due, finished, returned) = (
        time_col("due_at", true)?,
        time_col("rescheduled_due_at", true)?,
        time_col("finished_at", false)?,
        time_col("returned_at", false)?,
    );
    // Times scoring does not use must still be readable (the row reader rejects the row).
    let mut synced = Vec::new();
    for name in ["submitted_at", "synced_at"] {
        if let Some(a) = get(name) {
            if name == "synced_at" && want_synced {
                synced = times_as_read(a, name, base, false)?;
            } else if is_text(a) {
                times_as_read(a, name, base, false)?;
            }
        }
    }
    let fee_total: Vec<f64> = match get("fee_total") {
        None => Vec::new(),
        Some(a) => {
            let fees = match numbers(a) {
                Ok(v) => v,
                Err(_) => match parse_text(a, "fee_total", base, |v| fee(v).map(Some)) {
                    Some(parsed) => parsed?,
                    None => converted(a, "fee_total", base, &cell::fee_total)?,
                },
            };
            fees.into_iter()
                .map(|v| match v.unwrap_or(0.0) {
                    x if x >= 0.0 && x.is_finite() => Ok(x),
                    _ => not_fast("a negative or invalid fee"),
                })
                .collect::<std::result::Result<_, _>>()?
        }
    };
    let mut flags = vec![0u8; n];
    for (name, bit) in [
        ("e_result", flag::E_RESULT),
        ("digitised", flag::DIGITISED),
        ("reused_data", flag::REUSED_DATA),
        ("personal_store", flag::PERSONAL_STORE),
        ("population_data", flag::POPULATION_DATA),
        ("unsatisfied", flag::UNSATISFIED),
        ("has_petition", flag::HAS_PETITION),
        ("not_synced", flag::NOT_SYNCED),
    ] {
        if let Some(a) = get(name) {
            let e_result_col = name == "e_result";
            let yes = match booleans(a) {
                Ok(v) => v,
                Err(_) => {
                    match parse_text(a, name, base, if e_result_col { e_result } else { yes_no }) {
                        Some(parsed) => parsed?,
                        None if e_result_col => {
                            converted(a, name, base, &|c| Ok(cell::e_result(c)?.unwrap_or(false)))?
                        }
                        None => converted(a, name, base, &|c| Ok(c.boolean()?.unwrap_or(false)))?,
                    }
                }
            };
            for (f, b) in flags.iter_mut().zip(yes) {
                if b {
                    *f |= bit;
                }
            }
        }
    }
    if fee_wait_stops_clock && get("fee_waits").is_some_and(|a| a.null_count() < a.len()) {
        return not_fast("fee waits with fee_wait_stops_clock");
    }
    let (mut offsets, mut requested, mut completed) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(a) = get("supplements").filter(|a| a.null_count() < a.len()) {
        offsets.push(0u32);
        for s in strings(a)? {
            if let Some(s) = s.filter(|s| !s.trim().is_empty()) {
                // The shape chiso writes is read directly; anything else the ordinary way.
                if crate::read::plain::plain_waits(s.as_bytes(), &mut requested, &mut completed) {
                    offsets.push(requested.len() as u32);
                    continue;
                }
                let ws = waits(&Cell::Str(s)).map_err(|e| NotFast(format!("supplements: {e}")))?;
                for w in ws {
                    requested.push(chiso::columnar::millis_of(Some(w.requested_at)));
                    completed.push(chiso::columnar::millis_of(w.completed_at));
                }
            }
            offsets.push(requested.len() as u32);
        }
    }
    Ok(BatchColumns {
        ids,
        unit,
        procedure,
        status,
        channel,
        paid_online,
        received,
        due,
        rescheduled_due,
        finished,
        returned,
        fee_total,
        flags,
        offsets,
        requested,
        completed,
        synced,
    })
}
