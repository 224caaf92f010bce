"""Writing small MediaWiki export dumps for the reader tests."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path
from xml.sax.saxutils import escape

EXPORT = "http://www.mediawiki.org/xml/export-{version}/"


def page(
    title: str,
    text: str,
    page_id: int,
    ns: int = 0,
    redirect: str | None = None,
    timestamp: str = "2025-05-06T07:08:09Z",
    model: str = "wikitext",
) -> str:
    redirect_line = f'    <redirect title="{escape(redirect)}" />\n' if redirect is not None else ""
    return (
        f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{ns}</ns>\n    <id>{page_id}</id>\n"
        f"{redirect_line}    <revision>\n      <id>{page_id * 100}</id>\n"
        f"      <timestamp>{timestamp}</timestamp>\n"
        f"      <contributor>\n        <username>Tester</username>\n        <id>7</id>\n"
        f"      </contributor>\n      <model>{model}</model>\n      <format>text/x-wiki</format>\n"
        f'      <text bytes="{len(text.encode())}" xml:space="preserve">'
        f"{escape(text, {chr(34): '&quot;'})}</text>\n"
        f"      <sha1>0</sha1>\n    </revision>\n  </page>\n"
    )


def siteinfo(dbname: str = "enwiki", base: str = "https://en.wikipedia.org/wiki/Main_Page",
             namespaces: dict[int, str] | None = None) -> str:  # fmt: skip
    names = namespaces if namespaces is not None else {0: "", 1: "Talk", 6: "File", 14: "Category"}
    lines = "".join(
        f'      <namespace key="{key}" case="first-letter">{escape(name)}</namespace>\n'
        for key, name in names.items()
    )
    return (
        f"  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>{dbname}</dbname>\n"
        f"    <base>{base}</base>\n    <namespaces>\n{lines}    </namespaces>\n  </siteinfo>\n"
    )


def dump(pages: list[str], *, version: str = "0.10", site: str | None = None,
         closed: bool = True) -> str:  # fmt: skip
    root = (
        f'<mediawiki xmlns="{EXPORT.format(version=version)}" version="{version}" xml:lang="en">\n'
    )
    end = "</mediawiki>\n" if closed else ""
    return root + (siteinfo() if site is None else site) + "".join(pages) + end


def write(path: Path, xml: str | bytes) -> Path:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if path.name.endswith(".bz2"):
        data = bz2.compress(data)
    elif path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path
