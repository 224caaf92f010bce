"""pii_mask_v1: masking the pii_v1 spans, moving every other span, and removing documents with too
many."""

import pytest
from taggers.presets import filter_preset
from text.test_pii_kinds import PII_PAGE, found

from dolmakit.core.document import Document, Removed
from dolmakit.filters.pii_mask import PiiMask, PiiMaskConfig
from dolmakit.taggers.pii import PiiConfig, PiiTagger
from dolmakit.text.pii_kinds import KINDS


def doc(text: str) -> Document:
    return Document(id="d", text=text, source="s")


def test_the_sample_page_look_alikes_survive_masking():
    text = PII_PAGE.read_text(encoding="utf-8")
    masked = PiiMask("pii_mask_v1", PiiMaskConfig(max_pii=None)).process(doc(text)).text
    for look_alike in (
        "2024-03-15",
        "$1,299.00",
        "version 3.11.7",
        "978-3-16-148410-0",
        "51.5074, -0.1278",
        "RB-2024-000731",
        "7:30",
        "16:00",
        "£18",
    ):
        assert look_alike in masked


def test_mask_uses_the_tagger_spans_and_moves_every_attribute():
    text = "Mail a@example.com now, IP 192.0.2.17 end"
    tagged = PiiTagger("pii_v1", PiiConfig()).process(doc(text))
    tagged.attributes["other__tail"] = [[text.index("end"), len(text), 0.5]]
    tagged.attributes["other__doc"] = [[0, len(text), 7.0]]
    step = PiiMask("pii_mask_v1", PiiMaskConfig())
    masked = step.process(tagged)
    assert masked.text == "Mail |||EMAIL_ADDRESS||| now, IP |||IP_ADDRESS||| end"
    spans = masked.attributes
    assert [masked.text[s:e] for s, e, _ in spans["pii_v1__email_address"]] == [
        "|||EMAIL_ADDRESS|||"
    ]
    assert [masked.text[s:e] for s, e, _ in spans["pii_v1__ip_address"]] == ["|||IP_ADDRESS|||"]
    assert masked.text[slice(*spans["other__tail"][0][:2])] == "end"
    assert spans["other__doc"] == [[0, len(masked.text), 7.0]]
    assert spans["pii_v1__count"] == [[0, len(masked.text), 2.0]]
    assert step.stats["masked/email_address"] == 1 and step.stats["masked/ip_address"] == 1


def test_mask_tags_an_untagged_document_itself():
    masked = PiiMask("mask", PiiMaskConfig()).process(doc("x a@example.com y"))
    assert masked.text == "x |||EMAIL_ADDRESS||| y"
    assert masked.attributes["mask__email_address"] == [[2, 21, 1.0]]
    assert masked.attributes["mask__count"] == [[0, len(masked.text), 1.0]]


def test_mask_only_the_configured_kinds():
    masked = PiiMask("m", PiiMaskConfig(kinds=["email_address"])).process(
        doc("a@example.com 192.0.2.17")
    )
    assert masked.text == "|||EMAIL_ADDRESS||| 192.0.2.17"


def _with_emails(n: int) -> Document:
    return doc(" ".join(f"user{i}@example.com" for i in range(n)))


def test_mask_removes_above_max_pii_with_the_reason_and_masks_the_removed_text():
    step = PiiMask("pii_mask_v1", PiiMaskConfig(max_pii=5))
    kept = step.process(_with_emails(5))
    assert isinstance(kept, Document) and kept.text.count("|||EMAIL_ADDRESS|||") == 5
    removed = step.process(_with_emails(6))
    assert isinstance(removed, Removed)
    assert (removed.step, removed.reason) == ("pii_mask_v1", "pii_too_many")
    assert "@" not in removed.doc.text
    assert isinstance(PiiMask("m", PiiMaskConfig(max_pii=None)).process(_with_emails(50)), Document)


def test_mask_skips_spans_that_do_not_fit_the_text():
    stale = doc("short a@example.com")
    spans = [[6, 19, 1.0], [15, 99, 1.0], [3, 3, 1.0]]  # overlapping, past the end, empty
    stale.attributes = {"pii_v1__count": [[0, 5, 1.0]], "pii_v1__email_address": spans}
    assert PiiMask("m", PiiMaskConfig()).process(stale).text == "short |||EMAIL_ADDRESS|||"


BAD_INPUTS = {
    "empty": "",
    "one 10 MB line": "word 12 " * 1_250_000 + "x@example.com",
    "only symbols": "!@#$%^&*()_+-=[]{}|;':\",./<>? ::: @@ ++ -- .." * 100,
    "only whitespace": " \t\n\r\u00a0\u2003 " * 100,
    "mixed scripts": "Tokyo 東京 Москва مرحبا 서울 call +44 20 7946 0958 ☎ ١٢٣٤٥٦٧٨٩",
    "right to left": "اتصل بنا على البريد info@example.com أو الهاتف ٠٢٠ ٧٩٤٦ ٠٩٥٨ \u200f",
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_does_not_crash_and_every_drop_has_a_reason(name):
    text = BAD_INPUTS[name]
    tagged = PiiTagger("pii_v1", PiiConfig()).process(doc(text))
    assert set(tagged.attributes) == {f"pii_v1__{kind}" for kind in (*KINDS, "count")}
    for result in (
        filter_preset("pii_dolma").process(tagged),
        PiiMask("pii_mask_v1", PiiMaskConfig(max_pii=0)).process(tagged),
    ):
        assert isinstance(result, Document) or result.reason == "pii_too_many"
    if "@" in text and "example.com" in text:
        assert found(text, "email_address")[-1].endswith("@example.com")
