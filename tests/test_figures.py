"""geo.figures and `geo figure`: formats, resolution, projection, safe text, bad input."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner

pytest.importorskip("matplotlib")

from geo import figures, geodesy, maps
from geo._io import OutputPathError
from geo.cli import main

HOSTILE = '<img src=x onerror="window.__pwned=1"> costs $5 and $6'


def layers(**kw):
    kw.setdefault("zones", False)
    kw.setdefault("land", False)
    return maps.collect_layers(**kw)


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_writes_each_format(tmp_path: Path, suffix: str) -> None:
    out = figures.write_figure(layers(sites=["Hamhung"], rings_km=[1000]), tmp_path / f"f{suffix}", dpi=100)
    head = out.read_bytes()[:8]
    assert {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix] in head or head.startswith(b"<svg")


def test_png_is_300_dpi_and_not_blank(tmp_path: Path) -> None:
    from PIL import Image

    lay = maps.collect_layers(sites=["Hamhung"], rings_km=[1000, 3000], impacts=[(135.0, 40.5)], zones=False)
    out = figures.write_figure(lay, tmp_path / "f.png")
    img = Image.open(out)
    assert img.size == (2250, 2400)  # 7.5 x 8 inches at 300 dpi
    assert round(img.info["dpi"][0]) == 300
    a = np.asarray(img.convert("RGB"), dtype=float)
    assert a.std() > 20 and len(np.unique(a[::9, ::9].reshape(-1, 3), axis=0)) > 30


def test_rings_round_the_centre_are_circles() -> None:
    lay = layers(sites=["Hamhung"], rings_km=[13_000])
    site = lay.sites.geometry.iloc[0]
    proj = figures._Projection(site.x, site.y, 19_000)
    line = proj.outline(lay.rings.geometry.to_numpy())[0]
    xy = shapely.get_coordinates(line)
    r = np.hypot(xy[:, 0], xy[:, 1])
    assert np.allclose(r, 13_000e3, rtol=1e-5)  # a true circle, no seam along 180 deg or the pole


def test_text_is_plain_in_svg(tmp_path: Path) -> None:
    out = figures.write_figure(layers(sites=["Hamhung"], title=HOSTILE), tmp_path / "f.svg", dpi=72)
    svg = out.read_text(encoding="utf-8")
    outside_comments = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    assert "<img" not in svg and "onerror" not in outside_comments  # drawn as glyphs; markup nowhere
    assert "&lt;img src=x" in svg  # matplotlib's comment keeps the text, escaped


def test_dollar_signs_do_not_start_math() -> None:
    fig = figures.build_figure(layers(sites=["Hamhung"], title=HOSTILE))
    fig.canvas.draw()  # mathtext would fail or eat the dollars
    title = fig._suptitle
    assert title.get_text() == HOSTILE  # the text object holds the user's text itself ...
    assert title._preprocess_math(HOSTILE) == (HOSTILE, False)  # ... drawn as plain text


def test_centre_on_impact_without_site() -> None:
    lay = layers(impacts=[(-170.0, 50.0), (170.0, 50.0)])
    assert lay.centre == (-170.0, 50.0)
    fig = figures.build_figure(lay)
    assert fig.axes[0].get_xlim()[1] > 700e3  # both points, across 180 deg, are in view


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to draw"),
        (("--site", "Hamhong"), "unknown place"),
        (("--site", "Hamhung", "--rings-km", "0"), "positive"),
        (("--site", "Hamhung", "--rings-km", "20500"), "antipode"),
        (("--site", "Hamhung", "--dpi", "5"), "--dpi"),
    ],
)
def test_cli_figure_bad_input(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    r = CliRunner().invoke(main, ["figure", *args, "--no-zones", "-o", str(tmp_path / "f.png")])
    assert r.exit_code == 2 and message in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_figure_paths(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        main, ["figure", "--site", "Hamhung", "--no-zones", "-o", str(tmp_path / "x" / "f.png")]
    )
    assert r.exit_code == 2 and "does not exist" in r.stderr
    r = CliRunner().invoke(main, ["figure", "--site", "Hamhung", "--no-zones", "-o", str(tmp_path / "f.gif")])
    assert r.exit_code == 2 and ".png" in r.stderr
    r = CliRunner().invoke(main, ["figure", "--site", "Hamhung", "--rings-km", "1000", "--no-zones", "--dpi", "60",
                                  "-o", str(tmp_path / "f.pdf")])  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")


def test_read_only_destination_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputPathError, match=r"f\.png.*writable"):  # geo._io's one message for every writer
        figures.write_figure(layers(sites=["Hamhung"]), tmp_path / "f.png", dpi=50)
    assert list(tmp_path.iterdir()) == []


def test_zones_and_land_are_drawn(tmp_path: Path) -> None:
    import geopandas as gpd

    zones = gpd.GeoDataFrame(
        {"kind": ["eez", "eez", "land"], "sovereign": ["KOR", None, "KOR"], "status": ["equidistance", "disputed", "equidistance"],
         "claimants": ["KOR", "JPN;KOR", "KOR"], "source": ["synthetic"] * 3},
        geometry=[geodesy.annulus(130.0, 38.0, 30_000, 300_000), shapely.box(131.8, 37.2, 131.9, 37.3),
                  geodesy.ring(130.0, 38.0, 30_000)],
        crs="EPSG:4326",
    )  # fmt: skip
    lay = maps.collect_layers(sites=["Hamhung"], zones=zones)
    fig = figures.build_figure(lay, radius_km=600)  # the disputed box is ~470 km from Hamhung
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "disputed" in labels and "land" in labels and "zone of KOR" in labels
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=50)
    assert buf.tell() > 1000
