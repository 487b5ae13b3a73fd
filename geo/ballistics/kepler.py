"""Ballistic flight: Keplerian free flight over a spherical, optionally rotating Earth.

After a lofted test the first numbers out are apogee, ground range and flight time. This
module turns (apogee, range) into the burnout state (speed and flight-path angle), the
flight time, and the range of the same missile on a standard (minimum-energy) trajectory;
it draws ground and 3-D tracks; and it gives range rings of missile classes from the
bundled catalogue (``geo/data/missiles.csv``, provenance in ``geo/data/MISSILES.md``).

Model (details, measured effects and validation in ``docs/ballistics.md``):

* free flight is a Kepler ellipse about a spherical Earth of radius
  :data:`EARTH_RADIUS_KM` (the mean radius, 6371 km) with :data:`MU_KM3_S2`; no drag,
  no oblateness, no re-entry lift;
* powered flight is not integrated: it is summed up by :class:`Assumptions` (burnout
  altitude, powered-flight time and the ground distance covered while powered);
* the Earth is non-rotating unless a launch latitude and azimuth are given; then the
  Earth's eastward surface speed is added to the burnout velocity and the Earth turns
  under the missile during free flight, which moves the impact;
* speeds are relative to the ground, angles are flight-path angles above the local
  horizontal at burnout; (lon, lat) degrees, kilometres and seconds throughout.

Flights at or beyond orbital energy (a free-flight range angle of 180 deg or more, a
perigee above the ground, escape speed) raise :class:`~geo.InvalidDistanceError` naming
the value instead of returning a meaningless range.

Examples
--------
>>> a = analyse_lofted(4475.0, 950.0)   # Hwasong-15, 29 Nov 2017 (KCNA figures)
>>> round(a.flight_time_s / 60, 1), round(a.burnout.speed_km_s, 2)
(52.8, 6.93)
>>> [round(x, -2) for x in a.standard_range_km]
[9500.0, 11800.0]
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from geo import geodesy
from geo._errors import GeoError, InvalidCoordinateError, InvalidDistanceError, UnknownMissileClassError

__all__ = [
    "EARTH_RADIUS_KM",
    "MISSILES_CSV",
    "MU_KM3_S2",
    "OMEGA_EARTH_RAD_S",
    "Assumptions",
    "BurnoutState",
    "Flight",
    "LoftedAnalysis",
    "MissileClass",
    "analyse_lofted",
    "burnout_state",
    "fly",
    "gravity_loss_recovery_km_s",
    "ground_track",
    "minimum_energy",
    "missile_class",
    "missile_classes",
    "range_rings",
    "standard_range_km",
    "trajectory",
    "trajectory_line",
]

MU_KM3_S2 = 398600.4418
"""The Earth's gravitational parameter GM, km^3/s^2 (WGS84 / EGM96 value)."""

EARTH_RADIUS_KM = 6371.0
"""Radius of the spherical Earth of the model, km (the IUGG mean radius, rounded)."""

OMEGA_EARTH_RAD_S = 7.2921150e-5
"""The Earth's sidereal rotation rate, rad/s."""

MISSILES_CSV = Path(__file__).with_name("data") / "missiles.csv"
"""The bundled catalogue of missile classes."""

_R = EARTH_RADIUS_KM
_MIN_DEPRESSED_DEG = 5.0  # flatter depressed flights are refused as "apogee too low for the range"
_FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------- assumptions


@dataclass(frozen=True, kw_only=True)
class Assumptions:
    """What the Keplerian model takes as given; every field changes the answer (see the docs).

    Parameters
    ----------
    burnout_alt_km : float
        Altitude at burnout, km, for the analysed flight and the standard trajectory alike.
        Higher burnout means a lower burnout speed for the same apogee. Default 200.
    powered_time_s : float
        Duration of powered flight, s: added to the free-flight time, and the time over
        which gravity losses differ between lofted and standard trajectories. Default 180.
    powered_range_km : float
        Ground distance covered while powered, km: taken off the reported range before
        the free flight is solved, and added to the standard range. Default 0.
    lat_deg, azimuth_deg : float or None
        Launch latitude and azimuth, degrees. Give both to fly over a rotating Earth
        (the standard range is then along ``azimuth_deg``); give neither for a
        non-rotating Earth.

    Examples
    --------
    >>> Assumptions().rotating
    False
    >>> Assumptions(lat_deg=39.2, azimuth_deg=90.0).rotating
    True
    """

    burnout_alt_km: float = 200.0
    powered_time_s: float = 180.0
    powered_range_km: float = 0.0
    lat_deg: float | None = None
    azimuth_deg: float | None = None

    def __post_init__(self) -> None:
        for name in ("burnout_alt_km", "powered_time_s", "powered_range_km"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and math.isfinite(v) and v >= 0):
                raise InvalidDistanceError(f"{name} must be a finite number >= 0, got {v!r}")
        if (self.lat_deg is None) != (self.azimuth_deg is None):
            raise InvalidCoordinateError(
                f"give both lat_deg and azimuth_deg for a rotating Earth, or neither; got "
                f"lat_deg={self.lat_deg!r}, azimuth_deg={self.azimuth_deg!r}"
            )
        if self.lat_deg is not None and not (math.isfinite(self.lat_deg) and abs(self.lat_deg) <= 90):
            raise InvalidCoordinateError(f"lat_deg must be within [-90, 90], got {self.lat_deg!r}")
        if self.azimuth_deg is not None and not math.isfinite(self.azimuth_deg):
            raise InvalidCoordinateError(f"azimuth_deg must be finite, got {self.azimuth_deg!r}")

    @property
    def rotating(self) -> bool:
        """Whether the Earth rotates under the flight (latitude and azimuth given)."""
        return self.lat_deg is not None

    def to_dict(self) -> dict[str, Any]:
        """The assumptions as JSON-ready values, with the fixed model constants."""
        d = asdict(self)
        d.update(
            earth="rotating sphere" if self.rotating else "non-rotating sphere",
            earth_radius_km=EARTH_RADIUS_KM,
            mu_km3_s2=MU_KM3_S2,
            drag="none (vacuum free flight to the ground)",
        )
        return d


