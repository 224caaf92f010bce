"""The kinds of personal data dolmakit finds in a text, their mask tokens, and how each is found.

Kinds: emails, phone numbers, IP addresses, card numbers and IBANs; the `pii_v1` tagger stores
what the detector finds, `pii_mask_v1` replaces it with Dolma's tokens (`|||EMAIL_ADDRESS|||`,
...), and the tokenizer reserves those tokens.

Detection is regular expressions plus checks that keep look-alikes out: card numbers must pass
Luhn and match an issuer's prefix and length, IBANs their country's length and mod-97, IPv6
Python's own parser. Phone numbers come in two strengths: shapes that are phone numbers on their
own (`+44 20 7946 0958`, `(555) 013-4567`, `555-013-4567`, `020 7946 0958`) and bare digit
groups (`467 3395`, `9498777106`) that count only next to a word like "phone", "fax" or "call".
Dates, years, prices, versions, ISBNs, coordinates and order numbers fail the checks.
"""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Literal

from dolmakit.core.document import Span

Kind = Literal["email_address", "phone_number", "ip_address", "credit_card_number", "iban"]
# in priority order: a span overlapping one found earlier in this list is dropped
KINDS: tuple[str, ...] = (
    "email_address",
    "iban",
    "credit_card_number",
    "ip_address",
    "phone_number",
)
TOKENS = {kind: f"|||{kind.upper()}|||" for kind in KINDS}
TOKENS["iban"] = "|||IBAN|||"

# an address is found from its "@" (a fast literal search), its local part then backwards
_EMAIL_DOMAIN = re.compile(
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,10}([A-Za-z]{2,24})(?![A-Za-z0-9-]|@)"
)
_EMAIL_LOCAL = re.compile(
    r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9_%+'-](?:[A-Za-z0-9._%+'-]{0,62}[A-Za-z0-9_%+'-])?\Z"
)
# `icon@2x.png` is a file name, not an address
_FILE_SUFFIXES = frozenset(
    ["png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "css", "js", "json"]
)

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# each pattern opens with a character class and looks behind only after it: the regex engine
# then skips to candidate characters in C instead of trying every position (4x faster)
# \w is ASCII (re.A) in the number patterns: "電話03-1234-5678です" holds a phone number
_IPV4 = re.compile(rf"[0-9](?<![\w.:-].)[0-9]{{0,2}}(?:\.{_OCTET}){{3}}(?![\w-]|\.[0-9])", re.A)
_FIRST_OCTET = re.compile(_OCTET)
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){1,7}"
    r"(?:(?<=:)(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])",
    re.A,
)
_IPV6_HINT = re.compile(r":[0-9A-Fa-f]{0,4}:")  # opens with a literal: a fast pre-check
# "version 1.2.3.4", "section 2.1.4.3": dotted numbers that name something else
_NOT_IP_BEFORE = re.compile(
    r"(?:\b(?:version|ver\.?|release|build|section|chapter|article|"
    r"rule|clause|paragraph|figure|table|step|v)|§)\s*$",
    re.I,
)

_CARD = re.compile(
    r"[0-9](?<![\w+.,/-].)(?:[0-9]{3}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{1,7}"  # 4-4-4-4(-3)
    r"|[0-9]{3}([ -])[0-9]{6}\2[0-9]{4,5}"  # Amex 4-6-5, Diners 4-6-4
    r"|[0-9]{11,18})(?![\w-]|[.,][0-9])",
    re.A,
)
# issuer prefixes and lengths (ISO/IEC 7812 IINs as the networks publish them)
_CARD_ISSUERS = [
    (re.compile(r"4"), {13, 16, 19}),  # Visa
    (re.compile(r"5[1-5]|2(?:22[1-9]|2[3-9][0-9]|[3-6][0-9][0-9]|7[01][0-9]|720)"), {16}),
    (re.compile(r"3[47]"), {15}),  # American Express
    (re.compile(r"3(?:0[0-59]|[689])"), {14, 15, 16, 17, 18, 19}),  # Diners Club
    (re.compile(r"6(?:011|4[4-9]|5)"), {16, 17, 18, 19}),  # Discover
    (re.compile(r"35"), {16, 17, 18, 19}),  # JCB (3528-3589; Faker uses all of 35)
    (re.compile(r"2131|1800"), {15}),  # JCB 15
    (re.compile(r"5[06-9]|6[0-9]"), set(range(12, 20))),  # Maestro, UnionPay, RuPay
    (re.compile(r"220[0-4]"), {16, 17, 18, 19}),  # Mir
]

