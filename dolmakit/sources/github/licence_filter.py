"""`github_license_filter`: keeps files whose repository licence is allowed, removes the rest as
`license_<id>` (license_gpl-3.0, license_unknown), so the report lists what each licence cost.

LLaMA (Touvron et al. 2023, section 2) "kept only projects that are distributed under the
Apache, BSD and MIT licenses": the default. The licence is an SPDX-like expression in
metadata.licence: `A AND B` is allowed when both are, `A OR B` when either is, `A WITH
exception` as A is; an expression with parentheses is allowed only when every id in it is (they
are not parsed, so the cautious reading). The filter step's expression grammar has no `in`,
which is why this is a step and not a `filter` preset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Step, register_step
from dolmakit.sources.github.licences import UNKNOWN

_OR = re.compile(r"\s+OR\s+", re.I)
_AND = re.compile(r"\s+AND\s+", re.I)
_WITH = re.compile(r"\s+WITH\s+[^\s()]+", re.I)
_PARENTHESES = re.compile(r"[\s()]+")


@dataclass
class LicenceFilterConfig:
    # licence ids kept, case-insensitive, `*` as a wildcard (BSD-* is every BSD variant)
    allowed: list[str] = field(default_factory=lambda: ["Apache-2.0", "BSD-*", "MIT"])
    # the metadata key holding the licence expression (the GitHub readers write `licence`)
    licence_key: str = "licence"


@register_step
class LicenceFilter(Step):
    """Removes files whose licence is not allowed (by default: not Apache, BSD or MIT)."""

    type_name = "github_license_filter"
    Config = LicenceFilterConfig

    def __init__(self, name: str, config: LicenceFilterConfig):
        super().__init__(name, config)
        if not config.allowed:
            raise ConfigError("allow at least one licence", key="allowed")
        self.allowed = [pattern.lower() for pattern in config.allowed]

    def process(self, doc: Document) -> Document | Removed:
        expression = str(doc.metadata.get(self.config.licence_key) or UNKNOWN)
        refused = self.refused(expression)
        if refused is None:
            return doc
        return Removed(doc, self.name, f"license_{refused.lower()}")

    def refused(self, expression: str) -> str | None:
        """None when the expression is allowed, else the id that is not (the first one)."""
        expression = _WITH.sub("", expression).strip() or UNKNOWN
        if "(" in expression or ")" in expression:
            ids = [token for token in _PARENTHESES.split(expression) if token]
            alternatives = [[i for i in ids if i.upper() not in ("AND", "OR")]]
        else:
            alternatives = [_AND.split(option) for option in _OR.split(expression)]
        first_refused = None
        for ids in alternatives:
            refused = [i for i in ids if not self.allows(i)]
            if not refused:
                return None
            first_refused = first_refused or refused[0]
        return first_refused

    def allows(self, licence_id: str) -> bool:
        lower = licence_id.lower()
        return any(fnmatchcase(lower, pattern) for pattern in self.allowed)
