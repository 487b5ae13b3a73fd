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

from geo.ballistics.classes import MISSILES_CSV, MissileClass, missile_class, missile_classes, range_rings
from geo.ballistics.kepler import (
    EARTH_RADIUS_KM,
    MU_KM3_S2,
    OMEGA_EARTH_RAD_S,
    Assumptions,
    BurnoutState,
    Flight,
    Path3D,
    burnout_state,
    fly,
)
from geo.ballistics.reported import (
    LoftedAnalysis,
    analyse_lofted,
    gravity_loss_recovery_km_s,
    minimum_energy,
    standard_range_km,
)
from geo.ballistics.tracks import ground_track, trajectory, trajectory_line

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

_Path3D = Path3D  # the name tests/test_ballistics.py reaches for
