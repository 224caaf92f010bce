"""Node keys: what dedup shuffles in place of documents.

A node key names a document and where it waits: created, id, an 8-byte digest of the text, then
its address (the file and line of the staged file it is in), NUL-separated before the digest.
Bytes order is (created, id) order, which decides the copy a step keeps: UTF-8 preserves code
point order and NUL sorts below every other character, so "a" < "ab" holds for the keys as for
the strings. The digest keeps two documents with the same id apart, the address two copies of the
same record. (An id that itself holds a NUL still gets a unique key; only its place in the order
can differ.)
"""

from __future__ import annotations

import hashlib
import struct

from dolmakit.core.document import Document

_SEPARATOR = b"\x00"
_DIGEST_BYTES = 8
_ADDRESS = struct.Struct(">II")  # file, line: big-endian, so bytes order is (file, line) order
_TAIL = 1 + _DIGEST_BYTES + _ADDRESS.size
_UNDATED = "\uffff"  # documents without a date sort last


def node_key(doc: Document, file: int = 0, line: int = 0) -> bytes:
    digest = hashlib.blake2b(doc.text.encode("utf-8", "surrogatepass"), digest_size=_DIGEST_BYTES)
    created = (doc.created or _UNDATED).encode("utf-8", "surrogatepass")
    doc_id = doc.id.encode("utf-8", "surrogatepass")
    return (created + _SEPARATOR + doc_id + _SEPARATOR + digest.digest()
            + _ADDRESS.pack(file, line))  # fmt: skip


def node_id(node: bytes) -> str:
    """The document id inside a node key (read from both ends, so an id may hold NULs)."""
    start = node.index(_SEPARATOR) + 1
    return node[start:-_TAIL].decode("utf-8", "surrogatepass")


def node_address(node: bytes) -> tuple[int, int]:
    """(file, line) of the document in the staged files of its segment."""
    return _ADDRESS.unpack(node[-_ADDRESS.size :])


def address_key(file: int, line: int) -> bytes:
    """A key holding only an address: where a label goes, for a step that orders documents by
    their place in the input (line dedup, as CCNet)."""
    return _ADDRESS.pack(file, line)
