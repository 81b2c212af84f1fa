//! How each kind of record (dossier, procedure, unit, petition) is built from its fields.

use super::*;
use crate::read::columns::{FieldSpec, RecordKind};
use chiso::model::TimeUnit;
use chiso::{Dossier, Petition, Procedure, Unit, UnitKind};
use chrono::NaiveDateTime;

/// How a kind of record is built from its fields.
pub trait Build: Sized {
    /// The kind of record (which column names apply).
    const KIND: RecordKind;
    /// What a row accumulates before it becomes a record.
    type Acc: Default;
    /// Feeds one field.
    fn set(acc: &mut Self::Acc, field: &FieldSpec, cell: &Cell<'_>) -> Result<(), String>;
    /// The record, and its sync time if it has one; `Err((column, message))` rejects the row.
    fn finish(acc: Self::Acc) -> Result<(Self, Option<NaiveDateTime>), (String, String)>;
    /// The id duplicates are detected by (dossiers only).
    fn dedup_id(&self) -> Option<&str> {
        None
    }
}

#[derive(Default)]
/// A dossier being built from a row's cells (with the e-result code and link seen apart).
pub struct DossierAcc {
    d: Dossier,
    synced_at: Option<NaiveDateTime>,
    e_code: bool,
    e_link: bool,
    channel_set: bool,
}

impl Build for Dossier {
    const KIND: RecordKind = RecordKind::Dossier;
    type Acc = DossierAcc;
    fn set(a: &mut DossierAcc, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        let d = &mut a.d;
        match field.name {
            "dossier_id" => d.dossier_id = c.code().unwrap_or_default(),
            "unit_code" => d.unit_code = c.code().unwrap_or_default(),
            "procedure_code" => d.procedure_code = c.code().unwrap_or_default(),
            "channel" => {
                if let Some(ch) = channel(c)? {
                    d.channel = ch;
                    a.channel_set = true;
                }
            }
            "submitted_at" => d.submitted_at = c.datetime(false)?,
            "received_at" => d.received_at = c.datetime(false)?,
            "due_at" => d.due_at = c.datetime(true)?,
            "rescheduled_due_at" => d.rescheduled_due_at = c.datetime(true)?,
            "finished_at" => d.finished_at = c.datetime(false)?,
            "returned_at" => d.returned_at = c.datetime(false)?,
            "status" => d.status = status(c)?,
            "supplements" => d.supplements = waits(c)?,
            "fee_waits" => d.fee_waits = waits(c)?,
            "fee_total" => {
                let x = fee_total(c)?.unwrap_or(0.0);
                if x < 0.0 {
                    return Err(format!("a negative fee ({x})"));
                }
                d.fee_total = x;
            }
            "paid_online" => d.paid_online = gateway(c)?.unwrap_or_default(),
            "e_result" => d.e_result |= e_result(c)?.unwrap_or(false),
            "e_result_code" => a.e_code = c.text().is_some(),
            "e_result_link" => a.e_link = c.text().is_some(),
            "digitised" => d.digitised |= c.boolean()?.unwrap_or(false),
            "reused_data" => d.reused_data |= c.boolean()?.unwrap_or(false),
            "personal_store" => d.personal_store |= c.boolean()?.unwrap_or(false),
            "population_data" => d.population_data |= c.boolean()?.unwrap_or(false),
            "population_db_code" => d.population_data |= c.text().is_some(),
            "components" => {
                let (dig, reuse, store) = components(c)?;
                d.digitised |= dig;
                d.reused_data |= reuse;
                d.personal_store |= store;
            }
            "unsatisfied" => d.unsatisfied = c.boolean()?.unwrap_or(false),
            "has_petition" => d.has_petition = c.boolean()?.unwrap_or(false),
            "steps" => d.steps = log_text(c),
            "not_synced" => d.not_synced = c.boolean()?.unwrap_or(false),
            "synced_at" => a.synced_at = c.datetime(false)?,
            _ => {}
        }
        Ok(())
    }

    fn finish(a: DossierAcc) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        let mut d = a.d;
        if d.dossier_id.is_empty() {
            return Err(("dossier_id".into(), "no dossier id".into()));
        }
        if a.e_code && a.e_link {
            d.e_result = true;
        }
        Ok((d, a.synced_at))
    }

    fn dedup_id(&self) -> Option<&str> {
        Some(&self.dossier_id)
    }
}

/// Whether a dossier read another way (serde, chiso's own names) is what the row reader above
/// makes of the same fields: an id, codes without white space ([`Cell::code`] removes it), a fee
/// that is not negative (rejected above). `chiso watch` takes a line directly only then; any
/// other goes through the row reader. A rule added above that changes a value belongs here too.
pub fn reads_as_rows_would(d: &Dossier) -> bool {
    let plain = |code: &str| !code.contains(char::is_whitespace);
    !d.dossier_id.is_empty()
        && plain(&d.dossier_id)
        && plain(&d.unit_code)
        && plain(&d.procedure_code)
        && d.fee_total >= 0.0
}

