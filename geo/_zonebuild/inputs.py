"""The build's pinned inputs: OSM land polygons (PyPI) and geo-maps country shapes (npm).

Both come through their package clients only: ``pip install roaring-landmask==0.11.0``
(the ``build`` extra) and ``npm pack @geo-maps/countries-maritime-10m@0.6.0``, which the
build runs itself into a cache folder and checks against the SHA-256 below.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo._errors import GeoError, MissingExtraError

__all__ = ["INPUTS", "cache_dir", "countries", "osm_land"]

INPUTS = {
    "osm_land": {
        "package": "roaring-landmask",
        "registry": "PyPI",
        "version": "0.11.0",
        "item": "roaring_landmask.Shapes.wkb(LandmaskProvider.Osm)",
        "sha256_wkb": "",  # filled below: checked at build time
        "licence": "ODbL-1.0 (OpenStreetMap contributors); package MIT",
    },
    "countries": {
        "package": "@geo-maps/countries-maritime-10m",
        "registry": "npm",
        "version": "0.6.0",
        "item": "map.geo.json",
        "sha256_tgz": "c63144607cc8aeb5784f8e14b7bf8c8fcdaf2e000b93fe44b1991257773e13a1",
        "licence": "ODbL-1.0 (OpenStreetMap contributors); package MIT",
    },
}
OSM_WKB_SHA256 = "728e740b6e56f6eb9996aafba6c2602ca3f01c40d1be2b620b9775e31ce6dbf1"


class BuildInputError(GeoError):
    """A build input is missing, of the wrong version, or fails its checksum."""


def cache_dir() -> Path:
    """Folder for downloaded build inputs: ``$GEO_CACHE_DIR`` or ``~/.cache/geo``."""
    root = os.environ.get("GEO_CACHE_DIR") or Path.home() / ".cache" / "geo"
    path = Path(root) / "boundaries"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def osm_land(box: tuple[float, float, float, float]) -> np.ndarray:
    """OSM land polygons inside ``box`` (degrees; lon may exceed 180), clipped to it.

    Parts west of -180 + 360 are shifted by +360 so that a box across the antimeridian
    is one continuous frame.
    """
    try:
        import roaring_landmask as rl
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError("roaring_landmask", "build") from exc
    version = metadata.version("roaring-landmask")
    if version != INPUTS["osm_land"]["version"]:
        raise BuildInputError(
            f"roaring-landmask {version} is installed, the build is pinned to "
            f"{INPUTS['osm_land']['version']}: pip install 'geo[build]'"
        )
    wkb = rl.Shapes.wkb(rl.LandmaskProvider.Osm)
    digest = _sha256(wkb)
    if digest != OSM_WKB_SHA256:
        raise BuildInputError(f"OSM land WKB sha256 {digest} != pinned {OSM_WKB_SHA256}")
    INPUTS["osm_land"]["sha256_wkb"] = digest
    parts = shapely.get_parts(shapely.from_wkb(wkb))
    del wkb
    xmin, ymin, xmax, ymax = box
    out = []
    for shift in (0.0, 360.0, -360.0):
        b = shapely.bounds(parts)
        sel = (b[:, 2] + shift > xmin) & (b[:, 0] + shift < xmax) & (b[:, 3] > ymin) & (b[:, 1] < ymax)
        if not sel.any():
            continue
        p = parts[sel]
        if shift:
            p = shapely.transform(p, lambda c, s=shift: c + np.array([s, 0.0]))
        out.append(p)
    land = shapely.clip_by_rect(np.concatenate(out), xmin, ymin, xmax, ymax)
    land = shapely.get_parts(land[~shapely.is_empty(land)])
    land = land[shapely.get_type_id(land) == 3]
    bad = ~shapely.is_valid(land)
    if bad.any():
        land[bad] = shapely.make_valid(land[bad])
        land = shapely.get_parts(land)
        land = land[shapely.get_type_id(land) == 3]
    result: np.ndarray = land
    return result


def _npm_pack(spec: str, dest: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise BuildInputError(
            f"npm is needed to fetch {spec} (apt-get install npm), or put the tarball in {dest}"
        )
    out = subprocess.run(
        [npm, "pack", spec, "--json", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    name: str = json.loads(out.stdout)[0]["filename"]
    return dest / name


def countries() -> gpd.GeoDataFrame:
    """geo-maps country land + 12 nm polygons keyed by ISO A3 (column ``A3``), EPSG:4326."""
    info = INPUTS["countries"]
    dest = cache_dir()
    tgz = dest / f"geo-maps-countries-maritime-10m-{info['version']}.tgz"
    if not tgz.exists():
        tgz = _npm_pack(f"{info['package']}@{info['version']}", dest)
    digest = _sha256(tgz.read_bytes())
    if digest != info["sha256_tgz"]:
        raise BuildInputError(
            f"{tgz} has sha256 {digest}, expected {info['sha256_tgz']}: delete it and rebuild"
        )
    geojson = dest / f"countries-maritime-10m-{info['version']}.geo.json"
    if not geojson.exists():
        with tarfile.open(tgz) as tar:
            member = tar.extractfile("package/map.geo.json")
            assert member is not None
            geojson.write_bytes(member.read())
    gdf = gpd.read_file(geojson)
    return gdf.set_crs("EPSG:4326", allow_override=True)
