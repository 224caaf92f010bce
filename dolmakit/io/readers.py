"""Readers turn one input file into documents, removals and errors; registered by format name.

A reader never raises for bad input: a record it cannot use becomes a Removed (a valid record of
the wrong kind, with the reason) or an ErrorRecord (unreadable, with the cause and location).
Counts that are not documents (skipped record types, charset sources) go to `stats`, which the
Beam DoFn turns into counters.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.registry import Registry
from dolmakit.core.schema import from_data
from dolmakit.io.files import DECOMPRESSION_ERRORS, lines, open_decompressed

READ_STEP = "read"
Item = Document | Removed | ErrorRecord


@dataclass
class ReadConfig:
    # settings of the input's reader (its Options, listed by `dolmakit steps`): the reader
    # input.format names, or with `auto` the reader of each input file; checked before launch
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class NoOptions:
    """The options of a reader that has none."""


class Reader(ABC):
    format_name: ClassVar[str] = ""
    # file name endings this reader claims when input.format is auto
    suffixes: ClassVar[tuple[str, ...]] = ()
    # the dataclass of this reader's settings, given in a pipeline as `read.options`
    Options: ClassVar[type] = NoOptions
    # input paths are local folders (a code checkout), not files
    reads_directories: ClassVar[bool] = False

    def __init__(self, config: ReadConfig, source: str, added: str):
        self.config = config
        self.source = source
        self.added = added
        self.options = self.parse_options(config.options)
        self.stats: Counter[str] = Counter()

    @classmethod
    def parse_options(cls, data: dict[str, Any], source: str = "read.options") -> Any:
        """The typed options; a ConfigError names an unknown key or a bad value."""
        return from_data(cls.Options, data, source=source, key="read.options")

    @abstractmethod
    def read(self, path: str) -> Iterator[Item]: ...

    def parse_lines(self, path: str, parse: Callable[[bytes, int], Item | None]) -> Iterator[Item]:
        """parse(line, line number) of every non-blank line of the file, decompressed by its
        suffix, None results left out; a damaged compressed stream ends in a corrupt_file error
        that says after which line, the lines before it read as usual."""
        number = 0
        try:
            with open_decompressed(path) as stream:
                for number, line in enumerate(lines(stream), start=1):  # noqa: B007
                    if line.strip() and (item := parse(line, number)) is not None:
                        yield item
        except DECOMPRESSION_ERRORS as error:
            cause = f"{type(error).__name__}: {error} after line {number}"
            yield self.error("corrupt_file", cause, path, line=number)

    def error(self, kind: str, cause: str, path: str, **where: object) -> ErrorRecord:
        return ErrorRecord(READ_STEP, kind, cause, {"file": path, **where})


READERS: Registry[type[Reader]] = Registry("input format")


def register_reader(cls: type[Reader]) -> type[Reader]:
    return READERS.add(cls.format_name)(cls)


def reader_for(path: str) -> type[Reader] | None:
    """The reader whose suffix matches the path best (longest suffix wins: .warc.wet.gz > .gz)."""
    matches = [
        (len(suffix), cls)
        for _, cls in READERS.items()
        for suffix in cls.suffixes
        if path.lower().endswith(suffix)
    ]
    return max(matches, key=lambda match: match[0])[1] if matches else None
