"""Facts the build needs that no coastline carries: territories, disputes, treaties, regions.

Every entry here is a public fact with its source named; the build never decides a
sovereignty question by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

__all__ = [
    "DISPUTES",
    "REGIONS",
    "SOVEREIGN_OF",
    "TREATIES",
    "Dispute",
    "Region",
    "Treaty",
    "sovereign_of",
]

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


def sovereign_of(territory: str) -> str:
    """ISO3 of the sovereign state of ``territory`` (itself when it is a state)."""
    return SOVEREIGN_OF.get(territory, territory)


@dataclass(frozen=True)
class Dispute:
    """Land features whose sovereignty is disputed; their maritime zones get status ``disputed``.

    ``box`` (lon_min, lat_min, lon_max, lat_max, degrees) selects the land polygons;
    ``max_area_km2`` keeps large neighbouring land out; ``only_from`` keeps only land
    that the country layer gave to that code (so Hokkaido stays with Japan).
    """

    key: str
    name: str
    claimants: tuple[str, ...]
    administrator: str
    box: tuple[float, float, float, float]
    max_area_km2: float = 50.0
    only_from: str | None = None


DISPUTES: tuple[Dispute, ...] = (
    Dispute(
        "XLR", "Liancourt Rocks (Takeshima / Dokdo)", ("JPN", "KOR"), "KOR", (131.80, 37.20, 131.92, 37.28)
    ),
    Dispute(
        "XSK",
        "Senkaku Islands (Diaoyu / Tiaoyutai)",
        ("CHN", "JPN", "TWN"),
        "JPN",
        (123.30, 25.55, 124.70, 26.05),
    ),
    Dispute(
        "XKU",
        "Southern Kuril Islands (Northern Territories)",
        ("JPN", "RUS"),
        "RUS",
        (145.40, 43.30, 149.10, 45.65),
        max_area_km2=1e5,
        only_from="RUS",
    ),
    Dispute(
        "XSP",
        "Spratly Islands",
        ("CHN", "MYS", "PHL", "TWN", "VNM"),
        "",
        (111.30, 6.10, 116.90, 11.70),
        max_area_km2=20.0,
    ),
    Dispute(
        "XPA",
        "Paracel Islands",
        ("CHN", "TWN", "VNM"),
        "CHN",
        (110.80, 15.60, 113.10, 17.30),
        max_area_km2=20.0,
    ),
    Dispute(
        "XSC",
        "Scarborough Shoal",
        ("CHN", "PHL", "TWN"),
        "CHN",
        (117.60, 15.00, 117.95, 15.30),
        max_area_km2=50.0,
    ),
)


@dataclass(frozen=True)
class Treaty:
    """A boundary line between two parties, from a treaty's published turning points."""

    key: str
    name: str
    parties: tuple[str, str]
    csv: str
    source_datum: str
    corridor_deg: float

    def points(self, sources_dir: Path) -> np.ndarray:
        """(n, 2) WGS84 (lon, lat) of the turning points, converted from ``source_datum``."""
        from pyproj import Transformer
        from pyproj.aoi import AreaOfInterest

        df = pd.read_csv(sources_dir / self.csv)
        lon = df["lon_deg"].to_numpy(float) + df["lon_min"].to_numpy(float) / 60
        lat = df["lat_deg"].to_numpy(float) + df["lat_min"].to_numpy(float) / 60
        aoi = AreaOfInterest(lon.min(), lat.min(), lon.max(), lat.max())
        tr = Transformer.from_crs(self.source_datum, "EPSG:4326", always_xy=True, area_of_interest=aoi)  # type: ignore[arg-type]
        x, y = tr.transform(lon, lat)
        return np.column_stack([x, y])

    def printed_points(self, sources_dir: Path) -> np.ndarray:
        """(n, 2) (lon, lat) exactly as printed in the treaty, in its own datum."""
        df = pd.read_csv(sources_dir / self.csv)
        lon = df["lon_deg"].to_numpy(float) + df["lon_min"].to_numpy(float) / 60
        lat = df["lat_deg"].to_numpy(float) + df["lat_min"].to_numpy(float) / 60
        return np.column_stack([lon, lat])

    def line(self, sources_dir: Path) -> shapely.LineString:
        return shapely.LineString(self.points(sources_dir))


TREATIES: tuple[Treaty, ...] = (
    # Agreed Minutes: coordinates on Japan Maritime Safety Agency charts No. 302 (1958) and
    # No. 1200 (1958), i.e. on the Tokyo datum (EPSG:4301); converted to WGS84 (~400 m).
    Treaty(
        "JPN-KOR-1974",
        "Japan-Republic of Korea northern continental shelf boundary (1974)",
        ("JPN", "KOR"),
        "jp_kr_1974_northern_cs_boundary.csv",
        "EPSG:4301",
        0.35,
    ),
)


@dataclass(frozen=True)
class Region:
    """The output box (degrees) and the wider box whose coasts can reach into it."""

    name: str
    box: tuple[float, float, float, float]
    coast_box: tuple[float, float, float, float]


REGIONS: dict[str, Region] = {
    "nwpacific": Region("nwpacific", (100.0, 0.0, 180.0, 65.0), (88.0, -5.0, 192.0, 69.5)),
}
