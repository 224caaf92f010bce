"""The pretraining tokenizer: SentencePiece BPE trained with LLaMA's settings, and a wrapper that
encodes batches and decodes back to the exact text.

LLaMA's trainer settings (its tokenizer.model's trainer_spec): BPE, digits split one by one,
byte fallback (no unknown characters: anything not in the vocabulary becomes its UTF-8 bytes),
identity normalization, whitespace kept as it is (no collapsing, whitespace-only pieces allowed),
a dummy prefix space, unk/bos/eos = 0/1/2 and no pad. The PII mask tokens of `pii_mask_v1`
(`|||EMAIL_ADDRESS|||`, ...) are user-defined symbols, so each is always one id.

Exact round trip, `decode(encode(text)) == text`, holds for every string that is valid Unicode,
given a model with identity normalization and byte fallback (ours; LLaMA's too):
- The dummy prefix is kept (LLaMA: True): SentencePiece adds one space before encoding and
  decode removes exactly that one, so leading spaces and newlines come back as they were.
- Newlines never occur in the training lines (SentencePiece trains on lines), so "\\n" is encoded
  as the byte piece <0x0A>, as in LLaMA; "\\r", "\\t", NUL and U+00A0 are pieces or bytes.
- U+2581 ("▁", SentencePiece's own space symbol, found in text as a sparkline block) would
  decode as a space. Text holding it is cut at each U+2581, the parts are encoded (the parts
  after the first without the dummy prefix) and joined with the byte pieces of U+2581, which
  decode to the character itself.
- Lone surrogates (possible in a Python str from JSON "\\ud800", not UTF-8-encodable) cannot be
  encoded by SentencePiece at all: they are replaced with U+FFFD, as a UTF-8 writer with
  errors="replace" would. That text is the only one that does not round-trip.
"""

from __future__ import annotations

import functools
import heapq
import logging
import os
import random
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import sentencepiece as spm

from dolmakit.core.errors import FatalError
from dolmakit.text.pii_kinds import KINDS, TOKENS

LOG = logging.getLogger("dolmakit")
MIN_VOCAB_SIZE = 300  # 3 special pieces + 256 bytes + the PII tokens, and room for merges
DEFAULT_VOCAB_SIZE = 32_000  # LLaMA's
DEFAULT_SAMPLE_CHARS = 100_000_000  # characters of lines SentencePiece trains on
MAX_SENTENCE_BYTES = 16_384  # longer lines are cut into parts this size (SentencePiece skips them)
MODEL_NAME = "tokenizer.model"
SPACE_SYMBOL = "\u2581"
# appended to a serialized ModelProto, this merges `normalizer_spec { add_dummy_prefix: false }`
# into it (protobuf merges repeated occurrences of a message field); no protobuf module needed
_NO_DUMMY_PREFIX = b"\x1a\x02\x18\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")
# SentencePiece's answer to a vocabulary its sample cannot fill, with the largest that it can
_TOO_HIGH = re.compile(r"Vocabulary size too high \(\d+\)\. Please set it to a value <= (\d+)")
_PROBE = " Hello,\u00a0wörld\t\t日本語 👨\u200d👩\u200d👧 1234567 \u2581x\r\n\x00 end  \n"


def pii_tokens() -> list[str]:
    """The mask tokens of pii_mask_v1, in its order."""
    return [TOKENS[kind] for kind in KINDS]


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


class Tokenizer:
    """A loaded SentencePiece model (any: ours, LLaMA's, ...)."""

    def __init__(self, processor: spm.SentencePieceProcessor, path: Path | None = None):
        self._sp = processor
        self._no_prefix: spm.SentencePieceProcessor | None = None
        self.path = path
        if processor.eos_id() < 0:
            raise FatalError(f"SentencePiece model {path} has no EOS piece; token shards need one")
        space_bytes = [processor.piece_to_id(f"<0x{b:02X}>") for b in SPACE_SYMBOL.encode()]
        self._space_bytes = space_bytes if all(map(processor.is_byte, space_bytes)) else None

    @functools.cached_property
    def exact(self) -> bool:
        """Whether decode(encode(text)) gives any text back: models without byte fallback or with
        NFKC normalization change some (worked out on demand: the probe builds a second model)."""
        return self.decode(self.encode(_PROBE)) == _PROBE

    @classmethod
    def load(cls, path: str | Path) -> Tokenizer:
        path = Path(path)
        if not path.is_file():
            raise FatalError(f"SentencePiece model not found: {path}")
        try:
            return cls(spm.SentencePieceProcessor(model_file=str(path)), path)
        except (RuntimeError, OSError) as error:
            raise FatalError(f"cannot load SentencePiece model {path}: {error}") from error

    @property
    def vocab_size(self) -> int:
        return self._sp.get_piece_size()

    @property
    def eos_id(self) -> int:
        return self._sp.eos_id()

    @property
    def processor(self) -> spm.SentencePieceProcessor:
        return self._sp

    def piece_to_id(self, piece: str) -> int:
        return self._sp.piece_to_id(piece)

    def encode(self, text: str) -> list[int]:
        return self.encode_batch([text], num_threads=1)[0]

    def encode_batch(self, texts: Sequence[str], num_threads: int | None = None) -> list[list[int]]:
        """Token ids of each text (no BOS/EOS), SentencePiece's threads over the batch."""
        texts = list(texts)
        threads = num_threads or cpu_count()
        try:
            ids = self._sp.encode(texts, num_threads=threads)
        except (RuntimeError, TypeError):  # a str with lone surrogates is not UTF-8-encodable
            texts = [_SURROGATE.sub("\ufffd", text) for text in texts]
            ids = self._sp.encode(texts, num_threads=threads)
        if self._space_bytes is not None:
            for i, text in enumerate(texts):
                if SPACE_SYMBOL in text:
                    ids[i] = self._encode_space_symbols(text)
        return ids

    def _encode_space_symbols(self, text: str) -> list[int]:
        if self._no_prefix is None:
            proto = self._sp.serialized_model_proto() + _NO_DUMMY_PREFIX
            self._no_prefix = spm.SentencePieceProcessor(model_proto=proto)
        first, *rest = text.split(SPACE_SYMBOL)
        ids = self._sp.encode(first)
        for part in self._no_prefix.encode(rest):
            ids += self._space_bytes
            ids += part
        return ids

    def decode(self, ids: Iterable[int]) -> str:
        return self._sp.decode([int(i) for i in ids])


