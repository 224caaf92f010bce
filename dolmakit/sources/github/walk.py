"""The files of a checkout, in a fixed order, without what is not the project's own source.

The order is by name at every level (depth first), so two runs over the same tree list the
same files in the same order. Version-control folders (.git, .hg, .svn...) are always left out,
vendored folders (node_modules, vendor...) as configured; symbolic links are never followed (a
link can point outside the repository, or make a loop), nor are sockets and pipes read. What
is skipped is counted in `stats`; a folder that cannot be listed is reported, not fatal.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

VCS_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", "CVS", "_darcs", ".pijul", ".jj"})


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the repository, '/'-separated
    full_path: str
    size: int


@dataclass(frozen=True)
class WalkError:
    path: str  # the folder (relative) that could not be listed
    cause: str


def walk_files(
    root: str, skip_dirs: frozenset[str], stats: Counter[str]
) -> Iterator[FileEntry | WalkError]:
    """Every regular file under `root`, sorted by name at each level; errors as WalkError."""
    yield from _walk(root, "", skip_dirs, stats)


def _walk(
    root: str, relative: str, skip_dirs: frozenset[str], stats: Counter[str]
) -> Iterator[FileEntry | WalkError]:
    try:
        with os.scandir(os.path.join(root, relative) if relative else root) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield WalkError(relative or ".", f"{type(error).__name__}: {error.strerror or error}")
        return
    for entry in entries:
        path = f"{relative}/{entry.name}" if relative else entry.name
        if entry.is_symlink():
            stats["symlinks_skipped"] += 1
        elif entry.name in VCS_DIRS:  # a folder, or the `.git` file of a submodule or worktree
            stats["vcs_dirs_skipped"] += 1
        elif entry.is_dir(follow_symlinks=False):
            if entry.name in skip_dirs:
                stats["vendored_dirs_skipped"] += 1
            else:
                yield from _walk(root, path, skip_dirs, stats)
        elif entry.is_file(follow_symlinks=False):
            yield _entry(entry, path)
        else:
            stats["special_files_skipped"] += 1  # sockets, pipes, devices


def _entry(entry: os.DirEntry, path: str) -> FileEntry | WalkError:
    try:
        return FileEntry(path, entry.path, entry.stat(follow_symlinks=False).st_size)
    except OSError as error:  # removed while walking
        return WalkError(path, f"{type(error).__name__}: {error.strerror or error}")