# found from its check digits, the country code looked behind: the match starts 2 characters in
_IBAN = re.compile(
    r"[0-9](?<=(?<![\w-])[A-Za-z]{2}[0-9])[0-9](?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,4})?",
    re.A,
)
# IBAN length per country (SWIFT's IBAN registry)
_IBAN_LENGTHS = {
    entry[:2]: int(entry[2:])
    for entry in str.split(
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 "
        "DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 "
        "HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 "
        "MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 "
        "RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 "
        "VG24 XK20 YE30"
    )
}

_PHONE = re.compile(
    # after "1," a digit group is part of a number, after "call," it is not
    r"(?=[+(0-9])(?<![\w.+@=/-])(?<![0-9],)(?:"
    r"(?P<intl>(?:\+|00)[1-9][0-9]{0,2}(?:[ .-]?\(0\))?"
    r"(?:[ .-]?(?:\([0-9]{1,5}\)|[0-9]{1,5})){1,6})"
    r"|(?P<paren>\(0?[0-9]{2,4}\)[ .-]?[0-9]{2,5}(?:[ .-][0-9]{2,8}){0,3})"
    r"|(?P<groups>[0-9]{2,5}(?:[ .-][0-9]{2,8}){1,5})"
    r"|(?P<bare>[0-9]{9,11}))"
    r"(?: ?(?:x|ext\.?|extension) ?[0-9]{1,5})?"
    r"(?![\w@]|[.,:/-][0-9]|\([0-9])",
    re.A,
)
_DIGITS = re.compile(r"[0-9]+")
_SEPARATORS = re.compile(r"[0-9]+([ .-])")
_YEAR = range(1000, 2100)
# words that make a bare group of digits a phone number when they stand close to it
_PHONE_CONTEXT = re.compile(
    r"\b(?:phones?|telephone|tel|mobile|mob|cell|cellphone|fax|call|calls|calling|dial|sms|"
    r"whatsapp|contact|office|desk|hotline|helpline|number|messages?|telefon|telefono|"
    r"teléfono|téléphone|tél|handy|móvil|cellulare|телефон|тел)\b"
    r"|電話|电话|전화",
    re.I,
)


class PiiDetector:
    """Finds PII spans per kind; pure functions of the text, safe to share and pickle.

    A bare group of digits is a phone number only with a phone word at most
    `phone_context_before` characters before it or `phone_context_after` after it."""

    def __init__(
        self,
        kinds: Iterable[str] = KINDS,
        phone_context_before: int = 40,
        phone_context_after: int = 20,
    ):
        wanted = set(kinds)
        self.kinds = [kind for kind in KINDS if kind in wanted]
        self.phone_context = (phone_context_before, phone_context_after)

    def find(self, text: str) -> dict[str, list[Span]]:
        """Spans of each configured kind, sorted, none overlapping another of any kind."""
        found: dict[str, list[Span]] = {kind: [] for kind in self.kinds}
        taken = _Intervals()
        has_digit = _DIGITS.search(text) is not None
        for kind in self.kinds:
            for start, end in self._candidates(kind, text, has_digit):
                if taken.add(start, end):
                    found[kind].append([start, end, 1.0])
        for spans in found.values():
            spans.sort()
        return found

    def _candidates(self, kind: str, text: str, has_digit: bool) -> list[tuple[int, int]]:
        if kind == "email_address":
            return _emails(text) if "@" in text else []
        if not has_digit:
            return []
        if kind == "iban":
            return _ibans(text)
        if kind == "credit_card_number":
            return _cards(text)
        if kind == "ip_address":
            return _ipv4s(text) + (_ipv6s(text) if _IPV6_HINT.search(text) else [])
        return _phones(text, *self.phone_context)


def _emails(text: str) -> list[tuple[int, int]]:
    spans = []
    for domain in _EMAIL_DOMAIN.finditer(text):
        at = domain.start()
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        if local is not None and domain[1].lower() not in _FILE_SUFFIXES:
            spans.append((local.start(), domain.end()))
    return spans


def _ipv4s(text: str) -> list[tuple[int, int]]:
    return [
        m.span()
        for m in _IPV4.finditer(text)
        if _FIRST_OCTET.fullmatch(m[0].split(".", 1)[0])
        and not _NOT_IP_BEFORE.search(text, max(0, m.start() - 12), m.start())
    ]


