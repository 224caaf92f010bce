"""Rule filters: dolmakit's Gopher, C4 and FineWeb steps next to datatrove's, on the same documents.

What it measures
  Documents per second, per core, of all four rule families run on every document: Gopher
  repetition, Gopher quality, C4 (line cleaning and page rules) and FineWeb quality. dolmakit runs
  each family's tagger(s) and `filter` step (Step.process, no Beam); datatrove 0.10.1, the peer,
  runs each family's filter (BaseFilter.filter, no pipeline). No family is skipped because an
  earlier one dropped the document, so both sides do all the work on every document; FineWeb reads
  the C4-cleaned text when C4 kept the document, as in FineWeb's pipeline. Each side runs in its
  own single process (datatrove in .bench/datatrove-venv), after a warm-up on the first documents,
  timed by the process's CPU time (steady on a machine shared with other jobs) and by the wall
  clock. Goal: dolmakit reaches at least 1.5x datatrove's documents/s.

The settings compared
  datatrove: GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter() and
  FineWebQualityFilter() with their defaults. For English, datatrove 0.10.1 splits words and
  sentences with spaCy's blank English pipeline and its rule-based sentencizer, which need no
  download, so it runs unmodified here (NLTK is not used). dolmakit: filter presets
  gopher_repetition, gopher_quality, c4_filters_datatrove and fineweb_quality, c4_lines_v1 preset
  datatrove (the same numbers: 3 words per line, 5 sentences). dolmakit counts sentences with
  Punkt's English model; its Gopher taggers count datatrove's words (their default `words:
  datatrove`, spaCy's English tokens replayed by dolmakit.text.spacy_words), C4 and FineWeb
  split words on whitespace (each Han or Kana character a word).

Gopher quality alone
  The Gopher quality rules by themselves, dolmakit with each word splitting (`words: datatrove`,
  the default, and `words: whitespace`, the paper's plain reading: presets of gopher_quality_v1)
  against GopherQualityFilter(): documents/s per core (a fresh process, so the splitter's chunk
  cache starts empty), the share of the distinct texts both keep or both drop, and the share
  whose word counts equal datatrove's (non-symbol words, the fraction of words with a letter
  and the distinct stop words, all three).

Agreement
  The share of documents on which both sides keep, or both drop, per family and for all four
  together, on all documents and on those without Han or Kana (where spaCy's English tokenizer and
  dolmakit's words differ most), and the most common disagreements by reason.

The corpus
  The text of every HTML page of the shared real WARC captures (../shared/data/warc or
  $DOLMAKIT_SHARED_DATA/warc) and the bundled sample, extracted by dolmakit's WARC reader twice
  (main content, and all visible text), distinct texts only, shuffled and repeated to --docs
  documents; written to .bench/rules/ as JSONL.

Run
  .venv/bin/python -m benchmarks.filters.rules                 (2,000 documents, best of 3 runs)
  .venv/bin/python -m benchmarks.filters.rules --docs 500 --repeat 1      (a quick look)
  The datatrove virtualenv is created on first use (datatrove==0.10.1 and spaCy from PyPI).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks import REPO
from benchmarks.peers.datatrove_venv import ensure_datatrove_venv

WORKDIR = REPO / ".bench" / "rules"
FAMILIES = ("gopher_repetition", "gopher_quality", "c4", "fineweb")
SPLITTINGS = ("datatrove", "whitespace")  # gopher_quality_v1's words, as its presets name them
GOAL = 1.5
WARMUP = 20
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# --- the two sides (each runs in its own interpreter) ----------------------------------------


def datatrove_judge():
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    filters = [GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(),
               FineWebQualityFilter()]  # fmt: skip

    def judge(text: str, index: int) -> list[str]:
        doc = Document(text=text, id=str(index))  # C4 rewrites doc.text when it keeps it
        return [_datatrove_reason(f.filter(doc)) for f in filters]

    return judge


def datatrove_gopher_judge():
    from datatrove.data import Document
    from datatrove.pipeline.filters import GopherQualityFilter
    from datatrove.pipeline.filters.gopher_quality_filter import STOP_WORDS
    from datatrove.utils.text import PUNCTUATION_SET, split_into_words

    gopher = GopherQualityFilter()

    def judge(text: str, index: int) -> str:
        return _datatrove_reason(gopher.filter(Document(text=text, id=str(index))))

    def counts(text: str) -> list:
        words = split_into_words(text)
        kept = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
        alpha = sum(any(c.isalpha() for c in w) for w in words)
        return [len(kept), alpha / len(words) if words else 0.0, len(set(STOP_WORDS) & set(words))]

    return judge, counts


def _datatrove_reason(result) -> str:
    return "keep" if result is True else (result[1] if isinstance(result, tuple) else "drop")


def dolmakit_judge():
    from dolmakit.core.document import Document, Removed
    from dolmakit.engine.config import load_preset
    from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
    from dolmakit.filters.c4_lines import C4Lines, C4LinesConfig
    from dolmakit.taggers.c4 import C4Quality, C4QualityConfig
    from dolmakit.taggers.fineweb import FineWebQuality, FineWebQualityConfig
    from dolmakit.taggers.gopher import (
        GopherQuality,
        GopherQualityConfig,
        GopherRepetition,
        GopherRepetitionConfig,
    )

    def filt(preset: str) -> AttributeFilter:
        return AttributeFilter(preset, FilterConfig(**load_preset("filter", preset, "bench", "")))

    lines = C4LinesConfig(**load_preset("c4_lines_v1", "datatrove", "bench", ""))
    families = [
        [GopherRepetition("gopher_repetition_v1", GopherRepetitionConfig()),
         filt("gopher_repetition")],
        [GopherQuality("gopher_quality_v1", GopherQualityConfig()), filt("gopher_quality")],
        [C4Lines("c4_lines_v1", lines), C4Quality("c4_quality_v1", C4QualityConfig()),
         filt("c4_filters_datatrove")],
        [FineWebQuality("fineweb_quality_v1", FineWebQualityConfig()), filt("fineweb_quality")],
    ]  # fmt: skip
    for step in (step for family in families for step in family):
        step.setup()

    def judge(text: str, index: int) -> list[str]:
        doc, verdicts = Document(id=str(index), text=text, source="bench"), []
        for family in families:
            original, result = doc.text, doc
            for step in family:
                result = step.process(result)
                if isinstance(result, Removed):
                    doc.text = original  # a dropped document's text stays as it was
                    break
            verdicts.append(result.reason if isinstance(result, Removed) else "keep")
        return verdicts

    return judge


def dolmakit_gopher_judge(splitting: str):
    from dolmakit.core.document import Document, Removed
    from dolmakit.engine.config import load_preset
    from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig
    from dolmakit.taggers.gopher import GopherQuality, GopherQualityConfig

    preset = {"datatrove": "datatrove", "whitespace": "gopher"}[splitting]
    config = GopherQualityConfig(**load_preset("gopher_quality_v1", preset, "bench", ""))
    tagger = GopherQuality("gopher_quality_v1", config)
    rules = AttributeFilter(
        "gopher_quality", FilterConfig(**load_preset("filter", "gopher_quality", "bench", ""))
    )
    tagger.setup()
    keys = ("words", "alpha_words_fraction", "stop_words")

    def judge(text: str, index: int) -> str:
        result = rules.process(tagger.process(Document(id=str(index), text=text, source="b")))
        return result.reason if isinstance(result, Removed) else "keep"

    def counts(text: str) -> list:
        doc = tagger.process(Document(id="c", text=text, source="b"))
        return [doc.score(f"gopher_quality_v1__{key}") for key in keys]

    return judge, counts


def run_gopher_side(side: str, texts: list[str], out: Path) -> None:
    """Gopher quality alone: timed verdicts on every document, then (untimed) the counts of
    the distinct texts."""
    if side == "datatrove-gopher":
        judge, counts = datatrove_gopher_judge()
    else:
        judge, counts = dolmakit_gopher_judge(side.removeprefix("dolmakit-gopher-"))
    cpu, wall = time.process_time(), time.perf_counter()
    verdicts = [judge(text, index) for index, text in enumerate(texts)]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    distinct = list(dict.fromkeys(texts))
    result = {"cpu": cpu, "wall": wall, "verdicts": verdicts,
              "counts": [counts(text) for text in distinct]}  # fmt: skip
    out.write_text(json.dumps(result))


def run_side(side: str, docs_file: Path, out: Path) -> None:
    texts = [json.loads(line)["text"] for line in docs_file.open(encoding="utf-8")]
    if "-gopher" in side:
        run_gopher_side(side, texts, out)
        return
    judge = datatrove_judge() if side == "datatrove" else dolmakit_judge()
    for index, text in enumerate(texts[:WARMUP]):
        judge(text, index)
    load, cpu, wall = os.getloadavg()[0], time.process_time(), time.perf_counter()
    verdicts = [judge(text, index) for index, text in enumerate(texts)]
    result = {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "load": [load, os.getloadavg()[0]],
        "verdicts": verdicts,
    }
    out.write_text(json.dumps(result))


# --- the corpus ------------------------------------------------------------------------------


def distinct_texts() -> tuple[list[str], int]:
    """(texts of every HTML page of the real captures and the sample, in two extraction modes;
    the number of WARC files read)."""
    from benchmarks.common.corpus import shared_warc_dir, source_files
    from dolmakit.core.document import Document
    from dolmakit.io.readers import ReadConfig
    from dolmakit.io.warc import WarcReader

    web = shared_warc_dir(REPO).parent / "web"
    files = [*source_files(shared_warc_dir(REPO)), *sorted(web.glob("*.warc.gz")),
             REPO / "samples/commoncrawl/sample.warc.gz"]  # fmt: skip
    texts: dict[str, None] = {}
    for main_content in (True, False):
        config = ReadConfig(options={"html": {"main_content": main_content}})
        for path in files:
            for item in WarcReader(config, "bench", "").read(str(path)):
                if isinstance(item, Document) and item.text:
                    texts[item.text] = None
    return list(texts), len(files)


def build_corpus(docs: int) -> tuple[Path, dict]:
    texts, files = distinct_texts()
    random.Random(0).shuffle(texts)
    # copies of a text are len(texts) documents apart, beyond the reach of any small cache
    corpus = [texts[i % len(texts)] for i in range(docs)]
    WORKDIR.mkdir(parents=True, exist_ok=True)
    path = WORKDIR / f"docs-{docs}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index, text in enumerate(corpus):
            out.write(json.dumps({"id": index, "text": text}, ensure_ascii=False) + "\n")
    info = {"files": files, "distinct": len(texts), "chars": sum(map(len, corpus)),
            "han_kana": [bool(_HAN_KANA.search(text)) for text in corpus]}  # fmt: skip
    return path, info


# --- running and reporting -------------------------------------------------------------------


def measure(side: str, python: Path, docs_file: Path) -> dict:
    out = WORKDIR / f"{side}.json"
    out.unlink(missing_ok=True)
    command = [str(python), "-m", "benchmarks.filters.rules", "--side", side,
               "--docs-file", str(docs_file), "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0 or not out.is_file():
        sys.exit(f"the {side} side failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(out.read_text())


def agreement_table(runs: dict[str, dict], info: dict) -> list[str]:
    ours, theirs = runs["dolmakit"]["verdicts"], runs["datatrove"]["verdicts"]
    latin = [not flag for flag in info["han_kana"]]
    rows = [f"{'family':20}{'all docs':>10}{'no Han/Kana':>13}{'dolmakit drops':>16}"
            f"{'datatrove drops':>17}"]  # fmt: skip
    for index, family in enumerate([*FAMILIES, "all four"]):
        drops = [
            (_dropped(a, index), _dropped(b, index)) for a, b in zip(ours, theirs, strict=True)
        ]
        same = [a == b for a, b in drops]
        on_latin = sum(s for s, keep in zip(same, latin, strict=True) if keep)
        rows.append(
            f"{family:20}{sum(same) / len(same):>10.1%}{on_latin / max(sum(latin), 1):>13.1%}"
            f"{sum(a for a, _ in drops) / len(drops):>16.1%}"
            f"{sum(b for _, b in drops) / len(drops):>17.1%}"
        )
    return rows


def _dropped(verdicts: list[str], family: int) -> bool:
    """Whether that family (or, past the last, any family) dropped the document."""
    if family < len(FAMILIES):
        return verdicts[family] != "keep"
    return set(verdicts) != {"keep"}


def disagreements(runs: dict[str, dict]) -> list[str]:
    ours, theirs = runs["dolmakit"]["verdicts"], runs["datatrove"]["verdicts"]
    rows = []
    for index, family in enumerate(FAMILIES):
        pairs = Counter(
            f"{a} / {b}"
            for a, b in zip((v[index] for v in ours), (v[index] for v in theirs), strict=True)
            if (a == "keep") != (b == "keep")
        )
        listed = ", ".join(f"{pair}: {n}" for pair, n in pairs.most_common(4)) or "none"
        rows.append(f"  {family}: {listed}")
    return rows


def report(best: dict[str, dict], first: dict[str, dict], info: dict, repeat: int) -> None:
    docs = len(first["dolmakit"]["verdicts"])
    han = sum(info["han_kana"])
    print(f"corpus: {docs:,} documents ({info['distinct']} distinct texts from {info['files']} "
          f"WARC files, {info['chars'] / 1e6:.1f} M characters; {han / docs:.0%} with Han or "
          f"Kana)")  # fmt: skip
    print(f"timing: best of {repeat} interleaved runs, one process each (per core)\n")
    print(f"{'':18}{'cpu s':>8}{'docs/s (cpu)':>14}{'wall s':>8}{'docs/s (wall)':>15}"
          f"{'load avg':>12}")  # fmt: skip
    for side, label in (("datatrove", "datatrove 0.10.1"), ("dolmakit", "dolmakit")):
        run = best[side]
        load = "{:.2f}-{:.2f}".format(*run["load"])
        print(f"{label:18}{run['cpu']:>8.2f}{docs / run['cpu']:>14,.1f}{run['wall']:>8.2f}"
              f"{docs / run['wall']:>15,.1f}{load:>12}")  # fmt: skip
    by_cpu = best["datatrove"]["cpu"] / best["dolmakit"]["cpu"]
    by_wall = best["datatrove"]["wall"] / best["dolmakit"]["wall"]
    met = "GOAL MET" if by_cpu >= GOAL and by_wall >= GOAL else "GOAL NOT MET"
    print(f"\ndolmakit / datatrove: {by_cpu:.1f}x by CPU time, {by_wall:.1f}x by the wall clock "
          f"(goal >= {GOAL}x): {met}\n")  # fmt: skip
    print("agreement (both keep or both drop):")
    print("\n".join(agreement_table(first, info)))
    print("\ndisagreements (dolmakit reason / datatrove reason: documents):")
    print("\n".join(disagreements(first)))


def gopher_report(runs: dict[str, dict], info: dict) -> list[str]:
    """Gopher quality alone: speed, and agreement with datatrove on the distinct texts."""
    theirs = runs["datatrove-gopher"]
    docs, distinct = len(theirs["verdicts"]), len(theirs["counts"])
    # the corpus is the shuffled distinct texts, then repeats: the first `distinct` are those
    latin = [not flag for flag in info["han_kana"][:distinct]]
    rows = [f"{'':30}{'ms/doc (cpu)':>13}{'docs/s':>9}{'same verdict':>14}{'no Han/Kana':>13}"
            f"{'same words':>12}{'same counts':>13}"]  # fmt: skip
    for side in ("datatrove-gopher", *(f"dolmakit-gopher-{s}" for s in SPLITTINGS)):
        run = runs[side]
        label = (
            "datatrove 0.10.1" if side == "datatrove-gopher" else f"dolmakit, words: {side[16:]}"
        )
        pairs = zip(run["verdicts"][:distinct], theirs["verdicts"][:distinct], strict=True)
        same = [(a == "keep") == (b == "keep") for a, b in pairs]
        on_latin = sum(s for s, keep in zip(same, latin, strict=True) if keep) / max(sum(latin), 1)
        words = [a[0] == b[0] for a, b in zip(run["counts"], theirs["counts"], strict=True)]
        counts = [_same_counts(a, b) for a, b in zip(run["counts"], theirs["counts"], strict=True)]
        rows.append(f"{label:30}{run['cpu'] / docs * 1e3:>13.3f}{docs / run['cpu']:>9,.0f}"
                    f"{sum(same) / distinct:>14.1%}{on_latin:>13.1%}"
                    f"{sum(words) / distinct:>12.1%}{sum(counts) / distinct:>13.1%}")  # fmt: skip
    return rows


def _same_counts(ours: list, theirs: list) -> bool:
    return ours[0] == theirs[0] and abs(ours[1] - theirs[1]) < 1e-9 and ours[2] == theirs[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    sides = ["dolmakit", "datatrove", "datatrove-gopher",
             *(f"dolmakit-gopher-{splitting}" for splitting in SPLITTINGS)]  # fmt: skip
    parser.add_argument("--side", choices=sides, help=argparse.SUPPRESS)
    parser.add_argument("--docs-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        run_side(args.side, args.docs_file, args.out)
        return
    pythons = {"datatrove": ensure_datatrove_venv(), "dolmakit": Path(sys.executable)}
    docs_file, info = build_corpus(args.docs)
    pythons["datatrove-gopher"] = pythons["datatrove"]
    for splitting in SPLITTINGS:
        pythons[f"dolmakit-gopher-{splitting}"] = pythons["dolmakit"]
    runs: dict[str, list[dict]] = {side: [] for side in pythons}
    for _ in range(args.repeat):
        for side, python in pythons.items():
            runs[side].append(measure(side, python, docs_file))
    best = {side: min(results, key=lambda run: run["cpu"]) for side, results in runs.items()}
    report(best, {side: results[0] for side, results in runs.items()}, info, args.repeat)
    distinct = len(best["datatrove-gopher"]["counts"])
    print(f"\nGopher quality alone (best of {args.repeat}; agreement on the {distinct:,} "
          "distinct texts; same counts: non-symbol words, letter fraction and stop words all "
          "equal):")  # fmt: skip
    print("\n".join(gopher_report(best, info)))


if __name__ == "__main__":
    main()
