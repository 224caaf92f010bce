from pathlib import Path

import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.taggers.pii import (
    KINDS,
    PiiConfig,
    PiiDetector,
    PiiMask,
    PiiMaskConfig,
    PiiTagger,
    iban_valid,
    luhn_valid,
)
from taggers.presets import filter_preset

REPO = Path(__file__).resolve().parents[2]
PII_PAGE = REPO / "samples" / "commoncrawl" / "pages" / "en-pii-bakery-contact.md"
DETECTOR = PiiDetector()


def found(text: str, kind: str | None = None) -> list[str]:
    spans = DETECTOR.find(text)
    kinds = [kind] if kind else list(spans)
    return [text[s:e] for k in kinds for s, e, _ in spans[k]]


def doc(text: str) -> Document:
    return Document(id="d", text=text, source="s")


def test_the_sample_page_pii_is_found_and_its_look_alikes_are_not():
    text = PII_PAGE.read_text(encoding="utf-8")
    assert found(text, "email_address") == [
        "orders@riverside-bakery.example",
        "info@riverside-bakery.example",
        "amira.haddad@riverside-bakery.example",
        "wholesale@northwind-flour.example",
    ]
    assert found(text, "phone_number") == [
        "020 7946 0958",
        "+44 20 7946 0958",
        "+1 (555) 013-4567",
        "(555) 013-4567",
    ]
    assert found(text, "ip_address") == ["192.0.2.17", "198.51.100.4", "2001:db8::1"]
    assert found(text, "credit_card_number") == found(text, "iban") == []
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


@pytest.mark.parametrize(
    "text",
    [
        "Our new room opened on 2024-03-15.",
        "Deadline: 15.03.2024, or 03/15/2024 in the US.",
        "The mills ran from 1958 1959 1960 to 1990-1995.",
        "Packages start at $1,299.00 or 1 299,00 €.",
        "Upgraded to version 3.11.7, then v1.2.3.4 and version 2.0.0.1.",
        "ISBN 978-3-16-148410-0 (9783161484100), ISBN-10 0-306-40615-2.",
        "The door is at 51.5074, -0.1278 and 40.7128° N, 74.0060° W.",
        "Order numbers look like RB-2024-000731 and INV-2023-11-04-778.",
        "Open from 7:30 until 16:00, doors at 12:30:45.",
        "In 1990 the city had 1,000,000 people; 12 345 678 by now, and 100 000 000 soon.",
        "Contact number: SSN-shaped 123-45-6789 is no phone number.",
        "Office: Rua Augusta, 1100-053 Lisboa, or call at CEP 01310-100 São Paulo.",
        "Seattle, WA 98195-2355. Contact us any time.",
        "表姐夫王贵贞02018-05-06 上海",
        "Read John 3:16 and Section 1:: with std::vector<int> on 00:1A:2B:3C:4D:5E.",
        "The 256.1.1.1 and 1.2.3.4.5 strings are not addresses.",
        "See icon@2x.png and @handle on the site.",
        "Card 4111 1111 1111 1112 fails Luhn; 9111111111111110 has no issuer.",
        "IBAN GB82 WEST 1234 5698 7654 33 has a bad checksum, GB82 WEST 1234 5698 is short.",
    ],
)
def test_look_alikes_are_not_pii(text):
    assert found(text) == []


PHONES = {
    "uk": ["+44 20 7946 0958", "020 7946 0958", "+447700900123", "0044 20 7946 0958"],
    "us": ["+1 (555) 013-4567", "(555) 013-4567", "555-013-4567", "555.013.4567"],
    "us, extension and exit code": ["+1-555-013-4567 x123", "001-555-013-4567"],
    "france": ["+33 1 23 45 67 89", "01 23 45 67 89", "01.23.45.67.89"],
    "germany": ["+49 30 1234567", "030 1234567", "+49 (0)30 1234 5678"],
    "australia": ["+61 412 345 678", "0412 345 678", "(08) 8747 6301"],
    "japan": ["+81 3-1234-5678", "03-1234-5678"],
}


