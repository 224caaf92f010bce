"""Which language a wiki is written in, and the Wikipedias the LLaMA-1 recipe used.

A dump names its wiki by database name (`enwiki`, `frwiktionary`, `zh_min_nanwiki`): the
language code, with hyphens written as underscores, then the project. That code is the language
of every page in the dump, so no language identification is needed to choose Wikipedias.
"""

from __future__ import annotations

import re

# LLaMA (Touvron et al. 2023, section 2): "Wikipedia dumps from the June-August 2022 period,
# covering 20 languages, which use either the Latin or Cyrillic scripts"
LLAMA_LANGUAGES = str.split("bg ca cs da de en es fr hr hu it nl pl pt ro ru sl sr sv uk")

# the Wikimedia projects whose dumps share the MediaWiki export format, longest first so that
# `wikibooks` is not read as `wiki` + `books`
PROJECTS = ("wiktionary", "wikibooks", "wikinews", "wikiquote", "wikisource", "wikiversity",
            "wikivoyage", "wiki")  # fmt: skip
_DBNAME = re.compile(rf"^([a-z0-9_]+?)({'|'.join(PROJECTS)})$")
# a dump file: <dbname>-<YYYYMMDD>-pages-articles[-multistream][N].xml[-pA-pB][.bz2|.gz]
_DUMP_NAME = re.compile(r"(?:^|/)([a-z0-9_]+)-(\d{4})(\d{2})(\d{2})-pages-")


def split_dbname(dbname: str) -> tuple[str, str]:
    """(language, project) of a database name: `enwiki` -> (en, wikipedia),
    `zh_min_nanwiki` -> (zh-min-nan, wikipedia), `dewikibooks` -> (de, wikibooks);
    ("", "") when the name is not of that form."""
    match = _DBNAME.match(dbname.strip().lower())
    if match is None:
        return "", ""
    project = "wikipedia" if match[2] == "wiki" else match[2]
    return match[1].replace("_", "-"), project


def parse_dump_name(path: str) -> tuple[str, str]:
    """(dbname, dump date as YYYY-MM-DD) from a dump file name such as
    `enwiki-20230401-pages-articles.xml.bz2`; ("", "") when the name has another form."""
    match = _DUMP_NAME.search(path.lower())
    if match is None:
        return "", ""
    return match[1], f"{match[2]}-{match[3]}-{match[4]}"
