"""The texts reader of the training tools (dolmakit.io.texts): its one rule and its errors."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest
import zstandard

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.io.texts import TextDocument, read_documents, read_texts

JSONL = (
    b'{"id": "d1", "text": "first\\nwith a newline"}\n'
    b"\n"
    b'{"id": 7, "text": "second", "source": "web"}\n'
    b'{"text": "no id"}\n'
)
JSONL_DOCUMENTS = [
    TextDocument("d1", "first\nwith a newline"),
    TextDocument("7", "second"),
    TextDocument(None, "no id"),
]
PLAIN = b"\n\none block\r\n  still one, indented\n \t\nanother block\n\n\nbad \xff byte\n"
PLAIN_TEXTS = ["one block\n  still one, indented", "another block", "bad \ufffd byte"]


def write(path: Path, data: bytes) -> Path:
    compress = {
        ".gz": gzip.compress,
        ".zst": zstandard.ZstdCompressor().compress,
        ".bz2": bz2.compress,
    }.get(path.suffix, bytes)
    path.write_bytes(compress(data))
    return path


def test_a_jsonl_gz_file_gives_each_lines_text_and_id(tmp_path):
    path = write(tmp_path / "docs.jsonl.gz", JSONL)
    assert list(read_documents([path])) == JSONL_DOCUMENTS


@pytest.mark.parametrize("name", ["docs.jsonl.zst", "docs.json.bz2", "docs.ndjson"])
def test_every_jsonl_name_and_compression_reads_alike(tmp_path, name):
    assert list(read_documents([write(tmp_path / name, JSONL)])) == JSONL_DOCUMENTS


@pytest.mark.parametrize("name", ["notes.txt", "notes.txt.zst", "notes.gz", "notes"])
def test_plain_text_gives_one_document_per_blank_line_separated_block(tmp_path, name):
    path = write(tmp_path / name, PLAIN)
    assert list(read_texts([path])) == PLAIN_TEXTS
    assert {doc.id for doc in read_documents([path])} == {None}


def test_a_folder_gives_every_visible_file_under_it_in_order(tmp_path):
    for folder in ("a", ".git"):
        (tmp_path / folder).mkdir()
    write(tmp_path / "b.txt", b"from b\n")
    write(tmp_path / "a" / "z.jsonl.gz", b'{"text": "from a/z"}\n')
    write(tmp_path / ".hidden.txt", b"hidden\n")
    write(tmp_path / ".git" / "config", b"hidden too\n")
    assert list(read_texts([tmp_path, tmp_path / "b.txt"])) == ["from a/z", "from b", "from b"]


def test_a_lone_surrogate_escape_becomes_the_replacement_character(tmp_path):
    path = write(tmp_path / "odd.jsonl", b'{"text": "a\\ud800b \\ud83d\\ude00"}\n')
    assert list(read_texts([path])) == ["a\ufffdb \U0001f600"]


def test_a_missing_path_names_itself_and_the_option(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(ConfigError) as raised:
        list(read_texts([missing], "--positive"))
    assert str(raised.value) == f"{missing}: --positive: no such file or folder"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"not json", "not JSON: Expecting value: line 1 column 1 (char 0)"),
        (b'{"text": 3}', "a line must be a JSON object with a 'text' string"),
        (b'["text"]', "a line must be a JSON object with a 'text' string"),
    ],
)
def test_a_bad_json_line_names_file_and_line_number(tmp_path, line, message):
    path = write(tmp_path / "bad.jsonl", b'{"text": "fine"}\n\n' + line + b"\n")
    with pytest.raises(FatalError) as raised:
        list(read_texts([path]))
    assert str(raised.value) == f"{path}:3: {message}"


def test_a_truncated_stream_says_after_which_line(tmp_path):
    data = gzip.compress(b"".join(b'{"text": "line %d"}\n' % n for n in range(2000)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    texts = []
    with pytest.raises(FatalError) as raised:
        for text in read_texts([path]):
            texts.append(text)
    assert texts and str(raised.value) == (
        f"{path}: cannot read after line {len(texts)}: "
        "Compressed file ended before the end-of-stream marker was reached"
    )
