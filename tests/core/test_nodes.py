import hashlib

from dedup.dedup_helpers import doc

from dolmakit.core.document import Document, pack, unpack
from dolmakit.core.nodes import node_address, node_id, node_key


def test_node_key_is_created_id_and_text_digest():
    key = node_key(doc("a-1", "some text", "2020-01-01"))
    digest = hashlib.blake2b(b"some text", digest_size=8).digest()
    assert key == b"2020-01-01\x00a-1\x00" + digest + b"\x00" * 8
    assert node_key(doc("a-1", "other text", "2020-01-01"))[:15] == key[:15]
    assert node_key(doc("a-1", "other text", "2020-01-01")) != key


def test_node_keys_sort_as_created_then_id_with_undated_last():
    docs = [doc("ab", "x"), doc("b", "x", "2021"), doc("a", "x"), doc("z", "x", "2020")]
    ordered = sorted(docs, key=node_key)
    assert [d.id for d in ordered] == ["z", "b", "a", "ab"]


def test_node_id_reads_ids_with_separators_and_non_ascii():
    for doc_id in ("plain", "with\x00nul", "ünïcode-✓", "\ud800lone"):
        assert node_id(node_key(doc(doc_id, "text"))) == doc_id


def test_pack_round_trips_every_field():
    original = Document(
        "id-1", "text\nwith lines", "cc", "2024-01-01", "2020-05-05",
        {"url": "http://x", "input_shard": 3}, {"t__score": [[0, 4, 0.5]]},
    )  # fmt: skip
    assert unpack(pack(original)) == original


def test_a_node_key_ends_with_its_address_and_sorts_by_it_last():
    same = doc("a-1", "some text", "2020-01-01")
    first, second = node_key(same, 3, 7), node_key(same, 3, 8)
    assert node_address(first) == (3, 7) and node_address(node_key(same, 70_000, 2**31)) == (
        70_000, 2**31
    )  # fmt: skip
    assert first < second < node_key(same, 4, 0) < node_key(doc("a-2", "x", "2020-01-01"))
    assert node_id(first) == "a-1"
