"""Tests for bytes-to-text decoding (dolmakit.extract.charset)."""

from __future__ import annotations

import pytest

from dolmakit.extract.charset import Decoded, decode_html, meta_charset

RUSSIAN = "Съешь же ещё этих мягких французских булок, да выпей чаю."
GERMAN = "Über die Brücke gingen fünf große Bären über die Straße."


def page(text: str, encoding: str, meta: str | None = None) -> bytes:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}</head><body><p>{text}</p></body></html>".encode(encoding)


def test_http_header_charset() -> None:
    decoded = decode_html(page(RUSSIAN, "cp1251"), "windows-1251")
    assert (decoded.charset, decoded.source, decoded.rejected) == ("cp1251", "http_header", ())
    assert RUSSIAN in decoded.text


def test_http_header_beats_meta_when_both_decode() -> None:
    decoded = decode_html(page(RUSSIAN, "cp1251", meta="koi8-r"), "windows-1251")
    assert (decoded.charset, decoded.source) == ("cp1251", "http_header")


def test_meta_charset_used_without_header() -> None:
    decoded = decode_html(page(RUSSIAN, "koi8-r", meta="koi8-r"), None)
    assert (decoded.charset, decoded.source) == ("koi8-r", "html_meta")
    assert RUSSIAN in decoded.text


def test_lying_header_falls_through_to_meta() -> None:
    decoded = decode_html(page(GERMAN, "cp1252", meta="windows-1252"), "utf-8")
    assert (decoded.charset, decoded.source) == ("cp1252", "html_meta")
    assert decoded.rejected == ("utf-8",)
    assert GERMAN in decoded.text


def test_every_declaration_lies_then_detection() -> None:
    decoded = decode_html(page(GERMAN, "cp1252", meta="euc-jp"), "utf-8")
    assert decoded.rejected == ("utf-8", "euc_jp")
    assert (decoded.charset, decoded.source, decoded.replacements) == ("cp1252", "detected", 0)
    assert GERMAN in decoded.text


def test_detected_without_declarations() -> None:
    decoded = decode_html(page(RUSSIAN, "koi8-r"), None)
    assert (decoded.charset, decoded.source) == ("koi8-r", "detected")
    assert RUSSIAN in decoded.text


def test_fallback_counts_replacements() -> None:
    decoded = decode_html(b"<p>caf\xc3\xa9 na\xc3\xafve \xe2\x80\x94 \x81 \x8d</p>", "utf-8")
    assert decoded == Decoded(
        "<p>café naïve — \ufffd \ufffd</p>", "utf-8", "fallback", 2, ("utf-8",)
    )


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("iso-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("ascii", "cp1252"),
        ('"UTF-8"', "utf-8"),
        (" Shift_JIS ", "shift_jis"),
        ("gb2312", "gbk"),
        ("x-sjis", "shift_jis"),
    ],
)
def test_labels_map_like_browsers(label: str, codec: str) -> None:
    decoded = decode_html(b"<p>plain</p>", label)
    assert (decoded.charset, decoded.source) == (codec, "http_header")


def test_latin1_label_decodes_as_windows_1252() -> None:
    assert decode_html(b"\x93quoted\x94", "iso-8859-1").text == "\u201cquoted\u201d"


@pytest.mark.parametrize("label", ["x-bogus", "", "utf-9", "\u00e9"])
def test_unknown_labels_are_ignored(label: str) -> None:
    decoded = decode_html(page(RUSSIAN, "utf-8"), label)
    assert (decoded.charset, decoded.source, decoded.rejected) == ("utf-8", "detected", ())


def test_bom_is_stripped() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "utf-8").text == "<p>café</p>"
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", None).text == "<p>café</p>"
    utf16 = decode_html("\ufeff<p>hé</p>".encode("utf-16-le"), None)
    assert (utf16.text, utf16.charset) == ("<p>hé</p>", "utf-16-le")


def test_bom_beats_declared_charset() -> None:
    decoded = decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "windows-1252")
    assert (decoded.text, decoded.charset) == ("<p>café</p>", "utf-8")


def test_empty_body() -> None:
    assert decode_html(b"", None) == Decoded("", "utf-8", "detected")


@pytest.mark.parametrize(
    ("head", "label"),
    [
        ('<meta charset="utf-8">', "utf-8"),
        ("<META CHARSET=Shift_JIS>", "Shift_JIS"),
        ("<meta charset='  koi8-r'>", "koi8-r"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "ISO-8859-1"),
        ('<meta content="text/html;charset=gb2312" http-equiv="content-type" />', "gb2312"),
        ('<meta name="description" content="no charset here">', None),
        ("", None),
    ],
)
def test_meta_charset(head: str, label: str | None) -> None:
    assert meta_charset(f"<html><head>{head}</head><body>x</body></html>".encode()) == label


def test_meta_charset_scan_window() -> None:
    padding = "<!-- " + "x" * 3000 + " -->"
    assert meta_charset(f'{padding}<meta charset="koi8-r">'.encode()) == "koi8-r"
    assert meta_charset(f'{padding * 2}<meta charset="koi8-r">'.encode()) is None
