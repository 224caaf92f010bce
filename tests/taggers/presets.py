"""Filter presets of dolmakit/presets/filter.yaml, loaded the way a pipeline loads them."""

from __future__ import annotations

from dolmakit.core.schema import from_data
from dolmakit.engine.config import load_preset
from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig


def filter_preset(name: str) -> AttributeFilter:
    settings = load_preset("filter", name, "test", name)
    return AttributeFilter(name, from_data(FilterConfig, settings, source="filter.yaml", key=name))
