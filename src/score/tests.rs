//! Each criterion on a tiny hand-built layout; the expected raw and
//! transferred values are worked out by hand in the comments.

use geo::{coord, polygon, Coord, MultiPolygon};

use super::*;
use crate::parcel::{LandUse, Parcel, Status};
use crate::stock::context::{Context, ContextOptions};
use crate::stock::ParcelStock;

/// An axis-aligned rectangle parcel [x0, x0 + w] × [y0, y0 + h].
fn rect(id: &str, x0: f64, y0: f64, w: f64, h: f64, u: LandUse) -> Parcel {
    Parcel::new(
        id,
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x0 + w, y: y0), (x: x0 + w, y: y0 + h), (x: x0, y: y0 + h)
        ]]),
        u,
        Status::Active,
    )
}

fn with_pop(mut p: Parcel, n: f64) -> Parcel {
    p.facts.population = Some(n);
    p
}

fn derelict(mut p: Parcel) -> Parcel {
    p.status = Status::Derelict;
    p
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Scores parcel `i` with the default configuration; returns the sheet.
fn score_one(stock: &ParcelStock, cx: &Context, i: usize) -> ScoreSheet {
    let layers = Layers::new(stock, cx);
    Scorer::new(&ScoringConfig::default(), &layers)
        .score(&layers, &[i])
        .unwrap()
}

/// (raw, value, weight) of a named criterion.
fn get(sheet: &ScoreSheet, use_: TargetUse, name: &str) -> (Option<f64>, f64, f64) {
    let row = &sheet.rows()[0];
    let bd = sheet.breakdown(row, use_).unwrap();
    let c = bd
        .iter()
        .find(|c| c.criterion == name)
        .unwrap_or_else(|| panic!("{name} not in {use_} breakdown"));
    (c.raw, c.value, c.weight)
}

/// The green layout. C is the 100 m candidate square at the origin.
///
/// ```text
///   R3 (0..100, 300..400)       200 m above C, no population fact: 1 ha × 0.02 = 200
/// R5   C   R1     R4          G
/// -600 0  200    600        1000
/// ```
/// * R1 (200..300): 100 m from C, 3000 residents, 700 m from G → unserved.
/// * R3: 200 m from C; from G: hypot(900, 200) = 922 m → unserved, 200 residents.
/// * R4 (600..700): exactly 500 m from C (inclusive), 300 m from G → served.
/// * R5 (-600..-500): exactly 500 m from C, 1500 m from G → unserved, 100 residents.
/// * R2 (-700..-600): 600 m from C → too far, 1000 residents ignored.
/// * G (1000..1100): the only park, 900 m from C.
fn green_layout() -> ParcelStock {
    ParcelStock::new(vec![
        rect("C", 0., 0., 100., 100., LandUse::Vacant),
        with_pop(
            rect("R1", 200., 0., 100., 100., LandUse::Residential),
            3000.,
        ),
        with_pop(
            rect("R2", -700., 0., 100., 100., LandUse::Residential),
            1000.,
        ),
        rect("R3", 0., 300., 100., 100., LandUse::Residential),
        with_pop(
            rect("R4", 600., 0., 100., 100., LandUse::Residential),
            5000.,
        ),
        with_pop(
            rect("R5", -600., 0., 100., 100., LandUse::Residential),
            100.,
        ),
        rect("G", 1000., 0., 100., 100., LandUse::Green),
    ])
}

#[test]
fn green_criteria_on_the_hand_built_layout() {
    let stock = green_layout();
    let cx = Context::new(&stock, &ContextOptions::default());
    let sheet = score_one(&stock, &cx, 0);
    let g = TargetUse::Green;
    // unserved demand: R1 3000 + R3 200 + R5 100 = 3300 → ramp(0, 5000) = 0.66
    assert_eq!(
        get(&sheet, g, "unserved demand"),
        (Some(3300.0), 0.66, 0.40)
    );
    // green deficit: 900 m → ramp(300, 1000) = 600 / 700
    let (raw, v, w) = get(&sheet, g, "green deficit");
    assert_eq!(raw, Some(900.0));
    assert!(close(v, 6.0 / 7.0) && close(w, 0.20));
    // size fit: 1 ha → ramp(0.04, 1) = 1
    assert_eq!(get(&sheet, g, "size fit"), (Some(1.0), 1.0, 0.15));
    // compactness: square, 4π·10000/400² = π/4 = 0.785 → ramp(0.1, 0.6) = 1
    let (raw, v, _) = get(&sheet, g, "compactness");
    assert!(close(raw.unwrap(), std::f64::consts::FRAC_PI_4) && v == 1.0);
    // clean site: not contaminated → 1
    assert_eq!(get(&sheet, g, "clean site"), (Some(1.0), 1.0, 0.15));
    // score: 0.4·0.66 + 0.2·6/7 + 0.15 + 0.1 + 0.15 = 0.264 + 0.171428… + 0.4
    let s = sheet.rows()[0].score(g).unwrap();
    assert!(close(s, 0.664 + 0.2 * 6.0 / 7.0), "{s}");
}

#[test]
fn compactness_counts_holes_and_clean_site_sees_contamination() {
    // 100 m square with a 20 m hole: A = 9600, P = 400 + 80 = 480,
    // 4π·9600/480² = π/6 = 0.5236 → ramp(0.1, 0.6) = (π/6 − 0.1)/0.5 = 0.8472
    let holed = polygon!(
        exterior: [(x: 0., y: 0.), (x: 100., y: 0.), (x: 100., y: 100.), (x: 0., y: 100.)],
        interiors: [[(x: 40., y: 40.), (x: 60., y: 40.), (x: 60., y: 60.), (x: 40., y: 60.)]],
    );
    let mut c = Parcel::new(
        "C",
        MultiPolygon(vec![holed]),
        LandUse::Vacant,
        Status::Active,
    );
    c.facts.contaminated = true;
    // a 10 × 250 m strip: A = 2500 m² = 0.25 ha, P = 520,
    // 4π·2500/520² = 0.11619 → ramp(0.1, 0.6) = 0.03237; size ramp(0.25, 0.04, 1) = 0.21/0.96
    let strip = rect("S", 5000., 0., 10., 250., LandUse::Vacant);
    let stock = ParcelStock::new(vec![c, strip]);
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let sheet = Scorer::new(&ScoringConfig::default(), &layers)
        .score(&layers, &[0, 1])
        .unwrap();
    let bd = sheet.breakdown(&sheet.rows()[0], TargetUse::Green).unwrap();
    let pp = std::f64::consts::PI / 6.0;
    assert!(close(bd[3].raw.unwrap(), pp));
    assert!(close(bd[3].value, (pp - 0.1) / 0.5));
    assert_eq!((bd[4].raw, bd[4].value), (Some(0.0), 0.0), "contaminated");
    let bd = sheet.breakdown(&sheet.rows()[1], TargetUse::Green).unwrap();
    let pp = 4.0 * std::f64::consts::PI * 2500.0 / (520.0 * 520.0);
    assert!(close(bd[3].raw.unwrap(), pp) && close(bd[3].value, (pp - 0.1) / 0.5));
    assert!(close(bd[2].raw.unwrap(), 0.25) && close(bd[2].value, 0.21 / 0.96));
}

/// The ecological layout, around the candidate E (0..100 square, vacant,
/// 50 residents by its own `population` fact).
/// * W water (250..350, 0..100): 150 m east.
/// * F forest (-400..-300): exactly 300 m west (inclusive for the corridor).
/// * G1 green (0..100, 350..450): 250 m north.
/// * G2 green (0..100, -401..-301): 301 m south: outside the corridor.
/// * R1 residential (1100..1200): exactly 1000 m east, 15,000 residents: counted.
/// * R2 residential (-1100.5..-1000.5): 1000.5 m west, 7,000 residents: not counted.
/// * D public dormitory (0..100, 110..120): 10 m north, 2,000 residents: counted.
fn eco_layout() -> Vec<Parcel> {
    vec![
        with_pop(rect("E", 0., 0., 100., 100., LandUse::Vacant), 50.),
        rect("W", 250., 0., 100., 100., LandUse::Water),
        rect("F", -400., 0., 100., 100., LandUse::Ecological),
        rect("G1", 0., 350., 100., 100., LandUse::Green),
        rect("G2", 0., -401., 100., 100., LandUse::Green),
        with_pop(
            rect("R1", 1100., 0., 100., 100., LandUse::Residential),
            15000.,
        ),
        with_pop(
            rect("R2", -1100.5, 0., 100., 100., LandUse::Residential),
            7000.,
        ),
        with_pop(rect("D", 0., 110., 100., 10., LandUse::Public), 2000.),
    ]
}

#[test]
fn ecological_criteria_on_the_hand_built_layout() {
    let stock = ParcelStock::new(eco_layout());
    let cx = Context::new(&stock, &ContextOptions::default());
    let sheet = score_one(&stock, &cx, 0);
    let e = TargetUse::Ecological;
    // adjacency: 150 m to the water → 1 − ramp(150, 0, 500) = 0.7
    let (raw, v, w) = get(&sheet, e, "adjacency");
    assert_eq!(raw, Some(150.0));
    assert!(close(v, 0.7) && close(w, 0.30));
    // corridor: W, F (at exactly 300 m) and G1 → 3 → ramp(0, 3) = 1
    assert_eq!(get(&sheet, e, "corridor"), (Some(3.0), 1.0, 0.20));
    // low density: itself 50 + R1 15,000 + D 2,000 = 17,050 → 1 − 0.8525 = 0.1475
    let (raw, v, _) = get(&sheet, e, "low density");
    assert_eq!(raw, Some(17050.0));
    assert!(close(v, 0.1475));
    // size: 1 ha → ramp(1, 0.5, 10) = 0.5 / 9.5
    let (raw, v, _) = get(&sheet, e, "size");
    assert_eq!(raw, Some(1.0));
    assert!(close(v, 0.5 / 9.5));
}

/// Five 10 m squares in a row, centroids at x = 5, 105, 205, 305, 405, and
/// the centre configured at (5, 5): centroid distances 0, 100, 200, 300,
/// 400; the 95th percentile has rank 0.95 × 4 = 3.8 → 300 + 0.8 × 100 = 380 m.
/// The candidate (third square) is 200 m out: ratio 200 / 380 = 0.5263.
fn row_layout() -> (ParcelStock, Context) {
    let stock = ParcelStock::new(vec![
        rect("a", 0., 0., 10., 10., LandUse::Residential),
        rect("b", 100., 0., 10., 10., LandUse::Commercial),
        derelict(rect("m", 200., 0., 10., 10., LandUse::Industrial)),
        rect("c", 300., 0., 10., 10., LandUse::Commercial),
        rect("d", 400., 0., 10., 10., LandUse::Commercial),
    ]);
    let cx = Context::new(
        &stock,
        &ContextOptions {
            centre: Some(coord! { x: 5.0, y: 5.0 }),
            ..ContextOptions::default()
        },
    );
    (stock, cx)
}

#[test]
fn peripherality_and_centrality_use_centroid_distance_over_the_p95_radius() {
    let (stock, cx) = row_layout();
    assert!(close(cx.city_radius_m(), 380.0));
    let sheet = score_one(&stock, &cx, 2);
    let ratio = 200.0 / 380.0;
    // peripherality: ramp(0.5263, 0.3, 0.9) = 0.2263 / 0.6 = 0.3772
    let (raw, v, _) = get(&sheet, TargetUse::Ecological, "peripherality");
    assert!(close(raw.unwrap(), ratio) && close(v, (ratio - 0.3) / 0.6));
    // centrality: 1 − ramp(0.5263, 0.2, 0.7) = 1 − 0.3263 / 0.5 = 0.3474
    let (raw, v, _) = get(&sheet, TargetUse::Cultural, "centrality");
    assert!(close(raw.unwrap(), ratio) && close(v, 1.0 - (ratio - 0.2) / 0.5));
}

/// The cultural layout around M, a derelict 200 m plant square (4 ha) at
/// the origin with unknown floor area.
/// * L1 derelict logistics (400..500): exactly 200 m east, 1 ha: in the cluster.
/// * L2 derelict industrial (-301..-201): 201 m west: not in the cluster.
/// * A active industrial (0..100, 250..350): 50 m north, not derelict: not in it.
/// * P1 public (1200..1300): exactly 1000 m east: an amenity.
/// * P2 public (-1100.1..-1000.1): 1000.1 m west: not one.
/// * facility points at (100, 100) (inside M) and (200, 1199) (999 m north);
///   transit stops at (1100, 100) (900 m east) and (5000, 5000).
fn cultural_layout() -> (ParcelStock, Vec<Coord<f64>>, Vec<Coord<f64>>) {
    let stock = ParcelStock::new(vec![
        derelict(rect("M", 0., 0., 200., 200., LandUse::Industrial)),
        derelict(rect("L1", 400., 0., 100., 100., LandUse::Logistics)),
        derelict(rect("L2", -301., 0., 100., 100., LandUse::Industrial)),
        rect("A", 0., 250., 100., 100., LandUse::Industrial),
        rect("P1", 1200., 0., 100., 100., LandUse::Public),
        rect("P2", -1100.1, 0., 100., 100., LandUse::Public),
    ]);
    let facilities = vec![coord! { x: 100., y: 100. }, coord! { x: 200., y: 1199. }];
    let stops = vec![coord! { x: 1100., y: 100. }, coord! { x: 5000., y: 5000. }];
    (stock, facilities, stops)
}

#[test]
fn cultural_criteria_on_the_hand_built_layout() {
    let (stock, facilities, stops) = cultural_layout();
    let cx = Context::new(&stock, &ContextOptions::default())
        .with_facilities(facilities)
        .with_transit(stops);
    let sheet = score_one(&stock, &cx, 0);
    let c = TargetUse::Cultural;
    // heritage: not listed, floor area unknown → 0.6
    assert_eq!(get(&sheet, c, "heritage"), (Some(0.6), 0.6, 0.25));
    // moderate scale: 4 ha → min(ramp(4, 0.5, 2) = 1, 1 − ramp(4, 60, 150) = 1) = 1
    assert_eq!(get(&sheet, c, "moderate scale"), (Some(4.0), 1.0, 0.15));
    // transit: 900 m → 1 − ramp(900, 300, 1500) = 0.5
    assert_eq!(get(&sheet, c, "transit"), (Some(900.0), 0.5, 0.10));
    // cluster: itself 4 ha + L1 1 ha = 5 ha → ramp(5, 2, 30) = 3 / 28
    let (raw, v, _) = get(&sheet, c, "cluster");
    assert_eq!(raw, Some(5.0));
    assert!(close(v, 3.0 / 28.0));
    // amenities: P1 + two facility points = 3 → ramp(3, 0, 5) = 0.6
    assert_eq!(get(&sheet, c, "amenities"), (Some(3.0), 0.6, 0.15));
}

#[test]
fn heritage_reads_the_listing_then_the_floor_area() {
    let mut listed = derelict(rect("h", 0., 0., 100., 100., LandUse::Industrial));
    listed.facts.heritage = true;
    listed.facts.floor_area_m2 = Some(0.0);
    let mut cleared = derelict(rect("c", 1000., 0., 100., 100., LandUse::Industrial));
    cleared.facts.floor_area_m2 = Some(0.0);
    let mut standing = derelict(rect("s", 2000., 0., 100., 100., LandUse::Logistics));
    standing.facts.floor_area_m2 = Some(5000.0);
    let stock = ParcelStock::new(vec![listed, cleared, standing]);
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let sheet = Scorer::new(&ScoringConfig::default(), &layers)
        .score(&layers, &[0, 1, 2])
        .unwrap();
    let h: Vec<f64> = sheet
        .rows()
        .iter()
        .map(|r| sheet.breakdown(r, TargetUse::Cultural).unwrap()[0].value)
        .collect();
    assert_eq!(
        h,
        vec![1.0, 0.3, 0.6],
        "listed beats cleared; standing buildings 0.6"
    );
}

#[test]
fn without_a_transit_layer_transit_is_dropped_and_weights_renormalised() {
    let (stock, facilities, _) = cultural_layout();
    let cx = Context::new(&stock, &ContextOptions::default()).with_facilities(facilities);
    let sheet = score_one(&stock, &cx, 0);
    let cul = sheet.use_sheet(TargetUse::Cultural);
    assert_eq!(cul.dropped.len(), 1);
    assert_eq!(cul.dropped[0].name, "transit");
    let names: Vec<&str> = cul.criteria.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "heritage",
            "moderate scale",
            "centrality",
            "cluster",
            "amenities"
        ]
    );
    // 0.25 + 0.15 + 0.20 + 0.15 + 0.15 = 0.90: heritage 0.25 / 0.9
    assert!(close(cul.criteria[0].weight, 0.25 / 0.9));
    let total: f64 = cul.criteria.iter().map(|c| c.weight).sum();
    assert!(close(total, 1.0));
    // the other uses are untouched
    assert!(sheet.use_sheet(TargetUse::Green).dropped.is_empty());
    assert_eq!(sheet.use_sheet(TargetUse::Green).criteria.len(), 5);
}

