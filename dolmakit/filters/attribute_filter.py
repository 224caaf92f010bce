"""The `filter` step: removes documents whose attributes match a rule, naming the rule as reason.

Rules are data, `reason: expression` pairs checked in order; the first that holds removes the
document with that reason. Expressions use the safe grammar of dolmakit.core.expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.core.expressions import ExpressionError, compile_expression
from dolmakit.core.steps import Step, register_step


@dataclass
class FilterConfig:
    # reason -> expression; a document matching the expression is removed with that reason
    remove_if: dict[str, str] = field(default_factory=dict)
    # expression a document must satisfy to be kept; otherwise removed with `keep_reason`
    keep_if: str | None = None
    keep_reason: str = "keep_if_not_met"


@register_step
class AttributeFilter(Step):
    """Removes documents matching `remove_if` rules (reason: expression) or failing `keep_if`."""

    type_name = "filter"
    Config = FilterConfig

    def __init__(self, name: str, config: FilterConfig):
        super().__init__(name, config)
        if not config.remove_if and not config.keep_if:
            raise ConfigError("a filter needs `remove_if` rules or a `keep_if` expression")
        self.rules = [(reason, _compile(expr, reason)) for reason, expr in config.remove_if.items()]
        self.keep = _compile(config.keep_if, "keep_if") if config.keep_if else None

    def process(self, doc: Document) -> Document | Removed:
        for reason, matches in self.rules:
            if matches(doc):
                return Removed(doc, self.name, reason)
        if self.keep is not None and not self.keep(doc):
            return Removed(doc, self.name, self.config.keep_reason)
        return doc


def _compile(expression: str, key: str):
    try:
        return compile_expression(expression)
    except ExpressionError as error:
        raise ConfigError(str(error), key=key) from error
