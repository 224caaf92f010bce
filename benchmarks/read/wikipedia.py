"""Reading a Wikipedia dump: the `mediawiki` reader and its wikitext cleaning, against bare loops.

Builds once (cached under --workdir, default .bench/read_wikipedia/) a synthetic English
`pages-articles-multistream.xml.bz2` dump of at least --mb MB of uncompressed XML (500 by
default): invented articles with infoboxes of nested templates, references holding citation
templates, tables holding templates, file links, lists, categories and interlanguage links,
plus redirects and talk pages in Wikipedia's proportions, compressed as many bz2 streams by
several processes, as Wikimedia's multistream dumps are. It then streams the dump through
dolmakit's reader (no Beam) and prints documents/s, MB/s of uncompressed XML, peak RSS and the
RSS sampled every --every pages (memory must stay flat), then the peer on the same dump: the
bare loop of the same streaming (bz2, line split, ElementTree per page, no cleaning) and that
loop plus mwparserfromhell's `strip_code()` on every article (the cleaning core of the
Hugging Face `wikipedia` builder), so the cost of cleaning is visible. Each measure runs in a
fresh process; `os.getloadavg()` is printed, as the machines are shared.
"""

from __future__ import annotations

import argparse
import bz2
import json
import multiprocessing
import os
import random
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

import mwparserfromhell

from benchmarks.read.streaming import peak_rss_mb, rss_mb
from dolmakit.core.document import Document, Removed
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.wikipedia.reader import MediaWikiReader

FORMAT = 1  # bump when the generated dump changes
PAGES_PER_STREAM = 100  # as in Wikimedia's multistream dumps
WORDS = str.split(
    "the of and in to a was is for on as by with from that at his an were which are this be "
    "harbour valley river tower town market railway keeper quarry bridge church station mill "
    "council county north south coast island village school road castle museum garden parish "
    "built opened closed founded named became served carried restored moved rebuilt extended "
    "first second early later old new small large main upper lower eastern western local"
)
NAMES = str.split(
    "Harrowgate Marrowby Quill Pellow Thornbury Gisby Ardleigh Brackwater Cotesby "
    "Dunmere Elsworth Fennick Garrowby Holmfirth Iverley Jessop Kettlebury Lowick"
)
HEADER = (
    '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">\n'
    "  <siteinfo>\n    <sitename>Wikipedia</sitename>\n    <dbname>enwiki</dbname>\n"
    "    <base>https://en.wikipedia.org/wiki/Main_Page</base>\n    <namespaces>\n"
    '      <namespace key="0" case="first-letter" />\n'
    '      <namespace key="1" case="first-letter">Talk</namespace>\n'
    '      <namespace key="6" case="first-letter">File</namespace>\n'
    '      <namespace key="14" case="first-letter">Category</namespace>\n'
    "    </namespaces>\n  </siteinfo>\n"
)


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    for i in rng.sample(range(len(words)), 2):  # links, one piped
        name = rng.choice(NAMES)
        words[i] = f"[[{name} {words[i]}|{words[i]}]]" if i % 2 else f"[[{name}]]"
    if rng.random() < 0.3:
        words.append(f"'''{rng.choice(NAMES)}'''")
    if rng.random() < 0.2:
        words.append(f"{{{{convert|{rng.randint(2, 900)}|m|ft}}}}")
    text = " ".join(words).capitalize() + "."
    if rng.random() < 0.35:
        text += (f'<ref name="r{rng.randint(1, 9)}">{{{{cite web |url=https://x.example/'
                 f"{rng.randint(1, 10**6)} |title={rng.choice(NAMES)} {rng.choice(WORDS)} "
                 f"|date={rng.randint(1, 28)} May {rng.randint(1950, 2025)}}}}}</ref>")  # fmt: skip
    elif rng.random() < 0.1:
        text += "{{citation needed|date=May 2024}}"
    return text


