"""The project's lint settings hold in CI: ruff's rules (cyclomatic complexity 10 or less among
them), ruff's formatting, and no package module over 400 lines."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["dolmakit", "tests", "benchmarks", "scripts"]
MAX_MODULE_LINES = 400


def ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *arguments, *CHECKED], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip


def test_complexity_is_among_the_rules_at_10():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "C90" in settings["select"]
    assert settings["mccabe"]["max-complexity"] == 10


def test_ruff_finds_nothing():
    done = ruff("check", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_is_formatted():
    done = ruff("format", "--check", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_package_module_is_over_400_lines():
    sizes = {str(path.relative_to(ROOT)): len(path.read_text().splitlines())
             for path in (ROOT / "dolmakit").rglob("*.py")}  # fmt: skip
    assert {path: lines for path, lines in sizes.items() if lines > MAX_MODULE_LINES} == {}
