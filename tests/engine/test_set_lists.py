"""`--set` values for list fields: `en,de` and `[en, de]` are lists; a list for one value fails."""

from pathlib import Path

import pytest
import yaml

from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import load_pipeline

PIPELINE = {
    "name": "t",
    "input": {"paths": ["in/*.warc.gz"]},
    "output": {"path": "out/t"},
    "steps": [
        {"type": "language_id_v1"},
        {"type": "language_filter", "config": {"languages": ["en"], "preset": "ccnet"}},
    ],
}
LANGUAGES = "steps.language_filter.config.languages"


def load(tmp_path: Path, *overrides: str):
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(PIPELINE))
    return load_pipeline(path, list(overrides))


def error(tmp_path: Path, *overrides: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, *overrides)
    return str(caught.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("en,de", ["en", "de"]),
        ("en, de ,fr", ["en", "de", "fr"]),
        ("[en, de]", ["en", "de"]),
        ("de", ["de"]),  # one value where a list is expected is a list of one
    ],
)
def test_a_list_field_takes_commas_and_flow_lists(tmp_path, value, expected):
    resolved = load(tmp_path, f"{LANGUAGES}={value}")
    assert resolved.steps[1].config.languages == expected
    assert resolved.to_data()["steps"][1]["config"]["languages"] == expected


def test_comma_items_are_read_as_yaml_and_typed(tmp_path):
    resolved = load(tmp_path, "input.paths=a/*.gz,b/*.gz")
    assert resolved.config.input.paths == ["a/*.gz", "b/*.gz"]
    dumped = yaml.safe_dump(resolved.to_data())  # plain data, nothing of the marker left
    assert "- a/*.gz\n  - b/*.gz" in dumped


def test_a_quoted_value_keeps_its_commas(tmp_path):
    resolved = load(tmp_path, 'output.path="out/a,b"', "input.paths='x,y.warc.gz'")
    assert resolved.config.output.path == "out/a,b"
    assert resolved.config.input.paths == ["x,y.warc.gz"]


def test_a_comma_list_for_one_value_is_refused_naming_the_key(tmp_path):
    message = error(tmp_path, "steps.language_filter.config.attribute_prefix=a,b")
    assert message == (
        f"{tmp_path}/pipeline.yaml: steps[1].config.attribute_prefix: --set gave a list, "
        "'a,b' (unquoted commas), where one value is expected: str; to keep it as text, "
        "quote it: --set 'KEY=\"a,b\"'"
    )
    assert error(tmp_path, "run.workers=1,2").endswith(
        "run.workers: --set gave a list, '1,2' (unquoted commas), where one value is expected: int"
    )


def test_a_flow_list_for_one_value_is_refused_naming_the_key(tmp_path):
    assert error(tmp_path, "output.path=[a, b]") == (
        f"{tmp_path}/pipeline.yaml: output.path: got a list, ['a', 'b'], where one value is "
        "expected: str"
    )
    message = error(tmp_path, "steps.language_filter.config.preset=[ccnet, fineweb]")
    assert "steps[1].config.preset" in message and "['ccnet', 'fineweb']" in message
