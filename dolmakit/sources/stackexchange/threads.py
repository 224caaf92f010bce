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

Posts are grouped by (site, question id) with one GroupByKey, so a worker decides one thread at a
time, never a site. What is grouped holds no text: each post's key is its node (which names the
document and its address, the file and line it waits at) with the few facts the rules read
(`PostFacts`: post id and type, score, the accepted answer). The labels return to the files the
same way: the question's names its answers by address, best first; an answer's says why it is
removed and the metadata that changes (thread_id). The pass applying the step to the question's
file reads those answers from the staged files (dolmakit.engine.segments, GlobalStep.wanted) and
builds the thread there, so text moves between files on the workers, never through a shuffle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass
from typing import Any

import apache_beam as beam

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.histograms import counter_name, register_histogram
from dolmakit.core.nodes import node_address
from dolmakit.core.routing import CountingDoFn
from dolmakit.core.steps import Address, GlobalStep, KeyMaker, register_step

ANSWERS_HISTOGRAM = register_histogram("stackexchange_answers", "Answers per thread", 2)
Outcome = Document | Removed | ErrorRecord
THREAD, REMOVED, ERROR = "thread", "removed", "error"  # the kinds of label
NOT_A_POST, NOT_A_POST_CAUSE = "not_a_post", "no metadata.site or post_id"  # the one error


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

    def wanted(self, label: Any) -> list[Address]:
        """A thread's answers, best first."""
        return [(file, line) for file, line in label[1]] if label[0] == THREAD else []

    def apply_with(
        self, doc: Document, labels: list[Any], fetched: Mapping[Address, Document]
    ) -> Outcome:
        (label,) = labels  # every post gets one
        answers = [fetched[address] for address in self.wanted(label)]
        return outcome_of(doc, label, self.name, answers)

    def apply(self, doc: Document, labels: list[Any]) -> Outcome:
        """Without the answers: only right for a label that names none (see apply_with)."""
        return self.apply_with(doc, labels, {})


def thread_key(doc: Document) -> str:
    """`<site>/<question id>` for a question and its answers; the document id for the rest, which
    are then alone in their group and reported there."""
    metadata = doc.metadata
    question = metadata.get("parent_id") or metadata.get("post_id")
    if metadata.get("site") and question is not None:
        return f"{metadata['site']}/{question}"
    return doc.id


@dataclass(frozen=True)
class PostFacts:
    """What the rules read of a post to give it its place in a thread: never its text."""

    doc_id: str
    is_post: bool  # metadata names a site and a post id
    site: str | None
    post_type: str | None
    post_id: int | None
    score: int
    accepted_answer_id: int | None

    @classmethod
    def of(cls, doc: Document) -> PostFacts:
        meta = doc.metadata
        return cls(doc.id, "post_id" in meta and "site" in meta, meta.get("site"),
                   meta.get("post_type"), meta.get("post_id"), meta.get("score", 0),
                   meta.get("accepted_answer_id"))  # fmt: skip


class PostKeys(KeyMaker):
    """(thread key, (node, the post's facts as a tuple)): a plain tuple, which Beam encodes
    without pickling the class's name into every key."""

    def add(self, doc: Document, node: bytes) -> Iterable[tuple[str, tuple[bytes, tuple]]]:
        return [(thread_key(doc), (node, astuple(PostFacts.of(doc))))]


@dataclass(frozen=True)
class Verdict:
    """A post's fate in its group: the thread (a question, with its answers by their places in
    the group, best first), removed with its reason, or an error of that kind."""

    kind: str  # THREAD, REMOVED or ERROR
    reason: str = ""
    answers: tuple[int, ...] = ()
    thread_id: str | None = None  # a merged answer's thread

    def label(self, addresses: list[Any]) -> tuple:
        """What returns to the post's file: for a thread its answers' addresses, given by
        place in the group (the answers' text stays where it is until the thread is built)."""
        if self.kind == THREAD:
            return (THREAD, [addresses[place] for place in self.answers])
        if self.kind == REMOVED:
            changes = {} if self.thread_id is None else {"thread_id": self.thread_id}
            return (REMOVED, self.reason, changes)
        return (ERROR, self.reason, NOT_A_POST_CAUSE)


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
    """A thread's posts' facts -> (node, label) for each (Verdict.label)."""

    def __init__(self, step_name: str, config: ThreadsConfig):
        self.step_name, self.config = step_name, config

    def setup(self) -> None:
        self.stats = self.tally(self.step_name)
        self.histograms = self.tally("")

    def process(self, group: tuple[str, Iterable[tuple[bytes, tuple]]]) -> Iterator[Any]:
        # node order: the same thread whatever the input order (nodes differ by address)
        posts = sorted(group[1], key=lambda post: post[0])
        nodes = [node for node, _ in posts]
        facts = [PostFacts(*values) for _, values in posts]
        addresses = [node_address(node) for node in nodes]
        verdicts = decide_thread(facts, self.config)
        for node, post, verdict in zip(nodes, facts, verdicts, strict=True):
            if verdict.kind == THREAD:
                self.histograms.inc(counter_name(ANSWERS_HISTOGRAM, "all", len(verdict.answers)))
                self.stats.inc(f"threads_by_site/{post.site}")
            yield node, verdict.label(addresses)


