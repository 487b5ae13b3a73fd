"""Validate the world maritime zones against Marine Regions (../shared/reference) and geodesic facts.

Four measures (issue 13, item 6), one JSON line each, and a markdown report:

1. ``iou``: per sovereign state, our EEZ (rows with status equidistance/treaty, all the
   state's territories united) against the reference's 200NM polygons of the same
   sovereign; the union of every disputed / joint / Antarctic-treaty area of either side is
   removed from both before comparing. Areas are geodesic (``Geod.geometry_area_perimeter``).
   The largest pieces that only one side has are listed with who holds them on the other
   side, as a first diagnosis of each low IoU.
2. ``limit_200nm``: sampled vertices of our EEZ boundaries that are nearer their own coast
   than any other (by > 1 km) or on their own 200 nm arc: geodesic distance to the nearest
   coast (the land layer's, densified to <= ~1 km) minus 370.4 km.
3. ``median_line``: the other sampled vertices inside 200 nm and off the treaty lines:
   |d(own coast) - d(nearest other owner's coast)|.
4. ``treaty``: each turning point of ``geo._zonebuild.facts.TREATIES`` to the shared
   boundary of the two parties' EEZs.

The reference is read for validation only; nothing of it is written anywhere but the report.

    .venv/bin/python benchmarks/validate_world.py [--world DIR] [--markdown /tmp/validate_world.md]

``--world`` holds the layers as ``*.npz`` (geo._zonefile) or ``*.gpkg`` (the NW Pacific
bundle, with ``--box 100,0,180,65`` to compare inside its box only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree
from validate_zones import GEOD, nearest_km

from geo._resources import bundle_dir
from geo._zonebuild import sphere
from geo._zonebuild.facts import BASELINES, SOURCES_DIR, TREATIES
from geo._zonebuild.world import row_codes

LIMIT_KM = 370.4
# Equal Earth (EPSG:8857) is equal-area: areas of whole countries' overlays without a Python
# loop over their hundreds of thousands of rings (Geod.geometry_area_perimeter has one)
_EQUAL_AREA = Transformer.from_crs("EPSG:4326", "EPSG:8857", always_xy=True)
OURS_COMPARED = ("equidistance", "treaty")
OURS_MASKED = ("disputed", "joint", "antarctic_treaty")
# the continent of a sovereign's home EEZ where its position alone would mislead
CONTINENT_OF = {"RUS": "Europe", "TUR": "Asia", "CYP": "Asia", "EGY": "Africa", "USA": "North America",
                "GEO": "Asia", "AZE": "Asia", "KAZ": "Asia", "ISL": "Europe", "GRL": "North America",
                "COL": "South America", "SDN": "Africa", "ERI": "Africa", "DJI": "Africa", "SOM": "Africa", "VEN": "South America", "PAN": "North America", "TTO": "South America",
                "PNG": "Oceania", "TLS": "Asia", "IDN": "Asia", "PHL": "Asia", "MDV": "Asia", "MUS": "Africa",
                "SYC": "Africa", "COM": "Africa", "MDG": "Africa", "CPV": "Africa", "STP": "Africa",
                "JOR": "Asia", "ISR": "Asia", "LBN": "Asia", "SYR": "Asia", "SAU": "Asia", "YEM": "Asia"}


def continent(iso: str, lon: float, lat: float) -> str:
    """A coarse continent of a sovereign from its home EEZ's position (overrides in CONTINENT_OF)."""
    if iso in CONTINENT_OF:
        return CONTINENT_OF[iso]
    if lat < -60:
        return "Antarctica"
    if lon < -30:
        return "North America" if lat >= 10 else "South America"
    if lon >= 130 or lon <= -120:
        return "Asia" if lat >= 20 else "Oceania"
    if lon >= 110 and lat <= -10:
        return "Oceania"
    if lat >= 36 and lon <= 45:
        return "Europe"
    if lon <= 52 and lat < 36 and not (lon > 32 and lat > 12):
        return "Africa"
    return "Asia"


