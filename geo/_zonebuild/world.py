"""The world build: one global coast, longitude tiles and two polar caps, merged into one set of layers.

Method (the NW Pacific build's, see :mod:`geo._zonebuild.pipeline`, at a coarser coast):

1. **One global source coast.** OSM land is read once for the whole Earth; coast points, their
   owners (geo-maps country shapes, disputes) and the land layer are computed once, so every
   tile sees the very same points: tiles cannot disagree about the coast where they meet.
2. **Tiles.** Twelve 30-degree longitude tiles from 60 S to 60 N, each computed in a lon/lat
   frame whose seam lies opposite the tile, from the coast points within ``MARGIN_LON`` /
   ``MARGIN_LAT`` degrees of the tile (more than 200 nm everywhere in the tile, so a tile's
   zones do not depend on where it ends); two polar caps (north of 60 N, south of 60 S) in a
   rotated frame with the pole on its equator (:mod:`geo._zonebuild.frame`), so no cell and no
   disc crosses a seam or a pole.
3. **Cut and clip.** In each tile, the spherical Voronoi cells of the coast points are cut by
   exact geodesic discs (12, 24, 200 nm), dissolved per owner, re-divided by treaty lines, clipped
   to the tile (in real lon/lat), split at 180 deg, and land is removed.
4. **Merge.** Per layer and owner the tiles' pieces that reach a tile edge are united (they
   share their edges exactly: every tile is clipped by the same meridians and parallels).
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import numpy as np
import shapely

from geo._zonebuild import assemble, cut, inputs, land, voronoi
from geo._zonebuild.facts import BASELINES, SOURCES_DIR, TREATIES, Treaty
from geo._zonebuild.frame import Frame, polygons_to_real

__all__ = ["CAP_LAT", "MARGIN_LAT", "MARGIN_LON", "WORLD_PARAMS", "Tile", "WorldCoast", "build_tile", "tiles", "world_coast"]

NM = 1852.0
RADII_NM = {"territorial_sea": 12.0, "contiguous_zone": 24.0, "eez": 200.0}
TILE_DEG = 30.0
CAP_LAT = 60.0
MARGIN_LAT = 4.0  # 200 nm = 3.33 deg of latitude
MARGIN_LON = 9.0  # 200 nm = 7.6 deg of longitude at 64 deg, the tiles' highest coast
WORLD_PARAMS = {
    "coast_simplify_deg": 0.002,  # ~200 m: the coast limits are measured from (NW Pacific: 0.001)
    "coast_spacing_deg": 0.018,  # <= 2 km between coast points (NW Pacific: 0.009)
    "land_simplify_deg": 0.002,  # the stored land layer
}

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Tile:
    """A piece of the world: its output ``box`` (real lon/lat; lon may exceed 180 in a
    lon/lat frame), which coast points it reads, and the frame it computes in."""

    name: str
    box: Box
    frame: Frame
    coast_box: Box  # in frame coordinates: where the Voronoi's sentinels stay away from

    def select(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the coast points this tile reads, and their longitudes in its frame."""
        if self.frame.is_lonlat:
            x0, y0, x1, y1 = self.coast_box
            x = self.frame.lon_west + (lon - self.frame.lon_west) % 360.0
            sel = np.flatnonzero((x >= x0) & (x <= x1) & (lat >= y0) & (lat <= y1))
            return sel, x[sel]
        edge = CAP_LAT - MARGIN_LAT
        sel = np.flatnonzero(lat >= edge if self.frame.pole == "north" else lat <= -edge)
        return sel, lon[sel]


def tiles() -> list[Tile]:
    """The twelve longitude tiles and the two polar caps of the world build."""
    out = []
    for x0 in np.arange(-180.0, 180.0, TILE_DEG):
        x1 = x0 + TILE_DEG
        box = (float(x0), -CAP_LAT, float(x1), CAP_LAT)
        coast = (x0 - MARGIN_LON, -CAP_LAT - MARGIN_LAT, x1 + MARGIN_LON, CAP_LAT + MARGIN_LAT)
        frame = Frame(float((x0 + x1) / 2 - 180.0))
        out.append(Tile(f"lon{int(x0):+04d}", box, frame, coast))
    r = 90.0 - CAP_LAT + MARGIN_LAT
    out.append(Tile("north", (-180.0, CAP_LAT, 180.0, 90.0), Frame.polar("north"), (-r, -r, r, r)))
    out.append(Tile("south", (-180.0, -90.0, 180.0, -CAP_LAT), Frame.polar("south"), (-r, -r, r, r)))
    return out


