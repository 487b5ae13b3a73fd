"""Small I/O helpers shared by the CLI and the writers."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["atomic_path", "atomic_write_text", "to_json"]


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` all at once: a failed or interrupted write leaves nothing.

    The text goes to a scratch file next to the destination (see :func:`atomic_path`),
    which then replaces the destination in one rename.
    """
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A scratch path to write ``path`` through: it replaces ``path`` only if the block succeeds.

    The scratch path lies in a private temporary folder next to the destination, so writers
    that make several files (a GeoPackage's journal, a Shapefile's parts) can use that folder
    too. On any exception, or an interrupt, the folder is removed and ``path`` is untouched.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"output {str(path)!r} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    try:
        tmp = scratch / path.name
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # temporary files are private; give the usual permissions
        os.replace(tmp, path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_json(obj: Any, *, indent: int | None = 2) -> str:
    """JSON text; NaN and infinities are refused rather than written as invalid JSON."""
    return json.dumps(obj, indent=indent, ensure_ascii=False, allow_nan=False)
