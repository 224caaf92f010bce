"""Splits a MediaWiki XML export into its `<siteinfo>` and `<page>` elements, textually.

A dump is one XML document of tens of gigabytes, so it is never parsed whole: `mwdumper` and
Special:Export write `<page>` and `</page>` on lines of their own, and wikitext inside `<text>`
is escaped (`&lt;page&gt;`), so a line that opens a page can only be markup. Each element's lines
are collected and handed on alone; a page that is malformed, cut by the next `<page>` or larger
than the bound costs that page only, and memory stays within one page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

ChunkKind = Literal["siteinfo", "page", "unclosed_page", "oversized_page", "not_mediawiki"]
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_EXPORT_NAMESPACE = re.compile(r"^http://www\.mediawiki\.org/xml/export-(\d+\.\d+)/$")


@dataclass
class Chunk:
    """One element's text as it appears in the dump, and where."""

    kind: ChunkKind
    data: bytes
    line: int  # line of the dump where the element opens (1-based)
    page: int = 0  # position of the page in the dump (1-based; 0 for anything else)


@dataclass
class DumpSplitter:
    """Turns the lines of a dump into chunks; `line`, `pages` and `root` tell how far it got."""

    # a page holding more XML bytes than this is reported and skipped, never held in memory
    max_page_bytes: int = 64 << 20
    line: int = 0
    pages: int = 0
    # attributes of the <mediawiki> root element (xmlns, version, xml:lang); None until seen
    root: dict[str, str] | None = None
    # the </mediawiki> line was seen: the dump was read to its end
    closed: bool = False
    _lines: list[bytes] = field(default_factory=list)
    _kind: ChunkKind | None = None
    _start: int = 0
    _size: int = 0
    _cut: bool = False

    def chunks(self, lines: Iterable[bytes]) -> Iterator[Chunk]:
        for line in lines:
            self.line += 1
            stripped = line.strip()
            if self._kind is None:
                chunk = self._outside(line, stripped)
            else:
                chunk = self._inside(line, stripped)
            if chunk is not None:
                yield chunk
                if chunk.kind == "not_mediawiki":
                    return
                if self._cut:  # the element was cut by this line's <page>, which opens now
                    self._cut = False
                    if (reopened := self._open("page", line, stripped)) is not None:
                        yield reopened
        if self._kind == "page":
            yield self._emit("unclosed_page")

    def _outside(self, line: bytes, stripped: bytes) -> Chunk | None:
        """A line between elements: the root element, an opening tag, or nothing of interest."""
        if _opens(stripped, b"<page"):
            return self._open("page", line, stripped)
        if _opens(stripped, b"<siteinfo"):
            return self._open("siteinfo", line, stripped)
        if self.root is None and stripped and not stripped.startswith(b"<?xml"):
            if not stripped.startswith(b"<mediawiki"):
                return Chunk("not_mediawiki", stripped[:200], self.line)
            self.root = {
                name.decode("utf-8", "replace"): value.decode("utf-8", "replace")
                for name, value in _ATTRIBUTE.findall(stripped)
            }
        elif stripped.startswith(b"</mediawiki>"):
            self.closed = True
        return None

    def _open(self, kind: ChunkKind, line: bytes, stripped: bytes) -> Chunk | None:
        if kind == "page":
            self.pages += 1
        self._kind, self._lines, self._start, self._size = kind, [], self.line, 0
        return self._inside(line, stripped)

    def _inside(self, line: bytes, stripped: bytes) -> Chunk | None:
        if self._lines and _opens(stripped, b"<page"):  # the element was never closed
            self._cut = True
            return self._emit("unclosed_page" if self._kind == "page" else self._kind)
        self._lines.append(line)
        self._size += len(line)
        if stripped.endswith(b"</page>" if self._kind == "page" else b"</siteinfo>"):
            return self._emit(self._kind)
        if self._size > self.max_page_bytes:
            return self._emit("oversized_page")
        return None

    def _emit(self, kind: ChunkKind) -> Chunk:
        data = b"" if kind == "oversized_page" else b"".join(self._lines)
        page = self.pages if self._kind == "page" else 0
        chunk = Chunk(kind, data, self._start, page)
        self._kind, self._lines = None, []
        return chunk


def _opens(stripped: bytes, tag: bytes) -> bool:
    """The line opens the element (`<page>`, or `<page xmlns="...">` from other exporters)."""
    return stripped.startswith(tag) and stripped[len(tag) : len(tag) + 1] in (b">", b" ")


def export_version(root: dict[str, str] | None) -> str:
    """The export schema version of a dump (`0.10`, `0.11`), from the root's xmlns or version."""
    if not root:
        return ""
    match = _EXPORT_NAMESPACE.match(root.get("xmlns", ""))
    return match[1] if match else root.get("version", "")