@dataclass
class WorldCoast:
    """The global source coast: coast and baseline points with owners, land polygons, land layer."""

    lon: np.ndarray
    lat: np.ndarray
    owner: np.ndarray
    land_layer: Any
    land_parts: np.ndarray


def world_coast(progress: Callable[[str], None] | None = None, *, land_owners: bool = True,
                only: list[Tile] | None = None) -> WorldCoast:
    """Coast points of the whole Earth with their owners, and the land layer (real lon/lat).

    ``land_owners=False`` skips the land layer (a tile check needs only the land parts).
    ``only`` keeps the land polygons that reach those tiles' coast boxes, whole and in their
    global order, so their coast points are exactly the global build's there (a tile check
    in minutes, not the whole Earth)."""
    say = progress or (lambda _m: None)
    p = WORLD_PARAMS
    countries = inputs.countries()
    polys = inputs.osm_land((-180.0, -90.0, 180.0, 90.0))
    if only is not None:
        b = shapely.bounds(polys)
        keep = np.zeros(len(polys), bool)
        for t in only:
            if t.frame.is_lonlat:
                x0, y0, x1, y1 = t.coast_box
                for s in (0.0, 360.0, -360.0):
                    keep |= (b[:, 2] + s >= x0) & (b[:, 0] + s <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)
            else:
                edge = CAP_LAT - MARGIN_LAT
                keep |= b[:, 3] >= edge if t.frame.pole == "north" else b[:, 1] <= -edge
        polys = polys[keep]
    say(f"OSM land: {len(polys)} polygons")
    lon, lat, pidx = land.coast_points(
        polys, box=(-180.0, -90.0, 180.0, 90.0), simplify_deg=p["coast_simplify_deg"],
        spacing_deg=p["coast_spacing_deg"],
    )
    country = land.country_of_points(lon, lat, countries)
    owner, dstats = land.apply_disputes(lon, lat, country, land.areas_km2(polys)[pidx], pidx)
    say(f"{len(lon)} coast points, owners {len(np.unique(owner))}, disputes {dstats}")
    blon, blat, bowner = land.baseline_points(
        BASELINES, SOURCES_DIR, spacing_m=p["coast_spacing_deg"] * 111e3, coast=(lon, lat)
    )
    if land_owners:
        layer, parts = world_land_layer(polys, pidx, owner, countries, coast_xy=(lon, lat),
                                        simplify_deg=p["land_simplify_deg"])
    else:
        layer, parts = None, land_parts_of(polys, p["land_simplify_deg"])
    say(f"land layer: {len(layer) if layer is not None else 'skipped'}, {len(parts)} parts")
    return WorldCoast(np.r_[lon, blon], np.r_[lat, blat], np.r_[owner, bowner].astype(str), layer, parts)


def _shifts(treaty: Treaty, frame: Frame, box: Box) -> list[float]:
    """The multiples of 360 deg by which ``treaty``'s area must move to meet ``box`` in ``frame``."""
    region = treaty.region(SOURCES_DIR)
    out = []
    for s in (0.0, 360.0, -360.0):
        moved = shapely.transform(region, lambda c, s=s: c + np.array([s, 0.0]))
        if shapely.intersects(moved, shapely.box(*box)):
            out.append(s)
    return out


def _apply_treaties(zones: dict[str, shapely.Geometry], frame: Frame, box: Box,
                    sides: dict[str, tuple[str, str]]) -> None:
    for treaty in TREATIES:
        if not all(p in zones for p in treaty.parties):
            continue
        for s in _shifts(treaty, frame, box):
            key = f"{treaty.key}@{s:+.0f}"
            sides[key] = assemble.apply_treaty(zones, treaty, SOURCES_DIR, sides.get(key), shift=s)


