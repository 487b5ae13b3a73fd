"""Whose each row of a zone layer is, under a perspective: the outcome keys verdicts count.

A *perspective* (ISO3) takes the zones as that country claims them: disputed areas it
claims count as its own; neutral (None) keeps them as ``disputed:A+B``. Joint regimes are
``joint:A+B`` under every perspective; Antarctic claims ``antarctic:<claimants>`` unless an
index opts in. Worked on a layer's columns (:class:`geo.assess.region.LazyLayer`), not its
polygons.

Examples
--------
>>> labels({"sovereign": ["JPN", None], "status": ["claimed", "disputed"], "claimants": ["JPN", "JPN;KOR"]}, None).tolist()
['JPN', 'disputed:JPN+KOR']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geo._errors import GeoError
from geo.assess.region import LazyLayer

__all__ = ["UnknownPerspectiveError", "check_perspective", "claimants", "labels"]


class UnknownPerspectiveError(GeoError):
    """A perspective code that no zone in the layers names."""


def claimants(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [c for c in str(value).replace(",", ";").split(";") if c]


def _column(columns: Mapping[str, list[Any]], name: str) -> list[Any]:
    if name not in columns:
        raise GeoError(f"a zone layer lacks the column {name!r}; zone layers have sovereign, status and claimants")
    return columns[name]


def _strings(values: list[Any]) -> NDArray[np.str_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values  # one element a value, whatever it holds
    strings: NDArray[np.str_] = out.astype(str)
    return strings


def labels(columns: Mapping[str, list[Any]], perspective: str | None, antarctic_claims: bool = False) -> NDArray[np.str_]:
    """Whose each row is, as a probability key, under a perspective."""
    sov, status = (_strings(_column(columns, c)) for c in ("sovereign", "status"))
    claim = [claimants(c) for c in _column(columns, "claimants")]
    out = sov.astype(object)
    for i in np.flatnonzero(status == "disputed"):  # a loop over a handful of disputed rows
        if perspective is not None and perspective in claim[i]:
            out[i] = perspective
        else:
            out[i] = "disputed:" + "+".join(sorted(claim[i]))
    for i in np.flatnonzero(status == "joint"):  # shared by agreement, under every perspective
        out[i] = "joint:" + "+".join(sorted(claim[i]))
    # south of 60 S claims are frozen (Antarctic Treaty, Article IV): no claimant's verdict,
    # unless the index opts in (antarctic_claims) and the perspective is a claimant
    for i in np.flatnonzero(status == "antarctic_treaty"):
        if antarctic_claims and perspective is not None and perspective in claim[i]:
            out[i] = perspective
        else:
            out[i] = "antarctic:" + ("+".join(sorted(claim[i])) or "unclaimed")
    labels: NDArray[np.str_] = out.astype(str)
    return labels


def check_perspective(perspective: str | None, layers: Mapping[str, LazyLayer]) -> str | None:
    if perspective is None or perspective == "":
        return None
    code = str(perspective).strip().upper()
    known: set[str] = set()
    for source in layers.values():
        known |= {str(v) for v in _column(source.columns, "sovereign")}
        for c in _column(source.columns, "claimants"):
            known |= set(claimants(c))
    if code not in known:
        raise UnknownPerspectiveError(
            f"unknown perspective {perspective!r}; use the ISO3 code of a country in the zone layers, "
            f"e.g. {', '.join(sorted(k for k in known if k in {'JPN', 'KOR', 'PRK', 'CHN', 'TWN', 'RUS'}) or sorted(known)[:6])}"
        )
    return code
