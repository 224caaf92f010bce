"""Config files: YAML loaded as data (never code), then `--set KEY=VALUE` overrides applied to
the raw data before the typed schema (core/schema.py) reads it. Every command's config is loaded
here, so a mix or tag file reads the same way a pipeline does without importing the engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from dolmakit.core.errors import ConfigError
from dolmakit.core.schema import CommaText


def read_yaml(path: str | Path, overrides: list[str] = ()) -> Any:
    """A config file's data (YAML loaded safely: data only) with `--set` overrides applied."""
    source = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError("no such file", source=source) from error
    except yaml.YAMLError as error:
        raise ConfigError(f"not valid YAML: {error}", source=source) from error
    for override in overrides:
        apply_override(data, override, source)
    return data


def apply_override(data: dict[str, Any], override: str, source: str) -> None:
    """Applies `a.b.c=value` (value parsed as YAML; `a,b` a list where the field is one) to the
    raw config; list items by index or, for steps, by name:
    `steps.length_filter.config.remove_if.too_short='...'`."""
    path, sep, raw = override.partition("=")
    if not sep or not path:
        raise ConfigError(f"an override is KEY=VALUE, got {override!r}", source="--set")
    value = parse_override_value(raw, path)
    *parents, last = path.split(".")
    node: Any = data
    for i, part in enumerate(parents):
        node = _child(node, part, ".".join(parents[: i + 1]), create=True)
    if isinstance(node, list):
        node[_list_index(node, last, path)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ConfigError(
            f"cannot set a key inside {type(node).__name__}", source="--set", key=path
        )


def text_override(key: str, text: str) -> str:
    """`--set KEY=VALUE` that gives `text` as it is (a path with commas or `: ` in it too)."""
    return f"{key}={json.dumps(text)}"


def parse_override_value(raw: str, key: str) -> Any:
    """A --set value read as YAML (`[en, de]` is a list, `"a,b"` text); unquoted text with
    commas (`en,de`) stays a CommaText, which the schema makes a list where the field is one."""
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise ConfigError(f"cannot parse value {raw!r}: {error}", source="--set", key=key) from None
    quoted = raw.lstrip()[:1] in ("'", '"')
    return CommaText(value) if isinstance(value, str) and "," in value and not quoted else value


def _child(node: Any, part: str, path: str, create: bool) -> Any:
    if isinstance(node, dict):
        if part not in node and create:
            node[part] = {}
        return node[part]
    if isinstance(node, list):
        return node[_list_index(node, part, path)]
    raise ConfigError(f"cannot descend into {type(node).__name__}", source="--set", key=path)


def _list_index(items: list, part: str, path: str) -> int:
    if part.lstrip("-").isdigit() and -len(items) <= int(part) < len(items):
        return int(part)
    named = [i for i, item in enumerate(items) if isinstance(item, dict)
             and part in (item.get("name"), item.get("type"))]  # fmt: skip
    if len(named) == 1:
        return named[0]
    raise ConfigError(
        f"no single list item {part!r} (index or step name)", source="--set", key=path
    )
