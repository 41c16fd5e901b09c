#!/usr/bin/env python3
"""Runs landstock (fast and exact solvers) and pipeline.py (geopandas +
shapely + highspy) on the same generated cities, and tabulates wall time,
peak RSS, objective and gap, the Python/landstock ratios, the largest score
difference between the two tools and whether their objectives agree within
their gaps.

    python benches/compare/compare.py --sizes 10000,100000 --repeat 3

Cities come from landstock's fixture generator (``make_fixture_city``), into
``--work``/city<N>/, unless they are there already (or ``--cities`` names a
folder per size, e.g. ``/tmp/city{n}``). Every process is measured whole:
wall time around the child, peak RSS from ``os.wait4`` (the child's own
rusage). Medians over ``--repeat`` runs; the three tools run interleaved, so
that machine noise falls on all of them alike.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CONFIG = HERE / "city_cap_only.toml"
CAP_SHARE = 0.30  # of the candidates' total area


def run_measured(cmd: list[str], log: Path) -> tuple[float, float, float]:
    """Runs cmd, returns (wall s, peak RSS MB, CPU s) of that child alone."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(map(str, cmd))}\n--- {log}:\n{log.read_text()[-3000:]}")
    return wall, ru.ru_maxrss / 1024.0, ru.ru_utime + ru.ru_stime  # maxrss in KiB on Linux


def ensure_binary(path: Path, cargo_args: list[str]) -> Path:
    if not path.exists():
        print(f"{path} missing: cargo build {' '.join(cargo_args)}", flush=True)
        subprocess.run(["cargo", "build", *cargo_args], cwd=REPO, check=True)
    return path


def city_dir(args, n: int) -> Path:
    if args.cities:
        d = Path(args.cities.format(n=n))
    else:
        d = args.work / f"city{n}"
    if not (d / "city.geojson").exists():
        gen = ensure_binary(args.generator, ["--release", "--example", "make_fixture_city"])
        d.mkdir(parents=True, exist_ok=True)
        print(f"generating {n} parcels into {d}", flush=True)
        subprocess.run([str(gen), "--parcels", str(n), "--out", str(d)], check=True)
    return d


