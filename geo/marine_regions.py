"""Official maritime zones: Marine Regions World EEZ files read into the zone schema of :mod:`geo.zones`.

:func:`read_marine_regions` maps a Marine Regions file (v11/v12 schema: ``POL_TYPE``,
``ISO_SOV1`` ...) onto the columns of the bundled layers; :func:`import_marine_regions`
writes it as a boundaries folder (``eez.gpkg`` and ``manifest.json``) for ``path=`` or
``$GEO_BOUNDARIES_DIR``. Both are also importable from :mod:`geo.zones`.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.zones import BoundaryDataError, ZoneRepairWarning, clear_cache

__all__ = ["import_marine_regions", "read_marine_regions"]


_MR_STATUS = {"200nm": "claimed", "overlapping claim": "disputed", "joint regime": "joint"}
_MR_REQUIRED = ("MRGID", "GEONAME", "POL_TYPE", "ISO_SOV1")


def read_marine_regions(file: str | os.PathLike[str], *, assume_crs: str | None = None) -> gpd.GeoDataFrame:
    """Read a Marine Regions World EEZ file (v11/v12 schema) into the zone schema.

    Parameters
    ----------
    file : path-like
        Shapefile or GeoPackage with the columns MRGID, GEONAME, POL_TYPE,
        ISO_SOV1..3 (ISO_TER1..3 and SOVEREIGN1..3 used when present); any case.
    assume_crs : str, optional
        CRS to assume when the file declares none (Marine Regions ships EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        Layer ``eez`` in the schema of :data:`COLUMNS`, EPSG:4326. POL_TYPE maps to
        status: 200NM -> ``claimed``, Overlapping claim -> ``disputed``, Joint regime ->
        ``joint``; ``sovereign`` is None for the last two.

    Raises
    ------
    BoundaryDataError
        Missing columns, no CRS, non-polygon or empty geometries (rows named).

    Warns
    -----
    ZoneRepairWarning
        When the CRS was transformed to EPSG:4326 or invalid polygons were repaired.
    """
    import warnings

    path = Path(file)
    if not path.exists():
        raise BoundaryDataError(f"no such file: {str(path)!r}; check the path")
    try:
        raw = gpd.read_file(path)
    except Exception as exc:
        raise BoundaryDataError(
            f"cannot read {str(path)!r} as a vector file ({exc}); give the Marine Regions World EEZ "
            "Shapefile (.shp or its .zip), GeoPackage or GeoJSON"
        ) from exc
    if len(raw) == 0:
        raise BoundaryDataError(
            f"{path.name} holds no features; give the Marine Regions World EEZ file (v11/v12)"
        )
    cols = {c.upper(): c for c in raw.columns if c != raw.geometry.name}
    missing = [c for c in _MR_REQUIRED if c not in cols]
    if missing:
        raise BoundaryDataError(
            f"{path.name} lacks the Marine Regions column(s) {missing}; expected the World EEZ "
            f"v11/v12 schema ({', '.join(_MR_REQUIRED)}, ISO_SOV2..3, ISO_TER1..3), found "
            f"{sorted(cols)}"
        )
    if raw.crs is None:
        if assume_crs is None:
            raise BoundaryDataError(
                f"{path.name} declares no CRS (a Shapefile without its .prj?); Marine Regions "
                f"files are EPSG:4326: pass --assume-crs EPSG:4326 (assume_crs= in Python) "
                f"if that is right"
            )
        raw = raw.set_crs(assume_crs)
    if raw.crs.to_epsg() != 4326:
        warnings.warn(
            ZoneRepairWarning(
                f"{path.name} is in {raw.crs.to_string()}, not EPSG:4326: "
                f"transformed to EPSG:4326 (lon, lat degrees)"
            ),
            stacklevel=2,
        )
        raw = raw.to_crs("EPSG:4326")
    geoms = _wrapped(raw.geometry.values, path.name, raw.crs)
    kind = shapely.get_type_id(geoms)
    bad = np.flatnonzero(~np.isin(kind, [3, 6]) | shapely.is_empty(geoms))
    if len(bad):
        raise BoundaryDataError(
            f"{path.name}: rows {bad[:10].tolist()} (0-based) are empty or "
            f"not polygons; every row must be a (Multi)Polygon"
        )
    invalid = np.flatnonzero(~shapely.is_valid(geoms))
    if len(invalid):
        reasons = shapely.is_valid_reason(geoms[invalid[:3]])
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        warnings.warn(
            ZoneRepairWarning(
                f"{path.name}: {len(invalid)} invalid polygon(s) repaired with make_valid "
                f"(rows {invalid[:10].tolist()}, e.g. {list(reasons)})"
            ),
            stacklevel=2,
        )

    def col(name: str) -> pd.Series:
        c = cols.get(name)
        if c is None:
            return pd.Series([None] * len(raw), index=raw.index, dtype=object)
        kept: pd.Series = raw[c].where(raw[c].notna() & (raw[c].astype(str).str.strip() != ""), None)
        return kept

    pol = col("POL_TYPE").astype(str).str.strip().str.lower()
    status = pol.map(_MR_STATUS)
    if status.isna().any():
        i = int(np.flatnonzero(status.isna().to_numpy())[0])
        raise BoundaryDataError(
            f"{path.name} row {i}: POL_TYPE {raw[cols['POL_TYPE']].iloc[i]!r} "
            f"is not one of 200NM, Overlapping claim, Joint regime"
        )
    sovs = pd.concat([col(f"ISO_SOV{k}") for k in (1, 2, 3)], axis=1).to_numpy(object)
    claimants = [";".join(sorted({v for v in row if isinstance(v, str) and v})) for row in sovs]
    single = np.asarray(status.to_numpy() == "claimed")

    def only_single(values: pd.Series) -> list[object]:
        return [v if s else None for v, s in zip(values.to_numpy(object), single, strict=True)]

    out = gpd.GeoDataFrame(
        {
            "kind": "eez",
            "sovereign": only_single(col("ISO_SOV1")),
            "territory": only_single(col("ISO_TER1")),
            "status": status.to_numpy(object),
            "claimants": claimants,
            "administrator": only_single(col("ISO_SOV1")),
            "name": col("GEONAME").to_numpy(object),
            "method": "imported: Marine Regions World EEZ",
            "source": [f"{path.name} MRGID {m}" for m in col("MRGID").to_numpy(object)],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )
    return out


def _wrapped(geoms: np.ndarray, name: str, crs: object) -> np.ndarray:
    """Geometries in [-180, 180] x [-90, 90]: parts beyond 180 deg moved by 360 deg (a warning
    says which rows); coordinates that cannot be degrees (a file that lies about its CRS) refused."""
    import warnings

    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        wild = (np.abs(bounds[:, [0, 2]]) > 540).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90 + 1e-9).any(
            axis=1
        )
        beyond = ~wild & ((bounds[:, 0] < -180) | (bounds[:, 2] > 180))
    if wild.any():
        rows = np.flatnonzero(wild)
        raise BoundaryDataError(
            f"{name}: rows {rows[:10].tolist()} (0-based) have coordinates beyond lon/lat degrees "
            f"(e.g. bounds {[round(float(v), 3) for v in bounds[rows[0]]]}) although the file says "
            f"{crs}; give the file's true CRS (fix its .prj, or --assume-crs for a file without one)"
        )
    if not beyond.any():
        return geoms
    out = geoms.copy()
    pieces = []
    across = geoms[beyond]
    across = np.where(shapely.is_valid(across), across, shapely.make_valid(across))
    for shift in (-360.0, 0.0, 360.0):  # three copies of the world: a loop over 3, vectorised inside
        cut = shapely.intersection(across, shapely.box(-180 - shift, -90, 180 - shift, 90))
        pieces.append(shapely.transform(cut, lambda xy, d=shift: xy + np.array([d, 0.0])))
    out[beyond] = [
        shapely.MultiPolygon(
            [q for g in group for q in shapely.get_parts(g) if q.geom_type == "Polygon" and not q.is_empty]
        )
        for group in zip(*pieces, strict=True)
    ]
    warnings.warn(
        ZoneRepairWarning(
            f"{name}: rows {np.flatnonzero(beyond)[:10].tolist()} (0-based) extend beyond 180 deg; "
            f"split at the antimeridian and the parts beyond moved by 360 deg"
        ),
        stacklevel=3,
    )
    return out


def import_marine_regions(
    file: str | os.PathLike[str], out_dir: str | os.PathLike[str], *, assume_crs: str | None = None
) -> Path:
    """Write a Marine Regions file as ``out_dir/eez.gpkg`` for ``path=`` / ``$GEO_BOUNDARIES_DIR``.

    The layer is written to a scratch file and then replaces any earlier ``eez.gpkg`` in
    one rename (a failed or killed import leaves the earlier one intact), and
    ``out_dir/manifest.json`` says what the folder holds: ``source``, ``layers``
    (``{"eez": {"file", "features"}}``, as in the bundle's manifest) and ``box``, the imported file's extent ``[west, south, east, north]`` in
    degrees, which is the coverage of the folder. Returns the written file's path. See
    :func:`read_marine_regions` for the mapping.
    """
    import hashlib

    from geo._io import atomic_path, atomic_write_text, check_output_path, to_json

    out = Path(out_dir)
    target = check_output_path(out / "eez.gpkg", parents=True)
    gdf = read_marine_regions(file, assume_crs=assume_crs)
    with atomic_path(target, parents=True) as tmp:
        gdf.to_file(tmp, layer="eez", driver="GPKG")
    src = Path(file)
    digest = hashlib.sha256()
    if src.is_file():  # a Shapefile folder is read whole by GDAL; its parts are not hashed
        with src.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    west, south, east, north = (float(v) for v in gdf.total_bounds)
    manifest = {
        "region": "imported",
        "source": f"Marine Regions World EEZ ({src.name})",
        "crs": "EPSG:4326",
        "layers": {"eez": {"file": "eez.gpkg", "features": len(gdf)}},  # as the bundle's manifest
        "box": [west, south, east, north],
        "inputs": {
            "marine_regions": {"file": src.name, "sha256": digest.hexdigest() if src.is_file() else None}
        },
        "licence": "see the Marine Regions licence of the imported file (CC-BY 4.0)",
    }
    atomic_write_text(out / "manifest.json", to_json(manifest) + "\n")
    clear_cache()
    return target
