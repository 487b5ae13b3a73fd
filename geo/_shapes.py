"""Shapes on the globe from (lon, lat) outlines: split at +/-180 deg, closed along a pole.

Plain planar assembly with shapely (no metres here; :mod:`geo.geodesy` measures):
a closed ring becomes a valid (Multi)Polygon in EPSG:4326 by its winding round a pole,
and a densified line is cut where it crosses the antimeridian or passes over a pole.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo._errors import InvalidCoordinateError, InvalidDistanceError

__all__ = [
    "WORLD",
    "FloatArray",
    "finish",
    "fold",
    "ring_to_geometry",
    "signed_area",
    "split_line",
    "wrap180",
]

FloatArray = NDArray[np.float64]


def wrap180(x: FloatArray) -> FloatArray:
    return (x + 180.0) % 360.0 - 180.0


WORLD = shapely.box(-180.0, -90.0, 180.0, 90.0)


def fold(poly: BaseGeometry) -> BaseGeometry:
    """Cut a polygon drawn in unwrapped longitude into 360 deg windows, shifted into [-180, 180]."""
    minx, _, maxx, _ = poly.bounds
    pieces = []
    for k in range(int(np.floor((minx + 180.0) / 360.0)), int(np.floor((maxx + 180.0) / 360.0)) + 1):
        window = shapely.box(k * 360.0 - 180.0, -90.0, k * 360.0 + 180.0, 90.0)
        piece = poly.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.affinity.translate(piece, xoff=-k * 360.0))
    return shapely.union_all(pieces)


def ring_to_geometry(lon: FloatArray, lat: FloatArray) -> BaseGeometry:
    """Turn a closed ring with its interior on the LEFT (counter-clockwise on the globe).

    The ring is unwrapped in longitude. A net turn of +/-360 deg means it winds round a
    pole: the interior holds the North Pole when the ring runs east (+360) and the South
    Pole when it runs west; it is closed along that pole. With no net turn, a ring whose
    unwrapped outline is clockwise has its interior outside that outline (a disc larger
    than the rest of the globe, e.g. one that holds both poles).
    """
    if lon[0] != lon[-1] or lat[0] != lat[-1]:
        lon = np.append(lon, lon[0])
        lat = np.append(lat, lat[0])
    turn = float(np.sum(wrap180(np.diff(lon))))
    winding = int(np.round(turn / 360.0))
    if winding not in (-1, 0, 1):
        raise InvalidCoordinateError(f"ring winds {winding} times round a pole; it is not simple")
    if winding:
        # Start at the vertex nearest the enclosed pole, so the closing meridians
        # (from that vertex to the pole) cross no other edge.
        start = int(np.argmax(lat[:-1] * winding))
        lon = np.concatenate([lon[start:-1], lon[: start + 1]])
        lat = np.concatenate([lat[start:-1], lat[: start + 1]])
    ulon = lon[0] + np.concatenate([[0.0], np.cumsum(wrap180(np.diff(lon)))])
    if winding:
        pole = 90.0 * winding
        ulon = np.concatenate([ulon, [ulon[-1], ulon[0]]])
        lat = np.concatenate([lat, [pole, pole]])
    outline = shapely.make_valid(Polygon(np.column_stack([ulon, lat])))
    signed = signed_area(ulon, lat)
    folded = fold(outline)
    if winding == 0 and signed < 0:
        return WORLD.difference(folded)
    return folded


def signed_area(x: FloatArray, y: FloatArray) -> float:
    return float(0.5 * np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) + 0.5 * (x[-1] * y[0] - x[0] * y[-1]))


def finish(geom: BaseGeometry) -> BaseGeometry:
    """Valid, oriented per the right-hand rule, a Polygon or MultiPolygon with no slivers."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polys = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and g.area > 0]
    if not polys:
        raise InvalidDistanceError("the shape is empty at this size; use a larger radius or tolerance")
    out: BaseGeometry = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return shapely.orient_polygons(out)


def split_line(lon: FloatArray, lat: FloatArray) -> BaseGeometry:
    """Cut a densified line where it crosses +/-180 deg (or passes over a pole)."""
    pieces: list[list[tuple[float, float]]] = [[(float(lon[0]), float(lat[0]))]]
    dlon = wrap180(np.diff(lon))
    over_pole = np.abs(dlon) > 90.0  # only possible next to a pole once densified
    cur = pieces[0]
    # A loop over the (few) cut points would be enough; this walks vertices but only for
    # output assembly of one track, never over analysed points.
    for i in range(lon.size - 1):
        x0, y0, x1, y1 = float(lon[i]), float(lat[i]), float(lon[i + 1]), float(lat[i + 1])
        if over_pole[i]:
            pole = 90.0 if (y0 + y1) > 0 else -90.0
            cur.append((x0, pole))
            cur = [(x1, pole)]
            pieces.append(cur)
        elif abs(x1 - x0) > 180.0:
            xe = 180.0 if x0 > 0 else -180.0
            x1u = x0 + float(dlon[i])
            f = (xe - x0) / (x1u - x0)
            yc = y0 + f * (y1 - y0)
            cur.append((xe, yc))
            cur = [(-xe, yc)]
            pieces.append(cur)
        cur.append((x1, y1))
    lines = [LineString(p) for p in pieces if len(p) >= 2 and LineString(p).length > 0]
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


# --------------------------------------------------------------------------- area