def landstock_cmd(args, city: Path, cap_ha: float, solver: str, out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    return [
        str(args.landstock), "plan", str(city / "city.geojson"),
        "--config", str(CONFIG), "--cap", f"{cap_ha:g}ha", "--solver", solver,
        "--time-limit", f"{args.time_limit:g}s",
        "--transit", str(city / "city_transit.geojson"),
        "--facilities", str(city / "city_facilities.geojson"),
        "--out", str(out / "plan.geojson"), "--summary", str(out / "summary.json"),
        "--csv", str(out / "decisions.csv"), "--no-explain", "--quiet",
    ]  # fmt: skip


def python_cmd(args, city: Path, cap_ha: float, out: Path) -> list[str]:
    return [
        args.python, str(HERE / "pipeline.py"), str(city / "city.geojson"),
        "--transit", str(city / "city_transit.geojson"),
        "--facilities", str(city / "city_facilities.geojson"),
        "--cap", f"{cap_ha:g}", "--time-limit", f"{args.time_limit:g}", "--out", str(out),
    ]  # fmt: skip


def read_csv_scores(path: Path, cols=("score_green", "score_ecological", "score_cultural")):
    """{id: (g, e, c)} with None for empty cells (csv module: no pandas needed)."""
    import csv

    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            out[row["id"]] = tuple(float(row[c]) if row[c] not in ("", "nan", "NaN") else None for c in cols)
    return out


def score_difference(ls_csv: Path, py_csv: Path) -> dict:
    a, b = read_csv_scores(ls_csv), read_csv_scores(py_csv)
    common = a.keys() & b.keys()
    max_diff, worst, eligibility_mismatch = 0.0, None, 0
    for k in common:
        for u, (x, y) in enumerate(zip(a[k], b[k])):
            if (x is None) != (y is None):
                eligibility_mismatch += 1
            elif x is not None and abs(x - y) > max_diff:
                max_diff, worst = abs(x - y), (k, ["green", "ecological", "cultural"][u])
    return {
        "candidates_landstock": len(a),
        "candidates_python": len(b),
        "same_ids": a.keys() == b.keys(),
        "max_abs_score_diff": max_diff,
        "worst": worst,
        "eligibility_mismatch": eligibility_mismatch,
    }


def agree(o1, b1, o2, b2, rel=1e-9) -> bool:
    """Two (objective, bound) pairs of a maximisation agree when each
    objective is at most the other's bound (their [objective, bound]
    intervals overlap)."""
    if not all(map(math.isfinite, (o1, b1, o2, b2))):
        return None  # a solver stopped without a plan or a bound: nothing to compare
    tol = rel * max(abs(b1), abs(b2), 1.0)
    return o1 <= b2 + tol and o2 <= b1 + tol


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem_gb = float("nan")
    return f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, {platform.system()} {platform.release()}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000", help="parcel counts, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--landstock", type=Path, default=REPO / "target/release/landstock")
    ap.add_argument("--generator", type=Path, default=REPO / "target/release/examples/make_fixture_city")
    ap.add_argument("--cities", help="folder of each size's city instead of generating, e.g. /tmp/city{n}")
    ap.add_argument("--work", type=Path, default=Path("/tmp/landstock-compare"))
    ap.add_argument("--time-limit", type=float, default=60.0, help="MILP time limit, s (both tools)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for pipeline.py")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    ensure_binary(args.landstock, ["--release", "--bin", "landstock"])

    started = datetime.now(timezone.utc)
    results = []
    for n in sizes:
        city = city_dir(args, n)
        wd = args.work / f"run{n}"
        wd.mkdir(parents=True, exist_ok=True)
        # Untimed: warms the page cache for everyone, and gives the candidates' area.
        probe = wd / "probe"
        run_measured(landstock_cmd(args, city, 1.0, "fast", probe), wd / "probe.log")
        s = json.loads((probe / "summary.json").read_text())
        cap_ha = float(round(CAP_SHARE * s["plan"]["candidates_ha"]))
        print(f"\n== {n} parcels: {s['plan']['candidates']} candidates, "
              f"{s['plan']['candidates_ha']:.1f} ha; cap {cap_ha:g} ha", flush=True)  # fmt: skip
        runs = {"landstock fast": [], "landstock exact": [], "python": []}
        for r in range(args.repeat):
            for tool in runs:
                out = wd / tool.replace(" ", "_") / f"r{r}"
                if tool == "python":
                    cmd = python_cmd(args, city, cap_ha, out)
                else:
                    cmd = landstock_cmd(args, city, cap_ha, tool.split()[1], out)
                wall, rss, cpu = run_measured(cmd, out.parent / f"r{r}.log")
                summ = json.loads((out / "summary.json").read_text())
                runs[tool].append({"wall_s": wall, "rss_mb": rss, "cpu_s": cpu, "summary": summ, "out": str(out)})
                sv = summ["solver"]
                print(f"  {tool:<16} run {r + 1}: {wall:8.2f} s (CPU {cpu:7.2f} s) {rss:7.0f} MB  "
                      f"objective {sv['objective']:.6f} gap {sv['gap']:.2e}", flush=True)  # fmt: skip
        row = {"parcels": n, "cap_ha": cap_ha, "tools": {}}
        for tool, rs in runs.items():
            last = rs[-1]["summary"]
            sv = last["solver"]
            row["tools"][tool] = {
                "median_wall_s": statistics.median(x["wall_s"] for x in rs),
                "walls_s": [x["wall_s"] for x in rs],
                "median_cpu_s": statistics.median(x["cpu_s"] for x in rs),
                "peak_rss_mb": max(x["rss_mb"] for x in rs),
                "objective": sv["objective"],
                "bound": sv["bound"],
                "gap": sv["gap"],
                "method": sv.get("status") if tool == "python" else sv["method"],
                "solver_s": statistics.median(x["summary"]["solver"]["seconds"] for x in rs),
                "candidates": last["candidates"] if tool == "python" else last["plan"]["candidates"],
                "touching_pairs": last["touching_pairs"] if tool == "python" else last["plan"]["touching_pairs"],
            }
            if tool == "python":
                steps = rs[0]["summary"]["timings_s"].keys()
                row["python_stages_s"] = {
                    k: statistics.median(x["summary"]["timings_s"][k] for x in rs) for k in steps
                }
        ls_exact = runs["landstock exact"][-1]
        py = runs["python"][-1]
        row["scores"] = score_difference(Path(ls_exact["out"]) / "decisions.csv", Path(py["out"]) / "scores.csv")
        t = row["tools"]
        row["agree"] = {
            other: agree(t["python"]["objective"], t["python"]["bound"], t[other]["objective"], t[other]["bound"])
            for other in ["landstock fast", "landstock exact"]
        }
        results.append(row)
        report(row)

    print("\n" + table(results))
    out = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "repeat": args.repeat,
        "time_limit_s": args.time_limit,
        "results": results,
    }
    (args.work / "results.json").write_text(json.dumps(out, indent=2) + "\n")
    (args.work / "results.md").write_text(table(results) + "\n")
    print(f"\n{out['date']}; {out['machine']}\nwrote {args.work / 'results.json'} and results.md")


