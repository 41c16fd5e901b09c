//! Writes the synthetic fixture city.
//!
//! ```text
//! cargo run --example make_fixture_city                      # fixtures/, 3,000 parcels
//! cargo run --release --example make_fixture_city -- --parcels 1000000 --out /tmp/city1m
//! ```
//!
//! Writes `city.geojson`, `city_transit.geojson` and `city_facilities.geojson`
//! into the output directory (default `fixtures/`) and prints the summary
//! table and timings.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use landstock_synth::{
    write_facilities_geojson, write_parcels_geojson, write_transit_geojson, CityParams,
};

fn main() -> anyhow::Result<()> {
    let mut params = CityParams::default();
    let mut out_dir = PathBuf::from("fixtures");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--parcels" => params.n_parcels = value()?.replace('_', "").parse()?,
            "--seed" => params.seed = value()?.parse()?,
            "--out" => out_dir = PathBuf::from(value()?),
            "-h" | "--help" => {
                println!("make_fixture_city [--parcels N] [--seed S] [--out DIR]");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}; try --parcels N, --seed S, --out DIR"),
        }
    }
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let create = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = out_dir.join(name);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(BufWriter::with_capacity(1 << 20, file))
    };

    let t = Instant::now();
    let summary = write_parcels_geojson(&params, create("city.geojson")?)?;
    let parcels_s = t.elapsed().as_secs_f64();
    let stops = write_transit_geojson(&params, create("city_transit.geojson")?)?;
    let t2 = Instant::now();
    let facilities = write_facilities_geojson(&params, create("city_facilities.geojson")?)?;
    let facilities_s = t2.elapsed().as_secs_f64();

    println!("{summary}");
    println!(
        "wrote {} parcels ({:.1} MB) in {parcels_s:.2} s, {stops} transit stops, \
         {facilities} facilities ({facilities_s:.2} s) to {}",
        summary.n_parcels,
        summary.bytes as f64 / 1e6,
        out_dir.display()
    );
    Ok(())
}
