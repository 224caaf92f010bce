"""Imports every built-in reader and step so their registrations run."""

import dolmakit.dedup.exact  # noqa: F401
import dolmakit.dedup.lines  # noqa: F401
import dolmakit.dedup.minhash  # noqa: F401
import dolmakit.filters  # noqa: F401
import dolmakit.io.jsonl  # noqa: F401
import dolmakit.io.parquet  # noqa: F401
import dolmakit.io.warc  # noqa: F401
import dolmakit.io.wet  # noqa: F401
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
