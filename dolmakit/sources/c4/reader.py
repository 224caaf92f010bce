"""C4 as released (`c4-train.00000-of-01024.json.gz`): gzip JSON lines of text, url, timestamp.

The files are JSON lines like Dolma's, so the line loop, the line numbers of bad records and the
"truncated after line N" error are the JSONL reader's; what differs is the record. C4 has no id,
so a document's id is `<file stem>/<line number>` (with an optional prefix naming the variant,
since en, en.noclean and realnewslike reuse the same file names). Why not a hash of url + text:
C4 does hold repeated pages, and two equal hashes would be two documents with one id; the file
and line are unique, stable (the release never changes) and say where to find the record. The
timestamp (the crawl time, "2019-04-25T12:57:54Z") becomes `created`. The reader claims no file
suffix (`.json.gz` is the JSONL reader's): pipelines set `input.format: c4`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from dolmakit.core.document import Document, Removed
from dolmakit.io.jsonl import JsonlReader
from dolmakit.io.readers import READ_STEP, Item, register_reader

_SUFFIXES = (".json.gz", ".json.bz2", ".json.zst", ".json", ".jsonl.gz", ".jsonl")


@dataclass
class C4Options:
    # put before every id, e.g. "en/" or "realnewslike/": the variants reuse the same file names
    id_prefix: str = ""
    # metadata.license of every document (C4 is released under ODC-BY 1.0)
    license: str = "ODC-BY-1.0"


@register_reader
class C4Reader(JsonlReader):
    format_name = "c4"
    suffixes = ()  # .json.gz belongs to the Dolma JSONL reader: set input.format: c4
    Options = C4Options

    def read(self, path: str) -> Iterator[Item]:
        self._id_stem = self.options.id_prefix + file_stem(path)
        yield from super().read(path)

    def document(self, row: dict, line_number: int) -> Item:
        """The document of one C4 record (no id of its own: file and line make one), removed
        when its text is empty; ValueError names what is wrong with it."""
        text, url, timestamp = row.get("text"), row.get("url", ""), row.get("timestamp", "")
        for name, value in (("text", text), ("url", url), ("timestamp", timestamp)):
            if not isinstance(value, str):
                raise ValueError(f"'{name}' must be a string, got {type(value).__name__}")
        doc = Document(
            id=f"{self._id_stem}/{line_number}",
            text=text,
            source=self.source,
            added=self.added,
            created=timestamp,
            metadata={"url": url, "license": self.options.license},
        )
        return doc if text.strip() else Removed(doc, READ_STEP, "empty_text")


def file_stem(path: str) -> str:
    """`c4-train.00000-of-01024` for .../c4-train.00000-of-01024.json.gz."""
    name = posixpath.basename(path.replace("\\", "/"))
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name
