"""The reference classifier, LLaMA's way: Wikipedia-like text versus random web pages.

LLaMA-1 (Touvron et al. 2023) kept CommonCrawl pages that a linear classifier scored as
"used as references in Wikipedia" rather than random. The `wikipedia` recipe trains that
classifier with fastText from real text:
- positives (`hq`): Wikipedia articles, the same sources as the default perplexity model
  (MediaWiki dumps through the `mediawiki` reader, WikiText-103 token files detokenized; never
  WikiText's test split), cut at line ends into page-sized chunks whose lengths are drawn from
  the web pages' own, so length carries no signal;
- negatives (`lq`): random web pages of WARC files, read as the pipeline reads them
  (dolmakit.kenlm_training.crawl: main-content extraction, lid.176 English at 0.5 or more,
  duplicates once).

The held-out split is by the stable hash of the source document (an article, a page), so no
chunk of a held-out article was trained on. metrics.json reports held-out precision and recall
over a range of thresholds, and the ROC AUC.

Limits, also written to metrics.json: the positives are Wikipedia's own text, not the pages it
cites (which a crawl does not label), so the model learns "reads like an encyclopedia" and
scores most web pages low; a filter on it keeps pages above a low threshold.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import cycle
from pathlib import Path
from typing import Any

from dolmakit.core.hashing import stable_hash
from dolmakit.fasttext_models.quality import MAX_TOKENS, METRICS_FILE
from dolmakit.fasttext_training.fit import (
    LOW_THRESHOLDS,
    NEGATIVE,
    POSITIVE,
    REPORTED_THRESHOLDS,
    Example,
    TrainParams,
)
from dolmakit.kenlm_training.build import display_path, file_facts
from dolmakit.kenlm_training.crawl import MIN_LANGUAGE_SCORE, language_pages
from dolmakit.kenlm_training.wikipedia import check_not_held_out, dump_articles
from dolmakit.sources.wikipedia.wikitext103 import read_articles

LANGUAGE = "en"
MIN_WORDS = 20
# a filter keeps a page that scores like at least this share of held-out Wikipedia text does
RECALL_TARGET = 0.95
# the training settings the recipe's command line in metrics.json shows when not the default
_COMMAND_SETTINGS = ("heldout_fraction", "epochs", "lr", "dim", "word_ngrams", "seed")


def wikipedia_examples(
    dumps: Sequence[Path], wikitext: Sequence[Path], web: Sequence[Path]
) -> tuple[list[Example], dict[str, Any]]:
    """The recipe's labelled examples and its notes for metrics.json."""
    for path in wikitext:
        check_not_held_out(path)
    negatives = [
        Example(page.text, NEGATIVE, f"web/{page.id}")
        for page in language_pages(web, LANGUAGE)
        if len(page.text.split()) >= MIN_WORDS
    ]
    lengths = _shuffled_lengths(negatives)
    positives = list(_article_chunks(_articles(dumps, wikitext), lengths))
    return positives + negatives, _notes(positives, negatives, dumps, wikitext, web)


def _articles(dumps: Sequence[Path], wikitext: Sequence[Path]) -> Iterator[tuple[str, str]]:
    """(group, text) of every article of the inputs."""
    for path in dumps:
        for number, text in enumerate(dump_articles(path)):
            yield f"wikipedia/{path.name}/{number}", text
    for path in wikitext:
        for article in read_articles(path):
            yield f"wikipedia/{path.name}/{article.title}", article.text


def _article_chunks(articles: Iterator[tuple[str, str]], lengths: list[int]) -> Iterator[Example]:
    """Consecutive lines of each article joined until the next drawn length in words."""
    sizes = cycle(lengths)
    for group, text in articles:
        target, current, words = next(sizes), [], 0
        for line in text.split("\n"):
            current.append(line)
            words += len(line.split())
            if words >= target:
                yield Example("\n".join(current), POSITIVE, group)
                target, current, words = next(sizes), [], 0
        if words >= MIN_WORDS:
            yield Example("\n".join(current), POSITIVE, group)


