"""decontaminate_v1: documents and paragraphs sharing 13-word runs with an evaluation set."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import yaml
from conftest import shared_data_dir
from helpers import read_jsonl_dir

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.engine.run import run_pipeline
from dolmakit.filters.decontaminate import (
    Decontaminate,
    DecontaminateConfig,
    NgramHasher,
    build_index,
    load_index,
    save_index,
    words,
)
from dolmakit.io.texts import read_texts

EVAL = (
    "The castle was built in 1 @,@ 204 by the count of the northern march , who held it "
    "until the war of succession ended the family 's rule over the valley ."
)
# the same passage as a web page writes it
PAGE_FORM = (
    "The castle was built in 1,204 by the count of the northern march, who held it until the "
    "war of succession ended the family's rule over the valley."
)
CLEAN = "A recipe for bread: flour, water, salt and yeast, kneaded for ten minutes and left."


def step(tmp_path, **settings) -> Decontaminate:
    (tmp_path / "eval.txt").write_text(EVAL + "\n")
    config = DecontaminateConfig(eval=[str(tmp_path / "eval.txt")], **settings)
    built = Decontaminate("decon", config)
    built.setup()
    return built


def doc(text: str) -> Document:
    return Document(id="d", text=text, source="web")


def test_words_are_lower_cased_word_characters():
    assert words("WikiText 1 @,@ 000 state @-@ of-the ART's") == [
        "wikitext", "1", "000", "state", "of", "the", "art", "s",
    ]  # fmt: skip


def test_tokenized_and_page_forms_give_the_same_ngrams():
    hasher = NgramHasher(13)
    assert words(EVAL) == words(PAGE_FORM)
    assert len(words(EVAL)) == 30
    assert hasher.hashes(words(EVAL)).tolist() == hasher.hashes(words(PAGE_FORM)).tolist()
    assert len(set(hasher.hashes(words(EVAL)).tolist())) == 18


def test_unknown_words_break_ngrams():
    text = " ".join(f"w{i}" for i in range(14))
    assert len(build_index([text], 13)) == 2
    assert len(build_index([text.replace("w6", "<unk>")], 13)) == 0
    assert build_index([], 13).tolist() == []


def test_a_document_sharing_a_run_is_removed(tmp_path):
    decon = step(tmp_path)
    result = decon.process(doc(f"{CLEAN}\n{PAGE_FORM}"))
    assert isinstance(result, Removed) and result.reason == "contaminated"
    assert result.doc.attributes["decon__ngram_matches"] == [[0, 83 + 1 + 146, 18]]
    assert decon.process(doc(CLEAN)).attributes["decon__ngram_matches"] == [[0, 83, 0]]
    assert dict(decon.stats) == {"documents_contaminated": 1, "ngrams_matched": 18}


def test_twelve_shared_words_are_not_a_match(tmp_path):
    twelve = " ".join(words(PAGE_FORM)[:12])
    assert decon_result(tmp_path, f"{twelve} and then something else entirely") == 0


def decon_result(tmp_path, text: str) -> int:
    return step(tmp_path).process(doc(text)).attributes["decon__ngram_matches"][0][2]


def test_min_matches_sets_how_much_overlap_removes(tmp_path):
    thirteen = " ".join(words(PAGE_FORM)[:13])
    assert isinstance(step(tmp_path).process(doc(thirteen)), Removed)
    kept = step(tmp_path, min_matches=2).process(doc(thirteen))
    assert isinstance(kept, Document) and kept.attributes["decon__ngram_matches"][0][2] == 1


def test_paragraph_mode_drops_only_the_matching_paragraphs(tmp_path):
    decon = step(tmp_path, remove="paragraphs")
    page = doc(f"{CLEAN}\n{PAGE_FORM}\nThe end.")
    page.attributes["stats__chars"] = [[0, len(page.text), 233.0]]
    result = decon.process(page)
    assert isinstance(result, Document)
    assert result.text == f"{CLEAN}\nThe end."
    assert result.attributes == {
        "stats__chars": [[0, 92, 233.0]],
        "decon__ngram_matches": [[0, 92, 18]],
    }
    assert dict(decon.stats) == {
        "paragraphs_removed": 1, "documents_contaminated": 1, "ngrams_matched": 18,
    }  # fmt: skip
    last = decon.process(doc(f"{CLEAN}\n{PAGE_FORM}"))
    assert last.text == CLEAN and last.attributes["decon__ngram_matches"] == [[0, 83, 18]]
    gone = decon.process(doc(PAGE_FORM))
    assert isinstance(gone, Removed) and gone.reason == "contaminated"


def test_tag_only_mode_keeps_everything(tmp_path):
    result = step(tmp_path, remove="none").process(doc(PAGE_FORM))
    assert isinstance(result, Document)
    assert result.attributes["decon__ngram_matches"] == [[0, 146, 18]]


def test_an_index_file_round_trips_and_is_checked(tmp_path):
    index = build_index([EVAL], 13)
    save_index(index, 13, str(tmp_path / "eval.idx"))
    hashes, n = load_index(str(tmp_path / "eval.idx"))
    assert n == 13 and hashes.dtype == np.uint64 and hashes.tolist() == index.tolist()
    wrong = Decontaminate("d", DecontaminateConfig(index=str(tmp_path / "eval.idx"), ngram=8))
    with pytest.raises(ConfigError, match="holds 13-grams but ngram is 8"):
        wrong.setup()
    (tmp_path / "junk.idx").write_bytes(b"not an index")
    with pytest.raises(ConfigError, match="is not an index written by"):
        load_index(str(tmp_path / "junk.idx"))


def test_bad_settings_fail_before_launch(tmp_path):
    with pytest.raises(ConfigError, match="either `eval`"):
        Decontaminate("d", DecontaminateConfig())
    with pytest.raises(ConfigError, match="no index file"):
        Decontaminate("d", DecontaminateConfig(index=str(tmp_path / "missing.idx")))
    with pytest.raises(ConfigError, match="at least 1"):
        Decontaminate("d", DecontaminateConfig(index="x", ngram=0))


def test_a_pipeline_with_an_index_built_by_the_command(tmp_path):
    from click.testing import CliRunner

    from dolmakit.cli.main import cli

    (tmp_path / "eval.txt").write_text(EVAL + "\n")
    built = CliRunner().invoke(
        cli, ["decontaminate", "index", str(tmp_path / "eval.txt"), "--out", str(tmp_path / "i")]
    )
    assert built.exit_code == 0 and built.output.startswith("18 distinct 13-grams")
    rows = [{"id": "clean", "text": CLEAN}, {"id": "dirty", "text": f"{CLEAN}\n{PAGE_FORM}"}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    (tmp_path / "p.yaml").write_text(yaml.safe_dump({
        "name": "decon",
        "input": {"paths": [str(tmp_path / "in.jsonl")]},
        "output": {"path": str(tmp_path / "out")},
        "run": {"workers": 1},
        "steps": [{"type": "decontaminate_v1", "config": {"index": str(tmp_path / "i")}}],
    }))  # fmt: skip
    summary = run_pipeline(str(tmp_path / "p.yaml"), [], [])
    assert summary.ok
    assert [d["id"] for d in read_jsonl_dir(tmp_path / "out" / "documents")] == ["clean"]
    removed = read_jsonl_dir(tmp_path / "out" / "removed")
    assert [(r["id"], r["removed"]["reason"]) for r in removed] == [("dirty", "contaminated")]
    assert summary.report["counters"]["decontaminate_v1/documents_contaminated"] == 1


def detokenize(text: str) -> str:
    """WikiText's tokenization undone the way a web page would write the text."""
    text = re.sub(r" @(.)@ ", r"\1", text)
    return re.sub(r" ([,.;:!?)']|'s|n't)", r"\1", text).replace("( ", "(")


def test_planted_wikitext_test_passages_are_found(tmp_path):
    folder = shared_data_dir() / "wiki"
    if not (folder / "wiki.test.tokens").is_file():
        pytest.skip(f"WikiText splits not found at {folder}")
    paragraphs = [p for p in read_texts([folder / "wiki.test.tokens"]) if len(p.split()) > 60]
    passages = [detokenize(" ".join(p.split()[20:50])) for p in paragraphs[::25]]
    clean = [p for p in read_texts([folder / "wiki.valid.tokens"]) if len(p.split()) > 60][:300]
    decon = Decontaminate("d", DecontaminateConfig(eval=[str(folder / "wiki.test.tokens")]))
    decon.setup()
    planted = [doc(f"{c}\n{p}") for c, p in zip(clean, passages, strict=False)]
    assert len(passages) == 24
    assert sum(isinstance(decon.process(d), Removed) for d in planted) == 24
    assert sum(isinstance(decon.process(doc(detokenize(c))), Removed) for c in clean) == 0
