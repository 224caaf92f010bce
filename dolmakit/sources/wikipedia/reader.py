"""The `mediawiki` reader: MediaWiki XML export dumps (Wikipedia, Wikibooks...) to documents.

Streams `*-pages-articles*.xml[.bz2|.gz]` line by line (dolmakit.sources.wikipedia.dump), parses
`<siteinfo>` once and every `<page>` alone, and turns each article's wikitext into plain text
(dolmakit.sources.wikipedia.wikitext). Every page becomes one item:
- a Document `<dbname>/<page id>` with title, page id, revision id, url, language, project,
  dump date and licence in its metadata, and the revision timestamp as `created`;
- Removed, with the raw wikitext as its text and no cleaning spent on it: `language_<xx>` (a
  wiki outside `languages`), `namespace_<n>` (talk, user, template, ... pages), `redirect`,
  `content_model_<model>` (CSS, JSON, Lua pages), `empty_text` (nothing left after cleaning);
- ErrorRecord: `bad_page` (not well-formed XML, missing fields, undecodable bytes),
  `unclosed_page`, `oversized_page`, `corrupt_file` (a damaged or truncated compressed stream,
  after the pages read before it), `truncated_file` (no closing `</mediawiki>`), `bad_siteinfo`,
  `not_mediawiki`, `bad_wikitext` (the parser failed on a page).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from dolmakit.core.document import Document, Removed
from dolmakit.io.files import DECOMPRESSION_ERRORS, lines, open_decompressed
from dolmakit.io.readers import READ_STEP, Item, Reader, register_reader
from dolmakit.sources.wikipedia.dump import Chunk, DumpSplitter, export_version
from dolmakit.sources.wikipedia.languages import LLAMA_LANGUAGES, parse_dump_name, split_dbname
from dolmakit.sources.wikipedia.page import Page, PageError, SiteInfo, parse_page, parse_siteinfo
from dolmakit.sources.wikipedia.wikitext import WikitextCleaner

MEDIA_NAMESPACES, CATEGORY_NAMESPACE = (-2, 6), 14


@dataclass
class MediaWikiOptions:
    # namespaces whose pages become documents (0: articles); others are removed as namespace_<n>
    namespaces: list[int] = field(default_factory=lambda: [0])
    # wiki languages read (the dbname's code: en, fr, zh-min-nan); pages of other wikis are
    # removed as language_<xx> without cleaning. LLaMA's 20 by default; [] reads every wiki.
    languages: list[str] = field(default_factory=lambda: list(LLAMA_LANGUAGES))
    # render the text of inline prose templates ({{lang}}, {{nowrap}}, {{convert}}) instead of
    # removing them with every other template
    inline_templates: bool = True
    # stored as metadata.license: Wikipedia's text licence since June 2023 (3.0 before)
    license: str = "CC-BY-SA-4.0"
    # a page of more XML bytes than this is an error (oversized_page), never held in memory
    max_page_bytes: int = 64 << 20


@dataclass
class _Dump:
    """What the reader knows about the dump it reads."""

    path: str
    site: SiteInfo
    dbname: str
    date: str
    language: str
    project: str
    url_prefix: str
    cleaner: WikitextCleaner


@register_reader
class MediaWikiReader(Reader):
    format_name = "mediawiki"
    # split dumps (`...pages-articles1.xml-p1p41242.bz2`) end in .bz2 alone: name the format
    suffixes = (".xml", ".xml.bz2", ".xml.gz")
    Options = MediaWikiOptions

    def read(self, path: str) -> Iterator[Item]:
        splitter = DumpSplitter(max_page_bytes=self.options.max_page_bytes)
        dump = self._dump(path, SiteInfo())
        try:
            with open_decompressed(path) as stream:
                for chunk in splitter.chunks(lines(stream)):
                    if chunk.kind == "siteinfo":
                        dump, item = self._siteinfo(chunk, path, splitter)
                    else:
                        item = self._chunk_item(chunk, dump)
                    if item is not None:
                        yield item
        except DECOMPRESSION_ERRORS as error:  # corrupt or truncated compression
            cause = f"{type(error).__name__}: {error} after line {splitter.line}"
            yield self.error("corrupt_file", cause, path, line=splitter.line, page=splitter.pages)
            return
        if splitter.root is not None and not splitter.closed:
            cause = f"no </mediawiki> after line {splitter.line}: the dump may be cut short"
            yield self.error("truncated_file", cause, path, line=splitter.line)

    def _siteinfo(
        self, chunk: Chunk, path: str, splitter: DumpSplitter
    ) -> tuple[_Dump, Item | None]:
        """The dump as its siteinfo describes it (and an error when the siteinfo is broken)."""
        try:
            site = parse_siteinfo(chunk.data)
        except PageError as error:
            bad = self.error("bad_siteinfo", str(error), path, line=chunk.line + error.line - 1)
            return self._dump(path, SiteInfo()), bad
        self.stats[f"export_version/{export_version(splitter.root) or 'unknown'}"] += 1
        return self._dump(path, site), None

    def _dump(self, path: str, site: SiteInfo) -> _Dump:
        """The dump's identity from its siteinfo, or from its file name where that says more."""
        named_db, date = parse_dump_name(path)
        dbname = site.dbname or named_db
        language, project = split_dbname(dbname)
        base = site.base.rpartition("/wiki/")
        url_prefix = base[0] + "/wiki/" if base[1] else f"https://{language}.wikipedia.org/wiki/"
        media = [site.namespaces.get(key, "") for key in MEDIA_NAMESPACES]
        cleaner = WikitextCleaner(media, [site.namespaces.get(CATEGORY_NAMESPACE, "")],
                                  inline_templates=self.options.inline_templates)  # fmt: skip
        return _Dump(path, site, dbname, date, language, project, url_prefix, cleaner)

    def _chunk_item(self, chunk: Chunk, dump: _Dump) -> Item | None:
        where = {"page": chunk.page, "line": chunk.line}
        if chunk.kind == "page":
            return self._page_item(chunk, dump)
        if chunk.kind == "unclosed_page":
            return self.error("unclosed_page", "no </page> before the next page or the end",
                              dump.path, **where)  # fmt: skip
        if chunk.kind == "oversized_page":
            cause = f"more than {self.options.max_page_bytes} bytes of XML: skipped"
            return self.error("oversized_page", cause, dump.path, **where)
        if chunk.kind == "not_mediawiki":
            opening = chunk.data.decode("utf-8", "replace")[:80]
            cause = f"not a MediaWiki export: the root element is {opening!r}"
            return self.error("not_mediawiki", cause, dump.path, line=chunk.line)
        return None

    def _page_item(self, chunk: Chunk, dump: _Dump) -> Item:
        try:
            page = parse_page(chunk.data, dump.site)
        except PageError as error:
            line = chunk.line + max(error.line - 1, 0)
            return self.error("bad_page", str(error), dump.path, page=chunk.page, line=line)
        doc = self._document(page, dump)
        if reason := self._unwanted(page, dump):
            doc.text = page.text
            return Removed(doc, READ_STEP, reason)
        try:
            doc.text = dump.cleaner.clean(page.text)
        except Exception as error:  # noqa: BLE001  (a parser bug on one page costs that page)
            cause = f"{type(error).__name__}: {error}"
            return self.error("bad_wikitext", cause, dump.path, page=chunk.page, line=chunk.line,
                              title=page.title)  # fmt: skip
        if not doc.text:
            doc.text = page.text
            return Removed(doc, READ_STEP, "empty_text")
        return doc

    def _unwanted(self, page: Page, dump: _Dump) -> str | None:
        """Why a page is not read as an article, or None."""
        languages = self.options.languages
        if languages and dump.language not in languages:
            return f"language_{dump.language or 'unknown'}"
        if page.namespace not in self.options.namespaces:
            return f"namespace_{page.namespace}"
        if page.redirect is not None or page.text.lstrip()[:9].upper() == "#REDIRECT":
            return "redirect"
        if page.model and page.model != "wikitext":
            return f"content_model_{page.model.lower()}"
        return None

    def _document(self, page: Page, dump: _Dump) -> Document:
        metadata = {
            "title": page.title,
            "page_id": page.page_id,
            "revision_id": page.revision_id,
            "url": dump.url_prefix + quote(page.title.replace(" ", "_"), safe=_URL_SAFE),
            "language": dump.language,
            "project": dump.project,
            "dbname": dump.dbname,
            "dump_date": dump.date,
            "license": self.options.license,
            "namespace": page.namespace,
        }
        if page.redirect is not None:
            metadata["redirect"] = page.redirect
        return Document(
            id=f"{dump.dbname or 'wiki'}/{page.page_id}",
            text="",
            source=self.source,
            added=self.added,
            created=page.timestamp,
            metadata=metadata,
        )


# characters MediaWiki leaves unescaped in page URLs (wfUrlencode)
_URL_SAFE = ";@$!*(),/~:"
