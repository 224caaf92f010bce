"""dolmakit's version: the installed distribution's, else the pyproject.toml of the checkout
this package was imported from (a source tree on PYTHONPATH that was never installed)."""

from __future__ import annotations

import platform
import tomllib
from importlib import metadata
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def package_version(name: str = "dolmakit") -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return pyproject_version(PYPROJECT)


def pyproject_version(path: Path) -> str:
    """`project.version` of a pyproject.toml; "unknown" when there is none."""
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def versions_line() -> str:
    """What `dolmakit --version` prints: dolmakit's version, with Beam's and Python's."""
    try:
        beam = metadata.version("apache-beam")
    except metadata.PackageNotFoundError:
        beam = "not installed"
    return f"dolmakit {package_version()} (Apache Beam {beam}, Python {platform.python_version()})"
