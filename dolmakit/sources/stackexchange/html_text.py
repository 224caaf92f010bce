"""Stack Exchange post bodies (HTML fragments) to plain text, code blocks kept exactly.

Why the stdlib html.parser and not resiliparse's extract_plain_text (the web-page extractor):
tested on literal post bodies, resiliparse indents the first line of a `<pre>` inside a list item
by the list's indentation but not the lines after it, and strips the trailing spaces of code
lines; code in numbered steps is common on Stack Exchange. Bodies are small, sanitized fragments,
where html.parser takes about 1.6 times resiliparse's time (its per-document setup dominates).

What the text looks like:
- blocks (paragraphs, headings, code blocks, lists, blockquotes, tables) are separated by one
  blank line; a paragraph is one line, its whitespace collapsed as a browser does, `<br>` breaks it;
- `<pre>` keeps its text verbatim (newlines, indentation, trailing spaces); tags inside it
  (`<code>`, `<b>`, `<span>`) add nothing; blank lines at its start and end are dropped;
- inline `<code>`, `<kbd>`, links and emphasis: their text; images, scripts, styles: nothing;
- entities decoded (`&lt;` `&amp;` `&#39;`; `&nbsp;` is a space outside code blocks);
- list items are lines `- item` or `1. item`, nested lists indented under their parent's text;
- blockquote lines are prefixed `> `; table rows are lines, their cells joined by ` | `.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

# elements that start and end a block separated from its neighbours by a blank line
_BLOCKS = frozenset(
    ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "dl", "details", "summary",
     "figure", "figcaption", "section", "article", "header", "footer", "aside", "nav", "main",
     "center", "address")
)  # fmt: skip
_LINES = frozenset(("tr", "dt", "dd"))  # blocks on a line of their own, without a blank line
_SKIPPED = frozenset(("script", "style", "template", "head"))  # their content is not text
_BREAK = "\x00"  # marks a <br> in inline text; XML 1.0 (the dump) cannot carry a NUL character


@dataclass
class _Quote:
    def prefix(self, first_line: bool) -> str:
        return "> "


@dataclass
class _Item:
    marker: str  # "- " or "3. "
    level: int  # how many lists were open when the item started
    used: bool = False  # the marker is written once, on the item's first line

    def prefix(self, first_line: bool) -> str:
        if first_line and not self.used:
            self.used = True
            return self.marker
        return " " * len(self.marker)


class HtmlToText(HTMLParser):
    """A reusable converter: `convert(html)` returns the text of one body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._clear()

    def convert(self, html: str) -> str:
        self.reset()
        self._clear()
        self.feed(html)
        self.close()
        if self._pre is not None:  # an unclosed <pre> still holds code
            self._end_pre()
        self._flush()
        return "\n".join(self._lines)

    def _clear(self) -> None:
        self._lines: list[str] = []
        self._inline: list[str] = []
        self._containers: list[_Quote | _Item] = []
        self._lists: list[list[int]] = []  # per open list: [ordered (0/1), next number]
        self._pre: list[str] | None = None  # the text of the <pre> being read
        self._skip = 0
        # a blank line goes before the next line written, inside this many containers (a blank
        # line between a list and a blockquote belongs to neither); None: no blank line
        self._blank: int | None = None
        self._cells = 0  # cells seen in the current table row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif self._skip:
            return
        elif self._pre is not None:
            if tag == "br":
                self._pre.append("\n")
        elif tag == "br":
            self._inline.append(_BREAK)
        else:
            self._open(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIPPED:  # <br/>, <hr/>, <img/>: a start without content
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif self._skip:
            return
        elif self._pre is not None:
            if tag == "pre":
                self._end_pre()
        else:
            self._close(tag)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre is None:
            self._inline.append(data)
        else:
            self._pre.append(data)

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self._block()
            self._pre = []
        elif tag in ("ul", "ol"):
            self._end_list_block()
            self._lists.append([tag == "ol", _start(attrs)])
        elif tag == "li":
            self._flush()
            self._close_items()  # an <li> left open ends where the next one starts
            self._containers.append(_Item(self._marker(), len(self._lists)))
        elif tag == "blockquote":
            self._block()
            self._containers.append(_Quote())
        elif tag in ("td", "th"):
            if self._cells:
                self._inline.append(" | ")
            self._cells += 1
        elif tag in _LINES:
            self._flush()
            self._cells = 0
        elif tag in _BLOCKS:
            self._block()

    def _close(self, tag: str) -> None:
        if tag == "li":
            self._flush()
            if self._containers and isinstance(self._containers[-1], _Item):
                self._containers.pop()
        elif tag in ("ul", "ol"):
            self._flush()
            self._close_items()
            if self._lists:
                self._lists.pop()
            self._end_list_block()
        elif tag == "blockquote":
            self._block()
            self._pop_quote()
        elif tag in _LINES:
            self._flush()
        elif tag in _BLOCKS:
            self._block()

    def _marker(self) -> str:
        if not self._lists:  # an <li> outside any list
            return "- "
        current = self._lists[-1]
        if not current[0]:
            return "- "
        current[1] += 1
        return f"{current[1] - 1}. "

    def _close_items(self) -> None:
        """Closes the items of the innermost open list (and what is open inside them)."""
        while self._containers and _inside_list(self._containers[-1], len(self._lists)):
            self._containers.pop()

    def _end_list_block(self) -> None:
        """A list nested in an item continues the item's lines; any other list is a block."""
        if self._containers and isinstance(self._containers[-1], _Item):
            self._flush()
        else:
            self._block()

    def _pop_quote(self) -> None:
        """Closes the innermost blockquote and whatever was left open inside it."""
        for index in range(len(self._containers) - 1, -1, -1):
            if isinstance(self._containers[index], _Quote):
                del self._containers[index:]
                return

    def _block(self) -> None:
        """Ends the current paragraph; the next line written starts after a blank line."""
        self._flush()
        depth = len(self._containers)
        self._blank = depth if self._blank is None else min(self._blank, depth)

    def _flush(self) -> None:
        """Writes the inline text read so far as one line per <br>-separated piece."""
        if not self._inline:
            return
        pieces = [" ".join(piece.split()) for piece in "".join(self._inline).split(_BREAK)]
        self._inline = []
        while pieces and not pieces[-1]:
            pieces.pop()
        while pieces and not pieces[0]:
            pieces.pop(0)
        for piece in pieces:
            self._write(piece)

    def _end_pre(self) -> None:
        code = "".join(self._pre or ()).replace("\r\n", "\n").replace("\r", "\n")
        self._pre = None
        lines = code.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        self._block()
        for line in lines:
            self._write(line)
        self._block()

    def _write(self, line: str) -> None:
        if self._blank is not None and self._lines:
            self._lines.append(self._prefix(False, self._containers[: self._blank]).rstrip())
        self._blank = None
        prefix = self._prefix(True, self._containers)
        self._lines.append(prefix + line if line else prefix.rstrip())

    @staticmethod
    def _prefix(first_line: bool, containers: list[_Quote | _Item]) -> str:
        return "".join(container.prefix(first_line) for container in containers)


def _start(attrs: list[tuple[str, str | None]]) -> int:
    """The first number of an ordered list (`<ol start="3">`), 1 when absent or not a number."""
    value = next((value or "" for name, value in attrs if name == "start"), "").strip()
    return int(value) if value.isdigit() else 1


def _inside_list(container: _Quote | _Item, lists_open: int) -> bool:
    return isinstance(container, _Item) and container.level >= lists_open


def html_to_text(html: str) -> str:
    """The text of one body (a new converter each call; readers keep one HtmlToText instead)."""
    return HtmlToText().convert(html)