def build_tile(tile: Tile, coast: WorldCoast, progress: Callable[[str], None] | None = None
               ) -> dict[str, dict[str, bytes]]:
    """Zones of one tile, per layer and owner, as WKB in real lon/lat inside [-180, 180]."""
    say = progress or (lambda _m: None)
    t0 = time.time()
    sel, x = tile.select(coast.lon, coast.lat)
    lat = coast.lat[sel]
    codes, oi = np.unique(coast.owner[sel], return_inverse=True)
    frame = tile.frame
    cells = voronoi.voronoi_cells(x, lat, oi, coast_box=tile.coast_box, lon_west=frame.lon_west, frame=frame)
    vg = cut.VertexGeometry(cells, x, lat, frame)
    say(f"{tile.name}: {len(sel)} points, {len(codes)} owners, Voronoi {time.time() - t0:.0f} s")
    land_tree = shapely.STRtree(coast.land_parts)
    box = shapely.box(*tile.box)
    zones: dict[str, dict[str, shapely.Geometry]] = {}
    sides: dict[str, tuple[str, str]] = {}
    for kind in ("eez", "contiguous_zone", "territorial_sea"):
        pieces = cut.cut_cells(cells, x, lat, vg, RADII_NM[kind] * NM, frame)
        if frame.is_lonlat:
            owner_of, lon_west = oi, frame.lon_west
        else:
            pieces, src = polygons_to_real(pieces, frame)
            owner_of, lon_west = oi[src], -180.0
        z = {}
        for k, code in enumerate(codes):
            g = assemble.clean(shapely.union_all(pieces[owner_of == k]))
            if not frame.is_lonlat:  # real lon/lat, unwrapped per piece: one frame first
                g = assemble.split_antimeridian(g, lon_west)
            z[str(code)] = g
        del pieces
        _apply_treaties(z, frame, tile.box if frame.is_lonlat else (-180.0, -90.0, 180.0, 90.0), sides)
        zones[kind] = z
        say(f"{tile.name}: {kind} cut and dissolved, {time.time() - t0:.0f} s")
    for code in zones["contiguous_zone"]:
        zones["contiguous_zone"][code] = shapely.difference(
            zones["contiguous_zone"][code], zones["territorial_sea"][code]
        )
    out: dict[str, dict[str, bytes]] = {}
    for kind, z in zones.items():
        layer = {}
        for code, g in z.items():
            if frame.is_lonlat:
                g = assemble.split_antimeridian(shapely.intersection(g, box), frame.lon_west)
            else:
                g = shapely.intersection(g, box)
            g = assemble.polygon_parts(assemble.subtract_land(g, land_tree, coast.land_parts))
            if not shapely.is_empty(g):
                layer[code] = shapely.to_wkb(g)
        out[kind] = layer
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"{tile.name}: done in {time.time() - t0:.0f} s, peak {rss:.0f} MB")
    return out


_COAST: WorldCoast | None = None  # set before the worker processes fork


def _run_tile(tile: Tile) -> tuple[str, dict[str, dict[str, bytes]], float, float]:
    assert _COAST is not None
    t0 = time.time()
    res = build_tile(tile, _COAST, progress=lambda m: print(m, flush=True))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return tile.name, res, time.time() - t0, rss


def save_tile(path: Any, res: dict[str, dict[str, bytes]], stat: dict[str, float]) -> None:
    """A finished tile as a zip of WKB members (``kind/code.wkb``), so a failed run resumes."""
    import json
    import zipfile
    from pathlib import Path

    path = Path(path)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as z:
        for kind, layer in res.items():
            for code, wkb in layer.items():
                z.writestr(f"{kind}/{code}.wkb", wkb)
        z.writestr("stats.json", json.dumps(stat))
    os.replace(tmp, path)


