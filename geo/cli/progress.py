"""Progress bars on stderr for the commands that run longer than a moment.

A bar is drawn only when stderr is a terminal: piped or redirected, the commands write
nothing but their messages there (``geo assess-events - --json 2>log`` stays clean).
Built on tqdm, imported when a bar is made.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["on_terminal", "progress", "stages"]

_T = TypeVar("_T")


def on_terminal() -> bool:
    """Whether stderr is a terminal (the only place a bar is drawn)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def _tqdm(**kwargs: Any) -> Any:
    tqdm = importlib.import_module("tqdm").tqdm  # typed as Any: tqdm ships no type information
    return tqdm(file=sys.stderr, disable=not on_terminal(), leave=False, **kwargs)


def progress(items: Iterable[_T], *, desc: str, total: int | None = None, unit: str = "row") -> Iterator[_T]:
    """``items``, one by one, with a bar counting them on a terminal.

    Examples
    --------
    >>> list(progress([1, 2, 3], desc="counting"))  # stderr is no terminal here: no bar
    [1, 2, 3]
    """
    bar = _tqdm(total=total, desc=desc, unit=unit)
    try:
        for item in items:
            yield item
            bar.update(1)
    finally:
        bar.close()


@contextmanager
def stages(desc: str, names: Iterable[str]) -> Iterator[Callable[[str], None]]:
    """A bar over named stages of one long step; call the yielded function as each stage starts.

    Examples
    --------
    >>> with stages("map", ["layers", "html"]) as stage:
    ...     stage("layers")
    ...     stage("html")
    """
    names = list(names)
    bar = _tqdm(total=len(names), desc=desc, unit="step")
    started = [0]

    def stage(name: str) -> None:
        if started[0]:
            bar.update(1)
        started[0] += 1
        bar.set_postfix_str(name)

    try:
        yield stage
        if started[0]:
            bar.update(1)
    finally:
        bar.close()
