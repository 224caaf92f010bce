"""Scoring text with a trained model: CCNet's document perplexity (cc_net/perplexity.py DocLM).

Each line is normalized with CCNet's normalizer, cut into SentencePiece pieces and scored by KenLM
with sentence boundaries; the document's perplexity is 10 ** (-sum of log10 scores / (pieces +
one end-of-sentence per line)), rounded to 0.1 as CCNet stores it. This is the perplexity
tagger's hot path: it runs at ~85% of the speed of a bare SentencePiece + KenLM loop without
normalization.

One difference from CCNet's pipeline as it ran (cc_net/mine.py): there, MultiSentencePiece
normalized the whole document before DocLM split it into lines, and normalize() deletes "\\n"
with the other control characters, so each document was scored as a single line with its lines
glued together. Here each line is scored on its own, as DocLM does when it normalizes itself.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import kenlm
import sentencepiece as spm

from dolmakit.core.errors import FatalError
from dolmakit.text.normalize import normalize


@dataclass(frozen=True)
class LineScore:
    """One scored line: its pieces joined by spaces, their log10 probability (with <s> and </s>)
    and the number of predicted tokens (pieces + </s>)."""

    pieces: str
    log10_prob: float
    length: int


def model_paths(model_dir: str | Path, language: str) -> tuple[Path, Path]:
    """(<lang>.sp.model, <lang>.arpa.bin) of a model folder: the layout train.py writes."""
    folder = Path(model_dir)
    return folder / f"{language}.sp.model", folder / f"{language}.arpa.bin"


class LanguageModel:
    """A SentencePiece + KenLM pair for one language. Load it once per worker (in setup())."""

    def __init__(self, sp: spm.SentencePieceProcessor, model: kenlm.Model, language: str):
        self.sp = sp
        self.model = model
        self.language = language
        # CCNet counts a line's tokens as len(pieces.split()) + 1. Counting the pieces is ~10%
        # faster and the same number unless a piece holds whitespace, which SentencePiece's
        # default nmt_nfkc normalization never lets through; a model without it is checked
        # once here and then counted the slow, exact way.
        self._count = _count_split if _keeps_whitespace(sp) else len

    @classmethod
    def load(cls, model_dir: str | Path, language: str) -> LanguageModel:
        sp_path, lm_path = model_paths(model_dir, language)
        for path in (sp_path, lm_path):
            if not path.is_file():
                raise FatalError(f"{language} perplexity model file {path} not found")
        return cls(_load_sentencepiece(sp_path), _load_kenlm(lm_path), language)

    def line_scores(self, text: str) -> list[LineScore]:
        """Scores of the lines of text that are not empty once normalized."""
        scores = []
        for line in text.split("\n"):
            normalized = normalize(line)
            if normalized:
                pieces = self.sp.encode_as_pieces(normalized)
                joined = " ".join(pieces)
                scores.append(LineScore(joined, self.model.score(joined), self._count(pieces) + 1))
        return scores

    def perplexity(self, text: str) -> float | None:
        """CCNet's document perplexity, rounded to 0.1; None when no line has text.

        Lines are tokenized one call each: batching them through sp.encode(list) measured no
        faster (its thread pool costs what the fewer calls save)."""
        encode, score, count = self.sp.encode_as_pieces, self.model.score, self._count
        log_score = 0.0
        length = 0
        for line in text.split("\n"):
            normalized = normalize(line)
            if normalized:
                pieces = encode(normalized)
                log_score += score(" ".join(pieces))
                length += count(pieces) + 1
        return perplexity(log_score, length) if length else None


def perplexity(log10_score: float, length: int) -> float:
    """CCNet's pp(): 10 ** (-log10 score / length), rounded to 0.1."""
    return round(10.0 ** (-log10_score / length), 1)


def _count_split(pieces: list[str]) -> int:
    return len(" ".join(pieces).split())


def _keeps_whitespace(sp: spm.SentencePieceProcessor) -> bool:
    """Whether a piece of a normalized line can hold whitespace: every Unicode space that
    CCNet's normalizer keeps, between letters."""
    probe = normalize("a".join(["a", *(chr(c) for c in range(0x3001) if chr(c).isspace()), "a"]))
    return any(any(c.isspace() for c in piece) for piece in sp.encode_as_pieces(probe))


def _load_sentencepiece(path: Path) -> spm.SentencePieceProcessor:
    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as error:
        raise FatalError(f"{path} is not a SentencePiece model: {error}") from error


def _load_kenlm(path: Path) -> kenlm.Model:
    try:
        return kenlm.Model(str(path))
    except (OSError, RuntimeError) as error:
        raise FatalError(f"{path} is not a KenLM model: {error}") from error


def default_model_dir() -> Path:
    """The folder of the shipped model: en.sp.model, en.arpa.bin, en.json, cutoffs.json."""
    return Path(__file__).resolve().parent.parent / "data" / "lm"


# what a model folder holds that scoring reads: CCNet's published per-language files
# (dl.fbaipublicfiles.com/cc_net/lm/<lang>.arpa.bin and <lang>.sp.model) and our cutoffs
MODEL_SUFFIXES = (".arpa.bin", ".sp.model")
CUTOFFS_NAME = "cutoffs.json"


def local_model_dir(models: str | Path) -> Path:
    """A local folder with the model files of `models`: a local folder as it is, or for a URI on
    any filesystem Beam reads (gs://, s3://, ...) a cached copy of its <lang>.arpa.bin,
    <lang>.sp.model and cutoffs.json (KenLM and SentencePiece read local files only).

    The cache is keyed by the URI and each file is copied again when its size differs, so a
    worker's setup() fetches once per machine and an updated model is not served stale."""
    models = str(models)
    if "://" not in models:
        return Path(models)
    from apache_beam.io.filesystems import FileSystems

    base = models.rstrip("/")
    cache = (
        Path(tempfile.gettempdir())
        / "dolmakit-models"
        / hashlib.sha256(base.encode()).hexdigest()[:16]
    )
    cache.mkdir(parents=True, exist_ok=True)
    try:
        found = FileSystems.match([f"{base}/*"])[0].metadata_list
    except Exception as error:  # noqa: BLE001  (each filesystem raises its own errors)
        raise FatalError(f"cannot list the models at {models}: {error}") from error
    for metadata in found:
        name = metadata.path.rstrip("/").rsplit("/", 1)[-1]
        if name.endswith(MODEL_SUFFIXES) or name == CUTOFFS_NAME:
            _fetch(metadata.path, cache / name, metadata.size_in_bytes)
    return cache


def _fetch(uri: str, target: Path, size: int) -> None:
    """Copies uri to target unless a copy of that size is there; written whole, then renamed."""
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    if target.is_file() and target.stat().st_size == size:
        return
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    raw = CompressionTypes.UNCOMPRESSED  # a model file is never decompressed by its name
    with FileSystems.open(uri, compression_type=raw) as source, partial.open("wb") as sink:
        while chunk := source.read(1 << 24):
            sink.write(chunk)
    partial.replace(target)
