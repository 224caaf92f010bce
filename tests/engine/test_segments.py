"""engine/segments: the completion records a pass leaves per file, and the counts read back."""

from __future__ import annotations

from dolmakit.engine.segments import recorded_counters, write_record


def test_the_counts_of_every_file_of_every_pass_are_summed(tmp_path):
    root = str(tmp_path)
    write_record(f"{root}/_done/0/part-00000", {"read/in": 5, "read/kept": 4}, [], (0, "a"))
    write_record(f"{root}/_done/0/part-00001", {"read/in": 3, "read/kept": 3}, ["k"], (1, "b"))
    write_record(f"{root}/_done/1/part-00000", {"exact_dedup/in": 7, "exact_dedup/kept": 6},
                 [], (0, "c"))  # fmt: skip
    (tmp_path / "_done" / "1" / "part-00001.json.1f2e.tmp").write_text('{"counters": {"x": 9}}')
    assert recorded_counters(root) == {"read/in": 8, "read/kept": 7, "exact_dedup/in": 7,
                                       "exact_dedup/kept": 6}  # fmt: skip


def test_a_record_written_again_by_a_retried_bundle_counts_once(tmp_path):
    root = str(tmp_path)
    for _ in range(2):
        write_record(f"{root}/_done/0/part-00000", {"read/in": 5}, [], (0, "a"))
    assert recorded_counters(root) == {"read/in": 5}


def test_no_records_no_counts(tmp_path):
    assert recorded_counters(str(tmp_path)) == {}
