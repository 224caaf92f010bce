"""datatrove's English words: the tokens of spaCy's blank English tokenizer, without spaCy.

datatrove 0.10.1 splits English text with spacy.blank("en") and keeps the stripped, non-empty
tokens (SpaCyTokenizer.word_tokenize): every punctuation mark split off a word is a word of its
own, "don't" is "do" + "n't", "U.S." stays whole, a URL stays whole. `datatrove_words` replays
spaCy's algorithm (spacy/tokenizer.pyx, 3.8) on its own English rules, copied as data into
dolmakit/data/spacy/en_rules.json (written by scripts/spacy_en_rules.py):

- the text is cut at whitespace (str.split: spaCy's spans of str.isspace characters; the
  whitespace tokens it makes are stripped away by datatrove);
- a chunk that is a special case (tokenizer exception: "can't", "a.m.", ":)") becomes its tokens;
- otherwise prefixes and suffixes are split off, one each per round, until neither matches or
  what is left is a special case;
- what is left is kept whole if it is a URL, else cut at infixes (hyphens between letters,
  "..." inside a word, "a,b");
- last, the special cases whose pieces the affix rules had separated (the phrase matcher of
  Tokenizer._apply_special_cases) are put back together, longest first, within the chunk.

Web text repeats its chunks (Zipf), so each chunk's tokens are kept in a per-process cache, as
spaCy keeps them: most chunks of a page cost one dict lookup.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import chain

RULES_FILE = "data/spacy/en_rules.json"  # package data of dolmakit
_RULES = json.loads(files("dolmakit").joinpath(RULES_FILE).read_bytes())
PREFIX, SUFFIX, INFIX, URL = (_RULES[key] for key in ("prefix", "suffix", "infix", "url"))
SPECIAL_CASES: dict[str, tuple[str, ...]] = {
    chunk: tuple(tokens) for chunk, tokens in _RULES["special_cases"].items()
}
_prefix = re.compile(PREFIX).match  # every alternative starts with ^: match is spaCy's search
_suffix_search = re.compile(SUFFIX).search
_SUFFIX_WINDOW = 12  # longer than any suffix but a run of dots
_infixes = re.compile(INFIX).finditer
_url = re.compile(URL).match
_CACHE_LIMIT = 500_000  # chunks; the cache is emptied when it reaches this (about 100 MB)
_RUNS = re.compile(r"\S+|\s+")  # \s is str.isspace, as spaCy splits
_cache: dict[str, tuple[str, ...]] = {}  # a chunk's tokens
_joinable: set[str] = set()  # cached chunks where the affix rules took a special case apart


def datatrove_words(text: str) -> list[str]:
    """The words datatrove's GopherQualityFilter and GopherRepetitionFilter count, in order."""
    chunks = text.split()
    tokens = list(map(_cache.get, chunks))
    try:
        index = tokens.index(None)
        while True:
            tokens[index] = _chunk_tokens(chunks[index])
            index = tokens.index(None, index + 1)
    except ValueError:  # no chunk (left) that is not cached
        pass
    if _joinable and not _joinable.isdisjoint(chunks) and _runs_may_cross(chunks):
        return _text_tokens(text)
    return list(chain.from_iterable(tokens))


def _runs_may_cross(chunks: list[str]) -> bool:
    """Whether a chunk whose special cases the tokenizer put together has a neighbour that
    could continue one of the split-up special cases across the space between them."""
    pairs = _special_phrases().pairs
    for index, chunk in enumerate(chunks):
        if chunk not in _joinable:
            continue
        head, tail = _end_pieces(chunk)
        if index and (_end_pieces(chunks[index - 1])[1], head) in pairs:
            return True
        if index + 1 < len(chunks) and (tail, _end_pieces(chunks[index + 1])[0]) in pairs:
            return True
    return False


def _end_pieces(chunk: str) -> tuple[str, str]:
    """The first and last piece of a chunk before special cases are put together."""
    pieces = _affix_tokens(chunk, specials=True)
    return pieces[0], pieces[-1]


