"""dolmakit run on the shipped sample, end to end on the local runner."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from conftest import REPO, SAMPLE_WARC
from helpers import read_jsonl_dir, without_added

from dolmakit.engine.run import run_pipeline

PIPELINE = str(REPO / "tests" / "data" / "backbone.yaml")


def run(tmp: Path, *overrides: str):
    settings = [f"input.paths=[{SAMPLE_WARC}]", f"output.path={tmp}", *overrides]
    return run_pipeline(PIPELINE, settings, [])


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    summary = run(out)
    docs = {doc["metadata"]["url"]: doc for doc in read_jsonl_dir(out / "documents")}
    removed = {doc["metadata"]["url"]: doc["removed"] for doc in read_jsonl_dir(out / "removed")}
    return out, summary, docs, removed


def test_every_record_is_accounted_for(sample_run):
    _, summary, docs, removed = sample_run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"]
    assert totals["in"] == 35  # the sample's response records
    assert (totals["kept"], totals["removed"]) == (len(docs), len(removed))
    assert totals["in"] == len(docs) + len(removed) + totals["errors"]


def test_removal_reasons(sample_run):
    removed = sample_run[3]
    reasons = {
        url.split("/")[2] + "/" + url.split("/")[-1]: r["reason"] for url, r in removed.items()
    }
    assert (
        reasons["www.millbrook-history.example/annual-report-2023.pdf"]
        == "non_html:application/pdf"
    )
    assert reasons["static.greenfinch-gardens.example/logo-16.png"] == "non_html:image/png"
    assert reasons["www.backyard-skies.test/perseids-meetup"] == "http_status_404"
    assert reasons["backyard-skies.test/jupiter-moons"] == "http_status_301"
    assert reasons["www.valley-news.test/ticker-fragment"] == "empty_body"
    assert reasons["www.spokes-and-gravel.example/export?id=4471&format=html"].startswith(
        "binary_body"
    )
    assert reasons["www.cityguide-portal.example/useful-links"] == "too_few_words"
    assert all(r["step"] in ("read", "length_filter") for r in removed.values())


def test_charsets_are_decoded_and_recorded(sample_run):
    docs = sample_run[2]
    russian = docs["https://www.babushkiny-recepty.example/vypechka/pirogi-s-kapustoy.html"]
    assert (russian["metadata"]["charset"], russian["metadata"]["charset_source"]) == (
        "cp1251", "http_header")  # fmt: skip
    assert "капуст" in russian["text"].lower()
    japanese = docs["https://www.kisetsu-dayori.example/haru/sakura-kotsu.html"]
    assert japanese["metadata"]["charset_source"] == "html_meta" and "桜" in japanese["text"]
    lying = docs["https://www.alpine-cafe-guide.example/vienna/cafe-groessl"]
    assert lying["metadata"]["charset_rejected"] == ["utf-8"]
    assert "\ufffd" not in lying["text"] and "€" in lying["text"]


def test_documents_are_dolma_shaped(sample_run):
    docs = sample_run[2]
    for doc in docs.values():
        assert set(doc) == {"id", "text", "source", "added", "created", "metadata", "attributes"}
        assert doc["source"] == "common-crawl" and doc["text"].strip()
        assert len(doc["id"]) == 36 and doc["metadata"]["warc_record_id"].endswith(doc["id"] + ">")
        assert doc["attributes"]["text_stats_v1__words"][0][2] >= 50
    contact = docs["https://www.riverside-bakery.example/contact"]
    assert "wholesale@northwind-flour.example" in contact["text"]  # main content drops the <ul>
    assert len({doc["id"] for doc in docs.values()}) == len(docs)


def test_report_and_resolved_config(sample_run):
    out, summary, _, _ = sample_run
    report = json.loads((out / "report.json").read_text())
    assert [step["name"] for step in report["steps"]] == ["read", "text_stats_v1", "length_filter"]
    assert report["steps"][2]["removed"]["too_few_words"] >= 3
    histogram = report["histograms"][0]
    assert sum(histogram["series"]["before steps"]) == report["steps"][0]["kept"]
    assert sum(histogram["series"]["after steps"]) == report["totals"]["kept"]
    html = (out / "report.html").read_text()
    assert "length_filter" in html and "<svg" in html
    config = yaml.safe_load((out / "config.yaml").read_text())
    assert config["steps"][0]["config"] == {"short_line_chars": 30}  # defaults written out
    assert config["read"]["options"]["html"]["main_content"] is True
    assert "documents:" in summary.text and "report.json" in summary.text


def test_one_and_two_workers_write_the_same_documents(sample_run, tmp_path):
    two = run(tmp_path / "two", "run.workers=2")
    one_out = sample_run[0]
    assert two.report["totals"] == sample_run[1].report["totals"]
    assert without_added(read_jsonl_dir(tmp_path / "two" / "documents")) == without_added(
        read_jsonl_dir(one_out / "documents")
    )
    assert "1 worker" in sample_run[1].report["runner"] and "2 workers" in two.report["runner"]


def test_parquet_output_holds_the_same_documents(sample_run, tmp_path):
    run(tmp_path, "output.format=parquet")
    table = pq.read_table(tmp_path / "documents")
    rows = table.to_pylist()
    by_id = {doc["id"]: doc for doc in sample_run[2].values()}
    assert sorted(row["id"] for row in rows) == sorted(by_id)
    row = rows[0]
    assert row["text"] == by_id[row["id"]]["text"]
    assert json.loads(row["metadata"]) == by_id[row["id"]]["metadata"]
    assert dict(row["attributes"]).keys() == by_id[row["id"]]["attributes"].keys()


def test_dolma_jsonl_output_reads_back_as_input(sample_run, tmp_path):
    first = sample_run[0]
    again = run_pipeline(
        PIPELINE, [f"input.paths=[{first}/documents/*.jsonl.gz]", f"output.path={tmp_path}"], []
    )
    assert again.report["totals"]["in"] == again.report["totals"]["kept"] == len(sample_run[2])
    assert without_added(read_jsonl_dir(tmp_path / "documents")) == without_added(
        read_jsonl_dir(first / "documents")
    )


def test_a_rerun_replaces_exactly_the_previous_runs_files(tmp_path):
    """Two input files, then one: the documents file the first run wrote and the second did
    not is gone; a file of the user's beside them stays."""
    lines = ['{"id": "a", "text": "one document here"}']
    pipeline = jsonl_pipeline(tmp_path, lines)
    (tmp_path / "in-2.jsonl").write_text('{"id": "b", "text": "another document"}\n')
    both = f"input.paths=[{tmp_path / 'in.jsonl'}, {tmp_path / 'in-2.jsonl'}]"
    assert run_pipeline(str(pipeline), [both], []).ok
    out = tmp_path / "out"
    assert names_under(out / "documents") == ["part-00000.jsonl.gz", "part-00001.jsonl.gz"]
    (out / "notes.txt").write_text("mine")
    assert run_pipeline(str(pipeline), [], []).ok
    assert names_under(out / "documents") == ["part-00000.jsonl.gz"]
    assert (out / "notes.txt").read_text() == "mine"
    ledger = json.loads((out / "_dolmakit.json").read_text())
    assert ledger["jobs"]["run"]["files"] == [
        "config.yaml", "documents/part-00000.jsonl.gz", "report.html", "report.json"
    ]  # fmt: skip


