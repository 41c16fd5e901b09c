//! What the command line tells on stderr while it works: a spinner with the
//! features read (on terminals only) and one line per step, timed here —
//! the library reports the steps ([`Progress`]) and keeps no clock.

use std::path::Path;
use std::time::Instant;

use landstock::pipeline::{Pipeline, Progress, ScoredCity};

use crate::commands::PointLayers;
use crate::Failure;

/// Prints a line on stderr unless `--quiet`.
pub(crate) fn say(quiet: bool) -> impl Fn(String) {
    move |msg: String| {
        if !quiet {
            eprintln!("{msg}");
        }
    }
}

/// Reads, projects, indexes and scores a parcel file.
pub(crate) fn score_city(
    file: &Path,
    cfg: &landstock::Config,
    layers: &PointLayers<'_>,
    quiet: bool,
) -> Result<ScoredCity, Failure> {
    // a spinner with the features read so far, on terminals only (indicatif
    // hides it when stderr is not one); the step lines stay, unless --quiet
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .expect("valid template"),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    };
    let b = bar.clone();
    // the step lines, timed here: from the start to the end of reading, and
    // from the start of scoring to its end
    let clock = std::sync::Mutex::new(Instant::now());
    let elapsed = move |restart: bool| {
        let mut t = clock.lock().unwrap_or_else(|e| e.into_inner());
        let s = t.elapsed().as_secs_f64();
        if restart {
            *t = Instant::now();
        }
        s
    };
    let line = move |m: String| {
        if !quiet {
            b.suspend(|| eprintln!("{m}"));
            b.set_message("scoring");
        }
    };
    let b = bar.clone();
    let progress = move |p: Progress<'_>| match p {
        Progress::Ingest(landstock::ingest::IngestProgress::Read(n)) => {
            b.set_message(format!("reading: {n} features"))
        }
        Progress::Ingest(landstock::ingest::IngestProgress::Stage(s)) => {
            b.set_message(format!("ingest: {s}"))
        }
        Progress::Read {
            parcels,
            rejected,
            working_crs,
        } => line(format!(
            "read {parcels} parcels ({rejected} rejected) in {:.1} s; working CRS {working_crs}",
            elapsed(false)
        )),
        Progress::Transit { stops, source } => line(format!("{stops} transit stops from {source}")),
        Progress::Facilities { points, source } => {
            line(format!("{points} facilities from {source}"))
        }
        Progress::Scoring => {
            elapsed(true);
        }
        Progress::Scored { candidates } => line(format!(
            "scored {candidates} candidates in {:.2} s",
            elapsed(false)
        )),
        Progress::Dropped {
            use_,
            criterion,
            reason,
        } => line(format!("{use_}: criterion {criterion} dropped ({reason})")),
        _ => {}
    };
    let source = if crate::files::is_std(file) {
        Pipeline::from_reader(std::io::stdin(), "stdin")
    } else {
        Pipeline::from_path(file)
    };
    let mut pipeline = source.config(cfg.clone()).on_progress(progress);
    if let Some(p) = layers.transit {
        pipeline = pipeline.transit_file(p);
    }
    if let Some(p) = layers.facilities {
        pipeline = pipeline.facilities_file(p);
    }
    let out = pipeline.score();
    bar.finish_and_clear();
    let out = out?;
    warn_unmapped(&out, cfg);
    Ok(out)
}

/// Says so when most parcels mapped to no class (a config that does not
/// fit the data), naming the fields seen and the preset they suggest. A
/// warning, printed even with `--quiet`: the run goes on.
pub(crate) fn warn_unmapped(s: &ScoredCity, cfg: &landstock::Config) {
    let Ok(mapping) = landstock::TagMapping::from_config(&cfg.mapping) else {
        return;
    };
    if let Some(hint) = landstock::ingest::MappingHint::of(&s.stock, &s.report, &mapping) {
        eprintln!("warning: {hint}");
    }
}
