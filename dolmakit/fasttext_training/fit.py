"""Training a fastText quality classifier: reference-like (`hq`) versus other web text (`lq`).

The CCNet/LLaMA recipe: a supervised linear fastText model over word uni- and bigrams whose
probability of `hq` becomes a document score. Training and inference share `prepare_text`, so the
model sees at inference exactly the kind of line it was trained on.

Inputs are read by dolmakit.io.texts: a Dolma JSON lines file gives one document per line (its
`text`), any other file one document per blank-line-separated block, a folder every file under it.

Choices, each recorded in metrics.json:
- exact duplicates (after `prepare_text`) and documents that prepare to nothing are dropped;
- classes are balanced by deterministically down-sampling the larger one (fastText has no class
  weights, and a balanced held-out set keeps precision and F1 meaningful);
- the held-out split is by the stable hash (dolmakit.core.hashing) of each example's `group` (a
  file's document id or text; the recipe groups chunks of one source document), so it does not
  move with the seed or parameters and chunks of one document never straddle it;
- training uses one thread by default: fastText's Hogwild updates with several threads are not
  bit-reproducible, while one thread with a fixed seed gives the same model every time.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import fasttext

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.core.hashing import in_fraction, stable_hash
from dolmakit.fasttext_models.quality import (
    LABEL_PREFIX,
    MAX_CHARS,
    MAX_TOKENS,
    METRICS_FILE,
    MODEL_FILE,
    NEGATIVE,
    POSITIVE,
    QUANTIZED_FILE,
    prepare_text,
    probabilities,
)

REPORTED_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# a filter on a classifier of Wikipedia-like text keeps pages well below 0.5: the curve's low end
LOW_THRESHOLDS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05)

_M_PERTURB = -6  # glibc's mallopt parameter number


@dataclass(frozen=True)
class Example:
    text: str  # raw text, prepared when written for fastText
    label: str  # POSITIVE or NEGATIVE
    # the held-out split key: examples of one group always land on the same side
    group: str


@dataclass
class TrainParams:
    epochs: int = 10
    lr: float = 0.5
    dim: int = 16
    word_ngrams: int = 2
    min_count: int = 2
    # hash buckets for bigrams; fastText's default (2M) makes a 130 MB model at dim 16
    bucket: int = 100_000
    # also write model.ftz, quantized keeping this many features (0: no .ftz); the tagger
    # prefers it when both are there
    quantize_cutoff: int = 20_000
    seed: int = 0
    threads: int = 1
    heldout_fraction: float = 0.1
    threshold: float = 0.5
    balance: bool = True
    # the thresholds metrics.json reports precision and recall at
    thresholds: tuple[float, ...] = REPORTED_THRESHOLDS


@dataclass
class Dataset:
    train: list[Example]
    heldout: list[Example]
    counts: dict[str, Any] = field(default_factory=dict)


def examples_from(paths: Iterable[str], label: str, option: str) -> list[Example]:
    """Every document of the given files or folders as an example with `label`, grouped by its
    id (its text where it has none)."""
    # dolmakit.io imports Beam (half a second): only when inputs are read, not on every CLI start
    from dolmakit.io.texts import read_documents

    paths = list(paths)
    if not paths:
        raise ConfigError("give at least one file or folder", key=option)
    return [Example(doc.text, label, doc.id or doc.text) for doc in read_documents(paths, option)]


def is_heldout(group: str, fraction: float) -> bool:
    return in_fraction(f"heldout:{group}", fraction)


def fasttext_line(label: str, prepared: str) -> str:
    return f"{LABEL_PREFIX}{label} {prepared}"


def prepare_dataset(examples: Iterable[Example], params: TrainParams) -> Dataset:
    """Prepared, deduplicated, balanced and split examples (text replaced by prepared text)."""
    counts: dict[str, Any] = {"input": {POSITIVE: 0, NEGATIVE: 0}, "empty": 0, "duplicates": 0}
    seen: set[str] = set()
    kept: list[Example] = []
    for example in examples:
        counts["input"][example.label] += 1
        prepared = prepare_text(example.text)
        if not prepared:
            counts["empty"] += 1
        elif prepared in seen:
            counts["duplicates"] += 1
        else:
            seen.add(prepared)
            kept.append(Example(prepared, example.label, example.group))
    if params.balance:
        kept = _balanced(kept)
    heldout = [e for e in kept if is_heldout(e.group, params.heldout_fraction)]
    train = [e for e in kept if not is_heldout(e.group, params.heldout_fraction)]
    counts["train"], counts["heldout"] = _by_label(train), _by_label(heldout)
    return Dataset(_shuffled(train, params.seed), heldout, counts)


def _balanced(examples: list[Example]) -> list[Example]:
    """Keeps as many of each class as the smaller class has, chosen by a hash of the text."""
    by_label = {label: [e for e in examples if e.label == label] for label in (POSITIVE, NEGATIVE)}
    size = min(len(group) for group in by_label.values())
    chosen = {
        id(e)
        for group in by_label.values()
        for e in sorted(group, key=lambda e: stable_hash(f"balance:{e.text}"))[:size]
    }
    return [e for e in examples if id(e) in chosen]


def _shuffled(examples: list[Example], seed: int) -> list[Example]:
    # SGD sees the classes interleaved; a sort by a seeded hash is the same on every machine
    return sorted(examples, key=lambda e: stable_hash(f"shuffle:{seed}:{e.text}"))


def _by_label(examples: list[Example]) -> dict[str, int]:
    return {label: sum(e.label == label for e in examples) for label in (POSITIVE, NEGATIVE)}


def write_fasttext_file(examples: Iterable[Example], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for example in examples:
            out.write(fasttext_line(example.label, example.text) + "\n")


def train_model(train_file: Path, params: TrainParams) -> fasttext.FastText._FastText:
    try:
        with zero_filled_allocations():
            return _train_supervised(train_file, params)
    except RuntimeError as error:  # "Encountered NaN": the learning rate is too high
        raise FatalError(f"fastText training failed ({error}); try a lower --lr") from error


@contextmanager
def zero_filled_allocations() -> Iterator[None]:
    """While inside, malloc hands out zero-filled memory, as fastText expects.

    fastText initializes only min(threads, 10) tenths of its input matrix; the other rows are
    meant to stay 0 (facebookresearch/fastText#1061), but fasttext-numpy2 0.10.4 allocates the
    matrix without zeroing it. With fewer than 10 threads, training then starts from whatever
    malloc hands back: after the process has freed memory, NaN ("Encountered NaN") or a
    different model on every run. glibc's M_PERTURB fills each allocation with the complement of
    the given byte (0xFF: zero) and each freed block with the byte itself (documented in
    mallopt(3)); it is switched off again on the way out. Elsewhere than glibc, a no-op."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_PERTURB, 0xFF)
    try:
        yield
    finally:
        if libc is not None:
            libc.mallopt(_M_PERTURB, 0)


@cache
def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "gnu_get_libc_version") else None
    except OSError:
        return None


