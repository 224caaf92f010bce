"""pipelines/commoncrawl.yaml, every step of it, on the bundled sample."""

from __future__ import annotations

import pytest
from conftest import REPO, SAMPLE_WARC
from helpers import read_jsonl_dir

from dolmakit.engine.run import run_pipeline


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("commoncrawl")
    summary = run_pipeline(
        str(REPO / "pipelines" / "commoncrawl.yaml"),
        [f"input.paths=[{SAMPLE_WARC}]", f"output.path={out}"],
        [],
    )
    steps = {step["name"]: step for step in summary.report["steps"]}
    return summary, steps, read_jsonl_dir(out / "documents"), read_jsonl_dir(out / "removed")


def test_runs_every_step_and_accounts_for_every_record(full_run):
    summary, steps, docs, removed = full_run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"] and totals["in"] == 35
    assert totals["kept"] == len(docs) and totals["removed"] == len(removed)
    for name in ("url_filter", "exact_dedup", "line_dedup", "language_filter", "gopher_quality",
                 "c4_filters", "fineweb_quality", "ccnet_perplexity_v1", "minhash_dedup",
                 "pii_mask_v1"):  # fmt: skip
        assert name in steps


def test_each_family_removes_for_its_own_reasons(full_run):
    _, steps, _, removed = full_run
    assert steps["exact_dedup"]["removed"] == {"exact_duplicate": 1}
    assert set(steps["language_filter"]["removed"]) >= {"language_de", "language_ru", "language_ja"}
    reasons = {r["removed"]["reason"] for r in removed}
    assert any(reason.startswith("gopher_") for reason in reasons)
    assert all(r["removed"]["step"] in steps for r in removed)


def test_kept_documents_are_english_scored_and_masked(full_run):
    _, _, docs, _ = full_run
    assert docs
    for doc in docs:
        attributes = doc["attributes"]
        assert attributes["language_id_v1__en"][0][2] >= 0.5
        assert attributes["ccnet_perplexity_v1__perplexity"][0][2] <= 2000
        assert 0 <= attributes["quality_classifier_v1__hq"][0][2] <= 1


def test_the_contact_page_is_dropped_as_datatrove_drops_it(full_run):
    """Addresses and phone numbers: 73% of its spaCy tokens have a letter, below Gopher's 0.8
    (datatrove's GopherQualityFilter drops it for the same reason)."""
    _, _, _, removed = full_run
    contact = next(r for r in removed if r["metadata"]["url"].endswith("/contact"))
    assert contact["removed"] == {"step": "gopher_quality", "reason": "gopher_below_alpha_threshold"}


def test_with_the_papers_words_the_contact_page_is_kept_and_masked(tmp_path):
    summary = run_pipeline(
        str(REPO / "pipelines" / "commoncrawl.yaml"),
        [f"input.paths=[{SAMPLE_WARC}]", f"output.path={tmp_path}",
         "steps.gopher_quality_v1.preset=gopher", "steps.gopher_repetition_v1.preset=gopher"],
        [],
    )  # fmt: skip
    assert summary.ok
    docs = read_jsonl_dir(tmp_path / "documents")
    assert len(docs) == 10
    contact = next(d for d in docs if d["metadata"]["url"].endswith("/contact"))
    assert "|||EMAIL_ADDRESS|||" in contact["text"] and "|||IP_ADDRESS|||" in contact["text"]
    assert "192.0.2.17" not in contact["text"]
    assert "2024-03-15" in contact["text"] and "3.11.7" in contact["text"]  # not PII
