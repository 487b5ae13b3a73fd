"""Missile classes from the bundled catalogue, and their range rings from a site.

The catalogue is ``geo/data/missiles.csv`` (provenance in ``geo/data/MISSILES.md``).
"""

from __future__ import annotations

import csv
import difflib
import functools
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from geo import geodesy
from geo._errors import GeoError, UnknownMissileClassError
from geo.ballistics.tracks import resolve_site

__all__ = ["MISSILES_CSV", "MissileClass", "missile_class", "missile_classes", "range_rings"]

MISSILES_CSV = Path(__file__).parents[1] / "data" / "missiles.csv"
"""The bundled catalogue of missile classes."""

# --------------------------------------------------------------------------- missile classes


@dataclass(frozen=True)
class MissileClass:
    """One class of missile with its published range band, km, and the sources of the band.

    A row of ``geo/data/missiles.csv``: ``basis`` says how the sources state the band.
    """

    name: str
    aliases: tuple[str, ...]
    kind: str
    """SRBM, MRBM, IRBM, ICBM or SLBM."""
    propellant: str
    range_lo_km: float
    range_hi_km: float
    basis: str
    sources: tuple[str, ...]
    note: str

    @property
    def range_km(self) -> tuple[float, float]:
        """The band (lo, hi), km; lo == hi where the sources agree."""
        return (self.range_lo_km, self.range_hi_km)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (lists for the tuples)."""
        d = asdict(self)
        d["aliases"], d["sources"] = list(self.aliases), list(self.sources)
        return d


@functools.cache
def _catalogue() -> tuple[MissileClass, ...]:
    rows: list[MissileClass] = []
    with MISSILES_CSV.open(newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                lo, hi = float(row["range_lo_km"]), float(row["range_hi_km"])
            except (TypeError, ValueError):
                raise GeoError(
                    f"{MISSILES_CSV.name} row {n}: range_lo_km and range_hi_km must be numbers"
                ) from None
            if not 0 < lo <= hi:
                raise GeoError(
                    f"{MISSILES_CSV.name} row {n}: need 0 < range_lo_km <= range_hi_km, got {lo}, {hi}"
                )
            rows.append(
                MissileClass(
                    name=row["name"],
                    aliases=tuple(a for a in row["aliases"].split(";") if a),
                    kind=row["kind"],
                    propellant=row["propellant"],
                    range_lo_km=lo,
                    range_hi_km=hi,
                    basis=row["basis"],
                    sources=tuple(s.strip() for s in row["sources"].split(" ; ") if s.strip()),
                    note=row["note"],
                )
            )
    return tuple(rows)


def missile_classes() -> Sequence[MissileClass]:
    """Every class in the bundled catalogue, in file order.

    Examples
    --------
    >>> len(missile_classes()) >= 15
    True
    """
    return _catalogue()


def missile_class(name: str) -> MissileClass:
    """The class a name or alias denotes (case, spacing and punctuation ignored).

    Raises
    ------
    UnknownMissileClassError
        No class matches; the message lists the closest names.

    Examples
    --------
    >>> missile_class("hwasong 15").range_km
    (12900.0, 13000.0)
    >>> missile_class("KN-22").name
    'Hwasong-15'
    """
    from geo.places import normalize_name

    key = normalize_name(name)
    index = {normalize_name(label): m for m in _catalogue() for label in (m.name, *m.aliases)}
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=8, cutoff=0.5)
    names = list(dict.fromkeys(index[k].name for k in close))[:5]
    hint = f"; closest: {', '.join(names)}" if names else ""
    raise UnknownMissileClassError(
        f"unknown missile class {name!r}{hint}. `geo missiles list` shows every class"
    )


def range_rings(
    name: str, site: str | tuple[float, float], *, tolerance_m: float = geodesy.DEFAULT_TOLERANCE_M
) -> Any:
    """Range rings of a missile class from a site: the disc of the low estimate and the
    annulus out to the high estimate (one disc when the sources agree).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``missile``, ``band`` ("low estimate" / "high estimate only"),
        ``inner_km``, ``outer_km``, ``site`` and geodesic (Multi)Polygons in EPSG:4326.

    Examples
    --------
    >>> rings = range_rings("Hwasong-12", "Sunan")
    >>> rings.band.tolist(), rings.outer_km.tolist()
    (['low estimate', 'high estimate only'], [4500.0, 5000.0])
    """
    import geopandas as gpd

    m = missile_class(name)
    lon, lat, place = resolve_site(site)
    lo, hi = m.range_km
    rows = [
        {
            "band": "low estimate",
            "inner_km": 0.0,
            "outer_km": lo,
            "geometry": geodesy.ring(lon, lat, lo * 1e3, tolerance_m=tolerance_m),
        }
    ]
    if hi > lo:
        rows.append(
            {
                "band": "high estimate only",
                "inner_km": lo,
                "outer_km": hi,
                "geometry": geodesy.annulus(lon, lat, lo * 1e3, hi * 1e3, tolerance_m=tolerance_m),
            }
        )
    for r in rows:
        r.update(missile=m.name, site=place or f"{lon:g}, {lat:g}")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")[
        ["missile", "band", "inner_km", "outer_km", "site", "geometry"]
    ]