def report(row):
    sc = row["scores"]
    t = row["tools"]
    print(f"  candidates: landstock {sc['candidates_landstock']}, python {sc['candidates_python']}, "
          f"same ids: {sc['same_ids']}; touching pairs: landstock {t['landstock exact']['touching_pairs']}, "
          f"python {t['python']['touching_pairs']}")  # fmt: skip
    print(f"  max |score difference| {sc['max_abs_score_diff']:.2e} (at {sc['worst']}); "
          f"eligibility mismatches {sc['eligibility_mismatch']}")  # fmt: skip
    for other, ok in row["agree"].items():
        a, b = t["python"], t[other]
        rel = abs(a["objective"] - b["objective"]) / max(abs(b["objective"]), 1e-12)
        print(f"  objectives python vs {other}: {a['objective']:.6f} vs {b['objective']:.6f} "
              f"(rel. diff {rel:.1e}); agree within their gaps: {'n/a' if ok is None else 'yes' if ok else 'NO'}")  # fmt: skip
    print("  python stages (median s): " + ", ".join(f"{k} {v:.2f}" for k, v in row["python_stages_s"].items()))


def table(results) -> str:
    head = ("| parcels | tool / solver | median wall s | CPU s | peak RSS MB | objective | bound | gap "
            "| solver status | python ÷ this |")  # fmt: skip
    lines = [head, "|---:|---|---:|---:|---:|---:|---:|---:|---|---:|"]
    for row in results:
        t = row["tools"]
        py = t["python"]["median_wall_s"]
        for tool, v in t.items():
            ratio = "" if tool == "python" else f"{py / v['median_wall_s']:.1f}×"
            lines.append(
                f"| {row['parcels']:,} | {tool} | {v['median_wall_s']:.2f} | {v['median_cpu_s']:.2f} "
                f"| {v['peak_rss_mb']:.0f} | {v['objective']:.3f} | {v['bound']:.3f} | {v['gap']:.1e} "
                f"| {v['method']} | {ratio} |"
            )
    lines.append("")
    lines.append("| parcels | cap ha | candidates (ls / py) | touching pairs (ls / py) | max abs score diff "
                 "| objectives agree within gaps (fast / exact) | python stages before the MILP solve, s "
                 "| python MILP solve, s |")  # fmt: skip
    lines.append("|---:|---:|---|---|---:|---|---:|---:|")
    for row in results:
        sc, t = row["scores"], row["tools"]
        yn = lambda b: "n/a" if b is None else "yes" if b else "NO"  # noqa: E731
        lines.append(
            f"| {row['parcels']:,} | {row['cap_ha']:g} | {sc['candidates_landstock']} / {sc['candidates_python']} "
            f"| {t['landstock exact']['touching_pairs']} / {t['python']['touching_pairs']} "
            f"| {sc['max_abs_score_diff']:.1e} | {yn(row['agree']['landstock fast'])} / "
            f"{yn(row['agree']['landstock exact'])} "
            f"| {sum(v for k, v in row['python_stages_s'].items() if k not in ('MILP solve', 'write outputs', 'total')):.2f} "
            f"| {row['python_stages_s']['MILP solve']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
