"""Tests for input expansion (dolmakit.io.inputs): globs, listing files, format detection."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

import dolmakit.io.jsonl  # noqa: F401  (registers the readers)
import dolmakit.io.parquet  # noqa: F401
import dolmakit.io.warc  # noqa: F401
import dolmakit.io.wet  # noqa: F401
from dolmakit.core.errors import ConfigError
from dolmakit.io.inputs import InputFile, expand_inputs, read_listing

SOURCE = "pipelines/test.yaml"
LISTING = """# a Common Crawl style listing
crawl-data/CC-MAIN-2024-22/segments/1/warc/a.warc.gz

/abs/b.warc.gz
s3://other-bucket/c.warc.wet.gz
   crawl-data/d.jsonl.zst
"""


def touch(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    return folder


def expand(patterns, listing=None, prefix="", fmt="auto") -> list[InputFile]:
    return expand_inputs(patterns, listing, prefix, fmt, SOURCE)


def test_glob_sorted_with_formats(tmp_path: Path) -> None:
    touch(tmp_path, "b.warc.gz", "a.warc.wet.gz", "c.jsonl.gz", "d.parquet", "e.warc")
    files = expand([str(tmp_path / "*")])
    assert [(Path(f.path).name, f.format, f.index, f.total) for f in files] == [
        ("a.warc.wet.gz", "wet", 0, 5),
        ("b.warc.gz", "warc", 1, 5),
        ("c.jsonl.gz", "jsonl", 2, 5),
        ("d.parquet", "parquet", 3, 5),
        ("e.warc", "warc", 4, 5),
    ]


def test_overlapping_patterns_are_deduplicated(tmp_path: Path) -> None:
    touch(tmp_path, "x/a.warc.gz", "x/b.warc.gz")
    files = expand([str(tmp_path / "x" / "*.warc.gz"), str(tmp_path / "x" / "a.*")])
    assert [Path(f.path).name for f in files] == ["a.warc.gz", "b.warc.gz"]
    assert {f.total for f in files} == {2}


def test_explicit_format_skips_detection(tmp_path: Path) -> None:
    touch(tmp_path, "data.bin")
    (file,) = expand([str(tmp_path / "data.bin")], fmt="warc")
    assert file.format == "warc"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("x.warc.wet.gz", "wet"),
        ("x.wet", "wet"),
        ("X.WARC.GZ", "warc"),
        ("x.json.gz", "jsonl"),
        ("x.ndjson.bz2", "jsonl"),
        ("x.pq", "parquet"),
    ],
)
def test_format_detection(tmp_path: Path, name: str, fmt: str) -> None:
    touch(tmp_path, name)
    assert [f.format for f in expand([str(tmp_path / name)])] == [fmt]


def test_no_match_is_config_error(tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.warc.gz")
    with pytest.raises(ConfigError) as raised:
        expand([pattern])
    assert raised.value.key == "input.paths" and raised.value.source == SOURCE
    assert f"no files match {pattern!r}" in str(raised.value)


def test_a_relative_pattern_that_matches_nothing_names_the_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as raised:
        expand(["samples/*.warc.gz"])
    assert raised.value.message == (
        f"no files match 'samples/*.warc.gz' (relative to the current folder {tmp_path}, "
        "not the pipeline file's)"
    )
    touch(tmp_path, "samples/a.warc.gz")  # the rule itself: found from the current folder
    assert [f.location for f in expand(["samples/*.warc.gz"])] == [f"{tmp_path}/samples/a.warc.gz"]


def test_no_inputs_at_all_is_config_error() -> None:
    with pytest.raises(ConfigError, match="no input files: give input.paths or input.listing"):
        expand([])


def test_unknown_extension_lists_known_formats(tmp_path: Path) -> None:
    touch(tmp_path, "notes.txt")
    with pytest.raises(ConfigError) as raised:
        expand([str(tmp_path / "notes.txt")])
    message = str(raised.value)
    assert raised.value.key == "input.format"
    assert "cannot tell the format of" in message and "notes.txt" in message
    for known in (
        "warc: .warc .warc.gz",
        "wet: .wet .wet.gz .warc.wet.gz",
        "parquet: .parquet .pq",
        "jsonl: .jsonl .jsonl.gz",
    ):
        assert known in message


@pytest.mark.parametrize("name", ["warc.paths", "warc.paths.gz"])
def test_listing_file(tmp_path: Path, name: str) -> None:
    data = LISTING.encode()
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    assert read_listing(str(tmp_path / name), "s3://commoncrawl/") == [
        "s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/1/warc/a.warc.gz",
        "/abs/b.warc.gz",
        "s3://other-bucket/c.warc.wet.gz",
        "s3://commoncrawl/crawl-data/d.jsonl.zst",
    ]


def test_listing_prefix_joins_slashes(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("a.warc.gz\n/b.warc.gz\n")
    assert read_listing(str(tmp_path / "list.txt"), "") == ["a.warc.gz", "/b.warc.gz"]
    assert read_listing(str(tmp_path / "list.txt"), "gs://bucket//") == [
        "gs://bucket/a.warc.gz",
        "/b.warc.gz",
    ]


def test_listing_with_globs_and_formats(tmp_path: Path) -> None:
    touch(tmp_path, "local.parquet")
    (tmp_path / "warc.paths").write_text(LISTING)
    files = expand([str(tmp_path / "*.parquet")], str(tmp_path / "warc.paths"), "s3://commoncrawl")
    assert [(f.path, f.format) for f in files] == [
        ("/abs/b.warc.gz", "warc"),
        (str(tmp_path / "local.parquet"), "parquet"),
        ("s3://commoncrawl/crawl-data/CC-MAIN-2024-22/segments/1/warc/a.warc.gz", "warc"),
        ("s3://commoncrawl/crawl-data/d.jsonl.zst", "jsonl"),
        ("s3://other-bucket/c.warc.wet.gz", "wet"),
    ]


def test_empty_listing_is_config_error(tmp_path: Path) -> None:
    (tmp_path / "warc.paths").write_text("# nothing here\n\n")
    with pytest.raises(ConfigError, match="no input files"):
        expand([], str(tmp_path / "warc.paths"))
