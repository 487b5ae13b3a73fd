"""The build: inputs -> coast points -> spherical Voronoi -> geodesic cuts -> layers on disk."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo._zonebuild import assemble, cut, inputs, land, voronoi
from geo._zonebuild.facts import BASELINES, DISPUTES, REGIONS, SOURCES_DIR, TREATIES, Region, priority

__all__ = ["LAYERS", "NM", "PARAMS", "build", "land_layer"]

NM = 1852.0
LAYERS = ("land", "territorial_sea", "contiguous_zone", "eez")
RADII_NM = {"territorial_sea": 12.0, "contiguous_zone": 24.0, "eez": 200.0}
PARAMS = {
    "coast_simplify_deg": 0.001,  # ~100 m: the coast the limits are measured from
    "coast_spacing_deg": 0.009,  # <= 1 km between coast points
    "land_simplify_deg": 0.002,  # ~200 m: the stored land layer (size budget)
}
SOURCE = (
    "OSM land polygons (roaring-landmask 0.11.0, ODbL); geo-maps countries-maritime-10m "
    "0.6.0 (ODbL) for country attribution; JPN-KOR 1974 and CHN-VNM 2000 treaty points; "
    "PRC 1996 baselines (points 1-18)"
)
METHOD = {
    "land": "OSM land polygons simplified 0.002 deg, split by geo-maps country shapes",
    "territorial_sea": "0-12 nm from the OSM low-water line (PRC 1996 baselines 1-18); Voronoi median lines",
    "contiguous_zone": "12-24 nm belt from the OSM low-water line (PRC 1996 baselines 1-18); Voronoi median lines",
    "eez": "0-200 nm from the OSM low-water line (PRC 1996 baselines 1-18; incl. 12/24 nm belts); geodesic Voronoi "
    "median lines; JPN-KOR 1974 and CHN-VNM 2000 (Beibu Gulf) lines",
}


def _log(progress: Callable[[str], None] | None, t0: float, msg: str) -> None:
    if progress is not None:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        progress(f"[{time.time() - t0:6.1f} s, peak {rss:5.0f} MB] {msg}")


@dataclass(frozen=True)
class SourceCoast:
    """The points limits are measured from: coast points, then declared baseline points.

    ``pidx`` gives the land polygon (in ``polys``) of each coast point; ``lon``, ``lat``
    and ``owner`` run over the coast points and then the baseline points.
    """

    countries: gpd.GeoDataFrame
    polys: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    pidx: np.ndarray
    owner: np.ndarray


def source_coast(
    reg: Region, sources: Path, *, progress: Callable[[str], None] | None = None
) -> SourceCoast:
    """Coast points of ``reg`` with their owners (disputed features keyed), and baseline points."""
    say = progress or (lambda _m: None)
    countries = inputs.countries()
    say("geo-maps countries read")
    polys = inputs.osm_land(reg.coast_box)
    say(f"OSM land: {len(polys)} polygons in {reg.coast_box}")
    lon, lat, pidx = land.coast_points(
        polys,
        box=reg.coast_box,
        simplify_deg=PARAMS["coast_simplify_deg"],
        spacing_deg=PARAMS["coast_spacing_deg"],
    )
    country = land.country_of_points(lon, lat, countries)
    owner, dstats = land.apply_disputes(lon, lat, country, land.areas_km2(polys)[pidx], pidx)
    blon, blat, bowner = land.baseline_points(
        BASELINES, sources, spacing_m=PARAMS["coast_spacing_deg"] * 111e3, coast=(lon, lat)
    )
    say(f"{len(lon)} coast points, {len(blon)} baseline points, "
        f"owners {len(np.unique(owner))}, disputes {dstats}")
    return SourceCoast(countries, polys, np.r_[lon, blon], np.r_[lat, blat], pidx, np.r_[owner, bowner])


def build(
    out_dir: Path, *, region: str = "nwpacific", progress: Callable[[str], None] | None = None
) -> dict[str, object]:
    """Build every layer of ``region`` into ``out_dir`` (GeoPackage per layer + manifest.json)."""
    t0 = time.time()
    reg = REGIONS[region]
    sources = SOURCES_DIR
    lon_west = (reg.coast_box[0] + reg.coast_box[2]) / 2 - 180.0

    coast = source_coast(reg, sources, progress=lambda m: _log(progress, t0, m))
    lon, lat, owner = coast.lon, coast.lat, coast.owner
    codes, oi = np.unique(owner, return_inverse=True)

    cells = voronoi.voronoi_cells(lon, lat, oi, coast_box=reg.coast_box, lon_west=lon_west)
    vg = cut.VertexGeometry(cells, lon, lat)
    _log(progress, t0, f"spherical Voronoi: {len(cells.offsets) - 1} cells")

    n = len(coast.pidx)  # the coast points proper; baseline points follow them
    land_gdf, land_parts = land_layer(coast.polys, coast.pidx, owner[:n], coast.countries,
                                         coast_xy=(lon[:n], lat[:n]))
    land_tree = shapely.STRtree(land_parts)
    _log(progress, t0, "land layer")

    box = shapely.box(*reg.box)
    # the facts are the world's: only what lies in this region's coast box applies here
    coast_box = shapely.box(*reg.coast_box)
    region_treaties = [t for t in TREATIES if shapely.intersects(t.region(sources), coast_box)]
    region_disputes = [d for d in DISPUTES if shapely.intersects(shapely.box(*d.box), coast_box)]
    zones: dict[str, dict[str, shapely.Geometry]] = {}
    sides: dict[str, tuple[str, str]] = {}  # per treaty: the party on each side, fixed by the EEZ
    for kind in ("eez", "contiguous_zone", "territorial_sea"):
        pieces = cut.cut_cells(cells, lon, lat, vg, RADII_NM[kind] * NM)
        z = {}
        for k, code in enumerate(codes):
            z[code] = assemble.clean(shapely.union_all(pieces[oi == k]))
        del pieces
        for treaty in region_treaties:
            sides[treaty.key] = assemble.apply_treaty(z, treaty, sources, sides.get(treaty.key))
        zones[kind] = z
        _log(progress, t0, f"{kind}: cut and dissolved")
    # belts: the contiguous zone is 12-24 nm, the territorial sea 0-12 nm
    for code in codes:
        zones["contiguous_zone"][code] = shapely.difference(
            zones["contiguous_zone"][code], zones["territorial_sea"][code]
        )
    treaty_parties = {p for t in region_treaties for p in t.parties}
    frames = {"land": land_gdf}
    for kind in ("territorial_sea", "contiguous_zone", "eez"):
        z = {}
        for code, g in zones[kind].items():
            g = shapely.intersection(g, box)
            g = assemble.subtract_land(g, land_tree, land_parts)
            z[code] = assemble.split_antimeridian(g, lon_west)
        frames[kind] = assemble.layer_frame(
            kind, z, method=METHOD[kind], source=SOURCE, treaty_parties=treaty_parties
        )
        _log(progress, t0, f"{kind}: clipped, land removed")
    lf = frames["land"]
    lf["geometry"] = [
        assemble.split_antimeridian(shapely.intersection(g, box), lon_west) for g in lf.geometry.values
    ]
    frames["land"] = lf[~lf.geometry.is_empty].reset_index(drop=True)

    out_dir.mkdir(parents=True, exist_ok=True)
    for kind, gdf in frames.items():
        path = out_dir / f"{kind}.gpkg"
        if path.exists():
            path.unlink()
        gdf.to_file(path, layer=kind, driver="GPKG")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    manifest: dict[str, object] = {
        "region": region,
        "box": list(reg.box),
        "crs": "EPSG:4326",
        "layers": {k: {"file": f"{k}.gpkg", "features": len(v)} for k, v in frames.items()},
        "inputs": inputs.INPUTS,
        "treaties": [
            {"key": t.key, "name": t.name, "csv": f"sources/{t.csv}", "datum": t.source_datum}
            for t in region_treaties
        ],
        "baselines": [
            {"key": b.key, "state": b.state, "name": b.name, "csv": f"sources/{b.csv}", "datum": "as declared (none stated)"}
            for b in BASELINES
        ],
        "disputes": [{"key": d.key, "name": d.name, "claimants": list(d.claimants)} for d in region_disputes],
        "params": PARAMS,
        "licence": "ODbL-1.0: contains information from OpenStreetMap (c) OpenStreetMap contributors",
        "build": {"seconds": round(time.time() - t0, 1), "peak_rss_mb": round(rss)},
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    _log(progress, t0, f"written to {out_dir}")
    return manifest


def _claim_shape(code: str, shapes: gpd.GeoSeries) -> shapely.Geometry | None:
    """The shape whose land goes to ``code``: a geo-maps country (and its copy 360 deg east),
    or a disputed feature's box within the shape of the country its land is taken from."""
    dispute = next((d for d in DISPUTES if d.key == code), None)
    if dispute is not None:
        box = shapely.box(*dispute.box)
        holder = dispute.only_from
        return box if holder is None or holder not in shapes.index else shapely.intersection(
            box, shapely.make_valid(shapes[holder]))
    if code not in shapes.index:
        return None
    s = shapely.make_valid(shapes[code])
    return shapely.union(s, shapely.transform(s, lambda xy: xy + np.array([360.0, 0.0])))


