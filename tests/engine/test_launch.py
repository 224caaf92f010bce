"""The one launch `dolmakit run`, `tag` and `mix` share: runner choice, a run to its end, and
the input's size."""

from __future__ import annotations

import os

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineState

import dolmakit.engine.builtins  # noqa: F401  (the readers register on import: jsonl for expand_inputs)
from dolmakit.core.errors import ConfigError, FatalError
from dolmakit.engine import launch
from dolmakit.engine.launch import choose_runner, input_bytes, new_pipeline, run_to_end
from dolmakit.io.inputs import InputFile, expand_inputs


def fail_on(value: int) -> int:
    raise ValueError(f"no {value}")


def test_the_local_runner_gets_the_configured_workers():
    options = PipelineOptions([])
    _, label = choose_runner(options, "local", 3)
    direct = options.view_as(DirectOptions)
    assert label == "local (3 workers)"
    assert (direct.direct_num_workers, direct.direct_running_mode) == (3, "multi_processing")
    assert options.view_as(StandardOptions).runner is None


def test_one_worker_runs_in_memory():
    pipeline, label = new_pipeline([], "DirectRunner", 1)
    direct = pipeline.options.view_as(DirectOptions)
    assert label == "local (1 worker)"
    assert (direct.direct_num_workers, direct.direct_running_mode) == (1, "in_memory")


def test_runner_on_the_command_line_wins_over_the_config(tmp_path, monkeypatch):
    monkeypatch.setenv("DOLMAKIT_PRISM", str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match=r"no Prism binary at .*nope: run scripts/build_prism"):
        choose_runner(PipelineOptions(["--runner=prism"]), "local", 1)
    with pytest.raises(ConfigError, match=r"no Prism binary"):
        choose_runner(PipelineOptions([]), "PrismRunner", 1)


def test_bad_beam_options_are_a_config_error():
    with pytest.raises(ConfigError) as caught:
        new_pipeline(["--profiler_agent=x", "--profile_cpu"], "local", 1)
    assert caught.value.source == "pipeline options"
    assert caught.value.message == (
        "Pipeline has validations errors: \n"
        "--profiler_agent is mutually exclusive with --profile_cpu and --profile_memory."
    )


def test_a_run_to_its_end_returns_the_finished_result():
    pipeline, _ = new_pipeline([], "local", 1)
    _ = pipeline | beam.Create([1, 2, 3]) | beam.Map(lambda x: x * 2)
    assert run_to_end(pipeline, "pipeline").state == PipelineState.DONE


@pytest.mark.parametrize("what", ["pipeline", "mix"])
def test_a_failing_run_is_a_fatal_error_that_names_what_failed(what):
    pipeline, _ = new_pipeline([], "local", 1)
    _ = pipeline | beam.Create([7]) | "Fail" >> beam.Map(fail_on)
    with pytest.raises(FatalError) as caught:
        run_to_end(pipeline, what)
    assert str(caught.value) == f"the {what} failed: ValueError: no 7 [while running 'Fail']"
    assert isinstance(caught.value.__cause__, ValueError)


def test_input_bytes_are_the_sizes_the_globs_found(tmp_path):
    for i, size in enumerate((10, 0, 2_345)):
        (tmp_path / f"part-{i}.jsonl").write_bytes(b"a" * size)
    files = expand_inputs([str(tmp_path / "*.jsonl")], None, "", "auto", "p.yaml")
    assert [file.size for file in files] == [10, 0, 2_345]
    assert input_bytes(files) == 2_355
    assert input_bytes(files[1:2]) == 0
    assert input_bytes([]) == 0
    unknown = InputFile("s3://commoncrawl/x.warc.gz", "warc", 0, 1)  # from a listing
    assert input_bytes([*files, unknown]) == 2_355


def test_local_workers_inherit_two_malloc_arenas_unless_set(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    choose_runner(PipelineOptions([]), "local", 2)
    assert os.environ["MALLOC_ARENA_MAX"] == "2"
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    choose_runner(PipelineOptions([]), "local", 2)
    assert os.environ["MALLOC_ARENA_MAX"] == "4"


MB = 1_000_000


@pytest.mark.parametrize(
    ("sizes", "workers"),
    [
        ([100 * MB] * 8, 8),  # no more than files: a pass gives each worker whole files
        ([100 * MB] * 40, 16),  # no more than cores
        ([1 * MB] * 40, 1),  # 40 MB: one more worker would not pay for its start
        ([10 * MB] * 40, 12),  # 400 MB: one per 32 MB
        ([-1] * 40, 16),  # a listing's files, sizes not known: cores and files only
        ([], 1),
    ],
)
def test_the_default_is_a_worker_per_core_file_and_32_mb(monkeypatch, sizes, workers):
    monkeypatch.setattr(launch, "cores", lambda: 16)
    assert launch.local_workers(0, sizes) == workers


def test_a_configured_worker_count_is_kept(monkeypatch):
    monkeypatch.setattr(launch, "cores", lambda: 16)
    assert launch.local_workers(3, [1 * MB]) == 3
    assert launch.local_workers(1, [100 * MB] * 40) == 1


def test_negative_workers_are_a_config_error():
    with pytest.raises(ConfigError, match="-2 workers: 0 .one per core. or more"):
        launch.local_workers(-2, [])


def test_the_default_run_config_uses_the_cores(monkeypatch):
    from dolmakit.engine.run_config import RunConfig

    monkeypatch.setattr(launch, "cores", lambda: 2)
    pipeline, label = new_pipeline([], "local", RunConfig().workers, [100 * MB] * 4)
    assert label == "local (2 workers)"
    assert pipeline.options.view_as(DirectOptions).direct_running_mode == "multi_processing"
    _, label = new_pipeline([], "local", RunConfig().workers, [3 * MB] * 4)
    assert label == "local (1 worker)"


def test_cores_are_those_this_process_may_use_not_the_machines(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})  # e.g. `taskset -c 3`
    assert launch.cores() == 1
