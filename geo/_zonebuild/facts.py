"""Facts the build needs that no coastline carries: territories, disputes, treaties, regions.

Every entry here is a public fact with its source named; the build never decides a
sovereignty question by itself.
"""

from __future__ import annotations

from geo._resources import bundle_dir
from geo._zonebuild import world_facts
from geo._zonebuild.records import SOVEREIGN_OF as NWPACIFIC_SOVEREIGN_OF
from geo._zonebuild.records import Baseline, Dispute, Region, Treaty, read_points

__all__ = [
    "BASELINES",
    "COAST_DISPUTE_KEYS",
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


REGIONS: dict[str, Region] = {
    "nwpacific": Region("nwpacific", (100.0, 0.0, 180.0, 65.0), (88.0, -5.0, 192.0, 69.5)),
}


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


# The world's facts (world_facts.py) join the NW Pacific's: its disputes after these (their
# boxes lie outside the NW Pacific's coasts, so that build is unchanged), its territories, its
# treaties. Land-boundary disputes select coast points, not land polygons: COAST_DISPUTE_KEYS.
DISPUTES = (
    DISPUTES
    + world_facts.WORLD_DISPUTES
    + world_facts.ANTARCTIC_ISLAND_CLAIMS
    + world_facts.WORLD_COAST_DISPUTES
)
COAST_DISPUTE_KEYS = frozenset(d.key for d in world_facts.WORLD_COAST_DISPUTES)
SOVEREIGN_OF: dict[str, str] = {**NWPACIFIC_SOVEREIGN_OF, **world_facts.WORLD_SOVEREIGN_OF}
TREATIES = TREATIES + world_facts.WORLD_TREATIES
