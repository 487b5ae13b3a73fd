"""The gazetteer: every required place resolves, lookups fold spelling, errors help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo import places
from geo._errors import AmbiguousPlaceError, GeoError, PlaceNotFoundError

# The names issue 2 requires, as analysts write them.
REQUIRED = [
    # North Korea's launch areas, 2016-2024
    "Hamhung",
    "Sunan",
    "Pyongyang airport",
    "Sohae",
    "Tongchang-ri",
    "Sinpo",
    "Wonsan",
    "Kalma",
    "Kusong",
    "Panghyon",
    "Pyongsong",
    "Mupyong-ni",
    "Sondok",
    "Tonghae",
    "Musudan-ri",
    "Yangdok",
    "Hwangju",
    "Kaechon",
    "Chongju",
    "Pukchang",
    "Sukchon",  # CNS facility coordinate (issue 11)
    "Hamju",  # Encyclopedia of Korean Culture extent (issue 11)
    # Japan's references
    "Okushiri Island",
    "Oshima-Oshima",
    "Oshima Peninsula",
    "Cape Tappi",
    "Oga Peninsula",
    "Noto Peninsula",
    "Hegurajima",
    "Oki Islands",
    "Dogo",
    "Sado Island",
    "Kyuroku-jima",
    "Shakotan Peninsula",
    "Cape Erimo",
    "Kamaishi",
    "Yonaguni",
    "Hateruma",
    "Miyako",
    # Korean, Russian, Chinese references
    "Ulleungdo",
    "Dokdo",
    "Takeshima",
    "Vladivostok",
]

BOXES = {  # rough national extents (lon0, lat0, lon1, lat1) to catch swapped or mistyped values
    "PRK": (124.0, 37.5, 131.0, 43.1),
    "KOR": (124.5, 33.0, 132.0, 38.7),
    "JPN": (122.0, 20.0, 154.5, 45.6),
    "RUS": (19.0, 41.0, 180.0, 82.0),  # Kaliningrad to the Bering Strait (Chukotka east of 180 has no entry)
    "CHN": (73.0, 18.0, 135.0, 54.0),
}


@pytest.mark.parametrize("name", REQUIRED)
def test_required_place_resolves(name: str) -> None:
    p = places.lookup(name)
    assert p.source.strip()
    assert p.precision_km > 0


def test_every_entry_is_complete_and_inside_its_country() -> None:
    gaz = places.default_gazetteer()
    assert len(gaz) >= 60
    for p in gaz:
        assert p.kind in places.KINDS
        assert re.fullmatch(r"[A-Z]{3}", p.country)
        assert re.search(r"https?://|[A-Z][a-z]+", p.source), p
        if p.country in BOXES:
            lon0, lat0, lon1, lat1 = BOXES[p.country]
            assert lon0 <= p.lon <= lon1 and lat0 <= p.lat <= lat1, p


def test_every_name_and_alias_finds_its_own_entry() -> None:
    gaz = places.default_gazetteer()
    for p in gaz:
        for label in (p.name, *p.aliases):
            assert gaz.lookup(label) == p, label


def test_takeshima_and_dokdo_are_one_place() -> None:
    assert places.lookup("Takeshima") == places.lookup("Dokdo") == places.lookup("독도")


@pytest.mark.parametrize(
    ("variant", "name"),
    [
        ("HAMHUNG", "Hamhung"),
        ("Hamhŭng", "Hamhung"),
        ("  okushiri  island ", "Okushiri Island"),
        ("Oshima Oshima", "Oshima-Oshima"),
        ("tongchang ri", "Tongchang-ri"),
        ("奥尻島", "Okushiri Island"),
    ],
)
def test_lookup_folds_case_diacritics_punctuation_and_knows_aliases(variant: str, name: str) -> None:
    assert places.lookup(variant) == places.lookup(name)


def test_unknown_place_lists_closest_candidates() -> None:
    with pytest.raises(PlaceNotFoundError, match=r"unknown place 'Okushri'.*closest: .*Okushiri"):
        places.lookup("Okushri")
    gaz = places.default_gazetteer()
    assert gaz.find("Okushri") is None and gaz.find("okushiri island") == places.lookup("Okushiri Island")


def test_ambiguous_name_lists_the_candidates() -> None:
    gaz = places.Gazetteer(
        [
            places.Place("Oshima (Izu)", ("Izu Oshima",), "island", "JPN", 139.4, 34.7, 5.0, "test"),
            places.Place("Oshima (Kagoshima)", ("Amami Oshima",), "island", "JPN", 129.5, 28.3, 20.0, "test"),
        ]
    )
    with pytest.raises(AmbiguousPlaceError, match=r"'oshima' is ambiguous.*Izu.*Kagoshima"):
        gaz.lookup("oshima")
    with pytest.raises(AmbiguousPlaceError, match="ambiguous"):
        gaz.find("oshima")
    assert isinstance(AmbiguousPlaceError("x"), ValueError)


def test_list_filters_by_kind_and_refuses_unknown_kind() -> None:
    sites = places.list_places(kind="launch_site")
    assert sites and all(p.kind == "launch_site" for p in sites)
    with pytest.raises(GeoError, match="unknown kind 'volcano'"):
        places.list_places(kind="volcano")


def test_bad_gazetteer_file_names_row_and_column(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "name,aliases,kind,country,lon,lat,precision_km,source\n"
        "Good,,city,JPN,140,40,1,test\n"
        "Bad,,city,JPN,140,95,1,test\n",
        encoding="utf-8",
    )
    with pytest.raises(GeoError, match=r"row 3 \(Bad\).*lat=95"):
        places.Gazetteer.from_csv(f)
    f.write_text("name,lon,lat\nX,1,2\n", encoding="utf-8")
    with pytest.raises(GeoError, match="missing column"):
        places.Gazetteer.from_csv(f)


def test_geodataframe_has_points_in_wgs84() -> None:
    gdf = places.default_gazetteer().to_geodataframe()
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(places.default_gazetteer())


REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
CNS_CSV = REFERENCE / "cns_missile_tests" / "north_korea_missile_test_database.csv"


def test_sukchon_is_the_cns_facility_point_with_its_citation() -> None:
    p = places.lookup("Sukchon")
    assert (p.lon, p.lat, p.kind, p.precision_km) == (125.63, 39.42, "county", 10.0)
    assert "CNS North Korea Missile Test Database" in p.source and "19 Apr 2023" in p.source
    assert places.lookup("숙천군") == p and places.lookup("Sukchŏn") == p
    if CNS_CSV.exists():  # the facility coordinate only; the test records stay validation-only
        import csv

        with CNS_CSV.open(encoding="cp1252", newline="") as fh:
            points = {
                (float(r["Facility Longitude"]), float(r["Facility Latitude"]))
                for r in csv.DictReader(fh)
                if r["Facility Name"].strip() == "Sukchon"
            }
        assert points == {(p.lon, p.lat)}


def test_hamju_stands_for_the_1945_county_extent() -> None:
    from pyproj import Geod

    p = places.lookup("Hamju")
    assert p.kind == "county" and "Encyclopedia of Korean Culture" in p.source
    lon0, lon1 = 127 + 9 / 60, 127 + 48 / 60  # 127°09'-127°48'E
    lat0, lat1 = 39 + 46 / 60, 40 + 16 / 60  # 39°46'-40°16'N
    assert p.lon == pytest.approx((lon0 + lon1) / 2, abs=1e-4)
    assert p.lat == pytest.approx((lat0 + lat1) / 2, abs=1e-4)
    geod = Geod(ellps="WGS84")
    corners = [(lon0, lat0), (lon0, lat1), (lon1, lat0), (lon1, lat1)]
    far_km = max(geod.inv(p.lon, p.lat, x, y)[2] for x, y in corners) / 1e3
    assert 39.0 < far_km <= p.precision_km  # the whole 1945 county lies within precision_km
    seat = places.lookup("Hamhung")  # the county seat moved into Hamhung's Sinsang-ri area in 1954
    assert geod.inv(p.lon, p.lat, seat.lon, seat.lat)[2] / 1e3 + seat.precision_km < p.precision_km
