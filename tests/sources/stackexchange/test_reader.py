"""The stackexchange_posts reader on Posts.xml files written in tmp_path."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.io.readers import ReadConfig, reader_for
from dolmakit.sources.stackexchange.reader import StackExchangePostsReader

HEAD = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
QUESTION = (
    '  <row Id="1" PostTypeId="1" AcceptedAnswerId="2" CreationDate="2020-01-02T03:04:05.678" '
    'Score="3" Body="&lt;p&gt;Why &lt;code&gt;&amp;amp;&lt;/code&gt;?&lt;/p&gt;" Title="Ampersand" '
    'Tags="&lt;bash&gt;" />'
)
ANSWER = '  <row Id="2" PostTypeId="2" ParentId="1" Score="5" Body="&lt;p&gt;Because.&lt;/p&gt;" />'
TAG_WIKI = '  <row Id="3" PostTypeId="5" Body="&lt;p&gt;About bash.&lt;/p&gt;" />'
MALFORMED = '  <row Id="4" PostTypeId="2" ParentId="1" Body="cut'
LATER = '  <row Id="5" PostTypeId="2" ParentId="1" Score="0" Body="&lt;p&gt;Later.&lt;/p&gt;" />'


def write_posts(folder: Path, rows: list[str], name: str = "Posts.xml") -> Path:
    text = HEAD + "\n".join(rows) + "\n</posts>\n"
    path = folder / "askubuntu.com" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    elif name.endswith(".bz2"):
        data = bz2.compress(data)
    path.write_bytes(data)
    return path


def read(path: Path, **options) -> list:
    reader = StackExchangePostsReader(ReadConfig(options=options), "stackexchange", "2024-05-01")
    return list(reader.read(str(path)))


def test_questions_and_answers_become_documents(tmp_path):
    question, answer = read(write_posts(tmp_path, [QUESTION, ANSWER]))
    assert question.id == "askubuntu.com/1" and question.text == "Why &?"
    assert question.metadata["title"] == "Ampersand" and question.metadata["tags"] == ["bash"]
    assert question.created == "2020-01-02T03:04:05.678Z" and question.added == "2024-05-01"
    assert answer.id == "askubuntu.com/2" and answer.text == "Because."
    assert answer.metadata["parent_id"] == 1 and answer.metadata["post_type"] == "answer"


def test_other_post_types_are_removed_by_type(tmp_path):
    items = read(write_posts(tmp_path, [TAG_WIKI]))
    assert [(type(i), i.reason, i.doc.text) for i in items] == [
        (Removed, "post_type_5", "About bash.")
    ]


def test_a_malformed_row_is_an_error_and_the_rows_after_it_are_read(tmp_path):
    items = read(write_posts(tmp_path, [QUESTION, MALFORMED, LATER]))
    assert [type(item) for item in items] == [Document, ErrorRecord, Document]
    error = items[1]
    assert error.kind == "bad_record" and error.location["line"] == 4
    assert "malformed row" in error.cause and error.location["file"].endswith("Posts.xml")
    assert items[2].text == "Later."


def test_undecodable_bytes_are_an_error_of_their_own(tmp_path):
    path = write_posts(tmp_path, [QUESTION, "BROKEN", LATER])
    path.write_bytes(path.read_bytes().replace(b"BROKEN", b'  <row Id="9" Body="\xff\xfe" />'))
    items = read(path)
    assert [type(item) for item in items] == [Document, ErrorRecord, Document]
    assert items[1].kind == "undecodable" and items[1].location["line"] == 4


def test_a_line_that_is_not_a_row_is_an_error(tmp_path):
    items = read(write_posts(tmp_path, [QUESTION, "  <comment Id='1'/>", LATER]))
    assert [type(item) for item in items] == [Document, ErrorRecord, Document]
    assert "not a <row> element" in items[1].cause


def test_a_body_html_parser_cannot_read_is_an_error(tmp_path):
    row = '  <row Id="6" PostTypeId="2" ParentId="1" Body="&lt;p&gt;x&lt;![bogus section" />'
    items = read(write_posts(tmp_path, [row, LATER]))
    assert items[0].kind == "bad_body" and "post 6" in items[0].cause
    assert items[1].text == "Later."


@pytest.mark.parametrize("name", ["Posts.xml.gz", "Posts.xml.bz2"])
def test_compressed_dumps(tmp_path, name):
    items = read(write_posts(tmp_path, [QUESTION, ANSWER], name))
    assert [item.id for item in items] == ["askubuntu.com/1", "askubuntu.com/2"]


def test_a_truncated_gzip_stream_keeps_what_came_before_it(tmp_path):
    path = write_posts(tmp_path, [QUESTION] + [ANSWER] * 200 + [LATER], "Posts.xml.gz")
    path.write_bytes(path.read_bytes()[:-30])
    items = read(path)
    assert isinstance(items[0], Document)
    assert isinstance(items[-1], ErrorRecord) and items[-1].kind == "corrupt_file"
    assert "after line" in items[-1].cause


def test_a_missing_file_is_an_error(tmp_path):
    (error,) = read(tmp_path / "askubuntu.com" / "Posts.xml")
    assert error.kind == "corrupt_file"


def test_the_site_option_overrides_the_folder(tmp_path):
    (question,) = read(write_posts(tmp_path, [QUESTION]), site="superuser.com")
    assert question.id == "superuser.com/1"
    assert question.metadata["url"] == "https://superuser.com/questions/1"


def test_the_reader_is_found_by_file_name():
    for path in ("/d/math.stackexchange.com/Posts.xml", "gs://b/x/Posts.xml.bz2"):
        assert reader_for(path) is StackExchangePostsReader
    assert reader_for("/d/x/Users.xml") is not StackExchangePostsReader
