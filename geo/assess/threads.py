"""How many of a folder's layers are built at once: the cores, and the memory the builds need.

A cold zone index builds each layer's store entry (its columns and grid index) from the
layer file; the builds are mostly GEOS clipping, which releases the GIL, so they overlap on
threads. Each build holds its layer's polygons and clipped pieces, so two world layers at once
need twice the memory of one: the number of threads is the cores (4 at most), lowered until
the largest builds' estimated peaks fit in :data:`MEMORY_SHARE` of the memory available.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["BYTES_PER_FILE_BYTE", "MAX_THREADS", "MEMORY_SHARE", "available_memory", "build_memory", "build_threads", "cores"]

MAX_THREADS = 4

#: Peak memory of one layer's cold build per byte of its file, by suffix. Measured 2026-12-07
#: on the bundles: the world's LZMA-packed layers (5-25 MB) ~155 (the Red Sea point's cold
#: build peaked at 3.96 GB one layer at a time, 7.84 GB two at a time); the region's
#: GeoPackages (4-12 MB) ~36 (0.73 GB one at a time). Another suffix counts as the larger.
BYTES_PER_FILE_BYTE = {".npz": 160, ".gpkg": 40}
_OTHER = max(BYTES_PER_FILE_BYTE.values())

#: The share of the memory available that the layer builds running at once may take.
MEMORY_SHARE = 0.5


def cores() -> int:
    """The cores this process may run on, at most :data:`MAX_THREADS`."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(n, MAX_THREADS))


def available_memory() -> int | None:
    """Bytes the system can give without swapping (Linux ``MemAvailable``), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - no sysconf names
        return None


def build_memory(file: Path) -> int:
    """The estimated peak memory (bytes) of building one layer file's store entry."""
    return Path(file).stat().st_size * BYTES_PER_FILE_BYTE.get(Path(file).suffix.lower(), _OTHER)


def build_threads(files: Sequence[Path], *, available: int | None = None, n_cores: int | None = None) -> int:
    """How many of these layer files to build at once (1 to :func:`cores`).

    As many as the cores allow, fewer when the largest builds' estimated peaks
    (:func:`build_memory`) would not fit in :data:`MEMORY_SHARE` of ``available`` (default:
    :func:`available_memory`; one at a time when that is unknown).

    >>> from pathlib import Path; import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> files = [d / f"{n}.npz" for n in ("land", "eez")]
    >>> for f in files:  # two 20 MB world layers (sparse files): ~3.2 GB each to build
    ...     with open(f, "wb") as fh:
    ...         _ = fh.truncate(20_000_000)
    >>> build_threads(files, available=24 * 2**30, n_cores=2), build_threads(files, available=6 * 2**30, n_cores=2)
    (2, 1)
    """
    n = min(len(files), cores() if n_cores is None else max(1, n_cores))
    if n < 2:
        return 1
    avail = available_memory() if available is None else available
    if avail is None:
        return 1
    need = sorted((build_memory(f) for f in files), reverse=True)
    budget = MEMORY_SHARE * avail
    t = 1
    while t < n and sum(need[: t + 1]) <= budget:
        t += 1
    return t
