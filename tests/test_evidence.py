"""geo.evidence: a government's in/out statement used as evidence about where an impact fell.

Real statements (sources in examples/data/SOURCES.md, "Several reports and statements as evidence"):
Japan's "fell outside Japan's exclusive economic zone" for the launches of 5, 11 and 30 January
2022 (Kishi, Matsuno), and "inside Japan's EEZ", "200 km west of Oshima island" for 18 February 2023.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner

from geo import assess, geodesy, uncertainty
from geo._errors import ParseError
from geo.cli import main
from geo.evidence import UnknownCountryError, condition, parse_statement
from geo.reports import combine, site_report

# ---------------------------------------------------------------------- the wording


@pytest.mark.parametrize(
    ("text", "inside", "country", "kind"),
    [
        ("outside JPN eez", False, "JPN", "eez"),
        ("inside JPN eez", True, "JPN", "eez"),
        ("within KOR territorial waters", True, "KOR", "territorial_sea"),
        ("in jpn ts", True, "JPN", "territorial_sea"),
        ("beyond JPN's contiguous zone", False, "JPN", "contiguous_zone"),
        ("outside RUS cz", False, "RUS", "contiguous_zone"),
        ("Inside JPN exclusive economic zone", True, "JPN", "eez"),
    ],
)
def test_statements_are_read(text: str, inside: bool, country: str, kind: str) -> None:
    st = parse_statement(text)
    assert (st.inside, st.country, st.kind) == (inside, country, kind)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("outside JPN shelf", "unknown zone kind 'shelf'"),
        ("near JPN eez", "cannot read the statement"),
        ("Japan says outside", "cannot read the statement"),
        ("", "cannot read the statement"),
    ],
)
def test_bad_statements_name_the_fix(text: str, why: str) -> None:
    with pytest.raises(ParseError, match=why):
        parse_statement(text)


# ---------------------------------------------------------------------- synthetic zones


@pytest.fixture(scope="module")
def zi(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> assess.ZoneIndex:
    return assess.ZoneIndex(synthetic_zones)


def _jpn_claim(zones: dict[str, gpd.GeoDataFrame]) -> shapely.Geometry:
    """Independently: every polygon JPN owns or claims (EEZ rows and land), one union."""
    parts = []
    for frame in zones.values():
        mine = (frame["sovereign"] == "JPN") | frame["claimants"].str.contains("JPN")
        parts += list(frame.geometry[mine])
    return shapely.union_all(parts)


def test_unknown_country_is_refused_naming_the_known_ones(zi: assess.ZoneIndex) -> None:
    with pytest.raises(UnknownCountryError, match=r"'XYZ'.*JPN, KOR"):
        parse_statement("outside XYZ eez", zones=zi)


def test_outside_drops_exactly_the_samples_in_the_claimed_zone(
    zi: assess.ZoneIndex, synthetic_zones: dict[str, gpd.GeoDataFrame]
) -> None:
    """A report from island B (KOR) towards JPN: the share excluded is the share in JPN's claim."""
    s = uncertainty.from_site((134.0, 40.0), range_km="150-450", azimuth="45:135", n=20_000, seed=0)
    model = site_report((134.0, 40.0), range_km="150-450", azimuth="45:135")
    c = condition(s, ["outside JPN eez"], zones=zi, models=[model])
    claim = _jpn_claim(synthetic_zones)
    in_claim = shapely.contains_xy(claim, s.lon, s.lat) | shapely.intersects_xy(claim, s.lon, s.lat)
    assert c.excluded_share == pytest.approx(float(in_claim.mean()), abs=1e-12)
    assert 0.2 < c.excluded_share < 0.8
    assert c.samples is not None and not shapely.intersects_xy(claim, c.samples.lon, c.samples.lat).any()
    # the region left and the region excluded make up the prior region (geodesic areas)
    prior = geodesy.geodesic_area_m2(c.prior_region)
    excluded = geodesy.geodesic_area_m2(shapely.intersection(c.prior_region, claim))
    assert geodesy.geodesic_area_m2(c.region) + excluded == pytest.approx(prior, rel=1e-6)
    # kept samples fall in the azimuth intervals reported, and those hold all the posterior mass
    assert sum(a["mass"] for a in c.azimuths) == pytest.approx(1.0)
    assert c.posterior is not None and "JPN" not in c.posterior.probability


