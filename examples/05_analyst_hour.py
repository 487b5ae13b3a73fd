"""The analyst's hour (issue 15): a warning, several reports, a statement as evidence, Japanese and Korean, one brief.

Every case is real and sourced (examples/data/SOURCES.md, tests/data/warnings/):

1. a navigational warning: Putian MSA's live-firing area of 26-27 August 2022, assessed;
2. several reports of one flight: Japan's "about 200 km west of Oshima-Oshima" and the
   "900 km from Sunan" of Japan and the JCS (18 February 2023) combined; the three accounts
   of 11 January 2022 (Japan, JCS, KCNA), which cannot all be true;
3. Japan's "outside the EEZ" for 5, 11 and 30 January 2022 as evidence: the share of the
   prior it excludes, and the azimuths left;
4. a Japanese (Mainichi, 18 Feb 2023) and a Korean (JCS via Hankook Ilbo, 27 Jan 2022) statement;
5. the brief of 18 February 2023 (``geo brief``): brief.md, brief.json, map, figure, GeoPackage, KMZ.

Each part also shows bad input and what the library makes of it: an unreadable coordinate,
a report with no number, two contradictory reports, a condition that excludes everything,
a statement that cannot be placed. Writes ``analyst_hour.md`` and ``brief_2023-02-18/``.

    python examples/05_analyst_hour.py [--out examples/output] [--samples 4000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WARNINGS = HERE.parent / "tests" / "data" / "warnings"

# 18 Feb 2023 (SOURCES.md, "Several reports and statements as evidence"; tests/test_statements_cjk.py)
MAINICHI_2023_02_18 = (
    "ミサイルは約66分間飛行し、同午後6時27分ごろ北海道・渡島大島の西約200キロの日本の排他的経済水域（EEZ）内の"
    "日本海に落下したとみられる。最高高度約5700キロで約900キロ飛行したと推定され"
)
MAINICHI_URL = "https://home.kingsoft.jp/amp/news/news/mainichi/20230218k0000m030149000c"
SUNAN_900 = "Sunan: about 900 km, azimuth 45:135"  # Japan and the JCS: 900 km, fired eastward
SUNAN_URL = "https://www.japantimes.co.jp/news/2023/02/19/asia-pacific/north-korea-icbm-suprise-launch/"
OSHIMA_MOD = "about 200 km west of Oshima-Oshima"  # Japan MoD, 18 Feb 2023
# 11 Jan 2022: Japan (Kishi, < about 700 km, 東方向), the JCS (about 700 km), KCNA (1,000 km)
JAN11 = (
    "Chonchon County: 0-700 km, azimuth 45:135",
    "Chonchon County: about 700 km, azimuth 45:135",
    "Chonchon County: 1000 km, azimuth 45:135",
)
# January 2022 (examples/data/january_2022.csv): the public range and a direction word
JANUARY = (
    ("2022-01-05", "Chonchon County", "500-700", "30:150"),
    ("2022-01-11", "Chonchon County", "700-1000", "45:135"),
    ("2022-01-30", "Mupyong-ni", "800", "45:135"),
)
# 27 Jan 2022, JCS via Hankook Ilbo (tests/test_statements_cjk.py)
HANKOOK_2022_01_27 = (
    '합동참모본부는 "북한이 오전 8시쯤 함흥 일대에서 단거리 탄도미사일로 추정되는 두 발의 발사체를 동해상으로 '
    '발사했다"고 밝혔다. … 발사체 비행거리는 약 190㎞, 고도는 20㎞로 탐지됐다.'
)


def _refused(call: Any) -> str:
    """What the library says to bad input: the error's class and message (never a silent answer)."""
    from geo._errors import GeoError

    try:
        call()
    except GeoError as exc:
        return f"refused ({type(exc).__name__}): {exc}"
    return "accepted"