USER_FILES = {
    "documents/my.jsonl": '{"id": "mine", "text": "my own document"}\n',
    "attributes/mine/a.jsonl": "{}\n",
    "errors/notes.txt": "my notes",
    "removed/README.txt": "my readme",
    "_incomplete-mine/keep.txt": "keep",
    "config.yaml": "my: config\n",
    "other.txt": "unrelated",
}


def test_a_run_into_a_folder_of_the_users_files_stops_and_deletes_nothing(tmp_path):
    """The user's folder U with files under the names a run writes: exit 2, every file as it
    was, no staging folder."""
    for relative, text in USER_FILES.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "dolmakit", "run", PIPELINE, "--output", str(tmp_path),
         "--set", f"input.paths=[{SAMPLE_WARC}]"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2
    listed = [f"  {tmp_path}/{name}" for name in sorted(USER_FILES)
              if name not in ("other.txt", "attributes/mine/a.jsonl")]  # fmt: skip
    assert done.stderr.strip().endswith("another output path:\n" + "\n".join(listed))
    assert {str(p.relative_to(tmp_path)): p.read_text() for p in tmp_path.rglob("*")
            if p.is_file()} == USER_FILES  # fmt: skip


def test_a_second_run_into_the_same_output_while_one_runs_exits_2(tmp_path):
    """Another process holding the output folder (as a running `dolmakit run` does): the second
    command stops before launch and writes nothing."""
    hold = (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold, str(tmp_path)], stdout=subprocess.PIPE,
                              text=True)  # fmt: skip
    try:
        assert holder.stdout.readline() == "held\n"
        done = subprocess.run(
            [sys.executable, "-m", "dolmakit", "run", PIPELINE, "--output", str(tmp_path),
             "--set", f"input.paths=[{SAMPLE_WARC}]"],
            capture_output=True, text=True,
        )  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2
    assert (
        f"another dolmakit job (a run, tag or mix) is writing into {tmp_path}/ now" in done.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_cleaning_a_dataset_in_place_gives_what_writing_elsewhere_gives(sample_run, tmp_path):
    """A dataset dolmakit wrote, read from its own documents/ and written back to itself."""
    dataset = tmp_path / "dataset"
    shutil.copytree(sample_run[0], dataset)
    again = [f"input.paths=[{dataset}/documents/*.jsonl.gz]", "steps.length_filter."
             "config.remove_if={too_few_words: 'text_stats_v1__words < 300'}"]  # fmt: skip
    elsewhere = run_pipeline(PIPELINE, [*again, f"output.path={tmp_path / 'elsewhere'}"], [])
    in_place = run_pipeline(PIPELINE, [*again, f"output.path={dataset}"], [])
    assert in_place.ok and in_place.report["totals"] == elsewhere.report["totals"]
    assert 0 < in_place.report["totals"]["kept"] < len(sample_run[2])
    assert without_added(read_jsonl_dir(dataset / "documents")) == without_added(
        read_jsonl_dir(tmp_path / "elsewhere" / "documents")
    )
    assert without_added(read_jsonl_dir(dataset / "removed")) == without_added(
        read_jsonl_dir(tmp_path / "elsewhere" / "removed")
    )


def test_a_failed_rerun_leaves_the_published_outputs_intact(tmp_path):
    lines = ['{"id": "a", "text": "one document"}', "not json"]
    pipeline = jsonl_pipeline(tmp_path, lines, max_error_fraction=0.5)
    assert run_pipeline(str(pipeline), [], []).ok
    out = tmp_path / "out"
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    failed = run_pipeline(str(pipeline), ["run.max_error_fraction=0.1"], [])
    assert not failed.ok
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()
             and not str(p.relative_to(out)).startswith("_incomplete-")}  # fmt: skip
    assert after == before


