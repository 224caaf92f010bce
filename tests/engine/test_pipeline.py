"""The job graph make_pipeline builds (built, not run): passes over files between global steps,
and only keys and labels in its shuffles."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections import Counter

import apache_beam as beam
import pytest
from apache_beam.internal import pickler
from conftest import REPO, SAMPLE_WARC

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.dedup.exact import ExactDedup, ExactDedupConfig
from dolmakit.dedup.lines import LineDedup, LineDedupConfig
from dolmakit.dedup.minhash import MinHashDedup, MinHashDedupConfig
from dolmakit.engine.config import load_pipeline
from dolmakit.engine.pipeline import make_pipeline
from dolmakit.engine.run import run_pipeline
from dolmakit.engine.segments import Outputs, ReadPassFn, Segment, plan_segments
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader
from dolmakit.sources.stackexchange.reader import StackExchangePostsReader
from dolmakit.sources.stackexchange.threads import PostKeys, Verdict
from dolmakit.taggers.stats import TextStats, TextStatsConfig

GROUPING = ("beam:transform:group_by_key:v1",)
SAMPLE_POSTS = REPO / "samples" / "stackexchange" / "*" / "Posts.xml"


def graph(pipeline_file, tmp_path) -> dict:
    resolved = load_pipeline(pipeline_file, [f"input.paths=[{SAMPLE_WARC}]",
                                             f"output.path={tmp_path}"])  # fmt: skip
    return make_pipeline(resolved, []).pipeline.to_runner_api().components.transforms


def test_steps_split_into_passes_at_each_global_step():
    exact, lines = ExactDedup("exact", ExactDedupConfig()), LineDedup("lines", LineDedupConfig())
    stats, near = TextStats("stats", TextStatsConfig()), MinHashDedup("near", MinHashDedupConfig())
    assert plan_segments([stats, exact, lines, stats, stats, near]) == [
        Segment(None, [stats], exact),
        Segment(exact, [], lines),
        Segment(lines, [stats, stats], near),
        Segment(near, [], None),
    ]
    assert plan_segments([]) == [Segment(None, [], None)]


def test_every_shuffle_of_the_commoncrawl_graph_moves_keys_or_labels(tmp_path):
    """GroupByKeys sit only inside a global step's decision, the join of its labels to their
    files, and the spreading of the input files: never over documents."""
    transforms = graph(REPO / "pipelines" / "commoncrawl.yaml", tmp_path)
    grouping = sorted({t.unique_name.split("/")[0] for t in transforms.values()
                       if t.spec.urn in GROUPING})  # fmt: skip
    assert grouping == [
        "Decide exact_dedup", "Decide line_dedup", "Decide minhash_dedup",
        "Join exact_dedup labels to files", "Join line_dedup labels to files",
        "Join minhash_dedup labels to files", "Spread files",
    ]  # fmt: skip
    names = [t.unique_name for t in transforms.values() if "/" not in t.unique_name]
    passes = sorted(name for name in names if name.startswith(("Read files", "Apply ")))
    assert passes == ["Apply exact_dedup", "Apply line_dedup", "Apply minhash_dedup", "Read files"]


def test_the_read_pass_unpickles_without_the_other_readers_and_steps(tmp_path):
    """A worker unpickling the read DoFn imports the WARC reader's module, not every reader and
    step that registers itself (dolmakit.engine.builtins)."""
    outputs = Outputs(str(tmp_path), 1)
    read = ReadPassFn(outputs, Segment(None, [], None), ReadConfig(), "common-crawl", "",
                      {"warc": WarcReader})  # fmt: skip
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


def test_a_resumed_run_skips_the_decision_of_a_pass_whose_files_are_all_done(tmp_path):
    """The sample is one file: with its record in pass 2 (after line_dedup), line dedup does
    not decide again; exact and MinHash dedup, whose passes are not done, do."""
    record = tmp_path / "_done" / "2" / "part-00000.json"
    record.parent.mkdir(parents=True)
    record.write_text('{"counters": {}, "keys": false, "main": [0, "x"]}')
    overrides = [f"input.paths=[{SAMPLE_WARC}]", f"output.path={tmp_path}"]
    resolved = load_pipeline(REPO / "pipelines" / "commoncrawl.yaml", overrides)
    launch = make_pipeline(resolved, [], output_root=str(tmp_path), resumed=True)
    graph = launch.pipeline.to_runner_api()
    names = {t.unique_name.split("/")[0] for t in graph.components.transforms.values()}
    assert "No labels for line_dedup: its pass is done" in names
    assert {"Decide exact_dedup", "Decide minhash_dedup"} <= names
    assert "Decide line_dedup" not in names


@pytest.fixture
def pickled_documents(monkeypatch) -> Counter:
    """Counts, by class, the documents (kept, removed or errors) that pickle encodes: what Beam's
    coders do to an element of those classes that leaves one stage for the next."""
    pickled: Counter = Counter()
    for kind in (Document, Removed, ErrorRecord):

        def counted(self, protocol, name=kind.__name__, reduce=kind.__reduce_ex__):
            pickled[name] += 1
            return reduce(self, protocol)

        monkeypatch.setattr(kind, "__reduce_ex__", counted)
    return pickled


def test_no_document_leaves_its_stage_in_a_commoncrawl_run(tmp_path, pickled_documents):
    """Run for real: every element that crosses a GroupByKey, a Flatten or any other boundary
    between stages is encoded, so a document there would be counted; only files' names, keys
    and labels cross."""
    overrides = [f"input.paths=[{SAMPLE_WARC}]", f"output.path={tmp_path}"]
    summary = run_pipeline(str(REPO / "pipelines" / "commoncrawl.yaml"), overrides, [])
    assert (summary.report["totals"]["kept"], summary.report["totals"]["removed"]) == (2, 33)
    assert pickled_documents == Counter()


def test_no_post_nor_its_text_leaves_its_stage_in_a_stackexchange_run(
    tmp_path, pickled_documents, monkeypatch
):
    """stackexchange_threads merges posts of any file: its keys hold a post's facts, its labels
    the answers' addresses, and the pass over the question's file reads the answers back from
    the staged files; no post's text is in a key or a label (112 posts reach the step)."""
    made = {"keys": [], "labels": []}
    for owner, name, kind in ((PostKeys, "add", "keys"), (Verdict, "label", "labels")):
        monkeypatch.setattr(owner, name, recording(getattr(owner, name), made[kind]))
    overrides = [f"input.paths=[{SAMPLE_POSTS}]", f"output.path={tmp_path}", "run.workers=1"]
    summary = run_pipeline(str(REPO / "pipelines" / "stackexchange.yaml"), overrides, [])
    assert (summary.report["totals"]["kept"], summary.report["totals"]["removed"]) == (32, 86)
    assert pickled_documents == Counter()
    assert (len(made["keys"]), len(made["labels"])) == (112, 112)
    encoded = pickle.dumps(made)
    texts = {post.text for post in sample_posts() if len(post.text) >= 12}
    assert len(texts) == 109 and not [text for text in texts if text.encode() in encoded]


