"""Threading posts: ordering, options, accounting, and the Beam transform."""

from __future__ import annotations

import pickle

from dedup.dedup_helpers import run_engine

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.nodes import node_key
from dolmakit.sources.stackexchange.threads import (
    PostFacts,
    PostKeys,
    StackExchangeThreads,
    ThreadsConfig,
    _BuildThreadFn,
    decide_thread,
    thread_key,
)

SITE = "tex.stackexchange.com"


def question(post_id: int, text: str, accepted: int | None = None, **extra) -> Document:
    metadata = {"site": SITE, "post_id": post_id, "post_type": "question", "score": 4,
                "url": f"https://{SITE}/questions/{post_id}", "title": f"Title {post_id}",
                "tags": ["macros"], "license": "CC-BY-SA-4.0", **extra}  # fmt: skip
    if accepted is not None:
        metadata["accepted_answer_id"] = accepted
    return Document(f"{SITE}/{post_id}", text, "se", created="2020-01-01T00:00:00.000Z",
                    metadata=metadata)  # fmt: skip


def answer(post_id: int, parent: int, score: int, license: str = "CC-BY-SA-3.0") -> Document:
    metadata = {"site": SITE, "post_id": post_id, "post_type": "answer", "score": score,
                "parent_id": parent, "license": license}  # fmt: skip
    return Document(f"{SITE}/{post_id}", f"answer {post_id}", "se", metadata=metadata)


def build_thread(posts: list[Document], config: ThreadsConfig, step: str) -> list:
    """Every post of one group once, through the step's own rules and apply: the group's posts
    stand at lines 0, 1, ... of one file, from which the apply fetches a thread's answers."""
    addresses = [(0, place) for place in range(len(posts))]
    fetched = dict(zip(addresses, posts, strict=True))
    threads = StackExchangeThreads(step, config)
    verdicts = decide_thread([PostFacts.of(doc) for doc in posts], config)
    return [threads.apply_with(doc, [verdict.label(addresses)], fetched)
            for doc, verdict in zip(posts, verdicts, strict=True)]  # fmt: skip


def outcomes(posts: list[Document], **config) -> tuple[list[Document], dict[str, str]]:
    items = list(build_thread(posts, ThreadsConfig(**config), "threads"))
    assert len(items) == len(posts)  # every post leaves the step once
    kept = [item for item in items if isinstance(item, Document)]
    reasons = {
        item.doc.id.split("/")[1]: item.reason for item in items if isinstance(item, Removed)
    }
    return kept, reasons


def test_answers_by_score_then_accepted_then_id():
    posts = [answer(5, 1, 2), answer(3, 1, 7), question(1, "Body?", accepted=4), answer(4, 1, 7),
             answer(2, 1, 7), answer(6, 1, -1)]  # fmt: skip
    (thread,), reasons = outcomes(posts)
    assert thread.metadata["answer_ids"] == [4, 2, 3, 5, 6]  # 4 accepted among the 7s
    assert thread.text == (
        "Q: Title 1\nBody?\n\nA: answer 4\n\nA: answer 2\n\nA: answer 3\n\nA: answer 5"
        "\n\nA: answer 6"
    )
    assert set(reasons.values()) == {"merged_into_thread"}
    assert posts[0].metadata["thread_id"] == f"{SITE}/1"


def test_the_order_does_not_depend_on_the_input_order():
    posts = [question(1, "q"), *(answer(i, 1, i % 3) for i in range(2, 12))]
    forward, _ = outcomes(posts)
    backward, _ = outcomes(posts[::-1])
    assert forward[0].text == backward[0].text


def test_thread_document_metadata():
    (thread,), _ = outcomes([question(1, "q", accepted=2, input_shard=3), answer(2, 1, 1)])
    assert thread.id == f"{SITE}/1" and thread.created == "2020-01-01T00:00:00.000Z"
    assert thread.metadata == {
        "site": SITE,
        "question_id": 1,
        "url": f"https://{SITE}/questions/1",
        "title": "Title 1",
        "tags": ["macros"],
        "score": 4,
        "answer_ids": [2],
        "accepted_answer_id": 2,
        "license": "CC-BY-SA",
        "license_versions": ["CC-BY-SA-3.0", "CC-BY-SA-4.0"],
        "input_shard": 3,
    }


def test_max_answers_and_min_score_remove_with_their_reasons():
    posts = [question(1, "q"), answer(2, 1, 9), answer(3, 1, 5), answer(4, 1, 4), answer(5, 1, -2)]
    (thread,), reasons = outcomes(posts, max_answers=2, min_answer_score=0)
    assert thread.metadata["answer_ids"] == [2, 3]
    assert reasons == {"2": "merged_into_thread", "3": "merged_into_thread",
                       "4": "answer_beyond_max", "5": "answer_below_min_score"}  # fmt: skip


def test_unanswered_questions_are_kept_or_removed():
    (thread,), _ = outcomes([question(1, "")])
    assert thread.text == "Q: Title 1" and thread.metadata["answer_ids"] == []
    kept, reasons = outcomes([question(1, "q"), answer(2, 1, -5)], keep_unanswered=False,
                             min_answer_score=0)  # fmt: skip
    assert kept == [] and reasons == {"1": "unanswered", "2": "answer_below_min_score"}


