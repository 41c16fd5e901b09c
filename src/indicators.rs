//! Indicators before and after a plan (SPEC §6).
//!
//! [`Indicators::measure`] takes the stock, the residents of every parcel
//! (from [`Context::population`](crate::stock::context::Context::population)) and a
//! use per parcel, and measures the city as it would be: converted parcels
//! take their new class (green → `green`, ecological → `ecological`,
//! cultural → `public`, redevelop keeps its class). [`before_and_after`]
//! measures both states and fills in the change of construction land.
//!
//! Definitions where the SPEC leaves room (documented decisions):
//! - `residents` is everyone the population layer places anywhere;
//!   `park_service_coverage` counts the residents of residential parcels
//!   only (SPEC: "residential-parcel population"), and is `null` when nobody
//!   lives in a residential parcel; `park_m2_per_resident` is `null` when
//!   there are no residents.
//! - Ecological patches join ecological and water parcels whose polygon
//!   distance is ≤ 50 m (inclusive, like every "within" in the SPEC).
//! - Cultural districts join cultural parcels that touch (distance ≤ 0.01 m,
//!   [`TOUCH_TOLERANCE_M`]), at a point or along an edge; their areas are
//!   listed largest first.
//! - The budget figures are what the plan costs with the configured costs,
//!   whether or not a budget constraint was set; `before` has none.
//!
//! ```
//! use geo::{polygon, MultiPolygon};
//! use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
//! use landstock::indicators::{before_and_after, BudgetFigures};
//! use landstock::plan::Use;
//! // a 1 ha home with 100 residents, and a 1 ha vacant lot 200 m away
//! let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + 100., y: 0.),
//!     (x: x + 100., y: 100.), (x: x, y: 100.)]]);
//! let stock = ParcelStock::new(vec![
//!     Parcel::new("home", sq(0.), LandUse::Residential, Status::Active),
//!     Parcel::new("lot", sq(300.), LandUse::Vacant, Status::Active),
//! ]);
//! let (before, after) = before_and_after(&stock, &[100.0, 0.0], &[Use::Keep, Use::Green],
//!     5.0, BudgetFigures { cost: 1.5e6, auction_revenue: 0.0, net_cost: 1.5e6 });
//! assert_eq!(before.park_service_coverage, Some(0.0));
//! assert_eq!(after.park_service_coverage, Some(1.0), "the new park is 200 m from home");
//! assert_eq!(after.park_m2_per_resident, Some(100.0), "10 000 m² for 100 people");
//! assert_eq!(after.cap_used_pct, 20.0, "1 ha of a 5 ha cap");
//! ```

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::parcel::LandUse;
use crate::plan::Plan;
use crate::stock::{construction_land_ha, ParcelIndex, ParcelStock, TOUCH_TOLERANCE_M};
use crate::uses::Use;

/// Reading back the numbers the summary writes: serde_json writes a
/// non-finite `f64` as `null`, so `null` reads back as NaN.
pub(crate) mod nullable {
    use serde::{Deserialize, Deserializer};

    /// An `f64`, or NaN for `null`.
    pub(crate) fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// Service radius of a park for `park_service_coverage`, m (SPEC §6).
pub const PARK_SERVICE_RADIUS_M: f64 = 500.0;
/// Ecological and water parcels this close belong to one patch, m (SPEC §6).
pub const ECO_PATCH_GAP_M: f64 = 50.0;

/// Converted area per use, ha.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConvertedHa {
    /// Into parks.
    #[serde(deserialize_with = "nullable::f64")]
    pub green: f64,
    /// Into ecological land.
    #[serde(deserialize_with = "nullable::f64")]
    pub ecological: f64,
    /// Into cultural districts.
    #[serde(deserialize_with = "nullable::f64")]
    pub cultural: f64,
    /// Auctioned for redevelopment.
    #[serde(deserialize_with = "nullable::f64")]
    pub redevelop: f64,
}

impl ConvertedHa {
    /// The total over all uses, ha.
    pub fn total(&self) -> f64 {
        self.green + self.ecological + self.cultural + self.redevelop
    }
}

/// What the plan costs and raises, currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BudgetFigures {
    /// Conversion cost (incl. remediation).
    #[serde(deserialize_with = "nullable::f64")]
    pub cost: f64,
    /// Revenue of the auctioned (`redevelop`) parcels.
    #[serde(deserialize_with = "nullable::f64")]
    pub auction_revenue: f64,
    /// `cost − auction_revenue`.
    #[serde(deserialize_with = "nullable::f64")]
    pub net_cost: f64,
}

