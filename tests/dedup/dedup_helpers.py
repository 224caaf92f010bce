"""Running a collection step on literal documents with the local runner."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from dolmakit.core.document import Document
from dolmakit.core.routing import REMOVED


def doc(doc_id: str, text: str, created: str = "", **metadata) -> Document:
    return Document(id=doc_id, text=text, source="test", created=created, metadata=metadata)


def run_step(step, docs: list[Document], kept: list, removed: list) -> None:
    """Asserts kept as [(id, text)] and removed as [(id, reason, duplicate_of)]."""
    with TestPipeline() as pipeline:
        outputs = pipeline | beam.Create(docs) | step.transform()
        kept_view = outputs.kept | "kept" >> beam.Map(lambda d: (d.id, d.text))
        removed_view = outputs[REMOVED] | "removed" >> beam.Map(
            lambda r: (r.doc.id, r.reason, r.doc.metadata.get("duplicate_of"))
        )
        assert_that(kept_view, equal_to(kept), label="kept")
        assert_that(removed_view, equal_to(removed), label="removed")
