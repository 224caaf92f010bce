"""decontaminate_v1 on real web pages with WikiText-103 test passages planted into them.

    .venv/bin/python -m benchmarks.filters.decontamination [--plant 200] [--words 40] [--seed 0]

The evaluation set is wiki.test.tokens (../shared/data/wiki, or $DOLMAKIT_SHARED_DATA/wiki); the
pages are the English-or-not real pages of web/web-pages.warc.gz as dolmakit's WARC reader
extracts them. A passage is `--words` consecutive words of a test paragraph, detokenized the way
a page would print it (`1 @,@ 000` -> `1,000`, ` , ` -> `, `), inserted as its own line at a random
line of a random page. Printed, side by side:

- recall: planted passages found (document mode: the page removed; paragraph mode: the planted
  line dropped), and false removals: clean pages removed, clean lines dropped;
- the index: distinct 13-grams and bytes, and the same hashes in a Python set (what a plain
  `set` of n-gram hashes, datatrove's NGramsDecontFilter's structure, holds per entry);
- speed: pages/s of the step's check against the same check done with the Python set.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time
import tracemalloc
from pathlib import Path

from benchmarks import REPO
from dolmakit.core.document import Document, Removed
from dolmakit.filters.decontaminate import (
    Decontaminate,
    DecontaminateConfig,
    build_index,
    words,
)
from dolmakit.io.readers import ReadConfig
from dolmakit.io.texts import read_texts
from dolmakit.io.warc import WarcReader


def shared() -> Path:
    return Path(os.environ.get("DOLMAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def detokenize(text: str) -> str:
    text = re.sub(r" @(.)@ ", r"\1", text)
    return re.sub(r" ([,.;:!?)']|'s|n't)", r"\1", text).replace("( ", "(")


def real_pages(path: Path) -> list[str]:
    reader = WarcReader(ReadConfig(), "web", "")
    return [item.text for item in reader.read(str(path)) if isinstance(item, Document)]


def plant(pages: list[str], passages: list[str], rng: random.Random) -> dict[int, str]:
    """page index -> the passage planted into it (one per page)."""
    chosen = rng.sample(range(len(pages)), len(passages))
    for index, passage in zip(chosen, passages, strict=True):
        lines = pages[index].split("\n")
        lines.insert(rng.randrange(len(lines) + 1), passage)
        pages[index] = "\n".join(lines)
    return dict(zip(chosen, passages, strict=True))


def run_mode(step: Decontaminate, pages: list[str], planted: dict[int, str]) -> dict:
    found = false = lines_false = 0
    for index, text in enumerate(pages):
        result = step.process(Document(id=str(index), text=text, source="web"))
        if index in planted:
            passage = planted[index]
            found += isinstance(result, Removed) or passage not in result.text
        elif isinstance(result, Removed):
            false += 1
        else:
            lines_false += text.count("\n") - result.text.count("\n")
    return {"found": found, "false_pages": false, "false_lines": lines_false}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plant", type=int, default=200)
    parser.add_argument("--words", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    test, web = shared() / "wiki" / "wiki.test.tokens", shared() / "web" / "web-pages.warc.gz"
    if not (test.is_file() and web.is_file()):
        print(f"skipped: {test} or {web} not found")
        return
    rng = random.Random(args.seed)
    pages = real_pages(web)
    paragraphs = [p for p in read_texts([test]) if len(p.split()) >= args.words + 20]
    passages = [
        detokenize(" ".join(p.split()[10 : 10 + args.words]))
        for p in rng.sample(paragraphs, min(args.plant, len(paragraphs), len(pages)))
    ]
    planted = plant(pages, passages, rng)
    print(f"{len(pages)} real pages, {len(planted)} planted passages of {args.words} words "
          f"from {test.name} ({len(paragraphs)} eligible paragraphs)")  # fmt: skip

    tracemalloc.start()
    started = time.perf_counter()
    index = build_index(read_texts([test]), 13)
    built = time.perf_counter() - started
    python_set = set(index.tolist())
    set_bytes = tracemalloc.get_traced_memory()[0] - index.nbytes
    tracemalloc.stop()
    print(f"index: {len(index):,} distinct 13-grams in {built:.2f} s; sorted uint64 array "
          f"{index.nbytes / 2**20:.2f} MiB ({index.nbytes / len(index):.0f} B each) | Python set "
          f"{set_bytes / 2**20:.2f} MiB ({set_bytes / len(index):.0f} B each)")  # fmt: skip

    for mode in ("document", "paragraphs"):
        step = Decontaminate("decon", DecontaminateConfig(eval=[str(test)], remove=mode))
        step.setup()
        clock = time.perf_counter()
        figures = run_mode(step, list(pages), planted)
        seconds = time.perf_counter() - clock
        clean, rate = len(pages) - len(planted), len(pages) / seconds
        print(f"{mode:>10}: recall {figures['found']}/{len(planted)}, false removals: "
              f"{figures['false_pages']} of {clean} clean pages, "
              f"{figures['false_lines']} clean lines; {rate:,.0f} pages/s")  # fmt: skip

    hasher = step._hasher
    clock = time.perf_counter()
    hits = sum(any(h in python_set for h in hasher.hashes(words(p)).tolist()) for p in pages)
    set_seconds = time.perf_counter() - clock
    clock = time.perf_counter()
    ours = sum(step.matches(p) > 0 for p in pages)
    our_seconds = time.perf_counter() - clock
    print(
        f"lookup only: sorted array + searchsorted {len(pages) / our_seconds:,.0f} pages/s "
        f"| Python set {len(pages) / set_seconds:,.0f} pages/s (same verdicts: {hits == ours})"
    )


if __name__ == "__main__":
    main()
