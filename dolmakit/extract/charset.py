"""Bytes to text the way browsers and CCNet-style pipelines do it, recording how it was decided.

Candidates come in order: the HTTP Content-Type charset, then the HTML meta tag, then detection
(uchardet through resiliparse). A declared charset is only believed if the bytes decode cleanly
under it; a lying declaration falls through to the next candidate. When nothing decodes cleanly,
the candidate with the fewest bad bytes wins and the text is decoded with replacement characters,
the count recorded.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from resiliparse.parse.encoding import detect_encoding, map_encoding_to_html5

# HTML5 prescans the first 1024 bytes for a meta charset; real pages put it later, so look further
_META_SCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)


# a byte order mark overrides any declared charset (HTML5's rule, and what browsers do)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str
    source: str  # bom | http_header | html_meta | detected | fallback
    replacements: int = 0
    rejected: tuple[str, ...] = ()  # declared charsets the bytes did not decode under


def decode_html(body: bytes, http_charset: str | None) -> Decoded:
    if bom := byte_order_mark(body):
        mark, codec = bom
        text = body[len(mark) :].decode(codec, errors="replace")
        return Decoded(text, codec, "bom", text.count("\ufffd"))
    declared = [(http_charset, "http_header"), (meta_charset(body), "html_meta")]
    candidates = [(codec, source) for label, source in declared if (codec := _codec(label))]
    rejected: list[str] = []
    for codec, source in candidates:
        try:
            return Decoded(body.decode(codec), codec, source, 0, tuple(rejected))
        except UnicodeDecodeError:
            rejected.append(codec)
    # detection reads the whole body: only pay for it when no declaration holds
    detected = _codec(detect_encoding(body, from_html_meta=False)) or "utf-8"
    candidates.append((detected, "detected"))
    try:
        return Decoded(body.decode(detected), detected, "detected", 0, tuple(rejected))
    except UnicodeDecodeError:
        return _decode_with_replacement(body, candidates, tuple(rejected))


def byte_order_mark(body: bytes) -> tuple[bytes, str] | None:
    """(mark, codec) when the body starts with a UTF-8 or UTF-16 byte order mark."""
    return next(((mark, codec) for mark, codec in _BOMS if body.startswith(mark)), None)


def meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def _decode_with_replacement(
    body: bytes, candidates: list[tuple[str, str]], rejected: tuple[str, ...]
) -> Decoded:
    best: Decoded | None = None
    for codec, _source in candidates:
        text = body.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if best is None or bad < best.replacements:
            best = Decoded(_strip_bom(text), codec, "fallback", bad, rejected)
    assert best is not None  # candidates always holds the detected (or utf-8) codec
    return best


def _codec(label: str | None) -> str | None:
    """A Python codec for a charset label, through the WHATWG mapping (latin-1 -> cp1252 ...)."""
    if not label:
        return None
    name = map_encoding_to_html5(label.strip().strip("\"'"), fallback_utf8=False)
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
