"""HTML to plain text with resiliparse, and the sniffing that keeps binary bodies out of it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from dolmakit.extract.charset import byte_order_mark

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


@dataclass
class HtmlConfig:
    # main-content extraction (drops navigation, footers...); false keeps all visible text
    main_content: bool = True
    # keep paragraphs and line breaks (CCNet and Dolma work on lines)
    preserve_formatting: bool = True
    list_bullets: bool = True
    alt_texts: bool = False
    links: bool = False
    noscript: bool = False
    # put the page <title> before the text (it is always kept in metadata.title)
    prepend_title: bool = False


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
    text = extract_plain_text(
        tree,
        preserve_formatting=config.preserve_formatting,
        main_content=config.main_content,
        list_bullets=config.list_bullets,
        alt_texts=config.alt_texts,
        links=config.links,
        noscript=config.noscript,
    ).strip()
    if config.prepend_title and title and text:
        text = f"{title}\n\n{text}"
    return text, title