def article(rng: random.Random, title: str) -> str:
    infobox = (
        f"{{{{Infobox settlement\n| name = {title}\n| population = {{{{formatnum:"
        f"{rng.randint(100, 99999)}}}}}\n| coordinates = {{{{coord|{rng.randint(1, 89)}|N|"
        f"{rng.randint(1, 179)}|W|display={{{{if empty|inline|title}}}}}}}}\n}}}}\n"
    )
    parts = [infobox, f"[[File:{title}.jpg|thumb|The [[{rng.choice(NAMES)}]] view]]\n"]
    for section in range(rng.randint(3, 7)):
        if section:
            parts.append(f"\n== {rng.choice(WORDS).capitalize()} {rng.choice(NAMES)} ==\n")
        for _ in range(rng.randint(1, 4)):
            parts.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 6))) + "\n\n")
        if rng.random() < 0.3:
            parts.append("".join(f"* {sentence(rng)}\n" for _ in range(rng.randint(2, 5))))
        if rng.random() < 0.25:
            rows = "".join(table_row(rng) for _ in range(rng.randint(3, 8)))
            parts.append(f'{{| class="wikitable"\n! Name !! Year !! Length\n{rows}|}}\n')
    parts.append("\n== References ==\n{{Reflist}}\n\n<!-- maintenance note -->\n")
    parts += [f"[[Category:{rng.choice(NAMES)} {rng.choice(WORDS)}]]\n" for _ in range(3)]
    parts += [f"[[{code}:{title}]]\n" for code in rng.sample(["de", "fr", "nl", "pl", "sv"], 2)]
    return "".join(parts)


def table_row(rng: random.Random) -> str:
    flag, name = rng.choice(NAMES), rng.choice(NAMES)
    year, length = rng.randint(1800, 2025), rng.randint(1, 99)
    return f"|-\n| {{{{flagicon|{flag}}}}} [[{name}]] || {year} || {{{{convert|{length}|km}}}}\n"


def page_xml(page_id: int, rng: random.Random) -> str:
    title, redirect, ns = f"{rng.choice(NAMES)} {rng.choice(WORDS)} {page_id}", "", 0
    kind = rng.random()
    if kind < 0.25:  # about a quarter of the pages: redirects
        target = f"{rng.choice(NAMES)} {page_id - 1}"
        text, redirect = f"#REDIRECT [[{target}]]", f'    <redirect title="{target}" />\n'
    elif kind < 0.3:
        title, ns, text = f"Talk:{title}", 1, f"== Question ==\n{sentence(rng)} ~~~~"
    else:
        text = article(rng, title)
    body = escape(text, {'"': "&quot;"})
    return (f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{ns}</ns>\n    <id>{page_id}"
            f"</id>\n{redirect}    <revision>\n      <id>{page_id * 7}</id>\n      <timestamp>"
            f"2025-0{1 + page_id % 9}-11T10:00:00Z</timestamp>\n      <model>wikitext</model>\n"
            f'      <text bytes="{len(text)}" xml:space="preserve">{body}</text>'
            f"\n    </revision>\n  </page>\n")  # fmt: skip


def stream_of_pages(first_page: int) -> tuple[bytes, int]:
    """One bz2 stream of PAGES_PER_STREAM pages (deterministic from its first page id)."""
    rng = random.Random(first_page)
    xml = "".join(page_xml(first_page + i, rng) for i in range(PAGES_PER_STREAM)).encode()
    return bz2.compress(xml, 9), len(xml)


def build_dump(mb: int, workdir: Path) -> tuple[Path, dict]:
    path = workdir / "enwiki-20260101-pages-articles-multistream.xml.bz2"
    manifest_path = workdir / "manifest.json"
    if manifest_path.is_file() and path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") == FORMAT and manifest["target_mb"] >= mb:
            return path, manifest
    workdir.mkdir(parents=True, exist_ok=True)
    started, size, first = time.time(), len(HEADER), 1
    with open(path, "wb") as out, multiprocessing.Pool() as pool:
        out.write(bz2.compress(HEADER.encode()))
        while size < mb * 1_000_000:
            batch = range(first, first + 64 * PAGES_PER_STREAM, PAGES_PER_STREAM)
            for data, xml_size in pool.imap(stream_of_pages, batch):
                out.write(data)
                size += xml_size
            first = batch[-1] + PAGES_PER_STREAM
        out.write(bz2.compress(b"</mediawiki>\n"))
        size += len("</mediawiki>\n")
    manifest = {
        "format": FORMAT,
        "target_mb": mb,
        "xml_bytes": size,
        "pages": first - 1,
        "bz2_bytes": path.stat().st_size,
        "build_seconds": round(time.time() - started),
    }
    manifest_path.write_text(json.dumps(manifest, indent=1))
    return path, manifest


