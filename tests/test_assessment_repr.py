"""Assessment results in notebooks and GIS code: ``_repr_html_`` and ``__geo_interface__``."""

from __future__ import annotations

import html
import json
import math
import re
from html.parser import HTMLParser

import geopandas as gpd
import pytest
from shapely.geometry import Point, shape

from geo import assess, uncertainty


class _Table(HTMLParser):
    """The cells of an HTML table, and every tag seen (an injected tag would show here)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: dict[str, str] = {}
        self.caption = ""
        self._cell: list[str] = []
        self._key: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in, self._cell = tag, []

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._cell)
        if tag == "th":
            self._key = text
        elif tag == "td" and self._key is not None:
            self.rows[self._key] = text
        elif tag == "caption":
            self.caption = text
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._cell.append(data)


def _parse(text: str) -> _Table:
    t = _Table()
    t.feed(text)
    return t


def test_html_of_an_exact_point(patched: None) -> None:
    a = assess.assess_point(141.0, 40.0)
    t = _parse(a._repr_html_())
    assert set(t.tags) == {"table", "caption", "tr", "th", "td"}
    assert t.rows["point"] == "in the EEZ of JPN"
    assert t.rows["P(JPN)"] == "1.000"
    assert t.rows["samples"] == "exact point"
    d = a.distance_to_eez_limit_km["JPN"]
    assert t.rows["JPN EEZ limit"] == f"{abs(d):.1f} km inside" and d < 0
    assert t.rows["nearest coast"].startswith("JPN, ")


def test_html_of_samples_has_standard_errors(patched: None) -> None:
    s = uncertainty.from_site((137.0, 40.0), range_km="50-150", azimuth="240:300", n=2_000, seed=1)
    a = assess.assess_samples(s)
    t = _parse(a._repr_html_())
    for k, p in a.probability.items():
        assert t.rows[f"P({k})"] == f"{p:.3f} ± {a.standard_error[k]:.3f}"
    assert t.rows["samples"] == "2000"
    assert math.isclose(sum(a.probability.values()), 1.0)


def test_html_escapes_every_text(patched: None) -> None:
    a = assess.assess_point(141.0, 40.0)
    a.description = "<script>alert('x')</script> & <b>bold</b>"
    a.assumptions = ["<img src=x onerror=alert(1)>"]
    text = a._repr_html_()
    t = _parse(text)
    assert "script" not in t.tags and "img" not in t.tags and "b" not in t.tags
    assert t.caption == a.description  # shown literally
    assert t.rows["assumed"] == a.assumptions[0]
    assert html.escape(a.description) in text


def test_geo_interface_is_a_feature_of_the_point(patched: None) -> None:
    a = assess.assess_point(141.0, 40.0)
    f = a.__geo_interface__
    assert f["type"] == "Feature"
    assert shape(f["geometry"]).equals(Point(141.0, 40.0))
    assert f["properties"]["eez"] == "JPN" and f["properties"] == json.loads(json.dumps(f["properties"]))
    frame = gpd.GeoDataFrame.from_features([a], crs="EPSG:4326")  # any reader of __geo_interface__
    assert frame.geometry.iloc[0].equals(Point(141.0, 40.0)) and frame["eez"].iloc[0] == "JPN"


def test_geo_interface_properties_are_valid_json(patched: None) -> None:
    a = assess.assess_point(141.0, 40.0)
    a.distance_to_eez_limit_km = {**a.distance_to_eez_limit_km, "XXX": float("nan")}
    props = a.__geo_interface__["properties"]
    assert props["distance_to_eez_limit_km"]["XXX"] is None
    json.dumps(props, allow_nan=False)


@pytest.mark.parametrize("lon", [179.9, -179.9])
def test_geo_interface_keeps_the_longitude(patched: None, lon: float) -> None:
    a = assess.assess_point(lon, 40.0, outside="report")
    assert a.__geo_interface__["geometry"]["coordinates"] == [pytest.approx(lon), 40.0]
    assert re.search(r"lon -?179\.9000", a._repr_html_())
