//! `landstock score`: every candidate with its scores and breakdown.

use std::path::Path;

use landstock::output::scores::write_scores_geojson;

use super::PointLayers;
use crate::files::{shown, AtomicFile};
use crate::progress::{say, score_city};
use crate::Failure;

pub(crate) fn run(
    file: &Path,
    cfg: landstock::Config,
    layers: &PointLayers<'_>,
    out: &Path,
    quiet: bool,
) -> Result<(), Failure> {
    // fail on an unwritable destination before any work is done
    let mut dest = AtomicFile::create(out)?;
    let s = score_city(file, &cfg, layers, quiet)?;
    write_scores_geojson(
        &mut dest,
        &shown(out),
        &s.stock,
        &s.context,
        &s.sheet,
        &s.working_crs,
    )?;
    dest.commit()?;
    say(quiet)(format!("wrote {}", shown(out)));
    Ok(())
}
