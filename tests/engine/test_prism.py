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


def run_on_beams_default_runner() -> None:
    """What other tests in the same process do: Beam's default runner, which asks for Beam's
    one shared Prism job server first (and falls back when it cannot download Prism)."""
    import apache_beam as beam

    with beam.Pipeline() as pipeline:
        _ = pipeline | beam.Create([1]) | beam.Map(lambda x: x)


@needs_prism
def test_the_sample_on_prism_equals_the_local_runner(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    run_on_beams_default_runner()  # CI found the shared server made here reused below
    pipeline = str(REPO / "pipelines" / "commoncrawl.yaml")
    local = run_pipeline(pipeline, [f"output.path={tmp_path / 'local'}"], [])
    prism = run_pipeline(pipeline, [f"output.path={tmp_path / 'prism'}", "run.runner=prism"], [])
    assert local.ok and prism.ok
    assert prism.report["runner"].startswith("prism ")
    assert prism.report["totals"] == local.report["totals"]
    assert len(documents(tmp_path / "local")) == 2
    assert documents(tmp_path / "prism") == documents(tmp_path / "local")


def test_a_missing_binary_names_the_build_script(tmp_path, monkeypatch):
    from apache_beam.options.pipeline_options import PipelineOptions

    monkeypatch.setenv("DOLMAKIT_PRISM", str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match=r"run scripts/build_prism\.sh"):
        use_prism(PipelineOptions([]))


def test_prism_gets_its_own_job_server(tmp_path, monkeypatch):
    from apache_beam.options.pipeline_options import DebugOptions, PipelineOptions

    binary = tmp_path / "prism"
    binary.write_bytes(b"")
    monkeypatch.setenv("DOLMAKIT_PRISM", str(binary))
    options = PipelineOptions([])
    assert use_prism(options) == ("PrismRunner", f"prism {apache_beam.__version__}")
    assert options.view_as(DebugOptions).experiments == ["disable_prism_server_singleton"]
