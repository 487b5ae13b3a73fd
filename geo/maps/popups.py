"""Popups and tooltips of a map's features: every text from users or files escaped.

Event names, place names, dates, sources and titles go through :func:`esc`
(:func:`html.escape`, quotes too) before they reach a popup or tooltip; a popup is a
small table of the rows that have a value. Each function takes one row of a layer of
:class:`geo.maps.MapLayers` (an ``itertuples`` row).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from geo import style
from geo.maps.zone_layers import sovereign_of

__all__ = [
    "esc",
    "impact_popup",
    "impact_tooltip",
    "popup_html",
    "region_popup",
    "region_tooltip",
    "ring_label",
    "ring_popup",
    "ring_tooltip",
    "site_popup",
    "track_popup",
    "zone_popup",
    "zone_tooltip",
]


def esc(text: Any) -> str:
    """HTML-escape text from users or files (quotes too).

    Examples
    --------
    >>> esc('<b onclick="x">')
    '&lt;b onclick=&quot;x&quot;&gt;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def popup_html(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """A popup: the title and a table of the (key, value) rows that have a value; newlines become <br>."""
    cells = "".join(
        f"<tr><th>{esc(k)}</th><td>{esc(v).replace(chr(10), '<br>')}</td></tr>"
        for k, v in rows
        if v not in (None, "")
    )
    return f'<div class="geo-popup"><b>{esc(title)}</b><table>{cells}</table></div>'


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _claimants(row: Any) -> str:
    return str(row.claimants).replace(";", ", ") if isinstance(row.claimants, str) else ""


def _zone_owner(row: Any) -> str:
    return sovereign_of(row.sovereign) or f"disputed ({_claimants(row)})"


def zone_popup(kind: str, row: Any) -> str:
    """A zone's country, name, kind, status, claimants and source."""
    sov, label = _zone_owner(row), style.KIND_LABEL[kind]
    return popup_html(
        f"{sov} {label}",
        [("country", sov), ("name", _text(getattr(row, "name", ""))), ("kind", label), ("status", row.status),
         ("claimants", _claimants(row)), ("source", _text(getattr(row, "source", "")))],
    )  # fmt: skip


def zone_tooltip(kind: str, row: Any) -> str:
    """'JPN eez (...)', with ' - DISPUTED' or ' - joint regime' where the status says so."""
    status = {"disputed": " - DISPUTED", "joint": " - joint regime"}.get(row.status, "")
    return esc(f"{_zone_owner(row)} {kind.replace('_', ' ')}{status} ({_claimants(row)})")


def ring_popup(r: Any) -> str:
    return popup_html(
        f"{r.range_km:,.0f} km from {r.site}",
        [("range", f"{r.range_km:,.0f} km (geodesic, WGS84)"), ("centre", r.site)],
    )


def ring_tooltip(r: Any) -> str:
    return esc(f"{r.range_km:,.0f} km from {r.site}")


def ring_label(r: Any, *, with_site: bool) -> str:
    """The label on a ring's east side: its range, and its site when rings of several sites are drawn."""
    return esc(f"{r.site} {r.range_km:,.0f} km" if with_site else f"{r.range_km:,.0f} km")


def region_popup(r: Any) -> str:
    return popup_html(
        r.name, [("date", r.date), ("report", r.description), ("probability", r.probability_text)]
    )


def region_tooltip(r: Any) -> str:
    return esc(f"{r.name}: uncertainty region")


def track_popup(r: Any) -> str:
    return popup_html(r.name, [("track", r.description)])


def site_popup(r: Any) -> str:
    return popup_html(
        r.name,
        [("kind", r.kind.replace("_", " ")), ("country", r.country),
         ("position", f"{r.geometry.y:.4f}, {r.geometry.x:.4f} (+/- {r.precision_km:g} km)"), ("source", r.source)],
    )  # fmt: skip


def impact_popup(r: Any) -> str:
    return popup_html(
        r.name,
        [("date", r.date), ("position", f"{r.geometry.y:.4f}, {r.geometry.x:.4f}"), ("report", r.description),
         ("zone", r.zone_text)],
    )  # fmt: skip


def impact_tooltip(r: Any) -> str:
    return esc(f"{r.name} {r.date}".strip())
