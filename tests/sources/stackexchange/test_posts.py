"""One Posts.xml row: parsing, tags, site, licence, and the post document."""

from __future__ import annotations

import pytest

from dolmakit.sources.stackexchange.posts import (
    parse_row,
    parse_tags,
    post_document,
    site_from_path,
)

QUESTION_ROW = (
    '<row Id="42" PostTypeId="1" AcceptedAnswerId="44" CreationDate="2019-03-01T10:00:00.120" '
    'Score="-3" Body="&lt;p&gt;a &amp;amp; b&lt;/p&gt;&#xA;" '
    'Title="Why &lt;div&gt; &amp; not span?" '
    'Tags="&lt;html&gt;&lt;css&gt;" ContentLicense="CC BY-SA 4.0" />'
)


def test_a_question_row():
    post = parse_row(QUESTION_ROW)
    assert (post.id, post.type, post.score, post.accepted_answer_id) == (42, 1, -3, 44)
    assert post.body == "<p>a &amp; b</p>\n"  # XML-decoded once: still HTML
    assert post.title == "Why <div> & not span?"
    assert post.tags == ["html", "css"]
    assert post.license == "CC-BY-SA-4.0"


def test_an_answer_row_with_only_the_required_attributes():
    post = parse_row('<row Id="7" PostTypeId="2" ParentId="3" />')
    assert (post.parent_id, post.body, post.title, post.tags, post.score) == (3, "", "", [], 0)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('<row Id="1" PostTypeId="1" Body="unterminated />', "malformed row"),
        ('<row PostTypeId="1" />', "row without Id"),
        ('<row Id="1" />', "row without PostTypeId"),
        ('<row Id="x1" PostTypeId="1" />', "Id is not an integer"),
        ('<row Id="1" PostTypeId="2" Score="high" />', "Score is not an integer"),
        ('<post Id="1" PostTypeId="1" />', "expected a <row> element"),
    ],
)
def test_bad_rows_raise_value_errors_that_say_why(row, message):
    with pytest.raises(ValueError, match=message):
        parse_row(row)


def test_tags_in_both_dump_formats():
    assert parse_tags("<c++><linux-kernel>") == ["c++", "linux-kernel"]
    assert parse_tags("|c++|linux-kernel|") == ["c++", "linux-kernel"]
    assert parse_tags("") == []


@pytest.mark.parametrize(
    ("path", "site"),
    [
        ("/dumps/math.stackexchange.com/Posts.xml", "math.stackexchange.com"),
        ("gs://bucket/se/stackoverflow.com-Posts/Posts.xml.gz", "stackoverflow.com"),
        ("s3://b/MathOverflow.net/posts.xml.bz2", "mathoverflow.net"),
    ],
)
def test_the_site_is_the_folder_name(path, site):
    assert site_from_path(path) == site


@pytest.mark.parametrize(
    ("created", "license"),
    [
        ("2009-01-01T00:00:00.000", "CC-BY-SA-2.5"),
        ("2011-04-08T00:00:00.000", "CC-BY-SA-3.0"),
        ("2018-05-01T23:59:59.999", "CC-BY-SA-3.0"),
        ("2018-05-02T00:00:00.000", "CC-BY-SA-4.0"),
    ],
)
def test_without_content_license_the_date_decides(created, license):
    row = f'<row Id="1" PostTypeId="2" ParentId="3" CreationDate="{created}" />'
    assert parse_row(row).license == license


def test_post_document():
    doc = post_document(parse_row(QUESTION_ROW), "a & b", "superuser.com", "se", "2024-01-01")
    assert doc.id == "superuser.com/42" and doc.text == "a & b" and doc.source == "se"
    assert doc.created == "2019-03-01T10:00:00.120Z"
    assert doc.metadata == {
        "site": "superuser.com",
        "post_id": 42,
        "post_type": "question",
        "url": "https://superuser.com/questions/42",
        "score": -3,
        "license": "CC-BY-SA-4.0",
        "title": "Why <div> & not span?",
        "tags": ["html", "css"],
        "accepted_answer_id": 44,
    }
    answer = post_document(
        parse_row('<row Id="44" PostTypeId="2" ParentId="42" />'), "", "s", "", ""
    )
    assert answer.metadata["parent_id"] == 42 and answer.metadata["url"] == "https://s/a/44"
