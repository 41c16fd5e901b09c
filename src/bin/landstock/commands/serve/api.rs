//! The handlers: each reads its request, calls the library (through
//! [`Studio`]) and answers JSON or a binary buffer.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use landstock::crs::CrsPair;
use landstock::output::map::{class_colour, use_colour};
use landstock::score::TargetUse;
use landstock::{LandUse, Use};

use super::error::ApiError;
use super::geometry;
use super::request::PlanRequest;
use super::state::{Solved, Studio};

type St = State<Arc<Studio>>;

/// Viewport requests return at most this many polygons.
pub(crate) const VIEWPORT_LIMIT: usize = 60_000;

fn binary(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
}

fn origin(s: &Studio) -> [f64; 2] {
    let b = s.buffers.bbox.get_or_init(|| geometry::bbox(&s.stock));
    [b[0], b[1]]
}

/// `GET /api/city`: counts, bounding boxes, CRS, classes, the settings.
pub(crate) async fn city(State(s): St) -> Result<Json<Value>, ApiError> {
    let b = *s.buffers.bbox.get_or_init(|| geometry::bbox(&s.stock));
    let mut corners = [
        geo::Coord { x: b[0], y: b[1] },
        geo::Coord { x: b[2], y: b[3] },
    ];
    CrsPair::new(s.working_crs.as_str(), "EPSG:4326")
        .transformer()?
        .transform(&mut corners)
        .map_err(ApiError::Internal)?;
    let mut classes = Vec::new();
    for (code, c) in LandUse::ALL.into_iter().enumerate() {
        let (n, area_m2) = s
            .stock
            .parcels()
            .iter()
            .filter(|p| p.land_use == c)
            .fold((0usize, 0.0f64), |(n, a), p| (n + 1, a + p.area_m2()));
        classes.push(
            json!({"class": c.as_str(), "code": code, "colour": class_colour(c),
            "parcels": n, "area_ha": area_m2 / 1e4}),
        );
    }
    let uses: Vec<Value> = Use::ALL
        .iter()
        .map(|&u| json!({"use": u.as_str(), "colour": use_colour(u)}))
        .collect();
    let input = &s.base().input;
    let candidates_ha: f64 = input.candidates.iter().map(|c| c.area_m2 / 1e4).sum();
    Ok(Json(json!({
        "city": s.city_name,
        "input": s.origin.file.display().to_string(),
        "features": s.report.total,
        "parcels": s.stock.len(),
        "rejected": s.report.rejected,
        "repaired": s.report.repaired,
        "candidates": input.candidates.len(),
        "candidates_ha": candidates_ha,
        "touching_pairs": input.pairs.len(),
        "construction_land_ha": input.construction_land_before_ha,
        "input_crs": s.report.input_crs,
        "working_crs": s.working_crs,
        "bbox": b,
        "bbox_lonlat": [corners[0].x, corners[0].y, corners[1].x, corners[1].y],
        "origin": [b[0], b[1]],
        "classes": classes,
        "uses": uses,
        "config": s.config,
        "exact_solver": cfg!(feature = "exact"),
        "viewport_limit": VIEWPORT_LIMIT,
    })))
}

#[derive(Deserialize)]
pub(crate) struct PlanQuery {
    /// `full` (every decision, the default), `uses` (one letter per
    /// candidate, for the page) or `none`.
    #[serde(default)]
    decisions: Option<String>,
}

