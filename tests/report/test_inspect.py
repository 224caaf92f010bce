"""`dolmakit inspect`: a run's output folder read back for a terminal, read only, on any scheme."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard
from apache_beam.io.filesystem import FileMetadata, MatchResult
from apache_beam.io.localfilesystem import LocalFileSystem
from conftest import REPO

from dolmakit.core.errors import ConfigError
from dolmakit.report.inspect import inspect_output

LONG = "First line.\n" + "word " * 70  # 362 characters: cut at 300
REPORT = {
    "pipeline": "pipelines/t.yaml",
    "runner": "local (1 worker)",
    "finished": "2026-12-07T10:00:00+00:00",
    "totals": {"in": 6, "kept": 2, "removed": 3, "errors": 1},
    "config": {"output": {"removed": "all"}},
    "steps": [
        {"name": "read", "in": 6, "kept": 4, "removed": {"http_status_404": 1},
         "errors": {"corrupt_record": 1}},
        {"name": "length_filter", "in": 4, "kept": 2, "removed": {"too_short": 2}, "errors": {}},
    ],
}  # fmt: skip


def doc(id_: str, text: str, url: str, removed: tuple[str, str] | None = None) -> dict:
    row = {"id": id_, "text": text, "source": "s", "metadata": {"url": url}}
    return row | ({"removed": {"step": removed[0], "reason": removed[1]}} if removed else {})


def json_lines(rows: list[dict]) -> bytes:
    return b"".join(json.dumps(row).encode() + b"\n" for row in rows)


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """A finished run's folder as `dolmakit run` leaves it, removed/ in gzip and zstd."""
    root = tmp_path / "out"
    for folder in ("documents", "removed", "errors"):
        (root / folder).mkdir(parents=True)
    (root / "report.json").write_text(json.dumps(REPORT))
    kept = [doc("k1", LONG, "http://a.test/1"), doc("k2", "Short kept.", "http://a.test/2")]
    (root / "documents/part-00000-of-00001.jsonl.gz").write_bytes(gzip.compress(json_lines(kept)))
    too_short = ("length_filter", "too_short")
    first = [doc("r1", "", "http://a.test/404", ("read", "http_status_404")),
             doc("r2", "Too\nshort.", "http://a.test/3", too_short)]  # fmt: skip
    second = [doc("r3", "Tiny.", "http://a.test/4", too_short)]
    zst = zstandard.ZstdCompressor().compress(json_lines(first))
    (root / "removed/part-00000-of-00002.jsonl.zst").write_bytes(zst)
    (root / "removed/part-00001-of-00002.jsonl.gz").write_bytes(gzip.compress(json_lines(second)))
    error = {"step": "read", "kind": "corrupt_record", "cause": "bad header", "file": "x.warc",
             "offset": 10}  # fmt: skip
    (root / "errors/part-00000-of-00001.jsonl.gz").write_bytes(gzip.compress(json_lines([error])))
    return root


EXPECTED = """\
{root}: pipelines/t.yaml on local (1 worker), finished 2026-12-07T10:00:00+00:00
in 6 = kept 2 + removed 3 + errors 1

REMOVED by step and reason (report.json)
  read                 1  http_status_404
  length_filter        2  too_short

ERRORS by step and kind (report.json)
  read        1  corrupt_record

KEPT: 2 documents (documents/), the first 2
    - id k1  http://a.test/1
      First line. ⏎ word word word word word word word word word word word word word word word word
      word word word word word word word word word word word word word word word word word word word
      word word word word word word word word word word word word word word word word word word word
      word word word wor…
    - id k2  http://a.test/2
      Short kept.

REMOVED texts
  read / http_status_404: 1, showing 1
    - id r1  http://a.test/404
      (empty text)
  length_filter / too_short: 2, showing 2
    - id r2  http://a.test/3
      Too ⏎ short.
    - id r3  http://a.test/4
      Tiny.

ERRORS by cause (errors/)
  read / corrupt_record: 1, showing 1
    - bad header
      {{"file": "x.warc", "offset": 10}}
"""


