"""dolmakit's benchmarks, each run from the repository root as
`python -m benchmarks.<package>.<name>` (README.md lists them)."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # the repository root: helpers run with it as cwd
