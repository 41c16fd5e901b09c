#!/usr/bin/env python3
"""Independent check of examples/configs/{fishtown,rockford}.toml.

Re-implements the configs' rules by hand in plain Python (stdlib json only;
it does not read the TOML) and prints the per-class counts, the derelict
counts and the fact counts that tests/mapping_real_data.rs asserts.

    python3 examples/configs/expected_counts.py [/work/shared/data]
"""
import collections
import json
import os
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "LANDSTOCK_SHARED_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def norm(v):
    """Trimmed lower-case text; None for null or blank."""
    if v is None:
        return None
    s = str(v).strip()
    return s.lower() if s else None


def fishtown(p):
    t, lu, owner, zone = (norm(p.get(k)) for k in ("BC_TYPE", "BC_LANDUSE", "OWNER_CATE", "LONG_CODE"))
    if zone in ("i-2", "icmx", "irmx") and lu in ("lot", "parking"):
        return "industrial", "derelict"
    if lu == "lot" or t == "vacant":
        return "vacant", "active"
    if t is not None and (t.startswith("apartment") or t.startswith("residential")):
        return "residential", "active"
    if t == "other":
        if owner is not None and (owner.startswith("residential_") or owner == "private_res"):
            return "residential", "active"
        if owner == "commercial_property":
            return "commercial", "active"
        if owner in ("archdiocese", "religious"):
            return "public", "active"
    if t is not None and (t in ("store", "office", "hotel", "bank", "laundry")
                          or t.startswith("restaurant") or t.startswith("shopping") or t.startswith("auto lot")):
        return "commercial", "active"
    if t == "industry":
        return "industrial", "active"
    if t in ("park / rec center", "cemetery / golf"):
        return "green", "active"
    if t in ("school", "hospital", "religious", "public"):
        return "public", "active"
    if t == "utility":
        return "utility", "active"
    if t in ("transportation", "parking"):
        return "transport", "active"
    return "unknown", "active"


def rockford(p):
    ind, later, style = norm(p.get("original_industry")), norm(p.get("later_industries")), norm(p.get("style"))
    tenants = norm(p.get("current_tenants"))

    def has(v, *words):
        return v is not None and any(w in v for w in words)

    if has(ind, "warehouse", "storage") or has(style, "warehouse") or has(later, "warehouse", "storage"):
        land = "logistics"
    elif style is not None and style.startswith("commercial"):
        land = "commercial"
    elif has(style, "industr", "indusrial", "mill", "sawtooth", "daylighting", "foundry", "clerestory", "clearstory") \
            or ind is not None:
        land = "industrial"
    else:
        land = "unknown"
    status = "derelict" if tenants in ("vacant", "empty") else "active"
    heritage = norm(p.get("historic_criteria")) is not None
    contaminated = has(ind, "gas plant")
    return land, status, heritage, contaminated


OSM_LANDUSE = {
    "residential": "residential", "commercial": "commercial", "retail": "commercial",
    "industrial": "industrial", "brownfield": "industrial", "greenfield": "vacant",
    "construction": "vacant", "railway": "transport", "forest": "ecological",
    "farmland": "ecological", "meadow": "ecological", "grass": "green", "cemetery": "green",
    "reservoir": "water", "basin": "water", "education": "public", "religious": "public",
}
OSM_LEISURE = {"park": "green", "garden": "green"}
OSM_NATURAL = {"water": "water", "wetland": "ecological", "wood": "ecological",
               "scrub": "ecological", "grassland": "ecological"}


def hstore(s):
    """GDAL other_tags: "k"=>"v","k2"=>"v2" (no escapes in these files)."""
    out = {}
    for part in (s or "").split('","'):
        if "=>" in part:
            k, v = part.split("=>", 1)
            out[k.strip().strip('"')] = v.strip().strip('"')
    return out


def osm(p):
    other = hstore(p.get("other_tags"))

    def tag(k):
        v = norm(p.get(k))
        return v if v is not None else norm(other.get(k))

    derelict = tag("abandoned") in ("yes", "true", "1", "y", "t") or tag("disused") in ("yes", "true", "1", "y", "t")
    lu = tag("landuse")
    if lu is None:
        for k in ("abandoned:landuse", "disused:landuse"):
            if tag(k) is not None:
                lu, derelict = tag(k), True
                break
    derelict = derelict or lu == "brownfield"
    land = OSM_LEISURE.get(tag("leisure")) or OSM_LANDUSE.get(lu) or OSM_NATURAL.get(tag("natural")) or "unknown"
    return land, "derelict" if derelict else "active"


def report(name, rows):
    classes = collections.Counter(r[0] for r in rows)
    derelict = collections.Counter(r[0] for r in rows if r[1] == "derelict")
    print(f"{name}: {len(rows)} features")
    for k, v in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {k:12} {v:5}   derelict {derelict.get(k, 0)}")


def main():
    with open(os.path.join(DATA, "fishtown", "fishtown_parcels.geojson")) as f:
        feats = json.load(f)["features"]
    report("fishtown", [fishtown(ft["properties"] or {}) for ft in feats])

    with open(os.path.join(DATA, "rockford", "parcels.geojson")) as f:
        feats = json.load(f)["features"]
    rows = [rockford(ft["properties"] or {}) for ft in feats]
    report("rockford", rows)
    print(f"  heritage {sum(r[2] for r in rows)}   contaminated {sum(r[3] for r in rows)}")
    for ft, r in zip(feats, rows):
        if r[0] == "unknown" or r[3]:
            print(f"  note: {ft['properties']['id']}: {r}")
    sqft = [ft["properties"].get("building_sqft") for ft in feats]
    with_area = sum(1 for s in sqft if s is not None and str(s).replace(",", "").strip().replace(".", "", 1).isdigit())
    print(f"  floor area readable {with_area} of {len(feats)}")

    for name in ("west_oakland", "helsinki_center"):
        with open(os.path.join(DATA, "osm-small", f"{name}_polygons.geojson")) as f:
            feats = json.load(f)["features"]
        report(f"osm {name}", [osm(ft["properties"] or {}) for ft in feats])



if __name__ == "__main__":
    main()
