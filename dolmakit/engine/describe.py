"""`dolmakit steps [NAME]`: every registered step and input format with its settings and
defaults, or one of them with what each setting means and the presets it can start from."""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from pathlib import Path

import yaml

import dolmakit.engine.builtins  # noqa: F401
from dolmakit.core.errors import ConfigError
from dolmakit.core.schema import describe
from dolmakit.core.steps import STEPS
from dolmakit.io.readers import READERS, NoOptions, ReadConfig
from dolmakit.presets import packaged_preset_file

PRESETS_HINT = (
    "a step's `preset: NAME` starts its settings from dolmakit/presets/<type>.yaml or a\n"
    "  project's taggers/<type>.yaml; `dolmakit steps NAME` shows one step with its presets"
)


def describe_steps() -> str:
    blocks = ["STEPS (pipeline `steps:` entries, `type: <name>`)", f"  {PRESETS_HINT}"]
    for name, cls in STEPS.items():
        blocks.append(f"\n  {name}: {_first_line(cls)}")
        blocks.extend(f"    {line}" for line in fields_of(cls.Config))
        if presets := list(read_presets(packaged_preset_file(name))):
            blocks.append(f"    presets: {', '.join(presets)}")
    blocks.append(
        "\nINPUT FORMATS (`input.format`, or auto by file name; their own settings "
        "go in `read.options`)"
    )
    for name, cls in READERS.items():
        suffixes = " ".join(cls.suffixes) or "(set input.format)"
        doc = _first_line(cls)
        blocks.append(f"\n  {name}: {suffixes}" + (f"\n    {doc}" if doc else ""))
        if cls.Options is not NoOptions:
            blocks.extend(f"    options.{line}" for line in fields_of(cls.Options))
    blocks.append("\nREAD SETTINGS (`read:`)")
    blocks.extend(f"  {line}" for line in fields_of(ReadConfig))
    return "\n".join(blocks)


def describe_one(name: str) -> str:
    """One step type (or input format): what it does, each setting with its type, default and
    comment, and its presets; an unknown name is a ConfigError listing the known ones."""
    if name in STEPS.names():
        return _describe_step(name, STEPS.get(name))
    if name in READERS.names():
        reader = READERS.get(name)
        lines = [f"{name} (input format; options go in `read.options`)", "", _doc(reader)]
        return "\n".join([*lines, "", "OPTIONS", *_settings(reader.Options)])
    raise ConfigError(
        f"unknown step or input format {name!r}; steps: {', '.join(STEPS.names())}; "
        f"input formats: {', '.join(READERS.names())}",
        source="dolmakit steps",
    )


def _describe_step(name: str, cls: type) -> str:
    lines = [f"{name} (step, `type: {name}`)", "", _doc(cls), "", "SETTINGS (`config:`)"]
    lines.extend(_settings(cls.Config))
    lines.extend(["", "PRESETS (`preset: NAME` beside `type:`; `config:` keys override them)"])
    lines.extend(_preset_lines(name, cls.Config))
    return "\n".join(lines)


def _preset_lines(name: str, config_class: type) -> list[str]:
    """The presets of step type `name`: dolmakit's, then the working folder's taggers/."""
    files = [packaged_preset_file(name), Path.cwd() / "taggers" / f"{name}.yaml"]
    found = [(path, read_presets(path)) for path in files if path.is_file()]
    lines = [] if found else [f"  none: no dolmakit/presets/{name}.yaml nor ./taggers/{name}.yaml"]
    if own := typing.get_type_hints(config_class).get("preset"):
        lines.append(f"  (the setting `config.preset` is the step's own choice: {describe(own)})")
    for path, presets in found:
        lines.append(f"  from {_shown(path)}:")
        for preset, (comment, settings) in presets.items():
            lines.append(f"\n  {preset}:" + "".join(f"\n    # {c}" for c in comment))
            lines.extend(_yaml_lines(settings, "    "))
    return lines


def _yaml_lines(data: dict, indent: str) -> list[str]:
    """Settings as YAML: mappings as blocks, one key a line, other values on their key's line."""
    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and value:
            lines.extend([f"{indent}{key}:", *_yaml_lines(value, indent + "  ")])
            continue
        text = yaml.safe_dump(value, default_flow_style=True, width=10**6).strip()
        lines.append(f"{indent}{key}: {text.removesuffix('...').strip()}")
    return lines


def _settings(config_class: type) -> list[str]:
    comments = field_comments(config_class)
    lines = []
    for line in fields_of(config_class):
        lines.append(f"  {line}")
        lines.extend(f"      {c}" for c in comments.get(line.split(":")[0], []))
    return lines


def fields_of(config_class: type, prefix: str = "") -> list[str]:
    hints = typing.get_type_hints(config_class)
    lines = []
    for field in dataclasses.fields(config_class):
        tp = hints[field.name]
        if dataclasses.is_dataclass(tp):
            lines.extend(fields_of(tp, f"{prefix}{field.name}."))
            continue
        lines.append(f"{prefix}{field.name}: {describe(tp)} = {_default(field)}")
    return lines or ["(no settings)"]


def field_comments(config_class: type, prefix: str = "") -> dict[str, list[str]]:
    """The `# ...` lines right above each field of a config dataclass (nested ones too)."""
    comments: dict[str, list[str]] = {}
    hints = typing.get_type_hints(config_class)
    for field in dataclasses.fields(config_class):
        if dataclasses.is_dataclass(hints[field.name]):
            comments |= field_comments(hints[field.name], f"{prefix}{field.name}.")
    try:
        source = inspect.getsource(config_class).splitlines()
    except (OSError, TypeError):
        return comments
    for name, comment in _commented_keys(source, r"^\s+(\w+)\s*:"):
        comments[prefix + name] = comment
    return comments


def read_presets(path: Path) -> dict[str, tuple[list[str], dict]]:
    """The presets of a preset file, each with the comment lines above it."""
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    comments = dict(_commented_keys(text.splitlines(), r"^([A-Za-z_][\w-]*)\s*:"))
    presets = yaml.safe_load(text) or {}
    return {name: (comments.get(name, []), settings or {}) for name, settings in presets.items()}


def _commented_keys(lines: list[str], key_pattern: str) -> list[tuple[str, list[str]]]:
    found, comment = [], []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            comment.append(stripped.lstrip("#").strip())
        elif match := re.match(key_pattern, line):
            found.append((match.group(1), comment))
            comment = []
        else:
            comment = []
    return found


def _doc(item: type) -> str:
    text = inspect.getdoc(item) or ""
    module = inspect.getdoc(inspect.getmodule(item)) or ""
    return "\n".join(f"  {line}".rstrip() for line in f"{text}\n\n{module}".strip().splitlines())


def _first_line(item: type) -> str:
    doc = (item.__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _default(field: dataclasses.Field) -> str:
    if field.default is not dataclasses.MISSING:
        return repr(field.default)
    if field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return repr(field.default_factory())  # type: ignore[misc]
    return "(required)"
