"""Land polygons: which territory (or disputed feature) each belongs to, and their coast points."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod

from geo._errors import MissingExtraError
from geo._zonebuild import sphere
from geo._zonebuild.facts import COAST_DISPUTE_KEYS, DISPUTES, Baseline, priority
from geo._zonebuild.world_facts import coast_dispute_mask

__all__ = ["apply_disputes", "areas_km2", "baseline_points", "coast_points", "country_of_points"]

_GEOD = Geod(ellps="WGS84")


def scipy_spatial() -> Any:
    try:
        import scipy.spatial
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError("scipy", "build") from exc
    return scipy.spatial


def _wrap(x: np.ndarray) -> np.ndarray:
    return (x + 180.0) % 360.0 - 180.0


def country_of_points(x: np.ndarray, y: np.ndarray, countries: gpd.GeoDataFrame) -> np.ndarray:
    """geo-maps ISO A3 of the land + 12 nm shape holding each point (nearest shape if none).

    Where shapes overlap, the first by ``facts.priority`` wins (Taiwan's Kinmen and Matsu
    lie inside OSM's shape of the PRC too; otherwise the alphabet), so the answer is
    deterministic.
    """
    codes_in = countries["A3"].astype(str).tolist()
    countries = countries.iloc[sorted(range(len(codes_in)), key=lambda i: priority(codes_in[i]))]
    countries = countries.reset_index(drop=True)
    shapes = shapely.make_valid(countries.geometry.values)
    codes = countries["A3"].to_numpy(str)
    pts = shapely.points(_wrap(x), y)
    out = np.full(len(pts), "", dtype=object)
    c_idx, p_idx = shapely.STRtree(pts).query(shapes, predicate="contains")
    order = np.lexsort((c_idx, p_idx))
    p_sorted, c_sorted = p_idx[order], c_idx[order]
    first = np.ones(p_sorted.size, dtype=bool)  # the first shape (by priority) holding each point
    first[1:] = p_sorted[1:] != p_sorted[:-1]
    out[p_sorted[first]] = codes[c_sorted[first]]
    missing = np.flatnonzero(out == "")
    if len(missing):
        near = shapely.STRtree(shapes).query_nearest(pts[missing], all_matches=False)
        out[missing[near[0]]] = codes[near[1]]
    return out.astype(str)


def apply_disputes(
    x: np.ndarray, y: np.ndarray, owner: np.ndarray, area_km2: np.ndarray, poly: np.ndarray
) -> tuple[np.ndarray, dict[str, int]]:
    """Owner codes with disputed features (facts.DISPUTES) replaced by the dispute key.

    ``area_km2`` is the area of the land polygon (index ``poly``) each point belongs to.
    With ``only_from``, a polygon counts when most of its points in the box have that
    owner, and then all of them do: Kinmen's west coast lies outside geo-maps' shape of
    Taiwan and inside China's, and must not keep a Chinese sea of its own.
    """
    owner = owner.copy()
    stats: dict[str, int] = {}
    for d in DISPUTES:
        if d.key in COAST_DISPUTE_KEYS:  # a stretch of a continent's coast: point by point
            sel = coast_dispute_mask(x, y, owner, d)
            owner[sel] = d.key
            stats[d.key] = int(sel.sum())
            continue
        x0, y0, x1, y1 = d.box
        sel = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1) & (area_km2 <= d.max_area_km2)
        if d.only_from is not None:
            n = int(poly.max()) + 1 if len(poly) else 0
            total = np.bincount(poly[sel], minlength=n)
            held = np.bincount(poly[sel & (owner == d.only_from)], minlength=n)
            # the whole polygon, also its points outside the box (Kunashir crosses its edge)
            sel = (2 * held > total)[poly] & (area_km2 <= d.max_area_km2)
        owner[sel] = d.key
        stats[d.key] = int(sel.sum())
    return owner, stats


def areas_km2(polys: np.ndarray) -> np.ndarray:
    """Geodesic area (km2) of polygons, vectorised over their exterior rings' vertices."""
    rings = shapely.get_exterior_ring(polys)
    coords, idx = shapely.get_coordinates(rings, return_index=True)
    # spherical excess on an authalic sphere is enough to sort features by size
    r = 6371.0072
    lon = np.radians(coords[:, 0])
    lat = np.radians(coords[:, 1])
    nxt = np.r_[1 : len(coords), 0]
    same = idx[nxt] == idx
    term = np.where(same, (lon[nxt] - lon) * (2 + np.sin(lat) + np.sin(lat[nxt])), 0.0)
    area = np.abs(np.bincount(idx, weights=term, minlength=len(polys))) * r * r / 2
    return area


def coast_points(
    land: np.ndarray, *, box: tuple[float, float, float, float], simplify_deg: float, spacing_deg: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coast points (lon, lat, index of their land polygon) no farther apart than ``spacing_deg``.

    Rings are simplified by ``simplify_deg`` (topology kept, so rocks survive) and
    segmentised; points on the clip box's edges are dropped (they are cuts, not coast),
    and points closer than ~13 m to another are merged, as the Voronoi needs.
    """
    simple = shapely.simplify(land, simplify_deg, preserve_topology=True)
    simple = shapely.segmentize(simple, spacing_deg)
    rings = shapely.get_rings(simple, return_index=False)
    ring_poly = np.repeat(np.arange(len(simple)), shapely.get_num_interior_rings(simple) + 1)
    coords, idx = shapely.get_coordinates(rings, return_index=True)
    poly = ring_poly[idx]
    x0, y0, x1, y1 = box
    cut = (
        np.isclose(coords[:, 0], x0, atol=1e-9)
        | np.isclose(coords[:, 0], x1, atol=1e-9)
        | np.isclose(coords[:, 1], y0, atol=1e-9)
        | np.isclose(coords[:, 1], y1, atol=1e-9)
        | np.isclose(coords[:, 0], 180.0, atol=1e-9)
    )
    coords, poly = coords[~cut], poly[~cut]
    kdtree = scipy_spatial().cKDTree
    xyz = sphere.to_unit_vectors(coords[:, 0], coords[:, 1])
    pairs = kdtree(xyz).query_pairs(2e-6, output_type="ndarray")
    keep = np.ones(len(coords), bool)
    keep[pairs[:, 1]] = False
    return coords[keep, 0], coords[keep, 1], poly[keep]


def baseline_points(
    baselines: tuple[Baseline, ...], sources_dir: Path, *, spacing_m: float, coast: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points along declared straight baselines (lon, lat, owner ISO3), no farther apart than ``spacing_m``.

    Each segment is a geodesic between consecutive base points. Points within ~13 m of a
    ``coast`` point (lon, lat) are dropped, as the Voronoi needs distinct generators.
    """
    xs: list[np.ndarray] = [np.empty(0)]
    ys: list[np.ndarray] = [np.empty(0)]
    owners: list[np.ndarray] = [np.empty(0, dtype="<U3")]
    for b in baselines:
        pts = b.points(sources_dir)
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            n = max(int(np.ceil(_GEOD.inv(x0, y0, x1, y1)[2] / spacing_m)), 1)
            seg = _GEOD.inv_intermediate(
                x0, y0, x1, y1, npts=n + 1, initial_idx=0, terminus_idx=0, return_back_azimuth=True
            )
            xs.append(np.asarray(seg.lons)[:-1])
            ys.append(np.asarray(seg.lats)[:-1])
            owners.append(np.full(n, b.state))
        xs.append(pts[-1:, 0])
        ys.append(pts[-1:, 1])
        owners.append(np.array([b.state]))
    x, y, owner = np.concatenate(xs), np.concatenate(ys), np.concatenate(owners)
    if not len(x):
        return x, y, owner
    tree = scipy_spatial().cKDTree(sphere.to_unit_vectors(*coast))
    d, _ = tree.query(sphere.to_unit_vectors(x, y))
    keep = d > 2e-6
    return x[keep], y[keep], owner[keep]


def polygon_owners(
    polys: np.ndarray, pidx: np.ndarray, owner: np.ndarray, coast_xy: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Who owns each land polygon, from the owners of its coast points.

    Returns ``(codes, pairs, n_owners, single)``: the distinct owner codes; the distinct
    (polygon, code index) pairs; the number of owners per polygon; and the one owner of a
    polygon that has exactly one ("" where it has several). A polygon without coast points
    (a rock whose points all merged into a neighbour's) takes the owner of the nearest coast
    point, disputes included (a rock off Kinmen is disputed too).
    """
    codes, oi = np.unique(owner, return_inverse=True)
    pairs = np.unique(np.column_stack([pidx, oi]), axis=0)
    n_owners = np.bincount(pairs[:, 0], minlength=len(polys))
    single = np.full(len(polys), "", dtype=object)
    one = n_owners[pairs[:, 0]] == 1
    single[pairs[one, 0]] = codes[pairs[one, 1]]
    lone = np.flatnonzero(n_owners == 0)
    if len(lone):
        xy = shapely.get_coordinates(shapely.point_on_surface(polys[lone]))
        tree = scipy_spatial().cKDTree(sphere.to_unit_vectors(*coast_xy))
        _, near = tree.query(sphere.to_unit_vectors(xy[:, 0], xy[:, 1]))
        single[lone] = owner[near]
    return codes, pairs, n_owners, single
