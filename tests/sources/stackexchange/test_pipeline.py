"""pipelines/stackexchange.yaml, every step of it, on the bundled sample (samples/stackexchange)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from helpers import run_shipped_pipeline, without_added

from dolmakit.engine.segments import ApplyPassFn

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


def split_sample(folder: Path, pieces: int) -> str:
    """The sample's main site split line by line into `pieces` Posts.xml files (as `split -l`
    would, but dealt round robin, so that every thread spans them), as a glob of their paths."""
    lines = (SAMPLE / MAIN / "Posts.xml").read_text(encoding="utf-8").splitlines(keepends=True)
    for piece in range(pieces):
        path = folder / f"part-{piece}" / MAIN / "Posts.xml"
        path.parent.mkdir(parents=True)
        path.write_text("".join(lines[piece::pieces]), encoding="utf-8")
    return f"input.paths=[{folder}/part-*/{MAIN}/Posts.xml]"


def test_a_resumed_run_builds_threads_from_the_files_done_before(tmp_path, monkeypatch):
    """The threads pass stops at its last file (the others done); the run again takes their
    outputs as they are, reads the answers the last file's threads want from the staged files
    of the pass before, and publishes what an uninterrupted run does."""
    inputs = split_sample(tmp_path / "in", 3)
    fresh = run_shipped_pipeline("stackexchange", tmp_path / "fresh", inputs, "run.workers=1")
    apply_file = ApplyPassFn.process

    def stops_at_the_last_file(self, joined):
        if self.index == 1 and joined[0] == 2:
            raise RuntimeError("stopped")
        return apply_file(self, joined)

    monkeypatch.setattr(ApplyPassFn, "process", stops_at_the_last_file)
    with pytest.raises(Exception, match="stopped"):
        run_shipped_pipeline("stackexchange", tmp_path / "out", inputs, "run.workers=1")
    (staging,) = (tmp_path / "out").glob("_incomplete-*")
    assert sorted(path.name for path in (staging / "_done" / "1").glob("*.json")) == [
        "part-00000.json", "part-00001.json"
    ]  # fmt: skip
    monkeypatch.setattr(ApplyPassFn, "process", apply_file)
    again = run_shipped_pipeline("stackexchange", tmp_path / "out", inputs, "run.workers=1")
    assert again.summary.ok and not staging.exists()
    for name in ("docs", "removed"):  # the same rows, but for the time of the run
        rows = (list(getattr(done, name).values()) for done in (again, fresh))
        assert without_added(next(rows)) == without_added(next(rows)), name
    assert again.summary.report["totals"] == fresh.summary.report["totals"]
