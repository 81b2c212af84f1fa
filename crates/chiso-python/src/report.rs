//! The report writers of chiso-io (`chiso_io::write::report`) seen from Python: the CLI and
//! `card.to_html()` / `card.to_excel()` / `card.to_csv()` / the notebook view call the same code,
//! so both give the same files.

use crate::card::State;
use crate::errors::{Error, Result};
use chiso_io::write::lang::Lang;
use chiso_io::write::report::{self, ReportAccounting};
use std::path::Path;

/// `"vi"` / `"en"`, or the environment's language (LC_ALL, LC_MESSAGES, LANG) when None.
pub fn lang(code: Option<&str>) -> Result<Lang> {
    match code {
        Some(c) => c.parse().map_err(Error::input),
        None => Ok(Lang::from_env()),
    }
}

fn accounting(s: &State) -> ReportAccounting {
    ReportAccounting::new(&s.accounting, s.rejects.len() as u64)
}

/// The self-contained HTML page of `chiso score --format html`.
pub fn html(s: &State, unit: Option<&str>, lang: Lang) -> Result<String> {
    if let Some(code) = unit {
        s.unit(Some(code))?;
    }
    Ok(report::html_report_in(&s.card, &accounting(s), unit, lang))
}

/// The compact notebook view, from the same pieces as the page.
pub fn summary(s: &State, lang: Lang, limit: usize) -> String {
    report::html_summary(&s.card, &accounting(s), lang, limit)
}

/// The workbook of `chiso score --format xlsx`.
pub fn excel(s: &State, path: &Path, lang: Lang) -> Result<()> {
    Ok(report::write_xlsx_in(
        path,
        &s.card,
        &accounting(s),
        &s.rejects,
        lang,
    )?)
}

/// The CSV of `chiso score --format csv`.
pub fn csv(s: &State, lang: Lang) -> String {
    report::scorecard_csv_in(&s.card, lang)
}
