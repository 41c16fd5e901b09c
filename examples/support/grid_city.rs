//! A deterministic in-memory "grid city" of N parcels for scoring
//! benchmarks: 40 m lots in blocks of 4 × 4 with 15 m streets, classes by
//! ring and sector (a commercial and public core, residential rings with
//! parks and vacant lots, an industrial sector a third derelict, an
//! ecological rim with water). Parcels are built directly in metres, so no
//! ingestion is timed.

use geo::{polygon, MultiPolygon};
use landstock::{LandUse, Parcel, Status};

/// SplitMix64 of a lot number: a fixed pseudo-random stream per lot.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(seed: u64, k: u64) -> f64 {
    (mix(seed.wrapping_mul(31).wrapping_add(k)) >> 11) as f64 / (1u64 << 53) as f64
}

/// `n` parcels on a square grid around (0, 0).
pub fn grid_city(n: usize) -> Vec<Parcel> {
    let side = (n as f64).sqrt().ceil() as usize;
    let pitch = |k: usize| (k / 4) as f64 * (4.0 * 40.0 + 15.0) + (k % 4) as f64 * 40.0;
    let half = pitch(side) / 2.0;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let (cx, cy) = (k % side, k / side);
        let (x0, y0) = (pitch(cx) - half, pitch(cy) - half);
        let r = (x0 * x0 + y0 * y0).sqrt() / half; // 0 at the centre, ~1 at the edge
        let angle = y0.atan2(x0);
        let u = |j: u64| unit(k as u64, j);
        let (class, derelict) = if r > 0.85 {
            match u(1) {
                x if x < 0.15 => (LandUse::Water, false),
                x if x < 0.8 => (LandUse::Ecological, false),
                x if x < 0.9 => (LandUse::Vacant, false),
                _ => (LandUse::Residential, false),
            }
        } else if r < 0.12 {
            match u(1) {
                x if x < 0.5 => (LandUse::Commercial, false),
                x if x < 0.8 => (LandUse::Public, false),
                x if x < 0.9 => (LandUse::Green, false),
                _ => (LandUse::Residential, false),
            }
        } else if (0.3..1.1).contains(&angle) && r > 0.35 {
            match u(1) {
                x if x < 0.7 => (LandUse::Industrial, u(2) < 0.35),
                x if x < 0.85 => (LandUse::Logistics, u(2) < 0.35),
                x if x < 0.92 => (LandUse::Vacant, false),
                _ => (LandUse::Green, false),
            }
        } else {
            match u(1) {
                x if x < 0.72 => (LandUse::Residential, false),
                x if x < 0.78 => (LandUse::Public, false),
                x if x < 0.84 => (LandUse::Commercial, false),
                x if x < 0.87 => (LandUse::Green, false),
                x if x < 0.95 => (LandUse::Vacant, false),
                x if x < 0.97 => (LandUse::Transport, false),
                _ => (LandUse::Utility, false),
            }
        };
        let (w, h) = (40.0 - 4.0 * u(3), 40.0 - 4.0 * u(4));
        let geometry = MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x0 + w, y: y0), (x: x0 + w, y: y0 + h), (x: x0, y: y0 + h)
        ]]);
        let status = if derelict {
            Status::Derelict
        } else {
            Status::Active
        };
        let mut p = Parcel::new(format!("g{k}"), geometry, class, status);
        if class == LandUse::Residential && u(5) < 0.5 {
            p.facts.population = Some((u(6) * 60.0).floor());
        }
        p.facts.heritage = derelict && u(7) < 0.1;
        p.facts.contaminated = derelict && u(8) < 0.4;
        p.facts.floor_area_m2 = if u(9) < 0.3 { Some(0.0) } else { None };
        out.push(p);
    }
    out
}
