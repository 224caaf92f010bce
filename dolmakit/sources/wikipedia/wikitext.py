"""Wikitext to plain text: the visible prose of an article, without markup or boilerplate.

Comments and references are cut out first (dolmakit.sources.wikipedia.prepass); then
mwparserfromhell parses the wikitext into nodes (its C tokenizer balances nested templates,
tables, links and tags), and each node is rendered by kind, as WikiExtractor and the
Hugging Face `wikipedia` builder (RedPajama's and so LLaMA's reproduction) do:
- links become their text (`[[a|b]]` -> b, `[[a]]` -> a, the pipe trick `[[a (b)|]]` -> a);
  file, image, media and category links, and interlanguage links, are removed;
- external links become their title (`[http://x title]` -> title), a bare URL stays;
- templates (nested ones too), template arguments, comments and tables are removed; a few
  inline templates whose output is prose (`{{lang}}`, `{{nowrap}}`, `{{convert}}`) give their text;
- `<ref>`, `<references/>`, `<gallery>` and other non-prose tags are removed; `<math>` keeps
  its TeX, formatting tags (`<b>`, `'''`, `<sup>`, `<span>`...) their text;
- headings stay as plain lines, list markers go, HTML entities are decoded.
dolmakit.sources.wikipedia.tidy then removes magic words and empty sections and evens out
the whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import mwparserfromhell
from mwparserfromhell.nodes import (
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from dolmakit.sources.wikipedia.prepass import strip_comments_and_references
from dolmakit.sources.wikipedia.tidy import HEADING_MARK, tidy

# tags whose content is not prose: references, tables (a wiki `{| |}` table parses as <table>),
# media, maps, and what only pages that transclude this one show (includeonly). <math> keeps
# its TeX (the parser leaves it as text): dropped, it would leave sentences with holes.
DROPPED_TAGS = frozenset(
    str.split(
        "ref references table gallery score timeline graph imagemap inputbox "
        "templatedata templatestyles categorytree mapframe maplink section indicator hiero "
        "charinsert includeonly"
    )
)
# tags that stand on lines of their own when a browser renders them
BLOCK_TAGS = frozenset(
    str.split("p div blockquote center pre poem li ul ol dl dt dd h1 h2 h3 h4 h5 h6 caption")
)
LINE_BREAK_TAGS = frozenset({"br", "hr"})
LIST_MARKERS = frozenset("*#:;")
# namespace names whose links show no text: English canonical names and aliases, and the local
# names of the LLaMA languages' Wikipedias (a dump's siteinfo adds its own local names)
MEDIA_PREFIXES = frozenset(
    str.split(
        "file image media bild datei imagen archivo immagine afbeelding bestand plik grafika "
        "imagem ficheiro arquivo файл изображение фајл fil soubor slika datoteka kép fájl "
        "fișier imagine fitxer imatge"
    )
)
CATEGORY_PREFIXES = frozenset(
    str.split(
        "category kategorie catégorie categoría categoria categorie kategoria категория "
        "категорија категорія kategorija kategória kategori"
    )
)
# an interlanguage link `[[de:Foo]]` names a language edition in lower case; it shows nothing
# in the article (it goes to the sidebar). `[[:de:Foo]]` is an inline link and keeps its text.
_LANGUAGE_PREFIX = re.compile(r"^(?:[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}|simple)$")
_NOT_LANGUAGES = frozenset({"mw", "wmf", "doi", "rfc", "iso"})  # interwikis that show text
_PARENTHESIS_TAIL = re.compile(r"\s*\([^()]*\)\s*$")

Out = list[str]


def pipe_trick(title: str) -> str:
    """What `[[title|]]` shows: no namespace, no "(disambiguation)", or else nothing after a
    comma (`[[Help:Contents (page)|]]` -> Contents, `[[Boston, Massachusetts|]]` -> Boston)."""
    title = title.partition(":")[2] or title
    short = _PARENTHESIS_TAIL.sub("", title)
    return short if short != title else title.partition(",")[0]


def template_name(template: Template) -> str:
    """`{{ Nowrap |x}}` -> "nowrap": how MediaWiki matches names (first letter, spaces)."""
    return str(template.name).strip().replace("_", " ").lower()


class WikitextCleaner:
    """Renders wikitext as plain text; `extra_media`/`extra_categories` add a wiki's own
    namespace names (from its siteinfo) to the built-in ones."""

    def __init__(
        self,
        extra_media: Iterable[str] = (),
        extra_categories: Iterable[str] = (),
        inline_templates: bool = True,
    ):
        lower = [name.casefold() for name in (*extra_media, *extra_categories) if name]
        self.hidden_prefixes = MEDIA_PREFIXES | CATEGORY_PREFIXES | frozenset(lower)
        self.inline_templates = INLINE_TEMPLATES if inline_templates else {}
        self._render_by_type: dict[type, Callable[[Node, Out], None]] = {
            Text: self._text,
            Wikilink: self._wikilink,
            ExternalLink: self._external_link,
            Tag: self._tag,
            Heading: self._heading,
            HTMLEntity: self._entity,
            Template: self._template,
        }  # Comment and Argument ({{{1}}}) render as nothing

    def clean(self, wikitext: str) -> str:
        out: Out = []
        self.render(mwparserfromhell.parse(strip_comments_and_references(wikitext)), out)
        return tidy("".join(out))

    def render(self, code: Wikicode, out: Out) -> None:
        for node in code.nodes:
            render = self._render_by_type.get(type(node))
            if render is not None:
                render(node, out)

    def text_of(self, code: Wikicode) -> str:
        out: Out = []
        self.render(code, out)
        return "".join(out)

    def _text(self, node: Text, out: Out) -> None:
        out.append(node.value)

    def _entity(self, node: HTMLEntity, out: Out) -> None:
        out.append(node.normalize().replace("\xa0", " "))

    def _heading(self, node: Heading, out: Out) -> None:
        # a blank line above; the line break below is the wikitext's own
        out.append(f"\n\n{HEADING_MARK}{node.level}{HEADING_MARK}")
        self.render(node.title, out)

    def _wikilink(self, node: Wikilink, out: Out) -> None:
        title = str(node.title).strip()
        if title.startswith(":"):  # [[:Category:X]], [[:de:X]]: shown inline as a link
            title = title[1:]
        elif self._hidden(title):
            return
        if node.text is None:
            out.append(title)
        elif str(node.text).strip():
            self.render(node.text, out)
        else:
            out.append(pipe_trick(title))

    def _hidden(self, title: str) -> bool:
        """Media, category and interlanguage links show no text."""
        prefix, colon, _ = title.partition(":")
        if not colon:
            return False
        prefix = prefix.strip()
        if prefix.casefold() in self.hidden_prefixes:
            return True
        return bool(_LANGUAGE_PREFIX.match(prefix)) and prefix not in _NOT_LANGUAGES

    def _external_link(self, node: ExternalLink, out: Out) -> None:
        if node.title is not None and str(node.title).strip():
            self.render(node.title, out)
        elif not node.brackets:  # a bare URL in the text is shown as it is
            out.append(str(node.url))
        # [http://x] shows as a footnote number: nothing

    def _tag(self, node: Tag, out: Out) -> None:
        markup = node.wiki_markup
        if markup in LIST_MARKERS:  # `*`, `#`, `:`, `;` open a list item, or a `; term : def`
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            return
        name = str(node.tag).strip().lower()
        if name in DROPPED_TAGS:
            return
        if name in LINE_BREAK_TAGS:
            out.append("\n")
            return
        if node.self_closing or node.contents is None:
            return
        block = name in BLOCK_TAGS and not markup
        if block:
            out.append("\n")
        self.render(node.contents, out)
        if block:
            out.append("\n")

    def _template(self, node: Template, out: Out) -> None:
        name = template_name(node)
        inline = self.inline_templates.get("lang-" if name.startswith("lang-") else name)
        if inline is not None:
            out.append(inline(self, node))


def _param(cleaner: WikitextCleaner, template: Template, name: str | int) -> str:
    name = str(name)
    if not template.has(name):
        return ""
    return cleaner.text_of(template.get(name).value).strip()


def _lang(cleaner: WikitextCleaner, template: Template) -> str:
    return _param(cleaner, template, 2)  # {{lang|fr|bonjour}}


def _first(cleaner: WikitextCleaner, template: Template) -> str:
    return _param(cleaner, template, 1)  # {{nowrap|5 km}}, {{lang-fr|bonjour}}


_RANGE_WORDS = {"-": "–", "–": "–", "to": " to ", "and": " and ", "or": " or "}


def _convert(cleaner: WikitextCleaner, template: Template) -> str:
    """{{convert|5|km|mi}} -> "5 km"; {{convert|5|-|10|km}} -> "5–10 km": the value as
    written, without the converted one."""
    value, second = _param(cleaner, template, 1), _param(cleaner, template, 2)
    if second in _RANGE_WORDS:
        high, unit = _param(cleaner, template, 3), _param(cleaner, template, 4)
        return f"{value}{_RANGE_WORDS[second]}{high} {unit}".strip()
    return f"{value} {second}".strip()


INLINE_TEMPLATES: dict[str, Callable[[WikitextCleaner, Template], str]] = {
    "lang": _lang,
    "lang-": _first,  # {{lang-fr|bonjour}}: any lang-<code>
    "nowrap": _first,
    "nobr": _first,
    "nobreak": _first,
    "convert": _convert,
    "cvt": _convert,
    "small": _first,
    "smaller": _first,
    "big": _first,
    "sic": _first,
}
