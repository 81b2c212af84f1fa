//! Rust errors → the exception classes of `chiso.errors` (pure Python, so they can carry
//! attributes and derive from `ValueError` too). One Rust variant, one class; file errors become
//! Python's own `FileNotFoundError`, `PermissionError`, ….

use chiso::ChisoError;
use chiso_calendar::CalendarError;
use chiso_io::IoError;
use pyo3::exceptions::{
    PyFileExistsError, PyFileNotFoundError, PyIsADirectoryError, PyNotADirectoryError, PyOSError,
    PyPermissionError,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::io::ErrorKind;

/// Everything a function of the native module can fail with.
#[derive(Debug)]
pub enum Error {
    Core(ChisoError),
    Io(IoError),
    Calendar(CalendarError),
    /// A bad input record or value found by the glue itself (row is 1-based).
    Input {
        message: String,
        row: Option<usize>,
        column: Option<String>,
        path: Option<String>,
    },
    /// Already a Python exception.
    Py(PyErr),
    /// A Rust panic caught where the import-time guard (`chiso._guard`) cannot reach: a class's
    /// own constructor. Becomes `chiso.InternalError` with the guard's wording.
    Internal {
        message: String,
        place: &'static str,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input {
            message: message.into(),
            row: None,
            column: None,
            path: None,
        }
    }
    pub fn at(message: impl Into<String>, row: Option<usize>, column: Option<&str>) -> Self {
        Error::Input {
            message: message.into(),
            row,
            column: column.map(str::to_string),
            path: None,
        }
    }
    /// `errors="raise"`: the first rejected row as an input error, with how many were rejected
    /// (and `note` after that count); None when no row was.
    pub fn first_reject(rejects: &[chiso_io::read::records::Reject], note: &str) -> Option<Self> {
        let r = rejects.first()?;
        Some(Error::Input {
            message: format!(
                "{} row {}: {} ({} rows rejected in all{note})",
                r.file,
                r.row,
                r.message,
                rejects.len()
            ),
            row: Some(r.row),
            column: r.column.clone(),
            path: None,
        })
    }
}

/// Runs `f`; a panic inside it becomes [`Error::Internal`] naming `place` (for entry points the
/// Python guard cannot wrap, such as `__new__`).
pub fn no_panic<T>(place: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let message = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "unknown panic".into());
        Err(Error::Internal { message, place })
    })
}

impl From<ChisoError> for Error {
    fn from(e: ChisoError) -> Self {
        Error::Core(e)
    }
}
impl From<IoError> for Error {
    fn from(e: IoError) -> Self {
        Error::Io(e)
    }
}
impl From<CalendarError> for Error {
    fn from(e: CalendarError) -> Self {
        Error::Calendar(e)
    }
}
impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error::Py(e)
    }
}
impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Self {
        Error::input(format!("arrow: {e}"))
    }
}

/// Instantiates `chiso.errors.<class>(message, **attrs)` as a Python exception.
fn raise(py: Python<'_>, class: &str, message: String, attrs: &[(&str, Py<PyAny>)]) -> PyErr {
    let make = || -> PyResult<PyErr> {
        let cls = py.import("chiso.errors")?.getattr(class)?;
        let kwargs = PyDict::new(py);
        for (k, v) in attrs {
            kwargs.set_item(*k, v)?;
        }
        let exc = cls.call((message.clone(),), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|e| e)
}

fn opt<T: for<'py> IntoPyObject<'py> + Clone>(py: Python<'_>, v: &Option<T>) -> Py<PyAny> {
    use pyo3::IntoPyObjectExt;
    match v {
        Some(x) => x.clone().into_py_any(py).unwrap_or_else(|_| py.None()),
        None => py.None(),
    }
}

fn s(py: Python<'_>, v: &str) -> Py<PyAny> {
    opt(py, &Some(v.to_string()))
}

fn core(py: Python<'_>, e: ChisoError) -> PyErr {
    let msg = e.to_string();
    match e {
        ChisoError::Period { input, .. } => {
            raise(py, "PeriodError", msg, &[("input", s(py, &input))])
        }
        ChisoError::Profile {
            source_name, key, ..
        } => raise(
            py,
            "ProfileError",
            msg,
            &[("source_name", s(py, &source_name)), ("key", s(py, &key))],
        ),
        ChisoError::UnitTree(_) => raise(py, "UnitError", msg, &[]),
        ChisoError::UnknownUnit(unit) => {
            raise(py, "UnknownUnitError", msg, &[("unit", s(py, &unit))])
        }
        ChisoError::Tally(e) => {
            let kind = match e {
                chiso::TallyError::NotATally => "not_a_tally",
                chiso::TallyError::Version { .. } => "version",
                chiso::TallyError::Truncated { .. } => "truncated",
                chiso::TallyError::Checksum { .. } => "checksum",
                chiso::TallyError::Malformed(_) => "malformed",
                chiso::TallyError::Mismatch { .. } => "mismatch",
            };
            raise(py, "TallyError", msg, &[("kind", s(py, kind))])
        }
        ChisoError::Value { field, .. } => {
            let (class, column) = match field.strip_prefix("option ") {
                Some(name) => ("OptionError", name.to_string()),
                None => ("InputError", field),
            };
            raise(py, class, msg, &[("column", s(py, &column))])
        }
    }
}

fn file_error(path: &std::path::Path, source: &std::io::Error) -> PyErr {
    let args = (
        source.raw_os_error().unwrap_or(0),
        source.to_string(),
        path.display().to_string(),
    );
    match source.kind() {
        ErrorKind::NotFound => PyFileNotFoundError::new_err(args),
        ErrorKind::PermissionDenied => PyPermissionError::new_err(args),
        ErrorKind::AlreadyExists => PyFileExistsError::new_err(args),
        ErrorKind::IsADirectory => PyIsADirectoryError::new_err(args),
        ErrorKind::NotADirectory => PyNotADirectoryError::new_err(args),
        _ => PyOSError::new_err(args),
    }
}

fn io(py: Python<'_>, e: IoError) -> PyErr {
    #[allow(unreachable_patterns)]
    match e {
        IoError::File { path, source } => file_error(&path, &source),
        IoError::Format { ref path, .. } => {
            let p = path.display().to_string();
            raise(py, "FormatError", e.to_string(), &[("path", s(py, &p))])
        }
        IoError::Core(c) => core(py, c),
        other => raise(py, "InputError", other.to_string(), &[]),
    }
}

fn calendar(py: Python<'_>, e: CalendarError) -> PyErr {
    let msg = e.to_string();
    let class = match e {
        CalendarError::OutOfRange { .. } => "CalendarRangeError",
        CalendarError::InvalidLunarDate { .. } => "LunarDateError",
        CalendarError::SwapTable { .. } => "SwapTableError",
        CalendarError::Internal(_) => "CalendarError",
    };
    raise(py, class, msg, &[])
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        Python::attach(|py| match e {
            Error::Internal { message, place } => raise(
                py,
                "InternalError",
                format!(
                    "internal error in chiso ({place}): {message}. This is a bug in chiso, not a \
                     problem with your data; please report it with the input that caused it at \
                     https://example.invalid/chiso/issues"
                ),
                &[],
            ),
            Error::Core(c) => core(py, c),
            Error::Io(i) => io(py, i),
            Error::Calendar(c) => calendar(py, c),
            Error::Input {
                message,
                row,
                column,
                path,
            } => raise(
                py,
                "InputError",
                message,
                &[
                    ("row", opt(py, &row)),
                    ("column", opt(py, &column)),
                    ("path", opt(py, &path)),
                ],
            ),
            Error::Py(p) => p,
        })
    }
}