/// `POST /api/plan`: solve the body's settings (400 names a bad member,
/// 422 gives the conflicts, 503 when every solver is busy).
pub(crate) async fn plan(
    State(s): St,
    Query(q): Query<PlanQuery>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let shape = q.decisions.as_deref().unwrap_or("full");
    if !matches!(shape, "full" | "uses" | "none") {
        return Err(ApiError::bad(
            "decisions",
            format!("decisions={shape:?}: expected full, uses or none"),
        ));
    }
    let req = PlanRequest::parse(&body, &s.config)?;
    let admitted = s
        .admitted
        .clone()
        .try_acquire_owned()
        .map_err(|_| ApiError::Busy)?;
    let slot = s
        .solving
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::Busy)?;
    let st = s.clone();
    // the permits go with the solve: a client that gives up does not free them early
    let solved = tokio::task::spawn_blocking(move || {
        let r = st.solve(&req);
        drop((slot, admitted));
        r
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the solve failed: {e}")))??;
    Ok(Json(plan_json(&solved, shape)))
}

/// One letter per use, as `uses` spells a plan.
pub(crate) fn use_letter(u: Use) -> char {
    match u {
        Use::Keep => 'k',
        Use::Green => 'g',
        Use::Ecological => 'e',
        Use::Cultural => 'c',
        Use::Redevelop => 'r',
    }
}

fn plan_json(p: &Solved, shape: &str) -> Value {
    let mut v = json!({
        "plan_id": p.id,
        "summary": p.summary,
    });
    match shape {
        "uses" => {
            v["uses"] = Value::String(p.plan.uses.iter().map(|&u| use_letter(u)).collect());
        }
        "full" => {
            v["decisions"] = p
                .rows
                .iter()
                .map(|d| {
                    json!({"id": d.id.as_str(), "from": d.from.as_str(), "use": d.use_.as_str(),
                    "area_m2": d.area_m2, "score": d.score, "benefit": d.benefit,
                    "scores": {"green": d.scores.green, "ecological": d.scores.ecological,
                        "cultural": d.scores.cultural},
                    "reasons": d.reasons})
                })
                .collect();
        }
        _ => {}
    }
    v
}

#[derive(Deserialize)]
pub(crate) struct PlanRef {
    plan: Option<u64>,
}

/// `GET /api/parcel/{id}?plan=N`: scores, breakdown, and (in plan N, else
/// the latest) its use and why.
pub(crate) async fn parcel(
    State(s): St,
    Path(id): Path<String>,
    Query(q): Query<PlanRef>,
) -> Result<Json<Value>, ApiError> {
    let i = s
        .index_of(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no parcel has the id {id:?}")))?;
    parcel_answer(s, i, q.plan).await
}

#[derive(Deserialize)]
pub(crate) struct LocateQuery {
    x: f64,
    y: f64,
    #[serde(default)]
    tol_m: f64,
    plan: Option<u64>,
}

/// `GET /api/locate?x=&y=&tol_m=&plan=`: the parcel at a point of the map
/// (metres from the origin of `/api/city`), answered as `/api/parcel`.
pub(crate) async fn locate(
    State(s): St,
    Query(q): Query<LocateQuery>,
) -> Result<Json<Value>, ApiError> {
    let o = origin(&s);
    let tol = if q.tol_m.is_finite() {
        q.tol_m.clamp(0.0, 10_000.0)
    } else {
        0.0
    };
    let i = geometry::locate(&s.stock, q.x + o[0], q.y + o[1], tol)
        .ok_or_else(|| ApiError::NotFound("no parcel there".into()))?;
    parcel_answer(s, i, q.plan).await
}

async fn parcel_answer(
    s: Arc<Studio>,
    i: usize,
    plan: Option<u64>,
) -> Result<Json<Value>, ApiError> {
    let solved = match plan {
        Some(id) => Some(
            s.plan(Some(id))
                .ok_or_else(|| ApiError::NotFound(format!("plan {id} is not kept any more")))?,
        ),
        None => s.plan(None),
    };
    // explaining a plan re-solves: off the async threads
    tokio::task::spawn_blocking(move || parcel_json(&s, i, solved.as_deref()))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
        .map(Json)
}

fn parcel_json(s: &Studio, i: usize, solved: Option<&Solved>) -> Value {
    let p = s.stock.get(i);
    let scoring = solved.map_or(s.base(), |x| &x.scoring);
    let k = scoring.input.stock_index.iter().position(|&x| x == i);
    let mut v = json!({
        "id": p.id.as_str(), "index": i, "class": p.land_use.as_str(),
        "status": p.status.as_str(), "area_m2": p.area_m2(), "candidate": k.is_some(),
        "heritage": p.facts.heritage, "contaminated": p.facts.contaminated,
    });
    let Some(k) = k else {
        v["reasons"] = json!("not a candidate: the data or the mapping does not offer it");
        return v;
    };
    let sheet = &scoring.sheet;
    let row = &sheet.rows()[k];
    let mut scores = serde_json::Map::new();
    for u in TargetUse::ALL {
        let entry = match (row.score(u), sheet.breakdown(row, u)) {
            (Some(score), Some(b)) => json!({"score": score, "breakdown": b.iter().map(|c| json!({
                "criterion": c.criterion, "raw": c.raw, "unit": c.unit, "value": c.value,
                "weight": c.weight})).collect::<Vec<_>>()}),
            _ => Value::Null,
        };
        scores.insert(u.as_str().to_string(), entry);
    }
    v["scores"] = Value::Object(scores);
    v["reasons"] = json!(sheet.reasons(row));
    if let Some(pl) = solved {
        let d = &pl.rows[k];
        let mut plan = json!({"plan_id": pl.id, "use": d.use_.as_str(), "benefit": d.benefit,
            "reasons": d.reasons, "lock": pl.config.plan.locks.get(p.id.as_str())});
        match pl.why() {
            Ok(why) => {
                let w = &why[k];
                let stops: Vec<String> = w.stopped_by.iter().map(|x| x.to_string()).collect();
                plan["best_use"] = json!(w.best_use.map(|u| u.as_str()));
                plan["best_score"] = json!(w.best_score);
                plan["best_benefit_eligible"] = json!(w.best_benefit_eligible);
                plan["why"] = json!(if d.use_.is_conversion() {
                    format!(
                        "chosen: {} (benefit {:.4} = score × ha)",
                        d.reasons, d.benefit
                    )
                } else if stops.is_empty() {
                    format!("kept: no conversion adds benefit; {}", d.reasons)
                } else {
                    format!("left out: {}", stops.join(", "))
                });
                plan["stopped_by"] = json!(stops);
            }
            Err(e) => plan["why"] = json!(format!("cannot explain: {e}")),
        }
        v["plan"] = plan;
    }
    v
}

#[derive(Deserialize)]
pub(crate) struct BoxQuery {
    /// `x0,y0,x1,y1`, metres from the origin.
    bbox: Option<String>,
}

/// `GET /api/geometry[?bbox=x0,y0,x1,y1]`: polygons of the whole city or
/// of one viewport (at most [`VIEWPORT_LIMIT`]; 400 beyond).
pub(crate) async fn geometry(
    State(s): St,
    Query(q): Query<BoxQuery>,
) -> Result<Response, ApiError> {
    let o = origin(&s);
    let Some(b) = q.bbox else {
        let st = s.clone();
        let bytes = tokio::task::spawn_blocking(move || {
            st.buffers
                .all
                .get_or_init(|| {
                    let all: Vec<usize> = (0..st.stock.len()).collect();
                    geometry::polygons(&st.stock, &all, o)
                })
                .clone()
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
        return Ok(binary(bytes));
    };
    let v: Vec<f64> = b.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    let &[x0, y0, x1, y1] = v.as_slice() else {
        return Err(ApiError::bad(
            "bbox",
            format!("bbox={b:?}: give x0,y0,x1,y1 in metres"),
        ));
    };
    let st = s.clone();
    tokio::task::spawn_blocking(move || {
        let idx = geometry::in_box(&st.stock, [x0 + o[0], y0 + o[1], x1 + o[0], y1 + o[1]], VIEWPORT_LIMIT)
            .ok_or_else(|| {
                ApiError::bad("bbox", format!("more than {VIEWPORT_LIMIT} parcels in the box: zoom in or use /api/geometry/points"))
            })?;
        Ok(binary(geometry::polygons(&st.stock, &idx, o)))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
}

/// `GET /api/geometry/points`: every parcel's centroid and class.
pub(crate) async fn points(State(s): St) -> Response {
    let o = origin(&s);
    binary(
        s.buffers
            .points
            .get_or_init(|| geometry::points(&s.stock, s.context.centroids(), o))
            .clone(),
    )
}

/// `GET /api/candidates`: the stock index of each candidate (`u32`).
pub(crate) async fn candidates(State(s): St) -> Response {
    binary(
        s.buffers
            .candidates
            .get_or_init(|| {
                s.base()
                    .input
                    .stock_index
                    .iter()
                    .flat_map(|&i| (i as u32).to_le_bytes())
                    .collect()
            })
            .clone(),
    )
}

/// `GET /api/export/{plan}/{kind}`: a kept plan as `geojson`, `csv`,
/// `summary`, `report` or `config` (the TOML `landstock plan` reproduces it with).
pub(crate) async fn export(
    State(s): St,
    Path((id, kind)): Path<(u64, String)>,
) -> Result<Response, ApiError> {
    let solved = s
        .plan(Some(id))
        .ok_or_else(|| ApiError::NotFound(format!("plan {id} is not kept any more")))?;
    let st = s.clone();
    let k = kind.clone();
    let (bytes, mime, ext) =
        tokio::task::spawn_blocking(move || super::export::file(&st, &solved, &k))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))??;
    let stem: String = s
        .city_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("attachment; filename=\"{stem}-plan-{id}.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}
