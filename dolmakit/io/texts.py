"""Texts of documents from files, for the tools that train or measure on text instead of running
a pipeline: the quality classifier, the perplexity cutoffs, the tokenizer and evaluation sets.

One rule, the one Dolma's and datatrove's users expect:
- a Dolma JSON lines file (a name the pipeline's JsonlReader claims: .jsonl, .json, .ndjson,
  optionally .gz, .zst, .zstd or .bz2) gives one document per non-blank line: its `text` string,
  with its `id` where it has one;
- any other file is plain UTF-8 text, decompressed by the same suffixes, with one document per
  block of lines between blank (empty or whitespace-only) lines; a block keeps its lines as
  written, without their line endings, joined by "\\n";
- a local folder gives every file under it in sorted order, hidden files and folders left out.

Files open through Beam's FileSystems (dolmakit.io.files), so gs:// and s3:// files read like
local ones. Undecodable bytes become U+FFFD, and so do lone surrogates from JSON escapes
("\\ud800"), which UTF-8 files, fastText and SentencePiece all refuse. Input that cannot be
read stops the reading with an error naming the file, and the line where there is one: a
missing path is a ConfigError, a line that is not a JSON object with a `text` string or a
damaged compressed stream a FatalError.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.io.files import DECOMPRESSION_ERRORS, lines, open_decompressed
from dolmakit.io.jsonl import JsonlReader

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class TextDocument(NamedTuple):
    id: str | None  # the JSON line's `id`; None in plain text and on lines without one
    text: str


def read_documents(
    paths: Iterable[str | Path], option: str | None = None
) -> Iterator[TextDocument]:
    """Every document of the files and folders, in order; a missing path's error names
    `option`, the command-line option or setting the paths came from."""
    for path in map(os.fspath, paths):
        for file in _files(path, option):
            is_jsonl = file.lower().endswith(JsonlReader.suffixes)
            yield from (_json_documents if is_jsonl else _text_blocks)(file)


def read_texts(paths: Iterable[str | Path], option: str | None = None) -> Iterator[str]:
    """The text of every document of the files and folders, in order."""
    return (document.text for document in read_documents(paths, option))


def _files(path: str, option: str | None) -> list[str]:
    if os.path.isdir(path):
        return sorted(_visible_files(path))
    if os.path.isfile(path) or "://" in path:  # a remote file's absence shows when it is opened
        return [path]
    raise ConfigError("no such file or folder", source=path, key=option)


def _visible_files(folder: str) -> Iterator[str]:
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        yield from (os.path.join(root, name) for name in names if not name.startswith("."))


def _json_documents(path: str) -> Iterator[TextDocument]:
    for number, line in _numbered_lines(path):
        if line.strip():
            yield _json_document(line, path, number)


def _json_document(line: str, path: str, number: int) -> TextDocument:
    try:
        row = json.loads(line)
    except ValueError as error:
        raise FatalError(f"{path}:{number}: not JSON: {error}") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise FatalError(f"{path}:{number}: a line must be a JSON object with a 'text' string")
    doc_id = row.get("id")
    text = _LONE_SURROGATE.sub("\ufffd", row["text"])
    return TextDocument(None if doc_id in (None, "") else str(doc_id), text)


def _text_blocks(path: str) -> Iterator[TextDocument]:
    block: list[str] = []
    for _, line in _numbered_lines(path):
        if line.strip():
            block.append(line)
        elif block:
            yield TextDocument(None, "\n".join(block))
            block = []
    if block:
        yield TextDocument(None, "\n".join(block))


def _numbered_lines(path: str) -> Iterator[tuple[int, str]]:
    """(number, line without its ending) of the decompressed file; a damaged or unreadable
    stream raises FatalError saying after which line."""
    number = 0
    try:
        with open_decompressed(path) as stream:
            for number, raw in enumerate(lines(stream), start=1):  # noqa: B007
                yield number, raw.decode("utf-8", errors="replace").rstrip("\r\n")
    except DECOMPRESSION_ERRORS as error:
        raise FatalError(f"{path}: cannot read after line {number}: {error}") from error