def _ipv6s(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _IPV6.finditer(text):
        candidate = match[0]
        if not _plausible_ipv6(candidate):
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        spans.append(match.span())
    return spans


def _plausible_ipv6(candidate: str) -> bool:
    """Real addresses open with a group of 3-4 hex digits (2001:, fe80:, 2a00:), or with `::`
    and two groups after it, and do not end in `::`; "1::", "3:20::" and "1957::" are Bible,
    section and page references (the Brown corpus has dozens)."""
    first = candidate.split(":", 1)[0]
    if candidate.endswith("::"):
        return False
    if first:
        return len(first) >= 3
    return sum(1 for group in candidate.split(":") if group) >= 2


def _cards(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _CARD.finditer(text):
        digits = match[0].replace(" ", "").replace("-", "")
        if _card_issuer_fits(digits) and luhn_valid(digits):
            spans.append(match.span())
    return spans


def _card_issuer_fits(digits: str) -> bool:
    return any(prefix.match(digits) and len(digits) in lengths for prefix, lengths in _CARD_ISSUERS)


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check that every payment card number passes."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if i % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _ibans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _IBAN.finditer(text):
        begin = match.start() - 2
        candidate = text[begin : match.end()]
        length = _IBAN_LENGTHS.get(candidate[:2].upper())
        if length is None:
            continue
        # the pattern may run on into the next word: keep exactly the country's length
        end, seen = 0, 0
        while seen < length and end < len(candidate):
            seen += candidate[end] != " "
            end += 1
        iban = candidate[:end]
        following = text[begin + end : begin + end + 1]
        if (
            seen == length
            and not following.isalnum()
            and (iban.isupper() or iban.islower())
            and iban_valid(iban.replace(" ", "").upper())
        ):
            spans.append((begin, begin + end))
    return spans


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check of a compact, upper-case IBAN."""
    rearranged = iban[4:] + iban[:4]
    if not rearranged.isalnum() or not rearranged.isascii():
        return False
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _phones(text: str, before: int, after: int) -> list[tuple[int, int]]:
    spans = []
    for match in _PHONE.finditer(text):
        strength = _phone_strength(match)
        if strength == "strong" or (
            strength == "weak" and _near_phone_word(text, match.start(), match.end(), before, after)
        ):
            spans.append(match.span())
    return spans


def _phone_strength(match: re.Match) -> str:
    """strong (a phone number by its shape), weak (only next to a phone word) or none."""
    kind = match.lastgroup
    body = match[kind]
    groups = _DIGITS.findall(body)
    digits = sum(map(len, groups))
    if kind == "intl":
        return "strong" if 8 <= digits <= 15 else "none"
    if kind == "bare":
        return "weak" if not body.startswith(("978", "979")) else "none"
    if kind == "paren":
        return "strong" if 7 <= digits <= 12 else "none"
    separators = set(_SEPARATORS.findall(body))
    if len(separators) > 1 or not 7 <= digits <= 12 or _looks_like_date_or_years(groups):
        return "none"
    lengths = [len(group) for group in groups]
    if separators == {"."} and len(groups) < 3:
        return "none"  # a decimal number
    if separators == {"-"} and lengths in ([3, 2, 4], [5, 3], [4, 3], [5, 4]):
        return "none"  # US social security numbers; Brazilian, Portuguese, US ZIP+4 postcodes
    if lengths == [3, 3, 4] or (body[0] == "0" and body[1] != "0" and digits >= 9):
        return "strong"  # North American 555-013-4567; national with a trunk 0: 020 7946 0958
    if len(groups) >= 4 and all(length == 2 for length in lengths[1:]):
        return "strong"  # 60-56-85-91, 01 84 17 61 18
    return "weak"


def _looks_like_date_or_years(groups: list[str]) -> bool:
    numbers = [int(group) for group in groups]
    if all(len(g) == 4 and n in _YEAR for g, n in zip(groups, numbers, strict=True)):
        return True  # 1990-1995, 1958 1959 1960
    if len(groups) == 3:
        first, middle, last = numbers
        year = int(groups[0][-4:])  # "02018-05-06": a date glued to a stray digit
        if len(groups[0]) >= 4 and year in _YEAR and 1 <= middle <= 12 and 1 <= last <= 31:
            return True  # 2024-03-15
        if (
            len(groups[2]) == 4
            and last in _YEAR
            and 1 <= min(first, middle) <= 12
            and max(first, middle) <= 31
        ):
            return True  # 15.03.2024, 03-15-2024
    return False


def _near_phone_word(text: str, start: int, end: int, before: int, after: int) -> bool:
    return bool(
        _PHONE_CONTEXT.search(text, max(0, start - before), start)
        or _PHONE_CONTEXT.search(text[end : end + after])
    )


class _Intervals:
    """Non-overlapping [start, end) intervals; add() refuses one that overlaps."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        if (i > 0 and self.ends[i - 1] > start) or (i < len(self.starts) and self.starts[i] < end):
            return False
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True
