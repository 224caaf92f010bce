"""The default English perplexity model: a Wikipedia LM, trained the CCNet way.

CCNet (Wenzek et al. 2019) scores every crawl page under a 5-gram KenLM model over SentencePiece
pieces trained on the language's Wikipedia; LLaMA-1 took its CommonCrawl from CCNet. The shipped
model is trained the same way from real Wikipedia text:
- MediaWiki XML dumps (e.g. the enwik8 fragment of the March 2006 English Wikipedia), read by
  the project's own `mediawiki` reader (dolmakit.sources.wikipedia): articles only, wikitext
  turned into plain text, one paragraph per line;
- WikiText-103 token files (Wikipedia's Good and Featured articles), detokenized back into
  plain text (dolmakit.sources.wikipedia.wikitext103).

WikiText's test split is never trained on: it is the held-out text perplexity is measured on
(and that ablations and Paloma evaluate on), so a file named like it is refused.

The model's metadata (<lang>.json) records each input by name, size and SHA-256, and the
command that rebuilt it, never a path of the machine it was built on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dolmakit.core.document import Document
from dolmakit.core.errors import FatalError
from dolmakit.io.readers import ReadConfig
from dolmakit.kenlm_training.build import TrainedModel, file_facts, train_language_model
from dolmakit.sources.wikipedia.reader import MediaWikiReader
from dolmakit.sources.wikipedia.wikitext103 import read_articles

LANGUAGE = "en"
# The corpus is ~4 M characters (CCNet's English Wikipedia: billions), so fewer pieces than
# CCNet's 65,536 keep the 5-gram statistics dense enough to tell prose from boilerplate: on
# wiki.test.tokens / English web pages / boilerplate, median perplexities were 141/185/366 at
# 4k pieces, 218/316/639 at 8k, 330/461/966 at 12k (boilerplate ~2.9x Wikipedia from 8k up).
# Pruning singleton 3-grams and above shrinks the quantized binary from 10.4 MB to 2.2 MB, so it
# ships in the package, for medians 5% higher (229/324/689).
WIKIPEDIA_SETTINGS = {"order": 5, "vocab_size": 8_000, "prune": (0, 0, 1)}
HELD_OUT_NAMES = ("wiki.test.tokens", "test.tokens")


@dataclass(frozen=True)
class WikipediaCorpus:
    file: Path  # plain text, one paragraph per line, documents separated by a blank line
    documents: dict[str, int]  # input name -> articles read from it


def dump_articles(path: str | Path) -> Iterator[str]:
    """The plain text of every article of a MediaWiki dump, through the `mediawiki` reader
    (every wiki language: an old dump like enwik8 names none in its siteinfo)."""
    reader = MediaWikiReader(ReadConfig(options={"languages": []}), "wikipedia", "")
    for item in reader.read(str(path)):
        if isinstance(item, Document):
            yield item.text


def check_not_held_out(path: Path) -> None:
    if path.name.lower().endswith(HELD_OUT_NAMES):
        raise FatalError(
            f"{path.name} is WikiText's test split, the held-out text perplexity is measured"
            " on: it is never trained on"
        )


def write_corpus(dumps: Sequence[Path], wikitext: Sequence[Path], dest: Path) -> WikipediaCorpus:
    """Writes the articles of every input as paragraph lines; returns the counts per input."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    documents: dict[str, int] = {}
    with open(dest, "w", encoding="utf-8") as out:
        sources = [(path, dump_articles(path)) for path in dumps]
        for path in wikitext:
            check_not_held_out(path)
            sources.append((path, (article.text for article in read_articles(path))))
        for path, texts in sources:
            count = 0
            for text in texts:
                out.write(text.strip() + "\n\n")
                count += 1
            documents[path.name] = count
    if not sum(documents.values()):
        raise FatalError("no article in the Wikipedia inputs")
    return WikipediaCorpus(dest, documents)


def build_command(dumps: Sequence[Path], wikitext: Sequence[Path], out_dir: str) -> str:
    """The command that rebuilds the model, with input files by name (as in the shared data)."""
    parts = ["dolmakit lm build-wikipedia"]
    parts += [f"--dump {path.name}" for path in dumps]
    parts += [f"--wikitext {path.name}" for path in wikitext]
    return " ".join([*parts, f"--out {out_dir}"])


@dataclass(frozen=True)
class WikipediaBuild:
    corpus: WikipediaCorpus
    model: TrainedModel
    seconds: float


def build_wikipedia(
    dumps: Sequence[Path], wikitext: Sequence[Path], out_dir: Path, work_dir: Path,
    out_name: str | None = None,
) -> WikipediaBuild:  # fmt: skip
    """Trains <out_dir>/en.{sp.model,arpa.bin,json} from the Wikipedia inputs; the metadata gets
    the inputs (name, size, SHA-256, articles) and the command, `--out out_name` in it."""
    for path in wikitext:
        check_not_held_out(path)  # before the slow part
    start = time.perf_counter()
    corpus = write_corpus(dumps, wikitext, work_dir / "wikipedia.txt")
    model = train_language_model([corpus.file], LANGUAGE, out_dir, **WIKIPEDIA_SETTINGS)
    model.metadata["inputs"] = [
        {**file_facts(path), "articles": corpus.documents[path.name]}
        for path in (*dumps, *wikitext)
    ]
    model.metadata["command"] = build_command(dumps, wikitext, out_name or out_dir.name)
    model.metadata["held_out"] = "wiki.test.tokens (WikiText-103 test split): never trained on"
    model.metadata_file.write_text(json.dumps(model.metadata, indent=2) + "\n", encoding="utf-8")
    return WikipediaBuild(corpus, model, time.perf_counter() - start)
