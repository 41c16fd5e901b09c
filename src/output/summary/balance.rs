//! The land-use balance table (用地平衡表): every class's area and share of
//! the whole stock before and after the plan — the table a Chinese planning
//! document opens its land-use chapter with.

use serde::{Deserialize, Serialize};

use crate::indicators::{class_after, nullable};
use crate::parcel::LandUse;
use crate::plan::Plan;
use crate::stock::ParcelStock;
use crate::uses::Use;

/// `balance`: one row per land-use class (SPEC §1 order, every class listed,
/// empty ones with 0), the total, and how the areas were measured.
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use landstock::{LandUse, Parcel, Status, Use, stock::ParcelStock};
/// use landstock::output::summary::LandBalance;
/// let sq = |x: f64, side: f64| MultiPolygon(vec![polygon![(x: x, y: 0.), (x: x + side, y: 0.),
///     (x: x + side, y: side), (x: x, y: side)]]);
/// // a 3 ha factory and a 1 ha home; the factory becomes ecological land
/// let stock = ParcelStock::new(vec![
///     Parcel::new("works", sq(0., 100. * 3f64.sqrt()), LandUse::Industrial, Status::Derelict),
///     Parcel::new("home", sq(500., 100.), LandUse::Residential, Status::Active),
/// ]);
/// let b = LandBalance::new(&stock, &[Use::Ecological, Use::Keep], "planar");
/// let industrial = b.row(LandUse::Industrial).unwrap();
/// assert!((industrial.before_ha - 3.0).abs() < 1e-9 && industrial.after_ha == 0.0);
/// assert!((industrial.before_pct - 75.0).abs() < 1e-9);
/// let eco = b.row(LandUse::Ecological).unwrap();
/// assert!((eco.after_pct - 75.0).abs() < 1e-9 && (eco.change_ha - 3.0).abs() < 1e-9);
/// assert!((b.total_ha - 4.0).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LandBalance {
    /// `planar` or `ellipsoidal`: how the parcel areas were measured.
    pub area: String,
    /// Every class, in SPEC §1 order.
    pub rows: Vec<BalanceRow>,
    /// Area of all parcels, ha (the same before and after).
    #[serde(deserialize_with = "nullable::f64")]
    pub total_ha: f64,
}

/// One class of the balance table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BalanceRow {
    /// The class (`industrial`, …).
    pub class: String,
    /// Whether the class is construction land (SPEC §1).
    pub construction: bool,
    /// Area before the plan, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub before_ha: f64,
    /// Share of the total before, %.
    #[serde(deserialize_with = "nullable::f64")]
    pub before_pct: f64,
    /// Area after the plan, ha.
    #[serde(deserialize_with = "nullable::f64")]
    pub after_ha: f64,
    /// Share of the total after, %.
    #[serde(deserialize_with = "nullable::f64")]
    pub after_pct: f64,
    /// `after_ha − before_ha`.
    #[serde(deserialize_with = "nullable::f64")]
    pub change_ha: f64,
}

impl LandBalance {
    /// The balance of the stock with `uses[i]` given to parcel `i`; `area`
    /// names how areas were measured.
    ///
    /// # Panics
    /// When `uses` does not have one entry per parcel (a programming error).
    pub fn new(stock: &ParcelStock, uses: &[Use], area: &str) -> LandBalance {
        assert_eq!(uses.len(), stock.len(), "one use per parcel");
        let mut before = [0.0f64; LandUse::ALL.len()];
        let mut after = [0.0f64; LandUse::ALL.len()];
        let slot = |c: LandUse| LandUse::ALL.iter().position(|&x| x == c).unwrap_or(0);
        // summed in file order: the same bytes whatever the thread count
        for (p, &u) in stock.parcels().iter().zip(uses) {
            let ha = p.area_ha();
            before[slot(p.land_use)] += ha;
            after[slot(class_after(p.land_use, u))] += ha;
        }
        let total_ha: f64 = before.iter().sum();
        let pct = |ha: f64| {
            if total_ha > 0.0 {
                100.0 * ha / total_ha
            } else {
                0.0
            }
        };
        LandBalance {
            area: area.to_string(),
            rows: LandUse::ALL
                .iter()
                .enumerate()
                .map(|(k, &c)| BalanceRow {
                    class: c.as_str().to_string(),
                    construction: c.is_construction_land(),
                    before_ha: before[k],
                    before_pct: pct(before[k]),
                    after_ha: after[k],
                    after_pct: pct(after[k]),
                    change_ha: after[k] - before[k],
                })
                .collect(),
            total_ha,
        }
    }

    /// The balance after a plan whose candidate `k` is stock parcel
    /// `stock_index[k]` (see [`crate::indicators::of_plan`]).
    pub fn of_plan(
        stock: &ParcelStock,
        stock_index: &[usize],
        plan: &Plan,
        area: &str,
    ) -> LandBalance {
        let mut uses = vec![Use::Keep; stock.len()];
        for (&i, &u) in stock_index.iter().zip(&plan.uses) {
            uses[i] = u;
        }
        LandBalance::new(stock, &uses, area)
    }

    /// The row of a class.
    pub fn row(&self, class: LandUse) -> Option<&BalanceRow> {
        self.rows.iter().find(|r| r.class == class.as_str())
    }

    /// Writes the table as CSV: a header, one row per class, a `total` row.
    /// Areas in ha, shares in %, as the summary has them.
    ///
    /// ```
    /// use landstock::output::summary::LandBalance;
    /// let mut out = Vec::new();
    /// LandBalance::default().write_csv(&mut out).unwrap();
    /// assert_eq!(String::from_utf8(out).unwrap(),
    ///     "class,construction,before_ha,before_pct,after_ha,after_pct,change_ha\ntotal,,0,100,0,100,0\n");
    /// ```
    pub fn write_csv<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let e = |e: csv::Error| std::io::Error::other(e.to_string());
        w.write_record([
            "class",
            "construction",
            "before_ha",
            "before_pct",
            "after_ha",
            "after_pct",
            "change_ha",
        ])
        .map_err(e)?;
        for r in &self.rows {
            w.write_record([
                r.class.as_str(),
                if r.construction { "yes" } else { "no" },
                &r.before_ha.to_string(),
                &r.before_pct.to_string(),
                &r.after_ha.to_string(),
                &r.after_pct.to_string(),
                &r.change_ha.to_string(),
            ])
            .map_err(e)?;
        }
        let t = self.total_ha.to_string();
        w.write_record(["total", "", &t, "100", &t, "100", "0"])
            .map_err(e)?;
        w.flush()
    }
}
