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
