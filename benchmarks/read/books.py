"""Reading Project Gutenberg books with the `gutenberg` reader: books/s, MB/s and memory, against
a bare open + read + decode loop.

It builds once, cached under `--workdir` (default .bench/read_books/), a synthetic Gutenberg
mirror of at least `--mb` MB (decimal) in many files, as a mirror is: books of 50 KB to 1.2 MB in
`<n>/<n>-0.txt` (UTF-8, four in five) and `<n>/<n>-8.txt` (ISO-8859-1 with the charset in the
header), CRLF line ends, each with a modern or 2000s header ("Title:", "Author:", "Release
Date: ... [EBook #n]", the START marker, a "Produced by" paragraph) and a footer with a
licence-sized block after the END marker, the prose drawn from a fixed, seeded pool of
paragraphs. Then, in this process and without Beam, it reads every file (1) through
`GutenbergReader.read`, which decodes, finds the markers, strips header, credits and footer and
parses the header into metadata: the source's whole cleaning; and (2) through the peer, the least
any reader of these files does: `open().read()` and `bytes.decode` (UTF-8, else Latin-1) in a bare
loop. For each it prints books/s, MB/s of input, the resident memory every `--every` books (it
follows the size of the book at hand, never the mirror's) and the peak RSS, and the load average.

Run: nice -n 10 .venv/bin/python -m benchmarks.read.books [--mb 500] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections.abc import Iterable
from pathlib import Path

from benchmarks.read.streaming import timed
from dolmakit.core.document import Document
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.books.reader import GutenbergReader

MB = 1_000_000
VERSION = 1
_VOCABULARY = """river garden market winter library lantern village bread morning evening
    mountain harbour kitchen window teacher student council summer autumn festival road bridge
    forest meadow orchard castle abbey theatre painter farmer baker captain sailor letter journey
    question answer history music quiet bright heavy narrow ancient gentle simple careful early
    late small walked built carried found opened closed watched wrote read sang followed
    remembered explained repaired visited the the the of of and and a a to in his her it was was
    that with"""
WORDS = _VOCABULARY.split()
LICENCE = (
    "This paragraph stands in for the Project Gutenberg licence that ends a real file; it is "
    "repeated to reach the licence's usual length of about twenty kilobytes. "
)


def paragraph_pool(rng: random.Random, size: int = 4_000) -> list[str]:
    """Paragraphs of 3 to 8 sentences, wrapped at 72 columns with CRLF."""
    pool = []
    for _ in range(size):
        sentences = [" ".join(rng.choices(WORDS, k=rng.randint(6, 24))).capitalize() + "."
                     for _ in range(rng.randint(3, 8))]  # fmt: skip
        pool.append(wrap(" ".join(sentences)))
    return pool


def wrap(text: str, width: int = 72) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\r\n".join([*lines, line])


def book(rng: random.Random, pool: list[str], number: int, latin1: bool) -> str:
    title = f"The {rng.choice(WORDS).title()} of {rng.choice(WORDS).title()} Number {number}"
    marker = rng.choice(["THE", "THIS"])
    header = "\r\n".join([
        f"The Project Gutenberg EBook of {title}, by Ann Author", "", f"Title: {title}", "",
        "Author: Ann Author", "", f"Release Date: March {1 + number % 28}, 2004 [EBook #{number}]",
        "", "Language: English", "",
        f"Character set encoding: {'ISO-8859-1' if latin1 else 'UTF-8'}", "",
        f"*** START OF {marker} PROJECT GUTENBERG EBOOK {title.upper()} ***", "", "",
        "Produced by A. Volunteer", "", "", "",
    ])  # fmt: skip
    chapters = []
    for chapter in range(rng.randint(2, 40)):
        paragraphs = rng.choices(pool, k=rng.randint(10, 30))
        chapters.append(f"CHAPTER {chapter + 1}.\r\n\r\n" + "\r\n\r\n".join(paragraphs))
    body = "\r\n\r\n\r\n".join(chapters).replace(" cafe ", " café ")
    footer = (f"\r\n\r\n\r\n*** END OF {marker} PROJECT GUTENBERG EBOOK {title.upper()} ***\r\n\r\n"
              + wrap(LICENCE * 100) + "\r\n")  # fmt: skip
    return header + f"{title.upper()}\r\n\r\nby Ann Author (Müller)\r\n\r\n\r\n" + body + footer


def build(workdir: Path, mb: int) -> tuple[list[Path], int]:
    """The book files and their bytes (reused when built for the same size)."""
    manifest = workdir / "manifest.json"
    wanted = {"version": VERSION, "mb": mb}
    if manifest.is_file() and (built := json.loads(manifest.read_text()))["built"] == wanted:
        return [workdir / name for name in built["files"]], built["bytes"]
    rng, files, total, number = random.Random(1971), [], 0, 10_000
    pool = paragraph_pool(rng)
    while total < mb * MB:
        latin1 = rng.random() < 0.2
        data = book(rng, pool, number, latin1).encode("latin-1" if latin1 else "utf-8")
        name = f"{number}/{number}-{8 if latin1 else 0}.txt"
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_bytes(data)
        files.append(name)
        total, number = total + len(data), number + 1
    manifest.write_text(json.dumps({"built": wanted, "files": files, "bytes": total}))
    return [workdir / name for name in files], total


def reader_items(files: list[Path]) -> Iterable[object]:
    reader = GutenbergReader(ReadConfig(), source="books", added="2026-01-01T00:00:00Z")
    for path in files:
        for item in reader.read(str(path)):
            if not isinstance(item, Document):
                raise SystemExit(f"not a document: {item}")
            yield item


def peer_items(files: list[Path]) -> Iterable[str]:
    for path in files:
        with open(path, "rb") as stream:
            data = stream.read()
        try:
            yield data.decode("utf-8")
        except UnicodeDecodeError:
            yield data.decode("latin-1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=500, help="MB of books to build (500)")
    parser.add_argument("--workdir", type=Path, default=Path(".bench/read_books"))
    parser.add_argument("--every", type=int, default=100, help="RSS sample interval (books)")
    args = parser.parse_args()
    files, size = build(args.workdir, args.mb)
    for _ in peer_items(files):  # untimed: both loops then read from the page cache
        pass
    print(f"corpus: {len(files):,} books, {size / MB:.0f} MB, in {args.workdir}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    timed("dolmakit gutenberg reader (decode, strip header/footer, parse header)",
          reader_items(files), size, args.every, unit="books", of="input")  # fmt: skip
    timed("peer: open + read + decode (UTF-8, else Latin-1), bare loop", peer_items(files), size,
          args.every, unit="books", of="input")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
