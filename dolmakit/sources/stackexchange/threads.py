"""Questions and their answers as one document each: the LLaMA / RedPajama Stack Exchange shape.

LLaMA (Touvron et al. 2023, section 2) "removed the HTML tags from text and sorted the answers by
score (from highest to lowest)"; RedPajama's reproduction wrote each question as `Q: ` and each
answer as `A: ` (data_prep/stack_exchange/post_processing.py). A thread here reads

    Q: <title>
    <question text>

    A: <best answer text>

    A: <next answer text>

Answers are ordered by score, highest first; equal scores put the accepted answer first, then the
lower post id (the older answer), so the order never depends on the input's order.

Accounting: every post reaching the step leaves it once. The question becomes the thread document
(same id); each answer in it is removed as `merged_into_thread` (metadata.thread_id names the
thread); `orphan_answer` (its question is not in the input), `answer_below_min_score`,
`answer_beyond_max`, `unanswered` (with keep_unanswered false), `duplicate_post` (the same post
read twice) and `post_type_<n>` (not a question or answer) say why others are not in a thread;
a document that is not a post (no site or post id in metadata) is an error `not_a_post`.

Posts are grouped by (site, question id) with one GroupByKey, so a worker holds one thread at a
time, never a site: memory is bounded by the largest thread (a few hundred answers at most). A
thread merges texts from many files, so this global step's keys are the posts themselves; each
post's fate returns to its file as a label, the thread's text with the question's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import apache_beam as beam

from dolmakit.core.document import Document, ErrorRecord, Removed, pack, unpack
from dolmakit.core.histograms import counter_name, register_histogram
from dolmakit.core.routing import CountingDoFn
from dolmakit.core.steps import GlobalStep, KeyMaker, register_step

ANSWERS_HISTOGRAM = register_histogram("stackexchange_answers", "Answers per thread", 2)
Outcome = Document | Removed | ErrorRecord


@dataclass
class ThreadsConfig:
    # answers kept per thread, best first; 0 keeps them all (as LLaMA did); the others are
    # removed as answer_beyond_max
    max_answers: int = 0
    # answers scoring below this are removed as answer_below_min_score; null keeps every answer
    min_answer_score: int | None = None
    # a question with no answer (left) is a thread of its own, as in RedPajama; false removes it
    # as `unanswered`
    keep_unanswered: bool = True


@register_step
class StackExchangeThreads(GlobalStep):
    """One document per question: title, text and its answers by score (`Q: ... A: ...`)."""

    type_name = "stackexchange_threads"
    Config = ThreadsConfig

    def key_maker(self) -> KeyMaker:
        return PostKeys()

    def decide(self) -> beam.PTransform:
        return _Threads(self.name, self.config)

    def apply(self, doc: Document, labels: list[Any]) -> Outcome:
        (label,) = labels  # every post gets one
        return outcome_of(doc, label, self.name)


def thread_key(doc: Document) -> str:
    """`<site>/<question id>` for a question and its answers; the document id for the rest, which
    are then alone in their group and reported there."""
    metadata = doc.metadata
    question = metadata.get("parent_id") or metadata.get("post_id")
    if metadata.get("site") and question is not None:
        return f"{metadata['site']}/{question}"
    return doc.id


class PostKeys(KeyMaker):
    """(thread key, (node, the post packed)): a thread is a merge of documents, so this global
    step's keys are its posts themselves, each travelling once to its thread."""

    def add(self, doc: Document, node: bytes) -> Iterable[tuple[str, tuple[bytes, bytes]]]:
        return [(thread_key(doc), (node, pack(doc)))]


class _Threads(beam.PTransform):
    def __init__(self, step_name: str, config: ThreadsConfig):
        super().__init__()
        self.step_name, self.config = step_name, config

    def expand(self, keys: beam.PCollection) -> Any:
        return (
            keys
            | "Group threads" >> beam.GroupByKey()
            | "Build threads" >> beam.ParDo(_BuildThreadFn(self.step_name, self.config))
        )


class _BuildThreadFn(CountingDoFn):
    """A thread's posts -> (node, label) for each: ("thread", the thread packed) for the
    question, ("removed", reason, metadata) or ("error", kind, cause) for the others."""

    def __init__(self, step_name: str, config: ThreadsConfig):
        self.step_name, self.config = step_name, config

    def setup(self) -> None:
        self.stats = self.tally(self.step_name)
        self.histograms = self.tally("")

    def process(self, group: tuple[str, Iterable[tuple[bytes, bytes]]]) -> Iterator[Any]:
        posts = sorted(group[1])  # node order: the same thread whatever the input order
        docs = [unpack(packed) for _, packed in posts]
        nodes = [node for node, _ in posts]
        outcomes = list(build_thread(docs, self.config, self.step_name))
        for item in outcomes:
            if isinstance(item, Document):
                answers = len(item.metadata["answer_ids"])
                self.histograms.inc(counter_name(ANSWERS_HISTOGRAM, "all", answers))
                self.stats.inc(f"threads_by_site/{item.metadata['site']}")
        yield from zip(nodes, labels_of(docs, outcomes), strict=True)


