"""pii_v1: the spans and count it writes, and the pii_dolma filter preset on its count."""

from dolmakit.core.document import Document, Removed
from dolmakit.taggers.pii import PiiConfig, PiiTagger
from taggers.presets import filter_preset


def doc(text: str) -> Document:
    return Document(id="d", text=text, source="s")


def test_tagger_writes_dolma_spans_and_a_count():
    text = "Mail a@example.com or b@example.com, call +44 20 7946 0958."
    tagger = PiiTagger("pii_v1", PiiConfig())
    attributes = tagger.process(doc(text)).attributes
    assert attributes["pii_v1__email_address"] == [[5, 18, 1.0], [22, 35, 1.0]]
    assert [text[s:e] for s, e, _ in attributes["pii_v1__phone_number"]] == ["+44 20 7946 0958"]
    assert attributes["pii_v1__iban"] == []
    assert attributes["pii_v1__count"] == [[0, len(text), 3.0]]
    assert tagger.stats["spans/email_address"] == 2


def _with_emails(n: int) -> Document:
    return doc(" ".join(f"user{i}@example.com" for i in range(n)))


def test_pii_dolma_filter_preset_on_both_sides_of_its_threshold():
    tagger, rule = PiiTagger("pii_v1", PiiConfig()), filter_preset("pii_dolma")
    assert isinstance(rule.process(tagger.process(_with_emails(5))), Document)
    removed = rule.process(tagger.process(_with_emails(6)))
    assert isinstance(removed, Removed) and removed.reason == "pii_too_many"