def load_tile(path: Any) -> tuple[dict[str, dict[str, bytes]], dict[str, float]]:
    import json
    import zipfile

    res: dict[str, dict[str, bytes]] = {}
    with zipfile.ZipFile(path) as z:
        stat = json.loads(z.read("stats.json"))
        for name in z.namelist():
            if name.endswith(".wkb"):
                kind, code = name[:-4].split("/")
                res.setdefault(kind, {})[code] = z.read(name)
    return res, stat


def build_tiles(coast: WorldCoast, which: list[Tile], workers: int | None = None, scratch: Any = None
                ) -> tuple[dict[str, dict[str, dict[str, bytes]]], dict[str, dict[str, float]]]:
    """Run ``which`` tiles over ``workers`` forked processes (default: the CPU count).

    With a ``scratch`` folder each finished tile is kept there and a rerun skips it.
    """
    from pathlib import Path

    global _COAST
    _COAST = coast
    workers = workers or os.cpu_count() or 1
    results: dict[str, dict[str, dict[str, bytes]]] = {}
    stats: dict[str, dict[str, float]] = {}
    if scratch is not None:
        scratch = Path(scratch)
        scratch.mkdir(parents=True, exist_ok=True)
        for t in which:
            f = scratch / f"{t.name}.zip"
            if f.is_file():
                results[t.name], stats[t.name] = load_tile(f)
        which = [t for t in which if t.name not in results]
    # the biggest tiles first, so the pool ends together
    order = sorted(which, key=lambda t: -len(t.select(coast.lon, coast.lat)[0]))
    if workers == 1:
        runs = map(_run_tile, order)
        for name, res, sec, rss in runs:
            results[name], stats[name] = res, {"seconds": round(sec, 1), "peak_rss_mb": round(rss)}
            if scratch is not None:
                save_tile(scratch / f"{name}.zip", res, stats[name])
        return results, stats
    from concurrent.futures import as_completed

    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        futures = [pool.submit(_run_tile, t) for t in order]
        for fut in as_completed(futures):
            name, res, sec, rss = fut.result()
            results[name], stats[name] = res, {"seconds": round(sec, 1), "peak_rss_mb": round(rss)}
            if scratch is not None:
                save_tile(scratch / f"{name}.zip", res, stats[name])
    return results, stats


def tile_edges() -> shapely.Geometry:
    """Every line along which a tile was cut: its meridians, the caps' parallels, 180 deg."""
    lines = [shapely.LineString([(x, -CAP_LAT), (x, CAP_LAT)]) for x in np.arange(-180.0, 180.1, TILE_DEG)]
    lines += [shapely.LineString([(-180.0, y), (180.0, y)]) for y in (-CAP_LAT, CAP_LAT)]
    lines += [shapely.LineString([(x, -90.0), (x, 90.0)]) for x in (-180.0, 180.0)]
    return shapely.union_all(lines)


def merge(results: dict[str, dict[str, dict[str, bytes]]]) -> dict[str, dict[str, shapely.Geometry]]:
    """Per layer and owner, the tiles' pieces joined along the tile edges.

    Only the polygons that reach a tile edge are united: the others are whole already, and a
    union of a country's thousands of islands would take minutes for nothing.
    """
    edge = shapely.buffer(tile_edges(), 1e-6)
    shapely.prepare(edge)
    merged: dict[str, dict[str, shapely.Geometry]] = {}
    for kind in RADII_NM:
        per: dict[str, list[bytes]] = {}
        for res in results.values():
            for code, wkb in res.get(kind, {}).items():
                per.setdefault(code, []).append(wkb)
        out = {}
        for code, w in sorted(per.items()):
            parts = shapely.get_parts(shapely.from_wkb(w))
            parts = shapely.get_parts(np.array([assemble.polygon_parts(p) for p in parts], dtype=object))
            at = shapely.intersects(edge, parts)
            # the tiles were clipped by the same lines, so their pieces share edges exactly and a
            # union joins them (the 1e-7 deg buffer of assemble.clean would take minutes on Canada)
            joined = shapely.get_parts(assemble.polygon_parts(shapely.union_all(parts[at]))) if at.any() else []
            keep = [*parts[~at], *joined]
            if keep:
                out[code] = shapely.multipolygons(keep)
        merged[kind] = out
    return merged


