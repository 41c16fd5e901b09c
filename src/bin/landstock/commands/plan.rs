//! `landstock plan`: score, plan, explain, and write the plan, the
//! decisions, the summary, the map and the report.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use landstock::output::map::{map_svg, MapOptions};
use landstock::output::plan::{add_stops_to_reasons, decisions, write_decisions_csv};
use landstock::output::report::write_report_html;
use landstock::output::summary::{
    plan_of_phases, ExplanationsSummary, PhaseRow, ScenarioSummary, Summary, SummaryParts,
};
use landstock::plan::{explain, PhaseSpec};

use super::PointLayers;
use crate::files::AtomicFile;
use crate::progress::{say, score_city};
use crate::Failure;

/// Output files of `plan`.
pub(crate) struct Outputs<'a> {
    pub(crate) out: &'a Path,
    pub(crate) summary: Option<&'a Path>,
    pub(crate) csv: Option<&'a Path>,
    pub(crate) all: bool,
    pub(crate) map: Option<&'a Path>,
    pub(crate) report: Option<&'a Path>,
    pub(crate) phases: Option<Vec<f64>>,
    pub(crate) explain: bool,
    pub(crate) scenarios: Option<Vec<f64>>,
}

pub(crate) fn run(
    file: &Path,
    cfg: landstock::Config,
    layers: &PointLayers<'_>,
    outputs: &Outputs<'_>,
    quiet: bool,
) -> Result<(), Failure> {
    let say = say(quiet);
    cfg.plan.validate()?;
    // fail on an unwritable destination before any work is done
    let out = PlanOut::create(outputs.out)?;
    let mut summary_file = outputs.summary.map(AtomicFile::create).transpose()?;
    let mut csv_file = outputs.csv.map(AtomicFile::create).transpose()?;
    let mut map_file = outputs.map.map(AtomicFile::create).transpose()?;
    let mut report_file = outputs.report.map(AtomicFile::create).transpose()?;

    let s = score_city(file, &cfg, layers, quiet)?;
    let t = Instant::now();
    let input = s.plan_input();
    say(format!(
        "{} touching candidate pairs found in {:.2} s",
        input.pairs.len(),
        t.elapsed().as_secs_f64()
    ));
    let problem = cfg
        .plan
        .problem(&input, None)?
        .highs_runner(highs_worker())
        .build()?;
    let no_plan = |e: landstock::plan::PlanError| {
        anyhow::Error::from(e).context(format!("no plan for {}", file.display()))
    };
    let (plan, phased) = match &outputs.phases {
        None => (problem.solve().map_err(no_plan)?, None),
        Some(caps) => {
            let budgets = &cfg.plan.phase_budgets;
            if !budgets.is_empty() && budgets.len() != caps.len() {
                return Err(Failure::Usage(anyhow::anyhow!(
                    "--phases gives {} phases but [plan] phase_budgets has {} entries",
                    caps.len(),
                    budgets.len()
                )));
            }
            let specs: Vec<PhaseSpec> = caps
                .iter()
                .enumerate()
                .map(|(k, &c)| match budgets.get(k) {
                    Some(&b) => PhaseSpec::new(c).with_budget(b),
                    None => PhaseSpec::new(c),
                })
                .collect();
            let phased = problem.solve_phased(&specs).map_err(no_plan)?;
            (plan_of_phases(&phased), Some(phased))
        }
    };
    say(format!(
        "planned ({}, {}): {} of {} candidates converted, objective {:.4}, gap {:.4} % in {:.2} s",
        plan.method.as_str(),
        plan.status.as_str(),
        plan.uses.iter().filter(|u| u.is_conversion()).count(),
        plan.uses.len(),
        plan.objective,
        100.0 * plan.gap,
        plan.seconds
    ));
    let mut rows = decisions(&input.candidates, &s.sheet, &plan)?;
    let explanation = if outputs.explain && phased.is_none() {
        let t = Instant::now();
        let e = explain(&problem, &plan)?;
        add_stops_to_reasons(&mut rows, &e);
        say(format!("explained in {:.2} s", t.elapsed().as_secs_f64()));
        Some(e)
    } else {
        None
    };
    let (before, after) = landstock::indicators::of_plan(
        &s.stock,
        s.context.population(),
        &input.stock_index,
        &plan,
        problem.cap_ha(),
    );
    let out = out.write(&s, &rows, outputs.all, cfg.output.crs.as_deref())?;
    if let Some(f) = csv_file.as_mut() {
        let dest = f.dest().display().to_string();
        write_decisions_csv(&mut *f, &dest, &rows)?;
    }
    let city = city_of(file);
    let needs_summary = summary_file.is_some() || report_file.is_some();
    let summary = if needs_summary {
        let mut v = Summary::new(&SummaryParts {
            city: &city,
            input_path: &file.display().to_string(),
            ingest: &s.report,
            config: &cfg,
            problem: &problem,
            plan: &plan,
            before: &before,
            after: &after,
            decisions: &rows,
            top_decisions: 20,
        });
        v.explanations = explanation
            .as_ref()
            .map(|e| ExplanationsSummary::new(e, 20));
        v.phases = phased
            .as_ref()
            .map(|ph| PhaseRow::rows(ph, |i| input.candidates[i].id.as_str()));
        if let Some(caps) = &outputs.scenarios {
            let t = Instant::now();
            v.scenarios = Some(ScenarioSummary::rows(
                &landstock::plan::scenarios(&problem, caps),
                &s.stock,
                s.context.population(),
                &input.stock_index,
            ));
            say(format!(
                "{} scenarios solved in {:.2} s",
                caps.len(),
                t.elapsed().as_secs_f64()
            ));
        }
        Some(v)
    } else {
        None
    };
    if let (Some(f), Some(v)) = (summary_file.as_mut(), &summary) {
        let dest = f.dest().display().to_string();
        v.write_json(&mut *f)
            .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
    }
    if map_file.is_some() || report_file.is_some() {
        let mut after: Vec<Option<landstock::plan::Use>> = vec![None; s.stock.len()];
        for d in &rows {
            after[d.index] = Some(d.use_);
        }
        let svg = map_svg(
            &s.stock,
            &after,
            &MapOptions {
                city: city.clone(),
                cap_ha: Some(problem.cap_ha()),
                ..MapOptions::default()
            },
        );
        if let Some(f) = map_file.as_mut() {
            let dest = f.dest().display().to_string();
            f.write_all(svg.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
        }
        if let (Some(f), Some(v)) = (report_file.as_mut(), &summary) {
            let dest = f.dest().display().to_string();
            write_report_html(&mut *f, v, &svg)
                .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
        }
    }
    out.commit()?;
    say(format!("wrote {}", outputs.out.display()));
    for (f, p) in [
        (csv_file, outputs.csv),
        (summary_file, outputs.summary),
        (map_file, outputs.map),
        (report_file, outputs.report),
    ] {
        if let (Some(f), Some(p)) = (f, p) {
            f.commit()?;
            say(format!("wrote {}", p.display()));
        }
    }
    // freeing a million parcels one by one takes ~0.3 s; the process is
    // about to exit, which frees them at once
    std::mem::forget(s);
    Ok(())
}

/// The city's name: the file's stem, or a PostGIS source's table or dbname.
fn city_of(file: &Path) -> String {
    let text = file.to_string_lossy();
    if let Some(conn) = text.strip_prefix("PG:") {
        let get = |key: &str| {
            conn.split_whitespace()
                .find_map(|kv| kv.strip_prefix(key))
                .map(|v| v.trim_matches('\'').to_string())
        };
        return get("tables=")
            .or_else(|| get("dbname="))
            .unwrap_or_else(|| "postgis".into());
    }
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where the plan goes: GeoJSON written by landstock, or (with GDAL) a
/// GeoPackage, FlatGeobuf or Shapefile converted from it, put in place at
/// the end like every other output.
enum PlanOut {
    GeoJson(AtomicFile),
    #[cfg(feature = "gdal")]
    Gdal {
        dir: tempfile::TempDir,
        dest: std::path::PathBuf,
        format: landstock::output::vector::VectorFormat,
    },
}

/// A plan written, waiting to be put in place.
enum PlanDone {
    GeoJson(AtomicFile),
    #[cfg(feature = "gdal")]
    Gdal {
        // kept until the files are renamed out of it
        _dir: tempfile::TempDir,
        staged: Vec<std::path::PathBuf>,
        dest: std::path::PathBuf,
        format: landstock::output::vector::VectorFormat,
    },
}

impl PlanOut {
    fn create(dest: &Path) -> Result<PlanOut, Failure> {
        #[cfg(feature = "gdal")]
        {
            use landstock::output::vector::VectorFormat;
            match VectorFormat::from_path(dest) {
                Some(VectorFormat::GeoJson) => {}
                Some(format) => {
                    let parent = match dest.parent() {
                        Some(p) if !p.as_os_str().is_empty() => p,
                        _ => Path::new("."),
                    };
                    let dir = tempfile::Builder::new()
                        .prefix(".landstock-plan.")
                        .tempdir_in(parent)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", dest.display()))?;
                    return Ok(PlanOut::Gdal {
                        dir,
                        dest: dest.to_path_buf(),
                        format,
                    });
                }
                None => {
                    return Err(Failure::Usage(anyhow::anyhow!(
                        "--out {}: write the plan as .geojson, .gpkg, .fgb or .shp",
                        dest.display()
                    )))
                }
            }
        }
        Ok(PlanOut::GeoJson(AtomicFile::create(dest)?))
    }

    fn write(
        self,
        s: &landstock::ScoredCity,
        rows: &[landstock::output::plan::Decision],
        all: bool,
        out_crs: Option<&str>,
    ) -> Result<PlanDone, Failure> {
        use landstock::crs::InputCrs;
        use landstock::output::plan::write_plan_geojson_in;
        match self {
            PlanOut::GeoJson(mut f) => {
                let crs = out_crs.map_or_else(
                    || "EPSG:4326".to_string(),
                    |c| InputCrs::from_name(c).proj_name().to_string(),
                );
                let dest = f.dest().display().to_string();
                write_plan_geojson_in(&mut f, &dest, &s.stock, rows, all, &s.working_crs, &crs)?;
                Ok(PlanDone::GeoJson(f))
            }
            #[cfg(feature = "gdal")]
            PlanOut::Gdal { dir, dest, format } => {
                use landstock::output::vector::{convert_geojson, dataset_files};
                let tmp_json = dir.path().join("plan.geojson");
                let file = std::fs::File::create(&tmp_json)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp_json.display()))?;
                let mut w = std::io::BufWriter::new(file);
                write_plan_geojson_in(
                    &mut w,
                    &dest.display().to_string(),
                    &s.stock,
                    rows,
                    all,
                    &s.working_crs,
                    "EPSG:4326",
                )?;
                w.flush()
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp_json.display()))?;
                drop(w);
                // default: the input's own CRS
                let crs = out_crs.unwrap_or(&s.report.input_crs);
                let crs = InputCrs::from_name(crs).proj_name().to_string();
                let name = dest
                    .file_name()
                    .map(|n| n.to_os_string())
                    .unwrap_or_default();
                let staged_main = dir.path().join(name);
                // one layer, named after the file (as a Shapefile's must be)
                let layer = dest
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "plan".into());
                convert_geojson(&tmp_json, &staged_main, format, &crs, &layer)?;
                let staged = dataset_files(&staged_main, format)
                    .into_iter()
                    .filter(|p| p.exists())
                    .collect();
                Ok(PlanDone::Gdal {
                    _dir: dir,
                    staged,
                    dest,
                    format,
                })
            }
        }
    }
}

impl PlanDone {
    fn commit(self) -> Result<(), Failure> {
        match self {
            PlanDone::GeoJson(f) => Ok(f.commit()?),
            #[cfg(feature = "gdal")]
            PlanDone::Gdal {
                _dir,
                staged,
                dest,
                format,
            } => {
                // a Shapefile's old sidecars must not outlive the new .shp
                for old in landstock::output::vector::dataset_files(&dest, format) {
                    if old.exists() {
                        std::fs::remove_file(&old).map_err(|e| {
                            anyhow::anyhow!("cannot replace {}: {e}", old.display())
                        })?;
                    }
                }
                for p in staged {
                    let to = dest.with_extension(p.extension().unwrap_or_default());
                    std::fs::rename(&p, &to)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", to.display()))?;
                }
                Ok(())
            }
        }
    }
}

/// HiGHS runs in this binary's own `milp-worker`, which the planner ends at
/// the time limit; in this process when the binary's path is unknown.
fn highs_worker() -> landstock::plan::HighsRunner {
    match std::env::current_exe() {
        Ok(exe) => landstock::plan::HighsRunner::worker(exe),
        Err(_) => landstock::plan::HighsRunner::InProcess,
    }
}
