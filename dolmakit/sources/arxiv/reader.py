"""The `arxiv` reader: arXiv LaTeX sources to cleaned documents, one per paper.

Inputs (see archive.py): a paper's `.tar`, `.tar.gz` / `.tgz`, arXiv's bare `<id>.gz` (a gzipped
tar or a gzipped single .tex; `.gz` alone is claimed by no reader, so pipelines set
`input.format: arxiv`), `.tex.gz`, `.tex`, and arXiv's bulk S3 tars of such files. Cleaning: see
clean.py.

What becomes what. The line between the last two: an ErrorRecord is a source that cannot be
read or that TeX would refuse (the data is broken, and fixing the input or the reader would
recover it); Removed is a source that is fine but holds nothing this corpus wants.
  - Document: a paper with a main file and at least one section-like command. Its id is the arXiv
    id from the file name (`2301.00001`, `hep-th/9901001`), else the file name without suffixes;
    metadata holds url (https://arxiv.org/abs/<id>), arxiv_id, n_files, license, main_file, the
    bulk tar's member, and the inputs named but not found (missing_inputs); `created` is the
    first day of the id's month.
  - Removed `no_section`: the paper compiles but has no section-like command (an erratum, a
    withdrawal notice without heading, a paper that only uses its own heading macros); its text
    is the cleaned document environment, to be looked at in removed/. `pdf_only`: the bulk dump
    holds only a PDF of the paper.
  - ErrorRecord, by kind: corrupt_file (a damaged gzip or tar stream: nothing after it can be
    read), corrupt_member (one damaged member of a bulk tar: the next ones are read), too_large,
    binary_member (a .tex file with NUL bytes), undecodable (not in any of `encodings`),
    no_main_file (no .tex file with \\documentclass and \\begin{document}), unbalanced_braces,
    unbalanced_environment (checks.py). Location: file, member (bulk tars), paper.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.io.readers import READ_STEP, Item, Reader, register_reader
from dolmakit.sources.arxiv.archive import Failure, RawPaper, TarLayout, read_papers
from dolmakit.sources.arxiv.checks import LatexProblem
from dolmakit.sources.arxiv.clean import CleanSettings, clean_paper
from dolmakit.sources.arxiv.ids import file_stem, parse_arxiv_id


@dataclass
class ArxivOptions(CleanSettings):
    # a .tar is arXiv's bulk dump (members <id>.gz / <id>.pdf, a paper each) or one paper's
    # files: auto tells them apart by the first file's name
    tar_layout: TarLayout = "auto"
    # a paper whose text files (or bulk member) are larger is an error, not read
    max_paper_bytes: int = 64 << 20
    # metadata.license: arXiv papers carry their own licences, listed in arXiv's metadata (OAI-PMH)
    # and not in the sources, so the default says so; set it when the input was chosen by licence
    license: str = "unknown"


@register_reader
class ArxivReader(Reader):
    format_name = "arxiv"
    suffixes = (".tar.gz", ".tgz", ".tar", ".tex", ".tex.gz")
    Options = ArxivOptions

    @classmethod
    def parse_options(cls, data: dict[str, Any], source: str = "read.options") -> Any:
        """The typed options; an encoding Python does not know is a ConfigError, not a run of
        papers that are all `undecodable`."""
        options = super().parse_options(data, source)
        for encoding in options.encodings:
            try:
                codecs.lookup(encoding)
            except LookupError:
                message = f"unknown encoding {encoding!r} (Python's codec names: utf-8, latin-1...)"
                raise ConfigError(message, source=source, key="read.options.encodings") from None
        return options

    def read(self, path: str) -> Iterator[Item]:
        for raw in read_papers(path, self.options.max_paper_bytes, self.options.tar_layout):
            if isinstance(raw, Failure):
                yield self.error(raw.kind, raw.cause, path, **raw.location)
            else:
                yield self.paper_item(raw, path)

    def paper_item(self, raw: RawPaper, path: str) -> Item:
        doc = self.document(raw)
        if raw.pdf_only:
            return Removed(doc, READ_STEP, "pdf_only")
        try:
            cleaned = clean_paper(raw.files, self.options)
        except LatexProblem as problem:
            where = {**raw.location, "paper": doc.id}
            return self.error(problem.kind, problem.cause, path, **where)
        for note, count in cleaned.notes.items():
            self.stats[f"arxiv/{note}"] += count
        doc.metadata["main_file"] = cleaned.main
        if cleaned.missing_inputs:
            doc.metadata["missing_inputs"] = cleaned.missing_inputs
        if cleaned.text is None:
            doc.text = cleaned.document
            return Removed(doc, READ_STEP, "no_section")
        doc.text = cleaned.text  # never empty: it starts with the section command
        return doc

    def document(self, raw: RawPaper) -> Document:
        """The paper's document before its text: id, dates and metadata from its name."""
        arxiv_id = parse_arxiv_id(raw.name)
        metadata: dict[str, Any] = {"url": arxiv_id.url if arxiv_id else ""}
        metadata["arxiv_id"] = arxiv_id.id if arxiv_id else ""
        metadata.update(n_files=raw.n_files, license=self.options.license, **raw.location)
        return Document(
            id=arxiv_id.id if arxiv_id else file_stem(raw.name),
            text="",
            source=self.source,
            added=self.added,
            created=arxiv_id.created if arxiv_id else "",
            metadata=metadata,
        )
