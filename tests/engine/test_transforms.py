"""A chain of per-document steps on its own: outcomes, errors, statistics."""

from __future__ import annotations

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.steps import Step
from dolmakit.engine.transforms import StepChain


class DropOdd(Step):
    """Removes documents with an odd number in their text, fails on 'boom'."""

    type_name = "drop_odd_test"

    def process(self, doc: Document) -> Document | Removed:
        if doc.text == "boom":
            raise RuntimeError("kaboom")
        return Removed(doc, self.name, "odd") if int(doc.text) % 2 else doc


class CountLetters(Step):
    """Counts documents by first letter and observes text lengths."""

    type_name = "count_letters_test"

    def process(self, doc: Document) -> Document:
        self.stats[f"first/{doc.text[0]}"] += 1
        self.observe("test_lengths", len(doc.text))
        return doc


def outcomes(chain: StepChain, text: str) -> list[tuple[str, object]]:
    doc = Document(id=text, text=text, source="t")
    found = []
    for step, outcome in chain.run(doc):
        if isinstance(outcome, Removed):
            found.append((step.name, ("removed", outcome.reason)))
        elif isinstance(outcome, ErrorRecord):
            found.append((step.name, ("error", outcome.kind, outcome.cause)))
        else:
            found.append((step.name, "kept"))
    return found


def test_a_chain_stops_at_a_removal_or_an_error():
    chain = StepChain([CountLetters("letters", None), DropOdd("drop_odd", None)])
    assert outcomes(chain, "2") == [("letters", "kept"), ("drop_odd", "kept")]
    assert outcomes(chain, "3") == [("letters", "kept"), ("drop_odd", ("removed", "odd"))]
    assert outcomes(chain, "boom") == [
        ("letters", "kept"), ("drop_odd", ("error", "step_failed", "RuntimeError: kaboom")),
    ]  # fmt: skip


def test_step_stats_drain_under_the_steps_name_and_histograms_under_theirs():
    chain = StepChain([CountLetters("letters", None)])
    for text in ("ab", "ax", "b"):
        list(chain.run(Document(id=text, text=text, source="t")))
    drained = dict(chain.drain_stats())
    assert drained["letters/first/a"] == 2 and drained["letters/first/b"] == 1
    assert sorted(k for k in drained if k.startswith("hist/")) == [
        "hist/test_lengths/all/1", "hist/test_lengths/all/2",
    ]  # fmt: skip
    assert dict(chain.drain_stats()) == {}


class Upper(Step):
    """Returns a new document in place of the one it gets."""

    type_name = "upper_test"

    def process(self, doc: Document) -> Document:
        return Document(id=doc.id, text=doc.text.upper(), source=doc.source)


def test_a_document_a_step_returns_in_place_of_its_own_goes_on_to_the_next_step():
    chain = StepChain([Upper("upper", None), CountLetters("letters", None)])
    outcomes_seen = list(chain.run(Document(id="a", text="ab", source="t")))
    assert [step.name for step, _ in outcomes_seen] == ["upper", "letters"]
    assert outcomes_seen[-1][1].text == "AB"
    assert dict(chain.drain_stats())["letters/first/A"] == 1
