//! Errors of reading and writing: always name the file and say why.

use std::path::{Path, PathBuf};
use thiserror::Error;

/// Anything reading or writing can refuse.
#[derive(Debug, Error)]
pub enum IoError {
    /// The file could not be opened or read at all.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but its content is not what was expected.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A rule, period or model error from the core.
    #[error(transparent)]
    Core(#[from] chiso::ChisoError),
}

impl IoError {
    /// A file that could not be opened or read.
    pub fn file(path: &Path, source: std::io::Error) -> Self {
        IoError::File {
            path: path.to_path_buf(),
            source,
        }
    }
    /// A file whose content is not what was expected.
    pub fn format(path: &Path, message: impl Into<String>) -> Self {
        IoError::Format {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// chiso-io's result type.
pub type Result<T, E = IoError> = std::result::Result<T, E>;

/// Reads a whole file as text, with the path in the error.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| IoError::file(path, e))
}