_DEFAULT = Assumptions()


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class BurnoutState:
    """Speed (relative to the ground) and flight-path angle at burnout; floats or arrays."""

    speed_km_s: Any
    flight_path_angle_deg: Any
    altitude_km: float


@dataclass(frozen=True)
class Flight:
    """A free flight from burnout to the ground: apogee, ground range and times."""

    apogee_km: Any
    range_km: Any
    free_flight_time_s: Any
    flight_time_s: Any


@dataclass(frozen=True)
class LoftedAnalysis:
    """What a reported (apogee, range) says about a missile; see :func:`analyse_lofted`."""

    apogee_km: float
    range_km: float
    burnout: BurnoutState
    flight_time_s: float
    standard_range_km: tuple[float, float]
    standard_flight_path_angle_deg: float
    gravity_loss_recovery_km_s: float
    assumptions: Assumptions
    notes: tuple[str, ...] = field(default=())
    standard_range_capped: tuple[bool, bool] = (False, False)
    """Whether each end of the band is at orbital speed: no standard trajectory comes down
    (every point on Earth is in reach), so the end is capped at half the circumference."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary with the keys of ``geo trajectory --json``.

        A value the model cannot give is ``None`` (JSON ``null``), never NaN: the standard
        flight-path angle does not exist when the low end of the band is orbital.
        """
        lo, hi = self.standard_range_km
        angle = self.standard_flight_path_angle_deg
        return {
            "flight_time_min": round(self.flight_time_s / 60.0, 2),
            "burnout_speed_km_s": round(float(self.burnout.speed_km_s), 4),
            "flight_path_angle_deg": round(float(self.burnout.flight_path_angle_deg), 3),
            "standard_range_km": [round(lo, 1), round(hi, 1)],
            "standard_range_capped": list(self.standard_range_capped),
            "apogee_km": self.apogee_km,
            "range_km": self.range_km,
            "standard_flight_path_angle_deg": round(angle, 3) if math.isfinite(angle) else None,
            "assumptions": {
                **self.assumptions.to_dict(),
                "standard_range_low": "same burnout speed as the analysed flight",
                "standard_range_high": (
                    f"burnout speed + {self.gravity_loss_recovery_km_s:.3f} km/s: the smaller "
                    "gravity loss of a standard trajectory over powered_time_s"
                ),
                "notes": list(self.notes),
            },
        }


# --------------------------------------------------------------------------- checks


def _positive(value: ArrayLike, name: str, unit: str) -> _FloatArray:
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        v = float(arr[bad].ravel()[0]) if arr.ndim else float(arr)
        raise InvalidDistanceError(f"{name} must be a positive number of {unit}, got {v!r}")
    return arr


def _out(x: _FloatArray) -> Any:
    return float(x) if np.ndim(x) == 0 else x


def _first_bad(arr: _FloatArray, bad: NDArray[np.bool_]) -> float:
    return float(np.broadcast_to(arr, bad.shape)[bad].ravel()[0])


# --------------------------------------------------------------------------- conics


def _ellipse(r0: Any, v: Any, gamma: Any) -> tuple[_FloatArray, _FloatArray]:
    """Semi-major axis and eccentricity of the free flight from radius r0, speed v, angle gamma."""
    energy = v * v / 2.0 - MU_KM3_S2 / r0
    bad = energy >= 0
    if np.any(bad):
        raise InvalidDistanceError(
            f"burnout speed {_first_bad(v, bad):.3f} km/s is at or above escape speed "
            f"{_first_bad(np.sqrt(2 * MU_KM3_S2 / r0), bad):.3f} km/s: the flight never comes down"
        )
    a = -MU_KM3_S2 / (2.0 * energy)
    p = (r0 * v * np.cos(gamma)) ** 2 / MU_KM3_S2
    e = np.sqrt(np.clip(1.0 - p / a, 0.0, None))
    perigee = a * (1.0 - e)
    bad = perigee >= _R
    if np.any(bad):
        raise InvalidDistanceError(
            f"burnout speed {_first_bad(v, bad):.3f} km/s at "
            f"{np.degrees(_first_bad(gamma, bad)):.2f} deg is orbital: the perigee is "
            f"{_first_bad(perigee, bad) - _R:.0f} km above the ground; give a lower speed or a steeper angle"
        )
    return a, e


def _ecc_anomalies(r0: Any, a: _FloatArray, e: _FloatArray) -> tuple[_FloatArray, _FloatArray]:
    """Eccentric anomaly at burnout (ascending) and at the ground (descending)."""
    e0 = np.arccos(np.clip((1.0 - r0 / a) / e, -1.0, 1.0))
    e1 = 2.0 * np.pi - np.arccos(np.clip((1.0 - _R / a) / e, -1.0, 1.0))
    return e0, e1


def _true_anomaly(big_e: _FloatArray, e: _FloatArray) -> _FloatArray:
    nu = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(big_e / 2.0), np.sqrt(1.0 - e) * np.cos(big_e / 2.0))
    return np.asarray(np.mod(nu, 2.0 * np.pi))


def _kepler_time(a: _FloatArray, e: _FloatArray, e0: _FloatArray, e1: Any) -> Any:
    n = np.sqrt(MU_KM3_S2 / a**3)
    return ((e1 - e * np.sin(e1)) - (e0 - e * np.sin(e0))) / n


def _free_flight(r0: Any, v: Any, gamma: Any) -> tuple[Any, Any, Any]:
    """Non-rotating free flight: apogee radius, range angle (rad) and time (s) to the ground."""
    a, e = _ellipse(r0, v, gamma)
    e0, e1 = _ecc_anomalies(r0, a, e)
    angle = _true_anomaly(e1, e) - _true_anomaly(e0, e)
    return a * (1.0 + e), angle, _kepler_time(a, e, e0, e1)


