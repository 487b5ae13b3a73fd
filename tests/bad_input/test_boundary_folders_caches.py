"""Bad-input corpus, boundary folders and caches: files that lie or break never give a verdict.

Each case uses a small folder of synthetic layers (``GEO_BOUNDARIES_DIR``) and a private
index cache (``GEO_CACHE_DIR``), so a build takes a moment. The cache is a content-keyed
``.npz`` read without pickle: whatever sits in the cache folder, answers come from the
layer files as they are now.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import assess, geodesy, zones
from geo.assess import OutsideCoverageError

from .conftest import assert_clear_error, run_cli

P_JPN = (140.5, 40.0)  # in the synthetic eez of A, outside its land
P_SEA = (146.0, 40.0)  # in the manifest box, in no zone: high seas


def _frame(kind: str, sovereigns: list[str], geoms: list[object]) -> gpd.GeoDataFrame:
    n = len(geoms)
    return gpd.GeoDataFrame(
        {
            "kind": [kind] * n,
            "sovereign": sovereigns,
            "territory": sovereigns,
            "status": ["equidistance"] * n,
            "claimants": sovereigns,
            "administrator": sovereigns,
            "name": sovereigns,
            "method": ["test"] * n,
            "source": ["test"] * n,
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def _write(folder: Path, *, owner: str = "JPN", land: bool = True, manifest: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    disc = geodesy.ring(140.0, 40.0, 200_000)
    island = geodesy.ring(140.0, 40.0, 20_000)
    _frame("eez", [owner], [disc.difference(island)]).to_file(folder / "eez.gpkg", layer="eez")
    if land:
        _frame("land", [owner], [island]).to_file(folder / "land.gpkg", layer="land")
    if manifest:
        (folder / "manifest.json").write_text(json.dumps({"region": "test", "box": [130, 30, 150, 50]}))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    folder, cache = tmp_path / "zones", tmp_path / "cache"
    _write(folder)
    monkeypatch.setenv(zones.ENV_VAR, str(folder))
    monkeypatch.setenv("GEO_CACHE_DIR", str(cache))
    assess.zone_index.cache_clear()
    zones._read.cache_clear()
    yield folder, cache
    assess.zone_index.cache_clear()
    zones._read.cache_clear()


def _fresh() -> assess.ZoneIndex:
    assess.zone_index.cache_clear()
    zones._read.cache_clear()
    return assess.zone_index(None)


def _answers() -> list[str]:
    zi = _fresh()
    return zi.owner([P_JPN[0], P_SEA[0], 140.0, 120.0], [P_JPN[1], P_SEA[1], 40.0, 40.0]).tolist()


EXPECTED = ["JPN", "high_seas", "land:JPN", "outside_coverage"]


class _Proof:
    """Unpickling this creates a folder: the proof that a pickle was loaded."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.path),)


def _files(cache: Path) -> list[Path]:
    """Every file of the cache: the grid indexes (.npz), the store's entries (folders of .npy), digests."""
    return sorted(p for p in cache.rglob("*") if p.is_file())


def test_answers_and_cache_files(env: tuple[Path, Path]) -> None:
    assert _answers() == EXPECTED
    names = sorted(p.name for p in env[1].iterdir())
    grids = [n for n in names if n.endswith(".npz")]
    stored = [n for n in names if n.startswith("layer-")]  # geo.assess.store: a layer's columns and grid arrays
    assert len(grids) == 2 and len(stored) == 2 and set(names) == {*grids, *stored, "digests.json"}, names
    for entry in stored:
        files = {p.name for p in (env[1] / entry).iterdir()}
        assert "key.json" in files and files - {"key.json"} and all(f.endswith(".npy") for f in files - {"key.json"})


def test_a_planted_pickle_is_never_loaded(env: tuple[Path, Path], tmp_path: Path) -> None:
    folder, cache = env
    _answers()
    proof = tmp_path / "proof"
    payload = pickle.dumps(_Proof(proof))
    for f in _files(cache):  # every cache file, under its own name, becomes the payload
        f.write_bytes(payload)
    for layer in ("eez", "land"):  # and the very names the pickle cache (format 1) read
        st = (folder / f"{layer}.gpkg").stat()
        old = f"{(folder / f'{layer}.gpkg').resolve()}|{st.st_size}|{st.st_mtime_ns}|0.1|1"
        (cache / f"{layer}-{hashlib.sha256(old.encode()).hexdigest()[:16]}.pickle").write_bytes(payload)
    assert _answers() == EXPECTED
    assert not proof.exists()


