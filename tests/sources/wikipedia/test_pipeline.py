"""pipelines/wikipedia.yaml, every step of it, on the bundled sample dumps."""

from __future__ import annotations

import pytest
from conftest import REPO
from helpers import run_shipped_pipeline

SAMPLES = REPO / "samples" / "wikipedia"
# the cleaned text of the sample's tricky article: nested templates in the infobox, a table
# holding templates and a nested table, references, a file link with a link in its caption,
# categories, interlanguage links, magic words, entities, lists and empty sections
HARROWGATE_LIGHTHOUSE = """\
Harrowgate Lighthouse (also Harrowgate Light) is a disused lighthouse on the Harrowgate \
headland, at the mouth of the River Quill. Built in 1847 for the Northern Coast Commissioners, \
it guided colliers into the harbour for more than a century. The French-speaking crews of the \
Breton fishing fleet called it la Sentinelle.

History
The tower was designed by the engineer Agnes Thornbury – the first woman to hold a commission \
from the Commissioners – and stands 31 m above the water. Its lamp was lit on 1 November 1847 \
and could be seen 18 nmi out to sea.

Three keepers lived at the station:
a principal keeper, who kept the log;
two assistant keepers, who shared the night watches;
the first watch ran from dusk to midnight,
the second from midnight to dawn.

The light was automated in 1961 and switched off in 1988, when a buoy took its place.

Legacy
The tower now houses a small museum run by the Quill Valley Trust; see the trust's page and \
the list of lighthouse museums. The keepers' log is kept at the county archive.

See also
List of lighthouses in the North
Marrowby Cheese Market"""


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("wikipedia")
    paths = f"input.paths=[{SAMPLES}/*-pages-articles.xml.bz2]"
    done = run_shipped_pipeline("wikipedia", out, paths)
    return done.summary, done.steps, done.docs, list(done.removed.values())


def test_every_page_is_accounted_for(full_run):
    summary, _, docs, removed = full_run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"]
    assert totals["in"] == 13 == totals["kept"] + totals["removed"] + totals["errors"]
    assert totals["kept"] == len(docs) == 5 and totals["removed"] == len(removed) == 8


def test_each_step_removes_for_its_own_reasons(full_run):
    _, steps, _, removed = full_run
    assert steps["read"]["removed"] == {"redirect": 2, "language_fi": 2, "namespace_1": 1,
                                        "namespace_10": 1}  # fmt: skip
    assert steps["length_filter"]["removed"] == {"short_page": 1}
    assert steps["exact_dedup"]["removed"] == {"exact_duplicate": 1}
    reasons = {row["id"]: row["removed"]["reason"] for row in removed}
    assert reasons["enwiki/73310"] == "short_page"  # the Pellow Stone stub
    assert reasons["enwiki/71002"] == "exact_duplicate"  # a copy of Marrowby Cheese Market


def test_the_tricky_article_is_cleaned_exactly(full_run):
    _, _, docs, _ = full_run
    doc = docs["enwiki/48213"]
    assert doc["text"] == HARROWGATE_LIGHTHOUSE
    assert doc["source"] == "wikipedia" and doc["created"] == "2025-11-03T14:22:05Z"
    metadata = doc["metadata"]
    assert metadata["url"] == "https://en.wikipedia.org/wiki/Harrowgate_Lighthouse"
    assert (metadata["language"], metadata["dump_date"]) == ("en", "2026-01-01")
    assert metadata["license"] == "CC-BY-SA-4.0" and metadata["title"] == "Harrowgate Lighthouse"


def test_the_french_dump_uses_its_own_namespace_names(full_run):
    _, _, docs, _ = full_run
    assert sorted(docs) == ["enwiki/48213", "enwiki/51877", "enwiki/60321", "frwiki/9120455",
                            "frwiki/9342881"]  # fmt: skip
    phare = docs["frwiki/9120455"]
    assert phare["metadata"]["url"] == "https://fr.wikipedia.org/wiki/Phare_de_Harrowgate"
    assert phare["text"].startswith("Le phare de Harrowgate est un phare désaffecté")
    for markup in ("Fichier", "Catégorie", "vignette", "Portail", "en:", "{{", "[["):
        assert markup not in phare["text"]
