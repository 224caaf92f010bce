"""Presets and word lists that ship inside the package, so a pip-installed dolmakit (and every
remote worker it is staged to) has them wherever it runs.

- `<step type>.yaml`: named settings of one step type, chosen in a pipeline with `preset: NAME`.
  A project's own `taggers/<step type>.yaml` (beside its pipelines/) adds presets or replaces
  packaged ones of the same name.
- `lists/`: blocklists and word lists. A pipeline names one as `dolmakit:lists/<file>`; any other
  path is a file of the user's (local, gs://, s3://).
"""

from __future__ import annotations

from pathlib import Path

PRESETS_DIR = Path(__file__).resolve().parent
PACKAGED = "dolmakit:"


def packaged_path(path: str) -> str:
    """The file a `dolmakit:` path names inside this folder; any other path as it is."""
    if not path.startswith(PACKAGED):
        return path
    relative = path.removeprefix(PACKAGED).lstrip("/")
    resolved = (PRESETS_DIR / relative).resolve()
    if PRESETS_DIR not in resolved.parents:
        raise ValueError(f"{path!r} points outside dolmakit's packaged presets")
    return str(resolved)


def packaged_preset_file(step_type: str) -> Path:
    return PRESETS_DIR / f"{step_type}.yaml"


def packaged_preset_types() -> list[str]:
    """The step types with packaged presets."""
    return sorted(path.stem for path in PRESETS_DIR.glob("*.yaml"))
