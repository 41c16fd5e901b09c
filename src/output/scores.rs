//! The scores alone as GeoJSON (SPEC §7, `landstock score`): every scored
//! candidate as a Feature in EPSG:4326 (exterior rings counter-clockwise,
//! RFC 7946), `id` = the parcel id, its original properties untouched (the
//! raw JSON text is spliced in, not re-serialised) plus:
//!
//! | property | meaning |
//! |---|---|
//! | `landstock_from` | canonical class |
//! | `landstock_area_m2` | area in the working CRS |
//! | `landstock_score_green`, `_ecological`, `_cultural` | score in [0, 1], `null` where ineligible |
//! | `landstock_breakdown` | per use: a list of `{criterion, raw, unit, value, weight}` (`raw` null when +infinity), `null` where ineligible |
//! | `landstock_reasons` | a short text naming the strongest criteria |
//!
//! The collection carries a foreign member `landstock_scoring` with the
//! criteria used per use (renormalised weights, transfers), those dropped
//! and why, the centre and the city radius.

use std::fmt::Write as _;
use std::io::Write;

use geo::Coord;
use serde_json::{json, Value};

use super::geojson::{num, write_collection};

use crate::crs::CrsPair;
use crate::error::Error;
use crate::parcel::Parcel;
use crate::score::{CandidateScore, ScoreSheet, TargetUse};
use crate::stock::context::{CentreSource, Context};
use crate::stock::ParcelStock;

