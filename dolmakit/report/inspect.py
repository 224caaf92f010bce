"""`dolmakit inspect OUTPUT`: what a finished run kept and removed, and why, read back from its
output folder for a terminal: the counts by step and reason from report.json, then the opening
of a few kept documents, of a few removed ones per reason, and errors by kind with their causes.

It only reads, through Beam's FileSystems (local paths, gs://, s3://), file by file in name
order, and stops reading a folder once every sample it shows is filled.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import Any

from apache_beam.io.filesystems import FileSystems

from dolmakit.core.document import Document
from dolmakit.core.errors import ConfigError
from dolmakit.io.files import lines, open_decompressed
from dolmakit.io.parquet import ParquetReader
from dolmakit.io.readers import ReadConfig

SNIPPET_CHARS = 300
KEPT = "kept"
Key = tuple[str, str]  # (step, reason) of a removal, (step, kind) of an error


def inspect_output(root: str, reason: str | None = None, sample: int = 3) -> str:
    """The text `dolmakit inspect` prints. `reason`: only that removal reason, error kind or
    "kept"; `sample`: documents (or errors) shown per reason."""
    root = root.rstrip("/")
    report = read_report(root)
    removed, errors = counts(report, "removed"), counts(report, "errors")
    if reason is not None:
        _check_reason(reason, removed, errors, root)
        removed = {key: n for key, n in removed.items() if key[1] == reason}
        errors = {key: n for key, n in errors.items() if key[1] == reason}
    blocks = [_header(root, report), _counts_block("REMOVED", removed, "reason")]
    blocks.append(_counts_block("ERRORS", errors, "kind"))
    if reason in (None, KEPT):
        blocks.append(_kept_block(root, report, sample))
    if removed:
        blocks.append(_removed_block(root, report, removed, sample))
    if errors:
        blocks.append(_errors_block(root, errors, sample))
    return "\n\n".join(blocks) + "\n"


def read_report(root: str) -> dict[str, Any]:
    path = f"{root}/report.json"
    if not FileSystems.exists(path):
        raise ConfigError(
            "no report.json: not a finished run's output (a failed run's outputs and report "
            "are in its _incomplete-... folder)",
            source=root,
        )
    with FileSystems.open(path) as stream:
        return json.loads(stream.read())


def counts(report: dict[str, Any], outcome: str) -> dict[Key, int]:
    """{(step, reason): documents} of `outcome` ("removed" or "errors"), in step order."""
    return {
        (step["name"], reason): count
        for step in report.get("steps", [])
        for reason, count in sorted(step.get(outcome, {}).items(), key=lambda kv: -kv[1])
        if count
    }


def _check_reason(reason: str, removed: dict[Key, int], errors: dict[Key, int], root: str):
    known = sorted({r for _, r in removed} | {k for _, k in errors} | {KEPT})
    if reason not in known:
        raise ConfigError(f"no {reason!r} in this run; it has: {', '.join(known)}",
                          source=root, key="--reason")  # fmt: skip


def _header(root: str, report: dict[str, Any]) -> str:
    totals = report.get("totals", {})
    return (
        f"{root}: {report.get('pipeline')} on {report.get('runner')}, "
        f"finished {report.get('finished')}\n"
        f"in {totals.get('in')} = kept {totals.get('kept')} + removed {totals.get('removed')} "
        f"+ errors {totals.get('errors')}"
    )


def _counts_block(title: str, found: dict[Key, int], what: str) -> str:
    if not found:
        return f"{title}: none"
    width = max(len(step) for step, _ in found)
    rows = [f"  {step:<{width}}  {count:>7,}  {name}" for (step, name), count in found.items()]
    return f"{title} by step and {what} (report.json)\n" + "\n".join(rows)


def _kept_block(root: str, report: dict[str, Any], sample: int) -> str:
    kept = report.get("totals", {}).get("kept", 0)
    docs = []
    for row in _rows(_files(root, "documents")):
        if len(docs) >= sample:
            break
        docs.append(_document(row))
    return f"KEPT: {kept:,} documents (documents/), the first {len(docs)}\n" + "\n".join(docs)


def _removed_block(root: str, report: dict, removed: dict[Key, int], sample: int) -> str:
    policy = report.get("config", {}).get("output", {}).get("removed", "all")
    if policy == "none":
        return "REMOVED texts: none kept (output.removed: none)"
    found = _first_per_key(_rows(_files(root, "removed")), set(removed), sample, _removal_key)
    note = " (a sample: output.removed: sample)" if policy == "sample" else ""
    blocks = [f"REMOVED texts{note}"]
    for key, count in removed.items():
        docs = [_document(row) for row in found[key]]
        blocks.append(f"  {key[0]} / {key[1]}: {count:,}, showing {len(docs)}")
        blocks.extend(docs)
    return "\n".join(blocks)


def _first_per_key(rows: Iterator[dict], keys: set[Key], n: int, key_of) -> dict[Key, list]:
    """The first `n` rows of each key, reading no further than needed."""
    found: dict[Key, list] = {key: [] for key in keys}
    todo = {key for key in keys if n > 0}
    for row in rows if todo else ():
        if (key := key_of(row)) in todo:
            found[key].append(row)
            if len(found[key]) >= n:
                todo.discard(key)
                if not todo:
                    break
    return found


def _removal_key(row: dict) -> Key:
    removed = row.get("removed") or {}
    return removed.get("step"), removed.get("reason")


def _error_key(row: dict) -> Key:
    return row.get("step"), row.get("kind")


def _errors_block(root: str, errors: dict[Key, int], sample: int) -> str:
    found = _first_per_key(_rows(_files(root, "errors")), set(errors), sample, _error_key)
    blocks = ["ERRORS by cause (errors/)"]
    for key, count in errors.items():
        blocks.append(f"  {key[0]} / {key[1]}: {count:,}, showing {len(found[key])}")
        for row in found[key]:
            where = {k: v for k, v in row.items() if k not in ("step", "kind", "cause")}
            blocks.append(f"    - {row.get('cause')}\n      {json.dumps(where)}")
    return "\n".join(blocks)


def _document(row: dict[str, Any]) -> str:
    """A document's id, url and the opening of its text, newlines shown as ⏎."""
    metadata = row.get("metadata") or {}
    url = metadata.get("url") or metadata.get("path") or ""
    text = str(row.get("text") or "")
    shown = text[:SNIPPET_CHARS].replace("\n", " ⏎ ") + ("…" if len(text) > SNIPPET_CHARS else "")
    body = textwrap.fill(shown or "(empty text)", width=100, initial_indent="      ",
                         subsequent_indent="      ", replace_whitespace=False)  # fmt: skip
    return f"    - id {row.get('id')}  {url}".rstrip() + "\n" + body


def _files(root: str, folder: str) -> list[str]:
    (result,) = FileSystems.match([f"{root}/{folder}/*"])
    return sorted(m.path for m in result.metadata_list)


def _rows(paths: list[str]) -> Iterator[dict[str, Any]]:
    """The records of output files: JSON lines (gzip, zstd or plain) or Parquet documents."""
    for path in paths:
        if path.lower().endswith(ParquetReader.suffixes):
            items = ParquetReader(ReadConfig(), "", "").read(path)
            yield from (item.to_dict() for item in items if isinstance(item, Document))
            continue
        with open_decompressed(path) as stream:
            yield from (json.loads(line) for line in lines(stream) if line.strip())
