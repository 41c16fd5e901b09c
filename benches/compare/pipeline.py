#!/usr/bin/env python3
"""landstock's job done "the Python way": geopandas + shapely 2 + pyproj + highspy.

Reads a parcel GeoJSON (and the optional transit-stop and facility point
layers), maps the tags to landstock's canonical classes exactly as
``fixtures/city.toml`` does (preset gb50137 on ``gb_code``, status field
``status``, rule vacant=yes -> vacant, the facts population / floor_area_m2 /
heritage / contaminated / land_value), validates, projects to the UTM zone of
the data, scores every candidate for green space, ecological land and a
cultural district with SPEC §4's default criteria, finds the touching candidate
pairs, and solves SPEC §5's plan (cap row only) as a MILP on HiGHS.

Everything is vectorised: shapely ufuncs and STRtree bulk queries, numpy
arrays for the MILP (passed to HiGHS in one ``passModel``). Each step is timed.

    python pipeline.py CITY.geojson --transit T.geojson --facilities F.geojson \
        --cap 120 --time-limit 60 --out DIR

Writes DIR/plan.geojson (every candidate, EPSG:4326), DIR/summary.json and
DIR/scores.csv (id, score_green, score_ecological, score_cultural).
"""

from __future__ import annotations

import time

_T_START = time.perf_counter()  # imports are part of the run: timed as a step

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import geopandas as gpd
import highspy
import numpy as np
import pandas as pd
import shapely

# ---------------------------------------------------------------------------
# Tag mapping: fixtures/city.toml, as landstock's src/landuse/ reads it
# ---------------------------------------------------------------------------

#: Canonical classes (SPEC §1); "unknown" for an unmapped value.
CONSTRUCTION_FREE = {"water", "ecological"}

#: Status-field words that mean derelict (src/landuse/facts.rs DERELICT_WORDS).
DERELICT_WORDS = {"derelict", "abandoned", "vacant", "disused", "brownfield"}
YES = {"yes", "true", "1", "y", "t"}
NO = {"no", "false", "0", "n", "f", ""}

#: Residents per m² of residential land without a population fact (SPEC §1).
RESIDENTS_PER_M2 = 0.02


def text(s: pd.Series) -> pd.Series:
    """landstock's ``value::text``: trimmed text, <NA> for missing or blank;
    integral numbers without a fraction."""
    if pd.api.types.is_bool_dtype(s):
        return s.map({True: "true", False: "false"}).astype("string")
    if pd.api.types.is_numeric_dtype(s):
        out = s.astype("float64").map(
            lambda v: None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v)))
        )
        return out.astype("string")
    t = s.astype("string").str.strip()
    return t.mask(t == "")


def flag(s: pd.Series) -> tuple[np.ndarray, int]:
    """landstock's ``value::flag``: yes/true/1/y/t (any case) is true; the
    count of unrecognised values (landstock warns and reads them as no)."""
    if s is None:
        return np.zeros(0, bool), 0
    if pd.api.types.is_bool_dtype(s):
        return s.fillna(False).to_numpy(bool), 0
    if pd.api.types.is_numeric_dtype(s):
        v = s.astype("float64").to_numpy()
        return v == 1.0, int(np.sum(~np.isnan(v) & (v != 0.0) & (v != 1.0)))
    t = s.astype("string").str.strip().str.lower()
    yes = t.isin(YES).fillna(False).to_numpy(bool)
    odd = (~t.isna() & ~t.isin(YES) & ~t.isin(NO)).to_numpy(bool)
    return yes, int(odd.sum())


_GROUPED = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?$"