def recording(method, made: list):
    """The method, with what it returns kept in `made`."""

    def recorded(self, *args):
        found = method(self, *args)
        made.extend(found if isinstance(found, list) else [found])
        return found

    return recorded


def sample_posts() -> list[Document]:
    reader = StackExchangePostsReader(ReadConfig(), "stackexchange", "")
    paths = sorted(SAMPLE_POSTS.parent.parent.glob("*/Posts.xml"))
    return [item for path in paths for item in reader.read(str(path))
            if isinstance(item, Document)]  # fmt: skip


def test_a_document_that_crosses_a_shuffle_is_counted(pickled_documents):
    """The check above can fail: documents grouped by source are encoded on their way."""
    with beam.Pipeline() as pipeline:
        _ = (pipeline | beam.Create(["a", "b"])
             | beam.Map(lambda text: ("web", Document(text, text, "web")))
             | beam.GroupByKey())  # fmt: skip
    assert pickled_documents["Document"] >= 2


def test_a_worker_unpickling_the_commoncrawl_graph_imports_no_config(tmp_path):
    """Every DoFn and function of the graph, unpickled in a fresh process as a worker does,
    imports its own modules, never the config loader (which registers every reader and step)."""
    from apache_beam.portability import common_urns
    from apache_beam.portability.api import beam_runner_api_pb2

    pardo = common_urns.primitives.PAR_DO.urn
    payloads = [beam_runner_api_pb2.ParDoPayload.FromString(t.spec.payload).do_fn.payload
                for t in graph(REPO / "pipelines" / "commoncrawl.yaml", tmp_path).values()
                if t.spec.urn == pardo]  # fmt: skip
    script = (
        "import sys; from apache_beam.internal import pickler; "
        f"[pickler.loads(p) for p in {payloads!r} if p]; "
        "print(sorted(m for m in sys.modules if m.startswith(('dolmakit.engine.config', "
        "'dolmakit.engine.builtins', 'dolmakit.engine.pipeline'))))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, check=True)  # fmt: skip
    assert len(payloads) > 20
    assert done.stdout.split() == ["[]"]