def test_every_shared_capture_through_the_pipeline(shared_warc_dir, tmp_path):
    """Real WARC/WET traps (WARC/0.18, EUC-JP, a clipped record, chunked bodies) end to end."""
    inputs = sorted(str(p) for p in shared_warc_dir.glob("*.gz") if ".wat." not in p.name)
    summary = run_pipeline(
        PIPELINE,
        [f"input.paths=[{', '.join(inputs)}]", f"output.path={tmp_path}", "run.workers=2"],
        [],
    )
    totals = summary.report["totals"]
    assert totals["invariant_holds"] and totals["in"] == 86 + 1  # 86 WARC responses, 1 WET page
    errors = read_jsonl_dir(tmp_path / "errors")
    assert [(e["kind"], Path(e["file"]).name) for e in errors] == [
        ("truncated_record", "resiliparse_clipped.warc.gz")
    ]
    assert totals["errors"] == 1 and summary.ok  # 1/87 is within max_error_fraction 0.05


def test_zstd_output_reads_back(sample_run, tmp_path):
    run(tmp_path, "output.compression=zstd")
    files = sorted((tmp_path / "documents").glob("*.jsonl.zst"))
    assert files and not list((tmp_path / "documents").glob("*.gz"))
    again = run_pipeline(
        PIPELINE, [f"input.paths=[{tmp_path}/documents/*.jsonl.zst]",
                   f"output.path={tmp_path}/again"], []
    )  # fmt: skip
    assert again.report["totals"]["in"] == len(sample_run[2])


