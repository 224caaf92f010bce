"""A mix source read one way for the mix's passes and the tokenizer sample: files found by the
engine's input expansion, records judged by the source's rules, counted as route() counts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.io.inputs import InputFile
from dolmakit.mix.config import SourceSpec, resolve_mix
from dolmakit.mix.passes import count_sources
from dolmakit.mix.read import SourceRules, expand_sources, source_records


def write_rows(path: Path, rows: list[dict], tail: str = "") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows) + tail, encoding="utf-8")
    return str(path)


def rows(prefix: str, count: int) -> list[dict]:
    return [{"id": f"{prefix}{i}", "text": f"words of {prefix} {i}",
             "attributes": {"q__score": [[0, 1, i / 10]]}} for i in range(count)]  # fmt: skip


def mix_of(tmp_path: Path, sources: list[dict]):
    data = {"name": "m", "tokenizer": "whitespace", "output": str(tmp_path / "out"),
            "budget_tokens": 100, "sources": sources, "run": {"workers": 1}}  # fmt: skip
    return resolve_mix(data, str(tmp_path / "m.yaml"))


def test_rules_make_removed_records_with_the_rule_as_reason(tmp_path):
    path = write_rows(tmp_path / "web.jsonl", rows("w", 4), tail='{"id": \n')
    spec = SourceSpec("web", [path], proportion=1.0, include=["q__score >= 0.1"],
                      exclude=["q__score > 0.25"])  # fmt: skip
    items = list(source_records("web", InputFile(path, "jsonl", 0, 1), SourceRules.of(spec)))
    kinds = [(type(item).__name__, getattr(item, "reason", getattr(item, "kind", None)))
             for item in items]  # fmt: skip
    assert kinds == [
        ("Removed", "include: no rule matched"),
        ("Document", None),
        ("Document", None),
        ("Removed", "exclude: q__score > 0.25"),
        ("ErrorRecord", "bad_record"),
    ]
    assert [item.id for item in items if isinstance(item, Document)] == ["w1", "w2"]
    assert {item.step for item in items if isinstance(item, Removed)} == {"web"}
    assert isinstance(items[-1], ErrorRecord)


def test_sources_expand_through_the_engine_inputs(tmp_path):
    write_rows(tmp_path / "web" / "b.jsonl", rows("b", 1))
    write_rows(tmp_path / "web" / "a.jsonl", rows("a", 1))
    mix = mix_of(tmp_path, [{"name": "web", "paths": [str(tmp_path / "web" / "*.jsonl"),
                                                      str(tmp_path / "web" / "a.jsonl")],
                             "proportion": 1.0}])  # fmt: skip
    a, b = str(tmp_path / "web" / "a.jsonl"), str(tmp_path / "web" / "b.jsonl")
    size = os.path.getsize
    assert expand_sources(mix) == {
        "web": [InputFile(a, "jsonl", 0, 2, a, size(a)), InputFile(b, "jsonl", 1, 2, b, size(b))]
    }


def test_a_glob_that_matches_nothing_names_the_source(tmp_path):
    missing = str(tmp_path / "none" / "*.jsonl")
    mix = mix_of(tmp_path, [{"name": "web", "paths": [missing], "proportion": 1.0}])
    with pytest.raises(ConfigError) as caught:
        expand_sources(mix)
    assert (caught.value.key, caught.value.message) == (
        "sources[0].paths",
        f"source 'web': no files match {missing!r}",
    )


def test_the_count_pass_counts_each_source_as_a_step(tmp_path):
    web = write_rows(tmp_path / "web.jsonl", rows("w", 5), tail='{"id": \n')
    wiki = write_rows(tmp_path / "wiki.jsonl", rows("k", 3))
    mix = mix_of(tmp_path, [
        {"name": "web", "paths": [web], "proportion": 0.5, "exclude": ["q__score > 0.25"]},
        {"name": "wiki", "paths": [wiki], "proportion": 0.5},
    ])  # fmt: skip
    counts, counters, label = count_sources(mix.config, expand_sources(mix), [], str(tmp_path))
    assert label == "local (1 worker)"
    assert {k: v for k, v in counters.items() if k.startswith("step/")} == {
        "step/web/in": 6,
        "step/web/kept": 3,
        "step/web/removed/exclude: q__score > 0.25": 2,
        "step/web/error/bad_record": 1,
        "step/wiki/in": 3,
        "step/wiki/kept": 3,
    }
    assert (counts["web"].documents, counts["wiki"].documents) == (3, 3)