#[test]
fn amenities_without_a_facility_layer_count_public_parcels_only() {
    let (stock, _, stops) = cultural_layout();
    let cx = Context::new(&stock, &ContextOptions::default()).with_transit(stops);
    let sheet = score_one(&stock, &cx, 0);
    // P1 alone → ramp(1, 0, 5) = 0.2; the criterion is kept
    assert_eq!(
        get(&sheet, TargetUse::Cultural, "amenities"),
        (Some(1.0), 0.2, 0.15)
    );
}

#[test]
fn an_empty_class_gives_infinity_reported_as_null_and_keeps_the_criterion() {
    // no green, no water, no ecological parcel, an empty transit layer
    let stock = ParcelStock::new(vec![
        derelict(rect("m", 0., 0., 100., 100., LandUse::Industrial)),
        rect("r", 500., 0., 100., 100., LandUse::Residential),
    ]);
    let cx = Context::new(&stock, &ContextOptions::default()).with_transit(vec![]);
    let sheet = score_one(&stock, &cx, 0);
    // green deficit: +inf → ramp = 1; adjacency: +inf → 1 − ramp = 0; transit: 0
    assert_eq!(
        get(&sheet, TargetUse::Green, "green deficit"),
        (None, 1.0, 0.20)
    );
    assert_eq!(
        get(&sheet, TargetUse::Ecological, "adjacency"),
        (None, 0.0, 0.30)
    );
    assert_eq!(
        get(&sheet, TargetUse::Cultural, "transit"),
        (None, 0.0, 0.10)
    );
    assert!(sheet.use_sheet(TargetUse::Cultural).dropped.is_empty());
    // the residential parcel, 400 m away, has no park at all: unserved
    assert_eq!(
        get(&sheet, TargetUse::Green, "unserved demand").0,
        Some(200.0)
    );
}

