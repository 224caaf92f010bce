"""`dolmakit --version` and `dolmakit steps [NAME]` as a user runs them."""

from __future__ import annotations

import platform
import subprocess
import sys
from importlib import metadata

from conftest import REPO

from dolmakit.core.version import pyproject_version

DOLMAKIT = [sys.executable, "-m", "dolmakit"]


def dolmakit(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([*DOLMAKIT, *args], capture_output=True, text=True, cwd=cwd)


def test_version_names_dolmakit_beam_and_python():
    done = dolmakit("--version")
    assert done.returncode == 0, done.stderr
    beam, python = metadata.version("apache-beam"), platform.python_version()
    expected = f"dolmakit {metadata.version('dolmakit')} (Apache Beam {beam}, Python {python})"
    assert done.stdout == expected + "\n"


def test_version_falls_back_to_the_pyproject(tmp_path):
    assert pyproject_version(REPO / "pyproject.toml") == "0.1.0"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "9.8"\n')
    assert pyproject_version(tmp_path / "pyproject.toml") == "9.8"
    assert pyproject_version(tmp_path / "missing.toml") == "unknown"


def test_one_step_shows_its_settings_with_comments():
    done = dolmakit("steps", "language_filter")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("language_filter (step, `type: language_filter`)\n")
    assert (
        "SETTINGS (`config:`)\n"
        "  languages: list[str] = ['en']\n"
        "      documents whose best score among these languages reaches the threshold are kept\n"
        "  threshold: float | null = None\n"
    ) in done.stdout
    none = "  none: no dolmakit/presets/language_filter.yaml nor ./taggers/language_filter.yaml\n"
    assert none in done.stdout
    assert "`config.preset` is the step's own choice: 'ccnet' | 'fineweb' | null" in (done.stdout)


def test_one_step_lists_its_presets_with_their_descriptions():
    done = dolmakit("steps", "c4_lines_v1")
    assert done.returncode == 0, done.stderr
    assert (
        "  from dolmakit/presets/c4_lines_v1.yaml:\n\n"
        "  c4:\n"
        "    # C4 itself (TFDS text/c4_utils.py clean_page): lines of at least 5 words ending in"
        ' . ? ! or ".\n'
        "    max_word_chars: 1000\n"
    ) in done.stdout
    assert "    end_marks: [., '?', '!', '\"']\n    min_words_per_line: 5\n" in done.stdout


def test_a_projects_own_presets_are_listed_too(tmp_path):
    (tmp_path / "taggers").mkdir()
    (tmp_path / "taggers" / "filter.yaml").write_text("# mine\nshort:\n  remove_if: {s: x < 1}\n")
    done = dolmakit("steps", "filter", cwd=tmp_path)
    mine = "  from taggers/filter.yaml:\n\n  short:\n    # mine\n    remove_if:\n      s: x < 1\n"
    assert mine in done.stdout
    assert "gopher_quality:" in done.stdout


def test_an_input_format_can_be_shown():
    done = dolmakit("steps", "c4")
    assert done.returncode == 0 and done.stdout.startswith("c4 (input format;")


def test_an_unknown_name_exits_2_listing_what_exists():
    done = dolmakit("steps", "language_filtr")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(
        "configuration error: dolmakit steps: unknown step or input format 'language_filtr'; "
        "steps: c4_lines_v1, c4_quality_v1, "
    )
    assert "language_filter" in done.stderr and "input formats: arxiv, c4," in done.stderr


def test_the_list_of_steps_mentions_presets():
    out = dolmakit("steps").stdout
    assert "`dolmakit steps NAME` shows one step with its presets" in out
    assert "    presets: c4, datatrove, dolma, fineweb\n" in out