def row_codes(gdf: Any) -> list[str]:
    """The owner code of each row of a built layer: its territory, its dispute's key, or
    ``ATA`` for the sectors of Antarctica."""
    from geo._zonebuild.facts import DISPUTES

    by_name = {d.name: d.key for d in DISPUTES}
    return [
        "ATA" if str(n).startswith("Antarctica:") else t if isinstance(t, str) and t else by_name[n]
        for t, n in zip(gdf["territory"], gdf["name"], strict=True)
    ]


def outside_box(geom: shapely.Geometry, box: Box) -> shapely.Geometry:
    """The part of ``geom`` (inside [-180, 180]) outside ``box``, by rectangle clips (no overlay)."""
    x0, y0, x1, y1 = box
    rects = [(-180.0, -90.0, x0, 90.0), (x1, -90.0, 180.0, 90.0), (x0, -90.0, x1, y0), (x0, y1, x1, 90.0)]
    parts = [shapely.clip_by_rect(geom, *r) for r in rects if r[0] < r[2] and r[1] < r[3]]
    # no union: pieces cut along the rectangles' edges are joined by ``composite``
    polys = [p for g in parts for p in shapely.get_parts(assemble.polygon_parts(g))]
    return shapely.multipolygons(polys) if polys else shapely.MultiPolygon()


def _cut_lines(box: Box) -> shapely.Geometry:
    """Where :func:`outside_box` cuts: the box's edges and its meridians prolonged to the poles."""
    x0, _, x1, _ = box
    lines = [shapely.boundary(shapely.box(*box))]
    lines += [shapely.LineString([(x, -90.0), (x, 90.0)]) for x in (x0, x1) if -180.0 < x < 180.0]
    return shapely.union_all(lines)


def composite(world: dict[str, shapely.Geometry], detail: dict[str, shapely.Geometry], box: Box
              ) -> dict[str, shapely.Geometry]:
    """Per owner: ``world`` outside ``box`` joined to ``detail`` (a finer build of ``box``).

    Only the polygons that reach the box's edge are united (they are the two halves of one
    polygon cut there); the others are disjoint already and are kept as they are.
    """
    edge = shapely.buffer(_cut_lines(box), 1e-6)
    shapely.prepare(edge)
    out = {}
    for code in sorted(set(world) | set(detail)):
        parts = []
        if code in world:
            parts.extend(shapely.get_parts(outside_box(world[code], box)))
        if code in detail:
            parts.extend(shapely.get_parts(detail[code]))
        parts_a = np.array([p for p in parts if shapely.get_type_id(p) == 3], dtype=object)
        if not len(parts_a):
            continue
        at_edge = shapely.intersects(edge, parts_a)
        joined = shapely.get_parts(shapely.union_all(parts_a[at_edge])) if at_edge.any() else []
        keep = [*parts_a[~at_edge], *[p for p in joined if shapely.get_type_id(p) == 3]]
        if keep:
            out[code] = shapely.multipolygons(keep)
    return out


_QUAD_MAX_VERTICES = 20_000


def split_by_claims(piece: shapely.Geometry, claims: list[tuple[str, shapely.Geometry]],
                    rect: Box | None = None) -> list[tuple[str, shapely.Geometry]]:
    """``piece`` of land divided among ``claims`` ((code, shape) in priority order).

    Each code takes what earlier codes left, as :func:`geo._zonebuild.pipeline.land_layer`
    does, but large pieces are first cut into quadrants (the shapes with them), so no
    overlay ever runs on a continent: the cost stays near linear in the vertices.
    """
    if rect is None:
        b = shapely.bounds(piece)
        rect = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    claims = [(c, s) for c, s in claims if shapely.intersects(s, piece)]
    if not claims:
        return []
    if len(claims) == 1 and shapely.contains(claims[0][1], piece):
        return [(claims[0][0], piece)]
    if shapely.get_num_coordinates(piece) <= _QUAD_MAX_VERTICES or rect[2] - rect[0] < 1e-3:
        out = []
        rest = piece
        for c, s in claims:
            got = shapely.intersection(rest, s)
            rest = shapely.difference(rest, got)
            if not shapely.is_empty(got):
                out.append((c, got))
        return out
    x0, y0, x1, y1 = rect
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    out = []
    for sub in ((x0, y0, xm, ym), (xm, y0, x1, ym), (x0, ym, xm, y1), (xm, ym, x1, y1)):
        p = shapely.make_valid(shapely.clip_by_rect(piece, *sub))
        if shapely.is_empty(p):
            continue
        sc = [(c, shapely.make_valid(shapely.clip_by_rect(s, *sub))) for c, s in claims]
        out.extend(split_by_claims(p, [(c, s) for c, s in sc if not shapely.is_empty(s)], sub))
    return out


