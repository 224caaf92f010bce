"""Tag files: the taggers to run over a Dolma dataset, checked against it before launch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apache_beam.io.filesystems import FileSystems

from dolmakit.core.config_files import read_yaml
from dolmakit.core.errors import ConfigError
from dolmakit.core.schema import from_data, to_data
from dolmakit.core.steps import GlobalStep, Step, Tagger
from dolmakit.engine.config import StepSpec, build_steps, steps_data
from dolmakit.engine.run_config import RunConfig
from dolmakit.io.dolma import ATTRIBUTES, DOCUMENTS
from dolmakit.io.files import absolute
from dolmakit.io.jsonl import JsonlReader

TAG_REPORTS = "_tag"  # under a dataset: each tag run's report, config.yaml and errors/


@dataclass
class TagConfig:
    name: str
    # a Dolma dataset's root (local, gs://, s3://): documents/ and attributes/ under it
    dataset: str
    # taggers and dedup steps (`dolmakit steps` lists them); each writes attributes/<step name>/
    # (dedup: `<name>__duplicate`, `__duplicate_lines`, `__near_duplicate` spans, Dolma's way)
    steps: list[StepSpec]
    # attribute folders joined to the documents before tagging, for taggers that read others'
    # attributes (perplexity_v1 reads a language ID's); never written
    attributes: list[str] = field(default_factory=list)
    run: RunConfig = field(default_factory=RunConfig)


@dataclass
class ResolvedTag:
    config: TagConfig
    steps: list[Step]
    source_file: str
    root: str  # the dataset's root, absolute when local
    files: list[str]  # documents files, relative to <root>/documents/
    sizes: list[int]  # their bytes, in the same order

    @property
    def input_bytes(self) -> int:
        return sum(self.sizes)

    @property
    def taggers(self) -> list[Step]:
        return [step for step in self.steps if not isinstance(step, GlobalStep)]

    @property
    def global_steps(self) -> list[GlobalStep]:
        return [step for step in self.steps if isinstance(step, GlobalStep)]

    @property
    def report_dir(self) -> str:
        """The run's report, config.yaml and errors/, relative to the dataset's root (a `_`
        folder, which readers of documents/ pass over)."""
        return f"{TAG_REPORTS}/{self.config.name}"

    def to_data(self) -> dict[str, Any]:
        data = to_data(self.config)
        data["steps"] = steps_data(self.config.steps, self.steps)
        return data


def load_tag(path: str, overrides: list[str] = ()) -> ResolvedTag:
    """The tag file resolved and checked against the dataset, all before launch: unknown keys,
    steps that are not taggers, join folders that are missing or also written, no documents."""
    source = str(path)
    config = from_data(TagConfig, read_yaml(path, overrides), source=source, key="")
    steps = build_steps(config.steps, source)
    for index, step in enumerate(steps):
        _check_tagger(step, index, source)
    if not steps:
        raise ConfigError("a tag run needs at least one tagger", source=source, key="steps")
    root = absolute(config.dataset.rstrip("/"))
    _check_joined(config.attributes, [step.name for step in steps], root, source)
    files, sizes = documents_files(root)
    if not files:
        raise ConfigError(f"no documents files (.jsonl, .jsonl.gz, ...) under {root}/{DOCUMENTS}/",
                          source=source, key="dataset")  # fmt: skip
    return ResolvedTag(config, steps, source, root, files, sizes)


def _check_tagger(step: Step, index: int, source: str) -> None:
    if isinstance(step, Tagger) or tags(step):
        return
    kind = "global step with no attributes" if isinstance(step, GlobalStep) else "filter"
    raise ConfigError(
        f"step {step.name!r} ({step.type_name}) is a {kind}; dolmakit tag runs only taggers and "
        "the dedup steps, which add attributes and remove nothing (filter in a mix's "
        "include/exclude rules)",
        source=source,
        key=f"steps[{index}].type",
    )


def tags(step: object) -> bool:
    """Whether a global step writes its decision as attributes (the dedup steps do)."""
    return isinstance(step, GlobalStep) and type(step).tag is not GlobalStep.tag


def _check_joined(joined: list[str], written: list[str], root: str, source: str) -> None:
    for index, name in enumerate(joined):
        key = f"attributes[{index}]"
        if name in written:
            raise ConfigError(f"attributes/{name} is written by this run, so it cannot be "
                              "joined too", source=source, key=key)  # fmt: skip
        if not FileSystems.match([f"{root}/{ATTRIBUTES}/{name}/**"])[0].metadata_list:
            raise ConfigError(f"no attribute folder {root}/{ATTRIBUTES}/{name}/", source=source,
                              key=key)  # fmt: skip


def documents_files(root: str) -> tuple[list[str], list[int]]:
    """The JSON lines files under <root>/documents/ (any depth, `_` and `.` names left out),
    relative to it and sorted, and their bytes."""
    base = f"{root}/{DOCUMENTS}/"
    found = {}
    for metadata in FileSystems.match([f"{base}**"])[0].metadata_list:
        relative = metadata.path[len(base) :]
        hidden = any(part.startswith(("_", ".")) for part in relative.split("/"))
        if not hidden and relative.endswith(JsonlReader.suffixes):
            found[relative] = metadata.size_in_bytes
    return sorted(found), [found[name] for name in sorted(found)]
