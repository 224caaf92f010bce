"""`run.runner: prism`: the sample pipeline on Beam's Prism runner (built by
scripts/build_prism.sh) gives byte-identical documents to the default local runner."""

from __future__ import annotations

import gzip
from pathlib import Path

import apache_beam
import pytest
from conftest import REPO

from dolmakit.core.errors import ConfigError
from dolmakit.engine.prism import prism_binary, use_prism
from dolmakit.engine.run import run_pipeline

needs_prism = pytest.mark.skipif(
    not prism_binary().is_file(), reason="Prism not built: run scripts/build_prism.sh (needs Go)"
)


def documents(root: Path) -> list[str]:
    """Each document line minus its `added` timestamp, sorted."""
    rows = []
    for path in sorted((root / "documents").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                head, _, rest = line.partition('"added": ')
                rows.append(head + rest.split(", ", 1)[1])
    return sorted(rows)


@needs_prism
def test_the_sample_on_prism_equals_the_local_runner(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    pipeline = str(REPO / "pipelines" / "commoncrawl.yaml")
    local = run_pipeline(pipeline, [f"output.path={tmp_path / 'local'}"], [])
    prism = run_pipeline(pipeline, [f"output.path={tmp_path / 'prism'}", "run.runner=prism"], [])
    assert local.ok and prism.ok
    assert prism.report["runner"].startswith("prism ")
    assert prism.report["totals"] == local.report["totals"]
    assert len(documents(tmp_path / "local")) == 10
    assert documents(tmp_path / "prism") == documents(tmp_path / "local")


def test_a_missing_binary_names_the_build_script(tmp_path, monkeypatch):
    from apache_beam.options.pipeline_options import PipelineOptions

    monkeypatch.setenv("DOLMAKIT_PRISM", str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match=r"run scripts/build_prism\.sh"):
        use_prism(PipelineOptions([]))


@needs_prism
def test_prism_runs_after_a_direct_runner_pipeline_in_the_same_process(tmp_path, monkeypatch):
    """TestPipeline (DirectRunner) asks for Beam's shared Prism job server first; our run must
    not reuse that server, which knows no binary and would try to download one."""
    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    with TestPipeline() as pipeline:
        assert_that(pipeline | beam.Create([1, 2]) | beam.Map(lambda x: x + 1), equal_to([2, 3]))
    monkeypatch.chdir(REPO)
    pipeline_file = str(REPO / "pipelines" / "commoncrawl.yaml")
    prism = run_pipeline(pipeline_file, [f"output.path={tmp_path}", "run.runner=prism"], [])
    assert prism.ok and len(documents(tmp_path)) == 10


def test_prism_gets_its_own_job_server(tmp_path, monkeypatch):
    from apache_beam.options.pipeline_options import DebugOptions, PipelineOptions

    binary = tmp_path / "prism"
    binary.write_bytes(b"")
    monkeypatch.setenv("DOLMAKIT_PRISM", str(binary))
    options = PipelineOptions([])
    assert use_prism(options) == ("PrismRunner", f"prism {apache_beam.__version__}")
    assert options.view_as(DebugOptions).experiments == ["disable_prism_server_singleton"]
