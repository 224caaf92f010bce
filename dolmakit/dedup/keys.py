"""What dedup shuffles: small node keys for every decision, documents packed as bytes for the one
final join of each step.

A dedup step decides from hashes and keys alone; only the join that brings its decisions back
moves documents, and there a document travels as one bytes value. Why bytes: Beam's local runner
keeps every grouped value as a decoded Python object until its group is read (its
GroupingBuffer), so a Document waiting in a join costs its text plus hundreds of bytes of object
headers, dicts and strings, and a tuple key several more; a bytes value costs its length. Every
runner's coder then copies one buffer instead of walking a dataclass.
"""

from __future__ import annotations

import hashlib
import pickle

from dolmakit.core.document import Document

_SEPARATOR = b"\x00"
_DIGEST_BYTES = 8
_UNDATED = "\uffff"  # documents without a date sort last


def node_key(doc: Document) -> bytes:
    """created, id and an 8-byte digest of the text, NUL-separated.

    Bytes order is (created, id) order, which decides the copy a step keeps: UTF-8 preserves code
    point order and NUL sorts below every other character, so "a" < "ab" holds for the keys as
    for the strings. The digest keeps two documents with the same id apart. (An id that itself
    holds a NUL still gets a unique key; only its place in the order can differ.)"""
    digest = hashlib.blake2b(doc.text.encode("utf-8", "surrogatepass"), digest_size=_DIGEST_BYTES)
    created = (doc.created or _UNDATED).encode("utf-8", "surrogatepass")
    doc_id = doc.id.encode("utf-8", "surrogatepass")
    return created + _SEPARATOR + doc_id + _SEPARATOR + digest.digest()


def node_id(node: bytes) -> str:
    """The document id inside a node key (read from both ends, so an id may hold NULs)."""
    start = node.index(_SEPARATOR) + 1
    return node[start : -(_DIGEST_BYTES + 1)].decode("utf-8", "surrogatepass")


def pack(doc: Document) -> bytes:
    """A document as one bytes value: its fields pickled as a tuple (protocol 5, about 5 us and
    70 bytes over the text for a 2-KB document; zlib would halve the text at 20 times the
    CPU)."""
    fields = (doc.id, doc.text, doc.source, doc.added, doc.created, doc.metadata, doc.attributes)
    return pickle.dumps(fields, protocol=5)


def unpack(packed: bytes) -> Document:
    """The document pack() was given (its bytes come from this pipeline's own earlier stage)."""
    return Document(*pickle.loads(packed))


def keyed_packed(doc: Document) -> tuple[bytes, bytes]:
    """(node key, packed document): the document side of a step's join."""
    return node_key(doc), pack(doc)
