"""World test cases (issue 13): public reports outside the NW Pacific, assessed.

Each case is a public account, transcribed with its source in ``examples/data/SOURCES.md``
(section *world_cases.py*). It is read with the library's own readers. A relative
statement ("25 nm west of Mokha") goes through :func:`geo.uncertainty.from_relative`:
+/-10 % in distance and +/- half a compass sector. A vague region goes through
:func:`geo.uncertainty.from_site`, and an exact point through
:func:`geo.assess.assess_point`. The table gives the central point's EEZ and the
probability of each outcome. A vague report shows its vagueness as probability spread
over several outcomes: the ICBM test of 25 September 2024 is the clearest case, and
French Polynesia's share depends on which public account is read.

The zones are the bundle's: the NW Pacific layers inside their box, the world layers
(``data/boundaries/world/``) elsewhere. Without the world layers every case outside the
NW Pacific reads ``outside_coverage``, and the script says so. The Eritrea–Yemen
award's line (1999) is not in the build: in the Red Sea the median line between the
coasts, every island given full effect, stands.

    python examples/world_cases.py [--out examples/output] [--samples 20000]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from geo.uncertainty import ImpactSamples

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    """One public report: how to read it, and the source key in SOURCES.md."""

    group: str
    date: str
    report: str
    source: str
    text: str | None = None  # a relative statement for from_relative
    site: str | None = None  # a reference place for from_site (range_km, unknown azimuth)
    range_km: str | None = None
    azimuth: str | None = None  # for site and bilateration: an interval such as "235:270", or unknown
    point: tuple[float, float] | None = None  # (lon, lat), exact
    bilateration: tuple[str, float, str, float] | None = None  # place A, km, place B, km (+/-10 % each)


CASES = (
    # China's ICBM test into the South Pacific
    Case("ICBM 2024", "2024-09-25", "not far from the Marquesas, read as within 300 km of Nuku Hiva",
         "icbm-brotherson", site="Nuku Hiva", range_km="0-300"),
    Case("ICBM 2024", "2024-09-25", "not far from the Marquesas, read as within 700 km of Nuku Hiva",
         "icbm-brotherson", site="Nuku Hiva", range_km="0-700"),
    # the two circles cross twice: at 252.5 deg from Nuku Hiva (north of the Tuamotus) and at 217.5 deg
    Case("ICBM 2024", "2024-09-25", "700 km from Nuku Hiva and 875 km from Bora Bora, northern solution",
         "icbm-airetcosmos", bilateration=("Nuku Hiva", 700.0, "Bora Bora", 875.0), azimuth="235:290"),
    Case("ICBM 2024", "2024-09-25", "700 km from Nuku Hiva and 875 km from Bora Bora, southern solution",
         "icbm-airetcosmos", bilateration=("Nuku Hiva", 700.0, "Bora Bora", 875.0), azimuth="180:235"),
    Case("ICBM 2024", "-", "issue 13's acceptance point, 9.0 S 139.5 W", "issue13", point=(-139.5, -9.0)),
    # Houthi attacks: UKMTO positions as reported
    Case("Red Sea", "2024-11-17", "25 nm west of Mokha", "ukmto-2024-11-17", text="25 nm west of Mokha"),
    Case("Red Sea", "2024-03-23", "23 nm west of Mukha", "ukmto-2024-03-23", text="23 nm west of Mukha"),
    Case("Red Sea", "2024-05-28", "33 nm northwest of Mocha", "ukmto-2024-05-28", text="33 nm northwest of Mocha"),
    Case("Red Sea", "2024-02-16", "72 nm northwest of Mokha", "ukmto-2024-02-16", text="72 nm northwest of Mokha"),
    Case("Red Sea", "2024-06-23", "65 nm west of Al Hudaydah", "ukmto-2024-06-23", text="65 nm west of Al Hudaydah"),
    Case("Red Sea", "2024-06-01", "48 nm southwest of Al Hudaydah", "ukmto-2024-06-01",
         text="48 nm southwest of Al Hudaydah"),
    Case("Red Sea", "2024-05-18", "76 nm northwest of Al Hudaydah", "ukmto-2024-05-18",
         text="76 nm northwest of Al Hudaydah"),
    Case("Gulf of Aden", "2024-11-18", "60 nm south-east of Aden", "ukmto-2024-11-17",
         text="60 nm southeast of Aden"),
    Case("Gulf of Aden", "2024-01-15", "95 nm southeast of Aden", "ukmto-2024-01-15", text="95 nm southeast of Aden"),
    # across 180 and the poles
    Case("Across 180", "-", "51.8 N 179.9 W (Aleutians)", "points", point=(-179.9, 51.8)),
    Case("Across 180", "-", "51.8 N 179.9 E (Aleutians)", "points", point=(179.9, 51.8)),
    Case("Across 180", "-", "19.5 S 178.5 E (Fiji, south of Kadavu)", "points", point=(178.5, -19.5)),
    Case("Across 180", "-", "17.5 S 179.9 W (Fiji, Lau group side)", "points", point=(-179.9, -17.5)),
    Case("Poles", "-", "72 S 0 E (Queen Maud Land)", "points", point=(0.0, -72.0)),
    Case("Poles", "-", "88 N 0 E (central Arctic Ocean)", "points", point=(0.0, 88.0)),
)  # fmt: skip


def bilaterate(
    a: str, a_km: float, b: str, b_km: float, *, azimuth: str | None = None, n: int, seed: int
) -> ImpactSamples:
    """Samples at a_km +/-10 % from place a (within ``azimuth``) that lie b_km +/-10 % from place b."""
    from geo import geodesy, places, uncertainty

    ring = uncertainty.from_site(
        a, range_km=f"{0.9 * a_km:g}-{1.1 * a_km:g}", azimuth=azimuth, n=20 * n, seed=seed
    )
    pb = places.lookup(b)
    _, _, d_m = geodesy.GEOD.inv(np.full(ring.n, pb.lon), np.full(ring.n, pb.lat), ring.lon, ring.lat)
    keep = np.flatnonzero(np.abs(np.asarray(d_m) / 1e3 - b_km) <= 0.1 * b_km)[:n]
    return uncertainty.ImpactSamples(
        ring.lon[keep], ring.lat[keep], ring.origin_lon, ring.origin_lat, ring.range_km[keep],
        ring.azimuth_deg[keep], f"{a_km:g} km from {a} and {b_km:g} km from {b}",
        (*ring.assumptions, f"kept: the samples {0.9 * b_km:g}-{1.1 * b_km:g} km from {b} (uniform on the ring's part)"),
        seed,
    )  # fmt: skip


def assess_case(case: Case, *, samples: int, seed: int) -> dict[str, object]:
    """The assessment of one case as a table row (never raises for a point outside the zones)."""
    from geo import assess, uncertainty

    if case.point is not None:
        lon, lat = case.point
        a = assess.assess_point(lon, lat, zones=assess.zone_index(where=([lon], [lat])), outside="report")
    else:
        if case.text is not None:
            s = uncertainty.from_relative(case.text, n=samples, seed=seed)
        elif case.bilateration is not None:
            s = bilaterate(*case.bilateration, azimuth=case.azimuth, n=samples, seed=seed)
        else:
            s = uncertainty.from_site(
                case.site,  # type: ignore[arg-type]
                range_km=case.range_km,  # type: ignore[arg-type]
                azimuth=case.azimuth,
                n=samples,
                seed=seed,
            )
        a = assess.assess_samples(s, zones=assess.zone_index(where=(s.lon, s.lat)), outside="report")
    kinds = sorted({z["kind"] for z in a.zones})
    claim = next((z["claimants"] for z in a.zones if z["kind"] == "antarctic"), None)
    return {
        "group": case.group, "date": case.date, "report": case.report, "source": case.source,
        "lat": a.lat, "lon": a.lon, "eez": a.eez or ("outside coverage" if a.outside_coverage else "high seas"),
        "kinds": ", ".join(kinds) + (f" (claimants {'+'.join(claim)})" if claim else ""),
        "probability": a.probability, "samples": a.samples,
    }  # fmt: skip


def _probabilities(p: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in sorted(p.items(), key=lambda kv: -kv[1]) if v >= 0.005)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "output")
    parser.add_argument("--samples", type=int, default=20_000)
    args = parser.parse_args(argv)
    from geo import _resources

    rows = [assess_case(c, samples=args.samples, seed=i) for i, c in enumerate(CASES)]
    lines = [
        "# World test cases (issue 13), assessed\n",
        "Central point's EEZ (`eez`), the zone kinds holding it, and the share of the samples in each "
        "outcome; sources in examples/data/SOURCES.md. The Eritrea–Yemen award's line is not in the "
        "build: the median line stands.\n",
        "| case | date | report | central point | eez | zone kinds | probabilities | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['group']} | {r['date']} | {r['report']} | {float(r['lat']):.3f}, {float(r['lon']):.3f} | "  # type: ignore[arg-type]
        f"{r['eez']} | {r['kinds']} | {_probabilities(r['probability'])} | {r['source']} |"  # type: ignore[arg-type]
        for r in rows
    ]
    if not (_resources.bundle_dir() / "world" / "manifest.json").is_file():
        lines.append(
            "\nThe world layers (data/boundaries/world/) are not installed: cases outside the NW Pacific "
            "read outside_coverage. Build them with `geo boundaries build --region world`."
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "world_cases.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
