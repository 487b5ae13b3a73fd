"""The gazetteer: launch sites and the reference places analysts name, with sources.

The bundled file ``geo/data/places.csv`` (provenance in ``geo/data/PLACES.md``) holds one
row per place: name, aliases, kind, country (ISO3 of the administering state), lon, lat
(WGS84), precision_km and source. Lookup ignores case, punctuation, spacing and Latin
diacritics (``"P'yŏngyang"`` finds ``"Pyongyang"``), knows every alias (romanisations,
Korean, Japanese, Chinese and Russian names). Failing an exact match it tries the places
one of whose names holds every word given ("Pyongyang airport"), then the names without
generic words such as "Island" or "Peninsula". An unknown or ambiguous name
raises an error that lists the closest candidates.

Examples
--------
>>> lookup("hamhung").country
'PRK'
>>> lookup("Ōshima-Ōshima") == lookup("oshima oshima")
True
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from geo._errors import AmbiguousPlaceError, GeoError, PlaceNotFoundError

__all__ = [
    "KINDS",
    "PLACES_CSV",
    "Gazetteer",
    "Place",
    "default_gazetteer",
    "list_places",
    "lookup",
    "normalize_name",
]

PLACES_CSV = Path(__file__).with_name("data") / "places.csv"
"""The bundled gazetteer file."""

KINDS = frozenset(
    {
        "launch_site",
        "airfield",
        "port",
        "city",
        "town",
        "county",
        "island",
        "islet",
        "cape",
        "peninsula",
        "bay",
        "strait",
        "naval_base",
        "rock",
    }
)
"""The kinds of place the gazetteer knows."""

_COLUMNS = ("name", "aliases", "kind", "country", "lon", "lat", "precision_km", "source")

# Words that qualify a name without identifying it; dropped only in the second try.
_GENERIC = frozenset(
    (
        "island islands isle isles is isl peninsula pen hanto cape misaki saki zaki point pt "
        "city county gun kun province airport airfield airbase air base international intl "
        "launch launching site sites area facility ground station satellite the of bay strait "
        "jima shima to do ri"
    ).split()
)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. Coordinates are WGS84 degrees, longitude first."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    lon: float
    lat: float
    precision_km: float
    source: str

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready values (aliases as a list)."""
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        return d


def normalize_name(text: str) -> str:
    """The lookup key of a name: case, punctuation, spacing and Latin diacritics folded.

    Korean, Japanese and Chinese characters are kept as they are (their combining marks,
    such as the dakuten of が, carry meaning).

    Examples
    --------
    >>> normalize_name("P'yŏngyang")
    'pyongyang'
    >>> normalize_name("Tongchang-ri") == normalize_name("tongchang ri")
    True
    """
    return "".join(_tokens(text))


def _tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", str(text))
    kept: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and kept and ord(kept[-1]) < 0x250:
            continue  # a Latin diacritic
        kept.append(ch)
    folded = unicodedata.normalize("NFC", "".join(kept)).casefold()
    folded = re.sub(r"['’`ʼ‘]", "", folded)  # P'yŏngyang, Hamhŭng
    return [t for t in re.split(r"[\W_]+", folded) if t]


def _shown(name: str, *, limit: int = 60) -> str:
    """The name as given, quoted; a very long one cut to ``limit`` characters with its length."""
    text = str(name)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


def _loose_key(text: str) -> str:
    return "".join(t for t in _tokens(text) if t not in _GENERIC)