def number(s: pd.Series) -> tuple[np.ndarray, int]:
    """landstock's ``value::number`` then ``non_negative``: NaN where missing,
    unreadable or negative (the count of those two is returned for the report)."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = s.astype("float64").to_numpy(copy=True)
        bad = ~np.isfinite(v) & ~np.isnan(v)
    else:
        t = s.astype("string").str.strip()
        t = t.mask(t == "")
        ok = t.str.fullmatch(_GROUPED).fillna(False) & t.str.contains(r"\d").fillna(False)
        v = pd.to_numeric(t.where(ok).str.replace(",", "", regex=False), errors="coerce").to_numpy(
            "float64", na_value=np.nan
        )
        bad = (~t.isna() & ~ok).to_numpy(bool) | (~np.isfinite(v) & ~np.isnan(v))
    neg = v < 0
    v[bad | neg] = np.nan
    return v, int(bad.sum() + neg.sum())


def gb50137_class(code: pd.Series) -> pd.Series:
    """The gb50137 preset (src/landuse/gb50137.rs): a letter and digits, case
    insensitive; major classes by letter, E and H by their digits. Anything
    else is <NA> (unmapped)."""
    parts = code.str.upper().str.extract(r"^([A-Z])([0-9]*)$")
    letter, digits = parts[0], parts[1]
    first = digits.str[:1]
    by_letter = {
        "R": "residential", "A": "public", "B": "commercial", "M": "industrial",
        "W": "logistics", "S": "transport", "U": "utility", "G": "green",
    }
    out = letter.map(by_letter).astype("object")
    e = letter == "E"
    out[e & (first == "1")] = "water"
    out[e & (first.isin(["2", "9"]) | (digits == ""))] = "ecological"
    h = letter == "H"
    # H1/H11-H13 (built-up land as a whole), H4 (special), H9 (other): unmapped
    out[h & (digits == "14")] = "residential"
    out[h & (first == "2")] = "transport"
    out[h & (first == "3")] = "utility"
    out[h & (first == "5")] = "industrial"
    return out.astype("string")


def map_tags(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Land use, status and facts per feature, as fixtures/city.toml maps them."""
    n = len(df)
    col = lambda name: df[name] if name in df.columns else pd.Series([None] * n, index=df.index, dtype="object")
    code = text(col("gb_code"))
    preset = gb50137_class(code)
    # [[mapping.rule]] when = { vacant = "yes" } -> vacant (rules come before the preset)
    rule_vacant = (text(col("vacant")).str.lower() == "yes").fillna(False).to_numpy(bool)
    land_use = np.where(rule_vacant, "vacant", preset.fillna("unknown").to_numpy(object))
    unmapped = ~rule_vacant & preset.isna().to_numpy(bool)
    unmapped_values = (
        ("gb_code=" + code.fillna("(missing)"))[unmapped].value_counts().to_dict()
    )
    st = col("status")
    st_yes, _ = flag(st)
    st_word = text(st).str.lower().isin(DERELICT_WORDS).fillna(False).to_numpy(bool)
    derelict = st_yes | st_word
    warnings = {}
    facts = {}
    for name in ["population", "floor_area_m2", "land_value"]:
        facts[name], warnings[name] = number(col(name))
    for name in ["heritage", "contaminated"]:
        facts[name], warnings[name] = flag(col(name))
    out = pd.DataFrame(
        {"land_use": land_use, "derelict": derelict, **facts}, index=df.index
    )
    report = {
        "unmapped": {str(k): int(v) for k, v in unmapped_values.items()},
        "unmapped_total": int(unmapped.sum()),
        "fact_warnings": {k: v for k, v in warnings.items() if v},
        "classes": out["land_use"].value_counts().to_dict(),
    }
    return out, report


# ---------------------------------------------------------------------------
# Validation (landstock's ingestion rules, simplified)
# ---------------------------------------------------------------------------


