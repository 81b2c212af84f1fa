//! The user guide's "Columns" section (docs/reading-data.md, moved there from the README) is
//! generated from `chiso_io::read::columns`, so it cannot drift from what the readers accept: this
//! test fails when the two disagree. Regenerate the section with
//! `UPDATE_README=1 cargo test -p chiso-io --test readme_columns`.

use chiso_io::read::columns::RecordKind;
use std::path::Path;

const HEADING: &str = "## Columns\n";

/// The section body: one table per record kind, every field with its aliases and meaning.
fn generated() -> String {
    let mut out = String::from(HEADING);
    out.push_str(concat!(
        "\nGenerated from `chiso_io::read::columns` (a test keeps the two in step). A header matches\n",
        "after lower-casing, removing Vietnamese diacritics and dropping all but letters and\n",
        "digits; a mapping file (`--columns`) adds more. Read codes (`procedure_code`,\n",
        "`unit_code`) as text: a spreadsheet or pandas that turns `1.010` into the number 1.01\n",
        "loses the code, and chiso warns about a numeric code column.\n",
    ));
    for kind in RecordKind::ALL {
        let title = match kind {
            RecordKind::Dossier => "Dossier",
            RecordKind::Procedure => "Procedure",
            RecordKind::Unit => "Unit",
            RecordKind::Petition => "Petition",
        };
        out.push_str(&format!(
            "\n**{title}** (`*` = required column)\n\n| column | also recognised as | content |\n|---|---|---|\n"
        ));
        for f in kind.fields() {
            let star = if f.required { " *" } else { "" };
            out.push_str(&format!(
                "| `{}`{star} | {} | {} |\n",
                f.name,
                f.aliases.join(", ").replace('|', "\\|"),
                f.doc.replace('|', "\\|")
            ));
        }
    }
    out.push('\n');
    out
}

#[test]
fn readme_columns_section_is_generated_from_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reading-data.md");
    let readme = std::fs::read_to_string(&path).expect("docs/reading-data.md");
    let start = readme
        .find(HEADING)
        .expect("docs/reading-data.md has a ## Columns section");
    let end = readme[start + HEADING.len()..]
        .find("\n## ")
        .map_or(readme.len(), |i| start + HEADING.len() + i + 1);
    let want = generated();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], want, &readme[end..]);
        std::fs::write(&path, updated).expect("write docs/reading-data.md");
        return;
    }
    assert_eq!(
        &readme[start..end],
        want,
        "docs/reading-data.md's Columns section differs from chiso_io::columns (run with UPDATE_README=1)"
    );
    for kind in RecordKind::ALL {
        for f in kind.fields() {
            assert!(!f.doc.is_empty(), "{} {} has no doc", kind.name(), f.name);
        }
    }
}
