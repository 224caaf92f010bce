"""Training a CCNet perplexity model: SentencePiece pieces + a KenLM 5-gram over them.

The recipe is CCNet's (its Makefile's `lm` target): normalize every line with CCNet's normalizer,
train a unigram SentencePiece model on the normalized lines, tokenize them into space-separated
pieces, estimate a modified Kneser-Ney model with `lmplz`, and turn the ARPA file into a binary
with `build_binary`. The outputs sit side by side, as the perplexity tagger expects:

    <out_dir>/<lang>.sp.model    SentencePiece model
    <out_dir>/<lang>.arpa.bin    KenLM binary (trie, 8-bit quantized unless told otherwise)
    <out_dir>/<lang>.json        metadata: corpus, counts, sizes, commands, timings
"""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import hashlib
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sentencepiece as spm

from dolmakit.core.errors import FatalError
from dolmakit.kenlm_training.binaries import kenlm_tool
from dolmakit.text.normalize import normalize

# CCNet used 65,536 pieces for Wikipedias of billions of characters. Our reference corpus is about
# 15M characters (~2.7M words): at 65k the pieces would be nearly whole words, most of them seen a
# handful of times, and the 5-gram statistics would be too sparse to tell prose from boilerplate.
# 12k keeps frequent words whole while splitting rarer ones into pieces seen often enough. On the
# reference corpus, boilerplate's median perplexity over held-out prose's was 14x at 8k pieces,
# 16.6x at 12k and 17.2x at 16k (code: ~9.5x for all three): past 12k, little is gained.
DEFAULT_VOCAB_SIZE = 12_000
# SentencePiece trains on a sample of lines (its recommended maximum); tokenizing uses them all.
DEFAULT_SP_SAMPLE_LINES = 1_000_000
TOKENIZE_BATCH = 2_000  # lines per sp.encode call: batching halves the Python overhead


@dataclass(frozen=True)
class TrainConfig:
    """How to train; defaults follow CCNet except the vocabulary size (see above)."""

    order: int = 5
    vocab_size: int = DEFAULT_VOCAB_SIZE
    sp_sample_lines: int = DEFAULT_SP_SAMPLE_LINES
    # lmplz --prune thresholds per order, e.g. (0, 0, 1): drop singleton 3-grams and above
    prune: tuple[int, ...] = ()
    quantize: bool = True
    memory: str = "20%"  # lmplz -S; its default (80% of RAM) starves everything else
    model_type: str = "unigram"  # CCNet's lm_sp models are unigram
    character_coverage: float = 0.9995  # CCNet's value
    seed: int = 0

    def check(self) -> None:
        """Rejects settings lmplz or SentencePiece would fail on late, after the slow parts."""
        if not 2 <= self.order <= 6:
            raise FatalError(f"order must be 2..6 (KenLM is built with max order 6): {self.order}")
        if self.vocab_size < 100:
            raise FatalError(f"vocab_size must be at least 100: {self.vocab_size}")
        prune = list(self.prune)
        if prune and (len(prune) > self.order or prune[0] != 0 or prune != sorted(prune)):
            raise FatalError(
                f"prune needs at most {self.order} non-decreasing thresholds starting with 0"
                f" (lmplz cannot prune unigrams): {' '.join(map(str, self.prune))}"
            )
        if self.model_type not in ("unigram", "bpe"):
            raise FatalError(f"model_type must be unigram or bpe: {self.model_type}")


@dataclass
class TrainedModel:
    """Where a trained model lies, and its metadata (also written as <lang>.json)."""

    sp_model: Path
    lm_binary: Path
    metadata_file: Path
    metadata: dict = field(default_factory=dict)


def train_language_model(
    corpus_files: Sequence[str | Path],
    language: str,
    out_dir: str | Path,
    order: int = 5,
    vocab_size: int = DEFAULT_VOCAB_SIZE,
    sp_sample_lines: int = DEFAULT_SP_SAMPLE_LINES,
    prune: Sequence[int] = (),
    quantize: bool = True,
    memory: str = "20%",
) -> TrainedModel:
    """Trains `<out_dir>/<language>.{sp.model,arpa.bin,json}` from plain-text corpus files (one
    paragraph per line, optionally gzipped). Files appear only when everything succeeded."""
    config = TrainConfig(
        order=order,
        vocab_size=vocab_size,
        sp_sample_lines=sp_sample_lines,
        prune=tuple(prune),
        quantize=quantize,
        memory=memory,
    )
    return train(list(map(Path, corpus_files)), language, Path(out_dir), config)