def world_land_layer(polys: np.ndarray, pidx: np.ndarray, owner: np.ndarray, countries: Any, *,
                     coast_xy: tuple[np.ndarray, np.ndarray], simplify_deg: float) -> tuple[Any, np.ndarray]:
    """Land per owner for the whole Earth, and the land parts zones subtract (see ``land_layer``)."""
    from geo._zonebuild.facts import DISPUTES, priority
    from geo._zonebuild.pipeline import METHOD, SOURCE

    simple = _simplified(polys, simplify_deg)
    codes, pairs, n_owners, single = land.polygon_owners(polys, pidx, owner, coast_xy)
    parts: dict[str, list[shapely.Geometry]] = {}
    for c in np.unique(single[single != ""]):
        parts.setdefault(str(c), []).extend(list(shapely.get_parts(simple[single == c])))
    shapes = {str(k): shapely.make_valid(g) for k, g in zip(countries["A3"], countries.geometry.values, strict=True)}
    disputes = {d.key: d for d in DISPUTES}

    def claim(c: str) -> shapely.Geometry | None:
        d = disputes.get(c)
        if d is not None:
            box = shapely.box(*d.box)
            return box if d.only_from is None or d.only_from not in shapes else shapely.intersection(box, shapes[d.only_from])
        return shapes.get(c)

    split: dict[str, list[shapely.Geometry]] = {}
    for i in np.flatnonzero(n_owners > 1):
        cs = [(str(c), claim(str(c))) for c in sorted(codes[pairs[pairs[:, 0] == i, 1]], key=priority)]
        for c, g in split_by_claims(simple[i], [(c, s) for c, s in cs if s is not None]):
            split.setdefault(c, []).extend(list(shapely.get_parts(g)))
    # whole polygons are disjoint already: only the pieces of split ones (which meet along
    # quadrant edges) need a union
    zones = {}
    for c in sorted(set(parts) | set(split)):
        joined = shapely.get_parts(shapely.union_all(split[c])) if c in split else []
        polys_c = [*parts.get(c, []), *joined]
        polys_c = [g for g in polys_c if shapely.get_type_id(g) == 3]
        zones[c] = shapely.multipolygons(polys_c)
    gdf = assemble.layer_frame("land", zones, method=METHOD["land"], source=SOURCE, treaty_parties=set(),
                               dissolve=False)
    return gdf, _parts(simple)


def _simplified(polys: np.ndarray, simplify_deg: float) -> np.ndarray:
    simple = shapely.simplify(polys, simplify_deg, preserve_topology=True)
    out: np.ndarray = shapely.make_valid(simple, method="structure", keep_collapsed=False)
    return out


def _parts(simple: np.ndarray) -> np.ndarray:
    parts = shapely.get_parts(simple)
    out: np.ndarray = parts[shapely.get_type_id(parts) == 3]
    return out


def land_parts_of(polys: np.ndarray, simplify_deg: float) -> np.ndarray:
    """The simplified land polygons that zones subtract (the land layer's, without owners)."""
    return _parts(_simplified(polys, simplify_deg))


LAYER_KINDS = ("land", "territorial_sea", "contiguous_zone", "eez")


def _by_code(gdf: Any) -> dict[str, shapely.Geometry]:
    return dict(zip(row_codes(gdf), gdf.geometry.values, strict=True))


