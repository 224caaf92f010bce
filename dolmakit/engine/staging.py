"""Ships dolmakit to remote workers (Dataflow, Flink, Spark) so a run works there unchanged.

Remote workers start from Beam's own image, without dolmakit or fastwarc. Unless the user chose a
way to stage code (`--setup_file`, `--extra_package`, `--requirements_file`, a custom container),
dolmakit builds a wheel of itself and passes it as `--extra_package`; Beam pip-installs it, with
its dependencies, on every worker.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions, WorkerOptions

from dolmakit.core.errors import FatalError

LOG = logging.getLogger("dolmakit")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def stage_dolmakit(options: PipelineOptions) -> None:
    setup = options.view_as(SetupOptions)
    worker = options.view_as(WorkerOptions)
    chosen = (setup.setup_file, setup.extra_packages, setup.requirements_file)
    if any(chosen) or worker.sdk_container_image:
        return
    setup.extra_packages = [str(build_wheel())]


def build_wheel() -> Path:
    """Builds dolmakit's wheel from its source tree (an editable or source install), in a clean
    copy of it: setuptools' build/ folder keeps modules a later version removed, and a wheel
    built over it would ship them to the workers."""
    if not (PROJECT_ROOT / "pyproject.toml").is_file():
        raise FatalError(
            "dolmakit is not installed from source, so it cannot build a wheel for the workers; "
            "pass --extra_package PATH_TO_DOLMAKIT_WHEEL or --sdk_container_image"
        )
    out = Path(tempfile.mkdtemp(prefix="dolmakit-wheel-"))
    source = out / "source"
    skipped = shutil.ignore_patterns(*_NOT_SHIPPED)
    shutil.copytree(PROJECT_ROOT, source, ignore=skipped, symlinks=True)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."]
    LOG.info("building a dolmakit wheel for the workers")
    done = subprocess.run(command, cwd=source, capture_output=True, text=True)
    shutil.rmtree(source, ignore_errors=True)
    wheels = list(out.glob("dolmakit-*.whl"))
    if done.returncode != 0 or not wheels:
        raise FatalError(f"building the dolmakit wheel failed: {done.stderr.strip()[-2000:]}")
    return wheels[0]


# what a wheel is never built from: build and test outputs, environments, caches
_NOT_SHIPPED = (
    "build",
    "dist",
    "*.egg-info",
    ".venv",
    ".git",
    ".bench",
    "out",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
)