def warning_part() -> dict[str, Any]:
    """1. Putian MSA's live-firing area, assessed; the DPRK's 2012 notice refused (no hemisphere letters)."""
    from geo.assess.warnings import assess_warning
    from geo.warnings import parse_warning

    msg = parse_warning((WARNINGS / "msa_putian_2022_08_24_firing.txt").read_text(encoding="utf-8"))
    table = assess_warning(msg, perspective="CHN")
    row = table.iloc[0]
    bad = (WARNINGS / "dprk_2012_unha3_first_stage.txt").read_text(encoding="utf-8")
    return {
        "areas": len(table),
        "area_km2": float(row["area_km2"]),
        "eez_share": dict(row["eez_share"]),
        "territorial_sea_share": dict(row["territorial_sea_share"]),
        "coasts_km": dict(row["coasts_km"]),
        "unread_lines": len(msg.unread),
        "bad": _refused(lambda: parse_warning(bad)),
    }


def reports_part(n: int) -> dict[str, Any]:
    """2. Two reports of 18 Feb 2023 combined; 11 Jan 2022's three accounts; a report with no number."""
    from geo.reports import combine, parse_report

    feb = combine([OSHIMA_MOD, SUNAN_900], n=n, seed=0)
    jan = combine(list(JAN11), n=n, seed=0)
    return {
        "feb_overlap": feb.overlap,
        "feb_ess": feb.ess,
        "feb_flags": feb.flags,
        "jan11_empty": jan.empty,
        "jan11_flags": jan.flags,
        "bad": _refused(lambda: parse_report("fell west of Okushiri Island")),
    }


def evidence_part(n: int) -> dict[str, Any]:
    """3. Japan's "outside its EEZ" for January 2022; a condition that excludes everything."""
    from geo import assess, evidence, reports, uncertainty

    japan = assess.zone_index("JPN")
    rows = []
    for date, site, range_km, azimuth in JANUARY:
        s = uncertainty.from_site(site, range_km=range_km, azimuth=azimuth, n=n, seed=0)
        model = reports.site_report(site, range_km=range_km, azimuth=azimuth)
        c = evidence.condition(s, ["outside JPN eez"], zones=japan, models=[model])
        probs = c.posterior.probability if c.posterior is not None else {}
        rows.append({"date": date, "report": f"{site}, {range_km} km, {azimuth}",
                     "excluded": c.excluded_share, "se": c.excluded_share_se_or_zero,
                     "azimuths": [(a["start_deg"], a["end_deg"]) for a in c.azimuths],
                     "left": sorted(probs, key=lambda k: -probs[k])})  # fmt: skip
    feb = reports.combine([OSHIMA_MOD, SUNAN_900], n=n, seed=0)
    both = evidence.condition(feb, ["inside JPN eez", "inside KOR eez"], zones=japan)
    return {"january": rows, "contradiction_empty": both.empty, "contradiction_excluded": both.excluded_share}


def cjk_part() -> dict[str, Any]:
    """4. A Japanese and a Korean statement read into reports; a Korean sentence without a distance."""
    from geo import relative_cjk

    ja = relative_cjk.parse_statement(MAINICHI_2023_02_18)
    ko = relative_cjk.parse_statement(HANKOOK_2022_01_27)
    assert ja.location is not None and ko.location is not None
    return {
        "ja_place": ja.location.place.name, "ja_distance_km": ja.location.distance_km,
        "ja_condition": ja.condition,
        "ja_flight_km": ja.flight_distance_km.text if ja.flight_distance_km else None,
        "ko_place": ko.location.place.name, "ko_distance_km": ko.location.distance_km,
        "ko_launch": ko.launch_place.name if ko.launch_place else None,
        "bad": _refused(lambda: relative_cjk.locate_statement("북한이 동해상으로 탄도미사일을 발사했다")),
    }  # fmt: skip


