"""How the steps of a pipeline become its stages."""

from dolmakit.dedup.exact import ExactDedup, ExactDedupConfig
from dolmakit.dedup.exact_lines import ExactThenLineDedup
from dolmakit.dedup.lines import LineDedup, LineDedupConfig
from dolmakit.dedup.minhash import MinHashDedup, MinHashDedupConfig
from dolmakit.engine.pipeline import _stages
from dolmakit.taggers.stats import TextStats, TextStatsConfig


def test_adjacent_exact_and_line_dedup_become_one_stage_and_per_document_steps_one_run():
    exact, lines = ExactDedup("exact", ExactDedupConfig()), LineDedup("lines", LineDedupConfig())
    stats, near = TextStats("stats", TextStatsConfig()), MinHashDedup("near", MinHashDedupConfig())
    stages = _stages([exact, lines, stats, stats, near, exact])
    assert [type(stage) for stage in stages] == [ExactThenLineDedup, list, MinHashDedup, ExactDedup]
    assert stages[0].name == "exact+lines"
    assert (stages[0].exact, stages[0].lines) == (exact, lines)
    assert stages[1] == [stats, stats]
    assert _stages([lines, exact]) == [lines, exact]
