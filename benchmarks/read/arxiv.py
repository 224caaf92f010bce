"""Reading arXiv sources with the `arxiv` reader: papers/s, MB/s and memory, against bare tarfile.

It builds once, cached under `--workdir` (default .bench/read_arxiv/), a synthetic arXiv bulk dump
of at least `--mb` MB (decimal) of uncompressed LaTeX: per-paper gzipped tars (`2401/<id>.gz`:
a main file whose preamble defines macros with and without arguments and `\\def`s, six
`\\input` section files with comments, math using the macros, environments, a `.bib`, a `.bbl`
and a small binary figure), about 32 KB of LaTeX each, bundled in bulk tars of about 64 MB of
LaTeX (`arXiv_src_2401_NNN.tar`, uncompressed as arXiv's are; level 6 gzip inside); one paper in
five is a single gzipped .tex instead, about 1% have no section and 1% an unclosed brace. Text
comes from a fixed, seeded pool of generated sentences. Then, in this process and without Beam, it
streams every bulk tar (1) through `ArxivReader.read`, which finds the main file, inlines the
inputs and does all of the cleaning (comments, preamble, bibliography, macro expansion, checks),
and (2) through the peer, the least any reader of the dump does: tarfile in streaming mode over
the bulk tar, gzip on each member, tarfile on it when it is a tar, and UTF-8 decoding of the
.tex files, in a bare loop. For each it prints papers/s, MB/s of uncompressed LaTeX, the
resident memory every `--every` papers (flat: one paper in memory at a time) and the peak RSS,
and the load average.

Run: nice -n 10 .venv/bin/python -m benchmarks.read.arxiv [--mb 500] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import tarfile
from collections.abc import Iterable
from pathlib import Path

from benchmarks.read.streaming import timed
from dolmakit.core.document import Document, Removed
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.arxiv.reader import ArxivReader

MB = 1_000_000
BULK_BYTES = 64 * MB  # uncompressed LaTeX per bulk tar
VERSION = 2
_VOCABULARY = ("model gauge river estimate error signal network layer sample bound theorem "
               "lemma proof method result data set measure flow rate loss function gradient "
               "prior posterior kernel matrix vector operator space time order case step term "
               "we show that the of a an in for with by on is are this which each every all "
               "small large new simple robust linear convex sparse random fixed local "
               "global")  # fmt: skip
WORDS = _VOCABULARY.split()
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb,graphicx}
%% macros of the paper
\newcommand{\R}{\mathbb{R}}
\newcommand{\E}{\mathbb{E}}
\newcommand{\inner}[2]{\langle #1, #2 \rangle}
\newcommand{\norm}[1]{\lVert #1 \rVert}
\newcommand{\loss}[1][\theta]{\mathcal{L}(#1)}
\newcommand{\Rd}{\R^{d}}
\def\model{\textsc{Model%d}}
\def\pair#1#2{(#1,\,#2)}
\DeclareMathOperator*{\argmin}{arg\,min}
\title{On the %s of %s}
\author{A. Author \and B. Author}
\begin{document}
\maketitle
\begin{abstract}
%s
\end{abstract}
"""
MATH = (r"$x \in \Rd$", r"$\inner{x}{y}$", r"$\norm{v}_2$", r"$\loss$", r"$\loss[\phi]$",
        r"$\E[\pair{a}{b}]$", r"\model{}", r"$\argmin_{\theta} \loss$", r"12\%")  # fmt: skip


def sentence_pool(rng: random.Random, size: int = 20_000) -> list[str]:
    """Sentences of 6 to 24 words, one in three with a macro use, one in five with a comment."""
    pool = []
    for _ in range(size):
        words = rng.choices(WORDS, k=rng.randint(6, 24))
        if rng.random() < 0.33:
            words.insert(rng.randrange(len(words)), rng.choice(MATH))
        sentence = " ".join(words).capitalize() + "."
        pool.append(sentence + (" % TODO: check this" if rng.random() < 0.2 else ""))
    return pool


def section(rng: random.Random, pool: list[str], number: int) -> str:
    parts = [f"\\section{{Part {number}}}\n\\label{{sec:{number}}}\n"]
    for _ in range(rng.randint(5, 9)):
        parts.append("\n".join(rng.choices(pool, k=rng.randint(4, 10))) + "\n\n")
        if rng.random() < 0.3:
            parts.append("\\begin{equation}\n\\loss = \\sum_i \\norm{x_i}^2\n\\end{equation}\n")
        if rng.random() < 0.2:
            parts.append("\\begin{itemize}\n  \\item " + rng.choice(pool) + "\n\\end{itemize}\n")
    return "".join(parts)


def paper_files(rng: random.Random, pool: list[str], number: int) -> dict[str, bytes]:
    title = rng.choices(WORDS, k=2)
    main = PREAMBLE % (number, title[0], title[1], " ".join(rng.choices(pool, k=4)))
    main += "".join(f"\\input{{sections/s{i}}}\n" for i in range(6))
    main += "\\appendix\n\\section{Proofs}\nRoutine.\n\\bibliographystyle{plain}\n"
    main += "\\bibliography{refs}\n\\end{document}\n"
    files = {"main.tex": main.encode()}
    for i in range(6):
        files[f"sections/s{i}.tex"] = section(rng, pool, i).encode()
    files["refs.bib"] = b"@article{a, title={T}, author={A}, year={2020}}\n"
    files["main.bbl"] = (
        b"\\begin{thebibliography}{1}\n\\bibitem{a} A. T. 2020.\n\\end{thebibliography}\n"
    )
    files["figures/plot.png"] = rng.randbytes(4096)
    return files


