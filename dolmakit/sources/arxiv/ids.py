"""arXiv identifiers from file names, and what follows from them: the URL and the month.

arXiv names a paper's source after its identifier: `2301.00001.gz` (new style, since April 2007:
yymm.number, four digits until 2014, five since), `hep-th9901001.gz` in the bulk dump for the old
style `hep-th/9901001` (archive/yymmnnn, 1991 to 2007); a version suffix (`v2`) may follow. The
month of the identifier is the month of first submission: it becomes `created` (the first day of
that month), since the sources carry no date of their own.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

ABS_URL = "https://arxiv.org/abs/"
_NEW_STYLE = re.compile(r"(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5}(?:v\d+)?")
_OLD_STYLE = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)[/_]?(?P<yy>\d{2})(?P<mm>\d{2})\d{3}(?:v\d+)?"
)
_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".tex.gz", ".gz", ".tex", ".pdf")


@dataclass(frozen=True)
class ArxivId:
    id: str  # as arXiv writes it: 2301.00001, hep-th/9901001 (with the version when named)
    year: int
    month: int

    @property
    def url(self) -> str:
        return ABS_URL + self.id

    @property
    def created(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-01"


def file_stem(name: str) -> str:
    """A file or member name without folders and without the suffixes arXiv sources have."""
    base = posixpath.basename(name)
    for suffix in _SUFFIXES:
        if base.lower().endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    return base


def parse_arxiv_id(name: str) -> ArxivId | None:
    """The identifier a source file is named after; None when the name is not one."""
    stem = file_stem(name)
    if match := _NEW_STYLE.fullmatch(stem):
        year, id_text = 2000 + int(match["yy"]), stem
    elif match := _OLD_STYLE.fullmatch(stem):
        yy = int(match["yy"])
        year = 1900 + yy if yy >= 91 else 2000 + yy
        id_text = f"{match['archive']}/{stem[len(match['archive']) :].lstrip('/_')}"
    else:
        return None
    month = int(match["mm"])
    return ArxivId(id_text, year, month) if 1 <= month <= 12 else None
