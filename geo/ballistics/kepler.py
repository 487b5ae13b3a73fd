"""The flight model: Keplerian free flight from a burnout state over a spherical Earth.

:func:`burnout_state` solves the inverse problem ((apogee, range) -> speed and angle),
:func:`fly` the direct one; :class:`Path3D` flies a burnout state in 3-D, over a rotating
Earth when asked. The model and its limits are described in :mod:`geo.ballistics`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo._errors import InvalidCoordinateError, InvalidDistanceError

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "EARTH_RADIUS_KM",
    "MU_KM3_S2",
    "OMEGA_EARTH_RAD_S",
    "Assumptions",
    "BurnoutState",
    "Flight",
    "FloatArray",
    "Path3D",
    "burnout_state",
    "first_bad",
    "fly",
    "positive",
    "scalar_or_array",
]

MU_KM3_S2 = 398600.4418
"""The Earth's gravitational parameter GM, km^3/s^2 (WGS84 / EGM96 value)."""

EARTH_RADIUS_KM = 6371.0
"""Radius of the spherical Earth of the model, km (the IUGG mean radius, rounded)."""

OMEGA_EARTH_RAD_S = 7.2921150e-5
"""The Earth's sidereal rotation rate, rad/s."""


_MIN_DEPRESSED_DEG = 5.0  # flatter depressed flights are refused as "apogee too low for the range"
FloatArray = NDArray[np.float64]


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


DEFAULT_ASSUMPTIONS = Assumptions()


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


# --------------------------------------------------------------------------- checks


def positive(value: ArrayLike, name: str, unit: str) -> FloatArray:
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        v = float(arr[bad].ravel()[0]) if arr.ndim else float(arr)
        raise InvalidDistanceError(f"{name} must be a positive number of {unit}, got {v!r}")
    return arr


def scalar_or_array(x: FloatArray) -> Any:
    return float(x) if np.ndim(x) == 0 else x


def first_bad(arr: FloatArray, bad: NDArray[np.bool_]) -> float:
    return float(np.broadcast_to(arr, bad.shape)[bad].ravel()[0])


# --------------------------------------------------------------------------- conics


def _ellipse(r0: Any, v: Any, gamma: Any) -> tuple[FloatArray, FloatArray]:
    """Semi-major axis and eccentricity of the free flight from radius r0, speed v, angle gamma."""
    energy = v * v / 2.0 - MU_KM3_S2 / r0
    bad = energy >= 0
    if np.any(bad):
        raise InvalidDistanceError(
            f"burnout speed {first_bad(v, bad):.3f} km/s is at or above escape speed "
            f"{first_bad(np.sqrt(2 * MU_KM3_S2 / r0), bad):.3f} km/s: the flight never comes down"
        )
    a = -MU_KM3_S2 / (2.0 * energy)
    p = (r0 * v * np.cos(gamma)) ** 2 / MU_KM3_S2
    e = np.sqrt(np.clip(1.0 - p / a, 0.0, None))
    perigee = a * (1.0 - e)
    bad = perigee >= EARTH_RADIUS_KM
    if np.any(bad):
        raise InvalidDistanceError(
            f"burnout speed {first_bad(v, bad):.3f} km/s at "
            f"{np.degrees(first_bad(gamma, bad)):.2f} deg is orbital: the perigee is "
            f"{first_bad(perigee, bad) - EARTH_RADIUS_KM:.0f} km above the ground; give a lower speed or a steeper angle"
        )
    return a, e


