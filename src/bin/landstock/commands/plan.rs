//! `landstock plan`: score, plan, explain, and write the plan, the
//! decisions, the summary, the map and the report.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use landstock::output::map::{map_svg, report_map, MapOptions};
use landstock::output::plan::{add_stops_to_reasons, decisions, write_decisions_csv};
use landstock::output::report::write_report_html_with;
use landstock::output::summary::{
    ExplanationsSummary, LandBalance, PhaseRow, ScenarioSummary, Summary, SummaryParts,
};
use landstock::output::Lang;
use landstock::plan::{explain, PhaseSpec};

use super::plan_out::{city_of, PlanOut};
use super::PointLayers;
use crate::files::{is_std, shown, AtomicFile};
use crate::progress::{say, score_city};
use crate::Failure;

/// Output files of `plan`.
pub(crate) struct Outputs<'a> {
    pub(crate) out: &'a Path,
    pub(crate) summary: Option<&'a Path>,
    pub(crate) csv: Option<&'a Path>,
    pub(crate) balance_csv: Option<&'a Path>,
    pub(crate) csv_bom: bool,
    pub(crate) all: bool,
    pub(crate) map: Option<&'a Path>,
    pub(crate) report: Option<&'a Path>,
    pub(crate) phases: Option<Vec<f64>>,
    pub(crate) explain: bool,
    pub(crate) scenarios: Option<Vec<f64>>,
    pub(crate) lang: Lang,
    pub(crate) beyond: &'a super::beyond::BeyondArgs,
}

