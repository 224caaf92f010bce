"""Imports every built-in reader and step so their registrations run."""

import importlib
import pkgutil

import dolmakit.dedup.exact  # noqa: F401
import dolmakit.dedup.lines  # noqa: F401
import dolmakit.dedup.minhash  # noqa: F401
import dolmakit.filters.attribute_filter  # noqa: F401
import dolmakit.filters.decontaminate  # noqa: F401
import dolmakit.io.dolma  # noqa: F401
import dolmakit.io.jsonl  # noqa: F401
import dolmakit.io.parquet  # noqa: F401
import dolmakit.io.warc  # noqa: F401
import dolmakit.io.wet  # noqa: F401
import dolmakit.sources
import dolmakit.taggers.c4  # noqa: F401
import dolmakit.taggers.code  # noqa: F401
import dolmakit.taggers.fineweb  # noqa: F401
import dolmakit.taggers.gopher  # noqa: F401
import dolmakit.taggers.language  # noqa: F401
import dolmakit.taggers.perplexity  # noqa: F401
import dolmakit.taggers.pii  # noqa: F401
import dolmakit.taggers.quality  # noqa: F401
import dolmakit.taggers.stats  # noqa: F401
import dolmakit.taggers.url  # noqa: F401

# each package in dolmakit/sources/ is one source (Wikipedia, ArXiv...): its __init__ imports the
# modules that register its reader and steps, so adding a source touches no shared file
for _module in pkgutil.iter_modules(dolmakit.sources.__path__, "dolmakit.sources."):
    importlib.import_module(_module.name)
