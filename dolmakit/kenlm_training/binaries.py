"""Finding KenLM's command-line tools (lmplz, build_binary), which training needs.

Scoring needs none of them: the `kenlm` Python module reads the models. The tools are built from
KenLM's PyPI source by scripts/build_kenlm.sh into the venv's bin folder, so they are looked up
there even when the venv is not activated (e.g. `.venv/bin/dolmakit lm train`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dolmakit.core.errors import FatalError

ENV_VAR = "DOLMAKIT_KENLM_BIN"
BUILD_SCRIPT = "scripts/build_kenlm.sh"


def kenlm_tool(name: str) -> str:
    """The path of KenLM tool `name`: in $DOLMAKIT_KENLM_BIN, then beside the running Python,
    then on PATH."""
    found = find_kenlm_tool(name)
    if found is None:
        raise FatalError(
            f"KenLM's {name} was not found in ${ENV_VAR}, {Path(sys.executable).parent} or PATH;"
            f" build it with {BUILD_SCRIPT} (scripts/setup.sh does)"
        )
    return found


def find_kenlm_tool(name: str) -> str | None:
    """Like kenlm_tool, but None when missing (for tests that skip without the tools)."""
    folders = [os.environ.get(ENV_VAR), str(Path(sys.executable).parent)]
    for folder in filter(None, folders):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)
