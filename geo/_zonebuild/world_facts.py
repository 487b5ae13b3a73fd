"""World facts for ``--region world``: territories, disputes, joint areas, Antarctic claims,
Svalbard, treaties (issue #13, items 2-3).

Data only, each entry with its source (the table of sources and checksums is
``data/boundaries/WORLD_FACTS.md``). Nothing here repeats ``facts.DISPUTES`` (the NW Pacific box,
100-180 E, 0-65 N). Where a source could not be read from here the entry says so, and a
boundary treaty whose turning points were not read is listed in ``UNSOURCED_TREATIES``: there
the median line stands.

Two kinds of disputed land:

- ``WORLD_DISPUTES``: islands and islets. Their land polygons are small and separate, so
  ``land.apply_disputes`` selects them as it selects the NW Pacific features (box and
  ``max_area_km2``).
- ``WORLD_COAST_DISPUTES``: land-boundary disputes that reach the sea (Western Sahara,
  Gibraltar, Crimea, ...). Their coast belongs to a continent's polygon, so the dispute is a
  stretch of coast, not a polygon: the coast points inside ``box`` whose geo-maps owner is
  ``only_from`` (every owner when it is ``None``) become the dispute (``coast_dispute_mask``).
  ``land.apply_disputes`` must NOT be given these: its ``only_from`` takes whole polygons, and
  would hand the whole of Eurasia or Africa to the dispute.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo._zonebuild.records import SOVEREIGN_OF, Dispute, Treaty

__all__ = [
    "ANTARCTIC_CLAIMS",
    "ANTARCTIC_ISLAND_CLAIMS",
    "ANTARCTIC_UNCLAIMED",
    "CONTESTED_MARITIME",
    "JOINT_AREAS",
    "SVALBARD",
    "UNSOURCED_TREATIES",
    "WORLD_COAST_DISPUTES",
    "WORLD_DISPUTES",
    "WORLD_SETTLED",
    "WORLD_SOVEREIGN_OF",
    "WORLD_TREATIES",
    "AntarcticClaim",
    "RecordedFact",
    "TreatyStatus",
    "coast_dispute_mask",
    "contested_maritime",
    "joint_area",
    "read_disputes",
    "settled_dispute",
    "unsourced_treaty",
]

# --- sources (short names used below; URLs as read, through the `search` pages corpus) --------
ISO = "ISO 3166-1 (alpha-3 codes and their 'territory of' remarks); UN Statistics Division M49"
COOK_NIUE = "https://wikimili.com/en/Political_status_of_the_Cook_Islands_and_Niue"
WP_ANTARCTIC = (
    "https://a.osmarks.net/content/wikipedia_en_all_maxi_2020-08/A/Territorial_claims_in_Antarctica"
)
WP_QML = "http://piglix.com/piglix/Queen_Maud_Land; https://alphabetgeography.blogspot.com/2008/07/123-queen-maud-land-antarctica.html"
WP_ROSS = "https://pwojczyn.com/wiki/view.php?lang=en&q=Ross_Dependency"
ANT_UK = "Queen Maud Land / claims overview (British blog, 'Queen Maud Land', pages corpus)"
SVALBARD_SRC = (
    "R. Churchill and G. Ulfstein, 'The disputed maritime zones around Svalbard' "
    "(https://vdocuments.us/the-disputed-maritime-zones-around-551-the-disputed-maritime-zones-around-svalbard.html); "
    "https://discovery.researcher.life/topic/svalbard-treaty/7504245 (Norwegian Supreme Court 2023, snow crab); "
    "US Dept. of State, Limits in the Seas No. 148, Norway (2020)"
)
HANS = (
    "https://www.canada.ca/en/global-affairs/news/2022/06/canada-and-the-kingdom-of-denmark-together-with-greenland-"
    "reach-historic-agreement-on-long-standing-boundary-disputes.html; Folketinget B 14 (2023-24), "
    "https://polspy.org/dk/dokumenter/1060156"
)
ICJ_2012 = "ICJ, Territorial and Maritime Dispute (Nicaragua v. Colombia), Judgment of 19 November 2012, press release 2012/33"
SERRANILLA = "https://www.globalsecurity.org/military/world/caribbean/serranilla.htm; https://wikisum.wiki/wiki/Serranilla_Bank"
AEGEAN = "https://a.osmarks.net/content/wikipedia_en_all_maxi_2020-08/A/Aegean_dispute; https://iilss.net/maritime-boundaries-between-greece-and-turkey/"
BEAUFORT = "https://arcticecon.wordpress.com/2012/01/11/united-states-russian-maritime-boundary-and-exclusive-economic-zones/"
NAMED = "named, not read here"  # sources cited by title only: see WORLD_FACTS.md

# Territories that geo-maps keys by their own ISO 3166 code but that belong to a sovereign
# (ISO 3166-1 lists each as a territory of that state; the UN M49 list groups them likewise).
# Cook Islands (COK) and Niue (NIU) are NOT mapped to NZL: they are self-governing states in free
# association with New Zealand, conduct their own foreign relations and have their own EEZ
# declarations; New Zealand acts for them in defence and foreign affairs only at their request
# (COOK_NIUE). They stay their own sovereign codes. Svalbard and Jan Mayen (SJM) and Bouvet (BVT)
# are Norwegian; Aland (ALA) is Finnish (demilitarised, autonomous); HKG/MAC are SARs of China.
WORLD_SOVEREIGN_OF: dict[str, str] = {
    **SOVEREIGN_OF,
    "GRL": "DNK", "FRO": "DNK",
    "SJM": "NOR", "BVT": "NOR",
    "FLK": "GBR", "SGS": "GBR", "GIB": "GBR", "IOT": "GBR", "SHN": "GBR", "PCN": "GBR", "BMU": "GBR",
    "AIA": "GBR", "VGB": "GBR", "CYM": "GBR", "MSR": "GBR", "TCA": "GBR", "GGY": "GBR", "JEY": "GBR",
    "IMN": "GBR",
    "GUF": "FRA", "GLP": "FRA", "MTQ": "FRA", "REU": "FRA", "MYT": "FRA", "SPM": "FRA", "BLM": "FRA",
    "MAF": "FRA", "ATF": "FRA",
    "ABW": "NLD", "CUW": "NLD", "SXM": "NLD", "BES": "NLD",
    "PRI": "USA", "VIR": "USA",
    "HMD": "AUS",
    "ALA": "FIN",
}  # fmt: skip


def read_disputes(file: str) -> tuple[Dispute, ...]:
    """The dispute records of a table beside this module (one row a feature, its ``note`` the why)."""
    with Path(__file__).with_name(file).open(newline="", encoding="utf-8") as f:
        return tuple(
            Dispute(r["key"], r["name"], tuple(r["claimants"].split()), r["administrator"],
                    (float(r["west"]), float(r["south"]), float(r["east"]), float(r["north"])),
                    max_area_km2=float(r["max_area_km2"]), only_from=r["only_from"] or None)
            for r in csv.DictReader(f)
        )  # fmt: skip


# --- disputed islands ---------------------------------------------------------------------------
# The tables world_islands.csv and world_coasts.csv (beside this module) hold one row a feature.
# Boxes were checked against the OSM land polygons (tests/test_world_facts.py): each catches the feature's polygons and no other land, except Perejil and Alhucemas (the Moroccan shore is 50-200 m
# away: the box also clips Morocco, whose polygon ``max_area_km2`` keeps out).
WORLD_DISPUTES: tuple[Dispute, ...] = read_disputes("world_islands.csv")

# Land-boundary disputes whose coast is disputed: ``only_from`` is the geo-maps owner of the coast
# (checked: coast points in the box by owner), ``max_area_km2`` is above any continent (the
# selection is by point, see coast_dispute_mask). Administrator: who holds the coast.
# (The table's ``note`` column says why each box is drawn where it is and who holds the coast.)
WORLD_COAST_DISPUTES: tuple[Dispute, ...] = read_disputes("world_coasts.csv")


def coast_dispute_mask(x: np.ndarray, y: np.ndarray, owner: np.ndarray, dispute: Dispute) -> np.ndarray:
    """Coast points of a land-boundary dispute: in ``dispute.box`` and owned by ``only_from``.

    Point by point, not polygon by polygon (the polygon is a continent). ``x`` may exceed 180
    (the build's frame); the box is given in [-180, 180].
    """
    x0, y0, x1, y1 = dispute.box
    lon = (np.asarray(x, float) + 180.0) % 360.0 - 180.0
    y = np.asarray(y, float)
    sel = (lon >= x0) & (lon <= x1) & (y >= y0) & (y <= y1)
    if dispute.only_from is not None:
        sel &= np.asarray(owner) == dispute.only_from
    return sel


@dataclass(frozen=True)
class RecordedFact:
    """A fact recorded without geometry: the land layer's owners or the median line stand.

    ``kind`` is "settled" (a former dispute, settled: the land belongs to the owners named),
    "joint" (a joint regime over an overlap whose points were not read), "contested" (a
    contested maritime claim without a land dispute) or "unsourced_treaty" (a boundary treaty
    whose turning points were not read here). ``detail`` says what was settled, agreed or
    claimed, or why the points are missing; ``modelled_as`` (joint regimes) is "eez" (water
    column and seabed), "seabed" (continental shelf only) or "resources".
    """

    kind: str
    name: str
    parties: tuple[str, ...]
    detail: str
    source: str = ""
    key: str = ""
    when: str = ""
    instrument: str = ""
    modelled_as: str = ""


def settled_dispute(name: str, parties: tuple[str, ...], when: str, outcome: str, source: str) -> RecordedFact:
    return RecordedFact("settled", name, parties, outcome, source, when=when)


def joint_area(key: str, name: str, parties: tuple[str, ...], instrument: str, modelled_as: str,
               source: str, note: str) -> RecordedFact:
    return RecordedFact("joint", name, parties, note, source, key=key, instrument=instrument, modelled_as=modelled_as)


def contested_maritime(key: str, name: str, parties: tuple[str, ...], issue: str, source: str) -> RecordedFact:
    return RecordedFact("contested", name, parties, issue, source, key=key)


def unsourced_treaty(name: str, parties: tuple[str, ...], why: str) -> RecordedFact:
    return RecordedFact("unsourced_treaty", name, parties, why)



WORLD_SETTLED: tuple[RecordedFact, ...] = (
    settled_dispute(
        "Hans Island (Tartupaluk)", ("CAN", "DNK"), "2022-06-14",
        "land boundary across the island (1.2 km long); 1973 line modernised, Lincoln Sea boundary and "
        "Labrador Sea outer shelf agreed; Danish consent B 14 (2023-24). Both halves: CAN west, GRL (DNK) east",
        HANS,
    ),
    settled_dispute(
        "San Andres archipelago cays (Alburquerque, East-Southeast, Roncador, Serrana, Quitasueno)",
        ("COL", "NIC"), "2012-11-19", "sovereignty to Colombia; single maritime boundary drawn", ICJ_2012,
    ),
)  # fmt: skip


JOINT_AREAS: tuple[RecordedFact, ...] = (
    joint_area(
        "JNS", "Nigeria-Sao Tome and Principe Joint Development Zone", ("NGA", "STP"),
        "Treaty of 21 February 2001 (in force 16 January 2003), Article 2 and Annex (coordinates)",
        "resources",
        "https://docslib.org/doc/4774395/delimitation-treaties-infobase-accessed-on-03-10-2003 (DOALOS text); "
        "http://n-stpjda.com/",
        "A joint development zone for petroleum and other resources in an area of overlapping EEZ claims, "
        "without prejudice to delimitation; 60/40 NGA/STP. The Annex's corner points were not readable in "
        "the excerpts here: no geometry; the median line stands and the area is not marked joint.",
    ),
    joint_area(
        "JGS", "Greater Sunrise Special Regime (Timor Sea)", ("AUS", "TLS"),
        "Treaty establishing their maritime boundaries in the Timor Sea, 6 March 2018 (in force 30 August 2019), "
        "Article 7 and Annex B", "seabed",
        "https://www.dfat.gov.au/geo/timor-leste/Pages/australias-maritime-arrangements-with-timor-leste; "
        "http://classic.austlii.edu.au/au/legis/cth/consol_act/sasla1973207/s13aa.html",
        "Jointly exercised continental-shelf rights (Art. 77 UNCLOS) over the Greater Sunrise fields; upstream "
        "revenue 70/30 or 80/20 to TLS. Seabed only, not an EEZ verdict. Annex B's points were not read.",
    ),
    joint_area(
        "JJK", "Japan-Republic of Korea southern Joint Development Zone", ("JPN", "KOR"),
        "Agreement of 30 January 1974 (in force 1978) concerning joint development of the southern continental shelf",
        "seabed", "data/boundaries/README.md (NW Pacific build: its nine points were not reachable)",
        "Continental shelf only: seabed, NOT an EEZ verdict; the waters above are divided by the median line "
        "and the 1998/1999 fisheries arrangements (not modelled).",
    ),
    joint_area(
        "JCJ", "Colombia-Jamaica Joint Regime Area", ("COL", "JAM"),
        "Maritime delimitation treaty of 12 November 1993", "eez", SERRANILLA,
        "Joint management of living and non-living resources between Serranilla and Bajo Nuevo; points not read.",
    ),
)  # fmt: skip


CONTESTED_MARITIME: tuple[RecordedFact, ...] = (
    contested_maritime(
        "CAE", "Aegean Sea: territorial sea breadth and shelf/EEZ", ("GRC", "TUR"),
        "Greece claims a 6 nm territorial sea (10 nm airspace) and the right to 12 nm under UNCLOS; Turkey "
        "(not an UNCLOS party) recognises 6 nm and has called an extension to 12 nm a casus belli (1995); "
        "Turkey does not recognise continental shelf/EEZ entitlements of the Greek islands off its coast. "
        "The build uses 12 nm for both, the median line between them: a verdict there is contested.",
        AEGEAN,
    ),
    contested_maritime(
        "CEM", "East Mediterranean: Cyprus' EEZ and Turkey's shelf claims", ("CYP", "TUR"),
        "Turkey does not recognise the Republic of Cyprus' EEZ west and north of the island and claims "
        "continental shelf there; the TRNC (recognised only by Turkey) claims rights off the north; "
        "Turkey-Libya 2019 memorandum (named) claims a line crossing Greek (Crete) entitlements.",
        AEGEAN + "; " + NAMED,
    ),
    contested_maritime(
        "CAV", "Isla Aves: its EEZ entitlement", ("DMA", "VEN"),
        "Not a sovereignty dispute: Venezuela holds Isla Aves (land stays VEN, no dispute key). Dominica and "
        "other OECS states contest its EEZ and shelf (a rock, Art. 121(3) UNCLOS); the USA (1978), the "
        "Netherlands (1978) and France (1980) boundary treaties with Venezuela gave it full effect. The "
        "build gives it full 200 nm zones: a verdict there is contested by DMA.",
        NAMED,
    ),
    contested_maritime(
        "CBF", "Beaufort Sea wedge", ("CAN", "USA"),
        "Canada claims the 141 W meridian (1825 treaty) extended seaward, the USA an equidistance line: a "
        "~21,000 km2 triangle claimed by both. The build draws the median line.",
        BEAUFORT,
    ),
    contested_maritime(
        "CMS", "Grey zone round Machias Seal Island", ("CAN", "USA"),
        "The 1984 Gulf of Maine judgment's line starts seaward of the grey zone; the waters round the island "
        "follow the island dispute XMS.",
        NAMED,
    ),
)  # fmt: skip


# --- Antarctica -------------------------------------------------------------------------------
@dataclass(frozen=True)
class AntarcticClaim:
    """A territorial claim south of 60 S as a sector from ``lon_west`` eastward to ``lon_east`` (degrees).

    Frozen by Article IV of the Antarctic Treaty (1959): the build gives claimants no EEZ verdict
    there by default. ``lon_west > lon_east`` means the sector crosses 180.
    """

    claimant: str
    name: str
    lon_west: float
    lon_east: float
    source: str
    note: str = ""


def _dm(d: float, m: float) -> float:
    return d + m / 60 if d >= 0 else d - m / 60


ANTARCTIC_CLAIMS: tuple[AntarcticClaim, ...] = (
    AntarcticClaim("NOR", "Queen Maud Land (Dronning Maud Land)", -20.0, _dm(44, 38), WP_QML,
                   "Norway has not stated a northern or southern limit; since 2015 (royal decree) the claim "
                   "runs to the pole. Sector taken from 60 S to the pole like the others."),
    AntarcticClaim("AUS", "Australian Antarctic Territory (western part)", _dm(44, 38), _dm(136, 11), WP_ANTARCTIC),
    AntarcticClaim("FRA", "Adelie Land (Terre Adelie)", _dm(136, 11), _dm(142, 2), WP_ANTARCTIC),
    AntarcticClaim("AUS", "Australian Antarctic Territory (eastern part)", _dm(142, 2), 160.0, WP_ANTARCTIC),
    AntarcticClaim("NZL", "Ross Dependency", 160.0, -150.0, WP_ROSS),
    AntarcticClaim("CHL", "Chilean Antarctic Territory", -90.0, -53.0, WP_ANTARCTIC,
                   "overlaps ARG and GBR"),
    AntarcticClaim("ARG", "Argentine Antarctica", -74.0, -25.0, WP_ANTARCTIC, "overlaps CHL and GBR"),
    AntarcticClaim("GBR", "British Antarctic Territory", -80.0, -20.0, WP_ANTARCTIC, "overlaps ARG and CHL"),
)  # fmt: skip

# Marie Byrd Land, 150 W to 90 W: claimed by no state.
ANTARCTIC_UNCLAIMED: tuple[float, float] = (-150.0, -90.0)

# Island claims south of 60 S (frozen like the sectors): Peter I Island, claimed by Norway (1929/1931),
# lies in the unclaimed sector's edge; Dispute-like so the build can key its land.
ANTARCTIC_ISLAND_CLAIMS: tuple[Dispute, ...] = (
    Dispute("XPI", "Peter I Island", ("NOR",), "NOR", (-90.85, -69.0, -90.4, -68.7), max_area_km2=200.0),
)


@dataclass(frozen=True)
class TreatyStatus:
    """A treaty regime the build attaches to the zones of ``sovereign`` inside ``box``."""

    key: str
    name: str
    sovereign: str
    box: tuple[float, float, float, float]
    status: str
    source: str


SVALBARD = TreatyStatus(
    "SVB", "Svalbard (Spitsbergen Treaty, Paris, 9 February 1920)", "NOR",
    (10.0, 74.0, 35.0, 81.0),
    "Norwegian sovereignty, exercised subject to the Treaty: nationals of the parties have equal rights to "
    "fish, hunt and mine on the territory and in its territorial waters; no naval bases. Norway's 200 nm zone "
    "round Svalbard is a Fisheries Protection Zone (1977), not an EEZ; Norway holds that the equal rights stop "
    "at 12 nm, several parties (e.g. Russia, the UK, Spain, Iceland, the EU states) contest this for the zone "
    "and the shelf (Norwegian Supreme Court, 2023: not beyond 12 nm). The build keeps NOR's zones and marks "
    "them with this status; the 200 nm zone's kind is 'fisheries protection zone'.",
    SVALBARD_SRC,
)  # fmt: skip


# --- treaties --------------------------------------------------------------------------------
WORLD_TREATIES: tuple[Treaty, ...] = (
    # Agreement of 11 July 2007 on the maritime delimitation in the Varangerfjord area, Article 2: six
    # points joined by geodetic lines, WGS84 stated. Read in the Russian text (base.garant.ru/2564914,
    # businesspravo.ru DocumID=130042) and the Norwegian text (regjeringen.no St.prp. nr. 3 (2007-2008));
    # the three agree to the hundredth of a second.
    Treaty("NOR-RUS-2007", "Norway-Russia maritime delimitation in the Varangerfjord area (2007)",
           ("NOR", "RUS"), "no_ru_2007_varangerfjord_boundary.csv", "EPSG:4326", 0.1),
    # Treaty of 15 September 2010 (in force 7 July 2011), Article 1: eight points joined by geodetic
    # lines, WGS 84 (G1150, epoch 2001.0). Points 2-8 read in the Russian text reproduced in
    # V. K. Zilanov, 'Barentsevomorskaya oshibka Prezidenta' (Murmansk 2012), p. 384
    # (kolanord.ru); point 3's minutes are OCR'd '1Г' there and read as 11. Point 1 is the end of the
    # 2007 line (the 2010 line starts there: iilss.net, IBRU): the same value as 2007's point 6. The
    # line ends where 7-8 meets the shelf limits (Article 1): point 8 is the last printed point.
    Treaty("NOR-RUS-2010", "Norway-Russia maritime delimitation in the Barents Sea and the Arctic Ocean (2010)",
           ("NOR", "RUS"), "no_ru_2010_barents_sea_boundary.csv", "EPSG:4326", 1.0),
)  # fmt: skip


UNSOURCED_TREATIES: tuple[RecordedFact, ...] = (
    unsourced_treaty("USA-USSR Bering Sea maritime boundary (1 June 1990; provisionally applied)", ("RUS", "USA"),
                    "only points 30-53 of the Russian text (and the arcs round 60 38 23 N 173 06 54 W and "
                    "62 16 09 N 179 05 34 E) were readable (user.bibliboba.online, 'Rossiya teryaet Arktiku?'); "
                    "points 1-29 and 54 onward were not, and the line has arcs and loxodromes"),
    unsourced_treaty("Eritrea-Yemen arbitral award, 17 December 1999 (29 points)", ("ERI", "YEM"),
                    "the award's Chapter V/VI coordinates were not in any excerpt reachable here"),
    unsourced_treaty("Australia-Timor-Leste 2018 (TA-1..TA-13)", ("AUS", "TLS"),
                    "the Annex's coordinates were not in any excerpt; DFAT describes TA-5..TA-10 as seabed and "
                    "water column, TA-1..TA-5 and TA-10..TA-13 as seabed only"),
    unsourced_treaty("Canada-Denmark/Greenland 2022 (Lincoln Sea, 1973 line modernised)", ("CAN", "DNK"),
                    "the agreement's annexed coordinates were not read"),
    unsourced_treaty("Norway-Iceland and Denmark (Greenland)-Norway, Jan Mayen (1980/1981, 1997)",
                    ("DNK", "ISL", "NOR"), "no text with turning points found here"),
    unsourced_treaty("ICJ Nicaragua v. Colombia, 2012", ("COL", "NIC"),
                    "points 1-6 of the judgment are readable (press release 2012/33) but the line continues "
                    "along parallels and 12 nm enclaves round Quitasueno and Serrana, not read here"),
)  # fmt: skip