def validate(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, dict]:
    """Rejects what landstock rejects (first reason that applies), repairs
    invalid polygons (make_valid, polygonal parts only). Duplicate geometries
    are judged later, in the metric CRS."""
    g = gdf.geometry.array
    n = len(gdf)
    reason = np.full(n, None, dtype=object)

    def reject(mask, why):
        m = mask & (reason == None)  # noqa: E711 - elementwise
        reason[m] = why

    reject(gdf["id"].duplicated(keep="first").to_numpy(), "duplicate id")
    reject(shapely.is_missing(g), "missing geometry")
    types = shapely.get_type_id(g)
    reject(~np.isin(types, [3, 6]), "non-polygon geometry")  # 3 Polygon, 6 MultiPolygon
    reject(shapely.is_empty(g), "empty geometry")
    b = shapely.bounds(g)
    reject(~np.isfinite(b).all(axis=1), "NaN/infinite coordinate")
    out_of_range = (b[:, 0] < -180) | (b[:, 2] > 180) | (b[:, 1] < -90) | (b[:, 3] > 90)
    reject(out_of_range, "lon/lat out of range")
    ok = reason == None  # noqa: E711
    invalid = ok & ~shapely.is_valid(g)
    geoms = np.asarray(g, dtype=object).copy()
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    repaired = invalid.copy()
    area = shapely.area(geoms)
    area[~ok] = np.nan
    reject(ok & ~(area > 0), "zero-area polygon")
    ok = reason == None  # noqa: E711
    kept = gdf.loc[ok].copy()
    kept = kept.set_geometry(gpd.GeoSeries(geoms[ok], index=kept.index, crs=gdf.crs))
    report = {
        "total": n,
        "accepted": int(ok.sum() - (repaired & ok).sum()),
        "repaired": int((repaired & ok).sum()),
        "rejected": int((~ok).sum()),
        "rejected_by_reason": pd.Series(reason[~ok]).value_counts().to_dict() if (~ok).any() else {},
    }
    return kept, report


