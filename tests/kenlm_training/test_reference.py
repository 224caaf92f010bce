"""The public-domain reference corpus (`dolmakit lm build-reference`): its paragraphs and its
held-out split. The shipped default model is the Wikipedia one (test_wikipedia.py)."""

from __future__ import annotations

from dolmakit.kenlm_training import reference


def test_long_lines_are_cut_into_paragraphs_at_sentence_ends():
    sentence = "The revenue of the year exceeded the estimates of the Treasury. "
    lines = reference.paragraphs(sentence * 30 + "\nA short line.\n\n")
    assert lines[-1] == "A short line." and len(lines) > 3
    assert all(line.endswith(".") for line in lines)
    assert all(len(line) < 2 * reference.PARAGRAPH_CHARS for line in lines)
    assert " ".join(lines[:-1]) == (sentence * 30).strip()


def test_the_held_out_choice_depends_only_on_the_id():
    # the shipped cutoffs were computed on these: changing the hash changes the split
    assert reference.is_held_out("sotu/1796_george_washington_n")
    assert reference.is_held_out("brown/ca44")
    assert not reference.is_held_out("sotu/1790_george_washington_n")
    ids = [f"brown/c{n:03d}" for n in range(2000)]
    assert sum(map(reference.is_held_out, ids)) == 90
