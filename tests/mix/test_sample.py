"""A tokenizer's training sample drawn from a mix follows the mix's weights and rules."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from dolmakit.mix.plan import is_held_out
from dolmakit.mix.sample import mix_texts


def source(folder: Path, name: str, count: int, words: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": f"{name}{i}", "text": f"{words} {i}",
             "attributes": {"q__score": [[0, 1, i % 2]]}} for i in range(count)]  # fmt: skip
    (folder / f"{name}.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n")
    return str(folder / f"{name}.jsonl")


def training(name: str, count: int = 400, fraction: float = 0.1) -> list[int]:
    """The numbers of a source's documents that are not held out (seed 0)."""
    return [i for i in range(count) if not is_held_out(0, name, f"{name}{i}", fraction)]


def test_sources_are_weighted_like_the_mix_and_rules_apply(tmp_path):
    web = source(tmp_path / "in", "web", 400, "web page text")
    wiki = source(tmp_path / "in", "wiki", 400, "encyclopedia text")
    mix = {
        "name": "m", "tokenizer": "whitespace", "output": str(tmp_path / "out"),
        "budget_tokens": 10_000, "held_out_fraction": 0.1,
        "sources": [
            {"name": "web", "paths": [web], "proportion": 0.8, "exclude": ["q__score < 1"]},
            {"name": "wiki", "paths": [wiki], "proportion": 0.2},
        ],
    }  # fmt: skip
    path = tmp_path / "mix.yaml"
    path.write_text(yaml.safe_dump(mix))
    texts = list(mix_texts(str(path)))
    web_texts = [t for t in texts if t.startswith("web")]
    assert (len(texts), len(web_texts)) == (574, 486)  # web is 84.7% of the sample (0.8 asked)
    # odd ids pass the rule, and no held-out document is in the sample
    odd_web = {f"web page text {i}" for i in training("web") if i % 2 == 1}
    assert set(web_texts) == odd_web
    wiki_texts = {t for t in texts if t.startswith("encyclopedia")}
    assert len(wiki_texts) == 88  # a weight of 0.24: a sample of the wiki's training documents
    assert wiki_texts <= {f"encyclopedia text {i}" for i in training("wiki")}


def test_a_mix_whose_tokenizer_is_yet_to_be_trained(tmp_path):
    web = source(tmp_path / "in", "web", 50, "web page text")
    mix = {"name": "m", "tokenizer": str(tmp_path / "not-yet" / "tokenizer.model"),
           "output": str(tmp_path / "out"), "sources": [{"name": "web", "paths": [web],
                                                          "epochs": 1}]}  # fmt: skip
    path = tmp_path / "mix.yaml"
    path.write_text(yaml.safe_dump(mix))
    assert len(list(mix_texts(str(path)))) == 50
