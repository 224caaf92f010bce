import numpy as np

from dedup.dedup_helpers import doc, run_step
from dolmakit.core.nodes import node_address
from dolmakit.dedup.lines import ENTRY, LineDedup, LineDedupConfig, later_occurrences, line_hashes


def test_line_occurrences_skip_lines_empty_after_normalizing():
    d = doc("a", "Hello 2024 “x”\n\n \t\n\x07\nHELLO 1999 x")
    occurrences = list(line_hashes(d, LineDedupConfig()))
    assert [index for _, index in occurrences] == [0, 4]
    # CCNet: case folded, digits to 0, unicode punctuation removed (ASCII punctuation stays)
    assert occurrences[0][0] == occurrences[1][0]


def test_later_occurrences_keep_the_first_in_input_order():
    """Entries (line hash, address = file << 32 | line, index) from two files: the first of
    each hash by address, then index, keeps its line."""
    first_file = np.array([(5, 0 << 32 | 4, 7), (5, 0 << 32 | 4, 2), (9, 0 << 32 | 1, 0)],
                          dtype=ENTRY)  # fmt: skip
    second_file = np.array([(5, 1 << 32 | 0, 3), (6, 1 << 32 | 0, 1)], dtype=ENTRY)
    later = later_occurrences((0, [second_file.tobytes(), first_file.tobytes()]))
    assert sorted((node_address(node), index) for node, index in later) == [
        ((0, 4), 7), ((1, 0), 3),
    ]  # fmt: skip


def test_the_earlier_document_is_the_earlier_in_the_input_not_by_id():
    docs = [doc("b", "shared line\nfirst in the input"), doc("a", "shared line\nsecond")]
    kept = [("b", "shared line\nfirst in the input"), ("a", "second")]
    run_step(LineDedup("lines", LineDedupConfig()), docs, kept=kept, removed=[])


def test_removes_lines_seen_in_earlier_documents():
    docs = [
        doc("1", "Welcome to our site\nA unique first line\nCookie policy"),
        doc("2", "WELCOME to our site\nAnother unique line\nCOOKIE POLICY"),
        doc("3", "Cookie policy\nWelcome to our site"),
    ]
    run_step(
        LineDedup("lines", LineDedupConfig()),
        docs,
        kept=[
            ("1", "Welcome to our site\nA unique first line\nCookie policy"),
            ("2", "Another unique line"),
        ],
        removed=[("3", "line_dedup_too_short", None)],
    )


def test_repeated_lines_within_a_document():
    docs = [doc("1", "same line\nother\nsame line")]
    run_step(LineDedup("lines", LineDedupConfig()), docs, kept=[("1", "same line\nother")],
             removed=[])  # fmt: skip


def test_shard_group_scope_only_dedups_within_a_group():
    docs = [
        doc("1", "shared boilerplate\nfirst", input_shard=0),
        doc("2", "shared boilerplate\nsecond", input_shard=1),
        doc("3", "shared boilerplate\nthird", input_shard=2),
    ]
    config = LineDedupConfig(scope="shard_groups", group_size=2)
    run_step(
        LineDedup("lines", config),
        docs,
        kept=[
            ("1", "shared boilerplate\nfirst"),
            ("2", "second"),
            ("3", "shared boilerplate\nthird"),
        ],  # fmt: skip
        removed=[],
    )


def test_min_chars():
    docs = [doc("1", "long shared line here\nx"), doc("2", "long shared line here\nyz")]
    run_step(LineDedup("lines", LineDedupConfig(min_chars=3)), docs,
             kept=[("1", "long shared line here\nx")],
             removed=[("2", "line_dedup_too_short", None)])  # fmt: skip