def _ecc_anomalies(r0: Any, a: FloatArray, e: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Eccentric anomaly at burnout (ascending) and at the ground (descending)."""
    e0 = np.arccos(np.clip((1.0 - r0 / a) / e, -1.0, 1.0))
    e1 = 2.0 * np.pi - np.arccos(np.clip((1.0 - EARTH_RADIUS_KM / a) / e, -1.0, 1.0))
    return e0, e1


def _true_anomaly(big_e: FloatArray, e: FloatArray) -> FloatArray:
    nu = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(big_e / 2.0), np.sqrt(1.0 - e) * np.cos(big_e / 2.0))
    return np.asarray(np.mod(nu, 2.0 * np.pi))


def _kepler_time(a: FloatArray, e: FloatArray, e0: FloatArray, e1: Any) -> Any:
    n = np.sqrt(MU_KM3_S2 / a**3)
    return ((e1 - e * np.sin(e1)) - (e0 - e * np.sin(e0))) / n


def _free_flight(r0: Any, v: Any, gamma: Any) -> tuple[Any, Any, Any]:
    """Non-rotating free flight: apogee radius, range angle (rad) and time (s) to the ground."""
    a, e = _ellipse(r0, v, gamma)
    e0, e1 = _ecc_anomalies(r0, a, e)
    angle = _true_anomaly(e1, e) - _true_anomaly(e0, e)
    return a * (1.0 + e), angle, _kepler_time(a, e, e0, e1)


# --------------------------------------------------------------------------- inverse problem


def _eccentricity_for(ra: FloatArray, r0: float, angle: FloatArray) -> FloatArray:
    """Eccentricity of the ellipse with apogee radius ra through radius r0 (rising) and EARTH_RADIUS_KM
    (falling) spanning ``angle``: closed form when r0 = R, else a vectorised bisection
    (the angle falls monotonically as e rises)."""
    if r0 == EARTH_RADIUS_KM:
        return np.asarray((ra - EARTH_RADIUS_KM) / (ra - EARTH_RADIUS_KM * np.cos(angle / 2.0)))

    def span(e: FloatArray) -> FloatArray:
        p = ra * (1.0 - e)
        a0 = np.arccos(np.clip((p / r0 - 1.0) / e, -1.0, 1.0))
        a1 = np.arccos(np.clip((p / EARTH_RADIUS_KM - 1.0) / e, -1.0, 1.0))
        return np.asarray(2.0 * np.pi - a0 - a1)

    lo = np.broadcast_to((ra - EARTH_RADIUS_KM) / (ra + EARTH_RADIUS_KM), np.shape(angle)).astype(float)
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
    asm = assumptions or DEFAULT_ASSUMPTIONS
    apo = positive(apogee_km, "apogee_km", "km")
    rng = positive(range_km, "range_km", "km")
    apo, rng = np.broadcast_arrays(apo, rng)
    if np.any(apo <= asm.burnout_alt_km):
        raise InvalidDistanceError(
            f"apogee_km={first_bad(apo, apo <= asm.burnout_alt_km):g} is not above the burnout altitude "
            f"{asm.burnout_alt_km:g} km; give a lower burnout_alt_km"
        )
    angle = (rng - asm.powered_range_km) / EARTH_RADIUS_KM
    if np.any(angle <= 0):
        raise InvalidDistanceError(
            f"range_km={first_bad(rng, angle <= 0):g} is not beyond the powered range "
            f"{asm.powered_range_km:g} km; give a smaller powered_range_km"
        )
    if np.any(angle >= np.pi):
        raise InvalidDistanceError(
            f"range_km={first_bad(rng, angle >= np.pi):g} leaves a free flight of 180 deg or more "
            f"(beyond the antipode, {np.pi * EARTH_RADIUS_KM:.0f} km): that is an orbit, not a ballistic flight; "
            f"give a range below {np.pi * EARTH_RADIUS_KM + asm.powered_range_km:.0f} km"
        )
    r0 = EARTH_RADIUS_KM + asm.burnout_alt_km
    ra = EARTH_RADIUS_KM + apo
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
            f"apogee_km={first_bad(apo, grazing):g} is too low for range_km={first_bad(rng, grazing):g}: "
            f"the flight would leave burnout at {np.degrees(first_bad(gamma, grazing)):.2f} deg "
            f"(below {_MIN_DEPRESSED_DEG:g}) and {first_bad(v, grazing):.2f} km/s, skimming the Earth; "
            "check the figures (apogee, not burnout altitude)"
        )
    if asm.rotating:
        v, gamma = _solve_rotating(apo, rng, v, gamma, asm)
    return BurnoutState(scalar_or_array(v), scalar_or_array(np.degrees(gamma)), asm.burnout_alt_km)


def _solve_rotating(
    apo: FloatArray, rng: FloatArray, v: FloatArray, gamma: FloatArray, asm: Assumptions
) -> tuple[FloatArray, FloatArray]:
    """Newton's method on (speed, angle) so that the flight over the rotating Earth has the
    reported apogee and ground range; starts from the non-rotating solution."""
    assert asm.lat_deg is not None and asm.azimuth_deg is not None
    target = np.stack([apo, rng], axis=-1)

    def f(v_: FloatArray, g_: FloatArray) -> FloatArray:
        path = Path3D(0.0, asm.lat_deg or 0.0, asm.azimuth_deg or 0.0, v_, g_, asm)
        return np.stack(
            [
                path.apogee_radius - EARTH_RADIUS_KM,
                asm.powered_range_km + EARTH_RADIUS_KM * path.impact_angle(),
            ],
            axis=-1,
        )

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
    asm = assumptions or DEFAULT_ASSUMPTIONS
    v = positive(speed_km_s, "speed_km_s", "km/s")
    gamma_deg = positive(flight_path_angle_deg, "flight_path_angle_deg", "degrees")
    if np.any(gamma_deg > 90.0):
        raise InvalidCoordinateError(
            f"flight_path_angle_deg must be within (0, 90], got {first_bad(gamma_deg, gamma_deg > 90):g}"
        )
    v, gamma_deg = np.broadcast_arrays(v, gamma_deg)
    r0 = EARTH_RADIUS_KM + asm.burnout_alt_km
    gamma = np.radians(gamma_deg)
    if asm.rotating:
        assert asm.lat_deg is not None and asm.azimuth_deg is not None
        path = Path3D(0.0, asm.lat_deg, asm.azimuth_deg, v, gamma, asm)
        ra, angle, t = path.apogee_radius, path.impact_angle(), path.free_time
    else:
        ra, angle, t = _free_flight(r0, v, gamma)
        if np.any(angle >= np.pi):
            raise InvalidDistanceError(
                f"speed {first_bad(v, angle >= np.pi):.3f} km/s gives a free flight of 180 deg or more: "
                "beyond the antipode, a ground range is not defined"
            )
    return Flight(
        scalar_or_array(ra - EARTH_RADIUS_KM),
        scalar_or_array(asm.powered_range_km + EARTH_RADIUS_KM * angle),
        scalar_or_array(t),
        scalar_or_array(t + asm.powered_time_s),
    )


# --------------------------------------------------------------------------- 3-D flight


def _unit_frame(lon_deg: float, lat_deg: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Up, east and north unit vectors (Earth-fixed, spherical) at a point."""
    lam, phi = math.radians(lon_deg), math.radians(lat_deg)
    up = np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])
    east = np.array([-math.sin(lam), math.cos(lam), 0.0])
    north = np.array([-math.sin(phi) * math.cos(lam), -math.sin(phi) * math.sin(lam), math.cos(phi)])
    return up, east, north


