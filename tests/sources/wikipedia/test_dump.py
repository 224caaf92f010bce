"""Splitting a dump into elements by lines (dolmakit.sources.wikipedia.dump)."""

from __future__ import annotations

from dolmakit.sources.wikipedia.dump import DumpSplitter, export_version

from .dumps import dump, page


def split(xml: str, **settings) -> tuple[list, DumpSplitter]:
    splitter = DumpSplitter(**settings)
    lines = xml.encode("utf-8").splitlines(keepends=True)
    return list(splitter.chunks(lines)), splitter


def test_siteinfo_and_pages_with_their_lines_and_positions() -> None:
    chunks, splitter = split(dump([page("A", "a", 1), page("B", "b", 2)], version="0.11"))
    assert [(c.kind, c.page) for c in chunks] == [("siteinfo", 0), ("page", 1), ("page", 2)]
    assert chunks[1].data.lstrip().startswith(b"<page>")
    assert chunks[1].data.rstrip().endswith(b"</page>")
    lines = chunks[1].data.count(b"\n")
    assert chunks[2].line == chunks[1].line + lines
    assert splitter.closed and splitter.pages == 2
    assert splitter.root["xml:lang"] == "en" and export_version(splitter.root) == "0.11"


def test_a_page_cut_by_the_next_page_is_unclosed_and_the_next_is_read() -> None:
    cut = page("A", "a", 1).replace("  </page>\n", "")
    chunks, _ = split(dump([cut, page("B", "b", 2)]))
    assert [(c.kind, c.page) for c in chunks[1:]] == [("unclosed_page", 1), ("page", 2)]
    assert b"<title>B</title>" in chunks[2].data and b"<title>A</title>" not in chunks[2].data


def test_a_page_open_at_the_end_is_unclosed() -> None:
    chunks, splitter = split(dump([page("A", "a", 1)]).split("    <revision>")[0])
    assert [c.kind for c in chunks] == ["siteinfo", "unclosed_page"]
    assert not splitter.closed


def test_a_one_line_page() -> None:
    one_line = (
        "<page><title>A</title><ns>0</ns><id>1</id><revision><text>x</text></revision></page>\n"
    )
    chunks, _ = split(dump([one_line, page("B", "b", 2)]))
    assert [(c.kind, c.page) for c in chunks[1:]] == [("page", 1), ("page", 2)]
    assert chunks[1].data == one_line.encode()


def test_an_oversized_page_is_skipped_without_holding_it() -> None:
    big = page("Big", "word " * 2000, 1)
    chunks, _ = split(dump([big, page("B", "b", 2)]), max_page_bytes=1000)
    assert [(c.kind, c.page, len(c.data)) for c in chunks[1:]] == [
        ("oversized_page", 1, 0),
        ("page", 2, len(page("B", "b", 2).encode())),
    ]


def test_another_xml_document_is_not_mediawiki() -> None:
    chunks, splitter = split('<?xml version="1.0"?>\n<posts>\n  <row Id="1" />\n</posts>\n')
    assert [(c.kind, c.line, c.data) for c in chunks] == [("not_mediawiki", 2, b"<posts>")]
    assert splitter.root is None


def test_export_version_from_namespace_or_version_attribute() -> None:
    assert export_version({"xmlns": "http://www.mediawiki.org/xml/export-0.10/"}) == "0.10"
    assert export_version({"version": "0.3"}) == "0.3"
    assert export_version(None) == ""
