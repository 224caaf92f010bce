"""HTML to plain text, and the sniffing that keeps binary bodies out of it.

Two extractors: resiliparse (the default: its main-content rules, narrowed to the page's main
container, see dolmakit.extract.container) and trafilatura (FineWeb's choice, with datatrove's
settings; about 15x slower; the `trafilatura` extra), imported only when chosen.
"""

from __future__ import annotations

import importlib.util
import re
import typing
from dataclasses import dataclass, field
from typing import Literal

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from dolmakit.core.errors import ConfigError
from dolmakit.extract.charset import byte_order_mark
from dolmakit.extract.container import main_text

HTML_TYPES = ("text/html", "application/xhtml+xml")
_MAGIC = {
    b"%PDF-": "application/pdf",
    b"\x89PNG": "image/png",
    b"GIF8": "image/gif",
    b"\xff\xd8\xff": "image/jpeg",
    b"PK\x03\x04": "application/zip",
    b"\x1f\x8b": "application/gzip",
    b"RIFF": "application/riff",
    b"\x00\x00\x01\x00": "image/x-icon",
}
_LOOKS_LIKE_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|title|meta|div|p)[\s>/]", re.I)

Extractor = Literal["resiliparse", "trafilatura"]
EXTRACTORS: tuple[str, ...] = typing.get_args(Extractor)


@dataclass
class HtmlConfig:
    # resiliparse, or trafilatura as FineWeb ran it (datatrove's settings: favor_precision,
    # no comments, deduplicate; needs `pip install dolmakit[trafilatura]`); trafilatura uses
    # none of the settings below but prepend_title
    extractor: Extractor = "resiliparse"
    # main-content extraction (drops navigation, footers...); false keeps all visible text
    main_content: bool = True
    # with main_content: keep only the page's main container, the element holding most of the
    # paragraph text (dolmakit.extract.container)
    container: bool = True
    # with main_content: comment sections (replies under an article, a forum thread's replies)
    # are main content; FineWeb's trafilatura drops them, as the default here does
    comments: bool = False
    # with main_content: CSS selectors of elements never extracted (["h1"] drops headlines, as
    # the article-extraction benchmark's ground truth does; metadata.title keeps the <title>)
    skip_elements: list[str] = field(default_factory=list)
    # keep paragraphs and line breaks (CCNet and Dolma work on lines)
    preserve_formatting: bool = True
    list_bullets: bool = True
    alt_texts: bool = False
    links: bool = False
    noscript: bool = False
    # put the page <title> before the text (it is always kept in metadata.title)
    prepend_title: bool = False

    def __post_init__(self) -> None:
        if self.extractor not in EXTRACTORS:
            allowed = " | ".join(repr(name) for name in EXTRACTORS)
            raise ConfigError(f"got {self.extractor!r}; allowed: {allowed}", key="extractor")
        if self.extractor == "trafilatura" and importlib.util.find_spec("trafilatura") is None:
            raise ConfigError(
                "trafilatura is not installed: pip install 'dolmakit[trafilatura]'",
                key="extractor",
            )


def sniff_binary(body: bytes) -> str | None:
    """The media type of a body that is clearly not text (magic numbers, NUL bytes), else None."""
    if byte_order_mark(body):  # UTF-16 text is full of NUL bytes, but it is text
        return None
    head = body[:1024]
    for magic, media_type in _MAGIC.items():
        if head.startswith(magic):
            return media_type
    return "application/octet-stream" if b"\x00" in head else None


def looks_like_html(body: bytes) -> bool:
    return _LOOKS_LIKE_HTML.search(body[:4096]) is not None


def html_to_text(html: str, config: HtmlConfig) -> tuple[str, str]:
    """Returns (text, title). Raises resiliparse's parser errors on input it cannot parse."""
    tree = HTMLTree.parse(html)
    title = (tree.title or "").strip()
    if config.extractor == "trafilatura":
        text = trafilatura_text(html)
    else:
        text = resiliparse_text(tree, html, config)
    text = text.strip()
    if config.prepend_title and title and text:
        text = f"{title}\n\n{text}"
    return text, title


def resiliparse_text(tree: HTMLTree, html: str, config: HtmlConfig) -> str:
    main = config.main_content
    options = {
        "preserve_formatting": config.preserve_formatting,
        "main_content": main,
        "list_bullets": config.list_bullets,
        "alt_texts": config.alt_texts,
        "links": config.links,
        "noscript": config.noscript,
        "comments": config.comments,
        "skip_elements": (config.skip_elements or None) if main else None,
    }

    def extract(parsed: HTMLTree) -> str:
        return extract_plain_text(parsed, **options)

    return main_text(tree, html, extract) if main and config.container else extract(tree)


def trafilatura_text(html: str) -> str:
    """trafilatura.extract as datatrove's Trafilatura extractor calls it (FineWeb). Its
    deduplication remembers paragraphs across the documents of a process, as datatrove's does;
    datatrove's per-document timeout is not reproduced."""
    import trafilatura  # the optional extra; HtmlConfig checked that it is installed

    text = trafilatura.extract(html, favor_precision=True, include_comments=False, deduplicate=True)
    return text or ""
