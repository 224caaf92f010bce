"""The progress line's text, and what a real run's completion records count."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import REPO

from dolmakit.core.logs import duration
from dolmakit.engine.config import load_pipeline
from dolmakit.engine.lifecycle import run_job
from dolmakit.engine.progress import (
    DoneRecords,
    PassDone,
    Snapshot,
    progress_line,
    record_done,
    records_of,
    snapshot,
)
from dolmakit.engine.run import RunJob

C4 = sorted((REPO / "samples" / "c4").glob("*.json.gz"))
MB = 1_000_000


def test_before_anything_finished_there_is_no_pace_to_go_by():
    nothing = Snapshot((PassDone(),), files=120, bytes=480 * MB)
    assert progress_line(nothing, nothing, 5.0) == "files 0/120  records 0  0.00 MB/s  ETA --"


def test_one_pass_says_its_files_records_pace_and_time_left():
    now = Snapshot((PassDone(30, 51_203, 50_000, 120 * MB),), files=120, bytes=480 * MB)
    start = Snapshot((PassDone(),), files=120, bytes=480 * MB)
    # a quarter done in 10 s: 120 MB in 10 s, three quarters left
    assert progress_line(now, start, 10.0) == "files 30/120  records 51,203  12.0 MB/s  ETA 30s"


def test_a_later_pass_names_itself_and_knows_its_records_total():
    now = Snapshot(
        (PassDone(120, 200_000, 150_000, 480 * MB), PassDone(60, 75_000, 70_000, 240 * MB),
         PassDone(), PassDone()),
        files=120, bytes=480 * MB, names=("read", "exact_dedup", "minhash_dedup", "line_dedup"),
    )  # fmt: skip
    start = Snapshot((PassDone(),) * 4, files=120, bytes=480 * MB)
    # 1.5 of 4 passes done in 150 s: 180 MB of input's work, 250 s left at that pace
    assert progress_line(now, start, 150.0) == (
        "pass 2/4 (exact_dedup)  files 60/120  records 75,000/150,000  1.20 MB/s  ETA 4m10s"
    )


def test_a_resumed_job_goes_by_what_this_launch_did():
    start = Snapshot((PassDone(90, 90_000, 90_000, 90 * MB),), files=100, bytes=100 * MB)
    now = Snapshot((PassDone(95, 95_000, 95_000, 95 * MB),), files=100, bytes=100 * MB)
    # 5 MB in 10 s, not 95 MB: 5 files left take 10 s more
    assert progress_line(now, start, 10.0) == "files 95/100  records 95,000  0.50 MB/s  ETA 10s"


def test_without_input_sizes_files_weigh_the_same_and_the_pace_is_in_records():
    start = Snapshot((PassDone(),), files=8)
    now = Snapshot((PassDone(2, 3_000, 3_000),), files=8)
    assert progress_line(now, start, 60.0) == "files 2/8  records 3,000  50 records/s  ETA 3m00s"


def test_durations():
    assert [duration(s) for s in (-3, 0, 59.4, 59.6, 190, 3_599, 3_600, 7_530, 90_000)] == [
        "0s", "0s", "59s", "1m00s", "3m10s", "59m59s", "1h00m", "2h05m", "25h00m",
    ]  # fmt: skip


def test_snapshot_adds_up_each_pass_and_knows_bytes_only_when_every_size_is_known():
    done = [(0, 0, 10, 8), (0, 2, 5, 5), (1, 2, 5, 4)]
    assert snapshot(done, 2, [100, 200, 300], ["read", "dedup"]) == Snapshot(
        (PassDone(2, 15, 13, 400), PassDone(1, 5, 4, 300)), 3, 600, ("read", "dedup")
    )
    assert snapshot(done, 2, [100, -1, 300]).bytes == 0


def test_completion_records_are_found_by_pass_and_file(tmp_path):
    staging, done = str(tmp_path), DoneRecords()
    record_done(staging, 0, "part-00003", 12)
    (tmp_path / "_done" / "0" / "part-00004.json.1234.tmp").write_text("{")  # being written
    record_done(staging, 1, "part-2-00001", 7)  # not looked for while pass 0 has files left
    assert done.look(staging, 2, 2) == {(0, "part-00003"): {"records": 12}}
    record_done(staging, 0, "part-00004", 5)
    assert done.look(staging, 2, 2) == {(0, "part-00003"): {"records": 12},
                                        (0, "part-00004"): {"records": 5},
                                        (1, "part-2-00001"): {"records": 7}}  # fmt: skip
    (tmp_path / "_done" / "0" / "part-00003.json").unlink()  # a pass all done is not listed again
    assert len(done.look(staging, 2, 2)) == 3


def test_tag_and_mix_records_name_their_file_and_group():
    found = {(0, "part-00003"): {"records": 12}}
    assert records_of(found) == [(0, 3, 12, 12)]
    assert records_of({(1, "part-2-00001"): {"records": 7}}, [0, 4, 10]) == [(1, 11, 7, 7)]


class Watched(RunJob):
    """A run that keeps what its progress counted when its pipeline ended, before publication
    removes the staging folder."""

    def judge(self, report: dict, staging: str) -> list[str]:
        self.counted = self.progress(staging)
        return super().judge(report, staging)


def test_a_runs_passes_are_counted_from_its_completion_records(tmp_path: Path):
    """The C4 sample's two files: 14 lines, one malformed; exact dedup removes one copy."""
    pipeline = tmp_path / "c4.yaml"
    pipeline.write_text(yaml.safe_dump({
        "name": "c4", "input": {"paths": [str(path) for path in C4], "format": "c4"},
        "steps": [{"type": "text_stats_v1"}, {"type": "exact_dedup"}],
        "output": {"path": str(tmp_path / "out")},
        "run": {"workers": 1, "max_error_fraction": 0.1},
    }))  # fmt: skip
    job = Watched(load_pipeline(str(pipeline), []), str(pipeline), [])
    result = run_job(job)
    assert result.published
    size = sum(path.stat().st_size for path in C4)
    assert job.counted == Snapshot(
        (PassDone(2, 14, 13, size), PassDone(2, 13, 12, size)), 2, size, ("read", "exact_dedup")
    )
    totals = result.report["totals"]
    assert (totals["in"], totals["errors"], totals["kept"]) == (14, 1, 12)
    start = Snapshot((PassDone(), PassDone()), 2, size)
    assert progress_line(job.counted, start, 1.0) == (
        "pass 2/2 (exact_dedup)  files 2/2  records 13/13  0.00 MB/s  ETA 0s"
    )
