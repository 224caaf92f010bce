"""A small, safe expression language for filter rules over attributes (never Python `eval`).

    expr       := or ;  or := and ('or' and)* ;  and := not ('and' not)*
    not        := 'not' not | comparison
    comparison := value (('<' | '<=' | '>' | '>=' | '==' | '!=') value)?
    value      := NUMBER | STRING | 'true' | 'false' | NAME | FUNC '(' NAME ')' | '(' expr ')'

NAME is an attribute (`text_stats_v1__words`, its document-level score) or `metadata.<key>`;
FUNC is one of count, sum, min, max, mean over an attribute's span scores. A comparison with a
missing value is false, so `remove_if: x < 50` leaves documents without `x` alone.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from dolmakit.core.document import Document

Evaluator = Callable[[Document], Any]

_NUMBER = r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"
_NAME = r"[A-Za-z_][\w.\-]*"
_TOKEN = re.compile(
    rf"""\s*(?:(?P<num>{_NUMBER})|(?P<str>"[^"]*"|'[^']*')"""
    rf"|(?P<op><=|>=|==|!=|<|>|\(|\))|(?P<name>{_NAME}))"
)
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne}  # fmt: skip
_AGGREGATES: dict[str, Callable[[list[float]], float]] = {
    "count": len,
    "sum": sum,
    "min": min,
    "max": max,
    "mean": lambda xs: sum(xs) / len(xs),
}


class ExpressionError(ValueError):
    pass


def compile_expression(text: str) -> Evaluator:
    """Parses `text` once; the returned function evaluates it on a document."""
    parser = _Parser(_tokenize(text), text)
    evaluator = parser.parse_or()
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()!r} in {text!r}")
    return evaluator


def _tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExpressionError(f"cannot read {text[pos:]!r} in {text!r}")
        tokens.append(match.group(match.lastgroup))
        pos = match.end()
    return tokens


# deeper nesting than any real rule needs; far below Python's recursion limit, so a hostile or
# generated expression is a configuration error instead of a RecursionError
MAX_NESTING = 100


class _Parser:
    def __init__(self, tokens: list[str], text: str):
        self.tokens, self.pos, self.text = tokens, 0, text
        self.depth = 0

    def nested(self, parse: Callable[[], Evaluator]) -> Evaluator:
        """`parse()` one level deeper (inside parentheses or a `not`)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(
                f"nested deeper than {MAX_NESTING} levels (parentheses or `not`) in "
                f"{_shortened(self.text)}"
            )
        try:
            return parse()
        finally:
            self.depth -= 1

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ExpressionError(f"expected {expected or 'a value'} in {self.text!r}")
        self.pos += 1
        return token

    def parse_or(self) -> Evaluator:
        left = self.parse_and()
        while self.peek() == "or":
            self.take()
            left = _either(left, self.parse_and())
        return left

    def parse_and(self) -> Evaluator:
        left = self.parse_not()
        while self.peek() == "and":
            self.take()
            left = _both(left, self.parse_not())
        return left

    def parse_not(self) -> Evaluator:
        if self.peek() == "not":
            self.take()
            inner = self.nested(self.parse_not)
            return lambda doc: not inner(doc)
        return self.parse_comparison()

    def parse_comparison(self) -> Evaluator:
        left = self.parse_value()
        if self.peek() not in _COMPARE:
            return left
        compare, right = _COMPARE[self.take()], self.parse_value()
        return lambda doc: _safe_compare(compare, left(doc), right(doc))

    def parse_value(self) -> Evaluator:
        token = self.take()
        if token == "(":
            inner = self.nested(self.parse_or)
            self.take(")")
            return inner
        if token[0] in "\"'":
            return _constant(token[1:-1])
        if token in ("true", "false"):
            return _constant(token == "true")
        if re.fullmatch(_NUMBER, token):
            return _constant(float(token))
        if token in _AGGREGATES and self.peek() == "(":
            self.take("(")
            name = self.take()
            self.take(")")
            return _aggregate(_AGGREGATES[token], name)
        if token in ("and", "or", "not") or not re.fullmatch(_NAME, token):
            raise ExpressionError(f"unexpected {token!r} in {self.text!r}")
        return _lookup(token)


def _shortened(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _constant(value: Any) -> Evaluator:
    return lambda doc: value


def _either(a: Evaluator, b: Evaluator) -> Evaluator:
    return lambda doc: bool(a(doc)) or bool(b(doc))


def _both(a: Evaluator, b: Evaluator) -> Evaluator:
    return lambda doc: bool(a(doc)) and bool(b(doc))


def _safe_compare(compare: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    try:
        return compare(left, right)
    except TypeError:  # comparing a string with a number: never true, never a crash
        return False


def _lookup(name: str) -> Evaluator:
    if name.startswith("metadata."):
        key = name.removeprefix("metadata.")
        return lambda doc: doc.metadata.get(key)
    return lambda doc: doc.score(name)


def _aggregate(function: Callable[[list[float]], float], name: str) -> Evaluator:
    def evaluate(doc: Document) -> float | None:
        scores = [float(span[2]) for span in doc.attributes.get(name, [])]
        if function is len:
            return float(len(scores))
        return function(scores) if scores else None

    return evaluate
