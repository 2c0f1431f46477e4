//! Inputs the rules' unit tests share: a catalogue, a history and jurisdictions from
//! inline rows, and a finding's figures by name.

use crate::io::catalogue::Catalogue;
use crate::io::history::History;
use crate::io::jurisdictions::Jurisdictions;

use super::Finding;

const HEADER: &str = "id,indicator,jurisdiction,name_zh,name_en,unit,kind,comparator,base_year,base_value,target_value,deadline,document,quote,denominator,uncertain,note,parent\n";

/// An unreadable figure and a doubling that conflicts with its level: findings of
/// several kinds and severities.
pub(crate) const MIXED: &str = "u,labs,Hubei,湖北实验室,Hubei labs,count,level,>=,,,,2025,003,建?0个,,true,lost,\n\
     d,tc,Hubei,技术合同,turnover,亿元,increase,>=,2020,1686.97,100,2025,003,q,,,,\n\
     l,tc,Hubei,技术合同,turnover,亿元,level,>=,,,3000,2025,003,q,,,,\n";

/// A catalogue of `rows` (the columns of [`HEADER`]).
pub(crate) fn catalogue(rows: &str) -> Catalogue {
    Catalogue::from_reader(format!("{HEADER}{rows}").as_bytes(), "test.csv")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A history of `rows` (`indicator,jurisdiction,year,value,unit,bound`).
pub(crate) fn history(rows: &str) -> History {
    History::from_reader(
        format!("indicator,jurisdiction,year,value,unit,bound\n{rows}").as_bytes(),
        "h.csv",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The jurisdictions of `data/jurisdictions.csv`: Hubei within China, its cities within
/// Hubei.
pub(crate) fn hubei() -> Jurisdictions {
    Jurisdictions::from_reader(
        "jurisdiction,parent,name_zh,name_en\n\
         China,,中国,China\n\
         Hubei,China,湖北省,Hubei\n\
         Wuhan,Hubei,武汉市,Wuhan\n\
         Ezhou,Hubei,鄂州市,Ezhou\n\
         Huangshi,Hubei,黄石市,Huangshi\n"
            .as_bytes(),
        "j.csv",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The value of the first figure whose name starts with `prefix`.
pub(crate) fn figure(f: &Finding, prefix: &str) -> f64 {
    f.figures
        .iter()
        .find(|g| g.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no figure {prefix} in {f:?}"))
        .value
}

/// Equal to 1e-9 relative (absolute below 1).
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}
