"""The texts a tokenizer trains on when it is drawn from a mix: the mix's training documents
(its include/exclude rules applied, held-out documents left out), each source weighted by its
share of the mix, so a source that is 67% of the training tokens is about 67% of the sample."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.io.inputs import InputFile
from dolmakit.mix.config import MixConfig, SourceSpec, load_mix
from dolmakit.mix.plan import doc_hash, is_held_out
from dolmakit.mix.read import SourceRules, expand_sources, source_records

LOG = logging.getLogger("dolmakit")


def mix_texts(mix_file: str) -> Iterator[str]:
    """Every training text of the mix, repeated by its source's weight (whole repeats plus a
    deterministic fraction by document hash). Reads the sources twice: once to size them."""
    mix = load_mix(mix_file, require_tokenizer=False)
    config, files = mix.config, expand_sources(mix)
    sizes = {spec.name: sum(len(doc.text) for doc in _documents(config, spec, files[spec.name]))
             for spec in config.sources}  # fmt: skip
    total = sum(sizes.values())
    for spec in config.sources:
        weight = _weight(spec, sizes[spec.name], total)
        for doc in _documents(config, spec, files[spec.name]):
            fraction = doc_hash(config.seed, "tokenizer", spec.name, doc.id) / 2**64
            yield from [doc.text] * (int(weight) + (fraction < weight % 1))


def _weight(spec: SourceSpec, size: int, total: int) -> float:
    """Copies per document: a proportion's share of the sample over the source's own share,
    or the source's epochs."""
    if not size:
        return 0.0
    if spec.proportion is not None:
        return spec.proportion * total / size
    return spec.epochs or 0.0


def _documents(config: MixConfig, spec: SourceSpec, files: list[InputFile]) -> Iterator[Document]:
    """The source's training documents: read and judged as the mix reads them, held-out ones
    left out."""
    rules = SourceRules.of(spec)
    for file in files:
        for item in source_records(spec.name, file, rules, spec.attributes):
            if isinstance(item, ErrorRecord):  # the mix itself writes these to its errors/
                LOG.warning("tokenizer sample: skipped %s: %s", item.location, item.cause)
            elif isinstance(item, Document) and not is_held_out(
                config.seed, spec.name, item.id, config.held_out_fraction
            ):
                yield item