def read_world(world: Path, kind: str) -> gpd.GeoDataFrame:
    """One layer of ``world``: ``{kind}.npz`` (compact zone file) or ``{kind}.gpkg``."""
    from geo._zonefile import read_layer

    npz, gpkg = world / f"{kind}.npz", world / f"{kind}.gpkg"
    if npz.exists():
        return read_layer(npz)
    if gpkg.exists():
        return gpd.read_file(gpkg)
    raise FileNotFoundError(f"no {kind}.npz or {kind}.gpkg in {world}: pass --world DIR")


def default_world() -> Path:
    d = bundle_dir() / "world"
    return d if (d / "manifest.json").exists() else Path("/tmp/world_out")


# --- 1. IoU per sovereign ----------------------------------------------------------------------

def reference_sovereigns(ref: gpd.GeoDataFrame) -> pd.Series:
    """ISO3 of each reference row's Sovereign1, read from the reference's own rows: the code of
    the territory named as its sovereign (Kiribati, which has none, by its territories' code)."""
    home = ref[ref["Territory1"] == ref["Sovereign1"]]
    iso = dict(zip(home["Sovereign1"], home["ISO_Ter1"], strict=True))
    for name, codes in ref.groupby("Sovereign1")["ISO_Ter1"]:
        if name not in iso and codes.nunique() == 1:
            iso[name] = codes.iloc[0]
    out: pd.Series = ref["Sovereign1"].map(iso)
    return out


def area_km2(g: Any) -> Any:
    """Area (km2) of a geometry or an array of them in lon/lat, on the Equal Earth projection."""
    # edges straight in lon/lat are curves on the projection (the meridians are curved): a
    # zero-width sliver along 180 deg would enclose 0.5 M km2 between its far vertices
    dense = shapely.segmentize(g, 0.25)
    xy = shapely.transform(dense, lambda c: np.column_stack(
        _EQUAL_AREA.transform(np.clip(c[:, 0], -180 + 1e-9, 180 - 1e-9), c[:, 1])))
    return shapely.area(xy) / 1e6


def _robust(op: Any, a: Any, b: Any) -> Any:
    """``op(a, b)``; on a GEOS topology error, again on make_valid inputs, then snap-rounded to 1e-6 deg."""
    try:
        return op(a, b)
    except shapely.errors.GEOSException:
        a, b = shapely.make_valid(a), shapely.make_valid(b)
    try:
        return op(a, b)
    except shapely.errors.GEOSException:
        return op(a, b, grid_size=1e-6)


def _simple(geoms: np.ndarray, tol_deg: float) -> np.ndarray:
    g = np.asarray(geoms, dtype=object)
    # Douglas-Peucker without topology checks, then make_valid: linear time (preserving the
    # topology took 290 s for Canada's EEZ alone)
    out: np.ndarray = shapely.make_valid(shapely.simplify(g, tol_deg, preserve_topology=False) if tol_deg > 0 else g)
    return out


def residual_pieces(diff: shapely.Geometry, other: gpd.GeoDataFrame, labels: np.ndarray,
                    top: int) -> list[dict[str, Any]]:
    """The ``top`` largest parts of ``diff`` (km2, a point in each) and what ``other`` has there."""
    parts = shapely.get_parts(diff)
    if not len(parts):
        return []
    areas = area_km2(parts)
    out = []
    tree = shapely.STRtree(other.geometry.values)
    for k in np.argsort(-areas)[:top]:
        p = shapely.point_on_surface(parts[k])
        hit = tree.query(p, predicate="intersects")
        out.append({"km2": round(float(areas[k])), "lon": round(p.x, 2), "lat": round(p.y, 2),
                    "other_side": ";".join(sorted({str(labels[h]) for h in hit})) or "nothing"})
    return out


def reference_grouping(eez: gpd.GeoDataFrame, ref200: gpd.GeoDataFrame) -> pd.Series:
    """Our rows' sovereign as the reference groups their territory (Cook Islands and Niue under
    New Zealand, say); our own ``sovereign`` where the reference has no such territory."""
    ref_sov = dict(zip(ref200["ISO_Ter1"], ref200["iso"], strict=True))
    sov = pd.Series([ref_sov.get(t, s) if isinstance(t, str) else s
                     for t, s in zip(eez["territory"], eez["sovereign"], strict=True)], index=eez.index, dtype=object)
    moved = sorted({(t, s, v) for t, s, v in zip(eez["territory"], eez["sovereign"], sov, strict=True)
                    if isinstance(s, str) and v != s})
    if moved:
        print("grouped as the reference does: " + ", ".join(f"{t} {s}->{v}" for t, s, v in moved), file=sys.stderr)
    return sov


