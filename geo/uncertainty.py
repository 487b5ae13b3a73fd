"""Vague impact reports as random samples of impact points, with their assumptions stated.

Three kinds of report, each drawn on the WGS84 ellipsoid (every sample point is a
``Geod.fwd`` from the reference point, so the geometry is exact at any range):

* :func:`from_site` — a launch site, a range and an azimuth;
* :func:`from_relative` — "about 250 km west of Okushiri Island", or place + distance + bearing;
* :func:`from_ellipse` / :func:`from_cep` — a point with an error ellipse or a CEP.

Distributions assumed (stated again in each result's ``assumptions``):

========================  ===============================================================
input                      distribution
========================  ===============================================================
range ``R``                exact (a ring or an arc)
range ``R+/-E``            normal, mean R, standard deviation E (truncated at 0)
range ``R1-R2``            uniform on [R1, R2]
azimuth ``A``              exact
azimuth ``A1:A2``          uniform on the clockwise interval (may cross north)
azimuth unknown            uniform on [0, 360)
relative statement         uniform in distance and bearing over the intervals of
                           :mod:`geo.relative` (+/-10 %, +/- half a compass sector)
error ellipse              bivariate normal in the azimuthal equidistant frame of the
                           centre; the ellipse holds ``level`` of the probability (95 %)
CEP                        circular normal whose 50 % circle has radius CEP
========================  ===============================================================

Samples are reproducible: pass ``seed``.

Examples
--------
>>> s = from_site("Hamhung", range_km="600-700", azimuth="60:120", n=1000, seed=1)
>>> s.lon.shape, bool(s.range_km.min() >= 600)
((1000,), True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geo import geodesy
from geo._errors import InvalidDistanceError, InvalidIntervalError, ParseError
from geo.places import Place, default_gazetteer
from geo.relative import locate, parse_range, relative_place

__all__ = [
    "DEFAULT_SAMPLES",
    "ImpactSamples",
    "from_cep",
    "from_ellipse",
    "from_relative",
    "from_site",
    "parse_range",
    "probability",
    "read_azimuth",
]

DEFAULT_SAMPLES = 20_000
"""Default number of samples: a standard error below 0.0036 on any probability."""

_F = NDArray[np.float64]


@dataclass(frozen=True)
class ImpactSamples:
    """Sampled impact points of one report (lon, lat in degrees) and how they were drawn."""

    lon: _F
    lat: _F
    origin_lon: float
    origin_lat: float
    range_km: _F
    azimuth_deg: _F
    description: str
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    seed: int | None = None

    @property
    def n(self) -> int:
        return int(self.lon.size)


def probability(hits: NDArray[np.bool_]) -> tuple[float, float]:
    """Share of samples that satisfy a condition, and its binomial standard error.

    Examples
    --------
    >>> probability(np.array([True, False, True, True]))
    (0.75, 0.21650635094610965)
    """
    h = np.asarray(hits, dtype=bool)
    if h.size == 0:
        raise InvalidDistanceError("no samples: give n >= 1")
    p = float(h.mean())
    return p, math.sqrt(p * (1.0 - p) / h.size)


def _place(site: str | Place | tuple[float, float]) -> tuple[float, float, str]:
    if isinstance(site, Place):
        return site.lon, site.lat, site.name
    if isinstance(site, tuple):
        lon, lat = geodesy.check_lonlat(site[0], site[1], what="site")
        return float(lon), float(lat), f"({float(lat):.4f}, {float(lon):.4f})"
    p = default_gazetteer().lookup(site)
    return p.lon, p.lat, p.name


def _rng(seed: int | None) -> np.random.Generator:
    return np.random.default_rng(seed)


def _check_n(n: int) -> int:
    if int(n) != n or n < 1:
        raise InvalidDistanceError(f"n must be a positive whole number of samples, got {n!r}")
    return int(n)


def from_site(
    site: str | Place | tuple[float, float],
    *,
    range_km: str | float | tuple[float, float],
    azimuth: str | float | None = None,
    n: int = DEFAULT_SAMPLES,
    seed: int | None = None,
) -> ImpactSamples:
    """Impact points from a launch site, a range (R, R+/-E, R1-R2) and an azimuth (A, A1:A2 or None).

    Parameters
    ----------
    site : str, Place or (lon, lat)
    range_km : float, str or (lo, hi)
        Kilometres.
    azimuth : float, str or None
        Degrees clockwise from north, an interval ``"A1:A2"``, or None for unknown.
    """
    n = _check_n(n)
    lon0, lat0, name = _place(site)
    rng = _rng(seed)
    kind, a, b = parse_range(range_km)
    assumptions: list[str] = []
    if kind == "exact":
        r = np.full(n, a)
        assumptions.append(f"range: exactly {a:g} km")
    elif kind == "normal":
        r = np.abs(rng.normal(a, b, n))  # folding at 0 matters only for E comparable to R
        assumptions.append(f"range: normal, mean {a:g} km, standard deviation {b:g} km")
    else:
        r = rng.uniform(a, b, n)
        assumptions.append(f"range: uniform on [{a:g}, {b:g}] km")
    az, text = _azimuths(azimuth, n, rng)
    assumptions.append(text)
    limit = geodesy.antipodal_distance_m(lon0, lat0) / 1e3
    if r.max() >= limit:
        raise InvalidDistanceError(f"range {range_km!r} reaches the antipode of {name} ({limit:.0f} km)")
    lon, lat, _ = geodesy.GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, r * 1e3)
    return ImpactSamples(
        np.asarray(lon), np.asarray(lat), lon0, lat0, r, az,
        f"{name}, range {range_km} km, azimuth {azimuth if azimuth is not None else 'unknown'}",
        tuple(assumptions), seed,
    )  # fmt: skip


def _azimuths(azimuth: str | float | None, n: int, rng: np.random.Generator) -> tuple[_F, str]:
    kind, a, width = read_azimuth(azimuth)
    if kind == "unknown":
        return rng.uniform(0.0, 360.0, n), "azimuth: unknown, uniform on [0, 360)"
    if kind == "interval":
        az = (a + rng.uniform(0.0, width, n)) % 360.0
        return az, f"azimuth: uniform on the clockwise interval {azimuth}"
    return np.full(n, a), f"azimuth: exactly {a:g} deg"


def read_azimuth(azimuth: str | float | None) -> tuple[str, float, float]:
    """Read an azimuth as :func:`from_site` does: ``(kind, start_deg, width_deg)``.

    ``kind`` is ``unknown`` (0, 360), ``interval`` (clockwise from start over width) or
    ``exact`` (the value in [0, 360), width 0).

    Examples
    --------
    >>> read_azimuth("350:10"), read_azimuth(90), read_azimuth(None)
    (('interval', 350.0, 20.0), ('exact', 90.0, 0.0), ('unknown', 0.0, 360.0))
    """
    if azimuth is None or (isinstance(azimuth, str) and azimuth.strip().lower() in {"", "unknown", "none"}):
        return "unknown", 0.0, 360.0
    if isinstance(azimuth, str) and ":" in azimuth:
        iv = geodesy.parse_azimuth_interval(azimuth)
        for end in (iv.start_deg, iv.end_deg):
            if not 0.0 <= end <= 360.0:
                raise InvalidIntervalError(f"azimuth {end:g} in {azimuth!r} is outside [0, 360] degrees")
        return "interval", iv.start_deg, iv.width_deg
    try:
        value = float(azimuth)
    except ValueError:
        raise ParseError(
            f"cannot read azimuth {azimuth!r}; give degrees (90), an interval (60:120) or leave it out"
        ) from None
    if not (math.isfinite(value) and 0.0 <= value <= 360.0):
        raise InvalidIntervalError(
            f"azimuth must be within [0, 360] degrees clockwise from north, got {azimuth!r}"
        )
    return "exact", value % 360.0, 0.0


def from_relative(
    statement: str | None = None,
    *,
    place: str | Place | None = None,
    distance_km: str | float | tuple[float, float] | None = None,
    bearing: str | float | None = None,
    n: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    **options: Any,
) -> ImpactSamples:
    """Impact points from "about 250 km west of Okushiri Island", or place + distance + bearing.

    The distance and bearing intervals are those of :mod:`geo.relative`; samples are
    uniform in distance and in bearing over them.
    """
    n = _check_n(n)
    if statement is not None:
        loc = locate(statement, **options)
    elif place is not None and distance_km is not None and bearing is not None:
        loc = relative_place(place, distance_km, bearing, **options)
    else:
        raise ParseError("give a statement, or all of place, distance_km and bearing")
    rng = _rng(seed)
    lo, hi = loc.distance_km
    b0, b1 = loc.bearing_deg
    width = (b1 - b0) % 360.0
    r = rng.uniform(lo, hi, n) if hi > lo else np.full(n, lo)
    az = (b0 + rng.uniform(0.0, width, n)) % 360.0 if width else np.full(n, b0)
    lon, lat, _ = geodesy.GEOD.fwd(np.full(n, loc.place.lon), np.full(n, loc.place.lat), az, r * 1e3)
    assumptions = (*loc.assumptions, "samples: uniform in distance and in bearing over those intervals")
    return ImpactSamples(
        np.asarray(lon),
        np.asarray(lat),
        loc.place.lon,
        loc.place.lat,
        r,
        az,
        loc.statement,
        assumptions,
        seed,
    )


def from_ellipse(
    lon: float,
    lat: float,
    *,
    semi_major_km: float,
    semi_minor_km: float,
    orientation_deg: float = 0.0,
    level: float = 0.95,
    n: int = DEFAULT_SAMPLES,
    seed: int | None = None,
) -> ImpactSamples:
    """Impact points around a reported point with an error ellipse holding ``level`` of the probability."""
    n = _check_n(n)
    lon0, lat0, name = _place((lon, lat))
    if not (0.0 < level < 1.0):
        raise InvalidIntervalError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}")
    if not (semi_major_km > 0 and semi_minor_km > 0):
        raise InvalidDistanceError(
            f"semi-axes must be positive km, got {semi_major_km!r} and {semi_minor_km!r}"
        )
    if semi_minor_km > semi_major_km:
        raise InvalidIntervalError(
            f"semi_minor_km={semi_minor_km:g} exceeds semi_major_km={semi_major_km:g}; swap them and turn the orientation by 90"
        )
    scale = math.sqrt(-2.0 * math.log(1.0 - level))  # radius of the `level` ellipse in sigmas (2 dof)
    sa, sb = semi_major_km / scale, semi_minor_km / scale
    rng = _rng(seed)
    u, v = rng.normal(0.0, sa, n), rng.normal(0.0, sb, n)
    theta = math.radians(orientation_deg)
    # u runs along the major axis (azimuth `orientation_deg`), v 90 deg clockwise from it.
    east = u * math.sin(theta) + v * math.cos(theta)
    north = u * math.cos(theta) - v * math.sin(theta)
    r = np.hypot(east, north)
    az = np.degrees(np.arctan2(east, north)) % 360.0
    plon, plat, _ = geodesy.GEOD.fwd(np.full(n, lon0), np.full(n, lat0), az, r * 1e3)
    assumptions = (
        f"position: bivariate normal in the azimuthal equidistant frame of {name}; "
        f"the {semi_major_km:g} x {semi_minor_km:g} km ellipse (major axis at {orientation_deg:g} deg) holds {level:.0%}",
    )
    return ImpactSamples(
        np.asarray(plon), np.asarray(plat), lon0, lat0, r, az,
        f"{name} +/- ellipse {semi_major_km:g} x {semi_minor_km:g} km", assumptions, seed,
    )  # fmt: skip


def from_cep(
    lon: float, lat: float, *, cep_km: float, n: int = DEFAULT_SAMPLES, seed: int | None = None
) -> ImpactSamples:
    """Impact points around a reported point with a circular error probable (50 % radius).

    Examples
    --------
    >>> s = from_cep(135.0, 40.0, cep_km=10.0, n=20000, seed=0)
    >>> round(float(np.median(s.range_km)), 1)
    10.0
    """
    if not (cep_km > 0):
        raise InvalidDistanceError(f"cep_km must be positive, got {cep_km!r}")
    s = from_ellipse(lon, lat, semi_major_km=cep_km, semi_minor_km=cep_km, level=0.5, n=n, seed=seed)
    return ImpactSamples(
        s.lon, s.lat, s.origin_lon, s.origin_lat, s.range_km, s.azimuth_deg,
        f"({lat:.4f}, {lon:.4f}) CEP {cep_km:g} km",
        (f"position: circular normal whose 50 % circle has radius {cep_km:g} km",), seed,
    )  # fmt: skip
