"""`code_repository`: a local checkout (a git clone or any folder of sources) as documents.

Each input path is one repository folder (`input.paths: [checkouts/*/*]`: globs match folders
for this reader). Its licence comes from the LICENSE/LICENCE/COPYING files at its top (see
licences.py), its name from the GitHub `origin` remote when .git says so, else from the last
`name_depth` parts of its path (checkouts/<owner>/<name> -> owner/name), and the commit in the
URLs from .git's HEAD (else `ref`). Files are walked in name order (walk.py); each is read
whole, so memory is bounded by `max_file_bytes`, never by the repository.

A binary file (a NUL byte, bytes that are not UTF-8) is a `binary_file` error with its path; a
file over `max_file_bytes` is removed unread as `too_large`; a folder or file that cannot be read
is an `unreadable` error and the walk goes on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from dolmakit.core.document import Removed
from dolmakit.io.readers import READ_STEP, Item, Reader, register_reader
from dolmakit.sources.github.files import SourceFile, code_document, decode_source, file_error
from dolmakit.sources.github.git import git_dir, github_origin, head_commit
from dolmakit.sources.github.licences import DETECT_CHARS, UNKNOWN, combine, detect_licence
from dolmakit.sources.github.walk import FileEntry, WalkError, walk_files

# LICENSE, LICENCE.md, COPYING, COPYING.LESSER, LICENSE-MIT, UNLICENSE...
LICENCE_FILE = re.compile(r"(?:un)?licen[cs]e|copying", re.I)
VENDORED_DIRS = ["node_modules", "bower_components", "vendor", "third_party", "third-party"]


@dataclass
class CodeRepositoryOptions:
    # folders (by name, at any depth) left out as vendored or generated code
    skip_dirs: list[str] = field(default_factory=lambda: list(VENDORED_DIRS))
    # larger files are removed unread as too_large (Codex and The Stack drop files over 1 MB)
    max_file_bytes: int = 1_000_000
    # path parts that name the repository when .git names no GitHub origin (2: owner/name)
    name_depth: int = 2
    # the ref in URLs when .git has no readable HEAD (GitHub resolves HEAD to the default branch)
    ref: str = "HEAD"
    # take the name from a GitHub `origin` remote in .git/config when there is one
    name_from_git: bool = True


@register_reader
class CodeRepositoryReader(Reader):
    """The files of a local repository checkout, with its licence, name and commit."""

    format_name = "code_repository"
    Options = CodeRepositoryOptions
    # input paths name folders, not files (dolmakit.io.inputs matches globs to folders)
    reads_directories = True

    def read(self, path: str) -> Iterator[Item]:
        root = os.path.normpath(path)
        if not os.path.isdir(root):
            yield self.error("not_a_directory", "a code_repository input is a folder", path)
            return
        repository, ref = self.name_and_ref(root)
        licence = repository_licence(root)
        self.stats[f"licence/{licence}"] += 1
        skip = frozenset(self.options.skip_dirs)
        for entry in walk_files(root, skip, self.stats):
            if isinstance(entry, WalkError):
                at = SourceFile(repository, entry.path, licence)
                yield file_error("unreadable", entry.cause, os.path.join(root, entry.path), at)
            else:
                yield self._file_item(SourceFile(repository, entry.path, licence, ref), entry)

    def name_and_ref(self, root: str) -> tuple[str, str]:
        """The repository's name (owner/name) and the ref for its URLs."""
        git = git_dir(root)
        origin = github_origin(git) if git and self.options.name_from_git else None
        parts = os.path.abspath(root).split(os.sep)
        name = origin or "/".join(parts[-max(self.options.name_depth, 1) :])
        return name, (head_commit(git) if git else None) or self.options.ref

    def _file_item(self, file: SourceFile, entry: FileEntry) -> Item:
        limit = self.options.max_file_bytes
        data = b""
        if entry.size <= limit:
            try:
                with open(entry.full_path, "rb") as stream:
                    data = _read_up_to(stream, entry.size, limit)
            except OSError as error:
                cause = f"{type(error).__name__}: {error.strerror or error}"
                return file_error("unreadable", cause, entry.full_path, file)
        if entry.size > limit or len(data) > limit:
            doc = code_document(file, "", max(entry.size, len(data)), self.source, self.added)
            return Removed(doc, READ_STEP, "too_large")
        text, why = decode_source(data)
        if text is None:
            return file_error("binary_file", why, entry.full_path, file)
        return code_document(file, text, len(data), self.source, self.added)


def _read_up_to(stream: BinaryIO, size: int, limit: int) -> bytes:
    """The file's bytes, at most limit + 1 of them. Asks for the size the walk saw (read(n)
    allocates n bytes first, so read(limit) would cost a megabyte per file), then for the
    rest if the file has grown since, so that a file grown past the limit is seen."""
    data = stream.read(size + 1)
    if len(data) > size:
        data += stream.read(max(limit + 1 - len(data), 0))
    return data


def repository_licence(root: str) -> str:
    """The licence expression of the licence files at the top of a checkout, or unknown."""
    try:
        names = sorted(entry.name for entry in os.scandir(root) if _licence_file(entry))
    except OSError:
        return UNKNOWN
    return combine([detect_licence(_head(os.path.join(root, name))) for name in names])


def _licence_file(entry: os.DirEntry) -> bool:
    stem = re.split(r"[-._]", entry.name, maxsplit=1)[0]
    return LICENCE_FILE.fullmatch(stem) is not None and entry.is_file(follow_symlinks=False)


def _head(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return stream.read(DETECT_CHARS)
    except OSError:
        return ""