def drop_duplicate_geometries(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Exactly the same geometry as an earlier feature (normalised; a
    one-part MultiPolygon equals its Polygon), judged in the metric CRS."""
    g = gdf.geometry.array
    single = (shapely.get_type_id(g) == 6) & (shapely.get_num_geometries(g) == 1)
    key = np.asarray(g, dtype=object).copy()
    if single.any():
        key[single] = shapely.get_geometry(key[single], 0)
    wkb = pd.Series(shapely.to_wkb(shapely.normalize(key)), index=gdf.index)
    dup = wkb.duplicated(keep="first").to_numpy()
    return gdf.loc[~dup], int(dup.sum())


def utm_epsg(lon: float, lat: float) -> int:
    """src/crs.rs utm_epsg: zone = floor((lon + 180) / 6) + 1, north when lat >= 0."""
    zone = min(max(int(math.floor((lon + 180.0) / 6.0)) + 1, 1), 60)
    return (32600 if lat >= 0 else 32700) + zone


# ---------------------------------------------------------------------------
# Spatial helpers: STRtree bulk queries, chunked to bound memory
# ---------------------------------------------------------------------------

CHUNK = 20_000


def ramp(x, lo, hi):
    """clamp((x - lo) / (hi - lo), 0, 1); +inf -> 1 (src/score/transfer.rs)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore"):
        r = np.where(x >= hi, 1.0, np.where(x <= lo, 0.0, (x - lo) / (hi - lo)))
    return np.clip(np.nan_to_num(r, nan=0.0), 0.0, 1.0)


def inv_ramp(x, lo, hi):
    return 1.0 - ramp(x, lo, hi)


def sum_within(query_geoms, query_idx, tree_geoms, tree_idx, weights, dist, include_self):
    """For each query geometry, Σ weights of tree geometries within dist
    (inclusive), optionally leaving out the query parcel itself."""
    total = np.zeros(len(query_geoms))
    if len(tree_geoms) == 0:
        return total
    tree = shapely.STRtree(tree_geoms)
    for s in range(0, len(query_geoms), CHUNK):
        q, t = tree.query(query_geoms[s : s + CHUNK], predicate="dwithin", distance=dist)
        if not include_self and tree_idx is not None:
            keep = tree_idx[t] != query_idx[s + q]
            q, t = q[keep], t[keep]
        total[s : s + CHUNK] += np.bincount(q, weights=weights[t], minlength=min(CHUNK, len(query_geoms) - s))
    return total


def nearest_dist(query_geoms, tree_geoms):
    """Distance to the nearest tree geometry other than the query itself
    (``exclusive``: equal geometries are skipped; duplicates were rejected);
    +inf when the tree is empty."""
    if len(tree_geoms) == 0:
        return np.full(len(query_geoms), np.inf)
    tree = shapely.STRtree(tree_geoms)
    (qi, _), d = tree.query_nearest(query_geoms, return_distance=True, exclusive=True, all_matches=False)
    out = np.full(len(query_geoms), np.inf)
    np.minimum.at(out, qi, d)
    return out


def read_points(path, epsg):
    pts = gpd.read_file(path, engine="pyogrio", use_arrow=USE_ARROW)
    pts = pts[~pts.geometry.isna()]
    if pts.crs is None:
        pts = pts.set_crs(4326)
    pts = pts.to_crs(epsg)
    return shapely.get_parts(pts.geometry.array)  # MultiPoint -> points


# ---------------------------------------------------------------------------
# Scoring (SPEC §4, src/score/{green,ecological,cultural}.rs)
# ---------------------------------------------------------------------------

GREEN_W = {"unserved demand": 0.40, "green deficit": 0.20, "size fit": 0.15, "compactness": 0.10, "clean site": 0.15}
ECO_W = {"adjacency": 0.30, "corridor": 0.20, "peripherality": 0.20, "low density": 0.15, "size": 0.15}
CULT_W = {
    "heritage": 0.25, "moderate scale": 0.15, "centrality": 0.20,
    "transit": 0.10, "cluster": 0.15, "amenities": 0.15,
}  # fmt: skip


def weighted(values: dict, weights: dict) -> np.ndarray:
    """Weighted mean with the weights of the criteria present renormalised."""
    total = sum(weights[k] for k in values)
    s = sum(values[k] * (weights[k] / total) for k in values)
    return np.clip(s, 0.0, 1.0)


def solve_with_hard_limit(h: highspy.Highs, hard_s: float, tmp_dir: Path) -> dict:
    """Runs HiGHS in a forked child and kills it after ``hard_s`` seconds.

    HiGHS's ``time_limit`` is checked only at certain points; on large
    instances its MIP setup (``HighsObjectiveFunction::setupCliquePartition``,
    quadratic in the binaries) runs far past the limit without checking it.
    A forked child (sharing the built model copy-on-write) can be stopped
    from outside; its results come back through a small .npz file."""
    res_path = tmp_dir / ".milp_result.npz"
    res_path.unlink(missing_ok=True)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            h.run()
            info = h.getInfo()
            has = info.primal_solution_status == 2  # kSolutionStatusFeasible
            np.savez(
                res_path,
                status=h.modelStatusToString(h.getModelStatus()),
                has_solution=has,
                col_value=np.asarray(h.getSolution().col_value) if has else np.zeros(0),
                mip_dual_bound=float(info.mip_dual_bound),
                mip_gap=float(info.mip_gap),
                objective_function_value=float(info.objective_function_value),
            )
            code = 0
        finally:
            os._exit(code)
    deadline = time.perf_counter() + hard_s
    while True:
        done, wstatus = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return {
                "status": f"killed at the hard limit ({hard_s:g} s)",
                "has_solution": False, "mip_dual_bound": math.inf, "mip_gap": math.inf,
                "objective_function_value": math.nan,
            }  # fmt: skip
        time.sleep(0.02)
    if os.waitstatus_to_exitcode(wstatus) != 0 or not res_path.exists():
        sys.exit(f"HiGHS failed (child exit status {os.waitstatus_to_exitcode(wstatus)})")
    with np.load(res_path) as z:
        out = {k: z[k].item() if z[k].ndim == 0 else z[k] for k in z.files}
    res_path.unlink()
    return out


class Timer:
    def __init__(self, since: float):
        self.steps: dict[str, float] = {}
        self._t = since

    def lap(self, name):
        now = time.perf_counter()
        self.steps[name] = now - self._t
        print(f"  {name:<22} {self.steps[name]:8.3f} s", flush=True)
        self._t = now


USE_ARROW = True


def main(argv=None):
    global USE_ARROW
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("city", type=Path)
    ap.add_argument("--transit", type=Path)
    ap.add_argument("--facilities", type=Path)
    ap.add_argument("--cap", required=True, help="land-scale cap, ha (e.g. 120 or 120ha)")
    ap.add_argument("--time-limit", type=float, default=60.0, help="HiGHS time limit, s")
    ap.add_argument("--gap", type=float, default=1e-4, help="HiGHS mip_rel_gap")
    ap.add_argument("--threads", type=int, default=0, help="HiGHS threads (0: HiGHS default)")
    ap.add_argument("--lambda", dest="lam", type=float, default=0.25, help="adjacency bonus weight")
    ap.add_argument("--hard-limit", type=float,
                    help="kill HiGHS after this many s, whatever it is doing (default 2 x time limit + 30 s): "
                         "HiGHS checks its time limit only between phases")  # fmt: skip
    ap.add_argument("--highs-log", action="store_true", help="show HiGHS's log")
    ap.add_argument("--working-epsg", type=int, help="metric CRS (default: UTM zone of the data)")
    ap.add_argument("--no-arrow", action="store_true", help="read without pyarrow")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    cap_ha = float(str(a.cap).strip().removesuffix("ha"))
    a.out.mkdir(parents=True, exist_ok=True)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        USE_ARROW = False
    if a.no_arrow:
        USE_ARROW = False

    t0 = _T_START
    tm = Timer(_T_START)
    print(f"pipeline.py {a.city}", flush=True)
    tm.lap("import")

    # -- read -----------------------------------------------------------------
    raw = gpd.read_file(a.city, engine="pyogrio", use_arrow=USE_ARROW)
    if raw.crs is None:
        raw = raw.set_crs(4326)
    if "id" not in raw.columns:  # no GeoJSON id: the feature's index
        raw["id"] = np.arange(len(raw)).astype(str)
    raw["id"] = raw["id"].astype(str)
    tm.lap("read parcels")

    # -- map tags ---------------------------------------------------------------
    tags, map_report = map_tags(raw)
    tm.lap("map tags")

    # -- validate ---------------------------------------------------------------
    valid, ingest = validate(raw)
    tags = tags.loc[valid.index]
    tm.lap("validate")

    # -- project ------------------------------------------------------------------
    minx, miny, maxx, maxy = valid.total_bounds
    epsg = a.working_epsg or utm_epsg((minx + maxx) / 2.0, (miny + maxy) / 2.0)
    metric = valid.to_crs(epsg)
    metric, dup_geoms = drop_duplicate_geometries(metric)
    if dup_geoms:
        ingest["rejected"] += dup_geoms
        ingest["accepted"] -= dup_geoms
        ingest["rejected_by_reason"]["duplicate geometry"] = dup_geoms
    valid = valid.loc[metric.index]
    tags = tags.loc[metric.index]
    transit = read_points(a.transit, epsg) if a.transit else None
    facilities = read_points(a.facilities, epsg) if a.facilities else None
    tm.lap(f"project (EPSG:{epsg})")

    # -- context and candidates --------------------------------------------------
    G = metric.geometry.array
    G = np.asarray(G, dtype=object)
    n = len(G)
    idx = np.arange(n)
    cls = tags["land_use"].to_numpy(object)
    area = shapely.area(G)
    perim = shapely.length(G)  # every ring, holes included
    cent = shapely.centroid(G)
    cx, cy = shapely.get_x(cent), shapely.get_y(cent)
    popf = tags["population"].to_numpy(float)
    resid = cls == "residential"
    pop = np.where(~np.isnan(popf), popf, np.where(resid, area * RESIDENTS_PER_M2, 0.0))
    w = resid & (pop > 0)
    if w.any():
        centre = (np.sum(pop[w] * cx[w]) / pop[w].sum(), np.sum(pop[w] * cy[w]) / pop[w].sum())
    else:
        centre = (np.sum(area * cx) / area.sum(), np.sum(area * cy) / area.sum())
    cdist = np.hypot(cx - centre[0], cy - centre[1])
    radius = float(np.percentile(cdist, 95.0))  # linear interpolation (numpy default)
    if radius > 0:
        ratio = cdist / radius
    else:
        ratio = np.where(cdist == 0, 0.0, np.inf)
    derelict = tags["derelict"].to_numpy(bool)
    indlog = np.isin(cls, ["industrial", "logistics"])
    cand = (indlog & derelict) | (cls == "vacant")  # no candidate flag in this config
    ci = idx[cand]
    CG = G[cand]
    nc = len(ci)
    tm.lap("context, candidates")

    # -- green --------------------------------------------------------------------
    green = cls == "green"
    homes = resid & (pop > 0)
    hi = idx[homes]
    green_tree = shapely.STRtree(G[green])
    served = np.zeros(len(hi), bool)
    if green.any():
        for s in range(0, len(hi), CHUNK):
            q, _ = green_tree.query(G[hi[s : s + CHUNK]], predicate="dwithin", distance=500.0)
            served[s + np.unique(q)] = True
    unserved = hi[~served]
    g_raw = {
        "unserved demand": sum_within(CG, ci, G[unserved], unserved, pop[unserved], 500.0, include_self=False),
        "green deficit": nearest_dist(CG, G[green]),
        "size fit": area[ci] / 1e4,
        "compactness": np.where(perim[ci] > 0, 4 * np.pi * area[ci] / perim[ci] ** 2, 0.0),
        "clean site": np.where(tags["contaminated"].to_numpy(bool)[ci], 0.0, 1.0),
    }
    g_val = {
        "unserved demand": ramp(g_raw["unserved demand"], 0, 5000),
        "green deficit": ramp(g_raw["green deficit"], 300, 1000),
        "size fit": ramp(g_raw["size fit"], 0.04, 1.0),
        "compactness": ramp(g_raw["compactness"], 0.1, 0.6),
        "clean site": g_raw["clean site"],
    }
    score_green = weighted(g_val, GREEN_W)
    tm.lap("score green")

    # -- ecological ------------------------------------------------------------------
    wateco = np.isin(cls, ["water", "ecological"])
    habitat = wateco | green
    populated = pop > 0
    e_raw = {
        "adjacency": nearest_dist(CG, G[wateco]),
        "corridor": sum_within(CG, ci, G[habitat], idx[habitat], np.ones(habitat.sum()), 300.0, include_self=False),
        "peripherality": ratio[ci],
        "low density": sum_within(CG, ci, G[populated], idx[populated], pop[populated], 1000.0, include_self=True),
        "size": area[ci] / 1e4,
    }
    e_val = {
        "adjacency": inv_ramp(e_raw["adjacency"], 0, 500),
        "corridor": ramp(e_raw["corridor"], 0, 3),
        "peripherality": ramp(e_raw["peripherality"], 0.3, 0.9),
        "low density": inv_ramp(e_raw["low density"], 0, 20000),
        "size": ramp(e_raw["size"], 0.5, 10),
    }
    score_eco = weighted(e_val, ECO_W)
    tm.lap("score ecological")

    # -- cultural (industrial / logistics origins only) --------------------------------
    cult_ok = indlog[ci]
    ki = ci[cult_ok]
    KG = G[ki]
    heritage = tags["heritage"].to_numpy(bool)[ki]
    floor = tags["floor_area_m2"].to_numpy(float)[ki]
    old = indlog & derelict
    public = cls == "public"
    amen = sum_within(KG, ki, G[public], idx[public], np.ones(public.sum()), 1000.0, include_self=False)
    if facilities is not None and len(facilities):
        amen += sum_within(KG, ki, facilities, None, np.ones(len(facilities)), 1000.0, include_self=True)
    c_raw = {
        "heritage": np.where(heritage, 1.0, np.where(floor <= 0, 0.3, 0.6)),  # NaN (unknown) -> 0.6
        "moderate scale": area[ki] / 1e4,
        "centrality": ratio[ki],
        "cluster": (sum_within(KG, ki, G[old], idx[old], area[old], 200.0, include_self=False) + area[ki]) / 1e4,
        "amenities": amen,
    }
    c_val = {
        "heritage": c_raw["heritage"],
        "moderate scale": np.minimum(ramp(c_raw["moderate scale"], 0.5, 2), inv_ramp(c_raw["moderate scale"], 60, 150)),
        "centrality": inv_ramp(c_raw["centrality"], 0.2, 0.7),
        "cluster": ramp(c_raw["cluster"], 2, 30),
        "amenities": ramp(c_raw["amenities"], 0, 5),
    }
    if transit is not None:  # absent layer: criterion dropped, weights renormalised
        c_raw["transit"] = nearest_dist(KG, transit)
        c_val["transit"] = inv_ramp(c_raw["transit"], 300, 1500)
    score_cult = np.full(nc, np.nan)
    score_cult[cult_ok] = weighted(c_val, CULT_W)
    tm.lap("score cultural")

    # -- touching candidate pairs and shared boundary length ----------------------------
    ctree = shapely.STRtree(CG)
    pa, pb = ctree.query(CG, predicate="dwithin", distance=0.01)
    keep = pa < pb
    pa, pb = pa[keep], pb[keep]
    bnd = shapely.boundary(CG)
    shared = shapely.length(shapely.intersection(bnd[pa], bnd[pb]))
    pos = shared > 0
    pa, pb, shared = pa[pos], pb[pos], shared[pos]
    tm.lap("touching pairs")

    # -- MILP (SPEC §5, cap row only) ----------------------------------------------------
    area_ha = area[ci] / 1e4
    scores = np.column_stack([score_green, score_eco, np.nan_to_num(score_cult, nan=0.0)])
    elig = np.column_stack([np.ones(nc, bool), np.ones(nc, bool), cult_ok])
    benefit = np.where(elig, scores * area_ha[:, None], 0.0)
    # x columns: one per eligible (candidate, use), candidate-major
    xp, xu = np.nonzero(elig)
    nx = len(xp)
    xcol = np.full((nc, 3), -1, dtype=np.int64)
    xcol[xp, xu] = np.arange(nx)
    # y columns: one per (pair, use) with a positive bonus weight
    per = np.minimum(perim[ci][pa], perim[ci][pb])
    wpair = a.lam * np.minimum(benefit[pa], benefit[pb]) * (shared / per)[:, None]
    yk, yu = np.nonzero(wpair > 0)
    ny = len(yk)
    ya, yb = xcol[pa[yk], yu], xcol[pb[yk], yu]
    ycol = nx + np.arange(ny)
    ncol = nx + ny
    cost = np.concatenate([benefit[xp, xu], wpair[yk, yu]])
    # rows, CSR: one-use rows (candidates with >= 2 options), the cap, then y links
    nopt = elig.sum(axis=1)
    multi = np.nonzero(nopt >= 2)[0]
    one_use_len = nopt[multi]
    # a candidate's x columns are consecutive (candidate-major): first, first + 1, ...
    offset_in_row = np.arange(one_use_len.sum()) - np.repeat(np.cumsum(one_use_len) - one_use_len, one_use_len)
    one_use_idx = np.repeat(xcol[multi, 0], one_use_len) + offset_in_row
    cap_idx = np.arange(nx)
    cap_val = area_ha[xp]
    link_idx = np.stack([np.concatenate([ycol, ycol]), np.concatenate([ya, yb])], axis=1).reshape(-1)
    link_val = np.tile([1.0, -1.0], 2 * ny)
    lens = np.concatenate([one_use_len, [nx], np.full(2 * ny, 2)])
    start = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int32)
    index = np.concatenate([one_use_idx, cap_idx, link_idx]).astype(np.int32)
    value = np.concatenate([np.ones(one_use_len.sum()), cap_val, link_val])
    nrow = len(lens)
    upper = np.concatenate([np.ones(len(multi)), [cap_ha], np.zeros(2 * ny)])

    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(a.highs_log))
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = nrow
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.ones(ncol)
    lp.row_lower_ = np.full(nrow, -highspy.kHighsInf)
    lp.row_upper_ = upper
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = ncol
    lp.a_matrix_.num_row_ = nrow
    lp.a_matrix_.start_ = np.append(start, len(index)).astype(np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * nx + [highspy.HighsVarType.kContinuous] * ny
    h.passModel(lp)
    for k, v in [
        ("mip_rel_gap", a.gap),
        ("mip_abs_gap", 1e-6),
        ("time_limit", a.time_limit),
        ("random_seed", 0),
        ("mip_feasibility_tolerance", 1e-9),
        ("primal_feasibility_tolerance", 1e-9),
    ]:
        h.setOptionValue(k, v)
    if a.threads:
        h.setOptionValue("threads", a.threads)
    tm.lap("MILP build")

    hard_s = a.hard_limit if a.hard_limit is not None else 2.0 * a.time_limit + 30.0
    res = solve_with_hard_limit(h, hard_s, a.out)
    status = res["status"]
    has_solution = res["has_solution"]
    # without one (time limit before any feasible point), every candidate is kept
    sol = res["col_value"] if has_solution else np.zeros(ncol)
    tm.lap("MILP solve")

    # -- plan and outputs ----------------------------------------------------------------
    x = sol[:nx] > 0.5
    use = np.full(nc, "keep", dtype=object)
    use[xp[x]] = np.array(["green", "ecological", "cultural"], dtype=object)[xu[x]]
    u_idx = {"green": 0, "ecological": 1, "cultural": 2}
    chosen = np.array([u_idx.get(u, -1) for u in use])
    ben = np.where(chosen >= 0, benefit[np.arange(nc), np.maximum(chosen, 0)], 0.0)
    same = (chosen[pa] == chosen[pb]) & (chosen[pa] >= 0)
    bonus = float(np.sum(np.where(same, wpair[np.arange(len(pa)), np.maximum(chosen[pa], 0)], 0.0)))
    objective = float(ben.sum() + bonus)
    bound = res["mip_dual_bound"]
    denom = max(abs(bound), abs(objective))
    if not math.isfinite(bound):
        gap = math.inf
    else:
        gap = max(0.0, (bound - objective) / denom) if denom > 0 else 0.0
    converted = {u: float(area_ha[use == u].sum()) for u in ["green", "ecological", "cultural"]}

    cand_ll = valid.loc[metric.index[cand]].copy()
    ids = cand_ll["id"].to_numpy()
    cand_ll.insert(1, "landstock_use", use)
    cand_ll.insert(2, "landstock_from", cls[ci])
    cand_ll.insert(3, "landstock_area_m2", area[ci])
    cand_ll.insert(4, "landstock_score_green", score_green)
    cand_ll.insert(5, "landstock_score_ecological", score_eco)
    cand_ll.insert(6, "landstock_score_cultural", score_cult)
    cand_ll.insert(7, "landstock_benefit", ben)
    cand_ll.to_file(
        a.out / "plan.geojson", driver="GeoJSON", engine="pyogrio", layer_options={"ID_FIELD": "id"}
    )
    pd.DataFrame(
        {"id": ids, "score_green": score_green, "score_ecological": score_eco, "score_cultural": score_cult}
    ).to_csv(a.out / "scores.csv", index=False, float_format="%.17g")
    tm.lap("write outputs")

    total = time.perf_counter() - t0
    rss_mb = max(  # the HiGHS child included; KiB on Linux
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ) / 1024.0
    summary = {
        "input": str(a.city),
        "working_crs": f"EPSG:{epsg}",
        "ingest": ingest,
        "mapping": map_report,
        "parcels": int(n),
        "candidates": int(nc),
        "candidates_ha": float(area_ha.sum()),
        "touching_pairs": int(len(pa)),
        "centre": list(centre),
        "city_radius_m": radius,
        "milp": {"columns": int(ncol), "x": int(nx), "y": int(ny), "rows": int(nrow), "nonzeros": int(len(index))},
        "solver": {
            "method": "highs",
            "status": status,
            "has_solution": bool(has_solution),
            "objective": objective,
            "highs_objective": res["objective_function_value"],
            "bound": bound,
            "gap": gap,
            "highs_mip_gap": res["mip_gap"],
            "hard_limit_s": hard_s,
            "seconds": tm.steps["MILP solve"],
            "benefit": float(ben.sum()),
            "adjacency_bonus": bonus,
        },
        "plan": {"cap_ha": cap_ha, "converted_ha": converted, "converted": int((use != "keep").sum())},
        "timings_s": {**tm.steps, "total": total},
        "peak_rss_mb": rss_mb,
        "versions": {
            "python": sys.version.split()[0],
            "geopandas": gpd.__version__,
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
            "pyproj": __import__("pyproj").__version__,
            "pyogrio": __import__("pyogrio").__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "highs": f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}",
            "arrow": USE_ARROW,
        },
    }
    (a.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"  {nc} candidates, {len(pa)} touching pairs, EPSG:{epsg}; "
        f"MILP {ncol} cols x {nrow} rows: {status}, objective {objective:.6f}, "
        f"bound {bound:.6f}, gap {gap:.2e}"
    )
    print(f"  total {total:.3f} s, peak RSS {rss_mb:.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