#[test]
fn cultural_is_only_for_industrial_and_logistics_origin_by_default() {
    let stock = ParcelStock::new(vec![
        derelict(rect("m", 0., 0., 100., 100., LandUse::Industrial)),
        derelict(rect("w", 200., 0., 100., 100., LandUse::Logistics)),
        rect("v", 400., 0., 100., 100., LandUse::Vacant),
    ]);
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let sheet = Scorer::new(&ScoringConfig::default(), &layers)
        .score(&layers, &[0, 1, 2])
        .unwrap();
    let cultural: Vec<bool> = sheet.rows().iter().map(|r| r.cultural.is_some()).collect();
    assert_eq!(cultural, [true, true, false]);
    assert!(sheet
        .rows()
        .iter()
        .all(|r| r.green.is_some() && r.ecological.is_some()));
    assert!(sheet
        .breakdown(&sheet.rows()[2], TargetUse::Cultural)
        .is_none());
    // configurable: vacant lots may become districts too
    let cfg = ScoringConfig {
        cultural_origins: vec![LandUse::Vacant],
        ..ScoringConfig::default()
    };
    let sheet = Scorer::new(&cfg, &layers).score(&layers, &[0, 2]).unwrap();
    assert!(sheet.rows()[0].cultural.is_none() && sheet.rows()[1].cultural.is_some());
}

