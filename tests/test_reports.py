"""geo.reports: several reports of one event combined (product of likelihoods, importance resampling).

The real wording (sources in examples/data/SOURCES.md, "Several reports and statements as evidence"):

* 18 Feb 2023 (Hwasong-15, lofted): Japan MoD "some 200 kilometres off Hokkaido's Oshima
  Island" / "200 km west of Oshima island"; Japan and ROK JCS "flew 900 km" from the Sunan area;
* 11 Jan 2022: Japan MoD (Kishi) "通常の弾道軌道であれば約700キロ未満飛翔" (less than about
  700 km, fired 東方向, eastward); ROK JCS "about 700 kilometers"; KCNA/Rodong "hitting the
  target in waters 1,000 kilometers" away.
"""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from geo import geodesy
from geo.cli import main
from geo.reports import (
    KERNEL_RANGE_FRACTION,
    ReportError,
    combine,
    parse_report,
    relative_report,
    site_report,
)

OSHIMA_MOD = "about 200 km west of Oshima-Oshima"  # Japan MoD, 18 Feb 2023
SUNAN_900 = "Sunan: about 900 km, azimuth 45:135"  # Japan and JCS: 900 km, fired eastward
JAN11_MOD = "Chonchon County: 0-700 km, azimuth 45:135"  # Kishi: 約700キロ未満, 東方向
JAN11_JCS = "Chonchon County: about 700 km, azimuth 45:135"  # JCS: about 700 km
JAN11_KCNA = "Chonchon County: 1000 km, azimuth 45:135"  # KCNA/Rodong: 1,000 km


def _polar(lon0: float, lat0: float, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    az, _, d = geodesy.GEOD.inv(np.full(lon.size, lon0), np.full(lon.size, lat0), lon, lat)
    return np.asarray(d) / 1e3, np.asarray(az) % 360.0


# ---------------------------------------------------------------------- reading reports


def test_site_form_reads_range_azimuth_and_about() -> None:
    m = parse_report(SUNAN_900)
    assert (m.kind, m.origin_name, m.range_kind) == (
        "site",
        "Pyongyang Sunan International Airport",
        "uniform",
    )
    assert (m.range_a, m.range_b) == pytest.approx((810.0, 990.0))
    assert m.azimuth_bounds_deg == (45.0, 90.0)
    exact = parse_report(JAN11_KCNA)
    assert exact.range_kind == "exact" and exact.range_b == pytest.approx(KERNEL_RANGE_FRACTION * 1000.0)
    assert site_report("Hamhung", range_km="190").azimuth_bounds_deg == (0.0, 360.0)  # unknown azimuth


def test_relative_statement_is_read_as_geo_relative_reads_it() -> None:
    m = parse_report(OSHIMA_MOD)
    assert (m.kind, m.origin_name) == ("relative", "Oshima-Oshima")
    assert m.range_bounds_km == pytest.approx((180.0, 220.0))
    assert m.azimuth_bounds_deg == pytest.approx((258.75, 22.5))
    assert relative_report("Oshima-Oshima", "200", "west").range_bounds_km == m.range_bounds_km


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("fell in the sea east of Hamhung", "cannot read"),  # no number
        ("Sunan: far, azimuth 90", "cannot read"),
        ("Sunan: 900 km, azimuth 400", "azimuth"),
        ("Atlantis: 900 km", "Atlantis"),
    ],
)
def test_bad_report_names_its_number_and_text(text: str, why: str) -> None:
    with pytest.raises(ReportError) as err:
        combine([OSHIMA_MOD, text], n=100, seed=0)
    assert str(err.value).startswith(f"report 2 {text!r}:") and why in str(err.value)


def test_no_report_and_bad_n_are_refused() -> None:
    with pytest.raises(ReportError, match="at least one report"):
        combine([], n=100)
    with pytest.raises(ReportError, match="positive whole number"):
        combine([OSHIMA_MOD], n=0)


# ---------------------------------------------------------------------- the likelihood