def test_inside_the_disc_centre_keeps_all_azimuths_and_short_ranges(zi: assess.ZoneIndex) -> None:
    """From island A (JPN) itself, 100-200 km all round: inside its EEZ everywhere (KOR's side begins west of 137 E)."""
    s = uncertainty.from_site((140.0, 40.0), range_km="100-200", n=10_000, seed=1)
    model = site_report((140.0, 40.0), range_km="100-200")
    inside = condition(s, ["inside JPN eez"], zones=zi, models=[model])
    assert inside.excluded_share == 0.0
    assert len(inside.azimuths) == 1 and inside.azimuths[0]["width_deg"] == pytest.approx(360.0, abs=0.2)
    outside = condition(s, ["outside JPN eez"], zones=zi, models=[model])
    assert outside.empty and outside.excluded_share == 1.0 and outside.posterior is None
    assert outside.azimuths == [] and outside.region.is_empty
    assert "exclude all" in outside.notes[-1]
    assert "NOTHING LEFT" in outside.summary()
    assert json.loads(json.dumps(outside.to_dict(), default=float))["empty"] is True


def test_both_claimants_statements_leave_the_disputed_square(zi: assess.ZoneIndex) -> None:
    """Statements that it is inside JPN's and inside KOR's EEZ both hold only where both claim: the disputed square."""
    s = uncertainty.from_site((137.0, 40.0), range_km="1-200", n=20_000, seed=2)
    c = condition(s, ["inside JPN eez", "inside KOR eez"], zones=zi)
    assert c.samples is not None
    square = shapely.box(136.8, 39.8, 137.2, 40.2)
    assert shapely.intersects_xy(square, c.samples.lon, c.samples.lat).all()
    assert 1.0 - c.excluded_share == pytest.approx(float(shapely.intersects_xy(square, s.lon, s.lat).mean()))


def test_contradictory_statements_are_a_stated_result(zi: assess.ZoneIndex) -> None:
    s = uncertainty.from_site((137.0, 41.0), range_km="10-200", n=5_000, seed=2)
    c = condition(s, ["inside JPN eez", "outside JPN eez"], zones=zi)
    assert c.empty and c.excluded_share == 1.0 and c.region.is_empty


# ---------------------------------------------------------------------- January 2022, real zones

JAN_2022 = [  # examples/data/january_2022.csv: the public range and a direction word
    ("2022-01-05", "Chonchon County", "500-700", "30:150"),
    ("2022-01-11", "Chonchon County", "700-1000", "45:135"),
    ("2022-01-30", "Mupyong-ni", "800", "45:135"),
]


@pytest.fixture(scope="module")
def japan() -> assess.ZoneIndex:
    return assess.zone_index("JPN")


@pytest.mark.parametrize(("date", "site", "range_km", "azimuth"), JAN_2022)
def test_january_2022_outside_statement(
    japan: assess.ZoneIndex, date: str, site: str, range_km: str, azimuth: str
) -> None:
    s = uncertainty.from_site(site, range_km=range_km, azimuth=azimuth, n=20_000, seed=0)
    c = condition(
        s, ["outside JPN eez"], zones=japan, models=[site_report(site, range_km=range_km, azimuth=azimuth)]
    )
    # the share excluded is the prior's mass in Japan's EEZ (as Japan claims it) and on its land
    owner = japan.owner(s.lon, s.lat)
    assert c.excluded_share == pytest.approx(float(np.isin(owner, ["JPN", "land:JPN"]).mean()), abs=1e-12)
    assert 0.29 <= c.excluded_share <= 0.62
    assert (
        c.samples is not None
        and not np.isin(japan.owner(c.samples.lon, c.samples.lat), ["JPN", "land:JPN"]).any()
    )
    assert sum(a["mass"] for a in c.azimuths) == pytest.approx(1.0)
    start = float(azimuth.split(":")[0])
    if date == "2022-01-05":  # every azimuth keeps some distance outside Japan's EEZ
        assert [(a["start_deg"], a["end_deg"]) for a in c.azimuths] == [(30.0, 150.0)]
    else:  # only the northern azimuths are left (towards Russia): one interval from the start
        (left,) = c.azimuths
        assert left["start_deg"] == start and 85.0 < left["end_deg"] < 95.0
        # and along its first azimuths the statement excludes nothing of the range
        assert left["all_distances_left"][0]["start_deg"] == start
        assert set(c.posterior.probability) <= {"RUS", "land:RUS", "land:CHN"}  # type: ignore[union-attr]


