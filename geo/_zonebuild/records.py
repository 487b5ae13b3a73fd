"""The build's record types (a dispute, a treaty line, declared baselines, a region) and the
NW Pacific's territory table: what :mod:`geo._zonebuild.facts` and
:mod:`geo._zonebuild.world_facts` are written in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

__all__ = ["SOVEREIGN_OF", "Baseline", "Dispute", "Region", "Treaty", "read_points"]

# Territories that geo-maps keys by their own ISO 3166 code but that belong to a sovereign.
SOVEREIGN_OF: dict[str, str] = {
    "GUM": "USA",
    "MNP": "USA",
    "UMI": "USA",
    "ASM": "USA",
    "HKG": "CHN",
    "MAC": "CHN",
    "CXR": "AUS",
    "CCK": "AUS",
    "NFK": "AUS",
    "TKL": "NZL",
    "NCL": "FRA",
    "PYF": "FRA",
    "WLF": "FRA",
}


@dataclass(frozen=True)
class Dispute:
    """Land features whose sovereignty is disputed; their maritime zones get status ``disputed``.

    ``box`` (lon_min, lat_min, lon_max, lat_max, degrees) selects the land polygons;
    ``max_area_km2`` keeps large neighbouring land out. With ``only_from``, a land polygon
    belongs to the dispute, whole, when most of its coast points in the box are that
    code's (so Hokkaido stays with Japan, and Xiamen with China).
    """

    key: str
    name: str
    claimants: tuple[str, ...]
    administrator: str
    box: tuple[float, float, float, float]
    max_area_km2: float = 50.0
    only_from: str | None = None


@dataclass(frozen=True)
class Treaty:
    """A boundary line between two parties, from a treaty's published turning points.

    The line re-divides the two parties' zones inside ``area`` (a polygon, (lon, lat)
    vertices: the treaty's own area, such as a gulf and its closing line) or, without one,
    inside a corridor of ``corridor_deg`` around the line; elsewhere the median line stands.
    ``extend_deg`` prolongs the line at both ends so that it crosses the area's edge.
    """

    key: str
    name: str
    parties: tuple[str, str]
    csv: str
    source_datum: str
    corridor_deg: float
    area: tuple[tuple[float, float], ...] | None = None
    extend_deg: float = 0.05

    def printed_points(self, sources_dir: Path) -> np.ndarray:
        """(n, 2) (lon, lat) exactly as printed in the treaty, in its own datum."""
        return read_points(sources_dir / self.csv)

    def points(self, sources_dir: Path) -> np.ndarray:
        """(n, 2) WGS84 (lon, lat) of the turning points, converted from ``source_datum``."""
        xy = self.printed_points(sources_dir)
        if self.source_datum == "EPSG:4326":
            return xy
        from pyproj import Transformer
        from pyproj.aoi import AreaOfInterest

        lon, lat = xy[:, 0], xy[:, 1]
        aoi = AreaOfInterest(lon.min(), lat.min(), lon.max(), lat.max())
        tr = Transformer.from_crs(self.source_datum, "EPSG:4326", always_xy=True, area_of_interest=aoi)  # type: ignore[arg-type]
        x, y = tr.transform(lon, lat)
        return np.column_stack([x, y])

    def line(self, sources_dir: Path) -> shapely.LineString:
        return shapely.LineString(self.points(sources_dir))

    def extended_line(self, sources_dir: Path) -> shapely.LineString:
        """The line prolonged ``extend_deg`` at both ends (straight in lon/lat), as the build cuts with it."""
        pts = self.points(sources_dir)
        d0 = pts[0] - pts[1]
        d1 = pts[-1] - pts[-2]
        if not (np.linalg.norm(d0) > 0 and np.linalg.norm(d1) > 0):
            raise ValueError(f"treaty {self.key}: its first or last two points coincide; drop the repeat")
        e = self.extend_deg
        return shapely.LineString(
            np.vstack([pts[0] + d0 / np.linalg.norm(d0) * e, pts, pts[-1] + d1 / np.linalg.norm(d1) * e])
        )

    def region(self, sources_dir: Path) -> shapely.Geometry:
        """Where the line divides the parties' zones: ``area``, or the corridor round the line."""
        if self.area is not None:
            return shapely.Polygon(self.area)
        return shapely.buffer(self.line(sources_dir), self.corridor_deg, cap_style="flat")


def read_points(path: Path) -> np.ndarray:
    """(n, 2) (lon, lat) from a CSV of degrees and minutes (``lat_deg``, ``lat_min``, ...).

    Seconds (``lat_sec``, ``lon_sec``) are added where the source prints them. South and
    west are negative degrees (``-0`` for 0 deg S or W); minutes and seconds are magnitudes.
    """
    df = pd.read_csv(path, dtype={"lon_deg": str, "lat_deg": str})
    if ("lat_sec" in df.columns) != ("lon_sec" in df.columns):
        raise ValueError(f"{path}: give both lat_sec and lon_sec, or neither")

    def angle(axis: str) -> np.ndarray:
        # degrees carry the sign (S and W negative, "-0" too); minutes and seconds add to
        # the magnitude: -168 58 37 is -(168 + 58/60 + 37/3600)
        deg = np.array([float(v) for v in df[f"{axis}_deg"]])
        mag = np.abs(deg) + df[f"{axis}_min"].to_numpy(float) / 60
        if f"{axis}_sec" in df.columns:
            mag = mag + df[f"{axis}_sec"].to_numpy(float) / 3600
        out: np.ndarray = np.where(np.signbit(deg), -mag, mag)
        return out

    return np.column_stack([angle("lon"), angle("lat")])


@dataclass(frozen=True)
class Region:
    """The output box (degrees) and the wider box whose coasts can reach into it."""

    name: str
    box: tuple[float, float, float, float]
    coast_box: tuple[float, float, float, float]


@dataclass(frozen=True)
class Baseline:
    """Straight baselines a state has declared: limits are measured from them, as from coast.

    ``csv`` holds the base points in order; consecutive points are joined by straight lines
    (geodesics here: at these lengths the two differ by metres).
    """

    key: str
    state: str
    name: str
    csv: str

    def points(self, sources_dir: Path) -> np.ndarray:
        """(n, 2) (lon, lat) of the base points, as declared (no datum stated: taken as WGS84)."""
        return read_points(sources_dir / self.csv)