def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    """The tokens of one whitespace-free chunk, as if it were the whole text (cached)."""
    tokens = _cache.get(chunk)
    if tokens is not None:
        return tokens
    if chunk.isalpha():  # no affix or infix rule applies to letters alone
        tokens = SPECIAL_CASES.get(chunk, (chunk,))
    else:
        pieces = _plain_pieces(chunk) or _affix_tokens(chunk, specials=True)
        tokens, runs = _merge_special_cases(pieces, [True] * len(pieces))
        if tokens != tuple(pieces) or runs > 1:
            # spaCy puts special cases together over the whole text, where a run across a
            # space can keep a run inside this chunk apart (or free one that another run kept
            # apart): a text with such a chunk is replayed whole
            _joinable.add(chunk)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
        _joinable.clear()
    _cache[chunk] = tokens
    return tokens


# a word (letters, or ASCII digits) between brackets, quotes and marks that spaCy always splits
# off one at a time, whatever is next to them; a final "." after them or after a lowercase letter
_PLAIN = re.compile(r"([(\[{\"'“‘«¿¡]*)(\w+)([,;:!?)\]}\"'”’»]*)(\.?)")
_LOWER_END = frozenset("abcdefghijklmnopqrstuvwxyz")


def _plain_pieces(chunk: str) -> list[str] | None:
    """The pieces of the commonest chunks ("(word),", "word."), without the affix regexes; None
    for any other chunk, or when a special case could stop the stripping on the way."""
    match = _PLAIN.fullmatch(chunk)
    if match is None:
        return None
    lead, core, trail, dot = match.groups()
    if not (core.isalpha() or (core.isascii() and core.isdigit())):
        return None
    if dot and not trail and core[-1] not in _LOWER_END and not core.isdigit():
        return None  # "A." stays whole, "USA." splits: leave capitals to the rules
    start, end = len(lead), len(chunk) - len(trail) - len(dot)
    for first in range(start + 1):
        for last in range(end, len(chunk) + 1):
            if chunk[first:last] in SPECIAL_CASES:
                return None
    return [*lead, core, *trail, *dot]


def _text_tokens(text: str) -> list[str]:
    """Tokenizer.__call__ on the whole text: whitespace tokens (a run between two chunks, less
    the one space it starts with), the chunks' pieces, special cases put together over the
    whole text; then datatrove's strip, which drops the whitespace tokens."""
    pieces: list[str] = []
    joined: list[bool] = []  # False: the piece is followed by a single space
    for match in _RUNS.finditer(text):
        run = match.group()
        if not run[0].isspace():
            chunk_pieces = _affix_tokens(run, specials=True)
            pieces += chunk_pieces
            joined += [True] * len(chunk_pieces)
            continue
        if pieces and run[0] == " ":
            joined[-1], run = False, run[1:]
        if run:
            pieces.append(run)
            joined.append(True)
    return [token for token in _merge_special_cases(pieces, joined)[0] if token.strip()]


def _suffix(string: str) -> re.Match | None:
    """spaCy's suffix_search (leftmost match that ends the string), looking only at the end:
    every suffix but `\\.\\.+` is shorter than the window, and a longer run of dots also
    matches from the window's start, where the search is then redone on the whole string."""
    start = len(string) - _SUFFIX_WINDOW
    if start <= 0:
        return _suffix_search(string)
    match = _suffix_search(string, start)  # lookbehinds still see what is before `start`
    return _suffix_search(string) if match is not None and match.start() == start else match


def _match_length(match: re.Match | None) -> int:
    return match.end() - match.start() if match is not None else 0


def _affix_tokens(chunk: str, specials: bool) -> list[str]:
    """Tokenizer._split_affixes and _attach_tokens: prefixes, the middle, suffixes."""
    if specials and chunk in SPECIAL_CASES:
        return list(SPECIAL_CASES[chunk])
    prefixes, suffixes, rest = _split_affixes(chunk, specials)
    return [*prefixes, *_middle_tokens(rest, specials), *reversed(suffixes)]


