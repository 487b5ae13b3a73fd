"""Vague reports as samples: the stated distributions, reproducible, on the ellipsoid."""

from __future__ import annotations

import numpy as np
import pytest

from geo import geodesy, places, uncertainty
from geo._errors import InvalidDistanceError, InvalidIntervalError, ParseError


def test_site_range_interval_and_azimuth_across_north() -> None:
    s = uncertainty.from_site("Hamhung", range_km="600-700", azimuth="350:10", n=5000, seed=2)
    h = places.lookup("Hamhung")
    _, _, d = geodesy.GEOD.inv(np.full(s.n, h.lon), np.full(s.n, h.lat), s.lon, s.lat)
    np.testing.assert_allclose(d / 1e3, s.range_km, atol=1e-6)
    assert s.range_km.min() >= 600 and s.range_km.max() <= 700
    assert geodesy.AzimuthInterval(350, 10).contains(s.azimuth_deg).all()
    # Uniform over the interval: both sides of north are sampled about equally.
    west = (s.azimuth_deg > 180).mean()
    assert abs(west - 0.5) < 4 * np.sqrt(0.25 / s.n)


def test_unknown_azimuth_is_uniform_and_normal_range_has_its_moments() -> None:
    s = uncertainty.from_site((127.5, 39.9), range_km="950+/-50", n=20000, seed=3)
    assert abs(s.range_km.mean() - 950) < 4 * 50 / np.sqrt(s.n)
    assert abs(s.range_km.std() - 50) < 2.0
    counts, _ = np.histogram(s.azimuth_deg, bins=4, range=(0, 360))
    assert counts.min() > 0.23 * s.n


def test_seed_reproduces_and_differs() -> None:
    a = uncertainty.from_site("Hamhung", range_km="600-700", n=100, seed=5)
    b = uncertainty.from_site("Hamhung", range_km="600-700", n=100, seed=5)
    c = uncertainty.from_site("Hamhung", range_km="600-700", n=100, seed=6)
    assert np.array_equal(a.lon, b.lon) and not np.array_equal(a.lon, c.lon)


def test_ellipse_holds_its_level() -> None:
    s = uncertainty.from_ellipse(
        135.0, 40.0, semi_major_km=50, semi_minor_km=20, orientation_deg=45, level=0.95, n=20000, seed=1
    )
    # Back into the ellipse's own axes, from the exact azimuth and distance of each sample.
    phi = np.radians(s.azimuth_deg - 45.0)
    u, v = s.range_km * np.cos(phi), s.range_km * np.sin(phi)
    inside = (u / 50) ** 2 + (v / 20) ** 2 <= 1
    p, se = uncertainty.probability(inside)
    assert abs(p - 0.95) < 4 * se


def test_cep_median() -> None:
    s = uncertainty.from_cep(140.0, 41.0, cep_km=10.0, n=20000, seed=4)
    p, se = uncertainty.probability(s.range_km <= 10.0)
    assert abs(p - 0.5) < 4 * se


def test_relative_statement_samples_its_sector() -> None:
    s = uncertainty.from_relative("about 250 km west of Okushiri Island", n=4000, seed=0)
    assert s.range_km.min() >= 225 and s.range_km.max() <= 275
    assert geodesy.AzimuthInterval(258.75, 281.25).contains(s.azimuth_deg).all()
    assert any("uniform in distance and in bearing" in a for a in s.assumptions)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"range_km": "far"}, ParseError, "cannot read range 'far'"),
        ({"range_km": "700-600"}, InvalidIntervalError, "reversed"),
        ({"range_km": -5.0}, InvalidDistanceError, "positive"),
        ({"range_km": 100.0, "azimuth": "10:10"}, InvalidIntervalError, "empty"),
        ({"range_km": 100.0, "azimuth": "east-ish"}, ParseError, "cannot read azimuth"),
        ({"range_km": 100.0, "n": 0}, InvalidDistanceError, "n must be"),
        ({"range_km": 25000.0}, InvalidDistanceError, "antipode"),
    ],
)
def test_bad_site_reports(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        uncertainty.from_site("Hamhung", **kwargs)  # type: ignore[arg-type]


def test_bad_ellipse() -> None:
    with pytest.raises(InvalidIntervalError, match="level"):
        uncertainty.from_ellipse(0, 0, semi_major_km=2, semi_minor_km=1, level=1.5)
    with pytest.raises(InvalidIntervalError, match="exceeds"):
        uncertainty.from_ellipse(0, 0, semi_major_km=1, semi_minor_km=2)
    with pytest.raises(InvalidDistanceError, match="cep_km"):
        uncertainty.from_cep(0, 0, cep_km=0)
