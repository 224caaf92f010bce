"""Turns plain data (parsed YAML) into typed dataclasses, strictly.

Unknown keys, missing required fields and values of the wrong type raise ConfigError naming the
file, the dotted key and what is allowed; nothing is ever evaluated.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, TypeVar, Union

import yaml

from dolmakit.core.errors import ConfigError

T = TypeVar("T")


class CommaText(str):
    """Unquoted text with commas given on the command line (`--set KEY=en,de`): the items of a
    list field (each item read as YAML), and refused where the field takes one value, since
    `en,de` there is more likely a list than a name with a comma (quoting keeps it as text)."""

    def items(self) -> list[Any]:
        return [_item(text.strip()) for text in self.split(",")]


def _item(text: str) -> Any:
    try:
        return yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return text


def from_data(cls: type[T], data: Any, *, source: str, key: str) -> T:
    """Builds dataclass `cls` from a mapping, checking every key and value."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"expected a mapping, got {_kind(data)}", source=source, key=key)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        allowed = ", ".join(fields) or "(none)"
        raise ConfigError(
            f"unknown key {unknown[0]!r}; allowed: {allowed}", source=source, key=key or None
        )
    hints = typing.get_type_hints(cls)
    values = {}
    for name, value in data.items():
        values[name] = convert(hints[name], value, source=source, key=_join(key, name))
    missing = [n for n, f in fields.items() if n not in values and _is_required(f)]
    if missing:
        raise ConfigError(f"missing required key {missing[0]!r}", source=source, key=key or None)
    try:
        return cls(**values)
    except ConfigError as error:  # the dataclass's own check (__post_init__): say where
        if error.source is not None:
            raise
        raise ConfigError(
            error.message, source=source, key=_join(key, error.key or "") or None
        ) from error


def to_data(value: Any) -> Any:
    """The inverse of from_data: dataclasses become plain dicts, ready for YAML or JSON."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    return str(value) if isinstance(value, str) else value  # a CommaText as plain text


def describe(tp: Any) -> str:
    """A short human name for a type annotation, for `dolmakit steps` and error messages."""
    origin = typing.get_origin(tp)
    if origin is Literal:
        return " | ".join(repr(a) for a in typing.get_args(tp))
    if origin in (Union, types.UnionType):
        return " | ".join(describe(a) for a in typing.get_args(tp))
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(describe(a) for a in typing.get_args(tp))}]"
    return "null" if tp is type(None) else getattr(tp, "__name__", str(tp))


def convert(tp: Any, value: Any, *, source: str, key: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if isinstance(value, CommaText):
        value = _comma_text(tp, value, source=source, key=key)
    if dataclasses.is_dataclass(tp):
        return from_data(tp, value, source=source, key=key)
    if origin in (Union, types.UnionType):
        return _convert_union(tp, value, source=source, key=key)
    if origin is Literal:
        if value not in typing.get_args(tp):
            raise ConfigError(f"got {value!r}; allowed: {describe(tp)}", source=source, key=key)
        return value
    if origin is list:
        return _convert_list(tp, value, source=source, key=key)
    if origin is dict:
        return _convert_dict(tp, value, source=source, key=key)
    return _convert_scalar(tp, value, source=source, key=key)


def _comma_text(tp: Any, value: CommaText, *, source: str, key: str) -> list[Any]:
    """`en,de` from --set: the list [en, de] where `tp` takes a list; a ConfigError elsewhere."""
    args = typing.get_args(tp) if typing.get_origin(tp) in (Union, types.UnionType) else (tp,)
    if any(typing.get_origin(arg) is list for arg in args):
        return value.items()
    hint = f"; to keep it as text, quote it: --set 'KEY=\"{value}\"'" if str in args else ""
    raise ConfigError(
        f"--set gave a list, {value!r} (unquoted commas), where one value is expected: "
        f"{describe(tp)}{hint}",
        source=source,
        key=key,
    )


def _convert_union(tp: Any, value: Any, *, source: str, key: str) -> Any:
    args = typing.get_args(tp)
    if value is None and type(None) in args:
        return None
    for arg in (a for a in args if a is not type(None)):
        try:
            return convert(arg, value, source=source, key=key)
        except ConfigError:
            continue
    raise ConfigError(f"got {value!r}; expected {describe(tp)}", source=source, key=key)


def _convert_list(tp: Any, value: Any, *, source: str, key: str) -> list:
    (item_type,) = typing.get_args(tp) or (Any,)
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        value = [value]  # a single value where a list is expected is a list of one
    if not isinstance(value, list):
        raise ConfigError(f"expected a list, got {_kind(value)}", source=source, key=key)
    return [convert(item_type, v, source=source, key=f"{key}[{i}]") for i, v in enumerate(value)]


def _convert_dict(tp: Any, value: Any, *, source: str, key: str) -> dict:
    key_type, value_type = typing.get_args(tp) or (str, Any)
    if not isinstance(value, dict):
        raise ConfigError(f"expected a mapping, got {_kind(value)}", source=source, key=key)
    return {
        convert(key_type, k, source=source, key=key): convert(
            value_type, v, source=source, key=_join(key, str(k))
        )
        for k, v in value.items()
    }


def _convert_scalar(tp: Any, value: Any, *, source: str, key: str) -> Any:
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp is str and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, tp) and not (tp is int and isinstance(value, bool)):
        return value
    if isinstance(value, list):
        message = f"got a list, {value!r}, where one value is expected: {describe(tp)}"
        raise ConfigError(message, source=source, key=key)
    raise ConfigError(
        f"expected {describe(tp)}, got {_kind(value)} {value!r}", source=source, key=key
    )


def _is_required(f: dataclasses.Field) -> bool:
    no_default = f.default is dataclasses.MISSING
    return no_default and f.default_factory is dataclasses.MISSING  # type: ignore[misc]


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