def brief_part(out: Path, n: int) -> dict[str, Any]:
    """5. The brief of 18 Feb 2023: Japan's wording (in Japanese) and the 900 km from Sunan, given "inside"."""
    from geo import relative_cjk
    from geo.brief import make_brief, write_brief

    given = relative_cjk.parse_statement(MAINICHI_2023_02_18).condition  # "inside JPN eez"
    assert given is not None
    b = make_brief([MAINICHI_2023_02_18, SUNAN_900], given=[given], sources=[MAINICHI_URL, SUNAN_URL],
                   perspective="JPN", n=n, seed=0, title="ICBM, 18 February 2023")  # fmt: skip
    folder = write_brief(b, out / "brief_2023-02-18", force=True)
    return {"folder": folder, "verdict": b.verdict(), "empty": b.empty,
            "files": sorted(p.name for p in folder.iterdir())}  # fmt: skip


def _report(
    w: dict[str, Any], r: dict[str, Any], e: dict[str, Any], c: dict[str, Any], b: dict[str, Any]
) -> str:
    def pct(d: dict[str, float]) -> str:
        return ", ".join(f"{k} {v:.1%}" for k, v in d.items())

    lines = [
        "# The analyst's hour\n",
        "## 1. A navigational warning (Putian MSA, live firing 26-27 Aug 2022)\n",
        f"- {w['areas']} area, {w['area_km2']:,.0f} km2; EEZ {pct(w['eez_share'])}; territorial sea "
        f"{pct(w['territorial_sea_share'])}; coasts (km) {w['coasts_km']}; {w['unread_lines']} lines of prose not read as areas",
        f"- bad input (DPRK 2012 Unha-3 notice, no hemisphere letters): {w['bad']}\n",
        "## 2. Several reports, one estimate\n",
        f"- 18 Feb 2023, '{OSHIMA_MOD}' + '{SUNAN_900}': overlap {r['feb_overlap'][0][1]:.3f} / "
        f"{r['feb_overlap'][1][0]:.3f}, effective sample size {r['feb_ess']:.0f}, flags {r['feb_flags'] or 'none'}",
        f"- 11 Jan 2022, Japan + JCS + KCNA: empty {r['jan11_empty']}; " + "; ".join(r["jan11_flags"]),
        f"- bad input (a report with no number): {r['bad']}\n",
        "## 3. Japan's \"outside the EEZ\" as evidence (January 2022)\n",
        "| launch | report | share excluded | azimuths left | outcomes left |",
        "|---|---|---|---|---|",
        *(f"| {x['date']} | {x['report']} | {x['excluded']:.3f} ± {x['se']:.3f} | "
          + ", ".join(f"{a:.1f}-{b_:.1f}" for a, b_ in x["azimuths"]) + f" | {', '.join(x['left'])} |"
          for x in e["january"]),
        "",
        f"- a condition that excludes everything (18 Feb 2023 given 'inside JPN eez' and 'inside KOR eez'): "
        f"empty {e['contradiction_empty']}, excluded {e['contradiction_excluded']:.3f}\n",
        "## 4. Japanese and Korean statements\n",
        f"- Mainichi, 18 Feb 2023: {c['ja_place']}, {c['ja_distance_km'][0]:.0f}-{c['ja_distance_km'][1]:.0f} km; "
        f"condition '{c['ja_condition']}'; flight distance as written: {c['ja_flight_km']}",
        f"- JCS via Hankook Ilbo, 27 Jan 2022: launched from {c['ko_launch']}, {c['ko_place']} "
        f"{c['ko_distance_km'][0]:.0f}-{c['ko_distance_km'][1]:.0f} km",
        f"- bad input (no distance): {c['bad']}\n",
        "## 5. The brief (18 Feb 2023)\n",
        f"- {b['verdict']}",
        f"- {b['folder'].name}/: {', '.join(b['files'])}",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "output")
    parser.add_argument("--samples", type=int, default=4000)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    parts = (warning_part(), reports_part(args.samples), evidence_part(args.samples), cjk_part(),
             brief_part(args.out, args.samples))  # fmt: skip
    text = _report(*parts)
    (args.out / "analyst_hour.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
