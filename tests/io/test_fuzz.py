"""Fuzzing the readers with damaged copies of the bundled sample (a fixed seed, so a failure
is reproducible): every read finishes, and every response record that an independent parser
(warcio) finds intact in the damaged bytes is a document or removed, never lost."""

from __future__ import annotations

import gzip
import io
import json
import random
from pathlib import Path

import pytest
from conftest import SAMPLE_WARC
from warcio.archiveiterator import ArchiveIterator as WarcioIterator

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.io.jsonl import JsonlReader
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader

SEED, MUTATIONS = 20261202, 150  # per form: .warc.gz and .warc
MAGIC = {".warc.gz": b"\x1f\x8b\x08", ".warc": b"WARC/1."}


def mutate(data: bytes, rng: random.Random, gzip_members: list[int]) -> bytes:
    """One of: byte flips, a truncation, inserted or deleted bytes, a header edit, a
    duplicated gzip member."""
    kind = rng.choice(["flip", "truncate", "insert", "delete", "header", "duplicate"])
    at = rng.randrange(len(data))
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        return data[:at] + rng.randbytes(rng.randint(1, 500)) + data[at:]
    if kind == "delete":
        return data[:at] + data[at + rng.randint(1, 500) :]
    if kind == "header":
        fields = [b"WARC/1.", b"WARC-Type", b"Content-Length: ", b"WARC-Record-ID", b"\r\n\r\n"]
        field = rng.choice(fields)
        positions = [i for i in range(len(data)) if data.startswith(field, i)][:200]
        if not positions:
            return data[:at]
        where = rng.choice(positions) + rng.randrange(len(field))
        return data[:where] + bytes([rng.randrange(256)]) + data[where + 1 :]
    if gzip_members:  # duplicate a member
        i = rng.randrange(len(gzip_members) - 1)
        member = data[gzip_members[i] : gzip_members[i + 1]]
        return data[: gzip_members[i + 1]] + member + data[gzip_members[i + 1] :]
    return data + data[:at]


def intact_responses(data: bytes, originals: dict[str, bytes], magic: bytes) -> set[str]:
    """Record ids of the responses warcio reads whole, with their original content, starting
    at any record (or gzip member) start in the damaged bytes: damage before a record does not
    stop warcio from vouching for it."""
    found, start = set(), data.find(magic)
    while start >= 0:
        try:
            record = next(WarcioIterator(io.BytesIO(data[start:]), no_record_parse=True))
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            if (
                record.rec_type == "response"
                and originals.get(record_id) == record.raw_stream.read()
            ):
                found.add(record_id)
        except Exception:  # noqa: BLE001, S112 - a start warcio cannot read vouches for nothing
            pass
        start = data.find(magic, start + 1)
    return found


def read_ids(path: Path) -> tuple[set[str], int]:
    accounted, errors = set(), 0
    for item in WarcReader(ReadConfig(), "cc", "2025-01-01").read(str(path)):
        doc = item.doc if isinstance(item, Removed) else item
        if isinstance(doc, Document):
            accounted.add(doc.metadata["warc_record_id"])
        else:
            assert isinstance(item, ErrorRecord) and item.cause
            errors += 1
    return accounted, errors


@pytest.fixture(scope="module")
def sample() -> dict:
    compressed = SAMPLE_WARC.read_bytes()
    plain = gzip.decompress(compressed)
    originals = {}
    for record in WarcioIterator(io.BytesIO(plain), no_record_parse=True):
        if record.rec_type == "response":
            originals[record.rec_headers.get_header("WARC-Record-ID")] = record.raw_stream.read()
    members, position = [], 0
    while position < len(compressed):
        members.append(position)
        stream = gzip.zlib.decompressobj(31)
        stream.decompress(compressed[position:])
        position = len(compressed) - len(stream.unused_data)
    return {".warc.gz": (compressed, members + [len(compressed)]), ".warc": (plain, []),
            "originals": originals}  # fmt: skip


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_no_intact_response_is_lost_in_damaged_copies(sample, tmp_path, suffix):
    data, members = sample[suffix]
    rng = random.Random(f"{SEED}{suffix}")
    assert len(sample["originals"]) == 35
    lost, vouched = {}, 0
    for number in range(MUTATIONS):
        damaged = mutate(data, rng, members)
        path = tmp_path / f"m{number}{suffix}"
        path.write_bytes(damaged)
        accounted, _ = read_ids(path)
        intact = intact_responses(damaged, sample["originals"], MAGIC[suffix])
        vouched += len(intact)
        missing = intact - accounted
        if missing:
            lost[number] = sorted(missing)
        path.unlink()
    assert lost == {}
    # what warcio vouched for across the damaged copies: the fuzzing did not degenerate
    assert vouched == {".warc.gz": 4287, ".warc": 4547}[suffix]


def test_damaged_jsonl_lines_are_each_a_document_or_an_error(tmp_path):
    rng = random.Random(SEED)
    lines = [json.dumps({"id": f"d{i}", "text": f"document {i} " * 20}) for i in range(100)]
    for number in range(MUTATIONS):
        data = bytearray("\n".join(lines).encode() + b"\n")
        for _ in range(rng.randint(1, 10)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"m{number}.jsonl"
        path.write_bytes(bytes(data))
        items = list(JsonlReader(ReadConfig(), "s", "x").read(str(path)))
        records = [line for line in bytes(data).split(b"\n") if line.strip()]
        assert len(items) == len(records)  # each non-blank line: one document or one error
        assert all(isinstance(item, Document | ErrorRecord) for item in items)
