"""The near-dedup benchmark corpus: distinct base documents of real prose, planted clusters of
exact and edited copies, and the ground truth of which documents are copies of which.

Bases: sentences of the State of the Union addresses and the Brown corpus (dolmakit.io.corpora,
public domain) drawn at random until a length of --min-words to --max-words words, so that two
bases share at most a sentence here and there (their shingle Jaccard is near 0).
Clusters: a base and 1 to 99 copies (sizes heavy-tailed, most clusters 2 or 3). A copy is exact
with probability `exact_fraction`; otherwise its words are edited one at a time (60%
substitutions, 20% deletions, 20% insertions of corpus words) until the TRUE Jaccard of its
5-word shingle set (dolmakit.dedup.signatures.shingle_tokens) with the base's lies between
`min_jaccard` and a target drawn from [min_jaccard, max_jaccard]; each copy is made from the base,
so copies of one cluster resemble each other less than they resemble the base.
Files: every document gets an id in shuffled order (so the smallest id of a cluster is any of its
members) and goes round-robin into `files` gzipped Dolma JSONL files; clusters span files.
The corpus, truth.json.gz and manifest.json are cached in a folder and reused when the manifest
matches.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dolmakit.dedup.signatures import shingle_tokens
from dolmakit.io.corpora import texts

CORPUS_VERSION = 1
MANIFEST, TRUTH = "manifest.json", "truth.json.gz"
NGRAM = 5
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")
# cluster sizes (base included) and their weights: most clusters small, a few large
_SIZES = (
    (2, 40),
    (3, 20),
    (4, 8),
    (5, 7),
    (6, 5),
    (8, 5),
    (10, 5),
    (15, 4),
    (25, 3),
    (50, 2),
    (100, 1),
)


@dataclass
class CorpusSpec:
    docs: int
    files: int = 4
    seed: int = 0
    min_words: int = 100
    max_words: int = 300
    # share of documents that are members of a planted cluster (base or copy)
    clustered_fraction: float = 0.4
    exact_fraction: float = 0.2
    min_jaccard: float = 0.85
    max_jaccard: float = 0.97


@dataclass
class Manifest:
    version: int
    spec: CorpusSpec
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes
    clusters: int = 0
    duplicates: int = 0  # documents beyond the first of each cluster
    exact_copies: int = 0
    words: int = 0
    seconds: float = 0.0


@dataclass
class Truth:
    clusters: list[list[str]]  # ids, the base first
    jaccard: dict[str, float]  # copy id -> true shingle Jaccard with its base (1.0 exact)


def ensure_corpus(folder: Path, spec: CorpusSpec) -> Manifest:
    """The corpus in `folder`, built unless one of the same spec is already there."""
    try:
        data = json.loads((folder / MANIFEST).read_text())
        manifest = Manifest(**{**data, "spec": CorpusSpec(**data["spec"])})
        complete = (
            all(
                (folder / n).is_file() and (folder / n).stat().st_size == size
                for n, size in manifest.files.items()
            )
            and (folder / TRUTH).is_file()
        )
        if manifest.version == CORPUS_VERSION and manifest.spec == spec and complete:
            return manifest
    except (OSError, ValueError, TypeError, KeyError):
        pass
    return _build(folder, spec)


def load_truth(folder: Path) -> Truth:
    with gzip.open(folder / TRUTH, "rt", encoding="utf-8") as stream:
        return Truth(**json.load(stream))


def corpus_files(folder: Path, manifest: Manifest) -> list[Path]:
    return sorted(folder / name for name in manifest.files)


def read_corpus(files: list[Path]) -> tuple[list[str], list[str]]:
    """(ids, texts) of the corpus files, in file order."""
    ids, bodies = [], []
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                row = json.loads(line)
                ids.append(row["id"])
                bodies.append(row["text"])
    return ids, bodies


# --- building ---


def _build(folder: Path, spec: CorpusSpec) -> Manifest:
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [*folder.glob("*.jsonl.gz"), folder / MANIFEST, folder / TRUTH]:
        stale.unlink(missing_ok=True)
    rng = random.Random(spec.seed)
    sentences = _sentences()
    vocabulary = [word for sentence in rng.sample(sentences, 20_000) for word in sentence.split()]
    sizes = _cluster_sizes(spec, rng)
    planted = [_cluster(_base(sentences, spec, rng), size, spec, vocabulary, rng) for size in sizes]
    singles = spec.docs - sum(sizes)
    documents = [(None, _base(sentences, spec, rng)) for _ in range(singles)]
    for index, cluster in enumerate(planted):
        documents += [(index, member) for member in cluster]
    order = list(range(len(documents)))
    rng.shuffle(order)
    ids = {position: f"doc{rank:07d}" for rank, position in enumerate(order)}
    manifest = Manifest(CORPUS_VERSION, spec)
    _write_files(folder, spec.files, [(ids[p], documents[p][1][0]) for p in order], manifest)
    truth = _truth(documents, ids, len(planted))
    with gzip.open(folder / TRUTH, "wt", encoding="utf-8") as stream:
        json.dump(asdict(truth), stream)
    manifest.clusters = len(planted)
    manifest.duplicates = sum(size - 1 for size in sizes)
    manifest.exact_copies = sum(1 for j in truth.jaccard.values() if j == 1.0)
    manifest.words = sum(len(text.split()) for _, (text, _) in documents)
    manifest.seconds = round(time.perf_counter() - started, 1)
    (folder / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def _sentences() -> list[str]:
    found = []
    for name in ("sotu", "brown"):
        for _, text in texts(name):
            for sentence in _SENTENCE_END.split(" ".join(text.split())):
                if 4 <= len(sentence.split()) <= 60:
                    found.append(sentence)
    return found


def _cluster_sizes(spec: CorpusSpec, rng: random.Random) -> list[int]:
    sizes, weights = zip(*_SIZES, strict=True)
    budget, drawn = int(spec.docs * spec.clustered_fraction), []
    while (left := budget - sum(drawn)) >= 2:
        drawn.append(min(rng.choices(sizes, weights)[0], left))
    return drawn


def _base(sentences: list[str], spec: CorpusSpec, rng: random.Random) -> tuple[str, float]:
    target = rng.randint(spec.min_words, spec.max_words)
    words: list[str] = []
    while len(words) < target:
        words += rng.choice(sentences).split()
    return " ".join(words[:target]), 1.0


def _cluster(
    base: tuple[str, float], size: int, spec: CorpusSpec, vocabulary: list[str], rng: random.Random
) -> list[tuple[str, float]]:
    members = [base]
    for _ in range(size - 1):
        if rng.random() < spec.exact_fraction:
            members.append(base)
        else:
            members.append(_edited(base[0], spec, vocabulary, rng))
    return members


def _edited(
    base: str, spec: CorpusSpec, vocabulary: list[str], rng: random.Random
) -> tuple[str, float]:
    """A copy of base edited word by word until its shingle Jaccard with base falls in
    [min_jaccard, target]; retried from scratch when the last edit jumps below min_jaccard."""
    base_windows = _windows(base)
    while True:
        target = rng.uniform(spec.min_jaccard, spec.max_jaccard)
        words = base.split()
        while (jaccard := _jaccard(base_windows, _windows(" ".join(words)))) > target:
            _edit(words, vocabulary, rng)
        if jaccard >= spec.min_jaccard:
            return " ".join(words), jaccard


def _edit(words: list[str], vocabulary: list[str], rng: random.Random) -> None:
    position, op = rng.randrange(len(words)), rng.random()
    if op < 0.6:
        words[position] = rng.choice(vocabulary)
    elif op < 0.8:
        del words[position]
    else:
        words.insert(position, rng.choice(vocabulary))


def _windows(text: str) -> set[tuple[str, ...]]:
    tokens = shingle_tokens(text)
    return {tuple(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def _write_files(folder: Path, files: int, rows: list[tuple[str, str]], manifest: Manifest) -> None:
    for index in range(files):
        name = f"part-{index:02d}.jsonl.gz"
        with gzip.open(folder / name, "wt", encoding="utf-8", compresslevel=6) as stream:
            for doc_id, text in rows[index::files]:
                row = {
                    "id": doc_id,
                    "text": text,
                    "source": "bench-dedup",
                    "added": "2024-01-01T00:00:00Z",
                    "created": "",
                    "metadata": {},
                }
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        manifest.files[name] = (folder / name).stat().st_size


def _truth(documents: list, ids: dict[int, str], clusters: int) -> Truth:
    members: list[list[str]] = [[] for _ in range(clusters)]
    jaccard: dict[str, float] = {}
    for position, (cluster, (_, similarity)) in enumerate(documents):
        if cluster is None:
            continue
        if members[cluster]:  # the first member of a cluster is its base
            jaccard[ids[position]] = round(similarity, 4)
        members[cluster].append(ids[position])
    return Truth(members, jaccard)
