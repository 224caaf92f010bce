"""The `mediawiki` reader (dolmakit.sources.wikipedia.reader) on dumps written in tmp_path."""

from __future__ import annotations

import bz2
from pathlib import Path

import pytest

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.io.readers import ReadConfig, reader_for
from dolmakit.sources.wikipedia.reader import MediaWikiReader

from .dumps import dump, page, siteinfo, write

ADDED = "2026-01-02T00:00:00+00:00"
ARTICLE = "'''Harrowgate''' is a [[town]].<ref>{{cite web|url=x}}</ref>\n== History ==\nOld."


def read(path: Path, **options) -> list:
    config = ReadConfig(options=options)
    return list(MediaWikiReader(config, source="wikipedia", added=ADDED).read(str(path)))


def kinds(items: list) -> list[str]:
    """A short name per item: the document id, `removed:<reason>` or `error:<kind>`."""
    names = []
    for item in items:
        if isinstance(item, Document):
            names.append(item.id)
        elif isinstance(item, Removed):
            names.append(f"removed:{item.reason}")
        else:
            names.append(f"error:{item.kind}")
    return names


@pytest.mark.parametrize("suffix", [".xml", ".xml.bz2", ".xml.gz"])
def test_documents_with_their_metadata(tmp_path: Path, suffix: str) -> None:
    name = f"enwiki-20230401-pages-articles{suffix}"
    path = write(tmp_path / name, dump([page("Harrowgate (town)", ARTICLE, 12)]))
    assert reader_for(str(path)) is MediaWikiReader
    (doc,) = read(path)
    assert doc == Document(
        id="enwiki/12",
        text="Harrowgate is a town.\n\nHistory\nOld.",
        source="wikipedia",
        added=ADDED,
        created="2025-05-06T07:08:09Z",
        metadata={
            "title": "Harrowgate (town)",
            "page_id": "12",
            "revision_id": "1200",
            "url": "https://en.wikipedia.org/wiki/Harrowgate_(town)",
            "language": "en",
            "project": "wikipedia",
            "dbname": "enwiki",
            "dump_date": "2023-04-01",
            "license": "CC-BY-SA-4.0",
            "namespace": 0,
        },
    )


def test_urls_are_percent_encoded_and_the_base_comes_from_the_siteinfo(tmp_path: Path) -> None:
    site = siteinfo("dewiki", "https://de.wikipedia.org/wiki/Wikipedia:Hauptseite")
    path = write(tmp_path / "x.xml", dump([page("Straße & Weg?", "Text hier.", 5)], site=site))
    (doc,) = read(path)
    assert doc.metadata["url"] == "https://de.wikipedia.org/wiki/Stra%C3%9Fe_%26_Weg%3F"
    assert doc.id == "dewiki/5" and doc.metadata["dump_date"] == ""


def test_unwanted_pages_are_removed_with_their_reason_and_raw_text(tmp_path: Path) -> None:
    pages = [
        page("Harrowgate Light", "#REDIRECT [[Harrowgate]]", 1, redirect="Harrowgate"),
        page("Old", "#redirect [[Harrowgate]]", 2),  # an old dump: no <redirect> element
        page("Talk:Harrowgate", "Is this right? ~~~~", 3, ns=1),
        page("Style.css", "body { color: red }", 4, model="css"),
        page("Empty", "{{Infobox x|a=b}}\n[[Category:X]]", 5),
        page("Harrowgate", ARTICLE, 6),
    ]
    items = read(write(tmp_path / "enwiki-20230401-pages-articles.xml", dump(pages)))
    assert kinds(items) == [
        "removed:redirect",
        "removed:redirect",
        "removed:namespace_1",
        "removed:content_model_css",
        "removed:empty_text",
        "enwiki/6",
    ]
    assert items[0].step == "read" and items[0].doc.text == "#REDIRECT [[Harrowgate]]"
    assert items[0].doc.metadata["redirect"] == "Harrowgate"
    assert items[4].doc.text == "{{Infobox x|a=b}}\n[[Category:X]]"


def test_namespaces_and_languages_are_options(tmp_path: Path) -> None:
    site = siteinfo("fiwiki", "https://fi.wikipedia.org/wiki/Etusivu",
                    {0: "", 1: "Keskustelu", 6: "Tiedosto", 14: "Luokka"})  # fmt: skip
    pages = [page("Majakka", "Torni. [[Tiedosto:T.jpg|Torni]] [[Luokka:Majakat]]", 1),
             page("Keskustelu:Majakka", "Hyvä.", 2, ns=1)]  # fmt: skip
    path = write(tmp_path / "fiwiki-20250101-pages-articles.xml.bz2", dump(pages, site=site))
    assert kinds(read(path)) == ["removed:language_fi"] * 2  # not one of LLaMA's 20
    items = read(path, languages=[], namespaces=[0, 1])
    assert kinds(items) == ["fiwiki/1", "fiwiki/2"]
    assert items[0].text == "Torni."  # the wiki's own file and category names, from siteinfo
    assert items[0].metadata["language"] == "fi"


def test_options_are_checked() -> None:
    with pytest.raises(ConfigError, match="unknown key 'language'"):
        MediaWikiReader.parse_options({"language": ["en"]})
    with pytest.raises(ConfigError, match="namespaces"):
        MediaWikiReader.parse_options({"namespaces": "0"})


