"""Where the files shipped with ``geo`` live, installed or in a checkout.

The maritime-zone bundle is kept in the repository at ``data/boundaries/`` (with its
provenance README) and installed inside the package as ``geo/_bundle/`` (pyproject maps
the one folder to the other), so an installed wheel needs no environment variable and a
checkout (``pip install -e .``) reads the repository's folder directly.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

__all__ = ["bundle_dir", "checkout_bundle_dir", "installed_bundle_dir"]


def installed_bundle_dir() -> Path:
    """``geo/_bundle`` inside the installed package (it exists in a wheel install)."""
    return Path(str(importlib.resources.files("geo").joinpath("_bundle")))


def checkout_bundle_dir() -> Path:
    """``data/boundaries`` of the repository this package was imported from (editable installs)."""
    return Path(str(importlib.resources.files("geo"))).resolve().parent / "data" / "boundaries"


def bundle_dir() -> Path:
    """The bundled zone layers: the installed copy if there is one, else the checkout's.

    Examples
    --------
    >>> (bundle_dir() / "manifest.json").is_file()
    True
    """
    installed = installed_bundle_dir()
    return installed if installed.is_dir() else checkout_bundle_dir()
