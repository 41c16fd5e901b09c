#!/usr/bin/env python3
"""Independent count of ingest outcomes (SPEC §2) with shapely/GEOS.

Used to check the exact counts asserted in tests/real_data.rs. Needs
`pip install shapely`. Usage: verify_ingest_counts.py FILE [ID_PROPERTY]
Prints a JSON object: counts and rejections by reason, repairs by kind.
"""
import json, math, sys
from collections import Counter
import shapely
from shapely.geometry import Polygon, MultiPolygon
import pyproj

path = sys.argv[1]
id_prop = sys.argv[2] if len(sys.argv) > 2 else None
fc = json.load(open(path, encoding="utf-8"))
feats = fc["features"]
# UTM zone of the bbox centre of features with plausible coordinates (SPEC §2)
xs = [c[0] for f in feats if f.get("geometry") and f["geometry"]["type"] in ("Polygon", "MultiPolygon")
      for p in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"])
      for r in p for c in r]
ys = [c[1] for f in feats if f.get("geometry") and f["geometry"]["type"] in ("Polygon", "MultiPolygon")
      for p in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"])
      for r in p for c in r]
lon, lat = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
epsg = (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1
to_utm = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform

def zero_area(g):
    """landstock's rule: mean width 2A/P under 1 mm, measured in metres."""
    m = shapely.transform(g, lambda a: __import__('numpy').column_stack(to_utm(a[:, 0], a[:, 1])))
    return m.area <= 0 or 2 * m.area / m.length < 0.001

seen_ids, seen_geoms = {}, set()
kept = []
out = Counter()
reasons = Counter()
repairs = Counter()

def ring_key(ring, ccw):
    pts = [tuple(p) for p in ring[:-1]]
    area = sum(a[0]*b[1]-b[0]*a[1] for a, b in zip(pts, pts[1:]+pts[:1]))
    if (area > 0) != ccw:
        pts.reverse()
    i = min(range(len(pts)), key=lambda k: pts[k])
    return tuple(pts[i:] + pts[:i])

for idx, f in enumerate(feats):
    fid = None
    props = f.get("properties")
    if id_prop:
        fid = props.get(id_prop) if isinstance(props, dict) else None
    elif f.get("id") is not None:
        fid = f["id"]
    fid = str(fid) if fid is not None else str(idx)
    if fid in seen_ids:
        out["rejected"] += 1; reasons["duplicate_id"] += 1; continue
    seen_ids[fid] = idx
    g = f.get("geometry")
    if g is None:
        out["rejected"] += 1; reasons["missing_geometry"] += 1; continue
    if g["type"] not in ("Polygon", "MultiPolygon"):
        out["rejected"] += 1; reasons["non_polygon_geometry"] += 1; continue
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    coords = [c for p in polys for r in p for c in r]
    if not coords:
        out["rejected"] += 1; reasons["empty_geometry"] += 1; continue
    if any(not math.isfinite(v) for c in coords for v in c[:2]):
        out["rejected"] += 1; reasons["non_finite_coordinate"] += 1; continue
    if any(not (-180 <= c[0] <= 180 and -90 <= c[1] <= 90) for c in coords):
        out["rejected"] += 1; reasons["lon_lat_out_of_range"] += 1; continue
    kinds = set()
    fixed = []
    for p in polys:
        rings = []
        for k, r in enumerate(p):
            r = [tuple(c[:2]) for c in r]
            if len(r) > 1 and r[0] != r[-1]:
                r.append(r[0]); kinds.add("closed_ring")
            d = [c for i, c in enumerate(r) if i == 0 or c != r[i-1]]
            if len(d) != len(r):
                kinds.add("removed_duplicate_vertex")
            if len(d) < 4:
                kinds.add("dropped_degenerate_ring")
                if k == 0:
                    rings = None; break
                continue
            rings.append(d)
        if rings:
            fixed.append(rings)
    if not fixed:
        out["rejected"] += 1; reasons["zero_area"] += 1; continue
    geom = MultiPolygon([Polygon(r[0], r[1:]) for r in fixed])
    if not geom.is_valid:
        mv = shapely.make_valid(geom)
        polysonly = [x for x in getattr(mv, "geoms", [mv]) if x.geom_type in ("Polygon", "MultiPolygon")]
        if not polysonly or zero_area(shapely.union_all(polysonly)):
            out["rejected"] += 1; reasons["zero_area"] += 1; continue
        kinds.add("made_valid")
        key = ("made_valid", shapely.normalize(shapely.union_all(polysonly)).wkb)
    else:
        if zero_area(geom):
            out["rejected"] += 1; reasons["zero_area"] += 1; continue
        key = tuple(sorted(
            (ring_key(r[0], True), tuple(sorted(ring_key(h, False) for h in r[1:]))) for r in fixed))
    if key in seen_geoms:
        out["rejected"] += 1; reasons["duplicate_geometry"] += 1; continue
    seen_geoms.add(key)
    kept.append(shapely.make_valid(geom) if not geom.is_valid else geom)
    if kinds:
        out["repaired"] += 1
        for k in kinds: repairs[k] += 1
    else:
        out["accepted"] += 1

# overlap warnings: pairs overlapping by more than 5% of the smaller one (in metres)
import numpy as np
metric = [shapely.transform(g, lambda a: np.column_stack(to_utm(a[:, 0], a[:, 1]))) for g in kept]
tree = shapely.STRtree(metric)
left, right = tree.query(metric, predicate="intersects")
overlaps = 0
for i, j in zip(left, right):
    if i < j:
        inter = metric[i].intersection(metric[j]).area
        if inter > 0.05 * min(metric[i].area, metric[j].area):
            overlaps += 1

print(json.dumps({"overlaps": overlaps, "working_crs": f"EPSG:{epsg}", "total": len(feats), "counts": dict(out), "rejected_by_reason": dict(reasons),
                  "repaired_by_kind": dict(repairs)}, indent=1, sort_keys=True))