#[test]
fn a_switched_off_criterion_leaves_the_breakdown_and_the_rest_renormalise() {
    let stock = green_layout();
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let mut cfg = ScoringConfig::default();
    cfg.green.unserved_demand.enabled = false;
    let sheet = Scorer::new(&cfg, &layers).score(&layers, &[0]).unwrap();
    let green = sheet.use_sheet(TargetUse::Green);
    assert_eq!(green.criteria.len(), 4);
    assert!(
        close(green.criteria[0].weight, 0.2 / 0.6),
        "green deficit 0.2 of 0.6"
    );
    assert!(
        green.dropped.is_empty(),
        "switched off is not dropped for a missing layer"
    );
}

#[test]
fn a_use_left_without_weight_is_an_error_naming_the_dropped_criterion() {
    let (stock, _, _) = cultural_layout();
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let mut cfg = ScoringConfig::default();
    for w in [
        &mut cfg.cultural.heritage.weight,
        &mut cfg.cultural.moderate_scale.weight,
        &mut cfg.cultural.centrality.weight,
        &mut cfg.cultural.cluster.weight,
        &mut cfg.cultural.amenities.weight,
    ] {
        *w = 0.0;
    }
    assert!(
        cfg.validate().is_ok(),
        "transit still carries weight in the config"
    );
    let e = Scorer::new(&cfg, &layers).score(&layers, &[0]).unwrap_err();
    assert!(matches!(
        e,
        ScoreError::NoWeight {
            use_: TargetUse::Cultural,
            ..
        }
    ));
    assert!(e.to_string().contains("transit"), "{e}");
}

