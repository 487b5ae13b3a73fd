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

from geo._resources import bundle_dir

__all__ = [
    "BASELINES",
    "DISPUTES",
    "OVERLAP_WINNERS",
    "REGIONS",
    "SOURCES_DIR",
    "SOVEREIGN_OF",
    "TREATIES",
    "Baseline",
    "Dispute",
    "Region",
    "Treaty",
    "priority",
    "read_points",
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


# Where two geo-maps shapes (land + 12 nm) both hold a coast point, these codes win, in this
# order; elsewhere the first code in alphabetical order does. OSM's shape of the PRC covers
# Kinmen (Quemoy) and the Matsu Islands, which Taiwan holds (ROC Ministry of the Interior:
# Kinmen County and Lienchiang County); the PRC claims them (see DISPUTES). Territories do
# not win over their sovereign: Hong Kong and Macau stay in China's zones, as in Marine Regions.
OVERLAP_WINNERS: tuple[str, ...] = ("TWN",)

# The turning points and base points the build reads (transcribed; see the data README).
SOURCES_DIR = bundle_dir() / "sources"


def priority(code: str) -> tuple[int, str]:
    """Sort key of a claim to land where shapes overlap: disputed features, then
    OVERLAP_WINNERS, then the alphabet."""
    order = [d.key for d in DISPUTES] + list(OVERLAP_WINNERS)
    return (order.index(code) if code in order else len(order), code)


def sovereign_of(territory: str) -> str:
    """ISO3 of the sovereign state of ``territory`` (itself when it is a state)."""
    return SOVEREIGN_OF.get(territory, territory)


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


# One row a dispute: key, name, claimants, administrator, box; then max_area_km2, only_from.
# fmt: off
DISPUTES: tuple[Dispute, ...] = (
    Dispute("XLR", "Liancourt Rocks (Takeshima / Dokdo)", ("JPN", "KOR"), "KOR",
            (131.80, 37.20, 131.92, 37.28)),
    Dispute("XSK", "Senkaku Islands (Diaoyu / Tiaoyutai)", ("CHN", "JPN", "TWN"), "JPN",
            (123.30, 25.55, 124.70, 26.05)),
    Dispute("XKU", "Southern Kuril Islands (Northern Territories)", ("JPN", "RUS"), "RUS",
            (145.40, 43.30, 149.10, 45.65), max_area_km2=1e5, only_from="RUS"),
    Dispute("XSP", "Spratly Islands", ("CHN", "MYS", "PHL", "TWN", "VNM"), "",
            (111.30, 6.10, 116.90, 11.70), max_area_km2=20.0),
    Dispute("XPA", "Paracel Islands", ("CHN", "TWN", "VNM"), "CHN",
            (110.80, 15.60, 113.10, 17.30), max_area_km2=20.0),
    # Kinmen (with Wuqiu) and the Matsu Islands: held by Taiwan (ROC Kinmen and Lienchiang
    # counties), claimed by the PRC as part of Fujian; its 1996 baselines run through Dongyin,
    # Dongsha (Matsu) and Wuqiu (base points 19, 20, 22). ``only_from`` keeps Xiamen and the
    # Fujian coast, which the country layer gives to China, out of the boxes.
    Dispute("XKM", "Kinmen (Quemoy) and Wuqiu", ("CHN", "TWN"), "TWN",
            (118.10, 24.30, 119.60, 25.05), max_area_km2=200.0, only_from="TWN"),
    Dispute("XMT", "Matsu Islands", ("CHN", "TWN"), "TWN",
            (119.80, 25.85, 120.60, 26.45), max_area_km2=200.0, only_from="TWN"),
    Dispute("XSC", "Scarborough Shoal", ("CHN", "PHL", "TWN"), "CHN",
            (117.60, 15.00, 117.95, 15.30), max_area_km2=50.0),
)
# fmt: on


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

    Seconds (``lat_sec``, ``lon_sec``) are added where the source prints them.
    """
    df = pd.read_csv(path)
    lon = df["lon_deg"].to_numpy(float) + df["lon_min"].to_numpy(float) / 60
    lat = df["lat_deg"].to_numpy(float) + df["lat_min"].to_numpy(float) / 60
    if ("lat_sec" in df.columns) != ("lon_sec" in df.columns):
        raise ValueError(f"{path}: give both lat_sec and lon_sec, or neither")
    if "lat_sec" in df.columns:
        lon = lon + df["lon_sec"].to_numpy(float) / 3600
        lat = lat + df["lat_sec"].to_numpy(float) / 3600
    return np.column_stack([lon, lat])


def _dms(d: float, m: float, s: float) -> float:
    return d + m / 60 + s / 3600


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
    # Agreement of 25 December 2000 (in force 30 June 2004), Article II: 21 points joined by
    # straight lines (1-9 territorial sea, 9-21 EEZ and continental shelf). The texts read
    # state no datum; taken as WGS84. Article I bounds the gulf by the line from Yingge Zui,
    # Hainan (18 30 19 N, 108 41 17 E) past Con Co to 16 57 40 N, 107 08 42 E on Vietnam's
    # coast: the line divides the two parties' zones inside that gulf, and nowhere else.
    Treaty(
        "CHN-VNM-2000",
        "China-Viet Nam delimitation of the territorial seas, EEZs and continental shelves "
        "in Beibu Gulf / Bac Bo Gulf (2000)",
        ("CHN", "VNM"),
        "cn_vn_2000_beibu_gulf_boundary.csv",
        "EPSG:4326",
        0.0,
        area=(
            (_dms(107, 8, 42), _dms(16, 57, 40)),  # Article I, on Vietnam's coast
            (_dms(108, 41, 17), _dms(18, 30, 19)),  # Article I, Yingge Zui (Hainan)
            (110.6, 20.0),  # round Hainan's west coast to the Qiongzhou Strait
            (110.6, 22.2),  # over Guangxi, to the Beilun mouth
            # just north of point 1 (21 28 12.5 N, 108 06 04.3 E), where the land boundary
            # meets the sea: the waters up the estuary stay with the median line, not with a
            # straight prolongation of the treaty line that would cut across the river bends
            (_dms(108, 6, 4.3), _dms(21, 28, 12.5) + 0.002),
            (105.0, 22.2),  # over Viet Nam, round the gulf's head
            (105.0, _dms(16, 57, 40)),
        ),
        extend_deg=0.8,
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


BASELINES: tuple[Baseline, ...] = (
    # Declaration of the Government of the PRC on the baselines of the territorial sea,
    # 15 May 1996: 49 mainland base points. Points 1-18 (Shandong Gaojiao to Daotiaoshan,
    # Shandong to Zhejiang) are used; from point 19 (Dongyin) on, the line runs through
    # islands Taiwan holds (Dongyin, Dongsha of Matsu, Wuqiu), which this build gives to
    # Taiwan, so the rest is not applied. Marine Regions measures from these baselines too.
    Baseline(
        "CHN-1996",
        "CHN",
        "PRC mainland territorial-sea baselines, points 1-18 (declaration of 15 May 1996)",
        "cn_1996_mainland_baselines.csv",
    ),
)