# --------------------------------------------------------------------------- inverse problem


def _eccentricity_for(ra: _FloatArray, r0: float, angle: _FloatArray) -> _FloatArray:
    """Eccentricity of the ellipse with apogee radius ra through radius r0 (rising) and _R
    (falling) spanning ``angle``: closed form when r0 = R, else a vectorised bisection
    (the angle falls monotonically as e rises)."""
    if r0 == _R:
        return np.asarray((ra - _R) / (ra - _R * np.cos(angle / 2.0)))

    def span(e: _FloatArray) -> _FloatArray:
        p = ra * (1.0 - e)
        a0 = np.arccos(np.clip((p / r0 - 1.0) / e, -1.0, 1.0))
        a1 = np.arccos(np.clip((p / _R - 1.0) / e, -1.0, 1.0))
        return np.asarray(2.0 * np.pi - a0 - a1)

    lo = np.broadcast_to((ra - _R) / (ra + _R), np.shape(angle)).astype(float)
    hi = np.ones_like(lo) - 1e-15
    for _ in range(64):  # halves the bracket each time: 2**-64 of [0, 1)
        mid = 0.5 * (lo + hi)
        wider = span(mid) > angle
        lo = np.where(wider, mid, lo)
        hi = np.where(wider, hi, mid)
    return np.asarray(0.5 * (lo + hi))


def burnout_state(
    apogee_km: ArrayLike, range_km: ArrayLike, *, assumptions: Assumptions | None = None
) -> BurnoutState:
    """Burnout speed and flight-path angle of the flight with this apogee and ground range.

    The free flight is the Kepler ellipse that rises from the burnout altitude, peaks at
    ``apogee_km`` and reaches the ground ``range_km - powered_range_km`` further on: a
    closed form over a non-rotating Earth; over a rotating one (``assumptions`` with
    latitude and azimuth) Newton's method refines it until the flight over the turning
    ground has the reported apogee and range.

    Parameters
    ----------
    apogee_km, range_km : float or array_like
        Reported maximum altitude and ground range, km (> 0). Arrays broadcast.
    assumptions : Assumptions, keyword-only, optional

    Returns
    -------
    BurnoutState
        Floats for scalar input, arrays otherwise.

    Raises
    ------
    InvalidDistanceError
        Apogee or range not positive; apogee not above the burnout altitude; range not
        beyond the powered range or reaching the antipode; apogee too low for the range
        (a depressed flight leaving burnout below 5 deg or at orbital speed).

    Examples
    --------
    >>> b = burnout_state(2802.0, 933.0)   # Hwasong-14, 4 July 2017
    >>> round(b.speed_km_s, 3), round(b.flight_path_angle_deg, 1)
    (5.89, 82.8)
    """
    asm = assumptions or _DEFAULT
    apo = _positive(apogee_km, "apogee_km", "km")
    rng = _positive(range_km, "range_km", "km")
    apo, rng = np.broadcast_arrays(apo, rng)
    if np.any(apo <= asm.burnout_alt_km):
        raise InvalidDistanceError(
            f"apogee_km={_first_bad(apo, apo <= asm.burnout_alt_km):g} is not above the burnout altitude "
            f"{asm.burnout_alt_km:g} km; give a lower burnout_alt_km"
        )
    angle = (rng - asm.powered_range_km) / _R
    if np.any(angle <= 0):
        raise InvalidDistanceError(
            f"range_km={_first_bad(rng, angle <= 0):g} is not beyond the powered range "
            f"{asm.powered_range_km:g} km; give a smaller powered_range_km"
        )
    if np.any(angle >= np.pi):
        raise InvalidDistanceError(
            f"range_km={_first_bad(rng, angle >= np.pi):g} leaves a free flight of 180 deg or more "
            f"(beyond the antipode, {np.pi * _R:.0f} km): that is an orbit, not a ballistic flight; "
            f"give a range below {np.pi * _R + asm.powered_range_km:.0f} km"
        )
    r0 = _R + asm.burnout_alt_km
    ra = _R + apo
    e = _eccentricity_for(ra, r0, angle)
    p = ra * (1.0 - e)
    a = ra / (1.0 + e)
    v = np.sqrt(MU_KM3_S2 * (2.0 / r0 - 1.0 / a))
    gamma = np.arccos(np.clip(np.sqrt(MU_KM3_S2 * p) / (r0 * v), -1.0, 1.0))
    # Below the minimum-energy angle the flight is depressed; nearly level or at circular
    # speed it skims the Earth through the atmosphere, where free flight means nothing.
    depressed = gamma < (np.pi - angle) / 4.0
    grazing = depressed & ((v >= np.sqrt(MU_KM3_S2 / r0)) | (gamma < np.radians(_MIN_DEPRESSED_DEG)))
    if np.any(grazing):
        raise InvalidDistanceError(
            f"apogee_km={_first_bad(apo, grazing):g} is too low for range_km={_first_bad(rng, grazing):g}: "
            f"the flight would leave burnout at {np.degrees(_first_bad(gamma, grazing)):.2f} deg "
            f"(below {_MIN_DEPRESSED_DEG:g}) and {_first_bad(v, grazing):.2f} km/s, skimming the Earth; "
            "check the figures (apogee, not burnout altitude)"
        )
    if asm.rotating:
        v, gamma = _solve_rotating(apo, rng, v, gamma, asm)
    return BurnoutState(_out(v), _out(np.degrees(gamma)), asm.burnout_alt_km)


