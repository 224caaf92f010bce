"""What a git checkout says about itself, read from its .git files (no git binary needed):
the GitHub repository of its `origin` remote and the commit it has checked out.

Both only name documents (metadata.repository, the URL's ref); a checkout without .git, or with
one these functions cannot read, gets None and the reader falls back to its options.
"""

from __future__ import annotations

import os
import re

_GITHUB_REMOTE = re.compile(r"github\.com[:/]+([\w.-]+)/([\w.-]+?)(?:\.git)?/*$")
_SECTION = re.compile(r"\s*\[([^\]]*)\]")
_URL = re.compile(r"\s*url\s*=\s*(.*)$")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def git_dir(root: str) -> str | None:
    """The checkout's git folder: `.git`, or where a `.git` file (worktree, submodule) points."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    text = _read(dot_git)
    if text and text.startswith("gitdir:"):
        target = text[len("gitdir:") :].strip()
        return os.path.normpath(os.path.join(root, target))
    return None


def github_origin(git: str) -> str | None:
    """`owner/name` of the `origin` remote when it is on GitHub, else None."""
    section = ""
    for line in (_read(os.path.join(_common_dir(git), "config")) or "").splitlines():
        if header := _SECTION.match(line):
            section = header[1].strip()
        elif section == 'remote "origin"' and (url := _URL.match(line)):
            match = _GITHUB_REMOTE.search(url[1].strip())
            return f"{match[1]}/{match[2]}" if match else None
    return None


def head_commit(git: str) -> str | None:
    """The commit HEAD points at, through a branch (loose or packed ref) or detached."""
    head = (_read(os.path.join(git, "HEAD")) or "").strip()
    if not head.startswith("ref:"):
        return head if _COMMIT.fullmatch(head) else None
    ref = head[len("ref:") :].strip()
    for folder in dict.fromkeys((git, _common_dir(git))):  # a worktree keeps branches in common
        loose = (_read(os.path.join(folder, *ref.split("/"))) or "").strip()
        if _COMMIT.fullmatch(loose):
            return loose
        if packed := _packed_ref(folder, ref):
            return packed
    return None


def _packed_ref(folder: str, ref: str) -> str | None:
    for line in (_read(os.path.join(folder, "packed-refs")) or "").splitlines():
        commit, _, name = line.partition(" ")
        if name.strip() == ref and _COMMIT.fullmatch(commit):
            return commit
    return None


def _common_dir(git: str) -> str:
    common = (_read(os.path.join(git, "commondir")) or "").strip()
    return os.path.normpath(os.path.join(git, common)) if common else git


def _read(path: str, limit: int = 1 << 20) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return stream.read(limit)
    except OSError:
        return None
