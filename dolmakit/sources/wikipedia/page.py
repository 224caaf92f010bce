"""Parses one `<siteinfo>` or `<page>` element of a MediaWiki export, alone, with ElementTree.

Elements cut out of a dump carry no namespace declaration (it sits on the `<mediawiki>` root), so
their tags are plain; a namespace is stripped anyway when an element declares one, whatever the
export version (`http://www.mediawiki.org/xml/export-0.10/`, `-0.11/`, ...).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field


class PageError(ValueError):
    """An element that is not well-formed XML or lacks a required field; `line` is the line
    inside the element where the parser stopped (1-based), 0 when unknown."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


@dataclass
class SiteInfo:
    sitename: str = ""
    dbname: str = ""
    # the wiki's main page URL, e.g. https://en.wikipedia.org/wiki/Main_Page
    base: str = ""
    # namespace number -> its local name (6: "Datei" on dewiki, 14: "Catégorie" on frwiki)
    namespaces: dict[int, str] = field(default_factory=dict)


@dataclass
class Page:
    title: str
    namespace: int
    page_id: str
    # the target title of a redirect page; None for other pages
    redirect: str | None
    revision_id: str
    timestamp: str
    # content model of the revision (wikitext, css, json, Scribunto...); "" in old exports
    model: str
    text: str


def parse_siteinfo(data: bytes) -> SiteInfo:
    root = _parse(data)
    info = SiteInfo(
        sitename=_text(root, "sitename"),
        dbname=_text(root, "dbname"),
        base=_text(root, "base"),
    )
    for namespace in root.iterfind("namespaces/namespace"):
        key = namespace.get("key", "")
        if key.lstrip("-").isdigit():
            info.namespaces[int(key)] = (namespace.text or "").strip()
    return info


def parse_page(data: bytes, site: SiteInfo | None = None) -> Page:
    """The page's fields and its last revision; raises PageError naming what is wrong."""
    root = _parse(data)
    if root.tag != "page":
        raise PageError(f"expected <page>, got <{root.tag}>")
    title, page_id = _text(root, "title"), _text(root, "id")
    if not title or not page_id:
        raise PageError("a page needs a <title> and an <id>")
    revisions = root.findall("revision")
    if not revisions:
        raise PageError(f"page {page_id} has no <revision>")
    revision = revisions[-1]  # a history dump lists them oldest first
    redirect = root.find("redirect")
    return Page(
        title=title,
        namespace=_namespace(root, title, site),
        page_id=page_id,
        redirect=None if redirect is None else redirect.get("title", ""),
        revision_id=_text(revision, "id"),
        timestamp=_text(revision, "timestamp"),
        model=_text(revision, "model"),
        text=revision.findtext("text") or "",
    )


def _parse(data: bytes) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise PageError(f"not well-formed XML: {error}", error.position[0]) from None
    if b"xmlns" in data:  # only an element that declares a namespace has prefixed tags
        for element in root.iter():
            element.tag = element.tag.rpartition("}")[2]
    return root


def _text(element: ET.Element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _namespace(root: ET.Element, title: str, site: SiteInfo | None) -> int:
    """<ns> where the export has it (0.6 and later), else the namespace the title's prefix names."""
    number = _text(root, "ns")
    if number.lstrip("-").isdigit():
        return int(number)
    prefix, colon, _ = title.partition(":")
    if colon and site is not None:
        for key, name in site.namespaces.items():
            if name and name.casefold() == prefix.strip().casefold():
                return key
    return 0
