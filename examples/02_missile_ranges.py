"""Range rings of North Korea's missile classes from several launch sites, and who is in range.

For each class (published range bands, with sources, in ``geo/data/missiles.csv``) and each
site, the geodesic distance to a few reference places decides: in range of the low estimate,
only of the high estimate, or out of range. Writes ``missile_ranges.md`` (the table),
``missile_ranges.gpkg`` (the rings, one layer) and an offline map.

    python examples/02_missile_ranges.py [--out examples/output]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITES = ("Pyongyang Sunan International Airport", "Sohae Satellite Launching Station", "Sinpo")
CLASSES = ("KN-23", "Hwasong-12", "Hwasong-15", "Hwasong-18")
TARGETS = ("Seoul", "Tokyo", "Naha", "Andersen Air Force Base")


def table() -> list[dict[str, object]]:
    """One row per (class, site, target): distance and verdict against the class's band."""
    from geo import ballistics, geodesy, places

    rows = []
    for name in CLASSES:
        m = ballistics.missile_class(name)
        for site in SITES:
            s = places.lookup(site)
            for target in TARGETS:
                t = places.lookup(target)
                _, _, d = geodesy.inverse(s.lon, s.lat, t.lon, t.lat)
                km = d / 1e3
                verdict = (
                    "in range"
                    if km <= m.range_lo_km
                    else "only at the high estimate"
                    if km <= m.range_hi_km
                    else "out of range"
                )
                rows.append({"missile": m.name, "band_km": f"{m.range_lo_km:,.0f}-{m.range_hi_km:,.0f}",
                             "site": s.name, "target": t.name, "distance_km": round(km), "verdict": verdict})  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "output")
    parser.add_argument("--no-map", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import geopandas as gpd
    import pandas as pd

    from geo import ballistics

    rows = table()
    lines = ["# Range of North Korea's missile classes from three launch sites\n",
             "Geodesic distances on WGS84; bands from `geo/data/missiles.csv` (sources in `MISSILES.md`).\n",
             "| missile | band km | site | target | distance km | verdict |", "|---|---|---|---|---|---|"]  # fmt: skip
    lines += [
        f"| {r['missile']} | {r['band_km']} | {r['site']} | {r['target']} | {r['distance_km']:,} | {r['verdict']} |"
        for r in rows
    ]
    (args.out / "missile_ranges.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rings = gpd.GeoDataFrame(
        pd.concat([ballistics.range_rings(c, s) for c in CLASSES for s in SITES], ignore_index=True),
        geometry="geometry", crs="EPSG:4326",
    )  # fmt: skip
    gpkg = args.out / "missile_ranges.gpkg"
    gpkg.unlink(missing_ok=True)
    rings.to_file(gpkg, layer="missile_rings", driver="GPKG")
    print("\n".join(lines))
    if not args.no_map:
        from geo import maps

        bands = sorted({ballistics.missile_class(c).range_hi_km for c in CLASSES})
        layers = maps.collect_layers(
            sites=list(SITES), rings_km=bands, zones=False, title="Missile classes: high range estimates"
        )
        print(f"wrote {maps.write_map(layers, args.out / 'missile_ranges.html', offline=True)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