def train(files: list[Path], language: str, out_dir: Path, config: TrainConfig) -> TrainedModel:
    config.check()
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise FatalError(f"corpus files not found: {', '.join(missing)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    # scratch space beside the outputs: the tokenized text and ARPA file can be big
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=f".train-{language}-") as scratch:
        work = _Work(Path(scratch), language)
        metadata = _run_steps(files, work, config)
        return _publish(work, out_dir, language, metadata)


@dataclass
class _Work:
    """Paths inside the scratch folder."""

    folder: Path
    language: str

    def path(self, suffix: str) -> Path:
        return self.folder / f"{self.language}{suffix}"

    def describe(self, command: list[str]) -> str:
        """The command as text without machine paths: the tool by its name, the scratch folder
        (gone after training) written <scratch>."""
        tool = Path(command[0]).name
        return " ".join([tool, *command[1:]]).replace(str(self.folder), "<scratch>")


def _run_steps(files: list[Path], work: _Work, config: TrainConfig) -> dict:
    timings: dict[str, float] = {}
    with _timed(timings, "normalize_s"):
        lines, chars = write_normalized(files, work.path(".normalized.txt"))
    if lines == 0:
        raise FatalError(f"no non-empty lines in {', '.join(map(str, files))}")
    with _timed(timings, "sentencepiece_s"):
        pieces = train_sentencepiece(work.path(".normalized.txt"), work.path(".sp"), config)
    with _timed(timings, "tokenize_s"):
        tokens = tokenize_file(
            work.path(".sp.model"), work.path(".normalized.txt"), work.path(".tokens.txt")
        )
    with _timed(timings, "lmplz_s"):
        lmplz, fallback = run_lmplz(
            work.path(".tokens.txt"), work.path(".arpa"), work.folder, config
        )
    arpa_bytes = work.path(".arpa").stat().st_size
    with _timed(timings, "build_binary_s"):
        build = run_build_binary(work.path(".arpa"), work.path(".arpa.bin"), work.folder, config)
    work.path(".arpa").unlink()  # CCNet keeps only the binary; the ARPA is ~10x bigger
    return {
        "language": work.language,
        "order": config.order,
        "vocab_size": pieces,
        "sentencepiece_model_type": config.model_type,
        # by name, size and hash: a path would say where it was built, not what from
        "corpus_files": [file_facts(path) for path in files],
        "lines": lines,
        "characters": chars,
        "tokens": tokens,
        "quantized": config.quantize,
        "prune": list(config.prune),
        "discount_fallback_used": fallback,
        "lmplz_command": work.describe(lmplz),
        "build_binary_command": work.describe(build),
        "arpa_bytes": arpa_bytes,
        "timings_s": {key: round(value, 2) for key, value in timings.items()},
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "versions": {"sentencepiece": spm.__version__, "kenlm": "0.3.0"},
        "config": {**dataclasses.asdict(config), "prune": list(config.prune)},
    }


def display_path(path: Path) -> str:
    """A folder as metadata records it: relative to the current folder if inside, else its
    name."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return path.name


def file_facts(path: Path) -> dict:
    """A file as metadata records it: its name, size and SHA-256, no folder."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _publish(work: _Work, out_dir: Path, language: str, metadata: dict) -> TrainedModel:
    """Moves the finished files into out_dir and writes the metadata, with the final sizes."""
    sp_model, lm_binary = out_dir / f"{language}.sp.model", out_dir / f"{language}.arpa.bin"
    work.path(".sp.model").replace(sp_model)
    work.path(".arpa.bin").replace(lm_binary)
    metadata["files"] = {path.name: path.stat().st_size for path in (sp_model, lm_binary)}
    metadata_file = out_dir / f"{language}.json"
    metadata_file.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return TrainedModel(sp_model, lm_binary, metadata_file, metadata)


class _timed:
    """Context manager adding the seconds its block took to timings[key]."""

    def __init__(self, timings: dict[str, float], key: str):
        self.timings, self.key = timings, key

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.timings[self.key] = time.perf_counter() - self.start


