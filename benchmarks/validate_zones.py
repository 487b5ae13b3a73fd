"""Validate the built zones against Marine Regions (../shared/reference) and geodesic facts.

Prints per-country IoU (disputed and joint areas left out on both sides, inside the
region box), the Takeshima/Dokdo overlap, 200 nm limit distances, median-line
equidistance and the JPN-KOR 1974 treaty-point residuals. The reference is read for
validation only; nothing of it is written anywhere.

    .venv/bin/python benchmarks/validate_zones.py [--reference ../shared/reference]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from scipy.spatial import cKDTree

from geo import zones
from geo._zonebuild import sphere
from geo._zonebuild.facts import REGIONS, SOURCES_DIR, TREATIES

GEOD = Geod(ellps="WGS84")
NAME_TO_ISO = {"Japan": "JPN", "South Korea": "KOR", "North Korea": "PRK", "China": "CHN",
               "Taiwan": "TWN", "Russia": "RUS", "Philippines": "PHL", "Palau": "PLW",
               "Micronesia": "FSM", "United States": "USA", "Vietnam": "VNM"}
COUNTRIES = ["JPN", "KOR", "RUS", "PHL", "PRK", "CHN", "TWN", "PLW", "FSM", "VNM"]


def _area_km2(g: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 if not shapely.is_empty(g) else 0.0


def iou(a: shapely.Geometry, b: shapely.Geometry) -> float:
    inter = _area_km2(shapely.intersection(a, b))
    union = _area_km2(shapely.union(a, b))
    return inter / union if union else float("nan")


def _land_of_either(land: gpd.GeoDataFrame, ref_cover: shapely.Geometry,
                    near: shapely.Geometry) -> shapely.Geometry:
    """Our land plus the reference's (the gaps between its polygons that hold our land), near ``near``."""
    bb = shapely.box(*near.bounds).buffer(0.5)
    ours = shapely.union_all(shapely.intersection(land.geometry.values, bb))
    gaps = shapely.get_parts(shapely.difference(bb, ref_cover))
    # a gap that holds no land of ours is high sea, not the reference's land
    theirs = gaps[shapely.intersects(gaps, ours)]
    return shapely.union(ours, shapely.union_all(theirs))


def _print_residuals(ours: shapely.Geometry, theirs: shapely.Geometry, top: int = 5) -> None:
    for label, diff in (("ours only", shapely.difference(ours, theirs)),
                        ("reference only", shapely.difference(theirs, ours))):
        parts = shapely.get_parts(diff)
        areas = np.array([_area_km2(p) for p in parts])
        print(f"      {label}: {areas.sum():.0f} km2")
        for k in np.argsort(-areas)[:top]:
            c = shapely.point_on_surface(parts[k])
            print(f"        {areas[k]:8.0f} km2 near {c.x:.2f} E {c.y:.2f} N")


def coast_tree() -> tuple[cKDTree, np.ndarray, np.ndarray]:
    """KD-tree over the source coast points and declared baseline points, as the build used them."""
    from geo._zonebuild.pipeline import source_coast
    c = source_coast(REGIONS["nwpacific"], SOURCES_DIR)
    return cKDTree(sphere.to_unit_vectors(c.lon, c.lat)), np.column_stack([c.lon, c.lat]), c.owner


