"""Tests for HTML sniffing and text extraction (dolmakit.extract.html)."""

from __future__ import annotations

import pytest

from dolmakit.core.errors import ConfigError
from dolmakit.extract.html import HtmlConfig, html_to_text, looks_like_html, sniff_binary

HEADING = "Main heading\n\n"
ARTICLE = (
    "The first paragraph of the article has quite a few words in it so that it counts.\n\n"
    "A second paragraph continues the story with more words and more sentences, enough text."
)
PAGE = """<html><head><title>The Title</title></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/about">About us</a></li></ul></nav></header>
<main><article><h1>Main heading</h1>
<p>The first paragraph of the article has quite a few words in it so that it counts.</p>
<p>A second paragraph continues the story with more words and more sentences, enough text.</p>
</article></main>
<footer><p>Copyright 2024 Example Corp. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""


@pytest.mark.parametrize(
    ("body", "media_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"GIF89a", "image/gif"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b\x08\x00", "application/gzip"),
        (b"RIFF\x00\x00WEBP", "application/riff"),
        (b"\x00\x00\x01\x00\x01", "image/x-icon"),
        (b"<html>\x00</html>", "application/octet-stream"),
        (b"x" * 1023 + b"\x00", "application/octet-stream"),
        (b"x" * 1024 + b"\x00", None),
        (b"<html><p>caf\xc3\xa9</p></html>", None),
        (b" %PDF-1.7", None),
        (b"", None),
    ],
)
def test_sniff_binary(body: bytes, media_type: str | None) -> None:
    assert sniff_binary(body) == media_type


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<!DOCTYPE html><p>x</p>", True),
        (b"<!doctype   HTML>", True),
        (b"\n\n  <HTML lang=en>", True),
        (b"<head>", True),
        (b"<body class='x'>", True),
        (b"<title>t</title>", True),
        (b'<meta charset="utf-8"/>', True),
        (b"<div>x</div>", True),
        (b"<p>x", True),
        (b"just words", False),
        (b"<pre>code</pre>", False),
        (b'<?xml version="1.0"?><rss><channel/></rss>', False),
        (b'{"html": "<b>"}', False),
        (b"x" * 4096 + b"<html>", False),
    ],
)
def test_looks_like_html(body: bytes, expected: bool) -> None:
    assert looks_like_html(body) is expected


def test_main_content_drops_boilerplate() -> None:
    text, title = html_to_text(PAGE, HtmlConfig())
    assert (text, title) == (HEADING + ARTICLE, "The Title")


def test_skip_elements() -> None:
    assert html_to_text(PAGE, HtmlConfig(skip_elements=["h1"])) == (ARTICLE, "The Title")
    skip_two = HtmlConfig(skip_elements=["h1", "p:first-of-type"])
    assert html_to_text(PAGE, skip_two)[0] == ARTICLE.split("\n\n")[1]
    # without main_content every visible element is text
    assert (
        html_to_text(PAGE, HtmlConfig(main_content=False, skip_elements=["h1"]))[0].count(
            "Main heading"
        )
        == 1
    )


def test_without_main_content_keeps_boilerplate() -> None:
    text, _ = html_to_text(PAGE, HtmlConfig(main_content=False))
    assert HEADING + ARTICLE in text
    for boilerplate in ("• Home", "• About us", "Copyright 2024 Example Corp.", "Privacy policy"):
        assert boilerplate in text
    assert "The Title" not in text


def test_prepend_title() -> None:
    assert html_to_text(PAGE, HtmlConfig(prepend_title=True)) == (
        f"The Title\n\n{HEADING}{ARTICLE}",
        "The Title",
    )
    config = HtmlConfig(prepend_title=True)
    assert html_to_text("<p>no title</p>", config) == ("no title", "")
    assert html_to_text("<title>Only</title><body></body>", config) == ("", "Only")


def test_title_is_stripped() -> None:
    assert html_to_text("<title>  Spaced \n</title><p>x</p>", HtmlConfig()) == ("x", "Spaced")


def test_formatting_options() -> None:
    html = "<ul><li>one</li><li>two</li></ul><p>a<br>b</p><img alt='ALT'><a href='/x'>link</a>"
    text, _ = html_to_text(html, HtmlConfig(main_content=False))
    assert text == "• one\n  • two\n\na\nb\n\nlink"
    flat = HtmlConfig(
        main_content=False,
        preserve_formatting=False,
        list_bullets=False,
        alt_texts=True,
        links=True,
    )
    assert html_to_text(html, flat) == ("one two a b ALTlink (/x)", "")


def test_noscript_option() -> None:
    html = "<p>x</p><noscript>enable js</noscript>"
    assert html_to_text(html, HtmlConfig(main_content=False))[0] == "x"
    assert html_to_text(html, HtmlConfig(main_content=False, noscript=True))[0] == "x\n\nenable js"


def test_scripts_and_styles_never_become_text() -> None:
    html = "<script>var secret = 1;</script><style>p{color:red}</style><p>visible</p>"
    assert html_to_text(html, HtmlConfig(main_content=False)) == ("visible", "")


def test_broken_html_still_gives_text() -> None:
    text, _ = html_to_text("<p>unclosed <b>bold <i>italic", HtmlConfig())
    assert text == "unclosed bold italic"


def test_an_unknown_extractor_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        HtmlConfig(extractor="boilerpipe")  # type: ignore[arg-type]
    assert (
        str(caught.value) == "extractor: got 'boilerpipe'; allowed: 'resiliparse' | 'trafilatura'"
    )


def test_trafilatura_not_installed_names_the_extra(without_trafilatura) -> None:
    with pytest.raises(ConfigError) as caught:
        HtmlConfig(extractor="trafilatura")
    assert str(caught.value) == (
        "extractor: trafilatura is not installed: pip install 'dolmakit[trafilatura]'"
    )
    assert HtmlConfig().extractor == "resiliparse"  # the default needs nothing more


def test_trafilatura_extractor_with_datatroves_settings() -> None:
    trafilatura = pytest.importorskip("trafilatura")
    reset_caches = pytest.importorskip("trafilatura.meta").reset_caches
    reset_caches()  # its deduplication remembers earlier documents
    expected = trafilatura.extract(
        PAGE, favor_precision=True, include_comments=False, deduplicate=True
    )
    reset_caches()
    text, title = html_to_text(PAGE, HtmlConfig(extractor="trafilatura"))
    assert (text, title) == (HEADING.strip() + "\n" + ARTICLE.replace("\n\n", "\n"), "The Title")
    assert text == expected
    reset_caches()
    config = HtmlConfig(extractor="trafilatura", prepend_title=True)
    assert html_to_text(PAGE, config)[0] == f"The Title\n\n{text}"