impl BudgetFigures {
    /// Figures not known: every one NaN (written as `null`).
    fn unknown() -> BudgetFigures {
        BudgetFigures {
            cost: f64::NAN,
            auction_revenue: f64::NAN,
            net_cost: f64::NAN,
        }
    }
}

/// The SPEC §6 indicators of one state of the city. Field names are the
/// summary JSON keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicators {
    /// Converted area by use, ha.
    pub converted_ha: ConvertedHa,
    /// Converted area of all uses, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub cap_used_ha: f64,
    /// `cap_used_ha` as a percentage of the cap.
    #[serde(deserialize_with = "nullable::f64")]
    pub cap_used_pct: f64,
    /// Construction land (every class but water and ecological), ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub construction_land_ha: f64,
    /// Change of construction land against the state before the plan, ha
    /// (negative: the city shrinks its built-up area).
    #[serde(deserialize_with = "nullable::f64")]
    pub construction_land_change_ha: f64,
    /// Residents of the whole stock.
    #[serde(deserialize_with = "nullable::f64")]
    pub residents: f64,
    /// Green-class area per resident, m²; `None` without residents.
    pub park_m2_per_resident: Option<f64>,
    /// Share (0–1) of residential-parcel residents within 500 m of a green
    /// parcel; `None` when no one lives in a residential parcel.
    pub park_service_coverage: Option<f64>,
    /// Connected groups of ecological and water parcels (≤ 50 m apart).
    pub eco_patches: usize,
    /// Area of the largest such group, ha (0 without any).
    #[serde(deserialize_with = "nullable::f64")]
    pub eco_largest_patch_ha: f64,
    /// Connected groups of touching cultural parcels.
    pub cultural_clusters: usize,
    /// Their areas, ha, largest first.
    pub cultural_cluster_ha: Vec<f64>,
    /// Cost and revenue of the plan (read back as NaN where a summary has
    /// none).
    #[serde(default = "BudgetFigures::unknown")]
    pub budget: BudgetFigures,
}

/// The class a parcel of class `origin` has after being given `u`.
///
/// ```
/// use landstock::{LandUse, indicators::class_after, plan::Use};
/// assert_eq!(class_after(LandUse::Industrial, Use::Cultural), LandUse::Public);
/// assert_eq!(class_after(LandUse::Industrial, Use::Redevelop), LandUse::Industrial);
/// ```
pub fn class_after(origin: LandUse, u: Use) -> LandUse {
    match u {
        Use::Green => LandUse::Green,
        Use::Ecological => LandUse::Ecological,
        Use::Cultural => LandUse::Public,
        Use::Keep | Use::Redevelop => origin,
    }
}

