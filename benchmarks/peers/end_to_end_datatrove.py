"""The datatrove side of benchmarks/pipeline/end_to_end.py, run in .bench/datatrove-venv
(datatrove 0.10.1 with the extras its chain imports: warcio, faust-cchardet, python-magic,
fasttext, spaCy, orjson, and resiliparse for the extractor):

    python -m benchmarks.peers.end_to_end_datatrove CORPUS_DIR WORK_DIR RESULT_JSON --workers 2 \
        --model dolmakit/data/lid/lid.176.ftz

One LocalPipelineExecutor (tasks = the corpus files, `--workers` at a time) runs FineWeb's chain
without its URL filter and dedup: WarcReader -> a resiliparse main-content extractor (datatrove
0.10.1 ships only trafilatura and readability+inscriptis, so this BaseExtractor calls resiliparse
with dolmakit's settings; it runs in datatrove's extractor sandbox like any extractor) ->
LanguageFilter(en, 0.65) -> GopherRepetitionFilter() -> GopherQualityFilter() ->
C4QualityFilter(filter_no_terminal_punct=False) -> FineWebQualityFilter() -> PIIFormatter() ->
JsonlWriter (gzip). LanguageFilter reads the lid.176 model given by --model (dolmakit's bundled
lid.176.ftz, so both tools classify with the same model) instead of downloading lid.176.bin.

The result: the executor's wall seconds and each step's stats (datatrove's own counters) from
its stats.json, and the documents its writer wrote.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import time
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.extractors.base import BaseExtractor
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
    LanguageFilter,
)
from datatrove.pipeline.formatters import PIIFormatter
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.lid import FT176LID


class Resiliparse(BaseExtractor):
    """resiliparse's main-content extraction, with dolmakit's read.options.html settings."""

    name = "⛏ Resiliparse"

    def __init__(self, timeout: float = 1):
        super().__init__(timeout)

    def extract(self, text: str) -> str:
        from resiliparse.extract.html2text import extract_plain_text

        return extract_plain_text(
            text,
            main_content=True,
            preserve_formatting=True,
            list_bullets=True,
            alt_texts=False,
            links=False,
            noscript=False,
        ).strip()


class LocalLid176(FT176LID):
    """FT176LID reading a local model file rather than downloading lid.176.bin."""

    def __init__(self, languages: list[str], path: str):
        super().__init__(languages)
        self.path = path

    @property
    def model(self):
        if self._model is None:
            from fasttext.FastText import _FastText

            self._model = _FastText(self.path)
        return self._model


def chain(args: argparse.Namespace, work: Path) -> list:
    language = LanguageFilter(languages=["en"], language_threshold=0.65)
    language.model = LocalLid176(["en"], str(args.model))
    return [
        WarcReader(str(args.corpus), glob_pattern="*.warc.gz"),
        Resiliparse(),
        language,
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(filter_no_terminal_punct=False),
        FineWebQualityFilter(),
        PIIFormatter(),
        JsonlWriter(str(work / "output")),
    ]


def written(folder: Path) -> int:
    count = 0
    for path in folder.glob("*.jsonl.gz"):
        with gzip.open(path, "rb") as stream:
            count += sum(1 for _ in stream)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", type=Path, required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    tasks = len(list(args.corpus.glob("*.warc.gz")))
    executor = LocalPipelineExecutor(
        chain(args, args.work),
        tasks=tasks,
        workers=min(args.workers, tasks),
        logging_dir=str(args.work / "logs"),
        skip_completed=False,
    )
    started = time.perf_counter()
    executor.run()
    seconds = time.perf_counter() - started
    stats = json.loads((args.work / "logs" / "stats.json").read_text())
    steps = [{"name": step["name"], "stats": step["stats"]} for step in stats]
    result = {"executor_seconds": seconds, "steps": steps,
              "written": written(args.work / "output")}  # fmt: skip
    args.result.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