def nearest_km(tree: cKDTree, coast: np.ndarray, x: np.ndarray, y: np.ndarray, k: int = 8,
               mask: np.ndarray | None = None) -> np.ndarray:
    """Geodesic distance (km) to the nearest coast point (k chord-nearest candidates)."""
    _, idx = tree.query(sphere.to_unit_vectors(x, y), k=k)
    cx, cy = coast[idx, 0], coast[idx, 1]
    _, _, d = GEOD.inv(np.repeat(x, k), np.repeat(y, k), cx.ravel(), cy.ravel())
    return d.reshape(-1, k).min(axis=1) / 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", type=Path,
                    default=Path(__file__).resolve().parents[1].parent / "shared" / "reference")
    ap.add_argument("--no-coast", action="store_true", help="skip the distance checks")
    ap.add_argument("--residuals", action="store_true",
                    help="list the largest ours-only and reference-only pieces per country")
    args = ap.parse_args()
    box = shapely.box(*REGIONS["nwpacific"].box)
    eez = zones.load_zones("eez")
    print(f"layers from {zones.boundaries_dir()}")

    ref_file = args.reference / "marineregions_eez_v10_simplified" / "eez_s05.shp"
    if ref_file.exists():
        ref = gpd.read_file(ref_file)
        ref["iso"] = ref["Sovereign1"].map(NAME_TO_ISO)
        ref_200 = ref[ref["Pol_type"] == "200NM"]
        # disputed and joint areas are left out on both sides: ours and the reference's
        mask = shapely.union_all([
            *eez[eez.status.isin(["disputed", "joint"])].geometry.values,
            *shapely.make_valid(ref[ref["Pol_type"] != "200NM"].geometry.values)])
        print("\nIoU against Marine Regions v10 (5 % simplified), 200NM polygons, inside "
              f"{REGIONS['nwpacific'].box}, disputed/joint areas of either side removed")
        print("(sea IoU also leaves out the land of either side: our land layer, and what no reference "
              "polygon covers next to it: islands and bays the 5 % simplification drops or fills)")
        print(f"{'ISO3':5} {'ours km2':>12} {'ref km2':>12} {'IoU':>7} {'raw IoU':>8} {'sea IoU':>8}")
        land = zones.load_zones("land")
        ref_cover = shapely.union_all(shapely.make_valid(ref.geometry.values))
        for iso in COUNTRIES:
            ours = shapely.intersection(shapely.union_all(
                eez[(eez.sovereign == iso) & (eez.status != "disputed")].geometry.values), box)
            theirs = shapely.intersection(shapely.union_all(
                shapely.make_valid(ref_200[ref_200.iso == iso].geometry.values)), box)
            raw = iou(ours, theirs)
            ours, theirs = shapely.difference(ours, mask), shapely.difference(theirs, mask)
            either_land = _land_of_either(land, ref_cover, shapely.union(ours, theirs))
            sea = iou(shapely.difference(ours, either_land), shapely.difference(theirs, either_land))
            print(f"{iso:5} {_area_km2(ours):12.0f} {_area_km2(theirs):12.0f} "
                  f"{iou(ours, theirs):7.4f} {raw:8.4f} {sea:8.4f}")
            if args.residuals:
                _print_residuals(ours, theirs)
        lr = shapely.make_valid(ref[ref["MRGID"] == 48955].geometry.values[0])
        ours = eez[eez.name.str.contains("Liancourt", na=False)].geometry.values[0]
        print(f"\nTakeshima/Dokdo disputed area vs MRGID 48955: IoU {iou(ours, lr):.4f} "
              f"(ours {_area_km2(ours):.0f} km2, ref {_area_km2(lr):.0f} km2)")
    else:
        print(f"\n(no reference at {args.reference}: IoU skipped)")

    # treaty residuals: distance from each treaty point to the two parties' shared boundary
    sources = SOURCES_DIR
    for t in TREATIES:
        a, b = (shapely.union_all(eez[eez.sovereign == p].geometry.values) for p in t.parties)
        shared = shapely.intersection(shapely.boundary(a), shapely.buffer(b, 1e-6))
        variants = [(f"WGS84 (from {t.source_datum})" if t.source_datum != "EPSG:4326"
                     else "as transcribed, taken as WGS84", t.points(sources))]
        if t.source_datum != "EPSG:4326":
            variants.append(("as printed", t.printed_points(sources)))
        for label, pts in variants:
            dists = []
            for x, y in pts:
                p = shapely.Point(x, y)
                q = shapely.ops.nearest_points(p, shared)[1]
                dists.append(GEOD.inv(x, y, q.x, q.y)[2])
            d = np.array(dists)
            print(f"\n{t.key} treaty points ({label}): boundary residual max {d.max():.0f} m, "
                  f"median {np.median(d):.0f} m over {len(d)} points")

    if args.no_coast:
        return 0
    _, coast, owner = coast_tree()
    from geo._zonebuild.facts import DISPUTES
    key_of_name = {d.name: d.key for d in DISPUTES}
    trees = {o: (cKDTree(sphere.to_unit_vectors(coast[owner == o, 0], coast[owner == o, 1])),
                 coast[owner == o]) for o in sorted(set(owner))}
    limit, median, where = [], [], []
    # vertices on a treaty line are checked against the treaty points above, not here
    # (as the build prolongs them, within the region where each divides the parties' zones)
    treaty_lines = shapely.union_all(
        [shapely.intersection(t.extended_line(sources), t.region(sources)) for t in TREATIES])
    for _, row in eez.iterrows():
        code = row.territory if isinstance(row.territory, str) else key_of_name[row["name"]]
        xy = shapely.get_coordinates(shapely.boundary(row.geometry))
        x, y = xy[:, 0], xy[:, 1]
        edge = np.isclose(x, 100) | np.isclose(x, 180) | np.isclose(y, 0) | np.isclose(y, 65)
        x, y = x[~edge], y[~edge]
        d_own = nearest_km(*trees[code], x, y)
        sea = d_own > 1.0  # vertices on the coast itself are not limits
        x, y, d_own = x[sea], y[sea], d_own[sea]
        d_other = np.full(len(x), np.inf)
        for o, (t, c) in trees.items():
            if o != code:
                d_other = np.minimum(d_other, nearest_km(t, c, x, y))
        # a limit vertex: on its own 200 nm arc (within 50 m) with no other coast nearer, or
        # clearly nearer its own coast than any other (by > 1 km)
        on_arc = (np.abs(d_own - 370.4) <= 0.05) & (d_other >= d_own - 0.05)
        is_limit = on_arc | (d_other > d_own + 1.0)
        limit.append(d_own[is_limit & (d_own > 300)])
        on_treaty = shapely.dwithin(shapely.points(x, y), treaty_lines, 0.01)
        sel = ~is_limit & (d_own < 371) & ~on_treaty
        median.append(np.abs(d_own - d_other)[sel])
        where.extend((code, float(a), float(b), float(c), float(e))
                     for a, b, c, e in zip(x[sel], y[sel], d_own[sel], d_other[sel], strict=True))
    r = np.concatenate(limit)
    print(f"\n200 nm limit: {len(r)} vertices on their own arc or nearer their own coast than any other, "
          f"distance to the nearest source coast point (km): min {r.min():.3f} p1 "
          f"{np.percentile(r, 1):.3f} median {np.median(r):.3f} p99 {np.percentile(r, 99):.3f} "
          f"max {r.max():.3f}; within 0.5 km of 370.4: {np.mean(np.abs(r - 370.4) <= 0.5):.4%}")
    m = np.concatenate(median)
    print(f"median lines (vertices within 0.01 deg of a treaty line excluded): {len(m)} vertices, |d_own - d_other| "
          f"(km): median {np.median(m):.4f} p95 {np.percentile(m, 95):.4f} p99 "
          f"{np.percentile(m, 99):.4f} max {m.max():.4f}; within 0.5 km: {np.mean(m <= 0.5):.4%}")
    for i in np.argsort(-m)[:40]:
        if m[i] > 0.5:
            print(f"  off by {m[i]:.3f} km: {where[i][0]} at {where[i][1]:.4f} E {where[i][2]:.4f} N "
                  f"(own coast {where[i][3]:.3f} km, other {where[i][4]:.3f} km)")
    return 0


if __name__ == "__main__":
    import shapely.ops
    sys.exit(main())
