//! Errors of reading and writing: always name the file and say why.

use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum IoError {
    /// The file could not be opened or read at all.
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file was read but its content is not what was expected.
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    /// A rule, period or model error from the core.
    #[error(transparent)]
    Core(#[from] chiso::ChisoError),
}

impl IoError {
    pub fn file(path: &Path, source: std::io::Error) -> Self {
        IoError::File {
            path: path.to_path_buf(),
            source,
        }
    }
    pub fn format(path: &Path, message: impl Into<String>) -> Self {
        IoError::Format {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = IoError> = std::result::Result<T, E>;

/// Reads a whole file as text, with the path in the error.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| IoError::file(path, e))
}