def self_iou_at(g: shapely.Geometry, vertices: int) -> float:
    """IoU of ``g`` with itself simplified (Douglas-Peucker) to about ``vertices`` vertices: what
    a reference as coarse as the 5 % copy costs a perfect match, for this country's shape."""
    if shapely.is_empty(g) or vertices <= 0:
        return float("nan")
    lo, hi = -5.0, 0.5  # log10 of the tolerance in degrees
    for _ in range(12):
        mid = (lo + hi) / 2
        n = shapely.get_num_coordinates(shapely.simplify(g, 10**mid, preserve_topology=False))
        lo, hi = (mid, hi) if n > vertices else (lo, mid)
    s = shapely.make_valid(shapely.simplify(g, 10**hi, preserve_topology=False))
    inter = area_km2(_robust(shapely.intersection, g, s))
    union = area_km2(_robust(shapely.union, g, s))
    return float(inter / union) if union else float("nan")


def iou_per_country(eez: gpd.GeoDataFrame, ref: gpd.GeoDataFrame, *, tol_deg: float,
                    box: tuple[float, ...] | None, only: list[str] | None, top: int) -> list[dict[str, Any]]:
    ref = ref.assign(iso=reference_sovereigns(ref))
    ref = ref.assign(geometry=_simple(ref.geometry.values, 0.0))
    ours_g = _simple(eez.geometry.values, tol_deg)
    eez = eez.assign(geometry=ours_g)
    in_ours = eez["status"].isin(OURS_COMPARED).to_numpy()
    in_ref = (ref["Pol_type"] == "200NM").to_numpy()
    mask = shapely.union_all([*eez.geometry.values[~in_ours], *ref.geometry.values[~in_ref]])
    if box is not None:
        mask = shapely.intersection(mask, shapely.box(*box))
    our_label = np.array([f"ours {t if isinstance(t, str) else n} ({s})"
                          for t, n, s in zip(eez["territory"], eez["name"], eez["status"], strict=True)])
    ref_label = np.array([f"ref {t} ({p})" for t, p in zip(ref["ISO_Ter1"], ref["Pol_type"], strict=True)])
    sov = reference_grouping(eez, ref[in_ref])
    isos = sorted(set(ref["iso"][in_ref].dropna()) | set(sov[in_ours].dropna()))
    rows = []
    for iso in only or isos:
        ours = shapely.union_all(eez.geometry.values[in_ours & (sov == iso).to_numpy()])
        theirs = shapely.union_all(ref.geometry.values[in_ref & (ref["iso"] == iso).to_numpy()])
        if box is not None:
            ours, theirs = (shapely.intersection(g, shapely.box(*box)) for g in (ours, theirs))
        both = _robust(shapely.union, ours, theirs)
        if shapely.is_empty(both):
            continue
        m = shapely.clip_by_rect(mask, *shapely.bounds(both))
        ours, theirs = _robust(shapely.difference, ours, m), _robust(shapely.difference, theirs, m)
        inter = area_km2(_robust(shapely.intersection, ours, theirs))
        ours_only, ref_only = _robust(shapely.difference, ours, theirs), _robust(shapely.difference, theirs, ours)
        a_o, a_r = area_km2(ours_only), area_km2(ref_only)
        home = ref[in_ref & (ref["ISO_Ter1"] == iso).to_numpy()]
        rp = shapely.point_on_surface(shapely.union_all(home.geometry.values if len(home) else [both]))
        rows.append({"iso": iso, "continent": continent(iso, rp.x, rp.y), "ours_km2": round(inter + a_o),
                     "ref_km2": round(inter + a_r),
                     "iou": inter / (inter + a_o + a_r) if inter + a_o + a_r else float("nan"),
                     "ours_only_km2": round(a_o), "ref_only_km2": round(a_r),
                     "ours_only": residual_pieces(ours_only, ref, ref_label, top),
                     "ref_only": residual_pieces(ref_only, eez, our_label, top),
                     "ref_vertices": int(shapely.get_num_coordinates(theirs)),
                     "self_iou_at_ref_vertices": self_iou_at(ours, int(shapely.get_num_coordinates(theirs)))})
    return rows