def _shuffled_lengths(examples: list[Example]) -> list[int]:
    """Word counts of the pages (at most MAX_TOKENS, what the model reads) in a fixed
    pseudo-random order."""
    order = sorted(range(len(examples)), key=lambda i: stable_hash(f"length:{i}"))
    return [min(len(examples[i].text.split()), MAX_TOKENS) for i in order] or [MAX_TOKENS]


def filter_threshold(heldout: dict[str, Any], recall: float = RECALL_TARGET) -> dict[str, Any]:
    """The filter's threshold from a held-out curve: the highest reported threshold that keeps
    at least `recall` of held-out Wikipedia, with what it keeps of each side there.

    Not LLaMA's 0.5 (the predicted label): its positives were pages Wikipedia cites, much closer
    to web pages than Wikipedia's own text is, so 0.5 here would keep only the few web pages
    that read like encyclopedia articles."""
    rows = [row for row in heldout["by_threshold"] if row["recall"] >= recall]
    if not rows:
        return {}
    row = max(rows, key=lambda r: r["threshold"])
    label = next(r for r in heldout["by_threshold"] if r["threshold"] == 0.5)
    return {
        "threshold": row["threshold"],
        "rule": f"the highest reported threshold with held-out recall >= {recall}",
        "heldout_wikipedia_kept": row["recall"],
        "heldout_web_pages_kept": round(row["fp"] / (row["fp"] + row["tn"]), 4),
        "precision": row["precision"],
        "auc": heldout["auc"],
        "at_0.5": {
            "heldout_wikipedia_kept": label["recall"],
            "heldout_web_pages_kept": round(label["fp"] / (label["fp"] + label["tn"]), 4),
        },
    }


def recipe_params(params: TrainParams) -> TrainParams:
    """The recipe's settings: metrics.json also reports the low end of the held-out curve,
    where the filter's threshold is chosen from."""
    return replace(params, thresholds=(*LOW_THRESHOLDS, *REPORTED_THRESHOLDS))


def recipe_command_line(command: str, params: TrainParams, out: str | Path) -> str:
    """The recipe's command (recipe_command) with the settings that are not the default and
    the --out folder, as metrics.json records it."""
    defaults = TrainParams()
    changed = [
        f"--{key.replace('_', '-')} {getattr(params, key)}"
        for key in _COMMAND_SETTINGS
        if getattr(params, key) != getattr(defaults, key)
    ]
    return " ".join([command, *changed, f"--out {display_path(Path(out))}"])


def record_filter_threshold(metrics: dict[str, Any], out: Path) -> dict[str, Any]:
    """Chooses the filter's threshold (filter_threshold) from the held-out curve of the model
    the tagger loads (model.ftz when written), records it as metrics["filter"] and rewrites
    metrics.json in `out`; returns it ({} when no reported threshold keeps enough)."""
    curve = (metrics["quantized"] or metrics)["heldout"]
    metrics["filter"] = chosen = filter_threshold(curve)
    (out / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return chosen


def recipe_command(dumps: Sequence[Path], wikitext: Sequence[Path], web: Sequence[Path]) -> str:
    parts = ["dolmakit classifier train --recipe wikipedia"]
    parts += [f"--dump {p.name}" for p in dumps] + [f"--wikitext {p.name}" for p in wikitext]
    return " ".join(parts + [f"--web {p.name}" for p in web])


def _notes(
    positives: list[Example],
    negatives: list[Example],
    dumps: Sequence[Path],
    wikitext: Sequence[Path],
    web: Sequence[Path],
) -> dict[str, Any]:
    sources = Counter(e.group.split("/", 2)[1] for e in positives)
    sources.update({"web pages": len(negatives)})
    return {
        "recipe": "wikipedia",
        "measures": "separability of Wikipedia text (hq) from random English web pages (lq), on"
        " held-out articles and pages",
        "limits": __doc__.split("Limits, also written to metrics.json: ", 1)[1].strip(),
        "inputs": [file_facts(Path(path)) for path in (*dumps, *wikitext, *web)],
        "command": recipe_command(dumps, wikitext, web),
        "examples_by_source": dict(sorted(sources.items())),
        "web_pages": f"English (lid.176 >= {MIN_LANGUAGE_SCORE}) pages of at least {MIN_WORDS}"
        " words, main-content extraction, exact duplicates once",
        "held_out": "wiki.test.tokens (WikiText-103 test split): never trained on",
    }