def _solve_rotating(
    apo: _FloatArray, rng: _FloatArray, v: _FloatArray, gamma: _FloatArray, asm: Assumptions
) -> tuple[_FloatArray, _FloatArray]:
    """Newton's method on (speed, angle) so that the flight over the rotating Earth has the
    reported apogee and ground range; starts from the non-rotating solution."""
    assert asm.lat_deg is not None and asm.azimuth_deg is not None
    target = np.stack([apo, rng], axis=-1)

    def f(v_: _FloatArray, g_: _FloatArray) -> _FloatArray:
        path = _Path3D(0.0, asm.lat_deg or 0.0, asm.azimuth_deg or 0.0, v_, g_, asm)
        return np.stack([path.apogee_radius - _R, asm.powered_range_km + _R * path.impact_angle()], axis=-1)

    dv, dg = 1e-6, 1e-7
    for _ in range(30):
        now = f(v, gamma)
        resid = now - target
        if np.all(np.abs(resid) < 1e-6):
            break
        jac = np.stack([(f(v + dv, gamma) - now) / dv, (f(v, gamma + dg) - now) / dg], axis=-1)
        step = np.linalg.solve(jac, -resid[..., None])[..., 0]
        v = v + step[..., 0]
        gamma = np.clip(gamma + step[..., 1], 1e-6, np.pi / 2.0)
    else:  # pragma: no cover - converges in a few steps from the non-rotating start
        raise InvalidDistanceError("no flight over the rotating Earth matches this apogee and range")
    return v, gamma


def fly(
    speed_km_s: ArrayLike,
    flight_path_angle_deg: ArrayLike,
    *,
    assumptions: Assumptions | None = None,
) -> Flight:
    """Apogee, ground range and flight time of a flight from its burnout state.

    Over a rotating Earth (``assumptions`` with latitude and azimuth) the burnout velocity
    is taken relative to the ground, the Earth's eastward speed is added, and the range is
    measured on the ground that has turned under the missile meanwhile.

    Parameters
    ----------
    speed_km_s : float or array_like
        Burnout speed relative to the ground, km/s.
    flight_path_angle_deg : float or array_like
        Flight-path angle above the local horizontal at burnout, degrees, in (0, 90].
    assumptions : Assumptions, keyword-only, optional

    Returns
    -------
    Flight
        ``range_km`` includes ``powered_range_km``; ``flight_time_s`` includes
        ``powered_time_s``.

    Raises
    ------
    InvalidDistanceError
        At or beyond orbital or escape energy, or a free flight of 180 deg or more.

    Examples
    --------
    >>> f = fly(6.926, 84.7)
    >>> round(f.apogee_km), round(f.range_km)
    (4475, 950)
    """
    asm = assumptions or _DEFAULT
    v = _positive(speed_km_s, "speed_km_s", "km/s")
    gamma_deg = _positive(flight_path_angle_deg, "flight_path_angle_deg", "degrees")
    if np.any(gamma_deg > 90.0):
        raise InvalidCoordinateError(
            f"flight_path_angle_deg must be within (0, 90], got {_first_bad(gamma_deg, gamma_deg > 90):g}"
        )
    v, gamma_deg = np.broadcast_arrays(v, gamma_deg)
    r0 = _R + asm.burnout_alt_km
    gamma = np.radians(gamma_deg)
    if asm.rotating:
        assert asm.lat_deg is not None and asm.azimuth_deg is not None
        path = _Path3D(0.0, asm.lat_deg, asm.azimuth_deg, v, gamma, asm)
        ra, angle, t = path.apogee_radius, path.impact_angle(), path.free_time
    else:
        ra, angle, t = _free_flight(r0, v, gamma)
        if np.any(angle >= np.pi):
            raise InvalidDistanceError(
                f"speed {_first_bad(v, angle >= np.pi):.3f} km/s gives a free flight of 180 deg or more: "
                "beyond the antipode, a ground range is not defined"
            )
    return Flight(
        _out(ra - _R),
        _out(asm.powered_range_km + _R * angle),
        _out(t),
        _out(t + asm.powered_time_s),
    )


# --------------------------------------------------------------------------- standard trajectory


def minimum_energy(speed_km_s: ArrayLike, *, burnout_alt_km: float = 200.0) -> tuple[Any, Any]:
    """Flight-path angle and range angle of the longest free flight back to burnout altitude.

    The classic closed form: with ``Q = v**2 r0 / mu`` the largest range angle between two
    points at radius ``r0`` is ``Psi = 2 arcsin(Q / (2 - Q))``, flown at the angle
    ``gamma = (pi - Psi) / 4`` (45 deg for a short flight).

    Parameters
    ----------
    speed_km_s : float or array_like
        Burnout speed, km/s.
    burnout_alt_km : float, keyword-only
        Burnout (and re-entry) altitude, km.

    Returns
    -------
    flight_path_angle_deg, range_angle_deg

    Raises
    ------
    InvalidDistanceError
        At or above circular speed (Q >= 1): the range angle reaches 180 deg.

    Examples
    --------
    >>> g, psi = minimum_energy(1.0, burnout_alt_km=0.0)
    >>> round(g, 2), round(psi, 3)
    (44.77, 0.923)
    """
    v = _positive(speed_km_s, "speed_km_s", "km/s")
    r0 = _R + burnout_alt_km
    q = v * v * r0 / MU_KM3_S2
    if np.any(q >= 1.0):
        raise InvalidDistanceError(
            f"burnout speed {_first_bad(v, q >= 1):.3f} km/s is at or above circular speed "
            f"{math.sqrt(MU_KM3_S2 / r0):.3f} km/s at {burnout_alt_km:g} km: the range would reach "
            "beyond the antipode (an orbit); any point on Earth is in reach"
        )
    psi = 2.0 * np.arcsin(q / (2.0 - q))
    return _out(np.degrees((np.pi - psi) / 4.0)), _out(np.degrees(psi))


