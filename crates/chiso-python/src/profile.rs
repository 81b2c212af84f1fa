//! `chiso.Profile`: a rule profile seen from Python.

use crate::pyjson;
use chiso::Profile;
use pyo3::prelude::*;

/// A rule profile (the built-in `portal-2026` or one loaded from TOML).
#[pyclass(frozen, module = "chiso._chiso", name = "Profile")]
pub struct PyProfile {
    pub(crate) inner: Profile,
}

#[pymethods]
impl PyProfile {
    #[getter]
    fn name(&self) -> String {
        self.inner.profile.name.clone()
    }
    #[getter]
    fn version(&self) -> String {
        self.inner.profile.version.clone()
    }
    /// The whole profile as plain Python data (groups, indicators, options, limits, …).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(&self.inner)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        pyjson::to_py(py, &v, None)
    }
    /// The default options of the profile.
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(self.inner.options)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        pyjson::to_py(py, &v, None)
    }
    fn __repr__(&self) -> String {
        format!(
            "chiso.Profile({}@{}, {} indicators)",
            self.inner.profile.name,
            self.inner.profile.version,
            self.inner.indicators.len()
        )
    }
}