/// Connected components over `members` (stock indices) where `linked(i)`
/// lists the members joined to member `i`; returns each component's total
/// area in ha, largest first (ties in index order of their first member).
fn components_ha(
    stock: &ParcelStock,
    members: &[usize],
    linked: impl Fn(usize) -> Vec<usize> + Sync,
) -> Vec<f64> {
    let mut slot = vec![usize::MAX; stock.len()];
    for (k, &i) in members.iter().enumerate() {
        slot[i] = k;
    }
    let links: Vec<Vec<usize>> = members.par_iter().map(|&i| linked(i)).collect();
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (k, ls) in links.iter().enumerate() {
        for &j in ls {
            let (a, b) = (find(&mut parent, k), find(&mut parent, slot[j]));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut area = vec![0.0; members.len()];
    for (k, &i) in members.iter().enumerate() {
        let r = find(&mut parent, k);
        area[r] += stock.get(i).area_ha();
    }
    let mut out: Vec<f64> = (0..members.len())
        .filter(|&k| find(&mut parent, k) == k)
        .map(|k| area[k])
        .collect();
    out.sort_by(|a, b| b.total_cmp(a));
    out
}

impl Indicators {
    /// Measures the city with `uses[i]` applied to parcel `i` (`Keep` for
    /// parcels that are not candidates). `population[i]` is parcel `i`'s
    /// residents; `budget` the plan's cost figures. The construction-land
    /// change is left at 0 (see [`before_and_after`]).
    ///
    /// # Panics
    /// When `uses` or `population` do not have one entry per parcel (a
    /// programming error, not an input error).
    pub fn measure(
        stock: &ParcelStock,
        population: &[f64],
        uses: &[Use],
        cap_ha: f64,
        budget: BudgetFigures,
    ) -> Indicators {
        assert_eq!(uses.len(), stock.len(), "one use per parcel");
        assert_eq!(population.len(), stock.len(), "one population per parcel");
        let class = |i: usize| class_after(stock.get(i).land_use, uses[i]);
        let mut converted = ConvertedHa::default();
        for (i, u) in uses.iter().enumerate() {
            let ha = stock.get(i).area_ha();
            match u {
                Use::Green => converted.green += ha,
                Use::Ecological => converted.ecological += ha,
                Use::Cultural => converted.cultural += ha,
                Use::Redevelop => converted.redevelop += ha,
                Use::Keep => {}
            }
        }
        let cap_used_ha = converted.total();
        let residents: f64 = population.iter().sum();
        let green_m2: f64 = (0..stock.len())
            .filter(|&i| class(i) == LandUse::Green)
            .map(|i| stock.get(i).area_m2())
            .sum();

        let green = ParcelIndex::build(stock, |i, _| class(i) == LandUse::Green);
        let (home_pop, served_pop) = (0..stock.len())
            .into_par_iter()
            .filter(|&i| class(i) == LandUse::Residential && population[i] > 0.0)
            .map(|i| {
                let served = green.any_within_dist_m(stock, i, PARK_SERVICE_RADIUS_M);
                (population[i], if served { population[i] } else { 0.0 })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .fold((0.0, 0.0), |(h, s), (a, b)| (h + a, s + b));

        let is_eco = |i: usize| matches!(class(i), LandUse::Ecological | LandUse::Water);
        let eco_members: Vec<usize> = (0..stock.len()).filter(|&i| is_eco(i)).collect();
        let eco_index = ParcelIndex::build(stock, |i, _| is_eco(i));
        let eco = components_ha(stock, &eco_members, |i| {
            eco_index.within_dist_m(stock, i, ECO_PATCH_GAP_M)
        });

        let cultural_members: Vec<usize> = (0..stock.len())
            .filter(|&i| uses[i] == Use::Cultural)
            .collect();
        let cultural_index = ParcelIndex::build(stock, |i, _| uses[i] == Use::Cultural);
        let cultural = components_ha(stock, &cultural_members, |i| {
            cultural_index.within_dist_m(stock, i, TOUCH_TOLERANCE_M)
        });

        Indicators {
            converted_ha: converted,
            cap_used_ha,
            cap_used_pct: if cap_ha > 0.0 {
                100.0 * cap_used_ha / cap_ha
            } else {
                0.0
            },
            construction_land_ha: construction_land_ha(stock, class),
            construction_land_change_ha: 0.0,
            residents,
            park_m2_per_resident: (residents > 0.0).then(|| green_m2 / residents),
            park_service_coverage: (home_pop > 0.0).then(|| served_pop / home_pop),
            eco_patches: eco.len(),
            eco_largest_patch_ha: eco.first().copied().unwrap_or(0.0),
            cultural_clusters: cultural.len(),
            cultural_cluster_ha: cultural,
            budget,
        }
    }
}

/// The indicators before the plan (every parcel kept, no cost) and after it,
/// with `construction_land_change_ha` of `after` set to after − before.
/// `uses` has one entry per stock parcel.
pub fn before_and_after(
    stock: &ParcelStock,
    population: &[f64],
    uses: &[Use],
    cap_ha: f64,
    budget: BudgetFigures,
) -> (Indicators, Indicators) {
    let keep = vec![Use::Keep; stock.len()];
    // the two measurements are independent: their serial parts (index
    // builds, patch components) overlap on two threads
    let (before, mut after) = rayon::join(
        || Indicators::measure(stock, population, &keep, cap_ha, BudgetFigures::default()),
        || Indicators::measure(stock, population, uses, cap_ha, budget),
    );
    after.construction_land_change_ha = after.construction_land_ha - before.construction_land_ha;
    (before, after)
}

/// The SPEC §6 indicators before and after a plan: candidate `k` of the
/// plan is stock parcel `stock_index[k]` (every other parcel keeps its
/// class), the cost and auction revenue are the plan's, `cap_ha` the cap it
/// was solved under.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, stock::ParcelStock};
/// use landstock::candidates::Candidates;
/// use landstock::context::{Context, ContextOptions};
/// use landstock::config::PlanConfig;
/// use landstock::indicators::of_plan;
/// use landstock::pipeline::PlanInput;
/// use landstock::score::{Layers, Scorer, ScoringConfig};
/// let sq = |x: f64| MultiPolygon(vec![polygon![(x: 500_000. + x, y: 5_160_000.), (x: 500_100. + x, y: 5_160_000.),
///     (x: 500_100. + x, y: 5_160_100.), (x: 500_000. + x, y: 5_160_100.)]]);
/// let stock = ParcelStock::new(vec![
///     Parcel::new("home", sq(0.), LandUse::Residential, Status::Active),
///     Parcel::new("lot", sq(300.), LandUse::Vacant, Status::Active),
/// ]);
/// let cx = Context::new(&stock, &ContextOptions::default());
/// let layers = Layers::new(&stock, &cx);
/// let cands = Candidates::of(&stock);
/// let sheet = Scorer::new(&ScoringConfig::default(), &layers).score(&layers, cands.indices()).unwrap();
/// let input = PlanInput::new(&stock, &cands, &sheet);
/// let cfg = PlanConfig { cap: Some(5.0), ..PlanConfig::default() };
/// let problem = cfg.problem(&input, None).unwrap().build().unwrap();
/// let plan = problem.solve().unwrap();
/// let (before, after) = of_plan(&stock, cx.population(), &input.stock_index, &plan, problem.cap_ha());
/// // the 1 ha lot is converted: 1 ha of the 5 ha cap, none before
/// assert_eq!(before.cap_used_ha, 0.0);
/// assert!((after.cap_used_ha - 1.0).abs() < 1e-9);
/// assert!((after.cap_used_pct - 20.0).abs() < 1e-6);
/// ```
pub fn of_plan(
    stock: &ParcelStock,
    population: &[f64],
    stock_index: &[usize],
    plan: &Plan,
    cap_ha: f64,
) -> (Indicators, Indicators) {
    let mut uses = vec![Use::Keep; stock.len()];
    for (&i, &u) in stock_index.iter().zip(&plan.uses) {
        uses[i] = u;
    }
    before_and_after(
        stock,
        population,
        &uses,
        cap_ha,
        BudgetFigures {
            cost: plan.cost,
            auction_revenue: plan.revenue,
            net_cost: plan.cost - plan.revenue,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Parcel, Status};
    use geo::{polygon, MultiPolygon};

    /// An axis-aligned rectangle from (x0, y0) to (x1, y1), metres.
    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)],
        ])
    }

    /// The hand-built town of the indicator tests (areas in ha):
    ///
    /// ```text
    ///  y=0..100 strip:
    ///  [h1 res 1.0][ gap 400 ][v1 vacant 1.0][v2 vacant 1.0]  ...  [h2 res 1.0 at x=2000]
    ///  y=1000.. : w1 water 2.0 at x 0..200 ; e1 ecological 1.0 at x 230..330 (30 m gap)
    ///             e2 ecological 0.5 at x 1000..1050 (far: its own patch)
    ///  y=-300..-200: m1 derelict industrial 1.0 at x 500..600, m2 at x 600..700 (touching m1)
    ///  g1 green 0.25 at x 2600..2650, y 0..50 (500 m east of h2's edge at 2100)
    /// ```
    fn town() -> (ParcelStock, Vec<f64>) {
        let parcels = vec![
            Parcel::new(
                "h1",
                rect(0., 0., 100., 100.),
                LandUse::Residential,
                Status::Active,
            ),
            Parcel::new(
                "v1",
                rect(500., 0., 600., 100.),
                LandUse::Vacant,
                Status::Active,
            ),
            Parcel::new(
                "v2",
                rect(600., 0., 700., 100.),
                LandUse::Vacant,
                Status::Active,
            ),
            Parcel::new(
                "h2",
                rect(2000., 0., 2100., 100.),
                LandUse::Residential,
                Status::Active,
            ),
            Parcel::new(
                "w1",
                rect(0., 1000., 200., 1100.),
                LandUse::Water,
                Status::Active,
            ),
            Parcel::new(
                "e1",
                rect(230., 1000., 330., 1100.),
                LandUse::Ecological,
                Status::Active,
            ),
            Parcel::new(
                "e2",
                rect(1000., 1000., 1050., 1100.),
                LandUse::Ecological,
                Status::Active,
            ),
            Parcel::new(
                "m1",
                rect(500., -300., 600., -200.),
                LandUse::Industrial,
                Status::Derelict,
            ),
            Parcel::new(
                "m2",
                rect(600., -300., 700., -200.),
                LandUse::Industrial,
                Status::Derelict,
            ),
            Parcel::new(
                "g1",
                rect(2600., 0., 2650., 50.),
                LandUse::Green,
                Status::Active,
            ),
        ];
        // 300 residents in h1, 100 in h2
        let pop = vec![300., 0., 0., 100., 0., 0., 0., 0., 0., 0.];
        (ParcelStock::new(parcels), pop)
    }

    #[test]
    fn indicators_before_a_plan_match_the_hand_count() {
        let (stock, pop) = town();
        let keep = vec![Use::Keep; stock.len()];
        let i = Indicators::measure(&stock, &pop, &keep, 10.0, BudgetFigures::default());
        assert_eq!(i.converted_ha, ConvertedHa::default());
        assert_eq!(i.cap_used_ha, 0.0);
        // construction land: h1 v1 v2 h2 m1 m2 (1 ha each) + g1 0.25 = 6.25 ha
        assert!((i.construction_land_ha - 6.25).abs() < 1e-12);
        assert_eq!(i.residents, 400.0);
        // 2500 m² of park for 400 people
        assert!((i.park_m2_per_resident.unwrap() - 6.25).abs() < 1e-12);
        // g1 is exactly 500 m from h2 (inclusive), 2500 m from h1: 100 of 400 served
        assert_eq!(i.park_service_coverage, Some(0.25));
        // w1 + e1 (30 m apart) = 3 ha; e2 alone 0.5 ha
        assert_eq!(i.eco_patches, 2);
        assert!((i.eco_largest_patch_ha - 3.0).abs() < 1e-12);
        assert_eq!(i.cultural_clusters, 0);
        assert!(i.cultural_cluster_ha.is_empty());
    }

    #[test]
    fn indicators_after_a_plan_count_converted_parcels_in_their_new_class() {
        let (stock, pop) = town();
        let mut uses = vec![Use::Keep; stock.len()];
        uses[1] = Use::Green; // v1: 400 m from h1 → h1 served
        uses[2] = Use::Ecological; // v2 leaves construction land, its own eco patch
        uses[7] = Use::Cultural; // m1 + m2 touch along x = 600: one district of 2 ha
        uses[8] = Use::Cultural;
        let budget = BudgetFigures {
            cost: 10.0,
            auction_revenue: 4.0,
            net_cost: 6.0,
        };
        let (before, after) = before_and_after(&stock, &pop, &uses, 8.0, budget);
        assert_eq!(
            after.converted_ha,
            ConvertedHa {
                green: 1.0,
                ecological: 1.0,
                cultural: 2.0,
                redevelop: 0.0
            }
        );
        assert!((after.cap_used_ha - 4.0).abs() < 1e-12);
        assert!((after.cap_used_pct - 50.0).abs() < 1e-12);
        // v2 (1 ha) became ecological: 6.25 − 1 = 5.25 ha; cultural → public stays built
        assert!((after.construction_land_ha - 5.25).abs() < 1e-12);
        assert!((after.construction_land_change_ha + 1.0).abs() < 1e-12);
        assert_eq!(before.construction_land_change_ha, 0.0);
        // green: g1 0.25 ha + v1 1 ha = 12 500 m² over 400 residents
        assert!((after.park_m2_per_resident.unwrap() - 31.25).abs() < 1e-12);
        assert_eq!(after.park_service_coverage, Some(1.0));
        // patches: {w1, e1} 3 ha, {e2} 0.5 ha, {v2} 1 ha (v2 is 700 m from e2)
        assert_eq!(after.eco_patches, 3);
        assert!((after.eco_largest_patch_ha - 3.0).abs() < 1e-12);
        assert_eq!(after.cultural_clusters, 1);
        assert_eq!(after.cultural_cluster_ha.len(), 1);
        assert!((after.cultural_cluster_ha[0] - 2.0).abs() < 1e-12);
        assert_eq!(after.budget, budget);
        assert_eq!(before.budget, BudgetFigures::default());
    }

    #[test]
    fn eco_patch_gap_is_inclusive_at_50_m_and_exclusive_beyond() {
        let at = |gap: f64| {
            let stock = ParcelStock::new(vec![
                Parcel::new(
                    "a",
                    rect(0., 0., 100., 100.),
                    LandUse::Ecological,
                    Status::Active,
                ),
                Parcel::new(
                    "b",
                    rect(100. + gap, 0., 200. + gap, 100.),
                    LandUse::Water,
                    Status::Active,
                ),
            ]);
            let keep = vec![Use::Keep; 2];
            Indicators::measure(&stock, &[0.0, 0.0], &keep, 1.0, BudgetFigures::default())
                .eco_patches
        };
        assert_eq!(at(50.0), 1);
        assert_eq!(at(50.5), 2);
    }

    #[test]
    fn no_residents_gives_null_per_resident_figures() {
        let stock = ParcelStock::new(vec![Parcel::new(
            "g",
            rect(0., 0., 10., 10.),
            LandUse::Green,
            Status::Active,
        )]);
        let i = Indicators::measure(&stock, &[0.0], &[Use::Keep], 1.0, BudgetFigures::default());
        assert_eq!(i.park_m2_per_resident, None);
        assert_eq!(i.park_service_coverage, None);
    }
}
