"""Progress bars on stderr for the commands that run longer than a moment.

A bar is drawn only when stderr is a terminal: piped or redirected, the commands write
nothing but their messages there (``geo assess-events - --json 2>log`` stays clean).
A bar made with ``delay_s`` shows only once its work has run that long (quick runs draw
nothing), and then ticks its elapsed time even while one stage runs on (a GeoPackage or KMZ
written in one call has no steps to count). Built on tqdm, imported when a bar is made.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["DELAY_S", "on_terminal", "progress", "stages"]

_T = TypeVar("_T")

#: Seconds a command runs before its bar shows (issue 12: bars on what runs longer than two seconds).
DELAY_S = 2.0

#: Seconds between redraws of a delayed bar while a stage runs on.
_TICK_S = 0.5

#: A stage bar shows the stage and the time so far (a rate of stages per second means nothing).
_STAGES_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"


def on_terminal() -> bool:
    """Whether stderr is a terminal (the only place a bar is drawn)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def _tqdm(**kwargs: Any) -> Any:
    tqdm = importlib.import_module("tqdm").tqdm  # typed as Any: tqdm ships no type information
    return tqdm(file=sys.stderr, disable=not on_terminal(), leave=False, **kwargs)


@contextmanager
def _ticking(bar: Any, delay_s: float) -> Iterator[None]:
    """Redraw ``bar`` every :data:`_TICK_S` once ``delay_s`` have passed, until the block ends.

    tqdm draws a delayed bar only on an update, so a long single stage would never show.
    """
    if bar.disable or delay_s <= 0:
        yield
        return
    done = threading.Event()

    def tick() -> None:
        if done.wait(delay_s):
            return
        while not done.is_set():
            bar.refresh()
            bar.last_print_t = time.time()  # tqdm clears a bar on close only if it knows it drew one
            done.wait(_TICK_S)

    ticker = threading.Thread(target=tick, name="geo-progress", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()


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
def stages(desc: str, names: Iterable[str], *, delay_s: float = 0.0) -> Iterator[Callable[[str], None]]:
    """A bar over named stages of one long step; call the yielded function as each stage starts.

    Parameters
    ----------
    desc : str
        The bar's label.
    names : iterable of str
        The stages, in order (their count is the bar's total).
    delay_s : float, default 0, keyword-only
        Show the bar only once the block has run this many seconds (:data:`DELAY_S` for
        commands that are often quick), then redraw it as its time runs.

    Examples
    --------
    >>> with stages("map", ["layers", "html"]) as stage:
    ...     stage("layers")
    ...     stage("html")
    >>> with stages("export", ["layers", "write"], delay_s=DELAY_S) as stage:
    ...     stage("layers")
    """
    names = list(names)
    bar = _tqdm(total=len(names), desc=desc, unit="step", delay=delay_s, bar_format=_STAGES_FORMAT)
    started = [0]

    def stage(name: str) -> None:
        if started[0]:
            bar.update(1)
        started[0] += 1
        bar.set_postfix_str(name, refresh=not delay_s)  # a delayed bar is drawn by its ticker

    try:
        with _ticking(bar, delay_s):
            yield stage
            if started[0]:
                bar.update(1)
    finally:
        bar.close()
