"""Build the MediaWiki export dumps of ``samples/wikipedia/``: small, invented, real format.

Three dumps, laid out as Wikimedia's ``<dbname>-<date>-pages-articles.xml.bz2`` files:
- ``enwiki-20260101-pages-articles.xml.bz2`` (export schema 0.10): five articles, one of them
  (Harrowgate Lighthouse) full of the markup the wikitext cleaning has to handle, one an exact
  copy of another after cleaning, one a stub; a redirect, a talk page and a template page;
- ``frwiki-20260101-pages-articles.xml.bz2`` (export schema 0.11): two French articles with
  local namespace names (``[[Fichier:...]]``, ``[[Catégorie:...]]``) and a French redirect;
- ``fiwiki-20260101-pages-articles.xml.bz2``: two Finnish articles, a language outside
  LLaMA's 20, which the `mediawiki` reader removes as ``language_fi``.

Every article, title and user name was written for this sample; the wikitext lives in
``samples/wikipedia/pages/<dbname>/*.wiki``. The output is byte-for-byte deterministic (fixed
ids and timestamps; bz2 writes no timestamp). Regenerate with::

    .venv/bin/python samples/make_wikipedia_sample.py
"""

from __future__ import annotations

import bz2
import hashlib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent / "wikipedia"
PAGES = HERE / "pages"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Page:
    file: str  # pages/<dbname>/<file>.wiki
    title: str
    ns: int
    page_id: int
    revision_id: int
    timestamp: str
    user: str  # a user name, or an IP address (documentation range) for an anonymous edit
    comment: str
    redirect: str | None = None


@dataclass(frozen=True)
class Wiki:
    dbname: str
    date: str
    version: str  # export schema
    language: str
    sitename: str
    base: str
    namespaces: dict[int, str]
    pages: tuple[Page, ...]


EN_NAMESPACES = {
    -2: "Media", -1: "Special", 0: "", 1: "Talk", 2: "User", 3: "User talk", 4: "Wikipedia",
    5: "Wikipedia talk", 6: "File", 7: "File talk", 8: "MediaWiki", 9: "MediaWiki talk",
    10: "Template", 11: "Template talk", 12: "Help", 13: "Help talk", 14: "Category",
    15: "Category talk", 100: "Portal", 101: "Portal talk", 118: "Draft", 119: "Draft talk",
    828: "Module", 829: "Module talk",
}  # fmt: skip
FR_NAMESPACES = {
    -2: "Média", -1: "Spécial", 0: "", 1: "Discussion", 2: "Utilisateur",
    3: "Discussion utilisateur", 4: "Wikipédia", 5: "Discussion Wikipédia", 6: "Fichier",
    7: "Discussion fichier", 8: "MediaWiki", 9: "Discussion MediaWiki", 10: "Modèle",
    11: "Discussion modèle", 12: "Aide", 13: "Discussion aide", 14: "Catégorie",
    15: "Discussion catégorie", 100: "Portail", 101: "Discussion Portail", 828: "Module",
    829: "Discussion module",
}  # fmt: skip
FI_NAMESPACES = {
    -2: "Media", -1: "Toiminnot", 0: "", 1: "Keskustelu", 2: "Käyttäjä",
    3: "Keskustelu käyttäjästä", 4: "Wikipedia", 5: "Keskustelu Wikipediasta", 6: "Tiedosto",
    7: "Keskustelu tiedostosta", 10: "Malline", 11: "Keskustelu mallineesta", 14: "Luokka",
    15: "Keskustelu luokasta",
}  # fmt: skip

WIKIS = (
    Wiki("enwiki", "20260101", "0.10", "en", "Wikipedia", "https://en.wikipedia.org/wiki/Main_Page",
         EN_NAMESPACES, (
        Page("harrowgate-lighthouse", "Harrowgate Lighthouse", 0, 48213, 1268450311,
             "2025-11-03T14:22:05Z", "Tidewatcher", "/* History */ keepers table"),
        Page("harrowgate-light", "Harrowgate Light", 0, 48214, 1101884102,
             "2022-08-19T09:10:44Z", "Quillreader", "redirect", redirect="Harrowgate Lighthouse"),
        Page("marrowby-cheese-market", "Marrowby Cheese Market", 0, 51877, 1259004417,
             "2025-09-12T07:45:31Z", "Curdwright", "copyedit"),
        Page("talk-harrowgate-lighthouse", "Talk:Harrowgate Lighthouse", 1, 48215, 1254003388,
             "2025-06-30T18:02:12Z", "198.51.100.23", "/* Keepers' names */ reply"),
        Page("quillon-valley-railway", "Quillon Valley Railway", 0, 60321, 1262771905,
             "2025-10-01T21:13:50Z", "Slatecart", "/* Route */ halts"),
        Page("template-infobox-lighthouse", "Template:Infobox lighthouse", 10, 3390201,
             1190022417, "2024-01-15T11:00:00Z", "Tidewatcher", "labels"),
        Page("copy-of-marrowby-cheese-market", "Marrowby cheese fair", 0, 71002, 1265530021,
             "2025-10-20T16:40:09Z", "192.0.2.44", "new article"),
        Page("pellow-stone", "Pellow Stone", 0, 73310, 1266011540,
             "2025-10-24T10:05:27Z", "Curdwright", "stub"),
    )),
    Wiki("frwiki", "20260101", "0.11", "fr", "Wikipédia",
         "https://fr.wikipedia.org/wiki/Wikip%C3%A9dia:Accueil_principal", FR_NAMESPACES, (
        Page("phare-de-harrowgate", "Phare de Harrowgate", 0, 9120455, 229914033,
             "2025-11-08T08:31:17Z", "Veilleur de nuit", "/* Histoire */"),
        Page("phare-harrowgate-redirect", "Phare Harrowgate", 0, 9120456, 187733021,
             "2021-12-02T13:55:40Z", "Veilleur de nuit", "redirection",
             redirect="Phare de Harrowgate"),
        Page("marche-aux-fromages-de-marrowby", "Marché aux fromages de Marrowby", 0, 9342881,
             230511987, "2025-12-01T15:12:03Z", "Fromagère", "création"),
    )),
    Wiki("fiwiki", "20260101", "0.10", "fi", "Wikipedia", "https://fi.wikipedia.org/wiki/Wikipedia:Etusivu",
         FI_NAMESPACES, (
        Page("harrowgaten-majakka", "Harrowgaten majakka", 0, 1822031, 22851130,
             "2025-07-14T12:00:41Z", "Majakanvartija", "uusi artikkeli"),
        Page("marrowbyn-juustotori", "Marrowbyn juustotori", 0, 1822517, 22860044,
             "2025-07-20T09:31:02Z", "Majakanvartija", "uusi artikkeli"),
    )),
)  # fmt: skip


