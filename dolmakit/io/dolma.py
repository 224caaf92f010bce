"""Dolma's layout: documents without attributes, and beside them one folder per tagger whose
files mirror the documents' (same names, same order, one line per document):

    <root>/documents/part-00000-of-00002.jsonl.gz        {"id", "text", "source", "added", ...}
    <root>/attributes/<step>/part-00000-of-00002.jsonl.gz {"id", "source", "attributes": {...}}

An attribute `<step>__<key>` goes to attributes/<step>/ under its full name, as Dolma's taggers
write `<tagger>__<key>`; a key without `__` goes to attributes/input/. A new tagger or threshold
then adds a folder and never rewrites the corpus, and Dolma's own mixer reads the result.

Writing follows Beam's file-sink protocol, so a retried bundle never leaves a duplicate: every
bundle writes its documents and attribute files under a temporary folder and reports them only
once they are closed; one finalizing step then renames the reported files to their part names
(and writes an attribute file of empty lines for a bundle whose documents had none of that
step's attributes, so every folder has every part) and removes the temporary folder.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from dolmakit.core.document import Document
from dolmakit.io.files import DECOMPRESSION_ERRORS, lines, open_decompressed
from dolmakit.io.jsonl import JsonlReader
from dolmakit.io.readers import Item, register_reader
from dolmakit.io.writers import json_line

DOCUMENTS, ATTRIBUTES = "documents", "attributes"
NO_STEP = "input"  # the folder of attribute keys without a `<step>__` prefix
SUFFIXES = {
    "gzip": (".jsonl.gz", CompressionTypes.GZIP),
    "zstd": (".jsonl.zst", CompressionTypes.ZSTD),
    "none": (".jsonl", CompressionTypes.UNCOMPRESSED),
}


def attribute_folder(key: str) -> str:
    step, separator, _ = key.partition("__")
    return step if separator and step else NO_STEP


def document_line(doc: Document) -> dict[str, Any]:
    row = doc.to_dict()
    del row["attributes"]
    return row


def attributes_line(doc_id: str, source: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc_id, "source": source, "attributes": attributes}


def encode(row: dict[str, Any]) -> bytes:
    return json_line(row) + b"\n"


@dataclass
class BundleFiles:
    """What one bundle wrote under the temporary folder."""

    name: str
    folders: list[str]
    documents: int


@dataclass
class _OpenBundle:
    name: str
    temp: str
    compression: str
    streams: dict[str, BinaryIO] = field(default_factory=dict)
    ids: list[tuple[str, str]] = field(default_factory=list)  # (id, source) of each document

    def path(self, folder: str | None) -> str:
        suffix = SUFFIXES[self.compression][0]
        kind = DOCUMENTS if folder is None else f"{ATTRIBUTES}/{folder}"
        return f"{self.temp}/{self.name}/{kind}{suffix}"

    def stream(self, folder: str | None) -> BinaryIO:
        key = folder or ""
        if key not in self.streams:
            self.streams[key] = FileSystems.create(
                self.path(folder), compression_type=SUFFIXES[self.compression][1]
            )
            if folder is not None:  # the documents before this one had none of its attributes
                for doc_id, source in self.ids:
                    self.streams[key].write(encode(attributes_line(doc_id, source, {})))
        return self.streams[key]

    def write(self, doc: Document) -> None:
        by_folder: dict[str, dict[str, Any]] = {}
        for key, spans in doc.attributes.items():
            by_folder.setdefault(attribute_folder(key), {})[key] = spans
        self.stream(None).write(encode(document_line(doc)))
        for folder in self.streams.keys() - {""} | by_folder.keys():
            attributes = by_folder.get(folder, {})
            self.stream(folder).write(encode(attributes_line(doc.id, doc.source, attributes)))
        self.ids.append((doc.id, doc.source))

    def close(self) -> BundleFiles:
        for stream in self.streams.values():
            stream.close()
        return BundleFiles(self.name, sorted(self.streams.keys() - {""}), len(self.ids))


class _WriteBundleFn(beam.DoFn):
    def __init__(self, temp: str, compression: str):
        self.temp, self.compression = temp, compression

    def start_bundle(self) -> None:
        self.bundle: _OpenBundle | None = None

    def process(self, doc: Document) -> None:
        if self.bundle is None:
            self.bundle = _OpenBundle(uuid.uuid4().hex, self.temp, self.compression)
        self.bundle.write(doc)

    def finish_bundle(self) -> Iterator[WindowedValue]:
        if self.bundle is not None:
            yield WindowedValue(self.bundle.close(), GlobalWindow().max_timestamp(),
                                [GlobalWindow()])  # fmt: skip
            self.bundle = None


class _FinalizeFn(beam.DoFn):
    """Renames every reported bundle's files to their part names; safe to run again."""

    def __init__(self, root: str, temp: str, compression: str):
        self.root, self.temp, self.compression = root, temp, compression

    def process(self, bundles: list[BundleFiles]) -> Iterator[int]:
        bundles = sorted(bundles, key=lambda b: b.name)
        folders = sorted({folder for bundle in bundles for folder in bundle.folders})
        suffix = SUFFIXES[self.compression][0]
        for number, bundle in enumerate(bundles):
            part = f"part-{number:05d}-of-{len(bundles):05d}{suffix}"
            opened = _OpenBundle(bundle.name, self.temp, self.compression)
            for folder in folders:
                if folder not in bundle.folders:
                    self._empty_attributes(opened, folder)
            self._promote(opened.path(None), f"{self.root}/{DOCUMENTS}/{part}")
            for folder in folders:
                self._promote(opened.path(folder), f"{self.root}/{ATTRIBUTES}/{folder}/{part}")
        if FileSystems.exists(self.temp):
            FileSystems.delete([self.temp])
        yield len(bundles)

    def _empty_attributes(self, bundle: _OpenBundle, folder: str) -> None:
        target = bundle.path(folder)
        if FileSystems.exists(target) or not FileSystems.exists(bundle.path(None)):
            return  # written by an earlier try of this step
        with (
            open_decompressed(bundle.path(None)) as documents,
            FileSystems.create(target, compression_type=SUFFIXES[self.compression][1]) as out,
        ):
            for line in lines(documents):
                row = json.loads(line)
                out.write(encode(attributes_line(row["id"], row["source"], {})))

    @staticmethod
    def _promote(source: str, destination: str) -> None:
        if not FileSystems.exists(source):
            return  # renamed by an earlier try of this step
        folder = destination.rsplit("/", 1)[0]
        if not FileSystems.exists(folder):  # local folders; object stores have none to make
            FileSystems.mkdirs(folder)
        FileSystems.rename([source], [destination])


