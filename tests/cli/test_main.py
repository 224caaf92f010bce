"""The `dolmakit` command as a user runs it: exit codes and what it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLE_WARC, Response, write_warc

DOLMAKIT = [sys.executable, "-c", "from dolmakit.cli.main import main; main()"]
PIPELINE = str(REPO / "tests" / "data" / "backbone.yaml")


def dolmakit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*DOLMAKIT, *args], capture_output=True, text=True, cwd=REPO)


def test_run_prints_where_outputs_are(tmp_path):
    done = dolmakit("run", PIPELINE, "--set", f"input.paths=[{SAMPLE_WARC}]",
                    "--output", str(tmp_path), "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"documents: {tmp_path}/documents/" in done.stdout
    assert f"report:    {tmp_path}/report.json" in done.stdout
    assert "in 35 = kept" in done.stdout
    assert "Prism" not in done.stderr and "semi_persistent" not in done.stderr


def test_a_run_that_keeps_nothing_says_so(tmp_path):
    done = dolmakit("run", PIPELINE, "--set", f"input.paths=[{SAMPLE_WARC}]",
                    "--set", "steps.length_filter.config.remove_if.too_few_words="
                    "'text_stats_v1__words < 1000000'",
                    "--output", str(tmp_path), "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "in 35 = kept 0 + removed 35 + errors 0"
    assert done.stdout.splitlines()[-1] == (
        "WARNING: no document kept: all 35 were removed (35) or errors (0); the report's "
        "removal reasons say by which step"
    )


def test_configuration_errors_exit_2_naming_file_and_key(tmp_path):
    done = dolmakit("run", PIPELINE, "--set", "output.format=csv", "--output", str(tmp_path))
    assert done.returncode == 2
    assert "backbone.yaml" in done.stderr and "output.format" in done.stderr
    assert "'jsonl' | 'dolma' | 'parquet'" in done.stderr
    assert not (tmp_path / "documents").exists()  # nothing ran


def test_no_matching_input_is_a_configuration_error(tmp_path):
    done = dolmakit("run", PIPELINE, "--set", f"input.paths=[{tmp_path}/*.warc.gz]")
    assert done.returncode == 2 and "no files match" in done.stderr


def test_too_many_errors_exits_1_and_keeps_everything_unpublished(tmp_path):
    warc = tmp_path / "broken.warc.gz"
    page = b"<html><body><p>" + b"A sentence of honest words. " * 40 + b"</p></body></html>"
    offsets = write_warc(warc, [Response(f"http://site.test/{i}", page) for i in range(4)])
    warc.write_bytes(warc.read_bytes()[: offsets[3] + 300])  # the last record is cut short
    out = tmp_path / "out"
    args = ["run", PIPELINE, "--set", f"input.paths=[{warc}]", "--output", str(out), "--quiet"]
    assert dolmakit(*args, "--set", "run.max_error_fraction=0.5").returncode == 0
    done = dolmakit(*args, "--set", "run.max_error_fraction=0.1")
    assert done.returncode == 1
    assert "in 4 = kept 3 + removed 0 + errors 1" in done.stdout
    assert "FAILED: error fraction 0.2500" in done.stdout
    # the first run's outputs stay as they were; the second's wait in its staging folder
    (staging,) = out.glob("_incomplete-*")
    assert "NOT PUBLISHED" in done.stdout and (out / "report.json").is_file()
    assert json.loads((out / "report.json").read_text())["totals"]["kept"] == 3
    assert (staging / "report.json").is_file() and list((staging / "errors").glob("*.jsonl.gz"))


def test_steps_lists_registered_steps_with_defaults():
    done = dolmakit("steps")
    assert done.returncode == 0
    assert "text_stats_v1" in done.stdout and "short_line_chars: int = 30" in done.stdout
    assert "filter" in done.stdout and "remove_if" in done.stdout
    assert "warc: .warc .warc.gz" in done.stdout and "html.main_content: bool = True" in done.stdout


def test_every_command_has_help():
    for args in (["--help"], ["run", "--help"], ["steps", "--help"]):
        done = dolmakit(*args)
        assert done.returncode == 0 and "Usage:" in done.stdout
    assert "DataflowRunner" in dolmakit("run", "--help").stdout


def test_unknown_command_is_a_usage_error():
    assert dolmakit("frobnicate").returncode == 2


def test_files_are_found_relative_to_the_working_directory(tmp_path: Path):
    done = subprocess.run(
        [*DOLMAKIT, "run", "pipelines/commoncrawl.yaml", "--output", str(tmp_path), "--quiet"],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_tag_refuses_a_filter_step_with_exit_2(tmp_path):
    tag = tmp_path / "tag.yaml"
    tag.write_text(
        "name: t\ndataset: " + str(tmp_path / "ds") + "\n"
        "steps: [{type: filter, config: {remove_if: {short: 'x__n < 1'}}}]\n"
    )
    done = dolmakit("tag", str(tag))
    assert done.returncode == 2
    assert "steps[0].type: step 'filter' (filter) is a filter; dolmakit tag" in done.stderr
    assert not (tmp_path / "ds").exists()