@pytest.mark.parametrize("text", [SUNAN_900, OSHIMA_MOD, "Hamhung: 300-400 km"])
def test_density_integrates_to_one_over_the_geodesic_region(text: str) -> None:
    """E_p[1/p] is the area of p's support: checks the Jacobian against the geodesic area of the sector."""
    m = parse_report(text)
    s = m.sample(40_000, np.random.default_rng(1))
    support_km2 = float(np.mean(1.0 / m.density(s.lon, s.lat)))
    area_km2 = geodesy.geodesic_area_m2(m.region()) / 1e6
    assert support_km2 == pytest.approx(area_km2, rel=0.01)


def test_samples_lie_in_their_own_region() -> None:
    m = parse_report(SUNAN_900)
    s = m.sample(5_000, np.random.default_rng(2))
    assert m.contains(s.lon, s.lat).all()
    r, az = _polar(m.origin_lon, m.origin_lat, s.lon, s.lat)
    assert r.min() >= 810.0 - 1e-6 and r.max() <= 990.0 + 1e-6 and ((az - 45.0) % 360.0 <= 90.0 + 1e-6).all()


# ---------------------------------------------------------------------- combining


def test_same_site_reports_combine_to_the_intersection() -> None:
    """Uniform 500-800 and 700-1000 km on 30:150 and 45:135: the joint is uniform on 700-800, 45:135."""
    c = combine(["Chonchon County: 500-800 km, azimuth 30:150", "Chonchon County: 700-1000 km, azimuth 45:135"],
                n=20_000, seed=3)  # fmt: skip
    assert c.consistent and c.samples is not None
    r, az = _polar(126.4630, 40.6155, c.samples.lon, c.samples.lat)
    assert r.min() >= 700.0 - 1e-6 and r.max() <= 800.0 + 1e-6
    assert ((az - 45.0) % 360.0 <= 90.0 + 1e-6).all()
    assert r.mean() == pytest.approx(750.0, abs=3.0) and az.mean() == pytest.approx(90.0, abs=1.5)
    assert c.joint_mass_inside == pytest.approx([1.0, 1.0])
    # report 1's share in report 2: (100/300 km) x (90/120 deg); report 2's in report 1: 100/300 km
    assert c.overlap[0][1] == pytest.approx(0.25, abs=0.01) and c.overlap[1][0] == pytest.approx(
        1 / 3, abs=0.01
    )


def test_feb_2023_mod_and_range_agree_in_a_small_joint_region() -> None:
    """Japan's "200 km west of Oshima" and the 900 km range from Sunan: a narrow common region."""
    c = combine([OSHIMA_MOD, SUNAN_900], n=20_000, seed=0)
    assert c.consistent and c.samples is not None and c.ess > 1_000
    d_osh, _ = _polar(139.3672, 41.5100, c.samples.lon, c.samples.lat)
    d_sun, _ = _polar(125.6700, 39.2239, c.samples.lon, c.samples.lat)
    assert d_osh.min() >= 180.0 - 1e-6 and d_osh.max() <= 220.0 + 1e-6
    assert d_sun.max() <= 990.0 + 1e-6 and d_sun.min() >= 810.0 - 1e-6
    # the overlap, recomputed from report 1's own samples with pyproj alone
    s1 = parse_report(OSHIMA_MOD).sample(20_000, np.random.default_rng(0))
    r, az = _polar(125.6700, 39.2239, s1.lon, s1.lat)
    in_2 = (r >= 810.0) & (r <= 990.0) & ((az - 45.0) % 360.0 <= 90.0)
    assert c.overlap[0][1] == pytest.approx(float(in_2.mean()), abs=0.015)
    assert 0.0 < c.overlap[1][0] < 0.05  # most of the 900 km arc is elsewhere


