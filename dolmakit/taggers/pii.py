"""PII: the `pii_v1` tagger stores emails, phone numbers, IP addresses, card numbers and IBANs.

Spans per kind, Dolma style (`pii_v1__email_address: [[start, end, 1.0], ...]`, plus a
document-level `count`); what counts as each kind is dolmakit.text.pii_kinds. The
`pii_mask_v1` step (dolmakit.filters.pii_mask) masks these spans and removes documents with too
many of them; a `filter` on `pii_v1__count` removes without masking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dolmakit.core.document import Document, Span, whole_document
from dolmakit.core.histograms import register_histogram
from dolmakit.core.steps import Tagger, register_step
from dolmakit.text.pii_kinds import KINDS, Kind, PiiDetector

HISTOGRAM = register_histogram("pii_spans", "PII spans per document")


@dataclass
class PiiConfig:
    # kinds to look for (all by default)
    kinds: list[Kind] = field(default_factory=lambda: list(KINDS))
    # how far (characters) before and after a bare group of digits a phone word may stand
    phone_context_before: int = 40
    phone_context_after: int = 20


@register_step
class PiiTagger(Tagger):
    """Spans of emails, phone numbers, IP addresses, card numbers and IBANs, and their count."""

    type_name = "pii_v1"
    Config = PiiConfig

    def __init__(self, name: str, config: PiiConfig):
        super().__init__(name, config)
        self.detector = PiiDetector(
            config.kinds, config.phone_context_before, config.phone_context_after
        )

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        found = self.detector.find(doc.text)
        total = sum(map(len, found.values()))
        for kind, spans in found.items():
            self.stats[f"spans/{kind}"] += len(spans)
        self.observe(HISTOGRAM, total)
        return {**found, "count": whole_document(doc, float(total))}