@pytest.mark.parametrize("phone", [phone for group in PHONES.values() for phone in group])
def test_international_and_national_phone_numbers(phone):
    assert found(f"Call us on {phone} today.", "phone_number") == [phone]
    assert found(f"{phone}", "phone_number") == [phone]  # these shapes need no phone word


def test_phone_numbers_in_text_without_spaces_between_words():
    assert found("お問い合わせは電話03-1234-5678まで", "phone_number") == ["03-1234-5678"]


@pytest.mark.parametrize("number", ["467 3395", "9498777106", "78 651 450", "699 956 915"])
def test_bare_digit_groups_are_phones_only_next_to_a_phone_word(number):
    assert found(f"Phone: {number}", "phone_number") == [number]
    assert found(f"{number} (fax)", "phone_number") == [number]
    assert found(f"Lot {number} was sold.", "phone_number") == []


CARDS = {
    "visa": ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111"],
    "mastercard": ["5555555555554444", "2223000048400011"],
    "american express": ["378282246310005", "3782 822463 10005"],
    "discover, jcb, diners": ["6011111111111117", "3530111333300000", "30569309025904"],
}


@pytest.mark.parametrize("card", [card for group in CARDS.values() for card in group])
def test_luhn_valid_card_numbers_are_found(card):
    assert luhn_valid(card.replace(" ", "").replace("-", ""))
    assert found(f"Card: {card}.", "credit_card_number") == [card]


def test_luhn_invalid_card_numbers_are_not():
    assert not luhn_valid("4111111111111112")
    assert found("Card: 4111 1111 1111 1112.") == []
    assert found("Card: 4111111111111112.") == []


@pytest.mark.parametrize(
    "iban",
    [
        "GB82 WEST 1234 5698 7654 32",
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91ABNA0417164300",
        "gb82west12345698765432",
    ],
)
def test_iban_with_a_valid_checksum_is_found(iban):
    assert found(f"Pay to {iban} and thanks", "iban") == [iban]


def test_iban_with_a_wrong_checksum_or_country_is_not():
    assert iban_valid("GB82WEST12345698765432")
    assert not iban_valid("GB82WEST12345698765433")
    assert found("Pay to GB82WEST12345698765433 now") == []
    assert found("Pay to ZZ82WEST12345698765432 now") == []


@pytest.mark.parametrize(
    "address",
    [
        "192.0.2.17",
        "8.8.8.8",
        "255.255.255.255",
        "2001:db8::1",
        "fe80::1ff:fe23:4567:890a",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "::ffff:192.0.2.1",
        "2001:db8:0:0:0:0:2:1",
    ],
)
def test_ipv4_and_ipv6_addresses(address):
    assert found(f"Server {address} is up", "ip_address") == [address]
    assert found(f"[{address}]:8080", "ip_address") == [address]


@pytest.mark.parametrize("email", ["a.b+tag@example.co.uk", "x_y@sub.example.org", "A@B.CD"])
def test_emails(email):
    assert found(f"Write to {email}.", "email_address") == [email]
    assert found(f"お問い合わせは{email}まで", "email_address") == [email]


def test_tagger_writes_dolma_spans_and_a_count():
    text = "Mail a@example.com or b@example.com, call +44 20 7946 0958."
    tagger = PiiTagger("pii_v1", PiiConfig())
    attributes = tagger.process(doc(text)).attributes
    assert attributes["pii_v1__email_address"] == [[5, 18, 1.0], [22, 35, 1.0]]
    assert [text[s:e] for s, e, _ in attributes["pii_v1__phone_number"]] == ["+44 20 7946 0958"]
    assert attributes["pii_v1__iban"] == []
    assert attributes["pii_v1__count"] == [[0, len(text), 3.0]]
    assert tagger.stats["spans/email_address"] == 2


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


def test_pii_dolma_filter_preset_on_both_sides_of_its_threshold():
    tagger, rule = PiiTagger("pii_v1", PiiConfig()), filter_preset("pii_dolma")
    assert isinstance(rule.process(tagger.process(_with_emails(5))), Document)
    removed = rule.process(tagger.process(_with_emails(6)))
    assert isinstance(removed, Removed) and removed.reason == "pii_too_many"


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