def test_a_malformed_page_in_the_middle_is_an_error_and_the_next_pages_are_read(
    tmp_path: Path,
) -> None:
    broken = page("Broken", "x", 2).replace(">x<", ">a < b<")  # an unescaped "<"
    xml = dump([page("First", "One.", 1), broken, page("Third", "Three.", 3)])
    path = write(tmp_path / "enwiki-20230401-pages-articles.xml.bz2", xml)
    items = read(path)
    assert kinds(items) == ["enwiki/1", "error:bad_page", "enwiki/3"]
    error = items[1]
    assert error.step == "read" and "not well-formed" in error.cause
    assert error.location["file"] == str(path) and error.location["page"] == 2
    assert xml.splitlines()[error.location["line"] - 1].lstrip().startswith("<text")


def test_undecodable_bytes_cost_only_their_page(tmp_path: Path) -> None:
    xml = dump([page("A", "Caf\u00e9 one.", 1), page("B", "Caf\u00e9 two.", 2)]).encode()
    second = xml.rindex("é".encode())
    data = xml[:second] + b"\xe9" + xml[second + 2 :]  # latin-1 in a UTF-8 dump
    items = read(write(tmp_path / "enwiki-20230401-pages-articles.xml", data))
    assert kinds(items) == ["enwiki/1", "error:bad_page"]
    assert items[0].text == "Café one."


def test_a_truncated_bz2_stream_keeps_the_pages_read_before_it(tmp_path: Path) -> None:
    pages = [page(f"P{i}", f"Page number {i}. " * 60, i) for i in range(1, 300)]
    data = bz2.compress(dump(pages).encode(), 1)  # blocks of 100 kB: the first ones decompress
    path = tmp_path / "enwiki-20230401-pages-articles.xml.bz2"
    path.write_bytes(data[: len(data) * 2 // 3])
    items = read(path)
    *docs, error = items
    assert docs and all(isinstance(doc, Document) for doc in docs)
    assert isinstance(error, ErrorRecord) and error.kind == "corrupt_file"
    assert "after line" in error.cause and error.location["line"] > 0


def test_a_corrupt_bz2_stream_is_an_error(tmp_path: Path) -> None:
    data = bytearray(bz2.compress(dump([page("A", "x " * 500, 1)]).encode()))
    data[200:240] = b"\x00" * 40
    path = tmp_path / "enwiki-20230401-pages-articles.xml.bz2"
    path.write_bytes(bytes(data))
    assert kinds(read(path))[-1] == "error:corrupt_file"


def test_a_dump_cut_inside_a_page(tmp_path: Path) -> None:
    xml = dump([page("A", "Text.", 1), page("B", "More text.", 2)])
    cut = xml[: xml.index("<timestamp>", xml.index("<title>B"))]
    items = read(write(tmp_path / "enwiki-20230401-pages-articles.xml", cut))
    assert kinds(items) == ["enwiki/1", "error:unclosed_page", "error:truncated_file"]
    assert items[1].location["page"] == 2


def test_a_page_without_its_end_tag_before_the_next_one(tmp_path: Path) -> None:
    unclosed = page("A", "Text.", 1).replace("  </page>\n", "")
    items = read(write(tmp_path / "x.xml", dump([unclosed, page("B", "More.", 2)])))
    assert kinds(items) == ["error:unclosed_page", "enwiki/2"]


def test_an_oversized_page_is_an_error(tmp_path: Path) -> None:
    xml = dump([page("Big", "word " * 5000, 1), page("Small", "Fine text.", 2)])
    items = read(write(tmp_path / "enwiki-20230401-pages-articles.xml", xml), max_page_bytes=10_000)
    assert kinds(items) == ["error:oversized_page", "enwiki/2"]


def test_a_bad_siteinfo_is_an_error_and_the_file_name_names_the_wiki(tmp_path: Path) -> None:
    xml = dump([page("A", "Text.", 1)], site="  <siteinfo>\n    <dbname>x</siteinfo>\n")
    items = read(write(tmp_path / "frwiki-20230401-pages-articles.xml", xml))
    assert kinds(items) == ["error:bad_siteinfo", "frwiki/1"]
    assert items[1].metadata["url"] == "https://fr.wikipedia.org/wiki/A"


def test_other_xml_is_not_mediawiki(tmp_path: Path) -> None:
    path = write(
        tmp_path / "Posts.xml", '<?xml version="1.0"?>\n<posts>\n<row Id="1"/>\n</posts>\n'
    )
    (error,) = read(path)
    assert error.kind == "not_mediawiki" and "'<posts>'" in error.cause


def test_export_0_11_and_a_page_with_its_own_namespace(tmp_path: Path) -> None:
    own = page("B", "Bee.", 2).replace(
        "<page>", '<page xmlns="http://www.mediawiki.org/xml/export-0.11/">', 1
    )
    path = write(tmp_path / "enwiki-20230401-pages-articles.xml.gz",
                 dump([page("A", "Ay.", 1), own], version="0.11"))  # fmt: skip
    reader = MediaWikiReader(ReadConfig(), source="wikipedia", added=ADDED)
    assert [doc.text for doc in reader.read(str(path))] == ["Ay.", "Bee."]
    assert reader.stats == {"export_version/0.11": 1}