def test_a_lone_surrogate_line_neither_crashes_nor_is_lost(tmp_path):
    """The line that once stopped a whole run in `Write removed/To JSON`."""
    (tmp_path / "in.jsonl").write_text(
        '{"id":"surrogate","text":"lone \\ud800 surrogate word here"}\n'
        '{"id":"short","text":"lone \\udc00"}\n'
    )
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(yaml.safe_dump({
        "name": "surrogates",
        "input": {"paths": [str(tmp_path / "in.jsonl")]},
        "output": {"path": str(tmp_path / "out")},
        "run": {"workers": 1},
        "steps": [
            {"type": "text_stats_v1"},
            {"type": "filter", "name": "short",
             "config": {"remove_if": {"too_short": "text_stats_v1__words < 5"}}},
        ],
    }))  # fmt: skip
    summary = run_pipeline(str(pipeline), [], [])
    assert summary.ok
    kept = read_jsonl_dir(tmp_path / "out" / "documents")
    removed = read_jsonl_dir(tmp_path / "out" / "removed")
    assert [(d["id"], d["text"]) for d in kept] == [
        ("surrogate", "lone \ufffd surrogate word here")
    ]
    assert [(r["id"], r["text"], r["removed"]) for r in removed] == [
        ("short", "lone \ufffd", {"step": "short", "reason": "too_short"})
    ]
    counters = summary.report["counters"]
    assert counters["read/lone_surrogates_replaced"] == 2


