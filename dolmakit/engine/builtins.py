"""Imports every built-in reader and step so their registrations run."""

import importlib
import pkgutil
from types import ModuleType

import dolmakit.dedup
import dolmakit.filters
import dolmakit.io.dolma  # noqa: F401
import dolmakit.io.jsonl  # noqa: F401
import dolmakit.io.parquet  # noqa: F401
import dolmakit.io.warc  # noqa: F401
import dolmakit.io.wet  # noqa: F401
import dolmakit.sources
import dolmakit.taggers


def _import_every_module(package: ModuleType) -> None:
    for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        importlib.import_module(module.name)


# a module in taggers/, filters/ or dedup/ registers its steps when imported, and each package in
# sources/ is one source (Wikipedia, ArXiv...) whose __init__ imports the modules that register its
# reader and steps: all are found here, so adding a step or a source touches no shared file
for _package in (dolmakit.taggers, dolmakit.filters, dolmakit.dedup, dolmakit.sources):
    _import_every_module(_package)
