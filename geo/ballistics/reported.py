"""What a reported flight says: the burnout state, flight time and standard range of a lofted test.

:func:`analyse_lofted` is the entry point; :func:`minimum_energy`,
:func:`standard_range_km` and :func:`gravity_loss_recovery_km_s` are its steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from geo._errors import InvalidDistanceError
from geo.ballistics.kepler import (
    DEFAULT_ASSUMPTIONS,
    EARTH_RADIUS_KM,
    MU_KM3_S2,
    Assumptions,
    BurnoutState,
    FloatArray,
    burnout_state,
    first_bad,
    fly,
    positive,
    scalar_or_array,
)

__all__ = [
    "LoftedAnalysis",
    "analyse_lofted",
    "gravity_loss_recovery_km_s",
    "minimum_energy",
    "standard_range_km",
]


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
    v = positive(speed_km_s, "speed_km_s", "km/s")
    r0 = EARTH_RADIUS_KM + burnout_alt_km
    q = v * v * r0 / MU_KM3_S2
    if np.any(q >= 1.0):
        raise InvalidDistanceError(
            f"burnout speed {first_bad(v, q >= 1):.3f} km/s is at or above circular speed "
            f"{math.sqrt(MU_KM3_S2 / r0):.3f} km/s at {burnout_alt_km:g} km: the range would reach "
            "beyond the antipode (an orbit); any point on Earth is in reach"
        )
    psi = 2.0 * np.arcsin(q / (2.0 - q))
    return scalar_or_array(np.degrees((np.pi - psi) / 4.0)), scalar_or_array(np.degrees(psi))


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
    asm = assumptions or DEFAULT_ASSUMPTIONS
    v = positive(speed_km_s, "speed_km_s", "km/s")
    gamma_deg, _ = minimum_energy(v, burnout_alt_km=asm.burnout_alt_km)
    if not asm.rotating:
        return fly(v, gamma_deg, assumptions=asm).range_km, gamma_deg
    # Search the angle: a coarse grid, then a fine one around its best point.
    v_col = np.asarray(v, dtype=float)[..., None]
    grid = np.linspace(2.0, 80.0, 157)
    best = _best_angle(v_col, grid, asm)
    fine = best[..., None] + np.linspace(-0.5, 0.5, 101)
    best = _best_angle(v_col, fine, asm)
    return fly(v, best, assumptions=asm).range_km, scalar_or_array(best)


def _best_angle(v: FloatArray, grid_deg: FloatArray, asm: Assumptions) -> FloatArray:
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

    g = MU_KM3_S2 / (EARTH_RADIUS_KM + burnout_alt_km / 2.0) ** 2
    return scalar_or_array(g * powered_time_s * (mean_sin(lofted_angle_deg) - mean_sin(standard_angle_deg)))


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
    asm = assumptions or DEFAULT_ASSUMPTIONS
    b = burnout_state(float(apogee_km), float(range_km), assumptions=asm)
    t = float(fly(b.speed_km_s, b.flight_path_angle_deg, assumptions=asm).flight_time_s)
    notes: list[str] = []
    half = math.pi * EARTH_RADIUS_KM
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
