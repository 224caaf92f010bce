"""What the PII detector finds (dolmakit.text.pii_kinds): the sample page, each kind's shapes, and
the look-alikes it must leave alone."""

from pathlib import Path

import pytest

from dolmakit.text.pii_kinds import PiiDetector, iban_valid, luhn_valid

REPO = Path(__file__).resolve().parents[2]
PII_PAGE = REPO / "samples" / "commoncrawl" / "pages" / "en-pii-bakery-contact.md"
DETECTOR = PiiDetector()


def found(text: str, kind: str | None = None) -> list[str]:
    spans = DETECTOR.find(text)
    kinds = [kind] if kind else list(spans)
    return [text[s:e] for k in kinds for s, e, _ in spans[k]]


def test_the_sample_page_pii_is_found():
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
