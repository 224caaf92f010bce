"""`pii_mask_v1`: replaces PII spans with Dolma's tokens (`|||EMAIL_ADDRESS|||`, ...) and removes
a document with more than `max_pii` of them, Dolma style."""

from __future__ import annotations

from dataclasses import dataclass, field

from dolmakit.core.document import Document, Removed, whole_document
from dolmakit.core.steps import Step, register_step
from dolmakit.filters.rewrite import rewrite_text
from dolmakit.taggers.pii import HISTOGRAM
from dolmakit.text.pii_kinds import KINDS, TOKENS, Kind, PiiDetector


@dataclass
class PiiMaskConfig:
    # the pii_v1 step whose spans are masked; a document without its attributes is tagged here
    tagger: str = "pii_v1"
    # kinds to mask (all by default)
    kinds: list[Kind] = field(default_factory=lambda: list(KINDS))
    # remove a document with more PII spans than this (Dolma: more than 5); null keeps all
    max_pii: int | None = 5


@register_step
class PiiMask(Step):
    """Replaces PII spans with Dolma's tokens; removes a document with more than `max_pii`.

    The spans come from the pii_v1 tagger's attributes, so tagging, filtering on counts and
    masking agree on one set of spans and the text is scanned once; a document that was not
    tagged (no `<tagger>__count`) is tagged here, its spans stored under this step's name.
    Masking shifts text offsets, so every attribute's spans are moved to the new text: a span
    over a masked piece now covers its token, and later spans shift by the change in length.
    """

    type_name = "pii_mask_v1"
    Config = PiiMaskConfig

    def __init__(self, name: str, config: PiiMaskConfig):
        super().__init__(name, config)
        self.detector = PiiDetector(config.kinds)

    def process(self, doc: Document) -> Document | Removed:
        prefix = self.config.tagger
        if f"{prefix}__count" not in doc.attributes:  # not tagged: tag here
            prefix = self.name
            found = self.detector.find(doc.text)
            doc.attributes.update({f"{prefix}__{kind}": spans for kind, spans in found.items()})
            total = sum(map(len, found.values()))
            doc.attributes[f"{prefix}__count"] = whole_document(doc, float(total))
            self.observe(HISTOGRAM, total)  # pii_v1 counted the documents it tagged
        edits = _mask_edits(doc, prefix, self.config.kinds)
        for _start, _end, token in edits:
            self.stats[f"masked/{token.strip('|').lower()}"] += 1
        if edits:
            self.stats["documents_masked"] += 1
            rewrite_text(doc, edits)
        if self.config.max_pii is not None and len(edits) > self.config.max_pii:
            return Removed(doc, self.name, "pii_too_many")  # masked too: removed/ holds no PII
        return doc


def _mask_edits(doc: Document, prefix: str, kinds: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, token) for each span to mask, sorted, overlaps and bad offsets dropped."""
    spans = sorted(
        (int(span[0]), int(span[1]), TOKENS[kind])
        for kind in kinds
        for span in doc.attributes.get(f"{prefix}__{kind}", [])
    )
    edits, last_end = [], 0
    for start, end, token in spans:
        if last_end <= start < end <= len(doc.text):
            edits.append((start, end, token))
            last_end = end
    return edits
