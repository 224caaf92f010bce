"""Reading a Stack Exchange Posts.xml: the stackexchange_posts reader next to a bare parse loop.

What it measures: the `stackexchange_posts` reader (dolmakit/sources/stackexchange/reader.py) over
a synthetic Posts.xml of at least --mb MB, in one process and without Beam: every line read,
each `<row>` parsed alone with xml.etree, its body's HTML turned into text (html_text), a Document
built. It prints posts/s, MB/s of the (uncompressed: the reader takes the XML that `7z x` gives)
file, the peak RSS and the RSS every 50,000 posts (flat: nothing accumulates), and the same
figures for the peer on the same file: the bare loop of the same line-by-line parse,
`xml.etree.ElementTree.fromstring(line).attrib` per row line and nothing else; and, for
reference, `ElementTree.iterparse` of the whole file with each row cleared after use (what a
whole-file parse costs when the parsed rows are dropped). The difference between the reader and
the peer is the HTML conversion and the documents. The dump is built once (deterministic,
invented text: prose, code blocks with < and &, lists, links, quotes; two answers per question on
average) and cached under --workdir (.bench/read_stackexchange/).

Run: nice -n 10 .venv/bin/python -m benchmarks.read.stackexchange [--mb 500] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from benchmarks.read.streaming import peak_rss_mb, rss_mb
from dolmakit.core.document import Document
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.stackexchange.reader import StackExchangePostsReader

SITE = "bench.stackexchange.com"
SAMPLE_EVERY = 50_000
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "\n": "&#xA;", "\r": "&#xD;", "\t": "&#x9;"}
WORDS = str.split(
    "the a to of and in is it that for you this with on be not are as can if your have use "
    "file value function error when but my what so how from there an will all do which would "
    "one get by like just more should any list server command line string array table query "
    "output input return class object method variable script install package version update "
    "user directory path system process memory thread loop key type test data change example "
    "problem answer question works because then need also only does using time set first new"
)
CODE_LINES = [
    "for (int i = 0; i < n && ok; i++) {",
    "    total += values[i] & mask;",
    "}",
    "if x < 10 and y > 3:",
    '    print(f"<{x}> & <{y}>")',
    'grep -E "^(error|warn)" app.log | sort | uniq -c > counts.txt',
    "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name;",
    "def area(radius):",
    "    return 3.14159 * radius ** 2",
    "\treturn a < b ? a : b;",
    "const items = list.filter(x => x.ok && x.size < 4);",
    '<div class="row"><span>&nbsp;</span></div>',
]


def prose(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choices(WORDS, k=words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    text = escape(prose(rng, rng.randint(12, 70)))
    if rng.random() < 0.4:
        text += f" Try <code>{escape(rng.choice(CODE_LINES).strip())}</code> first."
    if rng.random() < 0.2:
        text += ' See <a href="https://docs.example/page">the docs</a>.'
    return f"<p>{text}</p>"


def body(rng: random.Random) -> str:
    blocks = [paragraph(rng) for _ in range(rng.randint(1, 4))]
    for _ in range(rng.choice((0, 1, 1, 2))):
        lines = rng.choices(CODE_LINES, k=rng.randint(3, 15))
        code = escape("\n".join(lines))
        blocks.insert(rng.randint(1, len(blocks)), f"<pre><code>{code}\n</code></pre>")
    if rng.random() < 0.2:
        items = "".join(f"<li>{escape(prose(rng, rng.randint(3, 12)))}</li>" for _ in range(3))
        blocks.append(f"<ul>\n{items}\n</ul>")
    if rng.random() < 0.1:
        blocks.append(f"<blockquote>\n  <p>{escape(prose(rng, 20))}</p>\n</blockquote>")
    return "\n\n".join(blocks) + "\n"


def row(fields: list[tuple[str, object]]) -> str:
    attributes = " ".join(
        f'{name}="{xml_escape(str(value), _ATTRIBUTE_ESCAPES)}"' for name, value in fields
    )
    return f"  <row {attributes} />\n"


def posts(rng: random.Random) -> Iterator[str]:
    """Rows as the dump has them: a question, then its answers (0 to 4)."""
    post_id = 0
    while True:
        post_id += 1
        question, date = post_id, f"20{10 + post_id % 14}-0{1 + post_id % 9}-1{post_id % 10}"
        yield row([("Id", question), ("PostTypeId", 1), ("CreationDate", f"{date}T10:00:00.000"),
                   ("Score", rng.randint(-3, 40)), ("ViewCount", rng.randint(10, 9000)),
                   ("Body", body(rng)), ("OwnerUserId", rng.randint(1, 99999)),
                   ("Title", prose(rng, rng.randint(5, 14))[:-1] + "?"),
                   ("Tags", "<python><parsing>"), ("AnswerCount", 2),
                   ("ContentLicense", "CC BY-SA 4.0")])  # fmt: skip
        for _ in range(rng.choice((0, 1, 2, 2, 3, 4))):
            post_id += 1
            yield row([("Id", post_id), ("PostTypeId", 2), ("ParentId", question),
                       ("CreationDate", f"{date}T11:00:00.000"), ("Score", rng.randint(-2, 60)),
                       ("Body", body(rng)), ("OwnerUserId", rng.randint(1, 99999)),
                       ("ContentLicense", "CC BY-SA 4.0")])  # fmt: skip


def build_dump(workdir: Path, mb: int) -> Path:
    path = workdir / f"{SITE}-{mb}mb" / "Posts.xml"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    started, size = time.perf_counter(), 0
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
        for line in posts(random.Random(20240501)):
            out.write(line)
            size += len(line)  # ASCII only: characters are bytes
            if size >= mb * 1_000_000:
                break
        out.write("</posts>\n")
    partial.rename(path)
    print(f"built {path} in {time.perf_counter() - started:.0f} s")
    return path


def measure(name: str, loop: Callable[[Path], Iterator[object]], path: Path) -> float:
    samples, count = [], 0
    started = time.perf_counter()
    for _ in loop(path):
        count += 1
        if count % SAMPLE_EVERY == 0:
            samples.append(f"{rss_mb():.0f}")
    seconds = time.perf_counter() - started
    mb = path.stat().st_size / 1e6
    peak = peak_rss_mb()
    print(f"{name}\n  {count:,} posts in {seconds:.1f} s: {count / seconds:,.0f} posts/s, "
          f"{mb / seconds:.1f} MB/s; peak RSS so far {peak:.0f} MB")  # fmt: skip
    print(f"  RSS (MB) every {SAMPLE_EVERY:,} posts: {' '.join(samples)}")
    return seconds


def reader_loop(path: Path) -> Iterator[object]:
    reader = StackExchangePostsReader(ReadConfig(), "stackexchange", "2024-05-01")
    for item in reader.read(str(path)):
        if not isinstance(item, Document):
            raise SystemExit(f"the synthetic dump should read cleanly, got {item}")
        yield item


def fromstring_loop(path: Path) -> Iterator[object]:
    with path.open("rb") as stream:
        for line in stream:
            if line.lstrip().startswith(b"<row"):
                yield ET.fromstring(line).attrib


def iterparse_loop(path: Path) -> Iterator[object]:
    root = None
    for event, element in ET.iterparse(path, events=("start", "end")):
        if event == "start":
            root = element if root is None else root
        elif element.tag == "row":
            yield element.attrib
            root.clear()  # the row and every row before it: memory stays flat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=500, help="size of the synthetic Posts.xml")
    parser.add_argument("--workdir", type=Path, default=Path(".bench/read_stackexchange"))
    args = parser.parse_args()
    path = build_dump(args.workdir, args.mb)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"{path} ({path.stat().st_size / 1e6:,.0f} MB)\n")  # fmt: skip
    ours = measure("dolmakit stackexchange_posts (parse + HTML to text + Document)", reader_loop,
                   path)  # fmt: skip
    peer = measure("peer: bare ElementTree.fromstring per row line", fromstring_loop, path)
    measure("reference: ElementTree.iterparse of the whole file, rows cleared", iterparse_loop,
            path)  # fmt: skip
    print(f"\nreader time / peer time: {ours / peer:.1f}x (the rest is HTML conversion)")
    print(f"load average {os.getloadavg()[0]:.2f} after the run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