def test_a_truncated_cache_file_is_rebuilt_whole(env: tuple[Path, Path]) -> None:
    _answers()
    entries = [next(env[1].glob("eez-*.npz")), *sorted(next(env[1].glob("layer-eez-*")).glob("*.npy"))]
    whole = [e.stat().st_size for e in entries]
    for entry, size in zip(entries, whole, strict=True):
        entry.write_bytes(entry.read_bytes()[: size // 2])
    assert _answers() == EXPECTED
    assert [e.stat().st_size for e in entries] == whole


def test_a_cache_of_one_layer_copied_over_anothers_name(env: tuple[Path, Path]) -> None:
    _answers()
    land = next(env[1].glob("land-*.npz"))
    eez = next(env[1].glob("eez-*.npz"))
    shutil.copyfile(land, eez)
    land_entry, eez_entry = next(env[1].glob("layer-land-*")), next(env[1].glob("layer-eez-*"))
    for f in land_entry.iterdir():  # the store's entry too, file by file (its key.json names land's key)
        shutil.copyfile(f, eez_entry / f.name)
    assert _answers() == EXPECTED
    assert eez.read_bytes() != land.read_bytes()  # rebuilt and replaced
    assert (eez_entry / "key.json").read_bytes() != (land_entry / "key.json").read_bytes()


def test_a_swapped_gpkg_with_the_same_mtime_gives_the_new_files_answers(
    env: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, _ = env
    assert _answers()[0] == "JPN"
    st = (folder / "eez.gpkg").stat()
    other = tmp_path / "other"
    _write(other, owner="KOR")
    shutil.copyfile(other / "eez.gpkg", folder / "eez.gpkg")
    os.utime(folder / "eez.gpkg", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (folder / "eez.gpkg").stat().st_mtime_ns == st.st_mtime_ns
    assert _answers()[0] == "KOR"


def test_the_cache_is_shared_by_identical_content_elsewhere(
    env: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = env
    _answers()
    # digests.json remembers each path's hash (the copy is hashed once): not an entry
    before = {str(p): p.stat().st_mtime_ns for p in _files(cache) if p.name != "digests.json"}
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    monkeypatch.setenv(zones.ENV_VAR, str(copy))
    assert _answers() == EXPECTED
    assert {str(p): p.stat().st_mtime_ns for p in _files(cache) if p.name != "digests.json"} == before


def test_an_unwritable_cache_folder_still_answers(
    env: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GEO_CACHE_DIR", str(blocker / "cache"))  # cannot be created, even by root
    assert _answers() == EXPECTED
    r = run_cli(["assess", "--lat", "40", "--lon", "140.5", "--json"])
    assert r.code == 0 and json.loads(r.out)["eez"] == "JPN"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda f: f.write_bytes(b"this is not a GeoPackage\n" * 10), id="garbage"),
        pytest.param(lambda f: f.write_bytes(f.read_bytes()[:1000]), id="truncated"),
        pytest.param(lambda f: f.write_bytes(b""), id="empty-file"),
    ],
)
def test_a_corrupt_gpkg_is_one_clear_error(env: tuple[Path, Path], damage) -> None:  # type: ignore[no-untyped-def]
    folder, _ = env
    damage(folder / "eez.gpkg")
    r = run_cli(["assess", "--lat", "40", "--lon", "140.5"])
    assert_clear_error(r, "eez.gpkg", "corrupt", "geo boundaries import")
    with pytest.raises(zones.BoundaryDataError, match=r"eez\.gpkg"):
        _fresh()


def test_an_empty_folder(env: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(zones.ENV_VAR, str(empty))
    assess.zone_index.cache_clear()
    r = run_cli(["assess", "--lat", "40", "--lon", "140.5"])
    assert_clear_error(r, "no eez.gpkg", str(empty), "geo boundaries import")


def test_a_folder_with_only_eez_gpkg_is_usable(
    env: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only = tmp_path / "imported"
    _write(only, land=False)
    monkeypatch.setenv(zones.ENV_VAR, str(only))
    assess.zone_index.cache_clear()
    r = run_cli(["assess", "--lat", "40", "--lon", "140.5", "--json"])
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["eez"] == "JPN" and out["nearest_coast"] == {"country": None, "distance_km": None}
    notes = [a for a in out["assumptions"] if a.startswith("layers:")]
    assert len(notes) == 1 and "land, territorial_sea, contiguous_zone missing" in notes[0]
    assert "no nearest coast without land" in notes[0]


def test_a_folder_without_a_manifest_covers_its_layers_extent(env: tuple[Path, Path]) -> None:
    folder, _ = env
    (folder / "manifest.json").unlink()
    zi = _fresh()
    w, s, e, n = shapely.total_bounds(zi._layers["eez"].frame.geometry.values)
    assert zi.covers([w, e, (w + e) / 2, e + 0.01], [s, n, (s + n) / 2, n]).tolist() == [
        True,
        True,
        True,
        False,
    ]
    with pytest.raises(OutsideCoverageError, match="outside"):
        assess.assess_point(P_SEA[0], P_SEA[1], zones=zi)  # in the old box, beyond the extent
    note = assess.assess_point(*P_JPN, zones=zi).assumptions
    assert any("no manifest.json" in a for a in note)


@pytest.mark.parametrize(
    "text",
    ["{not json", json.dumps({"box": [150, 30, 130, 95]}), json.dumps({"box": "everywhere"})],
    ids=["broken-json", "bad-box", "box-not-a-list"],
)
def test_a_broken_manifest_is_one_clear_error(env: tuple[Path, Path], text: str) -> None:
    folder, _ = env
    (folder / "manifest.json").write_text(text)
    assess.zone_index.cache_clear()
    r = run_cli(["assess", "--lat", "40", "--lon", "140.5"])
    assert_clear_error(r, "manifest.json")


def test_boundaries_dir_that_does_not_exist(
    env: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-folder"
    monkeypatch.setenv(zones.ENV_VAR, str(missing))
    assess.zone_index.cache_clear()
    r = run_cli(["assess", "--lat", "40", "--lon", "140.5", "--json"])
    assert_clear_error(r, str(missing), "geo boundaries import")