def build_world(out_dir: Any, *, progress: Callable[[str], None] | None = None, workers: int | None = None,
                detail_dir: Any = None, scratch: Any = None, coast: WorldCoast | None = None) -> dict[str, Any]:
    """Build the world layers into ``out_dir`` (one compact file per layer + manifest.json).

    ``detail_dir`` holds a finer regional build (the NW Pacific GeoPackages) that replaces
    the world inside its manifest's box.
    """
    import json
    from pathlib import Path

    import geopandas as gpd

    from geo._zonebuild import antarctic
    from geo._zonebuild.pipeline import METHOD, SOURCE
    from geo._zonefile import write_layer

    t0 = time.time()

    def say(m: str) -> None:
        if progress is not None:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            progress(f"[{time.time() - t0:6.1f} s, peak {rss:5.0f} MB] {m}")

    coast = coast or world_coast(progress=say)
    results, stats = build_tiles(coast, tiles(), workers, scratch)
    say(f"{len(results)} tiles built")
    merged = merge(results)
    merged["land"] = _by_code(coast.land_layer)
    say("tiles merged")
    box = None
    if detail_dir is not None:
        detail_dir = Path(detail_dir)
        meta = json.loads((detail_dir / "manifest.json").read_text())
        box = tuple(meta["box"])
        for kind in LAYER_KINDS:
            detail = _by_code(gpd.read_file(detail_dir / f"{kind}.gpkg"))
            merged[kind] = composite(merged[kind], detail, box)
        say(f"{detail_dir} inside {box}")
    treaty_parties = {p for t in TREATIES for p in t.parties}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    layers = {}
    for kind in LAYER_KINDS:
        z = dict(merged[kind])
        ata = z.pop("ATA", None)
        # every geometry is dissolved and valid already (tiles united, edges closed)
        gdf = assemble.layer_frame(kind, z, method=METHOD[kind], source=SOURCE, treaty_parties=treaty_parties,
                                   dissolve=False)
        if ata is not None:
            extra = antarctic.antarctic_rows(ata, kind, METHOD[kind], SOURCE)
            gdf = gpd.GeoDataFrame(
                [*gdf.to_dict("records"), *extra], columns=gdf.columns, geometry="geometry", crs="EPSG:4326"
            )
        gdf = antarctic.mark_antarctic_islands(antarctic.mark_svalbard(gdf))
        write_layer(gdf, out_dir / f"{kind}.npz")
        layers[kind] = {"file": f"{kind}.npz", "features": len(gdf)}
        say(f"{kind}: {len(gdf)} features written")
    area = antarctic.treaty_area_layer()
    write_layer(area, out_dir / "antarctic.npz")
    layers["antarctic"] = {"file": "antarctic.npz", "features": len(area)}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    manifest: dict[str, Any] = {
        "region": "world",
        "box": [-180.0, -90.0, 180.0, 90.0],
        "crs": "EPSG:4326",
        "format": "geo-zone-layer/1 (geo._zonefile)",
        "layers": layers,
        "detail": {"dir": str(detail_dir.name) if detail_dir is not None else None, "box": list(box) if box else None},
        "inputs": inputs.INPUTS,
        "params": WORLD_PARAMS,
        "tiles": {"lon_deg": TILE_DEG, "cap_lat": CAP_LAT, "margin_lat": MARGIN_LAT, "margin_lon": MARGIN_LON,
                  "stats": stats},
        "treaties": [{"key": t.key, "name": t.name, "csv": f"sources/{t.csv}", "datum": t.source_datum}
                     for t in TREATIES],
        "licence": "ODbL-1.0: contains information from OpenStreetMap (c) OpenStreetMap contributors",
        "build": {"seconds": round(time.time() - t0, 1), "peak_rss_mb_main": round(rss),
                  "peak_rss_mb_tiles": max((s["peak_rss_mb"] for s in stats.values()), default=0),
                  "workers": workers or os.cpu_count()},
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    say(f"written to {out_dir}")
    return manifest
