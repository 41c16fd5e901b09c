//! The command line's ways in and out (issue 15): `-` for stdin and stdout,
//! PNG maps by extension, one cause per error, `validate`'s exit code when
//! nothing is accepted, `--threads`, `config --default`, the warning for an
//! unfitting mapping, areas in 亩, `--csv-bom`, the balance CSV and
//! `--lang zh`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn landstock(args: &[&str]) -> Output {
    landstock_with_stdin(args, None)
}

fn landstock_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_landstock"));
    c.current_dir(root())
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `plan` of the fixture city (fast solver, no explanations) with `extra`.
fn plan_fixture(extra: &[&str]) -> Output {
    let mut args = vec![
        "plan",
        "fixtures/city.geojson",
        "--config",
        "fixtures/city.toml",
        "--solver",
        "fast",
        "--no-explain",
        "--quiet",
    ];
    args.extend(extra);
    landstock(&args)
}

#[test]
fn validate_dash_reads_stdin_and_reports_as_for_the_file() {
    let file = "tests/bad_inputs/duplicate_ids.geojson";
    let by_file = landstock(&["validate", file, "--json"]);
    let bytes = std::fs::read(root().join(file)).unwrap();
    let by_stdin = landstock_with_stdin(&["validate", "-", "--json"], Some(&bytes));
    assert!(by_stdin.status.success(), "{}", text(&by_stdin.stderr));
    let mut a: serde_json::Value = serde_json::from_slice(&by_file.stdout).unwrap();
    let mut b: serde_json::Value = serde_json::from_slice(&by_stdin.stdout).unwrap();
    assert_eq!(b["source"], "stdin");
    a["source"] = "".into();
    b["source"] = "".into();
    assert_eq!(a, b);
    assert_eq!(a["counts"]["total"], 2);
}

#[test]
fn score_dash_out_dash_writes_the_same_bytes_to_stdout_as_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scored.geojson");
    let cfg = ["--config", "fixtures/city.toml", "--quiet"];
    let by_file = landstock(
        &[
            &[
                "score",
                "fixtures/city.geojson",
                "--out",
                out.to_str().unwrap(),
            ][..],
            &cfg,
        ]
        .concat(),
    );
    assert!(by_file.status.success(), "{}", text(&by_file.stderr));
    assert!(by_file.stdout.is_empty());
    let city = std::fs::read(root().join("fixtures/city.geojson")).unwrap();
    let piped = landstock_with_stdin(
        &[&["score", "-", "--out", "-"][..], &cfg].concat(),
        Some(&city),
    );
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    assert_eq!(piped.stdout, std::fs::read(&out).unwrap());
    assert!(!dir.path().join("-").exists() && !root().join("-").exists());
}

#[test]
fn a_missing_file_names_its_cause_once() {
    let out = landstock(&["validate", "no/such/file.geojson"]);
    assert_eq!(out.status.code(), Some(1));
    let cause = std::fs::File::open("/no/such/file.geojson")
        .unwrap_err()
        .to_string();
    assert_eq!(
        text(&out.stderr),
        format!("error: cannot read no/such/file.geojson: {cause}\n")
    );
}

