"""The Dataflow job graph, built offline with Beam's --dry_run (nothing reaches Google)."""

from __future__ import annotations

import pytest
from apache_beam.options.pipeline_options import SetupOptions
from conftest import REPO, SAMPLE_WARC

from dolmakit.engine.config import load_pipeline
from dolmakit.engine.pipeline import make_pipeline

pytest.importorskip("apache_beam.runners.dataflow.internal.apiclient")
pytest.importorskip("google.cloud.storage", reason="needs the apache-beam[gcp] extra")

DATAFLOW_ARGS = [
    "--runner=DataflowRunner",
    "--project=dolmakit-test",
    "--region=europe-west4",
    "--temp_location=gs://dolmakit-test-bucket/tmp",
    "--dry_run=True",
]


def test_dataflow_job_graph_holds_every_step():
    resolved = load_pipeline(
        REPO / "tests" / "data" / "backbone.yaml",
        [f"input.paths=[{SAMPLE_WARC}]", "output.path=gs://dolmakit-test-bucket/out"],
    )
    launch = make_pipeline(resolved, DATAFLOW_ARGS)
    result = launch.pipeline.run()
    transforms = result.job.proto_pipeline.components.transforms.values()
    names = {transform.unique_name for transform in transforms}
    assert "Read files" in names  # one pass: read, steps, documents, removed, errors written
    assert not [name for name in names if name.startswith(("Decide", "Apply"))]
    assert launch.runner_label == "DataflowRunner"
    # dolmakit ships itself to the workers as a wheel
    (wheel,) = launch.pipeline.options.view_as(SetupOptions).extra_packages
    assert wheel.endswith(".whl") and "dolmakit-" in wheel
    assert result.job.proto.environment is not None


def test_the_commoncrawl_graph_builds_for_dataflow_with_a_pass_per_global_step():
    resolved = load_pipeline(
        REPO / "pipelines" / "commoncrawl.yaml",
        [f"input.paths=[{SAMPLE_WARC}]", "output.path=gs://dolmakit-test-bucket/out"],
    )
    result = make_pipeline(resolved, DATAFLOW_ARGS).pipeline.run()
    names = {t.unique_name for t in result.job.proto_pipeline.components.transforms.values()}
    for step in ("exact_dedup", "line_dedup", "minhash_dedup"):
        assert {f"Decide {step}", f"Join {step} labels to files", f"Apply {step}"} <= names
