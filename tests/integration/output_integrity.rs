//! Nothing lost on output: the scores GeoJSON holds every candidate exactly
//! once with its original properties byte for byte; an unwritable
//! destination fails before any work; a failed run never replaces a good
//! file and leaves no temporary file.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use landstock::candidates::Candidates;
use landstock::context::{Context, ContextOptions};
use landstock::ingest::{read_geojson, IngestOptions};
use landstock::output::scores::write_scores_geojson;
use landstock::score::{Layers, Scorer, ScoringConfig};
use landstock::ErrorKind;
use serde_json::Value;

/// Property texts that a re-serialisation would change: unicode raw and
/// escaped, integers beyond u64/i64, 1e300 and 0.1 as written, exponents
/// in capitals, nested objects, odd whitespace.
fn properties(k: usize, landuse: &str) -> String {
    format!(
        concat!(
            r#"{{"landuse":"{}","name":"Fabrik Straße №{} 工厂 🏭","big":12345678901234567890,"#,
            r#""neg":-9223372036854775809,"huge":1e300,"tenth":0.1,"exp":1.0E-7,"trail":2.50,"#,
            r#""nested":{{"a":[1,2.50,{{"b":null}}],"c":{{"d":{{"e":"深"}}}}}},"#,
            r#""esc":"tab\there \"q\" \u00e9 \ud83c\udfed \/","empty":{{}},"arr":[] ,  "spaced" :  [ 1 , 2 ] }}"#
        ),
        landuse, k
    )
}

/// A 5 × 5 grid of 0.001° squares near Daqing; most are brownfield or
/// greenfield (candidates), a few residential and grass (context).
fn city() -> (String, Vec<String>) {
    let classes = [
        "brownfield",
        "greenfield",
        "residential",
        "brownfield",
        "grass",
    ];
    let mut feats = Vec::new();
    let mut props = Vec::new();
    for i in 0..5 {
        for j in 0..5 {
            let (x, y) = (125.0 + i as f64 * 0.0015, 46.6 + j as f64 * 0.0015);
            let k = i * 5 + j;
            let p = properties(k, classes[(i + 2 * j) % 5]);
            feats.push(format!(
                r#"{{"type":"Feature","id":"p{k}","properties":{p},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
                x + 0.001,
                x + 0.001,
                y + 0.001,
                y + 0.001
            ));
            props.push(p);
        }
    }
    (
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feats.join(",\n")
        ),
        props,
    )
}

fn landstock(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_landstock"))
        .args(args)
        .output()
        .unwrap()
}

fn score(input: &Path, out: &Path) -> std::process::Output {
    landstock(&[
        "score".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

/// Names in `dir` other than `keep`.
fn other_files(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn every_candidate_is_written_once_with_its_properties_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (text, props) = city();
    let input = dir.path().join("city.geojson");
    std::fs::write(&input, &text).unwrap();
    let out = dir.path().join("scores.geojson");
    let run = score(&input, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written = std::fs::read_to_string(&out).unwrap();

    // the candidates, as the library finds them
    let got = read_geojson(text.as_bytes(), "city", &IngestOptions::default()).unwrap();
    let want: BTreeSet<String> = Candidates::of(&got.stock)
        .indices()
        .iter()
        .map(|&i| got.stock.get(i).id.to_string())
        .collect();
    assert_eq!(want.len(), 15, "10 brownfield + 5 greenfield squares");

    let v: Value = serde_json::from_str(&written).unwrap();
    let ids: Vec<String> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "a candidate written twice: {ids:?}"
    );
    assert_eq!(unique, want);

    for id in &ids {
        let k: usize = id[1..].parse().unwrap();
        // the original members, between the outer braces, appear verbatim
        let inner = props[k].trim();
        let inner = &inner[1..inner.len() - 1];
        assert_eq!(
            written.matches(inner).count(),
            1,
            "properties of {id} not found byte for byte"
        );
    }
    let f = &v["features"][0]["properties"];
    assert_eq!(f["nested"]["c"]["d"]["e"], "深");
    assert_eq!(f["esc"], "tab\there \"q\" é 🏭 /");
    assert_eq!(f["huge"].as_f64(), Some(1e300));
    assert!(f["landstock_score_green"].is_number());
    assert!(other_files(dir.path(), &["city.geojson", "scores.geojson"]).is_empty());
}

#[test]
fn an_unwritable_destination_fails_before_any_work_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("city.geojson");
    std::fs::write(&input, city().0).unwrap();
    let out = dir.path().join("no-such-dir").join("scores.geojson");
    let run = score(&input, &out);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("cannot write") && err.contains(&out.display().to_string()),
        "{err}"
    );
    assert!(
        !err.contains("read "),
        "failed after reading the input: {err}"
    );
    assert!(other_files(dir.path(), &["city.geojson"]).is_empty());
}

#[test]
fn a_directory_as_destination_is_an_error_and_stays_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("city.geojson");
    std::fs::write(&input, city().0).unwrap();
    let out = dir.path().join("scores.geojson");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "x").unwrap();
    let run = score(&input, &out);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("directory"), "{err}");
    assert!(out.join("keep.txt").exists());
    assert!(other_files(dir.path(), &["city.geojson", "scores.geojson"]).is_empty());
}

#[test]
fn a_failed_run_never_replaces_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.geojson");
    std::fs::write(&out, "good").unwrap();
    let input = dir.path().join("broken.geojson");
    let (text, _) = city();
    std::fs::write(&input, &text[..text.len() / 2]).unwrap(); // truncated
    let run = score(&input, &out);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "good");
    assert!(other_files(dir.path(), &["broken.geojson", "scores.geojson"]).is_empty());

    // and a successful run replaces it whole
    std::fs::write(&input, &text).unwrap();
    assert!(score(&input, &out).status.success());
    let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 15);
}

/// A writer that accepts `room` bytes, then fails like a full disk.
struct FullDisk {
    room: usize,
}

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.room == 0 {
            return Err(std::io::Error::other("no space left on device"));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_is_a_write_error_naming_the_destination() {
    let (text, _) = city();
    let got = read_geojson(text.as_bytes(), "city", &IngestOptions::default()).unwrap();
    let cx = Context::new(&got.stock, &ContextOptions::default());
    let layers = Layers::new(&got.stock, &cx);
    let cands = Candidates::of(&got.stock);
    let sheet = Scorer::new(&ScoringConfig::default(), &layers)
        .score(&layers, cands.indices())
        .unwrap();
    let crs = got.report.working_crs.unwrap();
    for room in [0, 100, 5_000] {
        let e = write_scores_geojson(
            FullDisk { room },
            "out/scores.geojson",
            &got.stock,
            &cx,
            &sheet,
            &crs,
        )
        .unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Write { dest, .. } if dest == "out/scores.geojson"),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .starts_with("cannot write out/scores.geojson: no space left"),
            "{e}"
        );
    }
}
