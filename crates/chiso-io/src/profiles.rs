//! Loading a rule profile by built-in name or from a TOML file.

use crate::error::{read_text, Result};
use chiso::Profile;
use std::path::Path;

/// A built-in profile name, or a path to a TOML profile file.
pub fn load_profile(name_or_path: &str) -> Result<Profile> {
    if chiso::profile::builtin_names().contains(&name_or_path) {
        return Ok(Profile::builtin(name_or_path)?);
    }
    let path = Path::new(name_or_path);
    if name_or_path.ends_with(".toml") || path.exists() {
        let text = read_text(path)?;
        return Ok(Profile::from_toml_str(&text, &path.display().to_string())?);
    }
    Ok(Profile::builtin(name_or_path)?)
}
