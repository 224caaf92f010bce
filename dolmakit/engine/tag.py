"""`dolmakit tag`: taggers over an existing Dolma dataset, writing only their attribute folders.

Each documents file `<dataset>/documents/<rel>` gets `<dataset>/attributes/<step>/<rel>` per
tagger: one `{"id", "source", "attributes"}` line per line of the documents file, in its order,
so Dolma's mixer and `input.format: dolma` join them by line. documents/ and the other attribute
folders are never written: a new tagger, or a new version of one, costs one folder.

Like `dolmakit run`, a tag run writes under a staging folder first and publishes only when every
document adds up (in = tagged + errors, errors within run.max_error_fraction) and every
documents file has its file in every new folder; only then is each tagger's old folder replaced.
A worker writes each attribute file under the staging folder's tmp/ and renames it to its name
once closed, so a retried bundle leaves no partial file behind.

A document a tagger fails on is an error (errors/ holds the cause, the file and the line) and
gets an empty attributes line in that tagger's folder and in every later one, as a failed
document leaves `dolmakit run` at the step that failed.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

import apache_beam as beam
import yaml
from apache_beam.io.filesystems import FileSystems
from apache_beam.pvalue import TaggedOutput

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.core.errors import ConfigError
from dolmakit.core.routing import ERRORS, KEPT, CountingDoFn, route
from dolmakit.core.schema import from_data, to_data
from dolmakit.core.steps import CollectionStep, Step, Tagger
from dolmakit.engine.config import RunConfig, StepSpec, build_steps, read_yaml, steps_data
from dolmakit.engine.launch import (
    TAG_REPORTS,
    clear_outputs,
    new_pipeline,
    promote,
    run_to_end,
    staging_folder,
    stale_staging,
)
from dolmakit.engine.transforms import StepsFn
from dolmakit.io.dolma import ATTRIBUTES, DOCUMENTS, DolmaReader, attribute_files, attributes_line
from dolmakit.io.dolma import encode as encode_line
from dolmakit.io.files import absolute
from dolmakit.io.jsonl import JsonlReader
from dolmakit.io.readers import READ_STEP, ReadConfig
from dolmakit.io.writers import WriteJsonLines
from dolmakit.report.build import build_report, counters_of, write_atomically, write_report

LOG = logging.getLogger("dolmakit")
# what a tag run writes under its report folder and the next run of it replaces
_REPORT_OUTPUTS = ("errors", "config.yaml", "report.json", "report.html")


@dataclass
class TagConfig:
    name: str
    # a Dolma dataset's root (local, gs://, s3://): documents/ and attributes/ under it
    dataset: str
    # taggers only (`dolmakit steps` lists them); each writes attributes/<step name>/
    steps: list[StepSpec]
    # attribute folders joined to the documents before tagging, for taggers that read others'
    # attributes (perplexity_v1 reads a language ID's); never written
    attributes: list[str] = field(default_factory=list)
    # folder of the run's report.json, report.html, config.yaml and errors/;
    # default <dataset>/_tag/<name> (a `_` folder, which readers of documents/ pass over)
    report: str | None = None
    run: RunConfig = field(default_factory=RunConfig)


@dataclass
class ResolvedTag:
    config: TagConfig
    steps: list[Step]
    source_file: str
    root: str  # the dataset's root, absolute when local
    files: list[str]  # documents files, relative to <root>/documents/
    input_bytes: int

    @property
    def report_root(self) -> str:
        default = f"{self.root}/{TAG_REPORTS}/{self.config.name}"
        return absolute((self.config.report or default).rstrip("/"))

    def to_data(self) -> dict[str, Any]:
        data = to_data(self.config)
        data["steps"] = steps_data(self.config.steps, self.steps)
        return data


def load_tag(path: str, overrides: list[str] = ()) -> ResolvedTag:
    """The tag file resolved and checked against the dataset, all before launch: unknown keys,
    steps that are not taggers, join folders that are missing or also written, no documents."""
    source = str(path)
    config = from_data(TagConfig, read_yaml(path, overrides), source=source, key="")
    steps = build_steps(config.steps, source)
    for index, step in enumerate(steps):
        _check_tagger(step, index, source)
    if not steps:
        raise ConfigError("a tag run needs at least one tagger", source=source, key="steps")
    root = absolute(config.dataset.rstrip("/"))
    _check_joined(config.attributes, [step.name for step in steps], root, source)
    files, size = documents_files(root)
    if not files:
        raise ConfigError(f"no documents files (.jsonl, .jsonl.gz, ...) under {root}/{DOCUMENTS}/",
                          source=source, key="dataset")  # fmt: skip
    return ResolvedTag(config, steps, source, root, files, size)


def _check_tagger(step: Step, index: int, source: str) -> None:
    if isinstance(step, Tagger):
        return
    kind = "collection step" if isinstance(step, CollectionStep) else "filter (it removes)"
    raise ConfigError(
        f"step {step.name!r} ({step.type_name}) is a {kind}; dolmakit tag runs only taggers, "
        "which add attributes and remove nothing (filter in a mix's include/exclude rules)",
        source=source,
        key=f"steps[{index}].type",
    )


def _check_joined(joined: list[str], written: list[str], root: str, source: str) -> None:
    for index, name in enumerate(joined):
        key = f"attributes[{index}]"
        if name in written:
            raise ConfigError(f"attributes/{name} is written by this run, so it cannot be "
                              "joined too", source=source, key=key)  # fmt: skip
        if not FileSystems.match([f"{root}/{ATTRIBUTES}/{name}/**"])[0].metadata_list:
            raise ConfigError(f"no attribute folder {root}/{ATTRIBUTES}/{name}/", source=source,
                              key=key)  # fmt: skip


def documents_files(root: str) -> tuple[list[str], int]:
    """The JSON lines files under <root>/documents/ (any depth, `_` and `.` names left out),
    relative to it and sorted, and their bytes together."""
    base = f"{root}/{DOCUMENTS}/"
    found, size = [], 0
    for metadata in FileSystems.match([f"{base}**"])[0].metadata_list:
        relative = metadata.path[len(base) :]
        hidden = any(part.startswith(("_", ".")) for part in relative.split("/"))
        if not hidden and relative.endswith(JsonlReader.suffixes):
            found.append(relative)
            size += metadata.size_in_bytes
    return sorted(found), size


# --- Beam ------------------------------------------------------------------------------------


class TagFileFn(CountingDoFn):
    """One documents file -> one attribute file per tagger (written under the staging folder),
    every document counted by route() as the reader and each tagger see it; errors out."""

    def __init__(self, root: str, staging: str, steps: list[Step], joined: list[str]):
        self.root, self.staging, self.steps, self.joined = root, staging, steps, joined

    def setup(self) -> None:
        self.steps_fn = StepsFn(self.steps)
        self.steps_fn.setup()
        self.read_counters = self.step_tally(READ_STEP)
        self.reader = DolmaReader(ReadConfig(), "", "")

    def finish_bundle(self) -> None:
        self.steps_fn.finish_bundle()
        super().finish_bundle()

    def process(self, relative: str) -> Iterator[Any]:
        path = f"{self.root}/{DOCUMENTS}/{relative}"
        joined = attribute_files(path, self.joined) if self.joined else {}
        temporary = {step.name: f"{self.staging}/tmp/{uuid.uuid4().hex}/{relative}"
                     for step in self.steps}  # fmt: skip
        streams = {name: FileSystems.create(temp) for name, temp in temporary.items()}
        try:
            for number, line, item in self.reader.read_lines(path, joined):
                yield from self._line(number, line, item, relative, streams)
        finally:
            for stream in streams.values():
                stream.close()
        for name, temp in temporary.items():
            _move(temp, f"{self.staging}/{ATTRIBUTES}/{name}/{relative}")

    def _line(self, number: int | None, line: bytes, item: Any, relative: str,
              streams: dict[str, BinaryIO]) -> Iterator[Any]:  # fmt: skip
        if number is None:  # not a line of the file: a damaged stream, extra attribute lines
            yield route(item, self.read_counters)
            return
        if item is None:  # a blank line stays blank
            for stream in streams.values():
                stream.write(b"\n")
            return
        routed = route(item, self.read_counters)
        if not isinstance(item, Document):
            yield routed
            doc_id, source = _id_and_source(line)
            for stream in streams.values():
                stream.write(encode_line(attributes_line(doc_id, source, {})))
            return
        failed, error = self._tag(item, relative, number)
        tagged = True
        for step in self.steps:
            tagged = tagged and step.name != failed  # the failed tagger and later ones: empty
            prefix = f"{step.name}__"
            attributes = {k: v for k, v in item.attributes.items() if k.startswith(prefix)}
            line_out = attributes_line(item.id, item.source, attributes if tagged else {})
            streams[step.name].write(encode_line(line_out))
        if error is not None:
            yield error

    def _tag(self, doc: Document, relative: str, number: int) -> tuple[str | None, Any]:
        """Runs the taggers on the document: (the name of the one that failed, its error
        tagged for the errors output), or (None, None)."""
        prefixes = tuple(f"{step.name}__" for step in self.steps)
        for key in [k for k in doc.attributes if k.startswith(prefixes)]:
            del doc.attributes[key]  # a joined folder's keys of these taggers' names
        (out,) = self.steps_fn.process(doc)
        if not isinstance(out, TaggedOutput):
            return None, None
        error: ErrorRecord = out.value
        error.location.update(file=f"{DOCUMENTS}/{relative}", line=number)
        return error.step, out


def _id_and_source(line: bytes) -> tuple[Any, Any]:
    """The id and source of a line that is no document, when it is a JSON object."""
    try:
        row = json.loads(line)
    except ValueError:
        return None, None
    return (row.get("id"), row.get("source")) if isinstance(row, dict) else (None, None)


def _move(source: str, destination: str) -> None:
    """Renames a closed file to its name (replacing what an earlier try of the bundle left)."""
    folder = destination.rsplit("/", 1)[0]
    if "://" not in folder and not FileSystems.exists(folder):
        FileSystems.mkdirs(folder)
    if FileSystems.exists(destination):
        FileSystems.delete([destination])
    FileSystems.rename([source], [destination])


def build(pipeline: beam.Pipeline, tag: ResolvedTag, staging: str) -> None:
    tagged = (
        pipeline
        | "List files" >> beam.Create(tag.files)
        | "Spread files" >> beam.Reshuffle()
        | "Tag files"
        >> beam.ParDo(TagFileFn(tag.root, staging, tag.steps, tag.config.attributes)).with_outputs(
            ERRORS, main=KEPT
        )
    )
    tagged[ERRORS] | "Write errors" >> WriteJsonLines(f"{staging}/errors/part")


# --- the run ---------------------------------------------------------------------------------


@dataclass
class TagSummary:
    text: str
    ok: bool
    report: dict


def run_tag(tag_file: str, overrides: list[str] = (), beam_args: list[str] = ()) -> TagSummary:
    """Tags the dataset into a staging folder and publishes the new attribute folders (each
    replacing only the folder of its own name) when every document adds up."""
    tag = load_tag(tag_file, overrides)
    report_root = tag.report_root
    stale = _relative(report_root, stale_staging(report_root))
    clear_outputs(report_root, [*_REPORT_OUTPUTS, *stale], "tag")
    staging = staging_folder(report_root)
    write_atomically(f"{staging}/config.yaml", yaml.safe_dump(tag.to_data(), sort_keys=False))
    pipeline, label = new_pipeline(beam_args, tag.config.run.runner, tag.config.run.workers)
    build(pipeline, tag, staging)
    count = len(tag.files)
    LOG.info("tagging %s (%d file%s) with %s", tag.root, count, "" if count == 1 else "s", label)
    started, clock = datetime.now(UTC), time.monotonic()
    counters = counters_of(run_to_end(pipeline, "tag run"))
    report = build_report(
        counters,
        [(READ_STEP, "read")] + [(step.name, step.type_name) for step in tag.steps],
        pipeline=tag_file,
        output=f"{tag.root}/{ATTRIBUTES}",
        runner=label,
        started=started.isoformat(timespec="seconds"),
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        wall_seconds=round(time.monotonic() - clock, 3),
        input={"files": count, "bytes": tag.input_bytes},
        config=tag.to_data(),
    )
    missing = _missing_files(tag, staging)
    published = _adds_up(report, tag.config.run.max_error_fraction) and not missing
    if published:
        _publish(tag, staging, report_root)
    where = report_root if published else staging
    paths = write_report(report, where)
    return TagSummary(_summary(report, tag, where, paths, missing, published), published, report)


def _relative(root: str, paths: list[str]) -> list[str]:
    return [path[len(root) + 1 :] for path in paths]


def _adds_up(report: dict, max_error_fraction: float) -> bool:
    totals = report["totals"]
    fraction = totals["errors"] / totals["in"] if totals["in"] else 0.0
    return totals["invariant_holds"] and fraction <= max_error_fraction


def _missing_files(tag: ResolvedTag, staging: str) -> list[str]:
    """`<step>/<rel>` of every attribute file the run should have written and did not."""
    base = f"{staging}/{ATTRIBUTES}/"
    written = {meta.path[len(base) :] for meta in FileSystems.match([f"{base}**"])[0].metadata_list}
    expected = [f"{step.name}/{relative}" for step in tag.steps for relative in tag.files]
    return [name for name in expected if name not in written]


def _publish(tag: ResolvedTag, staging: str, report_root: str) -> None:
    """Each tagger's folder replaces the folder of its name (and no other); then errors/ and
    config.yaml go to the report folder."""
    attributes = f"{tag.root}/{ATTRIBUTES}"
    names = [step.name for step in tag.steps]
    clear_outputs(attributes, names, "tag")
    if "://" not in attributes and not FileSystems.exists(attributes):
        FileSystems.mkdirs(attributes)
    promote(f"{staging}/{ATTRIBUTES}", attributes, names)
    promote(staging, report_root, ["errors", "config.yaml"])


def _summary(report: dict, tag: ResolvedTag, where: str, paths: tuple[str, str],
             missing: list[str], published: bool) -> str:  # fmt: skip
    totals = report["totals"]
    lines = [
        f"in {totals['in']:,} = tagged {totals['kept']:,} + errors {totals['errors']:,}"
        + ("" if totals["invariant_holds"] else "   <-- DOES NOT ADD UP"),
        f"{report['throughput']['records_per_s']:,} records/s in {report['wall_seconds']} s",
        *(f"attributes: {tag.root}/{ATTRIBUTES}/{step.name}/" for step in tag.steps),
        f"errors:     {where}/errors/",
        f"report:     {paths[0]}  {paths[1]}",
    ]
    if missing:
        lines.append(f"FAILED: {len(missing)} attribute files not written, e.g. {missing[0]}")
    fraction = totals["errors"] / totals["in"] if totals["in"] else 0.0
    if fraction > tag.config.run.max_error_fraction:
        lines.append(f"FAILED: error fraction {fraction:.4f} is above run.max_error_fraction "
                     f"{tag.config.run.max_error_fraction}")  # fmt: skip
    if not published:
        lines.append(f"NOT PUBLISHED: attributes/ unchanged; this run's files: {where}/")
    return "\n".join(lines)
