//! Reading which jurisdiction lies within which (`data/jurisdictions.csv`).
//!
//! Columns `jurisdiction, parent, name_zh, name_en`, one row per jurisdiction; `parent`
//! is the id of the jurisdiction it lies within (a city's province), empty for the top.
//! Every parent must have a row of its own, an id is listed once, and no chain of
//! parents comes back to where it started. An empty [`Jurisdictions`] (the `Default`)
//! is no hierarchy at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::csv_table::{CsvTable, Row};

/// One row: a jurisdiction, the one it lies within, and its names.
#[derive(Debug, Clone, PartialEq)]
pub struct Jurisdiction {
    /// The id the catalogue and history use (`Ezhou`).
    pub id: String,
    /// The id of the jurisdiction it lies within (`Hubei`), none for the top.
    pub parent: Option<String>,
    /// Chinese name (`鄂州市`).
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Line in the file.
    pub line: u64,
}

/// A checked jurisdictions file: a forest of jurisdictions, each within its parent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Jurisdictions {
    /// The file (empty for no hierarchy).
    pub path: PathBuf,
    rows: Vec<Jurisdiction>,
    index: BTreeMap<String, usize>,
}

impl Jurisdictions {
    /// Reads and checks a jurisdictions file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        Self::from_reader(file, path)
    }

    /// Reads and checks jurisdictions from any reader; `name` stands for the file in
    /// errors.
    pub fn from_reader(reader: impl std::io::Read, name: impl AsRef<Path>) -> Result<Self> {
        let path = name.as_ref();
        let table = CsvTable::read(
            reader,
            path,
            &["jurisdiction", "parent", "name_zh", "name_en"],
            &[],
        )?;
        let mut found = Jurisdictions {
            path: path.to_path_buf(),
            ..Jurisdictions::default()
        };
        for row in table.rows() {
            let j = parse_row(&row)?;
            if let Some(first) = found.get(&j.id) {
                let reason = format!("listed twice (first at line {})", first.line);
                return Err(row.error("jurisdiction", &j.id, reason));
            }
            found.index.insert(j.id.clone(), found.rows.len());
            found.rows.push(j);
        }
        for row in table.rows() {
            found.check_parent(&row)?;
        }
        Ok(found)
    }

    /// Refuses a row whose parent has no row or whose chain of parents is a circle.
    fn check_parent(&self, row: &Row<'_>) -> Result<()> {
        let id = row.raw("jurisdiction");
        let Some(parent) = self.parent(id) else {
            return Ok(());
        };
        if self.get(parent).is_none() {
            return Err(row.error(
                "parent",
                parent,
                "not a jurisdiction of this file; add a row for it",
            ));
        }
        let mut chain = vec![id];
        let mut next = Some(parent);
        while let Some(p) = next {
            chain.push(p);
            if p == id {
                return Err(row.error(
                    "parent",
                    parent,
                    format!(
                        "the chain of parents comes back ({}): a jurisdiction cannot lie within itself",
                        chain.join(" → ")
                    ),
                ));
            }
            next = self.parent(p).filter(|_| chain.len() <= self.rows.len());
        }
        Ok(())
    }

    /// The row of `id`.
    pub fn get(&self, id: &str) -> Option<&Jurisdiction> {
        self.index.get(id).map(|&i| &self.rows[i])
    }

    /// Every row, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Jurisdiction> {
        self.rows.iter()
    }

    /// Whether there is no hierarchy at all.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The jurisdiction `id` lies within, if any.
    pub fn parent(&self, id: &str) -> Option<&str> {
        self.get(id)?.parent.as_deref()
    }

    /// Every jurisdiction `id` lies within, its parent first and the top last; none for
    /// an id without a row.
    pub fn ancestors(&self, id: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut next = self.parent(id);
        // The reader refuses circles; the bound only guards the loop.
        while let Some(p) = next.filter(|_| out.len() < self.rows.len()) {
            out.push(p);
            next = self.parent(p);
        }
        out
    }

    /// How many jurisdictions `id` lies within (0 for the top and for an id without a
    /// row).
    pub fn depth(&self, id: &str) -> usize {
        self.ancestors(id).len()
    }
}

fn parse_row(row: &Row<'_>) -> Result<Jurisdiction> {
    let id = row.text("jurisdiction")?;
    let parent = match row.raw("parent") {
        "" => None,
        p if p == id => {
            return Err(row.error("parent", p, "a jurisdiction cannot lie within itself"));
        }
        p => Some(p.to_string()),
    };
    Ok(Jurisdiction {
        id,
        parent,
        name_zh: row.text("name_zh")?,
        name_en: row.text("name_en")?,
        line: row.line(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "jurisdiction,parent,name_zh,name_en\n";

    fn read(rows: &str) -> Result<Jurisdictions> {
        Jurisdictions::from_reader(format!("{HEADER}{rows}").as_bytes(), "j.csv")
    }

    fn error(rows: &str) -> String {
        read(rows).expect_err("refused").to_string()
    }

    #[test]
    fn parents_chain_up_to_the_top() {
        let j = read(
            "China,,中国,China\n\
             Hubei,China,湖北省,Hubei\n\
             Huangshi,Hubei,黄石市,Huangshi\n\
             Yangxin,Huangshi,阳新县,Yangxin\n",
        )
        .unwrap();
        assert_eq!(j.parent("Yangxin"), Some("Huangshi"));
        assert_eq!(j.ancestors("Yangxin"), ["Huangshi", "Hubei", "China"]);
        assert_eq!(
            (j.depth("China"), j.depth("Hubei"), j.depth("Yangxin")),
            (0, 1, 3)
        );
        assert_eq!(j.depth("Nowhere"), 0);
        assert!(j.ancestors("Nowhere").is_empty());
        assert_eq!(
            j.get("Hubei").map(|h| (h.name_zh.as_str(), h.line)),
            Some(("湖北省", 3))
        );
        assert_eq!(j.iter().count(), 4);
        assert!(Jurisdictions::default().is_empty());
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        assert_eq!(
            error("Hubei,,湖北省,Hubei\nHubei,,湖北,Hubei\n"),
            "j.csv: line 3, column `jurisdiction`: listed twice (first at line 2) (value: \"Hubei\")"
        );
        assert_eq!(
            error("Hubei,China,湖北省,Hubei\n"),
            "j.csv: line 2, column `parent`: not a jurisdiction of this file; add a row for it (value: \"China\")"
        );
        assert_eq!(
            error("Hubei,Hubei,湖北省,Hubei\n"),
            "j.csv: line 2, column `parent`: a jurisdiction cannot lie within itself (value: \"Hubei\")"
        );
        assert_eq!(
            error("A,B,甲,A\nB,A,乙,B\n"),
            "j.csv: line 2, column `parent`: the chain of parents comes back (A → B → A): a jurisdiction cannot lie within itself (value: \"B\")"
        );
        assert_eq!(
            error(",,湖北省,Hubei\n"),
            "j.csv: line 2, column `jurisdiction`: empty cell; a value is required (value: \"\")"
        );
        assert_eq!(
            error("Hubei,,,Hubei\n"),
            "j.csv: line 2, column `name_zh`: empty cell; a value is required (value: \"\")"
        );
        let missing =
            Jurisdictions::from_reader("jurisdiction,name_zh,name_en\n".as_bytes(), "j.csv")
                .expect_err("refused")
                .to_string();
        assert!(missing.contains("[\"parent\"]"), "{missing}");
    }
}
