"""Language ID and perplexity inside the pipeline, side by side with their bare loops.

What it measures
  For each model step, on the same English pages (held-out State of the Union and Brown text,
  replicated): the bare loop a user would write (the peer), and `dolmakit run` over the same
  texts as JSONL with the step and without it, one worker. The step's cost in the pipeline is
  the difference; the goal is at least 70% of the bare loop's speed (issue: model taggers).
  Peers: fastText lid.176 `predict` per text; CCNet's per-line normalize + SentencePiece +
  KenLM score (dolmakit's reference model). Also prints the perplexity medians of clean
  held-out prose, boilerplate-heavy text and source code (goal: separated by at least 3x).

Run
  .venv/bin/python -m benchmarks.filters.taggers              (20,000 pages of ~2,000 characters)
  .venv/bin/python -m benchmarks.filters.taggers --pages 5000 (a quick look)
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import REPO
from benchmarks.filters.language_id import bare_loop, pipeline_run, write_jsonl
from dolmakit.kenlm_models.kenlm import LanguageModel, default_model_dir
from dolmakit.kenlm_training.reference import documents, is_held_out

BOILERPLATE = REPO / "tests" / "lm" / "data" / "boilerplate.txt"


def english_pages(count: int, page_chars: int = 2000) -> list[str]:
    held_out = [doc.text for doc in documents() if is_held_out(doc.id)]
    pages = []
    for text in held_out:
        pages += [text[i : i + page_chars] for i in range(0, len(text), page_chars)]
    pages = [page for page in pages if len(page) > page_chars // 2]
    return [pages[i % len(pages)] for i in range(count)]


def bare_perplexity(texts: list[str]) -> tuple[float, float]:
    model = LanguageModel.load(default_model_dir(), "en")
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        model.perplexity(text)
    return time.perf_counter() - started, time.process_time() - cpu


STEPS = {
    "language_id_v1": ({"type": "language_id_v1"}, bare_loop, "fastText lid.176 predict loop"),
    "ccnet_perplexity_v1": (
        {"type": "ccnet_perplexity_v1", "config": {"language": "en"}},
        bare_perplexity,
        "normalize + SentencePiece + KenLM loop",
    ),
}


def compare(texts: list[str], workdir: Path, repeat: int) -> None:
    inputs = write_jsonl(texts, workdir / "input", files=4)
    megabytes = sum(map(len, texts)) / 1e6
    print(f"{len(texts):,} pages, {megabytes:.1f} MB, 1 worker / 1 process, best of {repeat}\n")
    print(f"{'step':22}{'peer s':>8}{'step s':>8}{'peer/s':>10}{'step/s':>10}{'ratio':>8}  peer")
    for name, (spec, peer, label) in STEPS.items():
        peer_cpu = min(peer(texts)[1] for _ in range(repeat))
        with_cpu = min(pipeline_run(inputs, workdir, [spec], 1)[1] for _ in range(repeat))
        without_cpu = min(pipeline_run(inputs, workdir, [], 1)[1] for _ in range(repeat))
        step_cpu = max(with_cpu - without_cpu, 1e-9)
        ratio = peer_cpu / step_cpu
        print(f"{name:22}{peer_cpu:8.2f}{step_cpu:8.2f}{len(texts) / peer_cpu:10,.0f}"
              f"{len(texts) / step_cpu:10,.0f}{ratio:8.0%}  {label}"
              f"  -> {'GOAL MET' if ratio >= 0.7 else 'GOAL NOT MET'}")  # fmt: skip
    print("\n(CPU seconds; the step's = the run with it minus the run without it)")


def medians() -> None:
    model = LanguageModel.load(default_model_dir(), "en")
    prose = [doc.text for doc in documents() if is_held_out(doc.id)]
    boilerplate = BOILERPLATE.read_text(encoding="utf-8").split("\n\n")
    code = [path.read_text(encoding="utf-8") for path in _stdlib_sources(60)]
    rows = {"clean held-out prose": prose, "boilerplate pages": boilerplate, "Python source": code}
    found = {name: statistics.median(filter(None, map(model.perplexity, texts)))
             for name, texts in rows.items()}  # fmt: skip
    base = found["clean held-out prose"]
    print(f"\n{'text':24}{'documents':>10}{'median perplexity':>19}{'x prose':>9}")
    for name, value in found.items():
        print(f"{name:24}{len(rows[name]):>10}{value:>19,.1f}{value / base:>9.1f}")
    smallest = min(found["boilerplate pages"], found["Python source"]) / base
    print(f"separation: {smallest:.1f}x -> {'GOAL MET' if smallest >= 3 else 'GOAL NOT MET'} (3x)")


def _stdlib_sources(count: int) -> list[Path]:
    folder = Path(os.__file__).parent
    return sorted(path for path in folder.glob("*.py") if path.stat().st_size > 5000)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"machine load (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="dolmakit-taggers-") as workdir:
        compare(english_pages(args.pages), Path(workdir), args.repeat)
    medians()


if __name__ == "__main__":
    main()
