"""The seed: North Korea's launches of January 2022, assessed, mapped and drawn.

On 27 January 2022 North Korea fired two ballistic missiles from around Hamhung; Japan
said they "appeared to have landed outside Japan's exclusive economic zone". This
example makes that sentence checkable for every launch of the month:

* ``january_2022.md`` / ``.csv``: one row per missile: the probability that it came down
  in Japan's EEZ (as Japan claims the zones), the most likely outcome, the central
  point's signed distance to Japan's EEZ limit, and what Japan said;
* ``2022-01-27_hamhung.html``: the seed map, offline (one file, no network);
* ``2022-01-27_hamhung.png``: its figure for publication (300 dpi).

The launch facts (site, reported range, direction of flight) are transcribed with their
sources in ``examples/data/january_2022.csv`` and ``examples/data/SOURCES.md``; the
direction intervals are derived from the reported direction words, never from Japan's
verdict, so the verdict is tested, not assumed.

    python examples/01_january_2022.py [--out examples/output] [--samples 20000]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "january_2022.csv"


def assess_month(samples: int, seed: int = 0) -> list[dict[str, object]]:
    """Assess every row of the January 2022 table under Japan's perspective."""
    from geo import assess, uncertainty
    from geo.events import read_events

    events, errors, _ = read_events(DATA)
    if errors:
        raise SystemExit(f"{DATA}: {[e.to_dict() for e in errors]}")
    zones = assess.zone_index("JPN")
    rows = []
    for i, ev in enumerate(events):  # a dozen launches; each is vectorised over its samples
        s = uncertainty.from_site(ev.site, range_km=ev.range_km, azimuth=ev.azimuth, n=samples, seed=seed + i)
        a = assess.assess_samples(s, zones=zones)
        p_jpn = a.probability.get("JPN", 0.0)
        top = max(a.probability.items(), key=lambda kv: kv[1])
        rows.append(
            {
                "name": ev.name,
                "date": ev.date,
                "site": ev.site,
                "range_km": ev.range_km,
                "azimuth_deg": ev.azimuth or "unknown",
                "p_japan_eez": round(p_jpn, 4),
                "p_japan_eez_se": round(a.standard_error.get("JPN", 0.0), 4),
                "most_likely": f"{top[0]} ({top[1]:.0%})",
                "centre_to_japan_limit_km": _round(a.distance_to_eez_limit_km.get("JPN")),
                "japan_said": ev.extra.get("japan_statement", ""),
            }
        )
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _markdown(rows: list[dict[str, object]]) -> str:
    head = (
        "| date | launch | range km | azimuth | P(Japan's EEZ) | most likely | centre to Japan's limit km | Japan said |\n"
        "|---|---|---|---|---|---|---|---|\n"
    )
    body = "".join(
        f"| {r['date']} | {r['name']} | {r['range_km']} | {r['azimuth_deg']} | "
        f"{r['p_japan_eez']:.3f} ± {r['p_japan_eez_se']:.3f} | {r['most_likely']} | "
        f"{r['centre_to_japan_limit_km'] if r['centre_to_japan_limit_km'] is not None else '> 1000'} | "
        f"{str(r['japan_said']).replace('|', '/')} |\n"
        for r in rows
    )
    return (
        "# North Korea's launches of January 2022, assessed\n\n"
        "Zones as Japan claims them (`--perspective JPN`); probabilities from the stated range and "
        "direction intervals (uniform), with binomial standard errors. A negative distance is inside "
        "Japan's EEZ. Regenerate with `python examples/01_january_2022.py`.\n\n" + head + body + "\n"
        "How to read it: where the public report gives only a range and a direction word "
        '("eastward", "toward the East Sea"), the direction interval is wide and, for ranges of '
        "700 km and more, a large share of it lies in Japan's EEZ: the public figures alone cannot "
        "confirm Japan's \"outside the EEZ\" for those launches; Japan's own tracking data can. For "
        "the short-range launches (14, 17, 27 January) no direction consistent with the reported "
        "range reaches Japan's EEZ, so Japan's statement follows from the public figures alone. "
        "The 27 January missiles were fired north-eastward at an island target off the coast "
        "(see the row's notes), hence the large share on North Korean land.\n"
    )


def seed_map_and_figure(out: Path) -> tuple[Path, Path]:
    """The 27 January 2022 launch from Hamhung: offline map and 300-dpi figure."""
    from geo import figures, maps

    seed = out / "2022-01-27_events.csv"
    with DATA.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["date"] == "2022-01-27"]
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=["name", "date", "site", "range_km", "azimuth_deg"], extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    seed.write_text(buf.getvalue(), encoding="utf-8")
    layers = maps.collect_layers(
        sites=["Hamhung"],
        rings_km=[190, 500],
        events=seed,
        perspective="JPN",
        title="Hamhung, 27 January 2022",
    )
    html = maps.write_map(layers, out / "2022-01-27_hamhung.html", offline=True)
    png = figures.write_figure(layers, out / "2022-01-27_hamhung.png")
    return html, png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "output")
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--no-map", action="store_true", help="only the table")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = assess_month(args.samples)
    (args.out / "january_2022.md").write_text(_markdown(rows), encoding="utf-8")
    with (args.out / "january_2022.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(_markdown(rows))
    if not args.no_map:
        html, png = seed_map_and_figure(args.out)
        print(f"wrote {html} and {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
