from pathlib import Path

import pytest
import yaml

from dolmakit.core.config_files import apply_override
from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import load_pipeline, load_preset
from dolmakit.engine.transforms import check_read_options
from dolmakit.filters.attribute_filter import FilterConfig
from dolmakit.io.inputs import InputFile
from dolmakit.io.readers import ReadConfig
from dolmakit.taggers.stats import TextStatsConfig

BASE = {
    "name": "t",
    "input": {"paths": ["in/*.warc.gz"]},
    "output": {"path": "out/t"},
    "steps": [
        {"type": "text_stats_v1"},
        {"type": "filter", "name": "length", "config": {"remove_if": {"short": "x < 3"}}},
    ],
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def config_error(tmp_path: Path, data: dict, overrides: list[str] = ()) -> str:
    with pytest.raises(ConfigError) as caught:
        load_pipeline(write(tmp_path, data), overrides)
    return str(caught.value)


def test_resolves_typed_steps_with_defaults(tmp_path):
    resolved = load_pipeline(write(tmp_path, BASE))
    stats, length = resolved.steps
    assert stats.name == "text_stats_v1" and stats.config == TextStatsConfig()
    assert length.name == "length"
    assert length.config == FilterConfig(remove_if={"short": "x < 3"})
    assert resolved.config.output.format == "jsonl"
    assert resolved.to_data()["steps"][0]["config"] == {"short_line_chars": 30}


def test_unknown_step_type_lists_known_types(tmp_path):
    data = {**BASE, "steps": [{"type": "gopher_v9"}]}
    message = config_error(tmp_path, data)
    assert "pipeline.yaml" in message and "steps[0].type" in message
    assert "unknown step type 'gopher_v9'" in message and "text_stats_v1" in message


def test_unknown_key_lists_allowed_keys(tmp_path):
    data = {**BASE, "output": {"path": "o", "fromat": "jsonl"}}
    message = config_error(tmp_path, data)
    assert "output" in message and "'fromat'" in message and "format" in message


def test_unknown_step_config_key_names_the_step(tmp_path):
    data = {**BASE, "steps": [{"type": "text_stats_v1", "config": {"short_line": 3}}]}
    message = config_error(tmp_path, data)
    assert "steps[0].config" in message and "short_line_chars" in message


def test_wrong_value_type_and_literal(tmp_path):
    assert "expected int" in config_error(tmp_path, {**BASE, "run": {"workers": "two"}})
    message = config_error(tmp_path, {**BASE, "output": {"path": "o", "format": "csv"}})
    assert "output.format" in message and "'jsonl' | 'dolma' | 'parquet'" in message


def test_missing_required_key(tmp_path):
    data = {key: value for key, value in BASE.items() if key != "output"}
    assert "missing required key 'output'" in config_error(tmp_path, data)


def test_bad_filter_expression_fails_at_load(tmp_path):
    data = {**BASE, "steps": [{"type": "filter", "config": {"remove_if": {"r": "x <"}}}]}
    assert "steps[0].config" in config_error(tmp_path, data)


def test_filter_without_rules(tmp_path):
    data = {**BASE, "steps": [{"type": "filter"}]}
    assert "needs `remove_if`" in config_error(tmp_path, data)


def test_duplicate_step_names(tmp_path):
    data = {**BASE, "steps": [{"type": "text_stats_v1"}, {"type": "text_stats_v1"}]}
    assert "used twice" in config_error(tmp_path, data)


def test_missing_file_and_invalid_yaml(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_pipeline(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_pipeline(bad)


def test_yaml_is_data_never_code(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("name: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_pipeline(path)


def test_overrides_nested_keys_lists_and_steps_by_name(tmp_path):
    resolved = load_pipeline(
        write(tmp_path, BASE),
        [
            "output.format=parquet",
            "input.paths=[a.warc.gz, b.warc.gz]",
            "run.workers=3",
            "steps.length.config.remove_if.short=x < 7",
            "steps.0.config.short_line_chars=12",
            "read.options.html.main_content=false",
        ],
    )
    config = resolved.config
    assert config.output.format == "parquet" and config.run.workers == 3
    assert config.input.paths == ["a.warc.gz", "b.warc.gz"]
    assert resolved.steps[1].config.remove_if == {"short": "x < 7"}
    assert resolved.steps[0].config.short_line_chars == 12
    assert config.read.options == {"html": {"main_content": False}}


def test_override_errors(tmp_path):
    assert "KEY=VALUE" in config_error(tmp_path, BASE, ["output.format"])
    assert "no single list item 'nope'" in config_error(tmp_path, BASE, ["steps.nope.x=1"])
    assert "unknown key 'colour'" in config_error(tmp_path, BASE, ["output.colour=red"])


def test_apply_override_creates_missing_sections():
    data = {"name": "x"}
    apply_override(data, "run.max_error_fraction=0.5", "t")
    assert data["run"] == {"max_error_fraction": 0.5}


def test_shipped_pipelines_resolve():
    paths = sorted((Path(__file__).resolve().parents[2] / "pipelines").glob("*.yaml"))
    assert len(paths) >= 7  # commoncrawl and the six other LLaMA sources
    for path in paths:
        assert load_pipeline(path).steps, path


def test_presets_from_taggers_folder(tmp_path, monkeypatch):
    (tmp_path / "taggers").mkdir()
    (tmp_path / "taggers" / "text_stats_v1.yaml").write_text(
        "fineweb:\n  short_line_chars: 30\nstrict:\n  short_line_chars: 10\n"
    )
    monkeypatch.chdir(tmp_path)
    data = {**BASE, "steps": [{"type": "text_stats_v1", "preset": "strict"}]}
    assert load_pipeline(write(tmp_path, data)).steps[0].config.short_line_chars == 10
    overridden = {"type": "text_stats_v1", "preset": "strict", "config": {"short_line_chars": 5}}
    assert load_pipeline(write(tmp_path, {**BASE, "steps": [overridden]})).steps[0].config == (
        TextStatsConfig(short_line_chars=5)
    )
    message = config_error(tmp_path, {**BASE, "steps": [{"type": "text_stats_v1", "preset": "x"}]})
    assert "unknown preset 'x'" in message and "fineweb, strict" in message
    message = config_error(tmp_path, {**BASE, "steps": [{"type": "exact_dedup", "preset": "x"}]})
    assert message.endswith(
        "exact_dedup has no presets (step types with presets: c4_lines_v1, filter, "
        "gopher_quality_v1, gopher_repetition_v1, pii_mask_v1, stackexchange_sites)"
    )


def test_a_project_preset_replaces_the_packaged_one_of_its_name(tmp_path):
    (tmp_path / "taggers").mkdir()
    (tmp_path / "taggers" / "filter.yaml").write_text(
        "url: {remove_if: {mine: 'url_filter_v1__blocked_domain > 5'}}\n"
        "extra: {remove_if: {other: 'x__y > 1'}}\n"
    )
    source = str(tmp_path / "pipelines" / "p.yaml")
    assert load_preset("filter", "url", source, "k") == {
        "remove_if": {"mine": "url_filter_v1__blocked_domain > 5"}
    }
    assert load_preset("filter", "extra", source, "k") == {"remove_if": {"other": "x__y > 1"}}
    packaged = load_preset("filter", "gopher_quality", source, "k")
    assert packaged == load_preset("filter", "gopher_quality", "/elsewhere/p.yaml", "k")


def test_unknown_input_format_lists_the_readers(tmp_path):
    message = config_error(tmp_path, {**BASE, "input": {"paths": ["x"], "format": "mbox"}})
    assert "input.format" in message and "'mbox'" in message and "jsonl" in message


def test_reader_options_are_checked_against_the_formats_reader(tmp_path):
    with_options = {**BASE, "read": {"options": {"languages": ["en"]}}}
    jsonl = {**with_options, "input": {"paths": ["x"], "format": "jsonl"}}
    message = config_error(tmp_path, jsonl)
    assert "read.options" in message and "'languages'" in message and "(none)" in message
    warc = {**with_options, "input": {"paths": ["x"], "format": "warc"}}
    assert config_error(tmp_path, warc).endswith(
        "read.options: unknown key 'languages'; allowed: quirks_mode, html, content_types, "
        "max_body_bytes, http_statuses"
    )


def test_with_auto_format_each_input_files_reader_checks_the_options_before_launch():
    files = [InputFile(f"in/{name}", fmt, i, 2) for i, (name, fmt) in
             enumerate([("a.warc.gz", "warc"), ("b.wet.gz", "wet")])]  # fmt: skip
    check_read_options(files, ReadConfig(options={"quirks_mode": False}))  # both have it
    with pytest.raises(ConfigError) as caught:
        check_read_options(files, ReadConfig(options={"max_body_bytes": 1000}))
    assert str(caught.value) == (
        "the input's wet files: read.options: unknown key 'max_body_bytes'; allowed: quirks_mode"
    )


def test_the_old_top_level_read_settings_are_unknown_keys(tmp_path):
    message = config_error(tmp_path, {**BASE, "read": {"max_body_bytes": 1000}})
    assert message.endswith("read: unknown key 'max_body_bytes'; allowed: options")
