"""Compare two builds by content (attributes + geometry within a tolerance), not bytes."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["AREA_TOL", "VERTEX_TOL_DEG", "compare_dirs"]

VERTEX_TOL_DEG = 1e-7  # ~1 cm: vertices may move this much
AREA_TOL = 1e-6  # else: symmetric difference <= 1e-6 of the feature's area


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
