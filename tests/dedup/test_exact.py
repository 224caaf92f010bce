from dedup.dedup_helpers import doc, run_step
from dolmakit.core.nodes import node_id, node_key
from dolmakit.dedup.exact import ExactDedup, ExactDedupConfig, later_copies, text_key


def labels(docs):
    """{id: id of the copy kept} of every copy but the kept one."""
    nodes = [node_key(d, 0, line) for line, d in enumerate(docs)]
    return {node_id(node): kept for node, kept in later_copies((b"k", nodes))}


def test_text_key_normalizes_case_and_whitespace():
    assert text_key("Hello  World\n", True) == text_key("hello world", True)
    assert text_key("Hello  World\n", False) != text_key("hello world", False)


def test_keeps_the_earliest_then_smallest_id():
    docs = [doc("b", "same"), doc("c", "same", "2020-01-01"), doc("a", "same", "2021-01-01")]
    assert labels(docs) == {"b": "c", "a": "c"}


def test_same_result_for_any_input_order():
    docs = [doc(str(i), "x" if i % 3 else "y") for i in range(9)]
    assert labels(docs) == labels(docs[::-1])


def test_transform_removes_planted_duplicates():
    docs = [doc("1", "alpha text"), doc("2", "Alpha   TEXT"), doc("3", "beta"), doc("4", "beta")]
    run_step(
        ExactDedup("exact", ExactDedupConfig()),
        docs,
        kept=[("1", "alpha text"), ("3", "beta")],
        removed=[("2", "exact_duplicate", "1"), ("4", "exact_duplicate", "3")],
    )


def test_five_thousand_copies_keep_one():
    docs = [doc(f"{i:05d}", "the very same page") for i in range(5000)]
    found = labels(docs)
    assert len(found) == 4999 and set(found.values()) == {"00000"} and "00000" not in found