def standard_range_km(speed_km_s: ArrayLike, *, assumptions: Assumptions | None = None) -> tuple[Any, Any]:
    """Ground range of the same burnout speed on a standard (minimum-energy) trajectory.

    Non-rotating: the minimum-energy angle for a return to burnout altitude
    (:func:`minimum_energy`), flown on to the ground. Rotating: the angle that gives the
    longest ground range along ``assumptions.azimuth_deg`` (a vectorised search).

    Returns
    -------
    range_km, flight_path_angle_deg
        ``range_km`` includes ``assumptions.powered_range_km``.

    Raises
    ------
    InvalidDistanceError
        At or above circular speed, or a free flight of 180 deg or more.

    Examples
    --------
    >>> r, g = standard_range_km(6.926)
    >>> round(r, -1), round(g, 1)
    (9500.0, 24.6)
    """
    asm = assumptions or _DEFAULT
    v = _positive(speed_km_s, "speed_km_s", "km/s")
    gamma_deg, _ = minimum_energy(v, burnout_alt_km=asm.burnout_alt_km)
    if not asm.rotating:
        return fly(v, gamma_deg, assumptions=asm).range_km, gamma_deg
    # Search the angle: a coarse grid, then a fine one around its best point.
    v_col = np.asarray(v, dtype=float)[..., None]
    grid = np.linspace(2.0, 80.0, 157)
    best = _best_angle(v_col, grid, asm)
    fine = best[..., None] + np.linspace(-0.5, 0.5, 101)
    best = _best_angle(v_col, fine, asm)
    return fly(v, best, assumptions=asm).range_km, _out(best)


def _best_angle(v: _FloatArray, grid_deg: _FloatArray, asm: Assumptions) -> _FloatArray:
    ranges = np.asarray(fly(v, grid_deg, assumptions=asm).range_km)
    idx = np.argmax(ranges, axis=-1)
    return np.asarray(np.take_along_axis(np.broadcast_to(grid_deg, ranges.shape), idx[..., None], -1)[..., 0])


def gravity_loss_recovery_km_s(
    lofted_angle_deg: ArrayLike,
    standard_angle_deg: ArrayLike,
    *,
    powered_time_s: float,
    burnout_alt_km: float,
) -> Any:
    """Extra burnout speed a missile gains on a standard trajectory from smaller gravity losses.

    Gravity takes ``g sin(gamma)`` per second of powered flight. Pitching linearly from
    vertical to the burnout angle ``gamma_b``, the mean of ``sin(gamma)`` is
    ``cos(gamma_b) / (pi/2 - gamma_b)``: near 1 for a lofted flight, about 0.8 for a
    standard one (25 deg). The gain is ``g * powered_time_s`` times the difference, with ``g`` at
    half the burnout altitude.

    Examples
    --------
    >>> round(gravity_loss_recovery_km_s(84.7, 24.6, powered_time_s=180, burnout_alt_km=200), 3)
    0.346
    """

    def mean_sin(deg: ArrayLike) -> Any:
        x = np.radians(np.asarray(deg, dtype=float))
        rest = np.pi / 2.0 - x
        return np.where(rest > 1e-9, np.cos(x) / np.where(rest > 1e-9, rest, 1.0), 1.0)

    g = MU_KM3_S2 / (_R + burnout_alt_km / 2.0) ** 2
    return _out(g * powered_time_s * (mean_sin(lofted_angle_deg) - mean_sin(standard_angle_deg)))


def analyse_lofted(
    apogee_km: float, range_km: float, *, assumptions: Assumptions | None = None
) -> LoftedAnalysis:
    """Burnout state, flight time and standard-trajectory range band of a reported flight.

    The standard range is a band: the low end flies the same burnout speed on a
    minimum-energy trajectory; the high end adds what a standard trajectory saves in
    gravity losses (:func:`gravity_loss_recovery_km_s`). A lighter or heavier warhead
    than on the test moves both ends, which this model cannot know.

    Parameters
    ----------
    apogee_km, range_km : float
        Reported apogee and ground range, km.
    assumptions : Assumptions, keyword-only, optional

    Returns
    -------
    LoftedAnalysis
        A standard range at or beyond orbital speed is given as half the Earth's
        circumference (every point in reach), flagged in ``standard_range_capped`` and
        explained in a note; the standard flight-path angle is then NaN (there is none).
        A steep, high test such as the Hwasong-19's (7687.5 km apogee, 1001.2 km range)
        is modelled fully; only its standard trajectory would be an orbit.

    Examples
    --------
    >>> a = analyse_lofted(2111.5, 787.0)   # Hwasong-12, 14 May 2017
    >>> round(a.flight_time_s / 60, 1), [round(x, -2) for x in a.standard_range_km]
    (30.3, [4100.0, 4600.0])
    """
    asm = assumptions or _DEFAULT
    b = burnout_state(float(apogee_km), float(range_km), assumptions=asm)
    t = float(fly(b.speed_km_s, b.flight_path_angle_deg, assumptions=asm).flight_time_s)
    notes: list[str] = []
    half = math.pi * _R
    capped = [False, False]
    try:
        lo, gamma_std = standard_range_km(b.speed_km_s, assumptions=asm)
    except InvalidDistanceError as exc:
        lo, gamma_std = half, float("nan")
        capped[0] = True
        notes.append(f"standard range, low end: {exc}")
    ref_angle = gamma_std if math.isfinite(gamma_std) else 20.0
    gain = float(
        gravity_loss_recovery_km_s(
            b.flight_path_angle_deg,
            ref_angle,
            powered_time_s=asm.powered_time_s,
            burnout_alt_km=asm.burnout_alt_km,
        )
    )
    try:
        hi, _ = standard_range_km(b.speed_km_s + max(gain, 0.0), assumptions=asm)
    except InvalidDistanceError as exc:
        hi = half
        capped[1] = True
        notes.append(f"standard range, high end: {exc}")
    return LoftedAnalysis(
        apogee_km=float(apogee_km),
        range_km=float(range_km),
        burnout=b,
        flight_time_s=t,
        standard_range_km=(float(min(lo, half)), float(min(max(hi, lo), half))),
        standard_flight_path_angle_deg=float(gamma_std),
        gravity_loss_recovery_km_s=gain,
        assumptions=asm,
        notes=tuple(notes),
        standard_range_capped=(capped[0], capped[1] or capped[0]),
    )


