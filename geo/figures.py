"""Still figures for publication (matplotlib): PNG, SVG or PDF at 300 dpi.

The view is an azimuthal equidistant projection centred on the launch site (or the
first impact), where every range ring round that site is a true circle and distances
from it read true in any direction. Everything is projected with pyproj
(``always_xy=True``); matplotlib only draws. Geometry is first clipped to a geodesic
disc a little larger than the view, so shapes near the antipode (where the
projection tears) never reach the page.

The figure carries a scale bar (true along lines through the centre), a north arrow
(true north where it stands), a legend and the data attribution. Text from users or
files is drawn as given: never as mathtext (``$x^2$`` stays those five characters) and never
through LaTeX, whatever ``text.usetex`` says.

Examples
--------
>>> from geo.maps import collect_layers
>>> layers = collect_layers(sites=["Hamhung"], rings_km=[1000], zones=False, land=False)
>>> fig = build_figure(layers)
>>> fig.axes[0].get_aspect()
1.0
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from geo import geodesy, style
from geo._errors import GeoError
from geo._io import atomic_write_bytes
from geo.maps import (
    ZONE_KINDS,
    MapLayers,
    check_output_path,
    cut_outline,
    import_extra,
    simplify_zones,
)

__all__ = ["DEFAULT_DPI", "SUFFIXES", "aeqd_crs", "build_figure", "write_figure"]

SUFFIXES = (".png", ".svg", ".pdf")
"""The formats :func:`write_figure` writes, chosen by the file's suffix."""

DEFAULT_DPI = 300

_MIN_RADIUS_KM = 300.0
_MAX_RADIUS_KM = 19_500.0


def aeqd_crs(lon: float, lat: float) -> str:
    """PROJ string of the azimuthal equidistant projection centred on (lon, lat), WGS84, metres.

    Examples
    --------
    >>> aeqd_crs(127.5, 39.9)
    '+proj=aeqd +lat_0=39.9 +lon_0=127.5 +datum=WGS84 +units=m +no_defs'
    """
    return f"+proj=aeqd +lat_0={lat:.10g} +lon_0={lon:.10g} +datum=WGS84 +units=m +no_defs"


_PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}
"""Text options for user text: shown as given, never mathtext (``$x^2$``) and never sent to LaTeX."""


