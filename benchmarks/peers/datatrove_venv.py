"""The benchmark-only virtualenv of the datatrove peer, .bench/datatrove-venv, shared by the
benchmarks that compare with datatrove (filters/rules.py, dedup/dedup.py, pipeline/end_to_end.py):
datatrove 0.10.1 and spaCy from PyPI, plus whatever extras a benchmark's chain imports, installed
on first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks import REPO

VENV = REPO / ".bench" / "datatrove-venv"
# regex: datatrove's word tokenizers import it (its "processing" extra), spaCy's English needs it
DATATROVE = ["datatrove==0.10.1", "spacy>=3.8,<3.9", "regex"]
IMPORTS = ["datatrove", "spacy", "regex"]


def ensure_datatrove_venv(extras: list[str] = (), imports: list[str] = ()) -> Path:
    """The venv's python, created and given the packages (DATATROVE + extras) when it lacks
    any of the modules (IMPORTS + imports)."""
    python = VENV / "bin" / "python"
    if not python.is_file():
        packages = " ".join([*DATATROVE, *extras])
        print(f"creating {VENV} with {packages} (benchmark only) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    check = [str(python), "-c", f"import {', '.join([*IMPORTS, *imports])}"]
    if subprocess.run(check, capture_output=True).returncode != 0:  # new, or made by another
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *DATATROVE, *extras], check=True)
    return python
