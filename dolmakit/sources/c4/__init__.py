"""C4 as released by AllenAI (c4/en/c4-train.*.json.gz): the `c4` reader."""

import dolmakit.sources.c4.reader  # noqa: F401
