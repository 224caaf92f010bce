"""CCNet's line normalization (cc_net/text_normalizer.py), the one place it lives in dolmakit.

Perplexity scoring normalizes each line before SentencePiece and KenLM (lowercase, accents
stripped, digits to 0, unicode punctuation mapped to ASCII, non-printing characters removed), and
line dedup hashes lines normalized the same way but with punctuation removed. Both must match
CCNet exactly, or its published perplexity cutoffs and dedup rates do not carry over.
"""

from __future__ import annotations

import re
import unicodedata

UNICODE_PUNCT = {
    "，": ",", "。": ". ", "、": ",", "„": '"', "”": '"', "“": '"', "«": '"', "»": '"',
    "１": '"', "」": '"', "「": '"', "《": '"', "》": '"', "´": "'", "∶": ":", "：": ":",
    "？": "?", "！": "!", "（": "(", "）": ")", "；": ";", "–": "-", "—": " - ", "．": ". ",
    "～": "~", "’": "'", "…": "...", "━": "-", "〈": "<", "〉": ">", "【": "[", "】": "]",
    "％": "%", "►": "-",
}  # fmt: skip
_PUNCT = "".join(UNICODE_PUNCT)
_NON_PRINTING = "".join(map(chr, [*range(0, 32), *range(127, 160)]))
_UNICODE_PUNCT_RE = re.compile(f"[{re.escape(_PUNCT)}]")
_NON_PRINTING_RE = re.compile(f"[{re.escape(_NON_PRINTING)}]")
_PUNCT_OR_NON_PRINTING_RE = re.compile(f"[{re.escape(_PUNCT + _NON_PRINTING)}]")
_DIGIT_RE = re.compile(r"\d")
_PUNCT_TABLE = str.maketrans(UNICODE_PUNCT)


def normalize(
    line: str, accent: bool = True, case: bool = True, numbers: bool = True, punct: int = 1
) -> str:
    """CCNet's normalize(): punct 1 maps unicode punctuation to ASCII, 2 removes it, 0 keeps it."""
    line = line.strip()
    if not line:
        return line
    if case:
        line = line.lower()
    if accent:
        line = strip_accents(line)
    if numbers:
        line = _DIGIT_RE.sub("0", line)
    if punct == 1:
        line = line.translate(_PUNCT_TABLE)
    elif punct == 2:
        line = _UNICODE_PUNCT_RE.sub("", line)
    return _NON_PRINTING_RE.sub("", line)


def normalize_for_dedup(line: str) -> str:
    """CCNet's normalize_for_dedup(): lowercase, digits to 0, punctuation and control removed."""
    line = line.strip()
    if not line:
        return line
    return _PUNCT_OR_NON_PRINTING_RE.sub("", _DIGIT_RE.sub("0", line.lower()))


def strip_accents(line: str) -> str:
    """Removes combining marks after NFD decomposition (é -> e, but also Devanagari vowel
    signs: CCNet does the same, so perplexities stay comparable)."""
    decomposed = unicodedata.normalize("NFD", line)
    if decomposed.isascii():
        return decomposed
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