# --------------------------------------------------------------------------- 3-D flight


def _unit_frame(lon_deg: float, lat_deg: float) -> tuple[_FloatArray, _FloatArray, _FloatArray]:
    """Up, east and north unit vectors (Earth-fixed, spherical) at a point."""
    lam, phi = math.radians(lon_deg), math.radians(lat_deg)
    up = np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])
    east = np.array([-math.sin(lam), math.cos(lam), 0.0])
    north = np.array([-math.sin(phi) * math.cos(lam), -math.sin(phi) * math.sin(lam), math.cos(phi)])
    return up, east, north


class _Path3D:
    """Free flight in 3-D from a burnout state, over a rotating Earth when asked.

    Vectors are Earth-fixed at burnout (which is also the inertial frame at that instant);
    arrays of speeds and angles broadcast, each flight along the last axis of ``(..., 3)``.
    """

    def __init__(
        self, lon: float, lat: float, azimuth_deg: float, v: Any, gamma: Any, asm: Assumptions
    ) -> None:
        self.up0, east, north = _unit_frame(lon, lat)
        self.e0, self.n0 = east, north
        az = math.radians(azimuth_deg)
        d0 = math.sin(az) * east + math.cos(az) * north
        delta = asm.powered_range_km / _R
        ub = math.cos(delta) * self.up0 + math.sin(delta) * d0
        db = -math.sin(delta) * self.up0 + math.cos(delta) * d0
        self.rotating = asm.rotating
        v = np.asarray(v, dtype=float)[..., None]
        gamma = np.asarray(gamma, dtype=float)[..., None]
        r0 = _R + asm.burnout_alt_km
        r = r0 * ub
        vel = v * (np.cos(gamma) * db + np.sin(gamma) * ub)
        if self.rotating:
            vel = vel + OMEGA_EARTH_RAD_S * np.array([-r[1], r[0], 0.0])
        r = np.broadcast_to(r, vel.shape)
        speed = np.linalg.norm(vel, axis=-1)
        # Flight-path angle in the inertial frame gives the same ellipse formulas.
        sin_g = np.sum(r * vel, axis=-1) / (r0 * speed)
        self.a, self.e = _ellipse(r0, speed, np.arcsin(np.clip(sin_g, -1.0, 1.0)))
        h = np.cross(r, vel)
        e_vec = np.cross(vel, h) / MU_KM3_S2 - r / r0
        self.p_hat = e_vec / self.e[..., None]
        w_hat = h / np.linalg.norm(h, axis=-1, keepdims=True)
        self.q_hat = np.cross(w_hat, self.p_hat)
        self.big_e0, self.big_e1 = _ecc_anomalies(r0, self.a, self.e)
        self.apogee_radius = self.a * (1.0 + self.e)
        self.free_time = _kepler_time(self.a, self.e, self.big_e0, self.big_e1)

    def position(self, big_e: _FloatArray) -> tuple[_FloatArray, _FloatArray]:
        """Earth-fixed position (km, ``(..., n, 3)``) and time since burnout (s) at anomalies."""
        a, e = self.a[..., None], self.e[..., None]
        x = a * (np.cos(big_e) - e)
        y = a * np.sqrt(1.0 - e * e) * np.sin(big_e)
        pos = x[..., None] * self.p_hat[..., None, :] + y[..., None] * self.q_hat[..., None, :]
        t = _kepler_time(a, e, self.big_e0[..., None], big_e)
        if self.rotating:
            th = OMEGA_EARTH_RAD_S * t
            c, s = np.cos(th), np.sin(th)
            pos = np.stack(
                [c * pos[..., 0] + s * pos[..., 1], -s * pos[..., 0] + c * pos[..., 1], pos[..., 2]],
                axis=-1,
            )
        return pos, np.asarray(t)

    def impact_angle(self) -> _FloatArray:
        """Central angle (rad) from the launch point to the impact, on the turned Earth."""
        inertial = _true_anomaly(self.big_e1, self.e) - _true_anomaly(self.big_e0, self.e)
        if np.any(inertial >= np.pi):
            raise InvalidDistanceError(
                "the free flight spans 180 deg or more: beyond the antipode, a ground range is not defined"
            )
        pos, _ = self.position(self.big_e1[..., None])
        return self._polar(pos[..., 0, :])[0]

    def _polar(self, pos: _FloatArray) -> tuple[_FloatArray, _FloatArray]:
        """Central angle (rad) and azimuth (deg) from the launch point of Earth-fixed positions."""
        u = pos / np.linalg.norm(pos, axis=-1, keepdims=True)
        cos_c = u @ self.up0
        sin_c = np.linalg.norm(np.cross(u, self.up0), axis=-1)
        az = np.degrees(np.arctan2(u @ self.e0, u @ self.n0)) % 360.0
        return np.arctan2(sin_c, cos_c), az


# --------------------------------------------------------------------------- tracks


def _site(site: str | tuple[float, float]) -> tuple[float, float, str | None]:
    if isinstance(site, str):
        from geo.places import lookup

        p = lookup(site)
        return p.lon, p.lat, p.name
    try:
        lon, lat = (float(x) for x in site)
    except (TypeError, ValueError):
        raise InvalidCoordinateError(
            f"site must be a place name or a (lon, lat) pair in degrees, got {site!r}"
        ) from None
    lon_n, lat_n = geodesy.normalize_lon(lon), lat
    if not (math.isfinite(lat_n) and abs(lat_n) <= 90 and math.isfinite(lon_n)):
        raise InvalidCoordinateError(f"site must be (lon, lat) in degrees, got {site!r}")
    return float(lon_n), float(lat_n), None