def test_feb_2023_combined_reports_agree_with_inside_statement(japan: assess.ZoneIndex) -> None:
    """Japan: "200 km west of Oshima island, inside Japan's EEZ"; the combined region lies inside."""
    c = combine(
        ["about 200 km west of Oshima-Oshima", "Sunan: about 900 km, azimuth 45:135"], n=20_000, seed=0
    )
    inside = condition(c, ["inside JPN eez"], zones=japan)
    assert inside.excluded_share < 0.01 and inside.kept_effective == pytest.approx(
        c.ess * (1 - inside.excluded_share)
    )
    # the azimuths left are measured from Sunan (the launch site), the combined samples' own
    # reference is Oshima-Oshima: the mass in the intervals is every kept sample's (was 0.000)
    assert "Sunan" in inside.origin[2] and inside.azimuths
    assert sum(a["mass"] for a in inside.azimuths) == pytest.approx(1.0)
    outside = condition(c, ["outside JPN eez"], zones=japan)
    assert outside.excluded_share > 0.99


def test_cli_given_json_has_every_number(japan: assess.ZoneIndex) -> None:
    args = ["assess", "--site", "Chonchon County", "--range-km", "700-1000", "--azimuth", "45:135",
            "--perspective", "JPN", "--given", "outside JPN eez", "--samples", "20000", "--json"]  # fmt: skip
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    c = d["conditioned"]
    s = uncertainty.from_site("Chonchon County", range_km="700-1000", azimuth="45:135", n=20_000, seed=0)
    assert c["excluded_share"] == pytest.approx(
        float(np.isin(japan.owner(s.lon, s.lat), ["JPN", "land:JPN"]).mean())
    )
    assert c["prior"]["probability"]["JPN"] > 0.5 and "JPN" not in d["probability"]
    for key in ("excluded_share_standard_error", "region", "region_area_km2", "prior_region_area_km2",
                "azimuths_left", "kept_effective_sample_size", "posterior"):  # fmt: skip
        assert c[key] is not None
    text = CliRunner().invoke(main, args[:-1])
    assert "azimuths 45.0 to" in text.output and "excluded" in text.output


def test_cli_point_contradicting_a_statement_exits_1() -> None:
    res = CliRunner().invoke(main, ["assess", "--lat", "41.5", "--lon", "137", "--given", "outside JPN eez"])
    assert res.exit_code == 1 and "CONTRADICTS the point" in res.output


def test_cli_unknown_country_or_kind_is_exit_2() -> None:
    base = ["assess", "--text", "about 250 km west of Okushiri Island", "--samples", "500"]
    res = CliRunner().invoke(main, [*base, "--given", "outside XYZ eez"])
    assert res.exit_code == 2 and "'XYZ'" in res.output
    res = CliRunner().invoke(main, [*base, "--given", "outside JPN shelf"])
    assert res.exit_code == 2 and "unknown zone kind" in res.output


def test_cli_strict_exits_1_on_a_flag() -> None:
    reports = ["--report", "Chonchon County: 0-700 km, azimuth 45:135",
               "--report", "Chonchon County: about 700 km, azimuth 45:135"]  # fmt: skip
    ok = CliRunner().invoke(main, ["assess", *reports, "--samples", "2000", "--strict"])
    assert ok.exit_code == 0, ok.output
    flagged = CliRunner().invoke(
        main, ["assess", *reports, "--samples", "2000", "--min-ess", "1e6", "--strict"]
    )
    assert flagged.exit_code == 1 and "FLAG" in flagged.output
