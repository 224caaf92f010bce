"""pipelines/stackexchange.yaml, every step of it, on the bundled sample (samples/stackexchange)."""

from __future__ import annotations

import pytest
from conftest import REPO
from helpers import run_shipped_pipeline

SAMPLE = REPO / "samples" / "stackexchange"
MAIN = "unix.stackexchange.com"
# question 1 of the sample: a code block with < > & and entities, a list, a link and a quote,
# then its answers by score (15, then the accepted one of the two 7s, the other 7, -2)
TRICKY_THREAD = """\
Q: How do I grep for lines with "<failed>" & an ampersand?
I keep a log where each line looks like <id> & <status> and I'd like to print only the lines \
whose status is failed. This is what I tried:

#!/bin/sh
while read -r line; do
    if [ "$line" != "${line#*&}" ] && echo "$line" | grep -q '<failed>'; then
        printf '%s\\n' "$line" >> failed.log
    fi
done < input.log

It prints nothing. The file comes from a Windows machine — could that matter? Things I've checked:

- the file is readable (ls -l shows -rw-r--r--)
- the pattern works with an online tester

> grep: input.log: binary file matches

A: Your lines end in \\r\\n, so <failed> is followed by a carriage return. Strip it first:

tr -d '\\r' < input.log | grep -F '<failed>' > failed.log

A: Use awk; it does both tests in one pass:

awk -F ' & ' '{ sub(/\\r$/, "") }
    $2 == "<failed>"' input.log

1. The field separator is " & ".
2. The second field is compared after the carriage return is gone.

A: Run file input.log first: it says "with CRLF line terminators" when that's the cause.

A: Reinstall grep."""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("stackexchange")
    done = run_shipped_pipeline("stackexchange", out, f"input.paths=[{SAMPLE}/*/Posts.xml]")
    return done.summary, done.steps, done.docs, done.removed, done.errors


def test_every_post_is_accounted_for(run):
    summary, _, docs, removed, errors = run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"]
    assert totals["in"] == 119 == totals["kept"] + totals["removed"] + totals["errors"]
    assert (totals["kept"], totals["removed"], totals["errors"]) == (len(docs), len(removed), 1)


def test_each_step_removes_for_its_own_reasons(run):
    _, steps, _, removed, errors = run
    assert steps["read"]["removed"] == {"post_type_4": 2, "post_type_5": 1}
    assert steps["stackexchange_sites"]["removed"] == {"site_unix.meta.stackexchange.com": 3}
    assert steps["stackexchange_threads"]["removed"] == {"merged_into_thread": 79,
                                                         "orphan_answer": 1}  # fmt: skip
    assert removed[f"{MAIN}/7"]["removed"]["reason"] == "orphan_answer"
    assert removed[f"{MAIN}/3"]["metadata"]["thread_id"] == f"{MAIN}/1"
    (error,) = errors
    assert (error["kind"], error["line"]) == ("bad_record", 64)


def test_the_tricky_thread_reads_exactly(run):
    _, _, docs, _, _ = run
    thread = docs[f"{MAIN}/1"]
    assert thread["text"] == TRICKY_THREAD
    metadata = thread["metadata"]
    assert metadata["url"] == "https://unix.stackexchange.com/questions/1"
    assert metadata["tags"] == ["grep", "shell-script", "line-endings"]
    assert (metadata["score"], metadata["answer_ids"]) == (12, [4, 3, 2, 5])
    assert thread["created"] == "2017-06-02T09:15:00.000Z" and thread["source"] == "stackexchange"
    assert metadata["license_versions"] == ["CC-BY-SA-3.0", "CC-BY-SA-4.0"]
    assert "language_id_v1__en" in thread["attributes"]


def test_threads_of_every_question_the_unanswered_one_included(run):
    summary, _, docs, _, _ = run
    assert len(docs) == 32 and all(doc["text"].startswith("Q: ") for doc in docs.values())
    assert docs[f"{MAIN}/6"]["text"] == (
        "Q: List only hidden directories\n"
        "Is there a way to list only hidden directories, not hidden files?"
    )
    counters = summary.report["counters"]
    assert counters[f"stackexchange_threads/threads_by_site/{MAIN}"] == 32
    assert any(h["name"] == "stackexchange_answers" for h in summary.report["histograms"])