/// The UTF-8 byte-order mark `--csv-bom` starts a CSV file with: Excel
/// reads a CSV without one in the system's code page (GBK on Chinese
/// Windows), which garbles every non-ASCII name.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// PNG maps are rendered this wide, px.
#[cfg(feature = "png")]
const MAP_PNG_WIDTH_PX: u32 = 1600;

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
    let mut balance_file = outputs.balance_csv.map(AtomicFile::create).transpose()?;
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
    let input_name = if is_std(file) {
        "standard input".to_string()
    } else {
        file.display().to_string()
    };
    let no_plan = |e: landstock::plan::PlanError| {
        anyhow::Error::from(e).context(format!("no plan for {input_name}"))
    };
    let solve_start = Instant::now();
    let (plan, phased, specs) = match &outputs.phases {
        None => (problem.solve().map_err(no_plan)?, None, None),
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
            (phased.plan.clone(), Some(phased), Some(specs))
        }
    };
    let solve_seconds = solve_start.elapsed().as_secs_f64();
    say(format!(
        "planned ({}, {}): {} of {} candidates converted, objective {:.4}, gap {:.4} % in {:.2} s",
        plan.method.as_str(),
        plan.status.as_str(),
        plan.uses.iter().filter(|u| u.is_conversion()).count(),
        plan.uses.len(),
        plan.objective,
        100.0 * plan.gap,
        solve_seconds
    ));
    let mut rows = decisions(&input.candidates, &s.sheet, &plan)?;
    landstock::output::plan::add_remediation_to_reasons(&mut rows, &problem);
    if outputs.beyond.alternatives.is_some() && phased.is_some() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "--alternatives works on the plain plan: drop --phases"
        )));
    }
    let t = Instant::now();
    let alternatives =
        super::beyond::find_alternatives(outputs.beyond, &problem, &plan).map_err(no_plan)?;
    if let Some(a) = &alternatives {
        for (i, d) in rows.iter_mut().enumerate() {
            d.selected_in = Some((a.selected_in(i), a.selected_as(i)));
        }
        say(format!(
            "{} alternative plans found in {:.2} s{}",
            a.plans.len(),
            t.elapsed().as_secs_f64(),
            a.stopped
                .as_ref()
                .map_or(String::new(), |w| format!(" ({w})"))
        ));
    }
    if outputs.beyond.irreplaceable.is_some() && phased.is_some() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "--irreplaceable works on the plain plan: drop --phases"
        )));
    }
    let t = Instant::now();
    let irreplaceable =
        super::beyond::find_irreplaceability(outputs.beyond, &problem, &plan).map_err(no_plan)?;
    if let Some(irr) = &irreplaceable {
        for v in &irr.parcels {
            let change = match v.resolve {
                landstock::plan::ReSolve::Infeasible => Some(f64::NEG_INFINITY),
                _ => v.delta,
            };
            rows[v.index].lock_change = change.map(|c| (c, v.is_irreplaceable()));
        }
        say(format!(
            "irreplaceability of {} parcels in {:.2} s: {} the plan cannot do without",
            irr.parcels.len(),
            t.elapsed().as_secs_f64(),
            irr.parcels.iter().filter(|v| v.is_irreplaceable()).count()
        ));
    }
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
    // other formats than GeoJSON default to the input's CRS; GCJ-02 input
    // was corrected to EPSG:4326, which is what is written back
    let gcj02 = cfg
        .input
        .crs
        .as_deref()
        .is_some_and(landstock::crs::gcj02::is_gcj02);
    let input_crs = if gcj02 {
        "EPSG:4326"
    } else {
        &s.report.input_crs
    };
    let out = out.write(&s, &rows, outputs.all, cfg.output.crs.as_deref(), input_crs)?;
    let bom = |f: &mut AtomicFile| -> Result<(), Failure> {
        if outputs.csv_bom {
            f.write_all(UTF8_BOM)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", shown(f.dest())))?;
        }
        Ok(())
    };
    if let Some(f) = csv_file.as_mut() {
        bom(f)?;
        let dest = shown(f.dest());
        write_decisions_csv(&mut *f, &dest, &rows)?;
    }
    let balance =
        LandBalance::of_plan(&s.stock, &input.stock_index, &plan, cfg.input.area.as_str());
    if let Some(f) = balance_file.as_mut() {
        bom(f)?;
        balance
            .write_csv(&mut *f)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", shown(f.dest())))?;
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
            solve_seconds,
            before: &before,
            after: &after,
            decisions: &rows,
            top_decisions: 20,
        });
        v.explanations = explanation
            .as_ref()
            .map(|e| ExplanationsSummary::new(e, 20));
        v.balance = Some(balance.clone());
        v.alternatives = alternatives
            .as_ref()
            .map(|a| landstock::output::summary::AlternativesSummary::new(&problem, a));
        v.irreplaceability = irreplaceable
            .as_ref()
            .map(landstock::output::summary::IrreplaceabilitySummary::new);
        let t = Instant::now();
        v.robustness =
            super::beyond::robustness(&problem, &plan, phased.as_ref(), specs.as_deref())
                .map_err(no_plan)?;
        if let Some(r) = &v.robustness {
            say(format!(
                "plain plan solved in {:.2} s: robustness to {:.0} % less auction revenue costs {:.4} ({:.2} %)",
                t.elapsed().as_secs_f64(),
                100.0 * r.revenue_shortfall,
                r.price,
                100.0 * r.price_share
            ));
        }
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
        let dest = shown(f.dest());
        v.write_json(&mut *f)
            .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
    }
    if map_file.is_some() || report_file.is_some() {
        let mut after: Vec<Option<landstock::plan::Use>> = vec![None; s.stock.len()];
        for d in &rows {
            after[d.index] = Some(d.use_);
        }
        let opts = MapOptions {
            city: city.clone(),
            cap_ha: Some(problem.cap_ha()),
            lang: outputs.lang,
            ..MapOptions::default()
        };
        let svg = map_svg(&s.stock, &after, &opts);
        if let Some(f) = map_file.as_mut() {
            let dest = shown(f.dest());
            let is_png = f
                .dest()
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("png"));
            if is_png {
                write_png(f, &svg)?;
            } else {
                f.write_all(svg.as_bytes())
                    .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
            }
        }
        if let (Some(f), Some(v)) = (report_file.as_mut(), &summary) {
            let dest = shown(f.dest());
            // a raster map above 50,000 parcels (the --map file stays as asked)
            let frequency = alternatives.as_ref().map(|a| {
                let mut n: Vec<Option<usize>> = vec![None; s.stock.len()];
                for (i, d) in rows.iter().enumerate() {
                    n[d.index] = Some(a.selected_in(i));
                }
                landstock::output::map::frequency_svg(
                    &s.stock,
                    &n,
                    a.plans.len(),
                    &MapOptions {
                        city: city.clone(),
                        lang: outputs.lang,
                        ..MapOptions::default()
                    },
                )
            });
            let map = report_map(&s.stock, svg, &opts);
            write_report_html_with(&mut *f, v, &map, frequency.as_deref(), outputs.lang)
                .map_err(|e| anyhow::anyhow!("cannot write {dest}: {e}"))?;
        }
    }
    out.commit()?;
    say(format!("wrote {}", shown(outputs.out)));
    for (f, p) in [
        (csv_file, outputs.csv),
        (balance_file, outputs.balance_csv),
        (summary_file, outputs.summary),
        (map_file, outputs.map),
        (report_file, outputs.report),
    ] {
        if let (Some(f), Some(p)) = (f, p) {
            f.commit()?;
            say(format!("wrote {}", shown(p)));
        }
    }
    // freeing a million parcels one by one takes ~0.3 s; the process is
    // about to exit, which frees them at once
    std::mem::forget(s);
    Ok(())
}

/// The map rendered to PNG (resvg; system fonts, a CJK one for `--lang zh`).
#[cfg(feature = "png")]
fn write_png(f: &mut AtomicFile, svg: &str) -> Result<(), Failure> {
    let png = landstock::output::map::render_png(svg, MAP_PNG_WIDTH_PX)
        .map_err(|e| anyhow::anyhow!("cannot render {}: {e}", shown(f.dest())))?;
    f.write_all(&png)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", shown(f.dest())))?;
    Ok(())
}

/// Without the `png` feature `--map x.png` is refused when parsed.
#[cfg(not(feature = "png"))]
fn write_png(f: &mut AtomicFile, _svg: &str) -> Result<(), Failure> {
    Err(Failure::Usage(anyhow::anyhow!(
        "{}: this landstock was built without the `png` feature",
        shown(f.dest())
    )))
}

/// HiGHS runs in this binary's own `milp-worker`, which the planner ends at
/// the time limit; in this process when the binary's path is unknown.
pub(crate) fn highs_worker() -> landstock::plan::HighsRunner {
    match std::env::current_exe() {
        Ok(exe) => landstock::plan::HighsRunner::worker(exe),
        Err(_) => landstock::plan::HighsRunner::InProcess,
    }
}
