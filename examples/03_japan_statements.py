"""Japan's public "fell about N km west of X" statements, assessed.

Each statement in ``examples/data/japan_statements.csv`` (transcribed with sources) is read
as a relative place — a single distance +/-10 %, a compass word +/- 11.25 deg — and sampled;
the probability that the impact lies in Japan's EEZ (as Japan claims the zones) is set
against what Japan said. Writes ``japan_statements.md``.

    python examples/03_japan_statements.py [--out examples/output] [--samples 20000]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "japan_statements.csv"


def assess_statements(samples: int, seed: int = 0) -> list[dict[str, object]]:
    from geo import assess, uncertainty

    zones = assess.zone_index("JPN")
    rows = []
    with DATA.open(encoding="utf-8") as fh:
        for i, r in enumerate(csv.DictReader(fh)):  # a handful of statements, each vectorised over samples
            a = assess.assess_samples(
                uncertainty.from_relative(r["statement"], n=samples, seed=seed + i), zones=zones
            )
            p, se = a.probability.get("JPN", 0.0), a.standard_error.get("JPN", 0.0)
            said = r["japan_verdict"].strip()
            ours = "inside" if p - 3 * se > 0.5 else "outside" if p + 3 * se < 0.5 else "undecided"
            agree = (
                "" if not said else ("yes" if said.startswith(ours) else "no" if ours != "undecided" else "?")
            )
            rows.append({"date": r["date"], "statement": r["statement"], "p_japan_eez": p, "se": se,
                         "geo": ours, "japan_said": said, "agree": agree,
                         "centre_to_limit_km": a.distance_to_eez_limit_km.get("JPN")})  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "output")
    parser.add_argument("--samples", type=int, default=20_000)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = assess_statements(args.samples)
    lines = [
        "# Japan's statements, assessed\n",
        "P(Japan's EEZ) under Japan's perspective, from the statement alone (+/-10 % in distance, "
        "+/- half a compass sector); `geo` says inside/outside when 3 standard errors clear 0.5.\n",
        "| date | statement | P(Japan's EEZ) | geo | Japan said | agree | centre to Japan's limit km |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['date']} | {r['statement']} | {r['p_japan_eez']:.3f} ± {r['se']:.3f} | {r['geo']} | "
        f"{r['japan_said'] or '(not stated)'} | {r['agree']} | "
        f"{'' if r['centre_to_limit_km'] is None else round(float(str(r['centre_to_limit_km'])), 1)} |"
        for r in rows
    ]
    (args.out / "japan_statements.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
