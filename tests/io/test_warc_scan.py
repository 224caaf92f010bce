"""The WARC scanner's events and the resync policy, on small WARC files composed here: the
exact sequence of records and damage that each kind of damage gives."""

from __future__ import annotations

import gzip
import io

import pytest
from fastwarc.warc import ArchiveIterator

from dolmakit.io.warc_scan import (
    GZIP_MAGIC,
    WARC_MAGIC,
    BadLength,
    Found,
    LengthDamage,
    RecordBoundaries,
    Resync,
    Skipped,
    Unreadable,
    WarcScanner,
)

BODIES = [b"first body", b"second body", b"third body", b"fourth body"]


def record(number: int, body: bytes, length: int | None = None) -> bytes:
    length = len(body) if length is None else length
    return (
        b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:r%d>\r\n"
        b"Content-Length: %d\r\n\r\n%s\r\n\r\n" % (number, length, body)
    )


RECORDS = [record(n, body) for n, body in enumerate(BODIES)]  # 98, 99, 98 and 99 bytes
OFFSETS = [0, 98, 197, 295]


def describe(event) -> tuple:
    match event:
        case Found(found):
            return ("found", found.stream_pos, found.headers["WARC-Record-ID"][10:-1])
        case BadLength(offset, damage):
            return ("bad_length", offset, damage)
        case Skipped(begin, end):
            return ("skipped", begin, end)
        case Unreadable(begin, resume, cause):
            return ("unreadable", begin, resume, cause)


def scan(data: bytes, gzipped: bool = False, quirks_mode: bool = True) -> list[tuple]:
    def records(stream):
        return ArchiveIterator(stream, parse_http=False, quirks_mode=quirks_mode)

    boundaries = None if gzipped else RecordBoundaries(io.BytesIO(data))
    resync = Resync(GZIP_MAGIC if gzipped else WARC_MAGIC)
    scanner = WarcScanner(io.BytesIO(data), records, resync, boundaries)
    return [describe(event) for event in scanner.events()]


def found(*numbers_at: tuple[int, int]) -> list[tuple]:
    return [("found", offset, f"r{number}") for number, offset in numbers_at]


def test_an_intact_file_is_its_records():
    assert scan(b"".join(RECORDS)) == found(*zip(range(4), OFFSETS, strict=True))
    assert scan(b"") == []


def test_a_too_large_content_length_resumes_at_the_next_record_after_its_header():
    data = b"".join([RECORDS[0], record(1, BODIES[1], length=111), *RECORDS[2:]])
    damage = LengthDamage(declared=111, declared_end=298, resume=198, records_inside=2)
    assert scan(data) == [
        *found((0, 0), (1, 98)), ("bad_length", 98, damage), *found((2, 198), (3, 296))
    ]  # fmt: skip


def test_a_too_small_content_length_resumes_at_the_next_record():
    data = b"".join([RECORDS[0], record(1, BODIES[1], length=3), *RECORDS[2:]])
    damage = LengthDamage(declared=3, declared_end=188, resume=196, records_inside=0)
    assert scan(data) == [
        *found((0, 0), (1, 98)), ("bad_length", 98, damage), *found((2, 196), (3, 294))
    ]  # fmt: skip


def test_a_record_fastwarc_passes_over_is_a_skipped_stretch_after_a_whole_record():
    damaged = RECORDS[1].replace(b"WARC/1.1", b"WARC/1.X")
    whole = LengthDamage(declared=10, declared_end=98, resume=98, records_inside=0, whole=True)
    assert scan(b"".join([RECORDS[0], damaged, *RECORDS[2:]])) == [
        *found((0, 0)), ("bad_length", 0, whole), ("skipped", 98, 197),
        *found((2, 197), (3, 295)),
    ]  # fmt: skip
    junk = RECORDS[0] + b"junk line\r\n" + b"".join(RECORDS[1:])
    assert scan(junk) == [
        *found((0, 0)), ("bad_length", 0, whole), ("skipped", 98, 109),
        *found((1, 109), (2, 208), (3, 306)),
    ]  # fmt: skip