def _split_affixes(string: str, specials: bool) -> tuple[list[str], list[str], str]:
    """One prefix and one suffix per round, as spaCy strips them (its quirks included: a
    suffix is looked for after the prefix but cut from the whole string)."""
    prefixes: list[str] = []
    suffixes: list[str] = []
    last_size = -1
    while string and len(string) != last_size:
        if specials and string in SPECIAL_CASES:
            break
        last_size = len(string)
        pre_len = _match_length(_prefix(string))
        if pre_len:
            prefix, minus_pre = string[:pre_len], string[pre_len:]
            if minus_pre and specials and minus_pre in SPECIAL_CASES:
                prefixes.append(prefix)
                return prefixes, suffixes, minus_pre
        suf_len = _match_length(_suffix(string[pre_len:]))
        if suf_len:
            suffix, minus_suf = string[-suf_len:], string[:-suf_len]
            if minus_suf and specials and minus_suf in SPECIAL_CASES:
                suffixes.append(suffix)
                return prefixes, suffixes, minus_suf
        if pre_len and suf_len and pre_len + suf_len <= len(string):
            prefixes.append(prefix)
            suffixes.append(suffix)
            string = string[pre_len:-suf_len]
        elif pre_len:
            prefixes.append(prefix)
            string = minus_pre
        elif suf_len:
            suffixes.append(suffix)
            string = minus_suf
    return prefixes, suffixes, string


def _middle_tokens(string: str, specials: bool) -> list[str]:
    """What is left between the affixes: a special case, a URL, or pieces between infixes."""
    if not string:
        return []
    if specials and string in SPECIAL_CASES:
        return list(SPECIAL_CASES[string])
    if _url(string):
        return [string]
    tokens: list[str] = []
    start = 0
    for match in _infixes(string):
        infix_start, infix_end = match.start(), match.end()
        if infix_start == 0:  # an infix at the very start is no split point
            continue
        if infix_start != start:
            tokens.append(string[start:infix_start])
        if infix_start != infix_end:
            tokens.append(string[infix_start:infix_end])
        start = infix_end
    if string[start:]:
        tokens.append(string[start:])
    return tokens


@dataclass(frozen=True)
class _Phrases:
    """The special cases the affix rules would take apart (what spaCy's phrase matcher looks
    for), by the pieces they would become."""

    special: dict[tuple[str, ...], str]
    longest: int  # pieces in the longest
    firsts: frozenset[str]  # their first pieces
    pairs: frozenset[tuple[str, str]]  # consecutive pieces of some special case


@cache
def _special_phrases() -> _Phrases:
    special = {}
    for case in SPECIAL_CASES:
        # spaCy's faster_heuristics: only cases an affix or infix rule applies to
        if case.strip() and (_prefix(case) or _suffix(case) or _has_infix(case)):
            pieces = tuple(_affix_tokens(case, specials=False))
            if len(pieces) > 1:  # a one-piece case is that piece: matching it changes nothing
                special[pieces] = case
    pairs = frozenset(pair for pieces in special for pair in zip(pieces, pieces[1:], strict=False))
    return _Phrases(
        special=special,
        longest=max(map(len, special), default=1),
        firsts=frozenset(pieces[0] for pieces in special),
        pairs=pairs,
    )


def _has_infix(string: str) -> bool:
    return next(_infixes(string), None) is not None


def _merge_special_cases(tokens: list[str], joined: list[bool]) -> tuple[tuple[str, ...], int]:
    """Runs of tokens that spell a special case become that case's tokens. The longest run
    wins, then the first; a run overlapping a chosen one at either end is dropped, and every
    run, kept or not, blocks the ones after it (Tokenizer._filter_special_spans). A run that
    crosses a space is chosen but left as it is: its text is no special case. Also returns how
    many runs of two tokens or more it found."""
    phrases = _special_phrases()
    firsts = phrases.firsts
    if len(tokens) < 2 or firsts.isdisjoint(tokens):
        return tuple(tokens), 0
    special, longest = phrases.special, phrases.longest
    matches = [
        (end - start, start)
        for start in [index for index, token in enumerate(tokens) if token in firsts]
        for end in range(start + 2, min(start + longest, len(tokens)) + 1)
        if tuple(tokens[start:end]) in special
    ]
    runs = len(matches)
    if not runs:
        return tuple(tokens), 0
    chosen: dict[int, int] = {}
    seen: set[int] = set()
    for length, start in sorted(matches, key=lambda match: (-match[0], match[1])):
        end = start + length
        if start not in seen and end - 1 not in seen and all(joined[start : end - 1]):
            chosen[start] = end
        seen.update(range(start, end))
    merged: list[str] = []
    index = 0
    while index < len(tokens):
        end = chosen.get(index)
        if end is None:
            merged.append(tokens[index])
            index += 1
        else:
            merged += SPECIAL_CASES[special[tuple(tokens[index:end])]]
            index = end
    return tuple(merged), runs
