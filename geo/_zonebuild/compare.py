"""Compare two builds by content (attributes + geometry within a tolerance), not bytes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from geo._zonebuild.assemble import polygon_parts

__all__ = ["AREA_TOL", "TILE_WIDTH_TOL_DEG", "VERTEX_TOL_DEG", "TileCheck", "compare_dirs", "compare_tile", "land_differences",
           "tile_differences"]

VERTEX_TOL_DEG = 1e-7  # ~1 cm: vertices may move this much
AREA_TOL = 1e-6  # else: symmetric difference <= 1e-6 of the feature's area
# a world tile against the committed layers: they may differ by the layers' quantisation
# (0.5e-7 deg) and the merge's rounding along tile edges; a zone whose symmetric difference
# survives an erosion by this much (is wider than 2e-6 deg, ~20 cm, anywhere) differs
TILE_WIDTH_TOL_DEG = 1e-6

Box = tuple[float, float, float, float]


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


@dataclass
class TileCheck:
    """The outcome of a tile check: what differs, and what was compared."""

    problems: list[str]
    zones: int  # (layer, owner, tile) zones compared
    worst_rel: float  # the largest symmetric difference met, as a fraction of its zone's area


def compare_tile(world_dir: Path, chosen: list[Any], *, progress: Any = None, workers: int | None = None,
                 detail_dir: Path | None = None) -> TileCheck:
    """Rebuild ``chosen`` world tiles from the pinned inputs and compare their zones with the
    committed world layers in ``world_dir`` (see :func:`tile_differences`).

    For a few tiles the source coast is read for the land polygons that reach the tiles' coast
    boxes only, whole and in their global order, so a tile's coast points are the world build's.
    With every tile (the whole-world check) the land layer is rebuilt and compared too
    (:func:`land_differences`).
    """
    import json
    import os

    from geo._zonebuild import world

    whole = {t.name for t in chosen} == {t.name for t in world.tiles()}
    coast = world.world_coast(progress=progress, land_owners=whole, only=None if whole else chosen)
    results, _ = world.build_tiles(coast, chosen, workers or min(os.cpu_count() or 1, len(chosen)))
    box: Box | None = None
    if detail_dir is not None and (detail_dir / "manifest.json").is_file():
        x0, y0, x1, y1 = (float(v) for v in json.loads((detail_dir / "manifest.json").read_text())["box"])
        box = (x0, y0, x1, y1)
    out = tile_differences(world_dir, chosen, results, detail_box=box)
    if whole:
        land = land_differences(world_dir, coast.land_layer, detail_box=box)
        out = TileCheck([*out.problems, *land.problems], out.zones + land.zones, max(out.worst_rel, land.worst_rel))
    return out


def _wide_parts(diff: shapely.Geometry) -> np.ndarray:
    """The polygons of ``diff`` wider than ``2 * TILE_WIDTH_TOL_DEG`` somewhere (they survive that erosion)."""
    parts = shapely.get_parts(diff)
    while np.isin(shapely.get_type_id(parts), [4, 5, 6, 7]).any():
        parts = shapely.get_parts(parts)
    parts = parts[shapely.get_type_id(parts) == 3]
    wide: np.ndarray = parts[~shapely.is_empty(shapely.buffer(parts, -TILE_WIDTH_TOL_DEG))]
    return wide


def _differs(label: str, fresh: shapely.Geometry | None, committed: shapely.Geometry | None,
             detail_box: Box | None) -> tuple[str | None, float] | None:
    """(problem or None, symmetric difference / area) for one zone; None when both are empty."""
    from geo._zonebuild import world

    a = fresh if fresh is not None else shapely.Polygon()
    b = committed if committed is not None else shapely.Polygon()
    if detail_box is not None:
        a, b = world.outside_box(a, detail_box), world.outside_box(b, detail_box)
    a, b = _valid(a), _valid(b)
    area = max(shapely.area(a), shapely.area(b))
    if area == 0:
        return None
    diff = shapely.symmetric_difference(a, b)
    rel = float(shapely.area(diff) / area)
    if shapely.area(a) == 0:
        return f"{label}: committed, but the fresh build has none", rel
    if shapely.area(b) == 0:
        return f"{label}: in the fresh build, but not committed", rel
    wide = _wide_parts(diff)
    if not len(wide):
        return None, rel
    x0, y0, x1, y1 = shapely.total_bounds(wide)
    return (f"{label}: differs by more than {2 * TILE_WIDTH_TOL_DEG:g} deg (symmetric difference {rel:.2e} "
            f"of the area, {len(wide)} place(s) within lon {x0:.3f}..{x1:.3f}, lat {y0:.3f}..{y1:.3f})"), rel


def _valid(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` as the area it denotes: overlapping or nested parts united, collapsed rings dropped."""
    return geom if shapely.is_valid(geom) else shapely.make_valid(geom, method="structure", keep_collapsed=False)


