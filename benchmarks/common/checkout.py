"""An earlier commit of this repository as a git worktree under .bench/, for before/after runs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from benchmarks import REPO


def checkout(commit: str) -> Path:
    folder = REPO / ".bench" / f"checkout-{commit}"
    if not folder.is_dir():
        command = ["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), commit]
        subprocess.run(command, check=True, capture_output=True)
    return folder


def helper_env(root: Path) -> dict[str, str]:
    """The environment of a helper, `python -m benchmarks.<package>.<name>` run with cwd=root,
    that imports dolmakit from root: this tree or a checkout of another commit.

    PYTHONPATH is root, then this tree. A commit from before benchmarks/ became packages has no
    benchmarks/__init__.py, and Python passes over such a folder for the package found later on
    the path, so the helper is this tree's (the flat scripts of that commit are never run); a
    commit with the packages runs its own helper, at the same module path."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(REPO)])}