def base36_sha1(text: str) -> str:
    """MediaWiki's revision sha1: the SHA-1 of the text in base 36, 31 digits."""
    number, digits = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16), ""
    while number:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
    return digits.rjust(31, "0")


def text_escape(text: str) -> str:
    """Escaped as MediaWiki's exporter does (htmlspecialchars): & < > and double quotes."""
    return escape(text, {'"': "&quot;"})


def siteinfo(wiki: Wiki) -> list[str]:
    lines = ["  <siteinfo>", f"    <sitename>{wiki.sitename}</sitename>",
             f"    <dbname>{wiki.dbname}</dbname>", f"    <base>{escape(wiki.base)}</base>",
             "    <generator>MediaWiki 1.46.0-wmf.7</generator>", "    <case>first-letter</case>",
             "    <namespaces>"]  # fmt: skip
    for key, name in wiki.namespaces.items():
        opening = f'      <namespace key="{key}" case="first-letter"'
        lines.append(f"{opening}>{escape(name)}</namespace>" if name else f"{opening} />")
    return [*lines, "    </namespaces>", "  </siteinfo>"]


def page_xml(wiki: Wiki, page: Page) -> list[str]:
    text = (PAGES / wiki.dbname / f"{page.file}.wiki").read_text(encoding="utf-8").rstrip()
    sha1 = base36_sha1(text)
    lines = ["  <page>", f"    <title>{text_escape(page.title)}</title>", f"    <ns>{page.ns}</ns>",
             f"    <id>{page.page_id}</id>"]  # fmt: skip
    if page.redirect is not None:
        lines.append(f'    <redirect title="{text_escape(page.redirect)}" />')
    who = "ip" if page.user[0].isdigit() else "username"
    lines += ["    <revision>", f"      <id>{page.revision_id}</id>",
              f"      <parentid>{page.revision_id - 1733}</parentid>",
              f"      <timestamp>{page.timestamp}</timestamp>", "      <contributor>",
              f"        <{who}>{text_escape(page.user)}</{who}>"]  # fmt: skip
    if who == "username":
        lines.append(f"        <id>{sum(map(ord, page.user)) * 7919}</id>")
    lines += ["      </contributor>", f"      <comment>{text_escape(page.comment)}</comment>"]
    if wiki.version == "0.11":
        lines.append(f"      <origin>{page.revision_id}</origin>")
    sha1_attribute = f' sha1="{sha1}"' if wiki.version == "0.11" else ""
    size = len(text.encode("utf-8"))
    lines += ["      <model>wikitext</model>", "      <format>text/x-wiki</format>",
              f'      <text bytes="{size}"{sha1_attribute} xml:space="preserve">'
              f"{text_escape(text)}</text>",
              f"      <sha1>{sha1}</sha1>", "    </revision>", "  </page>"]  # fmt: skip
    return lines


def dump_xml(wiki: Wiki) -> str:
    namespace = f"http://www.mediawiki.org/xml/export-{wiki.version}/"
    root = (f'<mediawiki xmlns="{namespace}" xmlns:xsi="{XSI}" xsi:schemaLocation="{namespace} '
            f'http://www.mediawiki.org/xml/export-{wiki.version}.xsd" version="{wiki.version}" '
            f'xml:lang="{wiki.language}">')  # fmt: skip
    lines = [root, *siteinfo(wiki)]
    for page in wiki.pages:
        lines += page_xml(wiki, page)
    return "\n".join([*lines, "</mediawiki>", ""])


def main() -> None:
    for wiki in WIKIS:
        path = HERE / f"{wiki.dbname}-{wiki.date}-pages-articles.xml.bz2"
        data = dump_xml(wiki).encode("utf-8")
        path.write_bytes(bz2.compress(data, 9))
        print(f"{path.relative_to(HERE.parent)}: {len(wiki.pages)} pages, {len(data):,} bytes "
              f"of XML, {path.stat().st_size:,} compressed")  # fmt: skip


if __name__ == "__main__":
    main()
