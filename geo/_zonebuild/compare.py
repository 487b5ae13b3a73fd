"""Compare two builds by content (attributes + geometry within a tolerance), not bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["AREA_TOL", "VERTEX_TOL_DEG", "compare_dirs", "compare_tile"]

VERTEX_TOL_DEG = 1e-7  # ~1 cm: vertices may move this much
AREA_TOL = 1e-6  # else: symmetric difference <= 1e-6 of the feature's area
# a world tile against the merged layers: the merge closes tile edges with a 1e-7 deg buffer,
# which moves a fjord coast's area by up to a few 1e-7 of it
TILE_AREA_TOL = 1e-5


def _key(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf = gdf.assign(_k=gdf["territory"].fillna("") + "|" + gdf["name"].fillna(""))
    return gdf.sort_values("_k").reset_index(drop=True)


def compare_dirs(a: Path, b: Path, layers: tuple[str, ...]) -> list[str]:
    """Differences between the layers in folders ``a`` and ``b``; empty when they agree."""
    problems: list[str] = []
    for layer in layers:
        fa, fb = a / f"{layer}.gpkg", b / f"{layer}.gpkg"
        if not fa.exists() or not fb.exists():
            problems.append(f"{layer}: missing in {a if not fa.exists() else b}")
            continue
        ga, gb = _key(gpd.read_file(fa)), _key(gpd.read_file(fb))
        if len(ga) != len(gb) or list(ga["_k"]) != list(gb["_k"]):
            problems.append(
                f"{layer}: features differ: {sorted(set(ga['_k']) ^ set(gb['_k']))} "
                f"({len(ga)} vs {len(gb)} rows)"
            )
            continue
        cols = [c for c in ga.columns if c not in ("geometry", "_k")]
        if cols != [c for c in gb.columns if c not in ("geometry", "_k")]:
            problems.append(f"{layer}: columns differ")
            continue
        for c in cols:
            diff = ga[c].fillna("<NA>").astype(str) != gb[c].fillna("<NA>").astype(str)
            for i in np.flatnonzero(diff.to_numpy()):
                problems.append(f"{layer} {ga['_k'][i]}: {c} {ga[c][i]!r} != {gb[c][i]!r}")
        xa = shapely.normalize(ga.geometry.values)
        xb = shapely.normalize(gb.geometry.values)
        same = shapely.equals_exact(xa, xb, tolerance=VERTEX_TOL_DEG)
        for i in np.flatnonzero(~same):
            sym = shapely.area(shapely.symmetric_difference(xa[i], xb[i]))
            ref = max(shapely.area(xa[i]), 1e-12)
            if sym / ref > AREA_TOL:
                problems.append(
                    f"{layer} {ga['_k'][i]}: geometry differs "
                    f"(symmetric difference {sym / ref:.2e} of the area)"
                )
    return problems


def compare_tile(world_dir: Path, chosen: list[Any], *, progress: Any = None, workers: int | None = None,
                 detail_dir: Path | None = None) -> list[str]:
    """Rebuild ``chosen`` world tiles and compare their zones with the committed world layers.

    Inside a tile, per layer and owner, the fresh zone must equal the committed one clipped
    to the tile (symmetric difference <= ``TILE_AREA_TOL`` of its area); the area of a detailed
    region (``detail_dir``'s box), which the committed layers take from that region, is left
    out, and so is the land layer (built for the whole Earth at once: the whole-world
    check compares it).
    """
    import json

    from geo._zonebuild import world
    from geo._zonefile import read_layer

    coast = world.world_coast(progress=progress, land_owners=False, only=chosen)
    results, _ = world.build_tiles(coast, chosen, workers)
    box = None
    if detail_dir is not None and (detail_dir / "manifest.json").is_file():
        box = tuple(json.loads((detail_dir / "manifest.json").read_text())["box"])
    problems: list[str] = []
    for kind in ("territorial_sea", "contiguous_zone", "eez"):
        gdf = read_layer(world_dir / f"{kind}.npz")
        codes = world.row_codes(gdf)
        committed: dict[str, Any] = {}
        for c, g in zip(codes, gdf.geometry.values, strict=True):
            committed[c] = g if c not in committed else shapely.union(committed[c], g)
        for t in chosen:
            tb = shapely.box(*t.box)
            fresh = {c: shapely.from_wkb(w) for c, w in results[t.name][kind].items()}
            for c in sorted(set(fresh) | set(committed)):
                a = fresh.get(c, shapely.Polygon())
                b = shapely.intersection(committed[c], tb) if c in committed else shapely.Polygon()
                if box is not None:
                    a, b = world.outside_box(a, box), world.outside_box(b, box)
                area = max(shapely.area(a), shapely.area(b))
                if area == 0:
                    continue
                sym = shapely.area(shapely.symmetric_difference(a, b))
                if sym / area > TILE_AREA_TOL and sym > 1e-8:
                    problems.append(f"{kind} {c} in tile {t.name}: symmetric difference {sym / area:.2e} of the area")
    return problems