def test_orphans_duplicates_other_types_and_non_posts():
    wiki = answer(8, 1, 0)
    wiki.metadata["post_type"] = "5"
    stray = Document("jsonl/1", "not a post", "web")
    items = list(build_thread([answer(2, 1, 1), answer(2, 1, 1), wiki, stray],
                              ThreadsConfig(), "threads"))  # fmt: skip
    reasons = [item.reason if isinstance(item, Removed) else item.kind for item in items]
    assert sorted(reasons) == ["duplicate_post", "not_a_post", "orphan_answer", "post_type_5"]
    assert isinstance(items[reasons.index("not_a_post")], ErrorRecord)


def test_answers_are_keyed_by_their_question():
    assert thread_key(question(1, "q")) == thread_key(answer(9, 1, 0)) == f"{SITE}/1"
    assert thread_key(Document("x/1", "t", "s")) == "x/1"


def test_the_step_groups_posts_across_files(tmp_path):
    """Posts spread over two input files (the thread of question 1 over both) through the
    engine's passes: the thread text travels to the question's file."""
    stray = Document("jsonl/1", "no post", "web")
    posts = [answer(2, 1, 1), question(10, "other"), question(1, "q"), answer(3, 1, 6),
             answer(11, 10, 0), answer(21, 20, 0), stray]  # fmt: skip
    for index, post in enumerate(posts):
        post.metadata["input_shard"] = index % 2
    step = StackExchangeThreads("threads", ThreadsConfig())
    kept, removed, errors = run_engine([step], posts, tmp_path)
    assert sorted((d["id"], d["metadata"]["answer_ids"]) for d in kept) == [
        (f"{SITE}/1", [3, 2]), (f"{SITE}/10", [11])
    ]  # fmt: skip
    merged, orphan = "merged_into_thread", "orphan_answer"
    expected = [(f"{SITE}/{i}", merged) for i in (2, 3, 11)] + [(f"{SITE}/21", orphan)]
    assert sorted((r["id"], r["removed"]["reason"]) for r in removed) == sorted(expected)
    assert [(e["id"], e["kind"]) for e in errors] == [("jsonl/1", "not_a_post")]
    thread = next(d for d in kept if d["id"] == f"{SITE}/1")
    assert thread["text"].startswith("Q: ")


def test_a_question_naming_a_parent_is_removed_not_lost():
    kept, reasons = outcomes([question(1, "q1"), question(2, "q2", parent_id=1), answer(3, 1, 1)])
    assert [doc.id for doc in kept] == [f"{SITE}/1"]
    assert reasons == {"2": "question_with_parent", "3": "merged_into_thread"}


def test_the_keys_of_a_post_hold_none_of_its_text():
    post = question(1, "A body that no key may hold", accepted=2)
    node = node_key(post, 3, 7)
    keys = list(PostKeys().add(post, node))
    assert keys == [(f"{SITE}/1", (node, (f"{SITE}/1", True, SITE, "question", 1, 4, 2)))]
    encoded = pickle.dumps(keys)
    assert b"A body that no key may hold" not in encoded and b"Title 1" not in encoded


def test_labels_name_the_answers_by_address_and_hold_no_text():
    """Question 1 at (file 0, line 5), its answers at (1, 2) (score 1) and (0, 1) (score 6)."""
    posts = [(question(1, "q"), (0, 5)), (answer(2, 1, 1), (1, 2)), (answer(3, 1, 6), (0, 1))]
    keys = [key for post, place in posts for key in PostKeys().add(post, node_key(post, *place))]
    build = _BuildThreadFn("threads", ThreadsConfig())
    build.setup()
    labels = list(build.process((f"{SITE}/1", [value for _, value in keys])))
    question_node, answer_2, answer_3 = (value[0] for _, value in keys)
    merged = ("removed", "merged_into_thread", {"thread_id": f"{SITE}/1"})
    assert labels == [(question_node, ("thread", [(0, 1), (1, 2)])), (answer_2, merged),
                      (answer_3, merged)]  # fmt: skip
    encoded = pickle.dumps(labels)
    assert b"answer 2" not in encoded and b"answer 3" not in encoded


def test_a_thread_over_two_files_is_the_thread_in_one(tmp_path):
    """Question 1's answers before and after it in its file and in the other file."""
    posts = [answer(2, 1, 1), question(1, "q", accepted=4), answer(3, 1, 6), answer(4, 1, 6),
             question(10, "other"), answer(11, 10, 0), answer(21, 20, 0)]  # fmt: skip
    runs = {}
    for name, shards in (("one", [0] * 7), ("two", [1, 0, 1, 0, 0, 1, 1])):
        for post, shard in zip(posts, shards, strict=True):
            post.metadata["input_shard"] = shard
        (tmp_path / name).mkdir()
        step = StackExchangeThreads("threads", ThreadsConfig())
        kept, removed, errors = run_engine([step], posts, tmp_path / name)
        runs[name] = (
            sorted(({k: v for k, v in row.items() if k != "added"} for row in kept),
                   key=lambda row: row["id"]),
            sorted((r["id"], r["text"], r["removed"]["reason"], r["metadata"].get("thread_id"))
                   for r in removed),
            errors,
        )  # fmt: skip
    assert runs["two"] == runs["one"]
    kept, removed, _ = runs["two"]
    assert [row["text"] for row in kept] == [
        "Q: Title 1\nq\n\nA: answer 4\n\nA: answer 3\n\nA: answer 2",
        "Q: Title 10\nother\n\nA: answer 11",
    ]
    thread_of = {post_id: thread for post_id, _, _, thread in removed}
    assert thread_of == {f"{SITE}/{i}": f"{SITE}/1" for i in (2, 3, 4)} | {
        f"{SITE}/11": f"{SITE}/10", f"{SITE}/21": None
    }  # fmt: skip