/// The `landstock_*` members of one candidate, as JSON text without braces,
/// in a fixed, readable order.
fn landstock_members(sheet: &ScoreSheet, p: &Parcel, area_m2: f64, row: &CandidateScore) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#""landstock_from":"{}","landstock_area_m2":{}"#,
        p.land_use.as_str(),
        num(area_m2)
    );
    for u in TargetUse::ALL {
        let _ = write!(
            s,
            r#","landstock_score_{}":{}"#,
            u.as_str(),
            row.score(u).map_or(Value::Null, num)
        );
    }
    s.push_str(r#","landstock_breakdown":{"#);
    for (k, u) in TargetUse::ALL.into_iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        let _ = write!(s, r#""{}":"#, u.as_str());
        match sheet.breakdown(row, u) {
            None => s.push_str("null"),
            Some(lines) => {
                s.push('[');
                for (j, c) in lines.iter().enumerate() {
                    if j > 0 {
                        s.push(',');
                    }
                    let _ = write!(
                        s,
                        r#"{{"criterion":{},"raw":{},"unit":{},"value":{},"weight":{}}}"#,
                        json!(c.criterion),
                        c.raw.map_or(Value::Null, num),
                        json!(c.unit),
                        num(c.value),
                        num(c.weight)
                    );
                }
                s.push(']');
            }
        }
    }
    let _ = write!(s, r#"}},"landstock_reasons":{}"#, json!(sheet.reasons(row)));
    s
}

/// The collection-level `landstock_scoring` member.
fn scoring_member(
    sheet: &ScoreSheet,
    context: &Context,
    centre_lonlat: Option<Coord<f64>>,
    working_crs: &str,
) -> Value {
    let mut uses = serde_json::Map::new();
    for u in TargetUse::ALL {
        let s = sheet.use_sheet(u);
        uses.insert(
            u.as_str().into(),
            json!({
                "criteria": s.criteria.iter().map(|c| json!({
                    "criterion": c.name, "unit": c.unit, "weight": num(c.weight),
                    "transfer": c.transfer.to_string(),
                })).collect::<Vec<_>>(),
                "dropped": s.dropped.iter().map(|d| json!({"criterion": d.name, "reason": d.reason})).collect::<Vec<_>>(),
            }),
        );
    }
    json!({
        "working_crs": working_crs,
        "centre_lonlat": centre_lonlat.map(|c| json!([c.x, c.y])),
        "centre_source": match context.centre_source() {
            CentreSource::Configured => "configured",
            CentreSource::Population => "population-weighted residential centroids",
            CentreSource::Area => "area-weighted centroid of all parcels",
        },
        "city_radius_m": num(context.city_radius_m()),
        "candidates": sheet.rows().len(),
        "uses": uses,
    })
}

/// Writes the scored candidates as a GeoJSON FeatureCollection in
/// EPSG:4326. `working_crs` is the stock's metric CRS (the ingest report's
/// `working_crs`); `dest_name` names the destination in errors. Features are
/// formatted in parallel (one PROJ transformer per batch and thread) and
/// written in row order, so the bytes do not depend on the thread count.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::context::{Context, ContextOptions};
/// use landstock::score::{Layers, Scorer, ScoringConfig};
/// // a 100 m vacant square on UTM 51N's central meridian
/// let sq = MultiPolygon(vec![polygon![(x: 500_000., y: 5_160_000.), (x: 500_100., y: 5_160_000.),
///     (x: 500_100., y: 5_160_100.), (x: 500_000., y: 5_160_100.)]]);
/// let mut lot = Parcel::new("lot-1", sq, LandUse::Vacant, Status::Active);
/// lot.properties = Some(serde_json::value::RawValue::from_string(r#"{"name":"Lot 1"}"#.into()).unwrap());
/// let stock = ParcelStock::new(vec![lot]);
/// let cx = Context::new(&stock, &ContextOptions::default());
/// let layers = Layers::new(&stock, &cx);
/// let sheet = Scorer::new(&ScoringConfig::default(), &layers).score(&layers, &[0]).unwrap();
/// let mut out = Vec::new();
/// landstock::output::scores::write_scores_geojson(&mut out, "mem", &stock, &cx, &sheet, "EPSG:32651").unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// let f = &v["features"][0];
/// assert_eq!(f["id"], "lot-1");
/// assert_eq!(f["properties"]["name"], "Lot 1");
/// assert_eq!(f["properties"]["landstock_from"], "vacant");
/// assert!(f["properties"]["landstock_score_cultural"].is_null());
/// let lon = f["geometry"]["coordinates"][0][0][0].as_f64().unwrap();
/// assert!((lon - 123.0).abs() < 1e-9, "back to lon/lat");
/// ```
pub fn write_scores_geojson<W: Write>(
    out: W,
    dest_name: &str,
    stock: &ParcelStock,
    context: &Context,
    sheet: &ScoreSheet,
    working_crs: &str,
) -> Result<(), Error> {
    let pair = CrsPair::new(working_crs, "EPSG:4326");
    let centre_lonlat = {
        let mut c = [context.centre()];
        pair.transformer()?.transform(&mut c).ok().map(|_| c[0])
    };
    let head = format!(
        r#""landstock_scoring":{}"#,
        scoring_member(sheet, context, centre_lonlat, working_crs)
    );
    let rows = sheet.rows();
    let index: Vec<usize> = rows.iter().map(|r| r.index).collect();
    write_collection(
        out,
        dest_name,
        &head,
        stock,
        &index,
        (working_crs, "EPSG:4326"),
        |k| {
            let p = stock.get(rows[k].index);
            landstock_members(sheet, p, p.area_m2(), &rows[k])
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::geojson::properties_json;

    #[test]
    fn empty_and_null_original_properties_splice_cleanly() {
        let mut s = String::new();
        properties_json(&mut s, None, r#""a":1"#);
        assert_eq!(s, r#"{"a":1}"#);
        let raw = serde_json::value::RawValue::from_string("{ }".into()).unwrap();
        let mut s = String::new();
        properties_json(&mut s, Some(&raw), r#""a":1"#);
        assert_eq!(s, r#"{"a":1}"#);
        let raw = serde_json::value::RawValue::from_string(r#"{"k": [1, 2.50]}"#.into()).unwrap();
        let mut s = String::new();
        properties_json(&mut s, Some(&raw), r#""a":1"#);
        assert_eq!(
            s, r#"{"k": [1, 2.50],"a":1}"#,
            "original text kept byte for byte"
        );
    }
}
