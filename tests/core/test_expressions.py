import pytest

from dolmakit.core.document import Document
from dolmakit.core.expressions import ExpressionError, compile_expression

DOC = Document(
    id="d",
    text="hello",
    source="s",
    metadata={"language": "en", "http_status": 200},
    attributes={"t__words": [[0, 5, 42.0]], "t__spans": [[0, 1, 1.0], [1, 3, 2.0], [3, 5, 6.0]]},
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("t__words < 50", True),
        ("t__words >= 42 and t__words <= 42", True),
        ("t__words > 42 or t__words == 42", True),
        ("not t__words == 42", False),
        ("not (t__words < 10 or t__words > 100)", True),
        ("metadata.language == 'en'", True),
        ('metadata.language != "en"', False),
        ("metadata.http_status == 200", True),
        ("count(t__spans) == 3", True),
        ("sum(t__spans) == 9", True),
        ("min(t__spans) == 1 and max(t__spans) == 6", True),
        ("mean(t__spans) == 3", True),
        ("t__words > -1.5e1", True),
        ("t__missing < 10", False),  # a missing value never matches
        ("t__missing >= 10", False),
        ("count(t__missing) == 0", True),
        ("metadata.language < 3", False),  # a string against a number: false, not a crash
        ("true", True),
    ],
)
def test_evaluates(expression, expected):
    assert compile_expression(expression)(DOC) == expected


@pytest.mark.parametrize(
    "expression",
    ["", "t__words <", "t__words < 1 2", "__import__('os').system('x')", "a; b", "(a < 1",
     "sum(t__spans", "a < < 1", "and", "lambda: 1"],
)  # fmt: skip
def test_rejects(expression):
    with pytest.raises(ExpressionError):
        compile_expression(expression)


@pytest.mark.parametrize(
    "expression", ["(" * 1000 + "t__words > 1" + ")" * 1000, "not " * 1000 + "t__words > 1"]
)
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(expression):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(expression)
    shown = repr(expression[:80] + "...")
    assert str(caught.value) == (f"nested deeper than 100 levels (parentheses or `not`) in {shown}")


def test_nesting_up_to_the_limit_evaluates():
    assert compile_expression("(" * 100 + "t__words > 1" + ")" * 100)(DOC) is True
    assert compile_expression("not " * 100 + "t__words > 1")(DOC) is True


def test_a_deeply_nested_filter_rule_fails_before_launch(tmp_path):
    from dolmakit.core.errors import ConfigError
    from dolmakit.engine.config import resolve

    rule = "(" * 1000 + "t__words > 1" + ")" * 1000
    data = {
        "name": "p",
        "input": {"paths": ["x.jsonl"]},
        "output": {"path": str(tmp_path)},
        "steps": [{"type": "filter", "config": {"remove_if": {"deep": rule}}}],
    }
    with pytest.raises(ConfigError, match=r"p\.yaml: steps\[0\]\.config: .*nested deeper than 100"):
        resolve(data, "p.yaml")