class _Projection:
    def __init__(self, lon: float, lat: float, clip_km: float) -> None:
        self.lon, self.lat = lon, lat
        self.fwd = Transformer.from_crs("EPSG:4326", aeqd_crs(lon, lat), always_xy=True)
        self.inv = Transformer.from_crs(aeqd_crs(lon, lat), "EPSG:4326", always_xy=True)
        limit_km = geodesy.antipodal_distance_m(lon, lat) / 1e3 - 200.0
        self.clip = geodesy.ring(lon, lat, min(clip_km, limit_km) * 1e3, tolerance_m=1000.0)
        # Simplify outlines to about a third of a millimetre on a 7 inch wide figure.
        self.tolerance_deg = float(np.clip(clip_km / 1.43 * 2 / 7 / 25.4 / 3 / 111.0, 0.001, 0.1))

    def crop(self, gdf: Any) -> Any:
        """Rows that reach the view, cut to its disc (before simplifying: far less to simplify)."""
        sub = gdf[shapely.intersects(gdf.geometry.to_numpy(), self.clip)]
        return sub.set_geometry(shapely.intersection(sub.geometry.to_numpy(), self.clip))

    def xy(self, geom: Any) -> Any:
        """Clip to the view's disc, densify lon/lat edges, project."""
        g = shapely.intersection(geom, self.clip)
        g = shapely.segmentize(g, 0.25)

        def project(c: Any) -> Any:
            x, y = self.fwd.transform(c[:, 0], c[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(g, project)

    def outline(self, polys: Any) -> Any:
        """Polygon boundaries without the cut edges along +/-180 deg and the poles, projected."""
        return self.xy(cut_outline(polys, lons=(-180.0, 180.0), max_lat=90.0))


def _view_radius_km(layers: MapLayers, lon: float, lat: float) -> float:
    coords = [shapely.get_coordinates(g) for g in layers.focus() if g is not None and not g.is_empty]
    if not coords:
        return _MIN_RADIUS_KM
    xy = np.concatenate(coords)
    _, _, d = geodesy.GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    return float(np.clip(np.max(d) / 1e3 * 1.12, _MIN_RADIUS_KM, _MAX_RADIUS_KM))


def _mpl() -> Any:
    return import_extra("matplotlib", "map")


def _path(geom: BaseGeometry) -> Any:
    """A matplotlib Path of (Multi)Polygons with holes (even-odd)."""
    from matplotlib.path import Path as MPath

    verts: list[Any] = []
    codes: list[Any] = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            c = np.asarray(ring.coords)
            verts.append(c)
            codes += [MPath.MOVETO] + [MPath.LINETO] * (len(c) - 2) + [MPath.CLOSEPOLY]
    if not verts:
        return None
    return MPath(np.concatenate(verts), codes)


def _fill(ax: Any, geom: BaseGeometry, **kw: Any) -> None:
    from matplotlib.patches import PathPatch

    p = _path(geom)
    if p is not None:
        ax.add_patch(PathPatch(p, **kw))


def _lines(ax: Any, geom: BaseGeometry, **kw: Any) -> None:
    from matplotlib.collections import LineCollection

    parts = [np.asarray(g.coords) for g in shapely.get_parts(shapely.line_merge(geom) if geom.geom_type != "LineString" else geom)
             if g.geom_type == "LineString" and not g.is_empty]  # fmt: skip
    if parts:
        ax.add_collection(LineCollection(parts, **kw))


def build_figure(
    layers: MapLayers, *, radius_km: float | None = None, width_in: float = 7.5, height_in: float = 8.0
) -> Any:
    """Draw the layers in an azimuthal equidistant projection centred on the first site.

    Parameters
    ----------
    layers : MapLayers
        From :func:`geo.maps.collect_layers`.
    radius_km : float, optional, keyword-only
        Half the width of the view, km; by default everything selected fits.
    width_in, height_in : float
        Figure size, inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _mpl()
    from matplotlib.figure import Figure

    lon0, lat0 = layers.centre
    if radius_km is None:
        radius_km = _view_radius_km(layers, lon0, lat0)
    elif not (math.isfinite(radius_km) and _MIN_RADIUS_KM / 10 <= radius_km <= _MAX_RADIUS_KM):
        raise GeoError(
            f"radius_km must be within [{_MIN_RADIUS_KM / 10:g}, {_MAX_RADIUS_KM:g}] km, got {radius_km!r}"
        )
    r_m = radius_km * 1e3
    proj = _Projection(lon0, lat0, radius_km * 1.43)
    with _mpl().rc_context({"text.usetex": False}):  # every text of the figure, the axes' own too
        return _draw(layers, proj, Figure(figsize=(width_in, height_in), layout=None), r_m, radius_km)


def _draw(layers: MapLayers, proj: _Projection, fig: Any, r_m: float, radius_km: float) -> Any:
    lon0, lat0 = proj.lon, proj.lat
    ax = fig.add_axes((0.04, 0.085, 0.92, 0.84))
    ax.set_facecolor(style.SEA_BACKGROUND)
    ax.set_xlim(-r_m, r_m)
    ax.set_ylim(-r_m, r_m)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    handles: list[Any] = []
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"Glyph \d+ .* missing from font"
        )  # CJK names: boxes, not errors
        _draw_land(ax, layers, proj, handles)
        _draw_graticule(ax, proj, radius_km)
        _draw_zones(ax, layers, proj, handles)
        _draw_shapes(ax, layers, proj, handles, r_m)
        _scale_bar(ax, r_m)
        _north_arrow(ax, proj, r_m)
        if handles:
            leg = ax.legend(handles=handles, loc="upper right", fontsize=7, framealpha=0.92)
            leg.set_zorder(20)
            for t in leg.get_texts():
                t.update(_PLAIN)
        fig.suptitle(str(layers.title), fontsize=13, y=0.985, **_PLAIN)
        where = f"{abs(lat0):.4f}\u00b0{'N' if lat0 >= 0 else 'S'}, {abs(lon0):.4f}\u00b0{'E' if lon0 >= 0 else 'W'}"
        fig.text(0.5, 0.94, f"Azimuthal equidistant projection centred on {_centre_name(layers)} ({where}); "
                            "range rings round it are true circles", ha="center", fontsize=8, **_PLAIN)  # fmt: skip
        notes = [n for n in layers.notes]
        text = "; ".join([*layers.attribution, *notes])
        fig.text(0.04, 0.012, _wrap(text, 140), fontsize=6.2, color="#333", va="bottom", **_PLAIN)
    return fig


def _centre_name(layers: MapLayers) -> str:
    if len(layers.sites):
        return str(layers.sites.name.iloc[0])
    for gdf in (layers.impacts, layers.regions, layers.tracks):
        if len(gdf):
            return str(gdf.name.iloc[0])
    return "the selection"


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _draw_land(ax: Any, layers: MapLayers, proj: _Projection, handles: list[Any]) -> None:
    from matplotlib.patches import Patch

    if layers.land is None or not len(layers.land):
        return
    land = simplify_zones(proj.crop(layers.land.assign(kind="land")), tolerance_deg=proj.tolerance_deg)
    geoms = land.geometry.to_numpy()
    for g in proj.xy(geoms):
        _fill(ax, g, facecolor=style.LAND_FILL, edgecolor="none", zorder=1)
    for g in proj.outline(geoms):
        _lines(ax, g, colors="#8a8270", linewidths=0.4, zorder=1.5)
    handles.append(Patch(facecolor=style.LAND_FILL, edgecolor="#8a8270", label="land"))


def _draw_graticule(ax: Any, proj: _Projection, radius_km: float) -> None:
    step = 10.0 if radius_km > 2500 else 5.0 if radius_km > 900 else 2.0
    lats = np.linspace(-90, 90, 721)
    lines = [
        shapely.LineString(np.column_stack([np.full(lats.size, x), lats])) for x in np.arange(-180, 180, step)
    ]
    lons = np.linspace(-180, 180, 1441)
    lines += [
        shapely.LineString(np.column_stack([lons, np.full(lons.size, y)])) for y in np.arange(-80, 80.1, step)
    ]
    for g in proj.xy(np.asarray(lines, dtype=object)):
        _lines(ax, g, colors="#7f98ad", linewidths=0.3, linestyles=(0, (2, 3)), zorder=2)


def _draw_zones(ax: Any, layers: MapLayers, proj: _Projection, handles: list[Any]) -> None:
    from matplotlib.patches import Patch

    zones = layers.zones
    if zones is None or not len(zones):
        return
    zones = simplify_zones(proj.crop(zones[zones["kind"] != "land"]), tolerance_deg=proj.tolerance_deg)
    for z, kind in enumerate(ZONE_KINDS[:3][::-1]):
        sub = zones[zones["kind"] == kind]
        if not len(sub):
            continue
        shown = proj.xy(sub.geometry.to_numpy())
        lines = proj.outline(sub.geometry.to_numpy())
        for row, g, line in zip(sub.itertuples(index=False), shown, lines, strict=True):  # a handful of zones
            colour = style.SOVEREIGN_COLOUR.get(str(row.sovereign), style.OTHER_COLOUR)
            st = style.STATUS_STYLE.get(str(row.status), {})
            face = st.get("fillColor", colour)
            alpha = (
                st.get("fillOpacity", style.KIND_OPACITY[kind])
                if row.status in ("disputed", "joint")
                else style.KIND_OPACITY[kind]
            )
            _fill(ax, g, facecolor=face, alpha=alpha, edgecolor="none", zorder=3 + z * 0.1)
            dashed = (
                (0, (4, 2))
                if row.status in ("disputed", "claimed")
                else (0, (1, 2))
                if row.status == "joint"
                else "solid"
            )
            _lines(ax, line, colors=st.get("color", colour), linewidths=0.6, linestyles=dashed, zorder=3.5)
    for kind in [k for k in ZONE_KINDS[:3] if k in set(zones["kind"])]:
        handles.append(
            Patch(
                facecolor=(0.35, 0.35, 0.35, style.KIND_OPACITY[kind]),
                edgecolor="#555",
                label=style.KIND_LABEL[kind],
            )
        )
    present = {v for v in zones["sovereign"] if isinstance(v, str) and v}
    if present - style.SOVEREIGN_COLOUR.keys():
        handles.append(Patch(facecolor=style.OTHER_COLOUR, alpha=0.6, label="zone of another country"))
    for sov in sorted(present & style.SOVEREIGN_COLOUR.keys()):
        handles.append(
            Patch(
                facecolor=style.SOVEREIGN_COLOUR.get(str(sov), style.OTHER_COLOUR),
                alpha=0.6,
                label=f"zone of {sov}",
            )
        )
    if "disputed" in set(zones["status"]):
        st = style.STATUS_STYLE["disputed"]
        handles.append(
            Patch(
                facecolor=st["fillColor"], edgecolor=st["color"], linestyle="--", alpha=0.6, label="disputed"
            )
        )
    if "joint" in set(zones["status"]):
        st = style.STATUS_STYLE["joint"]
        handles.append(
            Patch(
                facecolor=st["fillColor"],
                edgecolor=st["color"],
                linestyle=":",
                alpha=0.6,
                label="joint regime",
            )
        )


def _draw_shapes(ax: Any, layers: MapLayers, proj: _Projection, handles: list[Any], r_m: float) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    label_kw = {"fontsize": 7, "zorder": 12, "clip_on": True,
                "bbox": {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}, **_PLAIN}  # fmt: skip
    if len(layers.rings):
        geoms = layers.rings.geometry.to_numpy()
        for g in proj.xy(geoms):
            _fill(ax, g, facecolor=style.RING_COLOUR, alpha=0.04, edgecolor="none", zorder=4)
        for g in proj.outline(geoms):
            _lines(ax, g, colors=style.RING_COLOUR, linewidths=1.2, zorder=6)
        sites = layers.sites.set_index("name").geometry
        many = layers.rings["site"].nunique() > 1
        for r in layers.rings.itertuples(index=False):
            c = sites[r.site]
            x, y, _ = geodesy.direct(c.x, c.y, 135.0, r.range_km * 1e3)
            px, py = proj.fwd.transform(x, y)
            if abs(px) < r_m * 0.97 and abs(py) < r_m * 0.97:
                text = f"{r.site} {r.range_km:,.0f} km" if many else f"{r.range_km:,.0f} km"
                ax.text(px, py, text, color=style.RING_COLOUR, ha="left", va="top", **label_kw)
        handles.append(Line2D([], [], color=style.RING_COLOUR, lw=1.2, label="geodesic range ring"))
    if len(layers.regions):
        geoms = layers.regions.geometry.to_numpy()
        poly = np.isin(shapely.get_type_id(geoms), [3, 6])
        for g in proj.xy(geoms[poly]):
            _fill(ax, g, facecolor=style.REGION_COLOUR, alpha=0.3, edgecolor="none", zorder=5)
        for g in proj.outline(geoms[poly]):
            _lines(ax, g, colors=style.REGION_COLOUR, linewidths=1.0, linestyles=(0, (4, 2)), zorder=6)
        for g in proj.xy(geoms[~poly]):
            _lines(ax, g, colors=style.REGION_COLOUR, linewidths=2.5, zorder=6)
        handles.append(
            Patch(
                facecolor=style.REGION_COLOUR, alpha=0.4, edgecolor=style.REGION_COLOUR, label="impact region"
            )
        )
    if len(layers.tracks):
        for g in proj.xy(layers.tracks.geometry.to_numpy()):
            _lines(ax, g, colors=style.TRACK_COLOUR, linewidths=1.0, linestyles=(0, (5, 3)), zorder=7)
        handles.append(Line2D([], [], color=style.TRACK_COLOUR, lw=1.0, ls="--", label="flight track"))
    for gdf, colour, marker, label in (
        (layers.sites, style.SITE_COLOUR, "^", "launch site"),
        (layers.impacts, style.IMPACT_COLOUR, "o", "impact (best point)"),
    ):
        if not len(gdf):
            continue
        x, y = proj.fwd.transform(gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy())
        ax.scatter(x, y, s=36, c=colour, marker=marker, edgecolors="white", linewidths=0.8, zorder=10)
        for name, px, py in zip(gdf.name, x, y, strict=True):
            if abs(px) < r_m * 0.97 and abs(py) < r_m * 0.97:
                ax.annotate(str(name), (px, py), xytext=(5, 4), textcoords="offset points", **label_kw)
        handles.append(Line2D([], [], color=colour, marker=marker, ls="none", mec="white", ms=7, label=label))


def _nice(value: float) -> float:
    exp = 10 ** math.floor(math.log10(value))
    return float(max(m for m in (1, 2, 2.5, 5, 10) if m * exp <= value) * exp)


def _scale_bar(ax: Any, r_m: float) -> None:
    """A bar of a round length at the lower left; the projection is true along radii from the centre."""
    from matplotlib.patches import Rectangle

    length = _nice(r_m * 0.4)
    x0, y0 = -r_m * 0.92, -r_m * 0.9
    n = 4
    for i in range(n):
        ax.add_patch(
            Rectangle((x0 + i * length / n, y0), length / n, r_m * 0.012, facecolor="black" if i % 2 == 0 else "white",
                      edgecolor="black", linewidth=0.6, zorder=15)
        )  # fmt: skip
    km = length / 1e3
    ax.text(x0, y0 + r_m * 0.025, "0", fontsize=6.5, ha="center", zorder=15)
    ax.text(x0 + length, y0 + r_m * 0.025, f"{km:,.0f} km", fontsize=6.5, ha="center", zorder=15)
    ax.text(
        x0,
        y0 - r_m * 0.045,
        "scale true along lines through the centre",
        fontsize=5.5,
        color="#333",
        zorder=15,
    )


def _north_arrow(ax: Any, proj: _Projection, r_m: float) -> None:
    """An arrow at the upper left pointing to true north where it stands."""
    x, y = -r_m * 0.85, r_m * 0.78
    lon, lat = proj.inv.transform(x, y)
    lon2, lat2, _ = geodesy.direct(lon, lat, 0.0, r_m * 0.02)
    x2, y2 = proj.fwd.transform(lon2, lat2)
    dx, dy = x2 - x, y2 - y
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm * r_m * 0.09, dy / norm * r_m * 0.09
    ax.annotate("", xy=(x + ux, y + uy), xytext=(x, y),
                arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7", "color": "black", "lw": 1.5}, zorder=15)  # fmt: skip
    ax.text(
        x + ux * 1.25, y + uy * 1.25, "N", fontsize=10, fontweight="bold", ha="center", va="center", zorder=15
    )


def write_figure(
    layers: MapLayers, path: str | Path, *, dpi: int = DEFAULT_DPI, radius_km: float | None = None
) -> Path:
    """Write the figure as PNG, SVG or PDF (by suffix) in one step: a failed write leaves no file.

    Raises
    ------
    GeoError
        An unknown suffix.
    FileNotFoundError
        The destination folder does not exist.
    geo._io.OutputPathError
        The destination cannot be written (read-only, a full disk), named with the fix.
    """
    path = check_output_path(path, SUFFIXES)
    fig = build_figure(layers, radius_km=radius_km)
    buf = io.BytesIO()
    fmt = path.suffix.lower().lstrip(".")
    metadata = {"png": {"Software": "geo"}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    atomic_write_bytes(path, buf.getvalue())  # scratch named by pid, cleaned after a kill
    return path
