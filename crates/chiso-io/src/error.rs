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
    /// A file whose content is not what was expected. The message is made one line: a
    /// decoder's error can quote bytes of the corrupt file (found by the xlsx_bytes campaign:
    /// calamine named a sheet path holding a newline), so control characters are escaped.
    pub fn format(path: &Path, message: impl Into<String>) -> Self {
        IoError::Format {
            path: path.to_path_buf(),
            message: one_line(message.into()),
        }
    }
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`), so it prints as one line.
fn one_line(text: String) -> String {
    if !text.chars().any(char::is_control) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// chiso-io's result type.
pub type Result<T, E = IoError> = std::result::Result<T, E>;

/// Reads a whole file as text, with the path in the error.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| IoError::file(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_error_is_one_line() {
        let e = IoError::format(Path::new("a.xlsx"), "sheet: xl/ks0\nsheets/sheet1.xml\t!");
        assert_eq!(
            e.to_string(),
            "a.xlsx: sheet: xl/ks0\\nsheets/sheet1.xml\\t!"
        );
    }
}
