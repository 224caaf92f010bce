"""Lone surrogates: JSON may escape half of a UTF-16 pair (`"\\ud800"`), which Python decodes
into a str that no UTF-8 writer (nor fastText, nor KenLM) accepts. They are replaced by U+FFFD,
the replacement character, and counted."""

from __future__ import annotations

import re
from typing import Any

# after json.loads, a surrogate code point is always a lone one: a whole escaped pair decodes to
# the character it encodes
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def replace_lone_surrogates(value: Any) -> tuple[Any, int]:
    """`value` (a str, or lists and dicts of them, keys included) with every lone surrogate
    replaced by U+FFFD, and how many were replaced."""
    if isinstance(value, str):
        return _LONE_SURROGATE.subn(REPLACEMENT, value)
    if isinstance(value, list):
        pairs = [replace_lone_surrogates(item) for item in value]
        return [item for item, _ in pairs], sum(count for _, count in pairs)
    if isinstance(value, dict):
        repaired, total = {}, 0
        for key, item in value.items():
            (new_key, key_count), (new_item, item_count) = (
                replace_lone_surrogates(key),
                replace_lone_surrogates(item),
            )
            repaired[new_key] = new_item
            total += key_count + item_count
        return repaired, total
    return value, 0
