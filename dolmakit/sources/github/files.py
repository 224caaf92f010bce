"""One source file as a Dolma document: what both GitHub readers (tables, checkouts) share.

A file's id is `<repository>:<path>`: deterministic, readable, and the same whichever reader
read it (GitHub allows no ':' in repository names, so the first ':' splits the two). Its
metadata holds what a mix and the code heuristics need: repository, path, licence, language,
the size in bytes and, for repositories named owner/name, its GitHub URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from dolmakit.core.document import Document, ErrorRecord
from dolmakit.io.readers import READ_STEP
from dolmakit.sources.github.languages import language_of

_OWNER_NAME = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_BRANCH_OR_TAG = re.compile(r"^refs/(?:heads|tags)/")


@dataclass
class SourceFile:
    """Where a file comes from: enough to name it and link to it."""

    repository: str  # owner/name on GitHub, or a local name
    path: str  # inside the repository, '/'-separated
    licence: str  # an SPDX-like expression (dolmakit.sources.github.licences)
    ref: str = ""  # commit or branch for the URL; empty gives no URL
    created: str = ""


def document_id(repository: str, path: str) -> str:
    return f"{repository}:{path}"


def github_url(repository: str, ref: str, path: str) -> str | None:
    """`https://github.com/<owner>/<name>/blob/<ref>/<path>`, or None when the repository is not
    named owner/name or no ref is known."""
    if not ref or not _OWNER_NAME.fullmatch(repository):
        return None
    ref = _BRANCH_OR_TAG.sub("", ref)  # GitHub's URLs name refs/heads/main as main
    return f"https://github.com/{repository}/blob/{quote(ref)}/{quote(path)}"


def decode_source(data: bytes) -> tuple[str | None, str]:
    """(text, "") for a UTF-8 text file (a byte order mark is dropped), else (None, why it is
    binary): a NUL byte, as git's own binary test, or bytes that are not UTF-8."""
    nul = data.find(b"\0")
    if nul >= 0:
        return None, f"NUL byte at offset {nul}"
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as error:
        return None, f"not UTF-8: {error.reason} at offset {error.start}"


def code_document(file: SourceFile, text: str, size: int, source: str, added: str) -> Document:
    """The document of a file; `text` is empty for a file removed unread (too large)."""
    metadata: dict[str, object] = {
        "repository": file.repository,
        "path": file.path,
        "licence": file.licence,
        "language": language_of(file.path),
        "bytes": size,
    }
    if url := github_url(file.repository, file.ref, file.path):
        metadata["url"] = url
    return Document(
        id=document_id(file.repository, file.path),
        text=text,
        source=source,
        added=added,
        created=file.created,
        metadata=metadata,
    )


def file_error(
    kind: str, cause: str, file: str, source_file: SourceFile, **where: int
) -> ErrorRecord:
    """The error of one source file: where it was read (file, line...) and which file it is."""
    location = {
        "file": file,
        **where,
        "repository": source_file.repository,
        "path": source_file.path,
    }
    return ErrorRecord(READ_STEP, kind, cause, location)
