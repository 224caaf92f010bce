"""The one job lifecycle and the ownership rule, on a small job that writes files by hand (so
every path is exact), locally and through an object-store-like Beam filesystem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import SCHEME

from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.engine.lifecycle import Job, records_add_up, run_job
from dolmakit.engine.ownership import (
    LEDGER,
    STAGING_MARK,
    Ledger,
    files_under,
    foreign_files,
)


class WriteFiles(Job):
    """Writes `files` (relative path -> text) under the staging folder; `reasons` fail it."""

    command = key = "run"

    def __init__(self, root: str, files: dict[str, str], reasons: list[str] = (),
                 names: tuple[str, ...] = ("documents", "attributes/stats", "errors",
                                           "config.yaml")):  # fmt: skip
        self.root, self.files, self.reasons, self.names = root, files, list(reasons), names
        self.source = "job.yaml"

    def outputs(self) -> list[str]:
        return list(self.names)

    def execute(self, staging: str) -> dict:
        for relative, text in self.files.items():
            path = Path(staging.removeprefix(f"{SCHEME}://")) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return {"totals": {"in": len(self.files)}}

    def judge(self, report: dict, staging: str) -> list[str]:
        return self.reasons


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file()}  # fmt: skip


def put(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)


FIRST = {"documents/part-0.jsonl": "a", "documents/part-1.jsonl": "b", "errors/part-0": "e",
         "config.yaml": "c1"}  # fmt: skip


@pytest.fixture(params=["local", "object store"])
def root(request, tmp_path) -> tuple[Path, str]:
    """(the folder on disk, the root the job is given)."""
    prefix = "" if request.param == "local" else f"{SCHEME}://"
    return tmp_path, f"{prefix}{tmp_path}"


def ledger_files(folder: Path) -> dict[str, list[str]]:
    data = json.loads((folder / LEDGER).read_text())
    return {key: job["files"] for key, job in data["jobs"].items()}


def test_a_published_job_records_exactly_what_it_wrote(root):
    folder, given = root
    result = run_job(WriteFiles(given, FIRST))
    assert result.published and result.where == given
    written = tree(folder)
    assert set(written) == {*FIRST, "report.json", "report.html", LEDGER}
    assert ledger_files(folder) == {"run": sorted([*FIRST, "report.html", "report.json"])}


def test_a_rerun_replaces_only_what_dolmakit_wrote(root):
    folder, given = root
    run_job(WriteFiles(given, FIRST))
    put(folder, {"notes.txt": "mine", "attributes/mine/a.jsonl": "mine"})
    second = {"documents/part-0.jsonl": "A", "config.yaml": "c2"}  # one shard, no errors
    assert run_job(WriteFiles(given, second)).published
    assert {k: v for k, v in tree(folder).items() if not k.startswith("report.")} == {
        "documents/part-0.jsonl": "A", "config.yaml": "c2", "notes.txt": "mine",
        "attributes/mine/a.jsonl": "mine", LEDGER: (folder / LEDGER).read_text(),
    }  # fmt: skip


@pytest.mark.parametrize("foreign", [
    "documents/my.jsonl", "attributes/stats/mine.jsonl", "errors/notes.txt", "config.yaml",
    "report.json", "_incomplete-mine/keep.txt",
])  # fmt: skip
def test_a_foreign_file_where_the_job_writes_stops_it_before_launch(root, foreign):
    folder, given = root
    put(folder, {foreign: "mine"})
    with pytest.raises(ConfigError) as caught:
        run_job(WriteFiles(given, FIRST))
    assert str(caught.value).endswith(f"another output path:\n  {given}/{foreign}")
    assert str(caught.value).startswith("job.yaml: ")
    assert tree(folder) == {foreign: "mine"}  # nothing deleted, no staging folder made


def test_a_foreign_file_inside_an_owned_folder_stops_it_too(root):
    folder, given = root
    run_job(WriteFiles(given, FIRST))
    put(folder, {"documents/added-later.jsonl": "mine"})
    before = tree(folder)
    with pytest.raises(ConfigError, match="documents/added-later.jsonl"):
        run_job(WriteFiles(given, FIRST))
    assert tree(folder) == before


def test_an_empty_folder_of_the_users_inside_an_owned_one_stays_and_the_rerun_publishes(tmp_path):
    run_job(WriteFiles(str(tmp_path), FIRST))
    (tmp_path / "documents" / "mine" / "deeper").mkdir(parents=True)  # no file: not refused
    second = {"documents/part-0.jsonl": "A", "config.yaml": "c2"}
    assert run_job(WriteFiles(str(tmp_path), second)).published
    assert (tmp_path / "documents" / "mine" / "deeper").is_dir()
    assert {k: v for k, v in tree(tmp_path).items() if not k.startswith(("report.", "_"))} == {
        "documents/part-0.jsonl": "A", "config.yaml": "c2"}  # fmt: skip
    assert ledger_files(tmp_path)["run"] == sorted([*second, "report.html", "report.json"])


def test_report_json_is_written_after_report_html(tmp_path, monkeypatch):
    from dolmakit.report import build

    written, real = [], build.write_atomically

    def recording(path: str, text: str) -> None:
        written.append(Path(path).name)
        real(path, text)

    monkeypatch.setattr(build, "write_atomically", recording)
    run_job(WriteFiles(str(tmp_path), FIRST))
    assert [name for name in written if name.startswith("report.")] == ["report.html",
                                                                         "report.json"]  # fmt: skip


def test_a_job_that_does_not_add_up_leaves_the_previous_outputs_as_they_were(root):
    folder, given = root
    run_job(WriteFiles(given, FIRST))
    before = tree(folder)
    result = run_job(WriteFiles(given, {"documents/part-9.jsonl": "z"}, ["in 3 != kept 2"]))
    assert not result.published
    staging = result.where.removeprefix(f"{SCHEME}://")
    assert Path(staging).parent == folder and Path(staging).name.startswith("_incomplete-")
    assert {k: v for k, v in tree(folder).items() if not k.startswith("_incomplete-")} == before
    assert sorted(tree(Path(staging))) == [STAGING_MARK, "documents/part-9.jsonl", "report.html",
                                           "report.json"]  # fmt: skip
    assert result.status_lines(given) == [
        "FAILED: in 3 != kept 2",
        f"NOT PUBLISHED: nothing under {given}/ changed; this run's files: {result.where}/",
    ]


def test_the_next_published_job_removes_the_staging_folders_dolmakit_left(root):
    folder, given = root
    failed = run_job(WriteFiles(given, FIRST, ["no"]))
    assert run_job(WriteFiles(given, FIRST)).published
    left = Path(failed.where.removeprefix(f"{SCHEME}://"))
    assert not [p for p in left.rglob("*") if p.is_file()]  # an object store keeps no folder
    assert not [name for name in tree(folder) if name.startswith("_incomplete-")]


class FailingJob(WriteFiles):
    def execute(self, staging: str) -> dict:
        super().execute(staging)
        raise FatalError("the pipeline failed: boom")


def test_a_job_whose_run_fails_names_its_staging_folder(tmp_path):
    with pytest.raises(FatalError) as caught:
        run_job(FailingJob(str(tmp_path), FIRST))
    (staging,) = tmp_path.iterdir()
    assert str(caught.value) == (
        f"the pipeline failed: boom; nothing published, this run's files: {staging}/"
    )


class RefusedJob(WriteFiles):
    def execute(self, staging: str) -> dict:
        super().execute(staging)
        raise ConfigError("needs 7.46 epochs", source="mix.yaml")


def test_a_configuration_error_found_while_running_leaves_nothing(tmp_path):
    with pytest.raises(ConfigError):
        run_job(RefusedJob(str(tmp_path), FIRST))
    assert list(tmp_path.iterdir()) == []


def test_the_ledger_moves_a_file_to_the_job_that_wrote_it_last():
    ledger = Ledger("/r", {"run": ["attributes/a/x", "documents/x"], "tag:t": ["_tag/t/r"]})
    ledger.record("tag:a", ["attributes/a/x", "_tag/a/report.json"])
    assert ledger.jobs == {"run": ["documents/x"], "tag:t": ["_tag/t/r"],
                           "tag:a": ["_tag/a/report.json", "attributes/a/x"]}  # fmt: skip
    ledger.forget(["documents/x"])
    assert "run" not in ledger.jobs


def test_files_under_a_name_are_the_file_or_everything_below_it(tmp_path):
    put(tmp_path, {"documents/a/b.jsonl": "", "documents/c.jsonl": "", "config.yaml": ""})
    root = str(tmp_path)
    assert files_under(root, "documents") == ["documents/a/b.jsonl", "documents/c.jsonl"]
    assert files_under(root, "config.yaml") == ["config.yaml"]
    assert files_under(root, "removed") == []
    assert foreign_files(Ledger(root, {"run": ["documents/c.jsonl"]}), ["documents"]) == [
        "documents/a/b.jsonl"
    ]


def test_records_add_up_gives_each_reason():
    report = {"totals": {"in": 10, "kept": 5, "removed": 2, "errors": 2, "invariant_holds": False}}
    assert records_add_up(report, 0.1) == [
        "in 10 != kept 5 + removed 2 + errors 2",
        "error fraction 0.2000 is above run.max_error_fraction 0.1",
    ]


def test_a_job_into_an_output_path_another_job_holds_stops_before_launch(tmp_path):
    import fcntl
    import os

    other = os.open(tmp_path, os.O_RDONLY)  # another job's hold on the folder
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        with pytest.raises(ConfigError) as caught:
            run_job(WriteFiles(str(tmp_path), FIRST))
    finally:
        os.close(other)
    assert str(caught.value) == (
        f"job.yaml: another dolmakit job (a run, tag or mix) is writing into {tmp_path}/ now; "
        "wait for it to end, or choose another output path"
    )
    assert tree(tmp_path) == {}
    assert run_job(WriteFiles(str(tmp_path), FIRST)).published  # once it has let go


class FailsBeforeLaunch(WriteFiles):
    def prepare(self, staging: str) -> None:
        raise ConfigError("no files match 'x'", source="job.yaml")


def test_a_job_that_stops_before_launch_leaves_no_folder_it_made(tmp_path):
    root = tmp_path / "new" / "out"
    with pytest.raises(ConfigError, match="no files match"):
        run_job(FailsBeforeLaunch(str(root), FIRST))
    assert list(tmp_path.iterdir()) == []