def read_lines(path: Path) -> Iterator[str]:
    """Lines of a plain-text file, gzipped when its name ends in .gz; undecodable bytes become
    U+FFFD rather than stopping a long training run."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="\n") as stream:
        for line in stream:
            yield line.rstrip("\n")


def write_normalized(files: Iterable[Path], dest: Path) -> tuple[int, int]:
    """Writes every non-empty normalized line to dest; returns (lines, characters)."""
    lines = chars = 0
    with open(dest, "w", encoding="utf-8") as out:
        for path in files:
            for line in read_lines(path):
                normalized = normalize(line)
                if normalized:
                    out.write(normalized + "\n")
                    lines += 1
                    chars += len(normalized)
    return lines, chars


def train_sentencepiece(normalized: Path, prefix: Path, config: TrainConfig) -> int:
    """Trains <prefix>.model; returns its number of pieces."""
    spm.set_random_generator_seed(config.seed)  # the line sample is random: make it repeatable
    try:
        spm.SentencePieceTrainer.train(
            input=str(normalized),
            model_prefix=str(prefix),
            model_type=config.model_type,
            vocab_size=config.vocab_size,
            # a soft limit: a small corpus gets fewer pieces rather than an error
            hard_vocab_limit=False,
            character_coverage=config.character_coverage,
            input_sentence_size=config.sp_sample_lines,
            shuffle_input_sentence=True,
            num_threads=os.cpu_count() or 1,
            minloglevel=2,
        )
    except RuntimeError as error:
        raise FatalError(f"SentencePiece training failed: {error}") from error
    return spm.SentencePieceProcessor(model_file=f"{prefix}.model").get_piece_size()


def tokenize_file(sp_model: Path, normalized: Path, dest: Path) -> int:
    """Writes each line as space-separated pieces (what lmplz reads); returns the piece count."""
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    tokens = 0
    with open(normalized, encoding="utf-8") as lines, open(dest, "w", encoding="utf-8") as out:
        for batch in _batches((line.rstrip("\n") for line in lines), TOKENIZE_BATCH):
            for pieces in sp.encode(batch, out_type=str):
                out.write(" ".join(pieces) + "\n")
                tokens += len(pieces)
    return tokens


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_lmplz(text: Path, arpa: Path, tmp: Path, config: TrainConfig) -> tuple[list[str], bool]:
    """Runs lmplz; returns its command and whether it fell back to default discounts.

    --discount_fallback is always passed, as CCNet does: it changes nothing unless the
    closed-form Kneser-Ney discounts cannot be estimated (tiny or deduplicated corpora without
    enough singletons or doubletons), where lmplz would otherwise stop with an error.
    """
    command = [
        kenlm_tool("lmplz"),
        "-o",
        str(config.order),
        "-S",
        config.memory,
        "-T",
        f"{tmp}/",
        "--text",
        str(text),
        "--arpa",
        str(arpa),
        "--discount_fallback",
    ]
    if config.prune:
        command += ["--prune", *map(str, config.prune)]
    stderr = _run(command, "lmplz")
    return command, "fallback" in stderr.lower()


def run_build_binary(arpa: Path, binary: Path, tmp: Path, config: TrainConfig) -> list[str]:
    """ARPA -> KenLM trie binary. Quantizing stores 8-bit probabilities and backoffs and
    compresses the trie's pointers (-a 255: "pick 255 to minimize memory", says build_binary).
    For the reference model: 3.6 MB instead of 8.6 MB, median perplexities within 0.3%, and
    lookups a few percent slower."""
    quantize = ["-q", "8", "-b", "8", "-a", "255"] if config.quantize else []
    command = [
        kenlm_tool("build_binary"),
        "-S",
        config.memory,
        "-T",
        f"{tmp}/",
        *quantize,
        "trie",
        str(arpa),
        str(binary),
    ]
    _run(command, "build_binary")
    return command


def _run(command: list[str], name: str) -> str:
    """Runs a KenLM tool; returns its stderr (its progress and warnings) or raises with it."""
    done = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        raise FatalError(
            f"{name} failed (exit {done.returncode}): {' '.join(command)}\n"
            f"{done.stderr.strip()[-3000:]}"
        )
    return done.stderr
