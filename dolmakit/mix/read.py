"""A mix source read the one way both the mix's passes and the tokenizer sample read it: its files
found by the engine's input expansion, each record read by the JSONL reader (or, for a source
naming `attributes`, by the Dolma reader, which joins the named attributes/<folder>/ files by
line and id), and each document judged by the source's include/exclude rules (a removed
document becomes a Removed record, so the mix routes and counts it as a run does), then edited
by its span replacements (dolmakit.mix.spans).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import dolmakit.io.dolma  # noqa: F401  (registers the readers mix sources are read with)
import dolmakit.io.jsonl  # noqa: F401
from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.core.expressions import compile_expression
from dolmakit.io.dolma import DOCUMENTS, attribute_files
from dolmakit.io.files import DECOMPRESSION_ERRORS, lines, open_decompressed
from dolmakit.io.inputs import InputFile, expand_inputs
from dolmakit.io.readers import READERS, ReadConfig
from dolmakit.mix.config import ResolvedMix, SourceSpec
from dolmakit.mix.spans import SpanError, SpanReplacer, edited_text

# a document whose text span replacement leaves empty (or whitespace): removed with this reason,
# where Dolma's mixer writes it unless its output.min_text_length is set
EMPTIED = "empty_after_span_replacement"
FORMAT = "jsonl"  # mix sources are Dolma JSONL, the documents/ output of a pipeline
JOINED = "dolma"  # ... with attribute folders joined, for a source that names them


def expand_sources(mix: ResolvedMix) -> dict[str, list[InputFile]]:
    """Each source's files; a ConfigError naming the source when a glob matches nothing or no
    file of a source holds a single line (read until the first line, so it costs little)."""
    files = {}
    for i, spec in enumerate(mix.config.sources):
        key = f"sources[{i}].paths"
        fmt = JOINED if spec.attributes else FORMAT
        try:
            found = expand_inputs(spec.paths, None, "", fmt, mix.source_file)
        except ConfigError as error:
            raise ConfigError(f"source {spec.name!r}: {error.message}", source=mix.source_file,
                              key=key) from error  # fmt: skip
        for file in found if spec.attributes else ():
            _check_attributes(spec, file.path, f"sources[{i}]", mix.source_file)
        if not any(_has_a_line(file.path) for file in found):
            raise ConfigError(f"source {spec.name!r} is empty: its {len(found)} files hold no "
                              "documents", source=mix.source_file, key=key)  # fmt: skip
        files[spec.name] = found
    return files


def _check_attributes(spec: SourceSpec, path: str, key: str, source: str) -> None:
    """Every documents file of the source has a file in every folder it names (Dolma's mixer
    stops at a missing one too), checked before any reading."""
    if f"/{DOCUMENTS}/" not in path:
        raise ConfigError(f"source {spec.name!r} names attributes, so its paths must be files "
                          f"under a Dolma dataset's {DOCUMENTS}/ folder; got {path}",
                          source=source, key=f"{key}.paths")  # fmt: skip
    found = attribute_files(path, spec.attributes)
    for name in spec.attributes:
        if name not in found:
            raise ConfigError(f"source {spec.name!r}: attributes/{name} has no file for {path}",
                              source=source, key=f"{key}.attributes")  # fmt: skip


def _has_a_line(path: str) -> bool:
    try:
        with open_decompressed(path) as stream:
            return any(line.strip() for line in lines(stream))
    except DECOMPRESSION_ERRORS:
        return True  # a corrupt file is the count pass's to report, as an error record


Rule = tuple[str, Callable[[Document], bool]]  # the rule as written, and compiled


@dataclass
class SourceRules:
    """A source's include/exclude rules, compiled, and its span replacements (workers build
    them in setup)."""

    include: list[Rule]
    exclude: list[Rule]
    replacers: list[SpanReplacer] = field(default_factory=list)

    @classmethod
    def of(cls, spec: SourceSpec) -> SourceRules:
        return cls([(text, compile_expression(text)) for text in spec.include],
                   [(text, compile_expression(text)) for text in spec.exclude],
                   [SpanReplacer(r) for r in spec.span_replacement])  # fmt: skip

    def verdict(self, doc: Document) -> str | None:
        """None when the document stays; else the rule that removes it (Dolma's mixer
        semantics: any exclude match removes, and with include rules one of them must match)."""
        for text, rule in self.exclude:
            if rule(doc):
                return f"exclude: {text}"
        if self.include and not any(rule(doc) for _, rule in self.include):
            return "include: no rule matched"
        return None

    def judge(self, doc: Document, name: str, path: str) -> Document | Removed | ErrorRecord:
        """The document of source `name` (read from `path`) as the mix takes it: judged by the
        rules on its own text and attributes, then with its spans replaced (Dolma's order)."""
        if reason := self.verdict(doc):
            return Removed(doc, name, reason)
        try:
            text = edited_text(doc, self.replacers)
        except SpanError as error:
            return ErrorRecord(name, "bad_span", str(error), {"file": path, "id": doc.id})
        if text is None:
            return doc
        return replace(doc, text=text) if text.strip() else Removed(doc, name, EMPTIED)


def source_records(
    name: str, file: InputFile, rules: SourceRules, attributes: list[str] = ()
) -> Iterator[Document | Removed | ErrorRecord]:
    """Every record of one file of source `name`, with the attribute folders `attributes`
    joined: the documents its rules keep (their spans replaced), Removed for those they remove
    (the rule is the reason), for those span replacement empties and for the reader's own
    removals, and the records the reader could not read (or join: an attributes line of another
    id; or edit: a malformed span) as ErrorRecords."""
    config = ReadConfig(options={"attributes": list(attributes)}) if attributes else ReadConfig()
    for item in READERS.get(file.format)(config, name, "").read(file.path):
        yield rules.judge(item, name, file.path) if isinstance(item, Document) else item