class Gazetteer:
    """A searchable set of places.

    Parameters
    ----------
    places : iterable of Place

    Examples
    --------
    >>> gaz = Gazetteer([Place("Alpha Island", ("Alfa",), "island", "JPN", 140.0, 40.0, 1.0, "test")])
    >>> gaz.lookup("ALFA").name
    'Alpha Island'
    >>> gaz.lookup("alpha").name
    'Alpha Island'
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: tuple[Place, ...] = tuple(places)
        self._exact: dict[str, list[int]] = {}
        self._loose: dict[str, list[int]] = {}
        self._label_tokens = [[set(_tokens(label)) for label in (p.name, *p.aliases)] for p in self._places]
        for i, p in enumerate(self._places):
            for label in (p.name, *p.aliases):
                for index, key in ((self._exact, normalize_name(label)), (self._loose, _loose_key(label))):
                    if key and i not in index.setdefault(key, []):
                        index[key].append(i)

    @classmethod
    def from_csv(cls, path: str | Path) -> Gazetteer:
        """Read a gazetteer CSV (columns: name, aliases, kind, country, lon, lat, precision_km, source).

        Raises
        ------
        GeoError
            For a missing column or a bad value, naming the row and column.
        """
        path = Path(path)
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise GeoError(f"{path}: gazetteer is missing column(s) {missing}; expected {list(_COLUMNS)}")
            return cls(_parse_row(path, n, row) for n, row in enumerate(reader, start=2))

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places)

    def lookup(self, name: str) -> Place:
        """The one place a name or alias denotes.

        Raises
        ------
        PlaceNotFoundError
            No place matches; the message lists the closest names.
        AmbiguousPlaceError
            Several places match; the message lists them.
        """
        if not _tokens(name):
            raise PlaceNotFoundError(
                f"place name {_shown(name)} is empty (no letters or digits); give a name such as 'Hamhung'. "
                "`geo places list` shows every name; or give --lat/--lon"
            )
        place = self.find(name)
        if place is not None:
            return place
        suggestions = self.closest(name)
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        raise PlaceNotFoundError(
            f"unknown place {_shown(name)}{hint}. `geo places list` shows every name; or give --lat/--lon"
        )

    def find(self, name: str) -> Place | None:
        """The one place a name or alias denotes, or None when none does (as :meth:`lookup`, without suggestions).

        Raises
        ------
        AmbiguousPlaceError
            Several places match; the message lists them.
        """
        stages: tuple[Callable[[], list[int]], ...] = (
            lambda: self._exact.get(normalize_name(name), []),
            lambda: self._containing(name),
            lambda: self._loose.get(_loose_key(name), []) if _loose_key(name) else [],
        )
        for stage in stages:
            hits = stage()
            if len(hits) == 1:
                return self._places[hits[0]]
            if len(hits) > 1:
                options = "; ".join(
                    f"{self._places[i].name} ({self._places[i].kind}, {self._places[i].country})"
                    for i in hits
                )
                raise AmbiguousPlaceError(
                    f"place name {_shown(name)} is ambiguous: it matches {options}; use the full name"
                )
        return None

    def _containing(self, name: str) -> list[int]:
        """Places one of whose labels holds every word of ``name`` ("Pyongyang airport")."""
        words = set(_tokens(name))
        if not words:
            return []
        return [i for i, labels in enumerate(self._label_tokens) if any(words <= t for t in labels)]

    def closest(self, name: str, *, n: int = 5) -> list[str]:
        """Names of the places whose name or alias is closest to ``name``."""
        keys = list(self._exact)
        found = difflib.get_close_matches(normalize_name(name), keys, n=3 * n, cutoff=0.5)
        names: list[str] = []
        for key in found:
            for i in self._exact[key]:
                if self._places[i].name not in names:
                    names.append(self._places[i].name)
        return names[:n]

    def list(self, *, kind: str | None = None, country: str | None = None) -> list[Place]:
        """Places, optionally of one kind and/or one country (ISO3), in file order.

        Raises
        ------
        GeoError
            An unknown kind, or a country that has no place in the gazetteer (the message
            lists the kinds, or the countries it holds).
        """
        if kind is not None and kind not in KINDS:
            raise GeoError(f"unknown kind {kind!r}; choose one of {', '.join(sorted(KINDS))}")
        country_u = country.strip().upper() if country is not None else None
        known = sorted({p.country for p in self._places})
        if country_u is not None and country_u not in known:
            raise GeoError(
                f"no place of country {country!r} in the gazetteer; give an ISO 3166 alpha-3 code "
                f"it holds: {', '.join(known)}"
            )
        return [
            p
            for p in self._places
            if (kind is None or p.kind == kind) and (country_u is None or p.country == country_u)
        ]

    def to_geodataframe(self) -> Any:
        """The places as a GeoDataFrame of points in EPSG:4326 (aliases joined by ';')."""
        import geopandas as gpd

        rows = [p.to_dict() for p in self._places]
        for r in rows:
            r["aliases"] = ";".join(r["aliases"])
        lon = np.array([p.lon for p in self._places])
        lat = np.array([p.lat for p in self._places])
        return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def _parse_row(path: Path, n: int, row: dict[str, str]) -> Place:
    where = f"{path.name} row {n}"
    name = (row.get("name") or "").strip()
    if not name:
        raise GeoError(f"{where}: empty name")
    try:
        lon, lat, precision = float(row["lon"]), float(row["lat"]), float(row["precision_km"])
    except (TypeError, ValueError):
        raise GeoError(
            f"{where} ({name}): lon, lat and precision_km must be numbers, got "
            f"{row.get('lon')!r}, {row.get('lat')!r}, {row.get('precision_km')!r}"
        ) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeoError(
            f"{where} ({name}): lon={lon}, lat={lat} out of range; the file is (lon, lat) in degrees"
        )
    if not precision > 0:
        raise GeoError(f"{where} ({name}): precision_km must be positive, got {precision}")
    kind = row["kind"].strip()
    if kind not in KINDS:
        raise GeoError(f"{where} ({name}): unknown kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
    country = row["country"].strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", country):
        raise GeoError(f"{where} ({name}): country must be an ISO 3166 alpha-3 code, got {country!r}")
    source = (row.get("source") or "").strip()
    if not source:
        raise GeoError(f"{where} ({name}): every place needs a source")
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip())
    return Place(name, aliases, kind, country, lon, lat, precision, source)


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer (read once)."""
    return Gazetteer.from_csv(PLACES_CSV)


def lookup(name: str) -> Place:
    """Look a name up in the bundled gazetteer; see :meth:`Gazetteer.lookup`."""
    return default_gazetteer().lookup(name)


def list_places(*, kind: str | None = None, country: str | None = None) -> Sequence[Place]:
    """Places of the bundled gazetteer; see :meth:`Gazetteer.list`."""
    return default_gazetteer().list(kind=kind, country=country)
