//! Draws the map of an N-parcel synthetic city (`landstock_synth`) and
//! writes it, its PNG rendering and an HTML report to a folder, printing the
//! time and size of each; the figures in README come from this.
//!
//! ```sh
//! cargo run --release --example map_scale -- 100000 out/map100k
//! cargo run --example map_scale -- 3000 out/map3k
//! ```
//! The plan drawn is a stand-in (derelict industry → cultural, vacant →
//! green, brownfield logistics → redevelop, one in five ecological
//! candidates → ecological) so that the writers can be timed without solving;
//! the report's summary carries only what this stand-in knows.

use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use landstock::ingest::{read_geojson_file, IngestOptions};
use landstock::output::map::{map_svg, MapOptions};
use landstock::output::report::write_report_html;
use landstock::{LandUse, Status, Use};
use landstock_synth::{write_parcels_geojson, CityParams};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "out/map".into()));
    std::fs::create_dir_all(&out)?;

    let dir = tempfile::tempdir()?;
    let city = dir.path().join("city.geojson");
    write_parcels_geojson(
        &CityParams::with_parcels(n),
        BufWriter::new(std::fs::File::create(&city)?),
    )?;
    let cfg = landstock::Config::load(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/city.toml"),
    )?;
    let stock = read_geojson_file(&city, &IngestOptions::from_config(&cfg)?)?.stock;

    let after: Vec<Option<Use>> = stock
        .parcels()
        .iter()
        .enumerate()
        .map(|(i, p)| match (p.land_use, p.status) {
            (LandUse::Industrial, Status::Derelict) => Some(Use::Cultural),
            (LandUse::Vacant, _) => Some(Use::Green),
            (LandUse::Logistics, Status::Derelict) => Some(Use::Redevelop),
            (LandUse::Industrial, _) if i % 5 == 0 => Some(Use::Ecological),
            _ => None,
        })
        .collect();
    let mut converted_ha = [0.0; 4];
    for (p, u) in stock.parcels().iter().zip(&after) {
        if let Some(k) = u.and_then(|u| Use::CONVERSIONS.iter().position(|c| *c == u)) {
            converted_ha[k] += p.area_ha();
        }
    }
    let cap_ha = (converted_ha.iter().sum::<f64>() / 10.0).ceil() * 10.0;
    let opts = MapOptions {
        city: format!("synthetic city ({n} parcels)"),
        cap_ha: Some(cap_ha),
        ..MapOptions::default()
    };

    let t = Instant::now();
    let svg = map_svg(&stock, &after, &opts);
    let t_svg = t.elapsed().as_secs_f64();
    std::fs::write(out.join("map.svg"), &svg)?;
    println!(
        "map.svg: {} parcels in {t_svg:.3} s, {:.1} MB",
        stock.len(),
        svg.len() as f64 / 1e6
    );

    #[cfg(feature = "png")]
    {
        let t = Instant::now();
        let png = landstock::output::map::render_png(&svg, 2 * 1328)?;
        println!(
            "map.png: {:.3} s, {:.1} MB",
            t.elapsed().as_secs_f64(),
            png.len() as f64 / 1e6
        );
        std::fs::write(out.join("map.png"), png)?;
    }

    let uses = ["green", "ecological", "cultural", "redevelop"];
    let converted: serde_json::Map<String, serde_json::Value> = uses
        .iter()
        .zip(converted_ha)
        .map(|(u, ha)| (u.to_string(), json!(ha)))
        .collect();
    let total: f64 = converted_ha.iter().sum();
    let summary = json!({
        "city": opts.city,
        "plan": {"cap_ha": cap_ha, "converted": after.iter().filter(|u| u.is_some()).count()},
        "solver": {"method": "stand-in (no solver)"},
        "indicators": {
            "before": {"converted_ha": {"green": 0.0, "ecological": 0.0, "cultural": 0.0, "redevelop": 0.0},
                       "cap_used_ha": 0.0, "cap_used_pct": 0.0},
            "after": {"converted_ha": converted, "cap_used_ha": total, "cap_used_pct": 100.0 * total / cap_ha},
        },
    });
    let t = Instant::now();
    write_report_html(
        BufWriter::new(std::fs::File::create(out.join("report.html"))?),
        &serde_json::from_value(summary)?,
        &svg,
    )?;
    println!("report.html: {:.3} s", t.elapsed().as_secs_f64());
    Ok(())
}
