"""How far the zone build's method scales: coast points and their spherical Voronoi, world-wide.

A ``--region world`` build needs, before anything else, the Voronoi diagram of every coast
point on Earth. This measures that step (the one whose cost grows fastest) on the same
inputs and parameters as the region build, and reports points, time and peak memory, next
to the same step for the ``nwpacific`` region as the baseline of the same run.

    .venv/bin/python benchmarks/world_voronoi.py [--json]

Needs the ``build`` extra (roaring-landmask) and scipy. Both diagrams are plain
``SphericalVoronoi`` of the coast points, without the build's sentinel points (the world
has no outside), so the two are measured alike.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import numpy as np

from geo._zonebuild import inputs, land, sphere
from geo._zonebuild.facts import REGIONS
from geo._zonebuild.pipeline import PARAMS


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _step(box: tuple[float, float, float, float]) -> dict[str, float]:
    from scipy.spatial import SphericalVoronoi

    t0 = time.perf_counter()
    polys = inputs.osm_land(box)
    lon, lat, _ = land.coast_points(polys, box=box, simplify_deg=PARAMS["coast_simplify_deg"],
                                    spacing_deg=PARAMS["coast_spacing_deg"])
    del polys
    t1 = time.perf_counter()
    xyz = sphere.to_unit_vectors(lon, lat)
    sv = SphericalVoronoi(xyz, radius=1.0, center=np.zeros(3))
    sv.sort_vertices_of_regions()
    t2 = time.perf_counter()
    return {"coast_points": len(lon), "points_s": round(t1 - t0, 1), "voronoi_s": round(t2 - t1, 1),
            "voronoi_vertices": len(sv.vertices), "peak_rss_mb": round(_peak_mb())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out = {"nwpacific": _step(REGIONS["nwpacific"].coast_box)}
    out["world"] = _step((-180.0, -90.0, 180.0, 90.0))
    out["ratio_points"] = round(out["world"]["coast_points"] / out["nwpacific"]["coast_points"], 2)
    out["ratio_voronoi_s"] = round(out["world"]["voronoi_s"] / max(out["nwpacific"]["voronoi_s"], 1e-9), 2)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
