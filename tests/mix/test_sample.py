"""A tokenizer's training sample drawn from a mix follows the mix's weights and rules."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from dolmakit.mix.sample import mix_texts


def source(folder: Path, name: str, count: int, words: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": f"{name}{i}", "text": f"{words} {i}",
             "attributes": {"q__score": [[0, 1, i % 2]]}} for i in range(count)]  # fmt: skip
    (folder / f"{name}.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n")
    return str(folder / f"{name}.jsonl")


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
    web_share = sum(t.startswith("web") for t in texts) / len(texts)
    assert abs(web_share - 0.8) < 0.05
    assert all(int(t.split()[-1]) % 2 == 1 for t in texts if t.startswith("web"))  # excluded
    assert len({t for t in texts if t.startswith("encyclopedia")}) < 400  # held-out left out


def test_a_mix_whose_tokenizer_is_yet_to_be_trained(tmp_path):
    web = source(tmp_path / "in", "web", 50, "web page text")
    mix = {"name": "m", "tokenizer": str(tmp_path / "not-yet" / "tokenizer.model"),
           "output": str(tmp_path / "out"), "sources": [{"name": "web", "paths": [web],
                                                          "epochs": 1}]}  # fmt: skip
    path = tmp_path / "mix.yaml"
    path.write_text(yaml.safe_dump(mix))
    assert len(list(mix_texts(str(path)))) == 50
