//! What became of every goal of a run, one line per status, for the end of a run; and
//! the observer that is told nothing.

use std::collections::BTreeMap;

use crate::assess::{Assessment, Event, Observer};

/// An observer that ignores every event: a run nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {
    fn observe(&self, _event: Event) {}
}

/// One line per status of the goals of `a`: how many, which ones and, for goals not
/// simulated, why. Simulated goals come first, then the statuses in alphabetical order.
///
/// ```text
/// simulated 5: rd_growth, gdp_2028, …
/// needs_baseline 2 (no base value: neither the document nor the history gives …): x, y
/// ```
pub fn status_lines(a: &Assessment) -> String {
    let mut simulated = Vec::new();
    let mut others: BTreeMap<&str, (String, Vec<&str>)> = BTreeMap::new();
    for t in &a.targets {
        let id = t.target.id.as_str();
        match &t.result {
            Ok(_) => simulated.push(id),
            Err(why) => others
                .entry(why.as_str())
                .or_insert_with(|| (why.to_string(), Vec::new()))
                .1
                .push(id),
        }
    }
    let mut s = format!("simulated {}: {}\n", simulated.len(), simulated.join(", "));
    for (status, (reason, ids)) in others {
        s += &format!("{status} {} ({reason}): {}\n", ids.len(), ids.join(", "));
    }
    s
}
