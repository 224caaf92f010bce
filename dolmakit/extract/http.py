"""HTTP payload decoding: transfer encoding (chunked), then content encoding (gzip, deflate, br).

Crawlers differ: wget and Heritrix keep bodies as sent, Common Crawl stores them decoded but
ClueWeb kept the `Content-Encoding: gzip` header on bodies it had already decoded. So a declared
encoding is applied only when the bytes really are in it; otherwise the body is used as it is and
the fact is noted. Decompression is bounded, so a small compressed body cannot blow up memory.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field

from fastwarc.stream_io import BrotliReader, ChunkedReader

# how fastwarc's ChunkedReader says a size line is no chunk size (else it ran out of bytes)
_NOT_CHUNKED = "Invalid chunk header"


class BodyTooLarge(Exception):
    """The decoded body is larger than allowed."""


@dataclass
class Payload:
    body: bytes
    notes: list[str] = field(default_factory=list)  # encodings that were declared but not used


def decode_payload(body: bytes, transfer: str | None, content: str | None, limit: int) -> Payload:
    payload = Payload(body)
    if transfer and "chunked" in transfer.lower():
        unchunked = dechunk(body)
        if unchunked is None:
            payload.notes.append("transfer_encoding_not_chunked")
        else:
            payload.body = unchunked
    for encoding in _encodings(content):
        decoded = _decompress(payload.body, encoding, limit)
        if decoded is None:
            payload.notes.append(f"content_encoding_{encoding}_not_applied")
        else:
            payload.body = decoded
    return payload


def dechunk(body: bytes) -> bytes | None:
    """The body of a chunked transfer, decoded by fastwarc's ChunkedReader; None when the bytes
    are not chunked (a chunk header that is not a bare hex size). A transfer cut short, as
    crawlers cut long bodies, keeps the bytes that came: the reader counts what it decoded
    before it ran out, and a second reader returns that many."""
    reader = ChunkedReader(io.BytesIO(body))
    try:
        return reader.read()
    except OSError as error:
        if str(error).startswith(_NOT_CHUNKED):
            return None
        decoded = reader.tell()
    return ChunkedReader(io.BytesIO(body)).read(decoded)


def _encodings(content: str | None) -> list[str]:
    """Content encodings in the order to undo them (the header lists them as applied)."""
    known = ("gzip", "x-gzip", "deflate", "br")
    names = [part.strip().lower() for part in (content or "").split(",")]
    return [name for name in reversed(names) if name in known]


def _decompress(body: bytes, encoding: str, limit: int) -> bytes | None:
    try:
        if encoding == "br":
            data = BrotliReader(io.BytesIO(body)).read(limit + 1)
        else:
            data = _inflate(body, gzip=encoding != "deflate", limit=limit)
    except (OSError, zlib.error):
        return None
    if len(data) > limit:
        raise BodyTooLarge(f"decoded body is larger than {limit} bytes")
    return data or None


def _inflate(body: bytes, *, gzip: bool, limit: int) -> bytes:
    # gzip: wbits 31; deflate: zlib-wrapped (15) as the standard says, raw (-15) as servers do
    for wbits in (31,) if gzip else (15, -15):
        try:
            decompressor = zlib.decompressobj(wbits)
            return decompressor.decompress(body, limit + 1)
        except zlib.error:
            continue
    raise zlib.error("not deflate data")
