//! A kept plan as the files `landstock plan` writes, and its settings as a
//! config that `landstock plan` reproduces it with.

use landstock::output::map::{map_svg, report_map, MapOptions};
use landstock::output::plan::{write_decisions_csv, write_plan_geojson};
use landstock::output::report::write_report_html;

use super::error::ApiError;
use super::state::{Solved, Studio};

type File = (Vec<u8>, &'static str, &'static str);

fn io(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(e.to_string())
}

/// The bytes, MIME type and file extension of one export.
pub(crate) fn file(s: &Studio, p: &Solved, kind: &str) -> Result<File, ApiError> {
    let mut out = Vec::new();
    match kind {
        "geojson" => {
            write_plan_geojson(
                &mut out,
                "plan.geojson",
                &s.stock,
                &p.rows,
                false,
                &s.working_crs,
            )?;
            Ok((out, "application/geo+json", "geojson"))
        }
        "csv" => {
            write_decisions_csv(&mut out, "decisions.csv", &p.rows)?;
            Ok((out, "text/csv; charset=utf-8", "csv"))
        }
        "summary" => {
            p.summary.write_json(&mut out).map_err(io)?;
            Ok((out, "application/json", "json"))
        }
        "report" => {
            write_report_html(&mut out, &p.summary, &plan_map(s, p)).map_err(io)?;
            Ok((out, "text/html; charset=utf-8", "html"))
        }
        "config" => Ok((config_toml(s, p)?.into_bytes(), "application/toml", "toml")),
        other => Err(ApiError::NotFound(format!(
            "no export {other:?}: expected geojson, csv, summary, report or config"
        ))),
    }
}

/// The map of the report: before and after, as `landstock plan --report` draws it.
fn plan_map(s: &Studio, p: &Solved) -> String {
    let mut after: Vec<Option<landstock::Use>> = vec![None; s.stock.len()];
    for d in &p.rows {
        after[d.index] = Some(d.use_);
    }
    let opts = MapOptions {
        city: s.city_name.clone(),
        cap_ha: Some(p.problem.cap_ha()),
        ..MapOptions::default()
    };
    report_map(&s.stock, map_svg(&s.stock, &after, &opts), &opts)
}

/// The effective configuration as TOML, with the command that reproduces the plan.
pub(crate) fn config_toml(s: &Studio, p: &Solved) -> Result<String, ApiError> {
    let body = toml::to_string(&p.config).map_err(io)?;
    let quote = |x: &std::path::Path| {
        let t = x.display().to_string();
        if t.contains([' ', '"', '\'']) {
            format!("{t:?}")
        } else {
            t
        }
    };
    let mut cmd = format!(
        "landstock plan {} --config THIS_FILE.toml",
        quote(&s.origin.file)
    );
    if let Some(t) = &s.origin.transit {
        cmd.push_str(&format!(" --transit {}", quote(t)));
    }
    if let Some(f) = &s.origin.facilities {
        cmd.push_str(&format!(" --facilities {}", quote(f)));
    }
    cmd.push_str(" --out plan.geojson --summary summary.json");
    Ok(format!(
        "# Exported by the landstock studio: plan {} of {} (objective {}).\n\
         # Reproduce it with:\n#   {cmd}\n\n{body}",
        p.id, s.city_name, p.plan.objective
    ))
}
