//! The column names the Python API recognises: chiso's built-in map, built once.

use chiso_io::read::columns::ColumnMap;
use std::sync::OnceLock;

/// The built-in column names (canonical, portal sync, Vietnamese headers).
pub fn column_map() -> &'static ColumnMap {
    static MAP: OnceLock<ColumnMap> = OnceLock::new();
    MAP.get_or_init(ColumnMap::new)
}
