"""datatrove_words against spaCy 3.8's blank English tokenizer, as datatrove 0.10.1 calls it.

Every expected token list below was printed by datatrove's SpaCyTokenizer("en").word_tokenize in
the benchmark's datatrove environment (.bench/datatrove-venv); spaCy is no test dependency.
"""

import pytest

from dolmakit.text.spacy_words import datatrove_words

CASES = {
    "contractions": (
        "Don't stop: we can't, won't and shouldn't've.",
        ["Do", "n't", "stop", ":", "we", "ca", "n't", ",", "wo", "n't", "and", "should", "n't",
         "'ve", "."],
    ),
    "possessives": (
        "It's John's book; they're O'Neil's friends' dogs.",
        ["It", "'s", "John", "'s", "book", ";", "they", "'re", "O'Neil", "'s", "friends", "'",
         "dogs", "."],
    ),
    "urls kept whole, their closing marks split off": (
        "See https://example.com/a-b?c=1&d=2. Or www.example.org/path, (http://x.io/y).",
        ["See", "https://example.com/a-b?c=1&d=2", ".", "Or", "www.example.org/path", ",", "(",
         "http://x.io/y", ")", "."],
    ),
    "hyphens between letters, not inside numbers' clock times": (
        "A well-known, state-of-the-art 3-4 x/y 10:30 re-use co-op A.B.C",
        ["A", "well", "-", "known", ",", "state", "-", "of", "-", "the", "-", "art", "3", "-",
         "4", "x", "/", "y", "10:30", "re", "-", "use", "co", "-", "op", "A.B.C"],
    ),
    "ellipses one token, other marks one at a time": (
        "Wait... what?! Really…? Yes...no",
        ["Wait", "...", "what", "?", "!", "Really", "…", "?", "Yes", "...", "no"],
    ),
    "quotes and brackets": (
        "\"Quoted\" 'single' “curly” ‘also’ «guillemets» (parens) [brackets] {braces}",
        ['"', "Quoted", '"', "'", "single", "'", "“", "curly", "”", "‘", "also", "’", "«",
         "guillemets", "»", "(", "parens", ")", "[", "brackets", "]", "{", "braces", "}"],
    ),
    "numbers, currencies and units": (
        "It costs $1,000.50 or €5, 10km, 5kg, 3.5% and 1.5m² at 20°C.",
        ["It", "costs", "$", "1,000.50", "or", "€", "5", ",", "10", "km", ",", "5", "kg", ",",
         "3.5", "%", "and", "1.5", "m²", "at", "20", "°", "C", "."],
    ),
    "emails and handles": (
        "Mail me at jane.doe@example.com or @handle #hashtag",
        ["Mail", "me", "at", "jane.doe@example.com", "or", "@handle", "#", "hashtag"],
    ),
    "abbreviations and emoticons (tokenizer exceptions)": (
        "Dr. Smith, Mr. Jones and the U.S. Army met at 5 p.m. e.g. on Jan. 3rd :) :-( <3",
        ["Dr.", "Smith", ",", "Mr.", "Jones", "and", "the", "U.S.", "Army", "met", "at", "5",
         "p.m.", "e.g.", "on", "Jan.", "3rd", ":)", ":-(", "<3"],
    ),
    "dashes": (
        "a--b — c – d -e f- --flag",
        ["a", "--", "b", "—", "c", "–", "d", "-e", "f-", "--flag"],
    ),
    # "''" is an exception; the matcher puts split-off pieces back together, longest and
    # first run winning, and "):" (an emoticon) comes back from ")" + ":"
    "exceptions put back together from split-off marks": (
        "''''Bold'''' in wikitext):",
        ["''", "'", "'", "Bold", "''", "'", "'", "in", "wikitext", "):"],
    ),
    # across the space the run "' '" is found, never joined, and keeps "''" from forming
    "a run across a space blocks one inside a chunk": (
        "judgment.'' '''Because",
        ["judgment", ".", "''", "'", "'", "'", "Because"],
    ),
    "whitespace of every kind is no token": (
        " a\tb\n\nc  d\xa0e\u2028f ",
        ["a", "b", "c", "d", "e", "f"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_tokens_are_spacys(case):
    text, tokens = CASES[case]
    assert datatrove_words(text) == tokens


def test_cached_chunks_give_the_same_tokens():
    text = CASES["exceptions put back together from split-off marks"][0]
    assert datatrove_words(text) == datatrove_words(text)
    assert (
        datatrove_words(f"{text} {text}")
        == 2 * CASES["exceptions put back together from split-off marks"][1]
    )


def test_empty_text_has_no_words():
    assert datatrove_words("") == []
    assert datatrove_words(" \n\t ") == []