def decide_thread(posts: list[PostFacts], config: ThreadsConfig) -> list[Verdict]:
    """Every post of one group's verdict, in the group's order: the thread (or the question
    removed), answers merged or removed with their reason, anything else removed or failed."""
    verdicts, questions, answers = _sort_out(posts)
    if not questions:
        verdicts.update((place, Verdict(REMOVED, "orphan_answer")) for place in answers)
    else:
        verdicts.update(_thread_verdicts(posts, questions, answers, config))
    return [verdicts[place] for place in range(len(posts))]


def _sort_out(posts: list[PostFacts]) -> tuple[dict[int, Verdict], list[int], list[int]]:
    """(the verdicts of posts that are neither a question nor an answer, the places of the
    questions, of the answers): a post read twice is kept once, by its first place."""
    verdicts: dict[int, Verdict] = {}
    questions, answers, seen = [], [], set()
    for place, post in enumerate(posts):
        if not post.is_post:
            verdicts[place] = Verdict(ERROR, NOT_A_POST)
            continue
        if post.doc_id in seen:
            verdicts[place] = Verdict(REMOVED, "duplicate_post")
        elif post.post_type in ("question", "answer"):
            (questions if post.post_type == "question" else answers).append(place)
        else:
            verdicts[place] = Verdict(REMOVED, f"post_type_{post.post_type}")
        seen.add(post.doc_id)
    return verdicts, questions, answers


def _thread_verdicts(
    posts: list[PostFacts], questions: list[int], answers: list[int], config: ThreadsConfig
) -> dict[int, Verdict]:
    question, *others = questions  # a group is keyed by the question's id
    # a question that names a parent (malformed data) lands in its parent's group
    verdicts = {place: Verdict(REMOVED, "question_with_parent") for place in others}
    accepted = posts[question].accepted_answer_id
    merged, left_out = choose_answers([(place, posts[place]) for place in answers], accepted,
                                      config)  # fmt: skip
    verdicts.update((place, Verdict(REMOVED, reason)) for place, reason in left_out.items())
    if not merged and not config.keep_unanswered:
        verdicts[question] = Verdict(REMOVED, "unanswered")
        return verdicts
    verdicts[question] = Verdict(THREAD, answers=tuple(merged))
    thread_id = posts[question].doc_id
    merged_into = Verdict(REMOVED, "merged_into_thread", thread_id=thread_id)
    verdicts.update((place, merged_into) for place in merged)
    return verdicts


def choose_answers(
    answers: list[tuple[int, PostFacts]], accepted: int | None, config: ThreadsConfig
) -> tuple[list[int], dict[int, str]]:
    """(the places of the answers in the thread, best first; of those left out, with their
    reason)."""
    ordered = sorted(answers, key=lambda answer: answer_order(answer[1], accepted))
    merged, left_out = [], {}
    minimum = config.min_answer_score
    for place, answer in ordered:
        if minimum is not None and answer.score < minimum:
            left_out[place] = "answer_below_min_score"
        elif config.max_answers and len(merged) >= config.max_answers:
            left_out[place] = "answer_beyond_max"
        else:
            merged.append(place)
    return merged, left_out


def answer_order(answer: PostFacts, accepted_id: int | None) -> tuple[int, int, int]:
    """Highest score first; on a tie the accepted answer, then the lower (older) post id."""
    is_accepted = accepted_id is not None and answer.post_id == accepted_id
    return (-answer.score, 0 if is_accepted else 1, answer.post_id)


def outcome_of(doc: Document, label: tuple, step: str, answers: list[Document]) -> Outcome:
    """The post's fate by its label; `answers`: a thread's, best first."""
    if label[0] == THREAD:
        return thread_document(doc, answers)
    if label[0] == REMOVED:
        doc.metadata.update(label[2])
        return Removed(doc, step, label[1])
    return ErrorRecord(step, label[1], label[2], {"id": doc.id})


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
