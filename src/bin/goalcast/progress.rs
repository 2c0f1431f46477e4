//! Progress bars on a terminal: an observer of the run, one bar per phase (simulation,
//! analysis, charts) with its ETA. The library only tells events; drawing is here.

use std::sync::Mutex;

use goalcast::assess::{Event, Observer};
use indicatif::{ProgressBar, ProgressStyle};

/// One bar at a time, replaced when the phase changes.
#[derive(Default)]
pub struct Bars {
    current: Mutex<Option<(&'static str, ProgressBar)>>,
}

impl Bars {
    fn show(&self, phase: &'static str, done: usize, total: usize) {
        let Ok(mut current) = self.current.lock() else {
            return;
        };
        if current.as_ref().is_none_or(|(p, _)| *p != phase) {
            if let Some((_, bar)) = current.take() {
                bar.finish();
            }
            let bar = ProgressBar::new(total as u64).with_prefix(phase);
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix:>10} [{bar:40}] {pos}/{len} · {elapsed} elapsed · ETA {eta}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            *current = Some((phase, bar));
        }
        if let Some((_, bar)) = current.as_ref() {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }

    /// Ends the last bar, leaving it on screen.
    pub fn finish(&self) {
        if let Ok(mut current) = self.current.lock()
            && let Some((_, bar)) = current.take()
        {
            bar.finish();
        }
    }
}

impl Observer for Bars {
    fn observe(&self, event: Event) {
        match event {
            Event::Planned { groups, .. } => self.show("simulation", 0, groups),
            Event::Simulated { done, total } => self.show("simulation", done, total),
            Event::Analysed { done, total } => self.show("analysis", done, total),
            Event::Drawn { done, total } => self.show("charts", done, total),
            _ => {}
        }
    }
}