def test_counts_kept_removed_and_errors_as_shown(output):
    expected = EXPECTED.format(root=output)
    assert inspect_output(str(output)) == expected


def test_one_reason_and_a_sample_size(output):
    assert inspect_output(str(output), reason="too_short", sample=1) == (
        f"{output}: pipelines/t.yaml on local (1 worker), finished 2026-12-07T10:00:00+00:00\n"
        "in 6 = kept 2 + removed 3 + errors 1\n\n"
        "REMOVED by step and reason (report.json)\n"
        "  length_filter        2  too_short\n\n"
        "ERRORS: none\n\n"
        "REMOVED texts\n"
        "  length_filter / too_short: 2, showing 1\n"
        "    - id r2  http://a.test/3\n"
        "      Too ⏎ short.\n"
    )


def test_an_error_kind_as_the_reason(output):
    shown = inspect_output(str(output), reason="corrupt_record", sample=0)
    assert shown.endswith(
        "REMOVED: none\n\nERRORS by step and kind (report.json)\n"
        "  read        1  corrupt_record\n\n"
        "ERRORS by cause (errors/)\n  read / corrupt_record: 1, showing 0\n"
    )


def test_an_unknown_reason_lists_the_run_s_reasons(output):
    with pytest.raises(ConfigError) as caught:
        inspect_output(str(output), reason="too_long")
    assert str(caught.value) == (
        f"{output}: --reason: no 'too_long' in this run; it has: corrupt_record, "
        "http_status_404, kept, too_short"
    )


def test_a_folder_without_report_is_not_a_finished_run(tmp_path):
    with pytest.raises(ConfigError, match="no report.json: not a finished run's output"):
        inspect_output(str(tmp_path))


def test_it_only_reads(output):
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    folders = [output, *(p for p in output.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)  # nothing can be created, renamed or removed in them
    try:
        inspect_output(str(output))
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


class MirrorFileSystem(LocalFileSystem):
    """`mirror:///path`: local files under a scheme of their own, so that anything read other
    than through Beam's FileSystems (as gs:// and s3:// need) fails the test."""

    @classmethod
    def scheme(cls) -> str:
        return "mirror"

    def match(self, patterns, limits=None):
        results = super().match([p.removeprefix("mirror://") for p in patterns], limits)
        return [
            MatchResult("mirror://" + r.pattern,
                        [FileMetadata("mirror://" + m.path, m.size_in_bytes)
                         for m in r.metadata_list])
            for r in results
        ]  # fmt: skip

    def open(self, path, *args, **kwargs):
        return super().open(path.removeprefix("mirror://"), *args, **kwargs)

    def exists(self, path):
        return super().exists(path.removeprefix("mirror://"))


def test_any_beam_filesystem(output):
    expected = EXPECTED.format(root=f"mirror://{output}")
    assert inspect_output(f"mirror://{output}/") == expected


def test_the_command_prints_it_and_exits_2_on_a_bad_reason(output):
    command = [sys.executable, "-m", "dolmakit", "inspect", str(output)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([*command, "--sample", "1"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{output}: pipelines/t.yaml on local (1 worker)")
    assert "  length_filter / too_short: 2, showing 1\n" in done.stdout
    bad = subprocess.run([*command, "--reason", "nope"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "--reason: no 'nope' in this run" in bad.stderr


def test_parquet_documents(output):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dolmakit.core.document import Document
    from dolmakit.io.writers import PARQUET_SCHEMA, parquet_row

    (output / "documents/part-00000-of-00001.jsonl.gz").unlink()
    row = parquet_row(Document.from_dict(doc("p1", "Kept in Parquet.", "http://a.test/p")))
    pq.write_table(pa.Table.from_pylist([row], schema=PARQUET_SCHEMA),
                   output / "documents/part-00000-of-00001.parquet")  # fmt: skip
    shown = inspect_output(str(output), reason="kept")
    assert shown.endswith(
        "KEPT: 2 documents (documents/), the first 1\n"
        "    - id p1  http://a.test/p\n"
        "      Kept in Parquet.\n"
    )