def member_data(paper: dict[str, bytes], number: int) -> tuple[bytes, int]:
    """What the bulk tar holds for a paper: one in five a single gzipped .tex (its inputs
    written in place, as one-file papers are), the others a gzipped tar; one in 97 has no
    section left (removed) and one in 101 an unclosed brace (an error), as real dumps have.
    Returns the member's bytes and its bytes of LaTeX."""
    if number % 97 == 0:
        paper = {name: data.replace(b"\\section{", b"\\textbf{") for name, data in paper.items()}
    if number % 101 == 0:
        paper["sections/s3.tex"] += b"\\textbf{unclosed\n"
    if number % 5 == 0:
        main = paper["main.tex"]
        for i in range(6):
            main = main.replace(f"\\input{{sections/s{i}}}".encode(), paper[f"sections/s{i}.tex"])
        return gzip.compress(main, compresslevel=6, mtime=0), len(main)
    return gzipped_tar(paper), latex_bytes(paper)


def gzipped_tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), compresslevel=6, mtime=0)


def latex_bytes(files: dict[str, bytes]) -> int:
    return sum(len(data) for name, data in files.items() if name.endswith((".tex", ".bbl")))


def build(workdir: Path, mb: int) -> tuple[list[Path], int, int]:
    """The bulk tars, their bytes of LaTeX and their papers (reused when built for this size)."""
    manifest = workdir / "manifest.json"
    wanted = {"version": VERSION, "mb": mb}
    if manifest.is_file() and (built := json.loads(manifest.read_text()))["built"] == wanted:
        return [workdir / name for name in built["files"]], built["bytes"], built["papers"]
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2401)
    pool, number, files, total = sentence_pool(rng), 0, [], 0
    while total < mb * MB:
        path = workdir / f"arXiv_src_2401_{len(files) + 1:03d}.tar"
        written = 0
        with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as bulk:
            while written < BULK_BYTES and total + written < mb * MB:
                number += 1
                paper = paper_files(rng, pool, number)
                data, size = member_data(paper, number)
                info = tarfile.TarInfo(f"2401/2401.{number:05d}.gz")
                info.size = len(data)
                bulk.addfile(info, io.BytesIO(data))
                written += size
        files.append(path.name)
        total += written
        print(f"  built {path.name}: {written / MB:.0f} MB of LaTeX", flush=True)
    manifest.write_text(json.dumps({"built": wanted, "files": files, "bytes": total,
                                    "papers": number}))  # fmt: skip
    return [workdir / name for name in files], total, number


def reader_items(files: list[Path], kinds: dict[str, int]) -> Iterable[object]:
    reader = ArxivReader(ReadConfig(), source="arxiv", added="2026-01-01T00:00:00Z")
    for path in files:
        for item in reader.read(str(path)):
            kind = (
                "kept" if isinstance(item, Document)
                else f"removed {item.reason}" if isinstance(item, Removed)
                else f"error {item.kind}"
            )  # fmt: skip
            kinds[kind] = kinds.get(kind, 0) + 1
            yield item


def peer_items(files: list[Path]) -> Iterable[dict[str, str]]:
    for path in files:
        with tarfile.open(path, mode="r|") as bulk:
            for member in bulk:
                data = gzip.decompress(bulk.extractfile(member).read())
                if data[257:262] != b"ustar":  # a single .tex
                    yield {member.name: data.decode("utf-8")}
                    continue
                with tarfile.open(fileobj=io.BytesIO(data), mode="r|") as paper:
                    yield {m.name: paper.extractfile(m).read().decode("utf-8")
                           for m in paper if m.name.endswith((".tex", ".bbl"))}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=500, help="MB of LaTeX to build (500)")
    parser.add_argument("--workdir", type=Path, default=Path(".bench/read_arxiv"))
    parser.add_argument("--every", type=int, default=1000, help="RSS sample interval (papers)")
    args = parser.parse_args()
    files, size, papers = build(args.workdir, args.mb)
    packed = sum(os.path.getsize(path) for path in files)
    print(f"corpus: {len(files)} bulk tars, {papers:,} papers, {packed / MB:.0f} MB on disk, "
          f"{size / MB:.0f} MB of uncompressed LaTeX, in {args.workdir}")  # fmt: skip
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    kinds: dict[str, int] = {}
    ours = timed("dolmakit arxiv reader (read + clean)", reader_items(files, kinds), size,
                 args.every, unit="papers", of="uncompressed LaTeX")  # fmt: skip
    print(f"  outcomes: {kinds}")
    peer = timed("peer: tarfile stream + gzip + tarfile + utf-8 decode, bare loop",
                 peer_items(files), size, args.every, unit="papers",
                 of="uncompressed LaTeX")  # fmt: skip
    print(f"dolmakit / peer: {ours / peer:.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