# --- 2/3. 200 nm limits and median lines ---------------------------------------------------------

def coast_trees(land: gpd.GeoDataFrame, spacing_deg: float) -> dict[str, Any]:
    """Per owner code, a KD-tree over its land layer's coast (and declared baselines), densified
    to ``spacing_deg``."""
    codes = np.array(row_codes(land))
    # declared straight baselines count as coast: the build measures from them too
    baselines = {b.state: shapely.linestrings(b.points(SOURCES_DIR)) for b in BASELINES}
    out = {}
    for code in np.unique(codes):
        rings = shapely.boundary(land.geometry.values[codes == code])
        if code in baselines:
            rings = np.append(rings, baselines[str(code)])
        xy = shapely.get_coordinates(shapely.segmentize(rings, spacing_deg))
        out[str(code)] = (cKDTree(sphere.to_unit_vectors(xy[:, 0], xy[:, 1])), xy)
    return out


def treaty_lines() -> shapely.Geometry:
    """Where the treaties' lines (as the build prolongs them) divide the parties' zones."""
    return shapely.union_all([shapely.intersection(t.extended_line(SOURCES_DIR), t.region(SOURCES_DIR))
                              for t in TREATIES])


def limit_and_median(eez: gpd.GeoDataFrame, trees: dict[str, Any], *, per_row: int, box: tuple[float, ...] | None,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[tuple[Any, ...]], dict[str, Any]]:
    """EEZ boundary vertices off the coast, ``per_row`` sampled per owner: (200 nm residuals,
    median residuals, where each median vertex is, counts)."""
    rng = np.random.default_rng(seed)
    codes = np.array(row_codes(eez))
    keep = (eez["status"] != "antarctic_treaty").to_numpy()
    parts = shapely.get_parts(eez.geometry.values, return_index=True)
    part_tree = shapely.STRtree(parts[0])
    lines = treaty_lines()
    limit: list[np.ndarray] = []
    median: list[np.ndarray] = []
    where: list[tuple[Any, ...]] = []
    where_limit: list[tuple[Any, ...]] = []
    counts: dict[str, Any] = {"sampled": 0, "no_coast": 0, "coast": 0, "limit": 0, "median": 0, "treaty": 0, "other": 0}
    for code in np.unique(codes[keep]):
        rows = np.flatnonzero((codes == code) & keep)
        xy = shapely.get_coordinates(shapely.boundary(eez.geometry.values[rows]))
        x, y = xy[:, 0], xy[:, 1]
        ok = np.abs(np.abs(x) - 180) > 1e-7  # the split at 180 deg is no limit
        if box is not None:
            x0, y0, x1, y1 = box
            ok &= ~(np.isclose(x, x0) | np.isclose(x, x1) | np.isclose(y, y0) | np.isclose(y, y1))
        if code not in trees:
            counts["no_coast"] += int(ok.sum())
            continue
        # vertices within ~2 km of the own coast (by chord) are the landward edge, no limit
        chord, _ = trees[code][0].query(sphere.to_unit_vectors(x[ok], y[ok]), k=1)
        idx = np.flatnonzero(ok)[chord > 2.0 / 6371.0]
        counts["coast"] += int(ok.sum()) - len(idx)
        if len(idx) > per_row:
            idx = rng.choice(idx, per_row, replace=False)
        x, y = x[idx], y[idx]
        if not len(x):
            continue
        tree, coast = trees[code]
        d_own = nearest_km(tree, coast, x, y, k=min(16, len(coast)))
        mine = np.isin(parts[1], rows)
        near = part_tree.query(shapely.envelope(parts[0][mine]))
        neighbours = {str(codes[parts[1][j]]) for j in np.unique(near[1])} - {str(code)}
        d_other, o_other = np.full(len(x), np.inf), np.full(len(x), "", dtype=object)
        for o in sorted(neighbours & set(trees)):
            t_o, c_o = trees[o]
            d = nearest_km(t_o, c_o, x, y, k=min(16, len(c_o)))
            o_other[d < d_other] = o
            d_other = np.minimum(d_other, d)
        counts["sampled"] += len(x)
        coast = d_own <= 1.0  # the landward edge
        on_arc = (np.abs(d_own - LIMIT_KM) <= 0.05) & (d_other >= d_own - 0.05)
        # vertices on a treaty line are checked against its turning points (measure 4), not here
        on_treaty = ~coast & shapely.dwithin(shapely.points(x, y), lines, 0.01)
        is_limit = ~coast & ~on_treaty & (on_arc | (d_other > d_own + 1.0))
        is_median = ~coast & ~is_limit & ~on_treaty & (d_own < LIMIT_KM + 1.0)
        far_limit = is_limit & (d_own > 300)
        counts["coast"] += int(coast.sum())
        counts["limit"] += int(far_limit.sum())
        counts["median"] += int(is_median.sum())
        counts["treaty"] += int(on_treaty.sum())
        counts["other"] += int((is_limit & ~far_limit).sum() + (~coast & ~is_limit & ~on_treaty & ~is_median).sum())
        limit.append(d_own[far_limit] - LIMIT_KM)
        where_limit.extend((str(code), float(a), float(b)) for a, b in zip(x[far_limit], y[far_limit], strict=True))
        median.append(np.abs(d_own - d_other)[is_median])
        where.extend((f"{code}/{o}", float(a), float(b), float(c), float(e)) for a, b, c, e, o in
                     zip(x[is_median], y[is_median], d_own[is_median], d_other[is_median], o_other[is_median],
                         strict=True))
    counts["worst_limit"] = [where_limit[i] for i in np.argsort(-np.abs(np.concatenate(limit)))[:5]]
    return np.concatenate(limit), np.concatenate(median), where, counts


