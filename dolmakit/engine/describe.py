"""`dolmakit steps`: every registered step and input format with its settings and defaults."""

from __future__ import annotations

import dataclasses
import typing

import dolmakit.engine.builtins  # noqa: F401
from dolmakit.core.schema import describe
from dolmakit.core.steps import STEPS
from dolmakit.io.readers import READERS, NoOptions, ReadConfig


def describe_steps() -> str:
    blocks = ["STEPS (pipeline `steps:` entries, `type: <name>`)"]
    for name, cls in STEPS.items():
        doc = (cls.__doc__ or "").strip().splitlines()
        blocks.append(f"\n  {name}: {doc[0] if doc else ''}")
        blocks.extend(f"    {line}" for line in fields_of(cls.Config))
    blocks.append(
        "\nINPUT FORMATS (`input.format`, or auto by file name; their own settings "
        "go in `read.options`)"
    )
    for name, cls in READERS.items():
        doc = (cls.__doc__ or "").strip().splitlines()
        suffixes = " ".join(cls.suffixes) or "(set input.format)"
        blocks.append(f"\n  {name}: {suffixes}" + (f"\n    {doc[0]}" if doc else ""))
        if cls.Options is not NoOptions:
            blocks.extend(f"    options.{line}" for line in fields_of(cls.Options))
    blocks.append("\nREAD SETTINGS (`read:`)")
    blocks.extend(f"  {line}" for line in fields_of(ReadConfig))
    return "\n".join(blocks)


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


def _default(field: dataclasses.Field) -> str:
    if field.default is not dataclasses.MISSING:
        return repr(field.default)
    if field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return repr(field.default_factory())  # type: ignore[misc]
    return "(required)"
