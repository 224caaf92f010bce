from dedup.dedup_helpers import doc, run_step
from dolmakit.dedup.exact import ExactDedup, ExactDedupConfig, keep_first, text_key
from dolmakit.dedup.keys import keyed_packed


def members(docs):
    return [keyed_packed(d) for d in docs]


def test_text_key_normalizes_case_and_whitespace():
    assert text_key("Hello  World\n", True) == text_key("hello world", True)
    assert text_key("Hello  World\n", False) != text_key("hello world", False)


def test_keeps_the_earliest_then_smallest_id():
    docs = [doc("b", "same"), doc("c", "same", "2020-01-01"), doc("a", "same", "2021-01-01")]
    items = list(keep_first(members(docs), "dedup"))
    kept = [item for item in items if not hasattr(item, "reason")]
    assert [d.id for d in kept] == ["c"]
    removed = {item.doc.id: item.doc.metadata["duplicate_of"] for item in items if item not in kept}
    assert removed == {"b": "c", "a": "c"}


def test_same_result_for_any_input_order():
    docs = [doc(str(i), "x" if i % 3 else "y") for i in range(9)]
    forward = {d.id for d in keep_first(members(docs), "s") if not hasattr(d, "reason")}
    backward = {d.id for d in keep_first(members(docs[::-1]), "s") if not hasattr(d, "reason")}
    assert forward == backward


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
    items = list(keep_first(members(docs), "s"))
    assert len(items) == 5000
    assert sum(not hasattr(item, "reason") for item in items) == 1
