"""Bytes of a Gutenberg text -> str: UTF-8, else the charset its header names, else latin-1.

Project Gutenberg files are UTF-8 today (`-0.txt`), but the older ones are 8-bit (`-8.txt`, or a
plain `.txt` in ISO-8859-1) and name their charset in the header ("Character set encoding:
ISO-8859-1"). A declared charset that does not decode the bytes is an error rather than a guess,
except for ASCII and Latin-1, which older files often declare for Latin-1 bytes: those fall back
to Latin-1, as does a file that declares nothing. Latin-1 decodes any bytes, so binary content is
caught first, by its NUL and control bytes.
"""

from __future__ import annotations

import codecs
import re

_DECLARED = re.compile(rb"^[ \t]*Character set encoding:[ \t]*([^\r\n]*)", re.IGNORECASE | re.M)
_HEADER_BYTES = 64 << 10  # the header is in the first few KB; the marker list of old files too
# what the header says -> a codec name Python knows, for the spellings Gutenberg used
_ALIASES = {"isolatin1": "latin-1", "isolatin-1": "latin-1", "latin1": "latin-1",
            "unicodeutf8": "utf-8", "unicodeutf-8": "utf-8", "unicode": "utf-8"}  # fmt: skip
# declared charsets that may fall back to Latin-1 (ASCII files with a stray 8-bit letter)
_LATIN1_LIKE = {"ascii", "iso8859-1", "cp1252"}  # codecs.lookup() names
# bytes that never occur in text: C0 controls but tab, LF, FF, CR and ^Z (DOS end of file)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26)) + b"\x7f"
MAX_CONTROL_FRACTION = 0.001


class BookDecodeError(ValueError):
    """A file that is not text in any charset we may assume; `kind` names the case."""

    def __init__(self, kind: str, cause: str):
        super().__init__(cause)
        self.kind = kind


def decode_book(data: bytes) -> tuple[str, str]:
    """(text, codec used); BookDecodeError for binary content or a charset that does not fit."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16"), "utf-16"
    _refuse_binary(data)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared is not None and declared not in _LATIN1_LIKE:
        return _decode(data, declared), declared
    if declared == "cp1252" and (text := _decoded(data, declared)) is not None:
        return text, declared
    return data.decode("latin-1"), "iso8859-1"  # never fails: any byte is a Latin-1 character


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the header's "Character set encoding:", if it names one."""
    match = _DECLARED.search(data, 0, _HEADER_BYTES)
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace").strip().lower()
    name = _ALIASES.get(name.replace(" ", "").replace("_", ""), name.replace(" ", "-"))
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError) as error:
        raise BookDecodeError("undecodable", f"declared {codec} but {error}") from None


def _decoded(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _refuse_binary(data: bytes) -> None:
    """BookDecodeError("binary_file") for a NUL byte or more control bytes than text has."""
    if b"\x00" in data:
        raise BookDecodeError("binary_file", f"NUL byte at offset {data.index(0)}")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_FRACTION * len(data):
        raise BookDecodeError("binary_file", f"{controls} control bytes in {len(data)}")