#[test]
fn reasons_name_the_strongest_criteria_of_the_best_use_first() {
    let stock = green_layout();
    let cx = Context::new(&stock, &ContextOptions::default());
    let sheet = score_one(&stock, &cx, 0);
    let text = sheet.reasons(&sheet.rows()[0]);
    // green 0.84: unserved demand contributes 0.4 × 0.66 = 0.264, the most
    assert!(
        text.starts_with("green 0.84: unserved demand 0.66, green deficit 0.86; ecological"),
        "{text}"
    );
}

#[test]
fn a_closure_criterion_counts_like_a_built_in_one() {
    let stock = green_layout();
    let cx = Context::new(&stock, &ContextOptions::default());
    let layers = Layers::new(&stock, &cx);
    let scorer = Scorer::empty().with_criterion(
        TargetUse::Green,
        FnCriterion::new(
            "x of centroid",
            "m",
            Transfer::Ramp { lo: 0.0, hi: 100.0 },
            2.0,
            |l, i| l.context().centroids()[i].x,
        ),
    );
    let scorer = scorer
        .with_criterion(
            TargetUse::Ecological,
            FnCriterion::new("one", "", Transfer::Identity, 1.0, |_, _| 1.0),
        )
        .with_criterion(
            TargetUse::Cultural,
            FnCriterion::new("one", "", Transfer::Identity, 1.0, |_, _| 1.0),
        );
    let sheet = scorer.score(&layers, &[0]).unwrap();
    // C's centroid is at x = 50 → ramp(50, 0, 100) = 0.5, weight 2 renormalised to 1
    assert_eq!(sheet.rows()[0].score(TargetUse::Green), Some(0.5));
    let e = Scorer::empty().score(&layers, &[0]).unwrap_err();
    assert!(matches!(
        e,
        ScoreError::NoWeight {
            use_: TargetUse::Green,
            ..
        }
    ));
}
