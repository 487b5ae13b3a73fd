"""Small I/O helpers shared by the CLI and the writers.

Every file ``geo`` writes goes through :func:`atomic_path`: the writer works in a hidden
scratch folder next to the destination, ``.NAME.pidPID.XXXXXXXX.part``, whose contents
replace the destination only when the writer has finished. A writer that is killed leaves
its scratch folder behind; the next write to the same destination removes the scratch of
writers that are no longer running (the pid in the name tells), never a live one's.
"""

from __future__ import annotations

import errno
import json
import math
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo._errors import GeoError

__all__ = [
    "NUMPY_LOAD_LOCK",
    "SHAPEFILE_PARTS",
    "OutputPathError",
    "OwnedLock",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output_path",
    "clean_stale_scratch",
    "to_json",
]

#: The files of a Shapefile besides the ``.shp``, replaced (or removed) with it: a stale
#: index (``.qix``, ``.sbn``) or code page next to a new ``.shp`` would describe another file.
SHAPEFILE_PARTS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")


class OwnedLock:
    """A lock that knows which thread holds it (:meth:`held`), for the checks of tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None

    def __enter__(self) -> OwnedLock:
        self._lock.acquire()
        self._owner = threading.get_ident()
        return self

    def __exit__(self, *exc: object) -> None:
        self._owner = None
        self._lock.release()

    def held(self) -> bool:
        """Whether the calling thread holds the lock."""
        return self._owner == threading.get_ident()


#: Held around every numpy file read (``np.load`` of a ``.npy``, the members of an ``.npz``)
#: that may run on a thread. numpy parses an array header with ``ast.literal_eval``, and on
#: CPython 3.11 two threads converting ASTs at once can fail with ``SystemError: AST
#: constructor recursion depth mismatch``: the converter's depth counter is shared between
#: threads, and a garbage collection inside one conversion (a finaliser that releases the
#: GIL) lets the other thread run. The zone index reads a folder's layers on threads.
NUMPY_LOAD_LOCK = OwnedLock()

_SCRATCH_SUFFIX = ".part"
_LEGACY_SCRATCH_AGE_S = 24 * 3600.0  # scratch without a pid (older versions): removed when this old


class OutputPathError(GeoError):
    """An output path that cannot be written; the message names the path and the fix."""


def check_output_path(path: str | Path, *, parents: bool = False) -> Path:
    """``path`` as a :class:`~pathlib.Path` if a file can be written there, else a clear error.

    Checked before any work is done, so a long computation does not end in a refusal.

    Parameters
    ----------
    path : path
        The file the user asked for.
    parents : bool, keyword-only
        Whether missing parent folders will be created (else a missing folder is an error).

    Raises
    ------
    OutputPathError
        ``path`` is a folder or read-only; its folder is missing (``parents=False``), is a
        file, or is not writable. The message names ``path``, never a scratch file.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     check_output_path(Path(d) / "no" / "x.gpkg")
    Traceback (most recent call last):
    ...
    geo._io.OutputPathError: output folder '...no' does not exist; create it first (mkdir -p ...no) or choose another folder
    """
    path = Path(path)
    shown = str(path)
    if path.is_dir():
        raise OutputPathError(f"output {shown!r} is a folder; give a file name inside it or another name")
    folder = path.parent
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise OutputPathError(
            f"cannot write {shown!r}: {str(existing)!r} is a file, not a folder; choose another folder"
        )
    if existing != folder and not parents:
        raise OutputPathError(
            f"output folder {str(folder)!r} does not exist; create it first (mkdir -p {folder}) "
            "or choose another folder"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputPathError(
            f"cannot write {shown!r}: the folder {str(existing)!r} is not writable; choose a writable folder"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputPathError(
            f"output {shown!r} is read-only; make it writable (chmod u+w {path}) or choose another name"
        )
    return path


def atomic_write_text(path: str | Path, text: str, *, parents: bool = False) -> Path:
    """Write ``text`` to ``path`` all at once: a failed or interrupted write leaves nothing.

    The text goes to a scratch file next to the destination (see :func:`atomic_path`),
    which then replaces the destination in one rename. A missing folder is an error unless
    ``parents`` is true.
    """
    return atomic_write_bytes(path, text.encode("utf-8"), parents=parents)


def atomic_write_bytes(path: str | Path, data: bytes, *, parents: bool = False) -> Path:
    """Write ``data`` to ``path`` all at once (see :func:`atomic_write_text`)."""
    with atomic_path(path, parents=parents) as tmp:
        tmp.write_bytes(data)
    return Path(path)


@contextmanager
def atomic_path(path: str | Path, *, parents: bool = True, sidecars: Sequence[str] = ()) -> Iterator[Path]:
    """A scratch path to write ``path`` through: it replaces ``path`` only if the block succeeds.

    The scratch path lies in a private folder next to the destination, so writers that
    make several files (a GeoPackage's journal, a Shapefile's parts) can use that folder
    too. On any exception, or an interrupt, the folder is removed and ``path`` is untouched;
    after a kill, the next write to ``path`` removes it (:func:`clean_stale_scratch`).

    Parameters
    ----------
    path : path
        The destination.
    parents : bool, keyword-only
        Create missing parent folders (the default, for caches); user outputs pass False.
    sidecars : sequence of str, keyword-only
        Suffixes of files that belong with ``path`` (:data:`SHAPEFILE_PARTS`): those the
        writer made replace their namesakes next to ``path``, the others are removed there.
        The old ``path`` is removed first and the new one moved last, so ``path`` is at
        every moment either absent or whole with its parts.

    Raises
    ------
    OutputPathError
        As :func:`check_output_path`; also a full disk or a failed rename, named by ``path``.
    """
    path = check_output_path(path, parents=parents)
    shown = str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_scratch(path)
        scratch = Path(
            tempfile.mkdtemp(
                prefix=f".{path.name}.pid{os.getpid()}.", suffix=_SCRATCH_SUFFIX, dir=path.parent
            )
        )
    except OSError as exc:
        raise _output_error(shown, exc) from None
    try:
        tmp = scratch / path.name
        try:
            yield tmp
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM):
                raise _output_error(shown, exc) from None
            raise
        try:
            _publish(tmp, path, sidecars)
        except OSError as exc:
            raise _output_error(shown, exc) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _publish(tmp: Path, path: Path, sidecars: Sequence[str]) -> None:
    mode = 0o666 & ~_umask()  # temporary files are private; give the usual permissions
    os.chmod(tmp, mode)
    if sidecars:
        path.unlink(missing_ok=True)  # from here the target reads as absent until it is whole
        for suffix in sidecars:
            new, old = tmp.with_suffix(suffix), path.with_suffix(suffix)
            if new.exists():
                os.chmod(new, mode)
                os.replace(new, old)
            else:
                old.unlink(missing_ok=True)
    os.replace(tmp, path)


def _output_error(shown: str, exc: OSError) -> OutputPathError:
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        fix = "free some space or choose another folder"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "choose a writable folder, or make this one writable"
    else:
        fix = "check the path or choose another"
    return OutputPathError(f"cannot write {shown!r}: {reason.lower()}; {fix}")


def clean_stale_scratch(path: str | Path) -> list[Path]:
    """Remove the scratch left next to ``path`` by writers that are no longer running.

    Scratch names carry the writer's pid (``.NAME.pidPID.XXXXXXXX.part``); those of live
    processes (on this machine) are kept, so concurrent writers do not disturb each other.
    Scratch without a pid, from older versions, is removed once a day old.

    Returns
    -------
    list of Path
        The entries removed.
    """
    path = Path(path)
    removed: list[Path] = []
    head = f".{path.name}"
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(head + ".") and name.endswith(_SCRATCH_SUFFIX)):
            continue
        body = name[: -len(_SCRATCH_SUFFIX)]
        owner, _, _rand = body.rpartition(".")
        stem, _, tag = owner.rpartition(".")
        if stem == head and tag.startswith("pid") and tag[3:].isdigit():
            if _alive(int(tag[3:])):
                continue
        elif owner == head:
            try:
                if time.time() - entry.stat(follow_symlinks=False).st_mtime < _LEGACY_SCRATCH_AGE_S:
                    continue
            except OSError:
                continue
        else:
            continue  # another target's scratch whose name starts like this one's
        target = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
        removed.append(target)
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (a zombie, already dead, does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    except OSError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def to_json(obj: Any, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """JSON text in which a missing number (NaN, an infinity) is ``null``, never invalid JSON.

    Numpy scalars and arrays become plain numbers and lists; tuples become lists.

    Examples
    --------
    >>> to_json({"a": float("nan"), "b": [1.5, float("inf")]}, indent=None)
    '{"a": null, "b": [1.5, null]}'
    """
    return json.dumps(_finite(obj), indent=indent, ensure_ascii=False, allow_nan=False, sort_keys=sort_keys)


def _finite(obj: Any) -> Any:
    """``obj`` with every NaN or infinite float replaced by None, recursively."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    if isinstance(obj, bool | int | str) or obj is None:
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    tolist = getattr(obj, "tolist", None)  # numpy scalars and arrays
    if callable(tolist):
        return _finite(tolist())
    return obj
