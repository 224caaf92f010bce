"""The `stackexchange_posts` reader: a site's Posts.xml (or .xml.gz, .bz2, .zst), post by post.

The official dump is one 7z archive per site; `7z x math.stackexchange.com.7z
-omath.stackexchange.com` gives the folder this reader expects, and the folder's name is the site
(see posts.site_from_path, or set `read.options.site`). The file is read line by line, each
`<row>` parsed alone (never the whole file as one tree), so memory stays flat whatever the
dump's size and a malformed row is one ErrorRecord with its line number, the rows after it still
read. Questions and answers become documents (the body's HTML as text, see html_text); other post
types (tag wikis, moderator nominations...) are removed as `post_type_<n>`. Pairing answers with
their questions is the `stackexchange_threads` step's work, in Beam. A file is one worker's work:
a Posts.xml split into pieces by lines (`split -l`) reads the same, in parallel.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dolmakit.core.document import Removed
from dolmakit.io.readers import READ_STEP, Item, Reader, register_reader
from dolmakit.sources.stackexchange.html_text import HtmlToText
from dolmakit.sources.stackexchange.posts import (
    POST_KINDS,
    parse_row,
    post_document,
    site_from_path,
)

_BOM = b"\xef\xbb\xbf"
# lines around the rows: the XML declaration, <posts> and </posts>
_FRAME = (b"<?xml", b"<posts", b"</posts")


@dataclass
class PostsOptions:
    # the site's host name (math.stackexchange.com); empty takes the name of the file's folder
    site: str = ""


@register_reader
class StackExchangePostsReader(Reader):
    format_name = "stackexchange_posts"
    suffixes = tuple(f"/posts.xml{c}" for c in ("", ".gz", ".bz2", ".zst", ".zstd"))
    Options = PostsOptions

    def read(self, path: str) -> Iterator[Item]:
        site = self.options.site or site_from_path(path)
        converter = HtmlToText()

        def parse(line: bytes, line_number: int) -> Item | None:
            row = line.strip()
            if line_number == 1:
                row = row.removeprefix(_BOM)
            if row.startswith(b"<row"):
                return self._post(row, site, converter, path, line_number)
            if row and not row.startswith(_FRAME):
                cause = f"not a <row> element: {row[:60]!r}"
                return self.error("bad_record", cause, path, line=line_number)
            return None

        return self.parse_lines(path, parse)

    def _post(
        self, row: bytes, site: str, converter: HtmlToText, path: str, line_number: int
    ) -> Item:
        try:
            post = parse_row(row.decode("utf-8"))
        except UnicodeDecodeError as error:
            return self.error("undecodable", str(error), path, line=line_number)
        except ValueError as error:
            return self.error("bad_record", str(error), path, line=line_number)
        self.stats[f"stackexchange_post_type/{post.type}"] += 1
        text = _convert(converter, post.body)
        if isinstance(text, Exception):
            cause = f"body of post {post.id}: {type(text).__name__}: {text}"
            return self.error("bad_body", cause, path, line=line_number)
        doc = post_document(post, text, site, self.source, self.added)
        if post.type not in POST_KINDS:
            return Removed(doc, READ_STEP, f"post_type_{post.type}")
        return doc


def _convert(converter: HtmlToText, html: str) -> str | Exception:
    """The body's text, or what html.parser raised (it asserts on some broken markup, such as
    a `<![` section it does not know)."""
    try:
        return converter.convert(html)
    except (AssertionError, ValueError) as error:
        return error