def measure_reader(path: Path, every: int) -> dict:
    reader = MediaWikiReader(ReadConfig(options={}), source="wikipedia", added="")
    counts, samples = {"documents": 0, "removed": 0, "errors": 0}, []
    started, cpu_started = time.perf_counter(), time.process_time()
    for n, item in enumerate(reader.read(str(path)), start=1):
        kind = "documents" if isinstance(item, Document) else "removed"
        counts[kind if isinstance(item, Document | Removed) else "errors"] += 1
        if n % every == 0:
            samples.append(round(rss_mb()))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = peak_rss_mb()
    return {**counts, "pages": n, "seconds": seconds, "cpu": cpu, "peak_mb": peak,
            "rss_mb": samples}  # fmt: skip


def measure_peer(path: Path) -> dict:
    """The bare loop (bz2, lines, ElementTree per page), timing strip_code() apart."""
    pages = articles = 0
    strip_seconds, strip_cpu, buffer = 0.0, 0.0, []
    started, cpu_started = time.perf_counter(), time.process_time()
    with bz2.open(path, "rb") as stream:
        for line in stream:
            stripped = line.strip()
            if stripped == b"<page>":
                buffer = []
            buffer.append(line)
            if stripped == b"</page>":
                page = ET.fromstring(b"".join(buffer))
                pages += 1
                if page.findtext("ns") == "0" and page.find("redirect") is None:
                    began, cpu_began = time.perf_counter(), time.process_time()
                    mwparserfromhell.parse(page.findtext("revision/text") or "").strip_code()
                    strip_seconds += time.perf_counter() - began
                    strip_cpu += time.process_time() - cpu_began
                    articles += 1
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = peak_rss_mb()
    return {"pages": pages, "articles": articles, "seconds": total - strip_seconds,
            "cpu": cpu - strip_cpu, "with_strip_code": total, "cpu_with_strip_code": cpu,
            "peak_mb": peak}  # fmt: skip


def in_child(function, *args) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=500, help="uncompressed XML MB (default 500)")
    parser.add_argument("--workdir", type=Path, default=Path(".bench/read_wikipedia"))
    parser.add_argument("--every", type=int, default=10_000, help="pages between RSS samples")
    args = parser.parse_args()
    path, dump = build_dump(args.mb, args.workdir)
    mb = dump["xml_bytes"] / 1e6
    print(
        f"dump: {path} {dump['pages']:,} pages, {mb:,.0f} MB of XML, "
        f"{dump['bz2_bytes'] / 1e6:,.0f} MB bz2 ({dump['build_seconds']} s to build)"
    )
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    ours = in_child(measure_reader, path, args.every)
    print(f"dolmakit mediawiki reader (stream + parse + clean), one process: {ours['pages']:,} "
          f"pages = {ours['documents']:,} documents + {ours['removed']:,} removed + "
          f"{ours['errors']} errors in {ours['seconds']:.1f} s ({ours['cpu']:.1f} s CPU)\n"
          f"  {ours['pages'] / ours['seconds']:,.0f} pages/s, "
          f"{ours['documents'] / ours['seconds']:,.0f} documents/s, "
          f"{mb / ours['seconds']:.2f} MB/s uncompressed ({mb / ours['cpu']:.2f} MB/s by CPU "
          f"time); peak RSS {ours['peak_mb']:.0f} MB\n"
          f"  RSS (MB) every {args.every:,} pages: {ours['rss_mb']}")  # fmt: skip
    peer = in_child(measure_peer, path)
    print(f"peer, bare loop (bz2 + line split + ElementTree per page, no cleaning): "
          f"{peer['seconds']:.1f} s = {peer['pages'] / peer['seconds']:,.0f} pages/s, "
          f"{mb / peer['seconds']:.2f} MB/s ({mb / peer['cpu']:.2f} by CPU time); "
          f"peak RSS {peer['peak_mb']:.0f} MB\n"
          f"peer, bare loop + mwparserfromhell strip_code() on {peer['articles']:,} articles: "
          f"{peer['with_strip_code']:.1f} s = {mb / peer['with_strip_code']:.2f} MB/s "
          f"({mb / peer['cpu_with_strip_code']:.2f} by CPU time)\n"
          f"dolmakit / (bare loop + strip_code), CPU time: "
          f"{ours['cpu'] / peer['cpu_with_strip_code']:.2f}x; cleaning is "
          f"{1 - peer['cpu'] / ours['cpu']:.0%} of dolmakit's CPU time")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
