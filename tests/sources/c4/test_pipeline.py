"""pipelines/c4.yaml, every step of it, on the bundled sample (samples/c4, see its README)."""

from __future__ import annotations

import pytest
from conftest import REPO
from helpers import run_shipped_pipeline

SAMPLE = REPO / "samples" / "c4"
# the tricky page after C4's line rules: the menu, title, javascript, cookie, "Share this
# post..." and "Posted in" lines gone, the [1] citation marker stripped
RIDING_THROUGH_WINTER = (
    "Cold mornings are no reason to leave the bicycle in the shed until March.\n"
    "Wide tyres at lower pressure give far more grip on wet and frozen roads.\n"
    "Wear thin layers rather than one thick coat, and keep your fingers warm.\n"
    "Lights are not optional when the sun sets before five in the afternoon."
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("c4")
    done = run_shipped_pipeline("c4", out, f"input.paths=[{SAMPLE}/*.json.gz]")
    return done.summary, done.docs, done.removed, done.errors


def test_every_record_is_accounted_for(run):
    summary, docs, removed, errors = run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"]
    assert totals["in"] == 14 == totals["kept"] + totals["removed"] + totals["errors"]
    assert (totals["kept"], totals["removed"], totals["errors"]) == (len(docs), len(removed), 1)
    assert errors[0]["kind"] == "bad_record" and errors[0]["line"] == 3


def test_the_javascript_page_is_cleaned_line_by_line_as_c4_does(run):
    _, docs, _, _ = run
    page = docs["en/c4-train.00000-of-00002/2"]
    assert page["text"] == RIDING_THROUGH_WINTER
    assert page["source"] == "c4" and page["created"] == "2019-04-20T17:03:09Z"
    assert (
        page["metadata"]["url"]
        == "https://www.spokes-and-gravel.example/blog/riding-through-winter"
    )


def test_each_page_is_removed_for_its_own_reason(run):
    _, _, removed, _ = run
    reasons = {doc_id: (doc["removed"]["step"], doc["removed"]["reason"])
               for doc_id, doc in removed.items()}  # fmt: skip
    shard0, shard1 = "en/c4-train.00000-of-00002", "en/c4-train.00001-of-00002"
    assert reasons == {
        f"{shard1}/1": ("exact_dedup", "exact_duplicate"),  # cross-shard copy, crawled later
        f"{shard0}/4": ("language_filter", "language_de"),
        f"{shard1}/4": ("language_filter", "language_fr"),
        f"{shard0}/6": ("c4_lines_v1", "c4_no_lines"),
        f"{shard0}/3": ("c4_filters", "c4_lorem_ipsum"),
        f"{shard1}/5": ("c4_filters", "c4_curly_bracket"),
        f"{shard1}/6": ("c4_filters", "c4_too_few_sentences"),
        f"{shard1}/2": ("minhash_dedup", "near_duplicate"),
    }
    assert removed[f"{shard1}/1"]["metadata"]["duplicate_of"] == f"{shard0}/1"
    assert removed[f"{shard1}/2"]["metadata"]["duplicate_of"] == f"{shard0}/5"


def test_repeated_lines_are_dropped_and_pii_masked(run):
    _, docs, _, _ = run
    sign_off = "Thanks for reading, and see you at the Saturday market next week."
    assert docs["en/c4-train.00000-of-00002/1"]["text"].endswith(sign_off)  # the first one
    assert sign_off not in docs["en/c4-train.00001-of-00002/7"]["text"]
    bakery = docs["en/c4-train.00000-of-00002/7"]["text"]
    assert "|||EMAIL_ADDRESS|||" in bakery and "orders@" not in bakery
    assert sign_off not in bakery
