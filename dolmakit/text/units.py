"""What the rule taggers (Gopher, C4, FineWeb) read from a text, computed once per text.

Several taggers run one after another on the same document, so `units_of(text)` keeps the last
text's units: words, lines and n-gram hashes are built on first use and shared. Word statistics
are counted with numpy over code points (no per-character Python loop), and n-grams are compared
by 64-bit hashes of word sequences, not by joined strings.

Numbers follow datatrove's implementations of the same rules (pipeline/filters/*.py, 0.10.1).
What a word is has two answers (`WORD_SPLITTINGS`, chosen per tagger):
- "whitespace": whitespace-separated, each Han or Kana character a word of its own (`words_of`,
  as the other dolmakit taggers count them, here in text order): the plain reading of the
  Gopher paper's "words";
- "datatrove": the tokens of spaCy's English tokenizer, which datatrove counts (every
  punctuation mark split off a word is a word; dolmakit.text.spacy_words).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from dolmakit.text.chars import UNSPACED as _UNSPACED
from dolmakit.text.normalize import UNICODE_PUNCT
from dolmakit.text.spacy_words import datatrove_words

WORD_SPLITTINGS = ("whitespace", "datatrove")


def _expand(ranges: str) -> frozenset[str]:
    """The characters of a regex-like class body such as "a-cx" (no escapes)."""
    chars: set[str] = set()
    for first, last in re.findall(r"(.)(?:-(.))?", ranges, flags=re.DOTALL):
        chars.update(map(chr, range(ord(first), ord(last or first) + 1)))
    return frozenset(chars)


# datatrove's TERMINAL_PUNCTUATION: Unicode's Sentence_Terminal characters (an older Unicode
# version) plus three Khmer signs; FineWeb's line-punctuation rule ends lines on any of these.
TERMINAL_PUNCTUATION = _expand(
    "\u0021\u002e\u003f\u0589\u061d-\u061f\u06d4\u0700-\u0702\u07f9\u0837\u0839\u083d\u083e"
    "\u0964\u0965\u104a\u104b\u1362\u1367\u1368\u166e\u1735\u1736\u17d4-\u17d6\u17d9\u17da"
    "\u1803\u1809\u1944\u1945\u1aa8-\u1aab\u1b5a\u1b5b\u1b5e\u1b5f\u1b7d\u1b7e\u1c3b\u1c3c"
    "\u1c7e\u1c7f\u203c\u203d\u2047-\u2049\u2e2e\u2e3c\u2e53\u2e54\u3002\ua4ff\ua60e\ua60f"
    "\ua6f3\ua6f7\ua876\ua877\ua8ce\ua8cf\ua92f\ua9c8\ua9c9\uaa5d-\uaa5f\uaaf0\uaaf1\uabeb"
    "\ufe52\ufe56\ufe57\uff01\uff0e\uff1f\uff61\U00010a56\U00010a57\U00010f55-\U00010f59"
    "\U00010f86-\U00010f89\U00011047\U00011048\U000110be-\U000110c1\U00011141-\U00011143"
    "\U000111c5\U000111c6\U000111cd\U000111de\U000111df\U00011238\U00011239\U0001123b"
    "\U0001123c\U000112a9\U0001144b\U0001144c\U000115c2\U000115c3\U000115c9-\U000115d7"
    "\U00011641\U00011642\U0001173c-\U0001173e\U00011944\U00011946\U00011a42\U00011a43"
    "\U00011a9b\U00011a9c\U00011c41\U00011c42\U00011ef7\U00011ef8\U00011f43\U00011f44"
    "\U00016a6e\U00016a6f\U00016af5\U00016b37\U00016b38\U00016b44\U00016e98\U0001bc9f"
    "\U0001da88"
)
# datatrove's PUNCTUATION_SET: ASCII punctuation, CCNet's unicode punctuation, control characters
# other than tab and newline, and the terminal punctuation. A word made only of these is a symbol.
PUNCTUATION = (
    frozenset(string.punctuation)
    | frozenset(UNICODE_PUNCT)
    | frozenset(chr(c) for c in [*range(0, 9), *range(11, 32), *range(127, 160)])
    | TERMINAL_PUNCTUATION
)

# a Han or Kana character, or a run of other non-space characters: words_of's words, in order
_WORD = re.compile(rf"{_UNSPACED.pattern}|[^\s{_UNSPACED.pattern[1:-1]}]+")

# code point classes, as bit flags; planes 0-2 hold every script in use, rarer code points are
# classified one by one (see _flags)
_SPACE, _LETTER, _PUNCT, _UNSPACED_FLAG = 1, 2, 4, 8
_TABLE_SIZE = 0x30000
# 64-bit odd multiplier for n-gram hashes (the golden ratio, as in Fibonacci hashing)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def ordered_words(text: str) -> list[str]:
    """The words of dolmakit.text.chars.words_of, in text order (n-grams need it; words_of
    lists Han and Kana characters first)."""
    if _UNSPACED.search(text) is None:
        return text.split()
    return _WORD.findall(text)


def _flag_of(char: str) -> int:
    flags = _SPACE if char.isspace() else 0
    flags |= _LETTER if char.isalpha() else 0
    flags |= _PUNCT if char in PUNCTUATION else 0
    return flags | (_UNSPACED_FLAG if _UNSPACED.match(char) else 0)


@cache
def _flag_table() -> np.ndarray:
    """Flags of every code point below _TABLE_SIZE, built once per process: a lookup is far
    faster than a Python loop over the characters of every document."""
    chars = "".join(map(chr, range(_TABLE_SIZE)))

    def where(test) -> np.ndarray:
        return np.fromiter(map(test, chars), dtype=bool, count=_TABLE_SIZE)

    table = np.zeros(_TABLE_SIZE + 1, dtype=np.uint8)  # the last slot: "classify it yourself"
    table[:-1] = where(str.isspace) * _SPACE + where(str.isalpha) * _LETTER
    table[:-1] |= where(PUNCTUATION.__contains__) * np.uint8(_PUNCT)
    table[[match.start() for match in _UNSPACED.finditer(chars)]] |= _UNSPACED_FLAG
    return table


def prepare() -> None:
    """Builds the per-process tables now (call from a step's setup())."""
    _flag_table()


def _flags(text: str) -> np.ndarray:
    code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = _flag_table()[np.minimum(code_points, _TABLE_SIZE)]
    for index in np.flatnonzero(code_points >= _TABLE_SIZE).tolist():
        flags[index] = _flag_of(text[index])
    return flags


@dataclass(frozen=True)
class WordStats:
    """Counts over the words of `words_of(text)`, from one numpy pass over the code points."""

    words: int
    word_chars: int  # characters inside words (all but whitespace)
    alpha_words: int  # words with at least one alphabetic character (str.isalpha)
    symbol_words: int  # words made only of PUNCTUATION
    symbol_chars: int


def word_stats(text: str, split_unspaced: bool = True) -> WordStats:
    """Counts over the whitespace-separated words of text; with split_unspaced, each Han or
    Kana character is a word of its own (words_of)."""
    flags = _flags(text)
    if not len(flags):
        return WordStats(0, 0, 0, 0, 0)
    space = (flags & _SPACE) != 0
    unspaced = (flags & _UNSPACED_FLAG) != 0 if split_unspaced else np.zeros_like(space)
    breaks_after = space | unspaced  # a Han or Kana character is a word of its own
    starts = (~space & np.concatenate(([True], breaks_after[:-1]))) | unspaced
    inside = flags[~space]
    first = np.flatnonzero(starts[~space])  # where each word starts among the non-space chars
    if not len(first):
        return WordStats(0, 0, 0, 0, 0)
    has_alpha = np.maximum.reduceat((inside & _LETTER) != 0, first)
    has_other = np.maximum.reduceat((inside & _PUNCT) == 0, first)
    lengths = np.diff(np.append(first, len(inside)))
    return WordStats(
        words=len(first),
        word_chars=len(inside),
        alpha_words=int(has_alpha.sum()),
        symbol_words=int((~has_other).sum()),
        symbol_chars=int(lengths[~has_other].sum()),
    )


class WordSequence:
    """A text's words in order, split one way, with what the rules count over them; each is
    computed on first use and kept."""

    def __init__(self, text: str, splitting: str):
        if splitting not in WORD_SPLITTINGS:
            raise ValueError(f"unknown word splitting {splitting!r}; one of {WORD_SPLITTINGS}")
        self.text, self.splitting = text, splitting
        self._ngrams: dict[int, np.ndarray] = {}

    @cached_property
    def words(self) -> list[str]:
        if self.splitting == "datatrove":
            return datatrove_words(self.text)
        return ordered_words(self.text)

    @cached_property
    def stats(self) -> WordStats:
        if self.splitting == "datatrove":  # tokens hold no whitespace: joined, they split back
            return word_stats(" ".join(self.words), split_unspaced=False)
        return word_stats(self.text)

    @cached_property
    def word_ends(self) -> np.ndarray:
        """Cumulative word lengths with a leading 0: words i..j-1 hold ends[j] - ends[i] chars."""
        lengths = np.fromiter(map(len, self.words), dtype=np.int64, count=len(self.words))
        return np.concatenate(([0], np.cumsum(lengths)))

    def ngrams(self, n: int) -> np.ndarray:
        """A 64-bit hash of each run of n consecutive words (len(words) - n + 1 of them)."""
        if n not in self._ngrams:
            if n == 1:
                hashes = np.fromiter(map(hash, self.words), dtype=np.int64, count=len(self.words))
                self._ngrams[1] = hashes.view(np.uint64)
            else:
                shorter, single = self.ngrams(n - 1), self.ngrams(1)
                self._ngrams[n] = shorter[:-1] * _MIX + single[n - 1 :]
        return self._ngrams[n]

    def ngram_chars(self, starts: np.ndarray | int, n: int) -> np.ndarray | int:
        """Characters in the words of the n-grams starting at `starts` (spaces not counted)."""
        return self.word_ends[np.add(starts, n)] - self.word_ends[starts]


class TextUnits:
    """The units of one text; each is computed on first use and kept. Its words, n-grams and
    word stats are the whitespace splitting's; `split(splitting)` gives either."""

    def __init__(self, text: str):
        self.text = text
        self._splits: dict[str, WordSequence] = {}

    def split(self, splitting: str) -> WordSequence:
        if splitting not in self._splits:
            self._splits[splitting] = WordSequence(self.text, splitting)
        return self._splits[splitting]

    @property
    def words(self) -> list[str]:
        return self.split("whitespace").words

    @property
    def word_stats(self) -> WordStats:
        return self.split("whitespace").stats

    @property
    def word_ends(self) -> np.ndarray:
        return self.split("whitespace").word_ends

    def ngrams(self, n: int) -> np.ndarray:
        return self.split("whitespace").ngrams(n)

    def ngram_chars(self, starts: np.ndarray | int, n: int) -> np.ndarray | int:
        return self.split("whitespace").ngram_chars(starts, n)

    @cached_property
    def lines(self) -> list[str]:
        """str.splitlines(), blank lines included (datatrove's Gopher quality and C4 lines)."""
        return self.text.splitlines()

    @cached_property
    def nonblank_lines(self) -> list[str]:
        """Lines between "\\n" that are not only whitespace, unstripped (FineWeb's lines)."""
        return [line for line in self.text.split("\n") if line.strip()]


_last: tuple[str, TextUnits] | None = None


def units_of(text: str) -> TextUnits:
    """The units of `text`, shared with the previous caller when it is the same text object."""
    global _last
    last = _last
    if last is not None and last[0] is text:
        return last[1]
    units = TextUnits(text)
    _last = (text, units)
    return units


def duplicates(items: list[str]) -> tuple[int, int]:
    """(items equal to an earlier item, their characters): datatrove's find_duplicates."""
    seen: set[str] = set()
    count = chars = 0
    for item in items:
        if item in seen:
            count += 1
            chars += len(item)
        else:
            seen.add(item)
    return count, chars


def top_ngram_chars(units: TextUnits | WordSequence, n: int) -> int:
    """Characters covered by the most frequent n-gram, joined with spaces, times its count; the
    first-seen n-gram wins a tie (datatrove's Counter.most_common)."""
    grams = units.ngrams(n) if len(units.words) >= n else None
    if grams is None or not len(grams):
        return 0
    _, first, counts = np.unique(grams, return_index=True, return_counts=True)
    best = counts.max()
    start = int(first[counts == best].min())
    return int(best) * (int(units.ngram_chars(start, n)) + n - 1)


def duplicate_ngram_chars(units: TextUnits | WordSequence, n: int) -> int:
    """Characters of n-grams seen before, scanning left to right and jumping past each repeat
    (datatrove's find_all_duplicate; n-grams are counted without the spaces between words)."""
    grams = units.ngrams(n) if len(units.words) >= n else None
    if grams is None or not len(grams):
        return 0
    _, first_at, inverse = np.unique(grams, return_index=True, return_inverse=True)
    # only an n-gram that occurred earlier can be a repeat: the scan visits just those and
    # adds the new n-grams in between in bulk
    candidates = np.flatnonzero(first_at[inverse] < np.arange(len(grams))).tolist()
    hashes, ends = grams.tolist(), units.word_ends
    seen: set[int] = set()
    chars = index = 0
    for position in candidates:
        if position < index:  # inside the jump past a repeat
            continue
        seen.update(hashes[index:position])
        if hashes[position] in seen:
            chars += int(ends[position + n] - ends[position])
            index = position + n
        else:
            seen.add(hashes[position])
            index = position + 1
    return chars


def fraction(part: float, whole: float) -> float:
    return part / whole if whole else 0.0