#[test]
fn validate_exits_1_when_no_feature_is_accepted_after_printing_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("points.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[125,46.6]}}]}"#,
    )
    .unwrap();
    let out = landstock(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("rejected"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("none of its 1 features could be accepted"),
        "{}",
        text(&out.stderr)
    );
    // one accepted feature is enough
    let ok = landstock(&["validate", "tests/bad_inputs/duplicate_ids.geojson"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
}

#[test]
fn unmapped_parcels_are_warned_about_with_the_fields_and_the_preset_they_suggest() {
    // no --config: the osm preset, and the fixture city carries GB 50137 codes
    let out = landstock(&["validate", "fixtures/city.geojson"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("warning: 3000 of 3000 parcels have no land-use class with the osm preset"),
        "{err}"
    );
    assert!(err.contains("gb_code"), "{err}");
    assert!(err.contains("`gb_code` holds GB 50137 codes ("), "{err}");
    assert!(
        err.ends_with(
            "sampled parcels classified): set [mapping] preset = \"gb50137\" in --config\n"
        ),
        "{err}"
    );
    // with the fixture's config nothing is said
    let quiet = landstock(&[
        "validate",
        "fixtures/city.geojson",
        "--config",
        "fixtures/city.toml",
    ]);
    assert!(
        !text(&quiet.stderr).contains("warning"),
        "{}",
        text(&quiet.stderr)
    );
}

#[test]
fn config_default_prints_the_annotated_defaults() {
    let out = landstock(&["config", "--default"]);
    assert!(out.status.success());
    let printed = text(&out.stdout);
    assert_eq!(printed, landstock::config::annotated_default());
    let back = landstock::Config::from_toml_str(&printed, "default.toml".as_ref()).unwrap();
    assert_eq!(back, landstock::Config::default());
    assert_eq!(
        landstock(&["config"]).status.code(),
        Some(2),
        "--default is required"
    );
}

#[test]
fn map_format_follows_the_extension_and_an_unknown_one_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = landstock(&[
        "plan",
        "fixtures/city.geojson",
        "--cap",
        "10ha",
        "--out",
        "x.geojson",
        "--map",
        "map.jpg",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("map.svg or map.png"),
        "{}",
        text(&bad.stderr)
    );
    if !cfg!(feature = "png") {
        return;
    }
    let png = dir.path().join("map.png");
    let out = plan_fixture(&[
        "--out",
        dir.path().join("plan.geojson").to_str().unwrap(),
        "--map",
        png.to_str().unwrap(),
        "--lang",
        "zh",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let img = resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap();
    assert_eq!(img.width(), 1600);
}

/// Chinese labels need a CJK font (fonts-wqy-microhei, from
/// scripts/install-deps.sh): with it, the glyphs of 规划后 leave ink.
#[cfg(feature = "png")]
#[test]
fn chinese_labels_render_with_the_installed_cjk_font() {
    let svg = |t: &str| {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="30" font-size="28" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC">{t}</text></svg>"#
        )
    };
    let ink = |t: &str| {
        let png = landstock::output::map::render_png(&svg(t), 120).unwrap();
        let img = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        img.pixels().iter().filter(|p| p.red() < 128).count()
    };
    let has_cjk_font = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if !has_cjk_font {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs fonts-wqy-microhei"
        );
        eprintln!("chinese_labels_render_with_the_installed_cjk_font: no CJK font (run scripts/install-deps.sh); skipped");
        return;
    }
    assert_eq!(ink(""), 0);
    assert!(ink("规划后") > 100, "{} dark pixels", ink("规划后"));
}

#[test]
fn threads_1_and_2_write_the_same_bytes_and_a_cap_in_mu_is_a_cap_in_hectares() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str, cap: &str| {
        let d = dir.path().join(format!("t{threads}"));
        std::fs::create_dir(&d).unwrap();
        let p = |n: &str| d.join(n).display().to_string();
        let out = plan_fixture(&[
            "--threads",
            threads,
            "--cap",
            cap,
            "--out",
            &p("plan.geojson"),
            "--csv",
            &p("decisions.csv"),
            "--balance-csv",
            &p("balance.csv"),
            "--summary",
            &p("summary.json"),
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        d
    };
    // 1800 mu = 1800 × 10000/15 m² = 120 ha
    let (one, two) = (run("1", "120ha"), run("2", "1800mu"));
    for f in ["plan.geojson", "decisions.csv", "balance.csv"] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f}"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(two.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["plan"]["cap_ha"], 120.0);
    assert_eq!(summary["input"]["area"], "planar");
    // the balance: every class, its shares summing to 100 before and after
    let rows = summary["balance"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    for side in ["before_pct", "after_pct"] {
        let total: f64 = rows.iter().map(|r| r[side].as_f64().unwrap()).sum();
        assert!((total - 100.0).abs() < 1e-9, "{side}: {total}");
    }
    // what the plan converted leaves construction land, as the indicators say
    let change: f64 = rows
        .iter()
        .filter(|r| r["construction"] == true)
        .map(|r| r["change_ha"].as_f64().unwrap())
        .sum();
    let indicator = summary["indicators"]["after"]["construction_land_change_ha"]
        .as_f64()
        .unwrap();
    assert!(
        (change - indicator).abs() < 1e-6,
        "{change} against {indicator}"
    );
    assert!(one.join("balance.csv").exists());
    let csv = std::fs::read_to_string(one.join("balance.csv")).unwrap();
    assert!(csv.starts_with("class,construction,before_ha,"), "{csv}");
    assert_eq!(csv.lines().count(), 14, "header, 12 classes, total");
}

#[test]
fn csv_bom_starts_the_csv_files_with_a_utf8_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    let out = plan_fixture(&[
        "--out",
        &p("plan.geojson"),
        "--csv",
        &p("d.csv"),
        "--balance-csv",
        &p("b.csv"),
        "--csv-bom",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read(p("d.csv"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBFid,from,use,"));
    assert!(std::fs::read(p("b.csv"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBFclass,"));
}

#[test]
fn two_outputs_to_stdout_are_a_usage_error() {
    let out = landstock(&[
        "plan",
        "fixtures/city.geojson",
        "--cap",
        "10ha",
        "--out",
        "-",
        "--csv",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("only one"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn lang_zh_writes_a_chinese_report() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    let out = plan_fixture(&[
        "--out",
        &p("plan.geojson"),
        "--report",
        &p("r.html"),
        "--lang",
        "zh",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(p("r.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let h2: Vec<String> = doc
        .select(&scraper::Selector::parse("h2").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert!(h2.contains(&"规划前后指标".to_string()), "{h2:?}");
    assert!(h2.contains(&"用地平衡表".to_string()), "{h2:?}");
    let first_class: String = doc
        .select(&scraper::Selector::parse("#balance tbody tr th").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(first_class, "居住用地");
    assert!(html.contains(r#"<html lang="zh-CN">"#));
}
