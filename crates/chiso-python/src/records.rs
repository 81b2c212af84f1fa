//! `chiso.Records`: records read from a file by `chiso.read`, ready to score.

use crate::dossiers;
use crate::errors::{Error, Result};
use crate::pyjson;
use crate::table::Table;
use chiso_io::read::records::Records;
use pyo3::prelude::*;
use std::sync::Arc;

/// Records of one kind read from a file, ready to score.
pub enum AnyRecords {
    /// Dossiers: an Arrow IPC or Parquet file is kept as read (scored by the columnar fast path,
    /// converted to records on demand); other formats are converted at once.
    Dossiers(Arc<dossiers::Dossiers>),
    Procedures(Records<chiso::Procedure>),
    Units(Records<chiso::Unit>),
    Petitions(Records<chiso::Petition>),
}

impl AnyRecords {
    pub fn name(&self) -> &'static str {
        match self {
            AnyRecords::Dossiers(_) => "dossiers",
            AnyRecords::Procedures(_) => "procedures",
            AnyRecords::Units(_) => "units",
            AnyRecords::Petitions(_) => "petitions",
        }
    }
    /// Calls `f` with the rejects and the number of records (converting dossiers if need be).
    fn with_counts<R>(
        &self,
        f: impl FnOnce(&[chiso_io::read::records::Reject], usize) -> R,
    ) -> Result<R> {
        Ok(match self {
            AnyRecords::Dossiers(d) => {
                let r = d.records()?;
                f(&r.rejects, r.rows.len())
            }
            AnyRecords::Procedures(r) => f(&r.rejects, r.rows.len()),
            AnyRecords::Units(r) => f(&r.rejects, r.rows.len()),
            AnyRecords::Petitions(r) => f(&r.rejects, r.rows.len()),
        })
    }
    fn rows_json(&self) -> Result<serde_json::Value> {
        let v = match self {
            AnyRecords::Dossiers(d) => serde_json::to_value(&d.records()?.rows),
            AnyRecords::Procedures(r) => serde_json::to_value(&r.rows),
            AnyRecords::Units(r) => serde_json::to_value(&r.rows),
            AnyRecords::Petitions(r) => serde_json::to_value(&r.rows),
        };
        v.map_err(|e| Error::input(e.to_string()))
    }
}

/// Records read from a file by `chiso.read`: pass them to `chiso.score` as they are.
///
/// >>> import pathlib, tempfile
/// >>> import chiso
/// >>> path = pathlib.Path(tempfile.mkdtemp()) / "u.csv"
/// >>> _ = path.write_text("unit_code,name\nH44,Huyện\n", encoding="utf-8")
/// >>> chiso.read(path, "unit")
/// chiso.Records(units: 1 read, 0 rejected)
#[pyclass(frozen, module = "chiso._chiso", name = "Records")]
pub struct PyRecords {
    pub inner: AnyRecords,
}

#[pymethods]
impl PyRecords {
    /// `"dossiers"`, `"procedures"`, `"units"` or `"petitions"`.
    ///
    /// >>> import pathlib, tempfile
    /// >>> import chiso
    /// >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    /// >>> _ = path.write_text("MaHoSo,MaDonVi,NgayTiepNhan\nHS-1,H44,01/09/2026\n"
    /// ...                     "HS-2,H44,31/09/2026\n", encoding="utf-8")
    /// >>> chiso.read(path).kind
    /// 'dossiers'
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.name()
    }
    fn __len__(&self, py: Python<'_>) -> Result<usize> {
        py.detach(|| self.inner.with_counts(|_, n| n))
    }
    /// Rows that could not be read: source, row, column, message.
    ///
    /// >>> import pathlib, tempfile
    /// >>> import chiso
    /// >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    /// >>> _ = path.write_text("MaHoSo,MaDonVi,NgayTiepNhan\nHS-1,H44,01/09/2026\n"
    /// ...                     "HS-2,H44,31/09/2026\n", encoding="utf-8")
    /// >>> [(r["row"], r["column"]) for r in chiso.read(path).rejects().to_pylist()]
    /// [(3, 'NgayTiepNhan')]
    fn rejects(&self, py: Python<'_>) -> Result<Table> {
        Ok(Table::new(py.detach(|| {
            self.inner
                .with_counts(|r, _| crate::table::rejects_table(r))
        })?))
    }
    /// The records as a list of dicts (canonical field names).
    ///
    /// >>> import pathlib, tempfile
    /// >>> import chiso
    /// >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    /// >>> _ = path.write_text("MaHoSo,MaDonVi,NgayTiepNhan\nHS-1,H44,01/09/2026\n"
    /// ...                     "HS-2,H44,31/09/2026\n", encoding="utf-8")
    /// >>> [(r["dossier_id"], r["received_at"]) for r in chiso.read(path).to_pylist()]
    /// [('HS-1', datetime.datetime(2026, 9, 1, 0, 0))]
    fn to_pylist<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let v = py.detach(|| self.inner.rows_json())?;
        Ok(pyjson::to_py(py, &v, None)?)
    }
    fn __repr__(&self) -> String {
        if let AnyRecords::Dossiers(d) = &self.inner {
            if let (false, Some(p)) = (d.is_converted(), d.path()) {
                return format!(
                    "chiso.Records(dossiers: {}, read when used, converted to records on demand)",
                    p.display()
                );
            }
            if let (false, Some(f)) = (d.is_converted(), d.file()) {
                let rows = f
                    .num_rows()
                    .map(|n| format!("{n} rows, "))
                    .unwrap_or_default();
                return format!(
                    "chiso.Records(dossiers: {}{} bytes of {}, converted to records on demand)",
                    rows,
                    f.size(),
                    f.path().display()
                );
            }
        }
        let (read, rejected) = self
            .inner
            .with_counts(|r, n| (n, r.len()))
            .unwrap_or_default();
        format!(
            "chiso.Records({}: {} read, {} rejected)",
            self.inner.name(),
            read,
            rejected
        )
    }
}