def train_tokenizer(
    texts: Iterable[str],
    out_dir: str | Path,
    vocab_size: int = DEFAULT_VOCAB_SIZE,
    sample_chars: int = DEFAULT_SAMPLE_CHARS,
    seed: int = 0,
    user_defined_symbols: Sequence[str] | None = None,
) -> Path:
    """Trains `<out_dir>/tokenizer.model` (and `tokenizer.vocab`) and returns the model's path.

    Texts are cut into lines; a uniform random sample of the lines (seeded), of at most
    `sample_chars` characters, is what SentencePiece trains on. Every text is read once: for a
    large mix, pass a sample of its documents. `user_defined_symbols` defaults to the PII tokens.
    The files appear only when training succeeded. A vocabulary larger than the sample can
    fill is lowered to the largest it can (logged; the model's vocab_size says so)."""
    if vocab_size < MIN_VOCAB_SIZE:
        raise FatalError(f"vocab_size must be at least {MIN_VOCAB_SIZE}: {vocab_size}")
    symbols = pii_tokens() if user_defined_symbols is None else list(user_defined_symbols)
    lines = sample_lines(texts, sample_chars, seed)
    if not lines:
        raise FatalError("no text to train the tokenizer on")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".tokenizer-") as scratch:
        corpus = Path(scratch) / "sample.txt"
        with open(corpus, "w", encoding="utf-8", newline="\n") as out:
            out.writelines(line + "\n" for line in lines)
        del lines
        _fit_sentencepiece(corpus, Path(scratch) / "tokenizer", vocab_size, symbols, seed)
        for suffix in (".vocab", ".model"):  # the model last: its presence means done
            (Path(scratch) / f"tokenizer{suffix}").replace(out_dir / f"tokenizer{suffix}")
    return out_dir / MODEL_NAME


def sample_lines(texts: Iterable[str], sample_chars: int, seed: int) -> list[str]:
    """A uniform random sample of the non-empty lines of texts, at most sample_chars characters
    in all: each line gets a seeded random key and the lines of smallest keys are kept."""
    rng = random.Random(seed)
    heap: list[tuple[float, str]] = []  # (-key, line): the root is the largest key kept
    total = 0
    for text in texts:
        for line in _training_lines(text):
            key = rng.random()
            if total + len(line) > sample_chars and (not heap or -heap[0][0] < key):
                continue
            heapq.heappush(heap, (-key, line))
            total += len(line)
            while total > sample_chars:
                total -= len(heapq.heappop(heap)[1])
    return [line for _, line in heap]


def _training_lines(text: str) -> Iterable[str]:
    step = MAX_SENTENCE_BYTES // 4  # characters: at most 4 UTF-8 bytes each
    for line in _SURROGATE.sub("\ufffd", text).split("\n"):
        if len(line) > step:
            yield from (line[start : start + step] for start in range(0, len(line), step))
        elif line:
            yield line


def _fit_sentencepiece(
    corpus: Path, prefix: Path, vocab_size: int, symbols: list[str], seed: int
) -> None:
    """Trains at vocab_size or, when the sample is too small for it, at the largest vocabulary
    SentencePiece says the sample allows (never under MIN_VOCAB_SIZE)."""
    try:
        _train_sentencepiece(corpus, prefix, vocab_size, symbols, seed)
        return
    except FatalError as error:
        found = _TOO_HIGH.search(str(error))
        if not found or int(found[1]) < MIN_VOCAB_SIZE:
            raise
        limit = int(found[1])
    LOG.info("the training sample allows at most %s pieces: vocabulary lowered from %s to "
                "%s (more text gives a larger one)", f"{limit:,}", f"{vocab_size:,}",
                f"{limit:,}")  # fmt: skip
    _train_sentencepiece(corpus, prefix, limit, symbols, seed)


def _train_sentencepiece(
    corpus: Path, prefix: Path, vocab_size: int, symbols: list[str], seed: int
) -> None:
    spm.set_random_generator_seed(seed)
    try:
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_prefix=str(prefix),
            model_type="bpe",
            vocab_size=vocab_size,
            character_coverage=0.99995,
            split_digits=True,
            byte_fallback=True,
            normalization_rule_name="identity",
            add_dummy_prefix=True,
            remove_extra_whitespaces=False,
            allow_whitespace_only_pieces=True,
            max_sentence_length=MAX_SENTENCE_BYTES,
            max_sentencepiece_length=16,
            user_defined_symbols=symbols,
            unk_id=0,
            bos_id=1,
            eos_id=2,
            pad_id=-1,
            input_sentence_size=0,  # the sample is already drawn: use all of it
            num_threads=cpu_count(),
            minloglevel=2,
        )
    except RuntimeError as error:
        raise FatalError(
            f"SentencePiece training failed: {error} (a smaller vocabulary or more text helps"
            " when the vocabulary is too large for the sample)"
        ) from error
