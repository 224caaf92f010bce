"""The pages of a crawl sample in one language, as the pipeline's first steps see them.

CCNet computes its perplexity cutoffs, and LLaMA draws its "random pages", from crawl text after
extraction and language identification. Here a WARC file goes through the project's own steps:
the `warc` reader with the extraction pipelines/commoncrawl.yaml uses (main content, paragraphs
as lines), then `language_id_v1` (fastText lid.176); a page counts when its top language is the
one asked for with at least `min_score` (CCNet's 0.5). Exact duplicate texts count once, as the
pipeline's exact dedup would leave them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dolmakit.core.document import Document
from dolmakit.core.schema import from_data
from dolmakit.core.steps import STEPS
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader

WARC_SUFFIXES = (".warc", ".warc.gz")
LANGUAGE_STEP = "language_id_v1"
MIN_LANGUAGE_SCORE = 0.5  # CCNet's threshold (the `ccnet` preset of language_filter)


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    text: str
    language: str | None  # the top language, None when the text has no letters
    score: float


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def crawl_pages(paths: Iterable[str | Path]) -> Iterator[Page]:
    """Every extracted HTML page of the WARC files with its top language, duplicates once."""
    import dolmakit.engine.builtins  # noqa: F401  (registers the language ID step)

    step_class = STEPS.get(LANGUAGE_STEP, source="crawl", key="type")
    config = from_data(step_class.Config, {"top_k": 1}, source="crawl", key=LANGUAGE_STEP)
    language_id = step_class(LANGUAGE_STEP, config)
    reader = WarcReader(ReadConfig(), "crawl-sample", "")
    seen: set[str] = set()
    for path in map(str, paths):
        for item in reader.read(path):
            if isinstance(item, Document) and item.text.strip() and item.text not in seen:
                seen.add(item.text)
                top = language_id.classify(item.text)
                language, score = top[0] if top else (None, 0.0)
                yield Page(item.id, item.metadata.get("url", ""), item.text, language, score)


def language_pages(
    paths: Iterable[str | Path], language: str, min_score: float = MIN_LANGUAGE_SCORE
) -> Iterator[Page]:
    """The pages of crawl_pages whose top language is `language` at `min_score` or more."""
    for page in crawl_pages(paths):
        if page.language == language and page.score >= min_score:
            yield page