def names_under(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


def jsonl_pipeline(tmp_path: Path, lines: list[str], **run_settings) -> Path:
    (tmp_path / "in.jsonl").write_text("".join(line + "\n" for line in lines))
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(yaml.safe_dump({
        "name": "staging",
        "input": {"paths": [str(tmp_path / "in.jsonl")]},
        "output": {"path": str(tmp_path / "out")},
        "run": {"workers": 1, **run_settings},
        "steps": [{"type": "text_stats_v1"}],
    }))  # fmt: skip
    return pipeline


def test_a_run_that_fails_publishes_nothing_under_the_final_names(tmp_path):
    lines = ['{"id": "a", "text": "one document"}', "not json"]
    summary = run_pipeline(str(jsonl_pipeline(tmp_path, lines, max_error_fraction=0.1)), [], [])
    assert not summary.ok
    (staging,) = (tmp_path / "out").iterdir()
    assert staging.name.startswith("_incomplete-")
    # removed/ is made at the first removed document (none here); _tmp holds files being
    # written, _done the completion records a resumed run would go by
    assert names_under(staging) == [
        "_dolmakit_staging.json", "_done", "_tmp", "config.yaml", "documents", "errors",
        "report.html", "report.json",
    ]  # fmt: skip
    assert summary.text.endswith(
        "FAILED: error fraction 0.5000 is above run.max_error_fraction 0.1\n"
        f"NOT PUBLISHED: nothing under {tmp_path / 'out'}/ changed; this run's files: {staging}/"
    )
    assert len(read_jsonl_dir(staging / "errors")) == 1


def test_a_published_run_replaces_what_a_failed_one_left(tmp_path):
    lines = ['{"id": "a", "text": "one document"}', "not json"]
    pipeline = jsonl_pipeline(tmp_path, lines, max_error_fraction=0.1)
    assert not run_pipeline(str(pipeline), [], []).ok
    assert run_pipeline(str(pipeline), ["run.max_error_fraction=0.5"], []).ok
    assert names_under(tmp_path / "out") == [
        "_dolmakit.json", "config.yaml", "documents", "errors", "report.html", "report.json",
    ]  # fmt: skip


def test_a_killed_run_leaves_nothing_that_looks_finished(tmp_path):
    """SIGKILL while the pipeline runs: no documents/ and no report.json under the final names,
    only the staging folder (which the next run removes)."""
    lines = [json.dumps({"id": str(i), "text": f"document number {i} " * 50}) for i in range(20000)]
    pipeline = jsonl_pipeline(tmp_path, lines)
    launched = subprocess.Popen(
        [sys.executable, "-m", "dolmakit", "run", str(pipeline)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    out = tmp_path / "out"
    deadline = time.monotonic() + 120
    while not list(out.glob("_incomplete-*/config.yaml")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(launched.pid, signal.SIGKILL)
    launched.wait()
    assert [name for name in names_under(out) if not name.startswith("_incomplete-")] == []
    assert run_pipeline(str(pipeline), [], []).ok
    assert not [name for name in names_under(out) if name.startswith("_incomplete-")]


def resumable_pipeline(tmp_path: Path) -> Path:
    """12 input files of 3,000 documents (every tenth a copy of another), text_stats_v1, then
    exact_dedup: two passes over the files."""
    folder = tmp_path / "in"
    folder.mkdir()
    for part in range(12):
        rows = [{"id": f"{part}-{i}", "text": f"words of document {part}-{i % 2700} " * 40}
                for i in range(3000)]  # fmt: skip
        (folder / f"part-{part:02d}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(yaml.safe_dump({
        "name": "resume", "input": {"paths": [str(folder / "*.jsonl")]},
        "output": {"path": str(tmp_path / "out")},
        "steps": [{"type": "text_stats_v1"}, {"type": "exact_dedup"}],
    }))  # fmt: skip
    return pipeline


def outputs_without_added(out: Path) -> dict[str, list[dict]]:
    return {name: without_added(read_jsonl_dir(out / name)) for name in ("documents", "removed")}


def test_a_killed_run_resumes_where_it_stopped_and_publishes_the_same(tmp_path):
    """SIGKILL to the whole process group once 7 of 12 files are done in the first pass; the
    same command again reads only the others and publishes what an uninterrupted run does."""
    pipeline = resumable_pipeline(tmp_path)
    command = [sys.executable, "-m", "dolmakit", "run", str(pipeline)]
    launched = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
    out, deadline = tmp_path / "out", time.monotonic() + 300
    while len(list(out.glob("_incomplete-*/_done/0/*.json"))) < 7 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(launched.pid, signal.SIGKILL)
    launched.wait()
    assert not (out / "report.json").exists()
    done_before = len(list(out.glob("_incomplete-*/_done/0/*.json")))
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "resuming the unfinished run in" in again.stderr
    assert again.stderr.count("done before this run") >= done_before >= 7
    assert again.stderr.count("records in") == 12 - done_before  # the others were read again
    fresh = run_pipeline(str(pipeline), [f"output.path={tmp_path / 'fresh'}"], [])
    report = json.loads((out / "report.json").read_text())
    assert report["totals"] == fresh.report["totals"]
    assert report["totals"]["removed"] == 12 * 300  # the copies, as exact duplicates
    assert outputs_without_added(out) == outputs_without_added(tmp_path / "fresh")


def test_fresh_starts_over_and_a_changed_config_does_too(tmp_path):
    """An unfinished staging folder whose completion record would spoil the counts if it were
    taken: --fresh passes it over, and so does a run of another config (another fingerprint);
    both publish correct counts and remove it."""
    from dolmakit.engine.config import load_pipeline
    from dolmakit.engine.run import RunJob

    lines = [json.dumps({"id": str(i), "text": f"document number {i}"}) for i in range(10)]
    pipeline = jsonl_pipeline(tmp_path, lines)
    staging = tmp_path / "out" / "_incomplete-20260101T000000-0000abcd"
    for name, overrides in (("fresh", []), ("changed", ["run.max_error_fraction=0.5"])):
        fingerprint = RunJob(load_pipeline(str(pipeline), []), str(pipeline), []).fingerprint()
        (staging / "_done" / "0").mkdir(parents=True)
        (staging / "_dolmakit_staging.json").write_text(json.dumps(
            {"command": "run", "fingerprint": fingerprint, "added": "x"}))  # fmt: skip
        (staging / "_done" / "0" / "part-00000.json").write_text(json.dumps(
            {"counters": {"step/read/in": 999}, "keys": False, "main": [0, []]}))  # fmt: skip
        result = run_pipeline(str(pipeline), overrides, [], fresh=name == "fresh")
        assert result.ok and result.report["totals"]["in"] == 10, name
        assert not staging.exists()


def test_the_counts_come_from_the_completion_records_not_the_runners_metrics(
    tmp_path, monkeypatch, sample_run
):
    # Prism 2.77 once lost the metrics of whole bundles (removed 3,201 of 5,318 on 5,414 real
    # pages): the documents were all written, the run failed to add up. A runner that loses
    # (or double counts) metrics must not change the report.
    import dolmakit.engine.run as run_module

    real = run_module.counters_of

    def lossy(result):
        return {name: n // 2 for name, n in real(result).items()}

    monkeypatch.setattr(run_module, "counters_of", lossy)
    summary = run(tmp_path / "lossy")
    assert summary.ok
    assert summary.report["totals"] == sample_run[1].report["totals"]
    assert summary.report["steps"] == sample_run[1].report["steps"]