def _track_points(
    site: str | tuple[float, float],
    azimuth_deg: float,
    apogee_km: float,
    range_km: float,
    assumptions: Assumptions | None,
    rotating: bool,
    n_points: int,
) -> tuple[dict[str, _FloatArray], str | None]:
    asm = assumptions or _DEFAULT
    lon0, lat0, name = _site(site)
    if not math.isfinite(azimuth_deg):
        raise InvalidCoordinateError(f"azimuth_deg must be finite, got {azimuth_deg!r}")
    if n_points < 8:
        raise InvalidDistanceError(f"n_points must be at least 8, got {n_points!r}")
    b = burnout_state(apogee_km, range_km, assumptions=replace(asm, lat_deg=None, azimuth_deg=None))
    fly_asm = replace(asm, lat_deg=lat0 if rotating else None, azimuth_deg=azimuth_deg if rotating else None)
    path = _Path3D(lon0, lat0, azimuth_deg, b.speed_km_s, math.radians(b.flight_path_angle_deg), fly_asm)
    big_e = np.linspace(float(path.big_e0), float(path.big_e1), n_points)
    pos, t_free = path.position(big_e)
    angle, az = path._polar(pos)
    # Powered flight is schematic: altitude and ground distance grow with the square of time.
    tau = np.linspace(0.0, 1.0, 9)[:-1]
    ground_km = np.concatenate([asm.powered_range_km * tau**2, _R * angle])
    az_all = np.concatenate([np.full(tau.shape, azimuth_deg % 360.0), az])
    alt_km = np.concatenate([asm.burnout_alt_km * tau**2, np.linalg.norm(pos, axis=-1) - _R])
    t_s = np.concatenate([asm.powered_time_s * tau, asm.powered_time_s + t_free])
    alt_km[-1] = 0.0
    # Carry distance and azimuth from the site over to the ellipsoid.
    lon, lat, _ = geodesy.direct(lon0, lat0, az_all, ground_km * 1000.0)
    phase = np.where(np.arange(t_s.size) < tau.size, "powered", "free flight")
    return {
        "t_s": t_s,
        "lon": lon,
        "lat": lat,
        "alt_km": alt_km,
        "ground_km": ground_km,
        "phase": phase,
    }, name


def trajectory(
    site: str | tuple[float, float],
    azimuth_deg: float,
    *,
    apogee_km: float,
    range_km: float,
    assumptions: Assumptions | None = None,
    rotating: bool = False,
    n_points: int = 200,
) -> Any:
    """The 3-D track of a flight as points: time, lon, lat, altitude.

    The burnout state is found from (apogee, range) on a non-rotating Earth
    (:func:`burnout_state`); with ``rotating=True`` that state is flown over the rotating
    Earth from ``site`` (its latitude) along ``azimuth_deg``, so the impact moves (mostly
    west for a lofted flight: the ground turns east under the missile). Distances and
    azimuths from the site computed on the sphere are carried onto the WGS84 ellipsoid
    with :func:`geo.geodesy.direct`, so a non-rotating track follows the geodesic.

    Parameters
    ----------
    site : str or (lon, lat)
        A gazetteer place or a point in degrees.
    azimuth_deg : float
        Launch azimuth, degrees clockwise from north.
    apogee_km, range_km : float, keyword-only
        Flight parameters, km.
    assumptions : Assumptions, keyword-only, optional
        Burnout altitude, powered time and range (its latitude and azimuth are not used).
    rotating : bool, keyword-only
        Fly over a rotating Earth.
    n_points : int, keyword-only
        Points along the free flight (the powered phase adds 8).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``t_s``, ``lon``, ``lat``, ``alt_km``, ``ground_km`` (from the site, km),
        ``phase`` and Point Z geometry (height in metres, as GeoJSON has it), EPSG:4326.

    Examples
    --------
    >>> gdf = trajectory("Sunan", 90.0, apogee_km=4475.0, range_km=950.0)
    >>> round(gdf.alt_km.max()), round(gdf.ground_km.iloc[-1]), round(float(gdf.t_s.iloc[-1]) / 60, 1)
    (4475, 950, 52.8)
    """
    import geopandas as gpd

    cols, _ = _track_points(site, azimuth_deg, apogee_km, range_km, assumptions, rotating, n_points)
    geometry = gpd.points_from_xy(cols["lon"], cols["lat"], cols["alt_km"] * 1000.0)
    return gpd.GeoDataFrame(cols, geometry=geometry, crs="EPSG:4326")


def trajectory_line(
    site: str | tuple[float, float],
    azimuth_deg: float,
    *,
    apogee_km: float,
    range_km: float,
    assumptions: Assumptions | None = None,
    rotating: bool = False,
    n_points: int = 200,
) -> BaseGeometry:
    """The 3-D track as a LineString Z (height in metres), split at +/-180 deg.

    Parameters are those of :func:`trajectory`.

    Examples
    --------
    >>> line = trajectory_line((179.0, 40.0), 90.0, apogee_km=1000.0, range_km=900.0)
    >>> line.geom_type, line.has_z, all(abs(x) <= 180 for x, _, _ in line.geoms[0].coords)
    ('MultiLineString', True, True)
    """
    cols, _ = _track_points(site, azimuth_deg, apogee_km, range_km, assumptions, rotating, n_points)
    return _split_z(cols["lon"], cols["lat"], cols["alt_km"] * 1000.0)


def ground_track(
    site: str | tuple[float, float],
    azimuth_deg: float,
    *,
    apogee_km: float,
    range_km: float,
    assumptions: Assumptions | None = None,
    rotating: bool = False,
    tolerance_m: float = geodesy.DEFAULT_TOLERANCE_M,
) -> BaseGeometry:
    """The ground track (the sub-missile points) as a 2-D line, split at +/-180 deg.

    Consecutive track points are joined by geodesics densified to ``tolerance_m``
    (:func:`geo.geodesy.track`).

    Examples
    --------
    >>> g = ground_track("Sunan", 90.0, apogee_km=4475.0, range_km=950.0)
    >>> g.geom_type
    'LineString'
    """
    cols, _ = _track_points(site, azimuth_deg, apogee_km, range_km, assumptions, rotating, 200)
    return geodesy.track(cols["lon"], cols["lat"], tolerance_m=tolerance_m)


