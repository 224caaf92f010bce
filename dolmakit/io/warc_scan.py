"""A WARC file as a stream of events: the records fastwarc reads, and the damage between them.

fastwarc reads records from an offset until the file ends or a record cannot be parsed; it
cannot say where a corrupt stretch ends, and in an uncompressed file it trusts Content-Length
blindly. `WarcScanner` runs it pass after pass and yields, in file order:

- `Found`: a record fastwarc read;
- `BadLength`: the record before was not where its Content-Length says it ends (uncompressed
  files only, checked by `RecordBoundaries`); reading resumes where `Resync` says;
- `Skipped`: reading resumed at a place where no record could be read, up to the next one;
- `Unreadable`: fastwarc stopped with an error; reading resumes where `Resync` says.

`Resync` is the policy of where reading resumes after damage: the next place a record can start
(a gzip member in a .warc.gz, a `WARC/` line in a .warc). What the events become (documents,
errors) is the reader's business (dolmakit.io.warc).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from fastwarc.warc import WarcRecord

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/"
_HEADER_END = b"\r\n\r\n"
_MAX_HEADER = 1 << 16
_MAX_TRAILER = 64  # blank bytes a file may have after its last record
_SHOWN = 40  # bytes of a damaged header line an error shows
_SCAN_CHUNK = 1 << 20


@dataclass(frozen=True)
class LengthDamage:
    declared: int  # the record's Content-Length
    declared_end: int  # where the record's Content-Length says it ends
    resume: int | None  # where reading resumes (Resync.after_bad_length)
    records_inside: int  # records that start between `resume` and where fastwarc went on
    whole: bool = False  # the record itself is fine; fastwarc skipped what follows it


@dataclass(frozen=True)
class Found:
    """A record fastwarc read, at `record.stream_pos`."""

    record: WarcRecord


@dataclass(frozen=True)
class BadLength:
    """The record at `offset` (the latest found) does not end where its Content-Length says."""

    offset: int
    damage: LengthDamage


@dataclass(frozen=True)
class Skipped:
    """Reading resumed at `begin`, where a record should start, but the next record fastwarc
    could read starts at `end` (None: none did)."""

    begin: int
    end: int | None


@dataclass(frozen=True)
class Unreadable:
    """fastwarc failed (`cause`) on bytes from `begin`; reading resumes at `resume` (None: no
    record starts after them)."""

    begin: int
    resume: int | None
    cause: str


Event = Found | BadLength | Skipped | Unreadable


def find_next(stream: BinaryIO, magic: bytes, start: int) -> int | None:
    """The offset of the next occurrence of `magic` at or after `start`, scanning in chunks."""
    stream.seek(start)
    offset = start
    while chunk := stream.read(_SCAN_CHUNK + len(magic) - 1):
        found = chunk.find(magic)
        if found >= 0:
            return offset + found
        offset += _SCAN_CHUNK
        stream.seek(offset)
    return None


@dataclass(frozen=True)
class Resync:
    """Where reading resumes after damage: the next place where a record can start, found by
    its first bytes (`magic`: a gzip member's in a .warc.gz, `WARC/` in a .warc)."""

    magic: bytes

    def after_unreadable(
        self, stream: BinaryIO, pass_start: int | None, last_record: int | None
    ) -> tuple[int, int | None]:
        """(where the damage starts, where to resume) after fastwarc failed. The damage is the
        record after the last good one, or starts at `pass_start` when nothing was read since
        reading (re)started there (then `pass_start` is not None)."""
        damaged = pass_start
        if damaged is None:
            damaged = find_next(stream, self.magic, last_record + 1)
            if damaged is None:  # nothing after the last good record starts a record
                return last_record, None
        return damaged, find_next(stream, self.magic, damaged + 1)

    def after_bad_length(
        self, stream: BinaryIO, body: int, declared_end: int, whole: bool
    ) -> int | None:
        """Where to resume after a record whose body starts at `body` did not end at
        `declared_end`: there, if the record is whole and fastwarc passed over what follows
        it; else at the next record start after its header (the damaged bytes may be the
        separator, so the record's own body is searched too)."""
        return declared_end if whole else find_next(stream, self.magic, body)


class RecordBoundaries:
    """In an uncompressed WARC only Content-Length says where a record ends: a wrong one makes
    fastwarc swallow the records after it into its body, or cut the body short, without an error
    (a .warc.gz is safe: each record is its own gzip member). So each record is checked to end
    with CRLF CRLF exactly where the next one starts, through a second handle (`raw`) that reads
    the few bytes this takes."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.resync = Resync(WARC_MAGIC)

    def damage(self, start: int, declared: int, next_start: int | None) -> LengthDamage | None:
        """None when the record at `start` ends where the next record begins (`next_start`, or
        when fastwarc found none, a `WARC/` line or the end of the file); else what went wrong.
        A record that runs past the end of the file is left to the truncation check."""
        self.raw.seek(start)
        blank = self.raw.read(_MAX_HEADER).find(_HEADER_END)
        if blank < 0:
            return None  # fastwarc read a header here, so this one is beyond our judging
        body = start + blank + len(_HEADER_END)
        declared_end = body + declared + len(_HEADER_END)
        size = self.raw.seek(0, 2)
        if next_start is None and declared_end > size:
            return None
        whole = self._judge_end(declared_end, next_start)
        if whole is None:
            return None
        resume = self.resync.after_bad_length(self.raw, body, declared_end, whole)
        if whole:
            return LengthDamage(declared, declared_end, resume, 0, whole=True)
        records_inside = self._records_from(resume, max(declared_end, next_start or 0))
        return LengthDamage(declared, declared_end, resume, records_inside)

    def _judge_end(self, declared_end: int, next_start: int | None) -> bool | None:
        """Whether a damaged record is whole: None when it ends at `declared_end` as it should
        (no damage); True when it is whole but fastwarc went on past its end; False when its
        Content-Length is wrong."""
        self.raw.seek(declared_end - len(_HEADER_END))
        ending, following = self.raw.read(len(_HEADER_END)), self.raw.read(_MAX_TRAILER)
        lands_on_record = following.startswith(WARC_MAGIC)
        if next_start is None:  # fastwarc stopped here: fine if a record or the end follows
            ends = ending == _HEADER_END and (lands_on_record or not following.strip())
            return None if ends else False
        if declared_end == next_start:
            return None
        return next_start > declared_end and (ending == _HEADER_END or lands_on_record)

    def _records_from(self, begin: int | None, end: int) -> int:
        count, position = 0, begin
        while position is not None and position < end:
            count += 1
            position = find_next(self.raw, WARC_MAGIC, position + 1)
        return count

    def first_line(self, offset: int) -> str:
        """The start of the line at `offset`, as an error shows it."""
        self.raw.seek(offset)
        return self.raw.read(_SHOWN).split(b"\r\n", 1)[0].decode("ascii", "replace")


class WarcScanner:
    """The events of one file (see the module): fastwarc passes over `stream`, each from where
    the damage that ended the one before says to resume (`resync`). `boundaries` checks each
    record's Content-Length (None for a .warc.gz, whose gzip members bound the records)."""

    def __init__(
        self,
        stream: BinaryIO,
        records: Callable[[BinaryIO], Iterable[WarcRecord]],
        resync: Resync,
        boundaries: RecordBoundaries | None,
    ):
        self.stream, self.records, self.resync = stream, records, resync
        self.boundaries = boundaries
        self.last: int | None = None  # the offset of the latest record found
        self.declared: int | None = None  # its Content-Length, while still to be checked
        self.expected: int | None = None  # where reading resumed after a bad length

    def events(self) -> Iterator[Event]:
        start: int | None = 0
        while start is not None:
            start = yield from self._pass(start)

    def _pass(self, start: int) -> Generator[Event, None, int | None]:
        """One fastwarc pass from `start`; returns where the next pass starts (None: no next)."""
        self.stream.seek(start)
        read_any = False
        for outcome in _until_error(self.records(self.stream)):
            if isinstance(outcome, OSError):  # fastwarc's decompression and parse errors
                return (yield from self._failed(outcome, None if read_any else start))
            read_any = True
            position = outcome.stream_pos
            if self.expected is not None and position > self.expected:
                yield Skipped(self.expected, position)
            self.expected = None
            damage = self._check_end(position)
            if damage is not None:
                return (yield from self._bad_length(damage))
            self.last, self.declared = position, outcome.content_length
            yield Found(outcome)
        return (yield from self._ended())

    def _ended(self) -> Generator[Event, None, int | None]:
        """fastwarc found no more records: anything skipped, and the last record's end."""
        if self.expected is not None:  # nothing readable from where reading resumed
            yield Skipped(self.expected, None)
            self.expected = None
        damage = self._check_end(None)
        return None if damage is None else (yield from self._bad_length(damage))

    def _failed(self, error: OSError, pass_start: int | None) -> Generator[Event, None, int | None]:
        damage = self._check_end(None)
        self.declared = self.expected = None
        if damage is not None:  # the error is where a wrong Content-Length led fastwarc
            return (yield from self._bad_length(damage))
        begin, resume = self.resync.after_unreadable(self.stream, pass_start, self.last)
        yield Unreadable(begin, resume, str(error))
        return resume

    def _bad_length(self, damage: LengthDamage) -> Generator[Event, None, int | None]:
        yield BadLength(self.last, damage)
        self.declared, self.expected = None, damage.resume
        return damage.resume

    def _check_end(self, next_start: int | None) -> LengthDamage | None:
        if self.boundaries is None or self.declared is None or self.last is None:
            return None
        return self.boundaries.damage(self.last, self.declared, next_start)


def _until_error(records: Iterable[WarcRecord]) -> Iterator[WarcRecord | OSError]:
    """fastwarc's records, then the error that stopped it, if one did, as a value."""
    try:
        yield from records
    except OSError as error:
        yield error


def first_cut_member(stream: BinaryIO, start: int) -> int | None:
    """The offset of the first gzip member at or after `start` that ends before its end marker
    (fastwarc ends quietly at such a cut); None when every member there is whole."""
    stream.seek(start)
    tail, pos = stream.read(), 0
    while pos < len(tail) and tail.startswith(GZIP_MAGIC, pos):
        decompressor, rest = zlib.decompressobj(31), tail[pos:]
        try:
            while rest and not decompressor.eof:
                decompressor.decompress(rest, _SCAN_CHUNK)  # bounded output, no memory spike
                rest = decompressor.unconsumed_tail
        except zlib.error:
            return start + pos
        if not decompressor.eof:
            return start + pos
        pos = len(tail) - len(decompressor.unused_data)
    return None
