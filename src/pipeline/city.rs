//! File (or reader, or features in memory) → scored city: ingestion, the
//! context layers, the candidates and their scores.

use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::crs::CrsPair;
use crate::ingest::{read_geojson, read_path, IngestOptions, IngestReport, Ingested};
use crate::score::{Layers, ScoreSheet, Scorer, TargetUse};
use crate::stock::candidates::Candidates;
use crate::stock::context::{read_points_geojson_file, Context, ContextOptions};
use crate::stock::ParcelStock;

use super::{PlanInput, PointLayer, Progress, Source};

/// Why reading and scoring (or planning) a city failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The input (parcels or a point layer) could not be read.
    #[error(transparent)]
    Input(#[from] crate::Error),
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Scoring could not be done.
    #[error(transparent)]
    Score(#[from] crate::score::ScoreError),
    /// The plan could not be made (invalid or infeasible problem).
    #[error(transparent)]
    Plan(#[from] crate::plan::PlanError),
}

/// A city read, projected, indexed and scored: what `landstock score` writes
/// and `landstock plan` plans.
#[derive(Debug)]
pub struct ScoredCity {
    /// What happened to every input feature.
    pub report: IngestReport,
    /// The metric CRS the stock is in (e.g. `EPSG:32651`).
    pub working_crs: String,
    /// The accepted parcels.
    pub stock: ParcelStock,
    /// Population, centre, radius and point layers.
    pub context: Context,
    /// The candidates (no locks: `[plan.locks]` are applied by
    /// [`PlanConfig::problem`](crate::config::PlanConfig::problem)).
    pub candidates: Candidates,
    /// Their scores.
    pub sheet: ScoreSheet,
}

impl ScoredCity {
    /// The planner's input: candidates with their scores, touching pairs,
    /// construction land, cultural eligibility.
    pub fn plan_input(&self) -> PlanInput {
        PlanInput::new(&self.stock, &self.candidates, &self.sheet)
    }
}

type Callback = Arc<dyn Fn(Progress<'_>) + Send + Sync>;

/// Reads the parcels with `cfg` (`[input]`, `[mapping]`, `[scoring]`), adds
/// the point layers, and scores every candidate, telling `progress` each step.
pub(super) fn score(
    source: Source,
    cfg: &Config,
    transit: Option<&PointLayer>,
    facilities: Option<&PointLayer>,
    progress: Option<&Callback>,
) -> Result<ScoredCity, RunError> {
    let tell = |p: Progress<'_>| {
        if let Some(f) = progress {
            f(p)
        }
    };
    let mut opts = IngestOptions::from_config(cfg)?;
    if let Some(f) = progress {
        let f = f.clone();
        opts.progress = Some(Arc::new(move |p| f(Progress::Ingest(p))));
    }
    let (got, source_name) = read(source, &opts)?;
    let working_crs = got.report.working_crs.clone().ok_or_else(|| {
        crate::Error::from(crate::ErrorKind::NoParcels {
            source_name,
            features: got.report.total,
        })
    })?;
    tell(Progress::Read {
        parcels: got.stock.len(),
        rejected: got.report.rejected,
        working_crs: &working_crs,
    });
    let scoring = &cfg.scoring;
    let stock = got.stock;
    let centre = match scoring.centre_lonlat {
        Some([lon, lat]) => {
            let mut c = [geo::Coord { x: lon, y: lat }];
            CrsPair::new("EPSG:4326", working_crs.as_str())
                .transformer()?
                .transform(&mut c)
                .map_err(|e| {
                    ConfigError::invalid(
                        "scoring.centre_lonlat",
                        format!("cannot project the centre to {working_crs}: {e}"),
                        "give [lon, lat] in degrees",
                    )
                })?;
            Some(c[0])
        }
        None => None,
    };
    let mut cx = Context::new(
        &stock,
        &ContextOptions {
            residents_per_m2: scoring.residents_per_m2,
            centre,
        },
    );
    if let Some(layer) = transit {
        let pts = layer.points(&working_crs)?;
        tell(Progress::Transit {
            stops: pts.len(),
            source: &layer.name(),
        });
        cx = cx.with_transit(pts);
    }
    if let Some(layer) = facilities {
        let pts = layer.points(&working_crs)?;
        tell(Progress::Facilities {
            points: pts.len(),
            source: &layer.name(),
        });
        cx = cx.with_facilities(pts);
    }
    tell(Progress::Scoring);
    let candidates = Candidates::of(&stock);
    let sheet = {
        let layers = Layers::new(&stock, &cx);
        Scorer::new(scoring, &layers).score(&layers, candidates.indices())?
    };
    tell(Progress::Scored {
        candidates: sheet.rows().len(),
    });
    for u in TargetUse::ALL {
        for d in &sheet.use_sheet(u).dropped {
            tell(Progress::Dropped {
                use_: u,
                criterion: &d.name,
                reason: &d.reason,
            });
        }
    }
    Ok(ScoredCity {
        report: got.report,
        working_crs,
        stock,
        context: cx,
        candidates,
        sheet,
    })
}

/// Ingests a source; also returns its name for errors.
fn read(source: Source, opts: &IngestOptions) -> Result<(Ingested, String), crate::Error> {
    match source {
        Source::Path(path) => {
            let got = read_path(&path, opts)?;
            Ok((got, path.display().to_string()))
        }
        Source::Reader { reader, name } => {
            let got = read_geojson(reader, &name, opts)?;
            Ok((got, name))
        }
        Source::Features { collection, name } => {
            let got = read_geojson(collection.as_bytes(), &name, opts)?;
            Ok((got, name))
        }
    }
}

/// Projects lon/lat points to the working CRS.
fn project_lonlat(
    lonlat: &[[f64; 2]],
    working_crs: &str,
) -> Result<Vec<geo::Coord<f64>>, crate::Error> {
    let mut pts: Vec<geo::Coord<f64>> = lonlat.iter().map(|&[x, y]| geo::Coord { x, y }).collect();
    CrsPair::new("EPSG:4326", working_crs)
        .transformer()?
        .transform(&mut pts)
        .map_err(|what| {
            crate::Error::from(crate::ErrorKind::Crs {
                crs: working_crs.to_string(),
                what: format!("cannot project the points given in lon/lat: {what}"),
            })
        })?;
    Ok(pts)
}

impl PointLayer {
    /// The points in the working CRS.
    fn points(&self, working_crs: &str) -> Result<Vec<geo::Coord<f64>>, crate::Error> {
        match self {
            PointLayer::File(path) => read_points_geojson_file(path, working_crs),
            PointLayer::LonLat(pts) => project_lonlat(pts, working_crs),
        }
    }

    /// How progress names the layer: the path, or `memory`.
    fn name(&self) -> String {
        match self {
            PointLayer::File(path) => path.display().to_string(),
            PointLayer::LonLat(_) => "memory".to_string(),
        }
    }
}