def _polygonal(g: shapely.Geometry) -> shapely.Geometry:
    """The polygons of ``g`` made valid, as one MultiPolygon (a union may come back as a collection)."""
    parts = shapely.get_parts(shapely.make_valid(g))
    return shapely.union_all(parts[np.isin(shapely.get_type_id(parts), [3, 6])])


# --- 4. treaty turning points --------------------------------------------------------------------

def treaty_residuals(eez: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Per treaty: metres from each turning point to the parties' shared EEZ boundary."""
    import shapely.ops

    out = []
    for t in TREATIES:
        pts = np.asarray(t.points(SOURCES_DIR), dtype=float)
        near = shapely.box(*(pts.min(axis=0) - 1.0), *(pts.max(axis=0) + 1.0))
        a, b = (_polygonal(shapely.clip_by_rect(shapely.union_all(
            eez.geometry.values[(eez["sovereign"] == p).to_numpy()]), *near.bounds)) for p in t.parties)
        shared = shapely.intersection(shapely.boundary(a), shapely.buffer(b, 1e-6))
        if shared is None or shapely.is_empty(shared):
            out.append({"key": t.key, "points": len(pts), "max_m": None, "median_m": None, "within_500m": 0,
                        "note": "the parties' EEZs share no boundary here (not in these layers)"})
            continue
        d = []
        for x, y in pts:
            q = shapely.ops.nearest_points(shapely.Point(x, y), shared)[1]
            d.append(GEOD.inv(x, y, q.x, q.y)[2])
        d_m = np.array(d)
        out.append({"key": t.key, "points": len(d_m), "max_m": round(float(d_m.max()), 1),
                    "median_m": round(float(np.median(d_m)), 1), "within_500m": int((d_m <= 500).sum()),
                    "worst_point": int(np.argmax(d_m)) + 1})
    return out


# --- report --------------------------------------------------------------------------------------

def _stats(r: np.ndarray) -> dict[str, Any]:
    a = np.abs(r)
    return {"vertices": len(a), "max_abs_km": round(float(a.max()), 4), "p99_abs_km": round(float(np.percentile(a, 99)), 4),
            "median_abs_km": round(float(np.median(a)), 4), "within_0.5km": round(float(np.mean(a <= 0.5)), 5)}


def _pieces(ps: list[dict[str, Any]]) -> str:
    return "; ".join(f"{p['km2']:,} km2 at {p['lon']:.2f}, {p['lat']:.2f} ({p['other_side']})" for p in ps)


def markdown(world: Path, rows: list[dict[str, Any]], summary: dict[str, Any], results: dict[str, Any], seconds: float) -> str:
    out = [f"# World zones vs Marine Regions v10 (5 % simplified): {time.strftime('%Y-%m-%d')}", "",
           f"Layers: `{world}`. Run time {seconds:.0f} s.", ""]
    if rows:
        out += [f"## 1. IoU per sovereign ({summary['countries']} countries)", "",
                f"Median IoU **{summary['median_iou']:.4f}**, IoU >= 0.85 for **{summary['share_ge_0.85']:.1%}**, "
                f">= 0.95 for {summary['share_ge_0.95']:.1%}. Per continent (count, median IoU): "
                + ", ".join(f"{k} {v[0]} / {v[1]:.3f}" for k, v in summary["by_continent"].items()) + ".", "",
                "Not scored (one side has no EEZ outside disputed/joint areas; ours km2, reference km2): "
                + (", ".join(f"{k} ({v[0]:,}, {v[1]:,})" for k, v in summary["unmatched"].items()) or "none") + ".", "",
                "### Worst ten", "", "Self-IoU: our EEZ against itself simplified to the reference polygon's vertex count "
                "(what the 5 % copy's coarseness alone costs).", "",
                "| ISO3 | continent | ours km2 | ref km2 | IoU | ref vertices | self-IoU | ours only (largest pieces; "
                "what the reference has there) | reference only (largest pieces; what we have there) |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
        for r in sorted(rows, key=lambda r: r["iou"])[:10]:
            out.append(f"| {r['iso']} | {r['continent']} | {r['ours_km2']:,} | {r['ref_km2']:,} | {r['iou']:.4f} | "
                       f"{r['ref_vertices']} | {r['self_iou_at_ref_vertices']:.3f} | "
                       f"{_pieces(r['ours_only'])} | {_pieces(r['ref_only'])} |")
        out += ["", "### All countries", "", "| ISO3 | continent | ours km2 | ref km2 | IoU | ref vertices | self-IoU |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        out += [f"| {r['iso']} | {r['continent']} | {r['ours_km2']:,} | {r['ref_km2']:,} | {r['iou']:.4f} | "
                f"{r['ref_vertices']} | {r['self_iou_at_ref_vertices']:.3f} |" for r in sorted(rows, key=lambda r: r["iso"])]
    for key in ("limit_200nm", "median_line"):
        if key in results:
            out += ["", f"## {key}", "", "```", json.dumps(results[key]), "```"]
    if "treaty" in results:
        out += ["", "## Treaty turning points", "", "| treaty | points | max m | median m | within 500 m |",
                "| --- | ---: | ---: | ---: | ---: |"]
        out += [f"| {t['key']} | {t['points']} | {t['max_m']} | {t['median_m']} | {t['within_500m']} |"
                for t in results["treaty"] if t["max_m"] is not None]
    return "\n".join(out) + "\n"


def _emit(measure: str, **kw: Any) -> None:
    print(json.dumps({"measure": measure, **kw}), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--world", type=Path, default=None, help="folder of the layers (default: the bundle's world/, "
                    "else /tmp/world_out)")
    ap.add_argument("--reference", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "reference")
    ap.add_argument("--box", type=lambda s: tuple(float(v) for v in s.split(",")), default=None,
                    help="compare inside lon0,lat0,lon1,lat1 only (a regional bundle)")
    ap.add_argument("--countries", type=lambda s: s.split(","), default=None, help="ISO3 list (default: all)")
    ap.add_argument("--simplify-deg", type=float, default=0.005,
                    help="our EEZ simplified by this much before the overlays (speed; the reference is coarser)")
    ap.add_argument("--vertices-per-owner", type=int, default=3000)
    ap.add_argument("--coast-spacing-deg", type=float, default=0.01)
    ap.add_argument("--top", type=int, default=3, help="residual pieces listed per side and country")
    ap.add_argument("--skip", default="", help="comma list of measures to skip: iou,limits,treaty")
    ap.add_argument("--markdown", type=Path, default=None, help="write the report here")
    ap.add_argument("--json-rows", type=Path, default=None, help="write the per-country rows here (JSON)")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    t0 = time.time()
    world = args.world or default_world()
    eez = read_world(world, "eez")
    print(f"layers from {world}: {len(eez)} EEZ rows", file=sys.stderr)
    rows: list[dict[str, Any]] = []
    summary: dict[str, Any] = {}
    results: dict[str, Any] = {}

    ref_file = args.reference / "marineregions_eez_v10_simplified" / "eez_s05.shp"
    if "iou" in skip:
        pass
    elif not ref_file.exists():
        print(f"(no reference at {ref_file}: IoU skipped)", file=sys.stderr)
    else:
        ref = gpd.read_file(ref_file)
        rows = iou_per_country(eez, ref, tol_deg=args.simplify_deg, box=args.box, only=args.countries, top=args.top)
        # a sovereign one side has nothing of (outside disputed areas) is listed, not scored
        unmatched = [r for r in rows if not (r["ours_km2"] and r["ref_km2"])]
        rows = [r for r in rows if r["ours_km2"] and r["ref_km2"]]
        iou_v = np.array([r["iou"] for r in rows])
        self_v = np.array([r["self_iou_at_ref_vertices"] for r in rows])
        by = pd.DataFrame(rows).groupby("continent")["iou"]
        summary = {"countries": len(rows), "median_iou": round(float(np.nanmedian(iou_v)), 4),
                   "share_ge_0.85": round(float(np.mean(iou_v >= 0.85)), 4),
                   "share_ge_0.95": round(float(np.mean(iou_v >= 0.95)), 4),
                   "by_continent": {k: [int(by.size()[k]), round(float(by.median()[k]), 4)] for k in by.size().index},
                   "worst10": [(r["iso"], round(r["iou"], 4)) for r in sorted(rows, key=lambda r: r["iou"])[:10]],
                   "unmatched": {r["iso"]: [r["ours_km2"], r["ref_km2"]] for r in unmatched},
                   "self_iou_median": round(float(np.nanmedian(self_v)), 4),
                   "self_iou_share_ge_0.95": round(float(np.mean(self_v >= 0.95)), 4),
                   "share_ge_0.85_where_self_ge_0.95": round(float(np.mean(iou_v[self_v >= 0.95] >= 0.85)), 4),
                   "simplify_deg": args.simplify_deg, "seconds": round(time.time() - t0, 1)}
        _emit("iou", **summary)
        if args.json_rows:
            args.json_rows.write_text(json.dumps(rows, indent=1))

    if "treaty" not in skip:
        results["treaty"] = treaty_residuals(eez)
        for t in results["treaty"]:
            _emit("treaty", **t)

    if "limits" not in skip:
        t1 = time.time()
        trees = coast_trees(read_world(world, "land"), args.coast_spacing_deg)
        lim, med, where, counts = limit_and_median(eez, trees, per_row=args.vertices_per_owner, box=args.box)
        results["limit_200nm"] = {**_stats(lim), "signed_min_km": round(float(lim.min()), 4),
                                  "signed_max_km": round(float(lim.max()), 4)}
        results["median_line"] = {**_stats(med), "worst": [
            {"owners": where[i][0], "lon": round(where[i][1], 4), "lat": round(where[i][2], 4),
             "d_own_km": round(where[i][3], 3), "d_other_km": round(where[i][4], 3)} for i in np.argsort(-med)[:5]]}
        _emit("limit_200nm", **results["limit_200nm"], counts=counts, seconds=round(time.time() - t1, 1))
        _emit("median_line", **results["median_line"])

    seconds = time.time() - t0
    if args.markdown:
        args.markdown.write_text(markdown(world, rows, summary, results, seconds))
        print(f"report written to {args.markdown}", file=sys.stderr)
    if rows:
        print("\n| ISO3 | continent | ours km2 | ref km2 | IoU |\n| --- | --- | ---: | ---: | ---: |")
        for r in sorted(rows, key=lambda r: r["iou"]):
            print(f"| {r['iso']} | {r['continent']} | {r['ours_km2']:,} | {r['ref_km2']:,} | {r['iou']:.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
