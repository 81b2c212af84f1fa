//! `chiso.Profile`: a rule profile seen from Python.

use crate::pyjson;
use chiso::Profile;
use pyo3::prelude::*;

/// A rule profile (the built-in `portal-2026` or one loaded from TOML).
///
/// >>> import chiso
/// >>> chiso.load_profile("portal-2026")
/// chiso.Profile(portal-2026@2026.09.1, 24 indicators)
#[pyclass(frozen, module = "chiso._chiso", name = "Profile")]
pub struct PyProfile {
    pub(crate) inner: Profile,
}

#[pymethods]
impl PyProfile {
    /// The profile's name.
    ///
    /// >>> import chiso
    /// >>> chiso.load_profile("portal-2026").name
    /// 'portal-2026'
    #[getter]
    fn name(&self) -> String {
        self.inner.profile.name.clone()
    }
    /// The profile's version.
    ///
    /// >>> import chiso
    /// >>> chiso.load_profile("portal-2026").version
    /// '2026.09.1'
    #[getter]
    fn version(&self) -> String {
        self.inner.profile.version.clone()
    }
    /// The whole profile as plain Python data (groups, indicators, options, limits, …).
    ///
    /// >>> import chiso
    /// >>> d = chiso.load_profile("portal-2026").to_dict()
    /// >>> len(d["indicators"]), sorted(d)[:3]
    /// (24, ['groups', 'indicators', 'limits'])
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(&self.inner)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        pyjson::to_py(py, &v, None)
    }
    /// The default options of the profile.
    ///
    /// >>> import chiso
    /// >>> chiso.load_profile("portal-2026").options()["due_comparison"]
    /// 'timestamp'
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
