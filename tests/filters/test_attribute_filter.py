import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.filters.attribute_filter import AttributeFilter, FilterConfig


def doc(words: float, alpha: float = 0.9) -> Document:
    attributes = {"s__words": [[0, 1, words]], "s__alpha": [[0, 1, alpha]]}
    return Document(id="x", text="t", source="s", attributes=attributes)


def length_filter(**config) -> AttributeFilter:
    return AttributeFilter("length", FilterConfig(**config))


def test_removes_with_the_first_matching_reason():
    step = length_filter(remove_if={"too_short": "s__words < 50", "symbols": "s__alpha < 0.5"})
    kept = doc(50)
    assert step.process(kept) is kept
    removed = step.process(doc(49, alpha=0.1))
    assert isinstance(removed, Removed)
    assert (removed.step, removed.reason) == ("length", "too_short")
    assert step.process(doc(100, alpha=0.1)).reason == "symbols"


def test_keep_if_removes_what_fails_it():
    step = length_filter(keep_if="s__words >= 10", keep_reason="below_ten_words")
    assert step.process(doc(9)).reason == "below_ten_words"
    assert isinstance(step.process(doc(10)), Document)


def test_needs_a_rule():
    with pytest.raises(ConfigError):
        length_filter()
