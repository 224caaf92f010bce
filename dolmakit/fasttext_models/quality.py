"""The quality classifier's contract, shared by training (dolmakit.fasttext_training) and the
tagger: the files a training folder holds, the labels, and `prepare_text`, so the model sees at
inference exactly the kind of line it was trained on.
"""

from __future__ import annotations

import re
from typing import Any

from dolmakit.text.normalize import normalize

POSITIVE, NEGATIVE = "hq", "lq"
MODEL_FILE, QUANTIZED_FILE, METRICS_FILE = "model.bin", "model.ftz", "metrics.json"


LABEL_PREFIX = "__label__"


# documents are scored on their first MAX_TOKENS tokens: web pages vary wildly in length, and a
# linear model over averaged n-gram vectors learns little more from page 20 than from page 1
MAX_TOKENS = 1000


# a cheap character cap first, so a 10 MB page costs no more than a long one (tokens after
# punctuation splitting average well under 8 characters)
MAX_CHARS = MAX_TOKENS * 8


# a URL, less the punctuation that ends the sentence around it
_URL = re.compile(r"(?:https?://|www\.)\S+?(?=[.,;:!?)\]'\"]*(?:\s|$))", re.I)


_EMAIL = re.compile(r"\S+@\S+\.\w+")


# list markers at line starts are layout, not language (and prose positives never have them)
_BULLET = re.compile(r"^[ \t]*(?:[•◦·▪►*+-]|\d{1,2}[.)])[ \t]+", re.M)


# punctuation becomes its own token (fastText splits on whitespace only: "said." != "said")
_PUNCT = re.compile(r"([^\w\s'])")


_SPACES = re.compile(r"\s+")


def prepare_text(text: str, max_tokens: int = MAX_TOKENS) -> str:
    """One line for fastText: URLs, e-mail addresses and list markers removed, CCNet's
    normalization (lowercase, accents stripped, digits to 0, unicode punctuation to ASCII),
    punctuation split off, whitespace (newlines included) collapsed, the first max_tokens kept.

    URLs and addresses go entirely (not even a placeholder): reference prose rarely spells them
    out, so any trace of them would mostly teach "has a link" rather than how the text reads."""
    # a lone surrogate (JSON can carry one) is refused by fastText and by UTF-8 files
    text = text[:MAX_CHARS].encode("utf-8", "replace").decode("utf-8")
    text = _BULLET.sub("", _EMAIL.sub(" ", _URL.sub(" ", text)))
    text = normalize(_SPACES.sub(" ", text))
    return " ".join(_PUNCT.sub(r" \1 ", text).split()[:max_tokens])


def probabilities(model: Any, prepared: list[str], label: str = POSITIVE) -> list[float]:
    """P(label) for each prepared text, clipped to [0, 1] (softmax can overshoot by 1e-5)."""
    wanted = LABEL_PREFIX + label
    labels, probs = model.predict(prepared, k=-1)
    return [
        min(max(float(dict(zip(ls, ps, strict=True)).get(wanted, 0.0)), 0.0), 1.0)
        for ls, ps in zip(labels, probs, strict=True)
    ]