class Path3D:
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
        delta = asm.powered_range_km / EARTH_RADIUS_KM
        ub = math.cos(delta) * self.up0 + math.sin(delta) * d0
        db = -math.sin(delta) * self.up0 + math.cos(delta) * d0
        self.rotating = asm.rotating
        v = np.asarray(v, dtype=float)[..., None]
        gamma = np.asarray(gamma, dtype=float)[..., None]
        r0 = EARTH_RADIUS_KM + asm.burnout_alt_km
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

    def position(self, big_e: FloatArray) -> tuple[FloatArray, FloatArray]:
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

    def impact_angle(self) -> FloatArray:
        """Central angle (rad) from the launch point to the impact, on the turned Earth."""
        inertial = _true_anomaly(self.big_e1, self.e) - _true_anomaly(self.big_e0, self.e)
        if np.any(inertial >= np.pi):
            raise InvalidDistanceError(
                "the free flight spans 180 deg or more: beyond the antipode, a ground range is not defined"
            )
        pos, _ = self.position(self.big_e1[..., None])
        return self.polar(pos[..., 0, :])[0]

    def polar(self, pos: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Central angle (rad) and azimuth (deg) from the launch point of Earth-fixed positions."""
        u = pos / np.linalg.norm(pos, axis=-1, keepdims=True)
        cos_c = u @ self.up0
        sin_c = np.linalg.norm(np.cross(u, self.up0), axis=-1)
        az = np.degrees(np.arctan2(u @ self.e0, u @ self.n0)) % 360.0
        return np.arctan2(sin_c, cos_c), az