#[derive(Default)]
/// A procedure being built from a row's cells.
pub struct ProcedureAcc {
    p: Procedure,
    unit: Option<TimeUnit>,
}

impl Build for Procedure {
    const KIND: RecordKind = RecordKind::Procedure;
    type Acc = ProcedureAcc;
    fn set(a: &mut ProcedureAcc, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        let p = &mut a.p;
        match field.name {
            "procedure_code" => p.procedure_code = c.code().unwrap_or_default(),
            "name" => p.name = c.text().unwrap_or_default(),
            "field" => p.field = c.text().unwrap_or_default(),
            "level" => p.level = level(c)?,
            "online_level" => p.online_level = online_level(c)?.unwrap_or_default(),
            "full_process_eligible" => p.full_process_eligible = c.boolean()?.unwrap_or(false),
            "paper_result" => p.paper_result = c.boolean()?.unwrap_or(false),
            "fee_bearing" => p.fee_bearing = c.boolean()?.unwrap_or(false),
            "for_citizens" => p.for_citizens = c.boolean()?.unwrap_or(false),
            "statutory_time" => p.statutory_time = statutory(c)?,
            "statutory_time_unit" => {
                a.unit = match c.text() {
                    None => None,
                    Some(t) => Some(time_unit(&t).ok_or_else(|| {
                        format!(
                            "{} is not a time unit (working_days, days, hours, months)",
                            super::shown(&t)
                        )
                    })?),
                }
            }
            "published_at" => p.published_at = c.date()?,
            "legal_basis_effective_at" => p.legal_basis_effective_at = c.date()?,
            "made_public_at" => p.made_public_at = c.date()?,
            "has_all_parts" => p.has_all_parts = c.boolean()?,
            "public" => p.public = c.boolean()?.unwrap_or(false),
            "units" => p.units = unit_list(c)?,
            _ => {}
        }
        Ok(())
    }

    fn finish(a: ProcedureAcc) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        let mut p = a.p;
        if p.procedure_code.is_empty() {
            return Err(("procedure_code".into(), "no procedure code".into()));
        }
        if let (Some(u), Some(t)) = (a.unit, p.statutory_time.as_mut()) {
            t.unit = u;
        }
        Ok((p, None))
    }
}

#[derive(Default)]
/// A unit being built from a row's cells.
pub struct UnitAcc {
    code: String,
    name: String,
    kind: Option<UnitKind>,
    parent: Option<String>,
    e_certified_copy: Option<bool>,
}

impl Build for Unit {
    const KIND: RecordKind = RecordKind::Unit;
    type Acc = UnitAcc;
    fn set(a: &mut UnitAcc, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        match field.name {
            "code" => a.code = c.code().unwrap_or_default(),
            "name" => a.name = c.text().unwrap_or_default(),
            "kind" => a.kind = unit_kind(c),
            "parent" => a.parent = c.code(),
            "e_certified_copy" => a.e_certified_copy = c.boolean()?,
            _ => {}
        }
        Ok(())
    }

    fn finish(a: UnitAcc) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        if a.code.is_empty() {
            return Err(("code".into(), "no unit code".into()));
        }
        let mut u = Unit::new(
            &a.code,
            &a.name,
            a.kind.unwrap_or_default(),
            a.parent.as_deref(),
        );
        u.e_certified_copy = a.e_certified_copy;
        Ok((u, None))
    }
}

impl Build for Petition {
    const KIND: RecordKind = RecordKind::Petition;
    type Acc = Petition;
    fn set(p: &mut Petition, field: &FieldSpec, c: &Cell<'_>) -> Result<(), String> {
        let count = |c: &Cell<'_>| -> Result<u32, String> {
            match c.integer()? {
                None => Ok(0),
                Some(n) => u32::try_from(n).map_err(|_| format!("{n} is not a count")),
            }
        };
        match field.name {
            "petition_id" => p.petition_id = c.code().unwrap_or_default(),
            "unit_code" => p.unit_code = c.code().unwrap_or_default(),
            "received_at" => p.received_at = c.datetime(false)?,
            "forwarded_at" => p.forwarded_at = c.datetime(false)?,
            "handled_at" => p.handled_at = c.datetime(false)?,
            "rejected_at" => p.rejected_at = c.datetime(false)?,
            "supplement_requested_at" => p.supplement_requested_at = c.datetime(false)?,
            "likes" => p.likes = count(c)?,
            "dislikes" => p.dislikes = count(c)?,
            "repeat_complaint" => p.repeat_complaint = c.boolean()?.unwrap_or(false),
            "classification" => p.classification = c.text(),
            _ => {}
        }
        Ok(())
    }

    fn finish(p: Petition) -> Result<(Self, Option<NaiveDateTime>), (String, String)> {
        if p.petition_id.is_empty() {
            return Err(("petition_id".into(), "no petition id".into()));
        }
        Ok((p, None))
    }
}