def _committed(world_dir: Path, kind: str) -> dict[str, np.ndarray]:
    """The committed layer ``kind`` per owner code as the polygons of its rows (the Antarctic
    sectors' rows together as ``ATA``), unrepaired: :func:`_clip` repairs what it takes.

    The stored layers are not all valid (parts of one owner that overlap or touch after the
    merge, rings that collapsed in quantisation; the grid index repairs them when it builds),
    and an overlay of invalid input may return anything: every comparison runs on valid
    geometry, the area that the stored parts cover.
    """
    from geo._zonebuild import world
    from geo._zonefile import read_layer

    gdf = read_layer(world_dir / f"{kind}.npz")
    parts: dict[str, list[shapely.Geometry]] = {}
    for c, g in zip(world.row_codes(gdf), gdf.geometry.values, strict=True):
        parts.setdefault(c, []).extend(shapely.get_parts(g))
    return {c: np.array(p, dtype=object) for c, p in parts.items()}


def _clip(parts: np.ndarray, box: Box | None) -> shapely.Geometry:
    """The area that the polygons ``parts`` cover inside ``box`` (everywhere if None), as valid geometry.

    Only the parts that reach the box are read; invalid ones are repaired one by one before
    the rectangle clip, and the clipped parts are united where they overlap.
    """
    if box is not None:
        b = shapely.bounds(parts)
        x0, y0, x1, y1 = box
        parts = parts[(b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0)]
    if not len(parts):
        return shapely.Polygon()
    bad = ~shapely.is_valid(parts)
    if bad.any():
        fixed = shapely.make_valid(parts[bad], method="structure", keep_collapsed=False)
        parts = np.concatenate([parts[~bad], shapely.get_parts(polygon_parts(shapely.geometrycollections(fixed)))])
    if box is not None:
        parts = shapely.get_parts(polygon_parts(shapely.geometrycollections(shapely.clip_by_rect(parts, *box))))
    return _valid(shapely.multipolygons(parts))


def tile_differences(world_dir: Path, chosen: list[Any], results: dict[str, dict[str, dict[str, bytes]]], *,
                     detail_box: Box | None = None) -> TileCheck:
    """Per layer, owner and tile, the fresh zones (``results``: tile name -> layer -> owner -> WKB,
    as :func:`geo._zonebuild.world.build_tiles` returns them) against the committed layers of
    ``world_dir`` clipped to the tile.

    A zone differs when the symmetric difference of the two is wider than
    ``2 * TILE_WIDTH_TOL_DEG`` anywhere (a moved vertex, a lost island, another median line),
    however small against the zone's area; a zone present on one side only differs. The
    quantisation of the stored layers (<= 0.5e-7 deg) and the merge along tile edges leave
    differences narrower than 1e-7 deg. The area of a detailed region (``detail_box``), which the
    committed layers take from that region's build, is left out, and so is the land layer (built
    for the whole Earth at once: :func:`land_differences`). A check that compared no zone at all
    is a problem too.
    """
    def pairs() -> Iterator[tuple[str, Any, Any]]:
        for kind in ("territorial_sea", "contiguous_zone", "eez"):
            committed = _committed(world_dir, kind)
            bounds = {c: shapely.total_bounds(g) for c, g in committed.items()}
            for t in chosen:
                x0, y0, x1, y1 = t.box
                fresh = {c: shapely.from_wkb(w) for c, w in results[t.name].get(kind, {}).items()}
                near = {c for c, b in bounds.items() if b[0] <= x1 and b[2] >= x0 and b[1] <= y1 and b[3] >= y0}
                for c in sorted(set(fresh) | near):
                    yield (f"{kind} {c} in tile {t.name}", fresh.get(c),
                           _clip(committed[c], t.box) if c in committed else None)  # fmt: skip

    problems, compared, worst = _tally(pairs(), detail_box)
    if compared == 0:
        names = ", ".join(t.name for t in chosen)
        problems.append(f"tile {names}: no zone on either side, nothing was compared (wrong folder or tile?)")
    return TileCheck(problems, compared, worst)


def _tally(pairs: Iterable[tuple[str, Any, Any]], detail_box: Box | None) -> tuple[list[str], int, float]:
    """Each (label, fresh, committed) compared by :func:`_differs`: the problems, how many were compared, the worst."""
    problems: list[str] = []
    compared = 0
    worst = 0.0
    for label, fresh, committed in pairs:
        got = _differs(label, fresh, committed, detail_box)
        if got is None:
            continue
        compared += 1
        worst = max(worst, got[1])
        if got[0] is not None:
            problems.append(got[0])
    return problems, compared, worst


def land_differences(world_dir: Path, land: Any, *, detail_box: Box | None = None) -> TileCheck:
    """The fresh land layer (``land``, as :func:`geo._zonebuild.world.world_coast` builds it) against
    the committed one, per owner, by the criterion of :func:`tile_differences`."""
    from geo._zonebuild import world

    committed = _committed(world_dir, "land")
    parts: dict[str, list[shapely.Geometry]] = {}
    for c, g in zip(world.row_codes(land), land.geometry.values, strict=True):
        parts.setdefault(c, []).extend(shapely.get_parts(g))
    fresh = {c: _clip(np.array(p, dtype=object), None) for c, p in parts.items()}
    problems, compared, worst = _tally(
        ((f"land {c}", fresh.get(c), _clip(committed[c], None) if c in committed else None)
         for c in sorted(set(fresh) | set(committed))),
        detail_box,
    )  # fmt: skip
    return TileCheck(problems, compared, worst)
