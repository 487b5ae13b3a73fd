"""The exact work of :class:`geo._distance.LineDistance`: the nearest point of a geodesic edge to a point.

Both candidate searches (KD-tree and compiled) end here, so they give the same distances.
Each distance is a ``Geod.inv`` from the point to a point of the edge (``Geod.fwd``), on
the ellipsoid: the edge's end where the distance grows from that end into the edge, else
the foot of the perpendicular found by Newton steps along the edge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from geo.geodesy import GEOD

__all__ = ["Edges", "foot", "nearest_of_runs", "nearest_on"]

_TOL_M = 1e-5  # Newton stops when the next step would shorten the distance by less
_R_MEAN = 6_371_008.8
_CONVEX_M = 5e6  # the end shortcut is taken only nearer than this (convexity holds below ~9,980 km)

_F = NDArray[np.float64]
_I = NDArray[np.int64]


@dataclass(frozen=True)
class Edges:
    """Geodesic edges A->B (lon/lat degrees): azimuths at A (towards B) and at B (towards A), lengths in metres."""

    ax: _F
    ay: _F
    bx: _F
    by: _F
    az: _F
    az_back: _F
    length: _F


def nearest_on(
    edges: Edges, px: _F, py: _F, e: _I, t: _F, seen: tuple[_F, _F, _F, _F] | None = None
) -> tuple[_F, _F, _F, _F]:
    """Distance from P to geodesic edge e, the nearest point on it and the azimuth there towards P.

    ``t``: P's foot on the chord. ``seen`` (per row: lon, lat, azimuth towards P and
    distance of a point already measured, NaN for none): where the edge's end is that very
    point, its ``Geod.inv`` is not repeated (the same inputs give the same answer).

    Where the chord's foot is an end of the edge, that end is tried first: the distance
    from P along a geodesic edge is convex (Hessian comparison: the ellipsoid's
    curvature is at most ``1 / b**2``, and the shortcut is taken only below 5,000 km, far below ``pi b / 2``),
    so when it does not decrease from that end into the edge, the end is the nearest
    point (one ``Geod.inv``, no Newton steps). The other rows go to :func:`foot`.
    """
    d, fx, fy = np.empty(e.size), np.empty(e.size), np.empty(e.size)
    end = np.flatnonzero((t <= 0.0) | (t >= 1.0))
    at_b = t[end] >= 1.0
    ee = e[end]
    vx = np.where(at_b, edges.bx[ee], edges.ax[ee])
    vy = np.where(at_b, edges.by[ee], edges.ay[ee])
    az_vp, d_vp = np.empty(end.size), np.empty(end.size)
    known = np.zeros(end.size, dtype=bool)
    if seen is not None:
        sx, sy, saz, sd = (v[end] for v in seen)
        known = (vx == sx) & (vy == sy)
        az_vp[known], d_vp[known] = saz[known], sd[known]
    new = np.flatnonzero(~known)
    az_new, _, d_new = GEOD.inv(vx[new], vy[new], px[end[new]], py[end[new]])
    az_vp[new], d_vp[new] = az_new, d_new
    into = np.where(at_b, edges.az_back[ee], edges.az[ee])
    # d/ds of the distance into the edge is -cos(angle between the edge and the way to P)
    # (only within _CONVEX_M: the convexity needs the distance well below pi b / 2)
    flat = (np.cos(np.radians(np.asarray(into) - np.asarray(az_vp))) <= -1e-9) & (
        np.asarray(d_vp) < _CONVEX_M
    )
    done = end[flat]
    az = np.empty(e.size)
    d[done], fx[done], fy[done], az[done] = d_vp[flat], vx[flat], vy[flat], az_vp[flat]
    todo = np.ones(e.size, dtype=bool)
    todo[done] = False
    todo = np.flatnonzero(todo)
    d[todo], fx[todo], fy[todo], az[todo] = foot(edges, px[todo], py[todo], e[todo], t[todo] * edges.length[e[todo]])
    return d, fx, fy, az


def foot(edges: Edges, px: _F, py: _F, e: _I, s0: _F) -> tuple[_F, _F, _F, _F]:
    """Distance from P to geodesic edge e, the nearest point on it and the azimuth there towards P (Newton along the edge from s0).

    The returned distance is the exact ``Geod.inv`` distance to the returned point; it
    stops when one more step would shorten it by less than ``_TOL_M``.
    """
    ax, ay, az, length = edges.ax[e], edges.ay[e], edges.az[e], edges.length[e]
    s = np.clip(s0, 0.0, length)
    d = np.empty(e.size)
    fx = np.empty(e.size)
    fy = np.empty(e.size)
    az_p = np.empty(e.size)
    act = np.arange(e.size)
    for _ in range(10):
        x1, y1, back = GEOD.fwd(ax[act], ay[act], az[act], s[act])
        az_fp, _, d_fp = GEOD.inv(x1, y1, px[act], py[act])
        d[act], fx[act], fy[act], az_p[act] = d_fp, x1, y1, az_fp
        theta = np.radians(np.asarray(az_fp) - (np.asarray(back) + 180.0))
        # Along-track distance to the foot, spherical: exact on a plane, close on the ellipsoid.
        ang = np.asarray(d_fp) / _R_MEAN
        along = _R_MEAN * np.arctan2(np.sin(ang) * np.cos(theta), np.cos(ang))
        s_new = np.clip(s[act] + along, 0.0, length[act])
        moved = s_new - s[act]
        s[act] = s_new
        act = act[moved**2 > 2.0 * _TOL_M * np.asarray(d_fp)]
        if not act.size:
            break
    return d, fx, fy, az_p


def nearest_of_runs(
    first: tuple[_F, _F, _F, _I], run: _I, more: tuple[_F, _F, _F, _I]
) -> tuple[_F, _F, _F, _I]:
    """The nearest candidate of each run: by distance, then by edge number.

    ``first`` holds one (distance, foot x, foot y, edge) row a run; ``more`` the run's other
    candidates, ``run`` their run numbers in ascending order, each edge at most once a run.
    O(n) over the runs (``np.minimum.reduceat``), no sort. ``first``'s arrays are updated in place
    and returned.
    """
    d1, fx1, fy1, e1 = first
    d2, fx2, fy2, e2 = more
    starts = np.ones(run.size, bool)
    starts[1:] = run[1:] != run[:-1]
    seg = np.flatnonzero(starts)
    if seg.size:
        seg_of = np.cumsum(starts) - 1
        m2 = np.minimum.reduceat(d2, seg)
        tie = d2 == m2[seg_of]
        big = np.iinfo(np.int64).max
        me = np.minimum.reduceat(np.where(tie, e2, big), seg)
        at = np.flatnonzero(tie & (e2 == me[seg_of]))  # one row a run: an edge is a run's candidate once
        r, m2, me = run[at], m2[seg_of[at]], me[seg_of[at]]
        wins = (m2 < d1[r]) | ((m2 == d1[r]) & (me < e1[r]))
        r, at = r[wins], at[wins]
        d1[r], fx1[r], fy1[r], e1[r] = d2[at], fx2[at], fy2[at], e2[at]
    return d1, fx1, fy1, e1