def test_where_reading_resumed_unreadable_bytes_are_skipped_to_the_next_record():
    damaged = RECORDS[2].replace(b"WARC/1.1", b"WARC/1.X")
    data = b"".join([RECORDS[0], record(1, BODIES[1], length=111), damaged, RECORDS[3]])
    damage = LengthDamage(declared=111, declared_end=298, resume=198, records_inside=2)
    assert scan(data) == [
        *found((0, 0), (1, 98)), ("bad_length", 98, damage), ("skipped", 198, 296),
        *found((3, 296)),
    ]  # fmt: skip


def test_bytes_after_the_last_record_make_its_length_wrong_with_nothing_to_resume_at():
    damage = LengthDamage(declared=11, declared_end=394, resume=None, records_inside=0)
    assert scan(b"".join(RECORDS) + b"junk junk") == [
        *found(*zip(range(4), OFFSETS, strict=True)), ("bad_length", 295, damage)
    ]  # fmt: skip


def test_without_quirks_mode_a_damaged_header_is_unreadable_up_to_the_next_record():
    damaged = RECORDS[1].replace(b"WARC/1.1", b"WARC/1.X")
    assert scan(b"".join([RECORDS[0], damaged, *RECORDS[2:]]), quirks_mode=False) == [
        *found((0, 0)), ("unreadable", 98, 197, "Invalid WARC header"), *found((2, 197), (3, 295))
    ]  # fmt: skip
    assert scan(b"hello\n" * 5, quirks_mode=False) == [
        ("unreadable", 0, None, "Invalid WARC header")
    ]


MEMBERS = [gzip.compress(r, mtime=0) for r in RECORDS]  # at 0, 109, 217 and 326
CORRUPT = MEMBERS[1][:15] + b"\x00" * 10 + MEMBERS[1][25:]
GZIP_ERROR = "Gzip decompression error: data error"


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (MEMBERS, found((0, 0), (1, 109), (2, 217), (3, 326))),
        ([MEMBERS[0], CORRUPT, *MEMBERS[2:]],
         [*found((0, 0)), ("unreadable", 109, 217, GZIP_ERROR), *found((2, 217), (3, 326))]),
        ([*MEMBERS[:2], CORRUPT],
         [*found((0, 0), (1, 109)), ("unreadable", 217, None, GZIP_ERROR)]),
        ([CORRUPT, CORRUPT, MEMBERS[2]],
         [("unreadable", 0, 108, GZIP_ERROR), ("unreadable", 108, 216, GZIP_ERROR),
          *found((2, 216))]),
        ([GZIP_MAGIC + b"garbage"], [("unreadable", 0, None, GZIP_ERROR)]),
    ],
)  # fmt: skip
def test_a_corrupt_gzip_member_is_unreadable_up_to_the_next_member(members, expected):
    assert scan(b"".join(members), gzipped=True) == expected


def test_resync_after_an_unreadable_stretch_resumes_at_the_next_record_start():
    stream = io.BytesIO(b"..WARC/....WARC/..WARC/")
    resync = Resync(WARC_MAGIC)
    # nothing read since the pass started at 2: the damage starts there
    assert resync.after_unreadable(stream, pass_start=2, last_record=None) == (2, 11)
    # records were read: the damage is the record after the last good one (at 2)
    assert resync.after_unreadable(stream, pass_start=None, last_record=2) == (11, 18)
    assert resync.after_unreadable(stream, pass_start=None, last_record=11) == (18, None)
    # no record starts after the last good one: the damage is that record's, nothing after
    assert resync.after_unreadable(stream, pass_start=None, last_record=18) == (18, None)


def test_resync_after_a_bad_length_resumes_at_its_end_when_whole_else_after_its_header():
    stream = io.BytesIO(b"WARC/ header\r\n\r\nbody WARC/ inside\r\n\r\nWARC/ next")
    resync = Resync(WARC_MAGIC)
    assert resync.after_bad_length(stream, body=16, declared_end=37, whole=True) == 37
    assert resync.after_bad_length(stream, body=16, declared_end=37, whole=False) == 21
    assert resync.after_bad_length(stream, body=40, declared_end=60, whole=False) is None
