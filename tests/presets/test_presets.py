"""Packaged presets and lists: found by name from any folder, and shipped in the wheel."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dolmakit.engine.staging import build_wheel
from dolmakit.io.files import lines, open_decompressed
from dolmakit.presets import PRESETS_DIR, packaged_path, packaged_preset_types

REPO = Path(__file__).resolve().parents[2]


def test_packaged_paths_resolve_inside_the_package():
    assert packaged_path("dolmakit:lists/url-blocklist.txt") == str(
        PRESETS_DIR / "lists" / "url-blocklist.txt"
    )
    assert packaged_path("taggers/lists/mine.txt") == "taggers/lists/mine.txt"
    assert packaged_path("gs://bucket/list.txt") == "gs://bucket/list.txt"
    with pytest.raises(ValueError, match="outside dolmakit's packaged presets"):
        packaged_path("dolmakit:../engine/config.py")


def test_a_packaged_list_opens_like_any_file():
    with open_decompressed("dolmakit:lists/url-banned-words.txt") as stream:
        first = next(lines(stream))
    assert (
        first == (PRESETS_DIR / "lists" / "url-banned-words.txt").read_bytes().splitlines(True)[0]
    )


def test_the_packaged_step_types():
    assert packaged_preset_types() == [
        "c4_lines_v1",
        "filter",
        "gopher_quality_v1",
        "gopher_repetition_v1",
        "pii_mask_v1",
        "stackexchange_sites",
    ]


def test_the_wheel_runs_a_pipeline_with_presets_from_another_folder(tmp_path):
    """What a user gets from `pip install dolmakit`: no checkout, another working directory."""
    wheel = build_wheel()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert {
        "dolmakit/presets/filter.yaml",
        "dolmakit/presets/lists/url-blocklist.txt",
        "dolmakit/data/lid/lid.176.ftz",
        "dolmakit/presets/lists/ldnoobw/en",
        "dolmakit/presets/lists/ldnoobw/NOTICE.md",
    } <= names
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "docs.jsonl").write_text(
        '{"id": "a", "text": "The river rises in the northern hills and flows south."}\n'
    )
    pipeline = elsewhere / "p.yaml"
    pipeline.write_text(
        "name: p\ninput: {paths: [docs.jsonl]}\noutput: {path: out}\nsteps:\n"
        "  - type: url_filter_v1\n"
        "    config: {blocklists: ['dolmakit:lists/url-blocklist.txt']}\n"
        "  - {type: filter, name: url_filter, preset: url}\n"
        "  - {type: pii_mask_v1, preset: mask_only}\n"
    )
    script = (
        "import dolmakit, sys; from dolmakit.cli.main import main; "
        "print(dolmakit.__file__, file=sys.stderr); main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "run", "p.yaml", "--set", "run.workers=1"],
        cwd=elsewhere, capture_output=True, text=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert str(tmp_path / "site" / "dolmakit" / "__init__.py") in done.stderr
    assert "in 1 = kept 1 + removed 0 + errors 0" in done.stdout
