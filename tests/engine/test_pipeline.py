"""The job graph make_pipeline builds on the local runner (built, not run), and how steps become
its stages."""

from __future__ import annotations

import subprocess
import sys

import pytest
from apache_beam.internal import pickler
from conftest import REPO, SAMPLE_WARC

from dolmakit.dedup.exact import ExactDedup, ExactDedupConfig
from dolmakit.dedup.exact_lines import ExactThenLineDedup
from dolmakit.dedup.lines import LineDedup, LineDedupConfig
from dolmakit.dedup.minhash import MinHashDedup, MinHashDedupConfig
from dolmakit.engine.config import load_pipeline
from dolmakit.engine.pipeline import _stages, make_pipeline
from dolmakit.engine.transforms import ReadFileFn
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader
from dolmakit.taggers.stats import TextStats, TextStatsConfig


def transform_names(removed: str, tmp_path) -> set[str]:
    resolved = load_pipeline(
        REPO / "tests" / "data" / "backbone.yaml",
        [f"input.paths=[{SAMPLE_WARC}]", f"output.path={tmp_path}", f"output.removed={removed}"],
    )
    proto = make_pipeline(resolved, []).pipeline.to_runner_api()
    return {transform.unique_name for transform in proto.components.transforms.values()}


@pytest.mark.parametrize("removed", ["all", "sample"])
def test_removed_documents_are_gathered_and_written(removed, tmp_path):
    names = transform_names(removed, tmp_path)
    assert {"Gather removed", "Write removed", "Gather errors", "Write errors"} <= names
    assert ("Sample removed" in names) == (removed == "sample")


def test_removed_none_builds_no_branch_for_them(tmp_path):
    # a Flatten without a consumer would still ship every removed document to the runner
    names = transform_names("none", tmp_path)
    assert not {name for name in names if "removed" in name.lower()}
    assert {"Gather errors", "Write errors", "Write documents"} <= names


def test_the_read_step_unpickles_without_the_other_readers_and_steps():
    """A worker unpickling the read DoFn imports the WARC reader's module, not every reader and
    step that registers itself (dolmakit.engine.builtins)."""
    read = ReadFileFn(ReadConfig(), "common-crawl", "", {"warc": WarcReader})
    script = (
        "import sys; from apache_beam.internal import pickler; "
        f"fn = pickler.loads({pickler.dumps(read)!r}); "
        "print(fn.readers['warc'].__name__, "
        "sorted(m for m in sys.modules if m.startswith(('dolmakit.sources', 'dolmakit.dedup', "
        "'dolmakit.engine.builtins', 'dolmakit.taggers'))))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, check=True)  # fmt: skip
    assert done.stdout.split() == ["WarcReader", "[]"]


def test_adjacent_exact_and_line_dedup_become_one_stage_and_per_document_steps_one_run():
    exact, lines = ExactDedup("exact", ExactDedupConfig()), LineDedup("lines", LineDedupConfig())
    stats, near = TextStats("stats", TextStatsConfig()), MinHashDedup("near", MinHashDedupConfig())
    stages = _stages([exact, lines, stats, stats, near, exact])
    assert [type(stage) for stage in stages] == [ExactThenLineDedup, list, MinHashDedup, ExactDedup]
    assert stages[0].name == "exact+lines"
    assert (stages[0].exact, stages[0].lines) == (exact, lines)
    assert stages[1] == [stats, stats]
    assert _stages([lines, exact]) == [lines, exact]
