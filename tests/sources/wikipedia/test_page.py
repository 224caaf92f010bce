"""Parsing one page or siteinfo element alone (dolmakit.sources.wikipedia.page)."""

from __future__ import annotations

import pytest

from dolmakit.sources.wikipedia.page import PageError, SiteInfo, parse_page, parse_siteinfo

from .dumps import page, siteinfo


def test_a_page_and_its_fields() -> None:
    parsed = parse_page(page("Harrowgate Light", "#REDIRECT [[X]]", 42, redirect="X").encode())
    assert parsed.title == "Harrowgate Light" and parsed.page_id == "42"
    assert parsed.namespace == 0 and parsed.redirect == "X"
    assert parsed.revision_id == "4200" and parsed.timestamp == "2025-05-06T07:08:09Z"
    assert parsed.model == "wikitext" and parsed.text == "#REDIRECT [[X]]"


def test_escaped_wikitext_is_unescaped() -> None:
    text = 'A <ref name="x">&amp;</ref> & "quotes"'
    assert parse_page(page("A", text, 1).encode()).text == text


def test_a_namespace_declared_on_the_page_is_stripped() -> None:
    xml = page("A", "text", 1).replace(
        "<page>", '<page xmlns="http://www.mediawiki.org/xml/export-0.11/">', 1
    )
    parsed = parse_page(xml.encode())
    assert parsed.title == "A" and parsed.text == "text"


def test_the_last_revision_of_a_history_dump_is_read() -> None:
    xml = page("A", "new", 1).replace(
        "    <revision>",
        "    <revision>\n      <id>1</id>\n      <text>old</text>\n    </revision>\n    <revision>",
        1,
    )
    assert parse_page(xml.encode()).text == "new"


def test_an_old_export_without_ns_takes_it_from_the_title() -> None:
    xml = page("Talk:A", "x", 1).replace("    <ns>0</ns>\n", "")
    site = SiteInfo(namespaces={0: "", 1: "Talk"})
    assert parse_page(xml.encode(), site).namespace == 1
    assert (
        parse_page(
            page("A: the sequel", "x", 2).replace("    <ns>0</ns>\n", "").encode(), site
        ).namespace
        == 0
    )


def test_deleted_text_is_empty() -> None:
    xml = page("A", "x", 1).replace(
        '<text bytes="1" xml:space="preserve">x</text>', '<text deleted="deleted" />'
    )
    assert parse_page(xml.encode()).text == ""


@pytest.mark.parametrize(
    ("xml", "message", "line"),
    [
        (page("A", "x", 1).replace(">x<", ">a < b<"), "not well-formed", 14),  # raw "<"
        (
            page("A", "x", 1).replace("<title>A</title>", "<title></title>"),
            "<title> and an <id>",
            0,
        ),
        (page("A", "x", 1).split("    <revision>")[0] + "  </page>\n", "no <revision>", 0),
        ("<siteinfo></siteinfo>", "expected <page>", 0),
    ],
)
def test_bad_pages_raise_page_error_with_the_line(xml: str, message: str, line: int) -> None:
    with pytest.raises(PageError, match=message) as caught:
        parse_page(xml.encode())
    assert caught.value.line == line


def test_undecodable_bytes_are_a_page_error() -> None:
    data = page("A", "caf\u00e9", 1).encode().replace("é".encode(), b"\xe9")
    with pytest.raises(PageError, match="not well-formed"):
        parse_page(data)


def test_siteinfo() -> None:
    info = parse_siteinfo(
        siteinfo(
            "frwiki",
            "https://fr.wikipedia.org/wiki/Accueil",
            {-2: "Média", 0: "", 6: "Fichier", 14: "Catégorie"},
        ).encode()
    )
    assert info.dbname == "frwiki" and info.base == "https://fr.wikipedia.org/wiki/Accueil"
    assert info.namespaces == {-2: "Média", 0: "", 6: "Fichier", 14: "Catégorie"}