def labels_of(docs: list[Document], outcomes: list[Outcome]) -> list[tuple]:
    """Each post's label, in the posts' order: a Removed by its document, the thread and an
    error by the id of a post not yet labelled."""
    labels: list[tuple | None] = [None] * len(docs)
    place = {id(doc): index for index, doc in enumerate(docs)}
    for item in outcomes:
        if isinstance(item, Removed):
            labels[place[id(item.doc)]] = ("removed", item.reason, item.doc.metadata)
    for item in outcomes:
        if isinstance(item, Removed):
            continue
        doc_id = item.id if isinstance(item, Document) else item.location["id"]
        index = next(i for i, doc in enumerate(docs) if labels[i] is None and doc.id == doc_id)
        labels[index] = (("thread", pack(item)) if isinstance(item, Document)
                         else ("error", item.kind, item.cause))  # fmt: skip
    return labels


def outcome_of(doc: Document, label: tuple, step: str) -> Outcome:
    if label[0] == "thread":
        return unpack(label[1])
    if label[0] == "removed":
        doc.metadata = label[2]
        return Removed(doc, step, label[1])
    return ErrorRecord(step, label[1], label[2], {"id": doc.id})


def build_thread(posts: Iterable[Document], config: ThreadsConfig, step: str) -> Iterator[Outcome]:
    """Every post of one group once: the thread (or the question removed), answers merged or
    removed with their reason, anything else removed or failed."""
    questions, answers = [], []
    for doc in _unique(posts, step):
        if isinstance(doc, (Removed, ErrorRecord)):
            yield doc
        elif doc.metadata.get("post_type") == "question":
            questions.append(doc)
        elif doc.metadata.get("post_type") == "answer":
            answers.append(doc)
        else:
            yield Removed(doc, step, f"post_type_{doc.metadata.get('post_type')}")
    if not questions:
        yield from (Removed(answer, step, "orphan_answer") for answer in answers)
        return
    question, *others = questions  # a group is keyed by the question's id
    # a question that names a parent (malformed data) lands in its parent's group
    yield from (Removed(other, step, "question_with_parent") for other in others)
    merged, removed = choose_answers(question, answers, config, step)
    yield from removed
    if not merged and not config.keep_unanswered:
        yield Removed(question, step, "unanswered")
        return
    yield thread_document(question, merged)
    for answer in merged:
        answer.metadata["thread_id"] = question.id
        yield Removed(answer, step, "merged_into_thread")


def _unique(posts: Iterable[Document], step: str) -> Iterator[Document | Removed | ErrorRecord]:
    """Posts with their first copy by id; later copies removed, non-posts as errors."""
    seen: set[str] = set()
    for doc in posts:
        if "post_id" not in doc.metadata or "site" not in doc.metadata:
            yield ErrorRecord(step, "not_a_post", "no metadata.site or post_id", {"id": doc.id})
        elif doc.id in seen:
            yield Removed(doc, step, "duplicate_post")
        else:
            seen.add(doc.id)
            yield doc


def choose_answers(
    question: Document, answers: list[Document], config: ThreadsConfig, step: str
) -> tuple[list[Document], list[Removed]]:
    """(answers in the thread, best first; answers left out, with their reason)."""
    accepted = question.metadata.get("accepted_answer_id")
    ordered = sorted(answers, key=lambda answer: answer_order(answer, accepted))
    merged, removed = [], []
    minimum = config.min_answer_score
    for answer in ordered:
        if minimum is not None and answer.metadata.get("score", 0) < minimum:
            removed.append(Removed(answer, step, "answer_below_min_score"))
        elif config.max_answers and len(merged) >= config.max_answers:
            removed.append(Removed(answer, step, "answer_beyond_max"))
        else:
            merged.append(answer)
    return merged, removed


def answer_order(answer: Document, accepted_id: int | None) -> tuple[int, int, int]:
    """Highest score first; on a tie the accepted answer, then the lower (older) post id."""
    metadata = answer.metadata
    is_accepted = accepted_id is not None and metadata["post_id"] == accepted_id
    return (-metadata.get("score", 0), 0 if is_accepted else 1, metadata["post_id"])


def thread_text(title: str, question: str, answers: list[str]) -> str:
    head = f"Q: {title}".rstrip()
    parts = [f"{head}\n{question}" if question else head]
    parts += [f"A: {answer}".rstrip() for answer in answers]
    return "\n\n".join(parts)


def thread_document(question: Document, answers: list[Document]) -> Document:
    """The thread under the question's id, with what a mix needs in metadata."""
    meta = question.metadata
    licenses = {meta["license"], *(answer.metadata["license"] for answer in answers)}
    metadata = {
        "site": meta["site"],
        "question_id": meta["post_id"],
        "url": meta["url"],
        "title": meta.get("title", ""),
        "tags": meta.get("tags", []),
        "score": meta.get("score", 0),
        "answer_ids": [answer.metadata["post_id"] for answer in answers],
        "accepted_answer_id": meta.get("accepted_answer_id"),
        "license": "CC-BY-SA",
        "license_versions": sorted(licenses),
    }
    if "input_shard" in meta:  # for dedup scopes over groups of input shards
        metadata["input_shard"] = meta["input_shard"]
    text = thread_text(metadata["title"], question.text, [answer.text for answer in answers])
    return Document(
        id=question.id,
        text=text,
        source=question.source,
        added=question.added,
        created=question.created,
        metadata=metadata,
    )
