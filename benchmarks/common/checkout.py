"""An earlier commit of this repository as a git worktree under .bench/, for before/after runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def checkout(commit: str) -> Path:
    folder = REPO / ".bench" / f"checkout-{commit}"
    if not folder.is_dir():
        command = ["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), commit]
        subprocess.run(command, check=True, capture_output=True)
    return folder
