"""Wiki names and dump file names (dolmakit.sources.wikipedia.languages)."""

from __future__ import annotations

import pytest

from dolmakit.sources.wikipedia.languages import LLAMA_LANGUAGES, parse_dump_name, split_dbname


@pytest.mark.parametrize(
    ("dbname", "expected"),
    [
        ("enwiki", ("en", "wikipedia")),
        ("zh_min_nanwiki", ("zh-min-nan", "wikipedia")),
        ("be_x_oldwiki", ("be-x-old", "wikipedia")),
        ("dewikibooks", ("de", "wikibooks")),
        ("frwiktionary", ("fr", "wiktionary")),
        ("simplewiki", ("simple", "wikipedia")),
        ("EnWiki", ("en", "wikipedia")),
        ("wiki", ("", "")),
        ("", ("", "")),
        ("not a wiki", ("", "")),
    ],
)
def test_split_dbname(dbname: str, expected: tuple[str, str]) -> None:
    assert split_dbname(dbname) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("enwiki-20230401-pages-articles.xml.bz2", ("enwiki", "2023-04-01")),
        (
            "gs://b/dumps/frwiki-20220701-pages-articles-multistream.xml.bz2",
            ("frwiki", "2022-07-01"),
        ),
        ("/d/dewiki-20220801-pages-articles3.xml-p2p9.bz2", ("dewiki", "2022-08-01")),
        ("export.xml", ("", "")),
    ],
)
def test_parse_dump_name(path: str, expected: tuple[str, str]) -> None:
    assert parse_dump_name(path) == expected


def test_llama_languages_are_the_papers_twenty() -> None:
    assert len(set(LLAMA_LANGUAGES)) == 20
    assert {"en", "de", "ru", "uk", "sr", "bg"} <= set(LLAMA_LANGUAGES)
    assert "ja" not in LLAMA_LANGUAGES and "zh" not in LLAMA_LANGUAGES
