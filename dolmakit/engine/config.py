"""Pipeline files: YAML (data only) resolved into typed dataclasses, with --set overrides.

Resolution builds every step, so an unknown step type, key or value fails here, before any data
is read, with a ConfigError naming the file, the key and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

import dolmakit.engine.builtins  # noqa: F401  (registers the built-in readers and steps)
from dolmakit.core.config_files import read_yaml
from dolmakit.core.errors import ConfigError
from dolmakit.core.schema import from_data, to_data
from dolmakit.core.steps import STEPS, Step
from dolmakit.engine.run_config import RunConfig
from dolmakit.io.readers import READERS, ReadConfig, Reader, reader_for
from dolmakit.presets import packaged_preset_file, packaged_preset_types


@dataclass
class InputConfig:
    # globs on any filesystem Beam reads (local, gs://, s3://)
    paths: list[str] = field(default_factory=list)
    # a listing file in Common Crawl's warc.paths.gz form
    listing: str | None = None
    # joined to relative paths in the listing
    listing_prefix: str = "s3://commoncrawl/"
    # auto (by file name) or a reader's name: `dolmakit steps` lists them
    format: str = "auto"
    # the `source` field of the documents read (JSONL and Parquet keep their own when they have one)
    source: str = "common-crawl"


@dataclass
class StepSpec:
    type: str
    # label in the report and attribute prefix (`<name>__<key>`); defaults to the type
    name: str | None = None
    # named settings from dolmakit/presets/<type>.yaml or a project's taggers/<type>.yaml
    # (e.g. c4 vs datatrove values); config overrides them
    preset: str | None = None
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class OutputConfig:
    path: str
    # jsonl: attributes inside each document; dolma: documents/ without them plus one
    # attributes/<step>/ folder per step, files mirroring documents/ (Dolma's layout); parquet.
    # One documents file per input file (part-<input file's number>), written by the worker
    # that wrote it
    format: Literal["jsonl", "dolma", "parquet"] = "jsonl"
    # removed documents: all of them, a deterministic sample (by id), or none (only counted)
    removed: Literal["all", "sample", "none"] = "all"
    removed_sample_rate: float = 0.01
    # of JSON lines outputs: gzip (Dolma's default), zstd (about five times faster), none
    compression: Literal["gzip", "zstd", "none"] = "gzip"


@dataclass
class PipelineConfig:
    name: str
    input: InputConfig
    output: OutputConfig
    read: ReadConfig = field(default_factory=ReadConfig)
    steps: list[StepSpec] = field(default_factory=list)
    run: RunConfig = field(default_factory=RunConfig)


@dataclass
class ResolvedPipeline:
    config: PipelineConfig
    steps: list[Step]
    source_file: str

    def to_data(self) -> dict[str, Any]:
        data = to_data(self.config)
        if reader := _named_reader(self.config.input):  # the options with their defaults
            options = reader.parse_options(self.config.read.options, self.source_file)
            data["read"]["options"] = to_data(options)
        data["steps"] = steps_data(self.config.steps, self.steps)
        return data


def steps_data(specs: list[StepSpec], steps: list) -> list[dict[str, Any]]:
    """The resolved steps as data: each one's type, name, preset and full typed config."""
    return [
        {"type": step.type_name, "name": step.name, "preset": spec.preset,
         "config": to_data(step.config)}
        for spec, step in zip(specs, steps, strict=True)
    ]  # fmt: skip


def load_pipeline(path: str | Path, overrides: list[str] = ()) -> ResolvedPipeline:
    return resolve(read_yaml(path, overrides), str(path))


def resolve(data: Any, source: str) -> ResolvedPipeline:
    config = from_data(PipelineConfig, data, source=source, key="")
    _check_reader(config, source)
    return ResolvedPipeline(config, build_steps(config.steps, source), source)


def build_steps(specs: list[StepSpec], source: str) -> list[Step]:
    """Every step of `specs` built (presets merged, settings typed and checked), names unique:
    what `dolmakit run` and `dolmakit tag` resolve their `steps` with."""
    steps = [_build_step(spec, i, source) for i, spec in enumerate(specs)]
    names = [step.name for step in steps]
    if duplicated := sorted({n for n in names if names.count(n) > 1} | ({"read"} & set(names))):
        raise ConfigError(
            f"step name {duplicated[0]!r} is used twice (or is reserved); give each a `name`",
            source=source,
            key="steps",
        )
    return steps


def _named_reader(config: InputConfig) -> type[Reader] | None:
    """The reader of every input file when the config alone tells: input.format names it, or
    every input path's ending names the same one (and no listing adds files)."""
    if config.format != "auto":
        return READERS.get(config.format)
    readers = {reader_for(path) for path in config.paths}
    if config.listing or len(readers) != 1:
        return None
    return readers.pop()


def _check_reader(config: PipelineConfig, source: str) -> None:
    """An unknown format, or reader options the format's reader does not have, fail here. With
    input.format auto the readers are known once the inputs are listed: ReadDocuments checks
    the options against each of them then, still before launch."""
    fmt = config.input.format
    if fmt != "auto":
        reader = READERS.get(fmt, source=source, key="input.format")
        reader.parse_options(config.read.options, source)


def _build_step(spec: StepSpec, index: int, source: str) -> Step:
    key = f"steps[{index}]"
    cls = STEPS.get(spec.type, source=source, key=f"{key}.type")
    settings = spec.config
    if spec.preset:
        settings = {**load_preset(spec.type, spec.preset, source, f"{key}.preset"), **settings}
    step_config = from_data(cls.Config, settings, source=source, key=f"{key}.config")
    try:
        return cls(spec.name or spec.type, step_config)
    except ConfigError as error:  # a step validating its own settings (a bad expression, ...)
        raise ConfigError(str(error), source=source, key=f"{key}.config") from error


def load_preset(step_type: str, preset: str, source: str, key: str) -> dict[str, Any]:
    """The settings named `preset` for a step type: dolmakit's packaged presets, overridden or
    extended by a project's own taggers/<step_type>.yaml."""
    files = [p for p in _project_preset_files(step_type, source) if p.is_file()]
    packaged = packaged_preset_file(step_type)
    if packaged.is_file():
        files.append(packaged)
    if not files:
        known = ", ".join(packaged_preset_types())
        raise ConfigError(f"{step_type} has no presets (step types with presets: {known})",
                          source=source, key=key)  # fmt: skip
    presets: dict[str, Any] = {}
    for path in reversed(files):  # the nearest file wins
        presets.update(_read_presets(path, source, key))
    if preset not in presets:
        known = ", ".join(sorted(presets)) or "(none)"
        raise ConfigError(f"unknown preset {preset!r} of {step_type}; known: {known}",
                          source=source, key=key)  # fmt: skip
    return presets[preset] or {}


def _project_preset_files(step_type: str, source: str) -> list[Path]:
    """taggers/<step_type>.yaml of the working directory, then of the pipeline's project (the
    folder above the pipeline file's)."""
    name = Path("taggers") / f"{step_type}.yaml"
    roots = dict.fromkeys([Path.cwd().resolve(), Path(source).resolve().parent.parent])
    return [root / name for root in roots]


def _read_presets(path: Path, source: str, key: str) -> dict[str, Any]:
    try:
        presets = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}", source=source, key=key) from None
    if not isinstance(presets, dict):
        raise ConfigError(f"{path} must map preset names to settings", source=source, key=key)
    return presets
