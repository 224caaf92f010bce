"""`code_license_header_v1`: removes the licence comment blocks that open a source file, the
boilerplate LLaMA's GitHub recipe "removed ... with regular expressions" (Touvron et al. 2023,
section 2); the file's scores are the `code_quality_v1` tagger's (dolmakit.taggers.code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dolmakit.core.document import Document
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Step, register_step
from dolmakit.filters.rewrite import rewrite_text

# licence families, checked in order; the first that matches names the stripped header
LICENSE_PATTERNS = {
    "apache": r"apache license|licensed under the apache",
    "mit": r"permission is hereby granted, free of charge|\bmit license",
    "bsd": r"redistribution and use in source and binary forms|\bbsd[- ](?:[23]-clause |style )?"
    r"licen[cs]e",
    "gpl": r"gnu (?:lesser |library |affero )?general public licen[cs]e|\b[al]?gpl-?v?[23]",
    "mpl": r"mozilla public licen[cs]e",
    "spdx": r"spdx-license-identifier",
    "copyright": r"copyright\s*(?:\(c\)|©|[0-9]{4})|all rights reserved",
}
_BLOCK_OPENERS = {"/*": "*/", "<!--": "-->", '"""': '"""', "'''": "'''", "(*": "*)", "{-": "-}"}
_BLOCK_OPEN = re.compile(r"[ \t]*(/\*|<!--|\"\"\"|'''|\(\*|\{-)")
_NOT_A_COMMENT = r"(?!!|include|define|undef|if|ifdef|ifndef|elif|else|endif|pragma|import|error)"
_LINE_RUNS = {  # a run of lines opening with the same line-comment marker
    marker: re.compile(rf"(?:[ \t]*{re.escape(marker)}{extra}[^\n]*(?:\n|\Z))+")
    for marker, extra in (("//", ""), ("#", _NOT_A_COMMENT), ("--", ""), (";", ""), ("%", ""))
}
_LINE_OPEN = re.compile(r"[ \t]*(//|#|--|;|%)")
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")


@dataclass
class LicenseHeaderConfig:
    # family -> regular expression (case-insensitive) that marks a comment block as a licence
    patterns: dict[str, str] = field(default_factory=lambda: dict(LICENSE_PATTERNS))
    # a longer comment block is left alone (a full licence text pasted in is about 35,000)
    max_header_chars: int = 50_000


@register_step
class LicenseHeader(Step):
    """Removes the licence comment blocks (Apache, MIT, BSD, GPL, MPL, SPDX, copyright) that open
    a source file, after a shebang line, which stays; other comments and code stay as they are.

    The text changes, so every attribute's spans move with it: spans inside the removed header
    shrink to its position, spans after it shift back by its length.
    """

    type_name = "code_license_header_v1"
    Config = LicenseHeaderConfig

    def __init__(self, name: str, config: LicenseHeaderConfig):
        super().__init__(name, config)
        self.patterns = {}
        for family, pattern in config.patterns.items():
            try:
                self.patterns[family] = re.compile(pattern, re.I)
            except re.error as error:
                raise ConfigError(
                    f"not a regular expression: {error}", key=f"patterns.{family}"
                ) from error

    def process(self, doc: Document) -> Document:
        start, end, family = self.find_header(doc.text)
        if family is not None:
            self.stats[f"stripped/{family}"] += 1
            self.stats["chars_stripped"] += end - start
            rewrite_text(doc, [(start, end, "")])
        return doc

    def find_header(self, text: str) -> tuple[int, int, str | None]:
        """(start, end, family of the first block) of the licence blocks opening the text."""
        start = 0
        if text.startswith("#!"):  # the shebang line stays
            start = text.find("\n") + 1
            if start == 0:
                return 0, 0, None
        position, end, first_family = _BLANK_LINES.match(text, start).end(), start, None
        while (block_end := _comment_block_end(text, position)) is not None:
            if block_end - position > self.config.max_header_chars:
                break
            family = self._family(text, position, block_end)
            if family is None:
                break
            first_family = first_family or family
            position = end = _BLANK_LINES.match(text, block_end).end()
        return start, end, first_family

    def _family(self, text: str, start: int, end: int) -> str | None:
        for family, pattern in self.patterns.items():
            if pattern.search(text, start, end):
                return family
        return None


def _comment_block_end(text: str, position: int) -> int | None:
    """Where the comment block opening at `position` ends (past its last line), or None."""
    if opener := _BLOCK_OPEN.match(text, position):
        closer = _BLOCK_OPENERS[opener[1]]
        close = text.find(closer, opener.end())
        if close < 0:
            return None
        end = close + len(closer)
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end + 1
        return line_end if not text[end:line_end].strip() else end
    if marker := _LINE_OPEN.match(text, position):
        run = _LINE_RUNS[marker[1]].match(text, position)
        return run.end() if run else None
    return None