def _train_supervised(train_file: Path, params: TrainParams) -> fasttext.FastText._FastText:
    return fasttext.train_supervised(
        input=str(train_file),
        epoch=params.epochs,
        lr=params.lr,
        dim=params.dim,
        wordNgrams=params.word_ngrams,
        minCount=params.min_count,
        bucket=params.bucket,
        seed=params.seed,
        thread=params.threads,
        loss="softmax",
        verbose=0,
    )


def scores_at(truth: list[bool], scores: list[float], threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of the positive class when score >= threshold predicts it."""
    predicted = [score >= threshold for score in scores]
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": len(truth) - tp - fp - fn,
    }


def roc_auc(truth: list[bool], scores: list[float]) -> float:
    """The area under the ROC curve: the chance that a random positive scores above a random
    negative (ties count half), by the rank-sum (Mann-Whitney) formula."""
    order = sorted(range(len(scores)), key=scores.__getitem__)
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(order):  # tied scores share their mean rank
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = (start + end) / 2 + 1
        start = end + 1
    positives = sum(truth)
    negatives = len(truth) - positives
    if not positives or not negatives:
        return 0.0
    rank_sum = sum(rank for rank, t in zip(ranks, truth, strict=True) if t)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def evaluate(
    model: fasttext.FastText._FastText,
    examples: list[Example],
    threshold: float = 0.5,
    thresholds: tuple[float, ...] = REPORTED_THRESHOLDS,
) -> dict[str, Any]:
    """Metrics of the positive class on prepared examples: ROC AUC, and precision/recall at
    `threshold` and at a range of thresholds (to choose a filter's cut-off from)."""
    truth = [e.label == POSITIVE for e in examples]
    scores = probabilities(model, [e.text for e in examples])
    return {
        **scores_at(truth, scores, threshold),
        "auc": round(roc_auc(truth, scores), 4),
        "by_threshold": [scores_at(truth, scores, t) for t in thresholds],
    }


def train(
    examples: Iterable[Example],
    out: str | Path,
    params: TrainParams,
    notes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Trains on `examples`, writes model.bin (and model.ftz), metrics.json and the fastText
    files train.txt and heldout.txt to `out`, and returns the metrics."""
    _check_params(params)
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = prepare_dataset(examples, params)
    _check_dataset(data)
    write_fasttext_file(data.train, out / "train.txt")
    write_fasttext_file(data.heldout, out / "heldout.txt")
    fit_started = time.perf_counter()
    model = train_model(out / "train.txt", params)
    fit_seconds = time.perf_counter() - fit_started
    model.save_model(str(out / MODEL_FILE))
    metrics = {
        "heldout": evaluate(model, data.heldout, params.threshold, params.thresholds),
        "train": evaluate(model, data.train, params.threshold, params.thresholds),
        "counts": data.counts,
        "params": asdict(params),
        "model": _model_facts(out / MODEL_FILE, model),
        "quantized": _quantize(model, out, data, params),
        "prepare_text": {"max_tokens": MAX_TOKENS, "max_chars": MAX_CHARS},
        "seconds": {
            "fit": round(fit_seconds, 2),
            "total": round(time.perf_counter() - started, 2),
        },
        "fasttext": _fasttext_version(),
        "notes": notes or {},
    }
    (out / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def _quantize(
    model: fasttext.FastText._FastText, out: Path, data: Dataset, params: TrainParams
) -> dict[str, Any] | None:
    """Quantizes the model in place (after model.bin is saved) into model.ftz, retraining on
    the kept features; returns its file facts and held-out metrics."""
    (out / QUANTIZED_FILE).unlink(missing_ok=True)  # never leave a stale .ftz beside a new .bin
    if not params.quantize_cutoff:
        return None
    with zero_filled_allocations():  # retraining allocates and trains like training does
        model.quantize(
            input=str(out / "train.txt"),
            qnorm=True,
            retrain=True,
            cutoff=params.quantize_cutoff,
            thread=params.threads,
        )
    model.save_model(str(out / QUANTIZED_FILE))
    return {
        **_model_facts(out / QUANTIZED_FILE, model),
        "heldout": evaluate(model, data.heldout, params.threshold, params.thresholds),
    }


def _model_facts(path: Path, model: fasttext.FastText._FastText) -> dict[str, Any]:
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "labels": model.labels,
        "words": len(model.words),
    }


def _fasttext_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"fasttext-numpy2 {version('fasttext-numpy2')}"
    except PackageNotFoundError:
        return "unknown"


def _check_params(params: TrainParams) -> None:
    if not 0.0 < params.heldout_fraction < 1.0:
        raise ConfigError("must be between 0 and 1 (exclusive)", key="heldout_fraction")
    if not 0.0 <= params.threshold <= 1.0:
        raise ConfigError("must be between 0 and 1", key="threshold")
    for key in ("epochs", "dim", "word_ngrams", "threads", "bucket", "min_count"):
        if getattr(params, key) < 1:
            raise ConfigError("must be at least 1", key=key)
    if params.lr <= 0:
        raise ConfigError("must be positive", key="lr")
    if params.quantize_cutoff < 0:
        raise ConfigError("must be 0 (no model.ftz) or more", key="quantize_cutoff")


def _check_dataset(data: Dataset) -> None:
    for side, examples in (("training", data.train), ("held-out", data.heldout)):
        missing = [label for label, n in _by_label(examples).items() if n == 0]
        if missing:
            raise FatalError(
                f"the {side} set has no {'/'.join(missing)} examples after deduplication, "
                f"balancing and the split (counts: {data.counts}); give more documents"
            )


def evaluate_examples(
    model: fasttext.FastText._FastText, examples: Iterable[Example], threshold: float = 0.5
) -> dict[str, Any]:
    """`evaluate` on raw examples (prepared here); those that prepare to nothing are counted
    and left out."""
    prepared = [Example(prepare_text(e.text), e.label, e.group) for e in examples]
    kept = [e for e in prepared if e.text]
    if not kept:
        raise FatalError("no documents with text to evaluate")
    return {
        **evaluate(model, kept, threshold),
        "documents": _by_label(kept),
        "empty": len(prepared) - len(kept),
    }
