"""pipelines/commoncrawl.yaml, every step of it, on the bundled sample."""

from __future__ import annotations

import pytest
from conftest import REPO, SAMPLE_WARC
from helpers import read_jsonl_dir

from dolmakit.engine.run import run_pipeline

# the sample's pages that reach the perplexity step, by their perplexity under the bundled model:
# CCNet's tail (at or above the crawl's 60th percentile, dolmakit/data/lm/cutoffs.json) is dropped
TAIL_PAGES = {
    "cafe-groessl", "compost-heap", "pantry-staples", "riding-through-winter",
    "small-pull-requests",
}  # fmt: skip


def run_sample(out, *overrides: str):
    summary = run_pipeline(
        str(REPO / "pipelines" / "commoncrawl.yaml"),
        [f"input.paths=[{SAMPLE_WARC}]", f"output.path={out}", *overrides],
        [],
    )
    steps = {step["name"]: step for step in summary.report["steps"]}
    return summary, steps, read_jsonl_dir(out / "documents"), read_jsonl_dir(out / "removed")


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    return run_sample(tmp_path_factory.mktemp("commoncrawl"))


# of the 5 left, those the reference classifier scores below the threshold: unlike Wikipedia
NOT_REFERENCE_LIKE = {"library-reopens", "slow-braised-white-beans"}


@pytest.fixture(scope="module")
def loosened_run(tmp_path_factory):
    """The pipeline with the Gopher paper's whitespace words and its perplexity and classifier
    filters loosened, so that the sample's contact page (mostly addresses and numbers, in the
    tail, unlike Wikipedia) reaches PII masking."""
    return run_sample(
        tmp_path_factory.mktemp("commoncrawl-loosened"),
        "steps.gopher_quality_v1.preset=gopher",
        "steps.gopher_repetition_v1.preset=gopher",
        "steps.perplexity_filter.config.remove_if="
        "{perplexity_tail: 'ccnet_perplexity_v1__perplexity > 100000'}",
        "steps.quality_filter.config.remove_if="
        "{not_reference_like: 'quality_classifier_v1__hq < 0'}",
    )


def page_name(record: dict) -> str:
    return record["metadata"]["url"].rstrip("/").rsplit("/", 1)[-1]


def test_runs_every_step_and_accounts_for_every_record(full_run):
    summary, steps, docs, removed = full_run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"] and totals["in"] == 35
    assert (totals["kept"], totals["removed"]) == (2, 33)
    assert totals["kept"] == len(docs) and totals["removed"] == len(removed)
    for name in ("url_filter", "exact_dedup", "line_dedup", "language_filter", "gopher_quality",
                 "c4_filters", "fineweb_quality", "ccnet_perplexity_v1", "minhash_dedup",
                 "pii_mask_v1"):  # fmt: skip
        assert name in steps


def test_each_family_removes_for_its_own_reasons(full_run):
    _, steps, _, removed = full_run
    assert steps["exact_dedup"]["removed"] == {"exact_duplicate": 1}
    assert set(steps["language_filter"]["removed"]) >= {"language_de", "language_ru", "language_ja"}
    assert steps["ccnet_perplexity_v1"]["in"] == 9
    assert steps["perplexity_filter"]["removed"] == {"perplexity_tail": len(TAIL_PAGES)}
    tail = {page_name(r) for r in removed if r["removed"]["reason"] == "perplexity_tail"}
    assert tail == TAIL_PAGES
    assert steps["quality_filter"]["removed"] == {"not_reference_like": len(NOT_REFERENCE_LIKE)}
    unlike = {page_name(r) for r in removed if r["removed"]["reason"] == "not_reference_like"}
    assert unlike == NOT_REFERENCE_LIKE
    reasons = {r["removed"]["reason"] for r in removed}
    assert any(reason.startswith("gopher_") for reason in reasons)
    assert all(r["removed"]["step"] in steps for r in removed)


def test_kept_documents_are_english_in_head_or_middle_and_reference_like(full_run):
    _, _, docs, _ = full_run
    assert sorted(map(page_name, docs)) == ["jupiter-moons", "woollen-mills"]
    for doc in docs:
        attributes = doc["attributes"]
        assert attributes["language_id_v1__en"][0][2] >= 0.5
        assert attributes["ccnet_perplexity_v1__perplexity"][0][2] < 324.4  # the tail cutoff
        keys = {key.removeprefix("ccnet_perplexity_v1__") for key in attributes}
        assert len(keys & {"head", "middle", "tail"}) == 1 and "tail" not in keys
        assert 0.02 <= attributes["quality_classifier_v1__hq"][0][2] <= 1


def test_the_contact_page_is_dropped_as_datatrove_drops_it(full_run):
    """Addresses and phone numbers: 73% of its spaCy tokens have a letter, below Gopher's 0.8
    (datatrove's GopherQualityFilter drops it for the same reason)."""
    _, _, _, removed = full_run
    contact = next(r for r in removed if page_name(r) == "contact")
    assert contact["removed"] == {
        "step": "gopher_quality",
        "reason": "gopher_below_alpha_threshold",
    }


def test_pii_is_masked(loosened_run):
    _, steps, docs, _ = loosened_run
    assert steps["perplexity_filter"]["removed"] == steps["quality_filter"]["removed"] == {}
    contact = next(d for d in docs if page_name(d) == "contact")
    assert "|||EMAIL_ADDRESS|||" in contact["text"] and "|||IP_ADDRESS|||" in contact["text"]
    assert "192.0.2.17" not in contact["text"]
    assert "2024-03-15" in contact["text"] and "3.11.7" in contact["text"]  # not PII