def _split_z(lon: _FloatArray, lat: _FloatArray, z: _FloatArray) -> BaseGeometry:
    """LineString Z cut where consecutive points cross +/-180 deg (z interpolated)."""
    jumps = np.flatnonzero(np.abs(np.diff(lon)) > 180.0)
    if jumps.size == 0:
        return LineString(np.column_stack([lon, lat, z]))
    x0, x1 = lon[jumps], lon[jumps + 1]
    edge = np.where(x0 > 0, 180.0, -180.0)
    x1u = x1 + np.where(x0 > 0, 360.0, -360.0)
    f = (edge - x0) / (x1u - x0)
    yc = lat[jumps] + f * (lat[jumps + 1] - lat[jumps])
    zc = z[jumps] + f * (z[jumps + 1] - z[jumps])
    pieces = []
    start = 0
    for k, j in enumerate(jumps.tolist()):  # one iteration per crossing, not per point
        head = [(-edge[k - 1], yc[k - 1], zc[k - 1])] if k else []
        body = list(zip(lon[start : j + 1], lat[start : j + 1], z[start : j + 1], strict=True))
        pieces.append([*head, *body, (edge[k], yc[k], zc[k])])
        start = j + 1
    last = [(-edge[-1], yc[-1], zc[-1])]
    pieces.append(last + list(zip(lon[start:], lat[start:], z[start:], strict=True)))
    return MultiLineString([LineString(p) for p in pieces if len(p) >= 2])


# --------------------------------------------------------------------------- missile classes


@dataclass(frozen=True)
class MissileClass:
    """One class of missile with its published range band, km, and the sources of the band."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    propellant: str
    range_lo_km: float
    range_hi_km: float
    basis: str
    sources: tuple[str, ...]
    note: str

    @property
    def range_km(self) -> tuple[float, float]:
        """The band (lo, hi), km; lo == hi where the sources agree."""
        return (self.range_lo_km, self.range_hi_km)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (lists for the tuples)."""
        d = asdict(self)
        d["aliases"], d["sources"] = list(self.aliases), list(self.sources)
        return d


@functools.cache
def _catalogue() -> tuple[MissileClass, ...]:
    rows: list[MissileClass] = []
    with MISSILES_CSV.open(newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                lo, hi = float(row["range_lo_km"]), float(row["range_hi_km"])
            except (TypeError, ValueError):
                raise GeoError(
                    f"{MISSILES_CSV.name} row {n}: range_lo_km and range_hi_km must be numbers"
                ) from None
            if not 0 < lo <= hi:
                raise GeoError(
                    f"{MISSILES_CSV.name} row {n}: need 0 < range_lo_km <= range_hi_km, got {lo}, {hi}"
                )
            rows.append(
                MissileClass(
                    name=row["name"],
                    aliases=tuple(a for a in row["aliases"].split(";") if a),
                    kind=row["kind"],
                    propellant=row["propellant"],
                    range_lo_km=lo,
                    range_hi_km=hi,
                    basis=row["basis"],
                    sources=tuple(s.strip() for s in row["sources"].split(" ; ") if s.strip()),
                    note=row["note"],
                )
            )
    return tuple(rows)


def missile_classes() -> Sequence[MissileClass]:
    """Every class in the bundled catalogue, in file order.

    Examples
    --------
    >>> len(missile_classes()) >= 15
    True
    """
    return _catalogue()


def missile_class(name: str) -> MissileClass:
    """The class a name or alias denotes (case, spacing and punctuation ignored).

    Raises
    ------
    UnknownMissileClassError
        No class matches; the message lists the closest names.

    Examples
    --------
    >>> missile_class("hwasong 15").range_km
    (12900.0, 13000.0)
    >>> missile_class("KN-22").name
    'Hwasong-15'
    """
    from geo.places import normalize_name

    key = normalize_name(name)
    index = {normalize_name(label): m for m in _catalogue() for label in (m.name, *m.aliases)}
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.5)
    names = list(dict.fromkeys(index[k].name for k in close))[:5]
    hint = f"; closest: {', '.join(names)}" if names else ""
    raise UnknownMissileClassError(
        f"unknown missile class {name!r}{hint}. `geo missiles list` shows every class"
    )


def range_rings(
    name: str, site: str | tuple[float, float], *, tolerance_m: float = geodesy.DEFAULT_TOLERANCE_M
) -> Any:
    """Range rings of a missile class from a site: the disc of the low estimate and the
    annulus out to the high estimate (one disc when the sources agree).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``missile``, ``band`` ("low estimate" / "high estimate only"),
        ``inner_km``, ``outer_km``, ``site`` and geodesic (Multi)Polygons in EPSG:4326.

    Examples
    --------
    >>> rings = range_rings("Hwasong-12", "Sunan")
    >>> rings.band.tolist(), rings.outer_km.tolist()
    (['low estimate', 'high estimate only'], [4500.0, 5000.0])
    """
    import geopandas as gpd

    m = missile_class(name)
    lon, lat, place = _site(site)
    lo, hi = m.range_km
    rows = [
        {
            "band": "low estimate",
            "inner_km": 0.0,
            "outer_km": lo,
            "geometry": geodesy.ring(lon, lat, lo * 1e3, tolerance_m=tolerance_m),
        }
    ]
    if hi > lo:
        rows.append(
            {
                "band": "high estimate only",
                "inner_km": lo,
                "outer_km": hi,
                "geometry": geodesy.annulus(lon, lat, lo * 1e3, hi * 1e3, tolerance_m=tolerance_m),
            }
        )
    for r in rows:
        r.update(missile=m.name, site=place or f"{lon:g}, {lat:g}")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")[
        ["missile", "band", "inner_km", "outer_km", "site", "geometry"]
    ]
