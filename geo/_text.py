"""Numbers and dashes as reports write them, shared by the text parsers.

:data:`DASHES` and :data:`LNUM` are regular-expression pieces; :func:`number` reads a
token that :data:`LNUM` matched, or refuses it naming the fix.

Examples
--------
>>> number("1,000")
(1000.0, True)
>>> number("250.5")
(250.5, False)
"""

from __future__ import annotations

import re

from geo._errors import ParseError

__all__ = ["DASHES", "LNUM", "number"]

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212-"
"""Characters read as "to" between two numbers: hyphen(s), figure/en/em dash, minus sign (U+2212).

The ASCII hyphen comes last so that ``[...{DASHES}]`` is a literal class, never a range."""
LNUM = r"\d(?:[\d.,]*\d)?"
"""A number loosely (digits, points, commas): :func:`number` reads or refuses it."""


def number(token: str) -> tuple[float, bool]:
    """A number as written: ``(value, had_thousands_separators)``; a decimal comma is refused.

    ``"1,000"`` is one thousand (the English thousands separator, as press reports write
    distances); ``"250,5"`` is refused rather than read as 250 or 5.
    """
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token), False
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        return float(token.replace(",", "")), True
    if re.fullmatch(r"\d+,\d+", token):
        raise ParseError(
            f"{token!r} has a decimal comma; write {token.replace(',', '.')} "
            "(a comma is read only as a thousands separator, as in 1,000)"
        )
    raise ParseError(
        f"cannot read the number {token!r}; write digits with a decimal point, e.g. 250.5 or 1000"
    )