class WriteDolma(beam.PTransform):
    """Documents -> Dolma's documents/ and attributes/<step>/ files under `root`."""

    def __init__(self, root: str, compression: str = "gzip"):
        super().__init__()
        self.root, self.compression = root.rstrip("/"), compression
        self.temp = f"{self.root}/.dolma-temp-{uuid.uuid4().hex[:12]}"

    def expand(self, docs: beam.PCollection) -> beam.PCollection:
        return (
            docs
            | "Write bundles" >> beam.ParDo(_WriteBundleFn(self.temp, self.compression))
            | "Gather bundles" >> beam.combiners.ToList()
            | "Name parts" >> beam.ParDo(_FinalizeFn(self.root, self.temp, self.compression))
        )


@dataclass
class DolmaOptions:
    # attribute folders to join (names under attributes/); empty: every folder found
    attributes: list[str] = field(default_factory=list)


@register_reader
class DolmaReader(JsonlReader):
    """A Dolma dataset: each file of documents/ with the same-named file of every attributes/
    folder joined line by line (input.paths name the documents files, e.g. ds/documents/*.gz).
    A line whose attributes line has another id, or none, is a bad_record error."""

    format_name = "dolma"
    suffixes = ()  # .jsonl.gz is JSON lines unless input.format says dolma
    Options = DolmaOptions

    def read(self, path: str) -> Iterator[Item]:
        names = self.options.attributes or None
        for _, _, item in self.read_lines(path, attribute_files(path, names)):
            if item is not None:
                yield item

    def read_lines(
        self, path: str, files: dict[str, str]
    ) -> Iterator[tuple[int | None, bytes, Item | None]]:
        """(line number, line, record) for every line of the documents file in order, with the
        attribute files `files` (folder -> path) joined: None for a blank line, an error for a
        line that cannot be read or joined. `dolmakit tag` writes one line per entry with a
        line number, so its files mirror the documents file line for line; the entries without
        one (line None) come last: a damaged stream's corrupt_file, an attribute file's extra
        lines."""
        number = 0
        with ExitStack() as stack:
            streams = {name: lines(stack.enter_context(open_decompressed(file)))
                       for name, file in files.items()}  # fmt: skip
            try:
                with open_decompressed(path) as stream:
                    for number, line in enumerate(lines(stream), start=1):  # noqa: B007
                        joined = self._joined(line, path, number, streams) if line.strip() else None
                        yield number, line, joined
            except DECOMPRESSION_ERRORS as error:
                cause = f"{type(error).__name__}: {error} after line {number}"
                yield None, b"", self.error("corrupt_file", cause, path, line=number)
                return
            for name, attributes in streams.items():
                if any(line.strip() for line in attributes):
                    yield None, b"", self.error("bad_record", f"attributes/{name} has more lines "
                                                "than the documents file", files[name])  # fmt: skip

    def _joined(self, line: bytes, path: str, number: int, streams: dict) -> Item:
        item = self._parse(line, path, number)
        for name, stream in streams.items():
            row = _next_row(stream)
            if not isinstance(item, Document):
                continue
            if row is None or row.get("id") != item.id:
                found = "no line" if row is None else f"id {row.get('id')!r}"
                cause = f"attributes/{name} has {found} where the document has id {item.id!r}"
                return self.error("bad_record", cause, path, line=number)
            item.attributes.update(row.get("attributes") or {})
        return item


def attribute_files(path: str, names: list[str] | None = None) -> dict[str, str]:
    """The files attributes/<folder>/<rel> beside the documents file <root>/documents/<rel>,
    by folder: those of the folders `names`, or of every folder (None). A path outside a
    documents/ folder has none."""
    root, marker, relative = path.rpartition(f"/{DOCUMENTS}/")
    if not marker:
        return {}
    found = {}
    for metadata in FileSystems.match([f"{root}/{ATTRIBUTES}/*/{relative}"])[0].metadata_list:
        name = metadata.path[len(root) + len(ATTRIBUTES) + 2 :].split("/", 1)[0]
        if names is None or name in names:
            found[name] = metadata.path
    return dict(sorted(found.items()))


def _next_row(stream: Iterator[bytes]) -> dict | None:
    """The next attributes line; {} for one that is not a JSON object (a mismatch then)."""
    for line in stream:
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError:
                return {}
            return row if isinstance(row, dict) else {}
    return None