def test_jan_11_2022_kcna_range_cannot_be_true_with_japan_and_jcs() -> None:
    ok = combine([JAN11_MOD, JAN11_JCS], n=20_000, seed=0)
    assert ok.consistent and ok.samples is not None
    r, _ = _polar(126.4630, 40.6155, ok.samples.lon, ok.samples.lat)
    assert r.min() >= 630.0 - 1e-6 and r.max() <= 700.0 + 1e-6
    bad = combine([JAN11_MOD, JAN11_JCS, JAN11_KCNA], n=20_000, seed=0)
    assert bad.empty and not bad.consistent
    assert any("reports [1] and [3] cannot both be true" in f for f in bad.flags)
    assert any("reports [2] and [3] cannot both be true" in f for f in bad.flags)
    assert bad.overlap[0][2] == bad.overlap[2][0] == 0.0


def test_thin_overlap_is_flagged_not_silent() -> None:
    c = combine(["Chonchon County: 500-700 km, azimuth 45:135", "Chonchon County: 695-1000 km, azimuth 45:135"],
                n=20_000, seed=0)  # fmt: skip
    assert not c.empty and c.ess < 1_000
    forced = combine([JAN11_MOD, JAN11_JCS], n=2_000, seed=0, min_ess=5_000)
    assert not forced.consistent and any("effective sample size" in f for f in forced.flags)


def test_one_report_is_its_own_samples_and_seeds_repeat() -> None:
    one = combine([SUNAN_900], n=1_000, seed=5)
    assert one.ess == pytest.approx(1_000.0) and one.consistent
    again = combine([OSHIMA_MOD, SUNAN_900], n=2_000, seed=7)
    assert again.samples is not None
    assert np.array_equal(again.samples.lon, combine([OSHIMA_MOD, SUNAN_900], n=2_000, seed=7).samples.lon)  # type: ignore[union-attr]


# ---------------------------------------------------------------------- the command


def test_cli_contradictory_reports_exit_1_with_the_flags_in_json() -> None:
    import json

    res = CliRunner().invoke(
        main, ["assess", "--report", JAN11_MOD, "--report", JAN11_KCNA, "--samples", "2000", "--json"]
    )
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["empty"] is True and data["combined"]["consistent"] is False
    assert "cannot both be true" in data["combined"]["flags"][0]


def test_cli_report_with_no_number_is_a_clear_error() -> None:
    res = CliRunner().invoke(main, ["assess", "--report", OSHIMA_MOD, "--report", "fell east of Hamhung"])
    assert res.exit_code == 2 and "report 2 'fell east of Hamhung'" in res.output


def test_cli_report_and_a_classic_report_together_are_refused() -> None:
    res = CliRunner().invoke(main, ["assess", "--report", OSHIMA_MOD, "--text", OSHIMA_MOD])
    assert res.exit_code == 2 and "either all as --report" in res.output


def test_cli_rows_of_one_event_in_a_catalogue(tmp_path: object) -> None:
    """Three accounts of 11 Jan 2022 as catalogue rows: KCNA's range is flagged against both others."""
    import json
    from pathlib import Path

    path = Path(str(tmp_path)) / "accounts.csv"
    path.write_text(
        "name,date,site,range_km,azimuth_deg\n"
        "Japan MoD,2022-01-11,Chonchon County,0-700,45:135\n"
        "ROK JCS,2022-01-11,Chonchon County,630-770,45:135\n"
        "KCNA,2022-01-11,Chonchon County,1000,45:135\n"
        "other launch,2022-01-05,Chonchon County,500-700,30:150\n",
        encoding="utf-8",
    )
    base = ["assess", "--events", str(path), "--samples", "2000", "--json"]
    res = CliRunner().invoke(main, [*base, "--event", "2022-01-11"])
    assert res.exit_code == 1, res.output
    combined = json.loads(res.stdout)["combined"]
    assert [r["text"].split(":")[0] for r in combined["reports"]] == ["row 2", "row 3", "row 4"]
    assert combined["reports"][0]["azimuth"]["region_deg"] == [45.0, 135.0]
    assert sum("cannot both be true" in f for f in combined["flags"]) == 2
    missing = CliRunner().invoke(main, [*base, "--event", "2022-01-12"])
    assert missing.exit_code == 2 and "dates there: 2022-01-05, 2022-01-11" in missing.output
    alone = CliRunner().invoke(main, ["assess", "--events", str(path)])
    assert alone.exit_code == 2 and "--event" in alone.output
