"""Dolma's output layout asks every attribute folder to have a file for every documents file:
the DoFn that writes the missing ones. Its own module so that a worker unpickling it imports no
more than it needs (dolmakit.engine.pipeline imports the config, and with it every step)."""

from __future__ import annotations

from collections.abc import Iterator

import apache_beam as beam

from dolmakit.engine.segments import Outputs
from dolmakit.io.file_writers import empty_attributes


class FillAttributesFn(beam.DoFn):
    """Dolma output: an attribute file of empty lines for every documents file whose documents
    had none of that folder's attributes (every folder has every part, as Dolma expects)."""

    def __init__(self, outputs: Outputs):
        self.outputs = outputs

    def process(self, written: list[tuple[int, list[str]]]) -> Iterator[int]:
        folders = sorted({folder for _, names in written for folder in names})
        outputs = self.outputs
        for file, names in written:
            for folder in sorted(set(folders) - set(names)):
                empty_attributes(outputs.root, f"part-{file:05d}", folder, outputs.compression,
                                 outputs.temporary)  # fmt: skip
        yield len(written)