def land_layer(
    polys: np.ndarray,
    pidx: np.ndarray,
    owner: np.ndarray,
    countries: gpd.GeoDataFrame,
    *,
    coast_xy: tuple[np.ndarray, np.ndarray],
    simplify_deg: float = PARAMS["land_simplify_deg"],
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Land per owner, and the simplified land parts that zones subtract.

    A polygon whose coast points all have one owner goes to it whole; the few that hold
    several countries (continents, Borneo, New Guinea, Timor) are split by the geo-maps
    shapes.
    """
    simple = shapely.simplify(polys, simplify_deg, preserve_topology=True)
    simple = shapely.make_valid(simple, method="structure", keep_collapsed=False)
    codes, pairs, n_owners, single = land.polygon_owners(polys, pidx, owner, coast_xy)
    parts: dict[str, list[shapely.Geometry]] = {}
    groups = {c: simple[single == c] for c in np.unique(single[single != ""])}
    for c, g in groups.items():
        parts.setdefault(c, []).extend(list(shapely.get_parts(g)))
    shapes = countries.set_index("A3").geometry
    for i in np.flatnonzero(n_owners > 1):
        # each code takes only what earlier ones left (OSM's PRC covers Kinmen too), in the
        # order of facts.priority: disputed features (their box within the holder's shape) first
        rest = simple[i]
        for c in sorted(codes[pairs[pairs[:, 0] == i, 1]], key=priority):
            s = _claim_shape(c, shapes)
            if s is None:
                continue
            piece = shapely.intersection(rest, s)
            rest = shapely.difference(rest, piece)
            parts.setdefault(c, []).extend(list(shapely.get_parts(piece)))
    owners = sorted(parts)
    geoms = [shapely.union_all(parts[c]) for c in owners]
    zones = dict(zip(owners, geoms, strict=True))
    gdf = assemble.layer_frame("land", zones, method=METHOD["land"], source=SOURCE, treaty_parties=set())
    all_parts = shapely.get_parts(shapely.union_all(simple))
    return gdf, all_parts
